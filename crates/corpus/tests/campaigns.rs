//! A filing campaign over a generated county (宁海县: its government, 20 departments, 15
//! townships), on SQLite and on a real PostgreSQL server: some reports missing, some late,
//! some with errors; the statuses and counts are exact before and after the deadline; 退回 and
//! a resubmitted version, 已审; an agency of another county stays out.

use nianbao_corpus::campaigns::{Filing, NewCampaign};
use nianbao_corpus::ingest::{ingest, parse_bytes};
use nianbao_corpus::workflow::Step;
use nianbao_corpus::Store;
use nianbao_synth::season;
use std::path::{Path, PathBuf};

fn townships() -> Vec<&'static str> {
    nianbao_division::all()
        .children("330226")
        .iter()
        .take(15)
        .map(|d| d.name)
        .collect()
}

/// The county's 2024 season written as text files (what was filed), and the report of an
/// agency of another county.
fn write_county(root: &Path) -> (Vec<nianbao_synth::Filing>, Vec<PathBuf>) {
    let season = season(&mut nianbao_synth::rng(14), "宁海县", &townships(), 2024);
    let dir = root.join("宁海县");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for f in &season {
        if let Some(text) = &f.text {
            let path = dir.join(format!("{}.txt", f.name));
            std::fs::write(&path, text).unwrap();
            files.push(path);
        }
    }
    let other =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds/000_ea60ae7e2efea9c4.txt");
    files.push(other);
    (season, files)
}

