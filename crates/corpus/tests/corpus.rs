//! The corpus over a generated multi-year corpus with planted cross-year breaks, on SQLite
//! and on a real PostgreSQL server: ingest, versions, agency identity, cross-year
//! findings, exports read back by real readers, statistics.

use nianbao_corpus::export::{self, Shape};
use nianbao_corpus::ingest::{ingest, Summary};
use nianbao_corpus::stats::By;
use nianbao_corpus::store::{Filter, Saved};
use nianbao_corpus::Store;
use nianbao_model::{keys_for, Num, Report, Severity, Template};
use nianbao_synth::{add, render, series, Layout, Style};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A store of the backend; None (test skipped) only outside CI when no PostgreSQL exists.
fn store(backend: Backend, dir: &Path, name: &str) -> Option<(Store, String)> {
    let spec = match backend {
        Backend::Sqlite => dir.join("nianbao.db").display().to_string(),
        Backend::Postgres => match nianbao_corpus::testing::database(name) {
            Ok(url) => url,
            Err(e) if std::env::var("CI").is_err() => {
                eprintln!("skipping PostgreSQL test (outside CI): {e}");
                return None;
            }
            Err(e) => panic!("PostgreSQL test server: {e}"),
        },
    };
    Some((Store::open(&spec).expect("open store"), spec))
}

/// One agency's series, the spellings it is printed with, and where its files go.
struct Agency {
    county: &'static str,
    spellings: &'static [&'static str],
    years: std::ops::RangeInclusive<i32>,
    skip: Option<i32>,
}

const AGENCIES: [Agency; 5] = [
    Agency {
        county: "宁海县",
        spellings: &["北冷乡", "北冷乡人民政府", "宁海县北冷乡人民政府"],
        years: 2017..=2024,
        skip: None,
    },
    Agency {
        county: "南召县",
        spellings: &["南召县城关镇人民政府"],
        years: 2019..=2024,
        skip: Some(2022),
    },
    Agency {
        county: "尉氏县",
        spellings: &["尉氏县市场监督管理局"],
        years: 2021..=2024,
        skip: None,
    },
    Agency {
        county: "尉氏县",
        spellings: &["尉氏县自然资源局"],
        years: 2021..=2023,
        skip: None,
    },
    Agency {
        county: "平潭综合实验区",
        spellings: &["平潭综合实验区公安局"],
        years: 2016..=2020,
        skip: None,
    },
];

/// The generated corpus: every report written as a text file under `root/county/year/`.
fn corpus(root: &Path) -> Vec<(PathBuf, Report)> {
    let mut rng = nianbao_synth::rng(2026);
    let mut out = Vec::new();
    for (i, a) in AGENCIES.iter().enumerate() {
        let mut reports = series(&mut rng, a.spellings[0], a.years.clone());
        reports.retain(|r| Some(r.year.unwrap()) != a.skip);
        let last = reports.len() - 1;
        match i {
            // A carry-over break in the last year: 上年结转 one more than last year's 结转.
            0 => {
                add(&mut reports[last], "t3.carried_in", "natural", 1);
                if reports[last].int("t3.received.natural").unwrap() > 0 {
                    add(&mut reports[last], "t3.received", "natural", -1);
                } else {
                    add(&mut reports[last], "t3.carried_over", "natural", 1);
                }
            }
            // A tenfold swing in requests received.
            2 => {
                add(&mut reports[last], "t3.received", "natural", 5000);
                add(&mut reports[last], "t3.carried_over", "natural", 5000);
            }
            // 现行有效件数 that does not follow from last year's.
            3 => {
                let v = reports[last].int("t2.normative.in_force").unwrap_or(0);
                reports[last].set("t2.normative.in_force", Some(Num::Int(v + 3)));
                let prev = reports[last - 1].int("t2.normative.in_force");
                assert!(
                    prev.is_some(),
                    "the planted in_force break needs last year's value"
                );
            }
            _ => {}
        }
        for (j, r) in reports.iter_mut().enumerate() {
            r.agency = Some(a.spellings[j % a.spellings.len()].to_string());
            let dir = root.join(a.county).join(r.year.unwrap().to_string());
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{}.txt", r.agency.as_deref().unwrap()));
            std::fs::write(&path, render(r, &Style::plain(Layout::Tabs), &mut rng)).unwrap();
            out.push((path, r.clone()));
        }
    }
    out
}

fn run(store: &mut Store, paths: &[PathBuf]) -> Summary {
    ingest(store, paths, &mut |_, _| {}).expect("ingest")
}

/// (agency name, year, rule, cells) of every cross-year finding in the store.
fn cross_findings(store: &mut Store) -> BTreeSet<(String, i64, String, String)> {
    store
        .conn()
        .query(
            "SELECT a.name, r.year, f.rule, f.cells FROM findings f JOIN reports r ON r.id = f.report_id \
             JOIN agencies a ON a.id = r.agency_id WHERE f.origin = 'cross'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.str(0).to_string(), r.int(1).unwrap(), r.str(2).to_string(), r.str(3).to_string()))
        .collect()
}

fn expected_cross() -> BTreeSet<(String, i64, String, String)> {
    [
        (
            "北冷乡人民政府",
            2024,
            "cross.carry_over",
            "t3.carried_in.natural t3.carried_in.total",
        ),
        ("南召县城关镇人民政府", 2023, "cross.missing_year", ""),
        (
            "尉氏县市场监督管理局",
            2024,
            "cross.swing",
            "t3.received.total",
        ),
        (
            "尉氏县自然资源局",
            2023,
            "cross.in_force",
            "t2.normative.in_force t2.normative.issued t2.normative.repealed",
        ),
    ]
    .iter()
    .map(|(a, y, r, c)| (a.to_string(), *y, r.to_string(), c.to_string()))
    .collect()
}

fn multi_year(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((mut store, _)) = store(backend, dir.path(), "multi_year") else {
        return;
    };
    let root = dir.path().join("reports");
    let files = corpus(&root);
    let n = files.len();
    assert_eq!(n, 8 + 5 + 4 + 3 + 5);

    let first = run(&mut store, std::slice::from_ref(&root));
    assert_eq!(
        (first.read, first.new, first.versions, first.unchanged),
        (n, n, 0, 0),
        "{:?}",
        first.failed
    );

    // Every value stored is the generated one.
    let mut stored = 0;
    store
        .each_report(&Filter::default(), &mut |s| {
            let (_, want) = files
                .iter()
                .find(|(p, _)| p.display().to_string() == s.path)
                .expect("stored path");
            assert_eq!(
                s.report.values_in_order(),
                want.values_in_order(),
                "{}",
                s.path
            );
            stored += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(stored, n);

    // Spellings and regions resolve to one agency each.
    let agencies = store.agencies().unwrap();
    let summary: Vec<(String, String, String, i64)> = agencies
        .iter()
        .map(|a| (a.name.clone(), a.region.clone(), a.level.clone(), a.reports))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "南召县城关镇人民政府".to_string(),
                "南召县".to_string(),
                "乡镇/街道".to_string(),
                5
            ),
            (
                "北冷乡人民政府".to_string(),
                "宁海县".to_string(),
                "乡镇/街道".to_string(),
                8
            ),
            (
                "尉氏县市场监督管理局".to_string(),
                "尉氏县".to_string(),
                "县级部门".to_string(),
                4
            ),
            (
                "尉氏县自然资源局".to_string(),
                "尉氏县".to_string(),
                "县级部门".to_string(),
                3
            ),
            (
                "平潭综合实验区公安局".to_string(),
                "平潭综合实验区".to_string(),
                "县级部门".to_string(),
                5
            ),
        ]
    );
    assert_eq!(
        agencies[1].aliases,
        vec!["北冷乡", "北冷乡人民政府", "宁海县北冷乡人民政府"]
    );
    assert_eq!(cross_findings(&mut store), expected_cross());

    // Same files again: nothing changes.
    let again = run(&mut store, std::slice::from_ref(&root));
    assert_eq!((again.new, again.versions, again.unchanged), (0, 0, n));

    // A changed file of the same agency and year is a new version; the old one is kept.
    let (path, _) = files
        .iter()
        .find(|(p, r)| r.year == Some(2023) && p.display().to_string().contains("北冷乡"))
        .unwrap();
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push_str("\n（本报告已更正）\n");
    std::fs::write(path, text).unwrap();
    let changed = run(&mut store, std::slice::from_ref(&root));
    assert_eq!(
        (changed.new, changed.versions, changed.unchanged),
        (0, 1, n - 1)
    );
    let count = |store: &mut Store, all: bool| {
        let mut k = 0;
        store
            .each_report(
                &Filter {
                    all_versions: all,
                    ..Filter::default()
                },
                &mut |_| {
                    let _: () = k += 1;
                    Ok(())
                },
            )
            .unwrap();
        k
    };
    assert_eq!(count(&mut store, false), n);
    assert_eq!(count(&mut store, true), n + 1);
    assert_eq!(cross_findings(&mut store), expected_cross());

    // Split a spelling off and merge it back: findings follow the series.
    let beileng = store.agencies().unwrap()[1].id;
    let new = store.split_agency(beileng, "北冷乡人民政府").unwrap();
    let split = cross_findings(&mut store);
    // The spelling split off has the years 2018, 2021 and 2024: gaps; the rest is named
    // as its latest report (2023) spells it.
    let gap = |name: &str| {
        split
            .iter()
            .any(|f| f.0 == name && f.2 == "cross.missing_year")
    };
    assert!(gap("北冷乡人民政府") && gap("北冷乡"), "{split:?}");
    // Agency users of either agency file for the one left, once each.
    let both = store
        .create_user("两处报送员", "hash", nianbao_corpus::review::Role::Agency)
        .unwrap();
    let one = store
        .create_user("一处报送员", "hash", nianbao_corpus::review::Role::Agency)
        .unwrap();
    let bound = store
        .bind_agencies(both, &["北冷乡".into(), "北冷乡人民政府".into()])
        .unwrap();
    assert_eq!(bound.len(), 2, "{bound:?}");
    assert_eq!(
        store
            .bind_agencies(one, &["北冷乡人民政府".into()])
            .unwrap()[0]
            .0,
        new
    );
    store.merge_agencies(beileng, new).unwrap();
    assert_eq!(cross_findings(&mut store), expected_cross());
    for user in [both, one] {
        let ids: Vec<i64> = store
            .agencies_of(user)
            .unwrap()
            .iter()
            .map(|a| a.0)
            .collect();
        assert_eq!(ids, [beileng], "user {user}");
    }

    exports(&mut store, &files, dir.path());
    stats(&mut store, &files);
}

