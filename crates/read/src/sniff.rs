//! Tells text from the binary formats reports also come in, by content.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    /// A zip container: DOCX (or OFD).
    Zip,
    Pdf,
    /// An OLE compound file: legacy .doc/.wps, or an encrypted Office file.
    Ole,
    /// A known non-text format, by name.
    Other(&'static str),
}

pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        return Format::Zip;
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Format::Ole;
    }
    // A PDF header may follow some junk bytes (the standard allows 1 KiB).
    if bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Format::Pdf;
    }
    const MAGIC: [(&[u8], &str); 6] = [
        (b"\x89PNG", "PNG"),
        (b"\xFF\xD8\xFF", "JPEG"),
        (b"II*\0", "TIFF"),
        (b"MM\0*", "TIFF"),
        (b"GIF8", "GIF"),
        (b"{\\rtf", "RTF"),
    ];
    for (magic, name) in MAGIC {
        if bytes.starts_with(magic) {
            return Format::Other(name);
        }
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head
        .trim_start_matches(['\u{feff}', '\u{fffd}'])
        .trim_start();
    // UTF-16 pages start with `<\0`; after the BOM check only the markup matters.
    let markup: String = head.chars().filter(|&c| c != '\0').take(200).collect();
    let starts = |p: &str| markup.starts_with(p);
    if starts("<!doctype html")
        || starts("<html")
        || starts("<?xml") && markup.contains("xhtml")
        || starts("<head")
        || starts("<meta")
        || starts("<body")
        || starts("<table")
        || starts("<div")
        || starts("<p>")
        || starts("<!--") && markup.contains("<html")
        || markup_dense(bytes)
    {
        return Format::Html;
    }
    Format::Text
}

/// Markup wherever it starts: a CMS snippet (`<p style=…>` with no `<html>`), a page after
/// some junk, a JavaScript or JSON string holding the page (`<\/td>`, `\u003ctd`), or markup
/// escaped as entities. Table cells or closed paragraphs in numbers no plain text or
/// Markdown report has (a `<br>` in a Markdown cell is not enough).
fn markup_dense(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256 * 1024)]);
    let head = head.replace('\0', "");
    let head = crate::html::unescape_markup(&head).to_ascii_lowercase();
    let count = |pat: &str| head.matches(pat).count();
    let cells = count("<td") + count("<th") + count("<tr");
    let closed = count("</p>") + count("</div>") + count("</td>") + count("</span>");
    (cells >= 4 || closed >= 3) && !text_with_markup(&head)
}

/// Plain text or Markdown holding some HTML (a converter writes a table as `<table>` among
/// its lines): many lines carry text and no tag at all, or are Markdown's pipe rows and
/// headings. A page or a snippet keeps its text inside tags.
fn text_with_markup(head: &str) -> bool {
    let lines: Vec<&str> = head
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // Markdown's pipe rows and headings: no page has them.
    let markdown = lines
        .iter()
        .filter(|l| {
            l.starts_with("| ")
                || l.starts_with("|-")
                || l.starts_with("# ")
                || l.starts_with("## ")
        })
        .count();
    let plain = lines
        .iter()
        .filter(|l| !l.contains('<') && !l.contains('>') && l.chars().any(|c| c > '\u{2E80}'))
        .count();
    // A page's paragraphs and blocks; a converter's text holds tables and breaks alone.
    let page_tags = [
        "<p", "<div", "<span", "<body", "<h1", "<h2", "<h3", "<section", "<font", "<li",
    ]
    .iter()
    .map(|t| {
        head.match_indices(t)
            .filter(|(i, _)| {
                head[i + t.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c == '>' || c.is_whitespace())
            })
            .count()
    })
    .sum::<usize>();
    lines.len() >= 8
        && (markdown >= 3 || (plain + markdown) * 3 >= lines.len() || page_tags == 0 && plain >= 3)
}

/// An encrypted OOXML file is an OLE container with an `EncryptionInfo` stream.
pub fn ole_encrypted(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_found_wherever_it_starts() {
        let snippet =
            "<p style='text-align:center'>北冷乡2019年政府信息公开工作年度报告</p><p>正文</p>\
            <table><tr><td>规章</td><td>0</td></tr><tr><td>规范性文件</td><td>0</td></tr></table>";
        assert_eq!(sniff(snippet.as_bytes()), Format::Html);
        let js = r#"var content = "<p>一、总体情况<\/p><p>二<\/p><table><tr><td>规章<\/td><td>0<\/td><\/tr><\/table>";"#;
        assert_eq!(sniff(js.as_bytes()), Format::Html);
        let junk_first = format!("{}<div>a</div><div>b</div><p>c</p>", "x".repeat(3000));
        assert_eq!(sniff(junk_first.as_bytes()), Format::Html);
    }

    #[test]
    fn markdown_holding_an_html_table_is_text() {
        let md = "# 报告\n\n一、总体情况\n\n本年度……\n\n| 规章 | 0 |\n| --- | --- |\n\n三、收到\n\n<table>\n<tr><td>a</td><td>1</td></tr>\n<tr><td>b</td><td>2</td></tr>\n</table>\n\n四、复议\n\n五、问题\n";
        assert_eq!(sniff(md.as_bytes()), Format::Text);
    }

    #[test]
    fn markdown_with_a_stray_tag_stays_text() {
        let md = "| 规章<br>数量 | 0 |\n|---|---|\n| 行政许可 | 5 |\n<br>\n";
        assert_eq!(sniff(md.as_bytes()), Format::Text);
        assert_eq!(sniff("规章 0 <b>注</b>".as_bytes()), Format::Text);
    }
}
