//! Which values belong to which row: one dynamic programme over a table's rows and its stream
//! of values.
//!
//! Rows keep their order and so do their values; every row takes one stretch of the stream
//! or none, and a value no row takes is passed over. A stretch costs what it takes to believe
//! it: values beyond or short of the row's columns, a cut through a line of cells, values far
//! from their row's label (another row's label between them) or without a label found, a
//! number from a sentence, an identity of the row that fails. A row without values and a
//! value passed over cost too. The cheapest explanation of the whole table wins, so no cue —
//! a header, a line break, a label — is needed; each only makes an explanation cheaper.

use crate::anchor::Anchor;
use crate::atoms::{Atom, What};
use crate::lines::Line;
use crate::tokens::ChunkKind;
use std::ops::Range;

/// What a row needs: its columns, an identity check on a full reading, where its label is.
pub struct Need<'a> {
    pub cols: usize,
    pub anchor: Option<Anchor>,
    /// How many of the row's own identities fail for values read in column order (blanks
    /// as 0), and how many there are; `None` when it has none.
    pub check: Option<&'a dyn Fn(&[Option<f64>]) -> (usize, usize)>,
}

/// The slots (values and blanks) of a table's atoms and how they group.
pub struct Stream {
    /// Atom index of each slot, in order.
    pub slots: Vec<usize>,
    /// Group of each slot: values set apart by label text or by a line of several cells.
    group: Vec<usize>,
    /// A group whose lines hold one cell each (one cell per line, or a run of values in one
    /// cell): it may be cut anywhere.
    soft: Vec<bool>,
    /// Label text lies between group `g - 1` and group `g`.
    words_before: Vec<bool>,
}

impl Stream {
    pub fn of(atoms: &[Atom], lines: &[Line]) -> Stream {
        // A line of several cells (two with text, or an empty one after text) keeps its
        // values to itself; a line of one cell (empty cells before it are indentation) is one
        // value of a column of them.
        let multi = |l: usize| {
            let cells = &lines[l].cells;
            let first = cells.iter().position(|c| !c.is_empty());
            first.is_some_and(|f| cells.len() > f + 1)
        };
        let mut slots = Vec::new();
        let mut group = Vec::new();
        let mut soft: Vec<bool> = Vec::new();
        let mut words_before = Vec::new();
        let mut words = false;
        let mut last: Option<usize> = None;
        for (i, a) in atoms.iter().enumerate() {
            if a.is_label() {
                words = true;
                continue;
            }
            let new_group = match last {
                None => true,
                Some(p) => {
                    let lp = atoms[p].line;
                    words || (lp != a.line && (multi(lp) || multi(a.line)))
                }
            };
            if new_group {
                soft.push(!multi(a.line));
                words_before.push(words);
            } else if multi(a.line) {
                *soft.last_mut().expect("a group") = false;
            }
            group.push(soft.len() - 1);
            slots.push(i);
            words = false;
            last = Some(i);
        }
        Stream {
            slots,
            group,
            soft,
            words_before,
        }
    }

    fn len(&self) -> usize {
        self.slots.len()
    }

    /// Slot `p` starts a group (or `p` is the end).
    fn group_start(&self, p: usize) -> bool {
        p == 0 || p >= self.len() || self.group[p] != self.group[p - 1]
    }

    /// A row's stretch may begin or end at `p`.
    fn cut_ok(&self, p: usize) -> bool {
        self.group_start(p) || self.soft[self.group[p]]
    }
}

// What explanations cost. Only their order matters; see the module's comment.
const ABSENT_LABELLED: f64 = 1.2;
const ABSENT_UNLABELLED: f64 = 0.4;
const JUNK: f64 = 1.5;
const JUNK_ATTACHED: f64 = 0.6;
const JUNK_PROSE: f64 = 0.3;
const EXTRA: f64 = 0.8;
const SPLIT: f64 = 0.3;
const FILL: f64 = 0.1;
const PLACE: f64 = 0.5;
const PLACE_EACH: f64 = 0.15;
const CROSS_LINE: f64 = 1.0;
const CROSS_WORDS: f64 = 3.0;
const FAR: f64 = 1.0;
const VALUES_FIRST: f64 = 0.05;
const UNLABELLED: f64 = 0.7;
const PROSE: f64 = 1.0;
const ATTACHED: f64 = 0.1;
const ID_FAILS: f64 = 0.5;
const ID_HOLDS: f64 = 0.3;
/// The label right before a stretch on its line is another row's.
const OTHER_ROWS_LINE: f64 = 2.0;
/// The label right before a stretch on its line is no row's (a heading, a decoy's row).
const WORDS_LINE: f64 = 0.5;
/// Longest stretch in slots beyond a row's columns (blanks of label columns, extra values).
const SLACK: usize = 14;

/// Per-slot facts, summed from the left so a stretch is costed in constant time.
struct Sums {
    explicit: Vec<usize>,
    cap: Vec<usize>,
    prose: Vec<usize>,
    attached: Vec<usize>,
    junk: Vec<f64>,
}

