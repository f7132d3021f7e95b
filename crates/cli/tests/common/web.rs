//! A running `nianbao serve` over a fresh store with one user of each role, and a small
//! HTTP client that keeps cookies (for the API and security tests).
#![allow(dead_code)]

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "correct-horse-42";

pub struct Server {
    pub url: String,
    pub dir: tempfile::TempDir,
    child: Child,
    db: String,
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
        let mut c = nianbao()
            .args(["users", "add", name, "--role", role, "--db"])
            .arg(&db)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        c.stdin
            .take()
            .unwrap()
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .unwrap();
        assert!(c.wait().unwrap().success());
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

/// A report text with a planted error: the generated 2022 report of 某镇 with one cell of
/// table 三 raised by 1, so exactly one cell fixes every broken identity.
pub fn broken_report(dir: &Path) -> (PathBuf, String, i64) {
    let mut g = nianbao_synth::rng(5);
    let mut r = nianbao_synth::report(&mut g, nianbao_model::Template::Y2021);
    r.agency = Some("测试镇人民政府".into());
    r.year = Some(2022);
    let key = "t3.granted.natural".to_string();
    let good = r.int(&key).unwrap();
    r.set(&key, Some(nianbao_model::Num::Int(good + 1)));
    let html = nianbao_synth::html_page(&r, &nianbao_synth::HtmlStyle::default());
    let path = dir.join("测试镇2022年报.html");
    std::fs::write(&path, html).unwrap();
    (path, key, good)
}

/// The reviewer signed in with the planted report uploaded (as report 1): the client, its
/// CSRF token, the planted cell and the value it should have.
pub fn reviewer_with_broken_report(server: &Server) -> (Http, String, String, i64) {
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let (path, key, good) = broken_report(server.dir.path());
    let bytes = std::fs::read(&path).unwrap();
    let (status, body) = h.upload("/api/upload", &csrf, &[("a.html", &bytes)], true);
    assert_eq!(status, 200, "{body}");
    (h, csrf, key, good)
}

/// A cookie-keeping HTTP client.
pub struct Http {
    pub base: String,
    cookies: Vec<(String, String)>,
    agent: ureq::Agent,
    /// An API token sent as `Authorization: Bearer …`.
    token: Option<String>,
}

impl Http {
    pub fn new(base: &str) -> Http {
        Http {
            base: base.to_string(),
            cookies: Vec::new(),
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            token: None,
        }
    }

    /// A client that sends an API token instead of cookies.
    pub fn with_token(base: &str, token: &str) -> Http {
        let mut h = Http::new(base);
        h.token = Some(token.to_string());
        h
    }

    fn authorization(&self) -> String {
        self.token
            .as_ref()
            .map_or(String::new(), |t| format!("Bearer {t}"))
    }

    /// A DELETE, the CSRF token in its header when given.
    pub fn delete(&mut self, path: &str, csrf: Option<&str>) -> (u16, String) {
        let mut req = self
            .agent
            .delete(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie_header())
            .set("Authorization", &self.authorization());
        if let Some(t) = csrf {
            req = req.set("X-CSRF-Token", t);
        }
        self.finish(req.call())
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, r: &ureq::Response) {
        for h in r.all("set-cookie") {
            if let Some((kv, _)) = h.split_once(';') {
                if let Some((k, v)) = kv.split_once('=') {
                    self.cookies.retain(|(n, _)| n != k);
                    if !v.is_empty() {
                        self.cookies.push((k.to_string(), v.to_string()));
                    }
                }
            }
        }
    }

    fn finish(&mut self, r: Result<ureq::Response, ureq::Error>) -> (u16, String) {
        let r = match r {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        };
        self.keep(&r);
        let status = r.status();
        let body = r.into_string().unwrap_or_default();
        (status, body)
    }

    pub fn get(&mut self, path: &str) -> (u16, String) {
        let req = self
            .agent
            .get(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie_header())
            .set("Authorization", &self.authorization());
        self.finish(req.call())
    }

    pub fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let req = self
            .agent
            .post(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie_header())
            .set("Authorization", &self.authorization());
        self.finish(req.send_form(fields))
    }

