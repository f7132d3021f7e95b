//! Turning a run of value chunks into exactly the cells of a row.
//!
//! When a run has fewer chunks than the row has columns, cells were run together
//! (`1400000` for six cells) and the digits must be split; every split that respects
//! "no leading zeros" is a candidate, and the caller keeps those that satisfy the
//! template identities. When a run has more chunks than columns, the caller chooses
//! which to drop the same way.

use crate::tokens::{Chunk, ChunkKind, Sign, Unit};

/// One cell's worth of a run, at normalised chars `a..b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub a: usize,
    pub b: usize,
    pub kind: PieceKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PieceKind {
    Null,
    Num {
        sign: Sign,
        digits: String,
        frac: String,
        unit: Unit,
    },
}

impl Piece {
    /// The plain number, ignoring units (used to score candidates).
    pub fn plain(&self) -> Option<f64> {
        match &self.kind {
            PieceKind::Null => None,
            PieceKind::Num {
                sign, digits, frac, ..
            } => {
                let s = if frac.is_empty() {
                    digits.clone()
                } else {
                    format!("{digits}.{frac}")
                };
                let v: f64 = s.parse().ok()?;
                Some(if *sign == Sign::Minus { -v } else { v })
            }
        }
    }

    pub fn text(&self) -> String {
        match &self.kind {
            PieceKind::Null => "—".into(),
            PieceKind::Num {
                sign, digits, frac, ..
            } => {
                let s = if *sign == Sign::Minus { "-" } else { "" };
                if frac.is_empty() {
                    format!("{s}{digits}")
                } else {
                    format!("{s}{digits}.{frac}")
                }
            }
        }
    }
}

pub(crate) fn whole(c: &Chunk) -> Piece {
    let kind = match &c.kind {
        ChunkKind::Placeholder => PieceKind::Null,
        ChunkKind::Number(n) => PieceKind::Num {
            sign: n.sign,
            digits: n.digits.clone(),
            frac: n.frac.clone(),
            unit: n.unit,
        },
    };
    Piece {
        a: c.a,
        b: c.b,
        kind,
    }
}

/// Longest digit run that is split into cells; longer ones are not a table row.
const MAX_SPLIT_DIGITS: usize = 64;
/// Steps the enumeration may take, so hostile runs of digits stay cheap.
const BUDGET: usize = 200_000;

/// All ways to read `run` as exactly `n` cells by splitting digit runs, up to `limit`.
pub fn splits(run: &[Chunk], n: usize, limit: usize) -> Vec<Vec<Piece>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    let extra = n.saturating_sub(run.len());
    let too_long = run
        .iter()
        .any(|c| matches!(&c.kind, ChunkKind::Number(t) if t.digits.len() > MAX_SPLIT_DIGITS));
    if extra > 0 && too_long {
        return out;
    }
    let mut budget = BUDGET;
    rec(run, extra, &mut cur, &mut out, limit, &mut budget);
    out
}

fn rec(
    run: &[Chunk],
    extra: usize,
    cur: &mut Vec<Piece>,
    out: &mut Vec<Vec<Piece>>,
    limit: usize,
    budget: &mut usize,
) {
    if out.len() >= limit || *budget == 0 {
        return;
    }
    *budget -= 1;
    crate::work::add(1);
    let Some((first, rest)) = run.split_first() else {
        if extra == 0 {
            out.push(cur.clone());
        }
        return;
    };
    let max_parts = match &first.kind {
        ChunkKind::Number(t) => t.digits.len(),
        ChunkKind::Placeholder => 1,
    };
    for parts in 1..=max_parts.min(extra + 1) {
        let len_before = cur.len();
        if parts == 1 {
            cur.push(whole(first));
            rec(rest, extra, cur, out, limit, budget);
        } else {
            let mut pieces = Vec::new();
            let mut steps = 0usize;
            cut(first, parts, 0, &mut pieces, &mut steps, &mut |pieces| {
                cur.extend(pieces.iter().cloned());
                rec(rest, extra - (parts - 1), cur, out, limit, budget);
                cur.truncate(len_before);
            });
            *budget = budget.saturating_sub(steps);
        }
        cur.truncate(len_before);
    }
}

/// Enumerates cuts of a number chunk's digits into `parts` pieces without leading zeros.
fn cut(
    c: &Chunk,
    parts: usize,
    from: usize,
    acc: &mut Vec<Piece>,
    steps: &mut usize,
    emit: &mut dyn FnMut(&[Piece]),
) {
    let ChunkKind::Number(t) = &c.kind else {
        return;
    };
    *steps += 1;
    if *steps > BUDGET {
        return;
    }
    let len = t.digits.len();
    let remaining = parts - acc.len();
    if remaining == 1 {
        if leading_zero(&t.digits[from..]) {
            return;
        }
        let a = if from == 0 { c.a } else { t.digit_pos[from] };
        acc.push(Piece {
            a,
            b: c.b,
            kind: PieceKind::Num {
                sign: if from == 0 { t.sign } else { Sign::None },
                digits: t.digits[from..].to_string(),
                frac: t.frac.clone(),
                unit: t.unit,
            },
        });
        emit(acc);
        acc.pop();
        return;
    }
    for end in from + 1..=len - (remaining - 1) {
        let d = &t.digits[from..end];
        if leading_zero(d) {
            continue;
        }
        let a = if from == 0 { c.a } else { t.digit_pos[from] };
        acc.push(Piece {
            a,
            b: t.digit_pos[end - 1] + 1,
            kind: PieceKind::Num {
                sign: if from == 0 { t.sign } else { Sign::None },
                digits: d.to_string(),
                frac: String::new(),
                unit: Unit::None,
            },
        });
        cut(c, parts, end, acc, steps, emit);
        acc.pop();
    }
}

