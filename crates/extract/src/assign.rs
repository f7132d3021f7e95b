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
    /// A row the table may or may not print (a group printed as one row): nothing lost
    /// when it has no values.
    pub optional: bool,
    /// The groups the row sits in (indices into the table's captions).
    pub groups: Vec<usize>,
}

/// The group of a caption that is another section's heading.
pub const HEADING: usize = usize::MAX;

/// A group's label printed as a caption over its rows: atoms `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caption {
    pub first: usize,
    pub last: usize,
    pub group: usize,
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
    /// The slot after each group's last.
    group_end: Vec<usize>,
    /// Each slot is a blank of a line of blank cells (a row all blank, or none).
    blank_line: Vec<bool>,
}

impl Stream {
    /// The slots of `atoms`, those `taken` (by another table) left out. Label text made
    /// only of the characters of `heads` (the table's column heads, canonical) is a column's
    /// head printed beside its value, not a row's label: it sets no values apart (a
    /// converter that keeps each column's head and value together writes `结果维持 0 结果纠正
    /// 0 …`).
    pub fn of(atoms: &[Atom], lines: &[Line], taken: &[bool], heads: &[char]) -> Stream {
        // A line of several cells (two with text, an empty one after text, or several empty
        // ones) keeps its values to itself; a line of one cell (empty cells before it are
        // indentation) is one value of a column of them.
        let multi = |l: usize| {
            let cells = &lines[l].cells;
            let first = cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
            cells.len() > first + 1
        };
        let mut slots = Vec::new();
        let mut group = Vec::new();
        let mut soft: Vec<bool> = Vec::new();
        let mut words_before = Vec::new();
        let mut blank_line = Vec::new();
        let mut words = false;
        // Any label text at all (a column's head included) since the last value.
        let mut text = false;
        // The label right before the last slot was a column's head, and the group began so:
        // heads between its values keep them together (`结果维持 0 结果纠正 0`); heads after
        // a number of the prose (`申请0件`) still part it from the table.
        let (mut head_last, mut joinable) = (false, false);
        let mut last: Option<usize> = None;
        let head = |a: &Atom| match &a.what {
            What::Label(chars, _) => {
                !heads.is_empty() && chars.len() >= 2 && chars.iter().all(|c| heads.contains(c))
            }
            _ => false,
        };
        for (i, a) in atoms.iter().enumerate() {
            if a.is_label() {
                let h = head(a);
                words |= !h;
                text = true;
                head_last = h;
                continue;
            }
            if taken.get(i).copied().unwrap_or(false) {
                continue;
            }
            let new_group = match last {
                None => true,
                Some(p) => {
                    let lp = atoms[p].line;
                    words || (text && !joinable) || (lp != a.line && (multi(lp) || multi(a.line)))
                }
            };
            if new_group {
                soft.push(!multi(a.line));
                words_before.push(text);
                joinable = text && head_last;
            } else if multi(a.line) {
                *soft.last_mut().expect("a group") = false;
            }
            group.push(soft.len() - 1);
            blank_line.push(lines[a.line].is_blank() && lines[a.line].cells.len() > 1);
            slots.push(i);
            words = false;
            text = false;
            last = Some(i);
        }
        let mut group_end = vec![0; soft.len()];
        for (k, &g) in group.iter().enumerate() {
            group_end[g] = k + 1;
        }
        Stream {
            slots,
            group,
            soft,
            words_before,
            group_end,
            blank_line,
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
/// A dash or slash passed over: weaker evidence of a table's cell than a number.
const JUNK_DASH: f64 = 1.0;
const JUNK_ATTACHED: f64 = 0.6;
const JUNK_BLANK: f64 = 0.4;
const JUNK_BLANK_CELL: f64 = 0.15;
const JUNK_PROSE: f64 = 0.3;
/// A value outside the table's labels after words that are no row's label (a row of another
/// table, a summary line).
const JUNK_WORDS: f64 = 0.5;
const EXTRA: f64 = 0.8;
const SPLIT: f64 = 0.3;
const FILL: f64 = 0.1;
const PLACE: f64 = 0.5;
const PLACE_EACH: f64 = 0.15;
const CROSS_LINE: f64 = 1.0;
const CROSS_WORDS: f64 = 3.0;
const FAR: f64 = 1.0;
/// Another section's heading between a row's label and the values.
const OTHER_SECTION: f64 = 6.0;
const VALUES_FIRST: f64 = 0.2;
const UNLABELLED: f64 = 0.7;
const PROSE: f64 = 1.0;
const ATTACHED: f64 = 0.1;
const ID_FAILS: f64 = 0.5;
const ID_HOLDS: f64 = 0.3;
/// The label right before a stretch on its line is another row's.
const OTHER_ROWS_LINE: f64 = 3.0;
/// The label right before a stretch on its line is no row's (a heading, a decoy's row).
const WORDS_LINE: f64 = 0.5;
/// Longest stretch in slots beyond a row's columns (blanks of label columns, extra values).
const SLACK: usize = 14;

/// Per-slot facts, summed from the left (and the nearest value each way) so a stretch is
/// costed without walking it.
struct Table<'a> {
    stream: &'a Stream,
    explicit: Vec<usize>,
    cap: Vec<usize>,
    prose: Vec<usize>,
    attached: Vec<usize>,
    junk: Vec<f64>,
    /// Cost of crossing into each slot's group from the slot before, summed.
    cross: Vec<f64>,
    /// Each slot's number read whole (`None`: blank, placeholder, or not a plain number).
    num: Vec<Option<f64>>,
    /// The slot of each value, in order.
    values: Vec<usize>,
    /// Index of the first value at or after each slot (`n` when none).
    next_value: Vec<usize>,
    /// Index of the last value before each slot, plus one (`0` when none).
    prev_value: Vec<usize>,
    /// Whose label stands right before each slot on its line.
    owner: Vec<Owner>,
    /// Found labels' first and last atoms, sorted.
    firsts: Vec<usize>,
    lasts: Vec<usize>,
    /// Found labels' (first, last) atoms, by first.
    spans: Vec<(usize, usize)>,
    /// Per slot: found labels ending before its atom; starting at or before it; the last
    /// starting before it (its index in `spans`, or `usize::MAX`).
    ended_at: Vec<usize>,
    started_at: Vec<usize>,
    enclosing: Vec<usize>,
    /// Per row with a label found: labels starting at or before its last atom, and ending
    /// before its first.
    marks: Vec<(usize, usize)>,
    /// Groups' captions found, in atom order (by `first`).
    captions: &'a [Caption],
}

impl<'a> Table<'a> {
    fn of(atoms: &[Atom], s: &'a Stream, needs: &[Need], captions: &'a [Caption]) -> Table<'a> {
        let n = s.len();
        let mut t = Table {
            stream: s,
            explicit: vec![0; n + 1],
            cap: vec![0; n + 1],
            prose: vec![0; n + 1],
            attached: vec![0; n + 1],
            junk: vec![0.0; n + 1],
            cross: vec![0.0; n + 1],
            num: vec![None; n],
            values: Vec::new(),
            next_value: vec![n; n + 1],
            prev_value: vec![0; n + 1],
            owner: owners(atoms, s, needs),
            firsts: needs
                .iter()
                .filter_map(|r| r.anchor.map(|a| a.first))
                .collect(),
            lasts: needs
                .iter()
                .filter_map(|r| r.anchor.map(|a| a.last))
                .collect(),
            spans: needs
                .iter()
                .filter_map(|r| r.anchor.map(|a| (a.first, a.last)))
                .collect(),
            ended_at: Vec::with_capacity(n),
            started_at: Vec::with_capacity(n),
            enclosing: Vec::with_capacity(n),
            marks: Vec::new(),
            captions,
        };
        t.spans.sort_unstable();
        for &i in &s.slots {
            t.ended_at.push(t.lasts.partition_point(|&l| l < i));
            t.started_at.push(t.firsts.partition_point(|&f| f <= i));
            let k = t.spans.partition_point(|&(f, _)| f < i);
            t.enclosing.push(if k == 0 { usize::MAX } else { k - 1 });
        }
        t.marks = needs
            .iter()
            .map(|r| {
                r.anchor.map_or((0, 0), |a| {
                    (
                        t.firsts.partition_point(|&f| f <= a.last),
                        t.lasts.partition_point(|&l| l < a.first),
                    )
                })
            })
            .collect();
        t.firsts.sort_unstable();
        t.lasts.sort_unstable();
        // Words no row owns, outside the table's found labels: on the value's line before
        // the first label, or a table's words (a title, heads, a row's label: three pieces;
        // a running head is one) between the last label and the value.
        let lo = t.firsts.first().copied();
        let tail = t.lasts.last().and_then(|&hi| {
            let words = atoms[hi + 1..]
                .iter()
                .enumerate()
                .filter(|(_, a)| a.is_label());
            words.map(|(p, _)| hi + 1 + p).nth(2)
        });
        let outside = |i: usize, owner: Owner| {
            tail.is_some_and(|w| i > w) || owner == Owner::Words && lo.is_some_and(|lo| i < lo)
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
                    } else if outside(i, t.owner[k]) {
                        JUNK_WORDS
                    } else if v.attached {
                        JUNK_ATTACHED
                    } else if matches!(v.chunk.kind, ChunkKind::Placeholder) {
                        JUNK_DASH
                    } else {
                        JUNK
                    };
                    t.num[k] = plain(&v.chunk.kind);
                    (1, cap, usize::from(v.prose), usize::from(v.attached), junk)
                }
                // An empty line among single cells is a blank cell; passing it over costs
                // (a row of them is a row all blank). An empty cell of a line is layout.
                _ if s.soft[s.group[k]] => (0, 0, 0, 0, JUNK_BLANK),
                // A line of blank cells is a row all blank or nothing: passing over it costs
                // a little (the empty cells of a line with text are its layout).
                _ if s.blank_line[k] => (0, 0, 0, 0, JUNK_BLANK_CELL),
                _ => (0, 0, 0, 0, 0.0),
            };
            t.explicit[k + 1] = t.explicit[k] + e;
            t.cap[k + 1] = t.cap[k] + c;
            t.prose[k + 1] = t.prose[k] + p;
            t.attached[k + 1] = t.attached[k] + a;
            t.junk[k + 1] = t.junk[k] + j;
            let into = if k > 0 && s.group_start(k) {
                if s.words_before[s.group[k]] {
                    CROSS_WORDS
                } else {
                    CROSS_LINE
                }
            } else {
                0.0
            };
            t.cross[k + 1] = t.cross[k] + into;
            t.prev_value[k + 1] = if e == 1 { k + 1 } else { t.prev_value[k] };
            if e == 1 {
                t.values.push(k);
            }
        }
        for k in (0..n).rev() {
            t.next_value[k] = if t.explicit[k + 1] > t.explicit[k] {
                k
            } else {
                t.next_value[k + 1]
            };
        }
        t
    }

    /// Where a row of `k` columns whose values start at slot `p` may end: at the end of
    /// `p`'s group or the next one, and inside a group of single cells where its columns are
    /// full (with values, or with values and blanks).
    fn ends(&self, p: usize, k: usize) -> impl Iterator<Item = usize> {
        let s = self.stream;
        let n = s.len();
        let g = s.group[p];
        let end = |g: usize| s.group_end.get(g).copied().unwrap_or(n);
        let fits = |q: usize| {
            q <= n && q > p && q - p <= k + SLACK && self.explicit[q] - self.explicit[p] <= k + 3
        };
        let mut out = [usize::MAX; 4];
        let (e0, e1) = (
            end(g),
            if g + 1 < s.group_end.len() {
                end(g + 1)
            } else {
                usize::MAX
            },
        );
        if fits(e0) {
            out[0] = e0;
        }
        if e1 != usize::MAX && fits(e1) {
            out[1] = e1;
        }
        if s.soft[g] {
            // After the k-th value from p.
            let rank = self.explicit[p] + k;
            if let Some(&v) = self.values.get(rank - 1) {
                if v + 1 < e0 && v + 1 > p {
                    out[2] = v + 1;
                }
            }
            if p + k < e0 {
                out[3] = p + k;
            }
            if out[3] == out[2] {
                out[3] = usize::MAX;
            }
        }
        out.into_iter().filter(|&q| q != usize::MAX)
    }

    fn count(v: &[usize], r: &Range<usize>) -> usize {
        v[r.end] - v[r.start]
    }

    /// Found labels lying wholly between atoms `lo` and `hi` (exclusive).
    fn labels_between(&self, lo: usize, hi: usize) -> usize {
        let ended = self.lasts.partition_point(|&l| l < hi);
        let started = self.firsts.partition_point(|&f| f <= lo);
        ended.saturating_sub(started)
    }

    /// Another row's label wraps around slots `r` (values printed between the lines of a
    /// label are that label's).
    fn inside_other(&self, r: &Range<usize>, own: Option<(usize, usize)>) -> bool {
        let e = self.enclosing[r.start];
        e != usize::MAX && {
            let span = self.spans[e];
            span.1 > self.stream.slots[r.end - 1] && Some(span) != own
        }
    }

    /// Where `k` columns begin in slots `r`: the rightmost `k` consecutive slots holding every
    /// value, when the values are fewer than `k` and such slots exist.
    fn window(&self, r: &Range<usize>, k: usize) -> Option<usize> {
        let lo = self.next_value[r.start];
        let hi = self.prev_value[r.end];
        let soft = self.stream.soft[self.stream.group[r.start]];
        (hi > lo && hi - lo <= k && r.len() >= k).then(|| {
            if soft {
                r.start.max(hi - k.min(hi))
            } else {
                lo.min(r.end - k)
            }
        })
    }

    /// What it costs to believe that `need` (row `row`) has the values of slots `r`; `None`
    /// when the stretch cannot be the row's (no value in it). `shape` is the part any row of
    /// `need`'s columns and identities would pay (see [`Table::shape_cost`]).
    fn take_cost(&self, need: &Need, r: Range<usize>, row: usize, shape: f64) -> f64 {
        let mut c = shape;
        c += match self.owner[r.start] {
            Owner::Row(o) if o != row => OTHER_ROWS_LINE,
            Owner::Words => WORDS_LINE,
            _ => 0.0,
        };
        let first = self.stream.slots[r.start];
        let last = self.stream.slots[r.end - 1];
        let own = need.anchor.map(|a| (a.first, a.last));
        if self.inside_other(&r, own) {
            c += FAR;
        }
        let (row_started, row_ended) = self.marks[row];
        c += match need.anchor {
            None => UNLABELLED,
            Some(a) => {
                let between = if a.last < first {
                    self.ended_at[r.start].saturating_sub(row_started)
                } else if last < a.first {
                    row_ended.saturating_sub(self.started_at[r.end - 1])
                } else {
                    0
                };
                let values_first = if last < a.first { VALUES_FIRST } else { 0.0 };
                // Another group's caption between: the values are that group's rows'.
                let (lo, hi) = if a.last < first {
                    (a.last, first)
                } else {
                    (last, a.first)
                };
                let (mut foreign, mut heading) = (false, false);
                if a.last < first || last < a.first {
                    // Captions are in atom order: those starting after `lo`, up to `hi`.
                    let from = self.captions.partition_point(|c| c.first <= lo);
                    for c in self.captions[from..].iter().take_while(|c| c.first < hi) {
                        if c.last >= hi {
                            continue;
                        }
                        if c.group == HEADING {
                            // Another section's heading between: another table's values.
                            heading = true;
                        } else if !need.groups.contains(&c.group) {
                            foreign = true;
                        }
                    }
                }
                (if between > 0 || foreign { FAR } else { 0.0 })
                    + (if heading { OTHER_SECTION } else { 0.0 })
                    + values_first
            }
        };
        c
    }

    /// What taking slots `r` costs any row of `need`'s columns and identities: values beyond
    /// or short of its columns, groups crossed, numbers of the prose, identities; `None` when
    /// the stretch holds no value.
    fn shape_cost(&self, need: &Need, r: &Range<usize>) -> Option<f64> {
        let explicit = Self::count(&self.explicit, r);
        let k = need.cols;
        if explicit == 0 {
            // A line of blank cells, as many as the row's columns (and a few of its label
            // columns): a row all blank.
            let s = self.stream;
            let whole = s.group_start(r.start)
                && s.group_start(r.end)
                && s.group[r.start] == s.group[r.end - 1]
                && (k..=k + 3).contains(&r.len());
            // Or as many empty lines among single cells.
            let lines =
                s.soft[s.group[r.start]] && s.group[r.start] == s.group[r.end - 1] && r.len() == k;
            return (whole || lines).then_some(FILL);
        }
        let mut c = 0.0;
        let window = if explicit < k {
            self.window(r, k)
        } else {
            None
        };
        if explicit > k {
            c += EXTRA * (explicit - k) as f64;
        } else if explicit < k {
            c += if let Some(w) = window {
                // In a column of single cells the cells follow their label: a blank cell
                // last rather than first is the less likely.
                let soft = self.stream.soft[self.stream.group[r.start]];
                let last_blank = self.explicit[w + k] == self.explicit[w + k - 1];
                FILL + if soft && last_blank {
                    VALUES_FIRST
                } else {
                    0.0
                }
            } else if Self::count(&self.cap, r) >= k {
                SPLIT
            } else {
                PLACE + PLACE_EACH * (k - explicit) as f64
            };
        }
        c += self.cross[r.end] - self.cross[r.start + 1];
        c += PROSE * Self::count(&self.prose, r) as f64;
        c += ATTACHED * Self::count(&self.attached, r) as f64;
        if let Some(check) = need.check {
            c += self.identity(check, r, window, explicit, k);
        }
        Some(c)
    }

    /// What the row's identities say of a full reading of slots `r` (the window's slots, or
    /// the values when exactly `k`): holding lowers the cost, failing raises it.
    fn identity(
        &self,
        check: &dyn Fn(&[Option<f64>]) -> (usize, usize),
        r: &Range<usize>,
        window: Option<usize>,
        explicit: usize,
        k: usize,
    ) -> f64 {
        let take = match window {
            Some(w) => w..w + k,
            None if explicit == k => r.clone(),
            None => return 0.0,
        };
        let mut vals = [None; 32];
        let mut len = 0;
        for p in take {
            let value = self.explicit[p + 1] > self.explicit[p];
            if window.is_none() && !value {
                continue;
            }
            // Digits that may be several cells: no full reading to check.
            if value && self.num[p].is_none() && self.cap[p + 1] - self.cap[p] > 1 {
                return 0.0;
            }
            if len == vals.len() {
                return 0.0;
            }
            vals[len] = self.num[p];
            len += 1;
        }
        if len != k {
            return 0.0;
        }
        let (fails, all) = check(&vals[..len]);
        ID_FAILS * fails as f64 - ID_HOLDS * (all - fails) as f64
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

/// What the assignment chose for each row, and how close the best other reading came.
pub struct Assignment {
    /// Each row's stretch of slots, or none.
    pub picks: Vec<Option<Range<usize>>>,
    /// Per row, the best explanation in which the row reads otherwise (other values, or
    /// none): how much costlier it is than the best one, and what the row takes in it.
    pub rivals: Vec<Option<Rival>>,
    /// Those explanations whole (every row's stretch), cheapest first, each once: what the
    /// table's own identities may prefer to the cheapest.
    pub others: Vec<Other>,
}

/// A whole explanation other than the cheapest: how much costlier, and each row's stretch.
#[derive(Clone, Debug, PartialEq)]
pub struct Other {
    pub margin: f64,
    pub picks: Vec<Option<Range<usize>>>,
}

/// The row's best other reading.
#[derive(Clone, Debug, PartialEq)]
pub struct Rival {
    pub margin: f64,
    pub take: Option<Range<usize>>,
}

/// Chooses each row's stretch of the stream (slot ranges), or none.
pub fn assign(atoms: &[Atom], stream: &Stream, needs: &[Need], captions: &[Caption]) -> Assignment {
    let n = stream.len();
    let rows = needs.len();
    debug_assert!(captions.windows(2).all(|w| w[0].first <= w[1].first));
    let t = Table::of(atoms, stream, needs, captions);
    let (_, back, _) = forward(&t, needs, false);
    // Walk back from the end.
    let mut out = vec![None; rows];
    walk_back(&back, rows, n, &mut out);
    // A row that took the values right after its own label on their line, or a row no
    // label was found for and nothing taken, is read as printed; only tables with other
    // rows are explained again backwards.
    let doubtful = |j: usize| match (&out[j], needs[j].anchor) {
        (Some(r), Some(a)) => {
            let first = stream.slots[r.start];
            let after_own = a.last < first && t.labels_between(a.last, first) == 0;
            // Cells left on the label's own line while the values come from a later one.
            let line = atoms[a.last].line;
            let after_label = stream.slots.partition_point(|&i| i <= a.last);
            let passed_own = atoms[first].line != line
                && stream.slots[after_label.min(r.start)..r.start]
                    .iter()
                    .any(|&i| atoms[i].line == line);
            !after_own
                || passed_own
                || !matches!(t.owner[r.start], Owner::Row(o) if o == j)
                    && t.owner[r.start] != Owner::Nobody
        }
        (Some(_), None) => true,
        (None, a) => a.is_some() && !needs[j].optional,
    };
    let (rivals, others) = if (0..rows).any(doubtful) {
        let (cost, back, takes) = forward(&t, needs, true);
        rivals(&t, needs, &cost, &back, &takes, &out)
    } else {
        (vec![None; rows], Vec::new())
    };
    Assignment {
        picks: out,
        rivals,
        others,
    }
}

/// Costs of the forward pass: `cost[j][p]`, the cheapest way to explain rows `..j` with
/// slots `..p`; `back`, how each state was reached; and, when `record`, every take tried
/// per row (start, end, cost) for [`rivals`].
type Forward = (
    Vec<Vec<f64>>,
    Vec<Vec<(usize, usize)>>,
    Vec<Vec<(usize, usize, f64)>>,
);

fn forward(t: &Table, needs: &[Need], record: bool) -> Forward {
    let stream = t.stream;
    let (n, rows) = (stream.len(), needs.len());
    let inf = f64::INFINITY;
    let mut cost = vec![vec![inf; n + 1]; rows + 1];
    // How each state was reached: (previous row, previous slot).
    let mut back = vec![vec![(usize::MAX, usize::MAX); n + 1]; rows + 1];
    cost[0][0] = 0.0;
    // Every take tried, per row: (start, end, its cost), when recorded.
    let mut takes: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); if record { rows } else { 0 }];
    // Each stretch's shape cost, by (end, columns, has identities), per start.
    type Shape = ((usize, usize, bool), Option<f64>);
    let mut shapes: Vec<Vec<Shape>> = vec![Vec::new(); n + 1];
    // Inside a group of single cells a row starts where another row ended (or a value or
    // two after it, or after the group's start): rows share such a group only by filling
    // their columns one after another.
    let mut start_ok: Vec<bool> = (0..=n)
        .map(|p| {
            p == n || stream.group_start(p) || {
                let g = stream.group[p];
                let gs = if g == 0 { 0 } else { stream.group_end[g - 1] };
                p <= gs + 2
            }
        })
        .collect();
    for j in 0..=rows {
        for p in 0..=n {
            let here = cost[j][p];
            if here == inf {
                continue;
            }
            // The slot passed over.
            if p < n {
                let c = here + t.junk[p + 1] - t.junk[p];
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
                + if need.optional {
                    0.0
                } else if need.anchor.is_some() {
                    ABSENT_LABELLED
                } else {
                    ABSENT_UNLABELLED
                };
            if c < cost[j + 1][p] {
                cost[j + 1][p] = c;
                back[j + 1][p] = (j, p);
            }
            if p == n || !stream.cut_ok(p) || !start_ok[p] {
                continue;
            }
            crate::work::add(1);
            for q in t.ends(p, need.cols) {
                // Empty lines before a row's label are no evidence of its blank cells (a
                // paragraph's spacing, a running head's): a row all blank is read after it.
                let blank_lines =
                    Table::count(&t.explicit, &(p..q)) == 0 && stream.soft[stream.group[p]];
                if blank_lines && need.anchor.is_some_and(|a| stream.slots[q - 1] < a.first) {
                    continue;
                }
                // Rows of the same columns and identities (all of table 三's) share the part
                // of the cost that is not their own.
                let key = (q, need.cols, need.check.is_some());
                let shape = match shapes[p].iter().find(|(k, _)| *k == key) {
                    Some(&(_, s)) => s,
                    None => {
                        let s = t.shape_cost(need, &(p..q));
                        shapes[p].push((key, s));
                        s
                    }
                };
                let Some(shape) = shape else {
                    continue;
                };
                if !start_ok[q] {
                    for x in start_ok.iter_mut().skip(q).take(3) {
                        *x = true;
                    }
                }
                // A take costs its shape and more: one that cannot beat the way already
                // found to (j + 1, q) is not costed unless every take is recorded.
                if !record && here + shape >= cost[j + 1][q] {
                    continue;
                }
                let own = t.take_cost(need, p..q, j, shape);
                if record {
                    takes[j].push((p, q, own));
                }
                let c = here + own;
                if c < cost[j + 1][q] {
                    cost[j + 1][q] = c;
                    back[j + 1][q] = (j, p);
                }
            }
        }
    }
    (cost, back, takes)
}

