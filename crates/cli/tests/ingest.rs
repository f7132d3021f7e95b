//! `nianbao ingest` killed with SIGKILL in the middle of a batch, then run again: every
//! report is either complete or absent, and the rerun finishes the batch and the
//! cross-year checks. On SQLite and on a real PostgreSQL server.

use nianbao_corpus::Store;
use nianbao_model::{keys_for, Template};
use nianbao_synth::{add, render, series, Layout, Style};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const AGENCIES: usize = 60;
const YEARS: std::ops::RangeInclusive<i32> = 2019..=2025;

/// 60 agencies × 7 years; one planted carry-over break (agency 0, 2025).
fn corpus(root: &Path) -> usize {
    let mut rng = nianbao_synth::rng(99);
    let mut n = 0;
    for a in 0..AGENCIES {
        let name = format!("第{a}号镇");
        let mut reports = series(&mut rng, &name, YEARS);
        if a == 0 {
            let last = reports.last_mut().unwrap();
            add(last, "t3.carried_in", "natural", 1);
            add(last, "t3.carried_over", "natural", 1);
        }
        for r in &reports {
            let dir = root.join(format!("{a:02}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join(format!("{}.txt", r.year.unwrap())),
                render(r, &Style::plain(Layout::Tabs), &mut rng),
            )
            .unwrap();
            n += 1;
        }
    }
    n
}

fn count(db: &str, sql: &str) -> i64 {
    let mut s = Store::open(db).unwrap();
    s.conn().query(sql, &[]).unwrap()[0].int(0).unwrap()
}

fn killed_and_rerun(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("reports");
    let n = corpus(&root) as i64;
    Store::open(db).unwrap();
    let bin = env!("CARGO_BIN_EXE_nianbao");
    let mut child = Command::new(bin)
        .args(["ingest", "--quiet", "--db", db])
        .arg(&root)
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        let stored = count(db, "SELECT COUNT(*) FROM reports");
        if stored >= 30 || start.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // SIGKILL: no chance to clean up.
    child.kill().unwrap();
    child.wait().unwrap();
    let stored = count(db, "SELECT COUNT(*) FROM reports");
    assert!(
        stored > 0 && stored < n,
        "killed mid-batch: {stored} of {n} stored"
    );
    // Every stored report is complete: its source, its cells (a generated report has every
    // table cell of its template).
    assert_eq!(count(db, "SELECT COUNT(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.report_id = r.id)"), 0);
    assert_eq!(
        count(
            db,
            &format!(
                "SELECT COUNT(*) FROM reports r WHERE (SELECT COUNT(*) FROM cells c WHERE c.report_id = r.id) <> \
                 CASE r.template WHEN '2019' THEN {} WHEN '2021' THEN {} ELSE -1 END",
                keys_for(Template::Y2019).len(),
                keys_for(Template::Y2021).len()
            )
        ),
        0
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM cells c WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = c.report_id)"), 0);

    let out = Command::new(bin)
        .args(["ingest", "--quiet", "--db", db])
        .arg(&root)
        .output()
        .unwrap();
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{msg}");
    assert!(
        msg.contains(&format!(
            "新增 {}，新版本 0，未变 {stored}，失败 0",
            n - stored
        )),
        "{msg}"
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM reports"), n);
    assert_eq!(count(db, "SELECT COUNT(*) FROM agencies"), AGENCIES as i64);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM agencies WHERE dirty = 1"),
        0
    );
    // The cross-year checks ran over the whole series: exactly the planted break.
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM findings WHERE origin = 'cross'"),
        1
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM findings f JOIN reports r ON r.id = f.report_id WHERE f.rule = 'cross.carry_over' AND r.year = 2025 AND r.agency_name = '第0号镇'"),
        1
    );
}

#[test]
fn sqlite_ingest_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    killed_and_rerun(&dir.path().join("k.db").display().to_string());
}

#[test]
fn postgres_ingest_survives_sigkill() {
    match nianbao_corpus::testing::database("sigkill") {
        Ok(url) => killed_and_rerun(&url),
        Err(e) if std::env::var("CI").is_err() => {
            eprintln!("skipping PostgreSQL test (outside CI): {e}")
        }
        Err(e) => panic!("PostgreSQL test server: {e}"),
    }
}

#[test]
fn cli_commands_over_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db").display().to_string();
    let bin = env!("CARGO_BIN_EXE_nianbao");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds");
    let out = Command::new(bin)
        .args(["ingest", "--db", &db])
        .arg(&seeds)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "the summary goes to stderr"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("读取 5 个文件：新增 5"));

    let out = Command::new(bin)
        .args(["agencies", "--db", &db])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 6, "{text}");
    assert!(
        text.contains("尉氏县洧川镇人民政府\t尉氏县\t乡镇/街道\t1\t2021"),
        "{text}"
    );

    let out = Command::new(bin)
        .args([
            "export",
            "--db",
            &db,
            "--format",
            "csv",
            "--zh-headers",
            "--year",
            "2019",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("报告编号,机构,地区,层级,年度,模板,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3, "two 2019 reports and the header");

    let xlsx = dir.path().join("out.xlsx");
    let out = Command::new(bin)
        .args(["export", "--db", &db, "--format", "xlsx", "-o"])
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&xlsx).unwrap().permissions().mode() & 0o777,
        0o644,
        "an ordinary file, not a private temporary one"
    );

    let out = Command::new(bin)
        .args(["stats", "--db", &db, "--by", "template", "--format", "csv"])
        .output()
        .unwrap();
    let stats = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = stats.lines().collect();
    assert_eq!(rows.len(), 4, "{stats}");
    assert!(rows[1].starts_with("2019,3,21,17,"), "{stats}");

    // A file that is not a database is refused with one line, exit 2, and left as it was.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "会议纪要").unwrap();
    let out = Command::new(bin)
        .args(["stats", "--db"])
        .arg(&notes)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "会议纪要");
}

/// Versions of one agency-year given in one run are numbered in the order they were given,
/// the last given current — whatever order they finish reading in (a Word file and a PDF
/// take far longer than text, so on two cores the texts finish first).
#[test]
fn versions_of_one_run_follow_the_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db").display().to_string();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let seed = std::fs::read_to_string(shared.join("seeds/000_ea60ae7e2efea9c4.txt")).unwrap();
    let text = |n: usize| {
        let p = dir.path().join(format!("text{n}.txt"));
        std::fs::write(&p, format!("{seed}\n（第{n}次修改）\n")).unwrap();
        p
    };
    let inputs = [
        shared.join("variants/docx/000_ea60ae7e2efea9c4.docx"),
        text(1),
        shared.join("variants/pdf/000_ea60ae7e2efea9c4.pdf"),
        text(2),
        text(3),
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["ingest", "--quiet", "--db", &db])
        .args(&inputs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut store = Store::open(&db).unwrap();
    let rows = store
        .conn()
        .query(
            "SELECT path, version, current FROM reports ORDER BY version",
            &[],
        )
        .unwrap();
    let got: Vec<(String, i64, i64)> = rows
        .iter()
        .map(|r| {
            let path = r.str(0).rsplit('/').next().unwrap().to_string();
            (path, r.int(1).unwrap(), r.int(2).unwrap())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("000_ea60ae7e2efea9c4.docx".to_string(), 1, 0),
            ("text1.txt".to_string(), 2, 0),
            ("000_ea60ae7e2efea9c4.pdf".to_string(), 3, 0),
            ("text2.txt".to_string(), 4, 0),
            ("text3.txt".to_string(), 5, 1),
        ]
    );
}
