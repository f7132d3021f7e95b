//! The document as lines of cells, whatever form it came in: the solver's one model.
//!
//! A reader's table row is a line whose cells are the grid's slots; a text line is split into
//! cells at tabs, pipes and `<td>`s (cells delimited, an empty one is a blank cell) or at runs
//! of two or more spaces (text laid out in columns, where a blank cell is nothing at all).
//! Every cell keeps its range of normalised chars and where it stands across the line, and a
//! line that is page furniture (a page number) is marked so the solver passes over it.

use crate::norm::Norm;
use nianbao_model::TextGrid;
use std::ops::Range;

/// How a line's cells were found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Cells set apart by runs of spaces, or a line of one cell: a blank cell leaves nothing.
    Spaced,
    /// Cells delimited by tabs, pipes or `<td>`s: an empty cell is a blank cell.
    Delimited,
    /// A row of a table the reader found: cells are the grid's slots (`Covered` ones left out).
    Grid { grid: usize, row: usize },
}

/// One cell: normalised chars `a..b`, trimmed of spaces (`a == b` for an empty cell, at its
/// place), and its position across the line (see [`Line::x`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub a: usize,
    pub b: usize,
    /// Grid column for a grid row, the cell's index for a delimited line, the display column
    /// (a CJK character two wide) of its first character for a spaced line.
    pub x: f64,
    /// The same measure at the cell's end (exclusive).
    pub x_end: f64,
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        self.a == self.b
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Normalised chars of the whole line.
    pub a: usize,
    pub b: usize,
    pub kind: Kind,
    pub cells: Vec<Cell>,
    /// A page number or running head: not part of any table.
    pub furniture: bool,
}

