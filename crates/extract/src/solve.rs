//! Tables 二, 三 and 四 read by one solver: the template's rows are found among the region's
//! label text ([`anchor`](crate::anchor)), the region's values are given to the rows
//! ([`assign`](crate::assign)), and each row's values are read into its columns (digits
//! split, blanks placed) with the template's identities choosing among readings.

use crate::anchor::{anchors, Anchor, Text};
use crate::assign::{assign, fill, windows, Caption, Fill, Need, Rival, Stream, HEADING};
use crate::atoms::Atom;
use crate::identity::{row_score, scoring};
use crate::lines::Line;
use crate::place::{Columns, Geometry};
use crate::regions::Range;
use crate::spec::{t2_rows, t3_rows, RowSpec, T4_KEYS};
use crate::split::{whole, Piece, PieceKind};
use crate::table::{keep_best, prior, read_row, read_row_split, t2_row_score, values, RowRead};
use crate::tables::no_soft;
use crate::tokens::{Chunk, ChunkKind, Unit};
use crate::write::Writer;
use nianbao_model::{Rule, Severity, Template, ValueKind};

/// A table's atoms and lines, as the solver reads them.
pub struct Region<'a> {
    pub atoms: &'a [Atom],
    pub lines: &'a [Line],
    /// Atoms (in `atoms`) holding the heading of another section: values past one are not
    /// the rows' before it.
    pub headings: Vec<usize>,
    /// Atoms (in `atoms`) whose values a table read before took: not this table's.
    pub taken: Vec<bool>,
}

impl<'a> Region<'a> {
    /// The atoms of normalised chars `range`; `headings` the normalised chars where other
    /// sections' headings begin; `taken` (sorted) where the values another table took begin.
    pub fn of(
        atoms: &'a [Atom],
        lines: &'a [Line],
        (a, b): Range,
        headings: &[usize],
        taken: &[usize],
    ) -> Region<'a> {
        // An atom that starts before the region and ends inside it is in it: one label atom
        // may hold a heading and the first row's label.
        let from = atoms.partition_point(|x| x.b <= a);
        let to = atoms.partition_point(|x| x.a < b).max(from);
        let atoms = &atoms[from..to];
        let headings = headings
            .iter()
            .filter(|&&h| a < h && h < b)
            .filter_map(|&h| {
                atoms
                    .iter()
                    .position(|x| x.is_label() && x.a <= h && h < x.b)
            })
            .collect();
        let taken = atoms
            .iter()
            .map(|x| !x.is_label() && taken.binary_search(&x.a).is_ok())
            .collect();
        Region {
            atoms,
            lines,
            headings,
            taken,
        }
    }
}

/// Rows found and the values each took: the atoms (values, and blanks when they fill the
/// row's columns exactly) and the same as chunks; rows whose label is printed again with
/// values no row took.
struct Solved {
    anchors: Vec<Option<Anchor>>,
    /// A number among the rows' values that no row took.
    stray: bool,
    twice: Vec<usize>,
    /// Per row whose reading another explanation nearly matches: what the row takes there
    /// (as chunks, or none).
    rivals: Vec<Option<Option<Vec<Chunk>>>>,
    slots: Vec<Option<Vec<usize>>>,
    runs: Vec<Option<Vec<Chunk>>>,
    /// Per row, other runs its blanks may stand in (values fewer than its columns, blank
    /// cells on both sides).
    other_windows: Vec<Vec<Vec<Chunk>>>,
    /// Where every slot the rows took begins (normalised chars).
    taken: Vec<usize>,
}

