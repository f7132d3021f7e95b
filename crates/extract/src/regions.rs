//! Where each table lies: anchors found in the compact text, as normalised char ranges.

use crate::compact::Compact;
use crate::fuzzy;
use crate::sections::Heading;
use crate::tokens::Item;
use nianbao_model::Template;

pub type Range = (usize, usize);

#[derive(Debug, Default)]
pub struct Regions {
    pub t2: Option<Range>,
    pub t3: Option<Range>,
    pub t4: Option<Range>,
    pub statistics: Option<Range>,
}

impl Regions {
    pub fn all(&self) -> Vec<Range> {
        [self.t2, self.t3, self.t4, self.statistics]
            .into_iter()
            .flatten()
            .collect()
    }
}

fn heading(heads: &[Heading], n: u8) -> Option<&Heading> {
    heads.iter().find(|h| h.number == n)
}

/// Finds the table regions. Positions are compact positions until the end, where they
/// become normalised char indices.
pub fn find(c: &Compact, heads: &[Heading], template: Template, norm_len: usize) -> Regions {
    let to_norm = |r: Option<(usize, usize)>| {
        r.map(|(a, b)| (c.norm_at(a, norm_len), c.norm_at(b, norm_len)))
    };
    let end = c.chars.len();
    if let Some(stats) = template.statistics() {
        let start = [
            "统计表",
            "统计指标",
            "指标名称",
            "统计数据",
            "指标名",
            stats.title,
        ]
        .iter()
        .filter_map(|m| c.find(m, 0))
        .filter(|&p| p > 0)
        .max()
        .or_else(|| heads.last().map(|h| h.end))
        .unwrap_or(0);
        // The table is usually an appendix after the narrative; a table elsewhere is
        // still found because alignment skips what does not match.
        let start = if table_follows(c, start) { start } else { 0 };
        return Regions {
            statistics: to_norm(Some((start, end.min(start + 30_000)))),
            ..Regions::default()
        };
    }
    sections_form(c, heads, norm_len)
}

/// Text searched for anchors: its chars and the normalised char index of each.
pub struct Searched<'a> {
    pub chars: &'a [char],
    pub at: &'a [usize],
}

impl Searched<'_> {
    fn find(&self, pat: &str, from: usize) -> Option<usize> {
        let p: Vec<char> = pat.chars().collect();
        if p.is_empty() || self.chars.len() < p.len() {
            return None;
        }
        (from..=self.chars.len() - p.len()).find(|&i| self.chars[i..i + p.len()] == p[..])
    }

    fn norm_at(&self, p: usize, norm_len: usize) -> usize {
        self.at.get(p).copied().unwrap_or(norm_len)
    }

    fn pos_of(&self, i: usize) -> usize {
        self.at.partition_point(|&a| a < i)
    }
}

/// The regions of tables 二, 三 and 四, found in `h` (the label text of a report's atoms,
/// where values do not stand between a label's words; or its compact text). `heads` are
/// the section headings, in compact positions of `c`.
pub fn sections_form(c: &Compact, heads: &[Heading], norm_len: usize) -> Regions {
    let h = Searched {
        chars: &c.chars,
        at: &c.at,
    };
    sections_in(&h, c, heads, norm_len)
}

