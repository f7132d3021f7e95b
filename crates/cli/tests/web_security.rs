//! The web application refuses what it must: requests without the CSRF token, uploads with
//! path tricks or over the size limit, guessed passwords (slowed, then refused); and text
//! typed or uploaded by anyone stays text (HTML and SQL injection are inert).

mod common;

use common::web::{broken_report, start, Http, PASSWORD};
use std::time::Instant;

fn total(h: &mut Http, query: &str) -> i64 {
    let (status, body) = h.get(&format!("/api/reports{query}"));
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"]
        .as_i64()
        .unwrap()
}

#[test]
fn csrf_token_is_required_on_every_change() {
    let server = start(5);
    let mut h = Http::new(&server.url);
    // Sign-in itself needs the token of the sign-in form.
    let (status, _) = h.form(
        "/login",
        &[
            ("name", "reviewer"),
            ("password", PASSWORD),
            ("csrf", "guess"),
        ],
    );
    assert_eq!(status, 403);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let (path, key, good) = broken_report(server.dir.path());
    let bytes = std::fs::read(&path).unwrap();
    // Upload: without the token (form field or header) nothing is stored.
    assert_eq!(
        h.upload("/upload", "wrong", &[("a.html", &bytes)], false).0,
        403
    );
    assert_eq!(
        h.upload("/api/upload", "", &[("a.html", &bytes)], true).0,
        403
    );
    assert_eq!(total(&mut h, ""), 0);
    let (status, body) = h.upload("/api/upload", &csrf, &[("a.html", &bytes)], true);
    assert_eq!(status, 200, "{body}");
    assert_eq!(total(&mut h, ""), 1);
    // Corrections, acceptances and sign-out refuse a missing or wrong token.
    let value = good.to_string();
    assert_eq!(
        h.form(
            "/reports/1/cells",
            &[
                ("csrf", "x"),
                ("key", &key),
                ("value", &value),
                ("reason", "r")
            ]
        )
        .0,
        403
    );
    assert_ne!(
        h.form(
            "/reports/1/cells",
            &[("key", &key), ("value", &value), ("reason", "r")]
        )
        .0,
        303
    );
    assert_eq!(
        h.json(
            "/api/reports/1/cells",
            None,
            serde_json::json!({"key": key, "value": good, "reason": "r"})
        )
        .0,
        403
    );
    assert_eq!(
        h.json(
            "/api/reports/1/cells",
            Some("x"),
            serde_json::json!({"key": key, "value": good, "reason": "r"})
        )
        .0,
        403
    );
    assert_eq!(
        h.json(
            "/api/reports/1/accept",
            None,
            serde_json::json!({"finding": "x", "reason": "r"})
        )
        .0,
        403
    );
    assert_eq!(h.form("/logout", &[("csrf", "x")]).0, 403);
    let (_, report) = h.get("/api/reports/1");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        report["values"][&key],
        good + 1,
        "nothing changed without the token"
    );
    assert!(report["history"].as_array().unwrap().is_empty());
    // With the token the same correction goes through and resolves the findings.
    let (status, body) = h.json(
        "/api/reports/1/cells",
        Some(&csrf),
        serde_json::json!({"key": key, "value": good, "reason": "核对原件"}),
    );
    assert_eq!(status, 200, "{body}");
    let findings: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["rule"].as_str().unwrap().starts_with("t3.")));
    // Exports give the corrected value, or with --original-values the one extracted.
    let export = |extra: &[&str]| -> serde_json::Value {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["export", "--format", "json", "--db"])
            .arg(server.dir.path().join("web.db"))
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success());
        serde_json::from_str(String::from_utf8(o.stdout).unwrap().lines().next().unwrap()).unwrap()
    };
    assert_eq!(export(&[])[&key], good);
    assert_eq!(export(&["--original-values"])[&key], good + 1);
}

