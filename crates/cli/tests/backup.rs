//! `nianbao backup` and `nianbao restore` on a real SQLite store: a copy taken while another
//! connection keeps writing is whole and holds every report; it is never written over an
//! existing file; restoring keeps the store it replaces; PostgreSQL is pointed to pg_dump.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's copy of a shared corpus.
fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(name)
}

fn nianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .output()
        .unwrap()
}

/// `nianbao export` of a store as CSV (every report and cell).
fn exported(db: &Path) -> String {
    let out = nianbao(&["export", "--db", db.to_str().unwrap(), "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_copy_taken_while_the_store_is_written_is_whole_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nianbao.db");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let out = nianbao(&[
        "ingest",
        "-q",
        "--db",
        &s(&db),
        corpus("seeds").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = exported(&db);
    assert_eq!(before.lines().count(), 6, "5 reports and the header");

    // Another connection writes all the while (comments on a report), as a server would.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (s(&db), stop.clone());
        std::thread::spawn(move || {
            let mut store = nianbao_corpus::Store::open(&db).unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                store
                    .comment(1, "t3.received.total", &format!("核对 {n}"), "甲")
                    .unwrap();
                n += 1;
            }
            n
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    let copy = dir.path().join("备份.db");
    let out = nianbao(&["backup", "--db", &s(&db), "-o", &s(&copy)]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let comments = writer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    let schema = nianbao_corpus::schema::VERSION;
    assert!(
        said.contains(&format!("5 份报告，结构版本 {schema}")),
        "{said}"
    );
    assert!(comments > 0);
    assert_eq!(exported(&copy), before);
    assert!(!dir.path().join("备份.db.partial").exists());

    // Never over an existing file: refused, the file untouched.
    std::fs::write(dir.path().join("已有.db"), b"keep me").unwrap();
    let out = nianbao(&[
        "backup",
        "--db",
        &s(&db),
        "-o",
        &s(&dir.path().join("已有.db")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("已存在，未覆盖"));
    assert_eq!(
        std::fs::read(dir.path().join("已有.db")).unwrap(),
        b"keep me"
    );
    // A file that is no store is refused and left as it is.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let out = nianbao(&[
        "backup",
        "--db",
        &s(&junk),
        "-o",
        &s(&dir.path().join("x.db")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是 SQLite 数据库文件"));
    assert!(!dir.path().join("x.db").exists());

    // Restored as a new store: the same reports.
    let fresh = dir.path().join("新.db");
    let out = nianbao(&["restore", &s(&copy), "--db", &s(&fresh)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(exported(&fresh), before);
    // Over the live store only when asked, the old one kept beside it.
    let out = nianbao(&["restore", &s(&copy), "--db", &s(&db)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--replace"));
    let out = nianbao(&["restore", &s(&copy), "--db", &s(&db), "--replace"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("nianbao.db.before-restore").exists());
    assert_eq!(exported(&db), before);

    // PostgreSQL: the commands to use instead.
    let out = nianbao(&[
        "backup",
        "--db",
        "postgres://u:p@localhost/nianbao",
        "-o",
        "x.dump",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump --format=custom"));
}
