//! What the web tests share, whether they talk to a running `nianbao serve` over HTTP
//! (`crates/cli/tests`) or drive the router in-process (`crates/web/tests`): a client that
//! keeps cookies and speaks the application's forms, JSON and uploads over a [`Transport`];
//! the planted report most web tests start from; whether a tool is installed; zip members.

pub mod portal;
pub mod sites;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The password every test user has.
pub const PASSWORD: &str = "correct-horse-42";

/// Runs `cmd` (a `nianbao users add …`) with `password` on its standard input, its output
/// discarded; whether it succeeded.
pub fn with_password(cmd: &mut std::process::Command, password: &str) -> bool {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(format!("{password}\n").as_bytes()).unwrap();
    }
    child.wait().is_ok_and(|s| s.success())
}

/// What came back: status, headers (names lower-case, in order), body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The first value of header `name` ("" when absent).
    pub fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or(String::new(), |(_, v)| v.clone())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request to the application, redirects not followed.
pub trait Transport {
    fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: Vec<u8>)
        -> Answer;
}

/// A cookie-keeping client of the application.
pub struct Client<T> {
    transport: T,
    cookies: Vec<(String, String)>,
    /// An API token sent as `Authorization: Bearer …`.
    token: Option<String>,
}

impl<T: Transport> Client<T> {
    pub fn new(transport: impl Into<T>) -> Client<T> {
        Client {
            transport: transport.into(),
            cookies: Vec::new(),
            token: None,
        }
    }

    /// A client that sends an API token instead of cookies.
    pub fn with_token(transport: impl Into<T>, token: &str) -> Client<T> {
        let mut c = Client::new(transport);
        c.token = Some(token.to_string());
        c
    }

