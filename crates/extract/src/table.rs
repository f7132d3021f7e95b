//! Reading one table: align label segments to the template's rows, then read each row's
//! run of values into cells, using the template identities to settle split digits.

use crate::labels::{canon, strip_unit, suffix_score_with, tail_set};
use crate::spec::RowSpec;
use crate::split::{drops, splits, Piece};
use crate::tokens::{Chunk, Item, Seg};
use nianbao_model::ValueKind;

/// A run of values with the label text before it.
pub struct Pair<'i> {
    pub label: Vec<char>,
    /// The label without its last line when that line is a short fragment: in text laid
    /// out in columns, a group label's piece (`无法提`) sits on the line of the values.
    pub alt: Option<Vec<char>>,
    pub raw_label: String,
    pub unit: Option<String>,
    pub run: &'i [Chunk],
}

/// Pairs every run of a region with the segment before it.
pub fn pairs<'i>(items: &'i [Item], chars: &[char], legacy: bool) -> Vec<Pair<'i>> {
    let mut out = Vec::new();
    let mut seg: Option<&Seg> = None;
    for item in items {
        match item {
            Item::Seg(s) => seg = Some(s),
            Item::Run(run) => {
                let (text, lines) = seg
                    .take()
                    .map_or_else(Default::default, |s| s.text_lines(chars));
                let (last_seg, lines) = if legacy {
                    (text.as_str(), lines)
                } else {
                    last_item(&text, &lines)
                };
                let c = canon(last_seg);
                let alt = if legacy {
                    None
                } else {
                    without_fragments(last_seg, &lines)
                };
                let (label, unit) = if legacy {
                    let (rest, unit) = strip_unit(&c);
                    (rest.to_string(), unit.map(str::to_string))
                } else {
                    (c, None)
                };
                out.push(Pair {
                    label: label.chars().collect(),
                    alt,
                    raw_label: last_seg.to_string(),
                    unit,
                    run,
                });
            }
        }
    }
    out
}

/// The label of a run whose segment holds several numbered items on lines of their own
/// (`2.申请人逾期未按收费通知…` / `3.其他`): the items before the last are rows whose
/// cells are all blank, so the run belongs to the last item alone.
fn last_item<'s>(text: &'s str, lines: &[usize]) -> (&'s str, Vec<usize>) {
    let starts: Vec<usize> = std::iter::once(0).chain(lines.iter().copied()).collect();
    let ends = lines.iter().copied().chain(std::iter::once(text.len()));
    let items: Vec<usize> = starts
        .iter()
        .zip(ends)
        .enumerate()
        .filter(|(_, (&a, b))| {
            let line = canon(&text[a..*b]);
            numbered(&line) && line.starts_with(|c: char| c.is_ascii_digit())
        })
        .map(|(k, _)| k)
        .collect();
    match items.as_slice() {
        [_, .., last] if *last > 0 => {
            let at = starts[*last];
            (&text[at..], lines[*last..].iter().map(|l| l - at).collect())
        }
        _ => (text, lines.to_vec()),
    }
}

/// A label spread over lines without its short unnumbered lines (at most four
/// characters): in text laid out in columns, pieces of a group label (`无法提`, `其他处`)
/// sit between the lines of a row's own label. A short numbered line (`3.其他`) is a label
/// of its own and stays. None when nothing would change.
fn without_fragments(text: &str, lines: &[usize]) -> Option<Vec<char>> {
    if lines.is_empty() {
        return None;
    }
    let bounds: Vec<usize> = std::iter::once(0)
        .chain(lines.iter().copied())
        .chain(std::iter::once(text.len()))
        .collect();
    let parts: Vec<String> = bounds
        .windows(2)
        .map(|w| canon(&text[w[0]..w[1]]))
        .collect();
    let kept: String = parts
        .iter()
        .filter(|p| p.chars().count() > 4 || numbered(p) && !group_number(p))
        .map(String::as_str)
        .collect();
    (!kept.is_empty() && kept.len() < parts.concat().len()).then(|| kept.chars().collect())
}

