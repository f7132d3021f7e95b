//! Character normalisation with a map back to the source.
//!
//! Every normalised character remembers the byte offset of the source character it came
//! from, so evidence can point into the original text. Normalisation is per character
//! (full-width → ASCII, odd spaces → space, radicals → ideographs, `|` → cell break) plus
//! removal of known artefacts such as `[bookmark: _GoBack]` and Markdown table rules.

/// The normalised text of one source.
pub struct Norm<'a> {
    pub src: &'a str,
    pub chars: Vec<char>,
    /// Byte offset in `src` of each char of `chars`; one extra entry: `src.len()`.
    pub offs: Vec<usize>,
    line_starts: Vec<usize>,
}

impl<'a> Norm<'a> {
    pub fn new(src: &'a str) -> Norm<'a> {
        let mut chars = Vec::with_capacity(src.len() / 2);
        let mut offs = Vec::with_capacity(src.len() / 2);
        let mut line_starts = vec![0];
        // Inside an HTML table written into text (Markdown converters do), rows are `<tr>`s
        // and the text's own line breaks are spaces. Entered only when the table is closed.
        let last_close = src.rfind("</table").or_else(|| src.rfind("</TABLE"));
        let mut in_table = false;
        for (line_start, line) in split_lines(src) {
            if line_start > 0 {
                line_starts.push(line_start);
            }
            let rule = is_table_rule(line);
            let mut skip_until = 0usize;
            for (i, c) in line.char_indices() {
                if i < skip_until {
                    continue;
                }
                if c == '[' {
                    if let Some(len) = artefact_len(&line[i..]) {
                        skip_until = i + len;
                        continue;
                    }
                }
                if c == '<' {
                    if let Some((len, tag)) = html_tag(&line[i..]) {
                        skip_until = i + len;
                        let at = line_start + i;
                        let n = match tag {
                            Tag::TableOpen => {
                                in_table = last_close.is_some_and(|e| e > at);
                                '\n'
                            }
                            Tag::TableClose => {
                                in_table = false;
                                '\n'
                            }
                            Tag::Row => '\n',
                            Tag::Cell => '\t',
                            Tag::Break if in_table => ' ',
                            Tag::Break => '\n',
                            Tag::Inline => '\0',
                        };
                        if n != '\0' {
                            chars.push(n);
                            offs.push(at);
                        }
                        continue;
                    }
                }
                if c == '&' {
                    if let Some((len, n)) = entity(&line[i..]) {
                        skip_until = i + len;
                        chars.push(n);
                        offs.push(line_start + i);
                        continue;
                    }
                }
                let n = if rule && c != '\n' {
                    ' '
                } else if in_table && c == '\n' {
                    ' '
                } else {
                    bracket(&line[i..], &line[..i]).unwrap_or_else(|| norm_char(c))
                };
                if n != '\0' {
                    chars.push(n);
                    offs.push(line_start + i);
                }
            }
        }
        offs.push(src.len());
        Norm {
            src,
            chars,
            offs,
            line_starts,
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, off: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&s| s <= off).max(1);
        let start = self.line_starts[line - 1];
        let col = self.src.get(start..off).map_or(0, |s| s.chars().count()) + 1;
        (line as u32, col as u32)
    }

    /// Byte range in the source of normalised chars `a..b`.
    pub fn byte_range(&self, a: usize, b: usize) -> (usize, usize) {
        let start = self.offs[a];
        let end = if b > a {
            self.offs[b - 1]
                + self.src[self.offs[b - 1]..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8)
        } else {
            start
        };
        (start, end)
    }

    /// The source text behind normalised chars `a..b`.
    pub fn raw(&self, a: usize, b: usize) -> &'a str {
        let (s, e) = self.byte_range(a, b);
        &self.src[s..e]
    }
}

/// Lines with their byte offsets, keeping each line's terminator as part of it.
fn split_lines(src: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= src.len() {
            return None;
        }
        let end = src[start..].find('\n').map_or(src.len(), |i| start + i + 1);
        let item = (start, &src[start..end]);
        start = end;
        Some(item)
    })
}

