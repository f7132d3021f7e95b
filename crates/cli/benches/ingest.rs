//! Corpus ingest throughput and memory: `cargo bench -p nianbao --bench ingest`.
//!
//! Generates a multi-year corpus of text reports (7 years per agency, random layouts), then
//! runs the release `nianbao ingest --quiet` on a fresh store for each size and backend and
//! reports wall time, reports/second and the ingest process's peak RSS (VmHWM, polled).
//! Two sizes show whether memory grows with the corpus.
//!
//! `NIANBAO_BENCH_SIZES` (default `10000,100000`), `NIANBAO_BENCH_BACKENDS` (default
//! `sqlite,postgres`; PostgreSQL is a private server started as in the tests, or
//! `NIANBAO_TEST_PG`), `NIANBAO_BENCH_DIR` (default `target/bench-ingest` of the workspace).
//!
//! `NIANBAO_BENCH_WORKERS=1,2,4` then times `ingest --queue` with that many worker processes
//! on one PostgreSQL database for the largest size (the files queued beforehand, the clock
//! running from the workers' start until the last exits), and checks nothing was lost or
//! stored twice. `NIANBAO_BENCH_KILL=S` kills the first worker with SIGKILL after S seconds
//! and starts another in its place (the killed worker's claim must return to the queue).
//!
//! `NIANBAO_BENCH_COLD=1` empties the page cache before each ingest (`sync`, then
//! `/proc/sys/vm/drop_caches`; needs root), so the input files are read from the disk.

mod common;

use common::{corpus, list};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// Runs one ingest; (seconds, peak RSS in MiB).
fn ingest(db: &str, dirs: &[PathBuf]) -> (f64, f64) {
    if std::env::var("NIANBAO_BENCH_COLD").is_ok_and(|v| v == "1") {
        let synced = Command::new("sync").status().is_ok_and(|s| s.success());
        let dropped = std::fs::write("/proc/sys/vm/drop_caches", "3");
        assert!(
            synced && dropped.is_ok(),
            "NIANBAO_BENCH_COLD=1: cannot empty the page cache (needs root): {dropped:?}"
        );
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    cmd.args(["ingest", "--quiet", "--db", db]).args(dirs);
    common::timed(&mut cmd)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes: Vec<usize> = list("NIANBAO_BENCH_SIZES", "10000,100000")
        .iter()
        .map(|s| s.parse().expect("size"))
        .collect();
    let backends = list("NIANBAO_BENCH_BACKENDS", "sqlite,postgres");
    let root = PathBuf::from(
        std::env::var("NIANBAO_BENCH_DIR").unwrap_or_else(|_| "target/bench-ingest".into()),
    );
    let largest = *sizes.iter().max().expect("a size");
    let all = corpus(&root.join("reports"), largest);
    println!("backend     reports   seconds   reports/s   peak RSS (MiB)");
    for backend in &backends {
        for &n in &sizes {
            let dirs = &all[..n.div_ceil(7)];
            let reports = dirs.len() * 7;
            let set = set_of(&root, n, dirs);
            let db = match backend.as_str() {
                "sqlite" => {
                    let path = root.join(format!("bench-{n}.db"));
                    for ext in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
                    }
                    path.display().to_string()
                }
                "postgres" => nianbao_corpus::testing::database(&format!("bench{n}"))
                    .expect("PostgreSQL server"),
                other => panic!("unknown backend {other}"),
            };
            let (secs, rss) = ingest(&db, &[set]);
            println!(
                "{backend:<10} {reports:>8} {secs:>9.1} {:>11.0} {rss:>16.1}",
                reports as f64 / secs
            );
        }
    }
    let workers = list("NIANBAO_BENCH_WORKERS", "");
    let kill_after: Option<f64> = std::env::var("NIANBAO_BENCH_KILL")
        .ok()
        .map(|s| s.parse().expect("NIANBAO_BENCH_KILL: seconds"));
    if workers.is_empty() {
        return;
    }
    let set = set_of(&root, largest, &all[..largest.div_ceil(7)]);
    let reports = all[..largest.div_ceil(7)].len() * 7;
    println!("\nworkers   reports   seconds   reports/s   (ingest --queue, one PostgreSQL)");
    for w in workers {
        let w: usize = w.parse().expect("workers");
        let db =
            nianbao_corpus::testing::database(&format!("workers{w}")).expect("PostgreSQL server");
        let mut store = nianbao_corpus::Store::open(&db).unwrap();
        nianbao_corpus::queue::enqueue(&mut store, std::slice::from_ref(&set)).unwrap();
        let start = Instant::now();
        let spawn = |name: &str| {
            Command::new(env!("CARGO_BIN_EXE_nianbao"))
                .args([
                    "ingest", "--queue", "--quiet", "--worker", name, "--db", &db,
                ])
                .spawn()
                .unwrap()
        };
        let mut children: Vec<_> = (0..w).map(|i| spawn(&format!("w{i}"))).collect();
        if let Some(after) = kill_after {
            std::thread::sleep(std::time::Duration::from_secs_f64(after));
            let victim = &mut children[0];
            assert!(
                victim.try_wait().unwrap().is_none(),
                "worker ended before the kill"
            );
            victim.kill().unwrap(); // SIGKILL
            let status = victim.wait().unwrap();
            let stored = count(&mut store, "SELECT COUNT(*) FROM reports");
            println!(
                "killed worker w0 ({status}) after {after} s with {stored} reports stored; w0-again starts"
            );
            children[0] = spawn("w0-again");
        }
        for c in &mut children {
            assert!(c.wait().unwrap().success(), "worker failed");
        }
        let secs = start.elapsed().as_secs_f64();
        let stored = count(&mut store, "SELECT COUNT(*) FROM reports");
        assert_eq!(stored, reports, "every report stored once");
        // Once each: no file stored twice, one agency per generated agency directory, one
        // version of each report, nothing left in the queue.
        let files = count(&mut store, "SELECT COUNT(DISTINCT path) FROM reports");
        let agencies = count(&mut store, "SELECT COUNT(*) FROM agencies");
        let versions = count(
            &mut store,
            "SELECT COUNT(*) FROM reports WHERE version <> 1",
        );
        let open = count(
            &mut store,
            "SELECT COUNT(*) FROM ingest_queue WHERE state <> 'done'",
        );
        assert_eq!(
            (files, agencies, versions, open),
            (reports, reports / 7, 0, 0),
            "(distinct files, agencies, later versions, queue items not done)"
        );
        println!(
            "{w:>7} {reports:>9} {secs:>9.1} {:>11.0}",
            reports as f64 / secs
        );
    }
}

/// The one integer an SQL query answers.
fn count(store: &mut nianbao_corpus::Store, sql: &str) -> usize {
    store.conn().query(sql, &[]).unwrap()[0].int(0).unwrap() as usize
}

/// One directory argument per run (links to the agency directories of the first `n`
/// reports), so the command line does not grow with the corpus; made once.
fn set_of(root: &std::path::Path, n: usize, dirs: &[PathBuf]) -> PathBuf {
    let set = root.join(format!("set-{n}"));
    if !set.exists() {
        std::fs::create_dir_all(&set).unwrap();
        for d in dirs {
            std::os::unix::fs::symlink(
                std::fs::canonicalize(d).unwrap(),
                set.join(d.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    set
}