/// `(五)`, `(五)不`: a group label's number with at most a character of its text, the
/// piece of a group label that `-layout` text puts on a line of its own.
fn group_number(p: &str) -> bool {
    p.starts_with('(') && p.chars().count() <= 4
}

/// `(四)…`, `3.…`, `三…` after canonicalisation: the numbering of an item.
fn numbered(label: &str) -> bool {
    let c: Vec<char> = label.chars().take(3).collect();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    match c.as_slice() {
        ['(', n, ..] => numeral(*n),
        [d, '.', ..] => d.is_ascii_digit(),
        _ => false,
    }
}

/// Monotonic alignment of rows to pairs maximising the total label score.
/// Returns, per row, the index of its pair.
pub fn align(rows: &[&RowSpec], pairs: &[Pair]) -> (Vec<Option<usize>>, usize) {
    let (n, m) = (pairs.len(), rows.len());
    let alts: Vec<&[Vec<char>]> = rows.iter().map(|r| r.label_chars()).collect();
    let longest = alts
        .iter()
        .flat_map(|a| a.iter())
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    let score: Vec<Vec<Option<usize>>> = pairs
        .iter()
        .map(|p| {
            let tail = tail_set(&p.label, longest);
            let alt_tail = p.alt.as_ref().map(|l| (l, tail_set(l, longest)));
            alts.iter()
                .map(|a| {
                    let full = suffix_score_with(a, &p.label, tail);
                    // The label without a fragment of another column, scored just below
                    // an equal match of the whole label.
                    let cut = alt_tail
                        .and_then(|(l, t)| suffix_score_with(a, l, t))
                        .map(|s| s.saturating_sub(1));
                    full.max(cut)
                })
                .collect()
        })
        .collect();
    let mut dp = vec![vec![0usize; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            let mut best = dp[i - 1][j].max(dp[i][j - 1]);
            if let Some(s) = score[i - 1][j - 1] {
                best = best.max(dp[i - 1][j - 1] + s);
            }
            dp[i][j] = best;
        }
    }
    let mut out = vec![None; m];
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        if dp[i][j] == dp[i - 1][j] {
            i -= 1;
        } else if dp[i][j] == dp[i][j - 1] {
            j -= 1;
        } else {
            out[j - 1] = Some(i - 1);
            i -= 1;
            j -= 1;
        }
    }
    (out, dp[n][m])
}

/// How a row's run was read.
pub struct RowRead {
    pub cands: Vec<Vec<Piece>>,
    /// Chunks beyond the row's columns were dropped.
    pub extra: bool,
    /// Fewer values than columns and no way to split: cells left blank at the end.
    pub short: bool,
}

/// Reads every candidate way the run fills `cols` cells, keeping those with the best
/// row-level score (`row_score` counts identities that hold).
pub fn read_row(
    run: &[Chunk],
    cols: usize,
    row_score: &dyn Fn(&[Option<f64>]) -> usize,
) -> RowRead {
    read_row_split(run, cols, row_score, true)
}

/// [`read_row`], digits split into cells only when `split` (values printed in cells of their
/// own are whole numbers: a row short of values has blank cells instead).
pub fn read_row_split(
    run: &[Chunk],
    cols: usize,
    row_score: &dyn Fn(&[Option<f64>]) -> usize,
    split: bool,
) -> RowRead {
    let (mut cands, extra) = if run.len() > cols {
        (drops(run, cols), true)
    } else if split || run.len() == cols {
        (splits(run, cols, 20_000), false)
    } else {
        (Vec::new(), false)
    };
    let mut short = false;
    if cands.is_empty() {
        let pieces: Vec<Piece> = splits(run, run.len(), 1).pop().unwrap_or_default();
        cands = placements(&pieces, cols, row_score);
        short = true;
    }
    if cands.len() > 1 {
        keep_best(&mut cands, row_score);
        if extra {
            cands.truncate(1);
        }
    }
    RowRead {
        cands,
        extra,
        short,
    }
}

