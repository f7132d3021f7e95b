//! The extractor's own findings: each fires on the input that deserves it and stays
//! quiet otherwise.

use nianbao_extract::extract;
use nianbao_model::{Report, Template};
use nianbao_synth::{render, report, rng, Layout, Style};

fn tab_text(template: Template, seed: u64) -> (Report, String) {
    let mut r = rng(seed);
    let rep = report(&mut r, template);
    let text = render(&rep, &Style::plain(Layout::Tabs), &mut r);
    (rep, text)
}

fn rules(text: &str) -> Vec<String> {
    extract(text)
        .doubts
        .into_iter()
        .map(|d| d.rule.to_string())
        .collect()
}

/// Replaces the line that starts with `label` (after tabs) by `new`.
fn replace_row(text: &str, label: &str, new: &str) -> String {
    text.lines()
        .map(|l| {
            if l.trim_start().starts_with(label) {
                new.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn clean_text_has_no_doubts() {
    for t in Template::ALL {
        let (_, text) = tab_text(t, 1);
        assert_eq!(rules(&text), Vec::<String>::new(), "{t}");
    }
}

#[test]
fn extra_values() {
    let (_, text) = tab_text(Template::Y2021, 2);
    let text = replace_row(
        &text,
        "一、本年新收",
        "一、本年新收政府信息公开申请数量\t0\t3\t0\t0\t0\t0\t0\t3",
    );
    let r = extract(&text);
    assert!(
        r.doubts
            .iter()
            .any(|d| d.rule == "extract.extra_values"
                && d.cells.contains(&"t3.received.total".into()))
    );
    // The identity 总计 = sum picks the reading that drops the leading 0.
    assert_eq!(r.int("t3.received.commercial"), Some(0));
    assert_eq!(r.int("t3.received.natural"), Some(3));
    assert_eq!(r.int("t3.received.total"), Some(3));
}

#[test]
fn missing_values() {
    let (_, text) = tab_text(Template::Y2021, 3);
    let text = replace_row(
        &text,
        "一、本年新收",
        "一、本年新收政府信息公开申请数量\t0\t0\t0",
    );
    let r = extract(&text);
    assert!(r.doubts.iter().any(|d| d.rule == "extract.missing_values"));
    assert_eq!(r.int("t3.received.research"), Some(0));
    assert_eq!(r.int("t3.received.nonprofit"), None);
}

#[test]
fn ambiguous_split() {
    let (_, text) = tab_text(Template::Y2021, 4);
    let quiet = replace_row(&text, "行政规范性文件", "行政规范性文件\t5\t6\t15");
    assert!(!rules(&quiet).contains(&"extract.ambiguous_split".to_string()));
    let amb = replace_row(&text, "行政规范性文件", "行政规范性文件5615");
    let r = extract(&amb);
    let d = r
        .doubts
        .iter()
        .find(|d| d.rule == "extract.ambiguous_split")
        .expect("ambiguous split reported");
    assert!(d.message_zh.contains("5|6|15"), "{}", d.message_zh);
    let ev = r.cells["t2.normative.in_force"].evidence.clone().unwrap();
    assert!(ev.confidence < 1.0);
    assert_eq!(ev.raw, "15");
}

#[test]
fn run_together_table_three_rows_are_settled_by_the_identities() {
    let (_, text) = tab_text(Template::Y2021, 5);
    let text = replace_row(
        &text,
        "一、本年新收",
        "一、本年新收政府信息公开申请数量1400000 14",
    );
    let r = extract(&text);
    assert_eq!(r.int("t3.received.natural"), Some(14));
    assert_eq!(r.int("t3.received.total"), Some(14));
    assert!(!r.doubts.iter().any(|d| d.rule == "extract.ambiguous_split"));
}

#[test]
fn duplicate_label() {
    let (_, text) = tab_text(Template::Y2021, 6);
    let text = text.replacen(
        "2.重复申请",
        "2.重复申请\t0\t0\t0\t0\t0\t0\t0\n2.重复申请",
        1,
    );
    assert!(rules(&text).contains(&"extract.duplicate_label".to_string()));
}

#[test]
fn row_missing() {
    let (_, text) = tab_text(Template::Y2021, 7);
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("规章"))
        .collect::<Vec<_>>()
        .join("\n");
    let r = extract(&without);
    assert!(r.doubts.iter().any(
        |d| d.rule == "extract.row_missing" && d.cells.contains(&"t2.regulation.issued".into())
    ));
    assert_eq!(r.value("t2.regulation.issued"), None);
}

#[test]
fn unit_unknown() {
    let (_, text) = tab_text(Template::Y2019, 8);
    let bare = text.replace("采购总金额（单位：万元）", "采购总金额");
    let bare = replace_row(&bare, "政府集中采购", "政府集中采购\t3\t1234.5");
    let r = extract(&bare);
    assert!(r.doubts.iter().any(|d| d.rule == "extract.unit_unknown"));
    assert_eq!(
        r.value("t2.procurement.amount_wan").map(|v| v.as_f64()),
        Some(1234.5)
    );
    let yuan = replace_row(&bare, "政府集中采购", "政府集中采购\t3\t123604.14元");
    let r = extract(&yuan);
    assert!(!r.doubts.iter().any(|d| d.rule == "extract.unit_unknown"));
    let v = r.value("t2.procurement.amount_wan").unwrap().as_f64();
    assert!((v - 12.360414).abs() < 1e-12);
    assert_eq!(
        r.cells["t2.procurement.amount_wan"]
            .evidence
            .as_ref()
            .unwrap()
            .unit
            .as_deref(),
        Some("元")
    );
}

/// A 2021 table that prints （六）其他处理 as one row with the group's sums instead of its three
/// numbered rows: the numbered rows' cells stay blank, and a finding names them — no sum is
/// put into a sub-row it does not belong to.
#[test]
fn other_handling_printed_as_one_row_leaves_its_sub_rows_blank_with_a_finding() {
    let subs = ["no_correction", "no_fee", "other"];
    let cols = nianbao_model::COLUMNS;
    let sum_of = |rep: &Report, c: &str| -> i64 {
        subs.iter()
            .map(|s| rep.int(&format!("t3.other.{s}.{c}")).unwrap_or(0))
            .sum()
    };
    // A report with requests handled under the group, so its sums are not all zero.
    let (rep, text) = (1..200)
        .map(|seed| tab_text(Template::Y2021, seed))
        .find(|(rep, _)| sum_of(rep, "total") > 0)
        .expect("a generated report with 其他处理");
    let sum = |c: &str| sum_of(&rep, c);
    let group: Vec<String> = cols.iter().map(|c| sum(c).to_string()).collect();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("（六）其他处理") || l.contains("(六)其他处理"))
        .expect("the group label");
    let mut out: Vec<String> = lines[..at].iter().map(|l| l.to_string()).collect();
    out.push(format!("\t（六）其他处理\t\t{}", group.join("\t")));
    // Drop the three numbered rows under the group.
    let rest: Vec<&str> = lines[at + 1..]
        .iter()
        .copied()
        .skip_while(|l| l.trim_start().starts_with(['1', '2', '3']) || l.trim().is_empty())
        .collect();
    out.extend(rest.iter().map(|l| l.to_string()));
    let got = extract(&out.join("\n"));
    for s in subs {
        for c in cols {
            let key = format!("t3.other.{s}.{c}");
            assert_eq!(got.int(&key), None, "{key}");
        }
    }
    assert!(
        got.doubts
            .iter()
            .any(|d| d.cells.iter().any(|k| k.starts_with("t3.other."))),
        "no finding names the blank sub-rows: {:?}",
        got.doubts.iter().map(|d| d.rule).collect::<Vec<_>>()
    );
    // The rest of table 三 is read as printed.
    assert_eq!(got.int("t3.received.total"), rep.int("t3.received.total"));
    assert_eq!(got.int("t3.granted.total"), rep.int("t3.granted.total"));
}
