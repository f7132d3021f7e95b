//! The Debian package installed for real (`dpkg -i`, as root, as on the CI machine): the
//! post-install script makes the service's user and state directory; the first admin is made
//! as its hint says (`sudo -u nianbao nianbao users add …`); the one file an office edits,
//! `/etc/nianbao/nianbao.toml`, takes a port; the service starts as systemd would start it
//! (`systemctl` where systemd runs, else the unit's ExecStart as the unit's user in its working
//! directory) and answers `/healthz`, `/readyz` and a sign-in; `dpkg --purge` removes it, and
//! the test leaves the machine as it found it.

mod common;

use common::web::{free_port, Http, PASSWORD};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn installed() -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", "nianbao"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

/// Purges the package and what the test made, whatever happened.
struct Cleanup {
    user_existed: bool,
    state_existed: bool,
    server: Option<std::process::Child>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(mut s) = self.server.take() {
            let _ = s.kill();
            let _ = s.wait();
        }
        if !self.user_existed {
            // Nothing of the service's user may outlive the test (deluser refuses then).
            let _ = Command::new("pkill")
                .args(["-KILL", "-u", "nianbao"])
                .output();
        }
        let _ = Command::new("dpkg").args(["--purge", "nianbao"]).output();
        if !self.state_existed {
            let _ = std::fs::remove_dir_all("/var/lib/nianbao");
        }
        if !self.user_existed {
            let _ = Command::new("deluser")
                .args(["--system", "nianbao"])
                .output();
            let _ = Command::new("delgroup")
                .args(["--system", "nianbao"])
                .output();
        }
    }
}

#[test]
fn dpkg_installs_the_package_and_the_service_runs() {
    // SAFETY: geteuid has no preconditions.
    let root_user = unsafe { libc::geteuid() } == 0;
    let dpkg = Command::new("dpkg").arg("--version").output().is_ok();
    if !common::available(root_user && dpkg, "root and dpkg (dpkg -i)") {
        return;
    }
    if installed() {
        // A machine with nianbao in use: not ours to replace.
        assert!(
            std::env::var("CI").is_err(),
            "nianbao is installed on the CI machine already"
        );
        eprintln!("nianbao is installed here; the install test leaves it alone");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let deb = ok(Command::new(root().join("scripts/package-deb"))
        .arg(dir.path().join("out"))
        .env("NIANBAO_BIN", env!("CARGO_BIN_EXE_nianbao")));
    let deb = deb.trim().to_string();
    let user_existed = Command::new("getent")
        .args(["passwd", "nianbao"])
        .output()
        .is_ok_and(|o| o.status.success());
    let mut cleanup = Cleanup {
        user_existed,
        state_existed: Path::new("/var/lib/nianbao").exists(),
        server: None,
    };

    let said = ok(Command::new("dpkg").arg("-i").arg(&deb));
    assert!(
        said.contains("nianbao users add"),
        "the first-admin hint: {said}"
    );
    assert!(installed());
    assert!(Path::new("/usr/bin/nianbao").exists());
    let owner = ok(Command::new("stat").args(["-c", "%U:%G %a", "/var/lib/nianbao"]));
    assert_eq!(owner.trim(), "nianbao:nianbao 750");

    // The office edits the one file: the port (8080 may be taken on this machine).
    let port = free_port();
    let conf = "/etc/nianbao/nianbao.toml";
    let text = std::fs::read_to_string(conf).unwrap();
    assert!(text.contains("listen = \"127.0.0.1:8080\""), "{text}");
    std::fs::write(
        conf,
        text.replace("127.0.0.1:8080", &format!("127.0.0.1:{port}")),
    )
    .unwrap();
    let check = ok(Command::new("/usr/bin/nianbao").args(["config", "check"]));
    assert!(check.contains(&format!("127.0.0.1:{port}")), "{check}");

    // The first admin, as the hint says: as the service's user, the password on stdin.
    assert!(nianbao_testkit::with_password(
        Command::new("runuser")
            .args(["-u", "nianbao", "--", "/usr/bin/nianbao"])
            .args(["users", "add", "管理员", "--role", "admin"])
            .current_dir("/var/lib/nianbao")
            .stderr(Stdio::null()),
        PASSWORD
    ));

    // The service as systemd starts it.
    let unit = std::fs::read_to_string("/lib/systemd/system/nianbao.service").unwrap();
    let systemd = Path::new("/run/systemd/system").exists();
    if systemd {
        ok(Command::new("systemctl").args(["start", "nianbao"]));
    } else {
        let exec: Vec<&str> = unit
            .lines()
            .find_map(|l| l.strip_prefix("ExecStart="))
            .expect("ExecStart")
            .split_whitespace()
            .collect();
        let user = unit.lines().find_map(|l| l.strip_prefix("User=")).unwrap();
        let cwd = unit
            .lines()
            .find_map(|l| l.strip_prefix("WorkingDirectory="))
            .unwrap();
        let id = |flag: &str| -> u32 {
            ok(Command::new("id").args([flag, user]))
                .trim()
                .parse()
                .unwrap()
        };
        use std::os::unix::process::CommandExt;
        cleanup.server = Some(
            Command::new(exec[0])
                .args(&exec[1..])
                .uid(id("-u"))
                .gid(id("-g"))
                .env("HOME", cwd)
                .current_dir(cwd)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
    }
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the service did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = format!("http://127.0.0.1:{port}");
    let mut h = Http::new(&url);
    let (status, body) = h.get("/healthz");
    assert_eq!(status, 200, "{body}");
    let (status, body) = h.get("/readyz");
    assert_eq!(status, 200, "{body}");
    assert_eq!(h.login("管理员", PASSWORD), 303);
    let (status, _) = h.get("/admin/users");
    assert_eq!(status, 200);
    // The store is where the file says, owned by the service's user.
    let owner = ok(Command::new("stat").args(["-c", "%U", "/var/lib/nianbao/nianbao.db"]));
    assert_eq!(owner.trim(), "nianbao");
    if systemd {
        ok(Command::new("systemctl").args(["stop", "nianbao"]));
    }
    if let Some(mut s) = cleanup.server.take() {
        let _ = s.kill();
        let _ = s.wait();
    }

    // Removed: the binary and the configuration go (purge), the data stays until deleted.
    ok(Command::new("dpkg").args(["--purge", "nianbao"]));
    assert!(!installed());
    assert!(!Path::new("/usr/bin/nianbao").exists());
    assert!(!Path::new(conf).exists());
    drop(cleanup);
}
