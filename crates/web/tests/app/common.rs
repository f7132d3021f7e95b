//! The web application driven in-process: the router `nianbao serve` listens with, over a
//! fresh SQLite file with one user of each role, and the tests' cookie-keeping client
//! (`nianbao_testkit::Client`) over a transport that hands each request to the router. No
//! port, no process: each request goes through the whole router (middleware, extractors,
//! handlers, the store) and comes back as the bytes a browser would get.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub use nianbao_testkit::{
    available, between, broken_report, soffice, zip_member, zip_of, Answer, PASSWORD,
};

/// The tests' client of the in-process application.
pub type Http = nianbao_testkit::Client<InProcess>;

/// The runtime every test's requests run on (handlers use blocking threads for the store).
fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// The application over its own store (`dir/web.db`).
pub struct Server {
    pub dir: tempfile::TempDir,
    pub db: String,
    pub state: Arc<nianbao_web::State>,
    pub router: Router,
}

/// The application with users admin, reviewer and viewer (password [`PASSWORD`]), uploads
/// up to `max_upload_mb` MB.
pub fn start(max_upload_mb: usize) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("web.db").display().to_string();
    for (name, role) in [
        ("admin", nianbao_corpus::review::Role::Admin),
        ("reviewer", nianbao_corpus::review::Role::Reviewer),
        ("viewer", nianbao_corpus::review::Role::Viewer),
    ] {
        nianbao_web::add_user(&db, name, PASSWORD, role, &[]).unwrap();
    }
    let spool = nianbao_web::default_spool(&db);
    let state = nianbao_web::open(&db, max_upload_mb << 20, spool, false).unwrap();
    let router = nianbao_web::app(state.clone());
    Server {
        dir,
        db,
        state,
        router,
    }
}

/// Requests handed to the router, as from one address (sign-in throttling counts per
/// address).
pub struct InProcess {
    router: Router,
    peer: std::net::SocketAddr,
}

impl From<&Server> for InProcess {
    fn from(server: &Server) -> InProcess {
        InProcess {
            router: server.router.clone(),
            peer: "127.0.0.1:40000".parse().unwrap(),
        }
    }
}

impl nianbao_testkit::Transport for InProcess {
    fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("Host", "127.0.0.1");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut req = req.body(Body::from(body)).unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(nianbao_web::Peer(self.peer)));
        let router = self.router.clone();
        let (parts, body) = runtime().block_on(async move {
            let (parts, body) = router.oneshot(req).await.unwrap().into_parts();
            (parts, axum::body::to_bytes(body, usize::MAX).await.unwrap())
        });
        Answer {
            status: parts.status.as_u16(),
            headers: parts
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                .collect(),
            body: body.to_vec(),
        }
    }
}

/// The reviewer signed in with the planted report uploaded (as report 1): the client, its
/// CSRF token, the planted cell and the value it should have.
pub fn reviewer_with_broken_report(server: &Server) -> (Http, String, String, i64) {
    let mut h = Http::new(server);
    let (csrf, key, good) = h.reviewer_with_broken_report(server.dir.path());
    (h, csrf, key, good)
}

/// What `nianbao extract` prints for a file's bytes: read, extracted and checked by the
/// same pipeline the web uses.
pub fn extract(name: &str, bytes: &[u8]) -> serde_json::Value {
    let source = nianbao_read::read_bytes(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (r, findings) = nianbao_pipeline::analyse(&source, name);
    nianbao_model::json::to_json(name, source.format, &r, &findings)
}

/// The agencies of the reports `GET /api/reports?{query}` lists, sorted.
pub fn agencies_of(h: &mut Http, query: &str) -> Vec<String> {
    let (status, body) = h.get(&format!("/api/reports?{query}"));
    assert_eq!(status, 200, "{query}: {body}");
    let mut names: Vec<String> = serde_json::from_str::<serde_json::Value>(&body).unwrap()
        ["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["agency"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}
