//! Evidence points into the file as published (`evidence.<key>.place`), checked against the
//! files themselves with other tools: poppler's word boxes for a LibreOffice PDF, the
//! DOCX's own XML, the HTML's own tables, and for a scan the same report's born-digital PDF.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn variant(family: &str, file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/variants")
        .join(family)
        .join(file)
}

fn extracted(file: &Path, env: &[(&str, &str)]) -> Value {
    let (mut lines, _) = common::extract_with(&[file.to_path_buf()], env);
    lines.remove(0)
}

/// The value cells whose evidence has a place: (key, raw, place). A blank cell's raw text
/// is the `—` nianbao writes for it in its derived text.
fn placed(v: &Value) -> Vec<(String, String, Value)> {
    v["evidence"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, e)| !e["place"].is_null())
        .map(|(k, e)| {
            (
                k.clone(),
                e["raw"].as_str().unwrap().to_string(),
                e["place"].clone(),
            )
        })
        .collect()
}

fn blank_as_dash(text: &str) -> &str {
    match text.trim_matches(|c: char| c.is_whitespace()) {
        "" => "—",
        t => t,
    }
}

fn f(p: &Value, k: &str) -> f64 {
    p[k].as_f64().unwrap()
}

#[test]
fn pdf_cells_are_boxes_around_the_words_poppler_finds() {
    let file = variant("pdf", "005-txt.pdf");
    let v = extracted(&file, &[]);
    let cells = placed(&v);
    assert!(cells.len() >= 150, "{} cells placed", cells.len());
    for (key, _, p) in &cells {
        assert_eq!(p["kind"], "page", "{key}");
    }
    boxes_hold_their_words(&cells, &file);
    // The first value of table 三 is on the first page; its total on the second.
    assert_eq!(v["evidence"]["t3.received.natural"]["place"]["page"], 1);
    assert_eq!(v["evidence"]["t3.processed.total"]["place"]["page"], 2);
}

/// Each box (page, x0…y1 in points) holds the words poppler finds for its raw text in
/// `pdf` (`0万元` may be two words) — or, for a blank cell (`—`), no word at all.
fn boxes_hold_their_words(cells: &[(String, String, Value)], pdf: &Path) {
    // (page, centre x, centre y, text) of every word, in poppler's reading order.
    let words = word_centres(pdf);
    for (key, raw, p) in cells {
        let page = p["page"].as_u64().unwrap();
        let inside: String = words
            .iter()
            .filter(|(pg, x, y, _)| {
                *pg == page
                    && (f(p, "x0")..f(p, "x1")).contains(x)
                    && (f(p, "y0")..f(p, "y1")).contains(y)
            })
            .map(|w| w.3.as_str())
            .collect();
        let want = if raw == "—" { "" } else { raw.as_str() };
        assert_eq!(inside, want, "{key}: the words inside {p}");
    }
}

/// A Word file laid out by LibreOffice (`extract --docx-pages DIR`): the rendering is
/// written, every table cell keeps its place in the XML and gains its box on the
/// rendering, and poppler finds each value's word inside its box there.
#[test]
fn docx_cells_get_boxes_on_the_rendering_of_their_pages() {
    if !common::soffice() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in ["005-txt.docx", "000_ea60ae7e2efea9c4.docx"] {
        let file = variant("docx", name);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("extract")
            .arg("--docx-pages")
            .arg(dir.path())
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let pdf = dir.path().join(name.replace(".docx", ".pdf"));
        assert_eq!(v["rendering"], pdf.display().to_string());
        assert_eq!(v["values"], extracted(&file, &[])["values"], "{name}");
        let cells = placed(&v);
        assert!(cells.len() >= 150, "{name}: {} cells placed", cells.len());
        let rendered: Vec<_> = cells
            .iter()
            .map(|(k, raw, p)| {
                assert_eq!(p["kind"], "cell", "{name} {k}");
                (k.clone(), raw.clone(), p["rendered"].clone())
            })
            .collect();
        assert!(
            rendered.iter().all(|(_, _, b)| b.is_object()),
            "{name}: a cell without a box on the rendering"
        );
        boxes_hold_their_words(&rendered, &pdf);
    }
}

/// A Chromium PDF's borderless table (no rules: laid out from word positions): each
/// printed value's place is a box around the word poppler finds there, blank cells have
/// none, and the places put each value in the column it stands under.
#[test]
fn borderless_cells_are_the_boxes_of_their_words() {
    let file = variant("chrome-pdf", "006-txt.pdf");
    let v = extracted(&file, &[]);
    let words = word_centres(&file);
    let t3: Vec<_> = placed(&v)
        .into_iter()
        .filter(|(k, _, _)| k.starts_with("t3."))
        .collect();
    assert_eq!(t3.len(), 18, "{t3:?}");
    for (key, raw, p) in &t3 {
        let page = p["page"].as_u64().unwrap();
        assert!(
            words.iter().any(|(pg, x, y, t)| *pg == page
                && t == raw
                && (f(p, "x0")..f(p, "x1")).contains(x)
                && (f(p, "y0")..f(p, "y1")).contains(y)),
            "{key}: no word {raw:?} inside {p}"
        );
    }
    let ev = &v["evidence"];
    assert!(ev["t3.denied.process.commercial"]["place"].is_null());
    // `2  2` twice: the 过程性信息 refusal under 自然人, the 其他 one under 商业企业.
    assert_eq!(v["values"]["t3.denied.process.natural"], 2);
    assert_eq!(v["values"]["t3.other.other.commercial"], 2);
    let x = |k: &str| f(&ev[k]["place"], "x0");
    assert_eq!(x("t3.denied.process.natural"), x("t3.processed.natural"));
    assert_eq!(x("t3.other.other.commercial"), x("t3.processed.commercial"));
}

