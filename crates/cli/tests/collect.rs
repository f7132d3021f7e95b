//! `nianbao collect` against a government portal on loopback in six styles of site software
//! (see `nianbao_testkit::sites`): every report and attachment found with its publish date,
//! late ones marked, agencies with nothing named with the reason; robots.txt and the rate
//! limit kept as the server's own log shows; a second run fetches nothing new; a run killed
//! with SIGKILL and run again ends in the same store.

use nianbao_corpus::Store;
use nianbao_testkit::portal::Portal;
use nianbao_testkit::sites::{self, Made};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const YEARS: [i32; 2] = [2023, 2024];
/// 61 agencies: the six styles ten times each and one whose column is gone.
const AGENCIES: usize = 61;
const INTERVAL: f64 = 0.02;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn portal() -> (Portal, Made) {
    let mut made = None;
    let portal = Portal::start(|base| {
        let m = sites::make(base, &shared(), AGENCIES, &YEARS);
        let routes = m.routes.clone();
        made = Some(m);
        routes
    });
    (portal, made.unwrap())
}

fn collect(list: &Path, db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "collect",
            "-q",
            "--interval",
            &INTERVAL.to_string(),
            "--backoff",
            "0.1",
            "--user-agent",
            "nianbao-test/1 (+test@example.cn)",
            "--db",
        ])
        .arg(db)
        .arg(list)
        .output()
        .unwrap()
}

/// (agency, year, hash) of every current report.
fn stored(db: &Path) -> BTreeSet<(String, i64, String)> {
    let mut s = Store::open(db.to_str().unwrap()).unwrap();
    s.conn()
        .query(
            "SELECT agency_name, year, hash FROM reports WHERE current = 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.str(0).to_string(),
                r.int(1).unwrap_or(0),
                r.str(2).to_string(),
            )
        })
        .collect()
}

/// (agency, year, published, date source, files) of every entry collected.
type EntryRow = (String, i64, Option<String>, Option<String>, Vec<String>);

fn entries(db: &Path) -> BTreeSet<EntryRow> {
    let mut s = Store::open(db.to_str().unwrap()).unwrap();
    s.collected()
        .unwrap()
        .into_iter()
        .map(|e| (e.agency, e.year, e.published, e.date_source, e.files))
        .collect()
}

