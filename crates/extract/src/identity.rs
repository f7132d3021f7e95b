//! The template's identities (written once, in [`nianbao_model::layout`]) compiled to the
//! positions of a table's rows and columns, so readings can be scored by how many hold.

use nianbao_model::layout::{self, identities};
use nianbao_model::{PerTemplate, Rule, Template};
use std::collections::HashMap;

/// One identity as (row, column) positions on each side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sums {
    lhs: Vec<(usize, usize)>,
    rhs: Vec<(usize, usize)>,
}

/// The identities of `rule` whose every cell is one of `rows` (each row its keys in
/// column order), as positions in them.
pub fn compile<S: AsRef<str>>(template: Template, rule: Rule, rows: &[Vec<S>]) -> Vec<Sums> {
    let at: HashMap<&str, (usize, usize)> = rows
        .iter()
        .enumerate()
        .flat_map(|(r, keys)| {
            keys.iter()
                .enumerate()
                .map(move |(c, k)| (k.as_ref(), (r, c)))
        })
        .collect();
    let place = |keys: &[String]| -> Option<Vec<(usize, usize)>> {
        keys.iter().map(|k| at.get(k.as_str()).copied()).collect()
    };
    identities(template)
        .iter()
        .filter(|id| id.rule == rule)
        .filter_map(|id| {
            Some(Sums {
                lhs: place(&id.lhs)?,
                rhs: place(&id.rhs)?,
            })
        })
        .collect()
}

/// How many of `sums` hold for the values `v(row, column)`.
pub fn holding(sums: &[Sums], v: impl Fn(usize, usize) -> f64) -> usize {
    let side = |cells: &[(usize, usize)]| cells.iter().map(|&(r, c)| v(r, c)).sum::<f64>();
    sums.iter()
        .filter(|s| (side(&s.lhs) - side(&s.rhs)).abs() < 1e-9)
        .count()
}

/// The identities extraction scores readings with, compiled once per template.
pub struct Scoring {
    /// Table 三's row total, on a row's seven columns (every row has the same).
    pub t3_row: Vec<Sums>,
    /// Table 三's column identities (balance, outcome sum) on its rows in template order.
    pub t3_columns: Vec<Sums>,
    /// Table 四's three group totals, on its fifteen columns.
    pub t4_row: Vec<Sums>,
}

impl Scoring {
    fn of(t: Template) -> Scoring {
        let rows: Vec<Vec<String>> = layout::t3_lines(t).map(|l| l.keys().collect()).collect();
        let t4: Vec<String> = layout::T4.keys().collect();
        let mut t3_columns = compile(t, Rule::T3Balance, &rows);
        t3_columns.extend(compile(t, Rule::T3OutcomeSum, &rows));
        Scoring {
            t3_row: compile(t, Rule::T3RowTotal, &rows[..1]),
            t3_columns,
            t4_row: compile(t, Rule::T4GroupTotal, &[t4]),
        }
    }
}

/// The scoring identities of a template's tables 三 and 四.
pub fn scoring(t: Template) -> &'static Scoring {
    static CACHE: PerTemplate<Scoring> = PerTemplate::new();
    CACHE.get(t, Scoring::of)
}

/// How many of a row's identities hold for one reading of it (blanks as 0); a reading of
/// another width than `width` scores 0.
pub fn row_score(sums: &[Sums], width: usize, v: &[Option<f64>]) -> usize {
    if v.len() != width {
        return 0;
    }
    holding(sums, |_, c| v[c].unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_of_table_three_adds_up_to_its_total() {
        let sums = &scoring(Template::Y2021).t3_row;
        let score = |v: &[Option<f64>]| row_score(sums, 7, v);
        let row = |v: [f64; 7]| v.map(Some);
        assert_eq!(score(&row([1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 3.0])), 1);
        assert_eq!(score(&row([1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 4.0])), 0);
        assert_eq!(score(&[Some(1.0), Some(1.0)]), 0);
    }

    #[test]
    fn table_four_has_three_group_totals() {
        let score = |v: &[Option<f64>]| row_score(&scoring(Template::Y2019).t4_row, 15, v);
        let mut v = [Some(0.0); 15];
        assert_eq!(score(&v), 3);
        v[0] = Some(2.0);
        v[4] = Some(2.0);
        v[5] = Some(1.0);
        assert_eq!(score(&v), 2);
    }

    #[test]
    fn table_three_columns_balance_and_sum_their_outcomes() {
        let rows: Vec<Vec<String>> = layout::t3_lines(Template::Y2019)
            .map(|l| l.keys().collect())
            .collect();
        assert_eq!(compile(Template::Y2019, Rule::T3Balance, &rows).len(), 7);
        let outcomes = compile(Template::Y2019, Rule::T3OutcomeSum, &rows);
        assert_eq!(outcomes.len(), 7);
        // （七）总计 against the 18 outcome rows of 2019, column by column.
        assert_eq!(outcomes[0].lhs, vec![(rows.len() - 2, 0)]);
        assert_eq!(outcomes[0].rhs.len(), rows.len() - 4);
    }
}
