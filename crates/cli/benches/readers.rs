//! Reader throughput: `cargo bench -p nianbao --bench readers`.
//!
//! HTML: generated official-layout pages read and extracted in memory (reports/s).
//! DOCX and PDF: the first pages converted once by LibreOffice headless (untimed), then read
//! and extracted (reports/s; pages/s for PDF with each word reader alone — hayro, PDFium,
//! poppler's pdftotext per file — and the grid from the vector rules, or from pdftoppm's
//! rendering for comparison), beside pdfplumber reading the tables of the same files; then the
//! same for the shared corpus's LibreOffice and Chromium PDFs (`../shared/corpus/variants`).
//! Scans: the first of those PDFs rasterised by `pdftoppm` at 200 dpi in grey and wrapped as
//! image-only PDFs (untimed), then read by OCR (seconds per page), beside Tesseract reading
//! the same page images whole (`tesseract page.png - -l chi_sim`), both with one thread.
//! `NIANBAO_BENCH_HTML` (default 3000), `NIANBAO_BENCH_OFFICE` (default 60) and
//! `NIANBAO_BENCH_SCANS` (default 4) set the sizes.

use nianbao_model::Template;
use nianbao_synth::{html_page, report, rng, HtmlStyle};
use std::process::Command;
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn extract_all(files: &[Vec<u8>]) -> f64 {
    let start = Instant::now();
    for bytes in files {
        let src = nianbao_read::read_bytes(bytes).expect("readable");
        let r = nianbao_extract::extract(&src.text);
        assert!(!r.tables.is_empty());
    }
    start.elapsed().as_secs_f64()
}

fn page_count(f: &std::path::Path) -> usize {
    let info = Command::new("pdfinfo").arg(f).output().unwrap();
    String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").and_then(|p| p.trim().parse().ok()))
        .unwrap_or(0)
}

