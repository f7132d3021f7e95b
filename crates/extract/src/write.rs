//! Reads each table region into the report's cells, with evidence and doubts.

use crate::compact::Compact;
use crate::identity::{row_score, scoring};
use crate::labels::{strip_unit, suffix_score};
use crate::norm::Norm;
use crate::regions::Range;
use crate::spec::{t2_rows, t3_rows, ColKind, RowSpec, LEGACY_VARIANTS, T4_KEYS};
use crate::split::{Piece, PieceKind};
use crate::table::{align, pairs, prior, read_row, t2_row_score, Pair, RowRead};
use crate::tokens::{Item, Sign, Unit};
use nianbao_model::Rule;
use nianbao_model::{Evidence, ExtraItem, Finding, Num, Place, Report, Severity};

pub struct Writer<'a> {
    pub(crate) norm: &'a Norm<'a>,
    /// Where the text at a byte offset is on the page, when the reader knows.
    pub(crate) at: &'a dyn Fn(usize) -> Option<Place>,
    pub r: &'a mut Report,
    /// Rows read with too many / too few values, reported once per table by `flush`.
    extra_rows: Vec<(&'static str, Vec<String>)>,
    short_rows: Vec<(&'static str, Vec<String>)>,
}

pub fn evidence(norm: &Norm, a: usize, b: usize, unit: Option<&str>, confidence: f32) -> Evidence {
    let (start, end) = norm.byte_range(a, b.max(a));
    let (line, column) = norm.line_col(start);
    Evidence {
        raw: norm.src[start..end].to_string(),
        line,
        column,
        offset: start,
        len: end - start,
        unit: unit.map(str::to_string),
        confidence,
        place: None,
    }
}

/// How a table is named in messages: (Chinese, English).
fn tname(table: &str) -> (String, String) {
    if table == "统计表" {
        ("统计表".into(), "statistics table".into())
    } else {
        (format!("表{table}"), format!("table {table}"))
    }
}

/// A row's label for messages: its first alternative, readable.
fn row_name(spec: &RowSpec) -> &'static str {
    spec.labels[0]
}

