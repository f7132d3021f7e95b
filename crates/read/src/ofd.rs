//! OFD (GB/T 33190): a zip of XML. `OFD.xml` names the document root, which lists the
//! pages; each page's `Content.xml` holds `TextObject`s whose `TextCode`s are positioned
//! text (millimetres), and `PathObject`s whose abbreviated path data draws, among others,
//! the tables' rules. The text becomes positioned words; a page with rules has its tables
//! read cell by cell from them as a PDF's are ([`crate::pdf`]: the same rules — stroked
//! axis-parallel segments, thin filled bars, in ink — and the same grid); other words go
//! through the same layout from positions ([`crate::positions`]).

use crate::document::Document;
use crate::package::{self, Zip};
use crate::positions::{self, Word};
use crate::vector::{self, Line, Sub};
use crate::ReadError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::{BTreeMap, HashMap};

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

/// Points per millimetre.
const PT_PER_MM: f64 = 72.0 / 25.4;

/// A `PathObject` being read: where its space sits on the page, its pen and paint, and its
/// abbreviated data.
struct PathObject {
    /// Object space to page millimetres: the CTM, then the boundary's origin.
    ctm: [f64; 6],
    width: f64,
    stroke: bool,
    fill: bool,
    stroke_ink: bool,
    fill_ink: bool,
    data: String,
    in_data: bool,
}

impl PathObject {
    fn new(e: &BytesStart) -> PathObject {
        let b = attr(e, "Boundary").map(|v| numbers(&v)).unwrap_or_default();
        let (bx, by) = (
            b.first().copied().unwrap_or(0.0),
            b.get(1).copied().unwrap_or(0.0),
        );
        let m = attr(e, "CTM").map(|v| numbers(&v)).unwrap_or_default();
        let m = if m.len() == 6 {
            [m[0], m[1], m[2], m[3], m[4] + bx, m[5] + by]
        } else {
            [1.0, 0.0, 0.0, 1.0, bx, by]
        };
        let flag = |name: &str, default: bool| {
            attr(e, name).map_or(default, |v| v.trim().eq_ignore_ascii_case("true"))
        };
        PathObject {
            ctm: m,
            // GB/T 33190's default pen: 0.353 mm (1 pt).
            width: attr(e, "LineWidth")
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0.353f64)
                .abs(),
            stroke: flag("Stroke", true),
            fill: flag("Fill", false),
            stroke_ink: true,
            fill_ink: true,
            data: String::new(),
            in_data: false,
        }
    }

    /// The rules the object draws, in points.
    fn lines(&self, out: &mut Vec<Line>) {
        let m = self.ctm;
        let at = |x: f64, y: f64| {
            (
                (m[0] * x + m[2] * y + m[4]) * PT_PER_MM,
                (m[1] * x + m[3] * y + m[5]) * PT_PER_MM,
            )
        };
        let subs = subpaths(&self.data, at);
        if self.fill && self.fill_ink {
            vector::fill(&subs, out);
        }
        if self.stroke && self.stroke_ink {
            let scale = (m[0] * m[3] - m[1] * m[2]).abs().sqrt();
            vector::stroke(&subs, self.width * scale * PT_PER_MM, false, out);
        }
    }
}

/// Whether a colour's `Value` (RGB components 0–255, decimal or `#HH`; absent: black) is
/// dark enough for a rule.
fn ink(e: &BytesStart) -> bool {
    let Some(v) = attr(e, "Value") else {
        return true;
    };
    let c: Vec<f64> = v
        .split_whitespace()
        .filter_map(|t| match t.strip_prefix('#') {
            Some(h) => u8::from_str_radix(h, 16).ok().map(f64::from),
            None => t.parse().ok(),
        })
        .collect();
    if c.is_empty() {
        return true;
    }
    c.iter().sum::<f64>() / (c.len() as f64 * 255.0) < vector::LIGHT
}

