//! Several `nianbao ingest --queue` processes over one real PostgreSQL store: the files are
//! claimed one at a time, one worker is killed (SIGKILL) in the middle and another takes
//! over; in the end every file is stored once, every agency once (spellings of one agency
//! stored by different workers at the same moment included), one current report per agency
//! and year, the same cross-year findings as a single ingest of the same files, nothing
//! left claimed. SQLite is refused with a reason.

use nianbao_corpus::Store;
use nianbao_synth::{add, render, series, Layout, Style};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// 40 agencies × 6 years, each agency printed in two spellings; the same file twice under
/// two names; a carry-over break for agency 0.
fn corpus(root: &Path) -> usize {
    let mut rng = nianbao_synth::rng(61);
    let mut n = 0;
    for a in 0..40 {
        let mut reports = series(&mut rng, &format!("第{a}号镇"), 2019..=2024);
        if a == 0 {
            let last = reports.last_mut().unwrap();
            add(last, "t3.carried_in", "natural", 1);
            add(last, "t3.carried_over", "natural", 1);
        }
        for (j, r) in reports.iter_mut().enumerate() {
            if j % 2 == 1 {
                r.agency = Some(format!("第{a}号镇人民政府"));
            }
            let dir = root.join(format!("{a:02}"));
            std::fs::create_dir_all(&dir).unwrap();
            let text = render(r, &Style::plain(Layout::Tabs), &mut rng);
            std::fs::write(dir.join(format!("{}.txt", r.year.unwrap())), &text).unwrap();
            if a == 5 && j == 0 {
                std::fs::write(dir.join("copy.txt"), &text).unwrap();
            }
            n += 1;
        }
    }
    n
}

fn worker(db: &str, root: &Path, name: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["ingest", "--queue", "--quiet", "--worker", name, "--db", db])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// (agency, year) of every current report, and (agency, year, rule, cells) of every
/// cross-year finding.
type Snapshot = (Vec<(String, i64)>, BTreeSet<(String, i64, String, String)>);

fn snapshot(db: &str) -> Snapshot {
    let mut store = Store::open(db).unwrap();
    let reports = store
        .conn()
        .query(
            "SELECT a.name, r.year FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE r.current = 1 ORDER BY a.name, r.year",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.str(0).to_string(), r.int(1).unwrap()))
        .collect();
    let cross = store
        .conn()
        .query(
            "SELECT a.name, r.year, f.rule, f.cells FROM findings f JOIN reports r ON r.id = f.report_id \
             JOIN agencies a ON a.id = r.agency_id WHERE f.origin = 'cross'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.str(0).to_string(), r.int(1).unwrap(), r.str(2).to_string(), r.str(3).to_string()))
        .collect();
    (reports, cross)
}

#[test]
fn workers_share_one_postgresql_store() {
    let (url, single) = match (
        nianbao_corpus::testing::database("queue"),
        nianbao_corpus::testing::database("queue_single"),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) if std::env::var("CI").is_err() => {
            eprintln!("skipping PostgreSQL test (outside CI): {e}");
            return;
        }
        (Err(e), _) | (_, Err(e)) => panic!("PostgreSQL test server: {e}"),
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("reports");
    let n = corpus(&root);
    assert_eq!(n, 240);

    // Three workers at once; the first is killed once some files are stored.
    let mut first = worker(&url, &root, "w1");
    let mut others = vec![worker(&url, &root, "w2"), worker(&url, &root, "w3")];
    let start = Instant::now();
    let mut store = Store::open(&url).unwrap();
    loop {
        let (_, done, _) = nianbao_corpus::queue::counts(&mut store).unwrap_or((0, 0, 0));
        if done >= 40 || start.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    first.kill().unwrap();
    first.wait().unwrap();
    // A new worker joins without naming files: it works on what is queued.
    let joined = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "ingest", "--queue", "--quiet", "--worker", "w4", "--db", &url,
        ])
        .output()
        .unwrap();
    assert!(
        joined.status.success(),
        "{}",
        String::from_utf8_lossy(&joined.stderr)
    );
    for w in &mut others {
        let out = w.wait().unwrap();
        assert!(out.success());
    }
    let (queued, done, failed) = nianbao_corpus::queue::counts(&mut store).unwrap();
    assert_eq!((queued, done, failed), (0, 241, 0));
    let workers: BTreeSet<String> = store
        .conn()
        .query("SELECT DISTINCT worker FROM ingest_queue", &[])
        .unwrap()
        .iter()
        .map(|r| r.str(0).to_string())
        .collect();
    assert!(workers.len() >= 2, "{workers:?}");

    // Every file once, every agency once, one current report per agency and year.
    let count =
        |store: &mut Store, sql: &str| store.conn().query(sql, &[]).unwrap()[0].int(0).unwrap();
    assert_eq!(count(&mut store, "SELECT COUNT(*) FROM reports"), 240);
    assert_eq!(count(&mut store, "SELECT COUNT(*) FROM agencies"), 40);
    assert_eq!(
        count(&mut store, "SELECT COUNT(*) FROM (SELECT agency_id, year FROM reports WHERE current = 1 GROUP BY agency_id, year HAVING COUNT(*) > 1) t"),
        0
    );
    assert_eq!(
        count(&mut store, "SELECT COUNT(*) FROM agencies WHERE dirty = 1"),
        0
    );

    // The same store as one ingest of the same files would make.
    let one = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["ingest", "--quiet", "--db", &single])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let (shared_reports, shared_cross) = snapshot(&url);
    let (single_reports, single_cross) = snapshot(&single);
    assert_eq!(shared_reports.len(), 240);
    assert_eq!(shared_reports, single_reports);
    assert_eq!(shared_cross, single_cross);
    assert!(
        shared_cross.iter().any(|f| f.2 == "cross.carry_over"),
        "{shared_cross:?}"
    );
}

#[test]
fn the_queue_needs_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db").display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["ingest", "--queue", "--db", &db])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("共享队列导入需要 PostgreSQL"));
}