#[test]
fn injected_html_and_sql_stay_text() {
    let server = start(5);
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("admin", PASSWORD), 303);
    let csrf = h.csrf();
    let evil = "<script>alert(1)</script>'; DROP TABLE reports; --";
    // A report whose title and prose carry markup and SQL.
    let (path, key, _) = broken_report(server.dir.path());
    let page = std::fs::read_to_string(&path).unwrap().replacen(
        "<h1>",
        &format!("<h1>{}", evil.replace('<', "&lt;")),
        1,
    );
    let page = page.replacen(
        "<h2>一、总体情况</h2>",
        &format!("<h2>一、总体情况</h2><p>{}</p>", evil.replace('<', "&lt;")),
        1,
    );
    let (status, body) = h.upload(
        "/api/upload",
        &csrf,
        &[("<img src=x onerror=alert(2)>.html", page.as_bytes())],
        true,
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("已入库"), "{body}");
    // A correction reason and a user name with markup.
    let (status, _) = h.json("/api/reports/1/cells", Some(&csrf), serde_json::json!({"key": key, "value": 1, "reason": "<img src=x onerror=alert(3)>' OR 1=1 --"}));
    assert_eq!(status, 200);
    // Values a count cannot hold are refused with the reason (issue 13, item 7).
    for (value, why) in [
        (serde_json::json!(-1), "负数"),
        (serde_json::json!(1.5), "整数"),
        (serde_json::json!("99999999999999999999"), "超出"),
    ] {
        let (status, body) = h.json(
            "/api/reports/1/cells",
            Some(&csrf),
            serde_json::json!({"key": key, "value": value, "reason": "r"}),
        );
        assert_eq!(status, 400, "{value}: {body}");
        assert!(body.contains(why), "{value}: {body}");
    }
    let (status, _) = h.form(
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("name", "<b onmouseover=alert(4)>x</b>"),
            ("password", "long enough password"),
            ("role", "viewer"),
        ],
    );
    assert_eq!(status, 303);
    for path in [
        "/",
        "/reports/1",
        "/admin/users",
        "/?q=%3Cscript%3E&text=%3Cscript%3E",
    ] {
        let (status, html) = h.get(path);
        assert_eq!(status, 200, "{path}");
        for raw in ["<script>alert", "<img src=x", "<b onmouseover"] {
            assert!(!html.contains(raw), "{path} carries raw markup {raw}");
        }
    }
    let (_, report_page) = h.get("/reports/1");
    assert!(
        report_page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the source shows the text escaped"
    );
    assert!(
        report_page.contains("&lt;img src=x onerror=alert(3)&gt;"),
        "the history shows the reason escaped"
    );
    // SQL in search fields is a string to look for, not SQL: nothing found, nothing dropped.
    for q in [
        "?q=%27%20OR%20%271%27%3D%271",
        "?text=%27%3B%20DROP%20TABLE%20reports%3B%20--x",
        "?q=%25",
        "?q=_",
        "?region=%27)%20OR%201%3D1--",
    ] {
        assert_eq!(total(&mut h, q), 0, "{q}");
    }
    assert_eq!(total(&mut h, ""), 1);
    assert_eq!(
        total(&mut h, "?text=DROP%20TABLE"),
        1,
        "the words are found as words"
    );
    // The API gives JSON with the text as it was uploaded.
    let (_, api) = h.get("/api/reports/1/source");
    assert!(
        serde_json::from_str::<serde_json::Value>(&api).unwrap()["text"]
            .as_str()
            .unwrap()
            .contains(evil)
    );
}

#[test]
fn uploads_with_path_tricks_or_over_the_limit_are_refused_and_the_rest_stored() {
    let server = start(1);
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let (path, _, _) = broken_report(server.dir.path());
    let good = std::fs::read(&path).unwrap();
    let big = vec![b'x'; 1_500_000];
    let zip_bytes = common::zip_of(&[("../../escaped.html", &good)]);
    let files: Vec<(&str, &[u8])> = vec![
        ("../evil.html", &good),
        ("a/../../b.html", &good),
        ("..\\\\win.html", &good),
        (".hidden.html", &good),
        ("big.html", &big),
        ("tricks.zip", &zip_bytes),
        ("good.html", &good),
    ];
    let (status, body) = h.upload("/api/upload", &csrf, &files, true);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let results = v["files"].as_array().unwrap();
    let outcome = |name: &str| {
        results
            .iter()
            .find(|r| r["file"].as_str().unwrap().contains(name))
            .unwrap_or_else(|| panic!("{name} missing: {body}"))
    };
    for name in ["../evil.html", "a/../../b.html", ".hidden.html"] {
        assert_eq!(outcome(name)["ok"], false, "{name}");
        assert!(
            outcome(name)["message"]
                .as_str()
                .unwrap()
                .contains("文件名不安全"),
            "{name}"
        );
    }
    assert!(
        outcome("big.html")["message"]
            .as_str()
            .unwrap()
            .contains("1 MB"),
        "{body}"
    );
    assert!(
        outcome("escaped.html")["message"]
            .as_str()
            .unwrap()
            .contains("路径不安全"),
        "{body}"
    );
    assert_eq!(outcome("good.html")["ok"], true);
    assert_eq!(total(&mut h, ""), 1, "only the good file is stored");
    for dir in [
        server.dir.path().to_path_buf(),
        server.dir.path().parent().unwrap().to_path_buf(),
    ] {
        for name in ["evil.html", "b.html", "escaped.html"] {
            assert!(
                !dir.join(name).exists(),
                "{name} escaped into {}",
                dir.display()
            );
        }
    }
}