/// The brackets of an item number as OCR misreads them (`《二)`, `〈三〉`, `[四）`): a
/// bracket-like character right before `numeral)` opens it, right after `(numeral` closes it.
fn bracket(rest: &str, before: &str) -> Option<char> {
    // Called for every character: a match, not a search of a string of brackets.
    let open = |c: char| {
        matches!(
            c,
            '《' | '〈' | '<' | '{' | '【' | '[' | '「' | '『' | '〔' | '(' | '（'
        )
    };
    let close = |c: char| {
        matches!(
            c,
            '》' | '〉' | '>' | '}' | '】' | ']' | '」' | '』' | '〕' | ')' | '）'
        )
    };
    let numeral = |c: char| {
        matches!(
            c,
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        )
    };
    let mut it = rest.chars();
    let c = it.next()?;
    if !open(c) && !close(c) {
        return None;
    }
    let (n, d) = (it.next(), it.next());
    if open(c) && n.is_some_and(numeral) && d.is_some_and(close) {
        return Some('(');
    }
    // `《区分处理的，…情形)`: a title mark closed by a bracket on the same line was a bracket.
    if matches!(c, '《' | '〈') {
        let closer = rest
            .chars()
            .skip(1)
            .take(60)
            .take_while(|&x| x != '\n')
            .find(|x| matches!(x, ')' | '）' | '》' | '〉'));
        if matches!(closer, Some(')' | '）')) {
            return Some('(');
        }
    }
    let mut back = before.chars().rev();
    let closes_item = close(c) && back.next().is_some_and(numeral) && back.next().is_some_and(open);
    closes_item.then_some(')')
}

/// What an HTML tag found in text stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    TableOpen,
    TableClose,
    /// `<tr>`: a row begins.
    Row,
    /// `<td>`, `<th>`: a cell begins.
    Cell,
    /// `<br>`, `<p>`, `<div>` and their ends: a line break (a space inside a table's cell).
    Break,
    /// Formatting (`<sup>`, `<b>`, `</td>` …): nothing.
    Inline,
}

/// The HTML tag at the start of `s` (a known name, attributes up to `>` on the same line),
/// with its length in bytes.
fn html_tag(s: &str) -> Option<(usize, Tag)> {
    let b = s.as_bytes();
    let close = b.get(1) == Some(&b'/');
    let from = 1 + usize::from(close);
    let name_len = b[from..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return None;
    }
    let name = s[from..from + name_len].to_ascii_lowercase();
    let end = s[from + name_len..]
        .char_indices()
        .take(300)
        .find(|&(_, c)| matches!(c, '>' | '<' | '\n'))
        .filter(|&(_, c)| c == '>')
        .map(|(k, _)| from + name_len + k + 1)?;
    let next = b[from + name_len];
    if !matches!(next, b'>' | b' ' | b'/' | b'\t') {
        return None;
    }
    let tag = match (name.as_str(), close) {
        ("table", false) => Tag::TableOpen,
        ("table", true) => Tag::TableClose,
        ("tr", false) => Tag::Row,
        ("td" | "th", false) => Tag::Cell,
        ("tr" | "td" | "th", true) => Tag::Inline,
        ("br" | "p" | "div", _) => Tag::Break,
        (
            "thead" | "tbody" | "tfoot" | "caption" | "colgroup" | "col" | "span" | "sup" | "sub"
            | "b" | "strong" | "i" | "em" | "u" | "font" | "center",
            _,
        ) => Tag::Inline,
        _ => return None,
    };
    Some((end, tag))
}

/// An HTML character reference at the start of `s` (`&nbsp;`, `&amp;`, `&#12;` …): its
/// length and the character (a space for `&nbsp;`).
fn entity(s: &str) -> Option<(usize, char)> {
    let end = s.char_indices().take(10).find(|&(_, c)| c == ';')?.0;
    let body = &s[1..end];
    let c = match body {
        "nbsp" | "ensp" | "emsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        _ => {
            let n = if let Some(h) = body.strip_prefix("#x").or(body.strip_prefix("#X")) {
                u32::from_str_radix(h, 16).ok()?
            } else {
                body.strip_prefix('#')?.parse().ok()?
            };
            norm_char(char::from_u32(n)?)
        }
    };
    Some((end + 1, c))
}

/// A Markdown table rule such as `|---|:---:|`: layout, not content.
fn is_table_rule(line: &str) -> bool {
    let t = line.trim();
    t.contains("---")
        && t.chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t' | '+' | '\r' | '\n'))
}

/// Length of a word-processor artefact at the start of `s`, e.g. `[bookmark: _GoBack]`.
fn artefact_len(s: &str) -> Option<usize> {
    let lower_start = s.get(..10)?.to_ascii_lowercase();
    if !lower_start.starts_with("[bookmark:") {
        return None;
    }
    s.find(']').filter(|&e| e < 120).map(|e| e + 1)
}

/// One character's normal form; `'\0'` drops it.
pub fn norm_char(c: char) -> char {
    // Most characters of a report are common CJK ideographs or plain ASCII, which stay.
    if matches!(c, '\u{4E00}'..='\u{9FFF}')
        || c.is_ascii() && !matches!(c, '\r' | '\u{B}' | '\u{C}' | '|' | '#' | '*')
    {
        return c;
    }
    match c {
        '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FFFD}' | '\u{AD}' => {
            '\0'
        }
        '\u{3000}' | '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
        '\r' | '\u{B}' | '\u{C}' => ' ',
        '|' | '\u{2502}' | '\u{FF5C}' => '\t',
        '#' | '*' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{2F00}'..='\u{2FDF}' => kangxi(c),
        '\u{2E80}'..='\u{2EFF}' => radical_supplement(c),
        '\u{2212}' | '\u{FE63}' => '-',
        // Angle brackets are OCR's usual misreading of （ ） and never open a title (《》 do).
        '\u{FE59}' | '\u{3008}' | '\u{2329}' => '(',
        '\u{3009}' | '\u{232A}' => ')',
        '\u{FE5A}' => ')',
        '\u{3014}' => '〔',
        _ => c,
    }
}