/// Each row's stretch on the way to state (`j`, `p`), from the forward pass's pointers.
fn walk_back(back: &[Vec<(usize, usize)>], j: usize, p: usize, out: &mut [Option<Range<usize>>]) {
    let (mut j, mut p) = (j, p);
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
}

/// Rival explanations costlier than the cheapest by this much or more are not kept whole.
const OTHER_MARGIN: f64 = 1.0;

/// Per row, the best explanation that reads the row otherwise, from the costs of reaching
/// each state (`cost`) and of finishing from it (computed here, backwards).
fn rivals(
    t: &Table,
    needs: &[Need],
    cost: &[Vec<f64>],
    back: &[Vec<(usize, usize)>],
    takes: &[Vec<(usize, usize, f64)>],
    picks: &[Option<Range<usize>>],
) -> (Vec<Option<Rival>>, Vec<Other>) {
    let rows = needs.len();
    let n = t.stream.len();
    let inf = f64::INFINITY;
    let absent = |j: usize| {
        let need = &needs[j];
        if need.optional {
            0.0
        } else if need.anchor.is_some() {
            ABSENT_LABELLED
        } else {
            ABSENT_UNLABELLED
        }
    };
    // rest[j][p]: the cheapest way to explain rows j.. and slots p.. ; ahead[j][p]: the state
    // it goes on to, and whether row j takes the slots between.
    let mut rest = vec![vec![inf; n + 1]; rows + 1];
    let mut ahead = vec![vec![(usize::MAX, usize::MAX); n + 1]; rows + 1];
    rest[rows][n] = 0.0;
    for p in (0..n).rev() {
        rest[rows][p] = rest[rows][p + 1] + t.junk[p + 1] - t.junk[p];
        ahead[rows][p] = (rows, p + 1);
    }
    for j in (0..rows).rev() {
        let mut by_start: Vec<(f64, usize)> = vec![(inf, usize::MAX); n + 1];
        for &(p, q, c) in &takes[j] {
            if c + rest[j + 1][q] < by_start[p].0 {
                by_start[p] = (c + rest[j + 1][q], q);
            }
        }
        for p in (0..=n).rev() {
            let mut r = (rest[j + 1][p] + absent(j), (j + 1, p));
            if p < n && rest[j][p + 1] + t.junk[p + 1] - t.junk[p] < r.0 {
                r = (rest[j][p + 1] + t.junk[p + 1] - t.junk[p], (j, p + 1));
            }
            if by_start[p].0 < r.0 {
                r = (by_start[p].0, (j + 1, by_start[p].1));
            }
            (rest[j][p], ahead[j][p]) = r;
        }
    }
    // Row `j`'s stretch taken as (`p`, `q`) (none when equal): the whole explanation.
    let whole = |j: usize, p: usize, q: usize| {
        let mut out = vec![None; rows];
        walk_back(back, j, p, &mut out);
        if q > p {
            out[j] = Some(p..q);
        }
        let (mut k, mut x) = (j + 1, q);
        while k < rows || x < n {
            let (nk, nx) = ahead[k][x];
            if nk == usize::MAX {
                break;
            }
            if nk == k + 1 && nx > x {
                out[k] = Some(x..nx);
            }
            (k, x) = (nk, nx);
        }
        out
    };
    let best = rest[0][0];
    // What a reading of a row holds: its first and last value (blanks around them aside).
    let key = |r: &Option<Range<usize>>| {
        r.as_ref()
            .map(|r| (t.next_value[r.start], t.prev_value[r.end]))
    };
    // Every reading of a row other than its own within the margin: the whole explanation
    // through it is one the table's identities may weigh.
    let mut near: Vec<(f64, usize, usize, usize)> = Vec::new();
    let rivals = (0..rows)
        .map(|j| {
            let chosen = key(&picks[j]);
            let mut rival: Option<Rival> = None;
            let mut consider = |total: f64, take: Option<Range<usize>>, p: usize, q: usize| {
                if total.is_finite() && key(&take) != chosen {
                    let margin = total - best;
                    if margin < OTHER_MARGIN {
                        near.push((margin, j, p, q));
                    }
                    if rival.as_ref().is_none_or(|r| margin < r.margin) {
                        rival = Some(Rival { margin, take });
                    }
                }
            };
            if picks[j].is_some() {
                let through = (0..=n)
                    .map(|p| (cost[j][p] + absent(j) + rest[j + 1][p], p))
                    .fold((inf, 0), |a, b| if b.0 < a.0 { b } else { a });
                consider(through.0, None, through.1, through.1);
            }
            for &(p, q, c) in &takes[j] {
                consider(cost[j][p] + c + rest[j + 1][q], Some(p..q), p, q);
            }
            rival
        })
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut others: Vec<Other> = Vec::new();
    for (margin, j, p, q) in near {
        if others.len() == MAX_OTHERS {
            break;
        }
        let picks = whole(j, p, q);
        if !others.iter().any(|o| o.picks == picks) {
            others.push(Other { margin, picks });
        }
    }
    (rivals, others)
}