#[test]
fn collects_every_report_politely_and_a_second_run_fetches_nothing_new() {
    let (portal, made) = portal();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("sites.csv");
    std::fs::write(&list, &made.csv).unwrap();
    let db = dir.path().join("c.db");
    let out = collect(&list, &db);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");

    // Every report, with its date, where the date came from, and whether it was late.
    for e in &made.expect {
        let row = stdout
            .lines()
            .find(|l| {
                l.starts_with(&format!("{}\t", e.agency)) && l.contains(&format!("\t{}\t", e.year))
            })
            .unwrap_or_else(|| panic!("{} {} not in\n{stdout}", e.agency, e.year));
        let cells: Vec<&str> = row.split('\t').collect();
        assert_eq!(cells[4], e.published, "{row}");
        assert_eq!(cells[5], e.date_source, "{row}");
        assert_eq!(cells[6].starts_with("逾期"), e.late, "{row}");
    }
    // Agencies with nothing, and why.
    for (agency, outcome) in &made.none {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{agency}\t")))
            .unwrap_or_else(|| panic!("{agency} not in\n{stdout}"));
        assert!(row.contains("未找到"), "{row}");
        let why = match *outcome {
            "robots" => "robots.txt",
            _ => "HTTP 404",
        };
        assert!(row.contains(why), "{row}");
    }
    // One current report per agency and year, under the list's agency name and the title's year.
    let want: BTreeSet<(String, i64)> = made
        .expect
        .iter()
        .map(|e| (e.agency.clone(), e.year as i64))
        .collect();
    let got: BTreeSet<(String, i64)> = stored(&db).into_iter().map(|(a, y, _)| (a, y)).collect();
    assert_eq!(got, want);

    // A campaign's board shows each agency's report as published online: the date, where it
    // came from, on time or late; and the agencies whose portal had none, with the reason.
    let mut store = Store::open(db.to_str().unwrap()).unwrap();
    let names: Vec<String> = made
        .expect
        .iter()
        .map(|e| e.agency.clone())
        .chain(made.none.iter().map(|n| n.0.clone()))
        .collect();
    let campaign = store
        .create_campaign(
            &nianbao_corpus::campaigns::NewCampaign {
                name: "2023年度年报".into(),
                year: 2023,
                office: "测试县政务公开办".into(),
                ..Default::default()
            },
            "admin",
        )
        .unwrap();
    store.add_campaign_names(campaign, &names).unwrap();
    let board = store.board(campaign, "2024-03-01").unwrap();
    for e in made.expect.iter().filter(|e| e.year == 2023) {
        let row = board.entries.iter().find(|b| b.agency == e.agency).unwrap();
        let online = row
            .online
            .as_ref()
            .unwrap_or_else(|| panic!("{} not online", e.agency));
        assert_eq!(
            online.published.as_deref(),
            Some(e.published.as_str()),
            "{}",
            e.agency
        );
        assert_eq!(
            online.date_source.as_deref(),
            Some(e.date_source),
            "{}",
            e.agency
        );
        assert_eq!(online.late, Some(e.late), "{}", e.agency);
    }
    for (agency, _) in &made.none {
        let row = board.entries.iter().find(|b| &b.agency == agency).unwrap();
        assert!(
            row.online.is_none() && row.not_online.is_some(),
            "{agency}: {row:?}"
        );
    }
    // `stats` counts a collected report on time by the portal's date.
    let on_time = made.expect.iter().filter(|e| !e.late).count() as f64 / made.expect.len() as f64;
    let all = store
        .stats(nianbao_corpus::stats::By::All, &Default::default())
        .unwrap();
    assert!(
        (all[0].on_time_rate.unwrap() - on_time).abs() < 1e-9,
        "{:?} vs {on_time}",
        all[0].on_time_rate
    );
    drop(store);

    // `stats --publication` lists the campaign's agencies as published on time, late or not
    // found, with the URL and where the date came from; the campaign's year by default.
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["stats", "--publication", "--format", "csv", "--campaign"])
        .arg(campaign.to_string())
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let in_2023: Vec<_> = made.expect.iter().filter(|e| e.year == 2023).collect();
    assert_eq!(rows.len(), in_2023.len() + made.none.len(), "{text}");
    for e in &in_2023 {
        let r = rows.iter().find(|r| r[0] == e.agency).unwrap();
        assert_eq!(
            (
                &r[2],
                &r[4],
                &r[5],
                r[6].starts_with("逾期"),
                r[8].starts_with("http://")
            ),
            ("2023", e.published.as_str(), e.date_source, e.late, true),
            "{r:?}"
        );
    }
    for (agency, _) in &made.none {
        let r = rows.iter().find(|r| &r[0] == agency).unwrap();
        assert!(r[6].starts_with("未找到") && !r[8].is_empty(), "{r:?}");
    }
    let late = in_2023.iter().filter(|e| e.late).count();
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains(&format!(
            "报告按时 {} 份，逾期 {late} 份，日期不明 0 份；未找到报告的机关 {} 个",
            in_2023.len() - late,
            made.none.len()
        )),
        "{summary}"
    );

    // The server's log: robots.txt kept, our User-Agent sent, one request per interval.
    let hits = portal.hits();
    assert!(
        hits.iter().all(|h| !h.path.starts_with("/private/")),
        "a disallowed path was fetched"
    );
    assert!(hits
        .iter()
        .all(|h| h.user_agent == "nianbao-test/1 (+test@example.cn)"));
    let mut times: Vec<_> = hits.iter().map(|h| h.at).collect();
    times.sort();
    // Any fifty requests in a row span 49 intervals. The server stamps a connection when it
    // accepts it, and a busy machine (tests run side by side) may accept a few late and then
    // at once: ten intervals are given away for such a stall.
    for w in times.windows(50) {
        let span = w[49].duration_since(w[0]);
        assert!(
            span >= Duration::from_secs_f64(INTERVAL * 39.0),
            "fifty requests in {span:?}"
        );
    }
    let whole = times[times.len() - 1]
        .duration_since(times[0])
        .as_secs_f64();
    assert!(
        whole >= INTERVAL * (times.len() - 1) as f64 * 0.95,
        "{} requests in {whole} s",
        times.len()
    );
    // The failing page was asked again, and answered.
    assert!(hits.iter().any(|h| h.status == 500));

    // A second run asks only what changed: nothing has, so no body is sent again. Its table
    // also goes to an XLSX workbook: a row per report and per agency with none.
    portal.clear();
    let xlsx = dir.path().join("结果.xlsx");
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "collect",
            "-q",
            "--interval",
            &INTERVAL.to_string(),
            "--user-agent",
            "nianbao-test/1 (+test@example.cn)",
            "--db",
        ])
        .arg(&db)
        .arg("--report")
        .arg(&xlsx)
        .arg(&list)
        .output()
        .unwrap();
    {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
        let sheet = book.worksheet_range("采集结果").unwrap();
        let rows: Vec<Vec<String>> = sheet
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows.len(), 1 + made.expect.len() + made.none.len());
        assert_eq!(rows[0][4], "发布日期 (published)");
        let late = rows.iter().filter(|r| r[6].starts_with("逾期")).count();
        assert_eq!(late, made.expect.iter().filter(|e| e.late).count());
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = portal.hits();
    let fresh: Vec<&str> = again
        .iter()
        .filter(|h| h.status == 200 && h.path != "/robots.txt")
        .map(|h| h.path.as_str())
        .collect();
    assert!(fresh.is_empty(), "fetched again: {fresh:?}");
    assert!(again.iter().any(|h| h.status == 304));
    // Attachments served with Last-Modified only are asked with If-Modified-Since.
    let pdfs: Vec<&nianbao_testkit::portal::Hit> = again
        .iter()
        .filter(|h| h.path.contains("/files/r"))
        .collect();
    assert!(
        !pdfs.is_empty() && pdfs.iter().all(|h| h.status == 304),
        "{pdfs:?}"
    );
    assert_eq!(stored(&db).len(), made.expect.len());
}

