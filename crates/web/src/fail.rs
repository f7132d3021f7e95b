//! Errors of the web application: a status and a message in Chinese (English alongside),
//! answered as JSON under `/api/` and as a page elsewhere.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use nianbao_corpus::StoreError;

#[derive(Debug)]
pub struct Fail {
    pub status: StatusCode,
    pub message: String,
    /// Answer as JSON (API) rather than as a page.
    pub json: bool,
    /// Seconds to wait before trying again (429).
    pub retry_after: Option<u64>,
}

impl Fail {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Fail {
        Fail {
            status,
            message: message.into(),
            json: false,
            retry_after: None,
        }
    }
    pub fn unauthorized() -> Fail {
        Fail::new(StatusCode::UNAUTHORIZED, "请先登录 (sign in first)")
    }
    pub fn forbidden() -> Fail {
        Fail::new(
            StatusCode::FORBIDDEN,
            "没有权限执行此操作 (your role does not allow this)",
        )
    }
    pub fn not_found() -> Fail {
        Fail::new(StatusCode::NOT_FOUND, "未找到 (not found)")
    }
    pub fn bad(message: impl Into<String>) -> Fail {
        Fail::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn csrf() -> Fail {
        Fail::new(
            StatusCode::FORBIDDEN,
            "表单已过期或来源不明，请刷新页面后重试 (missing or wrong CSRF token)",
        )
    }
    pub fn internal(what: &str) -> Fail {
        Fail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("内部错误 (internal error: {what})"),
        )
    }
    pub fn store(e: StoreError) -> Fail {
        match e {
            StoreError::Rejected(m) => Fail::bad(m),
            StoreError::Conflict(m) => Fail::new(StatusCode::CONFLICT, m),
            StoreError::NotFound(m) => Fail::new(StatusCode::NOT_FOUND, m),
            other => Fail::new(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        }
    }
    pub fn api(mut self) -> Fail {
        self.json = true;
        self
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        // A page asked for without a session leads to the sign-in form.
        if self.status == StatusCode::UNAUTHORIZED && !self.json {
            return axum::response::Redirect::to("/login").into_response();
        }
        let mut resp = if self.json {
            (
                self.status,
                axum::Json(serde_json::json!({ "error": self.message })),
            )
                .into_response()
        } else {
            let body = crate::html::frame(
                "出错了",
                None,
                maud::html! {
                    h1 { (self.status.as_u16()) }
                    p class="error" { (self.message) }
                    p { a href="/" { "返回首页" } }
                },
            );
            (self.status, axum::response::Html(body)).into_response()
        };
        if let Some(s) = self.retry_after {
            if let Ok(v) = s.to_string().parse() {
                resp.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        resp
    }
}
