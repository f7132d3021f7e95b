//! The normalised text without whitespace, for finding anchors and phrases that may be
//! spaced out or broken across lines in the source.

use crate::norm::Norm;

pub struct Compact {
    pub chars: Vec<char>,
    /// Index into the normalised chars of each compact char.
    pub at: Vec<usize>,
    /// `chars` as UTF-8, searched with SIMD (a report is searched for dozens of phrases).
    text: String,
    /// Byte offset in `text` of each compact char, and of the end.
    byte: Vec<u32>,
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
        let text: String = chars.iter().collect();
        let mut byte = Vec::with_capacity(chars.len() + 1);
        byte.extend(text.char_indices().map(|(b, _)| b as u32));
        byte.push(text.len() as u32);
        Compact {
            chars,
            at,
            text,
            byte,
        }
    }

    /// First occurrence of `pat` at or after compact position `from`.
    pub fn find(&self, pat: &str, from: usize) -> Option<usize> {
        if pat.is_empty() || from >= self.chars.len() {
            return None;
        }
        let start = self.byte[from] as usize;
        let b = start + memchr::memmem::find(&self.text.as_bytes()[start..], pat.as_bytes())?;
        // A match of valid UTF-8 in valid UTF-8 starts on a char boundary.
        Some(self.byte.partition_point(|&x| (x as usize) < b))
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
