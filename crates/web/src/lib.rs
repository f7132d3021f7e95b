//! `nianbao serve`: the web application over the corpus store (the same SQLite file or
//! PostgreSQL server the CLI uses). Pages for people (Chinese), a JSON API under `/api/`
//! for programs, an OpenAPI document at `/api/openapi.json`.

mod api;
pub mod auth;
mod campaigns;
mod collecting;
mod compose;
mod dashboard;
mod export;
mod fail;
mod filing;
mod html;
mod jobs;
mod ledger;
pub mod log;
mod narrative;
mod pages;
mod regions;
mod report;
mod state;
mod tls;
mod tokens;

use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

pub use state::State;
pub use tls::Peer;

/// Largest file accepted by upload, unless `serve` is told otherwise.
pub const MAX_UPLOAD: usize = 50 << 20;

fn asset(name: &str) -> Option<(&'static str, &'static [u8])> {
    Some(match name {
        "app.css" => (
            "text/css; charset=utf-8",
            include_bytes!("../assets/app.css"),
        ),
        "app.js" => (
            "text/javascript; charset=utf-8",
            include_bytes!("../assets/app.js"),
        ),
        "dashboard.js" => (
            "text/javascript; charset=utf-8",
            include_bytes!("../assets/dashboard.js"),
        ),
        "compose.js" => (
            "text/javascript; charset=utf-8",
            include_bytes!("../assets/compose.js"),
        ),
        "echarts.min.js" => (
            "text/javascript; charset=utf-8",
            include_bytes!("../assets/echarts.min.js"),
        ),
        _ => return None,
    })
}

/// An asset gzipped, once (ECharts is 1 MB as is, 350 KB gzipped).
fn gzipped(name: &str, body: &'static [u8]) -> &'static [u8] {
    use std::collections::HashMap;
    use std::io::Write;
    use std::sync::{Mutex, OnceLock};
    static ZIPPED: OnceLock<Mutex<HashMap<String, &'static [u8]>>> = OnceLock::new();
    let map = ZIPPED.get_or_init(Default::default);
    let Ok(mut map) = map.lock() else { return body };
    map.entry(name.to_string()).or_insert_with(|| {
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        match z.write_all(body).and_then(|_| z.finish()) {
            Ok(bytes) => Box::leak(bytes.into_boxed_slice()),
            Err(_) => body,
        }
    })
}

async fn assets(
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let Some((ty, body)) = asset(&name) else {
        return fail::Fail::not_found().into_response();
    };
    let gzip = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let cache = (header::CACHE_CONTROL, "public, max-age=3600");
    let vary = (header::VARY, "Accept-Encoding");
    if gzip {
        let body = gzipped(&name, body);
        (
            [
                (header::CONTENT_TYPE, ty),
                cache,
                vary,
                (header::CONTENT_ENCODING, "gzip"),
            ],
            body,
        )
            .into_response()
    } else {
        ([(header::CONTENT_TYPE, ty), cache, vary], body).into_response()
    }
}

/// Headers every answer carries: no framing, no sniffing, scripts only from this server;
/// and no copy kept by the browser or a proxy of anything but the static assets (pages and
/// API answers hold what a signed-in user may see).
async fn headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let asset = req.uri().path().starts_with("/assets/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if !asset {
        h.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    h.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("same-origin"),
    );
    // A handler may set a stricter policy of its own (a rendered report page).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"),
        );
    }
    resp
}

/// The schema version the store says it holds (a query that must answer).
async fn stored_schema(st: &crate::state::Shared) -> Result<String, crate::fail::Fail> {
    st.with(|s| {
        let rows = s
            .conn()
            .query("SELECT value FROM nianbao_meta WHERE key = 'schema'", &[])?;
        Ok(rows
            .first()
            .map(|r| r.str(0).to_string())
            .unwrap_or_default())
    })
    .await
}

/// `GET /healthz`, without signing in (a monitor, a load balancer, systemd's watchdog): 200
/// with the store's schema when a query answers, 503 with the reason when it does not.
async fn health(
    axum::extract::State(st): axum::extract::State<crate::state::Shared>,
) -> axum::response::Response {
    match stored_schema(&st).await {
        Ok(schema) => axum::Json(serde_json::json!({
            "status": "ok", "schema": schema, "version": env!("CARGO_PKG_VERSION")
        }))
        .into_response(),
        Err(e) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "error", "error": e.message })),
        )
            .into_response(),
    }
}

