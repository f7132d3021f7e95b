//! Word documents made by a real office suite: every seed and random reports written as
//! official-layout HTML pages, converted to DOCX by LibreOffice headless, read back by
//! `nianbao extract` to exactly the same values; the DOCX also exported to PDF by
//! LibreOffice and read through the PDF reader. LibreOffice and poppler-utils are installed
//! by `.ci/run`; outside CI the test skips itself when they are missing.

mod common;

use common::{available, differences, extract, gold_file, ofd_from_pdf, soffice};
use nianbao_model::{Report, Template};
use nianbao_synth::{html_page, report, rng, HtmlStyle};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn pdftotext() -> bool {
    available(
        Command::new("pdftotext").arg("-v").output().is_ok(),
        "pdftotext (poppler-utils)",
    )
}

/// Converts HTML pages to `format` in one LibreOffice run; returns the new files.
pub fn convert(pages: &[PathBuf], format: &str, out: &Path) -> Vec<PathBuf> {
    let profile = out.join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(out)
        .args(pages)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let ext = format.split(':').next().unwrap();
    pages
        .iter()
        .map(|p| out.join(p.with_extension(ext).file_name().unwrap()))
        .collect()
}

#[test]
fn seeds_and_random_reports_through_libreoffice_docx() {
    if !soffice() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds");
    let golds = common::files(&seeds, ".gold.json");
    let mut reports: Vec<Report> = golds.iter().map(|g| gold_file(g)).collect();
    let mut r = rng(2026);
    for i in 0..12 {
        reports.push(report(&mut r, Template::ALL[i % 3]));
    }
    let pages: Vec<PathBuf> = reports
        .iter()
        .enumerate()
        .map(|(i, rep)| {
            let style = if i < 5 {
                HtmlStyle::default()
            } else {
                HtmlStyle {
                    gbk: false,
                    ..HtmlStyle::random(&mut r)
                }
            };
            let path = dir.path().join(format!("r{i:02}.html"));
            std::fs::write(&path, html_page(rep, &style)).unwrap();
            path
        })
        .collect();
    let docx = convert(&pages, "docx:MS Word 2007 XML", dir.path());
    assert_same(&reports, &docx, "docx");
    // Word 97 .doc of the seeds, and one saved under a .wps name: read by content.
    let doc = convert(&pages[..5], "doc:MS Word 97", dir.path());
    let wps = dir.path().join("r00.wps");
    std::fs::copy(&doc[0], &wps).unwrap();
    let mut legacy = doc.clone();
    legacy.push(wps);
    let mut want: Vec<Report> = reports[..5].to_vec();
    want.push(reports[0].clone());
    assert_same(&want, &legacy, "doc");
    // PDF exported from the Word documents, as offices publish them (needs pdftotext).
    if pdftotext() {
        let pdf = convert(&docx, "pdf", &dir.path().join("pdf"));
        assert_same(&reports, &pdf, "pdf");
        bad_pdfs(&pdf[0], dir.path());
        if tesseract() {
            scanned_seed(&pdf[1], &reports[1], dir.path());
        }
        // OFD packages written to GB/T 33190 from the same page layouts.
        let ofd: Vec<PathBuf> = pdf.iter().map(|p| ofd_from_pdf(p)).collect();
        assert_same(&reports, &ofd, "ofd");
    }
}

