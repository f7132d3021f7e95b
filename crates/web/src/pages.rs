//! Sign-in, the corpus browser, uploads and user administration.

use crate::auth::{self, Session};
use crate::fail::Fail;
use crate::html::{csrf_field, esc, layout};
use crate::state::Shared;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use nianbao_corpus::review::{Role, Summary};
use nianbao_corpus::store::{Filter, Status};
use nianbao_model::Template;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    csrf: String,
}

fn login_page(token: &str, error: Option<&str>) -> String {
    let error = error.map_or(String::new(), |e| {
        format!("<p class=\"error\" id=\"login-error\">{}</p>", esc(e))
    });
    layout(
        "登录",
        None,
        &format!(
            "<h1>登录 Sign in</h1>{error}<form method=\"post\" action=\"/login\" class=\"card narrow\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <label>用户名 <input name=\"name\" id=\"name\" autocomplete=\"username\" required></label>\
             <label>密码 <input name=\"password\" id=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
             <button id=\"signin\">登录</button></form>",
            esc(token)
        ),
    )
}

/// The sign-in form, with a fresh pre-sign-in CSRF token in a cookie and the form.
pub async fn login_form(State(st): State<Shared>, headers: HeaderMap) -> Response {
    let t = auth::token();
    (
        [(
            header::SET_COOKIE,
            auth::set_cookie(auth::LOGIN_COOKIE, &t, 3600, auth::https(&st, &headers)),
        )],
        Html(login_page(&t, None)),
    )
        .into_response()
}

pub async fn login(
    State(st): State<Shared>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<crate::tls::Peer>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, Fail> {
    let expected = auth::cookie(&headers, auth::LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::same(&expected, &f.csrf) {
        return Err(Fail::csrf());
    }
    let name = f.name.trim().to_string();
    let source = peer.0.ip();
    auth::may_try(&st, source, &name).map_err(auth::too_many)?;
    let n = name.clone();
    let found = st.with(move |s| s.user_by_name(&n)).await?;
    let password = f.password;
    let verified = tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) if auth::verify_password(&password, &hash) => Some(user),
        // Hash anyway, so a wrong name takes as long as a wrong password.
        _ => {
            let _ = auth::verify_password(&password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE");
            None
        }
    })
    .await
    .map_err(|_| Fail::internal("verify"))?;
    let Some(user) = verified else {
        let late = auth::failed(&st, source, &name);
        tokio::time::sleep(late).await;
        let t = auth::token();
        return Ok((
            StatusCode::UNAUTHORIZED,
            [(
                header::SET_COOKIE,
                auth::set_cookie(auth::LOGIN_COOKIE, &t, 3600, auth::https(&st, &headers)),
            )],
            Html(login_page(
                &t,
                Some("用户名或密码错误 (wrong user name or password)"),
            )),
        )
            .into_response());
    };
    auth::succeeded(&st, source, &name);
    let token = auth::token();
    let (hash, csrf) = (auth::token_hash(&token), auth::token());
    let expires = nianbao_corpus::review::unix_now() + auth::SESSION_SECS;
    st.with(move |s| s.create_session(&hash, user.id, &csrf, expires))
        .await?;
    Ok((
        [(
            header::SET_COOKIE,
            auth::set_cookie(
                auth::COOKIE,
                &token,
                auth::SESSION_SECS,
                auth::https(&st, &headers),
            ),
        )],
        Redirect::to("/"),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(st): State<Shared>,
    headers: HeaderMap,
    s: Session,
    Form(f): Form<CsrfForm>,
) -> Result<Response, Fail> {
    s.check_csrf(&f.csrf)?;
    let h = s.token_hash.clone();
    st.with(move |store| store.end_session(&h)).await?;
    Ok((
        [(
            header::SET_COOKIE,
            auth::set_cookie(auth::COOKIE, "", 0, auth::https(&st, &headers)),
        )],
        Redirect::to("/login"),
    )
        .into_response())
}

/// Filters of the report list (query string; empty fields mean no filter).
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub region: String,
    /// A national division code (see `regions::cascader`).
    #[serde(default)]
    pub division: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub template: String,
    #[serde(default)]
    pub status: String,
    /// Words in the agency name.
    #[serde(default)]
    pub q: String,
    /// Words in the report text.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub page: Option<i64>,
}

impl ListQuery {
    /// The filters as a query string (without the page).
    pub fn query(&self) -> String {
        format!(
            "q={}&text={}&region={}&division={}&year={}&level={}&template={}&status={}",
            url(&self.q),
            url(&self.text),
            url(&self.region),
            url(&self.division),
            url(&self.year),
            url(&self.level),
            url(&self.template),
            url(&self.status)
        )
    }

    pub fn filter(&self) -> Filter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Filter {
            years: self
                .year
                .split(',')
                .filter_map(|y| y.trim().parse().ok())
                .collect(),
            region: some(&self.region),
            division: Some(crate::regions::clean(&self.division)).filter(|c| !c.is_empty()),
            template: Template::parse(self.template.trim()),
            level: some(&self.level),
            status: match self.status.as_str() {
                "errors" => Some(Status::Errors),
                "warnings" => Some(Status::Warnings),
                "clean" => Some(Status::Clean),
                _ => None,
            },
            name: some(&self.q),
            text: some(&self.text),
            ..Filter::default()
        }
    }
}

