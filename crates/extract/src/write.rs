//! Reads each table region into the report's cells, with evidence and doubts.

use crate::compact::Compact;
use crate::labels::{strip_unit, suffix_score};
use crate::norm::Norm;
use crate::regions::Range;
use crate::spec::{t2_rows, t3_rows, ColKind, RowSpec, LEGACY_VARIANTS, T4_KEYS};
use crate::split::{Piece, PieceKind};
use crate::table::{
    align, pairs, prior, read_row, t2_row_score, t3_row_score, t4_row_score, values, Pair, RowRead,
};
use crate::tokens::{Item, Sign, Unit};
use nianbao_model::{Evidence, ExtraItem, Finding, Num, Place, Report, Severity};

pub struct Writer<'a> {
    norm: &'a Norm<'a>,
    /// Where the text at a byte offset is on the page, when the reader knows.
    at: &'a dyn Fn(usize) -> Option<Place>,
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
                "extract.extra_values",
                std::mem::take(&mut self.extra_rows),
                "数值多于",
                "more numbers than",
            ),
            (
                "extract.missing_values",
                std::mem::take(&mut self.short_rows),
                "数值少于",
                "fewer numbers than",
            ),
        ] {
            if rows.is_empty() {
                continue;
            }
            let names: Vec<&str> = rows.iter().map(|r| r.0).collect();
            let (zh_tail, en_tail) = if rule == "extract.extra_values" {
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
        rule: &str,
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
                    "extract.ambiguous_placement",
                    format!("{}“{name}”一行的数值少于{}列，可放入不同的列，勾稽关系有{ties}种放法都成立，已取 {chosen}（其他：{}），请对照原表核实", tname(table).0, keys.len(), others.join("；")),
                    format!("{} row “{name}”: fewer numbers than {} columns, and the identities hold for {ties} ways to place them; chose {chosen} (others: {}) — verify against the original table", tname(table).1, keys.len(), others.join("; ")),
                )
            } else {
                (
                    "extract.ambiguous_split",
                    format!("{}“{name}”一行的数字连在一起，可有{ties}种拆分，已取 {chosen}（其他：{}），请对照原表核实", tname(table).0, others.join("；")),
                    format!("{} row “{name}”: digits run together and split {ties} ways; chose {chosen} (others: {}) — verify against the original table", tname(table).1, others.join("; ")),
                )
            };
            self.doubt(rule, Severity::Warning, zh, en, keys);
        }
    }

    /// How far across the page a value is: the middle of its box when the reader placed it
    /// on a page, else its column in text laid out with spaces (`pdftotext -layout`).
    fn across(&self, p: &Piece, layout: bool) -> Option<f64> {
        let (start, _) = self.norm.byte_range(p.a, p.b);
        match (self.at)(start) {
            Some(Place::Page { x0, x1, .. }) => Some((x0 + x1) / 2.0),
            Some(Place::Cell { .. }) => None,
            None if layout => Some(self.norm.line_col(start).1 as f64),
            None => None,
        }
    }

    /// Per row and candidate, each printed value's column and how far across it is; None
    /// unless every value has a position (placed on a page, or text laid out with spaces).
    fn geometry(&self, reads: &[Option<RowRead>]) -> Option<Geometry> {
        let layout = self.laid_out(reads);
        let mut placed = true;
        let at = reads
            .iter()
            .map(|r| {
                let Some(r) = r else { return Some(Vec::new()) };
                r.cands
                    .iter()
                    .map(|c| {
                        c.iter()
                            .enumerate()
                            .filter(|(_, p)| p.plain().is_some())
                            .map(|(i, p)| {
                                let (start, _) = self.norm.byte_range(p.a, p.b);
                                placed &= (self.at)(start).is_some();
                                Some((i, self.across(p, layout)?))
                            })
                            .collect::<Option<Vec<_>>>()
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Geometry { at, even: placed })
    }

    /// Text whose rows set their values apart with runs of spaces, some wide: columns of
    /// characters stand for places across the page (roughly: `pdftotext -layout` packs
    /// each block of lines on its own, so columns are not evenly spaced).
    fn laid_out(&self, reads: &[Option<RowRead>]) -> bool {
        let mut wide = false;
        for r in reads.iter().flatten() {
            let nums: Vec<&Piece> = r.cands[0].iter().filter(|p| p.plain().is_some()).collect();
            for w in nums.windows(2) {
                let (_, end) = self.norm.byte_range(w[0].a, w[0].b);
                let (start, _) = self.norm.byte_range(w[1].a, w[1].b);
                let gap = self.norm.src.get(end..start).unwrap_or("");
                if gap.is_empty() || !gap.chars().all(|c| c == ' ') {
                    return false;
                }
                wide |= gap.len() >= 3;
            }
        }
        wide
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
            "extract.row_missing",
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
                        "extract.duplicate_label",
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

fn no_soft(_: &[Option<f64>]) -> usize {
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
        let pick = prior(&read.cands, spec.cols, &|v| t2_row_score(key, v));
        let alts: Vec<usize> = (0..read.cands.len()).collect();
        w.row("二", spec, &read, pick, &alts, hint);
        let money_unstated = spec.cols.iter().position(|c| c.1 == ColKind::Money).is_some_and(|m| {
            matches!(&read.cands[pick][m].kind, PieceKind::Num { unit: Unit::None, digits, .. } if digits.trim_start_matches('0') != "")
        });
        if money_unstated && hint == Unit::None && w.r.template == nianbao_model::Template::Y2019 {
            let key = spec.cell_key(spec.cols.len() - 1);
            w.doubt(
                "extract.unit_unknown",
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
    let ps = pairs(items, false);
    let (assigned, _) = align(&rows, &ps);
    if assigned.iter().all(Option::is_none) {
        return;
    }
    w.r.tables.push("三".into());
    let reads: Vec<Option<RowRead>> = assigned
        .iter()
        .map(|a| a.map(|i| read_row(ps[i].run, 7, &t3_row_score)))
        .collect();
    let geometry = w.geometry(&reads);
    let (picks, alts) = resolve_t3(&reads, &rows, geometry.as_ref());
    for (k, spec) in rows.iter().enumerate() {
        if let Some(read) = &reads[k] {
            w.row("三", spec, read, picks[k], &alts[k], Unit::None);
        }
    }
    w.flush("三", 7);
    w.missing_rows("三", &rows, &assigned);
    w.duplicates("三", &rows, &assigned, &ps);
}

/// Chooses one candidate per row of table 三 so that the most column identities hold
/// (一+二 = 总计+四 and 总计 = the sum of the outcome rows, per column).
/// Where a table's printed values are across the page.
struct Geometry {
    /// Per row, per candidate: (column, position across) of each printed value.
    at: Vec<Vec<Vec<(usize, f64)>>>,
    /// Positions measured on the page (not columns of characters), so columns between
    /// two used ones can be expected evenly spaced between them.
    even: bool,
}

/// How far the values are from standing in columns when each row takes its pick: for each
/// column, the distance between the leftmost and rightmost value placed in it, plus (with
/// positions measured on the page) for a column with used columns on both sides, how far
/// its values are from where those columns put it, evenly spaced between them. Shifting
/// every value of a column to another column costs nothing: the identities and the row's
/// own preference settle that.
fn scatter(geometry: &Geometry, pick: &[usize]) -> f64 {
    // Per column: (leftmost, rightmost, sum, count).
    let mut cols = [(f64::MAX, f64::MIN, 0.0, 0usize); 7];
    for (row, &p) in geometry.at.iter().zip(pick) {
        for &(c, x) in row.get(p).into_iter().flatten() {
            if let Some(s) = cols.get_mut(c) {
                *s = (s.0.min(x), s.1.max(x), s.2 + x, s.3 + 1);
            }
        }
    }
    let used: Vec<(f64, f64)> = (0..7)
        .filter(|&c| cols[c].3 > 0)
        .map(|c| (c as f64, cols[c].2 / cols[c].3 as f64))
        .collect();
    let spread: f64 = cols.iter().filter(|s| s.3 > 0).map(|s| s.1 - s.0).sum();
    if !geometry.even {
        return spread;
    }
    let off: f64 = used
        .windows(3)
        .zip((0..7).filter(|&c| cols[c].3 > 0).skip(1))
        .map(|(w, c)| {
            let between = w[0].1 + (w[1].0 - w[0].0) / (w[2].0 - w[0].0) * (w[2].1 - w[0].1);
            (w[1].1 - between).abs() * cols[c].3 as f64
        })
        .sum();
    spread + off
}

/// Returns the pick per row and the options that make as many identities hold (the pick
/// among them). Among those, the values placed where they stand on the page (the columns
/// least scattered), when the reader gave positions; then the reading closest to each
/// row's own preference.
fn resolve_t3(
    reads: &[Option<RowRead>],
    rows: &[&RowSpec],
    geometry: Option<&Geometry>,
) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = reads.len();
    let priors: Vec<usize> = reads
        .iter()
        .zip(rows)
        .map(|(r, s)| r.as_ref().map_or(0, |r| prior(&r.cands, s.cols, &no_soft)))
        .collect();
    let ambiguous: Vec<usize> = (0..n)
        .filter(|&k| reads[k].as_ref().is_some_and(|r| r.cands.len() > 1))
        .collect();
    if ambiguous.is_empty() {
        let alts = priors.iter().map(|&p| vec![p]).collect();
        return (priors, alts);
    }
    // Candidate values once, blanks as 0.
    let vals: Vec<Vec<Vec<f64>>> = reads
        .iter()
        .map(|r| match r {
            Some(r) => r
                .cands
                .iter()
                .map(|c| values(c).into_iter().map(|x| x.unwrap_or(0.0)).collect())
                .collect(),
            None => vec![vec![0.0; 7]],
        })
        .collect();
    let score = |pick: &[usize]| -> usize {
        let v = |k: usize, c: usize| vals[k][pick[k].min(vals[k].len() - 1)][c];
        (0..7)
            .map(|c| {
                let balance = (v(0, c) + v(1, c) - v(n - 2, c) - v(n - 1, c)).abs() < 1e-9;
                let outcomes: f64 = (2..n - 2).map(|k| v(k, c)).sum();
                usize::from(balance) + usize::from((outcomes - v(n - 2, c)).abs() < 1e-9)
            })
            .sum()
    };
    let sizes: Vec<usize> = ambiguous
        .iter()
        .map(|&k| reads[k].as_ref().map_or(1, |r| r.cands.len()))
        .collect();
    let product = sizes
        .iter()
        .try_fold(1usize, |acc, &s| acc.checked_mul(s))
        .unwrap_or(usize::MAX);
    let distance = |p: &[usize]| p.iter().zip(&priors).filter(|(a, b)| a != b).count();
    let scatter = |p: &[usize]| geometry.map_or(0.0, |g| scatter(g, p));
    let mut pick = priors.clone();
    let mut best_score = score(&pick);
    // Among the best combinations: the one closest to the priors, and per row the options seen
    // (a row is settled when only one option occurs).
    let mut chosen = pick.clone();
    let mut options: Vec<std::collections::BTreeSet<usize>> =
        pick.iter().map(|&p| std::iter::once(p).collect()).collect();
    if product <= 50_000 {
        let mut odo = vec![0usize; ambiguous.len()];
        loop {
            for (j, &k) in ambiguous.iter().enumerate() {
                pick[k] = odo[j];
            }
            let s = score(&pick);
            if s > best_score {
                best_score = s;
                chosen = pick.clone();
                options = pick.iter().map(|&p| std::iter::once(p).collect()).collect();
            } else if s == best_score {
                if (scatter(&pick), distance(&pick)) < (scatter(&chosen), distance(&chosen)) {
                    chosen = pick.clone();
                }
                for (o, &p) in options.iter_mut().zip(&pick) {
                    o.insert(p);
                }
            }
            let mut j = 0;
            while j < odo.len() {
                odo[j] += 1;
                if odo[j] < sizes[j] {
                    break;
                }
                odo[j] = 0;
                j += 1;
            }
            if j == odo.len() {
                break;
            }
        }
    } else {
        // Too many combinations to try them all: from the priors, change one row (then two
        // rows together) at a time to the options that make the most identities hold with
        // the columns least scattered, until no change helps. Two rows: a value that can go
        // in either of two columns, and another that must then go in the other.
        let m = ambiguous.len();
        let pair_work: usize = (0..m)
            .flat_map(|i| (i + 1..m).map(move |j| (i, j)))
            .map(|(i, j)| sizes[i] * sizes[j])
            .sum();
        let pairs = pair_work <= 200_000;
        let better =
            |a: (usize, f64), b: (usize, f64)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1 - 1e-6);
        let mut now = (score(&pick), scatter(&pick));
        for _ in 0..20 {
            let mut moved = false;
            for j in 0..m {
                let k = ambiguous[j];
                for o in 0..sizes[j] {
                    let keep = pick[k];
                    pick[k] = o;
                    let e = (score(&pick), scatter(&pick));
                    if better(e, now) {
                        now = e;
                        moved = true;
                    } else {
                        pick[k] = keep;
                    }
                }
            }
            if !moved && pairs {
                for i in 0..m {
                    for j in i + 1..m {
                        let (ki, kj) = (ambiguous[i], ambiguous[j]);
                        for oi in 0..sizes[i] {
                            for oj in 0..sizes[j] {
                                let keep = (pick[ki], pick[kj]);
                                (pick[ki], pick[kj]) = (oi, oj);
                                let e = (score(&pick), scatter(&pick));
                                if better(e, now) {
                                    now = e;
                                    moved = true;
                                } else {
                                    (pick[ki], pick[kj]) = keep;
                                }
                            }
                        }
                    }
                }
            }
            if !moved {
                break;
            }
        }
        best_score = now.0;
        chosen = pick.clone();
        // A row is settled when no other option of its own (or with one other row's) keeps
        // the identities.
        for j in 0..m {
            let k = ambiguous[j];
            for o in 0..sizes[j] {
                pick[k] = o;
                if score(&pick) == best_score {
                    options[k].insert(o);
                }
                if pairs {
                    for i in (0..m).filter(|&i| i != j) {
                        let ki = ambiguous[i];
                        for oi in (0..sizes[i]).filter(|&oi| oi != chosen[ki]) {
                            pick[ki] = oi;
                            if score(&pick) == best_score && o != chosen[k] {
                                options[k].insert(o);
                                options[ki].insert(oi);
                            }
                        }
                        pick[ki] = chosen[ki];
                    }
                }
            }
            pick[k] = chosen[k];
        }
    }
    let alts = options
        .into_iter()
        .map(|o| o.into_iter().collect())
        .collect();
    (chosen, alts)
}

pub fn t4(w: &mut Writer, items: &[Item]) {
    let Some(run) = items
        .iter()
        .find_map(|it| if let Item::Run(r) = it { Some(r) } else { None })
    else {
        return;
    };
    w.r.tables.push("四".into());
    let read = read_row(run, 15, &t4_row_score);
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
                "extract.extra_values"
            } else {
                "extract.missing_values"
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
            "extract.ambiguous_split",
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
                "extract.extra_values",
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
