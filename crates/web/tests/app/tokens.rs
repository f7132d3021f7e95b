//! API tokens for scripts: made by a signed-in user (shown once), sent as
//! `Authorization: Bearer …` instead of signing in (no CSRF token needed: no browser sends
//! it by itself), with the user's role; revoked, or the user disabled, and it stops working.

use crate::common::{broken_report, start, Http, PASSWORD};
use serde_json::{json, Value};

fn token_for(server: &crate::common::Server, user: &str, name: &str) -> String {
    let mut h = Http::new(server);
    assert_eq!(h.login(user, PASSWORD), 303);
    let csrf = h.csrf();
    let (status, body) = h.json("/api/tokens", Some(&csrf), json!({ "name": name }));
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let token = v["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("nbt_") && token.len() == 68, "{token}");
    let (_, list) = h.get("/api/tokens");
    assert!(
        list.contains(name) && !list.contains(&token),
        "listed by name only: {list}"
    );
    token
}

#[test]
fn scripts_use_tokens_with_their_users_rights() {
    let server = start(5);
    let token = token_for(&server, "reviewer", "每日导入");
    let mut script = Http::with_token(&server, &token);

    // Read, upload and correct without a session or a CSRF token.
    assert_eq!(script.get("/api/reports").0, 200);
    let (path, key, good) = broken_report(server.dir.path());
    let bytes = std::fs::read(&path).unwrap();
    let (status, body) = script.upload("/api/upload", "", &[("a.html", &bytes)], true);
    assert_eq!(status, 200, "{body}");
    let (status, body) = script.json(
        "/api/reports/1/cells",
        None,
        json!({ "key": key, "value": good, "reason": "脚本核对" }),
    );
    assert_eq!(status, 200, "{body}");
    let (_, one) = script.get("/api/reports/1");
    let one: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(one["history"][0]["user"], "reviewer");

    // Pages still want a session: a token is for the API only.
    assert_ne!(script.get("/").0, 200);
    // A wrong token is nobody.
    assert_eq!(
        Http::with_token(&server, "nbt_0000").get("/api/reports").0,
        401
    );

    // A viewer's token has a viewer's rights.
    let viewer = token_for(&server, "viewer", "只读");
    let (status, _) = Http::with_token(&server, &viewer).json(
        "/api/reports/1/cells",
        None,
        json!({ "key": key, "value": good, "reason": "x" }),
    );
    assert_eq!(status, 403);

    // Revoked: it stops working; a disabled user's token too.
    let name = "%E6%AF%8F%E6%97%A5%E5%AF%BC%E5%85%A5";
    assert_eq!(script.delete(&format!("/api/tokens/{name}"), None).0, 200);
    assert_eq!(script.get("/api/reports").0, 401);
    let second = token_for(&server, "reviewer", "第二个");
    let mut admin = Http::new(&server);
    assert_eq!(admin.login("admin", PASSWORD), 303);
    let (_, users) = admin.get("/admin/users");
    let row = users
        .split("<tr>")
        .find(|r| r.starts_with("<td>reviewer</td>"))
        .unwrap();
    let id = crate::common::between(row, "action=\"/admin/users/", "\"");
    let csrf = crate::common::between(&users, "name=\"csrf\" value=\"", "\"");
    let (status, _) = admin.form(
        &format!("/admin/users/{id}"),
        &[("csrf", &csrf), ("action", "disable"), ("confirm", "1")],
    );
    assert_eq!(status, 303);
    assert_eq!(
        Http::with_token(&server, &second).get("/api/reports").0,
        401
    );
}

#[test]
fn the_account_page_makes_a_token_once_and_revokes_it() {
    let server = start(5);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let (_, page) = h.get("/account");
    let csrf = crate::common::between(&page, "name=\"csrf\" value=\"", "\"");
    let (status, made) = h.form("/account/tokens", &[("csrf", &csrf), ("name", "导出")]);
    assert_eq!(status, 200);
    let token = crate::common::between(&made, "<code>nbt_", "</code>");
    let token = format!("nbt_{token}");
    assert_eq!(Http::with_token(&server, &token).get("/api/me").0, 200);
    let (_, again) = h.get("/account");
    assert!(
        again.contains("导出") && !again.contains(&token),
        "shown once"
    );
    let (status, _) = h.form(
        "/account/tokens/delete",
        &[("csrf", &csrf), ("name", "导出")],
    );
    assert_eq!(status, 303);
    assert_eq!(Http::with_token(&server, &token).get("/api/me").0, 401);
    // Without the form's token nothing is made.
    let (status, _) = h.form("/account/tokens", &[("csrf", "guess"), ("name", "x")]);
    assert_eq!(status, 403);
}
