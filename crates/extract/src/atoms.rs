//! A stretch of lines as the solver reads it: label text and values in reading order, each
//! knowing its line and cell.
//!
//! A cell is cut by the tokeniser into label text and values (`规章000行政规范性文件2135` still
//! reads); an empty cell of a delimited line is a blank that a row may take. In a line whose
//! every cell has words (a header: `项目 数据1 数据2 …`, `2019年`), digits are part of the words.

use crate::labels::canon_at;
use crate::lines::{Kind, Line};
use crate::norm::Norm;
use crate::tokens::{is_cjk, items_in, Chunk, ChunkKind, Item, Sign, Unit};
use nianbao_model::{Template, TextGrid};

#[derive(Clone, Debug, PartialEq)]
pub enum What {
    /// Label text, in canonical form (see [`canon_at`]), each char with the normalised char
    /// it stands for.
    Label(Vec<char>, Vec<usize>),
    Value(Value),
    /// An empty cell of a delimited line or grid: a blank cell a row may take.
    Blank,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub chunk: Chunk,
    /// Written right after words with no space (`数据1`, `申请0件`, `文件2135`): less
    /// likely a table's cell than a value of its own cell.
    pub attached: bool,
    /// In a sentence (a cell of many words with punctuation) or with a unit of counting
    /// (`21件`): the prose's number, not a table's.
    pub prose: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    pub what: What,
    /// Normalised chars.
    pub a: usize,
    pub b: usize,
    /// Index of the line in the lines given, and of the cell in it.
    pub line: usize,
    pub cell: usize,
}

