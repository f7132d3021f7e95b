//! The filing loop in a real headless Chromium (issue 32): a supervisor opens a campaign; an
//! agency user (made with `nianbao users add --role agency --agency`) composes its report,
//! leaving blanks and typing zeros, is refused a negative value (the cell marked, nothing
//! typed lost), submits; the stored values equal what was typed cell by cell; the reviewer
//! returns it with a reason; the agency sees the reason and the letter, uploads a corrected
//! PDF; it waits as a pending version; the reviewer makes it current and marks it 已审; the
//! timeline shows every step with its actor and time; the board shows the right state
//! throughout; the CSV opens with Chinese headers.

mod common;

use common::browser::{
    attr, browser, chromedriver, click, sign_in, sign_in_to, sign_out, text, typed, wait,
};
use common::web::{start, Http, PASSWORD};
use fantoccini::Locator;
use serde_json::Value;

/// What the clerk types; every other cell is left blank.
const TYPED: &[(&str, &str)] = &[
    ("t2.regulation.issued", "1"),
    ("t2.regulation.in_force", "3"),
    ("t3.carried_in.natural", "0"),
    ("t3.received.natural", "4"),
    ("t3.received.total", "4"),
    ("t3.granted.natural", "4"),
    ("t3.granted.total", "4"),
    ("t3.processed.natural", "4"),
    ("t3.processed.total", "4"),
    ("t4.review.total", "0"),
];

fn board_entry(h: &mut Http, campaign: i64) -> Value {
    let (status, body) = h.get(&format!("/api/campaigns/{campaign}"));
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["agency"] == "北冷乡")
        .cloned()
        .unwrap_or_else(|| panic!("北冷乡 not on the board: {body}"))
}

fn status(h: &mut Http, campaign: i64) -> (String, Option<i64>, Option<i64>) {
    let e = board_entry(h, campaign);
    (
        e["status"].as_str().unwrap().to_string(),
        e["report_id"].as_i64(),
        e["held"].as_i64(),
    )
}

