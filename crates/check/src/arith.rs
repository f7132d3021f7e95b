//! Arithmetic identities of tables 三 and 四, and the single-cell fix.

use crate::cell_name;
use nianbao_model::Rule;
use nianbao_model::{keys_for, Finding, Fix, Report, Severity, Template, COLUMNS, COLUMN_LABELS};

/// `sum(lhs) == sum(rhs)`, with the rule it belongs to and its messages.
#[derive(Clone, Debug)]
pub struct Identity {
    pub rule: Rule,
    pub lhs: Vec<String>,
    pub rhs: Vec<String>,
    pub what_zh: String,
    pub what_en: String,
}

/// Rows of table 三 between 二 and （七） for a template (the outcome rows).
fn outcome_rows(t: Template) -> Vec<String> {
    let mut rows: Vec<String> = keys_for(t)
        .iter()
        .filter(|k| k.starts_with("t3.") && k.ends_with(".total"))
        .map(|k| k.trim_end_matches(".total").to_string())
        .collect();
    rows.retain(|r| {
        !matches!(
            r.as_str(),
            "t3.received" | "t3.carried_in" | "t3.processed" | "t3.carried_over"
        )
    });
    rows
}

fn t3_rows(t: Template) -> Vec<String> {
    keys_for(t)
        .iter()
        .filter(|k| k.starts_with("t3.") && k.ends_with(".total"))
        .map(|k| k.trim_end_matches(".total").to_string())
        .collect()
}

/// The printed label of a row of table 三, from its label path (`三/三/（二）部分公开/总计`).
fn row_label(t: Template, row: &str) -> String {
    nianbao_model::key_def(t, &format!("{row}.total")).map_or_else(
        || row.to_string(),
        |d| {
            let parts: Vec<&str> = d.label_path.split('/').collect();
            let inner = &parts[1..parts.len().saturating_sub(1)];
            inner
                .iter()
                .filter(|p| **p != "三")
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        },
    )
}