impl Line {
    /// No cell has text.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// The lines of a text and its readers' grids, in reading order.
pub fn lines(norm: &Norm, grids: &[TextGrid]) -> Vec<Line> {
    let chars = &norm.chars;
    let at = |byte: usize| norm.offs.partition_point(|&o| o < byte);
    let mut out = Vec::new();
    let mut done = 0;
    for (gi, g) in grids.iter().enumerate() {
        let Some(first) = g.lines.first() else {
            continue;
        };
        let start = at(first.start);
        if start < done {
            continue; // not in text order: its text is read as text
        }
        text_lines(norm, done..start, &mut out);
        for (r, (line, slots)) in g.lines.iter().zip(&g.rows).enumerate() {
            let range = at(line.start)..at(line.end);
            let cells = slots
                .iter()
                .enumerate()
                .filter_map(|(c, s)| {
                    let s = s.as_ref()?;
                    let (a, b) = trim(chars, at(s.start), at(s.end));
                    Some(Cell {
                        a,
                        b,
                        x: c as f64,
                        x_end: c as f64 + 1.0,
                    })
                })
                .collect();
            out.push(Line {
                a: range.start,
                b: range.end,
                kind: Kind::Grid { grid: gi, row: r },
                cells,
                furniture: false,
            });
            done = range.end;
        }
    }
    text_lines(norm, done..chars.len(), &mut out);
    for l in &mut out {
        l.furniture = l.kind != Kind::Delimited && page_number(&chars[l.a..l.b]);
    }
    out
}

/// The text lines of chars `range`.
fn text_lines(norm: &Norm, range: Range<usize>, out: &mut Vec<Line>) {
    let chars = &norm.chars;
    let mut a = range.start;
    while a < range.end {
        let b = chars[a..range.end]
            .iter()
            .position(|&c| c == '\n')
            .map_or(range.end, |k| a + k);
        out.push(text_line(norm, a, b));
        a = b + 1;
    }
}

fn text_line(norm: &Norm, a: usize, b: usize) -> Line {
    let chars = &norm.chars;
    if chars[a..b].contains(&'\t') {
        return delimited(norm, a, b);
    }
    // Runs of two or more spaces set cells apart; x is the display column.
    let mut cells = Vec::new();
    let mut col = 0.0;
    let mut k = a;
    let mut start: Option<(usize, f64)> = None;
    let mut end = (a, 0.0);
    while k < b {
        let c = chars[k];
        let w = width(norm, k);
        if c == ' ' {
            let spaces = chars[k..b].iter().take_while(|&&c| c == ' ').count();
            if spaces >= 2 {
                if let Some((s, x)) = start.take() {
                    cells.push(Cell {
                        a: s,
                        b: end.0,
                        x,
                        x_end: end.1,
                    });
                }
            }
            col += spaces as f64;
            k += spaces;
            continue;
        }
        if start.is_none() {
            start = Some((k, col));
        }
        col += w;
        k += 1;
        end = (k, col);
    }
    if let Some((s, x)) = start {
        cells.push(Cell {
            a: s,
            b: end.0,
            x,
            x_end: end.1,
        });
    }
    Line {
        a,
        b,
        kind: Kind::Spaced,
        cells,
        furniture: false,
    }
}

/// A line of cells set apart by tabs (from tabs, pipes or `<td>`). The text before a line's
/// first pipe or `<td>` and after its last pipe is no cell when blank.
fn delimited(norm: &Norm, a: usize, b: usize) -> Line {
    let chars = &norm.chars;
    let opener = |k: usize| {
        norm.src[norm.offs[k]..]
            .chars()
            .next()
            .is_some_and(|c| matches!(c, '|' | '｜' | '│' | '<'))
    };
    let tabs: Vec<usize> = (a..b).filter(|&k| chars[k] == '\t').collect();
    let mut bounds: Vec<(usize, usize)> = Vec::with_capacity(tabs.len() + 1);
    let mut from = a;
    for &t in &tabs {
        bounds.push((from, t));
        from = t + 1;
    }
    bounds.push((from, b));
    let blank = |(s, e): (usize, usize)| chars[s..e].iter().all(|c| c.is_whitespace());
    if tabs.first().is_some_and(|&t| opener(t)) && blank(bounds[0]) {
        bounds.remove(0);
    }
    let closes = tabs.last().is_some_and(|&t| {
        norm.src[norm.offs[t]..]
            .chars()
            .next()
            .is_some_and(|c| matches!(c, '|' | '｜' | '│'))
    });
    if closes && bounds.len() > 1 && bounds.last().is_some_and(|&r| blank(r)) {
        bounds.pop();
    }
    let cells = bounds
        .into_iter()
        .enumerate()
        .map(|(i, (s, e))| {
            let (s, e) = trim(chars, s, e);
            Cell {
                a: s,
                b: e,
                x: i as f64,
                x_end: i as f64 + 1.0,
            }
        })
        .collect();
    Line {
        a,
        b,
        kind: Kind::Delimited,
        cells,
        furniture: false,
    }
}

/// How wide the source character behind normalised char `k` was printed: 2 for CJK and
/// full-width forms, else 1.
pub(crate) fn width(norm: &Norm, k: usize) -> f64 {
    let c = norm.src[norm.offs[k]..].chars().next().unwrap_or(' ');
    if wide(c) {
        2.0
    } else {
        1.0
    }
}

fn wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x2014 | 0x201C | 0x201D)
}

fn trim(chars: &[char], mut a: usize, mut b: usize) -> (usize, usize) {
    while a < b && chars[a].is_whitespace() {
        a += 1;
    }
    while b > a && chars[b - 1].is_whitespace() {
        b -= 1;
    }
    (a, b)
}