/// Finds the rows and gives them their values; `heads`: see [`Stream::of`]; `weigh`: keep
/// the other explanations nearly as cheap, settled, for the table's identities to weigh.
fn solve<'a>(
    region: &Region<'a>,
    rows: &'a [&'a RowSpec],
    checks: &[Option<&dyn Fn(&[Option<f64>]) -> (usize, usize)>],
    anchored: bool,
    heads: &[char],
    weigh: bool,
) -> (Solved, Settle<'a>) {
    let atoms = region.atoms;
    let text = Text::of(atoms);
    let hay = text.haystack();
    let labels: Vec<&[Vec<char>]> = rows.iter().map(|r| r.label_chars()).collect();
    let (mut found, again) = if anchored {
        let region = Anchor {
            first: 0,
            last: 0,
            score: 0,
        };
        (vec![Some(region)], Vec::new())
    } else {
        let groups: Vec<&[Vec<char>]> = rows.iter().map(|r| r.group_chars()).collect();
        let f = anchors(&text, &hay, &labels, &groups);
        (f.anchors, f.again)
    };
    found.resize(rows.len(), None);
    let stream = Stream::of(atoms, region.lines, &region.taken, heads);
    // The groups' labels, and where each is printed as a caption over its rows.
    let mut group_labels: Vec<&[char]> = Vec::new();
    let groups_of: Vec<Vec<usize>> = rows
        .iter()
        .map(|r| {
            r.group_chars()
                .iter()
                .map(
                    |g| match group_labels.iter().position(|x| *x == g.as_slice()) {
                        Some(i) => i,
                        None => {
                            group_labels.push(g);
                            group_labels.len() - 1
                        }
                    },
                )
                .collect()
        })
        .collect();
    let mut captions: Vec<Caption> = if anchored {
        Vec::new()
    } else {
        group_labels
            .iter()
            .enumerate()
            .flat_map(|(group, g)| {
                crate::anchor::occurrences(&text, &hay, g)
                    .into_iter()
                    .map(move |(first, last)| Caption { first, last, group })
            })
            .collect()
    };
    // Other sections' headings part values from the rows before them.
    captions.extend(region.headings.iter().map(|&i| Caption {
        first: i,
        last: i,
        group: HEADING,
    }));
    captions.sort_by_key(|c| c.first);
    let mut needs: Vec<Need> = Vec::with_capacity(rows.len());
    // The row of each need; `None` for a group printed as one row in place of its rows.
    let mut of_row: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    for (k, ((r, a), check)) in rows.iter().zip(&found).zip(checks).enumerate() {
        if let Some(group) = group_row(&text, rows, &found, k) {
            needs.push(Need {
                cols: r.cols.len(),
                anchor: Some(group),
                check: *check,
                optional: true,
                groups: groups_of[k].clone(),
            });
            of_row.push(None);
        }
        needs.push(Need {
            cols: r.cols.len(),
            anchor: *a,
            check: *check,
            optional: false,
            groups: groups_of[k].clone(),
        });
        of_row.push(Some(k));
    }
    let all = assign(atoms, &stream, &needs, &captions);
    let rows_of = |all: Vec<Option<std::ops::Range<usize>>>| {
        let mut picks = vec![None; rows.len()];
        for (p, row) in all.into_iter().zip(&of_row) {
            if let Some(r) = row {
                picks[*r] = p;
            }
        }
        picks
    };
    let picks = rows_of(all.picks.clone());
    let mut rivals = vec![None; rows.len()];
    for (rival, row) in all.rivals.into_iter().zip(&of_row) {
        if let Some(r) = row {
            rivals[*r] = rival;
        }
    }
    if std::env::var_os("NIANBAO_DEBUG_SOLVE").is_some() {
        debug(atoms, &stream, rows, &found, &picks, &rivals);
    }
    // The other whole explanations close to the cheapest, for the table's identities to
    // weigh: each row read otherwise there has the cheapest's reading as its rival.
    let others = all
        .others
        .into_iter()
        .filter(|o| weigh && o.margin < DOUBT)
        .map(|o| (o.margin, rows_of(o.picks)))
        .filter(|(_, other)| *other != picks)
        .take(MAX_OTHERS)
        .map(|(margin, other)| {
            let rivals = other
                .iter()
                .zip(&picks)
                .zip(&rivals)
                .map(|((x, main), rival)| {
                    if x == main {
                        rival.clone()
                    } else {
                        Some(Rival {
                            margin,
                            take: main.clone(),
                        })
                    }
                })
                .collect();
            (other, rivals)
        })
        .collect();
    let at = Settle {
        atoms,
        stream,
        rows,
        found,
        again,
        others,
    };
    (at.settle(picks, rivals), at)
}

/// The most other explanations a table's identities weigh.
const MAX_OTHERS: usize = 12;

/// Another explanation of a table, not yet read: each row's stretch and its rival.
type Pending = (Vec<Option<std::ops::Range<usize>>>, Vec<Option<Rival>>);

/// What reading a table's rows from an assignment needs.
struct Settle<'a> {
    atoms: &'a [Atom],
    stream: Stream,
    rows: &'a [&'a RowSpec],
    found: Vec<Option<Anchor>>,
    again: Vec<(usize, Anchor)>,
    /// Other explanations of the table nearly as cheap, cheapest first, to settle the same
    /// way: the table's identities may prefer one.
    others: Vec<Pending>,
}