fn kangxi(c: char) -> char {
    use unicode_normalization::UnicodeNormalization;
    let mut it = std::iter::once(c).nfkc();
    match (it.next(), it.next()) {
        (Some(n), None) => n,
        _ => c,
    }
}

/// The CJK Radicals Supplement has no decomposition; map the forms PDF fonts emit.
fn radical_supplement(c: char) -> char {
    match c {
        '\u{2EA0}' => '民',
        '\u{2EC4}' => '西',
        '\u{2EC5}' => '见',
        '\u{2EC6}' => '角',
        '\u{2ECB}' => '车',
        '\u{2ED3}' => '长',
        '\u{2ED4}' => '门',
        '\u{2EDA}' => '页',
        '\u{2EE2}' => '马',
        '\u{2EE9}' => '黄',
        '\u{2EEC}' => '齐',
        '\u{2EA7}' => '母',
        '\u{2EB6}' => '羊',
        '\u{2EBC}' => '肉',
        '\u{2ED6}' => '阝',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn misread_item_brackets() {
        let t = |s: &str| Norm::new(s).chars.iter().collect::<String>();
        assert_eq!(t("《二)部分公开"), "(二)部分公开");
        assert_eq!(t("(二)部分公开〈区分处理的〉"), "(二)部分公开(区分处理的)");
        assert_eq!(
            t("《二)部分公开《区分处理的，不计其他情形)"),
            "(二)部分公开(区分处理的,不计其他情形)"
        );
        assert_eq!(t("依据《条例》（2019年修订）"), "依据《条例》(2019年修订)");
        assert_eq!(t("〈三〉不予公开"), "(三)不予公开");
        assert_eq!(t("[四）无法提供"), "(四)无法提供");
        // Title marks of prose stay.
        assert_eq!(t("《条例》"), "《条例》");
    }

    use super::*;

    fn norm(s: &str) -> String {
        Norm::new(s).chars.into_iter().collect()
    }

    #[test]
    fn width_and_spaces() {
        assert_eq!(norm("（一）予以公开\u{3000}１２"), "(一)予以公开 12");
        assert_eq!(norm("规章|0|0"), "规章\t0\t0");
    }

    #[test]
    fn artefacts_and_rules_removed() {
        assert_eq!(norm("[bookmark: _GoBack]一、总体情况"), "一、总体情况");
        let n = norm("|a|b|\n|---|:--|\nc");
        assert!(n.starts_with("\ta\tb\t\n"));
        assert!(n.ends_with('c'));
        // The rule's characters are spaces; its line stays a line.
        assert!(n["\ta\tb\t\n".len()..n.len() - 2].chars().all(|c| c == ' '));
        assert!(n.ends_with("\nc"));
    }

    #[test]
    fn html_tags_in_text_are_rows_and_cells() {
        assert_eq!(
            norm("x\n<table border=\"1\"><tr><td rowspan=\"2\">规章</td>\n  <td>1</td></tr>\n<tr><td>a<br>b</td></tr></table>\ny"),
            "x\n\n\n\t规章   \t1 \n\ta b\n\ny"
        );
        // Outside a table a break is a line; unknown tags and lone brackets stay text.
        assert_eq!(norm("2.其他<br>禁止<sup>1</sup>"), "2.其他\n禁止1");
        assert_eq!(norm("a<b c"), "a<b c");
        assert_eq!(norm("x<foo>y &amp; &nbsp;&#49;"), "x<foo>y &  1");
        // A table never closed leaves the text's lines alone.
        assert_eq!(norm("<table><tr><td>1\n2"), "\n\n\t1\n2");
        let n = Norm::new("<td>7</td>");
        assert_eq!(n.chars, ['\t', '7']);
        assert_eq!(n.offs[..2], [0, 4]);
    }

    #[test]
    fn radicals_become_ideographs() {
        assert_eq!(norm("\u{2F08}\u{2EA0}"), "人民");
    }

    #[test]
    fn offsets_and_line_columns() {
        let src = "ab\n（一）x";
        let n = Norm::new(src);
        assert_eq!(n.chars[3], '(');
        assert_eq!(n.offs[3], 3);
        assert_eq!(n.line_col(n.offs[3]), (2, 1));
        assert_eq!(n.line_col(n.offs[6]), (2, 4));
        assert_eq!(n.raw(3, 5), "（一");
    }
}