/// `GET /readyz`, without signing in: 200 when requests can be served in full — the store
/// answers with the schema this release writes, and uploads can be spooled; else 503 with
/// every reason.
async fn ready(
    axum::extract::State(st): axum::extract::State<crate::state::Shared>,
) -> axum::response::Response {
    let mut problems: Vec<String> = Vec::new();
    match stored_schema(&st).await {
        Ok(v) if v == nianbao_corpus::schema::VERSION.to_string() => {}
        Ok(v) => problems.push(format!(
            "语料库结构版本为 {v}，应为 {} (store schema {v}, expected {})",
            nianbao_corpus::schema::VERSION,
            nianbao_corpus::schema::VERSION
        )),
        Err(e) => problems.push(format!("语料库无法访问 (store unavailable): {}", e.message)),
    }
    match st.jobs.get() {
        Some(j) => {
            if let Err(e) = j.writable() {
                problems.push(format!("上传暂存目录不可写 (spool not writable): {e}"));
            }
        }
        None => problems.push("后台读取未启动 (upload worker not started)".into()),
    }
    if problems.is_empty() {
        axum::Json(serde_json::json!({ "status": "ready" })).into_response()
    } else {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "not_ready", "problems": problems })),
        )
            .into_response()
    }
}

pub fn app(state: Arc<State>) -> Router {
    Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/", get(pages::index))
        .route("/reports/{id}", get(report::page))
        .route("/reports/{id}/cells", post(report::correct))
        .route("/reports/{id}/accept", post(report::accept))
        .route("/reports/{id}/choose", post(report::choose))
        .route("/reports/{id}/review", post(report::set_review))
        .route("/reports/{id}/current", post(report::make_current))
        .route("/reports/{id}/comments", post(report::comment))
        .route(
            "/reports/{id}/comments/{c}/{what}",
            post(report::comment_action),
        )
        .route("/next", get(report::next))
        .route("/my", get(filing::page))
        .route("/api/reports/{id}/review", post(api::set_review))
        .route("/api/reports/{id}/current", post(api::make_current))
        .route("/api/reports/{id}/comments", post(api::comment))
        .route("/api/reports/{id}/comments/{c}/resolve", post(api::resolve))
        .route("/reports/{id}/render", get(report::render))
        .route("/reports/{id}/original", get(report::original))
        .route("/reports/{id}/letter", get(report::letter))
        .route("/reports/{id}/timeline", get(report::timeline_csv))
        .route("/reports/{id}/pages/{n}", get(report::page_image))
        .route("/reports/{id}/pages/{n}/cell", get(report::cell_image))
        .route("/reports/{id}/rendering", get(report::rendered_boxes))
        .route("/reports/{id}/tables/{n}", get(report::html_table))
        .route("/agencies/{id}", get(report::agency))
        .route("/agencies/{id}/division", post(regions::set))
        .route("/agencies/{id}/narrative", get(narrative::page))
        .route("/api/divisions", get(regions::api_children))
        .route("/campaigns", get(campaigns::list).post(campaigns::create))
        .route("/campaigns/{id}", get(campaigns::page_or_csv))
        .route("/campaigns/{id}/agencies", post(campaigns::add))
        .route("/campaigns/{id}/collect", post(collecting::start))
        .route("/campaigns/{id}/assessment", get(campaigns::assessment))
        .route("/campaigns/{id}/{kind}", get(campaigns::reminders))
        .route(
            "/api/campaigns",
            get(campaigns::api_list).post(campaigns::api_create),
        )
        .route("/api/campaigns/{id}", get(campaigns::api_board))
        .route("/dashboard", get(dashboard::page))
        .route("/dashboard.csv", get(dashboard::download))
        .route("/dashboard.xlsx", get(dashboard::download))
        .route("/ledger", get(ledger::page).post(ledger::derive))
        .route("/new", get(compose::page))
        .route("/new/render", post(compose::render))
        .route("/new/submit", post(compose::submit))
        .route("/api/check", post(compose::check))
        .route("/upload", get(pages::upload_form).post(jobs::form_create))
        .route("/jobs/{id}", get(jobs::page))
        .route("/api/jobs", post(jobs::api_create))
        .route("/api/jobs/{id}", get(jobs::api_get))
        .route("/admin/users", get(pages::users).post(pages::add_user))
        .route("/admin/users/{id}", post(pages::user_action))
        .route("/admin/agencies/merge", post(pages::merge))
        .route("/assets/{name}", get(assets))
        .route("/api/me", get(api::me))
        .route(
            "/api/tokens",
            get(tokens::api_list).post(tokens::api_create),
        )
        .route(
            "/api/tokens/{name}",
            axum::routing::delete(tokens::api_revoke),
        )
        .route("/account", get(tokens::page))
        .route("/account/tokens", post(tokens::form_create))
        .route("/account/tokens/delete", post(tokens::form_revoke))
        .route("/api/reports", get(api::reports))
        .route("/api/reports/{id}", get(api::report))
        .route("/api/reports/{id}/source", get(api::source))
        .route("/api/reports/{id}/cells", post(api::correct))
        .route("/api/reports/{id}/accept", post(api::accept))
        .route("/api/reports/{id}/choose", post(api::choose))
        .route("/api/agencies", get(api::agencies))
        .route("/api/agencies/{id}/series", get(api::series))
        .route("/api/stats", get(api::stats))
        .route("/api/upload", post(api::upload))
        .route("/export", get(export::download))
        .route("/api/export", get(export::download))
        .route("/api/openapi.json", get(api::openapi))
        .layer(DefaultBodyLimit::max(4 * MAX_UPLOAD))
        .layer(axum::middleware::from_fn(headers))
        .with_state(state)
}

