//! Signing in on a LAN address: over plain HTTP (cookies without `Secure`, which a browser
//! would drop), over HTTPS served by nianbao itself (`--tls-cert`/`--tls-key`, cookies
//! `Secure`), and behind a TLS-terminating proxy (`X-Forwarded-Proto: https`). The client is
//! curl with a cookie jar, which like a browser never sends a `Secure` cookie over HTTP.
//! 127.0.0.2 stands for a LAN address: not the address `serve` listens on by default.

mod common;

use common::web::{start_at, Http, PASSWORD};
use std::path::Path;
use std::process::Command;

/// A self-signed certificate for 127.0.0.2 made by openssl: (cert, key).
fn certificate(dir: &Path) -> (String, String) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let ok = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.2",
            "-addext",
            "subjectAltName=IP:127.0.0.2",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    (cert.display().to_string(), key.display().to_string())
}

/// curl with a cookie jar in `dir` and the certificate to trust: (status, headers, body).
fn curl(dir: &Path, cert: Option<&str>, args: &[&str]) -> (u16, String, String) {
    let jar = dir.join("jar.txt");
    let mut c = Command::new("curl");
    c.args(["-s", "-D", "-", "-w", "\n%{http_code}"])
        .arg("-c")
        .arg(&jar)
        .arg("-b")
        .arg(&jar);
    if let Some(cert) = cert {
        c.args(["--cacert", cert]);
    }
    let out = c.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let (rest, code) = text.rsplit_once('\n').unwrap();
    let (head, body) = rest.split_once("\r\n\r\n").unwrap_or((rest, ""));
    (
        code.trim().parse().unwrap(),
        head.to_string(),
        body.to_string(),
    )
}

/// Signs in as the reviewer through the sign-in form; returns the session cookie's header
/// and the status of the home page afterwards.
fn sign_in(dir: &Path, url: &str, cert: Option<&str>, extra: &[&str]) -> (String, u16) {
    let (status, _, form) = curl(dir, cert, &[extra, &[&format!("{url}/login")]].concat());
    assert_eq!(status, 200);
    let csrf = form
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let data = format!("name=reviewer&password={PASSWORD}&csrf={csrf}");
    let login = format!("{url}/login");
    let (status, head, body) = curl(dir, cert, &[extra, &["-d", &data, &login]].concat());
    assert_eq!(status, 303, "{head}\n{body}");
    let cookie = head
        .lines()
        .find(|l| l.to_lowercase().starts_with("set-cookie: nianbao_session="))
        .unwrap()
        .to_string();
    let (home, _, _) = curl(dir, cert, &[extra, &[&format!("{url}/")]].concat());
    (cookie, home)
}

#[test]
fn signs_in_over_plain_http_on_a_lan_address() {
    let server = start_at("127.0.0.2", &[], "http");
    let (cookie, home) = sign_in(server.dir.path(), &server.url, None, &[]);
    assert!(!cookie.contains("Secure"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(home, 200);
    // Signed-in pages and API answers are not kept by the browser; static assets may be.
    for path in ["/", "/api/reports"] {
        let url = format!("{}{path}", server.url);
        let (status, head, _) = curl(server.dir.path(), None, &[&url]);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.to_lowercase().contains("cache-control: no-store"),
            "{path}: {head}"
        );
    }
    let css = format!("{}/assets/app.css", server.url);
    let (_, head, _) = curl(server.dir.path(), None, &[&css]);
    assert!(!head.to_lowercase().contains("no-store"), "{head}");
    // ECharts goes gzipped to a browser that takes gzip (a third of its size), as is otherwise.
    let echarts = format!("{}/assets/echarts.min.js", server.url);
    let plain = Command::new("curl")
        .args(["-s", &echarts])
        .output()
        .unwrap()
        .stdout;
    let gz = [
        "-s",
        "-D",
        "-",
        "-o",
        "/dev/null",
        "-H",
        "Accept-Encoding: gzip",
    ];
    let head = Command::new("curl")
        .args(gz)
        .args(["-w", "%{size_download}", &echarts])
        .output()
        .unwrap()
        .stdout;
    let head = String::from_utf8(head).unwrap().to_lowercase();
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let size: usize = head.rsplit('\n').next().unwrap().trim().parse().unwrap();
    assert!(
        plain.len() > 900_000 && size * 2 < plain.len(),
        "{size} of {}",
        plain.len()
    );
    let unzipped = Command::new("curl")
        .args(["-s", "--compressed", &echarts])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(unzipped, plain);
}

#[test]
fn signs_in_over_https_served_by_nianbao() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = certificate(dir.path());
    let server = start_at(
        "127.0.0.2",
        &["--tls-cert", &cert, "--tls-key", &key],
        "https",
    );
    let (cookie, home) = sign_in(server.dir.path(), &server.url, Some(&cert), &[]);
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert_eq!(home, 200);
    // Plain HTTP to the HTTPS port gets no page.
    let plain = server.url.replace("https://", "http://");
    let out = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &format!("{plain}/login"),
        ])
        .output()
        .unwrap();
    assert_ne!(String::from_utf8_lossy(&out.stdout), "200");
}

#[test]
fn behind_a_tls_proxy_cookies_are_secure() {
    let server = start_at("127.0.0.2", &[], "http");
    let (_, head, _) = curl(
        server.dir.path(),
        None,
        &[
            "-H",
            "X-Forwarded-Proto: https",
            &format!("{}/login", server.url),
        ],
    );
    let cookie = head
        .lines()
        .find(|l| l.to_lowercase().starts_with("set-cookie: nianbao_login="))
        .unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[test]
fn a_key_that_is_not_the_certificates_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, _) = certificate(dir.path());
    std::fs::write(dir.path().join("bad.pem"), "not a key").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "serve",
            "--listen",
            "127.0.0.2:0",
            "--tls-cert",
            &cert,
            "--tls-key",
        ])
        .arg(dir.path().join("bad.pem"))
        .arg("--db")
        .arg(dir.path().join("x.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.pem") && err.contains("私钥"), "{err}");
}

/// Guessing at a user's password from one address refuses that address only: the user
/// signs in from another (a guesser cannot lock a colleague out).
#[test]
fn guesses_from_one_address_lock_out_only_that_address() {
    let server = start_at("127.0.0.1", &[], "http");
    let mut guesser = Http::new(&server.url);
    for _ in 0..5 {
        assert_eq!(guesser.login("reviewer", "wrong password!"), 401);
    }
    assert_eq!(guesser.login("reviewer", PASSWORD), 429);
    let elsewhere = ["--interface", "127.0.0.2"];
    let (_, home) = sign_in(server.dir.path(), &server.url, None, &elsewhere);
    assert_eq!(home, 200);
}