    /// A GET whose answer is a file: (status, content type, disposition, bytes).
    pub fn get_bytes(&mut self, path: &str) -> (u16, String, String, Vec<u8>) {
        let req = self
            .agent
            .get(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie_header())
            .set("Authorization", &self.authorization());
        let r = match req.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        };
        let head = |n: &str| r.header(n).unwrap_or("").to_string();
        let (status, kind, disposition) = (
            r.status(),
            head("content-type"),
            head("content-disposition"),
        );
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut r.into_reader(), &mut out).unwrap();
        (status, kind, disposition, out)
    }

    /// One header of a GET's answer ("" when absent).
    /// A dashboard page with its figures: while the server is still computing them the page
    /// says so and reloads itself (as a browser would, this asks again).
    pub fn dashboard(&mut self, path: &str) -> String {
        let start = std::time::Instant::now();
        loop {
            let (status, page) = self.get(path);
            assert_eq!(status, 200, "{path}: {page}");
            if !page.contains("id=\"computing\"") {
                return page;
            }
            assert!(start.elapsed().as_secs() < 60, "{path}: never computed");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    pub fn header(&mut self, path: &str, name: &str) -> String {
        let req = self
            .agent
            .get(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie_header())
            .set("Authorization", &self.authorization());
        match req.call() {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r.header(name).unwrap_or("").to_string(),
            Err(e) => panic!("{e}"),
        }
    }

    /// A form POST whose answer is a file.
    pub fn form_bytes(&mut self, path: &str, fields: &[(&str, &str)]) -> Vec<u8> {
        let r = self
            .agent
            .post(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie_header())
            .set("Authorization", &self.authorization())
            .send_form(fields)
            .unwrap();
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut r.into_reader(), &mut out).unwrap();
        out
    }

    pub fn json(
        &mut self,
        path: &str,
        csrf: Option<&str>,
        body: serde_json::Value,
    ) -> (u16, String) {
        let mut req = self
            .agent
            .post(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie_header())
            .set("Authorization", &self.authorization());
        if let Some(t) = csrf {
            req = req.set("X-CSRF-Token", t);
        }
        let req = req.set("Content-Type", "application/json");
        self.finish(req.send_string(&body.to_string()))
    }

    /// An upload of (file name, bytes) parts as `files`, the CSRF token in the `X-CSRF-Token`
    /// header (`header`) or as a `csrf` form field.
    pub fn upload(
        &mut self,
        path: &str,
        csrf: &str,
        files: &[(&str, &[u8])],
        header: bool,
    ) -> (u16, String) {
        let parts: Vec<(&str, &str, &[u8])> =
            files.iter().map(|(n, b)| ("files", *n, *b)).collect();
        if header {
            self.send_multipart(path, &[], &parts, Some(csrf))
        } else {
            self.send_multipart(path, &[("csrf", csrf)], &parts, None)
        }
    }

    /// A multipart form of text fields and (field, file name, bytes) files.
    pub fn multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> (u16, String) {
        self.send_multipart(path, fields, files, None)
    }

    fn send_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
        csrf_header: Option<&str>,
    ) -> (u16, String) {
        let boundary = "nianbao-form-boundary-2b9e";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (k, name, bytes) in files {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        let mut req = self
            .agent
            .post(&format!("{}{path}", self.base))
            .set("Cookie", &self.cookie_header())
            .set("Authorization", &self.authorization())
            .set(
                "Content-Type",
                &format!("multipart/form-data; boundary={boundary}"),
            );
        if let Some(t) = csrf_header {
            req = req.set("X-CSRF-Token", t);
        }
        self.finish(req.send_bytes(&body))
    }

    /// Signs in through the form; returns the status of the sign-in POST.
    pub fn login(&mut self, name: &str, password: &str) -> u16 {
        let (_, page) = self.get("/login");
        let token = between(&page, "name=\"csrf\" value=\"", "\"");
        self.form(
            "/login",
            &[("name", name), ("password", password), ("csrf", &token)],
        )
        .0
    }

    /// The session's CSRF token (from /api/me).
    pub fn csrf(&mut self) -> String {
        let (_, body) = self.get("/api/me");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["csrf"]
            .as_str()
            .unwrap()
            .to_string()
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

pub fn between(s: &str, a: &str, b: &str) -> String {
    let start = s
        .find(a)
        .map(|i| i + a.len())
        .unwrap_or_else(|| panic!("{a} not in page"));
    s[start..].split(b).next().unwrap().to_string()
}
