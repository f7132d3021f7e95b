//! The rows of each template's tables as extraction reads them: canonical key prefix, label
//! alternatives (in canonical form, see [`crate::labels::canon`]) and the kind of each column,
//! taken from the one definition of the templates, [`nianbao_model::layout`].

use nianbao_model::layout::{self, Line};
use nianbao_model::{PerTemplate, Template, ValueKind};
use std::sync::LazyLock;

/// A row as extraction reads it: its line of the template and the kind of number each
/// column holds (counts, signed 本年增/减, money normalised to 万元).
pub struct RowSpec {
    line: &'static Line,
    pub cols: Vec<(&'static str, ValueKind)>,
    /// `labels()` as chars, made once: alignment compares them with every label segment.
    chars: Vec<Vec<char>>,
    /// The printed labels of the row's groups, innermost first, in canonical form.
    groups: Vec<Vec<char>>,
}

impl RowSpec {
    fn of(line: &'static Line) -> RowSpec {
        RowSpec {
            line,
            cols: (0..line.cols.len())
                .map(|c| (line.cols[c].suffix, ValueKind::of(&line.cell_key(c))))
                .collect(),
            chars: line.matches.iter().map(|l| l.chars().collect()).collect(),
            groups: line
                .group
                .iter()
                .rev()
                .map(|g| {
                    let normal: String = g.chars().map(crate::norm::norm_char).collect();
                    crate::labels::canon(&normal).chars().collect()
                })
                .collect(),
        }
    }

    /// The labels of the groups the row sits in, innermost first (canonical form).
    pub fn group_chars(&self) -> &[Vec<char>] {
        &self.groups
    }

    /// [`labels`](Self::labels) as chars.
    pub fn label_chars(&self) -> &[Vec<char>] {
        &self.chars
    }

    /// The key stem of the row's cells.
    pub fn key(&self) -> &'static str {
        self.line.key
    }

    /// The canonical labels the row is matched by, the printed one first.
    pub fn labels(&self) -> &'static [&'static str] {
        self.line.matches
    }

    pub fn cell_key(&self, col: usize) -> String {
        self.line.cell_key(col)
    }
}

/// Tables 二 and 三 of the 2019 and 2021 templates.
struct Specs {
    t2: Vec<RowSpec>,
    t3: Vec<RowSpec>,
}

fn specs(template: Template) -> &'static Specs {
    static SPECS: PerTemplate<Specs> = PerTemplate::new();
    SPECS.get(template, |t| Specs {
        // Each 第二十条 item's caption is the group its rows sit in.
        t2: layout::t2_items(t)
            .iter()
            .flat_map(|item| {
                let caption: Vec<char> = format!("第二十条第({})项", item.number).chars().collect();
                item.lines.iter().map(move |l| {
                    let mut r = RowSpec::of(l);
                    r.groups.push(caption.clone());
                    r
                })
            })
            .collect(),
        t3: layout::t3_lines(t).map(RowSpec::of).collect(),
    })
}

/// Rows of table 三 for a template, in order.
pub fn t3_rows(template: Template) -> Vec<&'static RowSpec> {
    specs(template).t3.iter().collect()
}

pub fn t2_rows(template: Template) -> &'static [RowSpec] {
    &specs(template).t2
}

/// Table 四 as a row of fifteen columns.
pub fn t4_row() -> &'static RowSpec {
    static ROW: LazyLock<RowSpec> = LazyLock::new(|| RowSpec::of(&layout::T4));
    &ROW
}

/// Table 四: one row of 15 cells, in column order.
/// The characters of table 四's column heads (canonical form): its only labels.
pub fn t4_heads() -> &'static [char] {
    static HEADS: LazyLock<Vec<char>> = LazyLock::new(|| {
        let mut out: Vec<char> = layout::T4_HEAD
            .iter()
            .flat_map(|h| {
                let normal: String = h.text.chars().map(crate::norm::norm_char).collect();
                crate::labels::canon(&normal).chars().collect::<Vec<_>>()
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    });
    &HEADS
}

pub static T4_KEYS: LazyLock<Vec<String>> = LazyLock::new(|| layout::T4.keys().collect());

/// The printings of a statistics table, the form's own first (for the national form of
/// 国办发〔2014〕32号: the national table, then the 福建-style one); none for other forms.
pub fn statistics_variants(template: Template) -> &'static [Vec<RowSpec>] {
    static CACHE: PerTemplate<Vec<Vec<RowSpec>>> = PerTemplate::new();
    CACHE.get(template, |t| match t.statistics() {
        Some(s) => std::iter::once(s.value_lines().map(RowSpec::of).collect())
            .chain(
                s.variants
                    .iter()
                    .map(|v| v.iter().map(RowSpec::of).collect()),
            )
            .collect(),
        None => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::keys_for;

    /// Every cell key the specs produce exists in keys.tsv for that template, and every
    /// key of the template is produced.
    #[test]
    fn specs_cover_the_schema_exactly() {
        for t in [Template::Y2019, Template::Y2021] {
            let mut made: Vec<String> = t2_rows(t)
                .iter()
                .chain(t3_rows(t))
                .flat_map(|r| (0..r.cols.len()).map(|c| r.cell_key(c)))
                .collect();
            made.extend(T4_KEYS.iter().cloned());
            let mut want: Vec<String> = keys_for(t).iter().map(|k| k.to_string()).collect();
            made.sort();
            want.sort();
            assert_eq!(made, want, "template {t}");
        }
        let mut legacy: Vec<String> = statistics_variants(Template::Legacy)[0]
            .iter()
            .map(|r| r.cell_key(0))
            .collect();
        let mut want: Vec<String> = keys_for(Template::Legacy)
            .iter()
            .map(|k| k.to_string())
            .collect();
        legacy.sort();
        want.sort();
        assert_eq!(legacy, want);
    }

    /// Kinds follow the keys: 本年增/减 signed, 万元 money.
    #[test]
    fn column_kinds_follow_the_keys() {
        let fee = &t2_rows(Template::Y2019)[6];
        assert_eq!(fee.key(), "t2.fee");
        assert_eq!(
            fee.cols,
            vec![("prev", ValueKind::Count), ("delta", ValueKind::Change)]
        );
        let money = statistics_variants(Template::Legacy)[0]
            .iter()
            .find(|r| r.key() == "legacy.fees_wan")
            .unwrap();
        assert_eq!(money.cols, vec![("", ValueKind::Money)]);
    }
}