/// At most this many ways to place a short row's values are tried.
const MAX_PLACEMENTS: usize = 5_000;

/// The ways a row with fewer values than columns (blank cells printed as nothing, as in a
/// borderless table) can be laid out, values kept in printed order. When some placement makes
/// the row identity hold, every placement that does is a candidate (the table's column
/// identities choose among them), the likeliest first: all from the left or the row's total
/// last with the others from the left, whichever the row identity favours. When none does, only the values from the
/// left, as printed.
pub(crate) fn placements(
    pieces: &[Piece],
    cols: usize,
    row_score: &dyn Fn(&[Option<f64>]) -> usize,
) -> Vec<Vec<Piece>> {
    let end = pieces.last().map_or(0, |p| p.b);
    let blank = Piece {
        a: end,
        b: end,
        kind: crate::split::PieceKind::Null,
    };
    let lay = |at: &[usize]| -> Vec<Piece> {
        let mut row = vec![blank.clone(); cols];
        for (p, &i) in pieces.iter().zip(at) {
            row[i] = p.clone();
        }
        row
    };
    let k = pieces.len();
    let from_left: Vec<usize> = (0..k).collect();
    let mut likely = vec![lay(&from_left)];
    if (2..cols).contains(&k) {
        let mut total_last: Vec<usize> = (0..k - 1).collect();
        total_last.push(cols - 1);
        let total_last = lay(&total_last);
        if row_score(&values(&total_last)) > row_score(&values(&likely[0])) {
            likely.insert(0, total_last);
        } else {
            likely.push(total_last);
        }
    }
    let mut all = likely.clone();
    if (1..cols).contains(&k) && binomial(cols, k) <= MAX_PLACEMENTS {
        crate::split::choose(cols, k, 0, &mut Vec::new(), &mut |at| {
            let row = lay(at);
            if !likely.contains(&row) {
                all.push(row);
            }
        });
    }
    let scores: Vec<usize> = all.iter().map(|c| row_score(&values(c))).collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    if best == 0 {
        return vec![lay(&from_left)];
    }
    all.into_iter()
        .zip(scores)
        .filter(|(_, s)| *s == best)
        .map(|(c, _)| c)
        .collect()
}

fn binomial(n: usize, k: usize) -> usize {
    (0..k).fold(1usize, |acc, i| acc.saturating_mul(n - i) / (i + 1))
}

/// Keeps the readings the row's identities favour most (`score` counts those that hold), in
/// their order.
pub(crate) fn keep_best(cands: &mut Vec<Vec<Piece>>, score: &dyn Fn(&[Option<f64>]) -> usize) {
    let scores: Vec<usize> = cands.iter().map(|c| score(&values(c))).collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let mut k = 0;
    cands.retain(|_| {
        k += 1;
        scores[k - 1] == best
    });
}

pub fn values(pieces: &[Piece]) -> Vec<Option<f64>> {
    pieces.iter().map(Piece::plain).collect()
}

/// Among equally good candidates prefer the one the soft rules favour, then the simplest
/// reading: the smallest largest count, then the most zero cells. Split digits far more
/// often hide many small counts (and zeros) than one huge one.
pub fn prior(
    cands: &[Vec<Piece>],
    kinds: &[(&str, ValueKind)],
    soft: &dyn Fn(&[Option<f64>]) -> usize,
) -> usize {
    let key = |c: &Vec<Piece>| {
        let counts = c
            .iter()
            .zip(kinds)
            .filter(|(_, k)| k.1 != ValueKind::Money)
            .filter_map(|(p, _)| p.plain());
        let (max, zeros) = counts.fold((0.0f64, 0usize), |(m, z), v| {
            (m.max(v), z + usize::from(v == 0.0))
        });
        (soft(&values(c)), max, zeros)
    };
    (0..cands.len())
        .min_by(|&a, &b| {
            let (ka, kb) = (key(&cands[a]), key(&cands[b]));
            kb.0.cmp(&ka.0)
                .then(ka.1.total_cmp(&kb.1))
                .then(kb.2.cmp(&ka.2))
        })
        .unwrap_or(0)
}