impl<'a> Writer<'a> {
    pub fn new(
        norm: &'a Norm<'a>,
        r: &'a mut Report,
        at: &'a dyn Fn(usize) -> Option<Place>,
    ) -> Writer<'a> {
        Writer {
            norm,
            at,
            r,
            extra_rows: Vec::new(),
            short_rows: Vec::new(),
        }
    }

    /// One finding per table for the rows that had too many or too few values.
    fn flush(&mut self, table: &str, cols: usize) {
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

    fn doubt(
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

    fn put(&mut self, key: String, kind: ColKind, p: &Piece, money_hint: Unit, confidence: f32) {
        let (value, unit) = to_num(p, kind, money_hint);
        let ev = evidence(self.norm, p.a, p.b, unit, confidence);
        if let Some(cell) = self.r.cells.get_mut(&key) {
            cell.value = value;
            cell.evidence = Some(ev);
        }
    }

    /// Writes a row from the chosen candidate, with the doubts its reading raised.
    fn row(
        &mut self,
        table: &str,
        spec: &RowSpec,
        read: &RowRead,
        pick: usize,
        alts: &[usize],
        money_hint: Unit,
    ) {
        let ties = alts.len().max(1);
        let conf = if ties > 1 { 1.0 / ties as f32 } else { 1.0 };
        let pieces = &read.cands[pick];
        for (i, p) in pieces.iter().enumerate() {
            self.put(spec.cell_key(i), spec.cols[i].1, p, money_hint, conf);
        }
        let keys: Vec<String> = (0..spec.cols.len()).map(|i| spec.cell_key(i)).collect();
        let name = row_name(spec);
        if read.extra {
            self.extra_rows.push((name, keys.clone()));
        }
        if read.short {
            self.short_rows.push((name, keys.clone()));
        }
        if ties > 1 {
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
    }

    fn missing_rows(&mut self, table: &str, rows: &[&RowSpec], assigned: &[Option<usize>]) {
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

    /// A label that matched a row exactly appears again with values of its own.
    fn duplicates(
        &mut self,
        table: &str,
        rows: &[&RowSpec],
        assigned: &[Option<usize>],
        ps: &[Pair],
    ) {
        for (i, p) in ps.iter().enumerate() {
            if assigned.contains(&Some(i)) || p.label.len() < 4 {
                continue;
            }
            for (r, a) in rows.iter().zip(assigned) {
                let exact = r
                    .labels
                    .iter()
                    .any(|l| p.label.ends_with(&l.chars().collect::<Vec<_>>()));
                if a.is_some() && exact {
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
        }
    }
}

/// The number a piece stands for in a column, and the unit it was converted from.
fn to_num(p: &Piece, kind: ColKind, money_hint: Unit) -> (Option<Num>, Option<&'static str>) {
    let PieceKind::Num {
        sign,
        digits,
        frac,
        unit,
    } = &p.kind
    else {
        return (None, None);
    };
    if digits.len() > 15 {
        return (None, None);
    }
    let neg = *sign == Sign::Minus;
    if kind == ColKind::Money {
        let unit = match unit {
            Unit::Yuan | Unit::Wan | Unit::Yi => *unit,
            _ => money_hint,
        };
        let text = if frac.is_empty() {
            digits.clone()
        } else {
            format!("{digits}.{frac}")
        };
        let Ok(v) = text.parse::<f64>() else {
            return (None, None);
        };
        let (factor, name) = match unit {
            Unit::Yuan => (1e-4, Some("元")),
            Unit::Yi => (1e4, Some("亿元")),
            _ => (1.0, Some("万元")),
        };
        let v = ((v * factor) * 1e10).round() / 1e10;
        let v = if neg { -v } else { v };
        let num = if v.fract() == 0.0 && v.abs() < 1e15 {
            Num::Int(v as i64)
        } else {
            Num::Dec(v)
        };
        return (Some(num), name);
    }
    let n = if frac.is_empty() {
        digits
            .parse::<i64>()
            .ok()
            .map(|v| Num::Int(if neg { -v } else { v }))
    } else {
        format!("{digits}.{frac}")
            .parse::<f64>()
            .ok()
            .map(|v| Num::Dec(if neg { -v } else { v }))
    };
    (n, None)
}

pub(crate) fn no_soft(_: &[Option<f64>]) -> usize {
    0
}

pub fn t2(w: &mut Writer, items: &[Item], c: &Compact, region: Range) {
    let rows: Vec<&RowSpec> = t2_rows(w.r.template).iter().collect();
    let ps = pairs(items, false);
    let (assigned, _) = align(&rows, &ps);
    if assigned.iter().all(Option::is_none) {
        return;
    }
    w.r.tables.push("二".into());
    let text = c.slice(c.pos_of(region.0), c.pos_of(region.1));
    let hint = if text.contains("万元") {
        Unit::Wan
    } else if text.contains("单位:元") || text.contains("(元)") {
        Unit::Yuan
    } else {
        Unit::None
    };
    for (spec, a) in rows.iter().zip(&assigned) {
        let Some(i) = a else { continue };
        // Table 二 has no hard identity: every reading stays possible (and is reported);
        // the soft rules only order them.
        let key = spec.key;
        let read = read_row(ps[*i].run, spec.cols.len(), &no_soft);
        let pick = prior(&read.cands, &spec.cols, &|v| t2_row_score(key, v));
        let alts: Vec<usize> = (0..read.cands.len()).collect();
        w.row("二", spec, &read, pick, &alts, hint);
        let money_unstated = spec.cols.iter().position(|c| c.1 == ColKind::Money).is_some_and(|m| {
            matches!(&read.cands[pick][m].kind, PieceKind::Num { unit: Unit::None, digits, .. } if digits.trim_start_matches('0') != "")
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

pub fn t3(w: &mut Writer, items: &[Item]) {
    let rows = t3_rows(w.r.template);
    let scoring = scoring(w.r.template);
    let ps = pairs(items, false);
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
    const COLS: &[(&str, ColKind)] = &[("", ColKind::Count); 15];
    let pick = prior(&read.cands, COLS, &no_soft);
    let ties = read.cands.len();
    let conf = if ties > 1 { 1.0 / ties as f32 } else { 1.0 };
    for (i, p) in read.cands[pick].iter().enumerate() {
        w.put(T4_KEYS[i].to_string(), ColKind::Count, p, Unit::None, conf);
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

pub fn legacy(w: &mut Writer, items: &[Item], c: &Compact, region: Range) {
    let ps = pairs(items, true);
    let best = LEGACY_VARIANTS
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
    w.r.tables.push("统计表".into());
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
    const TWO: &[(&str, ColKind)] = &[("", ColKind::Count), ("", ColKind::Count)];
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
        w.row("统计表", spec, &one, pick, &alts, hint);
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
        let (value, unit) = to_num(piece, ColKind::Count, Unit::None);
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
            .filter(|o| o.labels[0] == rows[r].labels[0])
            .count()
            == 1;
        if !unique {
            continue;
        }
        let best = (0..ps.len())
            .filter(|i| !assigned.contains(&Some(*i)))
            .filter_map(|i| suffix_score(rows[r].labels, &ps[i].label).map(|s| (s, i)))
            .max();
        if let Some((s, i)) = best {
            assigned[r] = Some(i);
            added += s;
        }
    }
    added
}
