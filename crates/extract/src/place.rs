//! Which columns a row's values stand in when the row printed fewer values than it has
//! columns (a blank cell printed as nothing): the table's columns are measured where its full
//! rows put their values, and each value goes to the column it stands under.
//!
//! Positions come from the page (PDF, OFD and scans place every value) or, for text laid out
//! with spaces, from the character columns — counted both as characters and as display width
//! (a CJK character two wide), the measure in which the full rows line up better winning.

use crate::atoms::Atom;
use crate::lines::{Kind, Line};
use crate::norm::Norm;
use nianbao_model::Place;

/// A value's position across the page in each measure: (page or display, characters).
type Across = (f64, f64);

/// Where values stand across a table.
pub struct Geometry<'a> {
    norm: &'a Norm<'a>,
    lines: &'a [Line],
    at: &'a dyn Fn(usize) -> Option<Place>,
    /// Per line asked about: the display and character column where each char starts.
    columns: std::cell::RefCell<std::collections::HashMap<usize, Vec<(f64, f64)>>>,
}

/// A table's columns: where each stands, in the measure chosen.
pub struct Columns {
    centers: Vec<f64>,
    chars: bool,
}

impl<'a> Geometry<'a> {
    pub fn new(
        norm: &'a Norm<'a>,
        lines: &'a [Line],
        at: &'a dyn Fn(usize) -> Option<Place>,
    ) -> Geometry<'a> {
        Geometry {
            norm,
            lines,
            at,
            columns: Default::default(),
        }
    }

    /// Where a value atom stands, when known.
    pub fn across(&self, a: &Atom) -> Option<Across> {
        let (start, _) = self
            .norm
            .byte_range(a.a, a.b.max(a.a + 1).min(self.norm.chars.len()));
        if let Some(Place::Page { x0, x1, .. }) = (self.at)(start) {
            let x = (x0 + x1) / 2.0;
            return Some((x, x));
        }
        let line = self.lines.get(a.line)?;
        if line.kind != Kind::Spaced || a.a < line.a || a.b > line.b {
            return None;
        }
        let mut cache = self.columns.borrow_mut();
        let cols = cache.entry(a.line).or_insert_with(|| {
            let mut at = Vec::with_capacity(line.b - line.a + 1);
            let (mut wide, mut chars) = (0.0, 0.0);
            for k in line.a..line.b {
                at.push((wide, chars));
                wide += crate::lines::width(self.norm, k);
                chars += 1.0;
            }
            at.push((wide, chars));
            at
        });
        let (wa, ca) = cols[a.a - line.a];
        let (wb, cb) = cols[a.b - line.a];
        Some(((wa + wb) / 2.0, (ca + cb) / 2.0))
    }

    /// The columns of `k` values, measured on the rows given as full (every value placed).
    pub fn columns(&self, full: &[Vec<Across>], k: usize) -> Option<Columns> {
        let full: Vec<&Vec<Across>> = full.iter().filter(|r| r.len() == k).collect();
        if full.is_empty() || k < 2 {
            return None;
        }
        let fit = |pick: fn(&Across) -> f64| -> (Vec<f64>, f64) {
            let centers: Vec<f64> = (0..k)
                .map(|c| median(full.iter().map(|r| pick(&r[c])).collect()))
                .collect();
            let spread: f64 = full
                .iter()
                .flat_map(|r| r.iter().zip(&centers).map(|(x, c)| (pick(x) - c).abs()))
                .sum::<f64>()
                / (full.len() * k) as f64;
            (centers, spread)
        };
        let (wide, ws) = fit(|x| x.0);
        let (chars, cs) = fit(|x| x.1);
        let (centers, chars, spread) = if cs < ws {
            (chars, true, cs)
        } else {
            (wide, false, ws)
        };
        // Columns, when the full rows put their values in them: a value strays from its
        // column by far less than the columns stand apart.
        let gap = centers
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
        (gap > 0.0 && spread <= gap / 5.0).then_some(Columns { centers, chars })
    }
}

impl Geometry<'_> {
    /// The columns of a table whose heads are printed one cell each on a line (`结果维持 结果纠正
    /// …`), in the measure in which `values` stand nearest to a head: for a table too sparse
    /// to measure its columns from full rows. `None` when a position is unknown, the heads
    /// are not left to right, or a value stands between two heads rather than under one.
    pub fn head_columns(&self, heads: &[&Atom], values: &[&Atom]) -> Option<Columns> {
        let hs: Vec<Across> = heads
            .iter()
            .map(|a| self.across(a))
            .collect::<Option<_>>()?;
        let vs: Vec<Across> = values
            .iter()
            .map(|a| self.across(a))
            .collect::<Option<_>>()?;
        let fit = |pick: fn(&Across) -> f64| -> (Vec<f64>, f64) {
            let centers: Vec<f64> = hs.iter().map(pick).collect();
            let miss = vs
                .iter()
                .map(|v| {
                    centers
                        .iter()
                        .map(|c| (pick(v) - c).abs())
                        .fold(f64::INFINITY, f64::min)
                })
                .fold(0.0, f64::max);
            (centers, miss)
        };
        let (wide, wide_miss) = fit(|x| x.0);
        let (chars, chars_miss) = fit(|x| x.1);
        let (centers, chars, miss) = if chars_miss < wide_miss {
            (chars, true, chars_miss)
        } else {
            (wide, false, wide_miss)
        };
        let gap = centers
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
        (gap > 0.0 && miss <= gap / 3.0).then_some(Columns { centers, chars })
    }
}

impl Columns {
    /// The placements of values standing at `xs` (in printed order) into the columns, the
    /// nearest first: every one within a quarter of the narrowest column gap of the best.
    pub fn place(&self, xs: &[Across]) -> Vec<Vec<usize>> {
        let k = self.centers.len();
        let n = xs.len();
        if n == 0 || n > k {
            return Vec::new();
        }
        let x: Vec<f64> = xs
            .iter()
            .map(|a| if self.chars { a.1 } else { a.0 })
            .collect();
        let gap = self
            .centers
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
        let mut all: Vec<(f64, Vec<usize>)> = Vec::new();
        crate::split::choose(k, n, 0, &mut Vec::new(), &mut |cols| {
            let cost: f64 = cols
                .iter()
                .zip(&x)
                .map(|(&c, x)| (x - self.centers[c]).abs())
                .sum();
            all.push((cost, cols.to_vec()));
        });
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        let best = all.first().map_or(0.0, |b| b.0);
        all.into_iter()
            .take_while(|(c, _)| *c <= best + gap / 4.0)
            .map(|(_, p)| p)
            .collect()
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_row_goes_under_its_columns() {
        let cols = Columns {
            centers: vec![10.0, 20.0, 30.0, 40.0],
            chars: false,
        };
        let at = |v: &[f64]| v.iter().map(|&x| (x, x)).collect::<Vec<_>>();
        assert_eq!(cols.place(&at(&[11.0, 29.0, 41.0])), [vec![0, 2, 3]]);
        assert_eq!(cols.place(&at(&[19.0])), [vec![1]]);
        // Halfway between two columns: both.
        assert_eq!(cols.place(&at(&[25.0])).len(), 2);
    }
}
