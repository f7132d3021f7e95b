//! Canonical cell keys, read once from the embedded copy of `shared/schema/keys.tsv`.

use crate::Template;
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
                let templates: &'static [Template] = match parts.next().unwrap_or_default() {
                    "2019" => &[Template::Y2019],
                    "2021" => &[Template::Y2021],
                    "both" => &[Template::Y2019, Template::Y2021],
                    "legacy" => &[Template::Legacy],
                    other => panic!("keys.tsv: unknown template column {other:?}"),
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

/// Every canonical key of a template, in the order of `keys.tsv`.
pub fn keys_for(template: Template) -> &'static [&'static str] {
    static CACHE: OnceLock<[Vec<&'static str>; 3]> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        let of = |t: Template| -> Vec<&'static str> {
            table()
                .iter()
                .filter(|d| d.templates.contains(&t))
                .map(|d| d.key)
                .collect()
        };
        [
            of(Template::Legacy),
            of(Template::Y2019),
            of(Template::Y2021),
        ]
    });
    match template {
        Template::Legacy => &cache[0],
        Template::Y2019 => &cache[1],
        Template::Y2021 => &cache[2],
    }
}

/// The definition of a key within a template, if the template has it.
pub fn key_def(template: Template, key: &str) -> Option<&'static KeyDef> {
    table()
        .iter()
        .find(|d| d.key == key && d.templates.contains(&template))
}

#[cfg(test)]
mod tests {
    use super::*;

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