impl Settle<'_> {
    /// The rows' values from each row's stretch of the stream (`picks`), with each row's
    /// nearest other reading (`rivals`).
    fn settle(
        &self,
        picks: Vec<Option<std::ops::Range<usize>>>,
        rivals: Vec<Option<Rival>>,
    ) -> Solved {
        let (atoms, stream, rows) = (self.atoms, &self.stream, self.rows);
        let (found, again) = (self.found.as_slice(), self.again.as_slice());
        let slots: Vec<Option<Vec<usize>>> = picks
            .iter()
            .zip(rows)
            .map(|(p, r)| {
                let p = p.as_ref()?;
                Some(match fill(atoms, stream, p, r.cols.len()) {
                    Fill::Values(v) | Fill::Slots(v) => v,
                })
            })
            .collect();
        let other_windows = picks
            .iter()
            .zip(rows)
            .map(|(p, r)| {
                p.as_ref().map_or_else(Vec::new, |p| {
                    windows(atoms, stream, p, r.cols.len())
                        .into_iter()
                        .skip(1)
                        .map(|w| w.iter().map(|&i| chunk(&atoms[i])).collect())
                        .collect()
                })
            })
            .collect();
        let runs: Vec<Option<Vec<Chunk>>> = slots
            .iter()
            .map(|s| Some(s.as_ref()?.iter().map(|&i| chunk(&atoms[i])).collect()))
            .collect();
        // A label printed again with values right after it on its line that no row took.
        let taken: std::collections::HashSet<usize> = picks
            .iter()
            .flatten()
            .flat_map(|p| stream.slots[p.clone()].iter().copied())
            .collect();
        let mut twice: Vec<usize> = again
            .iter()
            .filter(|(_, a)| {
                atoms.get(a.last + 1).is_some_and(|next| {
                    next.value().is_some()
                        && next.line == atoms[a.last].line
                        && !taken.contains(&(a.last + 1))
                })
            })
            .map(|(r, _)| *r)
            .collect();
        twice.dedup();
        let mut rivals: Vec<Option<Option<Vec<Chunk>>>> = rivals
            .iter()
            .zip(rows)
            .map(|(rival, r)| {
                let rival = rival.as_ref().filter(|x| x.margin < DOUBT)?;
                Some(rival.take.as_ref().map(|p| {
                    let slots = match fill(atoms, stream, p, r.cols.len()) {
                        Fill::Values(v) | Fill::Slots(v) => v,
                    };
                    slots.iter().map(|&i| chunk(&atoms[i])).collect()
                }))
            })
            .collect();
        // Read down the columns, unless the row already has another reading with values.
        for (row, other) in transposed(stream, found, &picks, &runs, rows) {
            if !matches!(rivals[row], Some(Some(_))) {
                rivals[row] = Some(Some(other));
            }
        }
        // Two labels back to back, the values after the second: they may as well be the first's.
        for (row, other) in label_pairs(atoms, stream, found, &picks, &runs) {
            if rivals[row].is_none() {
                rivals[row] = Some(other);
            }
        }
        let taken_here = picks
            .iter()
            .flatten()
            .flat_map(|p| stream.slots[p.clone()].iter().map(|&i| atoms[i].a))
            .collect();
        // Numbers of the table (between the first and the last stretch the rows took) that
        // no row took.
        let (lo, hi) = picks.iter().flatten().fold((usize::MAX, 0), |(lo, hi), p| {
            (lo.min(p.start), hi.max(p.end))
        });
        let stray = (lo..hi.max(lo)).any(|k| {
            !taken.contains(&stream.slots[k])
                && atoms[stream.slots[k]]
                    .value()
                    .is_some_and(|v| !v.prose && matches!(v.chunk.kind, ChunkKind::Number(_)))
        });
        Solved {
            stray,
            anchors: found.to_vec(),
            twice,
            rivals,
            other_windows,
            taken: taken_here,
            slots,
            runs,
        }
    }
}

/// Rows whose values may as well be read down the columns: two rows or more of as many
/// columns whose labels all come first and whose values follow as one run (a converter that
/// keeps a table's label column and its value columns apart writes `规章 规范性文件 … 0 0 0 13 0
/// 13` either way: row by row, or column by column). Each such row whose reading down the
/// columns differs, with that reading.
fn transposed(
    stream: &Stream,
    anchors: &[Option<Anchor>],
    picks: &[Option<std::ops::Range<usize>>],
    runs: &[Option<Vec<Chunk>>],
    rows: &[&RowSpec],
) -> Vec<(usize, Vec<Chunk>)> {
    let full = |k: usize| {
        runs[k]
            .as_ref()
            .is_some_and(|r| r.len() == rows[k].cols.len())
            && anchors[k].is_some()
    };
    let mut out = Vec::new();
    let mut j = 0;
    while j < rows.len() {
        // The longest block from row j: full rows of one width, their values back to back.
        let mut end = j + 1;
        while full(j)
            && end < rows.len()
            && full(end)
            && rows[end].cols.len() == rows[j].cols.len()
            && picks[end - 1].as_ref().map(|p| p.end) == picks[end].as_ref().map(|p| p.start)
        {
            end += 1;
        }
        let m = end - j;
        // Every label of the block before its first value.
        let first_value = picks[j].as_ref().map(|p| stream.slots[p.start]);
        let labels_first =
            (j..end).all(|k| matches!((anchors[k], first_value), (Some(a), Some(v)) if a.last < v));
        if m >= 2 && labels_first {
            let k = rows[j].cols.len();
            let values: Vec<&Chunk> = (j..end).flat_map(|r| runs[r].iter().flatten()).collect();
            for i in 0..m {
                let down: Vec<Chunk> = (0..k).map(|c| values[c * m + i].clone()).collect();
                let printed = runs[j + i].iter().flatten();
                if !down.iter().zip(printed).all(|(a, b)| same_value(a, b)) {
                    out.push((j + i, down));
                }
            }
        }
        j = end;
    }
    out
}

