//! The review workflow over HTTP: a queue of reports with errors not yet approved, state
//! and assignee per report, comments on cells, and two reviewers who cannot overwrite each
//! other (a change made on a page loaded before another reviewer's change is refused).

use crate::common::{broken_report, start, Http, PASSWORD};
use serde_json::{json, Value};

fn report(h: &mut Http, id: i64) -> Value {
    serde_json::from_str(&h.get(&format!("/api/reports/{id}")).1).unwrap()
}

fn id_of(h: &mut Http, q: &str) -> i64 {
    let (_, list) = h.get(&format!("/api/reports?q={q}"));
    serde_json::from_str::<Value>(&list).unwrap()["reports"][0]["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn queue_state_comments_and_no_overwrites() {
    let server = start(5);
    let mut a = Http::new(&server);
    assert_eq!(a.login("reviewer", PASSWORD), 303);
    let csrf = a.csrf();
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds");
    let seed = |n: &str| std::fs::read(seeds.join(n)).unwrap();
    let (path, key, good) = broken_report(server.dir.path());
    let files: Vec<(String, Vec<u8>)> = vec![
        ("003.txt".into(), seed("003_c6fe95c377c36cea.txt")),
        ("000.txt".into(), seed("000_ea60ae7e2efea9c4.txt")),
        ("broken.html".into(), std::fs::read(&path).unwrap()),
    ];
    let parts: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    assert_eq!(a.upload("/api/upload", &csrf, &parts, true).0, 200);
    let broken = id_of(&mut a, "%E6%B5%8B%E8%AF%95%E9%95%87");
    let seed003 = id_of(&mut a, "%E5%9F%8E%E5%85%B3%E9%95%87");
    let clean = id_of(&mut a, "%E5%8C%97%E5%86%B7");
    assert_eq!(
        report(&mut a, clean)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .count(),
        0
    );

    // The queue: reports with errors, in id order, round again past the end.
    let next = |h: &mut Http, after: i64| h.header(&format!("/next?after={after}"), "location");
    let (first, second) = (seed003.min(broken), seed003.max(broken));
    assert_eq!(next(&mut a, 0), format!("/reports/{first}"));
    assert_eq!(next(&mut a, first), format!("/reports/{second}"));
    assert_eq!(next(&mut a, second), format!("/reports/{first}"));

    // State and assignee: approved reports leave the queue.
    let (_, page) = a.get(&format!("/reports/{first}"));
    assert!(page.contains("data-state=\"pending\"") && page.contains("id=\"next-link\""));
    let (status, _) = a.form(
        &format!("/reports/{first}/review"),
        &[
            ("csrf", &csrf),
            ("state", "approved"),
            ("assignee", "reviewer"),
        ],
    );
    assert_eq!(status, 303);
    let got = report(&mut a, first);
    assert_eq!(got["review"]["state"], "approved");
    assert_eq!(got["review"]["assignee"], "reviewer");
    assert_eq!(got["review"]["user"], "reviewer");
    assert_eq!(next(&mut a, 0), format!("/reports/{second}"));
    assert_eq!(next(&mut a, second), format!("/reports/{second}"));
    let (status, body) = a.json(
        &format!("/api/reports/{first}/review"),
        Some(&csrf),
        json!({ "state": "returned" }),
    );
    assert_eq!(status, 400, "a return without a reason: {body}");
    assert!(body.contains("退回须写明理由"), "{body}");
    let (status, body) = a.json(
        &format!("/api/reports/{first}/review"),
        Some(&csrf),
        json!({ "state": "returned", "reason": "表三总计不符" }),
    );
    assert_eq!(status, 200, "{body}");
    let got = report(&mut a, first);
    assert_eq!(got["review"]["reason"], "表三总计不符");
    let decisions: Vec<(&str, &str)> = got["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["state"].as_str().unwrap(),
                d["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(decisions, [("approved", ""), ("returned", "表三总计不符")]);
    assert_eq!(
        next(&mut a, second),
        format!("/reports/{first}"),
        "returned is back in the queue"
    );
    let (status, body) = a.json(
        &format!("/api/reports/{first}/review"),
        Some(&csrf),
        json!({ "state": "done" }),
    );
    assert_eq!(status, 400, "{body}");

    // Comments on a cell.
    let (status, _) = a.form(
        &format!("/reports/{broken}/comments"),
        &[("csrf", &csrf), ("key", &key), ("body", "请与原件核对")],
    );
    assert_eq!(status, 303);
    let got = report(&mut a, broken);
    assert_eq!(got["comments"][0]["key"], key.as_str());
    assert_eq!(got["comments"][0]["body"], "请与原件核对");
    let (_, page) = a.get(&format!("/reports/{broken}"));
    assert!(
        page.contains("（一）予以公开 / 自然人</b>：请与原件核对"),
        "comment not listed by its cell"
    );
    let (status, _) = a.json(
        &format!("/api/reports/{broken}/comments"),
        Some(&csrf),
        json!({ "key": "no.such", "body": "x" }),
    );
    assert_eq!(status, 400);
    let (status, _) = a.json(
        &format!("/api/reports/{broken}/comments"),
        Some(&csrf),
        json!({ "key": key, "body": "  " }),
    );
    assert_eq!(status, 400);

    // Two reviewers open the report; the first saves; the second's save, made on the older
    // page, is refused with who changed it; after a reload it goes through.
    let mut b = Http::new(&server);
    assert_eq!(b.login("admin", PASSWORD), 303);
    let b_csrf = b.csrf();
    let rev = report(&mut a, broken)["rev"].as_i64().unwrap();
    assert_eq!(report(&mut b, broken)["rev"], rev);
    let page_rev = rev.to_string();
    let good_s = good.to_string();
    let (status, _) = a.form(
        &format!("/reports/{broken}/cells"),
        &[
            ("csrf", &csrf),
            ("key", &key),
            ("value", &good_s),
            ("reason", "核对原件"),
            ("rev", &page_rev),
        ],
    );
    assert_eq!(status, 303);
    let other = (good + 3).to_string();
    let (status, body) = b.form(
        &format!("/reports/{broken}/cells"),
        &[
            ("csrf", &b_csrf),
            ("key", &key),
            ("value", &other),
            ("reason", "我也改"),
            ("rev", &page_rev),
        ],
    );
    assert_eq!(status, 409, "{body}");
    assert!(
        body.contains("请刷新页面后再改") && body.contains("reviewer"),
        "{body}"
    );
    // The page comes back with what B typed still in the form.
    assert!(
        body.contains("id=\"form-error\""),
        "no reason above the form"
    );
    assert!(
        body.contains(&format!("placeholder=\"留空表示空白\" value=\"{other}\"")),
        "typed value lost"
    );
    assert!(body.contains("value=\"我也改\""), "typed reason lost");
    // A value the cell cannot hold: refused the same way, nothing lost.
    let fresh_rev = report(&mut b, broken)["rev"].as_i64().unwrap().to_string();
    let (status, body) = b.form(
        &format!("/reports/{broken}/cells"),
        &[
            ("csrf", &b_csrf),
            ("key", &key),
            ("value", "-1"),
            ("reason", "负数试试"),
            ("rev", &fresh_rev),
        ],
    );
    assert_eq!(status, 400);
    assert!(
        body.contains("负数")
            && body.contains("value=\"-1\"")
            && body.contains("value=\"负数试试\""),
        "{body}"
    );
    // The refusal and the correction field name the cell in words, never by its key.
    let said = nianbao_testkit::between(&body, "id=\"form-error\">", "<");
    let label = nianbao_model::cell_label(nianbao_model::Template::Y2021, &key);
    assert!(
        said.starts_with(&format!("{label}：")) && !said.contains(&key),
        "{said}"
    );
    assert!(body.contains(&format!("id=\"key-label\" required readonly size=\"40\" placeholder=\"点击表格中的数字\" value=\"{label}\"")), "{body}");
    assert_eq!(
        report(&mut b, broken)["values"][&key],
        good,
        "the first change stands"
    );
    let (status, body) = b.json(
        &format!("/api/reports/{broken}/cells"),
        Some(&b_csrf),
        json!({ "key": key, "value": good + 3, "reason": "我也改", "rev": rev }),
    );
    assert_eq!(status, 409, "{body}");
    let fresh = report(&mut b, broken)["rev"].as_i64().unwrap();
    assert_eq!(fresh, rev + 1);
    let (status, body) = b.json(
        &format!("/api/reports/{broken}/cells"),
        Some(&b_csrf),
        json!({ "key": key, "value": good, "reason": "确认", "rev": fresh }),
    );
    assert_eq!(status, 200, "{body}");

    // A report that is not there is 404, whatever is asked of it.
    for (path, body) in [
        (
            "/api/reports/999/cells",
            json!({ "key": key, "value": 1, "reason": "r" }),
        ),
        (
            "/api/reports/999/accept",
            json!({ "finding": "x|y", "reason": "r" }),
        ),
        ("/api/reports/999/review", json!({ "state": "approved" })),
        (
            "/api/reports/999/comments",
            json!({ "key": key, "body": "x" }),
        ),
    ] {
        let (status, text) = a.json(path, Some(&csrf), body);
        assert_eq!(status, 404, "{path}: {text}");
        assert!(text.contains("没有编号为 999 的报告"), "{path}: {text}");
    }

    // A viewer sees the state but cannot set it.
    let mut v = Http::new(&server);
    assert_eq!(v.login("viewer", PASSWORD), 303);
    let (_, page) = v.get(&format!("/reports/{first}"));
    assert!(page.contains("id=\"review-state\"") && !page.contains("id=\"review-form\""));
    let v_csrf = v.csrf();
    let (status, _) = v.json(
        &format!("/api/reports/{first}/review"),
        Some(&v_csrf),
        json!({ "state": "approved" }),
    );
    assert_eq!(status, 403);
}

/// A new file for a report already reviewed waits beside it: the current version stays
/// current (lists, boards, statistics) until a reviewer makes the new one current.
#[test]
fn a_new_file_for_a_reviewed_report_waits_for_a_decision() {
    let server = start(5);
    let mut a = Http::new(&server);
    assert_eq!(a.login("reviewer", PASSWORD), 303);
    let csrf = a.csrf();
    let (path, key, good) = broken_report(server.dir.path());
    let broken = std::fs::read_to_string(&path).unwrap();
    let (status, body) = a.upload(
        "/api/upload",
        &csrf,
        &[("测试镇.html", broken.as_bytes())],
        true,
    );
    assert_eq!(status, 200, "{body}");
    let first = id_of(&mut a, "%E6%B5%8B%E8%AF%95%E9%95%87");
    let (status, body) = a.json(
        &format!("/api/reports/{first}/review"),
        Some(&csrf),
        json!({ "state": "returned", "reason": "表三予以公开与总计不符" }),
    );
    assert_eq!(status, 200, "{body}");

    // The agency's corrected file: the planted cell as it should be.
    let mut g = nianbao_synth::rng(5);
    let mut r = nianbao_synth::report(&mut g, nianbao_model::Template::Y2021);
    r.agency = Some("测试镇人民政府".into());
    r.year = Some(2022);
    let fixed = nianbao_synth::html_page(&r, &nianbao_synth::HtmlStyle::default());
    let (status, body) = a.upload(
        "/api/upload",
        &csrf,
        &[("测试镇-修订.html", fixed.as_bytes())],
        true,
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("待确认的新版本"), "{body}");
    assert_eq!(
        id_of(&mut a, "%E6%B5%8B%E8%AF%95%E9%95%87"),
        first,
        "still current"
    );
    let versions = report(&mut a, first)["versions"]
        .as_array()
        .unwrap()
        .clone();
    let held: Vec<i64> = versions
        .iter()
        .filter(|v| v["held"] == true)
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert_eq!(held.len(), 1, "{versions:?}");
    let second = held[0];
    let (_, page) = a.get(&format!("/reports/{first}"));
    assert!(page.contains("id=\"waiting-versions\""), "{page}");
    let (_, page) = a.get(&format!("/reports/{second}"));
    assert!(page.contains("id=\"held-version\"") && page.contains("设为当前版本"));
    // Against the current version: the corrected cell, and no 空/0 noise.
    let diff = nianbao_testkit::between(&page, "id=\"diff\"", "</table>");
    assert_eq!(diff.matches("<tr>").count(), 2, "{diff}");
    assert!(
        diff.contains(&format!("<td>{}</td><td>{good}</td>", good + 1)),
        "{diff}"
    );
    assert_eq!(report(&mut a, second)["values"][&key], json!(good));

    // A viewer cannot decide; the reviewer makes it current.
    let mut v = Http::new(&server);
    assert_eq!(v.login("viewer", PASSWORD), 303);
    let vcsrf = v.csrf();
    let (status, _) = v.form(&format!("/reports/{second}/current"), &[("csrf", &vcsrf)]);
    assert_eq!(status, 403);
    let (status, _) = a.form(&format!("/reports/{second}/current"), &[("csrf", &csrf)]);
    assert_eq!(status, 303);
    assert_eq!(id_of(&mut a, "%E6%B5%8B%E8%AF%95%E9%95%87"), second);
    let got = report(&mut a, second);
    assert_eq!(got["review"]["state"], "pending");
    assert_eq!(
        got["decisions"][0]["reason"],
        "第 2 版设为当前版本，替换第 1 版"
    );
    assert_eq!(got["decisions"][0]["user"], "reviewer");
    // One timeline for the agency-year, newest first: who did what, when, and why.
    let events: Vec<(String, String, String)> = got["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("user"), s("what"), s("why"))
        })
        .collect();
    let want =
        |user: &str, what: &str, why: &str| (user.to_string(), what.to_string(), why.to_string());
    assert_eq!(
        events[0],
        want(
            "reviewer",
            "第 2 版审核状态：待审",
            "第 2 版设为当前版本，替换第 1 版"
        )
    );
    assert!(
        events.contains(&want("reviewer", "第 2 版入库：测试镇-修订.html", "")),
        "{events:?}"
    );
    assert!(events.contains(&want(
        "reviewer",
        "第 1 版审核状态：退回",
        "表三予以公开与总计不符"
    )));
    assert_eq!(
        events.last().unwrap(),
        &want("reviewer", "第 1 版入库：测试镇.html", "")
    );
    let (_, page) = a.get(&format!("/reports/{second}"));
    assert!(page.contains("id=\"timeline\""));
    assert!(
        page.contains("<td>第 1 版审核状态：退回</td><td>表三予以公开与总计不符</td>"),
        "{page}"
    );

    // Done once: it is no longer waiting.
    let (status, body) = a.json(
        &format!("/api/reports/{second}/current"),
        Some(&csrf),
        json!({}),
    );
    assert_eq!(status, 400, "{body}");
}

/// Comments are threads: a reply answers a comment (the same cell), a thread is marked settled
/// once; page, API and timeline show it, and a new version carries threads as they were.
#[test]
fn comments_get_replies_and_are_resolved() {
    let server = start(5);
    let mut a = Http::new(&server);
    assert_eq!(a.login("reviewer", PASSWORD), 303);
    let csrf = a.csrf();
    let (path, key, _) = broken_report(server.dir.path());
    let page = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        a.upload(
            "/api/upload",
            &csrf,
            &[("测试镇.html", page.as_bytes())],
            true
        )
        .0,
        200
    );
    let id = id_of(&mut a, "%E6%B5%8B%E8%AF%95%E9%95%87");
    let (status, body) = a.json(
        &format!("/api/reports/{id}/comments"),
        Some(&csrf),
        json!({ "key": key, "body": "这一格与原件不符？" }),
    );
    assert_eq!(status, 200, "{body}");
    let first = serde_json::from_str::<Value>(&body).unwrap()["comments"][0]["id"]
        .as_i64()
        .unwrap();
    // A reply from the page's form, and one to that reply through the API.
    let (status, _) = a.form(
        &format!("/reports/{id}/comments/{first}/reply"),
        &[("csrf", &csrf), ("body", "已与原件核对，原件如此")],
    );
    assert_eq!(status, 303);
    let second = first + 1;
    let (status, body) = a.json(
        &format!("/api/reports/{id}/comments"),
        Some(&csrf),
        json!({ "reply_to": second, "body": "好的" }),
    );
    assert_eq!(status, 200, "{body}");
    let comments = serde_json::from_str::<Value>(&body).unwrap()["comments"].clone();
    assert_eq!(comments[2]["reply_to"], second);
    assert_eq!(
        comments[2]["key"],
        key.as_str(),
        "a reply is on the same cell"
    );
    // Settled once; again is refused.
    let (status, _) = a.json(
        &format!("/api/reports/{id}/comments/{first}/resolve"),
        Some(&csrf),
        json!({}),
    );
    assert_eq!(status, 200);
    let (status, _) = a.json(
        &format!("/api/reports/{id}/comments/{first}/resolve"),
        Some(&csrf),
        json!({}),
    );
    assert_eq!(status, 404);
    let (_, page) = a.get(&format!("/reports/{id}"));
    let thread = nianbao_testkit::between(&page, &format!("id=\"comment-{first}\""), "</ul>");
    assert!(thread.contains("已解决（reviewer，"), "{thread}");
    assert!(
        thread.contains("回复：已与原件核对，原件如此") && thread.contains("回复：好的"),
        "{thread}"
    );
    assert!(
        !page.contains(&format!("id=\"resolve-{first}\"")),
        "settled: no button"
    );
    let got = report(&mut a, id);
    let whats: Vec<&str> = got["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert!(
        whats.iter().any(|w| w.starts_with("评论已解决 ")),
        "{whats:?}"
    );
    assert_eq!(
        whats.iter().filter(|w| w.starts_with("回复评论 ")).count(),
        2
    );

    // The portal republishes the page: the new version carries the thread as it was.
    let again = page_with_line(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        a.upload(
            "/api/upload",
            &csrf,
            &[("测试镇-更新.html", again.as_bytes())],
            true
        )
        .0,
        200
    );
    let v2 = id_of(&mut a, "%E6%B5%8B%E8%AF%95%E9%95%87");
    assert_ne!(v2, id);
    let carried = report(&mut a, v2)["comments"].clone();
    let root = carried[0]["id"].as_i64().unwrap();
    assert!(carried[0]["resolved"].is_array(), "{carried}");
    assert_eq!(carried[1]["reply_to"], root);
    assert_eq!(carried[2]["reply_to"], carried[1]["id"]);
}

/// The published page with one more line (a republication, same figures).
fn page_with_line(html: &str) -> String {
    html.replacen("</body>", "<p>（更新）</p></body>", 1)
}