pub const PAGE: i64 = 50;

fn status_badge(r: &Summary) -> String {
    if r.errors > 0 {
        format!("<span class=\"badge err\">错误 {}</span>", r.errors)
    } else if r.warnings > 0 {
        format!("<span class=\"badge warn\">警告 {}</span>", r.warnings)
    } else {
        "<span class=\"badge ok\">通过</span>".into()
    }
}

fn select(name: &str, current: &str, options: &[(&str, &str)]) -> String {
    let opts: String = options
        .iter()
        .map(|(v, label)| {
            let sel = if *v == current { " selected" } else { "" };
            format!("<option value=\"{}\"{sel}>{}</option>", esc(v), esc(label))
        })
        .collect();
    format!("<select name=\"{name}\" id=\"f-{name}\">{opts}</select>")
}

pub async fn index(
    State(st): State<Shared>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, Fail> {
    let page = q.page.unwrap_or(1).max(1);
    let filter = q.filter();
    let (total, rows) = st
        .with(move |store| store.list(&filter, (page - 1) * PAGE, PAGE))
        .await?;
    let tree = crate::regions::cascader(&*crate::regions::counts(&st).await?, &q.division);
    let form = format!(
        "<form method=\"get\" action=\"/\" class=\"filters\">\
         <input name=\"q\" id=\"f-q\" placeholder=\"机构名称\" value=\"{}\">\
         <input name=\"text\" id=\"f-text\" placeholder=\"正文中的词\" value=\"{}\">\
         {tree}<input name=\"region\" placeholder=\"地区\" value=\"{}\">\
         <input name=\"year\" placeholder=\"年度\" size=\"6\" value=\"{}\">{}{}{}\
         <button id=\"search\">筛选</button></form>",
        esc(&q.q),
        esc(&q.text),
        esc(&q.region),
        esc(&q.year),
        select(
            "level",
            &q.level,
            &[
                ("", "全部层级"),
                ("乡镇/街道", "乡镇/街道"),
                ("县级政府", "县级政府"),
                ("县级部门", "县级部门"),
                ("市级政府", "市级政府"),
                ("市级部门", "市级部门"),
                ("省级政府", "省级政府"),
                ("省级部门", "省级部门")
            ]
        ),
        select(
            "template",
            &q.template,
            &[
                ("", "全部格式"),
                ("2021", "2021年版"),
                ("2019", "2019年版"),
                ("legacy", "2019年以前")
            ]
        ),
        select(
            "status",
            &q.status,
            &[
                ("", "全部状态"),
                ("errors", "有错误"),
                ("warnings", "有警告"),
                ("clean", "通过")
            ]
        ),
    );
    let body: String = rows
        .iter()
        .map(|r| {
            format!(
                "<tr><td><a href=\"/reports/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.id,
                esc(if r.agency.is_empty() { "（机构不详）" } else { &r.agency }),
                esc(&r.region),
                esc(&r.level),
                r.year.map_or("—".into(), |y| y.to_string()),
                esc(Template::parse(&r.template).map_or(r.template.as_str(), |t| t.name_zh())),
                status_badge(r)
            )
        })
        .collect();
    let pages = (total + PAGE - 1) / PAGE;
    let link = |p: i64, label: &str| {
        let qs = format!("{}&page={p}", q.query());
        format!("<a href=\"/?{}\">{label}</a>", esc(&qs))
    };
    let export: String = [
        ("csv", "CSV"),
        ("xlsx", "XLSX"),
        ("parquet", "Parquet"),
        ("json", "JSON"),
    ]
    .iter()
    .map(|(f, label)| {
        let qs = format!("{}&format={f}", q.query());
        format!(
            "<a class=\"export\" id=\"export-{f}\" href=\"/export?{}\">{label}</a>",
            esc(&qs)
        )
    })
    .collect::<Vec<_>>()
    .join(" ");
    let export = format!("<p class=\"exports\">导出筛选结果（{total} 份）：{export}</p>");
    let nav = format!(
        "<p class=\"pager\">共 {total} 份 · 第 {page}/{} 页 {} {}</p>",
        pages.max(1),
        if page > 1 {
            link(page - 1, "上一页")
        } else {
            String::new()
        },
        if page < pages {
            link(page + 1, "下一页")
        } else {
            String::new()
        }
    );
    Ok(Html(layout(
        "报告",
        Some(&s),
        &format!(
            "<h1>报告</h1>{form}{export}<table class=\"list\" id=\"reports\"><thead><tr><th>机构</th><th>地区</th><th>层级</th><th>年度</th><th>格式</th><th>状态</th></tr></thead><tbody>{body}</tbody></table>{nav}"
        ),
    )))
}

/// Percent-encodes a query value.
pub fn url(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn upload_form(State(st): State<Shared>, s: Session) -> Result<Html<String>, Fail> {
    s.require(Role::Reviewer)?;
    Ok(Html(layout(
        "上传",
        Some(&s),
        &format!(
            "<h1>上传报告</h1><p>可一次选择多个文件，或一个 zip 压缩包（txt、md、html、doc、docx、wps、pdf、ofd）。单个文件上限 {} MB。</p>\
             <form method=\"post\" action=\"/upload\" enctype=\"multipart/form-data\" id=\"upload-form\" class=\"card\">{}\
             <div id=\"drop\" class=\"drop\">把文件拖到这里，或 <input type=\"file\" name=\"files\" id=\"files\" multiple></div>\
             <progress id=\"progress\" max=\"100\" value=\"0\" hidden></progress>\
             <button id=\"send\">上传</button></form><div id=\"results\"></div>",
            (st.max_upload >> 20).max(1),
            csrf_field(&s)
        ),
    )))
}

/// Why an uploaded file name is refused, if it is.
pub fn unsafe_name(name: &str) -> Option<&'static str> {
    let bad = name.is_empty()
        || name.len() > 255
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0'])
        || name.contains("..")
        || name.chars().any(char::is_control);
    bad.then_some("文件名不安全（含路径或特殊字符），已拒绝 (unsafe file name; refused)")
}

/// One uploaded file's fate.
#[derive(serde::Serialize)]
pub struct Received {
    pub file: String,
    pub ok: bool,
    pub message: String,
}

/// Saves the uploaded files in a private directory (names checked, sizes bounded while
/// reading) and ingests them. Files refused before ingest are listed with their reason.
pub async fn receive(
    st: &Shared,
    mp: Multipart,
    s: &Session,
    api: bool,
) -> Result<Vec<Received>, Fail> {
    let mark = |f: Fail| if api { f.api() } else { f };
    let dir = tempfile::tempdir().map_err(|_| mark(Fail::internal("tempdir")))?;
    let (saved, mut out) = accept_files(st, mp, s, api, dir.path()).await?;
    if !saved.is_empty() {
        let dir_path = dir.path().to_path_buf();
        let outcomes = st
            .with(move |store| {
                let mut list = Vec::new();
                nianbao_corpus::ingest::ingest_dir_as(
                    store,
                    &dir_path,
                    "上传/",
                    &mut |name, o| list.push((name.to_string(), o.clone())),
                )?;
                Ok(list)
            })
            .await
            .map_err(mark)?;
        for (file, o) in outcomes {
            let (ok, message) = outcome_text(&o);
            out.push(Received {
                file: file.trim_start_matches("上传/").to_string(),
                ok,
                message,
            });
        }
    }
    Ok(out)
}

/// Whether an ingest outcome is good, and what to tell the person.
pub fn outcome_text(o: &nianbao_corpus::ingest::Outcome) -> (bool, String) {
    use nianbao_corpus::ingest::Outcome;
    use nianbao_corpus::store::Saved;
    match o {
        Outcome::Saved(Saved::New) => (true, "已入库 (stored)".to_string()),
        Outcome::Saved(Saved::NewVersion) => {
            (true, "已入库为新版本 (stored as a new version)".to_string())
        }
        Outcome::Saved(Saved::Unchanged) => (true, "已存在，未变 (already stored)".to_string()),
        Outcome::Failed(reason) | Outcome::Skipped(reason) => (false, reason.clone()),
    }
}

/// Saves the files of an upload in `dir` (names checked, sizes bounded while reading):
/// the names saved, and the files refused with their reason.
pub async fn accept_files(
    st: &Shared,
    mut mp: Multipart,
    s: &Session,
    api: bool,
    dir: &std::path::Path,
) -> Result<(Vec<String>, Vec<Received>), Fail> {
    let mark = |f: Fail| if api { f.api() } else { f };
    let mut out = Vec::new();
    let mut csrf_ok = api;
    let mut saved = Vec::new();
    while let Some(mut field) = mp
        .next_field()
        .await
        .map_err(|e| mark(Fail::bad(format!("上传数据不完整 (broken upload): {e}"))))?
    {
        if field.name() == Some("csrf") {
            let v = field.text().await.unwrap_or_default();
            csrf_ok = auth::same(&v, &s.csrf);
            continue;
        }
        if !csrf_ok {
            return Err(mark(Fail::csrf()));
        }
        let Some(name) = field.file_name().map(str::to_string) else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        if let Some(reason) = unsafe_name(&name) {
            out.push(Received {
                file: name,
                ok: false,
                message: reason.into(),
            });
            continue;
        }
        let path = dir.join(&name);
        let mut bytes = Vec::new();
        let mut too_big = false;
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| mark(Fail::bad(format!("上传中断 (upload broken): {e}"))))?
        {
            if bytes.len() + chunk.len() > st.max_upload {
                too_big = true;
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        if too_big {
            out.push(Received {
                file: name,
                ok: false,
                message: format!(
                    "文件超过 {} MB 上限，已拒绝 (file too large)",
                    st.max_upload >> 20
                ),
            });
            continue;
        }
        tokio::fs::write(&path, &bytes)
            .await
            .map_err(|_| mark(Fail::internal("write")))?;
        saved.push(name);
    }
    if !csrf_ok {
        return Err(mark(Fail::csrf()));
    }
    Ok((saved, out))
}

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
    auth::check_password(&f.password).map_err(Fail::bad)?;
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
            auth::check_password(&f.password).map_err(Fail::bad)?;
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
