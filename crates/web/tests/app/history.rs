//! The history of a report reads as people speak of it: a correction names the cell by its
//! place in the template (not `t3.granted.natural`), an acceptance names the finding it
//! accepted, times are China Standard Time — on the page and in the API.

use crate::common::{reviewer_with_broken_report, start, Http, PASSWORD};
use serde_json::{json, Value};

#[test]
fn corrections_and_acceptances_say_what_they_did() {
    let server = start(5);
    let (mut h, csrf, key, good) = reviewer_with_broken_report(&server);
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

    // The report's official HTML page is styled: its inline styles are allowed there, and
    // no script is.
    let (status, kind, _, html) = h.get_bytes("/reports/1/render?to=html");
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(
        String::from_utf8(html).unwrap().contains("<style"),
        "no styles in the page"
    );
    let csp = h.header("/reports/1/render?to=html", "content-security-policy");
    assert!(
        csp.contains("style-src 'unsafe-inline'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
}

/// 测试镇's 2022 report as a portal page, with the planted cell at `value`, and `extra`
/// text added to the page (a republished page that changed one line).
fn page(value: i64, extra: &str) -> (Vec<u8>, String, i64) {
    let mut g = nianbao_synth::rng(5);
    let mut r = nianbao_synth::report(&mut g, nianbao_model::Template::Y2021);
    r.agency = Some("测试镇人民政府".into());
    r.year = Some(2022);
    let key = "t3.granted.natural".to_string();
    let good = r.int(&key).unwrap();
    r.set(&key, Some(nianbao_model::Num::Int(value)));
    let html = nianbao_synth::html_page(&r, &nianbao_synth::HtmlStyle::default());
    let html = html.replacen("</body>", &format!("<p>{extra}</p></body>"), 1);
    (html.into_bytes(), key, good)
}

#[test]
fn a_new_version_keeps_corrections_where_the_source_did_not_change() {
    let server = start(5);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let (_, key, good) = page(0, "");
    let report = |h: &mut Http, id: i64| -> Value {
        serde_json::from_str(&h.get(&format!("/api/reports/{id}")).1).unwrap()
    };
    let upload = |h: &mut Http, bytes: &[u8]| {
        let (status, body) = h.upload("/api/upload", &csrf, &[("a.html", bytes)], true);
        assert_eq!(status, 200, "{body}");
    };

    // Version 1 with the planted error, corrected by a reviewer.
    upload(&mut h, &page(good + 1, "").0);
    let (status, body) = h.json(
        "/api/reports/1/cells",
        Some(&csrf),
        json!({ "key": key, "value": good, "reason": "核对原件" }),
    );
    assert_eq!(status, 200, "{body}");

    let corrected_at = report(&mut h, 1)["history"][0]["at"].clone();
    // (A second later: carrying the correction is no new act, it keeps its time.)
    std::thread::sleep(std::time::Duration::from_millis(1100));

    // Version 2: the portal republished the page with one line added, the cell as before.
    upload(&mut h, &page(good + 1, "（2023年3月更新）").0);
    let v2 = report(&mut h, 2);
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["values"][&key], good, "the correction is carried");
    let history = v2["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["old"], (good + 1).to_string());
    assert_eq!(history[0]["new"], good.to_string());
    assert_eq!(history[0]["reason"], "沿用第 1 版的修改：核对原件");
    assert_eq!(history[0]["user"], "reviewer");
    assert_eq!(
        history[0]["at"], corrected_at,
        "the carried correction keeps the time it was made"
    );
    assert!(
        !v2["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "error"),
        "{}",
        v2["findings"]
    );
    assert_eq!(v2["changed_from_previous"], json!([]));
    let versions: Vec<(i64, bool)> = v2["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().unwrap(),
                v["current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(versions, [(1, false), (2, true)]);
    // The old version says it is old and links to the current one.
    let (_, old) = h.get("/reports/1");
    assert!(
        old.contains("id=\"old-version\"") && old.contains("href=\"/reports/2\""),
        "no notice"
    );

    // Version 3: the source itself now says something else: the correction is not carried,
    // a finding names the cell, and the page lists the change.
    upload(&mut h, &page(good + 5, "（2023年4月更新）").0);
    let v3 = report(&mut h, 3);
    assert_eq!(v3["values"][&key], good + 5);
    assert!(v3["history"].as_array().unwrap().is_empty());
    let flagged: Vec<&Value> = v3["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "review.correction_not_carried")
        .collect();
    assert_eq!(flagged.len(), 1, "{}", v3["findings"]);
    assert_eq!(flagged[0]["cells"], json!([key]));
    let message = flagged[0]["message_zh"].as_str().unwrap();
    assert!(
        message.contains(&format!("由 {} 改为 {good}", good + 1))
            && message.contains(&format!("新版本原文为 {}", good + 5)),
        "{message}"
    );
    assert_eq!(
        v3["changed_from_previous"],
        json!([{ "key": key, "previous": good.to_string(), "value": (good + 5).to_string() }])
    );
    let (_, page3) = h.get("/reports/3");
    assert!(page3.contains("id=\"diff\""), "no diff table");
}