/// Soft identities of table 二, used only to order readings the text cannot settle:
/// 现行有效件数 / 对外公开总数量 is usually at least each of the row's other counts. Real
/// reports break this now and then, which is why such readings are reported as doubts.
pub fn t2_row_score(key: &str, v: &[Option<f64>]) -> usize {
    match (key, v) {
        ("t2.regulation" | "t2.normative", [a, b, c]) => {
            let (a, b, c) = (a.unwrap_or(0.0), b.unwrap_or(0.0), c.unwrap_or(0.0));
            usize::from(c >= a) + usize::from(c >= b)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norm::Norm;
    use crate::spec::t3_rows;
    use crate::tokens::items;
    use nianbao_model::Template;

    #[test]
    fn alignment_skips_headers_and_finds_rows() {
        let text = "申请人情况\t自然人\t总计\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n三、本年度办理结果\t（一）予以公开\t1\t0\t0\t0\t0\t0\t1";
        let n = Norm::new(text);
        let it = items(&n);
        let p = pairs(&it, &n.chars, false);
        let rows = t3_rows(Template::Y2021);
        let (a, _) = align(&rows, &p);
        assert_eq!(&a[..4], &[Some(0), Some(1), Some(2), None]);
    }

    /// The run of values after a label, read into a row of table 三.
    fn t3_row(text: &str) -> RowRead {
        let n = Norm::new(text);
        let it = items(&n);
        let Item::Run(run) = &it[1] else { panic!() };
        read_row(run, 7, &|v| {
            crate::identity::row_score(&crate::identity::scoring(Template::Y2021).t3_row, 7, v)
        })
    }

    #[test]
    fn short_row_keeps_its_total_last_when_the_identity_says_so() {
        let r = t3_row("x 14 2 16");
        assert!(r.short);
        let v = values(&r.cands[0]);
        assert_eq!(v, [Some(14.), Some(2.), None, None, None, None, Some(16.)]);
        // Without the identity, left-aligned as printed.
        let v = values(&t3_row("x 14 2 15").cands[0]);
        assert_eq!(v, [Some(14.), Some(2.), Some(15.), None, None, None, None]);
    }

    #[test]
    fn a_short_row_may_stand_in_any_columns_the_row_identity_allows() {
        let r = t3_row("x 1 1 2");
        assert!(r.short);
        // The second 1 in any of columns 1–5 and the 2 as total: 5 ways (the first 1 in
        // column 0 .. 4 with the second after it: 5 + 4 + 3 + 2 + 1 = 15).
        assert_eq!(r.cands.len(), 15);
        assert_eq!(
            values(&r.cands[0]),
            [Some(1.), Some(1.), None, None, None, None, Some(2.)]
        );
        assert!(r.cands.iter().all(|c| c[6].plain() == Some(2.)));
        // No placement makes the identity hold: the values as printed, from the left.
        let r = t3_row("x 1 1 5");
        assert_eq!(r.cands.len(), 1);
        assert_eq!(
            values(&r.cands[0]),
            [Some(1.), Some(1.), Some(5.), None, None, None, None]
        );
    }

    #[test]
    fn row_identity_settles_split() {
        let r = t3_row("x 1400000 14");
        assert_eq!(r.cands.len(), 1);
        assert_eq!(
            values(&r.cands[0]),
            [14., 0., 0., 0., 0., 0., 14.].map(Some)
        );
    }
}
