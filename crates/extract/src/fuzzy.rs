//! Approximate string matching: where a pattern occurs in a text with at most `k` edits
//! (Myers' bit-parallel algorithm, 1999), for labels and anchors printed with typos, dropped
//! or look-alike characters and pieces of other text inside.

use crate::labels::prefix_match;

/// A match: chars `start..end` of the text, `dist` edits from the pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub dist: usize,
}

/// Every match of `pattern` (1–64 chars) in `text` with at most `k` edits, one per run of
/// ends within `k` (the end needing the fewest edits), in text order.
pub fn matches(text: &[char], pattern: &[char], k: usize) -> Vec<Match> {
    let m = pattern.len();
    let mut out = Vec::new();
    if m == 0 || m > 64 || text.is_empty() {
        return out;
    }
    let dists = myers(pattern, text);
    crate::work::add(text.len());
    let mut j = 0;
    while j < text.len() {
        if dists[j] > k {
            j += 1;
            continue;
        }
        let mut best = j;
        while j < text.len() && dists[j] <= k {
            if dists[j] < dists[best] {
                best = j;
            }
            j += 1;
        }
        let end = best + 1;
        let from = end.saturating_sub(m + k);
        let back: Vec<char> = text[from..end].iter().rev().copied().collect();
        let rpattern: Vec<char> = pattern.iter().rev().copied().collect();
        let (_, len) = prefix_match(&rpattern, &back);
        out.push(Match {
            start: end - len.max(1),
            end,
            dist: dists[best],
        });
    }
    out
}

/// The first match of any of `patterns` at or after `from`, each allowed a fifth of its
/// length in edits: its start.
pub fn first_of(text: &[char], patterns: &[&str], from: usize) -> Option<usize> {
    let text = text.get(from..)?;
    patterns
        .iter()
        .filter_map(|p| {
            let p: Vec<char> = p.chars().collect();
            matches(text, &p, p.len() / 5).first().map(|m| m.start)
        })
        .min()
        .map(|s| s + from)
}

/// Edit distance of `pattern` to the best substring of `text` ending at each position
/// (the search form: a match may start anywhere). `pattern` has 1–64 chars.
fn myers(pattern: &[char], text: &[char]) -> Vec<usize> {
    let m = pattern.len();
    let mut alphabet: Vec<(char, u64)> = Vec::with_capacity(m);
    for (i, &c) in pattern.iter().enumerate() {
        match alphabet.iter_mut().find(|(x, _)| *x == c) {
            Some((_, mask)) => *mask |= 1 << i,
            None => alphabet.push((c, 1 << i)),
        }
    }
    let top = 1u64 << (m - 1);
    let mut pv: u64 = if m == 64 { !0 } else { (1u64 << m) - 1 };
    let mut mv: u64 = 0;
    let mut score = m;
    let mut out = Vec::with_capacity(text.len());
    for &c in text {
        let eq = alphabet
            .iter()
            .find(|(x, _)| *x == c)
            .map_or(0, |&(_, mask)| mask);
        let xv = eq | mv;
        let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
        let ph = mv | !(xh | pv);
        let mh = pv & xh;
        if ph & top != 0 {
            score += 1;
        } else if mh & top != 0 {
            score -= 1;
        }
        let ph = ph << 1;
        let mh = mh << 1;
        pv = mh | !(xv | ph);
        mv = ph & xv;
        out.push(score);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn myers_gives_the_distance_of_the_best_match_ending_at_each_char() {
        let d = myers(&v("重复申请"), &v("2.重复申请3.要求"));
        assert_eq!(d[5], 0);
        assert_eq!(d[4], 1);
        assert_eq!(*d.last().unwrap(), 4);
        let d = myers(&v("abc"), &v("xabxc"));
        assert_eq!(d[4], 1);
    }

    #[test]
    fn matches_start_where_the_pattern_begins() {
        let m = matches(&v("(三)不予公开1.属于国家秘密"), &v("1.属于国家秘密"), 1);
        assert_eq!(m, [Match { start: 7, end: 15, dist: 0 }]);
        let m = matches(&v("xx一本年新收政信息公开由请数量yy"), &v("一本年新收政府信息公开申请数量"), 3);
        assert_eq!((m[0].start, m[0].end, m[0].dist), (2, 16, 2));
        assert_eq!(first_of(&v("abc本年新收政信息公开由请"), &["本年新收政府信息公开申请"], 0), Some(3));
    }
}