/// Every hard identity of a template.
pub fn identities(t: Template) -> Vec<Identity> {
    if t == Template::Legacy {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (c, label) in COLUMNS.iter().zip(COLUMN_LABELS) {
        out.push(Identity {
            rule: Rule::T3Balance,
            lhs: vec![format!("t3.received.{c}"), format!("t3.carried_in.{c}")],
            rhs: vec![format!("t3.processed.{c}"), format!("t3.carried_over.{c}")],
            what_zh: format!("表三“{label}”列：一、本年新收 + 二、上年结转 应等于 （七）总计 + 四、结转下年度"),
            what_en: format!("table 三, column {label}: received + carried in must equal processed + carried over"),
        });
    }
    for row in t3_rows(t) {
        let name = row_label(t, &row);
        out.push(Identity {
            rule: Rule::T3RowTotal,
            lhs: COLUMNS[..6].iter().map(|c| format!("{row}.{c}")).collect(),
            rhs: vec![format!("{row}.total")],
            what_zh: format!("表三“{name}”行：总计应等于六类申请人之和"),
            what_en: format!(
                "table 三, row {name}: 总计 must equal the sum of the six applicant columns"
            ),
        });
    }
    let outcomes = outcome_rows(t);
    for (c, label) in COLUMNS.iter().zip(COLUMN_LABELS) {
        out.push(Identity {
            rule: Rule::T3OutcomeSum,
            lhs: vec![format!("t3.processed.{c}")],
            rhs: outcomes.iter().map(|r| format!("{r}.{c}")).collect(),
            what_zh: format!("表三“{label}”列：（七）总计应等于各项办理结果之和"),
            what_en: format!(
                "table 三, column {label}: （七）总计 must equal the sum of the outcome rows"
            ),
        });
    }
    for (g, name) in [
        ("review", "行政复议"),
        ("suit_direct", "未经复议直接起诉"),
        ("suit_after_review", "复议后起诉"),
    ] {
        out.push(Identity {
            rule: Rule::T4GroupTotal,
            lhs: ["upheld", "corrected", "other", "pending"]
                .iter()
                .map(|p| format!("t4.{g}.{p}"))
                .collect(),
            rhs: vec![format!("t4.{g}.total")],
            what_zh: format!("表四“{name}”：总计应等于结果维持+结果纠正+其他结果+尚未审结"),
            what_en: format!(
                "table 四, {name}: 总计 must equal upheld + corrected + other + pending"
            ),
        });
    }
    out
}

/// Sums of both sides, or None when every cell of the identity is blank.
fn sides(r: &Report, id: &Identity, over: Option<(&str, i64)>) -> Option<(i64, i64)> {
    let get = |k: &String| match over {
        Some((ok, v)) if ok == k => Some(v),
        _ => r.int(k),
    };
    let all_blank = id.lhs.iter().chain(&id.rhs).all(|k| get(k).is_none());
    if all_blank {
        return None;
    }
    let sum = |ks: &[String]| ks.iter().map(|k| get(k).unwrap_or(0)).sum::<i64>();
    Some((sum(&id.lhs), sum(&id.rhs)))
}

fn table_present(r: &Report, rule: Rule) -> bool {
    if rule.family() == "t4" {
        r.has_table("四")
    } else {
        r.has_table("三")
    }
}

/// The one cell whose change makes every failing identity hold, if there is exactly one.
pub fn single_fix(r: &Report, ids: &[Identity]) -> Option<Fix> {
    let failing: Vec<&Identity> = ids
        .iter()
        .filter(|id| sides(r, id, None).is_some_and(|(l, rr)| l != rr))
        .collect();
    let first = failing.first()?;
    let (l, rr) = sides(r, first, None)?;
    let mut fixes: Vec<Fix> = Vec::new();
    for (k, on_left) in first
        .lhs
        .iter()
        .map(|k| (k, true))
        .chain(first.rhs.iter().map(|k| (k, false)))
    {
        let cur = r.int(k).unwrap_or(0);
        let v = if on_left {
            cur + (rr - l)
        } else {
            cur + (l - rr)
        };
        if v < 0 {
            continue;
        }
        let holds = ids
            .iter()
            .all(|id| sides(r, id, Some((k, v))).is_none_or(|(a, b)| a == b));
        if holds && !fixes.iter().any(|f| &f.key == k) {
            fixes.push(Fix {
                key: k.clone(),
                current: r.int(k),
                value: v,
            });
        }
    }
    (fixes.len() == 1).then(|| fixes.remove(0))
}

pub fn check(r: &Report, out: &mut Vec<Finding>) {
    let ids = identities(r.template);
    let fix = single_fix(r, &ids);
    let before = out.len();
    for id in &ids {
        if !table_present(r, id.rule) {
            continue;
        }
        let Some((l, rr)) = sides(r, id, None) else {
            continue;
        };
        if l == rr {
            continue;
        }
        let mut f = Finding::new(
            id.rule,
            Severity::Error,
            format!("{}，实际为 {l} ≠ {rr}", id.what_zh),
            format!("{}; found {l} ≠ {rr}", id.what_en),
            id.lhs.iter().chain(&id.rhs).cloned().collect(),
        );
        f.fix = fix.clone().filter(|x| f.cells.contains(&x.key));
        out.push(f);
    }
    if let Some(fix) = fix {
        if out.len() > before {
            let name = cell_name(r, &fix.key);
            let cur = fix.current.map_or("空".to_string(), |c| c.to_string());
            let mut f = Finding::new(
                Rule::IdentitySingleFix,
                Severity::Info,
                format!(
                    "若将“{name}”由 {cur} 改为 {}，全部勾稽关系即成立",
                    fix.value
                ),
                format!(
                    "changing “{}” from {} to {} makes every identity hold",
                    fix.key,
                    fix.current.map_or("blank".into(), |c| c.to_string()),
                    fix.value
                ),
                vec![fix.key.clone()],
            );
            f.fix = Some(fix);
            out.push(f);
        }
    }
}
