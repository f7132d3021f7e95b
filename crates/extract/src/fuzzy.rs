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

/// The edit-distance table of a pattern of 1 to 64 chars against a text, one column (text
/// char) after another, one bit per pattern char (Myers' bit-vector algorithm, as Hyyrö
/// writes it).
pub struct Columns {
    /// Vertical steps of the current column: +1 and −1 between pattern rows.
    pv: u64,
    mv: u64,
    mask: u64,
    top: u64,
    /// The row above the pattern: 0 everywhere when a match may start anywhere in the
    /// text, one more per text char when it starts at the text's start.
    free_start: bool,
    /// Distance of the whole pattern to the text read so far (its best suffix when
    /// `free_start`).
    pub dist: usize,
}

impl Columns {
    pub fn new(m: usize, free_start: bool) -> Columns {
        debug_assert!((1..=64).contains(&m));
        let mask = if m == 64 { !0 } else { (1u64 << m) - 1 };
        Columns {
            pv: mask,
            mv: 0,
            mask,
            top: 1u64 << (m - 1),
            free_start,
            dist: m,
        }
    }

    /// The next column, for a text char equal to the pattern chars of bits `eq`.
    pub fn step(&mut self, eq: u64) {
        let (pv, mv) = (self.pv, self.mv);
        let xv = eq | mv;
        let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
        let ph = mv | !(xh | pv);
        let mh = pv & xh;
        if ph & self.top != 0 {
            self.dist += 1;
        } else if mh & self.top != 0 {
            self.dist -= 1;
        }
        let ph = (ph << 1) | u64::from(!self.free_start);
        let mh = mh << 1;
        self.pv = (mh | !(xv | ph)) & self.mask;
        self.mv = ph & xv & self.mask;
    }

    /// The current column's steps: bit `i` of the first word when entry `i + 1` is one
    /// more than entry `i`, of the second when one less.
    pub fn steps(&self) -> (u64, u64) {
        (self.pv, self.mv)
    }
}

/// Hashes a char by one multiplication: the alphabet map is built for every text searched.
#[derive(Default, Clone, Copy)]
pub struct CharHash(u64);

impl std::hash::Hasher for CharHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Alphabet = std::collections::HashMap<char, u32, std::hash::BuildHasherDefault<CharHash>>;

/// A text prepared for searching many patterns: its chars as small ids.
pub struct Haystack<'a> {
    chars: &'a [char],
    ids: Vec<u32>,
    alphabet: Alphabet,
    /// Pattern masks by id, all zero between searches.
    peq: std::cell::RefCell<Vec<u64>>,
}

