//! `nianbao export --format parquet --partition year,province -o DIR`: hive-style folders a
//! real DuckDB (the `duckdb` package from PyPI) reads back — the partitions of the seeds and
//! pingtan corpora exactly, their counts, a column summed the same as the CSV export — and the
//! refusals that leave nothing half written.

mod common;

use std::path::Path;
use std::process::Command;

fn nianbao(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .output()
        .unwrap()
}

fn duckdb() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    common::available(found, "the duckdb Python package")
}

#[test]
fn partitioned_parquet_is_read_by_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db").display().to_string();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut ingest = vec!["ingest".to_string()];
    for corpus in ["seeds", "pingtan"] {
        for e in std::fs::read_dir(shared.join(corpus)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                ingest.push(p.display().to_string());
            }
        }
    }
    ingest.extend(["--db".to_string(), db.clone()]);
    let args: Vec<&str> = ingest.iter().map(String::as_str).collect();
    assert!(nianbao(&args).status.success());

    let out = dir.path().join("parquet");
    let o = out.display().to_string();
    let run = nianbao(&[
        "export",
        "--db",
        &db,
        "--format",
        "parquet",
        "--partition",
        "year,province",
        "-o",
        &o,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut files: Vec<String> = walk(&out)
        .iter()
        .map(|p| p.strip_prefix(&out).unwrap().display().to_string())
        .collect();
    files.sort();
    let want: Vec<String> = [
        (2018, 35),
        (2018, 53),
        (2019, 33),
        (2019, 35),
        (2019, 41),
        (2020, 35),
        (2020, 41),
        (2021, 35),
        (2021, 41),
        (2022, 35),
        (2023, 35),
        (2024, 35),
        (2025, 35),
    ]
    .iter()
    .map(|(y, p)| format!("year={y}/province={p}/part-0.parquet"))
    .collect();
    assert_eq!(files, want);

    // The same numbers through DuckDB as through the CSV export.
    let csv = nianbao(&["export", "--db", &db, "--format", "csv", "--year", "2024"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = head.iter().position(|h| *h == "t3.received.total").unwrap();
    let want_sum: i64 = lines
        .map(|l| l.split(',').nth(col).unwrap().parse::<i64>().unwrap())
        .sum();
    if !duckdb() {
        return;
    }
    let script = format!(
        "import duckdb\n\
         q = \"SELECT year, province, count(*), sum(\\\"t3.received.total\\\") FROM read_parquet('{o}/**/*.parquet', hive_partitioning=true, union_by_name=true) GROUP BY ALL ORDER BY ALL\"\n\
         for r in duckdb.sql(q).fetchall(): print(*r)\n"
    );
    let py = Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let rows: Vec<Vec<String>> = String::from_utf8(py.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split(' ').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 13);
    let count: usize = rows.iter().map(|r| r[2].parse::<usize>().unwrap()).sum();
    assert_eq!(count, 27, "every report once");
    let y2024 = rows.iter().find(|r| r[0] == "2024").unwrap();
    assert_eq!((y2024[1].as_str(), y2024[2].as_str()), ("35", "5"));
    assert_eq!(y2024[3].parse::<f64>().unwrap() as i64, want_sum);

    // Refusals: no folder, another format, a folder already holding files (left as it was).
    let no_dir = nianbao(&[
        "export",
        "--db",
        &db,
        "--format",
        "parquet",
        "--partition",
        "year",
    ]);
    assert_eq!(no_dir.status.code(), Some(2));
    let csv_p = nianbao(&[
        "export",
        "--db",
        &db,
        "--format",
        "csv",
        "--partition",
        "year",
        "-o",
        &o,
    ]);
    assert_eq!(csv_p.status.code(), Some(2));
    let again = nianbao(&[
        "export",
        "--db",
        &db,
        "--format",
        "parquet",
        "--partition",
        "year",
        "-o",
        &o,
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("不为空"));
    assert_eq!(walk(&out).len(), 13);
    // By year only, into a new folder; no temporary folder left beside it.
    let by_year = dir.path().join("by-year").display().to_string();
    assert!(nianbao(&[
        "export",
        "--db",
        &db,
        "--format",
        "parquet",
        "--partition",
        "year",
        "-o",
        &by_year
    ])
    .status
    .success());
    assert_eq!(walk(Path::new(&by_year)).len(), 8);
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".nianbao-export-")
        })
        .count();
    assert_eq!(leftovers, 0);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
