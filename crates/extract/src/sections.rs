//! The six statutory sections, found by their headings (numeral + phrase, fuzzily).

use crate::compact::Compact;
use crate::labels::{allowed, edits_at_least, prefix_match, CharSet};
use crate::norm::Norm;
use nianbao_model::Section;
use std::sync::OnceLock;

/// Heading phrases per section, in canonical form (no punctuation).
const HEADINGS: [&[&str]; 6] = [
    &["总体情况", "概述", "基本情况"],
    &[
        "主动公开政府信息情况",
        "政府信息主动公开情况",
        "主动公开情况",
        "行政机关主动公开政府信息情况",
    ],
    &[
        "收到和处理政府信息公开申请情况",
        "行政机关收到和处理政府信息公开申请情况",
        "依申请公开政府信息情况",
        "依申请公开政府信息办理情况",
        "依申请公开情况",
    ],
    &[
        "政府信息公开行政复议行政诉讼情况",
        "因政府信息公开工作被申请行政复议提起行政诉讼情况",
        "因政府信息公开申请行政复议提起行政诉讼情况",
        "政府信息公开行政复议和行政诉讼情况",
        "行政复议行政诉讼情况",
    ],
    &[
        "存在的主要问题及改进情况",
        "政府信息公开工作存在的主要问题及改进情况",
        "存在的主要问题及改进措施",
        "存在的主要问题和改进措施",
        "主要问题及改进措施",
        "存在问题及改进措施",
    ],
    &["其他需要报告的事项"],
];

const NUMERALS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/// A heading found: section number, compact start and end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Heading {
    pub number: u8,
    pub start: usize,
    pub end: usize,
    /// The numeral printed matches the section number.
    pub numbered_right: bool,
}

fn heading_chars() -> &'static Vec<Vec<Vec<char>>> {
    static CHARS: OnceLock<Vec<Vec<Vec<char>>>> = OnceLock::new();
    CHARS.get_or_init(|| {
        HEADINGS
            .iter()
            .map(|vs| vs.iter().map(|v| v.chars().collect()).collect())
            .collect()
    })
}

pub fn headings(c: &Compact) -> Vec<Heading> {
    let mut cands = Vec::new();
    for p in 0..c.chars.len().saturating_sub(2) {
        let Some(num) = NUMERALS.iter().position(|&n| n == c.chars[p]) else {
            continue;
        };
        if c.chars[p + 1] != '、' || (p > 0 && NUMERALS.contains(&c.chars[p - 1])) {
            continue;
        }
        let text: Vec<char> = c.chars[p + 2..]
            .iter()
            .take(40)
            .filter(|ch| !matches!(ch, '、' | ',' | '“' | '”'))
            .copied()
            .collect();
        let set = CharSet::of(&text);
        for (s, variants) in heading_chars().iter().enumerate() {
            let best = variants
                .iter()
                .filter(|l| edits_at_least(l, set) <= allowed(l.len()))
                .filter_map(|l| {
                    let (d, len) = prefix_match(l, &text);
                    (d <= allowed(l.len())).then_some((d, len, l.len()))
                })
                .min_by_key(|&(d, _, l)| (d, usize::MAX - l));
            if let Some((_, len, _)) = best {
                // The match skipped punctuation; map its length back onto the compact text.
                let mut end = p + 2;
                let mut kept = 0;
                while end < c.chars.len() && kept < len {
                    if !matches!(c.chars[end], '、' | ',' | '“' | '”') {
                        kept += 1;
                    }
                    end += 1;
                }
                cands.push(Heading {
                    number: s as u8 + 1,
                    start: p,
                    end,
                    numbered_right: num == s,
                });
            }
        }
    }
    // One heading per section, in order: prefer the rightly numbered one.
    let mut out: Vec<Heading> = Vec::new();
    for n in 1..=6u8 {
        let after = out.last().map_or(0, |h| h.end);
        let of_n = cands.iter().filter(|h| h.number == n && h.start >= after);
        let pick = of_n
            .clone()
            .find(|h| h.numbered_right)
            .or_else(|| of_n.clone().next());
        if let Some(h) = pick {
            out.push(*h);
        }
    }
    out
}

pub fn sections(norm: &Norm, c: &Compact, hs: &[Heading]) -> Vec<Section> {
    hs.iter()
        .enumerate()
        .map(|(i, h)| {
            let a = c.norm_at(h.start, norm.chars.len());
            let b = c.norm_at(h.end, norm.chars.len());
            let next = hs
                .get(i + 1)
                .map_or(norm.chars.len(), |n| c.norm_at(n.start, norm.chars.len()));
            Section {
                number: h.number,
                title: norm
                    .raw(a, b)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(""),
                text: norm.raw(b, next.max(b)).trim().to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(s: &str) -> Vec<u8> {
        let n = Norm::new(s);
        let c = Compact::new(&n);
        headings(&c).iter().map(|h| h.number).collect()
    }

    #[test]
    fn finds_headings_and_skips_subheadings() {
        let s = "一、总体情况\n一、机构建设方面\n二、主动公开政府信息情况\n四、政府信息公开行政法复议、行政诉讼情况\n五、存在的主要问题及改进情况\n一、存在问题\n六、其他需要报告的事项\n无";
        assert_eq!(numbers(s), [1, 2, 4, 5, 6]);
    }

    #[test]
    fn run_on_text() {
        let s = "该报告包括总体情况、主动公开政府信息情况。一、总体情况2023年，我局……二、主动公开政府信息情况第二十条";
        assert_eq!(numbers(s), [1, 2]);
        let n = Norm::new(s);
        let c = Compact::new(&n);
        let secs = sections(&n, &c, &headings(&c));
        assert_eq!(secs[0].title, "一、总体情况");
        assert_eq!(secs[0].text, "2023年，我局……");
    }
}