#[test]
fn a_run_killed_midway_then_run_again_ends_in_the_same_store() {
    let (portal, made) = portal();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("sites.csv");
    std::fs::write(&list, &made.csv).unwrap();
    let whole = dir.path().join("whole.db");
    assert!(collect(&list, &whole).status.success());
    let total = portal.hits().len();
    portal.clear();

    let db = dir.path().join("killed.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "collect",
            "-q",
            "--interval",
            &INTERVAL.to_string(),
            "--user-agent",
            "nianbao-test/1 (+test@example.cn)",
            "--db",
        ])
        .arg(&db)
        .arg(&list)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Half-way through the requests a whole run makes.
    while portal.hits().len() < total / 2 {
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    let _ = child.wait();
    let partial = stored(&db).len();
    assert!(
        partial < made.expect.len(),
        "the kill came too late: {partial} stored"
    );
    let out = collect(&list, &db);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stored(&db), stored(&whole));
    assert_eq!(entries(&db), entries(&whole));
}

/// Two collectors started on one list share a PostgreSQL store's run: each site is walked by
/// one of them (every page and file fetched once), and the store ends as one collector
/// would leave it.
#[test]
fn two_collectors_share_one_postgresql_run() {
    let url = match nianbao_corpus::testing::database("collect") {
        Ok(u) => u,
        Err(e) if std::env::var("CI").is_err() => {
            eprintln!("skipping PostgreSQL test (outside CI): {e}");
            return;
        }
        Err(e) => panic!("PostgreSQL test server: {e}"),
    };
    let (portal, made) = portal();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("sites.csv");
    std::fs::write(&list, &made.csv).unwrap();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args([
                "collect",
                "-q",
                "--interval",
                &INTERVAL.to_string(),
                "--backoff",
                "0.1",
                "--db",
                &url,
            ])
            .arg(&list)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for c in [a, b] {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut fetched: std::collections::HashMap<String, usize> = Default::default();
    for h in portal
        .hits()
        .iter()
        .filter(|h| h.status == 200 && h.path != "/robots.txt")
    {
        *fetched.entry(h.path.clone()).or_default() += 1;
    }
    let twice: Vec<_> = fetched.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "fetched by both: {twice:?}");
    let want: BTreeSet<(String, i64)> = made
        .expect
        .iter()
        .map(|e| (e.agency.clone(), e.year as i64))
        .collect();
    let got: BTreeSet<(String, i64)> = stored(Path::new(&url))
        .into_iter()
        .map(|(a, y, _)| (a, y))
        .collect();
    assert_eq!(got, want);
}
