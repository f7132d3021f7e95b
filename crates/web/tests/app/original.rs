//! The file as published, from the web: a PDF, Word file or scan is kept when stored, can be
//! downloaded as it was, and a PDF's page is drawn with the clicked cell's box on it — the
//! box lies on the printed value.

use crate::common::{start, Http, PASSWORD};
use serde_json::Value;
use std::path::Path;

fn variant(family: &str, file: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/variants")
            .join(family)
            .join(file),
    )
    .unwrap()
}

#[test]
fn originals_download_and_pages_show_the_cells_box() {
    let server = start(20);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let pdf = variant("pdf", "005-txt.pdf");
    let docx = variant("docx", "006-txt.docx");
    let txt = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds/000_ea60ae7e2efea9c4.txt"),
    )
    .unwrap();
    let files: Vec<(&str, &[u8])> = vec![("报告.pdf", &pdf), ("b.docx", &docx), ("c.txt", &txt)];
    let (status, body) = h.upload("/api/upload", &csrf, &files, true);
    assert_eq!(status, 200, "{body}");
    let (_, list) = h.get("/api/reports");
    let list: Value = serde_json::from_str(&list).unwrap();
    let id_of = |file: &str| -> i64 {
        let mut h = Http::new(&server);
        assert_eq!(h.login("viewer", PASSWORD), 303);
        list["reports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .find(|id| {
                let (_, r) = h.get(&format!("/api/reports/{id}"));
                serde_json::from_str::<Value>(&r).unwrap()["file"] == file
            })
            .unwrap()
    };
    let (pdf_id, docx_id, txt_id) = (id_of("报告.pdf"), id_of("b.docx"), id_of("c.txt"));

    // Downloads give back the bytes as uploaded.
    let (status, kind, disposition, got) = h.get_bytes(&format!("/reports/{pdf_id}/original"));
    assert_eq!(status, 200);
    assert_eq!(kind, "application/pdf");
    assert!(
        disposition.contains("filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"),
        "{disposition}"
    );
    assert_eq!(got, pdf);
    let (_, _, _, got) = h.get_bytes(&format!("/reports/{docx_id}/original"));
    assert_eq!(got, docx);
    // Plain text is its own source: nothing kept, no link.
    assert_eq!(h.get_bytes(&format!("/reports/{txt_id}/original")).0, 404);
    let (_, page) = h.get(&format!("/reports/{txt_id}"));
    assert!(!page.contains("id=\"original\""));
    let (_, page) = h.get(&format!("/reports/{docx_id}"));
    assert!(page.contains("id=\"page-view\"") && page.contains("data-rendering=\"1\""));
    let (_, page) = h.get(&format!("/reports/{pdf_id}"));
    assert!(page.contains("id=\"page-view\"") && page.contains("data-dpi=\"100\""));

    // The page image, and a value's box on it: ink inside the box, paper around it.
    let (_, report) = h.get(&format!("/api/reports/{pdf_id}"));
    let report: Value = serde_json::from_str(&report).unwrap();
    ink_in_boxes(&mut h, pdf_id, &report, |e| e["place"].clone());
    assert_eq!(h.get_bytes(&format!("/reports/{pdf_id}/pages/99")).0, 404);
    assert_eq!(h.get_bytes(&format!("/reports/{pdf_id}/rendering")).0, 404);

    // A Word file's pages as LibreOffice lays them out: the boxes of its cells there.
    if crate::common::soffice() {
        let (status, boxes) = h.get(&format!("/reports/{docx_id}/rendering"));
        assert_eq!(status, 200, "{boxes}");
        let boxes: Value = serde_json::from_str(&boxes).unwrap();
        assert!(boxes.as_object().unwrap().len() >= 150, "{boxes}");
        let (_, report) = h.get(&format!("/api/reports/{docx_id}"));
        let report: Value = serde_json::from_str(&report).unwrap();
        assert_eq!(
            report["evidence"]["t3.received.total"]["place"]["rendered"],
            boxes["t3.received.total"]
        );
        ink_in_boxes(&mut h, docx_id, &report, |e| e["place"]["rendered"].clone());
        assert_eq!(h.get_bytes(&format!("/reports/{docx_id}/pages/99")).0, 404);
    }
}

