//! Doubts raised while reading tables: rows with too many or too few values, ambiguous
//! readings, rows not found, labels seen twice. Each is an ordinary finding.

use crate::spec::RowSpec;
use crate::split::Piece;
use crate::table::RowRead;
use crate::write::Writer;
use nianbao_model::{Finding, Rule, Severity};

/// How a table is named in messages: (Chinese, English). Tables 二, 三, 四 go by their
/// number; a statistics table by its name.
fn tname(table: &str) -> (String, String) {
    if !matches!(table, "二" | "三" | "四") {
        (table.into(), "statistics table".into())
    } else {
        (format!("表{table}"), format!("table {table}"))
    }
}

/// A row's label for messages: its first alternative, readable.
pub(crate) fn row_name(spec: &RowSpec) -> &'static str {
    spec.labels()[0]
}

impl Writer<'_> {
    /// One finding per table for the rows that had too many or too few values.
    pub(crate) fn flush(&mut self, table: &str, cols: usize) {
        for (rule, rows, zh, en) in [
            (
                Rule::ExtractExtraValues,
                std::mem::take(&mut self.extra_rows),
                "数值多于",
                "more numbers than",
            ),
            (
                Rule::ExtractMissingValues,
                std::mem::take(&mut self.short_rows),
                "数值少于",
                "fewer numbers than",
            ),
        ] {
            if rows.is_empty() {
                continue;
            }
            let names: Vec<&str> = rows.iter().map(|r| r.0).collect();
            let (zh_tail, en_tail) = if rule == Rule::ExtractExtraValues {
                (
                    "已按勾稽关系取舍，请核对原文",
                    "kept the values the identities support; check the source",
                )
            } else {
                ("缺少的单元格留空", "missing cells left blank")
            };
            self.doubt(
                rule,
                Severity::Warning,
                format!(
                    "{}有{}行的{zh}{cols}列（{}），{zh_tail}",
                    tname(table).0,
                    rows.len(),
                    names.join("、")
                ),
                format!(
                    "{}: {} rows have {en} {cols} columns ({}); {en_tail}",
                    tname(table).1,
                    rows.len(),
                    names.join(", ")
                ),
                rows.into_iter().flat_map(|r| r.1).collect(),
            );
        }
    }

    pub(crate) fn doubt(
        &mut self,
        rule: Rule,
        severity: Severity,
        zh: String,
        en: String,
        cells: Vec<String>,
    ) {
        self.r
            .doubts
            .push(Finding::new(rule, severity, zh, en, cells));
    }

    /// Several readings of a row satisfy the identities alike: the one chosen and the others.
    pub(crate) fn ambiguous(
        &mut self,
        table: &str,
        name: &str,
        keys: Vec<String>,
        read: &RowRead,
        pick: usize,
        alts: &[usize],
    ) {
        let ties = alts.len().max(1);
        let pieces = &read.cands[pick];
        let chosen = pieces.iter().map(Piece::text).collect::<Vec<_>>().join("|");
        let others: Vec<String> = alts
            .iter()
            .filter(|&&k| k != pick)
            .take(4)
            .map(|&k| {
                read.cands[k]
                    .iter()
                    .map(Piece::text)
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        let (rule, zh, en) = if read.short {
            (
                Rule::ExtractAmbiguousPlacement,
                format!("{}“{name}”一行的数值少于{}列，可放入不同的列，勾稽关系有{ties}种放法都成立，已取 {chosen}（其他：{}），请对照原表核实", tname(table).0, keys.len(), others.join("；")),
                format!("{} row “{name}”: fewer numbers than {} columns, and the identities hold for {ties} ways to place them; chose {chosen} (others: {}) — verify against the original table", tname(table).1, keys.len(), others.join("; ")),
            )
        } else {
            (
                Rule::ExtractAmbiguousSplit,
                format!("{}“{name}”一行的数字连在一起，可有{ties}种拆分，已取 {chosen}（其他：{}），请对照原表核实", tname(table).0, others.join("；")),
                format!("{} row “{name}”: digits run together and split {ties} ways; chose {chosen} (others: {}) — verify against the original table", tname(table).1, others.join("; ")),
            )
        };
        let typed = |k: usize| -> Vec<String> {
            read.cands[k]
                .iter()
                .map(|p| match p.text().as_str() {
                    "—" => String::new(),
                    t => t.to_string(),
                })
                .collect()
        };
        let mut options = vec![typed(pick)];
        options.extend(
            alts.iter()
                .filter(|&&k| k != pick)
                .take(4)
                .map(|&k| typed(k)),
        );
        self.doubt(rule, Severity::Warning, zh, en, keys);
        if let Some(f) = self.r.doubts.last_mut() {
            f.alternatives = options;
        }
    }

    pub(crate) fn missing_rows(
        &mut self,
        table: &str,
        rows: &[&RowSpec],
        assigned: &[Option<usize>],
    ) {
        let missing: Vec<&RowSpec> = rows
            .iter()
            .zip(assigned)
            .filter(|(_, a)| a.is_none())
            .map(|(r, _)| *r)
            .collect();
        if missing.is_empty() || missing.len() == rows.len() {
            return;
        }
        let names: Vec<&str> = missing.iter().map(|r| row_name(r)).collect();
        let cells = missing
            .iter()
            .flat_map(|r| (0..r.cols.len()).map(|i| r.cell_key(i)))
            .collect();
        self.doubt(
            Rule::ExtractRowMissing,
            Severity::Warning,
            format!(
                "{}中未找到以下行，对应单元格留空：{}",
                tname(table).0,
                names.join("、")
            ),
            format!(
                "{}: rows not found, their cells left blank: {}",
                tname(table).1,
                names.join(", ")
            ),
            cells,
        );
    }

    /// A row read one way that another explanation of the table reads nearly as well
    /// (values printed apart from their labels, a blank row beside a row of values).
    pub(crate) fn uncertain(
        &mut self,
        table: &str,
        r: &RowSpec,
        chosen: Vec<String>,
        other: Vec<String>,
    ) {
        let show = |v: &[String]| {
            if v.iter().all(|x| x.is_empty() || x == "—") {
                "空白".to_string()
            } else {
                v.iter()
                    .map(|x| if x.is_empty() { "—" } else { x.as_str() })
                    .collect::<Vec<_>>()
                    .join("|")
            }
        };
        let keys: Vec<String> = (0..r.cols.len()).map(|c| r.cell_key(c)).collect();
        let typed = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|x| if x == "—" { String::new() } else { x })
                .collect()
        };
        let (a, b) = (show(&chosen), show(&other));
        self.doubt(
            Rule::ExtractUncertainRow,
            Severity::Warning,
            format!(
                "{}“{}”一行读作 {a}，也可能是 {b}（数值与行标签的对应不唯一），请对照原表核实",
                tname(table).0,
                row_name(r)
            ),
            format!(
                "{} row “{}” read as {a}, may as well be {b} (which values go with which label is not certain) — verify against the original table",
                tname(table).1,
                row_name(r)
            ),
            keys,
        );
        if let Some(f) = self.r.doubts.last_mut() {
            f.alternatives = vec![typed(chosen), typed(other)];
        }
    }

    /// A row's label printed a second time with values of its own; one was used.
    pub(crate) fn twice(&mut self, table: &str, r: &RowSpec) {
        self.doubt(
            Rule::ExtractDuplicateLabel,
            Severity::Warning,
            format!(
                "{}的行“{}”出现了两次，只采用了其中一次的数值",
                tname(table).0,
                row_name(r)
            ),
            format!(
                "{}: row “{}” appears twice; only one occurrence was used",
                tname(table).1,
                row_name(r)
            ),
            (0..r.cols.len()).map(|c| r.cell_key(c)).collect(),
        );
    }
}
