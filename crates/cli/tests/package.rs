//! `scripts/package-deb` builds the Debian package; unpacked, it runs as the service would:
//! the unit's ExecStart line with the installed configuration (store and address overridden by
//! environment variables, as an office would in the file). Through a trusted proxy's
//! `X-Forwarded-For`, a stranger's wrong guesses do not stop the user's sign-in; a report is
//! uploaded and corrected; `nianbao backup` copies the store while the server runs; the store
//! is deleted and restored, and the report with its correction is there again.

mod common;

use common::web::{free_port, Http, PASSWORD};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The package's `nianbao` with the environment the test gives every run.
struct Installed {
    bin: PathBuf,
    config: PathBuf,
    env: Vec<(&'static str, String)>,
}

impl Installed {
    fn run(&self, args: &[&str]) -> std::process::Output {
        let out = self.command(args).output().unwrap();
        assert!(
            out.status.success(),
            "nianbao {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--config").arg(&self.config).args(args);
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }
}

/// The unit's ExecStart, with the package's paths put where it was unpacked.
fn exec_start(unit: &str, root: &Path) -> Vec<String> {
    let line = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("ExecStart");
    line.split_whitespace()
        .map(|w| {
            if w.starts_with("/usr/") || w.starts_with("/etc/") {
                root.join(&w[1..]).display().to_string()
            } else {
                w.to_string()
            }
        })
        .collect()
}

fn serve(cmd: &[String], env: &[(&str, String)], port: u16) -> Child {
    let mut c = Command::new(&cmd[0]);
    c.args(&cmd[1..]).stderr(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let child = c.spawn().unwrap();
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

#[test]
fn the_package_installs_serves_backs_up_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(root().join("scripts/package-deb"))
        .arg(dir.path().join("out"))
        .env("NIANBAO_BIN", env!("CARGO_BIN_EXE_nianbao"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deb = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    let field = |f: &str| {
        let o = Command::new("dpkg-deb")
            .arg("-f")
            .arg(&deb)
            .arg(f)
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap().trim().to_string()
    };
    assert_eq!(field("Package"), "nianbao");
    assert!(
        field("Depends").contains("tesseract-ocr-chi-sim"),
        "{}",
        field("Depends")
    );
    let unpacked = dir.path().join("root");
    assert!(Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(&unpacked)
        .status()
        .unwrap()
        .success());
    let control = dir.path().join("control");
    assert!(Command::new("dpkg-deb")
        .arg("-e")
        .arg(&deb)
        .arg(&control)
        .status()
        .unwrap()
        .success());
    assert_eq!(
        std::fs::read_to_string(control.join("conffiles"))
            .unwrap()
            .trim(),
        "/etc/nianbao/nianbao.toml"
    );
    let unit =
        std::fs::read_to_string(unpacked.join("lib/systemd/system/nianbao.service")).unwrap();
    for line in [
        "User=nianbao",
        "StateDirectory=nianbao",
        "Restart=on-failure",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
    ] {
        assert!(unit.lines().any(|l| l == line), "unit lacks {line}");
    }
    assert!(unpacked
        .join("lib/systemd/system/nianbao-backup.timer")
        .exists());

    // The installed configuration, with the store and the address an office would set.
    let db = dir.path().join("nianbao.db");
    let port = free_port();
    let env = vec![
        ("NIANBAO_DB", db.display().to_string()),
        ("NIANBAO_LISTEN", format!("127.0.0.1:{port}")),
        (
            "NIANBAO_SPOOL",
            dir.path().join("spool").display().to_string(),
        ),
    ];
    let nb = Installed {
        bin: unpacked.join("usr/bin/nianbao"),
        config: unpacked.join("etc/nianbao/nianbao.toml"),
        env: env.clone(),
    };
    let check = String::from_utf8(nb.run(&["config", "check"]).stdout).unwrap();
    assert!(check.contains("127.0.0.1"), "{check}");
    assert!(nianbao_testkit::with_password(
        &mut nb.command(&["users", "add", "reviewer", "--role", "reviewer"]),
        PASSWORD
    ));

    let cmd = exec_start(&unit, &unpacked);
    let mut server = serve(&cmd, &env, port);
    let url = format!("http://127.0.0.1:{port}");

    // A stranger's guesses through the proxy lock out the stranger, not the user.
    let mut stranger = Http::new(&url);
    for _ in 0..6 {
        assert_ne!(
            stranger.login_from("reviewer", "wrong-password", "203.0.113.66"),
            303
        );
    }
    let mut h = Http::new(&url);
    assert_eq!(h.login_from("reviewer", PASSWORD, "198.51.100.7"), 303);
    let csrf = h.csrf();
    let (path, key, good) = common::web::broken_report(dir.path());
    let bytes = std::fs::read(&path).unwrap();
    let (status, body) = h.upload("/api/upload", &csrf, &[("a.html", &bytes)], true);
    assert_eq!(status, 200, "{body}");
    let (status, body) = h.json(
        "/api/reports/1/cells",
        Some(&csrf),
        serde_json::json!({"key": key, "value": good, "reason": "与原件核对"}),
    );
    assert_eq!(status, 200, "{body}");
    let (_, before) = h.get("/api/reports/1");

    // A copy while it serves; then the store is lost and restored from the copy.
    let copy = dir.path().join("copy.db");
    nb.run(&["backup", "-o", copy.to_str().unwrap()]);
    let exported = |nb: &Installed| nb.run(&["export", "--format", "csv"]).stdout;
    let csv = exported(&nb);
    let _ = server.kill();
    let _ = server.wait();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    nb.run(&["restore", copy.to_str().unwrap()]);
    assert_eq!(exported(&nb), csv);
    let mut server = serve(&cmd, &env, port);
    let mut h = Http::new(&url);
    assert_eq!(h.login_from("reviewer", PASSWORD, "198.51.100.7"), 303);
    let (status, after) = h.get("/api/reports/1");
    assert_eq!(status, 200);
    let cell = |doc: &str| {
        let v: serde_json::Value = serde_json::from_str(doc).unwrap();
        v["values"][&key].clone()
    };
    assert_eq!(cell(&after), serde_json::json!(good), "{after}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&after).unwrap(),
        serde_json::from_str::<serde_json::Value>(&before).unwrap()
    );
    let _ = server.kill();
    let _ = server.wait();
}