/// Subpaths of abbreviated path data (`S`/`M` x y, `L` x y, `Q` …, `B` …, `A` …, `C`),
/// each point mapped to the page; curves and arcs mark their subpath curved.
fn subpaths(data: &str, at: impl Fn(f64, f64) -> (f64, f64)) -> Vec<Sub> {
    let t: Vec<&str> = data.split_whitespace().collect();
    let n = |i: usize| t.get(i).and_then(|v| v.parse::<f64>().ok());
    let mut subs: Vec<Sub> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        // (operands, curved) of each operator; the point is the last two operands.
        let (k, curved) = match t[i] {
            "S" | "M" | "L" => (2, false),
            "Q" => (4, true),
            "B" => (6, true),
            "A" => (7, true),
            "C" => {
                if let Some(s) = subs.last_mut() {
                    s.closed = true;
                }
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        if let (Some(x), Some(y)) = (n(i + k - 1), n(i + k)) {
            let p = at(x, y);
            match (t[i], subs.last_mut()) {
                ("S" | "M", _) | (_, None) => subs.push(Sub {
                    pts: vec![p],
                    ..Sub::default()
                }),
                (_, Some(s)) => {
                    s.curved |= curved;
                    s.pts.push(p);
                }
            }
        }
        i += k + 1;
    }
    subs
}

/// Positioned words (millimetres) and ruling lines (points) of one page's `Content.xml`.
fn page_words(
    xml: &str,
    page: u32,
    out: &mut Vec<Word>,
    lines: &mut Vec<Line>,
) -> Result<(), ReadError> {
    let mut r = Reader::from_str(xml);
    let (mut bx, mut by, mut size, mut obj) = (0.0, 0.0, 3.5, 0u32);
    let mut code: Option<(f64, f64)> = None;
    let mut path: Option<PathObject> = None;
    loop {
        let event = r
            .read_event()
            .map_err(|e| ReadError::Corrupt(format!("OFD 页面 XML 有误: {e}")))?;
        // Inside a PathObject: its colours and data; its end draws it.
        if let Some(p) = path.as_mut() {
            match &event {
                Event::Start(e) | Event::Empty(e) => match local(e).as_str() {
                    "StrokeColor" => p.stroke_ink = ink(e),
                    "FillColor" => p.fill_ink = ink(e),
                    "AbbreviatedData" => p.in_data = matches!(event, Event::Start(_)),
                    _ => {}
                },
                // Data beyond what the rules cap could use is not kept.
                Event::Text(t) if p.in_data && p.data.len() < vector::MAX_LINES * 16 => {
                    p.data.push_str(t.as_ref());
                    p.data.push(' ');
                }
                Event::End(e) => match local_end(e).as_str() {
                    "AbbreviatedData" => p.in_data = false,
                    "PathObject" => {
                        if lines.len() < vector::MAX_LINES {
                            p.lines(lines);
                        }
                        path = None;
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) if local(&e) == "PathObject" => path = Some(PathObject::new(&e)),
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
    let mut rules: HashMap<u32, Vec<Line>> = HashMap::new();
    for (i, loc) in pages.iter().take(MAX_PAGES).enumerate() {
        let path = resolve(&doc_dir, loc)?;
        let number = i as u32 + 1;
        let mut lines = Vec::new();
        page_words(
            &part(zip, &path, &mut budget)?,
            number,
            &mut words,
            &mut lines,
        )?;
        if !lines.is_empty() {
            rules.insert(number, lines);
        }
    }
    laid_out(words, &rules)
}

/// One page's content XML (`Content.xml`) read as a document of that page: its words,
/// its paths' rules and the tables they rule. The layer under the package, as
/// [`crate::docx::document`] is for Word.
pub fn page(xml: &str) -> Result<Document, ReadError> {
    let (mut words, mut lines) = (Vec::new(), Vec::new());
    page_words(xml, 1, &mut words, &mut lines)?;
    let mut rules = HashMap::new();
    if !lines.is_empty() {
        rules.insert(1, lines);
    }
    laid_out(words, &rules)
}

/// The document of the pages' words (millimetres) and rules: ruled pages' tables cell by
/// cell, otherwise the words laid out by their positions.
fn laid_out(words: Vec<Word>, rules: &HashMap<u32, Vec<Line>>) -> Result<Document, ReadError> {
    if words.is_empty() {
        return Err(ReadError::NoTextLayer);
    }
    if rules.is_empty() {
        // OFD lengths are millimetres.
        return Ok(positions::document(&words, 25.4 / 72.0));
    }
    Ok(ruled(words, rules))
}

/// Words (millimetres) of a document with ruled pages: in points, each page's tables from
/// its rules, laid out as a PDF's.
fn ruled(words: Vec<Word>, rules: &HashMap<u32, Vec<Line>>) -> Document {
    let mut by_page: BTreeMap<u32, Vec<Word>> = BTreeMap::new();
    for mut w in words {
        w.x0 *= PT_PER_MM;
        w.x1 *= PT_PER_MM;
        w.y0 *= PT_PER_MM;
        w.h *= PT_PER_MM;
        by_page.entry(w.page).or_default().push(w);
    }
    let found = rules
        .iter()
        .map(|(p, lines)| (*p, crate::pdf::tables_from_lines(lines)))
        .collect();
    crate::pdf::lay_out(by_page, found)
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
    fn path_objects_rule_the_table_its_words_are_read_in() {
        // A two-row table 100 × 16 mm at (20, 40): its frame one closed path, the row rule
        // and the column rule under a CTM scaling by 2 (so the pen doubles too); a white
        // rule and a curve that are no rules; a filled 0.3 mm bar is one.
        let xml = r##"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">
            <ofd:PathObject ID="5" Boundary="20 40 100 16" LineWidth="0.25"><ofd:AbbreviatedData>M 0 0 L 100 0 L 100 16 L 0 16 C</ofd:AbbreviatedData></ofd:PathObject>
            <ofd:PathObject ID="6" Boundary="20 40 100 16" CTM="2 0 0 2 0 0" LineWidth="0.125"><ofd:StrokeColor Value="0 0 0"/><ofd:AbbreviatedData>M 0 4 L 50 4 M 25 0 L 25 8</ofd:AbbreviatedData></ofd:PathObject>
            <ofd:PathObject ID="7" Boundary="0 0 210 297"><ofd:StrokeColor Value="255 255 255"/><ofd:AbbreviatedData>M 10 100 L 200 100</ofd:AbbreviatedData></ofd:PathObject>
            <ofd:PathObject ID="8" Boundary="0 0 210 297"><ofd:AbbreviatedData>M 10 120 B 20 130 30 130 40 120</ofd:AbbreviatedData></ofd:PathObject>
            <ofd:PathObject ID="9" Boundary="20 70 100 0.3" Stroke="false" Fill="true"><ofd:FillColor Value="#00 #00 #00"/><ofd:AbbreviatedData>M 0 0 L 100 0 L 100 0.3 L 0 0.3 C</ofd:AbbreviatedData></ofd:PathObject>
            <ofd:TextObject ID="2" Boundary="22 42 40 6" Font="3" Size="4"><ofd:TextCode X="0" Y="4">规章</ofd:TextCode></ofd:TextObject>
            <ofd:TextObject ID="3" Boundary="80 42 10 6" Font="3" Size="4"><ofd:TextCode X="1" Y="4">3</ofd:TextCode></ofd:TextObject>
            <ofd:TextObject ID="4" Boundary="22 50 40 6" Font="3" Size="4"><ofd:TextCode X="0" Y="4">行政许可</ofd:TextCode></ofd:TextObject>
            <ofd:TextObject ID="10" Boundary="80 50 10 6" Font="3" Size="4"><ofd:TextCode X="1" Y="4">7</ofd:TextCode></ofd:TextObject>
            </ofd:Layer></ofd:Content></ofd:Page>"##;
        let (mut words, mut lines) = (Vec::new(), Vec::new());
        page_words(xml, 1, &mut words, &mut lines).unwrap();
        let pt = |mm: f64| (mm * PT_PER_MM * 100.0).round() / 100.0;
        let got: Vec<(bool, f64, f64, f64, f64)> = lines
            .iter()
            .map(|l| {
                let r = |v: f64| (v * 100.0).round() / 100.0;
                (l.horizontal, r(l.at), r(l.from), r(l.to), r(l.width))
            })
            .collect();
        assert_eq!(
            got,
            [
                (true, pt(40.0), pt(20.0), pt(120.0), pt(0.25)),
                (false, pt(120.0), pt(40.0), pt(56.0), pt(0.25)),
                (true, pt(56.0), pt(20.0), pt(120.0), pt(0.25)),
                (false, pt(20.0), pt(40.0), pt(56.0), pt(0.25)),
                (true, pt(48.0), pt(20.0), pt(120.0), pt(0.25)),
                (false, pt(70.0), pt(40.0), pt(56.0), pt(0.25)),
                (true, pt(70.15), pt(20.0), pt(120.0), pt(0.3)),
            ]
        );
        assert_eq!(words.len(), 4);
        // Words to points, the grid from the rules: each word in its cell.
        assert_eq!(page(xml).unwrap().to_text(), "规章\t3\n行政许可\t7\n\n");
    }

    #[test]
    fn text_codes_become_words() {
        let xml = r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">
            <ofd:TextObject ID="2" Boundary="20 30 40 6" Font="3" Size="4"><ofd:TextCode X="0" Y="4">规章</ofd:TextCode></ofd:TextObject>
            <ofd:TextObject ID="4" Boundary="80 30 10 6" Font="3" Size="4"><ofd:TextCode X="1" Y="4">15</ofd:TextCode></ofd:TextObject>
            </ofd:Layer></ofd:Content></ofd:Page>"#;
        let (mut w, mut lines) = (Vec::new(), Vec::new());
        page_words(xml, 1, &mut w, &mut lines).unwrap();
        assert_eq!(lines, []);
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].x0, w[0].y0, w[0].text.as_str()), (20.0, 30.0, "规章"));
        assert_eq!((w[1].x0, w[1].text.as_str()), (81.0, "15"));
        assert_eq!(
            positions::document(&w, 25.4 / 72.0).to_text(),
            "规章\t15\n\n"
        );
    }
}
