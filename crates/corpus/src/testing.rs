//! A throwaway PostgreSQL server for tests and benchmarks: a private cluster in a temporary
//! directory on a free loopback port, stopped when the process that started it exits.
//!
//! Set `NIANBAO_TEST_PG=postgres://…` to use a server of your own instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The URL of a server a test may create databases on, or why there is none.
pub fn server() -> Result<String, String> {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    SERVER
        .get_or_init(|| match std::env::var("NIANBAO_TEST_PG") {
            Ok(url) if !url.is_empty() => Ok(url),
            _ => start(),
        })
        .clone()
}

/// A fresh, empty database on the test server; its URL.
pub fn database(name: &str) -> Result<String, String> {
    let base = server()?;
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).map_err(|e| e.to_string())?;
    let db = format!("nianbao_{}_{}", name, std::process::id());
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .map_err(|e| e.to_string())?;
    admin
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .map_err(|e| e.to_string())?;
    let (head, _) = base.rsplit_once('/').ok_or("bad server URL")?;
    Ok(format!("{head}/{db}"))
}

fn bindir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Runs a PostgreSQL program, as the `postgres` user when we are root (the server refuses
/// to run as root).
fn pg(bin: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let exe = bin.join(program);
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    let out = cmd
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn start() -> Result<String, String> {
    let bin = bindir().ok_or("PostgreSQL server not installed (apt-get install postgresql)")?;
    let dir = std::env::temp_dir().join(format!("nianbao-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if is_root() {
        let ok = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err("cannot give the test cluster directory to the postgres user".into());
        }
    }
    let data = dir.join("data");
    let data_s = data.display().to_string();
    pg(
        &bin,
        "initdb",
        &[
            "-D",
            &data_s,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
    )?;
    let port = free_port()?;
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50",
        dir.display()
    );
    let log = dir.join("log").display().to_string();
    pg(
        &bin,
        "pg_ctl",
        &["-D", &data_s, "-o", &opts, "-l", &log, "-w", "start"],
    )?;
    // Stop the cluster and remove it once this process is gone.
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {run}{ctl} -D {data_s} -m immediate stop >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        run = if is_root() { "runuser -u postgres -- " } else { "" },
        ctl = bin.join("pg_ctl").display(),
        dir = dir.display(),
    );
    Command::new("sh")
        .args(["-c", &stop])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
}