fn leading_zero(d: &str) -> bool {
    d.len() > 1 && d.starts_with('0')
}

/// Ways to keep exactly `n` of the run's chunks (dropping at most 3): those dropping dashes
/// first (a dash or slash is weaker evidence of a cell than a number), then leading drops.
pub fn drops(run: &[Chunk], n: usize) -> Vec<Vec<Piece>> {
    let extra = run.len().saturating_sub(n);
    if extra == 0 || extra > 3 {
        return vec![run.iter().take(n).map(whole).collect()];
    }
    let mut out: Vec<(usize, Vec<Piece>)> = Vec::new();
    let mut dropped = Vec::new();
    choose(run.len(), extra, 0, &mut dropped, &mut |d| {
        let dashes = d
            .iter()
            .filter(|&&i| matches!(run[i].kind, ChunkKind::Placeholder))
            .count();
        out.push((
            dashes,
            run.iter()
                .enumerate()
                .filter(|(i, _)| !d.contains(i))
                .map(|(_, c)| whole(c))
                .collect(),
        ));
    });
    out.sort_by_key(|(dashes, _)| std::cmp::Reverse(*dashes));
    out.into_iter().map(|(_, c)| c).collect()
}

/// Every way to choose `k` of `0..len` in increasing order, from `from` on.
pub(crate) fn choose(
    len: usize,
    k: usize,
    from: usize,
    acc: &mut Vec<usize>,
    emit: &mut dyn FnMut(&[usize]),
) {
    if acc.len() == k {
        emit(acc);
        return;
    }
    for i in from..len {
        acc.push(i);
        choose(len, k, i + 1, acc, emit);
        acc.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norm::Norm;
    use crate::tokens::{items, Item};

    fn run(s: &str) -> Vec<Chunk> {
        let n = Norm::new(s);
        items(&n)
            .into_iter()
            .find_map(|i| if let Item::Run(r) = i { Some(r) } else { None })
            .unwrap()
    }

    fn show(c: &[Vec<Piece>]) -> Vec<String> {
        c.iter()
            .map(|p| p.iter().map(Piece::text).collect::<Vec<_>>().join("|"))
            .collect()
    }

    #[test]
    fn a_dash_is_dropped_before_a_number() {
        // `2.重复申请0 — 0 0 0 0 0 0`: eight chunks for seven cells; the dash goes.
        let got = show(&drops(&run("x 0 — 0 0 0 0 0 0"), 7));
        assert_eq!(got[0], "0|0|0|0|0|0|0");
        // Without a dash, the leading chunk goes first.
        assert_eq!(show(&drops(&run("x 9 1 2"), 2))[0], "1|2");
    }

    #[test]
    fn exact_count_is_one_candidate() {
        assert_eq!(show(&splits(&run("x 1 2 3"), 3, 100)), ["1|2|3"]);
    }

    #[test]
    fn digits_split_without_leading_zeros() {
        assert_eq!(
            show(&splits(&run("x 5615"), 3, 100)),
            ["5|6|15", "5|61|5", "56|1|5"]
        );
        assert_eq!(show(&splits(&run("x 0000000"), 7, 100)), ["0|0|0|0|0|0|0"]);
        let c = splits(&run("x 1400000 14"), 7, 100);
        assert!(show(&c).contains(&"14|0|0|0|0|0|14".to_string()));
        assert!(c.iter().all(|p| p.len() == 7));
    }

    #[test]
    fn money_unit_stays_on_last_piece() {
        let c = splits(&run("x 3147230元"), 2, 100);
        assert_eq!(show(&c)[0], "3|147230");
        match &c[0][1].kind {
            PieceKind::Num { unit, .. } => assert_eq!(*unit, Unit::Yuan),
            _ => panic!(),
        }
    }

    #[test]
    fn hostile_digit_runs_stay_cheap() {
        let long = format!("x 1{}1", "0".repeat(60));
        let t = std::time::Instant::now();
        let c = splits(&run(&long), 15, 20_000);
        assert!(c.len() <= 20_000);
        assert!(splits(&run(&format!("x {}", "1".repeat(70))), 7, 100).is_empty());
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn drop_candidates() {
        assert_eq!(show(&drops(&run("x 1 2 3"), 2)), ["2|3", "1|3", "1|2"]);
    }
}
