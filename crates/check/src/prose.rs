//! Year-over-year reading of the narrative: sentences of two years aligned as a code diff
//! (kept, removed, added, changed — a changed sentence with the words and numbers that
//! changed marked), and the numbers the prose states about requests, reviews and suits
//! compared with the same year's tables.

use nianbao_model::Report;

/// The sentences of a section's text (split after 。！？；and at line ends), trimmed.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c == '\n' || c == '\r' {
            push(&mut out, &mut cur);
            continue;
        }
        cur.push(c);
        if matches!(c, '。' | '！' | '？' | '；') {
            push(&mut out, &mut cur);
        }
    }
    push(&mut out, &mut cur);
    out
}

fn push(out: &mut Vec<String>, cur: &mut String) {
    let s = cur.trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
    cur.clear();
}

/// One line of a two-column diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    Same(String),
    /// Only in the earlier year.
    Removed(String),
    /// Only in the later year.
    Added(String),
    /// Rewritten: the two versions as runs, `true` where the run changed.
    Changed(Vec<(String, bool)>, Vec<(String, bool)>),
}

/// Longest-common-subsequence pairing of two sequences: (index in a, index in b) of the
/// items kept, in order.
fn lcs<T: PartialEq>(a: &[T], b: &[T]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    let mut t = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * (m + 1) + j] = if a[i] == b[j] {
                t[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                t[(i + 1) * (m + 1) + j].max(t[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Tokens of a sentence: runs of digits (with `.` and `,` inside numbers) are one token,
/// every other character its own.
fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in s.chars() {
        let digit = c.is_ascii_digit();
        match out.last_mut() {
            Some(last)
                if (digit || c == '.' || c == ',')
                    && last.chars().last().is_some_and(|p| p.is_ascii_digit()) =>
            {
                last.push(c)
            }
            _ => out.push(c.to_string()),
        }
    }
    out
}

/// Runs of text, `true` where the run changed.
type Runs = Vec<(String, bool)>;

/// The two versions of a rewritten sentence as runs, changed runs marked.
fn runs(a: &str, b: &str) -> (Runs, Runs) {
    let (ta, tb) = (tokens(a), tokens(b));
    let kept = lcs(&ta, &tb);
    let mark = |t: &[String], keep: &dyn Fn(usize) -> bool| {
        let mut out: Vec<(String, bool)> = Vec::new();
        for (i, tok) in t.iter().enumerate() {
            let changed = !keep(i);
            match out.last_mut() {
                Some((s, c)) if *c == changed => s.push_str(tok),
                _ => out.push((tok.clone(), changed)),
            }
        }
        out
    };
    let in_a: std::collections::HashSet<usize> = kept.iter().map(|k| k.0).collect();
    let in_b: std::collections::HashSet<usize> = kept.iter().map(|k| k.1).collect();
    (
        mark(&ta, &|i| in_a.contains(&i)),
        mark(&tb, &|i| in_b.contains(&i)),
    )
}

/// Share of characters two sentences have in common (0–1).
fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (tokens(a), tokens(b));
    let common = lcs(&ta, &tb).len();
    (2 * common) as f64 / (ta.len() + tb.len()).max(1) as f64
}

/// Printed labels of the statistical tables: a "sentence" holding one is a table copied
/// into the section's text (a web page flattened to one line), not prose.
const TABLE_TEXT: [&str; 6] = [
    "第二十条第",
    "本年制发件数",
    "本年新收政府信息公开申请数量",
    "申请人情况",
    "结果维持",
    "尚未审结",
];

/// Whether a sentence is a statistical table's text rather than prose.
pub fn is_table_text(sentence: &str) -> bool {
    TABLE_TEXT.iter().any(|t| sentence.contains(t))
}

/// The diff of two texts by sentence, tables' text left out (they have their own
/// comparison). A removed sentence followed by an added one that shares at least half its
/// characters is one changed sentence.
pub fn diff(earlier: &str, later: &str) -> Vec<Line> {
    let prose = |t: &str| -> Vec<String> {
        sentences(t)
            .into_iter()
            .filter(|s| !is_table_text(s))
            .collect()
    };
    let (a, b) = (prose(earlier), prose(later));
    let kept = lcs(&a, &b);
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let flush = |i0: usize, i1: usize, j0: usize, j1: usize, out: &mut Vec<Line>| {
        let (mut x, mut y) = (i0, j0);
        while x < i1 || y < j1 {
            if x < i1 && y < j1 && similarity(&a[x], &b[y]) >= 0.5 {
                let (ra, rb) = runs(&a[x], &b[y]);
                out.push(Line::Changed(ra, rb));
                x += 1;
                y += 1;
            } else if x < i1 && (y >= j1 || (i1 - x) >= (j1 - y)) {
                out.push(Line::Removed(a[x].clone()));
                x += 1;
            } else {
                out.push(Line::Added(b[y].clone()));
                y += 1;
            }
        }
    };
    for (ki, kj) in kept {
        flush(i, ki, j, kj, &mut out);
        out.push(Line::Same(a[ki].clone()));
        i = ki + 1;
        j = kj + 1;
    }
    flush(i, a.len(), j, b.len(), &mut out);
    out
}

/// A number the prose states and the table cell it speaks of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stated {
    /// The phrase as printed (`收到政府信息公开申请21件`).
    pub phrase: String,
    pub value: i64,
    pub key: &'static str,
    /// The table's value, None when the table leaves the cell blank.
    pub table: Option<i64>,
}

impl Stated {
    pub fn agrees(&self) -> bool {
        self.table == Some(self.value)
    }
}

/// What the prose says about table 三 and 四 figures: `收到…申请N件`, `行政复议N件`,
/// `行政诉讼N件` (the number within a few characters after the phrase), with the table's
/// value beside each.
pub fn stated(r: &Report) -> Vec<Stated> {
    if r.template.sections().is_none() {
        return Vec::new();
    }
    let suits = || -> Option<i64> {
        Some(r.int("t4.suit_direct.total")? + r.int("t4.suit_after_review.total")?)
    };
    let patterns: [(&str, &str, &'static str); 3] = [
        ("申请", "件", "t3.received.total"),
        ("行政复议", "件", "t4.review.total"),
        ("行政诉讼", "件", "t4.suit"),
    ];
    let mut out = Vec::new();
    for s in &r.sections {
        let chars: Vec<char> = s.text.chars().collect();
        for (word, unit, key) in patterns {
            let w: Vec<char> = word.chars().collect();
            let mut i = 0;
            while i + w.len() <= chars.len() {
                if chars[i..i + w.len()] != w[..] {
                    i += 1;
                    continue;
                }
                // The number right after the phrase (a few characters of words between).
                let start = i + w.len();
                let end = (start + 6).min(chars.len());
                let digits_at = (start..end).find(|&k| chars[k].is_ascii_digit());
                if let Some(d) = digits_at {
                    let mut e = d;
                    while e < chars.len() && chars[e].is_ascii_digit() {
                        e += 1;
                    }
                    let between: String = chars[start..d].iter().collect();
                    let follows: String = chars[e..(e + unit.chars().count()).min(chars.len())]
                        .iter()
                        .collect();
                    let plain = !between.contains(['，', '。', '；']);
                    if follows == unit && plain {
                        let value: i64 =
                            chars[d..e].iter().collect::<String>().parse().unwrap_or(-1);
                        let phrase_start = i.saturating_sub(if word == "申请" { 8 } else { 0 });
                        let phrase: String = chars[phrase_start..e + 1].iter().collect();
                        let (key, table) = if key == "t4.suit" {
                            ("t4.suit_direct.total", suits())
                        } else {
                            (key, r.int(key))
                        };
                        // 申请 only where the sentence speaks of receiving them.
                        if word != "申请" || phrase.contains("收到") || phrase.contains("受理")
                        {
                            out.push(Stated {
                                phrase,
                                value,
                                key,
                                table,
                            });
                        }
                    }
                }
                i = start;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::{Num, Section, Template};

    #[test]
    fn sentences_kept_removed_added_and_changed() {
        let a = "本年度共收到申请21件。全部按时答复。我们加强了培训。";
        let b = "本年度共收到申请35件。全部按时答复。新建了网站专栏。";
        let d = diff(a, b);
        assert_eq!(d.len(), 4, "{d:?}");
        match &d[0] {
            Line::Changed(x, y) => {
                assert!(x.contains(&("21".to_string(), true)), "{x:?}");
                assert!(y.contains(&("35".to_string(), true)), "{y:?}");
                assert_eq!(x[0], ("本年度共收到申请".to_string(), false));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(d[1], Line::Same("全部按时答复。".into()));
        // Sentences with little in common are a removal and an addition, not a change.
        assert_eq!(d[2], Line::Removed("我们加强了培训。".into()));
        assert_eq!(d[3], Line::Added("新建了网站专栏。".into()));
        let d2 = diff(
            "甲。",
            "甲。乙。第二十条第（一）项 信息内容 本年制发件数 4 0 16",
        );
        assert_eq!(
            d2,
            vec![Line::Same("甲。".into()), Line::Added("乙。".into())]
        );
    }

    #[test]
    fn prose_numbers_against_the_tables() {
        let mut r = Report::new(Template::Y2021);
        r.sections.push(Section {
            number: 1,
            title: "一、总体情况".into(),
            text: "本年度共收到政府信息公开申请21件，发生行政复议2件，行政诉讼0件。".into(),
        });
        r.set("t3.received.total", Some(Num::Int(21)));
        r.set("t4.review.total", Some(Num::Int(3)));
        r.set("t4.suit_direct.total", Some(Num::Int(0)));
        r.set("t4.suit_after_review.total", Some(Num::Int(0)));
        let s = stated(&r);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].agrees() && s[0].phrase.ends_with("申请21件"), "{s:?}");
        assert_eq!((s[1].value, s[1].table, s[1].agrees()), (2, Some(3), false));
        assert!(s[2].agrees());
    }
}