/// The most other explanations kept whole.
const MAX_OTHERS: usize = 24;

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
    // Each atom's row: the last row whose found label holds it.
    let mut row_of: Vec<Option<usize>> = vec![None; atoms.len()];
    for (r, n) in needs.iter().enumerate() {
        if let Some(a) = n.anchor {
            for x in row_of.iter_mut().take(a.last + 1).skip(a.first) {
                *x = Some(r);
            }
        }
    }
    // The last label atom seen on the current line, walking the atoms once.
    let mut last_label: Option<usize> = None;
    let mut line = usize::MAX;
    let mut out = Vec::with_capacity(s.slots.len());
    let mut next = s.slots.iter().peekable();
    for (i, a) in atoms.iter().enumerate() {
        if a.line != line {
            line = a.line;
            last_label = None;
        }
        if next.peek() == Some(&&i) {
            next.next();
            out.push(match last_label {
                None => Owner::Nobody,
                Some(k) => row_of[k].map_or(Owner::Words, Owner::Row),
            });
        }
        if a.is_label() {
            last_label = Some(i);
        }
    }
    out
}

/// A number read whole (`None` for a placeholder or what does not parse).
fn plain(kind: &ChunkKind) -> Option<f64> {
    match kind {
        ChunkKind::Placeholder => None,
        ChunkKind::Number(t) => {
            let x: f64 = if t.frac.is_empty() {
                t.digits.parse().ok()?
            } else {
                format!("{}.{}", t.digits, t.frac).parse().ok()?
            };
            Some(if t.sign == crate::tokens::Sign::Minus {
                -x
            } else {
                x
            })
        }
    }
}

