//! API tokens for scripts: a signed-in user makes one (shown once), lists and revokes them;
//! a script sends `Authorization: Bearer TOKEN` to the API instead of signing in.

use crate::auth::{self, Session};
use crate::fail::Fail;
use crate::html::{self, csrf_input};
use crate::state::Shared;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, Redirect};
use axum::{Form, Json};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::{json, Value};

/// A new token: `nbt_` and 64 hex digits.
fn new_token() -> String {
    format!("nbt_{}", auth::token())
}

async fn make(st: &Shared, s: &Session, name: String) -> Result<String, Fail> {
    let token = new_token();
    let hash = auth::token_hash(&token);
    let id = s.user.id;
    st.with(move |store| store.create_token(id, &name, &hash))
        .await?;
    Ok(token)
}

#[derive(Deserialize)]
pub struct NewToken {
    name: String,
}

/// `POST /api/tokens {name}`: the token, shown this once.
pub async fn api_create(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Json(b): Json<NewToken>,
) -> Result<Json<Value>, Fail> {
    crate::api::csrf(&s, &h)?;
    let token = make(&st, &s, b.name.clone()).await.map_err(Fail::api)?;
    Ok(Json(json!({ "name": b.name.trim(), "token": token })))
}

pub async fn api_list(State(st): State<Shared>, s: Session) -> Result<Json<Value>, Fail> {
    let id = s.user.id;
    let list = st
        .with(move |store| store.tokens(id))
        .await
        .map_err(Fail::api)?;
    Ok(Json(json!({ "tokens": list })))
}

/// `DELETE /api/tokens/{name}`.
pub async fn api_revoke(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Path(name): Path<String>,
) -> Result<Json<Value>, Fail> {
    crate::api::csrf(&s, &h)?;
    let id = s.user.id;
    let had = st
        .with(move |store| store.revoke_token(id, &name))
        .await
        .map_err(Fail::api)?;
    if !had {
        return Err(Fail::not_found().api());
    }
    Ok(Json(json!({ "revoked": true })))
}

fn page_html(
    st_tokens: &[nianbao_corpus::workflow::Token],
    s: &Session,
    fresh: Option<(&str, &str)>,
) -> Markup {
    html! {
        h1 { "API 令牌" }
        p {
            "脚本调用 API 时在请求头中带上 " code { "Authorization: Bearer 令牌" }
            "，无需登录表单和 CSRF 令牌；权限与本账号（" (s.user.name) "）相同。"
        }
        @if let Some((name, token)) = fresh {
            p class="ok" id="new-token" {
                "令牌 " (name) " 已生成，只显示这一次，请立即保存：" code { (token) }
            }
        }
        table class="list" id="tokens" {
            tr { th { "名称" } th { "生成时间" } th {} }
            @for t in st_tokens {
                tr {
                    td { (t.name) }
                    td { (crate::html::when(&t.created)) }
                    td {
                        form method="post" action="/account/tokens/delete" class="inline" {
                            (csrf_input(s))
                            input type="hidden" name="name" value=(t.name);
                            button { "吊销" }
                        }
                    }
                }
            }
        }
        form method="post" action="/account/tokens" class="card narrow" {
            (csrf_input(s))
            label { "名称 " input name="name" required; }
            button id="make-token" { "生成令牌" }
        }
    }
}

pub async fn page(State(st): State<Shared>, s: Session) -> Result<Html<String>, Fail> {
    let id = s.user.id;
    let list = st.with(move |store| store.tokens(id)).await?;
    Ok(Html(html::frame(
        "API 令牌",
        Some(&s),
        page_html(&list, &s, None),
    )))
}

#[derive(Deserialize)]
pub struct TokenForm {
    csrf: String,
    name: String,
}

pub async fn form_create(
    State(st): State<Shared>,
    s: Session,
    Form(f): Form<TokenForm>,
) -> Result<Html<String>, Fail> {
    s.check_csrf(&f.csrf)?;
    let name = f.name.trim().to_string();
    let token = make(&st, &s, name.clone()).await?;
    let id = s.user.id;
    let list = st.with(move |store| store.tokens(id)).await?;
    Ok(Html(html::frame(
        "API 令牌",
        Some(&s),
        page_html(&list, &s, Some((&name, &token))),
    )))
}

pub async fn form_revoke(
    State(st): State<Shared>,
    s: Session,
    Form(f): Form<TokenForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    let id = s.user.id;
    st.with(move |store| store.revoke_token(id, f.name.trim()))
        .await?;
    Ok(Redirect::to("/account"))
}