/// Scans whose agency names are misread by a character join the agencies they belong to:
/// a place one character off the division table (`南召县城美镇` for `南召县城关镇`) is
/// spelled as the table spells it; a department one character off an agency already in the
/// store (`南召县交通运榆局`) is taken for it. Each says so in a finding.
#[test]
fn scans_with_misread_agency_names_join_their_agencies() {
    if !soffice() || !pdftotext() || !tesseract() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds");
    let text = seeds.join("003_c6fe95c377c36cea.txt");
    let town = gold_file(&seeds.join("003_c6fe95c377c36cea.gold.json"));
    assert_eq!(town.agency.as_deref(), Some("南召县城关镇人民政府"));
    let named = |name: &str| Report {
        agency: Some(name.into()),
        ..town.clone()
    };
    let page = |file: &str, r: &Report| {
        let path = dir.join(file);
        std::fs::write(&path, html_page(r, &HtmlStyle::default())).unwrap();
        path
    };
    // The department's report as published on its site, and the two pages as misprinted
    // (standing in for what OCR misreads): the readers see the same text either way.
    let published = page("dept.html", &named("南召县交通运输局"));
    let pages = [
        page("town-scan.html", &named("南召县城美镇人民政府")),
        page("dept-scan.html", &named("南召县交通运榆局")),
    ];
    let docx = convert(&pages, "docx:MS Word 2007 XML", dir);
    let pdf = convert(&docx, "pdf", &dir.join("pdf"));
    // Their first pages as image-only PDFs: the title and part 一.
    let scans: Vec<PathBuf> = pdf
        .iter()
        .map(|pdf| {
            let png = pdf.with_extension("");
            assert!(Command::new("pdftoppm")
                .args([
                    "-r",
                    "200",
                    "-gray",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-png",
                    "-singlefile"
                ])
                .arg(pdf)
                .arg(&png)
                .status()
                .unwrap()
                .success());
            let image = std::fs::read(png.with_extension("png")).unwrap();
            let scan = dir.join(pdf.file_name().unwrap());
            std::fs::write(&scan, nianbao_synth::image_pdf(&[image], 200.0).unwrap()).unwrap();
            scan
        })
        .collect();

    // Without a store, the division table alone corrects the town.
    let (lines, _) = extract(&scans);
    assert_eq!(lines[0]["format"], "pdf-ocr", "{}", lines[0]);
    assert_eq!(lines[0]["agency"], "南召县城关镇人民政府", "{}", lines[0]);
    let said = |line: &Value, rule: &str| -> Vec<String> {
        line["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["message_zh"].as_str().unwrap().to_string())
            .collect()
    };
    let respelled = said(&lines[0], "extract.agency_respelled");
    assert_eq!(respelled.len(), 1, "{}", lines[0]);
    assert!(
        respelled[0].contains("“城美镇”") && respelled[0].contains("“城关镇”"),
        "{respelled:?}"
    );
    // The department's name is left as read (Tesseract 5 reads `南台县交通运榆局`: 南台县
    // is no county but one character off a dozen, and the text names none of them).
    let dept = lines[1]["agency"].as_str().unwrap();
    assert!(dept.ends_with("交通运榆局"), "{}", lines[1]);

    // In a store holding both agencies' published reports, the scans join them.
    let db = dir.join("c.db").display().to_string();
    let bin = env!("CARGO_BIN_EXE_nianbao");
    for file in [&text, &published, &scans[0], &scans[1]] {
        let out = Command::new(bin)
            .args(["ingest", "--db", &db])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = Command::new(bin)
        .args(["agencies", "--db", &db])
        .output()
        .unwrap();
    let agencies = String::from_utf8(out.stdout).unwrap();
    assert_eq!(agencies.lines().count(), 3, "two agencies: {agencies}");
    assert!(!agencies.contains("城美镇"), "{agencies}");
    assert!(agencies.contains("南召县交通运输局"), "{agencies}");
    // Each scan is its agency's version 2, with the finding that says how it got there.
    let mut store = nianbao_corpus::Store::open(&db).unwrap();
    let rows = store
        .conn()
        .query(
            "SELECT r.version, f.rule, f.message_zh FROM findings f JOIN reports r ON r.id = f.report_id \
             WHERE f.rule LIKE 'extract.agency%' ORDER BY r.id",
            &[],
        )
        .unwrap();
    let found: Vec<(i64, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.int(0).unwrap(),
                r.str(1).to_string(),
                r.str(2).to_string(),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].0, found[0].1.as_str()),
        (2, "extract.agency_respelled")
    );
    assert_eq!(
        (found[1].0, found[1].1.as_str()),
        (2, "extract.agency_matched")
    );
    assert!(
        found[1].2.contains("与已有机构“南召县交通运输局”只差"),
        "{found:?}"
    );
}

/// Truncated, garbled and image-only PDFs: a JSON line each, the batch goes on.
fn bad_pdfs(good: &Path, dir: &Path) {
    let bytes = std::fs::read(good).unwrap();
    let truncated = dir.join("truncated.pdf");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let garbage = dir.join("garbage.pdf");
    std::fs::write(&garbage, b"%PDF-1.7\n\x00\x01\x02 not a pdf at all").unwrap();
    // A scan: page 1 as an image, wrapped in a PDF without a text layer.
    let png = dir.join("scan");
    assert!(Command::new("pdftoppm")
        .args(["-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile"])
        .arg(good)
        .arg(&png)
        .status()
        .unwrap()
        .success());
    let page = dir.join("scan.html");
    std::fs::write(
        &page,
        format!(
            "<html><body><img src=\"file://{}\" width=\"500\"></body></html>",
            png.with_extension("png").display()
        ),
    )
    .unwrap();
    let scan = convert(&[page], "pdf", &dir.join("scan"));
    let (lines, code) = extract(&[truncated, garbage, scan[0].clone(), good.to_path_buf()]);
    assert_eq!(lines.len(), 4);
    assert!(lines[0]["error"].is_string() || lines[0]["values"].is_object());
    assert!(
        lines[1]["error"].as_str().unwrap().contains("PDF"),
        "{}",
        lines[1]
    );
    // A page that is a picture without text: OCR finds none (or, without Tesseract, says
    // how to install it).
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .contains("no text recognised")
            || lines[2]["error"].as_str().unwrap().contains("tesseract"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3]["format"], "pdf");
    assert_eq!(code, 2);
}