/// An OFD (made from a LibreOffice PDF's words, in millimetres, without its rules): each
/// value's place is its word's box converted to points — left edge, top and bottom those of
/// the PDF's word, the right edge estimated from the font size.
#[test]
fn ofd_cells_are_word_boxes_in_points() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("005.pdf");
    std::fs::copy(variant("pdf", "005-txt.pdf"), &pdf).unwrap();
    let words = pdf_words(&pdf);
    let from_pdf = extracted(&pdf, &[]);
    let ofd = extracted(&common::ofd_from_pdf(&pdf), &[]);
    let placed = placed(&ofd);
    assert_eq!(ofd["values"], from_pdf["values"]);
    // Every printed value is placed (blank cells, printed as nothing, are not).
    let printed = ofd["evidence"]
        .as_object()
        .unwrap()
        .values()
        .filter(|e| !e["raw"].as_str().unwrap().is_empty())
        .count();
    assert_eq!((placed.len(), printed), (35, 35));
    for (key, raw, p) in &placed {
        let page = p["page"].as_u64().unwrap();
        // The PDF word the value came from: same page, text, left edge and top.
        let word = words.iter().find(|w| {
            w.0 == page
                && &w.5 == raw
                && (w.1 - f(p, "x0")).abs() < 0.05
                && (w.2 - f(p, "y0")).abs() < 0.05
        });
        assert!(word.is_some(), "{key}: no word {raw:?} at {p}");
        assert!(f(p, "x1") > f(p, "x0") && f(p, "y1") > f(p, "y0"), "{key}");
    }
}

/// OFDs with table rules: every LibreOffice PDF of `variants/pdf` as an OFD holding the
/// PDF's words and the paths poppler's SVG output draws (rules as stroked lines, in grey,
/// under a transform). Every value is the gold one, as read from the PDF, and every placed
/// cell is the PDF's cell box to 1.5 pt (three pixels of the 150 dpi grid both are found on;
/// poppler's SVG rounds the rules' coordinates).
#[test]
fn ruled_ofds_read_as_their_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let family = variant("pdf", "");
    let files = common::files(&family, ".pdf");
    assert_eq!(files.len(), 25);
    let mut ofds = Vec::new();
    for pdf in &files {
        let copy = dir.path().join(pdf.file_name().unwrap());
        std::fs::copy(pdf, &copy).unwrap();
        let ofd = common::ruled_ofd_from_pdf(&copy);
        assert!(
            zip_has_paths(&ofd),
            "{}: no PathObject written",
            ofd.display()
        );
        ofds.push(ofd);
    }
    let (pdf_lines, _) = common::extract(&files);
    let (ofd_lines, code) = common::extract(&ofds);
    assert_eq!(code, 0);
    let mut cells = 0;
    for ((pdf, from_pdf), from_ofd) in files.iter().zip(&pdf_lines).zip(&ofd_lines) {
        let gold = common::gold_file(&pdf.with_extension("gold.json"));
        assert_eq!(
            common::differences(&gold, from_ofd),
            Vec::<String>::new(),
            "{}",
            pdf.display()
        );
        assert_eq!(from_ofd["values"], from_pdf["values"], "{}", pdf.display());
        let at_pdf = placed(from_pdf);
        for (key, raw, p) in placed(from_ofd) {
            let (_, _, q) = at_pdf.iter().find(|c| c.0 == key).unwrap_or_else(|| {
                panic!("{}: {key} placed in the OFD, not in the PDF", pdf.display())
            });
            assert_eq!(p["page"], q["page"], "{key}");
            assert!(
                ["x0", "y0", "x1", "y1"]
                    .iter()
                    .all(|k| (f(&p, k) - f(q, k)).abs() < 1.5),
                "{}: {key} {raw:?} at {p} in the OFD, {q} in the PDF",
                pdf.display()
            );
            cells += 1;
        }
    }
    assert!(cells > 800, "{cells} placed cells");
}

