//! Splits normalised text into label segments and runs of values.
//!
//! Every layout seen in the wild — tab rows, one cell per line, pipes, single spaces, or
//! cells run together with no break at all (`规章000行政规范性文件5615`) — comes down to
//! the same stream: some label text, then the values of its row, then the next label.
//! Whitespace only matters between values (it is a cell boundary); inside labels it is
//! dropped, so `三、 本 年 度 办 理 结 果` and `商业\n企业` read as written.

use crate::norm::Norm;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    None,
    Plus,
    Minus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    None,
    Yuan,
    Wan,
    Yi,
    Percent,
    /// 件, 条, 个 … written right after a count.
    Count,
}

/// A number as printed: sign, integer digits (possibly several cells run together),
/// fraction and unit. Positions are normalised char indices.
#[derive(Clone, Debug, PartialEq)]
pub struct NumTok {
    pub sign: Sign,
    pub digits: String,
    pub digit_pos: Vec<usize>,
    pub frac: String,
    pub unit: Unit,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ChunkKind {
    /// `—`, `-`, `/`, `无`: a cell deliberately left without a number.
    Placeholder,
    Number(NumTok),
}

/// One value token between breaks, at normalised chars `a..b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Chunk {
    pub a: usize,
    pub b: usize,
    pub kind: ChunkKind,
}

/// Label text between value runs: normalised chars `a..b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Seg {
    pub a: usize,
    pub b: usize,
}

impl Seg {
    /// The text with whitespace removed, and the byte index in it where each source line
    /// after the first begins.
    pub fn text_lines(&self, chars: &[char]) -> (String, Vec<usize>) {
        let mut text = String::new();
        let mut lines = Vec::new();
        let mut broke = false;
        for &c in &chars[self.a..self.b] {
            if c == '\n' {
                broke = true;
            } else if !c.is_whitespace() {
                if broke && !text.is_empty() {
                    lines.push(text.len());
                }
                broke = false;
                text.push(c);
            }
        }
        (text, lines)
    }

    /// The text with whitespace removed.
    #[cfg(test)]
    pub fn text(&self, chars: &[char]) -> String {
        self.text_lines(chars).0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Seg(Seg),
    Run(Vec<Chunk>),
}

impl Item {
    pub fn start(&self) -> usize {
        match self {
            Item::Seg(s) => s.a,
            Item::Run(r) => r.first().map_or(0, |c| c.a),
        }
    }

