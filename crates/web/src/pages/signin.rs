//! Sign-in and sign-out.

use crate::auth::{self, Session};
use crate::fail::Fail;
use crate::html::frame;
use crate::state::Shared;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    csrf: String,
}

fn login_page(token: &str, error: Option<&str>) -> String {
    frame(
        "登录",
        None,
        html! {
            h1 { "登录 Sign in" }
            @if let Some(e) = error {
                p class="error" id="login-error" { (e) }
            }
            form method="post" action="/login" class="card narrow" {
                input type="hidden" name="csrf" value=(token);
                label { "用户名 " input name="name" id="name" autocomplete="username" required; }
                label {
                    "密码 "
                    input name="password" id="password" type="password" autocomplete="current-password" required;
                }
                button id="signin" { "登录" }
            }
        },
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
    let trusted = st.trusted_proxies.get().map_or(&[][..], Vec::as_slice);
    let source = auth::client(peer.0.ip(), &headers, trusted);
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
