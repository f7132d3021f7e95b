//! Each table region read into the report: rows found by their labels, values read and
//! chosen by the identities, then written with their doubts.

use crate::compact::Compact;
use crate::doubts::row_name;
use crate::labels::{strip_unit, suffix_score_with, tail_set};
use crate::number::to_num;
use crate::regions::Range;
use crate::spec::{statistics_variants, RowSpec};
use crate::split::PieceKind;
use crate::table::{align, pairs, prior, read_row, Pair, RowRead};
use crate::tokens::{Item, Unit};
use crate::write::{evidence, Writer};
use nianbao_model::ValueKind;
use nianbao_model::{ExtraItem, Rule, Severity, Statistics};

pub(crate) fn no_soft(_: &[Option<f64>]) -> usize {
    0
}

/// The unit table 二's amounts are in, when the region says (`万元`, `单位：元`, `（元）`).
pub fn money_hint(c: &Compact, region: Range) -> Unit {
    let text = c.slice(c.pos_of(region.0), c.pos_of(region.1));
    if text.contains("万元") {
        Unit::Wan
    } else if text.contains("单位:元") || text.contains("(元)") {
        Unit::Yuan
    } else {
        Unit::None
    }
}

pub fn statistics(
    w: &mut Writer,
    items: &[Item],
    c: &Compact,
    region: Range,
    stats: &'static Statistics,
) {
    let ps = pairs(items, &w.norm.chars, true);
    let best = statistics_variants(w.r.template)
        .iter()
        .map(|v| {
            let rows: Vec<&RowSpec> = v.iter().collect();
            let (mut a, s) = align(&rows, &ps);
            let extra = assign_out_of_order(&rows, &ps, &mut a);
            (rows, a, s + extra)
        })
        .max_by_key(|(_, _, s)| *s);
    let Some((rows, assigned, _)) = best else {
        return;
    };
    if assigned.iter().all(Option::is_none) {
        return;
    }
    w.r.tables.push(stats.table.into());
    // 福建-style tables carry a second value column, 历年累计, which is never below the
    // year's figure: that settles most runs of digits.
    let cumulative = c
        .slice(c.pos_of(region.0), c.pos_of(region.1))
        .contains("累计");
    let cols = if cumulative { 2 } else { 1 };
    let cum_score = |v: &[Option<f64>]| match v {
        [Some(y), Some(total)] => usize::from(total >= y),
        _ => 0,
    };
    const TWO: &[(&str, ValueKind)] = &[("", ValueKind::Count), ("", ValueKind::Count)];
    for (spec, a) in rows.iter().zip(&assigned) {
        let Some(i) = *a else { continue };
        let p = &ps[i];
        let read = read_row(p.run, cols, &cum_score);
        let pick = prior(&read.cands, TWO, &no_soft);
        let hint = if p.unit.as_deref() == Some("元") {
            Unit::Yuan
        } else {
            Unit::Wan
        };
        // Only the year's column is kept; the readings differ in it or in the total.
        let one = RowRead {
            cands: read.cands.iter().map(|c| vec![c[0].clone()]).collect(),
            extra: false,
            short: false,
        };
        let alts: Vec<usize> = (0..one.cands.len()).collect();
        w.row(stats.table, spec, &one, pick, &alts, hint);
        if read.extra && !cumulative {
            w.doubt(
                Rule::ExtractExtraValues,
                Severity::Warning,
                format!(
                    "统计表“{}”一行有{}个数值，只采用了第一个",
                    row_name(spec),
                    p.run.len()
                ),
                format!(
                    "statistics row “{}” has {} numbers; only the first was used",
                    row_name(spec),
                    p.run.len()
                ),
                vec![spec.cell_key(0)],
            );
        }
    }
    for (i, p) in ps.iter().enumerate() {
        if assigned.contains(&Some(i)) {
            continue;
        }
        let read = read_row(p.run, cols, &cum_score);
        let piece = &read.cands[prior(&read.cands, TWO, &no_soft)][0];
        if matches!(piece.kind, PieceKind::Null) {
            continue;
        }
        let (value, unit) = to_num(piece, ValueKind::Count, Unit::None);
        let (label, _) = strip_unit(&p.raw_label);
        let label: String = label
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        w.r.extra_items.push(ExtraItem {
            label,
            value,
            evidence: evidence(w.norm, piece.a, piece.b, unit, 1.0),
        });
    }
}

/// Local tables reorder rows; a row whose label is unique in the variant may take an
/// unused run out of order. Returns the score added.
fn assign_out_of_order(rows: &[&RowSpec], ps: &[Pair], assigned: &mut [Option<usize>]) -> usize {
    let mut added = 0;
    for r in 0..rows.len() {
        if assigned[r].is_some() {
            continue;
        }
        let unique = rows
            .iter()
            .filter(|o| o.labels()[0] == rows[r].labels()[0])
            .count()
            == 1;
        if !unique {
            continue;
        }
        let labels = rows[r].label_chars();
        let longest = labels.iter().map(Vec::len).max().unwrap_or(0);
        let best = (0..ps.len())
            .filter(|i| !assigned.contains(&Some(*i)))
            .filter_map(|i| {
                let l = &ps[i].label;
                suffix_score_with(labels, l, tail_set(l, longest)).map(|s| (s, i))
            })
            .max();
        if let Some((s, i)) = best {
            assigned[r] = Some(i);
            added += s;
        }
    }
    added
}
