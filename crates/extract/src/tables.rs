//! Each table region read into the report: rows found by their labels, values read and
//! chosen by the identities, then written with their doubts.

use crate::compact::Compact;
use crate::doubts::row_name;
use crate::identity::{row_score, scoring};
use crate::labels::{strip_unit, suffix_score};
use crate::number::to_num;
use crate::regions::Range;
use crate::spec::{statistics_variants, t2_rows, t3_rows, RowSpec, T4_KEYS};
use crate::split::PieceKind;
use crate::table::{align, pairs, prior, read_row, t2_row_score, Pair, RowRead};
use crate::tokens::{Item, Unit};
use crate::write::{evidence, Writer};
use nianbao_model::ValueKind;
use nianbao_model::{ExtraItem, Rule, Severity, Statistics};

pub(crate) fn no_soft(_: &[Option<f64>]) -> usize {
    0
}

pub fn t2(w: &mut Writer, items: &[Item], c: &Compact, region: Range) {
    let rows: Vec<&RowSpec> = t2_rows(w.r.template).iter().collect();
    let ps = pairs(items, &w.norm.chars, false);
    let (assigned, _) = align(&rows, &ps);
    if assigned.iter().all(Option::is_none) {
        return;
    }
    w.r.tables.push("二".into());
    let hint = money_hint(c, region);
    for (spec, a) in rows.iter().zip(&assigned) {
        let Some(i) = a else { continue };
        // Table 二 has no hard identity: every reading stays possible (and is reported);
        // the soft rules only order them.
        let key = spec.key();
        let read = read_row(ps[*i].run, spec.cols.len(), &no_soft);
        let pick = prior(&read.cands, &spec.cols, &|v| t2_row_score(key, v));
        let alts: Vec<usize> = (0..read.cands.len()).collect();
        w.row("二", spec, &read, pick, &alts, hint);
        let money_unstated = spec.cols.iter().position(|c| c.1 == ValueKind::Money).is_some_and(|m| {
            matches!(&read.cands[pick][m].kind, PieceKind::Num { unit: Unit::None, digits, .. } if !digits.trim_start_matches('0').is_empty())
        });
        if money_unstated && hint == Unit::None && w.r.template == nianbao_model::Template::Y2019 {
            let key = spec.cell_key(spec.cols.len() - 1);
            w.doubt(
                Rule::ExtractUnitUnknown,
                Severity::Info,
                "采购总金额未注明单位（元或万元），已按万元读取".into(),
                "procurement amount gives no unit (元 or 万元); read as 万元".into(),
                vec![key],
            );
        }
    }
    w.flush("二", 3);
    w.missing_rows("二", &rows, &assigned);
    w.duplicates("二", &rows, &assigned, &ps);
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

pub fn t3(w: &mut Writer, items: &[Item]) {
    let rows = t3_rows(w.r.template);
    let scoring = scoring(w.r.template);
    let ps = pairs(items, &w.norm.chars, false);
    let (assigned, _) = align(&rows, &ps);
    if assigned.iter().all(Option::is_none) {
        return;
    }
    w.r.tables.push("三".into());
    let reads: Vec<Option<RowRead>> = assigned
        .iter()
        .map(|a| a.map(|i| read_row(ps[i].run, 7, &|v| row_score(&scoring.t3_row, 7, v))))
        .collect();
    let geometry = crate::resolve::geometry(w.norm, w.at, &reads);
    let (picks, alts) =
        crate::resolve::resolve_t3(&reads, &rows, &scoring.t3_columns, geometry.as_ref());
    for (k, spec) in rows.iter().enumerate() {
        if let Some(read) = &reads[k] {
            w.row("三", spec, read, picks[k], &alts[k], Unit::None);
        }
    }
    w.flush("三", 7);
    w.missing_rows("三", &rows, &assigned);
    w.duplicates("三", &rows, &assigned, &ps);
}

pub fn t4(w: &mut Writer, items: &[Item]) {
    let Some(run) = items
        .iter()
        .find_map(|it| if let Item::Run(r) = it { Some(r) } else { None })
    else {
        return;
    };
    w.r.tables.push("四".into());
    let sums = &scoring(w.r.template).t4_row;
    let read = read_row(run, 15, &|v| row_score(sums, 15, v));
    const COLS: &[(&str, ValueKind)] = &[("", ValueKind::Count); 15];
    let pick = prior(&read.cands, COLS, &no_soft);
    let ties = read.cands.len();
    let conf = if ties > 1 { 1.0 / ties as f32 } else { 1.0 };
    for (i, p) in read.cands[pick].iter().enumerate() {
        w.put(
            T4_KEYS[i].to_string(),
            ValueKind::Count,
            p,
            Unit::None,
            conf,
        );
    }
    let keys: Vec<String> = T4_KEYS.iter().map(|k| k.to_string()).collect();
    if read.extra || read.short {
        w.doubt(
            if read.extra {
                Rule::ExtractExtraValues
            } else {
                Rule::ExtractMissingValues
            },
            Severity::Warning,
            format!("表四应有15个数值，实际读到{}个，请核对原文", run.len()),
            format!(
                "table 四 should have 15 numbers, found {}; check the source",
                run.len()
            ),
            keys.clone(),
        );
    }
    if ties > 1 {
        w.doubt(
            Rule::ExtractAmbiguousSplit,
            Severity::Warning,
            format!("表四的数字连在一起，可有{ties}种拆分，已按勾稽关系和常见分布取其一，请对照原表核实"),
            format!("table 四: digits run together and split {ties} ways; chose one by the identities and a prior — verify"),
            keys,
        );
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
        let best = (0..ps.len())
            .filter(|i| !assigned.contains(&Some(*i)))
            .filter_map(|i| suffix_score(rows[r].labels(), &ps[i].label).map(|s| (s, i)))
            .max();
        if let Some((s, i)) = best {
            assigned[r] = Some(i);
            added += s;
        }
    }
    added
}