impl Atom {
    pub fn value(&self) -> Option<&Value> {
        match &self.what {
            What::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_label(&self) -> bool {
        matches!(self.what, What::Label(..))
    }
}

/// The atoms of `lines` (furniture left out). A row of a reader's grid under a header the
/// template knows is read through that header (`grids`, see [`crate::grid::mapped_rows`]).
pub fn atoms(norm: &Norm, lines: &[Line], grids: &[TextGrid], template: Template) -> Vec<Atom> {
    let chars = &norm.chars;
    let mut out = Vec::new();
    let mut mapped: Vec<Option<Vec<Option<Vec<Item>>>>> = vec![None; grids.len()];
    for (li, line) in lines.iter().enumerate() {
        if line.furniture {
            continue;
        }
        if let Kind::Grid { grid, row } = line.kind {
            let rows = mapped[grid]
                .get_or_insert_with(|| crate::grid::mapped_rows(norm, &grids[grid], template));
            if let Some(items) = rows.get(row).and_then(Option::as_ref) {
                push_mapped(&mut out, chars, items, li);
                continue;
            }
        }
        if line.is_blank() && line.kind != Kind::Spaced && line.cells.len() > 1 {
            // A row of empty cells: as many blanks.
            for (ci, cell) in line.cells.iter().enumerate() {
                out.push(Atom {
                    what: What::Blank,
                    a: cell.a,
                    b: cell.a,
                    line: li,
                    cell: ci,
                });
            }
            continue;
        }
        if line.is_blank() {
            // An empty line among lines of one cell each: a blank cell of a table written
            // one cell per line (or a paragraph's spacing, which no row takes).
            if single(norm, lines, li, false)
                && single(norm, lines, li, true)
                && !spacing_only(lines, li)
            {
                out.push(Atom {
                    what: What::Blank,
                    a: line.a,
                    b: line.a,
                    line: li,
                    cell: 0,
                });
            }
            continue;
        }
        // Cells that cannot hold a value are words, untokenised.
        let items: Vec<Option<Vec<Item>>> = line
            .cells
            .iter()
            .map(|c| valued(&chars[c.a..c.b]).then(|| items_in(chars, c.a..c.b)))
            .collect();
        let pure_value = |its: &Option<Vec<Item>>| {
            its.as_ref()
                .is_some_and(|its| !its.is_empty() && its.iter().all(|i| matches!(i, Item::Run(_))))
        };
        let filled = line.cells.iter().filter(|c| !c.is_empty()).count();
        // A header's cells are short; a line of long text cells is prose laid out with spaces.
        let short = line.cells.iter().all(|c| c.b - c.a <= 24);
        let header = filled >= 2 && short && !items.iter().any(|i| pure_value(i));
        // Empty cells are blanks in a delimited line — those before its first text only when
        // cells follow that text (`\t0` is an indented value, `\t\t0\t\t3` a row).
        let first = line.cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
        let multi = line.cells.len() > first + 1;
        let blanks = line.kind != Kind::Spaced;
        for (ci, (cell, its)) in line.cells.iter().zip(&items).enumerate() {
            if cell.is_empty() {
                if blanks && (ci > first || multi) {
                    out.push(Atom {
                        what: What::Blank,
                        a: cell.a,
                        b: cell.a,
                        line: li,
                        cell: ci,
                    });
                }
                continue;
            }
            let Some(its) = its.as_ref().filter(|_| !header) else {
                push_label(&mut out, chars, cell.a, cell.b, li, ci);
                continue;
            };
            for it in its {
                match it {
                    Item::Seg(s) => push_label(&mut out, chars, s.a, s.b, li, ci),
                    Item::Run(run) => {
                        for c in run {
                            let attached = c.a > cell.a && is_cjk(chars[c.a - 1]);
                            out.push(Atom {
                                what: What::Value(Value {
                                    chunk: c.clone(),
                                    attached,
                                    prose: prose(chars, c),
                                }),
                                a: c.a,
                                b: c.b,
                                line: li,
                                cell: ci,
                            });
                        }
                    }
                }
            }
        }
    }
    joined(out)
}

/// A value a layout set apart into two cells: a sign before its number (`增 | 1`), a unit
/// after it (`12.36 | 万元`).
fn joined(atoms: Vec<Atom>) -> Vec<Atom> {
    let mut out: Vec<Atom> = Vec::with_capacity(atoms.len());
    for a in atoms {
        if let Some(prev) = out.last_mut() {
            let beside = prev.line == a.line && prev.cell != a.cell;
            // A lone sign, then a number without one.
            if let (What::Label(t, _), What::Value(v)) = (&prev.what, &a.what) {
                if let (ChunkKind::Number(n), true) = (&v.chunk.kind, beside) {
                    let sign = match t.as_slice() {
                        ['增' | '+'] => Some(Sign::Plus),
                        ['减'] => Some(Sign::Minus),
                        _ => None,
                    };
                    if let (Some(sign), Sign::None) = (sign, n.sign) {
                        let mut v = v.clone();
                        if let ChunkKind::Number(n) = &mut v.chunk.kind {
                            n.sign = sign;
                        }
                        v.chunk.a = prev.a;
                        *prev = Atom {
                            what: What::Value(v),
                            a: prev.a,
                            b: a.b,
                            line: a.line,
                            cell: a.cell,
                        };
                        continue;
                    }
                }
            }
            // A number without a unit, then a unit of money.
            if let (What::Value(v), What::Label(t, _)) = (&mut prev.what, &a.what) {
                if let (ChunkKind::Number(n), true) = (&mut v.chunk.kind, beside) {
                    let unit = match t.as_slice() {
                        ['万', '元'] => Some(Unit::Wan),
                        ['元'] => Some(Unit::Yuan),
                        ['亿', '元'] => Some(Unit::Yi),
                        _ => None,
                    };
                    if let (Some(unit), Unit::None) = (unit, n.unit) {
                        n.unit = unit;
                        v.chunk.b = a.b;
                        prev.b = a.b;
                        continue;
                    }
                }
            }
        }
        out.push(a);
    }
    out
}

/// A grid row read through its header: its labels, then exactly one slot per column.
fn push_mapped(out: &mut Vec<Atom>, chars: &[char], items: &[Item], li: usize) {
    for it in items {
        match it {
            Item::Seg(s) => push_label(out, chars, s.a, s.b, li, 0),
            Item::Run(run) => {
                for (ci, c) in run.iter().enumerate() {
                    let what = if c.a == c.b {
                        What::Blank
                    } else {
                        What::Value(Value {
                            chunk: c.clone(),
                            attached: false,
                            prose: false,
                        })
                    };
                    out.push(Atom {
                        what,
                        a: c.a,
                        b: c.b,
                        line: li,
                        cell: ci + 1,
                    });
                }
            }
        }
    }
}

/// A cell's text may hold a value: a digit, a dash or slash, or a lone `无` / run of `一`.
fn valued(t: &[char]) -> bool {
    t.iter()
        .any(|c| c.is_ascii_digit() || matches!(c, '—' | '–' | '―' | '-' | '/' | '\\' | '+'))
        || t.iter().all(|&c| c == '一' || c.is_whitespace())
        || t.split(|c| c.is_whitespace()).any(|w| w == ['无'])
}

/// Empty line `li` is only spacing: the text around it is double-spaced (every two lines
/// with text apart by an empty line, as PDF-to-text tools print one box after another), so
/// one empty line is no blank cell; in a run of them, the lines between spacing lines are
/// (`0 / _ / _ / _ / 3`: one blank cell between 0 and 3).
fn spacing_only(lines: &[Line], li: usize) -> bool {
    let empty = |l: &Line| l.is_blank() && !l.furniture;
    let (mut s, mut e) = (li, li + 1);
    while s > 0 && empty(&lines[s - 1]) {
        s -= 1;
    }
    while e < lines.len() && empty(&lines[e]) {
        e += 1;
    }
    // The gaps between lines with text nearby, each as its count of empty lines.
    let gaps = |range: &mut dyn Iterator<Item = &Line>| -> Vec<usize> {
        let mut out = Vec::new();
        let mut run = 0;
        let mut started = false;
        for l in range {
            if l.furniture {
                continue;
            }
            if l.is_blank() {
                run += 1;
            } else {
                if started {
                    out.push(run);
                }
                started = true;
                run = 0;
            }
            if out.len() == SPACING_GAPS {
                break;
            }
        }
        out
    };
    let mut near = gaps(&mut lines[..s].iter().rev());
    near.extend(gaps(&mut lines[e..].iter()));
    let spaced = near.len() >= SPACING_GAPS && near.iter().all(|&g| g >= 1);
    spaced && !((li - s) % 2 == 1 && li + 1 < e)
}

/// Gaps on each side that must all hold an empty line for the text to be double-spaced.
const SPACING_GAPS: usize = 4;

/// The nearest line with text before (or after) line `li` (furniture and empty lines passed
/// over) holds one cell and is text, not a row of a markup table (whose spacing lines are
/// markup's, not blank cells).
fn single(norm: &Norm, lines: &[Line], li: usize, after: bool) -> bool {
    let near = |l: &&Line| !l.furniture && !l.is_blank();
    let found = if after {
        lines[li + 1..].iter().find(near)
    } else {
        lines[..li].iter().rev().find(near)
    };
    let markup_row = |l: &Line| {
        l.a > 0
            && norm
                .offs
                .get(l.a - 1)
                .is_some_and(|&o| norm.src[o..].starts_with('<'))
    };
    // Cells after the text are a row's other cells (`|  | 545 |  |`), not a line of one cell.
    let one_cell = |l: &Line| {
        let first = l.cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
        l.cells.len() == first + 1
    };
    found.is_some_and(|l| one_cell(l) && !markup_row(l))
}

fn push_label(out: &mut Vec<Atom>, chars: &[char], a: usize, b: usize, line: usize, cell: usize) {
    let (text, at): (Vec<char>, Vec<usize>) = canon_at(&chars[a..b])
        .into_iter()
        .map(|(c, i)| (c, a + i))
        .unzip();
    if text.is_empty() {
        return;
    }
    out.push(Atom {
        what: What::Label(text, at),
        a,
        b,
        line,
        cell,
    });
}

/// A number of the prose: counted (`21件`, `9场`, `100%`) or followed by a sentence's
/// punctuation (`结转0，`). A table's cells carry neither.
fn prose(chars: &[char], c: &Chunk) -> bool {
    if let ChunkKind::Number(n) = &c.kind {
        if matches!(n.unit, Unit::Count | Unit::Percent) {
            return true;
        }
    }
    let next = chars[c.b.min(chars.len())..]
        .iter()
        .find(|ch| !matches!(ch, ' ' | '\t'))
        .copied();
    matches!(
        next,
        Some(
            '件' | '条'
                | '个'
                | '项'
                | '次'
                | '篇'
                | '人'
                | '家'
                | '场'
                | '份'
                | '期'
                | '批'
                | '%'
                | ','
                | '。'
                | ';'
                | '、'
                | '，'
                | '；'
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::lines;

    fn show(text: &str) -> Vec<String> {
        let n = Norm::new(text);
        let ls = lines(&n, &[]);
        atoms(&n, &ls, &[], Template::Y2021)
            .iter()
            .map(|a| match &a.what {
                What::Label(t, _) => format!("L{}:{}", a.line, t.iter().collect::<String>()),
                What::Value(v) => format!(
                    "V{}:{}{}{}",
                    a.line,
                    n.chars[a.a..a.b].iter().collect::<String>(),
                    if v.attached { "^" } else { "" },
                    if v.prose { "~" } else { "" }
                ),
                What::Blank => format!("B{}", a.line),
            })
            .collect()
    }

    #[test]
    fn cells_become_labels_values_and_blanks() {
        assert_eq!(
            show("| 规章 |  | 1 |\n| 项目 | 数据1 | 数据2 |\n-3-\n规章000行政规范性文件2135"),
            [
                "L0:规章",
                "B0",
                "V0:1",
                "L1:项目",
                "L1:数据1",
                "L1:数据2",
                "L3:规章",
                "V3:000^",
                "L3:行政规范性文件",
                "V3:2135^"
            ]
        );
        assert_eq!(
            show("本年度共新收政府信息公开申请21件，上年结转0件。\n行政处罚  0  3"),
            [
                "L0:本年度共新收政府信息公开申请",
                "V0:21^~",
                "L0:件上年结转",
                "V0:0^~",
                "L0:件",
                "L1:行政处罚",
                "V1:0",
                "V1:3"
            ]
        );
    }
}