/// The current reports of the generated corpus (the 2023 北冷乡 report has a new version
/// with the same values, so the generated values still stand).
fn stats(store: &mut Store, files: &[(PathBuf, Report)]) {
    let groups = store.stats(By::Year, &Filter::default()).unwrap();
    let years: BTreeSet<i32> = files.iter().map(|(_, r)| r.year.unwrap()).collect();
    assert_eq!(groups.len(), years.len());
    for g in &groups {
        let year: i32 = g.group.parse().unwrap();
        let of_year: Vec<&Report> = files
            .iter()
            .map(|(_, r)| r)
            .filter(|r| r.year == Some(year))
            .collect();
        let sum = |keys: &[&str]| -> f64 {
            of_year
                .iter()
                .flat_map(|r| keys.iter().filter_map(|k| r.value(k)))
                .map(|v| v.as_f64())
                .sum()
        };
        assert_eq!(g.reports, of_year.len() as i64, "{year}");
        assert_eq!(
            g.requests_received,
            sum(&["t3.received.total", "legacy.request.received"]),
            "{year}"
        );
        let processed = sum(&["t3.processed.total", "legacy.reply.total"]);
        let granted = sum(&["t3.granted.total", "legacy.reply.granted"]);
        assert_eq!(g.requests_processed, processed);
        assert_eq!(
            g.granted_share,
            (processed > 0.0).then(|| granted / processed),
            "{year}"
        );
        let reviews = sum(&["t4.review.total", "legacy.review.total"]);
        let corrected = sum(&["t4.review.corrected", "legacy.review.corrected"]);
        assert_eq!(
            g.review_corrected_rate,
            (reviews > 0.0).then(|| corrected / reviews)
        );
        assert_eq!(
            g.identity_pass_rate,
            Some(1.0),
            "generated reports keep every identity ({year})"
        );
    }
    let by_level = store.stats(By::Level, &Filter::default()).unwrap();
    let levels: Vec<(&str, i64)> = by_level
        .iter()
        .map(|g| (g.group.as_str(), g.reports))
        .collect();
    assert_eq!(levels, vec![("乡镇/街道", 13), ("县级部门", 12)]);
    let t = store
        .stats(
            By::Template,
            &Filter {
                years: vec![2021, 2022],
                ..Filter::default()
            },
        )
        .unwrap();
    assert_eq!(
        t.iter()
            .map(|g| (g.group.as_str(), g.reports))
            .collect::<Vec<_>>(),
        vec![("2021", 7)]
    );
}

fn export_bytes(
    store: &mut Store,
    format: export::Format,
    shape: Shape,
    filter: Filter,
) -> Vec<u8> {
    let mut buf: Vec<u8> = Vec::new();
    export::export(
        store,
        &export::Options {
            format,
            shape,
            chinese_headers: false,
            file_names: false,
            filter,
        },
        &mut buf,
    )
    .unwrap();
    buf
}

fn exports(store: &mut Store, files: &[(PathBuf, Report)], dir: &Path) {
    let n = files.len();
    let find = |agency: &str, year: i32| {
        files
            .iter()
            .map(|(_, r)| r)
            .find(|r| r.year == Some(year) && r.agency.as_deref().unwrap().contains(agency))
            .unwrap()
    };

    // CSV, wide: one row per current report, every key a column.
    let csv_bytes = export_bytes(store, export::Format::Csv, Shape::Wide, Filter::default());
    let mut rd = csv::Reader::from_reader(csv_bytes.as_slice());
    let header = rd.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), n);
    let col = |k: &str| header.iter().position(|h| h == k).unwrap();
    let row = rows
        .iter()
        .find(|r| &r[col("agency")] == "北冷乡人民政府" && &r[col("year")] == "2024")
        .unwrap();
    let want = find("北冷乡", 2024);
    assert_eq!(
        row[col("t3.carried_in.natural")],
        want.int("t3.carried_in.natural").unwrap().to_string()
    );
    assert_eq!(&row[col("region")], "宁海县");
    assert_eq!(
        row[col("errors")].parse::<i64>().unwrap(),
        1,
        "the planted carry-over break"
    );

    // Filters.
    let only = export_bytes(
        store,
        export::Format::Csv,
        Shape::Wide,
        Filter {
            years: vec![2024],
            ..Filter::default()
        },
    );
    assert_eq!(
        csv::Reader::from_reader(only.as_slice()).records().count(),
        3
    );
    let region = export_bytes(
        store,
        export::Format::Csv,
        Shape::Wide,
        Filter {
            region: Some("尉氏县".into()),
            ..Filter::default()
        },
    );
    assert_eq!(
        csv::Reader::from_reader(region.as_slice())
            .records()
            .count(),
        7
    );
    let t2019 = export_bytes(
        store,
        export::Format::Csv,
        Shape::Wide,
        Filter {
            template: Some(Template::Y2019),
            ..Filter::default()
        },
    );
    let mut t2019 = csv::Reader::from_reader(t2019.as_slice());
    assert_eq!(
        t2019.headers().unwrap().len(),
        13 + keys_for(Template::Y2019).len()
    );
    assert_eq!(t2019.records().count(), 6);

    // JSON lines, long: one object per cell with its evidence.
    let long = export_bytes(store, export::Format::Json, Shape::Long, Filter::default());
    let cells: Vec<serde_json::Value> = long
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let expected_cells: usize = files.iter().map(|(_, r)| keys_for(r.template).len()).sum();
    assert_eq!(cells.len(), expected_cells);
    let c = cells
        .iter()
        .find(|c| {
            c["agency"] == "尉氏县市场监督管理局"
                && c["year"] == 2024
                && c["key"] == "t3.received.total"
        })
        .unwrap();
    assert_eq!(
        c["value"],
        serde_json::json!(find("尉氏县市场监督管理局", 2024)
            .int("t3.received.total")
            .unwrap())
    );
    assert!(c["raw"].as_str().unwrap().contains(&c["value"].to_string()));
    assert!(c["line"].as_i64().unwrap() > 1);

    // XLSX, opened by calamine: the summary, and a report sheet laid out like the template.
    use calamine::{Reader, Xlsx};
    let xlsx = export_bytes(
        store,
        export::Format::Xlsx,
        Shape::Wide,
        Filter {
            years: vec![2024],
            ..Filter::default()
        },
    );
    let path = dir.join("out.xlsx");
    std::fs::write(&path, &xlsx).unwrap();
    // The summary's columns are sized for what they hold: the agency (column B) wide, the
    // report number (A) and year (E) narrow.
    let sheet1 = {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&xlsx)).unwrap();
        let mut s = String::new();
        z.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let cols = sheet1
        .split("<cols>")
        .nth(1)
        .unwrap()
        .split("</cols>")
        .next()
        .unwrap();
    assert!(
        cols.starts_with("<col min=\"1\" max=\"1\" width=\"10.7"),
        "{cols}"
    );
    assert!(
        cols.contains("<col min=\"2\" max=\"2\" width=\"30.7"),
        "{cols}"
    );
    assert!(
        cols.contains("<col min=\"5\" max=\"5\" width=\"10.7"),
        "{cols}"
    );
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let names = book.sheet_names().to_vec();
    assert_eq!(names.len(), 4);
    assert_eq!(names[0], "汇总");
    let summary = book.worksheet_range("汇总").unwrap();
    assert_eq!(summary.height(), 4);
    assert_eq!(summary.get_value((0, 1)).unwrap().to_string(), "agency");
    let sheet = names.iter().find(|s| s.contains("北冷乡")).unwrap().clone();
    let ws = book.worksheet_range(&sheet).unwrap();
    let text: Vec<String> = ws
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    for label in [
        "申请人情况",
        "法人或其他组织",
        "三、本年度办理结果",
        "（三）不予公开",
        "行政复议",
        "未经复议直接起诉",
        "发现的问题",
    ] {
        assert!(
            text.iter().any(|t| t == label),
            "{label} missing from the report sheet"
        );
    }
    let merged = book.merge_cells_by_sheet_name(&sheet).unwrap();
    let spans: Vec<(u32, u32, u32, u32)> = merged
        .iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    let at = |label: &str| -> (u32, u32) {
        let (r, c, _) = ws.used_cells().find(|(_, _, v)| *v == label).unwrap();
        let (r0, c0) = ws.start().unwrap();
        (r as u32 + r0, c as u32 + c0)
    };
    let (r, c) = at("申请人情况");
    assert!(
        spans.contains(&(r, c, r, c + 6)),
        "申请人情况 spans the seven applicant columns"
    );
    let (r, c) = at("法人或其他组织");
    assert!(spans.contains(&(r, c, r, c + 4)));
    let (r, c) = at("（三）不予公开");
    assert!(
        spans.contains(&(r, c, r + 7, c)),
        "不予公开 spans its eight reasons"
    );

    // Parquet, read back.
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let pq = export_bytes(
        store,
        export::Format::Parquet,
        Shape::Wide,
        Filter::default(),
    );
    let pq_path = dir.join("out.parquet");
    std::fs::write(&pq_path, pq).unwrap();
    let reader = SerializedFileReader::new(std::fs::File::open(&pq_path).unwrap()).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), n as i64);
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let idx = |name: &str| {
        schema
            .columns()
            .iter()
            .position(|c| c.name() == name)
            .unwrap()
    };
    let (ia, iy, ik) = (idx("agency"), idx("year"), idx("t3.carried_in.natural"));
    let mut seen = 0;
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        let fields: Vec<String> = row.get_column_iter().map(|(_, f)| f.to_string()).collect();
        if fields[ia] == "\"北冷乡人民政府\"" && fields[iy] == "2024" {
            assert_eq!(
                fields[ik].parse::<f64>().unwrap(),
                want.int("t3.carried_in.natural").unwrap() as f64
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 1);
}

