//! Items read from the table grids a reader found (HTML, DOCX, OFD, ruled PDF, OCR cells).
//!
//! A grid's value columns are mapped to the template's columns by their header cells
//! (`自然人` … `总计`, 行政复议 / 复议后起诉 × 结果维持 …, 本年制发件数 …), so a value row
//! becomes exactly one value per template column in the template's order: a blank cell
//! keeps its place, digits broken over one cell are one number, a column the template has
//! no place for (a 备注, a printed column order of its own) is left out. Rows under headers
//! nianbao does not know, and everything outside grids, are tokenised as text.

use crate::labels::canon;
use crate::norm::{norm_char, Norm};
use crate::tokens::{append, items_in, Chunk, ChunkKind, Item, NumTok, Sign, Unit};
use nianbao_model::layout::{self, Head};
use nianbao_model::{PerTemplate, Template, TextGrid};
use std::ops::Range;

/// The text's items with every grid row read through its grid.
pub fn items(norm: &Norm, grids: &[TextGrid], template: Template) -> Vec<Item> {
    let chars = &norm.chars;
    let sets = head_sets(template);
    let mut out = Vec::new();
    let mut done = 0;
    for g in grids {
        let reader = GridReader::new(norm, g);
        let Some(first) = reader.lines.first() else {
            continue;
        };
        if first.start < done {
            continue; // not in text order: leave it to the text path
        }
        let mut mapping: Option<Vec<usize>> = None;
        let mut header: Vec<usize> = Vec::new();
        for r in 0..g.rows.len() {
            let line = reader.lines[r].clone();
            append(&mut out, items_in(chars, done..line.start), chars);
            done = line.end;
            let blank_row = mapping.as_deref().is_some_and(|m| reader.blank_item(r, m));
            if !blank_row && !reader.is_value_row(r) {
                header.push(r);
                append(&mut out, items_in(chars, line), chars);
                continue;
            }
            if header.iter().any(|&h| reader.has_value_text(h)) {
                mapping = sets.iter().find_map(|set| reader.map(&header, set));
            }
            header.clear();
            let row = mapping
                .as_deref()
                .and_then(|m| reader.mapped_row(r, m))
                .unwrap_or_else(|| items_in(chars, line));
            append(&mut out, row, chars);
        }
    }
    append(&mut out, items_in(chars, done..chars.len()), chars);
    out
}

/// Per row of `grid`, its items read through the grid's header when the row is a value row
/// under a header nianbao knows: its label cells as text, then one value per template column
/// in the template's order (a blank keeps its place, digits broken in a cell are one number,
/// a column the template has no place for is left out). `None` for other rows.
pub fn mapped_rows(norm: &Norm, grid: &TextGrid, template: Template) -> Vec<Option<Vec<Item>>> {
    let sets = head_sets(template);
    let reader = GridReader::new(norm, grid);
    let mut mapping: Option<Vec<usize>> = None;
    let mut header: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(grid.rows.len());
    for r in 0..grid.rows.len() {
        let blank_row = mapping.as_deref().is_some_and(|m| reader.blank_item(r, m));
        if !blank_row && !reader.is_value_row(r) {
            header.push(r);
            out.push(None);
            continue;
        }
        if header.iter().any(|&h| reader.has_value_text(h)) {
            mapping = sets.iter().find_map(|set| reader.map(&header, set));
        }
        header.clear();
        out.push(mapping.as_deref().and_then(|m| reader.mapped_row(r, m)));
    }
    out
}

/// A template's column heads, each column's path leaf first (`商业企业`, `法人或其他组织`,
/// `申请人情况`), in canonical form.
type HeadSet = Vec<Vec<String>>;

/// Every set of columns the template's tables print under one header, widest first (none
/// for the pre-2019 form); made once per template.
fn head_sets(template: Template) -> &'static [HeadSet] {
    static SETS: PerTemplate<Vec<HeadSet>> = PerTemplate::new();
    SETS.get(template, |t| match t.sections() {
        Some(_) => sets_of(t),
        None => Vec::new(),
    })
}

