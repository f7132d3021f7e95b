//! Types of values: counts are whole and not negative (本年增/减 may be negative).

use crate::cell_name;
use nianbao_model::Rule;
use nianbao_model::{Finding, Num, Report, Severity};

pub fn check(r: &Report, out: &mut Vec<Finding>) {
    for (key, cell) in &r.cells {
        let Some(v) = cell.value else { continue };
        let kind = nianbao_model::ValueKind::of(key);
        let money = kind == nianbao_model::ValueKind::Money;
        let signed = kind == nianbao_model::ValueKind::Change;
        // The text as printed when it still gives this value; a corrected value itself.
        let raw = cell
            .evidence
            .as_ref()
            .filter(|e| {
                let digits = match v {
                    Num::Int(i) => i.unsigned_abs().to_string(),
                    Num::Dec(d) => d.abs().to_string(),
                };
                e.raw.contains(&digits)
            })
            .map_or_else(|| v.to_string(), |e| e.raw.clone());
        if v.as_f64() < 0.0 && !signed {
            out.push(Finding::new(
                Rule::ValueNegative,
                Severity::Error,
                format!("“{}”为负数（{raw}）", cell_name(r, key)),
                format!("“{key}” is negative ({raw})"),
                vec![key.to_string()],
            ));
        }
        if !money && matches!(v, Num::Dec(d) if d.fract() != 0.0) {
            out.push(Finding::new(
                Rule::ValueFraction,
                Severity::Error,
                format!("“{}”应为整数，实为 {raw}", cell_name(r, key)),
                format!("“{key}” must be a whole number, found {raw}"),
                vec![key.to_string()],
            ));
        }
    }
}
