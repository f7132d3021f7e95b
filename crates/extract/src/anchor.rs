//! Where each row's label stands among a table's atoms.
//!
//! The region's label atoms are read as one string (atoms joined in order, values and blanks
//! left out), so a label wrapped over lines, cells or around its values is one stretch of it.
//! Every label of every row is searched for in that string with at most `allowed` edits
//! (Myers' bit-parallel approximate matching), and the matches are chosen so that rows keep
//! their order and no two overlap, the best total score winning: typos, dropped and
//! look-alike characters, group labels in front and pieces of other columns cost edits, not
//! the row.

use crate::atoms::{Atom, What};
use crate::fuzzy;

/// A row's label found: the atoms it spans (first, last) and how well it matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub first: usize,
    pub last: usize,
    pub score: usize,
}

/// The label text of a table's atoms, with the atom of each character.
pub struct Text {
    pub chars: Vec<char>,
    atom: Vec<usize>,
    /// The normalised char index each char stands for.
    pub at: Vec<usize>,
    /// A value stands between each char and the char before it.
    after_value: Vec<bool>,
}

impl Text {
    /// The chars prepared for searching many labels.
    pub fn haystack(&self) -> fuzzy::Haystack<'_> {
        fuzzy::Haystack::new(&self.chars)
    }

    pub fn of(atoms: &[Atom]) -> Text {
        let mut chars = Vec::new();
        let mut atom = Vec::new();
        let mut at = Vec::new();
        let mut after_value = Vec::new();
        let mut value = false;
        for (i, a) in atoms.iter().enumerate() {
            match &a.what {
                What::Label(t, pos) => {
                    chars.extend_from_slice(t);
                    atom.extend(std::iter::repeat_n(i, t.len()));
                    at.extend_from_slice(pos);
                    after_value.push(value);
                    after_value.extend(std::iter::repeat_n(false, t.len().saturating_sub(1)));
                    value = false;
                }
                What::Value(_) => value = true,
                What::Blank => {}
            }
        }
        Text {
            chars,
            atom,
            at,
            after_value,
        }
    }
}

/// One place a row's label matched: chars `start..end` of the text.
#[derive(Clone, Copy, Debug)]
struct Hit {
    row: usize,
    start: usize,
    end: usize,
    score: usize,
}

/// Per row (labels in canonical form, each row its alternatives; and the labels of its
/// groups, innermost first), the anchor chosen. A row's anchor reaches back over its groups'
/// labels printed right before it (`三、本年度办理结果（三）不予公开1.属于国家秘密`).
/// `hay` is `text`'s chars prepared for searching (see [`Text::haystack`]).
pub fn anchors(
    text: &Text,
    hay: &fuzzy::Haystack,
    rows: &[&[Vec<char>]],
    groups: &[&[Vec<char>]],
) -> Found {
    let mut hits = Vec::new();
    for (r, alts) in rows.iter().enumerate() {
        for label in alts.iter() {
            find(hay, label, r, &mut hits);
        }
    }
    broken_by_groups(text, hay, rows, groups, &mut hits);
    let mut chosen = choose(&hits, rows.len());
    let mut floor = 0;
    for (r, hit) in chosen.iter_mut().enumerate() {
        let Some(h) = hit else { continue };
        // Innermost first; a level printed elsewhere (in a column of its own) is passed over.
        for g in groups.get(r).copied().unwrap_or(&[]) {
            // Printed right before, or around values (`三、本年度办理结果 / 32 … / （七）总计`)
            // when exactly: a group's label found only with an edit beyond values
            // (`（四）无法提供 息 / 4 … / 2.没有…`) is not the row's.
            if let Some((s, _)) = group_before(&text.chars, g, floor, h.start)
                .filter(|&(_, d)| d == 0 || !text.after_value[h.start])
            {
                h.start = s;
            }
        }
        floor = h.end;
    }
    let anchor = |h: &Hit| Anchor {
        first: text.atom[h.start],
        last: text.atom[h.end - 1],
        score: h.score,
    };
    // Exact matches of a found row's label elsewhere: the label printed twice.
    let again = hits
        .iter()
        .filter(|h| h.score % 4 == 1 && h.end - h.start >= 4)
        .filter(|h| chosen[h.row].is_some_and(|c| h.end <= c.start || h.start >= c.end))
        .map(|h| (h.row, anchor(h)))
        .collect();
    Found {
        anchors: chosen.iter().map(|h| h.as_ref().map(anchor)).collect(),
        again,
    }
}