/// For value cells of tables 二–四 whose box `place_of` gives: the page image is drawn and
/// holds ink inside the box.
fn ink_in_boxes(h: &mut Http, id: i64, report: &Value, place_of: impl Fn(&Value) -> Value) {
    let mut checked = 0;
    for key in [
        "t3.received.total",
        "t3.processed.natural",
        "t4.review.total",
        "t2.regulation.issued",
        "t2.normative.in_force",
    ] {
        let e = &report["evidence"][key];
        let place = place_of(e);
        if place["page"].is_null() || e["raw"] == "" || e["raw"] == "—" {
            continue;
        }
        let n = place["page"].as_u64().unwrap();
        let (status, kind, _, png) = h.get_bytes(&format!("/reports/{id}/pages/{n}"));
        assert_eq!((status, kind.as_str()), (200, "image/png"));
        let img = image::load_from_memory(&png).unwrap().to_luma8();
        let k = 100.0 / 72.0;
        let px = |name: &str| (place[name].as_f64().unwrap() * k) as u32;
        // Inside the cell's rules (3 px in), so only the printed value can be ink there.
        let (x0, y0, x1, y1) = (px("x0") + 3, px("y0") + 3, px("x1") - 3, px("y1") - 3);
        assert!(
            x1 <= img.width() && y1 <= img.height(),
            "{key}: box outside the page"
        );
        let darkest = (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .map(|(x, y)| img.get_pixel(x, y)[0])
            .min()
            .unwrap();
        assert!(darkest < 100, "{key}: no ink in its box on page {n}");
        checked += 1;
    }
    assert!(checked >= 3, "report {id}: {checked} boxes checked");
}

/// A web page is kept too (it downloads, never shown from the site): its tables as
/// published are served for the report page to mark the clicked cell in, and each value's
/// place names the cell holding its raw text there.
#[test]
fn web_pages_are_kept_and_their_tables_served() {
    let server = start(21);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let html = variant("html", "004-txt.html");
    let (status, body) = h.upload("/api/upload", &csrf, &[("网页.html", &html)], true);
    assert_eq!(status, 200, "{body}");
    let (_, list) = h.get("/api/reports");
    let list: Value = serde_json::from_str(&list).unwrap();
    let id = list["reports"][0]["id"].as_i64().unwrap();
    let (status, kind, _, got) = h.get_bytes(&format!("/reports/{id}/original"));
    assert_eq!((status, kind.as_str()), (200, "application/octet-stream"));
    assert_eq!(got, html);
    let (_, page) = h.get(&format!("/reports/{id}"));
    assert!(page.contains("id=\"doc-table\"") && !page.contains("id=\"page-view\""));
    assert_eq!(h.get_bytes(&format!("/reports/{id}/pages/1")).0, 404);
    let (_, report) = h.get(&format!("/api/reports/{id}"));
    let report: Value = serde_json::from_str(&report).unwrap();
    let mut checked = 0;
    for (key, e) in report["evidence"].as_object().unwrap() {
        let p = &e["place"];
        if p["kind"] != "cell" {
            continue;
        }
        let (status, rows) = h.get(&format!("/reports/{id}/tables/{}", p["table"]));
        assert_eq!(status, 200, "{rows}");
        let rows: Value = serde_json::from_str(&rows).unwrap();
        let cell = &rows[p["row"].as_u64().unwrap() as usize][p["cell"].as_u64().unwrap() as usize];
        let text = cell["text"].as_str().unwrap();
        let want = if text.is_empty() { "—" } else { text };
        assert_eq!(e["raw"].as_str().unwrap(), want, "{key} at {p}");
        checked += 1;
    }
    assert!(checked >= 150, "{checked} cells checked");
    assert_eq!(h.get_bytes(&format!("/reports/{id}/tables/99")).0, 404);
}