fn bad_inputs(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((mut store, _)) = store(backend, dir.path(), "bad_inputs") else {
        return;
    };
    let root = dir.path().join("in");
    std::fs::create_dir_all(&root).unwrap();
    let mut rng = nianbao_synth::rng(5);
    let good = series(&mut rng, "西店镇", 2021..=2022);
    for r in &good {
        std::fs::write(
            root.join(format!("{}.txt", r.year.unwrap())),
            render(r, &Style::plain(Layout::Tabs), &mut rng),
        )
        .unwrap();
    }
    std::fs::write(root.join("empty.txt"), b"").unwrap();
    std::fs::write(
        root.join("garbage.pdf"),
        (0..4000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    std::fs::write(root.join("notes.md"), "会议纪要：无。").unwrap();
    // A zip archive with a good report, a path trick and a broken entry.
    let mut zip_bytes = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut zip_bytes);
        let opts = zip::write::SimpleFileOptions::default();
        let mut third = good[1].clone();
        third.year = Some(2023);
        z.start_file("2023/西店镇.txt", opts).unwrap();
        std::io::Write::write_all(
            &mut z,
            render(&third, &Style::plain(Layout::Tabs), &mut rng).as_bytes(),
        )
        .unwrap();
        z.start_file("../../etc/evil.txt", opts).unwrap();
        std::io::Write::write_all(&mut z, b"x").unwrap();
        z.finish().unwrap();
    }
    std::fs::write(root.join("batch.zip"), zip_bytes.into_inner()).unwrap();
    let mut truncated = std::fs::read(root.join("batch.zip")).unwrap();
    truncated.truncate(truncated.len() / 2);
    std::fs::write(root.join("broken.zip"), truncated).unwrap();

    let s = run(&mut store, std::slice::from_ref(&root));
    assert_eq!(
        s.new, 3,
        "two text reports and one from the archive: {:?}",
        s.failed
    );
    let failed: Vec<String> = s
        .failed
        .iter()
        .map(|(name, _)| name.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(failed.len(), 5, "{:?}", s.failed);
    for name in ["empty.txt", "garbage.pdf", "notes.md", "evil.txt"] {
        assert!(
            failed.iter().any(|f| f == name),
            "{name} not reported: {:?}",
            s.failed
        );
    }
    assert!(
        s.failed.iter().any(|(n, _)| n.ends_with("broken.zip")),
        "{:?}",
        s.failed
    );
    assert!(s.failed.iter().all(|(_, reason)| !reason.contains('\n')));
    // What was stored is intact, and a second run changes nothing.
    let again = run(&mut store, &[root]);
    assert_eq!((again.new, again.unchanged, again.failed.len()), (0, 3, 5));
}

/// The report list paged from the rows at a page's edge (as the web list pages) walks the
/// same rows as paging by offset, forwards and back, on both backends; a report without a
/// year or agency sorts last on both.
fn list_pages(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((mut store, _)) = store(backend, dir.path(), "pages") else {
        return;
    };
    let root = dir.path().join("reports");
    let mut n = corpus(&root).len() as i64;
    // Headings and no table, no agency, no year: stored, listed last.
    let bare = root.join("bare.txt");
    std::fs::write(
        &bare,
        nianbao_model::SECTION_HEADINGS.join("\n本年度无。\n"),
    )
    .unwrap();
    n += 1;
    run(&mut store, &[root]);
    // Pages that seek from the row at the edge of the last walk the same rows, forwards
    // and back, on both backends (a report without a year sorts last on both).
    {
        use nianbao_corpus::review::{ListKey, Seek};
        let ids = |rows: &[nianbao_corpus::review::Summary]| -> Vec<i64> {
            rows.iter().map(|r| r.id).collect()
        };
        let (_, all) = store.list(&Filter::default(), 0, 1000).unwrap();
        assert!(all.iter().any(|r| r.year.is_none()) && all.last().unwrap().year.is_none());
        let mut walked = ids(&store.list(&Filter::default(), 0, 7).unwrap().1);
        let mut pages = vec![walked.clone()];
        loop {
            let last = all
                .iter()
                .find(|r| r.id == *walked.last().unwrap())
                .unwrap();
            let (total, page) = store
                .list_from(&Filter::default(), Seek::After(ListKey::of(last)), 7)
                .unwrap();
            assert_eq!(total, n);
            if page.is_empty() {
                break;
            }
            assert_eq!(
                ids(&page),
                ids(&store
                    .list(&Filter::default(), 7 * pages.len() as i64, 7)
                    .unwrap()
                    .1)
            );
            walked.extend(ids(&page));
            pages.push(ids(&page));
        }
        assert_eq!(walked, ids(&all));
        for k in (1..pages.len()).rev() {
            let first = all.iter().find(|r| r.id == pages[k][0]).unwrap();
            let (_, page) = store
                .list_from(&Filter::default(), Seek::Before(ListKey::of(first)), 7)
                .unwrap();
            assert_eq!(ids(&page), pages[k - 1]);
        }
        let key = ListKey::of(all.last().unwrap());
        assert_eq!(ListKey::parse(&key.to_string()), Some(key));
        assert!(key.to_string().starts_with('.'), "{key}");
        assert_eq!(ListKey::parse("2021.x.3"), None);
        // The filters' choices: every year of the listed reports, newest first, once (the
        // report without a year adds none).
        let mut years: Vec<i64> = all.iter().filter_map(|r| r.year.map(i64::from)).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let facets = store.facets().unwrap();
        assert!(years.len() >= 3, "{years:?}");
        assert_eq!(facets.years, years);
        assert!(facets.regions.len() <= 500);
    }
}

macro_rules! on_both {
    ($($name:ident),*) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(super::Backend::Sqlite) })*
        }
        mod postgres {
            $(#[test] fn $name() { super::$name(super::Backend::Postgres) })*
        }
    };
}

