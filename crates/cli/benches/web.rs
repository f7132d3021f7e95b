//! Web application latency over a large store: `cargo bench -p nianbao --bench web`.
//!
//! Uses the SQLite store the ingest benchmark leaves (`target/bench-ingest/bench-100000.db`,
//! built here the same way when missing), starts the release `nianbao serve` on loopback,
//! signs in, and requests report pages (random ids) and the dashboard from a few client
//! threads; reports p50/p95/max latency and throughput. Bounded: `NIANBAO_BENCH_REPORTS`
//! report pages (default 2000) and `NIANBAO_BENCH_DASHBOARDS` dashboards (default 40),
//! `NIANBAO_BENCH_CLIENTS` threads (default 4). Then the boards of two filing campaigns (36
//! and 2 000 agencies), the dashboard after a correction, and the CLI's statistics and
//! exports (`NIANBAO_BENCH_EXPORTS=0` skips the exports). `NIANBAO_BENCH_SIZES=N` picks the store
//! `bench-N.db` (ingested here when missing); `NIANBAO_BENCH_DB` names another store instead
//! (a `postgres://…` URL: the PostgreSQL database an ingest benchmark filled).

mod common;

use common::{corpus, list};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "bench-password-1";

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn login(base: &str) -> (ureq::Agent, String) {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let r = agent.get(&format!("{base}/login")).call().unwrap();
    let cookie = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = r.into_string().unwrap();
    let token = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = agent
        .post(&format!("{base}/login"))
        .set("Cookie", &cookie)
        .send_form(&[("name", "bench"), ("password", PASSWORD), ("csrf", &token)])
        .unwrap();
    let session = r
        .header("set-cookie")
        .expect("signed in")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (agent, session)
}

/// The signed-in session's CSRF token, for the JSON API.
fn me_csrf(agent: &ureq::Agent, base: &str, session: &str) -> String {
    let me: serde_json::Value = serde_json::from_str(
        &agent
            .get(&format!("{base}/api/me"))
            .set("Cookie", session)
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
    )
    .unwrap();
    me["csrf"].as_str().unwrap_or_default().to_string()
}

