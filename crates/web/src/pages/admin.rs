//! Administration: accounts and their actions, agency merges.

use super::list::select;
use crate::auth::{self, Session};
use crate::fail::Fail;
use crate::html::{csrf_field, esc, layout};
use crate::state::Shared;
use axum::extract::State;
use axum::response::{Html, Redirect};
use axum::Form;
use nianbao_corpus::review::Role;
use serde::Deserialize;

pub async fn users(State(st): State<Shared>, s: Session) -> Result<Html<String>, Fail> {
    s.require(Role::Admin)?;
    let list = st.with(|store| store.accounts()).await?;
    let agencies = st.with(|store| store.agencies()).await?;
    let c = csrf_field(&s);
    let rows: String = list
        .iter()
        .map(|(u, disabled)| {
            let action = |what: &str, label: &str| {
                format!(
                    "<form method=\"post\" action=\"/admin/users/{}\" class=\"inline\">{c}<input type=\"hidden\" name=\"action\" value=\"{what}\"><button id=\"{what}-{}\">{label}</button></form>",
                    u.id, u.id
                )
            };
            let state = if *disabled { "已停用" } else { "正常" };
            let toggle = if *disabled { action("enable", "启用") } else { action("disable", "停用") };
            format!(
                "<tr><td>{}</td><td>{}</td><td>{state}</td><td>\
                 <form method=\"post\" action=\"/admin/users/{}\" class=\"inline\">{c}<input type=\"hidden\" name=\"action\" value=\"reset\">\
                 <input name=\"password\" type=\"password\" placeholder=\"新密码（至少 10 个字符）\" id=\"password-{}\"><button id=\"reset-{}\">重设密码</button></form> \
                 {toggle} {} {}</td></tr>",
                esc(&u.name),
                u.role.name_zh(),
                u.id,
                u.id,
                u.id,
                action("unlock", "解除登录限制"),
                if u.id == s.user.id { String::new() } else { action("delete", "删除") }
            )
        })
        .collect();
    let agency_rows: String = agencies
        .iter()
        .take(500)
        .map(|a| format!("<tr><td>{}</td><td><a href=\"/agencies/{}\">{}</a></td><td>{}</td><td>{}</td></tr>", a.id, a.id, esc(&a.name), esc(&a.region), a.reports))
        .collect();
    Ok(Html(layout(
        "用户",
        Some(&s),
        &format!(
            "<h1>用户</h1><table class=\"list\" id=\"users\"><tr><th>用户名</th><th>角色</th><th>状态</th><th>管理</th></tr>{rows}</table>\
             <h2>新增用户</h2><form method=\"post\" action=\"/admin/users\" class=\"card narrow\">{c}\
             <label>用户名 <input name=\"name\" required></label><label>密码（至少 10 个字符）<input name=\"password\" type=\"password\" required></label>\
             <label>角色 {}</label><button>新增</button></form>\
             <h2>合并机构</h2><form method=\"post\" action=\"/admin/agencies/merge\" class=\"card narrow\">{c}\
             <label>保留编号 <input name=\"keep\" required></label><label>并入编号 <input name=\"other\" required></label><button>合并</button></form>\
             <table class=\"list\"><tr><th>编号</th><th>机构</th><th>地区</th><th>报告数</th></tr>{agency_rows}</table>",
            select("role", "viewer", &[("viewer", "只读"), ("reviewer", "审核员"), ("admin", "管理员")])
        ),
    )))
}

#[derive(Deserialize)]
pub struct NewUser {
    csrf: String,
    name: String,
    password: String,
    role: String,
}

pub async fn add_user(
    State(st): State<Shared>,
    s: Session,
    Form(f): Form<NewUser>,
) -> Result<Redirect, Fail> {
    s.require(Role::Admin)?;
    s.check_csrf(&f.csrf)?;
    let role = Role::parse(&f.role).ok_or_else(|| Fail::bad("角色不对 (unknown role)"))?;
    let name = f.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(Fail::bad(
            "用户名应为 1–64 个字符 (user name of 1–64 characters)",
        ));
    }
    auth::check_password(&f.password).map_err(|e| Fail::bad(e.to_string()))?;
    let hash = auth::hash_password(&f.password).map_err(|_| Fail::internal("hash"))?;
    st.with(move |store| store.create_user(&name, &hash, role))
        .await?;
    Ok(Redirect::to("/admin/users"))
}

#[derive(Deserialize)]
pub struct UserAction {
    csrf: String,
    action: String,
    #[serde(default)]
    password: String,
}

/// An administrator's action on an account: reset its password, disable or enable it,
/// lift sign-in refusals, delete it. Resetting and disabling end the user's sessions.
pub async fn user_action(
    State(st): State<Shared>,
    s: Session,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(f): Form<UserAction>,
) -> Result<Redirect, Fail> {
    s.require(Role::Admin)?;
    s.check_csrf(&f.csrf)?;
    let (user, _) = st
        .with(move |store| store.account(id))
        .await?
        .ok_or_else(Fail::not_found)?;
    match f.action.as_str() {
        "reset" => {
            auth::check_password(&f.password).map_err(|e| Fail::bad(e.to_string()))?;
            let hash = auth::hash_password(&f.password).map_err(|_| Fail::internal("hash"))?;
            st.with(move |store| store.set_password(id, &hash)).await?;
            auth::unlock(&st, &user.name);
        }
        "disable" | "delete" if id == s.user.id => {
            return Err(Fail::bad(
                "不能停用或删除自己的账号 (you cannot disable or delete your own account)",
            ));
        }
        "disable" => st.with(move |store| store.set_disabled(id, true)).await?,
        "enable" => st.with(move |store| store.set_disabled(id, false)).await?,
        "delete" => st.with(move |store| store.delete_user(id)).await?,
        "unlock" => auth::unlock(&st, &user.name),
        _ => return Err(Fail::bad("未知操作 (unknown action)")),
    }
    Ok(Redirect::to("/admin/users"))
}

#[derive(Deserialize)]
pub struct Merge {
    csrf: String,
    keep: String,
    other: String,
}

pub async fn merge(
    State(st): State<Shared>,
    s: Session,
    Form(f): Form<Merge>,
) -> Result<Redirect, Fail> {
    s.require(Role::Admin)?;
    s.check_csrf(&f.csrf)?;
    let (Ok(keep), Ok(other)) = (f.keep.trim().parse::<i64>(), f.other.trim().parse::<i64>())
    else {
        return Err(Fail::bad("机构编号应为数字 (agency ids are numbers)"));
    };
    st.with(move |store| store.merge_agencies(keep, other))
        .await?;
    Ok(Redirect::to(&format!("/agencies/{keep}")))
}