/// Reviewers' work on a stored corpus: users and sessions, the filtered list, corrections
/// that rerun the report's and the agency's checks, acceptances, history and originals.
fn review(backend: Backend) {
    use nianbao_corpus::review::{finding_key, Role};
    use nianbao_corpus::store::Status;
    let dir = tempfile::tempdir().unwrap();
    let Some((mut store, _)) = store(backend, dir.path(), "review") else {
        return;
    };
    let root = dir.path().join("reports");
    let n = corpus(&root).len() as i64;
    run(&mut store, &[root]);

    // Keyset paging walks the current reports newest id first, three at a time.
    let (total, listed) = store.list(&Filter::default(), 0, 1000).unwrap();
    let mut want: Vec<i64> = listed.iter().map(|r| r.id).collect();
    want.sort_unstable_by(|a, b| b.cmp(a));
    let (mut walked, mut before) = (Vec::new(), None);
    loop {
        let page = store.list_after(&Filter::default(), before, 3).unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        walked.extend(page.iter().map(|r| r.id));
    }
    assert_eq!((walked.len() as i64, &walked), (total, &want));

    let id = store
        .create_user("审核员甲", "$argon2id$fake", Role::Reviewer)
        .unwrap();
    assert!(
        store.create_user("审核员甲", "x", Role::Viewer).is_err(),
        "names are unique"
    );
    let (u, hash) = store.user_by_name("审核员甲").unwrap().unwrap();
    assert_eq!(
        (u.id, u.role, hash.as_str()),
        (id, Role::Reviewer, "$argon2id$fake")
    );
    assert!(store.user_by_name("nobody").unwrap().is_none());
    let now = nianbao_corpus::review::unix_now();
    store.create_session("live", id, "csrf1", now + 60).unwrap();
    store.create_session("old", id, "csrf2", now - 1).unwrap();
    assert_eq!(
        store.session("live").unwrap().map(|(u, c)| (u.name, c)),
        Some(("审核员甲".into(), "csrf1".into()))
    );
    assert!(store.session("old").unwrap().is_none(), "expired");
    store.end_session("live").unwrap();
    assert!(store.session("live").unwrap().is_none());

    // The list: paging, status, name, words of the text, level.
    let (total, page) = store.list(&Filter::default(), 0, 10).unwrap();
    assert_eq!((total, page.len()), (n, 10));
    let (_, rest) = store.list(&Filter::default(), 20, 10).unwrap();
    assert_eq!(rest.len(), (n - 20) as usize);
    let mut with_errors = 0;
    store
        .each_report(&Filter::default(), &mut |s| {
            with_errors += i64::from(s.findings.iter().any(|f| f.severity == Severity::Error));
            Ok(())
        })
        .unwrap();
    let errors = Filter {
        status: Some(Status::Errors),
        ..Filter::default()
    };
    assert_eq!(store.list(&errors, 0, 100).unwrap().0, with_errors);
    let by_name = Filter {
        name: Some("北冷".into()),
        ..Filter::default()
    };
    assert_eq!(store.list(&by_name, 0, 100).unwrap().0, 8);
    let by_text = Filter {
        text: Some("收到 处理".into()),
        name: Some("自然资源".into()),
        ..Filter::default()
    };
    assert_eq!(store.list(&by_text, 0, 100).unwrap().0, 3);
    let literal = Filter {
        name: Some("%".into()),
        ..Filter::default()
    };
    assert_eq!(
        store.list(&literal, 0, 100).unwrap().0,
        0,
        "% is a character, not a pattern"
    );
    let towns = Filter {
        level: Some("乡镇/街道".into()),
        ..Filter::default()
    };
    assert_eq!(store.list(&towns, 0, 100).unwrap().0, 8 + 5);

    // The planted carry-over break of 北冷乡 2024: correct 上年结转 and the cross finding goes.
    let (_, list) = store
        .list(
            &Filter {
                name: Some("北冷".into()),
                years: vec![2024],
                ..Filter::default()
            },
            0,
            10,
        )
        .unwrap();
    let rid = list[0].id;
    let before = store.report(rid).unwrap().unwrap();
    assert!(before.findings.iter().any(|f| f.rule == "cross.carry_over"));
    let key = "t3.carried_in.natural";
    let old = before.report.int(key).unwrap();
    // Correcting one cell of the row breaks the row total: a report finding appears …
    let after = store
        .correct(
            rid,
            key,
            Some(Num::Int(old - 1)),
            "与上年结转核对",
            "审核员甲",
        )
        .unwrap();
    assert!(after.iter().any(|f| f.rule == "t3.row_total"), "{after:?}");
    // … and the total too: everything holds again.
    let total_old = before.report.int("t3.carried_in.total").unwrap();
    let after = store
        .correct(
            rid,
            "t3.carried_in.total",
            Some(Num::Int(total_old - 1)),
            "总计随之更正",
            "审核员甲",
        )
        .unwrap();
    assert!(
        !after
            .iter()
            .any(|f| f.rule == "cross.carry_over" || f.rule.id().starts_with("t3.row")),
        "{after:?}"
    );
    let stored = store.report(rid).unwrap().unwrap();
    assert_eq!(stored.report.int(key), Some(old - 1));
    let history = store.history(rid).unwrap();
    assert_eq!(history.len(), 2);
    // Times in China Standard Time, not Unix seconds.
    let at = &history[0].at;
    assert!(
        at.starts_with("20") && at.ends_with("+08:00") && at.len() == 25,
        "{at}"
    );
    assert_eq!(
        (
            history[1].key.as_str(),
            history[1].old.clone(),
            history[1].new.clone()
        ),
        (key, Some(old.to_string()), Some((old - 1).to_string()))
    );
    store
        .correct(rid, key, Some(Num::Int(old + 5)), "再次修改", "审核员甲")
        .unwrap();
    let originals = store.originals(rid).unwrap();
    assert!(
        originals.contains(&(key.to_string(), Some(old.to_string()))),
        "the first old value is the extracted one: {originals:?}"
    );
    // Wrong key, empty reason: refused, nothing recorded.
    assert!(store
        .correct(rid, "t3.nonsense", Some(Num::Int(1)), "r", "u")
        .is_err());
    assert!(store
        .correct(rid, key, Some(Num::Int(1)), " ", "u")
        .is_err());
    // Values a count cannot hold: refused with the reason, nothing recorded.
    for (bad, why) in [
        (Num::Int(-1), "负数"),
        (Num::Dec(1.5), "整数"),
        (Num::Dec(1e20), "超出"),
    ] {
        let e = store.correct(rid, key, Some(bad), "r", "u").unwrap_err();
        assert!(e.to_string().contains(why), "{bad:?}: {e}");
    }
    assert_eq!(store.history(rid).unwrap().len(), 3);
    assert_eq!(
        store.report(rid).unwrap().unwrap().report.int(key),
        Some(old + 5)
    );
    // Accept a finding as it is.
    let f = store
        .findings(rid)
        .unwrap()
        .into_iter()
        .next()
        .expect("a finding to accept");
    store
        .accept(rid, &finding_key(&f), "原件如此", "审核员甲")
        .unwrap();
    assert_eq!(store.accepted(rid).unwrap(), vec![finding_key(&f)]);
    assert!(store.accept(rid, "no.such|rule", "r", "u").is_err());

    // Accounts: the last enabled administrator stays; a disabled account signs in nowhere.
    let a = store
        .create_user("管理员乙", "$argon2id$fake", Role::Admin)
        .unwrap();
    assert!(store.set_disabled(a, true).is_err());
    assert!(store.delete_user(a).is_err());
    let b = store
        .create_user("管理员丙", "$argon2id$fake", Role::Admin)
        .unwrap();
    store
        .create_session("b-session", b, "csrf-b", now + 60)
        .unwrap();
    store.set_disabled(b, true).unwrap();
    assert!(
        store.session("b-session").unwrap().is_none(),
        "sessions end"
    );
    assert!(store.user_by_name("管理员丙").unwrap().is_none());
    assert!(
        store.set_disabled(a, true).is_err(),
        "b is disabled: a is the last"
    );
    store.set_disabled(b, false).unwrap();
    store.delete_user(a).unwrap();
    assert!(store.account(a).unwrap().is_none());
    assert_eq!(
        store
            .accounts()
            .unwrap()
            .iter()
            .map(|(u, off)| (u.name.as_str(), *off))
            .collect::<Vec<_>>(),
        [("审核员甲", false), ("管理员丙", false)]
    );
}