/// As [`sections_form`], searching `h`.
pub fn sections_in(h: &Searched, c: &Compact, heads: &[Heading], norm_len: usize) -> Regions {
    let to_norm = |r: Option<(usize, usize)>| {
        r.map(|(a, b)| (h.norm_at(a, norm_len), h.norm_at(b, norm_len)))
    };
    let end = h.chars.len();
    // Section headings as positions of `h`.
    let sec = |n| heading(heads, n).map(|hd| h.pos_of(c.norm_at(hd.start, norm_len)));
    // The first anchor as printed or with a typo or a character dropped.
    let find = |pats: &[&str], from: usize| fuzzy::first_of(h.chars, pats, from);
    let t2 = find(&["第二十条第(一)项"], sec(2).unwrap_or(0))
        .or_else(|| find(&["第二十条第(一)项"], 0))
        .or(sec(2));
    // From section 二's heading when it stands shortly before: a table's header printed
    // broken over lines hides its first anchor, and values may precede their labels.
    let t2 = match (t2, sec(2)) {
        (Some(a), Some(h)) if h < a && a - h <= 600 => Some(h),
        (t2, _) => t2,
    };
    const FIRST_ROWS: &[&str] = &["本年新收政府信息公开申请", "上年结转政府信息公开申请"];
    let t3_row = find(FIRST_ROWS, t2.unwrap_or(0)).or_else(|| find(FIRST_ROWS, 0));
    let t3 = match t3_row {
        Some(p) => Some(
            ["勾稽", "钩稽", "申请人情况", "自然人", "法人或其他组织"]
                .iter()
                .filter_map(|m| h.find(m, p.saturating_sub(400)))
                .filter(|&q| q < p)
                .min()
                .unwrap_or(p),
        ),
        None => h.find("申请人情况", t2.unwrap_or(0)),
    };
    let t4_from = t3
        .or(t2)
        .or(sec(4).map(|p| p.saturating_sub(1)))
        .unwrap_or(0);
    let t4 = review_anchor(h, t4_from);
    let sec5 = sec(5).filter(|&p| p > t4.or(t3).or(t2).unwrap_or(0));
    // Real tables are a few thousand characters; the caps keep hostile input cheap.
    let cap =
        |start: Option<usize>, end: usize, max: usize| start.map_or(end, |s| end.min(s + max));
    // Table 二 runs up to table 三's first row: a header of table 三 (or a copy of one
    // printed over a piece of table 二) may stand among its rows. The solver passes over
    // what is no row's.
    let t2_end = cap(
        t2,
        t3_row.or(t3).or(t4).or(sec(3)).or(sec5).unwrap_or(end),
        12_000,
    );
    let t3_end = cap(t3, t4.or(sec5).unwrap_or(end), 20_000);
    let t4_end = cap(t4, sec5.unwrap_or(end), 3_000);
    Regions {
        t2: to_norm(t2.map(|a| (a, t2_end.max(a)))),
        t3: to_norm(t3.map(|a| (a, t3_end.max(a)))),
        t4: to_norm(t4.map(|a| (a, t4_end.max(a)))),
        statistics: None,
    }
}

/// `行政复议` followed closely by `行政诉讼`: the head of table 四. The first such pair whose
/// result columns (`维持`) follow closely is the table itself; a section heading
/// (`四、政府信息公开行政复议、行政诉讼情况`) separated from its table — converters put the
/// text of a page before its tables — is taken only when no table head follows.
fn review_anchor(c: &Searched, from: usize) -> Option<usize> {
    review_pair(c, from).or_else(|| {
        // The heads of the results (`结果维持`, `尚未审结`), a little before which the table
        // starts, when `行政复议` / `行政诉讼` are misprinted.
        fuzzy::first_of(c.chars, &["结果维持结果纠正", "其他结果尚未审结"], from)
            .map(|p| p.saturating_sub(12).max(from))
    })
}

fn review_pair(c: &Searched, from: usize) -> Option<usize> {
    let mut at = from;
    let mut first = None;
    while let Some(p) = c.find("行政复议", at) {
        if let Some(q) = c.find("行政诉讼", p) {
            if q - p <= 40 {
                first = first.or(Some(p));
                if c.find("维持", q).is_some_and(|m| m - q <= 120) {
                    return Some(p);
                }
            }
        }
        at = p + 1;
    }
    first
}

fn table_follows(c: &Compact, start: usize) -> bool {
    start > 0
        && c.chars[start..]
            .iter()
            .filter(|ch| ch.is_ascii_digit())
            .count()
            >= 5
}

/// The items of a region: those that end inside it and start before its end.
pub fn slice(items: &[Item], (a, b): Range) -> &[Item] {
    let from = items.partition_point(|it| it.end() <= a);
    let to = items.partition_point(|it| it.start() < b);
    &items[from..to.max(from)]
}
