//! Canonical cell keys, read once from the embedded copy of `shared/schema/keys.tsv`.

use crate::layout::{self, Line};
use crate::{PerTemplate, Template};
use std::sync::OnceLock;

const KEYS_TSV: &str = include_str!("../data/keys.tsv");

/// One canonical cell: its key, the templates it belongs to and a descriptive label path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyDef {
    pub key: &'static str,
    pub templates: &'static [Template],
    pub label_path: &'static str,
}

/// The seven applicant columns of table 三, in template order (key suffixes).
pub const COLUMNS: [&str; 7] = [
    "natural",
    "commercial",
    "research",
    "nonprofit",
    "legal",
    "other_org",
    "total",
];

/// Chinese header of each column of [`COLUMNS`].
pub const COLUMN_LABELS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

static OFFICIAL: [Template; 3] = Template::ALL;

fn table() -> &'static Vec<KeyDef> {
    static TABLE: OnceLock<Vec<KeyDef>> = OnceLock::new();
    TABLE.get_or_init(|| {
        KEYS_TSV
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let mut parts = line.split('\t');
                let key = parts.next().unwrap_or_default();
                // `both` is the 2019 and 2021 formats; anything else a template's id.
                let templates: &'static [Template] = match parts.next().unwrap_or_default() {
                    "both" => &[Template::Y2019, Template::Y2021],
                    id => match OFFICIAL.iter().position(|t| t.as_str() == id) {
                        Some(i) => &OFFICIAL[i..=i],
                        None => panic!("keys.tsv: unknown template column {id:?}"),
                    },
                };
                KeyDef {
                    key,
                    templates,
                    label_path: parts.next().unwrap_or_default(),
                }
            })
            .collect()
    })
}

/// The keys of a template `keys.tsv` does not list, from its definition's rows, with label
/// paths drawn from the printed labels.
fn drawn(template: Template) -> &'static Vec<KeyDef> {
    static CACHE: PerTemplate<Vec<KeyDef>> = PerTemplate::new();
    CACHE.get(template, |t| {
        let templates: &'static [Template] = Vec::leak(vec![t]);
        let leak = |s: String| -> &'static str { String::leak(s) };
        // Each table's rows with the table's number (a statistics table's paths start at
        // its rows, as keys.tsv writes them).
        let tables: Vec<(Option<&str>, Vec<&Line>)> = match t.statistics() {
            Some(s) => vec![(None, s.value_lines().collect())],
            None => vec![
                (Some("二"), layout::t2_lines(t).collect()),
                (Some("三"), layout::t3_lines(t).collect()),
                (Some("四"), vec![&layout::T4]),
            ],
        };
        let mut out = Vec::new();
        for (table, line) in tables
            .iter()
            .flat_map(|(table, lines)| lines.iter().map(move |l| (*table, *l)))
        {
            for c in 0..line.cols.len() {
                let mut path: Vec<&str> = table.into_iter().chain(line.path()).collect();
                if line.cols.len() > 1 {
                    path.push(line.cols[c].head);
                }
                path.retain(|p| !p.is_empty());
                out.push(KeyDef {
                    key: leak(line.cell_key(c)),
                    templates,
                    label_path: leak(path.join("/")),
                });
            }
        }
        out
    })
}

/// The key definitions of a template, in order: from `keys.tsv` when it lists the
/// template, else from the template's definition.
fn defs(template: Template) -> Box<dyn Iterator<Item = &'static KeyDef>> {
    static LISTED: PerTemplate<bool> = PerTemplate::new();
    let listed = *LISTED.get(template, |t| {
        table().iter().any(|d| d.templates.contains(&t))
    });
    if listed {
        Box::new(
            table()
                .iter()
                .filter(move |d| d.templates.contains(&template)),
        )
    } else {
        Box::new(drawn(template).iter())
    }
}

/// Every canonical key of a template, in the order of `keys.tsv` (a registered template:
/// in the order of its rows).
pub fn keys_for(template: Template) -> &'static [&'static str] {
    static CACHE: PerTemplate<Vec<&'static str>> = PerTemplate::new();
    CACHE.get(template, |t| defs(t).map(|d| d.key).collect())
}

/// What a cell may hold: counts are whole and not negative; 本年增/减 (`….delta`) is whole
/// and may be negative; money in 万元 (`…_wan`) may have decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Count,
    Change,
    Money,
}

/// Largest value a cell may hold: no agency counts or spends a trillion.
pub const MAX_VALUE: f64 = 1e12;

