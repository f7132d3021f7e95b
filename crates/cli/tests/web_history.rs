//! The history of a report reads as people speak of it: a correction names the cell by its
//! place in the template (not `t3.granted.natural`), an acceptance names the finding it
//! accepted, times are China Standard Time — on the page and in the API.

mod common;

use common::web::{broken_report, start, Http, PASSWORD};
use serde_json::{json, Value};

#[test]
fn corrections_and_acceptances_say_what_they_did() {
    let server = start(5);
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let (path, key, good) = broken_report(server.dir.path());
    let bytes = std::fs::read(&path).unwrap();
    let (status, body) = h.upload("/api/upload", &csrf, &[("a.html", &bytes)], true);
    assert_eq!(status, 200, "{body}");
    let report =
        |h: &mut Http| -> Value { serde_json::from_str(&h.get("/api/reports/1").1).unwrap() };

    // Accept one finding as it is, then correct the planted cell.
    let before = report(&mut h);
    let warning = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["severity"] != "error")
        .expect("a finding that is not an error")
        .clone();
    let (status, body) = h.json(
        "/api/reports/1/accept",
        Some(&csrf),
        json!({ "finding": warning["key"], "reason": "原文如此" }),
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = h.json(
        "/api/reports/1/cells",
        Some(&csrf),
        json!({ "key": key, "value": good, "reason": "核对原件" }),
    );
    assert_eq!(status, 200, "{body}");

    let after = report(&mut h);
    let history = after["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    let accept = history.iter().find(|c| c["kind"] == "accept").unwrap();
    assert_eq!(
        accept["what"],
        format!(
            "按原样接受问题：{}",
            warning["message_zh"].as_str().unwrap()
        )
    );
    let correct = history.iter().find(|c| c["kind"] == "correct").unwrap();
    assert_eq!(correct["key"], key);
    assert_eq!(
        correct["label"],
        "表三 / 三、本年度办理结果 / （一）予以公开 / 自然人"
    );
    assert_eq!(
        correct["what"],
        format!(
            "表三 / 三、本年度办理结果 / （一）予以公开 / 自然人：{} → {good}",
            good + 1
        )
    );
    assert!(
        correct["at"].as_str().unwrap().ends_with("+08:00"),
        "{correct}"
    );

    // The page says the same, with the key only as a tooltip.
    let (_, page) = h.get("/reports/1");
    assert!(
        page.contains(&format!("（一）予以公开 / 自然人：{} → {good}", good + 1)),
        "no correction in words"
    );
    assert!(page.contains("按原样接受问题："), "no acceptance in words");
    assert!(page.contains(&format!("title=\"{key}\"")), "no key tooltip");
}