impl Sums {
    fn of(atoms: &[Atom], s: &Stream) -> Sums {
        let n = s.len();
        let mut out = Sums {
            explicit: vec![0; n + 1],
            cap: vec![0; n + 1],
            prose: vec![0; n + 1],
            attached: vec![0; n + 1],
            junk: vec![0.0; n + 1],
        };
        for (k, &i) in s.slots.iter().enumerate() {
            let (e, c, p, a, j) = match &atoms[i].what {
                What::Value(v) => {
                    let cap = match &v.chunk.kind {
                        ChunkKind::Number(t) => t.digits.len().clamp(1, 64),
                        ChunkKind::Placeholder => 1,
                    };
                    let junk = if v.prose {
                        JUNK_PROSE
                    } else if v.attached {
                        JUNK_ATTACHED
                    } else {
                        JUNK
                    };
                    (1, cap, usize::from(v.prose), usize::from(v.attached), junk)
                }
                _ => (0, 0, 0, 0, 0.0),
            };
            out.explicit[k + 1] = out.explicit[k] + e;
            out.cap[k + 1] = out.cap[k] + c;
            out.prose[k + 1] = out.prose[k] + p;
            out.attached[k + 1] = out.attached[k] + a;
            out.junk[k + 1] = out.junk[k] + j;
        }
        out
    }

    fn count(v: &[usize], r: &Range<usize>) -> usize {
        v[r.end] - v[r.start]
    }
}

/// How a stretch of slots fills a row's columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fill {
    /// The explicit values, as many as the row has columns or more (the reading drops some),
    /// or fewer and nothing to fill with (the reading splits digits or places them).
    Values(Vec<usize>),
    /// Exactly the row's columns: these slots, blanks included.
    Slots(Vec<usize>),
}

/// Chooses each row's stretch of the stream (slot ranges), or none.
pub fn assign(atoms: &[Atom], stream: &Stream, needs: &[Need]) -> Vec<Option<Range<usize>>> {
    let n = stream.len();
    let rows = needs.len();
    let sums = Sums::of(atoms, stream);
    // Anchors in atom order, to tell how many other rows' labels lie between two places.
    let mut anchor_at: Vec<(usize, usize)> = needs
        .iter()
        .filter_map(|r| r.anchor.map(|a| (a.first, a.last)))
        .collect();
    anchor_at.sort_unstable();
    let owner = owners(atoms, stream, needs);
    let inf = f64::INFINITY;
    let mut cost = vec![vec![inf; n + 1]; rows + 1];
    // How each state was reached: (previous row, previous slot).
    let mut back = vec![vec![(usize::MAX, usize::MAX); n + 1]; rows + 1];
    cost[0][0] = 0.0;
    for j in 0..=rows {
        for p in 0..=n {
            let here = cost[j][p];
            if here == inf {
                continue;
            }
            // The slot passed over.
            if p < n {
                let c = here + sums.junk[p + 1] - sums.junk[p];
                if c < cost[j][p + 1] {
                    cost[j][p + 1] = c;
                    back[j][p + 1] = (j, p);
                }
            }
            if j == rows {
                continue;
            }
            let need = &needs[j];
            // The row without values.
            let c = here
                + if need.anchor.is_some() {
                    ABSENT_LABELLED
                } else {
                    ABSENT_UNLABELLED
                };
            if c < cost[j + 1][p] {
                cost[j + 1][p] = c;
                back[j + 1][p] = (j, p);
            }
            if !stream.cut_ok(p) {
                continue;
            }
            crate::work::add(1);
            for q in p + 1..=n.min(p + need.cols + SLACK) {
                let r = p..q;
                if Sums::count(&sums.explicit, &r) > need.cols + 3 {
                    break;
                }
                if !stream.cut_ok(q) {
                    continue;
                }
                let Some(c) = take_cost(atoms, stream, &sums, need, &anchor_at, r, owner[p], j)
                else {
                    continue;
                };
                let c = here + c;
                if c < cost[j + 1][q] {
                    cost[j + 1][q] = c;
                    back[j + 1][q] = (j, p);
                }
            }
        }
    }
    // Walk back from the end.
    let mut out = vec![None; rows];
    let (mut j, mut p) = (rows, n);
    while j > 0 || p > 0 {
        let (pj, pp) = back[j][p];
        if pj == usize::MAX {
            break;
        }
        if pj + 1 == j && pp < p {
            out[pj] = Some(pp..p);
        }
        (j, p) = (pj, pp);
    }
    out
}

