//! Agencies file their own reports (issue 32, item 1), driven in-process: an agency user made
//! by an administrator reaches its own page, its reports and the form — nothing of other
//! agencies, no reviewer's action, no corpus-wide page; it composes and submits (成文日期 and
//! a confirmation required), is returned with a reason it sees with the letter, uploads a
//! corrected PDF that waits as a pending version, and the board follows every step. The
//! report list filters by review state, campaign and "assigned to me".

use crate::common::{start, Http, PASSWORD};
use serde_json::Value;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds/");

const TYPED: &[(&str, &str)] = &[
    ("v:t2.regulation.issued", "2"),
    ("v:t3.received.natural", "5"),
    ("v:t3.received.total", "5"),
    ("v:t3.granted.natural", "5"),
    ("v:t3.granted.total", "5"),
    ("v:t3.processed.natural", "5"),
    ("v:t3.processed.total", "5"),
    ("v:t3.carried_in.natural", "0"),
];

fn form<'a>(
    csrf: &'a str,
    agency: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("csrf", csrf),
        ("agency", agency),
        ("year", "2026"),
        ("s1", "总体情况。"),
        ("published", "2027-01-15"),
    ];
    f.extend_from_slice(TYPED);
    f.extend_from_slice(extra);
    f
}

fn json(h: &mut Http, path: &str) -> Value {
    let (status, body) = h.get(path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// The board's entry of an agency.
fn entry(h: &mut Http, campaign: i64, agency: &str) -> Value {
    let board = json(h, &format!("/api/campaigns/{campaign}"));
    board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["agency"] == agency)
        .unwrap_or_else(|| panic!("{agency} not on the board: {board}"))
        .clone()
}

/// Waits for an upload job to finish; its files.
fn job_files(h: &mut Http, job: i64) -> Vec<Value> {
    for _ in 0..600 {
        let v = json(h, &format!("/api/jobs/{job}"));
        if v["done"] == true {
            return v["files"].as_array().unwrap().clone();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("job {job} did not finish");
}

#[test]
fn an_agency_files_is_returned_and_files_again() {
    let server = start(10);
    let mut admin = Http::new(&server);
    assert_eq!(admin.login("admin", PASSWORD), 303);
    let a_csrf = admin.csrf();
    let mut rev = Http::new(&server);
    assert_eq!(rev.login("reviewer", PASSWORD), 303);
    let r_csrf = rev.csrf();

    // Two agencies' earlier reports, uploaded by the reviewer.
    let seeds: Vec<(String, Vec<u8>)> = ["000_ea60ae7e2efea9c4.txt", "001_108787ae7295ae56.txt"]
        .iter()
        .map(|n| (n.to_string(), std::fs::read(format!("{SEEDS}{n}")).unwrap()))
        .collect();
    let files: Vec<(&str, &[u8])> = seeds
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let (status, body) = rev.upload("/api/upload", &r_csrf, &files, true);
    assert_eq!(status, 200, "{body}");
    let id_of = |h: &mut Http, q: &str| -> i64 {
        json(h, &format!("/api/reports?q={}", nianbao_web_test_url(q)))["reports"][0]["id"]
            .as_i64()
            .unwrap()
    };
    let beileng_2019 = id_of(&mut rev, "北冷乡");
    let xidian_2019 = id_of(&mut rev, "西店镇");

    // The supervisor calls on both for 2026.
    let (status, body) = admin.form(
        "/campaigns",
        &[
            ("csrf", &a_csrf),
            ("name", "2026年度年报报送"),
            ("year", "2026"),
            ("office", "某县政务公开办公室"),
            ("agencies", "北冷乡\n西店镇"),
        ],
    );
    assert_eq!(status, 303, "{body}");
    let campaign = json(&mut admin, "/api/campaigns")["campaigns"][0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(entry(&mut rev, campaign, "北冷乡")["status"], "missing");

    // An agency user: refused without its agency, made with it.
    let user = |agencies: &'static str| {
        [
            ("name", "北冷乡报送员"),
            ("password", PASSWORD),
            ("role", "agency"),
            ("agencies", agencies),
        ]
    };
    let with_csrf = |f: [(&'static str, &'static str); 4]| {
        let mut v: Vec<(&str, &str)> = vec![("csrf", a_csrf.as_str())];
        v.extend_from_slice(&f);
        v
    };
    let (status, body) = admin.form("/admin/users", &with_csrf(user("")));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("须填写所属机构"), "{body}");
    assert_eq!(
        admin.form("/admin/users", &with_csrf(user("北冷乡"))).0,
        303
    );
    let (_, users) = admin.get("/admin/users");
    assert!(
        users.contains("报送单位：<span class=\"filer-of\">北冷乡</span>"),
        "{users}"
    );

    // The agency signs in and lands on its own page: the task, due.
    let mut ag = Http::new(&server);
    assert_eq!(ag.login("北冷乡报送员", PASSWORD), 303);
    let csrf = ag.csrf();
    let (status, _) = ag.get("/");
    assert_eq!(status, 303, "the list is not the agency's start");
    let (status, my) = ag.get("/my");
    assert_eq!(status, 200);
    assert!(my.contains("本单位：北冷乡"), "{my}");
    assert!(
        my.contains("<b>待报：</b>2026年度年报报送（2026 年度，北冷乡）请于 2027-01-31 前报送。"),
        "{my}"
    );
    assert!(
        !my.contains("西店镇"),
        "another agency on the agency's page: {my}"
    );

    // Its own report is readable, without nianbao's reading doubts or reviewer tools; no other
    // agency's report, no corpus-wide page, no reviewer's action.
    let (status, page) = ag.get(&format!("/reports/{beileng_2019}"));
    assert_eq!(status, 200);
    assert!(
        !page.contains("next-link")
            && !page.contains("id=\"correct\"")
            && !page.contains("export-csv")
    );
    assert!(
        !page.contains("extract."),
        "reading doubts shown to the agency"
    );
    for path in [
        format!("/reports/{xidian_2019}"),
        format!("/api/reports/{xidian_2019}"),
        format!("/reports/{xidian_2019}/letter?to=docx"),
        "/api/reports".into(),
        "/dashboard".into(),
        format!("/campaigns/{campaign}"),
        format!("/export?id={beileng_2019}&format=csv"),
        "/admin/users".into(),
        "/agencies/1".into(),
    ] {
        assert_eq!(ag.get(&path).0, 403, "{path}");
    }
    let (status, _) = ag.form(
        &format!("/reports/{beileng_2019}/review"),
        &[
            ("csrf", &csrf),
            ("state", "approved"),
            ("assignee", ""),
            ("reason", ""),
        ],
    );
    assert_eq!(status, 403);

    // The form is for its own agency only; it asks for the date and a confirmation naming
    // what will be published; a negative value is refused, marked, nothing typed lost.
    let (_, new) = ag.get("/new?year=2026&agency=西店镇");
    assert!(
        new.contains("<option value=\"北冷乡\" selected>北冷乡</option>"),
        "{new}"
    );
    assert!(
        new.contains("《北冷乡2026年政府信息公开工作年度报告》"),
        "{new}"
    );
    let (status, _) = ag.form("/new/submit", &form(&csrf, "西店镇", &[("confirm", "1")]));
    assert_eq!(status, 403, "filed for another agency");
    let (status, body) = ag.form("/new/submit", &form(&csrf, "北冷乡", &[]));
    assert_eq!(status, 400);
    assert!(body.contains("请勾选“确认报送”"), "{body}");
    let mut negative = form(&csrf, "北冷乡", &[("confirm", "1")]);
    negative.retain(|(k, _)| *k != "v:t2.regulation.issued");
    negative.push(("v:t2.regulation.issued", "-2"));
    let (status, body) = ag.form("/new/submit", &negative);
    assert_eq!(status, 400);
    assert!(
        body.contains("data-key=\"t2.regulation.issued\" value=\"-2\""),
        "{body}"
    );
    assert!(body.contains("aria-invalid=\"true\""), "{body}");
    assert!(
        body.contains("data-key=\"t3.received.natural\" value=\"5\""),
        "typed value lost"
    );
    assert_eq!(entry(&mut rev, campaign, "北冷乡")["status"], "missing");

    // Submitted: stored as typed (blank stays blank, 0 stays 0), the board says 已报.
    let (status, _) = ag.form("/new/submit", &form(&csrf, "北冷乡", &[("confirm", "1")]));
    assert_eq!(status, 303);
    let filed = entry(&mut rev, campaign, "北冷乡");
    assert_eq!(filed["status"], "filed", "{filed}");
    let first = filed["report_id"].as_i64().unwrap();
    let stored = json(&mut rev, &format!("/api/reports/{first}"));
    for (key, v) in stored["values"].as_object().unwrap() {
        let want = TYPED
            .iter()
            .find(|(k, _)| k.strip_prefix("v:") == Some(key.as_str()))
            .map(|(_, v)| v.parse::<i64>().unwrap());
        assert_eq!(v.as_i64(), want, "{key}");
    }
    assert_eq!(stored["published"], "2027-01-15");

    // The reviewer returns it with a reason; the agency sees the reason and the letter.
    let (status, _) = rev.form(
        &format!("/reports/{first}/review"),
        &[
            ("csrf", &r_csrf),
            ("state", "returned"),
            ("assignee", "reviewer"),
            ("reason", "表三未填写法人申请情况"),
        ],
    );
    assert_eq!(status, 303);
    assert_eq!(entry(&mut rev, campaign, "北冷乡")["status"], "returned");
    let (_, my) = ag.get("/my");
    assert!(my.contains("<b>退回：</b>"), "{my}");
    assert!(
        my.contains("<span class=\"reason\">表三未填写法人申请情况</span>"),
        "{my}"
    );
    let (status, kind, _, letter) = rev.get_bytes(&format!("/reports/{first}/letter?to=pdf"));
    assert_eq!(status, 200, "{kind}");
    assert!(letter.starts_with(b"%PDF"));
    let (status, kind, _, letter) = ag.get_bytes(&format!("/reports/{first}/letter?to=docx"));
    assert_eq!(status, 200, "{kind}");
    assert!(letter.starts_with(b"PK"));
    // Both kept in the timeline, which downloads as a CSV for Excel.
    let (status, kind, _, csv) = ag.get_bytes(&format!("/reports/{first}/timeline"));
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\u{feff}时间,用户,事件,理由", "{csv}");
    let events: Vec<String> = lines[1..]
        .iter()
        .map(|l| l.splitn(2, ',').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        events,
        [
            "北冷乡报送员,报送单位取阅审查意见书（DOCX）,",
            "reviewer,生成审查意见书（PDF）,",
            "reviewer,第 1 版审核状态：退回（审核人 reviewer）,表三未填写法人申请情况",
            "北冷乡报送员,第 1 版入库：北冷乡2026年,",
        ],
        "{csv}"
    );
    assert!(
        lines[1].starts_with("20") && lines[1].as_bytes()[4] == b'-',
        "{csv}"
    );

    // The corrected report, as a PDF the agency made, uploaded: it waits beside the returned
    // one, and is the agency's whatever else it prints.
    let mut fixed = form(&csrf, "北冷乡", &[]);
    fixed.retain(|(k, _)| {
        !k.starts_with("v:t3.received")
            && !k.starts_with("v:t3.granted")
            && !k.starts_with("v:t3.processed")
    });
    fixed.extend_from_slice(&[
        ("v:t3.received.natural", "5"),
        ("v:t3.received.commercial", "1"),
        ("v:t3.received.total", "6"),
        ("v:t3.granted.natural", "5"),
        ("v:t3.granted.commercial", "1"),
        ("v:t3.granted.total", "6"),
        ("v:t3.processed.natural", "5"),
        ("v:t3.processed.commercial", "1"),
        ("v:t3.processed.total", "6"),
    ]);
    let pdf = ag.form_bytes("/new/render?to=pdf", &fixed);
    assert!(pdf.starts_with(b"%PDF"));
    let (status, body) = ag.upload("/api/jobs", &csrf, &[("北冷乡2026年报.pdf", &pdf)], true);
    assert_eq!(status, 202, "{body}");
    let job = serde_json::from_str::<Value>(&body).unwrap()["job"]
        .as_i64()
        .unwrap();
    let files = job_files(&mut ag, job);
    assert_eq!(files[0]["stage"], "stored", "{files:?}");
    let second = files[0]["report"].as_i64().unwrap();
    assert_ne!(second, first);
    let (status, page) = ag.get(&format!("/reports/{second}"));
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"held-version\"") && page.contains("id=\"make-current\""),
        "{page}"
    );
    let waiting = entry(&mut rev, campaign, "北冷乡");
    assert_eq!(
        (waiting["status"].as_str(), waiting["held"].as_i64()),
        (Some("returned"), Some(second))
    );
    let (_, my) = ag.get("/my");
    assert!(my.contains("可设为当前版本，替换被退回的版本）"), "{my}");
    // Its job is its own: another user's job is not found.
    let (status, body) = rev.upload("/api/jobs", &r_csrf, &[("x.txt", b"x")], true);
    assert_eq!(status, 202);
    let other = serde_json::from_str::<Value>(&body).unwrap()["job"]
        .as_i64()
        .unwrap();
    assert_eq!(ag.get(&format!("/api/jobs/{other}")).0, 404);
    assert_eq!(ag.get(&format!("/jobs/{other}")).0, 404);

    // The current version was returned: the agency puts its new one in its place itself.
    let (status, _) = ag.form(&format!("/reports/{second}/current"), &[("csrf", &csrf)]);
    assert_eq!(status, 303);
    let refiled = entry(&mut rev, campaign, "北冷乡");
    assert_eq!(
        (
            refiled["status"].as_str(),
            refiled["report_id"].as_i64(),
            refiled["held"].as_i64()
        ),
        (Some("filed"), Some(second), None),
        "{refiled}"
    );
    // The reviewer approves it; the board says 已审.
    let (status, _) = rev.form(
        &format!("/reports/{second}/review"),
        &[
            ("csrf", &r_csrf),
            ("state", "approved"),
            ("assignee", "reviewer"),
            ("reason", ""),
        ],
    );
    assert_eq!(status, 303);
    let done = entry(&mut rev, campaign, "北冷乡");
    assert_eq!(
        (done["status"].as_str(), done["report_id"].as_i64()),
        (Some("approved"), Some(second))
    );
    let stored = json(&mut rev, &format!("/api/reports/{second}"));
    assert_eq!(stored["values"]["t3.received.commercial"], 1);
    assert_eq!(stored["values"]["t3.received.total"], 6);

    // The timeline names who did each step.
    let (_, page) = rev.get(&format!("/reports/{second}"));
    let timeline = nianbao_testkit::between(&page, "id=\"timeline\"", "</table>");
    for want in [
        "北冷乡报送员</td><td>第 1 版入库",
        "北冷乡报送员</td><td>第 2 版入库",
        "北冷乡报送员</td><td>第 2 版审核状态：待审</td><td>第 2 版设为当前版本，替换第 1 版",
        "reviewer</td><td>第 1 版审核状态：退回（审核人 reviewer）</td><td>表三未填写法人申请情况",
        "reviewer</td><td>第 2 版审核状态：已审（审核人 reviewer）",
    ] {
        assert!(timeline.contains(want), "{want}: {timeline}");
    }

    // A file printing another agency's name, uploaded by the agency, is kept as its own
    // with a finding for the reviewer (not shown to the agency).
    let xidian = std::fs::read(format!("{SEEDS}001_108787ae7295ae56.txt")).unwrap();
    let mut other_text = xidian.clone();
    other_text.extend_from_slice("\n（重新上传）".as_bytes());
    let (_, body) = ag.upload("/api/jobs", &csrf, &[("错传.txt", &other_text)], true);
    let job = serde_json::from_str::<Value>(&body).unwrap()["job"]
        .as_i64()
        .unwrap();
    let files = job_files(&mut ag, job);
    let wrong = files[0]["report"].as_i64().unwrap();
    let stored = json(&mut rev, &format!("/api/reports/{wrong}"));
    assert_eq!(stored["agency"], "北冷乡", "{}", stored["agency"]);
    let rules: Vec<&str> = stored["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"extract.agency_filed"), "{rules:?}");
    let (_, page) = ag.get(&format!("/reports/{wrong}"));
    assert!(
        !page.contains("由“北冷乡”报送"),
        "the reviewer's doubt shown to the agency"
    );
    // A version that waits for no one, or over a report not returned, is not the agency's
    // to make current.
    let (status, _) = ag.form(&format!("/reports/{wrong}/current"), &[("csrf", &csrf)]);
    assert_eq!(status, 403);

    // The agency signs out like anyone.
    let (status, _) = ag.form("/logout", &[("csrf", &csrf)]);
    assert_eq!(status, 303);
    assert_eq!(ag.get("/my").0, 303, "signed out");

    // The reviewer's list: by review state, campaign and assignment.
    let ids = |h: &mut Http, q: &str| -> Vec<String> {
        let (status, page) = h.get(&format!("/?{q}"));
        assert_eq!(status, 200, "{q}");
        let table = nianbao_testkit::between(&page, "<tbody>", "</tbody>");
        table
            .split("href=\"/reports/")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&mut rev, "review=approved"), [second.to_string()]);
    assert_eq!(
        ids(&mut rev, "review=approved&mine=1"),
        [second.to_string()]
    );
    assert_eq!(
        ids(&mut admin, "review=approved&mine=1"),
        Vec::<String>::new()
    );
    let pending = ids(&mut rev, "review=pending");
    assert!(
        pending.contains(&xidian_2019.to_string()) && !pending.contains(&second.to_string()),
        "{pending:?}"
    );
    let in_campaign = ids(&mut rev, &format!("campaign={campaign}"));
    assert!(
        in_campaign.contains(&second.to_string()) && in_campaign.contains(&xidian_2019.to_string()),
        "{in_campaign:?}"
    );
}

/// Percent-encodes a query value.
fn nianbao_web_test_url(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
