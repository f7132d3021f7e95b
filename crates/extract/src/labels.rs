//! Label canonicalisation and fuzzy matching.
//!
//! Labels are compared after canonicalisation (annotations in brackets, quotes and
//! punctuation dropped; `1、` → `1.`), by edit distance, so typos seen in real reports
//! (`无正当理由由大量反复申请`, `其他法律和行政法规禁止公开`) still match.

/// Canonical form of label text.
pub fn canon(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    canon_at(&chars).into_iter().map(|(c, _)| c).collect()
}

/// Canonical form of label text, each char with the index in `chars` it stands for.
pub fn canon_at(all: &[char]) -> Vec<(char, usize)> {
    let chars: Vec<(char, usize)> = all
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, c)| !c.is_whitespace())
        .map(|(i, c)| (c, i))
        .collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let (c, at) = chars[i];
        if c == '(' {
            if let Some(close) = chars[i..]
                .iter()
                .position(|&(x, _)| x == ')')
                .map(|p| i + p)
            {
                let inner = &chars[i + 1..close];
                if !inner.is_empty()
                    && inner.len() <= 3
                    && inner
                        .iter()
                        .all(|(c, _)| "一二三四五六七八九十".contains(*c))
                {
                    out.push(('(', at));
                    out.extend_from_slice(inner);
                    out.push((')', chars[close].1));
                }
                i = close + 1;
                continue;
            }
            // An annotation cut off by a page break or a cell's end (`（不包括…的经`):
            // dropped like a closed one. An item number missing its `）` (`（一政府…`,
            // `（七总计`: OCR drops a bracket) is one with it.
            let rest = &chars[i + 1..];
            let numbering = rest
                .first()
                .is_some_and(|(c, _)| "一二三四五六七八九十".contains(*c) || c.is_ascii_digit());
            if i > 0 && rest.len() >= 4 && !numbering {
                break;
            }
            let numerals = rest
                .iter()
                .take_while(|(c, _)| "一二三四五六七八九十".contains(*c))
                .count();
            if (1..=3).contains(&numerals) && rest.len() > numerals {
                out.push(('(', at));
                out.extend_from_slice(&rest[..numerals]);
                out.push((')', rest[numerals - 1].1));
                i += 1 + numerals;
                continue;
            }
            i += 1;
            continue;
        }
        match c {
            '、' | '.' if i > 0 && chars[i - 1].0.is_ascii_digit() => out.push(('.', at)),
            ':' | ',' | ';' | '、' | '.' | '。' | '“' | '”' | '"' | '\'' | '‘' | '’' | '《'
            | '》' | '·' | ')' | '「' | '」' => {}
            _ => out.push((c, at)),
        }
        i += 1;
    }
    out
}

/// Edits a label of `len` chars may differ by and still match.
pub fn allowed(len: usize) -> usize {
    len / 5
}

