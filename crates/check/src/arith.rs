//! Arithmetic identities of tables 三 and 四 (written with the template, in
//! [`nianbao_model::layout`]) checked on a report, and the single-cell fix.

use crate::cell_name;
use nianbao_model::layout::{identities, Identity};
use nianbao_model::{Finding, Fix, Report, Rule, Severity};

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
    let fix = single_fix(r, ids);
    let before = out.len();
    for id in ids {
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