/// Born-digital PDFs read and extracted with the grid from vector rules (the default) and
/// from pages rendered by pdftoppm, beside pdfplumber merely reading the tables of the same
/// files (scripts/pdfplumber-tables.py, when pdfplumber is installed).
fn pdf_rules(what: &str, files: &[std::path::PathBuf], bytes: &[Vec<u8>], pages: usize) {
    let mut ours = f64::NAN;
    let pdfium = nianbao_read::glyphs::installed();
    for (text, rules) in [
        ("hayro", "vector"),
        ("pdfium", "vector"),
        ("poppler", "vector"),
        ("poppler", "raster"),
    ] {
        if text == "pdfium" && !pdfium {
            println!("pdf ({what}): words by PDFium skipped (scripts/fetch-pdfium)");
            continue;
        }
        // Single-threaded bench: nothing else reads the environment meanwhile.
        std::env::set_var("NIANBAO_PDF_RULES", rules);
        std::env::set_var("NIANBAO_PDF_TEXT", text);
        let secs = extract_all(bytes);
        if ours.is_nan() {
            ours = secs;
        }
        println!(
            "pdf ({what}, {pages} pages), words by {text}, rules from {rules}: {:.1} pages/s ({:.1} reports/s)",
            pages as f64 / secs,
            files.len() as f64 / secs
        );
    }
    std::env::remove_var("NIANBAO_PDF_RULES");
    std::env::remove_var("NIANBAO_PDF_TEXT");
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pdfplumber-tables.py");
    match Command::new("python3").arg(script).args(files).output() {
        Ok(out) if out.status.success() => {
            let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let secs: f64 = line
                .rsplit(", ")
                .next()
                .and_then(|s| s.trim_end_matches(" s").parse().ok())
                .unwrap_or(f64::NAN);
            println!(
                "  peer {line}: {:.1} pages/s; nianbao's whole extraction {:.1}x faster",
                pages as f64 / secs,
                secs / ours
            );
        }
        _ => println!("  peer pdfplumber: skipped (pip install pdfplumber)"),
    }
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    println!("machine: {cpu}, {cores} cores; single-threaded");
    let mut r = rng(7);
    let n = env("NIANBAO_BENCH_HTML", 3000);
    let pages: Vec<String> = (0..n)
        .map(|i| {
            html_page(
                &report(&mut r, Template::ALL[i % 3]),
                &HtmlStyle::random(&mut r),
            )
        })
        .collect();
    // Pages that declare gb2312 are GBK-encoded, as such sites serve them.
    let bytes: Vec<Vec<u8>> = pages
        .iter()
        .map(|p| {
            if p.contains("charset=gb2312") {
                encoding_rs::GBK.encode(p).0.into_owned()
            } else {
                p.clone().into_bytes()
            }
        })
        .collect();
    let mb = bytes.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let secs = extract_all(&bytes);
    println!(
        "html:  {n} pages ({mb:.1} MB): {:.0} reports/s",
        n as f64 / secs
    );

    let office = env("NIANBAO_BENCH_OFFICE", 60).min(n);
    if Command::new("soffice").arg("--version").output().is_err() {
        println!("docx/pdf: skipped (LibreOffice not installed)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html: Vec<_> = (0..office)
        .map(|i| {
            let p = dir.path().join(format!("p{i:04}.html"));
            std::fs::write(&p, pages[i].replace("gb2312", "utf-8")).unwrap();
            p
        })
        .collect();
    let convert = |files: &[std::path::PathBuf], to: &str, ext: &str| -> Vec<std::path::PathBuf> {
        let ok = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}/lo",
                dir.path().display()
            ))
            .args(["--headless", "--convert-to", to, "--outdir"])
            .arg(dir.path())
            .args(files)
            .output()
            .unwrap();
        assert!(ok.status.success());
        files.iter().map(|f| f.with_extension(ext)).collect()
    };
    let docx = convert(&html, "docx:MS Word 2007 XML", "docx");
    let docx_bytes: Vec<Vec<u8>> = docx.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let secs = extract_all(&docx_bytes);
    println!(
        "docx:  {office} files: {:.0} reports/s",
        office as f64 / secs
    );
    let pdf = convert(&docx, "pdf", "pdf");
    let pdf_bytes: Vec<Vec<u8>> = pdf.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let pages: usize = pdf.iter().map(|f| page_count(f)).sum();
    pdf_rules(
        &format!("{office} LibreOffice files"),
        &pdf,
        &pdf_bytes,
        pages,
    );
    // The shared corpus's PDFs, made by LibreOffice and by Chromium (borderless tables).
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/variants");
    for family in ["pdf", "chrome-pdf"] {
        let Ok(entries) = std::fs::read_dir(shared.join(family)) else {
            continue;
        };
        let mut files: Vec<std::path::PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
            .collect();
        files.sort();
        let bytes: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        let pages = files.iter().map(|f| page_count(f)).sum();
        pdf_rules(
            &format!("variants/{family}, {} files", files.len()),
            &files,
            &bytes,
            pages,
        );
    }

    let scans = env("NIANBAO_BENCH_SCANS", 4).min(office);
    if Command::new("tesseract").arg("--version").output().is_err() {
        println!("ocr: skipped (Tesseract not installed)");
        return;
    }
    let mut scan_pages = 0;
    let mut page_images: Vec<std::path::PathBuf> = Vec::new();
    let scan_bytes: Vec<Vec<u8>> = pdf[..scans]
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let prefix = dir.path().join(format!("s{i:03}"));
            let ok = Command::new("pdftoppm")
                .args(["-r", "200", "-gray", "-png"])
                .arg(f)
                .arg(&prefix)
                .status()
                .unwrap();
            assert!(ok.success());
            let mut pngs: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(&format!("s{i:03}-")))
                })
                .collect();
            pngs.sort();
            scan_pages += pngs.len();
            page_images.extend(pngs.iter().cloned());
            let images: Vec<Vec<u8>> = pngs.iter().map(|p| std::fs::read(p).unwrap()).collect();
            nianbao_synth::image_pdf(&images, 200.0).unwrap()
        })
        .collect();
    // The yardstick: Tesseract reading each whole page image by itself, one thread.
    let start = Instant::now();
    for png in &page_images {
        let out = Command::new("tesseract")
            .arg(png)
            .args(["-", "-l", "chi_sim"])
            .env("OMP_THREAD_LIMIT", "1")
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let whole = start.elapsed().as_secs_f64() / scan_pages as f64;
    println!("ocr whole-page tesseract -l chi_sim (one thread, same pages): {whole:.2} s/page");
    // nianbao's Tesseract runs get one thread too: the comparison is per core.
    std::env::set_var("OMP_THREAD_LIMIT", "1");
    // Each cell engine in turn (text outside tables is Tesseract's with any).
    for engine in ["tesseract", "ppocr", "both"] {
        if engine != "tesseract" && !nianbao_read::ppocr::installed() {
            println!("ocr {engine}: skipped (run scripts/fetch-ppocr)");
            continue;
        }
        std::env::set_var("NIANBAO_OCR", engine);
        let secs = extract_all(&scan_bytes);
        let per_page = secs / scan_pages as f64;
        println!(
            "ocr {engine}: {scans} scans (200 dpi grey), {scan_pages} pages: {per_page:.2} s/page (read \
             and extracted one file at a time), {:.2}x whole-page Tesseract's speed",
            whole / per_page
        );
    }
}