#[test]
fn password_guessing_is_slowed_and_then_refused() {
    let server = start(5);
    let mut h = Http::new(&server.url);
    for _ in 0..5 {
        let t = Instant::now();
        assert_eq!(h.login("admin", "wrong password!"), 401);
        assert!(
            t.elapsed().as_millis() >= 400,
            "a failed attempt is answered late"
        );
    }
    // Now even the right password is refused for a while, with Retry-After.
    let (_, page) = h.get("/login");
    let token = common::web::between(&page, "name=\"csrf\" value=\"", "\"");
    let (status, body) = h.form(
        "/login",
        &[("name", "admin"), ("password", PASSWORD), ("csrf", &token)],
    );
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("登录失败次数过多"));
    // Other users are not locked out by guesses at admin.
    let mut other = Http::new(&server.url);
    assert_eq!(other.login("reviewer", PASSWORD), 303);
    // An unknown name fails like a wrong password (no hint which names exist).
    let mut third = Http::new(&server.url);
    assert_eq!(third.login("nobody", "wrong password!"), 401);
}

#[test]
fn year_over_year_page_marks_carry_over_breaks_and_admins_merge_agencies() {
    let server = start(5);
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("admin", PASSWORD), 303);
    let csrf = h.csrf();
    // Three years of one agency with a carry-over break in the last, and one more agency.
    let mut g = nianbao_synth::rng(9);
    let mut years = nianbao_synth::series(&mut g, "东湖街道办事处", 2021..=2023);
    nianbao_synth::add(&mut years[2], "t3.carried_in", "natural", 2);
    nianbao_synth::add(&mut years[2], "t3.carried_over", "natural", 2);
    // A renamed office the resolver cannot know is the same: an admin merges it.
    let mut other = nianbao_synth::series(&mut g, "湖东新区管理办公室", 2024..=2024);
    years.append(&mut other);
    let pages: Vec<(String, Vec<u8>)> = years
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                format!("{i}.html"),
                nianbao_synth::html_page(r, &nianbao_synth::HtmlStyle::default()).into_bytes(),
            )
        })
        .collect();
    let files: Vec<(&str, &[u8])> = pages
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let (status, body) = h.upload("/api/upload", &csrf, &files, true);
    assert_eq!(status, 200, "{body}");
    let (_, agencies) = h.get("/api/agencies");
    let agencies: serde_json::Value = serde_json::from_str(&agencies).unwrap();
    let id_of = |name: &str| {
        agencies["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .map(|a| a["id"].as_i64().unwrap())
    };
    let (east, renamed) = (
        id_of("东湖街道办事处").expect("agency"),
        id_of("湖东新区管理办公室").expect("second agency"),
    );
    let (status, page) = h.get(&format!("/agencies/{east}"));
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"cross\""),
        "the carry-over break is listed"
    );
    assert!(page.contains("上年结转"), "{page}");
    assert!(
        page.contains("<td class=\"err\">"),
        "the broken cells are marked"
    );
    let (_, series) = h.get(&format!("/api/agencies/{east}/series"));
    let series: serde_json::Value = serde_json::from_str(&series).unwrap();
    assert_eq!(series["reports"].as_array().unwrap().len(), 3);
    // The admin merges the renamed office into it: the series grows.
    let (status, _) = h.form(
        "/admin/agencies/merge",
        &[
            ("csrf", &csrf),
            ("keep", &east.to_string()),
            ("other", &renamed.to_string()),
        ],
    );
    assert_eq!(status, 303);
    let (_, series) = h.get(&format!("/api/agencies/{east}/series"));
    let series: serde_json::Value = serde_json::from_str(&series).unwrap();
    assert_eq!(series["reports"].as_array().unwrap().len(), 4);
    // A reviewer may not merge.
    let mut r = Http::new(&server.url);
    assert_eq!(r.login("reviewer", PASSWORD), 303);
    let c = r.csrf();
    assert_eq!(
        r.form(
            "/admin/agencies/merge",
            &[("csrf", &c), ("keep", "1"), ("other", "2")]
        )
        .0,
        403
    );
}

