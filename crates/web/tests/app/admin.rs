//! Administration from the users page: reset a password, disable and enable an account,
//! lift a sign-in refusal, delete an account — each ends what it must and nothing more.

use crate::common::{start, Http, PASSWORD};

fn me(h: &mut Http) -> u16 {
    h.get("/api/me").0
}

/// The id of a user as the users page links it.
fn id_of(page: &str, name: &str) -> String {
    let row = page
        .split("<tr>")
        .find(|r| r.starts_with(&format!("<td>{name}</td>")))
        .unwrap_or_else(|| panic!("no row for {name}"));
    crate::common::between(row, "action=\"/admin/users/", "\"").to_string()
}

#[test]
fn an_admin_resets_disables_unlocks_and_deletes_accounts() {
    let server = start(5);
    let mut admin = Http::new(&server);
    assert_eq!(admin.login("admin", PASSWORD), 303);
    let (_, page) = admin.get("/admin/users");
    let csrf = crate::common::between(&page, "name=\"csrf\" value=\"", "\"").to_string();
    let (reviewer_id, viewer_id, admin_id) = (
        id_of(&page, "reviewer"),
        id_of(&page, "viewer"),
        id_of(&page, "admin"),
    );
    // Destructive actions confirmed, as the form's box makes a person do.
    let act = |h: &mut Http, id: &str, action: &str, password: &str| {
        h.form(
            &format!("/admin/users/{id}"),
            &[
                ("csrf", &csrf),
                ("action", action),
                ("password", password),
                ("confirm", "1"),
            ],
        )
        .0
    };

    // Reset: the reviewer's session ends, the old password no longer works, the new one does.
    let mut reviewer = Http::new(&server);
    assert_eq!(reviewer.login("reviewer", PASSWORD), 303);
    assert_eq!(me(&mut reviewer), 200);
    assert_eq!(
        act(&mut admin, &reviewer_id, "reset", "short"),
        400,
        "too short a password"
    );
    assert_eq!(
        act(&mut admin, &reviewer_id, "reset", "a-new-password-7"),
        303
    );
    assert_eq!(me(&mut reviewer), 401);
    assert_eq!(Http::new(&server).login("reviewer", PASSWORD), 401);
    assert_eq!(reviewer.login("reviewer", "a-new-password-7"), 303);

    // Disable: not without the confirmation; then signed out and refused, and said; enable: back.
    let (status, body) = admin.form(
        &format!("/admin/users/{reviewer_id}"),
        &[("csrf", &csrf), ("action", "disable")],
    );
    assert_eq!(status, 400);
    assert!(body.contains("请先勾选确认"), "{body}");
    assert_eq!(me(&mut reviewer), 200, "nothing done");
    assert_eq!(act(&mut admin, &reviewer_id, "disable", ""), 303);
    let (_, page) = admin.get("/admin/users?done=disabled&name=reviewer");
    assert!(page.contains("用户 reviewer 已停用，其已登录的会话已结束。"));
    assert_eq!(me(&mut reviewer), 401);
    assert_eq!(reviewer.login("reviewer", "a-new-password-7"), 401);
    let (_, page) = admin.get("/admin/users");
    assert!(
        page.contains("<td>reviewer</td><td>审核员</td><td>已停用</td>"),
        "state not shown"
    );
    assert_eq!(act(&mut admin, &reviewer_id, "enable", ""), 303);
    assert_eq!(reviewer.login("reviewer", "a-new-password-7"), 303);

    // Unlock: five wrong passwords refuse the viewer from this address; the admin lifts it.
    let mut viewer = Http::new(&server);
    for _ in 0..5 {
        assert_eq!(viewer.login("viewer", "wrong password!"), 401);
    }
    assert_eq!(viewer.login("viewer", PASSWORD), 429);
    // The users page shows who is held off, and for how long.
    let (_, page) = admin.get("/admin/users");
    assert!(
        page.contains(&format!(
            "id=\"locked-{viewer_id}\">登录受限（1 个地址，约 15 分钟后自动解除）"
        )),
        "{page}"
    );
    assert_eq!(act(&mut admin, &viewer_id, "unlock", ""), 303);
    let (_, page) = admin.get("/admin/users");
    assert!(!page.contains(&format!("id=\"locked-{viewer_id}\"")));
    assert_eq!(viewer.login("viewer", PASSWORD), 303);

    // Delete: gone; the admin cannot disable or delete the own account.
    assert_eq!(act(&mut admin, &viewer_id, "delete", ""), 303);
    assert_eq!(me(&mut viewer), 401);
    assert_eq!(Http::new(&server).login("viewer", PASSWORD), 401);
    assert_eq!(act(&mut admin, &admin_id, "disable", ""), 400);
    assert_eq!(act(&mut admin, &admin_id, "delete", ""), 400);
    // Only an admin may do any of it, with the form's token.
    assert_eq!(act(&mut reviewer, &admin_id, "disable", ""), 403);
    let (status, _) = admin.form(
        &format!("/admin/users/{reviewer_id}"),
        &[("csrf", "guess"), ("action", "disable")],
    );
    assert_eq!(status, 403);
    assert_eq!(me(&mut reviewer), 200);
}