fn sets_of(template: Template) -> Vec<HeadSet> {
    let key = |t: &str| canon(&t.chars().map(norm_char).collect::<String>());
    let paths = |heads: &[Head], from: usize, n: usize| -> HeadSet {
        (from..from + n)
            .map(|c| {
                let mut over: Vec<&Head> = heads
                    .iter()
                    .filter(|h| (h.col..h.col + h.cols).contains(&c))
                    .collect();
                over.sort_by_key(|h| std::cmp::Reverse(h.row));
                over.iter().map(|h| key(h.text)).collect()
            })
            .collect()
    };
    let mut sets = vec![
        paths(layout::T4_HEAD, 0, layout::T4.cols.len()),
        paths(
            layout::T3_HEAD,
            layout::T3_LABEL_COLS,
            layout::APPLICANTS.len(),
        ),
    ];
    for item in layout::t2_items(template) {
        let set: HeadSet = item.cols().iter().map(|c| vec![key(c.head)]).collect();
        if !sets.contains(&set) {
            sets.push(set);
        }
    }
    sets
}

struct GridReader<'a> {
    chars: &'a [char],
    grid: &'a TextGrid,
    /// Each row's line and each slot's cell, in normalised chars.
    lines: Vec<Range<usize>>,
    cells: Vec<Vec<Option<Range<usize>>>>,
}

impl<'a> GridReader<'a> {
    fn new(norm: &'a Norm, grid: &'a TextGrid) -> GridReader<'a> {
        let at = |byte: usize| norm.offs.partition_point(|&o| o < byte);
        let span = |r: &Range<usize>| at(r.start)..at(r.end);
        GridReader {
            chars: &norm.chars,
            grid,
            lines: grid.lines.iter().map(span).collect(),
            cells: grid
                .rows
                .iter()
                .map(|row| row.iter().map(|c| c.as_ref().map(span)).collect())
                .collect(),
        }
    }

    fn cell(&self, r: usize, c: usize) -> Option<Range<usize>> {
        self.cells.get(r)?.get(c)?.clone()
    }

    fn text(&self, r: usize, c: usize) -> String {
        self.cell(r, c)
            .map(|x| canon(&self.chars[x].iter().collect::<String>()))
            .unwrap_or_default()
    }

    /// A row with a value (a number or a placeholder) in a value column.
    fn is_value_row(&self, r: usize) -> bool {
        self.grid.values.clone().any(|c| {
            self.cell(r, c).is_some_and(|x| {
                let items = items_in(self.chars, x);
                !items.is_empty() && items.iter().all(|i| matches!(i, Item::Run(_)))
            })
        })
    }

    /// A numbered item (`二、…`, `（六）…`, `2.…`) whose mapped cells are all blank: a row
    /// of blank values, not a label continued on the next row.
    fn blank_item(&self, r: usize, mapping: &[usize]) -> bool {
        let label = (0..self.grid.values.start.min(self.cells[r].len()))
            .rev()
            .filter_map(|c| self.cell(r, c))
            .map(|x| self.chars[x].iter().collect::<String>())
            .find(|t| !t.trim().is_empty());
        label.is_some_and(|l| layout::numbered(&l))
            && mapping
                .iter()
                .all(|&c| self.cell(r, c).is_some() && self.text(r, c).is_empty())
    }

    /// A row with text over its value columns: a header row, not a group label.
    fn has_value_text(&self, r: usize) -> bool {
        (self.grid.values.start..self.cells[r].len()).any(|c| !self.text(r, c).is_empty())
    }

    /// Column `c`'s header path in rows `header`, leaf first: the lowest cell at `c`, then
    /// in each row above it the cell covering `c` (the nearest cell at or left of `c`).
    fn path(&self, header: &[usize], c: usize) -> Vec<String> {
        let Some(leaf) = header.iter().rev().position(|&r| self.cell(r, c).is_some()) else {
            return Vec::new();
        };
        let leaf = header.len() - 1 - leaf;
        let mut path = vec![self.text(header[leaf], c)];
        for &r in header[..leaf].iter().rev() {
            if let Some(left) = (0..=c).rev().find(|&k| self.cell(r, k).is_some()) {
                path.push(self.text(r, left));
            }
        }
        path
    }

    /// The grid column of each of `set`'s columns, when every one is found under its head
    /// (a parent head decides between repeated leaves).
    fn map(&self, header: &[usize], set: &HeadSet) -> Option<Vec<usize>> {
        // Every column right of the labels: blank columns at the right lie beyond the
        // last value the reader saw.
        let width = header
            .iter()
            .map(|&r| self.cells[r].len())
            .max()
            .unwrap_or(0);
        let paths: Vec<(usize, Vec<String>)> = (self.grid.values.start..width)
            .map(|c| (c, self.path(header, c)))
            .collect();
        let mut used = Vec::with_capacity(set.len());
        for want in set {
            let repeated = set.iter().filter(|s| s[0] == want[0]).count() > 1;
            let (c, _) = paths.iter().find(|(c, p)| {
                !used.contains(c)
                    && p.first() == Some(&want[0])
                    && (!repeated || want.get(1).is_some_and(|parent| p.contains(parent)))
            })?;
            used.push(*c);
        }
        Some(used)
    }

    /// A value row read through a column mapping: the label cells as text, then one value
    /// per mapped column. `None` when a mapped slot is covered by a merged cell or holds
    /// words: the row is then read as text.
    fn mapped_row(&self, r: usize, mapping: &[usize]) -> Option<Vec<Item>> {
        let line = self.lines[r].clone();
        // The label is everything before the first column the template reads: a cell of
        // words inside the reader's value columns (a scan's streak split the label's cell,
        // `一、本年新收… | 申请数量 | 32`) is still label.
        let first_value = mapping
            .iter()
            .filter_map(|&c| self.cell(r, c))
            .map(|cell| cell.start)
            .min()
            .or_else(|| {
                let c = self.grid.values.clone().find_map(|c| self.cell(r, c))?;
                Some(c.start)
            })?;
        let mut out = items_in(self.chars, line.start..first_value);
        let mut run = Vec::with_capacity(mapping.len());
        for &c in mapping {
            run.push(self.value(self.cell(r, c)?)?);
        }
        append(&mut out, vec![Item::Run(run)], self.chars);
        Some(out)
    }

    /// One cell's value: a blank, a placeholder or one number (digits broken by spaces
    /// joined); `None` for words.
    fn value(&self, cell: Range<usize>) -> Option<Chunk> {
        let items = items_in(self.chars, cell.clone());
        let chunks = match items.as_slice() {
            [] => {
                return Some(Chunk {
                    a: cell.start,
                    b: cell.start,
                    kind: ChunkKind::Placeholder,
                })
            }
            [Item::Run(run)] => run,
            _ => return None,
        };
        match chunks.as_slice() {
            [one] => Some(one.clone()),
            [first, .., last] => joined(first, chunks, last),
            [] => None,
        }
    }
}