/// How slots `r` fill `k` columns: with exactly `k` explicit values, those; with fewer, the
/// rightmost `k` consecutive slots that hold every explicit value (blanks fill the rest);
/// else the explicit values alone.
pub fn fill(atoms: &[Atom], s: &Stream, r: &Range<usize>, k: usize) -> Fill {
    match windows(atoms, s, r, k).into_iter().next() {
        Some(w) => Fill::Slots(w),
        None => Fill::Values(
            s.slots[r.clone()]
                .iter()
                .copied()
                .filter(|&i| atoms[i].value().is_some())
                .collect(),
        ),
    }
}

/// Every way `k` consecutive slots of `r` hold all its values, when they are fewer than `k`,
/// the likeliest first: in a line of cells the rightmost (blank cells on the left are its
/// label columns), in a column of single cells the leftmost (the cells follow their label).
pub fn windows(atoms: &[Atom], s: &Stream, r: &Range<usize>, k: usize) -> Vec<Vec<usize>> {
    let idx: Vec<usize> = s.slots[r.clone()].to_vec();
    let explicit: Vec<usize> = (0..idx.len())
        .filter(|&i| atoms[idx[i]].value().is_some())
        .collect();
    let (Some(&lo), Some(&hi)) = (explicit.first(), explicit.last()) else {
        return Vec::new();
    };
    if explicit.len() >= k && idx.len() > k && s.soft[s.group[r.start]] {
        return blank_over_placeholder(atoms, &idx, &explicit, k);
    }
    if explicit.len() >= k || idx.len() < k || hi - lo >= k {
        return Vec::new();
    }
    let (left, right) = ((hi + 1).saturating_sub(k), lo.min(idx.len() - k));
    let mut starts: Vec<usize> = (left..=right).collect();
    if !s.soft[s.group[r.start]] {
        starts.reverse();
    }
    starts.into_iter().map(|w| idx[w..w + k].to_vec()).collect()
}