/// Rows whose labels stand back to back (no cell between them), all but the last without a
/// printed value and the last with values after its label: a table written as its labels and
/// then its values (`行政处罚 / 行政强制 / 141`) gives them to the first label, one written row
/// by row to the last. Values on the last label's line are its own. Every row of the run gets
/// another reading: the rows without values the last one's, the last one nothing (row, what
/// it would take, `None` for nothing). And the mirror: values before the first label of a run
/// whose other rows have none.
fn label_pairs(
    atoms: &[Atom],
    stream: &Stream,
    anchors: &[Option<Anchor>],
    picks: &[Option<std::ops::Range<usize>>],
    runs: &[Option<Vec<Chunk>>],
) -> Vec<(usize, Option<Vec<Chunk>>)> {
    // Each row's printed values (slots holding a value), and whether its label and the next
    // row's stand back to back.
    let printed: Vec<Vec<usize>> = picks
        .iter()
        .map(|p| {
            p.as_ref().map_or_else(Vec::new, |p| {
                stream.slots[p.clone()]
                    .iter()
                    .copied()
                    .filter(|&i| atoms[i].value().is_some())
                    .collect()
            })
        })
        .collect();
    let adjacent: Vec<bool> = anchors
        .windows(2)
        .map(|w| match (w[0], w[1]) {
            (Some(a), Some(b)) => {
                // Slots are in atom order: the first after `a` is at or past `b`.
                let k = stream.slots.partition_point(|&i| i <= a.last);
                a.last < b.first && stream.slots.get(k).is_none_or(|&i| i >= b.first)
            }
            _ => false,
        })
        .collect();
    // The last row of the run from `j`: labels back to back, the rows after `j` without values.
    let run_end = |j: usize| {
        let mut m = j;
        while m < adjacent.len() && adjacent[m] && printed[m + 1].is_empty() {
            m += 1;
        }
        m
    };
    let mut out = Vec::new();
    for j in 0..adjacent.len() {
        if !printed[j].is_empty() || j > 0 && adjacent[j - 1] && printed[j - 1].is_empty() {
            continue; // not the first row of a run
        }
        // The run, up to the row with values after it.
        let m = run_end(j);
        if m >= adjacent.len() || !adjacent[m] {
            continue;
        }
        let last = m + 1;
        let b = anchors[last].expect("adjacent rows are found");
        // Values on the last label's line are its own: the line settles it.
        let apart = printed[last]
            .first()
            .is_some_and(|&v| v > b.last && atoms[v].line != atoms[b.last].line);
        if apart {
            out.extend((j..last).map(|k| (k, runs[last].clone())));
            out.push((last, None));
            // The values stand between two runs of labels: the rows of the next run, printed
            // right after them without values of their own, may own them as well (a row's
            // values printed before its label).
            let end = printed[last].last().copied().unwrap_or(b.last);
            let mut k = last + 1;
            // The first slot after the values: the next run's first label comes before any.
            let after_end = stream
                .slots
                .get(stream.slots.partition_point(|&i| i <= end));
            while let Some(Some(c)) = anchors.get(k) {
                // Blank cells between two labels (an empty line's, a page foot's) part nothing;
                // a value or other words do.
                let joined = match anchors[k - 1] {
                    _ if k == last + 1 => c.first > end && after_end.is_none_or(|&i| i >= c.first),
                    Some(p) => {
                        p.last < c.first
                            && atoms[p.last + 1..c.first]
                                .iter()
                                .all(|x| matches!(x.what, crate::atoms::What::Blank))
                    }
                    None => false,
                };
                if !joined || !printed[k].is_empty() {
                    break;
                }
                out.push((k, runs[last].clone()));
                k += 1;
            }
        }
    }
    // The same run the other way round: values printed before the first label (`1 0 … 1 /
    // （七）总计 / 四、结转下年度继续办理`), the rows after it without values.
    for j in 0..anchors.len() {
        let Some(a) = anchors[j] else { continue };
        let before = printed[j]
            .last()
            .is_some_and(|&v| v < a.first && atoms[v].line != atoms[a.first].line);
        if !before {
            continue;
        }
        let m = run_end(j);
        if m > j {
            out.push((j, None));
            out.extend((j + 1..=m).map(|k| (k, runs[j].clone())));
        }
    }
    // A run of three labels or more back to back whose rows took values from both sides of
    // it (some printed before its first label, some after its last): where the one side's
    // rows end is a guess, and each row may as well read as the next row does.
    // Here labels that share a fragment (`…申请数量二、上年结转…`) stand back to back too.
    let touching = |m: usize| {
        adjacent[m]
            || matches!((anchors[m], anchors[m + 1]), (Some(a), Some(b)) if a.last >= b.first)
    };
    let mut j = 0;
    while j < anchors.len() {
        let mut m = j;
        while m < adjacent.len() && touching(m) {
            m += 1;
        }
        // Two labels with values before and after are a converter's common order (`74 /
        // 行政处罚 / 行政强制 0`: each row's values before its label); three or more are a block.
        if let (true, Some(a), Some(b)) = (m >= j + 2, anchors[j], anchors[m]) {
            // Values on the first or the last label's own line are that row's: not apart.
            let apart = |v: usize, label: usize| atoms[v].line != atoms[label].line;
            let before = (j..=m).any(|k| {
                printed[k]
                    .first()
                    .is_some_and(|&v| v < a.first && apart(v, a.first))
            });
            let after = (j..=m).any(|k| {
                printed[k]
                    .last()
                    .is_some_and(|&v| v > b.last && apart(v, b.last))
            });
            // A label wrapped around its own values (`1.本机关不掌握相关政府 / 26 … / 信息`)
            // pairs them: not a block.
            let inside = (j..=m).any(|k| printed[k].iter().any(|&v| a.first < v && v < b.last));
            if before && after && !inside {
                out.extend((j..=m).map(|k| (k, if k < m { runs[k + 1].clone() } else { None })));
            }
        }
        j = m + 1;
    }
    out
}

