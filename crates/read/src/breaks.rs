//! Ruled tables broken over pages. Word repeats a table's header rows at the top of each
//! page it continues on (`w:tblHeader`) and lets a row break across the page: the rows of
//! the next page then start with the header again and, under it, the rest of the broken
//! row's label with no values. Read as they are, the header text joins that fragment into a
//! label that no longer names its row. Here the repeated header rows are dropped and the
//! fragment goes back onto the row it was cut from.

use crate::document::{Block, Document, Grid, Slot};

/// Paragraphs at most this long between two tables may be a page's footer and header.
const PAGE_FURNITURE: usize = 40;

impl Document {
    pub fn join_page_breaks(&mut self) {
        let mut prev: Option<usize> = None;
        for i in 0..self.blocks.len() {
            match &self.blocks[i] {
                Block::Table(_) => {
                    if let Some(p) = prev {
                        let (a, b) = self.blocks.split_at_mut(i);
                        if let (Block::Table(a), Block::Table(b)) = (&mut a[p], &mut b[0]) {
                            continue_table(a, b);
                        }
                    }
                    prev = Some(i);
                }
                Block::Para(t) if t.chars().count() > PAGE_FURNITURE => prev = None,
                Block::Para(_) => {}
            }
        }
    }
}

fn texts(row: &[Slot]) -> Vec<&str> {
    row.iter()
        .map(|s| match s {
            Slot::Cell(t) => t.trim(),
            Slot::Covered => "",
        })
        .collect()
}

/// Drops the rows of `b` that repeat `a`'s header, then joins a label fragment left at the
/// top of `b` to `a`'s last row.
fn continue_table(a: &mut Grid, b: &mut Grid) {
    let k = a
        .rows
        .iter()
        .zip(&b.rows)
        .take_while(|(x, y)| texts(x) == texts(y) && texts(x).iter().any(|t| !t.is_empty()))
        .count();
    if k == 0 || k >= b.rows.len() {
        return;
    }
    for _ in 0..k {
        drop_first_row(b);
    }
    let (Some(first), Some(last)) = (b.rows.first(), a.rows.last()) else {
        return;
    };
    let filled: Vec<usize> = texts(first)
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(i, _)| i)
        .collect();
    let has_values = texts(last)
        .iter()
        .any(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let [col] = filled[..] else { return };
    let fragment = texts(first)[col].to_string();
    if !has_values || numbered(&fragment) || first.len() != last.len() {
        return;
    }
    // The cell of `a`'s last row that covers the fragment's column.
    let Some(owner) = (0..=col).rev().find(|&c| matches!(last[c], Slot::Cell(_))) else {
        return;
    };
    if let Some(Slot::Cell(t)) = a.rows.last_mut().and_then(|r| r.get_mut(owner)) {
        t.push_str(&fragment);
        drop_first_row(b);
    }
}

/// An item number opens the text (`（六）`, `2.`, `三、`): a row of its own, not a fragment.
fn numbered(t: &str) -> bool {
    let c: Vec<char> = t.chars().take(3).collect();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    match c.as_slice() {
        ['（' | '(', n, ..] => numeral(*n),
        [d, '.' | '．' | '、', ..] if d.is_ascii_digit() => true,
        [n, '、', ..] => numeral(*n),
        _ => false,
    }
}

fn drop_first_row(g: &mut Grid) {
    if !g.rows.is_empty() {
        g.rows.remove(0);
    }
    if !g.confidence.is_empty() {
        g.confidence.remove(0);
    }
    if !g.places.is_empty() {
        g.places.remove(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|t| Slot::Cell(t.to_string())).collect())
                .collect(),
            ..Grid::default()
        }
    }

    #[test]
    fn a_repeated_header_goes_and_the_broken_label_joins_its_row() {
        let mut doc = Document {
            blocks: vec![
                Block::Table(grid(&[
                    &["", "自然人", "总计"],
                    &["5.要求行政机关确认", "0", "0"],
                ])),
                Block::Para("- 3 -".into()),
                Block::Table(grid(&[
                    &["", "自然人", "总计"],
                    &["或重新出具已获取信息", "", ""],
                    &["（六）其他处理", "0", "0"],
                ])),
            ],
        };
        doc.join_page_breaks();
        let Block::Table(a) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(
            a.rows[1][0],
            Slot::Cell("5.要求行政机关确认或重新出具已获取信息".into())
        );
        let Block::Table(b) = &doc.blocks[2] else {
            panic!()
        };
        assert_eq!(b.rows, grid(&[&["（六）其他处理", "0", "0"]]).rows);
    }

    #[test]
    fn a_row_of_blanks_under_a_repeated_header_stays_a_row() {
        let mut doc = Document {
            blocks: vec![
                Block::Table(grid(&[&["", "自然人"], &["1.信访举报投诉类申请", "0"]])),
                Block::Table(grid(&[
                    &["", "自然人"],
                    &["2.重复申请", ""],
                    &["3.其他", "1"],
                ])),
            ],
        };
        doc.join_page_breaks();
        let Block::Table(b) = &doc.blocks[1] else {
            panic!()
        };
        assert_eq!(b.rows.len(), 2, "header dropped, the numbered row kept");
        let Block::Table(a) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(a.rows[1][0], Slot::Cell("1.信访举报投诉类申请".into()));
    }

    #[test]
    fn tables_apart_in_the_text_are_left_alone() {
        let long =
            "二、主动公开政府信息情况：本年度我单位主动公开政府信息一百二十条，其中规章零件。"
                .to_string();
        let first = grid(&[&["信息内容", "数量"], &["规章", "0"]]);
        let mut doc = Document {
            blocks: vec![
                Block::Table(first.clone()),
                Block::Para(long),
                Block::Table(first.clone()),
            ],
        };
        doc.join_page_breaks();
        assert_eq!(doc.blocks[2], Block::Table(first));
    }
}