impl ValueKind {
    pub fn of(key: &str) -> ValueKind {
        if key.ends_with("_wan") {
            ValueKind::Money
        } else if key.ends_with(".delta") {
            ValueKind::Change
        } else {
            ValueKind::Count
        }
    }

    /// Why `v` cannot be this kind's value, in Chinese and English, if it cannot.
    pub fn refuse(self, v: f64) -> Option<(String, String)> {
        if !v.is_finite() || v.abs() > MAX_VALUE {
            return Some((
                format!("{v} 超出可填写的范围（绝对值不超过一万亿）"),
                format!("{v} is out of range (at most 10^12)"),
            ));
        }
        if v < 0.0 && self != ValueKind::Change {
            return Some((
                format!("{v} 为负数，只有“本年增/减”可为负"),
                format!("{v} is negative; only 本年增/减 may be"),
            ));
        }
        if v.fract() != 0.0 && self != ValueKind::Money {
            return Some((
                format!("{v} 不是整数，件数应为整数"),
                format!("{v} is not a whole number"),
            ));
        }
        None
    }
}

/// A cell as people read it: its place in the template (`表三 / 三、本年度办理结果 /
/// （二）部分公开 / 法人或其他组织 / 商业企业`), or the key when the template has no such cell.
pub fn cell_label(template: Template, key: &str) -> String {
    let Some(d) = key_def(template, key) else {
        return key.to_string();
    };
    let mut parts = d.label_path.split('/');
    let table = parts.next().unwrap_or("");
    // Table 三's outcome rows sit under its group 三、本年度办理结果.
    let rest: Vec<&str> = parts
        .map(|p| {
            if p == "三" {
                "三、本年度办理结果"
            } else {
                p
            }
        })
        .collect();
    if let Some(stats) = template.statistics() {
        let all: Vec<&str> = [table].into_iter().chain(rest).collect();
        format!("{} / {}", stats.table, all.join(" / "))
    } else {
        format!("表{table} / {}", rest.join(" / "))
    }
}

/// The definition of a key within a template, if the template has it.
pub fn key_def(template: Template, key: &str) -> Option<&'static KeyDef> {
    defs(template).find(|d| d.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_kinds_refuse_what_a_cell_cannot_hold() {
        let count = ValueKind::of("t3.received.total");
        assert_eq!(count, ValueKind::Count);
        assert!(count.refuse(3.0).is_none());
        assert!(count.refuse(-1.0).unwrap().0.contains("负数"));
        assert!(count.refuse(1.5).unwrap().0.contains("整数"));
        assert!(count.refuse(1e20).unwrap().0.contains("超出"));
        assert!(count.refuse(f64::NAN).is_some());
        let change = ValueKind::of("t2.license.delta");
        assert_eq!(change, ValueKind::Change);
        assert!(change.refuse(-4.0).is_none());
        assert!(change.refuse(-4.5).is_some());
        let money = ValueKind::of("t2.procurement.amount_wan");
        assert_eq!(money, ValueKind::Money);
        assert!(money.refuse(12.34).is_none());
        assert!(money.refuse(-0.5).is_some());
    }

    #[test]
    fn counts_per_template() {
        // 2019: 22 table-二 cells + 23×7 table-三 cells + 15 table-四 cells.
        assert_eq!(keys_for(Template::Y2019).len(), 22 + 161 + 15);
        // 2021: 10 table-二 cells + 25×7 + 15.
        assert_eq!(keys_for(Template::Y2021).len(), 10 + 175 + 15);
        assert_eq!(keys_for(Template::Legacy).len(), 58);
    }

    #[test]
    fn shared_key_is_in_both() {
        assert!(key_def(Template::Y2019, "t2.license.decisions").is_some());
        assert!(key_def(Template::Y2021, "t2.license.decisions").is_some());
        assert!(key_def(Template::Y2021, "t2.license.prev").is_none());
        assert_eq!(
            key_def(Template::Y2021, "t3.other.no_fee.total").unwrap().label_path,
            "三/三/（六）其他处理/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请/总计"
        );
    }

    #[test]
    fn embedded_copy_matches_shared_schema() {
        let shared = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/schema/keys.tsv"
        );
        match std::fs::read_to_string(shared) {
            Ok(s) => assert_eq!(
                s, KEYS_TSV,
                "crates/model/data/keys.tsv is stale: copy shared/schema/keys.tsv"
            ),
            Err(_) if std::env::var_os("CI").is_none() => {}
            Err(e) => panic!("CI must have shared/ beside the repo: {e}"),
        }
    }
}