    pub fn end(&self) -> usize {
        match self {
            Item::Seg(s) => s.b,
            Item::Run(r) => r.last().map_or(0, |c| c.b),
        }
    }
}

/// Tokenises the whole normalised text into alternating segments and runs.
pub fn items(norm: &Norm) -> Vec<Item> {
    tokenise(&norm.chars)
}

/// Tokenises chars `range` of `chars` alone (nothing outside it is looked at, as for one
/// table cell); positions stay those of `chars`.
pub fn items_in(chars: &[char], range: std::ops::Range<usize>) -> Vec<Item> {
    let at = range.start;
    let mut out = tokenise(&chars[range]);
    if at > 0 {
        for item in &mut out {
            match item {
                Item::Seg(s) => (s.a, s.b) = (s.a + at, s.b + at),
                Item::Run(run) => {
                    for c in run {
                        (c.a, c.b) = (c.a + at, c.b + at);
                        if let ChunkKind::Number(n) = &mut c.kind {
                            n.digit_pos.iter_mut().for_each(|p| *p += at);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Appends `items` read elsewhere to `out` as if tokenised together: a segment after a
/// segment continues it (a new line when a line break lies between), a run after a run
/// goes on.
pub fn append(out: &mut Vec<Item>, items: Vec<Item>, chars: &[char]) {
    for item in items {
        match (out.last_mut(), item) {
            (_, Item::Seg(next)) => push_seg(out, next, chars),
            (Some(Item::Run(r)), Item::Run(next)) => r.extend(next),
            (_, item) => out.push(item),
        }
    }
}

/// A segment after a segment continues it.
fn push_seg(out: &mut Vec<Item>, next: Seg, _chars: &[char]) {
    let Some(Item::Seg(s)) = out.last_mut() else {
        out.push(Item::Seg(next));
        return;
    };
    s.b = next.b;
}

fn tokenise(chars: &[char]) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if let Some(end) = group_end(chars, i) {
            push_text(&mut out, chars, i, end);
            i = end;
            continue;
        }
        if let Some(end) = year_end(chars, i) {
            push_text(&mut out, chars, i, end);
            i = end;
            continue;
        }
        if starts_number(chars, i) {
            let (chunk, text_from) = number(chars, i);
            if let Some(chunk) = chunk {
                push_chunk(&mut out, chars, chunk);
            }
            match text_from {
                Some(t) => {
                    let end = text_run_end(chars, t);
                    push_text(&mut out, chars, t, end);
                    i = end;
                }
                None => i = end_of_last(&out).max(i + 1),
            }
            continue;
        }
        if let Some(end) = placeholder_end(chars, i) {
            push_chunk(
                &mut out,
                chars,
                Chunk {
                    a: i,
                    b: end,
                    kind: ChunkKind::Placeholder,
                },
            );
            i = end;
            continue;
        }
        let end = text_run_end(chars, i);
        push_text(&mut out, chars, i, end);
        i = end;
    }
    out
}

fn end_of_last(out: &[Item]) -> usize {
    match out.last() {
        Some(Item::Run(r)) => r.last().map_or(0, |c| c.b),
        Some(Item::Seg(s)) => s.b,
        None => 0,
    }
}

fn push_text(out: &mut Vec<Item>, chars: &[char], a: usize, b: usize) {
    push_seg(out, Seg { a, b }, chars);
}

fn push_chunk(out: &mut Vec<Item>, chars: &[char], chunk: Chunk) {
    if let Some(Item::Run(r)) = out.last_mut() {
        // `0\t\t0` on one line: the empty cell between two values is a blank cell. (Empty
        // cells before a row's first value are merged-cell layout, never blanks.)
        let prev_end = r.last().map_or(chunk.a, |c| c.b);
        let gap = &chars[prev_end..chunk.a];
        if !gap.contains(&'\n') {
            let tabs: Vec<usize> = gap
                .iter()
                .enumerate()
                .filter(|(_, &c)| c == '\t')
                .map(|(k, _)| prev_end + k)
                .collect();
            for w in tabs.windows(2) {
                r.push(Chunk {
                    a: w[0] + 1,
                    b: w[0] + 1,
                    kind: ChunkKind::Placeholder,
                });
            }
        }
        r.push(chunk);
    } else {
        out.push(Item::Run(vec![chunk]));
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

fn is_sign(c: char) -> bool {
    matches!(c, '增' | '减' | '+' | '-')
}

fn starts_number(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    is_digit(c)
        || (is_sign(c) && chars.get(i + 1).is_some_and(|&d| is_digit(d)))
        || loose_sign(chars, i)
}

/// `增 143`, `增\t18`: a sign set apart from its digits (text laid out from a PDF), standing
/// alone after a cell gap, so never the end of a word like `新增 3`.
fn loose_sign(chars: &[char], i: usize) -> bool {
    if !matches!(chars[i], '增' | '减') || i > 0 && !chars[i - 1].is_whitespace() {
        return false;
    }
    let after = chars[i + 1..].iter().position(|&c| c != ' ' && c != '\t');
    after.is_some_and(|n| (1..=3).contains(&n) && is_digit(chars[i + 1 + n]))
}

/// A bracketed group (annotation, numbering, law title): always label text, even with
/// digits inside (`（不同渠道和方式公开相同信息计1条）`, `（单位：万元，保留4位小数）`).
fn group_end(chars: &[char], i: usize) -> Option<usize> {
    let close = match chars[i] {
        '(' => ')',
        '〔' => '〕',
        '《' => '》',
        '【' => '】',
        _ => return None,
    };
    let open = chars[i];
    let mut depth = 0;
    for (k, &c) in chars.iter().enumerate().skip(i).take(160) {
        // A number standing alone between breaks is a value cell: the bracket was left
        // open (a label cut by a page break, `…的经` / `0` / `费）`), not a group.
        if c.is_whitespace() && lone_number_at(chars, k + 1) {
            return None;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(k + 1);
            }
        }
    }
    None
}

/// Digits (and a decimal point) from `at` up to whitespace or the end.
fn lone_number_at(chars: &[char], at: usize) -> bool {
    let run = chars[at.min(chars.len())..]
        .iter()
        .take_while(|c| !c.is_whitespace())
        .collect::<Vec<_>>();
    !run.is_empty()
        && run.iter().all(|c| c.is_ascii_digit() || **c == '.')
        && run[0].is_ascii_digit()
}

/// Label text runs until whitespace, a number or a bracketed group.
fn text_run_end(chars: &[char], from: usize) -> usize {
    let mut k = from;
    while k < chars.len() {
        let c = chars[k];
        if c.is_whitespace()
            || (k > from && (starts_number(chars, k) || group_end(chars, k).is_some()))
        {
            break;
        }
        k += 1;
    }
    k.max(from + 1)
}

fn placeholder_end(chars: &[char], i: usize) -> Option<usize> {
    let c = chars[i];
    let class = |c: char| match c {
        '—' | '–' | '―' | '-' | '一' => Some(0),
        '/' | '\\' => Some(1),
        '无' => Some(2),
        _ => None,
    };
    let k = class(c)?;
    if c == '无' && inside_spaced_label(chars, i) {
        return None;
    }
    let before_ok = i == 0 || chars[i - 1].is_whitespace();
    let mut end = i + 1;
    while end < chars.len() && class(chars[end]) == Some(k) && end - i < 6 {
        end += 1;
    }
    let after_ok = end == chars.len() || chars[end].is_whitespace();
    // A lone 一 is the numeral "one", never a placeholder; a dash run of two is.
    let numeral = c == '一' && end - i == 1;
    (before_ok && after_ok && !numeral && (k != 2 || end - i == 1)).then_some(end)
}

/// `2017年度`, `2020 年`: a year is label text (column headers, titles), never a cell.
fn year_end(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && chars[i - 1].is_ascii_digit() {
        return None;
    }
    let digits: String = chars.get(i..i + 4)?.iter().collect();
    let year: u32 = digits
        .parse()
        .ok()
        .filter(|_| digits.chars().all(|c| c.is_ascii_digit()))?;
    let mut k = i + 4;
    while chars.get(k) == Some(&' ') {
        k += 1;
    }
    ((1990..=2100).contains(&year) && chars.get(k) == Some(&'年')).then_some(k + 1)
}

/// `申 请 人 无 正 当`: a character of a label written with spaces between characters.
/// (Right after a spaced-out label a lone 无 cell cannot be told apart; such text also
/// reads ambiguously to people.)
fn inside_spaced_label(chars: &[char], i: usize) -> bool {
    let spaced_char = |j: Option<usize>| {
        j.and_then(|j| chars.get(j))
            .is_some_and(|&c| is_cjk(c) && c != '无')
    };
    i >= 3
        && chars[i - 1] == ' '
        && chars[i - 3] == ' '
        && spaced_char(Some(i - 2))
        && chars.get(i + 1) == Some(&' ')
        && spaced_char(Some(i + 2))
        && matches!(chars.get(i + 3), Some(' ') | None)
}

/// Parses a number at `i`. Returns the value chunk (if any) and, when the number ends in
/// an item marker (`2.其他`), where the label text starts.
fn number(chars: &[char], i: usize) -> (Option<Chunk>, Option<usize>) {
    let mut k = i;
    let loose = loose_sign(chars, k);
    let sign = match chars[k] {
        '增' | '+' => {
            k += 1;
            Sign::Plus
        }
        '减' | '-' => {
            k += 1;
            Sign::Minus
        }
        _ => Sign::None,
    };
    while loose && matches!(chars.get(k), Some(' ' | '\t')) {
        k += 1;
    }
    let mut digits = String::new();
    let mut digit_pos = Vec::new();
    while k < chars.len() {
        let c = chars[k];
        if is_digit(c) {
            digits.push(c);
            digit_pos.push(k);
            k += 1;
        } else if c == ',' && thousands_group(chars, k) {
            k += 1;
        } else {
            break;
        }
    }
    // Item marker: `1.属于国家秘密`, `2、重复申请`, `1. 属于…`: the last digit numbers the
    // next label; digits before it (cells run together) are values.
    if sign == Sign::None && is_item_marker(chars, k) {
        let item_at = *digit_pos.last().expect("a number has a digit");
        if digits.len() == 1 {
            return (None, Some(item_at));
        }
        digits.pop();
        digit_pos.pop();
        let chunk = Chunk {
            a: i,
            b: item_at,
            kind: ChunkKind::Number(NumTok {
                sign,
                digits,
                digit_pos,
                frac: String::new(),
                unit: Unit::None,
            }),
        };
        return (Some(chunk), Some(item_at));
    }
    let mut frac = String::new();
    if k + 1 < chars.len() && chars[k] == '.' && is_digit(chars[k + 1]) {
        k += 1;
        while k < chars.len() && is_digit(chars[k]) {
            frac.push(chars[k]);
            k += 1;
        }
    }
    let (unit, after) = unit_at(chars, k);
    let chunk = Chunk {
        a: i,
        b: after,
        kind: ChunkKind::Number(NumTok {
            sign,
            digits,
            digit_pos,
            frac,
            unit,
        }),
    };
    (Some(chunk), None)
}

fn thousands_group(chars: &[char], k: usize) -> bool {
    (1..=3).all(|d| chars.get(k + d).is_some_and(|&c| is_digit(c)))
        && !chars.get(k + 4).is_some_and(|&c| is_digit(c))
}

fn is_item_marker(chars: &[char], k: usize) -> bool {
    if !matches!(chars.get(k), Some('.') | Some('、')) {
        return false;
    }
    let mut j = k + 1;
    while j < chars.len() && chars[j] == ' ' {
        j += 1;
    }
    chars
        .get(j)
        .is_some_and(|&c| is_cjk(c) || matches!(c, '“' | '"' | '‘'))
}

pub fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

fn unit_at(chars: &[char], k: usize) -> (Unit, usize) {
    let at = |s: &str| {
        s.chars()
            .enumerate()
            .all(|(d, c)| chars.get(k + d) == Some(&c))
    };
    let boundary = |j: usize| j >= chars.len() || chars[j].is_whitespace();
    if at("万元") {
        (Unit::Wan, k + 2)
    } else if at("亿元") {
        (Unit::Yi, k + 2)
    } else if at("元") {
        (Unit::Yuan, k + 1)
    } else if at("%") {
        (Unit::Percent, k + 1)
    } else if at("人次") && boundary(k + 2) {
        (Unit::Count, k + 2)
    } else if chars
        .get(k)
        .is_some_and(|&c| "件条个项次篇人家".contains(c))
        && boundary(k + 1)
    {
        (Unit::Count, k + 1)
    } else {
        (Unit::None, k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> Vec<String> {
        let n = Norm::new(s);
        items(&n)
            .into_iter()
            .map(|it| match it {
                Item::Seg(s) => format!("L:{}", s.text(&n.chars)),
                Item::Run(r) => format!(
                    "V:{}",
                    r.iter()
                        .map(|c| match &c.kind {
                            ChunkKind::Placeholder => "_".to_string(),
                            ChunkKind::Number(n) => {
                                let sign = match n.sign {
                                    Sign::None => "",
                                    Sign::Plus => "+",
                                    Sign::Minus => "-",
                                };
                                let frac = if n.frac.is_empty() {
                                    String::new()
                                } else {
                                    format!(".{}", n.frac)
                                };
                                let unit = match n.unit {
                                    Unit::None | Unit::Count => "",
                                    Unit::Yuan => "元",
                                    Unit::Wan => "万元",
                                    Unit::Yi => "亿元",
                                    Unit::Percent => "%",
                                };
                                format!("{sign}{}{frac}{unit}", n.digits)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            })
            .collect()
    }

    #[test]
    fn tab_row() {
        assert_eq!(
            show("规章\t0\t0\t0\n规范性文件\t1\t2\t3"),
            ["L:规章", "V:0,0,0", "L:规范性文件", "V:1,2,3"]
        );
    }

    #[test]
    fn run_together_with_item_numbers() {
        assert_eq!(
            show("（四）无法提供 1.本机关不掌握相关政府信息50000052.没有现成信息"),
            [
                "L:(四)无法提供1.本机关不掌握相关政府信息",
                "V:5000005",
                "L:2.没有现成信息"
            ]
        );
        assert_eq!(
            show("申请100000 12.申请人"),
            ["L:申请", "V:100000,1", "L:2.申请人"]
        );
    }

    #[test]
    fn spaced_labels_and_groups_with_digits() {
        assert_eq!(
            show("三、 本 年 度 办 理 结 果\t(一) 予以公开\t0"),
            ["L:三、本年度办理结果(一)予以公开", "V:0"]
        );
        assert_eq!(
            show("采购总金额（单位：万元，保留4位小数）\n政府集中采购\t0"),
            ["L:采购总金额(单位:万元,保留4位小数)政府集中采购", "V:0"]
        );
        assert_eq!(show("1. 属于国家秘密\t0"), ["L:1.属于国家秘密", "V:0"]);
    }

    #[test]
    fn signs_units_placeholders() {
        assert_eq!(
            show("行政事业性收费\n　4\n 增1\n"),
            ["L:行政事业性收费", "V:4,+1"]
        );
        // A sign set apart by the layout; the end of a word is no sign.
        assert_eq!(
            show("行政处罚                88        增 143          14"),
            ["L:行政处罚", "V:88,+143,14"]
        );
        assert_eq!(
            show("行政许可\t20\t增\t18\t0"),
            ["L:行政许可", "V:20,+18,0"]
        );
        assert_eq!(show("本年新增 3 项"), ["L:本年新增", "V:3", "L:项"]);
        assert_eq!(
            show("政府集中采购\n　33\n123604.14元"),
            ["L:政府集中采购", "V:33,123604.14元"]
        );
        assert_eq!(
            show("a\t—\t/\t无\t-\t-3\t1,234"),
            ["L:a", "V:_,_,_,_,-3,1234"]
        );
        assert_eq!(show("本年增/减\t无法提供"), ["L:本年增/减无法提供"]);
        assert_eq!(
            show("三、依申请公开情况 | —— | |"),
            ["L:三、依申请公开情况", "V:_"]
        );
        assert_eq!(show("规章\t\t1\t\t2\t\n"), ["L:规章", "V:1,_,2"]);
        assert_eq!(show("| 规章 |  | 1 |  | 2 |"), ["L:规章", "V:1,_,2"]);
        assert_eq!(show("规章\t1\n\t\t2"), ["L:规章", "V:1,2"]);
        assert_eq!(
            show("指标名称单位2017年度历年累计主动公开信息数条1811568"),
            [
                "L:指标名称单位2017年度历年累计主动公开信息数条",
                "V:1811568"
            ]
        );
        assert_eq!(
            show("1.申 请 人 无 正 当 理 由 0"),
            ["L:1.申请人无正当理由", "V:0"]
        );
        assert_eq!(
            show("行政许可 无 第二十条"),
            ["L:行政许可", "V:_", "L:第二十条"]
        );
    }
}
