//! Uploads say what became of every file (`/api/upload` read by the background reader, as a
//! job): a scanned report as an image is read through the
//! OCR table path (it was dropped without a word), a file of another kind gets the reader's
//! reason, and archive members that are no reports are listed as skipped.

use crate::common::{broken_report, start, Http, PASSWORD};
use std::path::Path;
use std::process::Command;

/// The first shared scan as a multi-page TIFF (pdftoppm's pages saved by Pillow).
fn scan_tiff(dir: &Path) -> Option<Vec<u8>> {
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/variants/scan/000_ea60ae7e2efea9c4.pdf");
    let ok = Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-png"])
        .arg(&pdf)
        .arg(dir.join("page"))
        .status()
        .unwrap();
    assert!(ok.success());
    let pillow = Command::new("python3")
        .args(["-c", "import PIL"])
        .status()
        .is_ok_and(|s| s.success());
    if !crate::common::available(pillow, "python3 with Pillow") {
        return None;
    }
    let out = dir.join("scan.tif");
    let script = "import sys, glob; from PIL import Image; \
                  p = [Image.open(f) for f in sorted(glob.glob(sys.argv[1] + '/page-*.png'))]; \
                  p[0].save(sys.argv[2], save_all=True, append_images=p[1:], compression='tiff_lzw')";
    let ok = Command::new("python3")
        .args(["-c", script])
        .arg(dir)
        .arg(&out)
        .status()
        .unwrap();
    assert!(ok.success());
    Some(std::fs::read(out).unwrap())
}

#[test]
fn every_uploaded_file_gets_an_answer() {
    let server = start(50);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let work = tempfile::tempdir().unwrap();
    let Some(tiff) = scan_tiff(work.path()) else {
        return;
    };
    let (path, _, _) = broken_report(server.dir.path());
    let good = std::fs::read(&path).unwrap();
    let zip_bytes = crate::common::zip_of(&[
        ("style.css", b"body { color: red }"),
        ("report.html", &good),
    ]);
    let files: Vec<(&str, &[u8])> = vec![
        ("扫描件.tif", &tiff),
        ("统计.xls", b"\xD0\xCF\x11\xE0 not really a workbook"),
        ("bundle.zip", &zip_bytes),
    ];
    let (status, body) = h.upload("/api/upload", &csrf, &files, true);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let results = v["files"].as_array().unwrap();
    let outcome = |name: &str| {
        results
            .iter()
            .find(|r| r["file"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no answer for {name}: {body}"))
            .clone()
    };
    assert_eq!(outcome("扫描件.tif")["ok"], true, "{body}");
    let xls = outcome("统计.xls");
    assert_eq!(xls["ok"], false);
    assert!(!xls["message"].as_str().unwrap().is_empty(), "{body}");
    let css = outcome("bundle.zip!/style.css");
    assert_eq!(css["ok"], false);
    assert!(
        css["message"].as_str().unwrap().contains("已跳过"),
        "{body}"
    );
    assert_eq!(outcome("bundle.zip!/report.html")["ok"], true);
    assert_eq!(results.len(), 4, "{body}");
    // Read by the background reader, as a job anyone can look at again.
    let job = v["job"].as_i64().expect("the upload's job");
    let (status, again) = h.get(&format!("/api/jobs/{job}"));
    assert_eq!(status, 200);
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["done"], true);
    assert_eq!(again["user"], "reviewer");
    assert_eq!(
        again["files"].as_array().unwrap().len(),
        5,
        "the archive and its two members, the image, the workbook: {again}"
    );

    // The scan is stored as read by OCR, its agency and tables found.
    let (_, list) = h.get("/api/reports?q=%E5%8C%97%E5%86%B7");
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["reports"][0]["agency"], "北冷乡");
    let (_, one) = h.get(&format!("/api/reports/{}", list["reports"][0]["id"]));
    let one: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(
        one["file"], "扫描件.tif",
        "the name, not where the server keeps it"
    );
    assert_eq!(
        one["tables"],
        serde_json::json!(["二", "三", "四"]),
        "{}",
        one["tables"]
    );

    // An image has its pages shown like a scanned PDF's: the page, the cell as OCR read it.
    let id = list["reports"][0]["id"].as_i64().unwrap();
    let (_, page) = h.get(&format!("/reports/{id}"));
    assert!(
        page.contains("data-scan=\"1\""),
        "no page view for an image"
    );
    let (status, kind, _, png) = h.get_bytes(&format!("/reports/{id}/pages/1"));
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    let img = image::load_from_memory(&png).unwrap();
    assert!(
        img.width() > 500 && img.height() > img.width(),
        "{}x{}",
        img.width(),
        img.height()
    );
    assert_eq!(h.get_bytes(&format!("/reports/{id}/pages/9")).0, 404);
    let place = one["evidence"]["t3.received.natural"]["place"].clone();
    let (x0, y0, x1, y1) = (&place["x0"], &place["y0"], &place["x1"], &place["y1"]);
    let (status, kind, _, _) = h.get_bytes(&format!(
        "/reports/{id}/pages/{}/cell?x0={x0}&y0={y0}&x1={x1}&y1={y1}",
        place["page"]
    ));
    assert_eq!((status, kind.as_str()), (200, "image/png"), "{place}");
}

/// One user may upload so much in 24 hours (administrators aside): past it an upload is
/// refused with the figures, nothing of it kept, and other users still upload.
#[test]
fn a_users_uploads_are_bounded_per_day() {
    let server = start(5);
    *server.state.upload_quota.lock().unwrap() = 3000;
    let file = |n: usize| (format!("r{n}.txt"), vec![b'x'; 1200]);
    let mut rev = Http::new(&server);
    assert_eq!(rev.login("reviewer", PASSWORD), 303);
    let csrf = rev.csrf();
    for n in 0..2 {
        let (name, bytes) = file(n);
        let (status, body) = rev.upload("/api/jobs", &csrf, &[(&name, &bytes)], true);
        assert_eq!(status, 202, "{body}");
    }
    let (name, bytes) = file(2);
    let (status, body) = rev.upload("/api/jobs", &csrf, &[(&name, &bytes)], true);
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("超过每人 1 MB 的上限，未接收"), "{body}");
    let spool = nianbao_web::default_spool(&server.db);
    let jobs = std::fs::read_dir(&spool).unwrap().count();
    assert_eq!(jobs, 2, "the refused upload left nothing in the spool");
    // An administrator is not held by a quota.
    let mut admin = Http::new(&server);
    assert_eq!(admin.login("admin", PASSWORD), 303);
    let csrf = admin.csrf();
    for n in 3..6 {
        let (name, bytes) = file(n);
        assert_eq!(
            admin.upload("/api/jobs", &csrf, &[(&name, &bytes)], true).0,
            202
        );
    }
}
