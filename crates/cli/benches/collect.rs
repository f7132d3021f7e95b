//! Collecting from portals: `cargo bench -p nianbao --bench collect`.
//!
//! A portal on loopback in the six styles of `nianbao_testkit::sites` with
//! `NIANBAO_BENCH_AGENCIES` agencies (default 1 000) and two years of reports each, collected
//! by the release `nianbao collect` into a fresh SQLite store twice: politeness off (every
//! agency on one server, no interval, 8 sites at once) and on (each agency on a server of its
//! own — loopback addresses 127.0.x.y —, the default one request per host per second, 64
//! sites at once). Reports wall time, requests, reports stored and peak RSS.

mod common;

use nianbao_testkit::portal::Portal;
use std::path::Path;
use std::process::Command;

fn main() {
    let agencies: usize = std::env::var("NIANBAO_BENCH_AGENCIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let years = [2023, 2024];
    println!("agencies {agencies}, years {years:?}");
    for (name, hosts, interval, concurrency) in [("off", 1, "0", "8"), ("on", agencies, "1", "64")]
    {
        let mut expect = 0;
        let mut csv = String::new();
        let portal = Portal::start_hosts(hosts, |bases| {
            let made = nianbao_testkit::sites::make_on(bases, &shared, agencies, &years);
            expect = made.expect.len();
            csv = made.csv;
            made.routes
        });
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("sites.csv");
        std::fs::write(&list, &csv).unwrap();
        let db = dir.path().join("bench.db");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_nianbao"));
        cmd.args([
            "collect",
            "-q",
            "--interval",
            interval,
            "--concurrency",
            concurrency,
            "--db",
        ])
        .arg(&db)
        .arg(&list)
        .stdout(std::process::Stdio::null());
        let (secs, rss) = common::timed(&mut cmd);
        let mut store = nianbao_corpus::Store::open(db.to_str().unwrap()).unwrap();
        let stored = store
            .conn()
            .query("SELECT COUNT(*) FROM reports WHERE current = 1", &[])
            .unwrap()[0]
            .int(0)
            .unwrap_or(0);
        let requests = portal.hits().len();
        println!(
            "politeness {name:>3}: {secs:8.1} s, {requests} requests ({:.0}/s), {stored}/{expect} reports stored, {hosts} host(s), peak RSS {rss:.0} MiB",
            requests as f64 / secs
        );
    }
}