/// Two chunks that say the same: both blank or placeholders, or the same number.
fn same_value(a: &Chunk, b: &Chunk) -> bool {
    match (&a.kind, &b.kind) {
        (ChunkKind::Placeholder, ChunkKind::Placeholder) => true,
        (ChunkKind::Number(x), ChunkKind::Number(y)) => {
            (&x.digits, &x.frac, x.sign, x.unit) == (&y.digits, &y.frac, y.sign, y.unit)
        }
        _ => false,
    }
}

/// Where row `k`'s innermost group is printed as one row in place of its rows, when `k`
/// is the group's first row and none of its rows was found: the group's label between the
/// rows found around it. Its values are the group's, no row's.
fn group_row(text: &Text, rows: &[&RowSpec], found: &[Option<Anchor>], k: usize) -> Option<Anchor> {
    let group = rows[k].group_chars().first()?;
    let same = |r: &RowSpec| r.group_chars().first() == Some(group);
    if k > 0 && same(rows[k - 1]) {
        return None;
    }
    let end = (k..rows.len())
        .find(|&r| !same(rows[r]))
        .unwrap_or(rows.len());
    if found[k..end].iter().any(Option::is_some) {
        return None;
    }
    let after = found[..k]
        .iter()
        .rev()
        .flatten()
        .next()
        .map_or(0, |a| a.last + 1);
    let before = found[end..]
        .iter()
        .flatten()
        .next()
        .map_or(usize::MAX, |a| a.first);
    crate::anchor::find_between(text, group, after, before)
}

/// How close another explanation of a row must come for the row to be reported: a little
/// less than what a row without its values costs, so that a row read one way or its
/// neighbour's way alike is named.
const DOUBT: f64 = 1.0;

/// A slot as a value chunk: a blank is an empty placeholder at its place.
fn chunk(a: &Atom) -> Chunk {
    match a.value() {
        Some(v) => v.chunk.clone(),
        None => Chunk {
            a: a.a,
            b: a.a,
            kind: ChunkKind::Placeholder,
        },
    }
}

