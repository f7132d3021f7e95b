//! Table 三's readings chosen together: the column identities across rows pick each row's
//! candidate (splits of run-together digits, placements of short rows), and where they cannot
//! tell readings apart, the values' places on the page do.

use crate::identity::{holding, Sums};
use crate::norm::Norm;
use crate::spec::RowSpec;
use crate::split::Piece;
use crate::table::{prior, values, RowRead};
use crate::tables::no_soft;
use nianbao_model::Place;

/// How far across the page a value is: the middle of its box when the reader placed it
/// on a page, else its column in text laid out with spaces (`pdftotext -layout`).
fn across(
    norm: &Norm,
    at: &dyn Fn(usize) -> Option<Place>,
    p: &Piece,
    layout: bool,
) -> Option<f64> {
    let (start, _) = norm.byte_range(p.a, p.b);
    match (at)(start) {
        Some(Place::Page { x0, x1, .. }) => Some((x0 + x1) / 2.0),
        Some(Place::Cell { .. }) => None,
        None if layout => Some(norm.line_col(start).1 as f64),
        None => None,
    }
}

/// Per row and candidate, each printed value's column and how far across it is; None
/// unless every value has a position (placed on a page, or text laid out with spaces).
pub fn geometry(
    norm: &Norm,
    at: &dyn Fn(usize) -> Option<Place>,
    reads: &[Option<RowRead>],
) -> Option<Geometry> {
    let layout = laid_out(norm, reads);
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
                            let (start, _) = norm.byte_range(p.a, p.b);
                            placed &= (at)(start).is_some();
                            Some((i, across(norm, at, p, layout)?))
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
fn laid_out(norm: &Norm, reads: &[Option<RowRead>]) -> bool {
    let mut wide = false;
    for r in reads.iter().flatten() {
        let nums: Vec<&Piece> = r.cands[0].iter().filter(|p| p.plain().is_some()).collect();
        for w in nums.windows(2) {
            let (_, end) = norm.byte_range(w[0].a, w[0].b);
            let (start, _) = norm.byte_range(w[1].a, w[1].b);
            let gap = norm.src.get(end..start).unwrap_or("");
            if gap.is_empty() || !gap.chars().all(|c| c == ' ') {
                return false;
            }
            wide |= gap.len() >= 3;
        }
    }
    wide
}

/// Where a table's printed values are across the page.
pub struct Geometry {
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

/// Chooses one candidate per row of table 三 so that the most column identities hold
/// (一+二 = 总计+四 and 总计 = the sum of the outcome rows, per column).
/// Returns the pick per row and the options that make as many identities hold (the pick
/// among them). Among those, the values placed where they stand on the page (the columns
/// least scattered), when the reader gave positions; then the reading closest to each
/// row's own preference.
pub fn resolve_t3(
    reads: &[Option<RowRead>],
    rows: &[&RowSpec],
    columns: &[Sums],
    geometry: Option<&Geometry>,
) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = reads.len();
    let priors: Vec<usize> = reads
        .iter()
        .zip(rows)
        .map(|(r, s)| r.as_ref().map_or(0, |r| prior(&r.cands, &s.cols, &no_soft)))
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
        crate::work::add(1);
        holding(columns, |k, c| vals[k][pick[k].min(vals[k].len() - 1)][c])
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