/// The certificate chain and private key (PEM files) to serve HTTPS with.
pub struct Tls {
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
}

/// Where uploads wait to be read when `serve` is given no `--spool`: beside a SQLite file,
/// else in the system's temporary directory, one directory per database (two servers of two
/// databases on one machine never read each other's uploads).
pub fn default_spool(db: &str) -> std::path::PathBuf {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        use sha2::Digest;
        let h: String = sha2::Sha256::digest(db.as_bytes())[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        std::env::temp_dir().join(format!("nianbao-uploads-{h}"))
    } else {
        std::path::PathBuf::from(format!("{db}.uploads"))
    }
}

/// The application's state over a store, its reader of uploads (spooled in `spool`) started:
/// what [`app`] serves. `tls` says the server speaks HTTPS (cookies are then marked secure).
/// Tests drive `app(open(..)?)` in-process; `serve` puts it behind a listener.
pub fn open(
    db: &str,
    max_upload: usize,
    spool: std::path::PathBuf,
    tls: bool,
) -> Result<Arc<State>, String> {
    let mut state = State::open(db, max_upload).map_err(|e| e.to_string())?;
    state.tls = tls;
    let state = Arc::new(state);
    let jobs = jobs::start(&state, spool)?;
    let _ = state.jobs.set(jobs);
    Ok(state)
}

/// [`app`] as `serve` runs it: every request logged on standard error (see [`log`]).
fn served(state: Arc<State>) -> Router {
    log::logged(app(state), Arc::new(|line: String| eprintln!("{line}")))
}

/// Serves until interrupted (Ctrl-C): HTTP, or HTTPS with `tls`; uploads wait in `spool`.
pub fn serve(
    db: &str,
    listen: &str,
    max_upload: usize,
    tls: Option<Tls>,
    spool: std::path::PathBuf,
    trusted_proxies: Vec<std::net::IpAddr>,
    collect_interval: std::time::Duration,
    upload_quota: u64,
) -> Result<(), String> {
    let config = tls
        .as_ref()
        .map(|t| tls::config(&t.cert, &t.key))
        .transpose()?;
    let state = open(db, max_upload, spool, config.is_some())?;
    let _ = state.trusted_proxies.set(trusted_proxies);
    *state
        .collect_interval
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = collect_interval;
    *state.upload_quota.lock().unwrap_or_else(|p| p.into_inner()) = upload_quota;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("无法监听 {listen} (cannot listen): {e}"))?;
        dashboard::warm(state.clone());
        pages::warm(state.clone());
        let addr = listener
            .local_addr()
            .map_or(listen.to_string(), |a| a.to_string());
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match config {
            Some(config) => {
                let listener =
                    tls::TlsListener::new(listener, config).map_err(|e| e.to_string())?;
                eprintln!("nianbao 已启动：https://{addr} （数据库 {db}；Ctrl-C 停止）");
                axum::serve(
                    listener,
                    served(state).into_make_service_with_connect_info::<tls::Peer>(),
                )
                .with_graceful_shutdown(stop)
                .await
            }
            None => {
                eprintln!("nianbao 已启动：http://{addr} （数据库 {db}；Ctrl-C 停止）");
                axum::serve(
                    listener,
                    served(state).into_make_service_with_connect_info::<tls::Peer>(),
                )
                .with_graceful_shutdown(stop)
                .await
            }
        }
        .map_err(|e| e.to_string())
    })
}

/// Creates a user (the first admin comes from `nianbao users add NAME --role admin`); an
/// agency user is bound to `agencies` (names, at least one). Returns the agencies bound.
pub fn add_user(
    db: &str,
    name: &str,
    password: &str,
    role: nianbao_corpus::review::Role,
    agencies: &[String],
) -> Result<Vec<String>, String> {
    use nianbao_corpus::review::Role;
    let agency = role == Role::Agency;
    if agency && agencies.iter().all(|a| a.trim().is_empty()) {
        return Err(
            "报送单位账号须用 --agency 指定所属机构 (an agency user needs --agency)".into(),
        );
    }
    if !agency && !agencies.is_empty() {
        return Err(
            "只有报送单位账号（--role agency）才有所属机构 (--agency is for agency users)".into(),
        );
    }
    auth::check_password(password).map_err(|e| e.to_string())?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err("用户名应为 1–64 个字符 (user name of 1–64 characters)".into());
    }
    let hash = auth::hash_password(password).map_err(|e| e.to_string())?;
    let mut store = nianbao_corpus::Store::open(db).map_err(|e| e.to_string())?;
    let id = store
        .create_user(name, &hash, role)
        .map_err(|e| e.to_string())?;
    if !agency {
        return Ok(Vec::new());
    }
    match store.bind_agencies(id, agencies) {
        Ok(bound) => Ok(bound.into_iter().map(|(_, n)| n).collect()),
        Err(e) => {
            let _ = store.delete_user(id);
            Err(e.to_string())
        }
    }
}
