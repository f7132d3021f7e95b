//! The web application in a real headless Chromium (chromedriver): sign in, upload a
//! report, see its table, click a cell and see its evidence, correct the value and watch
//! its finding resolve, see charts render, sign out; a viewer cannot correct; the API
//! refuses callers without a session. A reviewer's day: batch upload, queue, fix, 已审,
//! XLSX export, a new version keeping the correction. A clerk composes a report. A county
//! office narrows the list by the region tree and runs a filing campaign's board.

mod common;

use common::browser::{attr, browser, chromedriver, click, sign_in, typed, wait};
use common::web::{
    broken_report, reviewer_with_broken_report, start, upload_county_season, Http, PASSWORD,
};
use fantoccini::Locator;
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_a_report_in_chromium() {
    if !chromedriver() {
        return;
    }
    let server = start(5);
    let (file, key, good) = broken_report(server.dir.path());
    let (_driver, c) = browser().await;
    let url = &server.url;

    // Sign in as the reviewer.
    c.goto(&format!("{url}/")).await.unwrap();
    assert!(
        c.current_url().await.unwrap().path().ends_with("/login"),
        "pages need a session"
    );
    sign_in(&c, url, "reviewer").await;
    assert!(c.find(Locator::Id("reports")).await.is_ok());

    // Upload the report (file input, progress, results).
    c.goto(&format!("{url}/upload")).await.unwrap();
    typed(&c, Locator::Id("files"), file.to_str().unwrap()).await;
    click(&c, Locator::Id("send")).await;
    let results = c
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css("#upload-results li"))
        .await
        .unwrap();
    let text = results.text().await.unwrap();
    assert!(
        text.contains("测试镇2022年报.html") && text.contains("已入库"),
        "{text}"
    );
    assert_eq!(results.attr("class").await.unwrap().as_deref(), Some("ok"));

    // The report in the list, its page with the tables drawn like the template.
    c.goto(&format!("{url}/?q=测试镇")).await.unwrap();
    click(&c, Locator::Css("#reports a")).await;
    wait("the report page", || async {
        c.find(Locator::Id("tables")).await.is_ok()
    })
    .await;
    let heads = c
        .find(Locator::Id("tables"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for h in [
        "申请人情况",
        "法人或其他组织",
        "三、本年度办理结果",
        "（三）不予公开",
        "行政复议",
        "未经复议直接起诉",
    ] {
        assert!(heads.contains(h), "table 三/四 head {h} missing");
    }
    let cell = c
        .find(Locator::Css(&format!("td.v[data-key='{key}']")))
        .await
        .unwrap();
    assert_eq!(
        cell.attr("class").await.unwrap().as_deref(),
        Some("v err"),
        "the broken cell is highlighted"
    );
    assert_eq!(cell.text().await.unwrap(), (good + 1).to_string());
    let finding = c
        .find(Locator::Css("#findings li.err"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(finding.contains("表三"), "{finding}");

    // Click the cell: its evidence is highlighted in the source beside the table.
    cell.click().await.unwrap();
    let hit = c.wait().for_element(Locator::Id("hit")).await.unwrap();
    assert_eq!(hit.text().await.unwrap(), (good + 1).to_string());
    let info = c
        .find(Locator::Id("evidence-info"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The cell named in words (its place in the template), not by its key.
    assert!(
        info.starts_with("表") && !info.contains(&key) && info.contains("第"),
        "{info}"
    );
    let shown = c
        .find(Locator::Id("key-label"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(shown.starts_with("表") && !shown.contains(&key), "{shown}");
    assert_eq!(
        c.find(Locator::Id("key"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some(key.as_str())
    );

    // Take the proposed fix, give a reason, save: the finding resolves, the history shows it.
    click(&c, Locator::Css(&format!("button.fix[data-key='{key}']"))).await;
    assert_eq!(
        c.find(Locator::Id("value"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap(),
        Some(good.to_string())
    );
    typed(
        &c,
        Locator::Id("reason"),
        "与原件核对，予以公开自然人应为原值",
    )
    .await;
    click(&c, Locator::Id("save")).await;
    wait("the saved correction", || async {
        c.find(Locator::Css("#history td")).await.is_ok()
    })
    .await;
    let cell = c
        .find(Locator::Css(&format!("td.v[data-key='{key}']")))
        .await
        .unwrap();
    assert_eq!(cell.text().await.unwrap(), good.to_string());
    assert_eq!(cell.attr("class").await.unwrap().as_deref(), Some("v"));
    let errors = c.find_all(Locator::Css("#findings li.err")).await.unwrap();
    assert!(errors.is_empty(), "error findings remain after the fix");
    let history = c
        .find(Locator::Id("history"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("reviewer") && history.contains(&format!("{} → {good}", good + 1)),
        "{history}"
    );

    // The dashboard draws its charts (canvas pixels, and a screenshot that is not blank).
    c.goto(&format!("{url}/dashboard")).await.unwrap();
    wait("charts", || async {
        c.execute("return document.body.getAttribute('data-charts')", vec![])
            .await
            .unwrap()
            == serde_json::json!("ready")
    })
    .await;
    let inked = c
        .execute(
            "const cv = document.querySelector('#chart-requests canvas'); const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;\
             let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++; } return n;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        inked.as_u64().unwrap() > 2_000,
        "chart canvas nearly empty: {inked}"
    );
    let shot = c
        .find(Locator::Id("chart-outcomes"))
        .await
        .unwrap()
        .screenshot()
        .await
        .unwrap();
    assert!(
        shot.starts_with(b"\x89PNG") && shot.len() > 5_000,
        "chart screenshot {} bytes",
        shot.len()
    );
    std::fs::write(server.dir.path().join("chart.png"), &shot).unwrap();

    // Sign out: back to the sign-in page, and pages need a session again.
    click(&c, Locator::Id("logout")).await;
    wait("sign-in page", || async {
        c.current_url().await.unwrap().path() == "/login"
    })
    .await;
    c.goto(&format!("{url}/dashboard")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/login");
    c.close().await.unwrap();

    // A viewer sees the report but cannot correct it (403), page or API.
    let mut viewer = Http::new(url);
    assert_eq!(viewer.login("viewer", PASSWORD), 303);
    let (status, page) = viewer.get("/reports/1");
    assert_eq!(status, 200);
    assert!(!page.contains("id=\"correct\""));
    let csrf = viewer.csrf();
    let (status, _) = viewer.form(
        "/reports/1/cells",
        &[
            ("csrf", &csrf),
            ("key", &key),
            ("value", "0"),
            ("reason", "x"),
        ],
    );
    assert_eq!(status, 403);
    let (status, _) = viewer.json(
        "/api/reports/1/cells",
        Some(&csrf),
        serde_json::json!({"key": key, "value": 0, "reason": "x"}),
    );
    assert_eq!(status, 403);

    // Without a session the API answers 401 (JSON), the OpenAPI document is public.
    let mut anon = Http::new(url);
    for path in ["/api/reports", "/api/reports/1", "/api/stats", "/api/me"] {
        let (status, body) = anon.get(path);
        assert_eq!(status, 401, "{path}");
        assert!(body.contains("\"error\""), "{path}: {body}");
    }
    let (status, body) = anon.get("/api/openapi.json");
    assert_eq!(status, 200);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/reports/{id}/cells"]["post"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compose_a_report_in_chromium() {
    if !chromedriver() {
        return;
    }
    let server = start(5);
    let url = &server.url;
    // Last year's report of the agency is in the corpus.
    let (file, _, _) = broken_report(server.dir.path());
    let last = {
        let mut g = nianbao_synth::rng(5);
        nianbao_synth::report(&mut g, nianbao_model::Template::Y2021)
    };
    let mut h = Http::new(url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let (status, _) = h.upload(
        "/api/upload",
        &csrf,
        &[("last.html", &std::fs::read(&file).unwrap())],
        true,
    );
    assert_eq!(status, 200);

    let (_driver, c) = browser().await;
    sign_in(&c, url, "reviewer").await;
    c.goto(&format!("{url}/new?agency=%E6%B5%8B%E8%AF%95%E9%95%87%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&year=2023")).await.unwrap();
    assert!(
        c.find(Locator::Id("prefilled")).await.is_ok(),
        "carry-over prefilled from 2022"
    );
    let input = |k: &str| format!("input[data-key='{k}']");
    let carried = c
        .find(Locator::Css(&input("t3.carried_in.natural")))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        carried,
        last.int("t3.carried_over.natural").map(|v| v.to_string())
    );
    // Live checks: a row total that does not add up is flagged as it is typed, and cleared.
    let checked = || async {
        c.find(Locator::Id("live-findings"))
            .await
            .unwrap()
            .attr("data-checked")
            .await
            .unwrap()
    };
    let before = checked().await;
    for col in ["commercial", "research", "nonprofit", "legal", "other_org"] {
        c.find(Locator::Css(&input(&format!("t3.received.{col}"))))
            .await
            .unwrap()
            .send_keys("0")
            .await
            .unwrap();
    }
    let natural = c
        .find(Locator::Css(&input("t3.received.natural")))
        .await
        .unwrap();
    natural.send_keys("5").await.unwrap();
    let total = c
        .find(Locator::Css(&input("t3.received.total")))
        .await
        .unwrap();
    total.send_keys("4").await.unwrap();
    let row_total = || async {
        let list = c
            .find(Locator::Id("live-findings"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        list.contains("行：总计应等于六类申请人之和")
    };
    wait("live check", || async {
        checked().await != before && row_total().await
    })
    .await;
    assert_eq!(total.attr("class").await.unwrap().as_deref(), Some("err"));
    total.clear().await.unwrap();
    total.send_keys("5").await.unwrap();
    wait("the row-total finding to clear", || async {
        !row_total().await
    })
    .await;
    // Submit: the report is stored and shown.
    typed(
        &c,
        Locator::Css("textarea[name=s1]"),
        "2023年，本镇认真贯彻落实《条例》。",
    )
    .await;
    click(&c, Locator::Id("submit")).await;
    wait("the stored report", || async {
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/reports/")
    })
    .await;
    let cell = c
        .find(Locator::Css("td.v[data-key='t3.received.natural']"))
        .await
        .unwrap();
    assert_eq!(cell.text().await.unwrap(), "5");
    let title = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        title.contains("测试镇人民政府") && title.contains("2023"),
        "{title}"
    );
    c.close().await.unwrap();

    // The same form rendered to DOCX and PDF reads back to the typed values.
    let fields = [
        ("csrf", csrf.as_str()),
        ("agency", "测试镇人民政府"),
        ("year", "2023"),
        ("s1", "本年度工作情况。"),
        ("v:t3.received.natural", "5"),
        ("v:t3.received.commercial", "0"),
        ("v:t3.received.total", "5"),
    ];
    magic_check(&mut h, &fields, server.dir.path());
}

/// Downloads the rendered DOCX and PDF of the form and extracts them again.
fn magic_check(h: &mut Http, fields: &[(&str, &str)], dir: &std::path::Path) {
    for (to, magic) in [("docx", &b"PK"[..]), ("pdf", &b"%PDF"[..])] {
        let bytes = h.form_bytes(&format!("/new/render?to={to}"), fields);
        assert!(bytes.starts_with(magic), "{to}");
        let path = dir.join(format!("new.{to}"));
        std::fs::write(&path, &bytes).unwrap();
        let (lines, _) = common::extract(&[path]);
        assert_eq!(lines[0]["values"]["t3.received.natural"], 5, "{to}");
        assert_eq!(lines[0]["agency"], "测试镇人民政府", "{to}");
    }
}

/// A reviewer's day in Chromium: upload a batch through the form (read in the background),
/// walk the queue of reports with errors, take the proposed fix, mark the report 已审, export
/// the list as XLSX from the page (the same sheet as `nianbao export`), and see the
/// republished report keep the correction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_workflow_in_chromium() {
    if !chromedriver() {
        return;
    }
    let server = start(5);
    let url = &server.url;
    let (broken, key, good) = broken_report(server.dir.path());
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/seeds/003_c6fe95c377c36cea.txt")
        .canonicalize()
        .unwrap();
    let (_driver, c) = browser().await;
    sign_in(&c, url, "reviewer").await;

    // A batch of two through the upload form: the answer comes when the job is done.
    c.goto(&format!("{url}/upload")).await.unwrap();
    let both = format!("{}\n{}", broken.display(), seed.display());
    typed(&c, Locator::Id("files"), &both).await;
    click(&c, Locator::Id("send")).await;
    wait("both files stored", || async {
        let items = c
            .find_all(Locator::Css("#upload-results li.ok"))
            .await
            .unwrap_or_default();
        items.len() == 2
    })
    .await;

    // The queue: the first report with errors, then the next with `n`.
    c.goto(&format!("{url}/next?after=0")).await.unwrap();
    let first = c.current_url().await.unwrap().path().to_string();
    assert!(first.starts_with("/reports/"), "{first}");
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("n")
        .await
        .unwrap();
    wait("the next report in the queue", || async {
        let now = c.current_url().await.unwrap().path().to_string();
        now.starts_with("/reports/") && now != first
    })
    .await;

    // On the planted report: take the proposed fix, then mark it 已审.
    let (mut h, _) = (Http::new(url), ());
    assert_eq!(h.login("viewer", PASSWORD), 303);
    let (_, list) = h.get("/api/reports?q=%E6%B5%8B%E8%AF%95%E9%95%87");
    let id = serde_json::from_str::<serde_json::Value>(&list).unwrap()["reports"][0]["id"]
        .as_i64()
        .unwrap();
    c.goto(&format!("{url}/reports/{id}")).await.unwrap();
    click(&c, Locator::Css("button.fix")).await;
    typed(&c, Locator::Id("reason"), "与原件核对").await;
    click(&c, Locator::Id("save")).await;
    wait("the correction in the history", || async {
        c.find(Locator::Css("#history td")).await.is_ok()
    })
    .await;
    let cell = c
        .find(Locator::Css(&format!("td.v[data-key='{key}']")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(cell, good.to_string());
    c.find(Locator::Id("state"))
        .await
        .unwrap()
        .select_by_value("approved")
        .await
        .unwrap();
    click(&c, Locator::Id("save-review")).await;
    wait("已审", || async {
        c.find(Locator::Css("#review-state[data-state='approved']"))
            .await
            .is_ok()
    })
    .await;

    // Export the list as XLSX from the list page's link, in the browser.
    c.goto(&format!("{url}/")).await.unwrap();
    let href = attr(&c, Locator::Id("export-xlsx"), "href").await;
    let bytes = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(Array.from(new Uint8Array(b))));",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    let xlsx: Vec<u8> = bytes
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect();
    let cli = server.dir.path().join("cli.xlsx");
    // A person's download: Chinese headers, file names without the server's folders.
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "export",
            "--format",
            "xlsx",
            "--zh-headers",
            "--file-names",
            "-o",
        ])
        .arg(&cli)
        .arg("--db")
        .arg(server.dir.path().join("web.db"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(sheet(&xlsx), sheet(&std::fs::read(&cli).unwrap()));

    // The portal republishes the page (a line added): the new version keeps the correction.
    let again = server.dir.path().join("测试镇2022年报-更新.html");
    let html = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(
        &again,
        html.replacen("</body>", "<p>（更新）</p></body>", 1),
    )
    .unwrap();
    c.goto(&format!("{url}/upload")).await.unwrap();
    typed(&c, Locator::Id("files"), again.to_str().unwrap()).await;
    click(&c, Locator::Id("send")).await;
    wait("the new version stored", || async {
        c.find(Locator::Css("#upload-results li.ok")).await.is_ok()
    })
    .await;
    let text = c
        .find(Locator::Css("#upload-results li"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The report was approved: the new file waits for the reviewer's decision.
    assert!(text.contains("待确认的新版本"), "{text}");
    let current = |h: &mut Http| -> i64 {
        let (_, list) = h.get("/api/reports?q=%E6%B5%8B%E8%AF%95%E9%95%87");
        serde_json::from_str::<serde_json::Value>(&list).unwrap()["reports"][0]["id"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(current(&mut h), id, "the approved version stays current");
    c.goto(&format!("{url}/reports/{id}")).await.unwrap();
    click(&c, Locator::Css("#waiting-versions a")).await;
    wait("the waiting version", || async {
        c.find(Locator::Id("held-version")).await.is_ok()
    })
    .await;
    let v2: i64 = c
        .current_url()
        .await
        .unwrap()
        .path()
        .trim_start_matches("/reports/")
        .parse()
        .unwrap();
    assert_ne!(v2, id);
    click(&c, Locator::Id("make-current")).await;
    wait("made current", || async {
        c.find(Locator::Id("held-version")).await.is_err()
            && c.find(Locator::Css("#review-state[data-state='pending']"))
                .await
                .is_ok()
    })
    .await;
    assert_eq!(current(&mut h), v2);
    let decisions = c
        .find(Locator::Id("decisions"))
        .await
        .unwrap()
        .html(true)
        .await
        .unwrap();
    assert!(
        decisions.contains("第 2 版设为当前版本，替换第 1 版"),
        "{decisions}"
    );
    let cell = c
        .find(Locator::Css(&format!("td.v[data-key='{key}']")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        cell,
        good.to_string(),
        "the correction carried to the new version"
    );
    let history = c
        .find(Locator::Id("history"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(history.contains("沿用第 1 版的修改"), "{history}");
    c.close().await.unwrap();
}

/// The first worksheet's XML of an XLSX.
fn sheet(xlsx: &[u8]) -> String {
    common::zip_member(xlsx, "xl/worksheets/sheet1.xml")
}

/// 新建年报 keeps a draft in the browser: leaving with unsaved typing asks first; coming back
/// restores what was typed; the draft can be discarded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compose_drafts_survive_leaving_in_chromium() {
    if !chromedriver() {
        return;
    }
    let server = start(5);
    let url = &server.url;
    let (_driver, c) = browser().await;
    sign_in(&c, url, "reviewer").await;
    let form_url = format!("{url}/new?agency=%E8%8D%89%E7%A8%BF%E9%95%87&year=2024");
    c.goto(&form_url).await.unwrap();
    let cell = "input[data-key='t2.regulation.issued']";
    typed(&c, Locator::Css(cell), "7").await;
    typed(&c, Locator::Css("textarea[name=s1]"), "本年度工作概况。").await;
    // Leaving now would ask: the page cancels `beforeunload` while typing is unsaved.
    let asks = c
        .execute(
            "const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(asks, serde_json::json!(true));
    // Leave (the question answered "leave"), come back: the typing is there.
    c.execute(
        "document.getElementById('compose').setAttribute('data-dirty', '0')",
        vec![],
    )
    .await
    .unwrap();
    c.goto(&format!("{url}/")).await.unwrap();
    c.goto(&form_url).await.unwrap();
    assert!(
        c.find(Locator::Id("draft-restored")).await.is_ok(),
        "no draft restored"
    );
    let value = |sel: &'static str| {
        let c = c.clone();
        async move {
            c.find(Locator::Css(sel))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
        }
    };
    assert_eq!(value(cell).await.as_deref(), Some("7"));
    assert_eq!(
        value("textarea[name=s1]").await.as_deref(),
        Some("本年度工作概况。")
    );
    // Discarded: the form as it comes, no draft.
    click(&c, Locator::Id("discard-draft")).await;
    wait("the form without the draft", || async {
        c.find(Locator::Id("draft-restored")).await.is_err()
            && value(cell).await.as_deref() == Some("")
    })
    .await;
    c.close().await.unwrap();
}

/// On a phone-sized window every page fits its width: the navigation wraps instead of
/// running off the screen, and wide tables scroll inside their own box.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fit_a_phone_in_chromium() {
    if !chromedriver() {
        return;
    }
    let server = start(5);
    let url = &server.url;
    reviewer_with_broken_report(&server);
    let (_driver, c) = browser().await;
    sign_in(&c, url, "reviewer").await;
    c.set_window_size(390, 844).await.unwrap();
    for path in ["/", "/reports/1", "/dashboard", "/upload", "/new?year=2024"] {
        c.goto(&format!("{url}{path}")).await.unwrap();
        let fit = c
            .execute(
                "const w = document.documentElement.clientWidth;\
                 const items = [...document.querySelectorAll('nav a, nav button')];\
                 const lines = e => { const r = document.createRange(); r.selectNodeContents(e); \
                   return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; };\
                 const bad = items.filter(e => e.getBoundingClientRect().right > w + 1 || lines(e) > 1).length;\
                 return [document.documentElement.scrollWidth, w, bad];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, width, nav_out) = (
            fit[0].as_i64().unwrap(),
            fit[1].as_i64().unwrap(),
            fit[2].as_i64().unwrap(),
        );
        assert!(
            scroll <= width + 1,
            "{path}: page {scroll} px wide in a {width} px window"
        );
        assert_eq!(
            nav_out, 0,
            "{path}: navigation items run off the screen or break over lines"
        );
    }
    c.close().await.unwrap();
}

/// A county office's season in the browser: the region tree narrows the list province by
/// city; a campaign opened by typing its form; its board; 退回 one report with errors with a
/// click; the status filter shows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisor_season_in_chromium() {
    if !chromedriver() {
        return;
    }
    let server = start(20);
    let url = &server.url;
    let mut h = Http::new(url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let season = upload_county_season(&mut h, &csrf);
    let seed = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus/seeds/000_ea60ae7e2efea9c4.txt"),
    )
    .unwrap();
    assert_eq!(
        h.upload("/api/upload", &csrf, &[("000.txt", &seed)], true)
            .0,
        200
    );

    let (_driver, c) = browser().await;
    sign_in(&c, url, "reviewer").await;
    let rows = |c: fantoccini::Client| async move {
        c.find_all(Locator::Css("table.list tr td:first-child a"))
            .await
            .unwrap_or_default()
            .len()
    };
    assert_eq!(rows(c.clone()).await, 33);

    // The region tree: 浙江省, then 宁波市; each choice filters at once.
    c.find(Locator::Id("f-division-0"))
        .await
        .unwrap()
        .select_by_value("33")
        .await
        .unwrap();
    wait("the list of 浙江省", || async {
        c.current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or("")
            .contains("division=33")
            && rows(c.clone()).await == 32
            && c.find(Locator::Id("f-division-1")).await.is_ok()
    })
    .await;
    c.find(Locator::Id("f-division-1"))
        .await
        .unwrap()
        .select_by_value("3302")
        .await
        .unwrap();
    wait("the list of 宁波市, the county level open", || async {
        c.current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or("")
            .contains("division=3302")
            && rows(c.clone()).await == 32
            && c.find(Locator::Id("f-division-2")).await.is_ok()
    })
    .await;

    // A campaign typed into its form.
    c.goto(&format!("{url}/campaigns")).await.unwrap();
    typed(&c, Locator::Id("c-name"), "宁海县2024年度年报报送").await;
    typed(&c, Locator::Id("c-year"), "2024").await;
    typed(&c, Locator::Id("c-office"), "宁海县人民政府办公室").await;
    typed(&c, Locator::Id("c-division"), "330226").await;
    let names: Vec<&str> = season.iter().map(|f| f.name.as_str()).collect();
    typed(&c, Locator::Id("c-agencies"), &names.join("\n")).await;
    click(&c, Locator::Id("c-create")).await;
    wait("the board", || async {
        c.current_url().await.unwrap().path() == "/campaigns/1"
    })
    .await;
    let count = |c: fantoccini::Client, status: &'static str| async move {
        c.find(Locator::Css(&format!("#count-{status} b")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    assert_eq!(count(c.clone(), "overdue").await, "4");
    assert_eq!(count(c.clone(), "filed").await, "32");

    // 退回 the first report with errors, from the board: the browser asks for the reason
    // first (the field is required for 退回 only).
    let row = "(//tr[@data-status='filed'][.//span[contains(@class,'err')]])[1]";
    click(
        &c,
        Locator::XPath(&format!("{row}//button[@class='return']")),
    )
    .await;
    // Had the browser sent it, the board would have reloaded by now.
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert_eq!(
        count(c.clone(), "returned").await,
        "0",
        "returned without a reason"
    );
    c.find(Locator::XPath(&format!("{row}//input[@name='reason']")))
        .await
        .unwrap()
        .send_keys("表三各列不平衡，请核对后重新报送")
        .await
        .unwrap();
    click(
        &c,
        Locator::XPath(&format!("{row}//button[@class='return']")),
    )
    .await;
    wait("the board after 退回", || async {
        match c.find(Locator::Css("#count-returned b")).await {
            Ok(e) => e.text().await.unwrap_or_default() == "1",
            Err(_) => false,
        }
    })
    .await;
    assert_eq!(count(c.clone(), "filed").await, "31");
    let reason = c
        .find(Locator::Css("tr[data-status='returned'] .reason"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(reason, "理由：表三各列不平衡，请核对后重新报送");
    click(&c, Locator::Id("count-returned")).await;
    wait("only the returned agency", || async {
        c.current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or("")
            .contains("status=returned")
            && c.find_all(Locator::Css("#board tr[data-status]"))
                .await
                .map_or(0, |v| v.len())
                == 1
    })
    .await;
    c.close().await.unwrap();
}

/// Where the drawn box is on the shown page image, in PDF points, and the darkest pixel of
/// the image inside it (3 px in from its edges), as the browser has them.
const BOX_ON_IMAGE: &str = r#"
    const img = document.getElementById('page-img'), box = document.getElementById('page-box');
    if (box.hidden || !img.complete || !img.naturalWidth) return null;
    const dpi = parseFloat(document.getElementById('page-view').getAttribute('data-dpi'));
    const k = (img.clientWidth / img.naturalWidth) * dpi / 72;
    const i = img.getBoundingClientRect(), b = box.getBoundingClientRect();
    const pt = [b.left - i.left, b.top - i.top, b.right - i.left, b.bottom - i.top].map(v => v / k);
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const px = v => Math.round(v * dpi / 72);
    const x0 = px(pt[0]) + 3, y0 = px(pt[1]) + 3, x1 = px(pt[2]) - 3, y1 = px(pt[3]) - 3;
    const d = g.getImageData(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)).data;
    let darkest = 255;
    for (let j = 0; j < d.length; j += 4) darkest = Math.min(darkest, d[j], d[j + 1], d[j + 2]);
    return { page: document.getElementById('page-view').getAttribute('data-page'), pt, darkest };
"#;

/// A web page's report: a click on a value shows the page's own table with the cell the
/// evidence names marked, and the marked cell holds the value's raw text.
async fn web_page_cells(c: &fantoccini::Client, url: &str, id: i64, report: &serde_json::Value) {
    c.goto(&format!("{url}/reports/{id}")).await.unwrap();
    let mut checked = 0;
    for key in [
        "t2.normative.in_force",
        "t3.received.total",
        "t3.processed.natural",
        "t4.review.total",
    ] {
        let ev = &report["evidence"][key];
        if ev.is_null() || ev["raw"] == "—" {
            continue;
        }
        let place = &ev["place"];
        assert_eq!(place["kind"], "cell", "{key}");
        click(c, Locator::Css(&format!("td.v[data-key='{key}']"))).await;
        let want = (
            place["table"].to_string(),
            ev["raw"].as_str().unwrap().to_string(),
        );
        let start = Instant::now();
        loop {
            let v = c
                .execute(
                    "const t = document.getElementById('doc-table'), h = document.getElementById('doc-hit'); \
                     return t.hidden || !h ? null : [t.getAttribute('data-table'), h.textContent.replace(/\\s+/g, ' ').trim()]",
                    vec![],
                )
                .await
                .unwrap();
            if v[0].as_str() == Some(want.0.as_str()) && v[1].as_str() == Some(want.1.as_str()) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{key}: marked cell {v} is not table {} holding {:?}",
                want.0,
                want.1
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        checked += 1;
    }
    assert!(checked >= 3, "web page: {checked} cells checked");
}

/// The cell image OCR read, as the browser shows it: its size in pixels and its darkest
/// pixel.
const CROP: &str = r#"
    const img = document.getElementById('cell-crop');
    if (document.getElementById('crop-view').hidden || !img.complete || !img.naturalWidth) return null;
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let darkest = 255;
    for (let j = 0; j < d.length; j += 4) darkest = Math.min(darkest, d[j]);
    return { src: img.getAttribute('src'), w: img.naturalWidth, h: img.naturalHeight, darkest };
"#;

/// A reviewer opens a born-digital PDF, a scan and a Word file as uploaded, clicks value
/// cells, and finds the red box drawn on the shown page image where the evidence says the
/// value is — over printed ink: the PDF's own page, the scan's page as OCR straightened it
/// (with the cell image OCR read beside it), the Word file's page as LibreOffice lays it
/// out (made on the first click). Each original downloads as it was uploaded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clicked_cells_box_on_the_original_page_in_chromium() {
    if !chromedriver() || !common::soffice() {
        return;
    }
    let server = start(7);
    let url = &server.url;
    let mut h = Http::new(url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let variants =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/variants");
    let pdf = std::fs::read(variants.join("pdf/005-txt.pdf")).unwrap();
    let scan = std::fs::read(variants.join("scan/003_c6fe95c377c36cea.pdf")).unwrap();
    let word = std::fs::read(variants.join("docx/006-txt.docx")).unwrap();
    let page = std::fs::read(variants.join("html/004-txt.html")).unwrap();
    let files: Vec<(&str, &[u8])> = vec![
        ("印刷版.pdf", &pdf),
        ("扫描件.pdf", &scan),
        ("文字版.docx", &word),
        ("网页版.html", &page),
    ];
    let (status, body) = h.upload("/api/upload", &csrf, &files, true);
    assert_eq!(status, 200, "{body}");
    let (_, list) = h.get("/api/reports");
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let mut reports = Vec::new();
    for id in list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
    {
        let (_, r) = h.get(&format!("/api/reports/{id}"));
        let r: serde_json::Value = serde_json::from_str(&r).unwrap();
        let (name, bytes) = files.iter().find(|(n, _)| r["file"] == *n).unwrap();
        let (_, _, _, got) = h.get_bytes(&format!("/reports/{id}/original"));
        assert!(
            got == *bytes,
            "report {id}: the original downloads byte-identical"
        );
        reports.push((id, *name, r));
    }
    assert_eq!(reports.len(), 4);

    let (_driver, c) = browser().await;
    sign_in(&c, url, "reviewer").await;
    for (id, name, report) in &reports {
        if name.ends_with(".html") {
            web_page_cells(&c, url, *id, report).await;
            continue;
        }
        let word = name.ends_with(".docx");
        for reload in [false, true] {
            c.goto(&format!("{url}/reports/{id}")).await.unwrap();
            let mut checked = 0;
            for key in [
                "t3.received.total",
                "t3.processed.natural",
                "t4.review.total",
                "t2.regulation.issued",
                "t2.regulation.made",
                "t2.normative.in_force",
            ] {
                let ev = &report["evidence"][key];
                if ev.is_null() || ev["raw"] == "" || ev["raw"] == "—" {
                    continue;
                }
                click(&c, Locator::Css(&format!("td.v[data-key='{key}']"))).await;
                // The box the evidence names: a PDF's or scan's own place; for the Word file
                // the cell's box on its rendering, which the click has the server make.
                let place = if word {
                    assert_eq!(ev["place"]["kind"], "cell", "{name} {key}");
                    wait("the rendering", || async {
                        c.execute(
                            "return document.getElementById('evidence-info').getAttribute('data-rendering')",
                            vec![],
                        )
                        .await
                        .is_ok_and(|v| v == "ready")
                            || reload
                    })
                    .await;
                    let (status, boxes) = h.get(&format!("/reports/{id}/rendering"));
                    assert_eq!(status, 200, "{boxes}");
                    let boxes: serde_json::Value = serde_json::from_str(&boxes).unwrap();
                    boxes[key].clone()
                } else {
                    ev["place"].clone()
                };
                let want_page = place["page"].to_string();
                let want: Vec<f64> = ["x0", "y0", "x1", "y1"]
                    .iter()
                    .map(|n| place[n].as_f64().unwrap())
                    .collect();
                let start = Instant::now();
                let seen = loop {
                    let v = c.execute(BOX_ON_IMAGE, vec![]).await.unwrap();
                    let pt: Vec<f64> = v["pt"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
                        .unwrap_or_default();
                    let on_page = v["page"].as_str().is_some_and(|p| p == want_page);
                    if on_page
                        && pt.len() == 4
                        && pt.iter().zip(&want).all(|(a, b)| (a - b).abs() < 1.0)
                    {
                        break v;
                    }
                    assert!(
                        start.elapsed() < Duration::from_secs(60),
                        "{name} {key}: box {v} is not the evidence's page {want_page} {want:?}"
                    );
                    tokio::time::sleep(Duration::from_millis(100)).await;
                };
                let darkest = seen["darkest"].as_f64().unwrap();
                assert!(
                    darkest < 110.0,
                    "{name} {key}: no ink under the box (darkest {darkest})"
                );
                if name.starts_with("扫描") {
                    // The cell image OCR read: the box at 300 dpi, with ink in it.
                    let want_w = ((want[2] - want[0]) * 300.0 / 72.0).round();
                    let start = Instant::now();
                    let crop = loop {
                        let v = c.execute(CROP, vec![]).await.unwrap();
                        if v["src"]
                            .as_str()
                            .is_some_and(|s| s.contains(&format!("x0={}", want[0])))
                        {
                            break v;
                        }
                        assert!(
                            start.elapsed() < Duration::from_secs(30),
                            "{key}: no cell image"
                        );
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    };
                    let w = crop["w"].as_f64().unwrap();
                    assert!(
                        (w - want_w).abs() <= 2.0,
                        "{key}: cell image {crop} for {want:?}"
                    );
                    assert!(crop["darkest"].as_f64().unwrap() < 110.0, "{key}: {crop}");
                }
                checked += 1;
            }
            assert!(checked >= 3, "{name}: {checked} boxes checked");
            if !word {
                break;
            }
        }
        if word {
            // Once rendered, the report's evidence carries the boxes (API and page alike).
            let (_, r) = h.get(&format!("/api/reports/{id}"));
            let r: serde_json::Value = serde_json::from_str(&r).unwrap();
            let (_, boxes) = h.get(&format!("/reports/{id}/rendering"));
            let boxes: serde_json::Value = serde_json::from_str(&boxes).unwrap();
            let place = &r["evidence"]["t3.received.total"]["place"];
            assert_eq!(place["kind"], "cell");
            assert_eq!(place["rendered"], boxes["t3.received.total"]);
        }
    }
    // Zoom: the page grows and the box stays on its value.
    let before = c.execute(BOX_ON_IMAGE, vec![]).await.unwrap();
    click(&c, Locator::Id("zoom-in")).await;
    let after = c.execute(BOX_ON_IMAGE, vec![]).await.unwrap();
    let width = |v: &serde_json::Value| v["pt"][2].as_f64().unwrap() - v["pt"][0].as_f64().unwrap();
    assert!(
        (width(&before) - width(&after)).abs() < 1.0,
        "{before} {after}"
    );
    let shown_width: f64 = c
        .execute(
            "return document.getElementById('page-img').clientWidth",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    let frame: f64 = c
        .execute(
            "return document.getElementById('page-view').clientWidth",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(shown_width > frame * 1.3, "zoomed {shown_width} in {frame}");
    c.close().await.unwrap();
}
