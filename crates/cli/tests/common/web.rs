//! A running `nianbao serve` over a fresh store with one user of each role, and a small
//! HTTP client that keeps cookies (for the API and security tests).
#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[allow(unused_imports)]
pub use nianbao_testkit::{between, broken_report, Answer, PASSWORD};

pub struct Server {
    pub url: String,
    pub dir: tempfile::TempDir,
    child: Child,
    pub db: String,
    host: String,
    extra: Vec<String>,
    scheme: String,
}

impl Server {
    /// Stops the server (killed, as a crash or power cut would) and starts it again over the
    /// same store and spool, on a new port.
    pub fn restart(mut self) -> Server {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().unwrap();
        let kept = std::mem::replace(&mut self.dir, dir);
        let extra: Vec<&str> = self.extra.iter().map(String::as_str).collect();
        launch(kept, self.db.clone(), &self.host, &extra, &self.scheme)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn nianbao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
}

/// Starts the server on a free port with users admin, reviewer and viewer.
pub fn start(max_upload_mb: usize) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("web.db").display().to_string();
    start_on(dir, db, max_upload_mb)
}

/// The same over a store given by its spec (a PostgreSQL URL).
pub fn start_on(dir: tempfile::TempDir, db: String, max_upload_mb: usize) -> Server {
    let mb = max_upload_mb.to_string();
    serve(dir, db, "127.0.0.1", &["--max-upload-mb", &mb], "http")
}

/// The server listening on `host` (a free port), with `extra` arguments to `serve`; its URL
/// uses `scheme`.
pub fn start_at(host: &str, extra: &[&str], scheme: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("web.db").display().to_string();
    serve(dir, db, host, extra, scheme)
}

fn serve(dir: tempfile::TempDir, db: String, host: &str, extra: &[&str], scheme: &str) -> Server {
    for (name, role) in [
        ("admin", "admin"),
        ("reviewer", "reviewer"),
        ("viewer", "viewer"),
    ] {
        assert!(nianbao_testkit::with_password(
            nianbao()
                .args(["users", "add", name, "--role", role, "--db"])
                .arg(&db),
            PASSWORD
        ));
    }
    launch(dir, db, host, extra, scheme)
}

fn launch(dir: tempfile::TempDir, db: String, host: &str, extra: &[&str], scheme: &str) -> Server {
    let port = free_port();
    let child = nianbao()
        .args(["serve", "--listen", &format!("{host}:{port}")])
        .args(extra)
        .arg("--db")
        .arg(&db)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("{scheme}://{host}:{port}");
    let start = Instant::now();
    while std::net::TcpStream::connect((host, port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Server {
        url,
        dir,
        child,
        db,
        host: host.to_string(),
        extra: extra.iter().map(|s| s.to_string()).collect(),
        scheme: scheme.to_string(),
    }
}

/// The reviewer signed in with the planted report uploaded (as report 1): the client, its
/// CSRF token, the planted cell and the value it should have.
pub fn reviewer_with_broken_report(server: &Server) -> (Http, String, String, i64) {
    let mut h = Http::new(&server.url);
    let (csrf, key, good) = h.reviewer_with_broken_report(server.dir.path());
    (h, csrf, key, good)
}

/// The tests' client of a running server, over HTTP.
pub type Http = nianbao_testkit::Client<Ureq>;

/// Requests over HTTP to the server at `base`, redirects not followed.
pub struct Ureq {
    base: String,
    agent: ureq::Agent,
}

impl From<&String> for Ureq {
    fn from(base: &String) -> Ureq {
        Ureq::from(base.as_str())
    }
}

impl From<&str> for Ureq {
    fn from(base: &str) -> Ureq {
        Ureq {
            base: base.to_string(),
            agent: ureq::AgentBuilder::new().redirects(0).build(),
        }
    }
}

impl nianbao_testkit::Transport for Ureq {
    fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Answer {
        let mut req = self.agent.request(method, &format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        let r = match req.send_bytes(&body) {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{method} {path}: {e}"),
        };
        let mut headers = Vec::new();
        for name in r.headers_names() {
            for v in r.all(&name) {
                headers.push((name.clone(), v.to_string()));
            }
        }
        let status = r.status();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut r.into_reader(), &mut body).unwrap();
        Answer {
            status,
            headers,
            body,
        }
    }
}

/// A county's filing season (宁海县: government, 20 departments, its first 15 townships; see
/// `nianbao_synth::season`), uploaded by a signed-in reviewer; what each agency filed.
pub fn upload_county_season(h: &mut Http, csrf: &str) -> Vec<nianbao_synth::Filing> {
    let townships: Vec<&str> = nianbao_division::all()
        .children("330226")
        .iter()
        .take(15)
        .map(|d| d.name)
        .collect();
    let season = nianbao_synth::season(&mut nianbao_synth::rng(14), "宁海县", &townships, 2024);
    let files: Vec<(String, Vec<u8>)> = season
        .iter()
        .filter_map(|f| Some((format!("{}.txt", f.name), f.text.clone()?.into_bytes())))
        .collect();
    let parts: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    assert_eq!(h.upload("/api/upload", csrf, &parts, true).0, 200);
    season
}
