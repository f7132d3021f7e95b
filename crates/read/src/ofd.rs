//! OFD (GB/T 33190): a zip of XML. `OFD.xml` names the document root, which lists the
//! pages; each page's `Content.xml` holds `TextObject`s whose `TextCode`s are positioned
//! text (millimetres). The text becomes positioned words and goes through the same
//! layout as PDF ([`crate::positions`]).

use crate::document::Document;
use crate::package::{self, Zip};
use crate::positions::{self, Word};
use crate::ReadError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

const MAX_PAGES: usize = 500;
const MAX_PART_BYTES: u64 = 16 * 1024 * 1024;
const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

/// Reads one part of the package within what is left of the total budget.
fn part(zip: &mut Zip, name: &str, budget: &mut u64) -> Result<String, ReadError> {
    let text = package::read(zip, name, MAX_PART_BYTES.min(*budget))?;
    *budget -= text.len() as u64;
    Ok(text)
}

/// `base` joined with a relative location, kept inside the package (no `..` escapes).
fn resolve(base: &str, loc: &str) -> Result<String, ReadError> {
    let mut parts: Vec<&str> = if loc.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|p| !p.is_empty()).collect()
    };
    for p in loc.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(ReadError::Corrupt(format!(
                        "OFD 路径越界 (path leaves the package): {loc}"
                    )));
                }
            }
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

fn local(e: &BytesStart) -> String {
    let n = e.name();
    let n = n.as_ref();
    n.rsplit(':').next().unwrap_or(n).to_string()
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| {
            let k = a.key.as_ref();
            k == name || k.rsplit(':').next() == Some(name)
        })
        .map(|a| a.value.into_owned())
}

/// Text of the first element named `name`, and every `BaseLoc` of elements named `list`.
fn scan(xml: &str, name: &str, list: &str) -> Result<(Option<String>, Vec<String>), ReadError> {
    let mut r = Reader::from_str(xml);
    let (mut found, mut locs, mut inside) = (None, Vec::new(), false);
    loop {
        match r
            .read_event()
            .map_err(|e| ReadError::Corrupt(format!("OFD XML 有误: {e}")))?
        {
            Event::Start(e) => {
                inside = local(&e) == name && found.is_none();
                if local(&e) == list {
                    locs.extend(attr(&e, "BaseLoc"));
                }
            }
            Event::Empty(e) if local(&e) == list => locs.extend(attr(&e, "BaseLoc")),
            Event::Text(t) if inside => found = Some(t.trim().to_string()),
            Event::End(_) => inside = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((found, locs))
}

fn numbers(s: &str) -> Vec<f64> {
    s.split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect()
}

/// Positioned words of one page's `Content.xml`.
fn page_words(xml: &str, page: u32, out: &mut Vec<Word>) -> Result<(), ReadError> {
    let mut r = Reader::from_str(xml);
    let (mut bx, mut by, mut size, mut obj) = (0.0, 0.0, 3.5, 0u32);
    let mut code: Option<(f64, f64)> = None;
    loop {
        match r
            .read_event()
            .map_err(|e| ReadError::Corrupt(format!("OFD 页面 XML 有误: {e}")))?
        {
            Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                "TextObject" => {
                    let b = attr(&e, "Boundary")
                        .map(|v| numbers(&v))
                        .unwrap_or_default();
                    bx = b.first().copied().unwrap_or(0.0);
                    by = b.get(1).copied().unwrap_or(0.0);
                    size = attr(&e, "Size")
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(3.5f64)
                        .max(0.1);
                    obj += 1;
                }
                "TextCode" => {
                    let x = attr(&e, "X")
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0.0);
                    let y = attr(&e, "Y")
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(size);
                    code = Some((x, y));
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some((x, y)) = code {
                    let text = t.trim().to_string();
                    if !text.is_empty() {
                        // Y is the baseline within the object's boundary.
                        let x0 = bx + x;
                        let top = by + y - size;
                        out.push(Word {
                            page,
                            para: (obj, 0),
                            x0,
                            y0: top,
                            x1: x0 + size * text.chars().count() as f64,
                            h: size,
                            text,
                        });
                    }
                }
            }
            Event::GeneralRef(g) => {
                if let (Some((x, y)), Some(c)) = (
                    code,
                    match &*g {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        _ => None,
                    },
                ) {
                    out.push(Word {
                        page,
                        para: (obj, 0),
                        x0: bx + x,
                        y0: by + y - size,
                        x1: bx + x + size,
                        h: size,
                        text: c.to_string(),
                    });
                }
            }
            Event::End(e) if local_end(&e) == "TextCode" => code = None,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

fn local_end(e: &quick_xml::events::BytesEnd) -> String {
    let n = e.name();
    let n = n.as_ref();
    n.rsplit(':').next().unwrap_or(n).to_string()
}

pub fn document(zip: &mut Zip) -> Result<Document, ReadError> {
    let mut budget = MAX_TOTAL_BYTES;
    let (root, _) = scan(&part(zip, "OFD.xml", &mut budget)?, "DocRoot", "")?;
    let root = resolve(
        "",
        &root
            .ok_or_else(|| ReadError::Corrupt("OFD.xml 没有 DocRoot (no document root)".into()))?,
    )?;
    let doc_dir = root.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let (_, pages) = scan(&part(zip, &root, &mut budget)?, "", "Page")?;
    let mut words = Vec::new();
    for (i, loc) in pages.iter().take(MAX_PAGES).enumerate() {
        let path = resolve(&doc_dir, loc)?;
        page_words(&part(zip, &path, &mut budget)?, i as u32 + 1, &mut words)?;
    }
    if words.is_empty() {
        return Err(ReadError::NoTextLayer);
    }
    // OFD lengths are millimetres.
    Ok(positions::document(&words, 25.4 / 72.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_package() {
        assert_eq!(
            resolve("Doc_0", "Pages/Page_0/Content.xml").unwrap(),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(
            resolve("Doc_0", "/Doc_0/Pages/P.xml").unwrap(),
            "Doc_0/Pages/P.xml"
        );
        assert_eq!(resolve("Doc_0", "../Res/x.xml").unwrap(), "Res/x.xml");
        assert!(resolve("Doc_0", "../../etc/passwd").is_err());
    }

    #[test]
    fn text_codes_become_words() {
        let xml = r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">
            <ofd:TextObject ID="2" Boundary="20 30 40 6" Font="3" Size="4"><ofd:TextCode X="0" Y="4">规章</ofd:TextCode></ofd:TextObject>
            <ofd:TextObject ID="4" Boundary="80 30 10 6" Font="3" Size="4"><ofd:TextCode X="1" Y="4">15</ofd:TextCode></ofd:TextObject>
            </ofd:Layer></ofd:Content></ofd:Page>"#;
        let mut w = Vec::new();
        page_words(xml, 1, &mut w).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].x0, w[0].y0, w[0].text.as_str()), (20.0, 30.0, "规章"));
        assert_eq!((w[1].x0, w[1].text.as_str()), (81.0, "15"));
        assert_eq!(
            positions::document(&w, 25.4 / 72.0).to_text(),
            "规章\t15\n\n"
        );
    }
}
