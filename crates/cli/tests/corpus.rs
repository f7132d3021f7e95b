//! End to end over the real reports in `corpus/`: the `nianbao` binary against the
//! hand-checked gold values.

mod common;

use common::extract;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(name)
}

/// (source file, gold) for every `*.gold.json` of a corpus directory, in name order.
fn golds(dir: &Path) -> Vec<(PathBuf, Value)> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .map(|g| {
            let gold: Value = serde_json::from_str(&std::fs::read_to_string(g).unwrap()).unwrap();
            let src = PathBuf::from(g.to_string_lossy().replace(".gold.json", ".txt"));
            (src, gold)
        })
        .collect()
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a.is_null() && b.is_null(),
    }
}

/// Keys whose extracted value differs from gold.
fn misses(got: &Value, gold: &Value) -> Vec<String> {
    gold["values"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, want)| !same(&got["values"][k.as_str()], want))
        .map(|(k, want)| format!("{k}: got {} want {want}", got["values"][k.as_str()]))
        .collect()
}

#[test]
fn every_seed_cell_exactly() {
    let golds = golds(&corpus("seeds"));
    assert_eq!(golds.len(), 5);
    let files: Vec<PathBuf> = golds.iter().map(|g| g.0.clone()).collect();
    let (out, code) = extract(&files);
    assert_eq!(code, 0);
    assert_eq!(out.len(), 5);
    for ((file, gold), got) in golds.iter().zip(&out) {
        assert_eq!(got["file"], file.display().to_string());
        assert_eq!(got["template"], gold["template"], "{}", file.display());
        assert_eq!(got["year"], gold["year"], "{}", file.display());
        assert_eq!(got["agency"], gold["agency"], "{}", file.display());
        let m = misses(got, gold);
        assert!(m.is_empty(), "{}: {m:?}", file.display());
        // Every key of the template is present, number or null.
        assert_eq!(
            got["values"].as_object().unwrap().len(),
            gold["values"].as_object().unwrap().len()
        );
    }
}