fn zip_has_paths(ofd: &Path) -> bool {
    let mut z = zip::ZipArchive::new(std::fs::File::open(ofd).unwrap()).unwrap();
    let mut s = String::new();
    use std::io::Read;
    z.by_name("Doc_0/Pages/Page_0/Content.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s.contains("<ofd:PathObject")
}

/// Every word poppler finds by its centre: (page, x, y, text), in points.
fn word_centres(file: &Path) -> Vec<(u64, f64, f64, String)> {
    pdf_words(file)
        .into_iter()
        .map(|(page, x0, y0, x1, y1, t)| (page, (x0 + x1) / 2.0, (y0 + y1) / 2.0, t))
        .collect()
}

/// Every word poppler finds: (page, x0, y0, x1, y1, text), in points.
fn pdf_words(file: &Path) -> Vec<(u64, f64, f64, f64, f64, String)> {
    let tsv = Command::new("pdftotext")
        .args(["-tsv"])
        .arg(file)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(tsv.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() >= 12 && c[0] == "5").then(|| {
                let n = |i: usize| c[i].parse::<f64>().unwrap();
                (
                    c[1].parse().unwrap(),
                    n(6),
                    n(7),
                    n(6) + n(8),
                    n(7) + n(9),
                    c[11].to_string(),
                )
            })
        })
        .collect()
}

/// Text of each `<w:tc>` by (table, row, cell), tables in document order.
fn docx_cells(file: &Path) -> Vec<((u32, u32, u32), String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let (mut out, mut t, mut r, mut c) = (Vec::new(), -1i64, -1i64, -1i64);
    let mut rest = xml.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let tag: String = rest[1..]
            .chars()
            .take_while(|c| !" >/".contains(*c))
            .collect();
        match tag.as_str() {
            "w:tbl" => (t, r) = (t + 1, -1),
            "w:tr" => (r, c) = (r + 1, -1),
            "w:tc" => {
                c += 1;
                let end = rest.find("</w:tc>").unwrap();
                let text: String = rest[..end]
                    .split("<w:t")
                    .skip(1)
                    .filter_map(|s| s.split_once('>').map(|(_, b)| b))
                    .map(|b| b.split('<').next().unwrap())
                    .collect();
                out.push(((t as u32, r as u32, c as u32), text));
            }
            _ => {}
        }
        rest = &rest[1..];
    }
    out
}

#[test]
fn docx_cells_name_the_table_row_and_cell_of_the_xml() {
    let file = variant("docx", "005-txt.docx");
    let cells = docx_cells(&file);
    let placed = placed(&extracted(&file, &[]));
    assert!(placed.len() >= 150, "{} cells placed", placed.len());
    for (key, raw, p) in &placed {
        assert_eq!(p["kind"], "cell", "{key}");
        let at = (
            p["table"].as_u64().unwrap() as u32,
            p["row"].as_u64().unwrap() as u32,
            p["cell"].as_u64().unwrap() as u32,
        );
        let text = &cells.iter().find(|(k, _)| *k == at).unwrap().1;
        assert_eq!(blank_as_dash(text), raw, "{key} at {at:?}");
    }
}

#[test]
fn html_cells_name_the_table_row_and_cell_of_the_page() {
    let file = variant("html", "005-txt.html");
    let html = std::fs::read_to_string(&file).unwrap();
    let dom = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let tables: Vec<_> = dom.select(&sel("table")).collect();
    let placed = placed(&extracted(&file, &[]));
    assert!(placed.len() >= 150, "{} cells placed", placed.len());
    for (key, raw, p) in &placed {
        assert_eq!(p["kind"], "cell", "{key}");
        let table = tables[p["table"].as_u64().unwrap() as usize];
        let row = table
            .select(&sel("tr"))
            .nth(p["row"].as_u64().unwrap() as usize)
            .unwrap();
        let cell = row
            .select(&sel("td, th"))
            .nth(p["cell"].as_u64().unwrap() as usize)
            .unwrap();
        let text: String = cell.text().collect();
        assert_eq!(blank_as_dash(&text), raw, "{key} at {p}");
    }
}

/// A scan's cell boxes lie where the same report's born-digital PDF has them: the scan is
/// that PDF rasterised, skewed up to 0.8° and straightened again.
#[test]
fn scan_cells_are_boxes_on_the_page() {
    let stem = "000_ea60ae7e2efea9c4";
    let scan = extracted(
        &variant("scan", &format!("{stem}.pdf")),
        &[("NIANBAO_OCR", "tesseract")],
    );
    let pdf = extracted(&variant("pdf", &format!("{stem}.pdf")), &[]);
    let placed = placed(&scan);
    assert!(placed.len() >= 150, "{} cells placed", placed.len());
    let mut near = 0;
    for (key, _, p) in &placed {
        let q = &pdf["evidence"][key]["place"];
        if q.is_null() {
            continue;
        }
        assert_eq!(p["page"], q["page"], "{key}");
        let centre = |p: &Value| {
            (
                (f(p, "x0") + f(p, "x1")) / 2.0,
                (f(p, "y0") + f(p, "y1")) / 2.0,
            )
        };
        let ((a, b), (c, d)) = (centre(p), centre(q));
        if (a - c).abs() < 12.0 && (b - d).abs() < 12.0 {
            near += 1;
        }
    }
    assert!(
        near * 10 >= placed.len() * 9,
        "{near} of {} near",
        placed.len()
    );
}