/// A republished report (a new version) keeps the corrections and acceptances of the
/// version before where its source says what it said; where the source changed, the
/// correction is left out and a finding names it.
fn versions(backend: Backend) {
    use nianbao_corpus::ingest::parse_bytes;
    use nianbao_corpus::review::finding_key;
    let dir = tempfile::tempdir().unwrap();
    let Some((mut store, _)) = store(backend, dir.path(), "versions") else {
        return;
    };
    let key = "t3.granted.natural";
    let page = |value: i64, extra: &str| {
        let mut g = nianbao_synth::rng(5);
        let mut r = nianbao_synth::report(&mut g, nianbao_model::Template::Y2021);
        r.agency = Some("测试镇人民政府".into());
        r.year = Some(2022);
        r.set(key, Some(nianbao_model::Num::Int(value)));
        let html = nianbao_synth::html_page(&r, &nianbao_synth::HtmlStyle::default());
        parse_bytes(
            "测试镇.html",
            html.replacen("</body>", &format!("<p>{extra}</p></body>"), 1)
                .as_bytes(),
        )
        .unwrap()
    };
    let good = {
        let mut g = nianbao_synth::rng(5);
        nianbao_synth::report(&mut g, nianbao_model::Template::Y2021)
            .int(key)
            .unwrap()
    };
    store.save(&page(good + 1, "")).unwrap();
    let v1 = store.list(&Filter::default(), 0, 1).unwrap().1[0].id;
    store
        .correct(
            v1,
            key,
            Some(nianbao_model::Num::Int(good)),
            "核对原件",
            "甲",
        )
        .unwrap();
    store.comment(v1, key, "与原件核对过", "甲").unwrap();
    store
        .comment(v1, "t3.received.total", "数字偏大？", "乙")
        .unwrap();
    let warning = store
        .findings(v1)
        .unwrap()
        .into_iter()
        .find(|f| f.severity != Severity::Error);
    if let Some(w) = &warning {
        store.accept(v1, &finding_key(w), "原文如此", "乙").unwrap();
    }

    assert_eq!(
        store.save(&page(good + 1, "更新")).unwrap(),
        Saved::NewVersion
    );
    let v2 = store.list(&Filter::default(), 0, 1).unwrap().1[0].id;
    assert_ne!(v1, v2);
    assert_eq!(
        store.report(v2).unwrap().unwrap().report.int(key),
        Some(good)
    );
    let history = store.history(v2).unwrap();
    let carried: Vec<(&str, &str, &str)> = history
        .iter()
        .map(|c| (c.kind.as_str(), c.reason.as_str(), c.user.as_str()))
        .collect();
    let mut want = vec![("correct", "沿用第 1 版的修改：核对原件", "甲")];
    if warning.is_some() {
        want.insert(0, ("accept", "沿用第 1 版的接受：原文如此", "乙"));
    }
    assert_eq!(carried, want);
    assert!(store
        .findings(v2)
        .unwrap()
        .iter()
        .all(|f| f.severity != Severity::Error));
    let bodies = |store: &mut Store, id: i64| -> Vec<String> {
        store
            .comments(id)
            .unwrap()
            .into_iter()
            .map(|c| c.body)
            .collect()
    };
    assert_eq!(bodies(&mut store, v2), ["与原件核对过", "数字偏大？"]);

    store.save(&page(good + 5, "再次更新")).unwrap();
    let v3 = store.list(&Filter::default(), 0, 1).unwrap().1[0].id;
    assert_eq!(
        store.report(v3).unwrap().unwrap().report.int(key),
        Some(good + 5)
    );
    let flagged: Vec<Vec<String>> = store
        .findings(v3)
        .unwrap()
        .into_iter()
        .filter(|f| f.rule == "review.correction_not_carried")
        .map(|f| f.cells)
        .collect();
    assert_eq!(flagged, [vec![key.to_string()]]);
    // The comment on the changed cell comes marked; the other as it was.
    assert_eq!(
        bodies(&mut store, v3),
        [
            "（第 2 版的评论；此格在新版本中已变，请复核）与原件核对过",
            "数字偏大？"
        ]
    );
    let versions: Vec<(i64, i64, bool)> = store
        .versions(v1)
        .unwrap()
        .iter()
        .map(|v| (v.id, v.version, v.current))
        .collect();
    assert_eq!(versions, [(v1, 1, false), (v2, 2, false), (v3, 3, true)]);

    // Versions by decision (the web's uploads): a new file for a report not yet reviewed
    // replaces it; for a reviewed one it waits beside it until a reviewer makes it current.
    use nianbao_corpus::workflow::Step;
    store.hold_reviewed(true);
    store.added_by(Some("填报员"));
    let newest = |store: &mut Store| -> i64 {
        store
            .conn()
            .query("SELECT MAX(id) FROM reports", &[])
            .unwrap()[0]
            .int(0)
            .unwrap()
    };
    assert_eq!(store.save(&page(good, "四")).unwrap(), Saved::NewVersion);
    let v4 = newest(&mut store);
    store
        .set_review(v4, Step::Approved, None, None, "乙")
        .unwrap();
    assert_eq!(store.save(&page(good, "五")).unwrap(), Saved::Held);
    let v5 = newest(&mut store);
    assert_eq!(store.save(&page(good, "六")).unwrap(), Saved::Held);
    let v6 = newest(&mut store);
    let state = |store: &mut Store| -> Vec<(i64, i64, bool, bool)> {
        store
            .versions(v1)
            .unwrap()
            .iter()
            .filter(|v| v.version >= 4)
            .map(|v| (v.id, v.version, v.current, v.held))
            .collect()
    };
    assert_eq!(
        state(&mut store),
        [
            (v4, 4, true, false),
            (v5, 5, false, true),
            (v6, 6, false, true)
        ]
    );
    // Who added each: nobody named for the command-line ingests, the user for the others.
    let by: Vec<Option<String>> = store
        .versions(v1)
        .unwrap()
        .into_iter()
        .map(|v| v.added_by)
        .collect();
    assert_eq!(by[..3], [None, None, None]);
    assert!(
        by[3..].iter().all(|b| b.as_deref() == Some("填报员")),
        "{by:?}"
    );
    // The list, the boards and the statistics read current reports: still version 4.
    let (_, listed) = store.list(&Filter::default(), 0, 10).unwrap();
    assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), [v4]);
    let refused = store.make_current(v3, "乙").unwrap_err();
    assert!(
        refused.to_string().contains("不是待确认的版本"),
        "{refused}"
    );
    store.make_current(v6, "乙").unwrap();
    assert_eq!(
        state(&mut store),
        [
            (v4, 4, false, false),
            (v5, 5, false, true),
            (v6, 6, true, false)
        ]
    );
    let made = store.decisions(v6).unwrap();
    assert_eq!(
        (
            made.len(),
            made[0].state,
            made[0].reason.as_deref(),
            made[0].user.as_str()
        ),
        (
            1,
            Step::Pending,
            Some("第 6 版设为当前版本，替换第 4 版"),
            "乙"
        )
    );
    assert_eq!(store.review(v6).unwrap().state, Step::Pending);
    // A command-line ingest replaces even a reviewed report, and says so in its history.
    store.hold_reviewed(false);
    store.added_by(None);
    store
        .set_review(v6, Step::Returned, None, Some("表三不平"), "乙")
        .unwrap();
    assert_eq!(store.save(&page(good, "七")).unwrap(), Saved::NewVersion);
    let v7 = newest(&mut store);
    let (_, listed) = store.list(&Filter::default(), 0, 10).unwrap();
    assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), [v7]);
    let noted: Vec<Option<String>> = store
        .decisions(v7)
        .unwrap()
        .into_iter()
        .map(|d| d.reason)
        .collect();
    assert_eq!(noted, [Some("导入的新版本替换了退回的第 6 版".to_string())]);
}

/// The review workflow's store: states and the queue, comments, revisions.
fn workflow(backend: Backend) {
    use nianbao_corpus::workflow::Step;
    let dir = tempfile::tempdir().unwrap();
    let Some((mut store, _)) = store(backend, dir.path(), "workflow") else {
        return;
    };
    let root = dir.path().join("reports");
    corpus(&root);
    run(&mut store, &[root]);
    let errors = |store: &mut Store| {
        let mut ids = Vec::new();
        store
            .each_report(&Filter::default(), &mut |s| {
                if s.findings.iter().any(|f| f.severity == Severity::Error) {
                    ids.push(s.id);
                }
                Ok(())
            })
            .unwrap();
        ids.sort();
        ids
    };
    // One more report with an error: a total raised by a reviewer's slip.
    let (_, list) = store.list(&Filter::default(), 0, 100).unwrap();
    let known = errors(&mut store);
    let clean = list
        .iter()
        .map(|r| r.id)
        .find(|id| !known.contains(id))
        .unwrap();
    store
        .correct(
            clean,
            "t3.received.total",
            Some(Num::Int(99_999)),
            "slip",
            "丙",
        )
        .unwrap();
    let with_errors = errors(&mut store);
    assert!(with_errors.len() >= 2, "{with_errors:?}");
    let (first, second) = (with_errors[0], with_errors[1]);
    assert_eq!(store.next_to_review(0).unwrap(), Some(first));
    assert_eq!(store.review(first).unwrap().state, Step::Pending);
    store
        .set_review(first, Step::Approved, Some("审核员甲"), None, "审核员乙")
        .unwrap();
    let r = store.review(first).unwrap();
    assert_eq!(
        (r.state, r.assignee.as_deref(), r.user.as_str()),
        (Step::Approved, Some("审核员甲"), "审核员乙")
    );
    assert_eq!(store.next_to_review(0).unwrap(), Some(second));
    // A return without a reason is refused and changes nothing.
    let refused = store
        .set_review(first, Step::Returned, None, Some("  "), "审核员乙")
        .unwrap_err();
    assert!(refused.to_string().contains("退回须写明理由"), "{refused}");
    assert_eq!(store.review(first).unwrap().state, Step::Approved);
    store
        .set_review(
            first,
            Step::Returned,
            None,
            Some(" 表三总计不符 "),
            "审核员乙",
        )
        .unwrap();
    let r = store.review(first).unwrap();
    assert_eq!(
        (r.state, r.reason.as_deref()),
        (Step::Returned, Some("表三总计不符"))
    );
    // Every decision is kept, oldest first.
    let kept: Vec<(Step, Option<String>, String)> = store
        .decisions(first)
        .unwrap()
        .into_iter()
        .map(|d| (d.state, d.reason, d.user))
        .collect();
    assert_eq!(
        kept,
        [
            (Step::Approved, None, "审核员乙".to_string()),
            (
                Step::Returned,
                Some("表三总计不符".to_string()),
                "审核员乙".to_string()
            )
        ]
    );
    assert!(store.decisions(second).unwrap().is_empty());
    assert_eq!(store.next_to_review(0).unwrap(), Some(first));
    let last = *with_errors.last().unwrap();
    assert_eq!(
        store.next_to_review(last).unwrap(),
        Some(first),
        "round again"
    );

    let key = "t3.received.total";
    store.comment(first, key, "核对", "甲").unwrap();
    assert!(store.comment(first, "no.such", "x", "甲").is_err());
    assert_eq!(store.comments(first).unwrap()[0].body, "核对");

    let rev = store.revision(first).unwrap();
    store
        .correct(first, key, Some(Num::Int(1)), "r", "甲")
        .unwrap();
    assert_eq!(store.revision(first).unwrap(), rev + 1);
    assert!(store.check_revision(first, Some(rev + 1)).is_ok());
    let e = store
        .check_revision(first, Some(rev))
        .unwrap_err()
        .to_string();
    assert!(e.contains("甲") && e.contains("请刷新"), "{e}");
}

