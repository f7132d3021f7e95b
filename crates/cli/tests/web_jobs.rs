//! Uploads are read in the background: the request answers at once with a job whose files
//! go queued → reading → stored/failed, with a link to each stored report; a job the server
//! was killed in the middle of is finished when it starts again.

mod common;

use common::web::{broken_report, start, Http, PASSWORD};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Page 1 of the first shared scan as a PNG at `dpi` (OCR takes seconds).
fn scan_page(dir: &Path, dpi: u32) -> Vec<u8> {
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/variants/scan/000_ea60ae7e2efea9c4.pdf");
    let ok = Command::new("pdftoppm")
        .args([
            "-r",
            &dpi.to_string(),
            "-gray",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
        ])
        .arg(&pdf)
        .arg(dir.join("page"))
        .status()
        .unwrap();
    assert!(ok.success());
    std::fs::read(dir.join("page.png")).unwrap()
}

fn job(h: &mut Http, id: i64) -> Value {
    let (status, body) = h.get(&format!("/api/jobs/{id}"));
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Polls the job until every file is done (at most two minutes).
fn finished(h: &mut Http, id: i64) -> Value {
    let start = Instant::now();
    loop {
        let j = job(h, id);
        if j["done"] == true {
            return j;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "job {id} not done: {j}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn stage_of<'j>(j: &'j Value, file: &str) -> &'j Value {
    j["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("no {file} in {j}"))
}

#[test]
fn uploads_are_read_in_the_background_and_survive_a_restart() {
    let server = start(50);
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let work = tempfile::tempdir().unwrap();
    let png = scan_page(work.path(), 200);
    let (path, _, _) = broken_report(server.dir.path());
    let html = std::fs::read(&path).unwrap();

    // The answer comes before anything is read: every file queued.
    let files: Vec<(&str, &[u8])> = vec![
        ("扫描第1页.png", &png),
        ("a.html", &html),
        ("统计.xls", b"not a workbook"),
    ];
    let (status, body) = h.upload("/api/jobs", &csrf, &files, true);
    assert_eq!(status, 202, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(created["done"], false);
    let stages: Vec<&str> = created["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["queued", "queued", "queued"]);
    let id = created["job"].as_i64().unwrap();
    assert_eq!(created["url"], format!("/jobs/{id}"));

    let done = finished(&mut h, id);
    let stored = stage_of(&done, "a.html");
    assert_eq!(stored["stage"], "stored", "{done}");
    assert_eq!(stored["message"], "已入库 (stored)");
    let report = stored["report"].as_i64().unwrap();
    let (status, one) = h.get(&format!("/api/reports/{report}"));
    assert_eq!(status, 200);
    assert!(one.contains("测试镇人民政府"));
    let xls = stage_of(&done, "统计.xls");
    assert_eq!(xls["stage"], "failed");
    assert!(!xls["message"].as_str().unwrap().is_empty());
    let page = stage_of(&done, "扫描第1页.png");
    assert!(
        page["stage"] == "stored" || page["stage"] == "failed",
        "{page}"
    );
    assert!(!page["message"].as_str().unwrap().is_empty(), "{page}");
    // The job's page lists them with the link.
    let (_, html_page) = h.get(&format!("/jobs/{id}"));
    assert!(
        html_page.contains("id=\"job-done\"")
            && html_page.contains(&format!("href=\"/reports/{report}\""))
    );

    // Killed while reading the scan: the job is finished after the restart.
    let (path2, _, _) = {
        let dir = work.path().join("second");
        std::fs::create_dir_all(&dir).unwrap();
        broken_report(&dir)
    };
    let mut html2 = std::fs::read(&path2).unwrap();
    html2.extend_from_slice(b"<p>\xe7\xac\xac\xe4\xba\x8c\xe7\x89\x88</p>");
    // Another rendering of the page: other bytes, read again.
    let png2 = scan_page(work.path(), 210);
    let files: Vec<(&str, &[u8])> = vec![("again.png", &png2), ("b.html", &html2)];
    let (status, body) = h.upload("/api/jobs", &csrf, &files, true);
    assert_eq!(status, 202, "{body}");
    let second = serde_json::from_str::<Value>(&body).unwrap()["job"]
        .as_i64()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let before = job(&mut h, second);
    assert_eq!(
        before["done"], false,
        "killed too late to show anything: {before}"
    );
    let server = server.restart();
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let after = finished(&mut h, second);
    assert_eq!(stage_of(&after, "b.html")["stage"], "stored", "{after}");
    assert_ne!(stage_of(&after, "again.png")["stage"], "reading");
    // Job numbers go on after the restart.
    let csrf = h.csrf();
    let (_, body) = h.upload("/api/jobs", &csrf, &[("c.html", &html)], true);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["job"],
        second + 1
    );

    // Without script, the form answers with the job's page.
    let (_, form) = h.get("/upload");
    let token = common::web::between(&form, "name=\"csrf\" value=\"", "\"");
    let (status, _) = h.multipart(
        "/upload",
        &[("csrf", &token)],
        &[("files", "d.html", &html)],
    );
    assert_eq!(status, 303);
}