/// Reads table 二; returns where the values it took begin.
pub fn t2(w: &mut Writer, region: &Region, hint: Unit) -> Vec<usize> {
    let rows: Vec<&RowSpec> = t2_rows(w.r.template).iter().collect();
    let checks = vec![None; rows.len()];
    let (s, _) = solve(region, &rows, &checks, false, &[], false);
    if s.runs.iter().all(Option::is_none) && s.anchors.iter().all(Option::is_none) {
        return Vec::new();
    }
    w.r.tables.push("二".into());
    let reads = reads(w, region, &s, &rows, &no_soft, false);
    for (spec, read) in rows.iter().zip(&reads) {
        let Some(read) = read else { continue };
        let key = spec.key();
        let pick = prior(&read.cands, &spec.cols, &|v| t2_row_score(key, v));
        let alts: Vec<usize> = (0..read.cands.len()).collect();
        w.row("二", spec, &read, pick, &alts, hint);
        let money_unstated = spec.cols.iter().position(|c| c.1 == ValueKind::Money).is_some_and(|m| {
            matches!(&read.cands[pick][m].kind, PieceKind::Num { unit: Unit::None, digits, .. } if !digits.trim_start_matches('0').is_empty())
        });
        if money_unstated && hint == Unit::None && w.r.template == Template::Y2019 {
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
    empty_rows(w, &rows, &s);
    w.flush("二", 3);
    missing(w, "二", &rows, &s);
    s.taken
}

/// Reads table 三; returns where the values it took begin.
pub fn t3(w: &mut Writer, region: &Region) -> Vec<usize> {
    let rows = t3_rows(w.r.template);
    let scoring = scoring(w.r.template);
    let check = |v: &[Option<f64>]| {
        let all = scoring.t3_row.len();
        (all - row_score(&scoring.t3_row, 7, v), all)
    };
    let checks: Vec<Option<&dyn Fn(&[Option<f64>]) -> (usize, usize)>> =
        vec![Some(&check); rows.len()];
    let (mut s, mut settle) = solve(region, &rows, &checks, false, &[], true);
    if s.runs.iter().all(Option::is_none) && s.anchors.iter().all(Option::is_none) {
        return Vec::new();
    }
    w.r.tables.push("三".into());
    let score = |v: &[Option<f64>]| row_score(&scoring.t3_row, 7, v);
    // Each explanation read and resolved; the table's column identities (一+二 = 总计+四,
    // 总计 = the outcomes) choose among explanations nearly as cheap as the cheapest.
    let read_all = |s: &Solved| {
        let reads = reads(w, region, s, &rows, &score, true);
        let geometry = crate::resolve::geometry(w.norm, w.at, &reads);
        let (picks, alts) =
            crate::resolve::resolve_t3(&reads, &rows, &scoring.t3_columns, geometry.as_ref());
        let chosen: Vec<Vec<Option<f64>>> = reads
            .iter()
            .zip(&picks)
            .map(|(r, &p)| {
                r.as_ref()
                    .and_then(|r| r.cands.get(p))
                    .map_or_else(Vec::new, |c| values(c))
            })
            .collect();
        let holds = crate::identity::holding(&scoring.t3_columns, |k, c| {
            chosen[k].get(c).copied().flatten().unwrap_or(0.0)
        });
        (reads, picks, alts, holds)
    };
    let mut best = read_all(&s);
    let others = std::mem::take(&mut settle.others);
    // When every identity holds, no other explanation can do better.
    let all = scoring.t3_columns.len();
    for (picks, rivals) in others {
        if best.3 == all {
            break;
        }
        let other = settle.settle(picks, rivals);
        let read = read_all(&other);
        if read.3 > best.3 {
            (s, best) = (other, read);
        }
    }
    let (reads, picks, alts, _) = best;
    for (k, spec) in rows.iter().enumerate() {
        if let Some(read) = &reads[k] {
            w.row("三", spec, read, picks[k], &alts[k], Unit::None);
        }
    }
    empty_rows(w, &rows, &s);
    w.flush("三", 7);
    missing(w, "三", &rows, &s);
    s.taken
}

pub fn t4(w: &mut Writer, region: &Region) {
    if region.atoms.iter().all(|a| a.value().is_none()) {
        return;
    }
    let sums = &scoring(w.r.template).t4_row;
    let check = |v: &[Option<f64>]| {
        let all = sums.len();
        (all - row_score(sums, 15, v), all)
    };
    let spec = t4_spec();
    let checks: Vec<Option<&dyn Fn(&[Option<f64>]) -> (usize, usize)>> = vec![Some(&check)];
    let (s, _) = solve(
        region,
        &[spec],
        &checks,
        true,
        crate::spec::t4_heads(),
        false,
    );
    let Some(run) = &s.runs[0] else {
        sparse_t4(w, region);
        return;
    };
    w.r.tables.push("四".into());
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

/// Each row's readings: its values into its columns, a short row's by where its values
/// stand under the table's columns when the reader placed them, else by `read_row`.
fn reads(
    w: &Writer,
    region: &Region,
    s: &Solved,
    rows: &[&RowSpec],
    score: &dyn Fn(&[Option<f64>]) -> usize,
    loose: bool,
) -> Vec<Option<RowRead>> {
    let geo = Geometry::new(w.norm, region.lines, w.at);
    let placed: Vec<Option<Vec<(f64, f64)>>> = s
        .slots
        .iter()
        .map(|sl| {
            sl.as_ref()?
                .iter()
                .map(|&i| {
                    let a = &region.atoms[i];
                    a.value().and(geo.across(a))
                })
                .collect()
        })
        .collect();
    let width = rows.iter().map(|r| r.cols.len()).max().unwrap_or(0);
    let full: Vec<Vec<(f64, f64)>> = placed.iter().flatten().cloned().collect();
    let columns = geo.columns(&full, width);
    let loose = loose && lost_columns(region, s, width);
    rows.iter()
        .enumerate()
        .map(|(k, spec)| {
            let run = s.runs[k].as_ref()?;
            let cols = spec.cols.len();
            if let (Some(columns), Some(xs), true) = (&columns, &placed[k], cols == width) {
                if xs.len() < cols && !xs.is_empty() {
                    if let Some(read) = placed_read(columns, xs, run, cols, score) {
                        return Some(read);
                    }
                }
            }
            // Digits run together only where the values stand in one cell (text run
            // together, `规章000`); values in cells of their own are whole numbers.
            let slots = s.slots[k].as_ref()?;
            let printed: Vec<&Atom> = slots
                .iter()
                .map(|&i| &region.atoms[i])
                .filter(|a| a.value().is_some())
                .collect();
            let one_cell = printed
                .windows(2)
                .all(|w| (w[0].line, w[0].cell) == (w[1].line, w[1].cell));
            // A lone number filling a cell of its own beside other cells is one number.
            let alone = match printed.as_slice() {
                [a] => {
                    let line = &region.lines[a.line];
                    let cell = line.cells.get(a.cell);
                    let filled = line.cells.iter().filter(|c| !c.is_empty()).count();
                    filled > 1 && cell.is_some_and(|c| c.a == a.a && c.b == a.b)
                }
                _ => false,
            };
            let mut read = read_row_split(run, cols, score, one_cell && !alone);
            if !s.other_windows[k].is_empty() {
                // Blank cells on both sides of the values: each way they may stand.
                for w in &s.other_windows[k] {
                    read.cands.extend(read_row(w, cols, score).cands);
                }
                keep_best(&mut read.cands, score);
                read.short = true;
            }
            if loose {
                // The cells do not stand for the columns: every way the printed values may
                // stand, in order, first (the identities across rows, then the leftmost,
                // settle it; a row left open is reported with its readings).
                let mut cands = placements(run, cols, score);
                let best = cands.first().map(|c| score(&values(c)));
                if best.is_some_and(|b| read.cands.iter().all(|c| score(&values(c)) <= b)) {
                    for c in read.cands.drain(..) {
                        if !cands.contains(&c) && best == Some(score(&values(&c))) {
                            cands.push(c);
                        }
                    }
                    read.cands = cands;
                    read.short = true;
                }
            }
            Some(read)
        })
        .collect()
}

/// True when a delimited line whose values rows took holds them in two cells or more but
/// has fewer cells after its label cells than the table has columns: the converter merged or
/// dropped columns (a Markdown table per row, cut where the words of the page stood), so a
/// value's cell does not tell its column. (A line of one value is a table written one cell
/// per line.)
fn lost_columns(region: &Region, s: &Solved, width: usize) -> bool {
    use std::collections::{HashMap, HashSet};
    let mut cells: HashMap<usize, HashSet<usize>> = HashMap::new();
    let taken = s.slots.iter().flatten().flatten();
    for a in taken
        .map(|&i| &region.atoms[i])
        .filter(|a| a.value().is_some())
    {
        cells.entry(a.line).or_default().insert(a.cell);
    }
    // Per line, the cells up to its last label cell.
    let mut labels: HashMap<usize, usize> = HashMap::new();
    for a in region
        .atoms
        .iter()
        .filter(|a| a.is_label() && cells.contains_key(&a.line))
    {
        let n = labels.entry(a.line).or_default();
        *n = (*n).max(a.cell + 1);
    }
    let short = cells.iter().filter(|(&line, held)| {
        let label = labels.get(&line).copied().unwrap_or(0);
        held.len() >= 2
            && region.lines.get(line).is_some_and(|l| {
                l.kind == crate::lines::Kind::Delimited && l.cells.len() < label + width
            })
    });
    // Two rows at least: one short line may be a small table of its own that a row took.
    short.count() >= 2
}

/// Every way a row's printed values (blanks left out) stand in `cols` columns in their
/// order that the row's identities favour (see [`crate::table::placements`]).
fn placements(
    run: &[Chunk],
    cols: usize,
    score: &dyn Fn(&[Option<f64>]) -> usize,
) -> Vec<Vec<Piece>> {
    let printed: Vec<Piece> = run.iter().filter(|c| c.b > c.a).map(whole).collect();
    if printed.is_empty() || printed.len() > cols {
        return Vec::new();
    }
    crate::table::placements(&printed, cols, score)
}

/// A short row's readings from where its values stand: each placement near the columns,
/// those the row's identities favour kept.
fn placed_read(
    columns: &Columns,
    xs: &[(f64, f64)],
    run: &[Chunk],
    cols: usize,
    score: &dyn Fn(&[Option<f64>]) -> usize,
) -> Option<RowRead> {
    let places = columns.place(xs);
    if places.is_empty() {
        return None;
    }
    let end = run.last().map_or(0, |c| c.b);
    let blank = Piece {
        a: end,
        b: end,
        kind: PieceKind::Null,
    };
    let mut cands: Vec<Vec<Piece>> = places
        .iter()
        .map(|at| {
            let mut row = vec![blank.clone(); cols];
            for (c, &i) in run.iter().zip(at) {
                row[i] = whole(c);
            }
            row
        })
        .collect();
    keep_best(&mut cands, score);
    Some(RowRead {
        cands,
        extra: false,
        short: true,
    })
}

/// Table 四 printed with too few values to read as a row (blank cells printed as nothing,
/// `pdftotext -layout` or a page's text): when its fifteen heads stand one cell each on a line,
/// each value right under them goes to the head it stands under; the rest are blank, and the
/// table is named in a finding.
fn sparse_t4(w: &mut Writer, region: &Region) {
    let heads = crate::spec::t4_heads();
    // A head's text, or a piece of one wrapped in its cell (`持`, `审结`).
    let of_heads = |a: &Atom| match &a.what {
        crate::atoms::What::Label(t, _) => t.iter().all(|c| heads.contains(c)),
        _ => false,
    };
    let is_head = |a: &Atom| {
        of_heads(a) && matches!(&a.what, crate::atoms::What::Label(t, _) if t.len() >= 2)
    };
    let mut by_line: std::collections::BTreeMap<usize, Vec<&Atom>> = Default::default();
    for a in region.atoms.iter().filter(|a| is_head(a)) {
        by_line.entry(a.line).or_default().push(a);
    }
    let Some((&line, hs)) = by_line.iter().find(|(_, v)| v.len() == T4_KEYS.len()) else {
        return;
    };
    // The values after the heads, up to the first words that are no head.
    let mut values: Vec<&Atom> = Vec::new();
    for (i, a) in region
        .atoms
        .iter()
        .enumerate()
        .filter(|(_, a)| a.line > line)
    {
        match a.value() {
            Some(v) if !v.prose && !region.taken[i] => values.push(a),
            Some(_) => {}
            None if a.is_label() && !of_heads(a) => break,
            None => {}
        }
    }
    if values.is_empty() || values.len() >= T4_KEYS.len() {
        return;
    }
    let geo = Geometry::new(w.norm, region.lines, w.at);
    let Some(columns) = geo.head_columns(hs, &values) else {
        return;
    };
    let Some(xs) = values
        .iter()
        .map(|a| geo.across(a))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let run: Vec<Chunk> = values.iter().map(|a| chunk(a)).collect();
    // Every placement as near as the nearest, in that order (no identity weighs them here).
    let Some(read) = placed_read(&columns, &xs, &run, T4_KEYS.len(), &no_soft) else {
        return;
    };
    w.r.tables.push("四".into());
    let conf = 1.0 / read.cands.len() as f32;
    for (i, p) in read.cands[0].iter().enumerate() {
        w.put(
            T4_KEYS[i].to_string(),
            ValueKind::Count,
            p,
            Unit::None,
            conf,
        );
    }
    w.doubt(
        Rule::ExtractMissingValues,
        Severity::Warning,
        format!(
            "表四应有15个数值，实际读到{}个，已按各数值在表头下的位置放入对应的列，其余留空，请对照原表核实",
            values.len()
        ),
        format!(
            "table 四 should have 15 numbers, found {}; each put in the column whose head it stands under, the rest left blank — verify against the original table",
            values.len()
        ),
        T4_KEYS.iter().map(|k| k.to_string()).collect(),
    );
}

/// Table 四 as one row of fifteen columns.
fn t4_spec() -> &'static RowSpec {
    crate::spec::t4_row()
}

/// Rows whose label was found but that took no values while a number among the rows'
/// values went to no row: the number may be theirs, their cells are in doubt.
fn empty_rows(w: &mut Writer, rows: &[&RowSpec], s: &Solved) {
    if !s.stray {
        return;
    }
    for (k, spec) in rows.iter().enumerate() {
        if s.anchors[k].is_some() && s.runs[k].is_none() && s.rivals[k].is_none() {
            let keys = (0..spec.cols.len()).map(|i| spec.cell_key(i)).collect();
            w.short_rows.push((spec.labels()[0], keys));
        }
    }
}

/// Rows neither found by their label nor given values; rows printed twice.
fn missing(w: &mut Writer, table: &str, rows: &[&RowSpec], s: &Solved) {
    for &r in &s.twice {
        w.twice(table, rows[r]);
    }
    for (k, rival) in s.rivals.iter().enumerate() {
        let Some(rival) = rival else { continue };
        let spec = rows[k];
        let read = |run: &Vec<Chunk>| {
            let r = read_row(run, spec.cols.len(), &no_soft);
            let pick = prior(&r.cands, &spec.cols, &no_soft);
            r.cands[pick].iter().map(|p| p.text()).collect::<Vec<_>>()
        };
        let blank = || vec![String::new(); spec.cols.len()];
        let chosen = s.runs[k].as_ref().map_or_else(blank, read);
        let other = rival.as_ref().map_or_else(blank, read);
        // The other reading gives the row the same printed values: no cell of it is in
        // doubt. (Blank either way is a doubt still: the row's values may be elsewhere.)
        let empty = |v: &[String]| v.iter().all(|x| x.is_empty() || x == "—");
        if chosen == other && !empty(&chosen) {
            continue;
        }
        w.uncertain(table, spec, chosen, other);
    }
    let assigned: Vec<Option<usize>> = s
        .anchors
        .iter()
        .zip(&s.runs)
        .map(|(a, r)| (a.is_some() || r.is_some()).then_some(0))
        .collect();
    w.missing_rows(table, rows, &assigned);
}

fn debug(
    atoms: &[Atom],
    stream: &Stream,
    rows: &[&RowSpec],
    found: &[Option<Anchor>],
    picks: &[Option<std::ops::Range<usize>>],
    rivals: &[Option<Rival>],
) {
    use crate::atoms::What;
    let mut owner = vec![String::new(); atoms.len()];
    for (r, a) in found.iter().enumerate() {
        if let Some(a) = a {
            for o in &mut owner[a.first..=a.last] {
                o.push_str(&format!("L{r} "));
            }
        }
    }
    for (r, p) in picks.iter().enumerate() {
        if let Some(p) = p {
            for &i in &stream.slots[p.clone()] {
                owner[i].push_str(&format!("V{r} "));
            }
        }
    }
    for (i, a) in atoms.iter().enumerate() {
        let t = match &a.what {
            What::Label(t, _) => format!("L {}", t.iter().collect::<String>()),
            What::Value(v) => format!(
                "V {:?}{}{}",
                match &v.chunk.kind {
                    ChunkKind::Number(n) => n.digits.clone(),
                    ChunkKind::Placeholder => "-".into(),
                },
                if v.attached { " ^" } else { "" },
                if v.prose { " ~" } else { "" }
            ),
            What::Blank => "B".into(),
        };
        eprintln!("{i:4} l{:<4} {:<40} {}", a.line, t, owner[i]);
    }
    for (r, row) in rows.iter().enumerate() {
        eprintln!(
            "row {r} {} anchor {:?} values {:?} rival {:?}",
            row.key(),
            found[r],
            picks[r],
            rivals[r]
        );
    }
}
