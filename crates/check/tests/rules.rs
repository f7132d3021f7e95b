//! Every rule fires where it should and stays quiet on a clean report.

use nianbao_check::check;
use nianbao_model::{
    Claim, ClaimKind, Date, Evidence, Finding, Num, Report, Section, Severity, Template,
};

/// A clean generated report: identities hold, every table and section present, on time.
fn clean(template: Template, seed: u64) -> Report {
    let mut rng = nianbao_synth::rng(seed);
    let mut r = nianbao_synth::report(&mut rng, template);
    r.agency = Some("西店镇".into());
    r.tables = match template {
        Template::Legacy => vec!["统计表".into()],
        _ => vec!["二".into(), "三".into(), "四".into()],
    };
    r.sections = (1..=6)
        .map(|n| Section {
            number: n,
            title: format!("{n}"),
            text: String::new(),
        })
        .collect();
    r.published = Date::new(r.year.unwrap() + 1, 1, 20);
    r
}

fn with(rule: &str, f: &[Finding]) -> Vec<Finding> {
    f.iter().filter(|x| x.rule == rule).cloned().collect()
}

fn add(r: &mut Report, key: &str, d: i64) {
    let v = r.int(key).unwrap_or(0) + d;
    r.set(key, Some(Num::Int(v)));
}

fn ev() -> Evidence {
    Evidence {
        raw: "收到政府信息公开申请5件".into(),
        line: 3,
        column: 1,
        offset: 0,
        len: 10,
        unit: None,
        confidence: 1.0,
        place: None,
    }
}

#[test]
fn clean_reports_have_no_findings() {
    for t in Template::ALL {
        for seed in 0..50 {
            let f = check(&clean(t, seed));
            assert!(f.is_empty(), "{t} seed {seed}: {f:?}");
        }
    }
}

#[test]
fn balance_fires_and_names_the_single_fix() {
    let mut r = clean(Template::Y2021, 1);
    let before = r.int("t3.carried_over.natural");
    add(&mut r, "t3.carried_over.natural", 2);
    let f = check(&r);
    let b = with("t3.balance", &f);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].severity, Severity::Error);
    assert!(b[0].cells.contains(&"t3.carried_over.natural".to_string()));
    assert_eq!(with("t3.row_total", &f).len(), 1);
    let fix = with("identity.single_fix", &f);
    assert_eq!(fix.len(), 1);
    let x = fix[0].fix.clone().unwrap();
    assert_eq!(
        (x.key.as_str(), Some(x.value)),
        ("t3.carried_over.natural", before)
    );
    assert_eq!(b[0].fix.as_ref().unwrap().key, "t3.carried_over.natural");
}

#[test]
fn row_total_fires() {
    let mut r = clean(Template::Y2019, 2);
    add(&mut r, "t3.granted.total", 1);
    let f = check(&r);
    let rt = with("t3.row_total", &f);
    assert_eq!(rt.len(), 1);
    assert!(
        rt[0].message_zh.contains("（一）予以公开"),
        "{}",
        rt[0].message_zh
    );
    assert_eq!(with("t3.outcome_sum", &f).len(), 1);
    assert_eq!(
        with("identity.single_fix", &f)[0].fix.as_ref().unwrap().key,
        "t3.granted.total"
    );
}

#[test]
fn outcome_sum_fires_without_a_single_fix_when_two_cells_are_off() {
    let mut r = clean(Template::Y2021, 3);
    add(&mut r, "t3.processed.natural", 1);
    add(&mut r, "t3.processed.total", 1);
    let f = check(&r);
    assert_eq!(with("t3.outcome_sum", &f).len(), 2);
    assert_eq!(with("t3.balance", &f).len(), 2);
    assert!(with("t3.row_total", &f).is_empty());
    assert!(with("identity.single_fix", &f).is_empty());
}

#[test]
fn review_group_total_fires() {
    let mut r = clean(Template::Y2021, 4);
    add(&mut r, "t4.suit_direct.total", 3);
    let f = check(&r);
    let g = with("t4.group_total", &f);
    assert_eq!(g.len(), 1);
    assert!(g[0].message_zh.contains("未经复议直接起诉"));
    // Any of the group's five cells could restore it: no single cell is named.
    assert!(with("identity.single_fix", &f).is_empty());
}

#[test]
fn identities_are_not_checked_for_a_missing_table() {
    let mut r = clean(Template::Y2021, 5);
    add(&mut r, "t4.review.total", 3);
    r.tables.retain(|t| t != "四");
    let f = check(&r);
    assert!(with("t4.group_total", &f).is_empty());
    assert_eq!(with("table.missing", &f).len(), 1);
    assert_eq!(with("table.missing", &f)[0].severity, Severity::Error);
}