/// What it costs to believe that row `need` has the values of slots `r`; `None` when the
/// stretch cannot be the row's (no value in it).
fn take_cost(
    atoms: &[Atom],
    s: &Stream,
    sums: &Sums,
    need: &Need,
    anchor_at: &[(usize, usize)],
    r: Range<usize>,
    owner: Owner,
    row: usize,
) -> Option<f64> {
    let explicit = Sums::count(&sums.explicit, &r);
    if explicit == 0 {
        return None;
    }
    let k = need.cols;
    let mut c = 0.0;
    let fill = fill(atoms, s, &r, k);
    if explicit > k {
        c += EXTRA * (explicit - k) as f64;
    } else if explicit < k {
        c += match fill {
            Fill::Slots(_) => FILL,
            Fill::Values(_) if Sums::count(&sums.cap, &r) >= k => SPLIT,
            Fill::Values(_) => PLACE + PLACE_EACH * (k - explicit) as f64,
        };
    }
    // Crossing from one group into the next.
    for p in r.start + 1..r.end {
        if s.group_start(p) {
            c += if s.words_before[s.group[p]] {
                CROSS_WORDS
            } else {
                CROSS_LINE
            };
        }
    }
    c += match owner {
        Owner::Row(o) if o != row => OTHER_ROWS_LINE,
        Owner::Words => WORDS_LINE,
        _ => 0.0,
    };
    c += PROSE * Sums::count(&sums.prose, &r) as f64;
    c += ATTACHED * Sums::count(&sums.attached, &r) as f64;
    let first = s.slots[r.start];
    let last = s.slots[r.end - 1];
    c += match need.anchor {
        None => UNLABELLED,
        Some(a) => {
            let (lo, hi, values_first) = if a.last < first {
                (a.last, first, false)
            } else if last < a.first {
                (last, a.first, true)
            } else {
                (0, 0, false)
            };
            let between = anchor_at
                .iter()
                .filter(|&&(f, l)| f > lo && l < hi && (f, l) != (a.first, a.last))
                .count();
            (if between > 0 { FAR } else { 0.0 }) + if values_first { VALUES_FIRST } else { 0.0 }
        }
    };
    if let (Some(check), Fill::Values(v) | Fill::Slots(v)) = (need.check, &fill) {
        if v.len() == k {
            let vals: Option<Vec<Option<f64>>> = v.iter().map(|&i| plain(&atoms[i])).collect();
            if let Some(vals) = vals {
                let (fails, all) = check(&vals);
                c += ID_FAILS * fails as f64 - ID_HOLDS * (all - fails) as f64;
            }
        }
    }
    Some(c)
}

/// Whose label stands right before a slot on its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Owner {
    /// No label: the slot starts its line, or follows only values.
    Nobody,
    /// The label found for this row (the last row whose label the atom holds).
    Row(usize),
    /// Words that are no row's label.
    Words,
}

fn owners(atoms: &[Atom], s: &Stream, needs: &[Need]) -> Vec<Owner> {
    let row_of = |i: usize| {
        needs
            .iter()
            .enumerate()
            .rev()
            .find(|(_, n)| n.anchor.is_some_and(|a| a.first <= i && i <= a.last))
            .map(|(r, _)| r)
    };
    s.slots
        .iter()
        .map(|&i| {
            let line = atoms[i].line;
            let before = atoms[..i]
                .iter()
                .enumerate()
                .rev()
                .take_while(|(_, a)| a.line == line)
                .find(|(_, a)| a.is_label());
            match before {
                None => Owner::Nobody,
                Some((k, _)) => row_of(k).map_or(Owner::Words, Owner::Row),
            }
        })
        .collect()
}

/// A slot's number as read whole (blank and placeholder as `None`); `None` overall for a
/// number whose digits may need splitting is not asked: callers only check full readings.
fn plain(a: &Atom) -> Option<Option<f64>> {
    match &a.what {
        What::Value(v) => match &v.chunk.kind {
            ChunkKind::Placeholder => Some(None),
            ChunkKind::Number(t) => {
                let s = if t.frac.is_empty() {
                    t.digits.clone()
                } else {
                    format!("{}.{}", t.digits, t.frac)
                };
                let x: f64 = s.parse().ok()?;
                Some(Some(if t.sign == crate::tokens::Sign::Minus { -x } else { x }))
            }
        },
        _ => Some(None),
    }
}

/// How slots `r` fill `k` columns: with exactly `k` explicit values, those; with fewer, the
/// rightmost `k` consecutive slots that hold every explicit value (blanks fill the rest);
/// else the explicit values alone.
pub fn fill(atoms: &[Atom], s: &Stream, r: &Range<usize>, k: usize) -> Fill {
    let idx: Vec<usize> = s.slots[r.clone()].to_vec();
    let explicit: Vec<usize> = (0..idx.len())
        .filter(|&i| atoms[idx[i]].value().is_some())
        .collect();
    if explicit.len() < k && idx.len() >= k {
        if let (Some(&lo), Some(&hi)) = (explicit.first(), explicit.last()) {
            if hi - lo < k {
                let start = lo.min(idx.len() - k);
                return Fill::Slots(idx[start..start + k].to_vec());
            }
        }
    }
    Fill::Values(explicit.into_iter().map(|i| idx[i]).collect())
}