/// Files as published are kept byte for byte (a PDF with every byte value), text is not.
fn originals(backend: Backend) {
    use nianbao_corpus::ingest::parse_bytes;
    let dir = tempfile::tempdir().unwrap();
    let Some((mut store, _)) = store(backend, dir.path(), "originals") else {
        return;
    };
    let pdf = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/variants/pdf/005-txt.pdf"),
    )
    .unwrap();
    assert!(pdf.contains(&0) && pdf.contains(&0xff) && pdf.contains(&b'\\'));
    store
        .save(&parse_bytes("a/报告.pdf", &pdf).unwrap())
        .unwrap();
    let txt = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds/000_ea60ae7e2efea9c4.txt"),
    )
    .unwrap();
    store.save(&parse_bytes("b.txt", &txt).unwrap()).unwrap();
    let (_, list) = store.list(&Filter::default(), 0, 10).unwrap();
    let mut kept = Vec::new();
    for r in &list {
        if let Some((name, bytes)) = store.original(r.id).unwrap() {
            kept.push(name.clone());
            assert_eq!(bytes, pdf, "{name}");
        }
    }
    assert_eq!(kept, ["a/报告.pdf"]);
}

on_both!(multi_year, bad_inputs, review, list_pages, places, versions, workflow, originals);

#[test]
fn a_version_1_corpus_gains_the_review_tables_and_keeps_its_reports() {
    let (_dir, mut store) = reopened_after("DROP TABLE renderings; DROP TABLE figures; ALTER TABLE findings DROP COLUMN alternatives; DROP TABLE ingest_queue; DROP TABLE campaign_agencies; DROP TABLE campaigns; ALTER TABLE agencies DROP COLUMN division; ALTER TABLE agencies DROP COLUMN division_how; ALTER TABLE agencies DROP COLUMN division_choices; DROP TABLE originals; DROP TABLE api_tokens; DROP TABLE comments; DROP TABLE review_states; DROP TABLE corrections; DROP TABLE sessions; DROP TABLE users; ALTER TABLE cells DROP COLUMN place; UPDATE nianbao_meta SET value = '1' WHERE key = 'schema';");
    assert_eq!(store.list(&Filter::default(), 0, 1).unwrap().0, 25);
    assert_eq!(store.user_count().unwrap(), 0);
    assert_eq!(schema_version(&mut store), "12");
}

#[test]
fn a_version_2_corpus_gains_the_place_column_and_keeps_its_reports() {
    let (_dir, mut store) = reopened_after(
        "DROP TABLE renderings; DROP TABLE figures; ALTER TABLE findings DROP COLUMN alternatives; DROP TABLE ingest_queue; DROP TABLE campaign_agencies; DROP TABLE campaigns; ALTER TABLE agencies DROP COLUMN division; ALTER TABLE agencies DROP COLUMN division_how; ALTER TABLE agencies DROP COLUMN division_choices; DROP TABLE originals; DROP TABLE api_tokens; DROP TABLE comments; DROP TABLE review_states; ALTER TABLE cells DROP COLUMN place; ALTER TABLE users DROP COLUMN disabled; UPDATE nianbao_meta SET value = '2' WHERE key = 'schema';",
    );
    assert_eq!(store.list(&Filter::default(), 0, 1).unwrap().0, 25);
    let id = store
        .conn()
        .query("SELECT MIN(id) FROM reports", &[])
        .unwrap()[0]
        .int(0)
        .unwrap();
    let r = store.report(id).unwrap().unwrap();
    assert!(r.report.cells.values().any(|c| c.evidence.is_some()));
    assert_eq!(schema_version(&mut store), "12");
}

#[test]
fn a_version_3_corpus_gains_disabled_accounts_and_keeps_its_users() {
    use nianbao_corpus::review::Role;
    let (_dir, mut store) = reopened_after(
        "DROP TABLE renderings; DROP TABLE figures; ALTER TABLE findings DROP COLUMN alternatives; DROP TABLE ingest_queue; DROP TABLE campaign_agencies; DROP TABLE campaigns; ALTER TABLE agencies DROP COLUMN division; ALTER TABLE agencies DROP COLUMN division_how; ALTER TABLE agencies DROP COLUMN division_choices; DROP TABLE originals; DROP TABLE api_tokens; DROP TABLE comments; DROP TABLE review_states; ALTER TABLE users DROP COLUMN disabled; \
         INSERT INTO users (name, hash, role, created_at) VALUES ('甲', 'h', 'admin', '0'); \
         UPDATE nianbao_meta SET value = '3' WHERE key = 'schema';",
    );
    assert_eq!(store.list(&Filter::default(), 0, 1).unwrap().0, 25);
    let accounts = store.accounts().unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!((accounts[0].0.role, accounts[0].1), (Role::Admin, false));
    assert_eq!(schema_version(&mut store), "12");
}