/// `1 2` in one cell: the digits of one number set apart by the layout. Only plain digit
/// groups join (a sign first, a fraction or unit last).
fn joined(first: &Chunk, chunks: &[Chunk], last: &Chunk) -> Option<Chunk> {
    let nums: Vec<&NumTok> = chunks
        .iter()
        .map(|c| match &c.kind {
            ChunkKind::Number(n) => Some(n),
            ChunkKind::Placeholder => None,
        })
        .collect::<Option<_>>()?;
    let n = nums.len();
    let plain = nums.iter().enumerate().all(|(i, t)| {
        (i == 0 || t.sign == Sign::None)
            && (i == n - 1 || t.frac.is_empty() && t.unit == Unit::None)
    });
    if !plain {
        return None;
    }
    Some(Chunk {
        a: first.a,
        b: last.b,
        kind: ChunkKind::Number(NumTok {
            sign: nums[0].sign,
            digits: nums.iter().map(|t| t.digits.as_str()).collect(),
            digit_pos: nums
                .iter()
                .flat_map(|t| t.digit_pos.iter().copied())
                .collect(),
            frac: nums[n - 1].frac.clone(),
            unit: nums[n - 1].unit,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Canonical text and grid of rows of cells (`None`: covered by a merged cell), laid
    /// out as the readers lay them out: one line per row, cells separated by tabs.
    fn laid(rows: &[&[Option<&str>]], values: Range<usize>) -> (String, TextGrid) {
        let mut text = String::from("表\n");
        let mut grid = TextGrid {
            values,
            ..TextGrid::default()
        };
        for row in rows {
            let start = text.len();
            let mut slots = Vec::new();
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    text.push('\t');
                }
                let at = text.len();
                text.push_str(cell.unwrap_or(""));
                slots.push(cell.map(|c| at..at + c.len()));
            }
            grid.lines.push(start..text.len());
            grid.rows.push(slots);
            text.push('\n');
        }
        (text, grid)
    }

    fn runs(text: &str, grid: &TextGrid) -> Vec<Vec<String>> {
        let norm = Norm::new(text);
        items(&norm, std::slice::from_ref(grid), Template::Y2021)
            .iter()
            .filter_map(|i| match i {
                Item::Run(r) => Some(
                    r.iter()
                        .map(|c| match &c.kind {
                            ChunkKind::Placeholder => format!(
                                "_{}",
                                &text[norm.byte_range(c.a, c.b).0..norm.byte_range(c.a, c.b).1]
                            ),
                            ChunkKind::Number(n) => n.digits.clone(),
                        })
                        .collect(),
                ),
                Item::Seg(_) => None,
            })
            .collect()
    }

    #[test]
    fn table_four_columns_are_found_under_their_two_level_heads() {
        // The three groups printed in another order: 复议后起诉, then 行政复议, then 未经复议直接起诉.
        let g = |t| Some(t);
        let heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
        let mut top: Vec<Option<&str>> = vec![g("行政诉讼"), None, None, None, None];
        top.extend([g("行政复议"), None, None, None, None]);
        top.extend([g("行政诉讼"), None, None, None, None]);
        let mut mid: Vec<Option<&str>> = vec![g("复议后起诉"), None, None, None, None];
        mid.extend(heads.iter().map(|h| g(*h)));
        mid.extend([g("未经复议直接起诉"), None, None, None, None]);
        let mut low: Vec<Option<&str>> = heads.iter().map(|h| g(*h)).collect();
        low.extend([None; 5]);
        low.extend(heads.iter().map(|h| g(*h)));
        let values: Vec<String> = (1..=15).map(|v| v.to_string()).collect();
        let row: Vec<Option<&str>> = values.iter().map(|v| g(v.as_str())).collect();
        let (text, grid) = laid(&[&top, &mid, &low, &row], 0..15);
        // 行政复议 (printed 6–10), 未经复议直接起诉 (11–15), 复议后起诉 (1–5).
        let want: Vec<String> = (6..=15).chain(1..=5).map(|v| v.to_string()).collect();
        assert_eq!(runs(&text, &grid), [want]);
    }

    #[test]
    fn blank_cells_keep_their_place_and_broken_digits_join() {
        let g = |t| Some(t);
        let (text, grid) = laid(
            &[
                &[
                    g("信息内容"),
                    g("本年制发件数"),
                    g("本年废止件数"),
                    g("现行有效件数"),
                    g("备注"),
                ],
                &[g("规章"), g(""), g("1 2"), g(""), g("另有3件待审")],
                &[g("2.其他"), g(""), g(""), g(""), g("")],
                &[g("规范性文件"), g("7"), g("0"), g("12"), g("")],
            ],
            1..4,
        );
        assert_eq!(
            runs(&text, &grid),
            [
                vec!["_", "12", "_"],
                vec!["_", "_", "_"],
                vec!["7", "0", "12"]
            ]
        );
    }

    /// A scan's streak split the label's cell: its second half stands in a column the reader
    /// took for values, left of the first column the template reads.
    #[test]
    fn words_before_the_first_read_column_are_the_rows_label() {
        let g = |t| Some(t);
        let (text, grid) = laid(
            &[
                &[
                    g("信息内容"),
                    g(""),
                    g("本年制发件数"),
                    g("本年废止件数"),
                    g("现行有效件数"),
                ],
                &[g("行政规范"), g("性文件"), g("7"), g("0"), g("12")],
            ],
            1..5,
        );
        let norm = Norm::new(&text);
        let labels: Vec<String> = items(&norm, std::slice::from_ref(&grid), Template::Y2021)
            .iter()
            .filter_map(|i| match i {
                Item::Seg(s) => Some(
                    norm.chars[s.a..s.b]
                        .iter()
                        .filter(|c| !c.is_whitespace())
                        .collect(),
                ),
                Item::Run(_) => None,
            })
            .collect();
        assert!(labels.concat().contains("行政规范性文件"), "{labels:?}");
        assert_eq!(runs(&text, &grid), [vec!["7", "0", "12"]]);
    }

    #[test]
    fn rows_under_unknown_heads_read_as_text() {
        let g = |t| Some(t);
        let (text, grid) = laid(
            &[
                &[g("项目"), g("甲"), g("乙")],
                &[g("规章"), g("3"), g("4 5")],
            ],
            1..3,
        );
        assert_eq!(runs(&text, &grid), [vec!["3", "4", "5"]]);
    }
}
