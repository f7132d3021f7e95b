//! The normalised text without whitespace, for finding anchors and phrases that may be
//! spaced out or broken across lines in the source.

use crate::norm::Norm;

pub struct Compact {
    pub chars: Vec<char>,
    /// Index into the normalised chars of each compact char.
    pub at: Vec<usize>,
}

impl Compact {
    pub fn new(norm: &Norm) -> Compact {
        let mut chars = Vec::with_capacity(norm.chars.len());
        let mut at = Vec::with_capacity(norm.chars.len());
        for (i, &c) in norm.chars.iter().enumerate() {
            if !c.is_whitespace() {
                chars.push(c);
                at.push(i);
            }
        }
        Compact { chars, at }
    }

    /// First occurrence of `pat` at or after compact position `from`.
    pub fn find(&self, pat: &str, from: usize) -> Option<usize> {
        let p: Vec<char> = pat.chars().collect();
        if p.is_empty() || self.chars.len() < p.len() {
            return None;
        }
        (from..=self.chars.len() - p.len())
            .find(|&i| self.chars[i] == p[0] && self.chars[i..i + p.len()] == p[..])
    }

    pub fn contains(&self, pat: &str) -> bool {
        self.find(pat, 0).is_some()
    }

    /// Normalised char index of compact position `p` (end of text when past the end).
    pub fn norm_at(&self, p: usize, norm_len: usize) -> usize {
        self.at.get(p).copied().unwrap_or(norm_len)
    }

    /// Compact position of normalised char index `i` (first compact char at or after it).
    pub fn pos_of(&self, i: usize) -> usize {
        self.at.partition_point(|&a| a < i)
    }

    pub fn slice(&self, a: usize, b: usize) -> String {
        self.chars[a.min(self.chars.len())..b.min(self.chars.len())]
            .iter()
            .collect()
    }
}