#[test]
fn a_version_5_corpus_locates_its_agencies_from_the_stored_reports() {
    let (_dir, mut store) = reopened_after(&format!(
        "{}UPDATE nianbao_meta SET value = '5' WHERE key = 'schema';",
        "DROP TABLE renderings; DROP TABLE figures; ALTER TABLE findings DROP COLUMN alternatives; DROP TABLE ingest_queue; DROP TABLE campaign_agencies; DROP TABLE campaigns; ALTER TABLE agencies DROP COLUMN division; ALTER TABLE agencies DROP COLUMN division_how; ALTER TABLE agencies DROP COLUMN division_choices; "
    ));
    assert_eq!(schema_version(&mut store), "12");
    let placed: Vec<(String, String, String)> = store
        .conn()
        .query(
            "SELECT name, COALESCE(division, ''), division_how FROM agencies ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.str(0).into(), r.str(1).into(), r.str(2).into()))
        .collect();
    let mut want = vec![
        // The generated files lie under 宁海县/, but the only 北冷乡 is in 温县: no answer.
        ("北冷乡人民政府", "", "unknown"),
        ("南召县城关镇人民政府", "411321100", "name"),
        ("尉氏县市场监督管理局", "410223", "name"),
        ("尉氏县自然资源局", "410223", "name"),
        ("平潭综合实验区公安局", "350128", "name"),
    ];
    want.sort();
    let mut got: Vec<(&str, &str, &str)> = placed
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn a_version_7_corpus_gains_the_renderings_of_word_originals() {
    use nianbao_corpus::rendering::Rendering;
    let (_dir, mut store) = reopened_after(
        "DROP TABLE renderings; UPDATE nianbao_meta SET value = '7' WHERE key = 'schema';",
    );
    assert_eq!(schema_version(&mut store), "12");
    let id = store
        .conn()
        .query("SELECT MIN(id) FROM reports", &[])
        .unwrap()[0]
        .int(0)
        .unwrap();
    assert_eq!(store.rendering(id).unwrap(), None);
    let b = nianbao_model::PageBox {
        page: 3,
        x0: 1.5,
        y0: 2.0,
        x1: 30.25,
        y1: 40.0,
    };
    let first = Rendering {
        pdf: b"%PDF-1.7 first".to_vec(),
        boxes: [("t3.received.total".to_string(), ("12".to_string(), b))].into(),
    };
    store.keep_rendering(id, &first).unwrap();
    // A second request that rendered too keeps the first one.
    let second = Rendering {
        pdf: b"%PDF-1.7 second".to_vec(),
        boxes: Default::default(),
    };
    store.keep_rendering(id, &second).unwrap();
    assert_eq!(store.rendering(id).unwrap(), Some(first));
}

#[test]
fn a_version_8_corpus_keeps_every_cell_in_the_arrays_of_version_9() {
    let (dir, mut store) = generated_store();
    let path = dir.path().join("old.db").display().to_string();
    let every = |store: &mut Store| {
        let mut out = Vec::new();
        store
            .each_report(&Filter::default(), &mut |s| {
                out.push((s.id, s.report, s.findings));
                Ok(())
            })
            .unwrap();
        out
    };
    let rows = |store: &mut Store| {
        store
            .conn()
            .query("SELECT report_id, key, value, num, raw, line, col, pos, len, unit, confidence, place FROM cells ORDER BY report_id, key", &[])
            .unwrap()
            .iter()
            .map(|r| format!("{:?}", (0..12).map(|i| r.text(i).map(str::to_string).or(r.real(i).map(|x| x.to_string()))).collect::<Vec<_>>()))
            .collect::<Vec<_>>()
    };
    let before = every(&mut store);
    let before_rows = rows(&mut store);
    assert_eq!(before.len(), 25);
    assert!(
        before_rows.len() > 25 * 100,
        "{} cell rows",
        before_rows.len()
    );
    store.conn().batch(AS_IN_VERSION_9).unwrap();
    store.conn().batch(AS_IN_VERSION_8).unwrap();
    store
        .conn()
        .batch("UPDATE nianbao_meta SET value = '8' WHERE key = 'schema';")
        .unwrap();
    assert_eq!(rows(&mut store), before_rows);
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(schema_version(&mut store), "12");
    assert_eq!(every(&mut store), before);
    assert_eq!(rows(&mut store), before_rows);
    // The cross-year findings computed again from the numbers the upgrade put with the
    // figures are the ones stored before.
    assert!(before
        .iter()
        .any(|(_, _, f)| f.iter().any(|f| f.rule.family() == "cross")));
    store.conn().batch("UPDATE agencies SET dirty = 1").unwrap();
    assert_eq!(store.refresh_cross().unwrap(), 5);
    assert_eq!(every(&mut store), before);
}

#[test]
fn a_version_6_corpus_gains_each_reports_figures_and_the_same_statistics() {
    let (dir, mut store) = generated_store();
    let path = dir.path().join("old.db").display().to_string();
    let groupings = [
        By::All,
        By::Year,
        By::Region,
        By::Level,
        By::Template,
        By::Division(6),
    ];
    let all = |store: &mut Store| -> Vec<Vec<nianbao_corpus::stats::Group>> {
        groupings
            .iter()
            .map(|by| store.stats(*by, &Filter::default()).unwrap())
            .collect()
    };
    let before = all(&mut store);
    assert_eq!(before[0][0].reports, 25);
    store.conn().batch(AS_IN_VERSION_9).unwrap();
    store.conn().batch(AS_IN_VERSION_8).unwrap();
    store
        .conn()
        .batch("DROP TABLE renderings; DROP TABLE figures; UPDATE nianbao_meta SET value = '6' WHERE key = 'schema';")
        .unwrap();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(schema_version(&mut store), "12");
    assert_eq!(all(&mut store), before);

    // A correction moves the figures with it: received of every report, then one report's
    // total raised by 1000 (its identities then fail).
    let received = before[0][0].requests_received;
    let id = store
        .conn()
        .query(
            "SELECT MIN(report_id) FROM cells WHERE key = 't3.received.total' AND num IS NOT NULL",
            &[],
        )
        .unwrap()[0]
        .int(0)
        .unwrap();
    let old = store
        .report(id)
        .unwrap()
        .unwrap()
        .report
        .value("t3.received.total")
        .unwrap()
        .as_f64();
    store
        .correct(
            id,
            "t3.received.total",
            Some(Num::Int(old as i64 + 1000)),
            "核对",
            "甲",
        )
        .unwrap();
    let after = store.stats(By::All, &Filter::default()).unwrap();
    assert_eq!(after[0].requests_received, received + 1000.0);
    assert_eq!(after[0].identity_pass_rate, Some(24.0 / 25.0));
}

/// Ingest writes reports in batches on SQLite; a report the store refuses mid-batch leaves
/// nothing behind (not even its new agency), the ones before it stay, and none after it
/// is written.
#[test]
fn a_batch_keeps_the_reports_before_a_failure_and_nothing_of_the_failed_one() {
    use nianbao_corpus::ingest::parse_bytes;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("b.db").display().to_string()).unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let parsed: Vec<_> = names[..3]
        .iter()
        .enumerate()
        .map(|(i, p)| parse_bytes(&format!("{i}.txt"), &std::fs::read(p).unwrap()).unwrap())
        .collect();
    store
        .conn()
        .batch("CREATE TRIGGER refuse BEFORE INSERT ON reports WHEN NEW.path = '1.txt' BEGIN SELECT RAISE(ABORT, 'refused'); END;")
        .unwrap();
    let (saved, error) = store.save_batch(&parsed.iter().collect::<Vec<_>>());
    assert_eq!(saved, vec![Saved::New]);
    assert!(error.unwrap().to_string().contains("refused"));
    let count = |store: &mut Store, sql: &str| store.conn().query(sql, &[]).unwrap()[0].int(0);
    assert_eq!(count(&mut store, "SELECT COUNT(*) FROM reports"), Some(1));
    assert_eq!(count(&mut store, "SELECT COUNT(*) FROM figures"), Some(1));
    assert_eq!(count(&mut store, "SELECT COUNT(*) FROM agencies"), Some(1));
    let kept = store.conn().query("SELECT path FROM reports", &[]).unwrap();
    assert_eq!(kept[0].str(0), "0.txt");
    // The next batch goes on (the failure was the store's, not the connection's).
    store.conn().batch("DROP TRIGGER refuse").unwrap();
    let (saved, error) = store.save_batch(&parsed[1..].iter().collect::<Vec<_>>());
    assert!(error.is_none());
    assert_eq!(saved, vec![Saved::New, Saved::New]);
}

/// The generated reports ingested into `old.db` of a new directory (which must outlive the
/// store).
fn generated_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("old.db").display().to_string()).unwrap();
    let root = dir.path().join("reports");
    corpus(&root);
    run(&mut store, &[root]);
    (dir, store)
}

/// The review tables as schema 9 and before had them: the current state without a reason,
/// no log of decisions, no held versions.
const AS_IN_VERSION_9: &str = "
DROP TABLE user_agencies;
DROP TABLE letters;
DROP TABLE collect_fetches;
DROP TABLE collect_entries;
DROP TABLE collect_sites;
DROP TABLE collect_runs;
DROP TABLE review_log;
ALTER TABLE review_states DROP COLUMN reason;
ALTER TABLE reports DROP COLUMN held;
ALTER TABLE reports DROP COLUMN added_by;
ALTER TABLE comments DROP COLUMN reply_to;
ALTER TABLE comments DROP COLUMN resolved_by;
ALTER TABLE comments DROP COLUMN resolved_at;
";

/// The `cells` table as schema 8 and before had it (one row per cell), made from the view
/// of the same name over the arrays of `cell_sets`, which go; and the figures without the
/// numbers the cross-year rules read.
const AS_IN_VERSION_8: &str = "
CREATE TABLE cells_v8 (
    report_id BIGINT NOT NULL REFERENCES reports (id), key TEXT NOT NULL, value TEXT, num REAL,
    raw TEXT, line BIGINT, col BIGINT, pos BIGINT, len BIGINT, unit TEXT, confidence REAL,
    place TEXT, PRIMARY KEY (report_id, key)
) WITHOUT ROWID;
INSERT INTO cells_v8 SELECT * FROM cells;
DROP VIEW cells;
DROP TABLE cell_sets;
ALTER TABLE cells_v8 RENAME TO cells;
ALTER TABLE figures DROP COLUMN cross_cells;
";

/// A SQLite corpus of the generated reports, turned into an older schema's by `sql`, and
/// opened again (the directory must outlive the store).
fn reopened_after(sql: &str) -> (tempfile::TempDir, Store) {
    let (dir, mut store) = generated_store();
    let path = dir.path().join("old.db").display().to_string();
    store.conn().batch(AS_IN_VERSION_9).unwrap();
    store.conn().batch(AS_IN_VERSION_8).unwrap();
    store.conn().batch(sql).unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    (dir, store)
}

fn schema_version(store: &mut Store) -> String {
    let v = store
        .conn()
        .query("SELECT value FROM nianbao_meta WHERE key = 'schema'", &[])
        .unwrap();
    v[0].str(0).to_string()
}