/// Runs the edit-distance table of `label` against `text` row by row, calling `row(i, r)`
/// after label char `i` (1-based) with the row: entry `j` is the distance between
/// `label[..i]` and a piece of `text` ending at `j`, which starts anywhere when
/// `free_start` (suffix matching) and at 0 otherwise (prefix matching). Returns the last row.
fn edit_rows(
    label: &[char],
    text: &[char],
    free_start: bool,
    mut row: impl FnMut(usize, &[usize]),
) -> Vec<usize> {
    crate::work::add(label.len() * text.len());
    let mut prev: Vec<usize> = (0..=text.len())
        .map(|j| if free_start { 0 } else { j })
        .collect();
    let mut cur = vec![0usize; text.len() + 1];
    for (i, &lc) in label.iter().enumerate() {
        cur[0] = i + 1;
        for j in 1..=text.len() {
            let sub = prev[j - 1] + usize::from(lc != text[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
        row(i + 1, &prev);
    }
    prev
}

/// The same table as [`edit_rows`] for a label of 1 to 64 chars, a column at a time
/// ([`crate::fuzzy::Columns`]): far fewer steps for the short labels of the templates. Calls
/// `col(j, d)` with the distance `d` of the whole label to the text up to `j` (from `j` = 0);
/// returns the last column's steps ([`crate::fuzzy::Columns::steps`]).
fn edit_columns(
    label: &[char],
    text: &[char],
    free_start: bool,
    mut col: impl FnMut(usize, usize),
) -> (u64, u64) {
    crate::work::add(text.len());
    let mut columns = crate::fuzzy::Columns::new(label.len(), free_start);
    col(0, columns.dist);
    // Most chars of a text are none of the label's: those are told by one bit.
    let set = CharSet::of(label);
    for (j, &t) in text.iter().enumerate() {
        let eq = if set.has(t) {
            label
                .iter()
                .enumerate()
                .fold(0u64, |e, (i, &c)| e | (u64::from(c == t) << i))
        } else {
            0
        };
        columns.step(eq);
        col(j + 1, columns.dist);
    }
    columns.steps()
}

fn fast(label: &[char]) -> bool {
    (1..=64).contains(&label.len())
}

/// Distance of every prefix of `label` (index = prefix length) to its best suffix of `text`.
fn prefix_suffix_dists(label: &[char], text: &[char]) -> Vec<usize> {
    let mut out = vec![0; label.len() + 1];
    if fast(label) {
        let (pv, mv) = edit_columns(label, text, true, |_, _| {});
        let mut d = 0isize;
        for (i, o) in out.iter_mut().enumerate().skip(1) {
            let bit = 1u64 << (i - 1);
            d += isize::from(pv & bit != 0) - isize::from(mv & bit != 0);
            *o = d as usize;
        }
        return out;
    }
    edit_rows(label, text, true, |i, r| out[i] = r[text.len()]);
    out
}

/// A long label cut by a line or page break (`5.要求行政机关确认或重新` | `出具已获取信息`):
/// the segment ends with at least 60 % of it. Returns the matched prefix length.
pub fn wrapped_prefix(label: &[char], seg: &[char]) -> Option<usize> {
    if label.len() < 10 {
        return None;
    }
    let text = &seg[seg.len().saturating_sub(reach(label))..];
    let d = prefix_suffix_dists(label, text);
    let min_len = (label.len() * 3).div_ceil(5).max(6);
    (min_len..label.len())
        .filter(|&i| d[i] <= allowed(i) / 2)
        .max_by_key(|&i| 2 * i as isize - 4 * d[i] as isize)
}

/// Longest piece of text worth comparing with a label.
fn reach(label: &[char]) -> usize {
    label.len() + allowed(label.len()) + 2
}

/// Smallest edit distance between `label` and some suffix of `text`.
pub fn suffix_dist(label: &[char], text: &[char]) -> usize {
    let text = &text[text.len().saturating_sub(reach(label))..];
    if fast(label) {
        let (pv, mv) = edit_columns(label, text, true, |_, _| {});
        return (pv.count_ones() - mv.count_ones()) as usize;
    }
    edit_rows(label, text, true, |_, _| {})[text.len()]
}

/// Smallest edit distance between `label` and some prefix of `text`.
#[cfg(test)]
fn prefix_dist(label: &[char], text: &[char]) -> usize {
    prefix_match(label, text).0
}

/// Smallest edit distance between `label` and a prefix of `text`, and that prefix's length
/// (the shortest one at that distance).
pub fn prefix_match(label: &[char], text: &[char]) -> (usize, usize) {
    let text = &text[..text.len().min(reach(label))];
    if fast(label) {
        let mut best = (usize::MAX, 0);
        edit_columns(label, text, false, |j, d| {
            if d < best.0 {
                best = (d, j);
            }
        });
        return best;
    }
    let row = edit_rows(label, text, false, |_, _| {});
    let best = row.iter().copied().min().unwrap_or(label.len());
    (best, row.iter().position(|&d| d == best).unwrap_or(0))
}

/// A set of characters as a 128-bit Bloom filter: membership may err towards "present".
#[derive(Clone, Copy, Default)]
pub struct CharSet(u128);

impl CharSet {
    pub fn of(chars: &[char]) -> CharSet {
        CharSet(chars.iter().fold(0u128, |m, &c| m | Self::bit(c)))
    }
    fn bit(c: char) -> u128 {
        1u128 << ((c as u32).wrapping_mul(2_654_435_761) >> 25)
    }
    pub fn has(self, c: char) -> bool {
        self.0 & Self::bit(c) != 0
    }
}

/// A lower bound of the edits between `label` and any text whose chars are in `set`:
/// each label char absent from the text must be edited.
pub fn edits_at_least(label: &[char], set: CharSet) -> usize {
    label.iter().filter(|&&c| !set.has(c)).count()
}

/// Chars of the tail of a segment that can take part in a suffix match of up to `max_label` chars.
pub fn tail_set(seg: &[char], max_label: usize) -> CharSet {
    let keep = max_label + allowed(max_label) + 2; // reach() of the longest label
    CharSet::of(&seg[seg.len().saturating_sub(keep)..])
}

/// Match score of the best label alternative at the end of `seg`: matched length minus
/// edits, or None when no alternative is close enough. `tail` is `tail_set(seg, …)` for
/// the longest alternative.
pub fn suffix_score_with(alternatives: &[Vec<char>], seg: &[char], tail: CharSet) -> Option<usize> {
    alternatives
        .iter()
        .filter_map(|l| {
            if seg.ends_with(l) {
                return Some(l.len() * 4 + 1);
            }
            if edits_at_least(l, tail) <= allowed(l.len()) {
                let d = suffix_dist(l, seg);
                if d <= allowed(l.len()) {
                    return Some(l.len() * 4 - d * 4 + usize::from(d == 0));
                }
            }
            // A label cut by a break, scored below any full match of the same row.
            let shortest = (l.len() * 3).div_ceil(5).max(6);
            if l.len() < 10 || edits_at_least(&l[..shortest], tail) > allowed(shortest) / 2 {
                return None;
            }
            wrapped_prefix(l, seg).map(|k| k * 2)
        })
        .max()
}

/// [`suffix_score_with`] for label strings.
#[cfg(test)]
pub fn suffix_score(alternatives: &[&str], seg: &[char]) -> Option<usize> {
    let alts: Vec<Vec<char>> = alternatives.iter().map(|a| a.chars().collect()).collect();
    let max = alts.iter().map(Vec::len).max().unwrap_or(0);
    suffix_score_with(&alts, seg, tail_set(seg, max))
}

/// Strips one trailing unit cell (`件`, `条`, `人次`, `万元` …) that legacy tables put
/// between label and value; returns the rest and the unit.
pub fn strip_unit(seg: &str) -> (&str, Option<&str>) {
    for u in [
        "人次", "万元", "元", "条", "件", "个", "人", "次", "篇", "项", "家",
    ] {
        if let Some(rest) = seg.strip_suffix(u) {
            return (rest, Some(u));
        }
    }
    (seg, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// The bit-parallel columns give the distances of the table filled cell by cell, for
    /// labels up to 64 chars, free start or not.
    #[test]
    fn bit_columns_agree_with_the_full_table() {
        use proptest::prelude::*;
        let chars = prop::sample::select(vec!['申', '请', '公', '开', '1', '.', '（']);
        let strat = (
            prop::collection::vec(chars.clone(), 1..=64),
            prop::collection::vec(chars, 0..80),
        );
        proptest!(ProptestConfig::with_cases(2000), |((label, text) in strat)| {
            for free in [true, false] {
                let full = edit_rows(&label, &text, free, |_, _| {});
                let mut cols = vec![];
                let (pv, mv) = edit_columns(&label, &text, free, |j, d| cols.push((j, d)));
                let want: Vec<(usize, usize)> = full.iter().copied().enumerate().collect();
                prop_assert_eq!(&cols, &want);
                // The last column, rebuilt from its steps, against every row's last entry.
                let mut rows = vec![if free { 0 } else { text.len() }];
                edit_rows(&label, &text, free, |_, r| rows.push(r[text.len()]));
                let mut d = rows[0] as isize;
                for i in 0..label.len() {
                    d += isize::from(pv >> i & 1 == 1) - isize::from(mv >> i & 1 == 1);
                    prop_assert_eq!(d, rows[i + 1] as isize);
                }
            }
        });
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(
            canon("(二) 部分公开(区分处理的,只计这一情形,不计其他情形)"),
            "(二)部分公开"
        );
        assert_eq!(canon("3.危及“三安全一稳定”"), "3.危及三安全一稳定");
        // An annotation cut by a page break is dropped; an item number missing `）` gets it.
        assert_eq!(
            canon(
                "(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经"
            ),
            "(四)政府信息公开专项经费"
        );
        assert_eq!(
            canon("八机构建设(一政府信息公开工作专门机构数"),
            "八机构建设(一)政府信息公开工作专门机构数"
        );
        assert_eq!(canon("(七总计"), "(七)总计");
        assert_eq!(canon("1、当面申请数"), "1.当面申请数");
        assert_eq!(
            canon("一、本年新收政府信息公开申请数量"),
            "一本年新收政府信息公开申请数量"
        );
        assert_eq!(
            canon("其中:主要负责同志参加新闻发布会次数"),
            "其中主要负责同志参加新闻发布会次数"
        );
    }

    #[test]
    fn fuzzy_suffix() {
        assert_eq!(
            suffix_dist(
                &v("4.无正当理由大量反复申请"),
                &v("(五)不予处理4.无正当理由由大量反复申请")
            ),
            1
        );
        assert_eq!(suffix_dist(&v("规章"), &v("对外公开总数量规章")), 0);
        assert!(suffix_score(&["规章"], &v("规范性文件")).is_none());
        assert!(suffix_score(
            &["2.其他法律行政法规禁止公开"],
            &v("2.其他法律法规禁止公开")
        )
        .is_some());
        assert!(suffix_score(&["2.重复申请"], &v("1.信访举报投诉类申请")).is_none());
    }

    #[test]
    fn labels_cut_by_a_break() {
        let l = v("5.要求行政机关确认或重新出具已获取信息");
        assert_eq!(
            wrapped_prefix(&l, &v("4.无正当理由大量反复申请5.要求行政机关确认或重新")),
            Some(13)
        );
        assert!(wrapped_prefix(&l, &v("5.要求行政机关")).is_none());
        assert!(suffix_score(
            &["5.要求行政机关确认或重新出具已获取信息"],
            &v("(五)不予处理5.要求行政机关确认或重新")
        )
        .is_some());
        assert!(suffix_score(&["2.重复申请"], &v("2.重复")).is_none());
    }

    #[test]
    fn fuzzy_prefix() {
        assert_eq!(
            prefix_dist(
                &v("政府信息公开行政复议行政诉讼情况"),
                &v("政府信息公开行政法复议行政诉讼情况行政复议")
            ),
            1
        );
        assert_eq!(prefix_dist(&v("总体情况"), &v("总体情况2019年")), 0);
    }

    #[test]
    fn units_stripped() {
        assert_eq!(
            strip_unit("接受培训人员数人次"),
            ("接受培训人员数", Some("人次"))
        );
        assert_eq!(
            strip_unit("依申请公开信息收取的费用万元"),
            ("依申请公开信息收取的费用", Some("万元"))
        );
        assert_eq!(strip_unit("举报投诉数量"), ("举报投诉数量", None));
    }
}