impl<'a> Haystack<'a> {
    pub fn new(chars: &'a [char]) -> Haystack<'a> {
        let mut alphabet = Alphabet::default();
        let ids = chars
            .iter()
            .map(|&c| {
                let n = alphabet.len() as u32;
                *alphabet.entry(c).or_insert(n)
            })
            .collect();
        let size = alphabet.len();
        Haystack {
            chars,
            ids,
            alphabet,
            peq: std::cell::RefCell::new(vec![0; size]),
        }
    }

    /// Every match of `pattern` (1–64 chars) with at most `k` edits ending after `from`,
    /// one per run of ends within `k` (the end needing the fewest edits), in text order.
    pub fn matches(&self, pattern: &[char], k: usize, from: usize) -> Vec<Match> {
        self.matches_until(pattern, k, from, self.chars.len())
    }

    /// [`matches`](Self::matches) ending at or before char `until`.
    fn matches_until(&self, pattern: &[char], k: usize, from: usize, until: usize) -> Vec<Match> {
        let m = pattern.len();
        let mut out = Vec::new();
        if m == 0 || m > 64 || until <= from {
            return out;
        }
        crate::work::add(until - from);
        let mut peq = self.peq.borrow_mut();
        let mut used = Vec::with_capacity(m);
        for (i, c) in pattern.iter().enumerate() {
            if let Some(&id) = self.alphabet.get(c) {
                peq[id as usize] |= 1 << i;
                used.push(id as usize);
            }
        }
        let mut columns = Columns::new(m, true);
        // The current run of ends within k: (best end, its distance).
        let mut run: Option<(usize, usize)> = None;
        for j in from..until {
            columns.step(peq[self.ids[j] as usize]);
            let score = columns.dist;
            if score <= k {
                run = match run {
                    Some((_, d)) if d <= score => run,
                    _ => Some((j, score)),
                };
            } else if let Some((end, d)) = run.take() {
                out.push(self.found(pattern, end, d, k));
            }
        }
        if let Some((end, d)) = run {
            out.push(self.found(pattern, end, d, k));
        }
        for id in used {
            peq[id] = 0;
        }
        out
    }

    /// The match of `pattern` ending at char `last` with `d` edits: where it starts.
    fn found(&self, pattern: &[char], last: usize, d: usize, k: usize) -> Match {
        let end = last + 1;
        if d == 0 {
            return Match {
                start: end - pattern.len(),
                end,
                dist: 0,
            };
        }
        let from = end.saturating_sub(pattern.len() + k);
        let back: Vec<char> = self.chars[from..end].iter().rev().copied().collect();
        let rpattern: Vec<char> = pattern.iter().rev().copied().collect();
        let (_, len) = prefix_match(&rpattern, &back);
        Match {
            start: end - len.max(1),
            end,
            dist: d,
        }
    }
}

/// Every match of `pattern` (1–64 chars) in `text` with at most `k` edits (see
/// [`Haystack::matches`]).
#[cfg(test)]
pub fn matches(text: &[char], pattern: &[char], k: usize) -> Vec<Match> {
    Haystack::new(text).matches(pattern, k, 0)
}

/// The first match of any of `patterns` at or after `from` in `text`, each allowed a fifth
/// of its length in edits: its start. Where one is printed exactly, only the text before
/// that is searched for a match with edits.
pub fn first_of(text: &[char], patterns: &[&str], from: usize) -> Option<usize> {
    let pats: Vec<Vec<char>> = patterns.iter().map(|p| p.chars().collect()).collect();
    let exact = pats
        .iter()
        .filter_map(|p| {
            let first = *p.first()?;
            (from..text.len().saturating_sub(p.len() - 1))
                .find(|&i| text[i] == first && text[i..i + p.len()] == p[..])
        })
        .min();
    let longest = pats.iter().map(Vec::len).max().unwrap_or(0);
    let limit = exact.map_or(text.len(), |e| (e + longest).min(text.len()));
    if limit <= from {
        return exact;
    }
    let window = Haystack::new(&text[from..limit]);
    pats.iter()
        .filter_map(|p| {
            window
                .matches(p, p.len() / 5, 0)
                .first()
                .map(|m| m.start + from)
        })
        .chain(exact)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn a_run_of_ends_within_the_edits_is_one_match_at_its_best_end() {
        let m = matches(&v("2.重复申请3.要求"), &v("重复申请"), 1);
        assert_eq!(
            m,
            [Match {
                start: 2,
                end: 6,
                dist: 0
            }]
        );
        let m = matches(&v("xabxc"), &v("abc"), 1);
        assert_eq!(
            m.iter().map(|m| (m.end, m.dist)).collect::<Vec<_>>(),
            [(3, 1)]
        );
        assert!(matches(&v("xyz"), &v("abc"), 1).is_empty());
        // Searched from a char on, and the same text searched again.
        let h = Haystack::new(&v("重复申请 重复申请")).matches(&v("重复申请"), 0, 3);
        assert_eq!(h.iter().map(|m| m.start).collect::<Vec<_>>(), [5]);
    }

    #[test]
    fn matches_start_where_the_pattern_begins() {
        let m = matches(&v("(三)不予公开1.属于国家秘密"), &v("1.属于国家秘密"), 1);
        assert_eq!(
            m,
            [Match {
                start: 7,
                end: 15,
                dist: 0
            }]
        );
        let m = matches(
            &v("xx一本年新收政信息公开由请数量yy"),
            &v("一本年新收政府信息公开申请数量"),
            3,
        );
        assert_eq!((m[0].start, m[0].end, m[0].dist), (2, 16, 2));
        assert_eq!(
            first_of(
                &v("abc本年新收政信息公开由请"),
                &["本年新收政府信息公开申请"],
                0
            ),
            Some(3)
        );
    }
}