#[test]
fn the_ledger_page_derives_tables_and_deadline_warnings() {
    let server = start(5);
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let csv = "编号,收到日期,申请人类型,办理结果,答复日期,延期,复议日期,复议结果\n\
               2024-01,2024-02-01,自然人,予以公开,2024-02-20,否,,\n\
               2024-02,2024/3/1,商业企业,不予公开-属于国家秘密,2024-03-15,否,2024-04-10,\n\
               2024-03,2024年9月27日,自然人,,,否,,\n";
    let fields = [
        ("csrf", csrf.as_str()),
        ("agency", "某镇人民政府"),
        ("year", "2024"),
        ("today", "2024-10-31"),
        ("rows", ""),
    ];
    let (status, page) = h.multipart("/ledger", &fields, &[("file", "台账.csv", csv.as_bytes())]);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("台账 3 条申请"), "{page}");
    assert!(page.contains("data-rule=\"ledger.overdue\"") && page.contains("逾期 1 个工作日"));
    assert!(
        page.contains("data-key=\"t3.received.total\" data-value=\"3\""),
        "table 三 drawn with the counts"
    );
    assert!(page.contains("data-key=\"t4.review.pending\" data-value=\"1\""));
    // Rows typed into the page instead of a file (header optional).
    let typed = [
        ("csrf", csrf.as_str()),
        ("agency", ""),
        ("year", "2024"),
        ("today", "2024-10-01"),
        (
            "rows",
            "A1,2024-05-06,法律服务机构,予以公开,2024-05-20,否,,,,,",
        ),
    ];
    let (status, page) = h.multipart("/ledger", &typed, &[]);
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("data-key=\"t3.granted.legal\" data-value=\"1\""),
        "{page}"
    );
    // A bad row is named; no CSRF token, no result.
    let bad = [
        ("csrf", csrf.as_str()),
        ("agency", ""),
        ("year", "2024"),
        ("today", ""),
        ("rows", "A1,2024-02-30,自然人"),
    ];
    let (status, page) = h.multipart("/ledger", &bad, &[]);
    assert_eq!(status, 400);
    assert!(page.contains("第 2 行"), "{page}");
    assert_eq!(
        h.multipart("/ledger", &[("csrf", "x"), ("year", "2024")], &[])
            .0,
        403
    );
    // A holiday list for a year nianbao does not know moves the deadline: received Friday
    // 2030-09-27 is due 2030-10-25 on weekends alone, and one working day later with
    // 2030-10-01 off.
    let rows = ("rows", "B1,2030-09-27,自然人,,,否,,,,,");
    let weekends = [
        ("csrf", csrf.as_str()),
        ("year", "2030"),
        ("today", "2030-10-22"),
        rows,
    ];
    assert!(h
        .multipart("/ledger", &weekends, &[])
        .1
        .contains("2030-10-25"));
    let holiday = [
        ("csrf", csrf.as_str()),
        ("year", "2030"),
        ("today", "2030-10-22"),
        rows,
        ("holidays", "2030-10-01 休"),
    ];
    assert!(h
        .multipart("/ledger", &holiday, &[])
        .1
        .contains("2030-10-28"));
}

#[test]
fn the_web_application_runs_on_postgresql() {
    let db = match nianbao_corpus::testing::database("web") {
        Ok(url) => url,
        Err(e) if std::env::var("CI").is_err() => {
            return eprintln!("skipping PostgreSQL test (outside CI): {e}")
        }
        Err(e) => panic!("PostgreSQL test server: {e}"),
    };
    let server = common::web::start_on(tempfile::tempdir().unwrap(), db, 5);
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let (path, key, good) = broken_report(server.dir.path());
    let (status, body) = h.upload(
        "/api/upload",
        &csrf,
        &[("a.html", &std::fs::read(&path).unwrap())],
        true,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(total(&mut h, "?status=errors"), 1);
    let (status, _) = h.json(
        "/api/reports/1/cells",
        Some(&csrf),
        serde_json::json!({"key": key, "value": good, "reason": "核对原件"}),
    );
    assert_eq!(status, 200);
    assert_eq!(total(&mut h, "?status=errors"), 0);
    let (status, page) = h.get("/reports/1");
    assert_eq!(status, 200);
    assert!(page.contains("核对原件"));
    let (status, dash) = h.get("/dashboard");
    assert_eq!(status, 200);
    assert!(dash.contains("\"years\""));
}
