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

#[derive(Deserialize, Default)]
pub struct UsersQuery {
    /// What the last action did (`deleted`, `disabled`, …) and to whom: said at the top.
    #[serde(default)]
    done: String,
    #[serde(default)]
    name: String,
}

/// What an action did, in words.
fn done_text(done: &str, name: &str) -> Option<String> {
    let what = match done {
        "reset" => "已重设密码，其已登录的会话已结束",
        "disabled" => "已停用，其已登录的会话已结束",
        "enabled" => "已启用",
        "unlocked" => "已解除登录限制",
        "deleted" => "已删除（修改记录中保留其用户名）",
        _ => return None,
    };
    Some(format!("用户 {name} {what}。"))
}

pub async fn users(
    State(st): State<Shared>,
    s: Session,
    axum::extract::Query(q): axum::extract::Query<UsersQuery>,
) -> Result<Html<String>, Fail> {
    s.require(Role::Admin)?;
    let list = st
        .with(|store| {
            let mut list = store.accounts()?;
            for (u, _) in list.iter_mut().filter(|(u, _)| u.role == Role::Agency) {
                u.agencies = store.agencies_of(u.id)?;
            }
            Ok(list)
        })
        .await?;
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
    // A destructive action asks first: the box must be ticked (the server checks it too).
    let confirmed = |id: i64, what: &str, label: &str, ask: &str| {
        html! {
            form method="post" action={ "/admin/users/" (id) } class="inline" {
                (c)
                input type="hidden" name="action" value=(what);
                label { input type="checkbox" name="confirm" value="1" required id={ "confirm-" (what) "-" (id) }; (ask) }
                " "
                button id={ (what) "-" (id) } { (label) }
            }
        }
    };
    let body = html! {
        h1 { "用户" }
        @if let Some(text) = done_text(&q.done, &q.name) {
            p class="ok" id="done" { (text) }
        }
        table class="list" id="users" {
            tr { th { "用户名" } th { "角色" } th { "状态" } th { "管理" } }
            @for (u, disabled) in &list {
                tr {
                    td { (u.name) }
                    td {
                        (u.role.name_zh())
                        @if !u.agencies.is_empty() {
                            "：" span class="filer-of" {
                                @for (n, (_, a)) in u.agencies.iter().enumerate() {
                                    @if n > 0 { "、" } (a)
                                }
                            }
                        }
                    }
                    td {
                        @if *disabled { "已停用" } @else { "正常" }
                        @let (locked, wait) = auth::locks(&st, &u.name);
                        @if locked > 0 {
                            " · " span class="warn" id={ "locked-" (u.id) } {
                                "登录受限（" (locked) " 个地址，约 " (wait.div_ceil(60)) " 分钟后自动解除）"
                            }
                        }
                    }
                    td {
                        form method="post" action={ "/admin/users/" (u.id) } class="inline" {
                            (c)
                            input type="hidden" name="action" value="reset";
                            input name="password" type="password" placeholder="新密码（至少 10 个字符）" id={ "password-" (u.id) };
                            button id={ "reset-" (u.id) } { "重设密码" }
                        }
                        " "
                        @if *disabled { (action(u.id, "enable", "启用")) } @else { (confirmed(u.id, "disable", "停用", "确认停用")) }
                        " " (action(u.id, "unlock", "解除登录限制")) " "
                        @if u.id != s.user.id { (confirmed(u.id, "delete", "删除", "确认删除")) }
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
                (select("role", "viewer", &[("viewer", "只读"), ("reviewer", "审核员"), ("admin", "管理员"), ("agency", "报送单位")]))
            }
            label {
                "所属机构（报送单位账号必填；代乡镇报送的可填多个，每行一个）"
                textarea name="agencies" id="new-agencies" rows="2" {}
            }
            button id="add-user" { "新增" }
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
    /// The agencies an agency user files for, one per line (or separated by 、，;).
    #[serde(default)]
    agencies: String,
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
    let agencies = agency_names(&f.agencies);
    if role == Role::Agency && agencies.is_empty() {
        return Err(Fail::bad(
            "报送单位账号须填写所属机构 (an agency user needs its agency)",
        ));
    }
    let hash = auth::hash_password(&f.password).map_err(|_| Fail::internal("hash"))?;
    st.with(move |store| {
        let id = store.create_user(&name, &hash, role)?;
        if role == Role::Agency {
            if let Err(e) = store.bind_agencies(id, &agencies) {
                let _ = store.delete_user(id);
                return Err(e);
            }
        }
        Ok(())
    })
    .await?;
    Ok(Redirect::to("/admin/users"))
}

/// Agency names as an administrator lists them: a line each, or separated by 、，,;；.
pub fn agency_names(text: &str) -> Vec<String> {
    text.split(['\n', '\r', '、', '，', ',', ';', '；'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

#[derive(Deserialize)]
pub struct UserAction {
    csrf: String,
    action: String,
    #[serde(default)]
    password: String,
    /// `1` when a destructive action was confirmed.
    #[serde(default)]
    confirm: String,
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
        "disable" | "delete" if f.confirm != "1" => {
            return Err(Fail::bad(
                "请先勾选确认再停用或删除账号 (tick the confirmation to disable or delete an account)",
            ));
        }
        "disable" => st.with(move |store| store.set_disabled(id, true)).await?,
        "enable" => st.with(move |store| store.set_disabled(id, false)).await?,
        "delete" => st.with(move |store| store.delete_user(id)).await?,
        "unlock" => auth::unlock(&st, &user.name),
        _ => return Err(Fail::bad("未知操作 (unknown action)")),
    }
    let done = match f.action.as_str() {
        "disable" => "disabled",
        "enable" => "enabled",
        "delete" => "deleted",
        "unlock" => "unlocked",
        _ => "reset",
    };
    Ok(Redirect::to(&format!(
        "/admin/users?done={done}&name={}",
        crate::pages::url(&user.name)
    )))
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