fn tesseract() -> bool {
    let langs = Command::new("tesseract").arg("--list-langs").output();
    let found = langs.is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l == "chi_sim")
    });
    available(found, "tesseract with chi_sim")
}

/// Seed 001 as a scan: its PDF rasterised at 300 dpi in grey by pdftoppm, the page images
/// wrapped in a PDF with no text layer, read back by OCR to at least 99 % of the cells.
fn scanned_seed(pdf: &Path, want: &Report, dir: &Path) {
    let pages = dir.join("scan-pages");
    std::fs::create_dir_all(&pages).unwrap();
    let ok = Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-png"])
        .arg(pdf)
        .arg(pages.join("p"))
        .status()
        .unwrap();
    assert!(ok.success());
    let mut images: Vec<PathBuf> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    images.sort();
    let bytes: Vec<Vec<u8>> = images.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let scan = dir.join("scan-001.pdf");
    std::fs::write(&scan, nianbao_synth::image_pdf(&bytes, 300.0).unwrap()).unwrap();
    let text = Command::new("pdftotext")
        .arg(&scan)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout).trim().is_empty(),
        "the scan has no text layer"
    );

    let (mut lines, _) = extract(&[scan]);
    let got = lines.remove(0);
    assert_eq!(got["format"], "pdf-ocr", "{got}");
    let cells = nianbao_model::keys_for(want.template).len();
    let d = differences(want, &got);
    eprintln!(
        "scanned seed 001: {} of {cells} cells right, differences {d:?}",
        cells - d.iter().filter(|x| x.contains(':')).count()
    );
    assert!(
        d.len() * 100 <= cells,
        "OCR must get at least 99 % of {cells} cells: {d:?}"
    );
    // Every value read from the scan carries Tesseract's confidence in its cell: below
    // 1 (text layers give 1), above chance, and not one constant for all cells.
    let ev = got["evidence"].as_object().unwrap();
    assert!(!ev.is_empty());
    let conf: Vec<f64> = ev
        .values()
        .map(|e| e["confidence"].as_f64().unwrap())
        .collect();
    assert!(
        conf.iter().all(|c| *c > 0.3 && *c < 1.0),
        "OCR confidence {conf:?}"
    );
    let (lo, hi) = conf
        .iter()
        .fold((1.0f64, 0.0f64), |(lo, hi), c| (lo.min(*c), hi.max(*c)));
    assert!(
        hi - lo > 0.01,
        "confidence per cell, not a constant: {lo}..{hi}"
    );
}

fn assert_same(reports: &[Report], files: &[PathBuf], format: &str) {
    let (lines, _) = extract(files);
    assert_eq!(lines.len(), reports.len());
    for (want, got) in reports.iter().zip(&lines) {
        assert_eq!(got["format"], format, "{got}");
        let d = differences(want, got);
        assert!(d.is_empty(), "{}: {d:?}", got["file"]);
    }
}

#[test]
fn legacy_word_without_libreoffice_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("report.doc");
    let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    bytes.extend(vec![0u8; 1024]);
    std::fs::write(&doc, bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("extract")
        .arg(&doc)
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("apt-get install libreoffice-writer-nogui"),
        "{v}"
    );
    assert_eq!(out.status.code(), Some(2));
}

/// The page of [`common::columns_of_its_own`] (table 三 with 总计 first and a 备注 column)
/// saved by LibreOffice as Word: the Word table's cells map their columns by the header
/// cells too. (Its PDF is no test: LibreOffice lets this page's table run off the page.)
#[test]
fn table_columns_of_its_own_through_libreoffice_word() {
    if !soffice() {
        return;
    }
    let (page, want) = common::columns_of_its_own();
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("columns.html");
    std::fs::write(&html, page).unwrap();
    let docx = convert(&[html], "docx:MS Word 2007 XML", dir.path());
    let (out, status) = extract(&docx);
    assert_eq!((status, &out[0]["format"]), (0, &serde_json::json!("docx")));
    let d = differences(&want, &out[0]);
    assert!(d.is_empty(), "{d:#?}");
}