    /// Sends one request with the client's cookies and token; keeps the cookies it sets.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Answer {
        let cookies = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let bearer = self.token.as_ref().map(|t| format!("Bearer {t}"));
        let mut all: Vec<(&str, &str)> = Vec::new();
        if !cookies.is_empty() {
            all.push(("Cookie", &cookies));
        }
        if let Some(b) = &bearer {
            all.push(("Authorization", b));
        }
        all.extend_from_slice(headers);
        let answer = self.transport.send(method, path, &all, body);
        for (k, v) in &answer.headers {
            if !k.eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let kv = v.split(';').next().unwrap_or("");
            if let Some((k, v)) = kv.split_once('=') {
                self.cookies.retain(|(n, _)| n != k);
                if !v.is_empty() {
                    self.cookies.push((k.to_string(), v.to_string()));
                }
            }
        }
        answer
    }

    pub fn get(&mut self, path: &str) -> (u16, String) {
        let a = self.send("GET", path, &[], Vec::new());
        (a.status, a.text())
    }

    /// A GET whose answer is a file: (status, content type, disposition, bytes).
    pub fn get_bytes(&mut self, path: &str) -> (u16, String, String, Vec<u8>) {
        let a = self.send("GET", path, &[], Vec::new());
        let (kind, disposition) = (a.header("content-type"), a.header("content-disposition"));
        (a.status, kind, disposition, a.body)
    }

    /// One header of a GET's answer ("" when absent).
    pub fn header(&mut self, path: &str, name: &str) -> String {
        self.send("GET", path, &[], Vec::new()).header(name)
    }

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

    /// A DELETE, the CSRF token in its header when given.
    pub fn delete(&mut self, path: &str, csrf: Option<&str>) -> (u16, String) {
        let headers: Vec<(&str, &str)> = csrf.map(|t| ("X-CSRF-Token", t)).into_iter().collect();
        let a = self.send("DELETE", path, &headers, Vec::new());
        (a.status, a.text())
    }

    fn form_answer(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.form_with(path, fields, &[])
    }

    /// A form POST with more headers.
    fn form_with(&mut self, path: &str, fields: &[(&str, &str)], extra: &[(&str, &str)]) -> Answer {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded")];
        headers.extend_from_slice(extra);
        self.send("POST", path, &headers, body.into_bytes())
    }

    pub fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let a = self.form_answer(path, fields);
        (a.status, a.text())
    }

    /// A form POST whose answer is a file.
    pub fn form_bytes(&mut self, path: &str, fields: &[(&str, &str)]) -> Vec<u8> {
        let a = self.form_answer(path, fields);
        assert!(a.status < 400, "{path}: {} {}", a.status, a.text());
        a.body
    }

    pub fn json(
        &mut self,
        path: &str,
        csrf: Option<&str>,
        body: serde_json::Value,
    ) -> (u16, String) {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(t) = csrf {
            headers.push(("X-CSRF-Token", t));
        }
        let a = self.send("POST", path, &headers, body.to_string().into_bytes());
        (a.status, a.text())
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
        let kind = format!("multipart/form-data; boundary={boundary}");
        let mut headers = vec![("Content-Type", kind.as_str())];
        if let Some(t) = csrf_header {
            headers.push(("X-CSRF-Token", t));
        }
        let a = self.send("POST", path, &headers, body);
        (a.status, a.text())
    }

    /// Signs in through the form; returns the status of the sign-in POST.
    pub fn login(&mut self, name: &str, password: &str) -> u16 {
        self.sign_in(name, password, &[])
    }

    /// Signs in through the form as the client at address `from` behind a proxy
    /// (`X-Forwarded-For`); returns the status of the sign-in POST.
    pub fn login_from(&mut self, name: &str, password: &str, from: &str) -> u16 {
        self.sign_in(name, password, &[("X-Forwarded-For", from)])
    }

    fn sign_in(&mut self, name: &str, password: &str, headers: &[(&str, &str)]) -> u16 {
        let (_, page) = self.get("/login");
        let token = between(&page, "name=\"csrf\" value=\"", "\"");
        let fields = [("name", name), ("password", password), ("csrf", &token)];
        self.form_with("/login", &fields, headers).status
    }

    /// The session's CSRF token (from /api/me).
    pub fn csrf(&mut self) -> String {
        let (_, body) = self.get("/api/me");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["csrf"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Signs in as the reviewer and uploads the planted report of [`broken_report`] (report
    /// 1 of a fresh store): the CSRF token, the planted cell and the value it should have.
    pub fn reviewer_with_broken_report(&mut self, dir: &Path) -> (String, String, i64) {
        assert_eq!(self.login("reviewer", PASSWORD), 303);
        let csrf = self.csrf();
        let (path, key, good) = broken_report(dir);
        let bytes = std::fs::read(&path).unwrap();
        let (status, body) = self.upload("/api/upload", &csrf, &[("a.html", &bytes)], true);
        assert_eq!(status, 200, "{body}");
        (csrf, key, good)
    }
}

/// `application/x-www-form-urlencoded` escaping of one name or value.
fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A report page with a planted error: the generated 2022 report of 测试镇 with one cell of
/// table 三 raised by 1, so exactly one cell fixes every broken identity; written to `dir`.
/// Returns the file, the planted cell and the value it should have.
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

/// The text between the first `a` in `s` and the next `b`; panics when `a` is absent.
pub fn between(s: &str, a: &str, b: &str) -> String {
    let start = s
        .find(a)
        .map(|i| i + a.len())
        .unwrap_or_else(|| panic!("{a} not in page"));
    s[start..].split(b).next().unwrap().to_string()
}

/// Whether a tool the test needs is installed: outside CI a missing tool skips the test;
/// in CI it is a failure, since `.ci/run` installs every one.
pub fn available(found: bool, tool: &str) -> bool {
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have {tool}: .ci/run installs it"
        );
        eprintln!("skipped: {tool} not installed");
    }
    found
}

/// Whether LibreOffice is installed (see [`available`]).
pub fn soffice() -> bool {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    available(found, "LibreOffice (soffice)")
}

/// One member of a zip file (DOCX, XLSX) as text.
pub fn zip_member(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// A zip archive of (name, bytes) entries, names as given (path tricks included).
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::new();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
    for (name, bytes) in entries {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    out
}