/// Waits until the report page shows review state `state`.
async fn review_state_shown(c: &fantoccini::Client, state: &str) {
    wait(state, || async {
        // The page may be replaced between finding the element and reading it: try again.
        match c.find(Locator::Id("review-state")).await {
            Ok(e) => matches!(e.attr("data-state").await, Ok(Some(s)) if s == state),
            Err(_) => false,
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_filing_loop_in_chromium() {
    if !chromedriver() {
        return;
    }
    let server = start(20);
    let url = &server.url;
    assert!(nianbao_testkit::with_password(
        std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args([
                "users",
                "add",
                "北冷乡报送员",
                "--role",
                "agency",
                "--agency",
                "北冷乡",
                "--db"
            ])
            .arg(&server.db),
        PASSWORD
    ));
    let mut rev = Http::new(url);
    assert_eq!(rev.login("reviewer", PASSWORD), 303);
    let (_driver, c) = browser().await;

    // The supervisor opens a campaign calling on 北冷乡.
    sign_in(&c, url, "reviewer").await;
    c.goto(&format!("{url}/campaigns")).await.unwrap();
    typed(&c, Locator::Id("c-name"), "2026年度年报报送").await;
    typed(&c, Locator::Id("c-year"), "2026").await;
    typed(&c, Locator::Id("c-office"), "某县政务公开办公室").await;
    typed(&c, Locator::Id("c-agencies"), "北冷乡").await;
    click(&c, Locator::Id("c-create")).await;
    wait("the board", || async {
        c.current_url().await.unwrap().path() == "/campaigns/1"
    })
    .await;
    assert_eq!(status(&mut rev, 1), ("missing".into(), None, None));
    sign_out(&c).await;

    // The agency lands on its page, told what is due, and opens the form from it.
    sign_in_to(&c, url, "北冷乡报送员", "/my").await;
    let notices = text(&c, Locator::Id("notices")).await;
    assert!(
        notices.contains("待报：2026年度年报报送（2026 年度，北冷乡）请于 2027-01-31 前报送。"),
        "{notices}"
    );
    c.goto(&format!("{url}/new?year=2026")).await.unwrap();
    let input = |k: &str| format!("input[data-key='{k}']");
    for (key, value) in TYPED {
        typed(&c, Locator::Css(&input(key)), value).await;
    }
    // A negative count: refused by the server, the cell marked, everything typed kept.
    typed(&c, Locator::Css(&input("t2.regulation.repealed")), "-2").await;
    typed(
        &c,
        Locator::Css("textarea[name=s1]"),
        "2026年，本乡认真贯彻落实《条例》。",
    )
    .await;
    click(&c, Locator::Id("confirm")).await;
    click(&c, Locator::Id("submit")).await;
    wait("the refusal", || async {
        c.find(Locator::Id("form-error")).await.is_ok()
    })
    .await;
    let error = text(&c, Locator::Id("form-error")).await;
    assert!(error.contains("本年废止"), "{error}");
    let marked = c
        .find(Locator::Css(&input("t2.regulation.repealed")))
        .await
        .unwrap();
    assert_eq!(
        marked.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(marked.prop("value").await.unwrap().as_deref(), Some("-2"));
    for (key, value) in TYPED {
        let kept = c
            .find(Locator::Css(&input(key)))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some(*value), "{key} lost");
    }
    assert_eq!(status(&mut rev, 1).0, "missing");
    // Corrected and submitted (the confirmation ticked again on the form shown anew).
    marked.clear().await.unwrap();
    marked.send_keys("0").await.unwrap();
    click(&c, Locator::Id("confirm")).await;
    click(&c, Locator::Id("submit")).await;
    wait("the stored report", || async {
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/reports/")
    })
    .await;
    let (state, first, _) = status(&mut rev, 1);
    let first = first.unwrap();
    assert_eq!(state, "filed");
    // Stored as typed, cell by cell: blank stays blank, 0 stays 0.
    let (_, body) = rev.get(&format!("/api/reports/{first}"));
    let stored: Value = serde_json::from_str(&body).unwrap();
    let mut typed_now: Vec<(&str, &str)> = TYPED.to_vec();
    typed_now.push(("t2.regulation.repealed", "0"));
    for (key, v) in stored["values"].as_object().unwrap() {
        let want = typed_now
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.parse::<i64>().unwrap());
        assert_eq!(v.as_i64(), want, "{key}");
    }
    sign_out(&c).await;

    // The reviewer returns it with a reason.
    sign_in(&c, url, "reviewer").await;
    c.goto(&format!("{url}/reports/{first}")).await.unwrap();
    c.find(Locator::Id("state"))
        .await
        .unwrap()
        .select_by_value("returned")
        .await
        .unwrap();
    typed(
        &c,
        Locator::Id("review-reason"),
        "表三应同时填写法人或其他组织的申请情况",
    )
    .await;
    click(&c, Locator::Id("save-review")).await;
    review_state_shown(&c, "returned").await;
    assert_eq!(status(&mut rev, 1).0, "returned");
    sign_out(&c).await;

    // The agency sees the reason and the letter, and uploads a corrected PDF.
    sign_in_to(&c, url, "北冷乡报送员", "/my").await;
    let notices = text(&c, Locator::Id("notices")).await;
    assert!(notices.contains("退回：2026年度年报报送（2026 年度，北冷乡）的报告被退回，理由：表三应同时填写法人或其他组织的申请情况。"), "{notices}");
    let letter = attr(&c, Locator::Css("#notices a.letter"), "href").await;
    let mut ag = Http::new(url);
    assert_eq!(ag.login("北冷乡报送员", PASSWORD), 303);
    let (code, _, _, docx) = ag.get_bytes(&letter);
    assert_eq!(code, 200);
    assert!(docx.starts_with(b"PK"), "the letter is a Word file");
    let csrf = ag.csrf();
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.clone()),
        ("agency".into(), "北冷乡".into()),
        ("year".into(), "2026".into()),
        ("published".into(), "2027-01-10".into()),
        ("s1".into(), "2026年，本乡认真贯彻落实《条例》。".into()),
    ];
    for (k, v) in TYPED.iter().filter(|(k, _)| !k.ends_with(".total")) {
        fields.push((format!("v:{k}"), v.to_string()));
    }
    for (k, v) in [
        ("t3.received.commercial", "1"),
        ("t3.received.total", "5"),
        ("t3.granted.commercial", "1"),
        ("t3.granted.total", "5"),
        ("t3.processed.commercial", "1"),
        ("t3.processed.total", "5"),
        ("t4.review.total", "0"),
    ] {
        fields.retain(|(f, _)| f != &format!("v:{k}"));
        fields.push((format!("v:{k}"), v.to_string()));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let pdf = ag.form_bytes("/new/render?to=pdf", &fields);
    assert!(pdf.starts_with(b"%PDF"));
    let file = server.dir.path().join("北冷乡2026年报（修改）.pdf");
    std::fs::write(&file, &pdf).unwrap();
    c.goto(&format!("{url}/upload")).await.unwrap();
    assert!(text(&c, Locator::Id("upload-for"))
        .await
        .contains("报送单位：北冷乡"));
    c.find(Locator::Id("files"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    click(&c, Locator::Id("send")).await;
    wait("the upload read", || async {
        c.find(Locator::Id("upload-results")).await.is_ok()
    })
    .await;
    let result = text(&c, Locator::Id("upload-results")).await;
    assert!(result.contains("待确认的新版本"), "{result}");
    let (state, current, held) = status(&mut rev, 1);
    assert_eq!(
        (state.as_str(), current),
        ("returned", Some(first)),
        "the returned version stays current"
    );
    let second = held.expect("the upload waits as a pending version");
    c.goto(&format!("{url}/my")).await.unwrap();
    assert!(text(&c, Locator::Id("notices"))
        .await
        .contains("可设为当前版本，替换被退回的版本）"));
    sign_out(&c).await;

    // The reviewer makes it current and marks it 已审.
    sign_in(&c, url, "reviewer").await;
    c.goto(&format!("{url}/reports/{second}")).await.unwrap();
    click(&c, Locator::Id("make-current")).await;
    wait("made current", || async {
        c.find(Locator::Id("held-version")).await.is_err()
    })
    .await;
    c.find(Locator::Id("state"))
        .await
        .unwrap()
        .select_by_value("approved")
        .await
        .unwrap();
    c.find(Locator::Id("assignee"))
        .await
        .unwrap()
        .select_by_value("reviewer")
        .await
        .unwrap();
    click(&c, Locator::Id("save-review")).await;
    review_state_shown(&c, "approved").await;
    assert_eq!(status(&mut rev, 1), ("approved".into(), Some(second), None));
    let (_, body) = rev.get(&format!("/api/reports/{second}"));
    let stored: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (
            stored["values"]["t3.received.commercial"].as_i64(),
            stored["values"]["t3.received.total"].as_i64()
        ),
        (Some(1), Some(5))
    );

    // The timeline: every step, its actor and its time.
    let rows = c.find_all(Locator::Css("#timeline tr")).await.unwrap();
    let mut lines = Vec::new();
    for r in rows.iter().skip(1) {
        lines.push(r.text().await.unwrap());
    }
    let has = |who: &str, what: &str| {
        lines.iter().any(|l| {
            l.contains(who) && l.contains(what) && l.starts_with("20") && l.as_bytes()[4] == b'-'
        })
    };
    for (who, what) in [
        ("北冷乡报送员", "第 1 版入库"),
        ("北冷乡报送员", "第 2 版入库"),
        ("reviewer", "第 1 版审核状态：退回"),
        ("reviewer", "第 2 版审核状态：已审（审核人 reviewer）"),
    ] {
        assert!(has(who, what), "{who} {what}: {lines:#?}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains("表三应同时填写法人或其他组织的申请情况")),
        "{lines:#?}"
    );

    // The list, narrowed to 已审 reports assigned to me, and its CSV with Chinese headers.
    c.goto(&format!("{url}/?review=approved&mine=1"))
        .await
        .unwrap();
    let listed = c.find_all(Locator::Css("#reports tbody tr")).await.unwrap();
    assert_eq!(listed.len(), 1);
    let csv = attr(&c, Locator::Id("export-csv"), "href").await;
    let (code, kind, _, bytes) = rev.get_bytes(&csv);
    assert_eq!(code, 200, "{kind}");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "no byte order mark for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.contains("机构") && !header.contains("t3.received"),
        "{header}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");
}