/// The rows' labels found: one anchor per row, and other places a found row's label is
/// printed exactly (row, where).
pub struct Found {
    pub anchors: Vec<Option<Anchor>>,
    pub again: Vec<(usize, Anchor)>,
}

/// Every place `label` is printed (with typos), as the atoms each spans.
pub fn occurrences(text: &Text, hay: &fuzzy::Haystack, label: &[char]) -> Vec<(usize, usize)> {
    if label.len() < 4 {
        return Vec::new();
    }
    hay.matches(label, tolerance(label.len()), 0)
        .into_iter()
        .map(|m| (text.atom[m.start], text.atom[m.end - 1]))
        .collect()
}

/// A label found in atoms `from..before`, the best match: where a group printed as one row
/// of its own stands.
pub fn find_between(text: &Text, label: &[char], from: usize, before: usize) -> Option<Anchor> {
    let from = text.atom.partition_point(|&a| a < from);
    let to = text.atom.partition_point(|&a| a < before);
    if from >= to {
        return None;
    }
    let hay = fuzzy::Haystack::new(&text.chars[from..to]);
    let m = hay
        .matches(label, tolerance(label.len()), 0)
        .into_iter()
        .min_by_key(|m| m.dist)?;
    Some(Anchor {
        first: text.atom[from + m.start],
        last: text.atom[from + m.end - 1],
        score: label.len() * 4 - m.dist * 4,
    })
}

/// Where a group's label printed right before char `start` (and after `floor`) begins, and
/// with how many edits.
fn group_before(
    text: &[char],
    group: &[char],
    floor: usize,
    start: usize,
) -> Option<(usize, usize)> {
    let k = tolerance(group.len());
    let from = start.saturating_sub(group.len() + k).max(floor);
    if from >= start {
        return None;
    }
    let back: Vec<char> = text[from..start].iter().rev().copied().collect();
    let rgroup: Vec<char> = group.iter().rev().copied().collect();
    let (d, len) = crate::labels::prefix_match(&rgroup, &back);
    (d <= k && len > 0).then(|| (start - len, d))
}

/// Rows found nowhere, looked for again in the text without the groups' labels: a merged
/// group cell's text read between a row's wrapped lines (`1.本机关不掌 / （四）无法提供 /
/// 握相关政府信息`) breaks the row's label by more edits than it is allowed.
fn broken_by_groups(
    text: &Text,
    hay: &fuzzy::Haystack,
    rows: &[&[Vec<char>]],
    groups: &[&[Vec<char>]],
    hits: &mut Vec<Hit>,
) {
    let mut lost: Vec<bool> = vec![true; rows.len()];
    for h in hits.iter() {
        lost[h.row] = false;
    }
    if !lost.contains(&true) {
        return;
    }
    let mut labels: Vec<&Vec<char>> = groups.iter().flat_map(|g| g.iter()).collect();
    labels.sort();
    labels.dedup();
    let mut cut = vec![false; text.chars.len()];
    for g in labels.into_iter().filter(|g| g.len() >= 4) {
        for m in hay.matches(g, tolerance(g.len()), 0) {
            cut[m.start..m.end].iter_mut().for_each(|c| *c = true);
        }
    }
    if !cut.contains(&true) {
        return;
    }
    let (chars, back): (Vec<char>, Vec<usize>) = text
        .chars
        .iter()
        .enumerate()
        .filter(|&(i, _)| !cut[i])
        .map(|(i, &c)| (c, i))
        .unzip();
    let hay = fuzzy::Haystack::new(&chars);
    for (r, alts) in rows.iter().enumerate().filter(|&(r, _)| lost[r]) {
        let mut found = Vec::new();
        for label in alts.iter() {
            find(&hay, label, r, &mut found);
        }
        hits.extend(found.into_iter().map(|h| Hit {
            start: back[h.start],
            end: back[h.end - 1] + 1,
            ..h
        }));
    }
}