#[test]
fn negative_counts_and_fractions() {
    let mut r = clean(Template::Y2019, 6);
    r.set("t2.license.delta", Some(Num::Int(-3)));
    r.set("t2.procurement.amount_wan", Some(Num::Dec(12.360414)));
    assert!(
        check(&r).is_empty(),
        "a negative 本年增/减 and a decimal amount are fine"
    );
    r.set("t2.license.decisions", Some(Num::Int(-3)));
    r.set("t2.penalty.decisions", Some(Num::Dec(2.5)));
    let f = check(&r);
    assert_eq!(
        with("value.negative", &f)[0].cells,
        ["t2.license.decisions"]
    );
    assert_eq!(
        with("value.fraction", &f)[0].cells,
        ["t2.penalty.decisions"]
    );
}

#[test]
fn missing_sections_are_warnings_in_2019_and_errors_from_2021() {
    for (t, sev) in [
        (Template::Y2019, Severity::Warning),
        (Template::Y2021, Severity::Error),
    ] {
        let mut r = clean(t, 7);
        r.sections.retain(|s| s.number != 3);
        let f = with("section.missing", &check(&r));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, sev);
        assert!(f[0]
            .message_zh
            .contains("三、收到和处理政府信息公开申请情况"));
    }
    let mut legacy = clean(Template::Legacy, 7);
    legacy.sections.clear();
    assert!(with("section.missing", &check(&legacy)).is_empty());
}

#[test]
fn template_must_fit_the_year() {
    let mut r = clean(Template::Y2019, 8);
    r.year = Some(2022);
    r.published = Date::new(2023, 1, 10);
    let f = with("template.year", &check(&r));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Error);
    let mut r = clean(Template::Y2021, 8);
    r.year = Some(2020);
    r.published = Date::new(2021, 1, 10);
    assert_eq!(
        with("template.year", &check(&r))[0].severity,
        Severity::Warning
    );
    let mut r = clean(Template::Legacy, 8);
    r.year = Some(2019);
    r.published = Date::new(2020, 1, 10);
    assert_eq!(
        with("template.year", &check(&r))[0].severity,
        Severity::Error
    );
}

#[test]
fn narrative_no_requests() {
    let mut r = clean(Template::Y2021, 9);
    r.set("t3.received.total", Some(Num::Int(0)));
    r.claims.push(Claim {
        kind: ClaimKind::NoRequests,
        value: None,
        evidence: ev(),
    });
    assert!(with("narrative.no_requests", &check(&r)).is_empty());
    r.set("t3.received.total", Some(Num::Int(3)));
    assert_eq!(with("narrative.no_requests", &check(&r)).len(), 1);
}

#[test]
fn narrative_count() {
    let mut r = clean(Template::Y2021, 10);
    r.set("t3.received.total", Some(Num::Int(21)));
    r.set("t3.carried_in.total", Some(Num::Int(2)));
    for (n, fires) in [(21, false), (23, false), (20, true)] {
        r.claims = vec![Claim {
            kind: ClaimKind::RequestsReceived,
            value: Some(n),
            evidence: ev(),
        }];
        let f = with("narrative.count", &check(&r));
        assert_eq!(f.len(), usize::from(fires), "claim {n}");
    }
}

#[test]
fn publication_deadline() {
    let cases = [
        (Template::Y2021, 2021, "西店镇", (2022, 1, 31), false),
        (Template::Y2021, 2021, "西店镇", (2022, 2, 1), true),
        (
            Template::Y2021,
            2021,
            "尉氏县洧川镇人民政府",
            (2022, 2, 10),
            true,
        ),
        (
            Template::Y2021,
            2021,
            "尉氏县人民政府",
            (2022, 3, 20),
            false,
        ),
        (Template::Y2021, 2021, "尉氏县人民政府", (2022, 4, 1), true),
        (Template::Legacy, 2018, "河口镇", (2019, 3, 31), false),
        (Template::Legacy, 2018, "河口镇", (2019, 4, 1), true),
    ];
    for (t, year, agency, (y, m, d), fires) in cases {
        let mut r = clean(t, 11);
        r.year = Some(year);
        r.agency = Some(agency.into());
        r.published = Date::new(y, m, d);
        let f = with("publish.late", &check(&r));
        assert_eq!(f.len(), usize::from(fires), "{agency} {y}-{m}-{d}");
    }
}

#[test]
fn legacy_sums() {
    let mut r = clean(Template::Legacy, 12);
    add(&mut r, "legacy.request.received", 1);
    let f = with("legacy.sum", &check(&r));
    assert_eq!(f.len(), 1);
    assert!(f[0].message_zh.contains("收到申请数"));
}