/// Evidence places of files nianbao did not make (the shared corpus's LibreOffice PDF and
/// DOCX of one report) survive the store as extracted, and the long export carries them.
fn places(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some((mut store, _)) = store(backend, dir.path(), "places") else {
        return;
    };
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/variants");
    let files = [
        shared.join("pdf/005-txt.pdf"),
        shared.join("docx/005-txt.docx"),
    ];
    for f in &files {
        std::fs::copy(f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let copies: Vec<PathBuf> = files
        .iter()
        .map(|f| dir.path().join(f.file_name().unwrap()))
        .collect();
    run(&mut store, &copies);
    let ids: Vec<i64> = store
        .conn()
        .query("SELECT id FROM reports ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.int(0).unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    for id in ids {
        let stored = store.report(id).unwrap().unwrap();
        let file = files
            .iter()
            .find(|f| {
                stored
                    .path
                    .ends_with(f.file_name().unwrap().to_str().unwrap())
            })
            .unwrap();
        let source = nianbao_read::read_file(file).unwrap();
        let mut want = nianbao_extract::extract_placed(&source.text, &|o| source.place_at(o));
        want.locate(|o| source.place_at(o));
        for (key, cell) in &want.cells {
            let got = stored.report.cells[key]
                .evidence
                .as_ref()
                .and_then(|e| e.place);
            assert_eq!(got, cell.evidence.as_ref().and_then(|e| e.place), "{key}");
        }
        let place = stored.report.cells["t3.processed.total"]
            .evidence
            .as_ref()
            .and_then(|e| e.place);
        match place {
            Some(nianbao_model::Place::Page { page, .. }) => assert_eq!(page, 2),
            Some(nianbao_model::Place::Cell { table, .. }) => assert!(table >= 1),
            None => panic!("no place for {}", file.display()),
        }
    }
    // Both files are versions of one report, stored in the order their reading finished:
    // either may be the current one, so every version is exported.
    let long = export_bytes(
        &mut store,
        export::Format::Json,
        Shape::Long,
        Filter {
            all_versions: true,
            ..Filter::default()
        },
    );
    let cells: Vec<serde_json::Value> = long
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let total = cells
        .iter()
        .find(|c| c["key"] == "t3.processed.total" && c["page"] == 2)
        .expect("the PDF's cell with its page");
    assert!(total["x0"].as_f64().unwrap() < total["x1"].as_f64().unwrap());
    assert!(total["table_no"].is_null());
}

#[test]
fn foreign_and_broken_databases_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "not a database at all").unwrap();
    let e = Store::open(&text.display().to_string())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("不是 SQLite 数据库"), "{e}");
    assert!(std::fs::read(&text).unwrap() == b"not a database at all");

    let other = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE customers (id INTEGER); INSERT INTO customers VALUES (1);")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&other).unwrap();
    let e = Store::open(&other.display().to_string())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("不是 nianbao 的数据库"), "{e}");
    let after = std::fs::read(&other).unwrap();
    let diff: Vec<usize> = (0..before.len().max(after.len()))
        .filter(|&i| before.get(i) != after.get(i))
        .take(10)
        .collect();
    assert!(
        diff.is_empty(),
        "the foreign database was changed at bytes {diff:?} (len {} → {})",
        before.len(),
        after.len()
    );

    // A nianbao database whose pages were overwritten: a clear error, no panic.
    let db = dir.path().join("n.db");
    {
        let mut s = Store::open(&db.display().to_string()).unwrap();
        let mut rng = nianbao_synth::rng(1);
        let r = &series(&mut rng, "西店镇", 2021..=2021)[0];
        let f = dir.path().join("r.txt");
        std::fs::write(&f, render(r, &Style::plain(Layout::Tabs), &mut rng)).unwrap();
        assert_eq!(run(&mut s, &[f]).new, 1);
        s.conn().batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().skip(100).take(8000) {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let result = Store::open(&db.display().to_string()).and_then(|mut s| s.agencies().map(|_| ()));
    let e = result
        .expect_err("a damaged database is an error")
        .to_string();
    assert!(e.contains("数据库"), "{e}");
}

#[test]
fn postgres_database_of_another_application_is_refused_untouched() {
    let url = match nianbao_corpus::testing::database("foreign") {
        Ok(url) => url,
        Err(e) if std::env::var("CI").is_err() => {
            return eprintln!("skipping PostgreSQL test (outside CI): {e}")
        }
        Err(e) => panic!("PostgreSQL test server: {e}"),
    };
    let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
    client
        .batch_execute("CREATE TABLE customers (id BIGINT); INSERT INTO customers VALUES (7);")
        .unwrap();
    let e = Store::open(&url)
        .err()
        .expect("a foreign database is refused")
        .to_string();
    assert!(e.contains("不是 nianbao 的数据库"), "{e}");
    let tables: i64 = client
        .query_one(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1, "nothing was created");
    // A server that is not there: a clear error naming the address, password hidden.
    let e = Store::open("postgres://u:secret@127.0.0.1:1/nowhere")
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("无法打开数据库") && !e.contains("secret"), "{e}");
}

#[test]
fn a_version_9_corpus_keeps_its_review_states_and_gains_the_log_of_decisions() {
    let (dir, mut store) = generated_store();
    let path = dir.path().join("old.db").display().to_string();
    let ids: Vec<i64> = store
        .conn()
        .query("SELECT id FROM reports ORDER BY id LIMIT 2", &[])
        .unwrap()
        .iter()
        .map(|r| r.int(0).unwrap())
        .collect();
    store
        .set_review(
            ids[0],
            nianbao_corpus::workflow::Step::Approved,
            Some("审核员甲"),
            None,
            "审核员乙",
        )
        .unwrap();
    let before = store.review(ids[0]).unwrap();
    store.conn().batch(AS_IN_VERSION_9).unwrap();
    store
        .conn()
        .batch("UPDATE nianbao_meta SET value = '9' WHERE key = 'schema';")
        .unwrap();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(schema_version(&mut store), "12");
    assert_eq!(store.review(ids[0]).unwrap(), before);
    // Every report it had is as current as before, none held.
    let versions = store.versions(ids[0]).unwrap();
    assert!(versions.iter().all(|v| !v.held) && versions.iter().any(|v| v.current));
    // Decisions before the upgrade were not kept; those after are.
    assert!(store.decisions(ids[0]).unwrap().is_empty());
    store
        .set_review(
            ids[1],
            nianbao_corpus::workflow::Step::Returned,
            None,
            Some("缺表四"),
            "审核员乙",
        )
        .unwrap();
    let log = store.decisions(ids[1]).unwrap();
    assert_eq!(
        (log.len(), log[0].state, log[0].reason.as_deref()),
        (1, nianbao_corpus::workflow::Step::Returned, Some("缺表四"))
    );
}

/// A version 10 corpus (before reports were collected from portals) gains the collector's
/// tables, empty, and keeps its reports; a collection then records into them.
#[test]
fn a_version_10_corpus_gains_the_collectors_tables() {
    let (dir, mut store) = generated_store();
    let path = dir.path().join("old.db").display().to_string();
    let before = store.hashes().unwrap();
    store
        .conn()
        .batch(
            "DROP TABLE collect_fetches; DROP TABLE collect_entries; DROP TABLE collect_sites; \
             DROP TABLE collect_runs; DROP TABLE user_agencies; DROP TABLE letters; \
             UPDATE nianbao_meta SET value = '10' WHERE key = 'schema';",
        )
        .unwrap();
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(schema_version(&mut store), "12");
    assert_eq!(store.hashes().unwrap(), before);
    assert!(store.collected().unwrap().is_empty());
    let entry = nianbao_corpus::collected::CollectedEntry {
        url: "http://a.gov.cn/ndbg/t1.html".into(),
        agency: "甲局".into(),
        year: 2024,
        title: "甲局2024年政府信息公开工作年度报告".into(),
        published: Some("2025-02-03".into()),
        date_source: Some("meta".into()),
        files: vec!["http://a.gov.cn/ndbg/t1.html".into()],
        ..Default::default()
    };
    store.put_entry(&entry).unwrap();
    let got = store.collected().unwrap();
    assert_eq!(got, vec![entry]);
    assert_eq!(got[0].late(), Some(true));
}

/// A site walked in the same second its run began counts as walked in that run (a run on a
/// small list can take less than a second: counting in seconds made the next run skip the
/// sites as "walked already"); once every site is walked, the list run again is a new run.
#[test]
fn a_site_walked_right_after_its_run_began_counts_as_walked_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db").display().to_string();
    let mut store = Store::open(&path).unwrap();
    let since = store.collect_run("list-a").unwrap();
    assert!(!store.site_walked_since("甲局", since).unwrap());
    store
        .put_site(&nianbao_corpus::collected::CollectedSite {
            agency: "甲局".into(),
            url: "http://a.gov.cn/".into(),
            outcome: "found".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(store.site_walked_since("甲局", since).unwrap());
    assert!(!store.claim_site("甲局", since).unwrap());
    // The same list again is the same run; begun again, the site is to walk again.
    assert_eq!(store.collect_run("list-a").unwrap(), since);
    std::thread::sleep(std::time::Duration::from_millis(2));
    let again = store.restart_collect_run("list-a").unwrap();
    assert!(again > since);
    assert!(store.claim_site("甲局", again).unwrap());
}