/// Every match of `label` in `text` within its allowed edits.
fn find(text: &fuzzy::Haystack, label: &[char], row: usize, out: &mut Vec<Hit>) {
    for m in text.matches(label, tolerance(label.len()), 0) {
        let score = label.len() * 4 - m.dist * 4 + usize::from(m.dist == 0);
        out.push(Hit {
            row,
            start: m.start,
            end: m.end,
            score,
        });
    }
}

/// Edits a label of `len` chars may be found with: rows keep their order, so a label can be
/// looked for more loosely than one read alone (`2.其他法律行政止公开` is row 2 of （三）).
fn tolerance(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=9 => 1,
        _ => len / 4,
    }
}

/// The hits that keep rows in order without overlapping, with the best total score: the
/// hit chosen per row.
fn choose(hits: &[Hit], rows: usize) -> Vec<Option<Hit>> {
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|&h| (hits[h].end, hits[h].row));
    // best[i]: the best total of a chain ending with hit order[i]; prev for the chain.
    let mut best = vec![0usize; order.len()];
    let mut prev = vec![usize::MAX; order.len()];
    for i in 0..order.len() {
        let h = &hits[order[i]];
        best[i] = h.score;
        for p in 0..i {
            let g = &hits[order[p]];
            if g.end <= h.start && g.row < h.row && best[p] + h.score > best[i] {
                best[i] = best[p] + h.score;
                prev[i] = p;
            }
        }
    }
    let mut out = vec![None; rows];
    let Some(mut i) = (0..order.len()).max_by_key(|&i| (best[i], std::cmp::Reverse(i))) else {
        return out;
    };
    loop {
        let h = hits[order[i]];
        out[h.row] = Some(h);
        if prev[i] == usize::MAX {
            break;
        }
        i = prev[i];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn atom(t: &str) -> Atom {
        Atom {
            what: What::Label(v(t), vec![0; t.chars().count()]),
            a: 0,
            b: 0,
            line: 0,
            cell: 0,
        }
    }

    #[test]
    fn labels_wrapped_typoed_and_prefixed_are_found_in_order() {
        let atoms = [
            atom("项目"),
            atom("(三)不予公开1.属于国"),
            atom("家秘密"),
            atom("2.其他法律行政止公开"),
            atom("8.属干行政查询事项"),
        ];
        let rows = [
            vec![v("1.属于国家秘密")],
            vec![v("2.其他法律行政法规禁止公开")],
            vec![v("7.属于行政执法案卷")],
            vec![v("8.属于行政查询事项")],
        ];
        let rows: Vec<&[Vec<char>]> = rows.iter().map(Vec::as_slice).collect();
        let t = Text::of(&atoms);
        let a = anchors(&t, &t.haystack(), &rows, &[]).anchors;
        assert_eq!(a[0].map(|a| (a.first, a.last)), Some((1, 2)));
        assert_eq!(a[1].map(|a| (a.first, a.last)), Some((3, 3)));
        assert_eq!(a[2], None);
        assert_eq!(a[3].map(|a| a.first), Some(4));
    }

    #[test]
    fn a_label_broken_by_its_groups_label_is_found_around_it() {
        let atoms = [
            atom("1.本机关不掌"),
            atom("(四)无法提供"),
            atom("握相关政府信息"),
            atom("2.没有现成信息需要另行"),
            atom("制作"),
        ];
        let rows = [
            vec![v("1.本机关不掌握相关政府信息")],
            vec![v("2.没有现成信息需要另行制作")],
        ];
        let rows: Vec<&[Vec<char>]> = rows.iter().map(Vec::as_slice).collect();
        let group = [v("(四)无法提供")];
        let groups: Vec<&[Vec<char>]> = vec![&group, &group];
        let t = Text::of(&atoms);
        let a = anchors(&t, &t.haystack(), &rows, &groups).anchors;
        assert_eq!(a[0].map(|a| (a.first, a.last)), Some((0, 2)));
        assert_eq!(a[1].map(|a| (a.first, a.last)), Some((3, 4)));
        // Without the group's label known, the broken label is beyond its edits.
        let t = Text::of(&atoms);
        let a = anchors(&t, &t.haystack(), &rows, &[]).anchors;
        assert_eq!(a[0], None);
    }
}