fn campaign(store: &mut Store, root: &Path) {
    let (season, files) = write_county(root);
    let names: Vec<String> = season.iter().map(|f| f.name.clone()).collect();
    assert_eq!(names.len(), 36);
    let missing = |i: usize| season[i].text.is_none();
    let late = |i: usize| season[i].late;
    let broken = |i: usize| season[i].broken;
    ingest(store, &files, &mut |_, _| {}).unwrap();
    let id = store
        .create_campaign(
            &NewCampaign {
                name: "宁海县2024年度政府信息公开工作年度报告报送".into(),
                year: 2024,
                office: "宁海县人民政府办公室（县政务公开办）".into(),
                division: Some("330226".into()),
                deadline: String::new(),
            },
            "审核员",
        )
        .unwrap();
    assert_eq!(store.campaign(id).unwrap().deadline, "2025-01-31");
    // The office's list of agencies: those without a report become agencies to wait for.
    let agencies = |s: &mut Store| s.agencies().unwrap().len();
    assert_eq!(agencies(store), 33);
    assert_eq!(store.add_campaign_names(id, &names).unwrap(), 36);
    assert_eq!(
        agencies(store),
        37,
        "the four missing agencies are now known"
    );
    assert_eq!(store.add_campaign_names(id, &names[..3]).unwrap(), 0);

    let before = store.board(id, "2025-01-20").unwrap();
    assert_eq!(
        before.entries.len(),
        36,
        "the seed's 北冷乡 (温县) is not in the county"
    );
    let want_status = |i: usize, deadline_passed: bool| match (missing(i), deadline_passed) {
        (true, false) => Filing::Missing,
        (true, true) => Filing::Overdue,
        (false, _) => Filing::Filed,
    };
    for (i, name) in names.iter().enumerate() {
        let e = before
            .entries
            .iter()
            .find(|e| &e.agency == name)
            .unwrap_or_else(|| panic!("{name} not on the board"));
        assert_eq!(e.status, want_status(i, false), "{name}");
        assert_eq!(e.late, !missing(i) && late(i), "{name}");
        assert_eq!(
            e.errors > 0,
            !missing(i) && broken(i),
            "{name}: {} errors",
            e.errors
        );
        assert_eq!(
            e.division.as_deref().map(|d| &d[..6]),
            Some("330226"),
            "{name}"
        );
        if !missing(i) {
            let filed = e.filed.as_deref().unwrap();
            assert_eq!(
                &filed[..7],
                if late(i) { "2025-02" } else { "2025-01" },
                "{name}"
            );
        }
    }
    let n_missing = (0..36).filter(|&i| missing(i)).count() as i64;
    let n_late = (0..36).filter(|&i| !missing(i) && late(i)).count() as i64;
    assert_eq!((n_missing, n_late), (4, 4));
    assert_eq!(before.count(Filing::Missing), 4);
    assert_eq!(before.count(Filing::Overdue), 0);
    assert_eq!(before.count(Filing::Filed), 32);
    assert_eq!(before.late, 4);
    let after = store.board(id, "2025-02-01").unwrap();
    assert_eq!(
        (after.count(Filing::Missing), after.count(Filing::Overdue)),
        (0, 4)
    );

    // 退回 one report with errors; the agency resubmits (a new version), then it is 已审.
    let i = (0..36).find(|&i| !missing(i) && broken(i)).unwrap();
    let entry = before
        .entries
        .iter()
        .find(|e| e.agency == names[i])
        .unwrap()
        .clone();
    let report = entry.report_id.unwrap();
    store
        .set_review(
            report,
            Step::Returned,
            None,
            Some("本年新收与各项之和不符"),
            "审核员",
        )
        .unwrap();
    store
        .comment(
            report,
            "t3.received.natural",
            "本年新收与各项之和不符，请核实",
            "审核员",
        )
        .unwrap();
    let board = store.board(id, "2025-02-01").unwrap();
    assert_eq!(board.count(Filing::Returned), 1);
    assert_eq!(board.count(Filing::Filed), 31);
    let returned = board
        .entries
        .iter()
        .find(|e| e.status == Filing::Returned)
        .unwrap();
    assert_eq!(
        returned.returned_for.as_deref(),
        Some("本年新收与各项之和不符")
    );
    assert!(board
        .entries
        .iter()
        .all(|e| e.status == Filing::Returned || e.returned_for.is_none()));
    let mut fixed =
        std::fs::read_to_string(root.join("宁海县").join(format!("{}.txt", names[i]))).unwrap();
    fixed.push_str("\n（修订版）\n");
    let mut parsed =
        parse_bytes(&format!("宁海县/{}-修订.txt", names[i]), fixed.as_bytes()).unwrap();
    parsed.path = format!("宁海县/{}-修订.txt", names[i]);
    store.save(&parsed).unwrap();
    let board = store.board(id, "2025-02-01").unwrap();
    let again = board.entries.iter().find(|e| e.agency == names[i]).unwrap();
    assert_eq!((again.status, again.version), (Filing::Filed, Some(2)));
    assert_ne!(again.report_id, Some(report));
    assert_eq!(board.count(Filing::Returned), 0);
    store
        .set_review(
            again.report_id.unwrap(),
            Step::Approved,
            None,
            None,
            "审核员",
        )
        .unwrap();
    let board = store.board(id, "2025-02-01").unwrap();
    assert_eq!(
        board.counts,
        [
            (Filing::Missing, 0),
            (Filing::Overdue, 4),
            (Filing::Filed, 31),
            (Filing::Returned, 0),
            (Filing::Approved, 1)
        ]
    );

    // Bad input is refused with a reason.
    let mut bad = |c: NewCampaign| store.create_campaign(&c, "x").unwrap_err().to_string();
    let base = NewCampaign {
        name: "x".into(),
        year: 2024,
        ..NewCampaign::default()
    };
    assert!(bad(NewCampaign {
        deadline: "2025-02-30".into(),
        ..base.clone()
    })
    .contains("YYYY-MM-DD"));
    assert!(bad(NewCampaign {
        division: Some("999999".into()),
        ..base.clone()
    })
    .contains("999999"));
    assert!(bad(NewCampaign {
        name: " ".into(),
        ..base.clone()
    })
    .contains("名称"));
    assert!(store
        .board(id + 100, "2025-01-01")
        .unwrap_err()
        .to_string()
        .contains("填报任务"));
    assert_eq!(store.campaigns().unwrap().len(), 1);
}

#[test]
fn campaign_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("c.db").display().to_string()).unwrap();
    campaign(&mut store, &dir.path().join("reports"));
}

#[test]
fn campaign_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let url = match nianbao_corpus::testing::database("campaign") {
        Ok(url) => url,
        Err(e) if std::env::var("CI").is_err() => {
            eprintln!("skipping PostgreSQL test (outside CI): {e}");
            return;
        }
        Err(e) => panic!("PostgreSQL test server: {e}"),
    };
    let mut store = Store::open(&url).unwrap();
    campaign(&mut store, &dir.path().join("reports"));
}
