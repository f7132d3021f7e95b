//! The report list of the web, page by page as a person clicks 下一页 and 上一页 over a corpus
//! of 131 reports (three pages): each link seeks from the row at the edge of the page shown,
//! every report is listed once and in the order of the numbered pages, a report without a
//! year comes last, and walking back gives the same pages.

mod common;

use common::web::{between, start_on, Http, PASSWORD};
use nianbao_model::Template;
use nianbao_synth::{render, report, rng, Style};
use std::process::Command;

/// The report ids of a list page, top to bottom, and its 上一页 / 下一页 links.
fn page(h: &mut Http, path: &str) -> (Vec<i64>, Option<String>, Option<String>) {
    let (status, body) = h.get(path);
    assert_eq!(status, 200, "{path}: {body}");
    let table = between(&body, "<tbody>", "</tbody>");
    let ids = table
        .split("href=\"/reports/")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect();
    let link = |rel: &str| {
        let at = body.find(&format!("rel=\"{rel}\""))?;
        let href = body[..at].rfind("href=\"")? + "href=\"".len();
        Some(body[href..at].trim_end_matches("\" ").replace("&amp;", "&"))
    };
    (ids, link("prev"), link("next"))
}

#[test]
fn the_list_pages_forward_and_back_by_its_links() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    let mut r = rng(7);
    for i in 0..130 {
        let mut rep = report(&mut r, Template::ALL[1 + i % 2]);
        rep.agency = Some(format!("测试{i}号局"));
        let text = render(&rep, &Style::random(&mut r), &mut r);
        std::fs::write(reports.join(format!("r{i:03}.txt")), text).unwrap();
    }
    // Headings and no table, no agency, no year.
    std::fs::write(
        reports.join("bare.txt"),
        nianbao_model::SECTION_HEADINGS.join("\n本年度无。\n"),
    )
    .unwrap();
    let db = dir.path().join("web.db").display().to_string();
    let ingest = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["ingest", "--db", &db])
        .arg(&reports)
        .output()
        .unwrap();
    assert!(ingest.status.success(), "{ingest:?}");
    let server = start_on(dir, db, 5);
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("viewer", PASSWORD), 303);

    let numbered: Vec<Vec<i64>> = (1..=3)
        .map(|n| page(&mut h, &format!("/?page={n}")).0)
        .collect();
    assert_eq!(
        numbered.iter().map(Vec::len).collect::<Vec<_>>(),
        [50, 50, 31]
    );
    let (first, prev, mut next) = page(&mut h, "/");
    assert_eq!((&first, prev), (&numbered[0], None));
    let mut walked = vec![first];
    let mut back = Vec::new();
    while let Some(link) = next {
        assert!(link.contains("after="), "{link}");
        let (ids, prev, n) = page(&mut h, &link);
        walked.push(ids);
        back.push(prev.expect("a page after the first links back"));
        next = n;
    }
    assert_eq!(walked, numbered);
    let all: Vec<i64> = walked.concat();
    let mut unique = all.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 131);
    let (_, last_row) = h.get(&format!("/reports/{}", all[130]));
    assert!(
        last_row.contains("bare.txt"),
        "the report without a year is last"
    );
    // 上一页 from the third page seeks before its first row; from the second, page 1.
    assert!(back[1].contains("before="), "{}", back[1]);
    assert_eq!(page(&mut h, &back[1]).0, numbered[1]);
    assert_eq!(page(&mut h, &back[0]).0, numbered[0]);
    let (status, body) = h.get("/?after=2021.x.3");
    assert_eq!(status, 400);
    assert!(body.contains("翻页位置"), "{body}");
}