#[test]
fn seed_evidence_keeps_the_raw_text() {
    let (out, _) = extract(&[corpus("seeds/001_108787ae7295ae56.txt")]);
    let ev = &out[0]["evidence"];
    assert_eq!(ev["t2.fee.delta"]["raw"], "增1");
    assert_eq!(out[0]["values"]["t2.fee.delta"], 1);
    assert_eq!(ev["t2.procurement.amount_wan"]["raw"], "123604.14元");
    assert_eq!(ev["t2.procurement.amount_wan"]["unit"], "元");
    assert_eq!(out[0]["values"]["t2.procurement.amount_wan"], 12.360414);
    // 　　0 / 21538 on their own lines: line numbers point into the file.
    let line = ev["t2.license.decisions"]["line"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(corpus("seeds/001_108787ae7295ae56.txt")).unwrap();
    assert!(text.lines().nth(line - 1).unwrap().contains("21538"));
    let sections: Vec<u64> = out[0]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_u64().unwrap())
        .collect();
    assert_eq!(sections, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn seed_metadata_and_findings() {
    let golds = golds(&corpus("seeds"));
    let files: Vec<PathBuf> = golds.iter().map(|g| g.0.clone()).collect();
    let (out, _) = extract(&files);
    // 004 is signed 2019年1月21日 under the narrative.
    assert_eq!(out[4]["published"], "2019-01-21");
    let rules = |i: usize| -> Vec<String> {
        out[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    // 003: the heading of section 三 is missing and table 二 stops after its first caption.
    assert_eq!(rules(3), ["table.missing", "section.missing"]);
    // 000: 18 rows of table 三 carry one number too many.
    assert_eq!(rules(0), ["extract.extra_values"]);
    assert!(rules(1).is_empty() && rules(2).is_empty() && rules(4).is_empty());
}

#[test]
fn pingtan_reports_match_gold_on_every_cell_the_text_settles() {
    let golds = golds(&corpus("pingtan"));
    assert_eq!(golds.len(), 22);
    let files: Vec<PathBuf> = golds.iter().map(|g| g.0.clone()).collect();
    let (out, _) = extract(&files);
    let (mut right, mut total) = (0, 0);
    for ((file, gold), got) in golds.iter().zip(&out) {
        assert_eq!(got["template"], gold["template"], "{}", file.display());
        assert_eq!(got["year"], gold["year"], "{}", file.display());
        let ambiguous: Vec<&str> = gold["text_ambiguous_keys"]
            .as_array()
            .map_or(vec![], |a| a.iter().map(|k| k.as_str().unwrap()).collect());
        let m = misses(got, gold);
        let clear: Vec<&String> = m
            .iter()
            .filter(|x| !ambiguous.iter().any(|k| x.starts_with(&format!("{k}:"))))
            .collect();
        assert!(clear.is_empty(), "{}: {clear:?}", file.display());
        total += gold["values"].as_object().unwrap().len();
        right += gold["values"].as_object().unwrap().len() - m.len();
        // Every miss is a cell the extractor said it could not settle.
        for miss in &m {
            let key = miss.split(':').next().unwrap();
            let doubted = got["findings"].as_array().unwrap().iter().any(|f| {
                f["rule"] == "extract.ambiguous_split"
                    && f["cells"].as_array().unwrap().iter().any(|c| c == key)
            });
            assert!(
                doubted,
                "{}: {miss} was not reported as ambiguous",
                file.display()
            );
        }
    }
    assert_eq!(total, 4254);
    assert!(right >= 4246, "{right}/{total}");
}

#[test]
fn legacy_local_rows_are_kept_as_extra_items() {
    let (out, _) = extract(&[corpus("pingtan/001-txt.txt")]);
    let items: Vec<(String, Value)> = out[0]["extra_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["label"].as_str().unwrap().to_string(), i["value"].clone()))
        .collect();
    assert_eq!(
        items,
        [
            ("4.其他类型答复数".to_string(), Value::from(0)),
            ("政府信息公开收费减免金额".to_string(), Value::from(0))
        ]
    );
}

#[test]
fn pingtan_source_side_errors_are_found() {
    let check = |name: &str| -> Vec<(String, Vec<String>)> {
        let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["check", "--format", "json"])
            .arg(corpus(&format!("pingtan/{name}-txt.txt")))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["cells"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect()
    };
    let has = |f: &[(String, Vec<String>)], rule: &str, cell: &str| {
        f.iter()
            .any(|(r, c)| r == rule && c.iter().any(|x| x == cell))
    };
    // README of the corpus: 003 R3.3 fails on legal and total.
    let f = check("003");
    assert!(
        has(&f, "t3.outcome_sum", "t3.processed.legal")
            && has(&f, "t3.outcome_sum", "t3.processed.total")
    );
    // 004: R3.1 fails (natural, total).
    let f = check("004");
    assert!(
        has(&f, "t3.balance", "t3.carried_over.natural")
            && has(&f, "t3.balance", "t3.carried_over.total")
    );
    assert!(!f.iter().any(|(r, _)| r.starts_with("narrative")));
    // 012: R3.2 on 部分公开 and 总计, R3.1 on commercial.
    let f = check("012");
    assert!(
        has(&f, "t3.row_total", "t3.partial.total")
            && has(&f, "t3.row_total", "t3.processed.total")
    );
    assert!(has(&f, "t3.balance", "t3.received.commercial"));
    // 015 and 018: the prose count differs from the table.
    assert!(has(&check("015"), "narrative.count", "t3.received.total"));
    assert!(has(&check("018"), "narrative.count", "t3.received.total"));
    // 017: every 总计 is 0 and the prose says 6 applications.
    let f = check("017");
    assert!(
        has(&f, "t3.row_total", "t3.received.total")
            && has(&f, "narrative.count", "t3.received.total")
    );
    // A clean report.
    assert!(check("007").is_empty());
}
