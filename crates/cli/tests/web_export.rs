//! Export from the web (list as filtered, one report) gives the same files as
//! `nianbao export` over the same store, for a viewer as for anyone signed in.

mod common;

use common::web::{broken_report, start, Http, PASSWORD};
use std::process::Command;

/// UTF-8's byte order mark, which browser CSV downloads start with (for Excel).
const BOM: &[u8] = "\u{feff}".as_bytes();

/// `nianbao export` over the server's store.
fn cli_export(db: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("export")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The XML of the first worksheet of an XLSX.
fn sheet(xlsx: &[u8]) -> String {
    common::zip_member(xlsx, "xl/worksheets/sheet1.xml")
}

#[test]
fn the_list_and_one_report_export_as_the_cli_does() {
    let server = start(5);
    let db = server.dir.path().join("web.db");
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let (broken, _, _) = broken_report(server.dir.path());
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files.push(("broken.html".into(), std::fs::read(&broken).unwrap()));
    let parts: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let (status, body) = h.upload("/api/upload", &csrf, &parts, true);
    assert_eq!(status, 200, "{body}");

    // A viewer exports too: reading is all it takes.
    let mut v = Http::new(&server.url);
    assert_eq!(v.login("viewer", PASSWORD), 303);
    // For people: Chinese headers unless keys are asked for (`zh=0`), file names without
    // the folders the server keeps them in.
    for (query, args) in [
        ("format=csv", vec!["--format", "csv", "--zh-headers"]),
        ("format=csv&zh=0", vec!["--format", "csv"]),
        ("format=json", vec!["--format", "json"]),
        ("format=parquet", vec!["--format", "parquet"]),
        (
            "format=csv&shape=long&zh=1",
            vec!["--format", "csv", "--shape", "long", "--zh-headers"],
        ),
        (
            "format=csv&year=2024",
            vec!["--format", "csv", "--year", "2024", "--zh-headers"],
        ),
    ] {
        let args = [args, vec!["--file-names"]].concat();
        let (status, kind, disposition, bytes) = v.get_bytes(&format!("/export?{query}"));
        assert_eq!(status, 200, "{query}");
        assert!(
            disposition.starts_with("attachment; filename=\"nianbao-export."),
            "{disposition}"
        );
        let ext = query
            .split('&')
            .next()
            .unwrap()
            .trim_start_matches("format=");
        assert!(
            kind.contains(match ext {
                "csv" => "text/csv",
                "json" => "ndjson",
                _ => "parquet",
            }),
            "{kind}"
        );
        // A CSV for the browser starts with the byte order mark Excel needs; else the
        // bytes are the CLI's.
        let mut want = if ext == "csv" {
            BOM.to_vec()
        } else {
            Vec::new()
        };
        want.extend(cli_export(&db, &args));
        assert_eq!(bytes, want, "{query}");
    }
    let (_, _, _, csv) = v.get_bytes("/export?format=csv");
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("\u{feff}报告编号,机构,"), "{}", &csv[..80]);
    assert!(!csv.contains("上传/"), "no folders in the file column");
    let (_, _, _, xlsx) = v.get_bytes("/export?format=xlsx");
    let file = server.dir.path().join("cli.xlsx");
    cli_export(
        &db,
        &[
            "--format",
            "xlsx",
            "--zh-headers",
            "--file-names",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(sheet(&xlsx), sheet(&std::fs::read(&file).unwrap()));

    // The list's filters: with errors, the planted one and seed 003 (no table 二); by name.
    let (_, _, _, csv) = v.get_bytes("/api/export?status=errors&format=csv");
    let text = String::from_utf8(csv).unwrap();
    assert!(
        !text.starts_with('\u{feff}'),
        "API clients get no byte order mark"
    );
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.contains("测试镇人民政府") && text.contains("南召县城关镇"),
        "{text}"
    );
    // The API names columns by key unless asked for Chinese.
    let (_, _, _, csv) = v.get_bytes("/api/export?q=%E6%B5%8B%E8%AF%95%E9%95%87&format=csv&zh=1");
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");

    // The list page links the export of what it shows, its filters kept.
    let (_, list_page) = v.get("/?status=errors&year=2022");
    assert!(
        list_page.contains("/export?q=&amp;text=&amp;region=&amp;division=&amp;year=2022&amp;level=&amp;template=&amp;status=errors&amp;review=&amp;campaign=&amp;mine=&amp;format=xlsx"),
        "no export link with the filters"
    );

    // One report, from its page's link.
    let (_, list) = v.get("/api/reports?q=%E6%B5%8B%E8%AF%95%E9%95%87");
    let id = serde_json::from_str::<serde_json::Value>(&list).unwrap()["reports"][0]["id"]
        .as_i64()
        .unwrap();
    let (_, page) = v.get(&format!("/reports/{id}"));
    assert!(
        page.contains(&format!("/export?id={id}&amp;format=xlsx")),
        "no export link"
    );
    let (status, _, disposition, csv) = v.get_bytes(&format!("/export?id={id}&format=csv"));
    assert_eq!(status, 200);
    assert!(
        disposition.contains(&format!("nianbao-report-{id}.csv")),
        "{disposition}"
    );
    assert_eq!(csv, [BOM, text.as_bytes()].concat());

    // The dashboard's chart data: the table `nianbao stats --format csv` prints, same filters.
    for (query, args) in [
        ("by=year", vec!["--by", "year"]),
        (
            "by=region&year=2022",
            vec!["--by", "region", "--year", "2022"],
        ),
    ] {
        let (status, kind, _, csv) = v.get_bytes(&format!("/dashboard.csv?{query}"));
        assert_eq!(status, 200, "{query}");
        assert!(kind.starts_with("text/csv"), "{kind}");
        let mut cli = vec!["--format", "csv"];
        cli.extend(args);
        let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("stats")
            .args(&cli)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        assert_eq!(csv, [BOM, &out.stdout].concat(), "{query}");

        // The same figures as a workbook: counts as numbers, shares as fractions.
        let (status, kind, _, xlsx) = v.get_bytes(&format!("/dashboard.xlsx?{query}"));
        assert_eq!(status, 200, "{query}");
        assert!(kind.contains("spreadsheetml"), "{kind}");
        let rows = stats_sheet(&xlsx);
        let text = String::from_utf8(csv).unwrap();
        let lines: Vec<Vec<String>> = text
            .lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect();
        assert_eq!(rows.len(), lines.len(), "{query}");
        assert!(rows.len() > 1, "{query}: no groups");
        for (row, line) in rows.iter().zip(&lines).skip(1) {
            for (i, (cell, printed)) in row.iter().zip(line).enumerate() {
                let want = match (i, cell) {
                    (0, calamine::Data::String(s)) => s.clone(),
                    (4 | 5 | 6 | 8 | 10 | 11 | 12, calamine::Data::Float(f)) => {
                        format!("{:.1}%", f * 100.0)
                    }
                    (4 | 5 | 6 | 8 | 10 | 11 | 12, calamine::Data::Empty) => "—".to_string(),
                    (_, calamine::Data::Float(f)) => nianbao_corpus::export::fmt_num(*f),
                    (_, other) => panic!("{query}: column {i} is {other:?}"),
                };
                assert_eq!(&want, printed, "{query}: column {i}");
            }
        }
    }
    let dash = v.dashboard("/dashboard?year=2022&level=%E4%B9%A1%E9%95%87%2F%E8%A1%97%E9%81%93");
    // Level and format are chosen from what nianbao knows, not typed.
    assert!(
        dash.contains("<select name=\"level\" id=\"f-level\">"),
        "{dash}"
    );
    assert!(dash.contains("<option value=\"乡镇/街道\" selected>乡镇/街道</option>"));
    assert!(dash.contains("<select name=\"template\" id=\"f-template\">"));
    assert!(dash.contains("<option value=\"2021\">"));
    assert!(
        dash.contains("/dashboard.csv?q=&amp;text=&amp;region=&amp;division=&amp;year=2022&amp;level=%E4%B9%A1%E9%95%87%2F%E8%A1%97%E9%81%93"),
        "no chart-data link"
    );
    assert!(dash.contains("/dashboard.xlsx?q=&amp;text=&amp;region=&amp;division=&amp;year=2022"));

    // After a change the dashboard computes its figures again before it answers when that is
    // quick (this corpus: milliseconds); a large corpus gets the figures it had, marked
    // stale, and the new ones a moment later.
    let fresh = |v: &mut Http| {
        let start = std::time::Instant::now();
        loop {
            let (_, dash) = v.get("/dashboard");
            if dash.contains("id=\"computed\"") {
                return dash;
            }
            assert!(start.elapsed().as_secs() < 60, "never recomputed");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    // The figures embedded in the page (which report is number 1 depends on the order the
    // batch was read in, so its year's sum is not known here: only that it changes).
    let figures = |page: &str| common::web::between(page, "id=\"stats\">", "</script>");
    let before = figures(&fresh(&mut v));
    let (status, body) = h.json(
        "/api/reports/1/cells",
        Some(&csrf),
        serde_json::json!({ "key": "t3.received.total", "value": 123456, "reason": "试" }),
    );
    assert_eq!(status, 200, "{body}");
    let (_, dash) = v.get("/dashboard");
    assert!(
        dash.contains("id=\"computed\""),
        "the first dashboard after a change is stale"
    );
    assert_ne!(figures(&dash), before, "the new figures are not there");

    // The API's keyset paging (cursor) walks the same reports as its numbered pages, newest
    // id first, with the list's filters; a cursor that is no id is refused with the reason.
    let ids_of = |v: &mut Http, query: &str| -> Vec<i64> {
        let mut ids = Vec::new();
        let mut cursor = String::new();
        loop {
            let (status, body) = v.get(&format!("/api/reports?{query}&cursor={cursor}&per_page=7"));
            assert_eq!(status, 200, "{body}");
            let page: serde_json::Value = serde_json::from_str(&body).unwrap();
            let rows = page["reports"].as_array().unwrap();
            assert!(rows.len() <= 7);
            ids.extend(rows.iter().map(|r| r["id"].as_i64().unwrap()));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => return ids,
            }
        }
    };
    let paged = |v: &mut Http, query: &str| -> Vec<i64> {
        let mut ids = Vec::new();
        for n in 1.. {
            let (_, body) = v.get(&format!("/api/reports?{query}&page={n}"));
            let page: serde_json::Value = serde_json::from_str(&body).unwrap();
            let rows = page["reports"].as_array().unwrap().clone();
            if rows.is_empty() {
                break;
            }
            ids.extend(rows.iter().map(|r| r["id"].as_i64().unwrap()));
        }
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids
    };
    for query in ["status=", "status=errors", "year=2022"] {
        let walked = ids_of(&mut v, query);
        assert!(!walked.is_empty(), "{query}");
        assert!(
            walked.windows(2).all(|w| w[0] > w[1]),
            "{query}: not newest first"
        );
        assert_eq!(walked, paged(&mut v, query), "{query}");
    }
    let (status, body) = v.get("/api/reports?cursor=abc");
    assert_eq!(status, 400);
    assert!(body.contains("next_cursor"), "{body}");
    let (status, _) = v.get("/api/reports?cursor=&per_page=0");
    assert_eq!(status, 400);

    // Refused with the reason: an unknown format; and nothing without signing in.
    let (status, body) = v.get("/api/export?format=pdf");
    assert_eq!(status, 400);
    assert!(body.contains("csv、xlsx、json、parquet"), "{body}");
    let (status, _) = Http::new(&server.url).get("/api/export?format=csv");
    assert_eq!(status, 401);
}

/// The one sheet of the dashboard's workbook, with its header row.
fn stats_sheet(bytes: &[u8]) -> Vec<Vec<calamine::Data>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range("统计").unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}
