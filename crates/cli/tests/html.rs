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

/// Table 三 of a portal page with columns of its own (see
/// [`common::columns_of_its_own`]): the columns are found by their header cells, so every
/// value reads as the official page gives it, blanks as blanks.
#[test]
fn table_columns_are_read_by_their_header_cells() {
    let (page, want) = common::columns_of_its_own();
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