/// In a column of single cells, an empty line between numbers is a blank cell, and a dash or
/// `无` at the stretch's edge may be a label's piece (`（四）` / `无` / `法提供`) or the next
/// row's: the `k` consecutive slots holding every number and blanks only between values, then
/// (when the values alone are `k`) the values alone as the other reading.
fn blank_over_placeholder(
    atoms: &[Atom],
    idx: &[usize],
    explicit: &[usize],
    k: usize,
) -> Vec<Vec<usize>> {
    let number = |i: usize| {
        atoms[idx[i]]
            .value()
            .is_some_and(|v| matches!(v.chunk.kind, ChunkKind::Number(_)))
    };
    let numbers: Vec<usize> = explicit.iter().copied().filter(|&i| number(i)).collect();
    let (Some(&lo), Some(&hi)) = (numbers.first(), numbers.last()) else {
        return Vec::new();
    };
    if hi - lo >= k {
        return Vec::new();
    }
    let (first, last) = (explicit[0], explicit[explicit.len() - 1]);
    let mut out: Vec<Vec<usize>> = ((hi + 1).saturating_sub(k)..=lo.min(idx.len() - k))
        .filter(|&w| {
            // Only blanks between values: an empty line before or after them is layout.
            let blanks: Vec<usize> = (w..w + k)
                .filter(|&i| atoms[idx[i]].value().is_none())
                .collect();
            !blanks.is_empty() && blanks.iter().all(|&i| first < i && i < last)
        })
        .map(|w| idx[w..w + k].to_vec())
        .collect();
    if !out.is_empty() && explicit.len() == k {
        out.push(explicit.iter().map(|&i| idx[i]).collect());
    }
    out
}
