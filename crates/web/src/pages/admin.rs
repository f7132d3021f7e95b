//! Administration: accounts and their actions, agency merges.

use crate::auth::{self, Session};
use crate::fail::Fail;
use crate::html::{csrf_input, frame, select};
use crate::state::Shared;
use axum::extract::State;
use axum::response::{Html, Redirect};
use axum::Form;
use maud::html;
use nianbao_corpus::review::Role;
use serde::Deserialize;

pub async fn users(State(st): State<Shared>, s: Session) -> Result<Html<String>, Fail> {
    s.require(Role::Admin)?;
    let list = st.with(|store| store.accounts()).await?;
    let agencies = st.with(|store| store.agencies()).await?;
    let c = csrf_input(&s);
    // A one-button form acting on user `id`.
    let action = |id: i64, what: &str, label: &str| {
        html! {
            form method="post" action={ "/admin/users/" (id) } class="inline" {
                (c)
                input type="hidden" name="action" value=(what);
                button id={ (what) "-" (id) } { (label) }
            }
        }
    };
    let body = html! {
        h1 { "用户" }
        table class="list" id="users" {
            tr { th { "用户名" } th { "角色" } th { "状态" } th { "管理" } }
            @for (u, disabled) in &list {
                tr {
                    td { (u.name) }
                    td { (u.role.name_zh()) }
                    td { @if *disabled { "已停用" } @else { "正常" } }
                    td {
                        form method="post" action={ "/admin/users/" (u.id) } class="inline" {
                            (c)
                            input type="hidden" name="action" value="reset";
                            input name="password" type="password" placeholder="新密码（至少 10 个字符）" id={ "password-" (u.id) };
                            button id={ "reset-" (u.id) } { "重设密码" }
                        }
                        " "
                        @if *disabled { (action(u.id, "enable", "启用")) } @else { (action(u.id, "disable", "停用")) }
                        " " (action(u.id, "unlock", "解除登录限制")) " "
                        @if u.id != s.user.id { (action(u.id, "delete", "删除")) }
                    }
                }
            }
        }
        h2 { "新增用户" }
        form method="post" action="/admin/users" class="card narrow" {
            (c)
            label { "用户名 " input name="name" required; }
            label { "密码（至少 10 个字符）" input name="password" type="password" required; }
            label {
                "角色 "
                (select("role", "viewer", &[("viewer", "只读"), ("reviewer", "审核员"), ("admin", "管理员")]))
            }
            button { "新增" }
        }
        h2 { "合并机构" }
        form method="post" action="/admin/agencies/merge" class="card narrow" {
            (c)
            label { "保留编号 " input name="keep" required; }
            label { "并入编号 " input name="other" required; }
            button { "合并" }
        }
        table class="list" {
            tr { th { "编号" } th { "机构" } th { "地区" } th { "报告数" } }
            @for a in agencies.iter().take(500) {
                tr {
                    td { (a.id) }
                    td { a href={ "/agencies/" (a.id) } { (a.name) } }
                    td { (a.region) }
                    td { (a.reports) }
                }
            }
        }
    };
    Ok(Html(frame("用户", Some(&s), body)))
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
