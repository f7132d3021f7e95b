//! One line of JSON per request for the administrator (`journalctl -u nianbao` shows
//! them): its id (also sent back as `X-Request-Id`, for a user to quote), method, path
//! without the query, status, milliseconds, and who was signed in.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Where the lines go (the server: standard error).
pub type Sink = Arc<dyn Fn(String) + Send + Sync>;

/// The user a request turned out to be, filled in by the session extractor.
#[derive(Clone, Default)]
pub struct Who(pub Arc<Mutex<Option<String>>>);

impl Who {
    pub fn set(&self, name: &str) {
        if let Ok(mut w) = self.0.lock() {
            *w = Some(name.to_string());
        }
    }
}

static NEXT: AtomicU64 = AtomicU64::new(1);

/// `router` with every request logged to `sink`.
pub fn logged(router: axum::Router, sink: Sink) -> axum::Router {
    router.layer(axum::middleware::from_fn(
        move |req: Request, next: Next| {
            let sink = sink.clone();
            async move { log(req, next, sink).await }
        },
    ))
}

async fn log(mut req: Request, next: Next, sink: Sink) -> Response {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let (method, path) = (req.method().to_string(), req.uri().path().to_string());
    let who = Who::default();
    req.extensions_mut().insert(who.clone());
    let start = Instant::now();
    let mut resp = next.run(req).await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = HeaderValue::from_str(&id.to_string()) {
        resp.headers_mut().insert("x-request-id", v);
    }
    let user = who.0.lock().ok().and_then(|w| w.clone());
    let at = nianbao_corpus::review::beijing_time(nianbao_corpus::review::unix_now());
    sink(
        serde_json::json!({
            "at": at, "id": id, "method": method, "path": path,
            "status": resp.status().as_u16(), "ms": (ms * 10.0).round() / 10.0, "user": user
        })
        .to_string(),
    );
    resp
}
