//! Reports published as web pages: every seed written as an HTML page with the official
//! merged cells, and random reports in random page styles (GBK, blanks, markup, split
//! tables), read back by `nianbao extract` to exactly the same values.

mod common;

use common::{differences, extract, from_gold};
use nianbao_model::{Report, Template};
use nianbao_synth::{html_page, report, rng, HtmlStyle};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn write_page(dir: &Path, name: &str, r: &Report, style: &HtmlStyle) -> PathBuf {
    let html = html_page(r, style);
    let bytes = if style.gbk {
        encoding_rs::GBK.encode(&html).0.into_owned()
    } else {
        html.into_bytes()
    };
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn every_seed_as_an_html_page() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let golds: Vec<Report> = names
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .map(|p| from_gold(&serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()))
        .collect();
    assert_eq!(golds.len(), 5);
    for style in [
        HtmlStyle::default(),
        HtmlStyle {
            gbk: true,
            blanks: true,
            markup: true,
            split_tables: true,
        },
    ] {
        let files: Vec<PathBuf> = golds
            .iter()
            .enumerate()
            .map(|(i, r)| write_page(dir.path(), &format!("seed{i}.html"), r, &style))
            .collect();
        let (out, _) = extract(&files);
        for (want, got) in golds.iter().zip(&out) {
            assert_eq!(got["format"], "html");
            let d = differences(want, got);
            assert!(d.is_empty(), "{style:?} {:?}: {d:?}", want.agency);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_reports_as_html_pages(seed in any::<u64>(), t in 0usize..3) {
        let mut r = rng(seed);
        let want = report(&mut r, Template::ALL[t]);
        let style = HtmlStyle::random(&mut r);
        let dir = tempfile::tempdir().unwrap();
        let file = write_page(dir.path(), "page.html", &want, &style);
        let (got, _) = extract(&[file]);
        let d = differences(&want, &got[0]);
        prop_assert!(d.is_empty(), "seed {seed} {style:?}: {d:?}");
    }
}

/// Table 三 of a portal page (`shared/corpus/variants/html/018-txt.html`: blank cells for
/// zeros) with its columns in an order of its own (总计 first), a 备注 column with words and
/// numbers in it, and one value's digits broken by a space: the columns are found by their
/// header cells, so every value reads as the official page gives it, blanks as blanks.
#[test]
fn table_columns_are_read_by_their_header_cells() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/variants/html");
    let page = std::fs::read_to_string(shared.join("018-txt.html")).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (shared/ must lie beside the project)",
            shared.display()
        )
    });
    let gold: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("018-txt.gold.json")).unwrap())
            .unwrap();
    let want = from_gold(&gold);
    let start = page
        .find("<table><tr><td colspan=\"3\" rowspan=\"3\">（本列数据")
        .unwrap();
    let end = start + page[start..].find("</table>").unwrap();
    let rows: Vec<&str> = page[start + "<table>".len()..end]
        .split("</tr>")
        .filter(|r| !r.is_empty())
        .collect();
    let mut table = String::from("<table>");
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .trim_start_matches("<tr>")
            .split_inclusive("</td>")
            .map(str::to_string)
            .collect();
        let mut cells = cells;
        match i {
            0 => cells.push(r#"<td rowspan="3">备注</td>"#.into()),
            1 => {
                // 自然人 | 法人或其他组织 | 总计  →  总计 | 自然人 | 法人或其他组织
                let total = cells.pop().unwrap();
                cells.insert(0, total);
            }
            2 => {}
            _ => {
                let n = cells.len();
                let total = cells.pop().unwrap();
                cells.insert(n - 7, total);
                cells.push(format!("<td>含转办{}件</td>", i % 3 + 1));
            }
        }
        table.push_str("<tr>");
        table.push_str(&cells.concat());
        table.push_str("</tr>");
    }
    let table = table.replacen("<td>32</td>", "<td>3 2</td>", 1);
    let page = format!("{}{table}{}", &page[..start], &page[end..]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("columns.html");
    std::fs::write(&path, &page).unwrap();
    let (out, status) = extract(&[path]);
    assert_eq!(status, 0);
    let d = differences(&want, &out[0]);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(out[0]["values"]["t3.received.total"], 32);
    assert_eq!(out[0]["evidence"]["t3.received.total"]["raw"], "3 2");
    assert!(out[0]["values"]["t3.received.commercial"].is_null());
}