/// Latencies (ms) of `n` GETs spread over `clients` threads, each path from `path(i)`.
fn run(
    base: &str,
    clients: usize,
    n: usize,
    path: impl Fn(usize) -> String + Sync,
) -> (Vec<f64>, f64) {
    let start = Instant::now();
    let mut all: Vec<f64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let path = &path;
                s.spawn(move || {
                    let (agent, session) = login(base);
                    let mut out = Vec::new();
                    for i in (c..n).step_by(clients) {
                        let t = Instant::now();
                        let r = agent
                            .get(&format!("{base}{}", path(i)))
                            .set("Cookie", &session)
                            .call()
                            .expect("request");
                        assert_eq!(r.status(), 200);
                        let _ = r.into_string().unwrap();
                        out.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let secs = start.elapsed().as_secs_f64();
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (all, secs)
}

fn pct(v: &[f64], p: f64) -> f64 {
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_nianbao");
    let root = PathBuf::from(
        std::env::var("NIANBAO_BENCH_DIR").unwrap_or_else(|_| "target/bench-ingest".into()),
    );
    let size: usize = list("NIANBAO_BENCH_SIZES", "100000")[0]
        .parse()
        .expect("size");
    let named = std::env::var("NIANBAO_BENCH_DB").ok();
    let db = named
        .clone()
        .map_or_else(|| root.join(format!("bench-{size}.db")), PathBuf::from);
    if named.is_none() && !db.exists() {
        let dirs = corpus(&root.join("reports"), size);
        let set = root.join(format!("web-set-{size}"));
        std::fs::create_dir_all(&set).unwrap();
        for d in &dirs {
            let link = set.join(d.file_name().unwrap());
            if !link.exists() {
                std::os::unix::fs::symlink(std::fs::canonicalize(d).unwrap(), link).unwrap();
            }
        }
        eprintln!("ingesting {size} reports into {}", db.display());
        assert!(Command::new(bin)
            .args(["ingest", "-q", "--db"])
            .arg(&db)
            .arg(&set)
            .status()
            .unwrap()
            .success());
    }
    // Fails harmlessly when the user exists from an earlier run.
    let _ = nianbao_testkit::with_password(
        Command::new(bin)
            .args(["users", "add", "bench", "--role", "reviewer", "--db"])
            .arg(&db)
            .stderr(Stdio::null()),
        PASSWORD,
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(bin)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--db"])
        .arg(&db)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let t = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(t.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(50));
    }
    let (agent, session) = login(&base);
    // The first dashboard after the start: its answer, and when the figures are there.
    let t = Instant::now();
    let mut first = None;
    loop {
        let page = agent
            .get(&format!("{base}/dashboard"))
            .set("Cookie", &session)
            .call()
            .unwrap()
            .into_string()
            .unwrap();
        first.get_or_insert(t.elapsed());
        if !page.contains("id=\"computing\"") {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(600),
            "dashboard never computed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let first_dashboard = (first.unwrap_or_default(), t.elapsed());
    let total: serde_json::Value = serde_json::from_str(
        &agent
            .get(&format!("{base}/api/reports"))
            .set("Cookie", &session)
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
    )
    .unwrap();
    let reports = total["total"].as_u64().unwrap() as usize;
    let clients = env_num("NIANBAO_BENCH_CLIENTS", 4);
    let (n_pages, n_dash) = (
        env_num("NIANBAO_BENCH_REPORTS", 2000),
        env_num("NIANBAO_BENCH_DASHBOARDS", 40),
    );
    // Report ids spread over the store by a fixed stride (deterministic, no RNG needed).
    let page = |i: usize| format!("/reports/{}", 1 + (i * 7919) % reports);
    let _ = run(&base, clients, 50.min(n_pages), page); // warm-up
    println!(
        "store: {} ({reports} current reports), {clients} client threads, loopback",
        db.display()
    );
    println!("page            requests   p50 ms   p95 ms   max ms   requests/s");
    // One line of the table: `n` requests of the paths `f` gives.
    let measure = |name: &str, n: usize, f: &(dyn Fn(usize) -> String + Sync)| {
        let (lat, secs) = run(&base, clients, n, f);
        println!(
            "{name:<15} {n:>8} {:>8.1} {:>8.1} {:>8.1} {:>12.1}",
            pct(&lat, 0.5),
            pct(&lat, 0.95),
            lat[lat.len() - 1],
            n as f64 / secs
        );
    };
    // A page deep in the list: by its number (the store counts past every earlier row) and
    // by the 下一页 link of the page before it (seeks from that page's last row).
    let deep = (reports / 50).saturating_sub(10).max(1);
    let (agent, session) = login(&base);
    let before_deep = agent
        .get(&format!("{base}/?page={}", deep - 1))
        .set("Cookie", &session)
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let next = before_deep
        .split("rel=\"next\"")
        .next()
        .and_then(|s| s.rsplit("href=\"").next())
        .map(|s| s.trim_end_matches("\" ").replace("&amp;", "&"))
        .unwrap_or_default();
    assert!(
        next.contains("after="),
        "no 下一页 link on page {}",
        deep - 1
    );
    for (name, n, f) in [
        (
            "report page",
            n_pages,
            &page as &(dyn Fn(usize) -> String + Sync),
        ),
        ("dashboard", n_dash, &|_| "/dashboard".to_string()),
        ("report list", n_dash, &|i| format!("/?page={}", 1 + i)),
        ("list p.N number", n_dash, &|_| format!("/?page={deep}")),
        ("list p.N link", n_dash, &|_| next.clone()),
    ] {
        measure(name, n, f);
    }
    println!(
        "(p.N = page {deep} of the list; \"link\" is the 下一页 link of page {})",
        deep - 1
    );
    // Filing campaigns of a county's size (36 agencies) and a city's (2 000), year 2023:
    // the board of each (every agency's state, counts) as a reviewer opens it.
    let (agent, session) = login(&base);
    let csrf = me_csrf(&agent, &base, &session);
    let agencies = reports / 7;
    let mut boards = Vec::new();
    for size in [36, 2000] {
        let names: Vec<String> = (0..size.min(agencies))
            .map(|i| format!("第{}号镇", i * (agencies / size.min(agencies)).max(1)))
            .collect();
        let made: serde_json::Value = serde_json::from_str(
            &agent
                .post(&format!("{base}/api/campaigns"))
                .set("Cookie", &session)
                .set("X-CSRF-Token", &csrf)
                .set("Content-Type", "application/json")
                .send_string(
                    &serde_json::json!({ "name": format!("bench {size}"), "year": 2023, "agencies": names })
                        .to_string(),
                )
                .expect("campaign created")
                .into_string()
                .unwrap(),
        )
        .unwrap();
        let id = made["campaign"]["id"].as_i64().expect("campaign id");
        boards.push((format!("campaign {size}"), format!("/campaigns/{id}")));
    }
    for (name, path) in &boards {
        measure(name, n_dash, &|_| path.clone());
    }
    // A reviewer's correction changes the corpus; the dashboard right after it.
    let (agent, session) = login(&base);
    let csrf = me_csrf(&agent, &base, &session);
    let r = agent
        .post(&format!("{base}/api/reports/1/cells"))
        .set("Cookie", &session)
        .set("X-CSRF-Token", &csrf)
        .set("Content-Type", "application/json")
        .send_string(
            &serde_json::json!({ "key": "t3.received.total", "value": 7, "reason": "bench" })
                .to_string(),
        );
    assert!(r.is_ok(), "correction for the dashboard-after-a-change run");
    measure("dash. after chg", n_dash, &|_| "/dashboard".to_string());
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "first dashboard after the start: answered in {:.1} ms, figures there after {:.2} s",
        first_dashboard.0.as_secs_f64() * 1000.0,
        first_dashboard.1.as_secs_f64()
    );

    // What the pages rest on, and the exports of the whole store, by the CLI
    // (`NIANBAO_BENCH_EXPORTS=0` skips the exports: minutes each over a million reports).
    let exports = env_num("NIANBAO_BENCH_EXPORTS", 1) != 0;
    println!("command                              seconds   peak RSS MiB");
    let dbs = db.display().to_string();
    let out = root.join("bench-export");
    for args in [
        vec!["stats", "--by", "year"],
        vec!["stats", "--by", "county"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "xlsx"],
        vec!["export", "--format", "parquet"],
    ] {
        if args[0] == "export" && !exports {
            continue;
        }
        let mut cmd = Command::new(bin);
        cmd.args(&args).args(["--db", &dbs]).stderr(Stdio::null());
        if args[0] == "export" {
            cmd.arg("-o").arg(&out);
        } else {
            cmd.stdout(Stdio::null());
        }
        let (secs, mib) = common::timed(&mut cmd);
        println!("{:<36} {secs:>7.2} {mib:>14.1}", args.join(" "));
    }
    let _ = std::fs::remove_file(&out);
}