/// A page number standing alone on its line: `-3-`, `— 3 —`, `第 3 页`, `第3页 共6页`,
/// `3 / 6`, `共6页 第3页`, `Page 3`. (A bare `3` may be a table's value and is not one.)
pub fn page_number(line: &[char]) -> bool {
    // A page number's digits stand together: `0 0 / 0` is a row of values.
    let split_digits = line
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1].is_whitespace() && w[2].is_ascii_digit());
    if split_digits {
        return false;
    }
    let t: Vec<char> = line
        .iter()
        .copied()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() || t.len() > 16 {
        return false;
    }
    let digits = |s: &[char]| !s.is_empty() && s.len() <= 4 && s.iter().all(char::is_ascii_digit);
    let dash = |c: char| matches!(c, '-' | '—' | '–' | '―' | '一' | '_');
    // -3-, —3—, --3--
    let inner: &[char] = {
        let l = t.iter().take_while(|&&c| dash(c)).count();
        let r = t.iter().rev().take_while(|&&c| dash(c)).count();
        if l > 0 && r > 0 && l + r < t.len() {
            &t[l..t.len() - r]
        } else {
            &[]
        }
    };
    // `- - - 0 - - -` is a row of blank cells around a value: a page number has at most
    // one run of dashes on each side.
    let dash_runs = line
        .split(|c| c.is_whitespace())
        .filter(|w| !w.is_empty() && w.iter().all(|&c| dash(c)))
        .count();
    if digits(inner) && dash_runs <= 2 {
        return true;
    }
    // 第3页, 第3页共6页, 共6页第3页, 第3/6页
    let s: String = t.iter().collect();
    let parts: Vec<&str> = s
        .split(|c: char| matches!(c, '第' | '页' | '共' | '/'))
        .filter(|p| !p.is_empty())
        .collect();
    let all_digits = !parts.is_empty()
        && parts.len() <= 2
        && parts.iter().all(|p| {
            let c: Vec<char> = p.chars().collect();
            digits(&c)
        });
    let of_pages = || {
        let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        n.len() == 2 && (1..=n[1]).contains(&n[0])
    };
    let one_slash = s.matches('/').count() == 1;
    // `3 / 6` prints its parts together; `4      /      16`, spread like columns, is a row
    // of cells (a value, a slash for a blank, a value).
    let tight_slash = || {
        let at = line.iter().position(|&c| c == '/').unwrap_or(0);
        let gap_before = line[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        let gap_after = line[at + 1..]
            .iter()
            .take_while(|c| c.is_whitespace())
            .count();
        gap_before.max(gap_after) <= 2
    };
    if all_digits
        && (s.contains('页') || parts.len() == 2 && one_slash && of_pages() && tight_slash())
    {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    lower
        .strip_prefix("page")
        .is_some_and(|r| digits(&r.chars().collect::<Vec<_>>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<Vec<String>> {
        let n = Norm::new(text);
        lines(&n, &[])
            .iter()
            .map(|l| {
                l.cells
                    .iter()
                    .map(|c| n.chars[c.a..c.b].iter().collect())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn text_lines_split_into_cells() {
        assert_eq!(
            cells("| 规章 |  | 1 |\n规章\t0\t\t\n行政处罚    88  增 143   14\n3.危 及 “ 三”"),
            vec![
                vec!["规章", "", "1"],
                vec!["规章", "0", "", ""],
                vec!["行政处罚", "88", "增 143", "14"],
                vec!["3.危 及 “ 三”"],
            ]
        );
        assert_eq!(
            cells("<table><tr><td>规章</td><td></td><td>1</td></tr></table>"),
            vec![vec![], vec![], vec!["规章", "", "1"]]
        );
    }

    #[test]
    fn spaced_cells_know_their_display_column() {
        let n = Norm::new("规章        0   12");
        let l = &lines(&n, &[])[0];
        let xs: Vec<f64> = l.cells.iter().map(|c| c.x).collect();
        assert_eq!(xs, [0.0, 12.0, 16.0]);
        assert_eq!(l.cells[2].x_end, 18.0);
    }

    #[test]
    fn page_numbers() {
        for s in [
            "-3-",
            "— 3 —",
            "- 12 -",
            "第 3 页",
            "第3页 共6页",
            "共6页第3页",
            "3 / 6",
            "3/6",
            "Page 4",
        ] {
            assert!(page_number(&s.chars().collect::<Vec<_>>()), "{s}");
        }
        for s in [
            "3",
            "0",
            "—",
            "- -",
            "第二十条",
            "1/2/3",
            "规章 3",
            "0 0 / 0 0",
            "0 / 0",
            "5 / 3",
            "  4        /       16",
            "- - - 0 - - -",
            "— — 3 — —",
        ] {
            assert!(!page_number(&s.chars().collect::<Vec<_>>()), "{s}");
        }
    }
}
