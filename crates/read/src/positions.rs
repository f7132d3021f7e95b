//! Layout from positioned words (PDF, OFD): lines by baseline, table rows where a line ends
//! in numbers, label lines joined to their row, paragraphs joined across wrapped lines.
//!
//! A line whose last cells are numbers is a table row. Label lines around it (wrapped row
//! labels, group labels centred over several rows) join the nearest row — preferring the
//! row whose label column they share and, slightly, the row above, as Word top-aligns
//! cells — and a row's label is read column by column. Other lines are paragraphs; the
//! wrapped lines of one paragraph are joined.

use crate::document::{Block, Document, Grid, Slot};
use nianbao_model::Place;

#[derive(Clone, Debug)]
pub struct Word {
    pub page: u32,
    /// Paragraph id from the source, to join the wrapped lines of one paragraph.
    pub para: (u32, u32),
    pub x0: f64,
    /// Top of the word box (y grows downwards).
    pub y0: f64,
    pub x1: f64,
    /// Height of the box (about the font size).
    pub h: f64,
    pub text: String,
}

/// A visual line: cells (runs of words separated by column-sized gaps).
#[derive(Clone, Debug)]
struct Line {
    page: u32,
    para: (u32, u32),
    y: f64,
    h: f64,
    /// Right end of the line's last word.
    x1: f64,
    /// Per cell: left edge, text and box `[x0, y0, x1, y1]`.
    cells: Vec<(f64, String, [f64; 4])>,
    /// Index of the first value cell when the line ends in values (a table row).
    first_value: Option<usize>,
}

fn is_value(t: &str) -> bool {
    let t = t.trim();
    // `1.` / `2、` set apart from their label (a Latin font's digits in a Chromium PDF)
    // number the label; they are not a value.
    if t.len() > 1
        && t.ends_with(['.', '、'])
        && t[..t.len() - t.chars().last().map_or(0, char::len_utf8)]
            .chars()
            .all(|c| c.is_ascii_digit())
    {
        return false;
    }
    matches!(t, "—" | "——" | "-" | "/" | "无" | "－")
        || (t
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || "+-增减".contains(c))
            && t.chars()
                .all(|c| c.is_ascii_digit() || ".,+-%增减元万亿".contains(c)))
}

/// `（一）…`, `1.…`, `一、…`: the first word of a numbered label, never the middle of one.
fn starts_label(t: &str) -> bool {
    let c: Vec<char> = t.chars().take(4).collect();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    match c.as_slice() {
        ['（' | '(', n, ..] if numeral(*n) => true,
        [d, '.' | '．' | '、', ..] if d.is_ascii_digit() => true,
        [n, '、', ..] if numeral(*n) => true,
        _ => false,
    }
}

/// Numbers wrapped inside narrow cells (`707.1` / `9`): a values-only line just under a
/// row whose every cell sits under one of the row's value cells continues those cells.
fn join_wrapped_numbers(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for l in lines {
        if l.first_value == Some(0) {
            if let Some(p) = out.last_mut() {
                let close = p.page == l.page && l.y - p.y <= 1.3 * p.h.max(l.h);
                if let (true, Some(fv)) = (close, p.first_value) {
                    let targets: Option<Vec<usize>> = l
                        .cells
                        .iter()
                        .map(|c| (fv..p.cells.len()).find(|&k| (p.cells[k].0 - c.0).abs() < 2.0))
                        .collect();
                    if let Some(t) = targets.filter(|t| t.len() <= p.cells.len() - fv) {
                        for (k, c) in t.into_iter().zip(&l.cells) {
                            p.cells[k].1.push_str(&c.1);
                            p.cells[k].2 = union(p.cells[k].2, c.2);
                        }
                        continue;
                    }
                }
            }
        }
        out.push(l);
    }
    out
}

fn lines(words: &[Word]) -> Vec<Line> {
    let mut ws: Vec<&Word> = words.iter().collect();
    ws.sort_by(|a, b| {
        (a.page, a.y0 + a.h)
            .partial_cmp(&(b.page, b.y0 + b.h))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut groups: Vec<Vec<&Word>> = Vec::new();
    for w in ws {
        match groups.last_mut() {
            // Same baseline: cells of one row share it; a group label centred over rows
            // sits half a line off and is a line of its own. Baselines are compared with
            // the nearest word so far (the last, in this order): a word in another font
            // (`4.` in a Latin one) may sit a little lower than the first word of the line.
            Some(g)
                if g.last().is_some_and(|n| {
                    n.page == w.page && ((w.y0 + w.h) - (n.y0 + n.h)).abs() < 0.3 * n.h.min(w.h)
                }) =>
            {
                g.push(w)
            }
            _ => groups.push(vec![w]),
        }
    }
    groups
        .into_iter()
        .map(|mut g| {
            g.sort_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap_or(std::cmp::Ordering::Equal));
            let h = g.iter().map(|w| w.h).fold(f64::MAX, f64::min);
            let mut cells: Vec<(f64, String, [f64; 4])> = Vec::new();
            for w in &g {
                // Within a cell words are a space apart (≈0.16 of the font height here);
                // neighbouring cells have padding and a border between them (≈0.27). Words
                // that overlap are in different cells whose widths were estimated (OFD).
                match cells.last_mut() {
                    Some(c)
                        if w.x0 - c.2[2] < 0.22 * h
                            && w.x0 - c.2[2] > -0.1 * h
                            && !is_value(&w.text)
                            && !is_value(&c.1)
                            && !starts_label(&w.text) =>
                    {
                        c.1.push(' ');
                        c.1.push_str(&w.text);
                        c.2 = union(c.2, word_box(w));
                    }
                    _ => cells.push((w.x0, w.text.clone(), word_box(w))),
                }
            }
            let first_value = cells
                .iter()
                .position(|c| is_value(&c.1))
                .filter(|&i| cells[i..].iter().all(|c| is_value(&c.1)));
            Line {
                page: g[0].page,
                para: g[0].para,
                y: g[0].y0,
                h,
                x1: g.iter().map(|w| w.x1).fold(f64::MIN, f64::max),
                cells,
                first_value,
            }
        })
        .flat_map(split_items)
        .collect()
}

fn word_box(w: &Word) -> [f64; 4] {
    [w.x0, w.y0, w.x1, w.y0 + w.h]
}

fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// A label-only line whose later cell starts a numbered item (`法提供` | `2.没有现成信息…`:
/// a group label's piece beside a row of blank cells) is two lines: the piece may join the
/// row its group label starts on, while the item is a row of its own.
fn split_items(l: Line) -> Vec<Line> {
    if l.first_value.is_some() {
        return vec![l];
    }
    let Some(at) = (1..l.cells.len()).find(|&k| starts_label(&l.cells[k].1)) else {
        return vec![l];
    };
    let mut head = l.clone();
    let tail_cells = head.cells.split_off(at);
    head.x1 = tail_cells[0].0;
    let tail = Line {
        cells: tail_cells,
        ..l
    };
    vec![head, tail]
}

/// For each label-only line, the table row (line index) it belongs to, if any. A line
/// joins a row when it lies left of the row's values and within 1.3 line heights of the
/// row or of a line already joined to it (so a label wrapped over several lines chains);
/// captions and headings a row's padding away stay paragraphs.
fn attach(lines: &[Line]) -> Vec<Option<usize>> {
    let mut owner: Vec<Option<usize>> = vec![None; lines.len()];
    let rows: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].first_value.is_some())
        .collect();
    let value_x = |r: usize| lines[r].cells[lines[r].first_value.unwrap_or(0)].0;
    loop {
        let mut changed = false;
        for (i, l) in lines.iter().enumerate() {
            if l.first_value.is_some() || owner[i].is_some() {
                continue;
            }
            let (Some(first), Some(last)) = (l.cells.first(), l.cells.last()) else {
                continue;
            };
            let best = rows
                .iter()
                .filter(|&&r| lines[r].page == l.page && last.0 < value_x(r) - 1.0)
                .filter_map(|&r| {
                    // Distance to the row, or to the nearest line already joined to it.
                    let members =
                        std::iter::once(r).chain((0..lines.len()).filter(|&j| owner[j] == Some(r)));
                    let d = members
                        .map(|j| (lines[j].y - l.y).abs())
                        .fold(f64::MAX, f64::min);
                    if d > 1.3 * l.h.max(lines[r].h) {
                        return None;
                    }
                    let row = &lines[r];
                    // A row whose label lies wholly above/below its values has no label cell
                    // of its own to compare with: any column fits it.
                    let own = &row.cells[..row.first_value.unwrap_or(0)];
                    let shares_column =
                        own.is_empty() || own.iter().any(|c| (c.0 - first.0).abs() < 2.0);
                    // A numbered item (`（二）…`) in the column where the row has its own
                    // numbered item, on its line or on a label line already joined to it
                    // (values printed beside a wrapped label's second line), starts another
                    // row.
                    let joined = (0..lines.len())
                        .filter(|&j| owner[j] == Some(r))
                        .flat_map(|j| lines[j].cells.iter());
                    let labels = own.iter().chain(joined);
                    let second_item = l.cells.iter().any(|c| {
                        starts_label(&c.1)
                            && labels
                                .clone()
                                .any(|o| starts_label(&o.1) && (o.0 - c.0).abs() < 2.0)
                    });
                    let mut score = (row.y - l.y).abs();
                    if row.y < l.y {
                        score *= 0.9;
                    }
                    // A numbered item (`2.没有现成信息…`) under the row's own item is a row
                    // of its own, with blank values, however near.
                    if second_item {
                        return None;
                    }
                    if !shares_column {
                        score += 1000.0;
                    }
                    Some((score, r))
                })
                .min_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
            if let Some((_, r)) = best {
                owner[i] = Some(r);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    continue_across_pages(lines, &mut owner);
    owner
}

/// `- 3 -`, `3`, `第 3 页`, `3/12`: a footer, not content.
fn is_page_number(l: &Line) -> bool {
    let t: String = l
        .cells
        .iter()
        .map(|c| c.1.as_str())
        .collect::<Vec<_>>()
        .join("");
    let core = t.trim_matches(|c: char| c == '-' || c == '—' || c == '－' || c.is_whitespace());
    let core = core
        .strip_prefix('第')
        .and_then(|c| c.strip_suffix('页'))
        .unwrap_or(core)
        .trim();
    !core.is_empty()
        && core.len() <= 9
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == ' ')
}

/// A row label wrapped over a page break: label-only lines at the top of a page, above any
/// row of that page and left of the values of the row that ends the previous page, finish
/// that row's label.
fn continue_across_pages(lines: &[Line], owner: &mut [Option<usize>]) {
    // Lines are in page order: each page's lines are one run. Only the top of a page is
    // looked at, down to its first row or first line that is not a continuation, so the
    // pass costs one walk over the lines.
    let mut start = 0;
    while start < lines.len() {
        let page = lines[start].page;
        let end = (start..lines.len())
            .find(|&j| lines[j].page != page)
            .unwrap_or(lines.len());
        if start > 0 {
            continue_page(lines, owner, start, end);
        }
        start = end;
    }
}

/// The top lines `start..` of one page (which ends before `end`) that finish the row the
/// previous page ended with.
fn continue_page(lines: &[Line], owner: &mut [Option<usize>], start: usize, end: usize) {
    let page = lines[start].page;
    // The last line of the previous page, page numbers in the footer skipped.
    let Some(prev) = (0..start).rev().find(|&j| !is_page_number(&lines[j])) else {
        return;
    };
    let row = if lines[prev].first_value.is_some() {
        Some(prev)
    } else {
        owner[prev]
    };
    let Some(r) = row else { return };
    if lines[r].page + 1 != page {
        return;
    }
    let last_of_page = (0..start)
        .filter(|&j| lines[j].page == lines[r].page && !is_page_number(&lines[j]))
        .all(|j| lines[j].y <= lines[prev].y);
    if !last_of_page {
        return;
    }
    let value_x = lines[r].cells[lines[r].first_value.unwrap_or(0)].0;
    for i in start..end {
        let l = &lines[i];
        if l.first_value.is_some() {
            return;
        }
        // Lines already joined to a row of this page stay with it; the next may still continue.
        if owner[i].is_some() {
            continue;
        }
        let left = l.cells.last().is_some_and(|c| c.0 < value_x - 1.0);
        // It continues a label: starts in the column of one of the row's label pieces and
        // does not start a numbered label or heading of its own (`三、…`, `（二）…`).
        let Some(first) = l.cells.first() else { return };
        // (Or it starts right of the row's first label piece: a sub-label column, where
        // estimated word widths, as in OFD, may have merged the pieces of the row's line.)
        let pieces: Vec<f64> = std::iter::once(r)
            .chain((0..lines.len()).filter(|&j| owner[j] == Some(r)))
            .flat_map(|j| {
                let fv = lines[j].first_value.unwrap_or(lines[j].cells.len());
                lines[j].cells[..fv].iter().map(|c| c.0)
            })
            .collect();
        let leftmost = pieces.iter().copied().fold(f64::MAX, f64::min);
        let column = pieces.iter().any(|x| (x - first.0).abs() < 2.0) || first.0 > leftmost + 2.0;
        if !(left && column && !starts_label(&first.1)) {
            // Prose or a heading: nothing below it on this page continues the row.
            return;
        }
        owner[i] = Some(r);
    }
}

/// The document: paragraphs and table rows rebuilt from word boxes, each value cell's
/// place its words' box on the page in points (`per_point` word units a point).
pub fn document(words: &[Word], per_point: f64) -> Document {
    let place = |page: u32, b: [f64; 4]| {
        let pt = |v: f64| (v / per_point * 100.0).round() / 100.0;
        Some(Place::Page {
            page,
            x0: pt(b[0]),
            y0: pt(b[1]),
            x1: pt(b[2]),
            y1: pt(b[3]),
        })
    };
    let lines = join_wrapped_numbers(lines(words));
    let owner = attach(&lines);
    // Right edge of the text on each page: a line reaching it wrapped.
    let mut right: std::collections::HashMap<u32, f64> = std::collections::HashMap::new();
    for l in &lines {
        let r = right.entry(l.page).or_insert(f64::MIN);
        *r = r.max(l.x1);
    }
    let mut prev_para_line: Option<usize> = None;
    let mut doc = Document::default();
    let mut table: Vec<Vec<Slot>> = Vec::new();
    let mut places: Vec<Vec<Option<Place>>> = Vec::new();
    let mut last_para: Option<(u32, (u32, u32))> = None;
    for (i, l) in lines.iter().enumerate() {
        if let Some(fv) = l.first_value {
            // Label fragments of this row, read column by column, top to bottom.
            // (x, page, y, text): read column by column, top to bottom, page after page.
            let mut frags: Vec<(f64, u32, f64, &str)> = l.cells[..fv]
                .iter()
                .map(|c| (c.0, l.page, l.y, c.1.as_str()))
                .collect();
            for (j, o) in owner.iter().enumerate() {
                if *o == Some(i) {
                    frags.extend(
                        lines[j]
                            .cells
                            .iter()
                            .map(|c| (c.0, lines[j].page, lines[j].y, c.1.as_str())),
                    );
                }
            }
            frags.sort_by(|a, b| {
                ((a.0 / 3.0).round(), a.1, a.2)
                    .partial_cmp(&((b.0 / 3.0).round(), b.1, b.2))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            let mut pieces: Vec<&str> = frags.iter().map(|f| f.3).collect();
            // A group label cut inside its brackets over two rows (`（四` / `）无法提供`):
            // the closing part goes back after the opening one, on the row above.
            if let (Some(first), Some(Slot::Cell(prev))) =
                (pieces.first(), table.last_mut().and_then(|r| r.first_mut()))
            {
                let open = prev.matches(['（', '(']).count() > prev.matches(['）', ')']).count();
                if let (true, true, Some(at)) = (
                    open,
                    first.starts_with(['）', ')']),
                    prev.rfind(['（', '(']),
                ) {
                    let after = at + prev[at..].chars().next().map_or(1, char::len_utf8);
                    let numeral: usize = prev[after..]
                        .chars()
                        .take_while(|c| "一二三四五六七八九十".contains(*c))
                        .map(char::len_utf8)
                        .sum();
                    prev.insert_str(after + numeral, first);
                    pieces.remove(0);
                }
            }
            let label: String = pieces.join("");
            // A row of values only (table 四) has no label cell: an empty one would read
            // as a blank value.
            let mut row = if label.is_empty() {
                Vec::new()
            } else {
                vec![Slot::Cell(label)]
            };
            let mut at: Vec<Option<Place>> = vec![None; row.len()];
            row.extend(l.cells[fv..].iter().map(|c| Slot::Cell(c.1.clone())));
            at.extend(l.cells[fv..].iter().map(|c| place(l.page, c.2)));
            table.push(row);
            places.push(at);
            last_para = None;
            prev_para_line = None;
            continue;
        }
        if owner[i].is_some() {
            continue;
        }
        if !table.is_empty() {
            doc.blocks.push(Block::Table(Grid {
                rows: std::mem::take(&mut table),
                places: std::mem::take(&mut places),
                ..Grid::default()
            }));
        }
        let text: String = l
            .cells
            .iter()
            .map(|c| c.1.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let key = (l.page, l.para);
        // Without paragraph ids (OFD), a line that ran to the right edge wrapped.
        let wrapped = prev_para_line.is_some_and(|p| {
            let p = &lines[p];
            p.page == l.page
                && l.y - p.y <= 1.5 * p.h.max(l.h)
                && p.x1 >= right[&p.page] - 2.0 * p.h
        });
        match (last_para, doc.blocks.last_mut()) {
            // A numbered item starts a paragraph of its own (the label of a row of blanks).
            (Some(k), Some(Block::Para(p)))
                if (k == key || wrapped)
                    && !l.cells.first().is_some_and(|c| starts_label(&c.1)) =>
            {
                // Digits on both sides of the line break (`…申请4.` / `5.要求…`, item numbers
                // of a table with no values) are not one number.
                if p.ends_with(|c: char| c.is_ascii_digit() || c == '.')
                    && text.starts_with(|c: char| c.is_ascii_digit())
                {
                    p.push(' ');
                }
                p.push_str(&text)
            }
            _ => doc.blocks.push(Block::Para(text)),
        }
        last_para = Some(key);
        prev_para_line = Some(i);
    }
    if !table.is_empty() {
        doc.blocks.push(Block::Table(Grid {
            rows: table,
            places,
            ..Grid::default()
        }));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(page: u32, para: u32, x0: f64, y0: f64, text: &str) -> Word {
        Word {
            page,
            para: (para, 0),
            x0,
            y0,
            x1: x0 + 12.0 * text.chars().count() as f64,
            h: 15.6,
            text: text.into(),
        }
    }

    #[test]
    fn numbers_wrapped_in_narrow_cells_are_joined() {
        let ws = vec![
            w(1, 1, 50.0, 100.0, "七、依申请公开信息收取的费用"),
            w(1, 2, 400.0, 100.0, "707.1"),
            w(1, 3, 400.0, 115.0, "9"),
        ];
        let ls = join_wrapped_numbers(lines(&ws));
        assert_eq!(ls.len(), 1);
        assert_eq!(ls[0].cells[1].1, "707.19");
        // The next row, a row height below, stays a row.
        let ws = vec![
            w(1, 1, 50.0, 100.0, "行政处罚"),
            w(1, 2, 400.0, 100.0, "7"),
            w(1, 3, 400.0, 133.0, "9"),
        ];
        assert_eq!(join_wrapped_numbers(lines(&ws)).len(), 2);
    }

    #[test]
    fn a_label_wrapped_over_a_page_break_finishes_its_row() {
        let ws = vec![
            w(
                1,
                1,
                100.0,
                700.0,
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政",
            ),
            w(1, 2, 300.0, 700.0, "0"),
            w(1, 3, 340.0, 700.0, "0"),
            w(1, 4, 200.0, 780.0, "- 3 -"),
            w(2, 5, 100.0, 60.0, "府信息公开申请"),
            w(2, 6, 100.0, 110.0, "2.申请人逾期未按收费通知要求缴纳费用"),
            w(2, 7, 300.0, 110.0, "1"),
            w(2, 8, 340.0, 110.0, "2"),
        ];
        let text = document(&ws, 1.0).to_text();
        assert!(
            text.contains("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0"),
            "{text}"
        );
        // Prose at the top of a page is not taken into a row.
        let ws = vec![
            w(1, 1, 100.0, 700.0, "行政许可"),
            w(1, 2, 300.0, 700.0, "5"),
            w(2, 3, 100.0, 60.0, "四、政府信息公开行政复议情况"),
        ];
        assert!(
            document(&ws, 1.0)
                .to_text()
                .contains("\n\n四、政府信息公开行政复议情况"),
            "{}",
            document(&ws, 1.0).to_text()
        );
    }

    #[test]
    fn wrapped_labels_join_their_row() {
        let ws = vec![
            w(1, 1, 50.0, 10.0, "宁海县2023年政府信息公开工"),
            w(1, 1, 50.0, 26.0, "作年度报告"),
            w(1, 2, 60.0, 100.0, "（二）部分公开（区分处理的，只计这一"),
            w(1, 3, 300.0, 100.0, "0"),
            w(1, 4, 340.0, 100.0, "1"),
            w(1, 2, 60.0, 116.0, "情形，不计其他情形）"),
            w(1, 5, 30.0, 140.0, "（三）"),
            w(1, 6, 100.0, 133.0, "1.属于国家秘密"),
            w(1, 7, 300.0, 133.0, "2"),
            w(1, 8, 340.0, 133.0, "3"),
            w(1, 5, 30.0, 156.0, "不予公开"),
            w(1, 9, 100.0, 166.0, "2.其他法律行政法规禁止"),
            w(1, 10, 300.0, 166.0, "0"),
            w(1, 11, 340.0, 166.0, "0"),
            w(1, 9, 100.0, 182.0, "公开"),
        ];
        let ls = lines(&ws);
        let owner = attach(&ls);
        let rows: Vec<usize> = (0..ls.len())
            .filter(|&i| ls[i].first_value.is_some())
            .collect();
        assert_eq!(rows.len(), 3);
        // The wrapped tail of （二）, the group label and the tail of 2.其他… find their rows.
        let tail = ls
            .iter()
            .position(|l| l.cells[0].1.starts_with("情形"))
            .unwrap();
        assert_eq!(owner[tail], Some(rows[0]));
        let group = ls.iter().position(|l| l.cells[0].1 == "不予公开").unwrap();
        assert!(owner[group] == Some(rows[1]) || owner[group] == Some(rows[2]));
        let last = ls.iter().position(|l| l.cells[0].1 == "公开").unwrap();
        assert_eq!(owner[last], Some(rows[2]));
    }

    /// A borderless table printed by Chromium (boxes as poppler reports them): rows of
    /// blank cells under a group label centred between rows, item numbers in a Latin font
    /// sitting a little lower than the CJK text.
    #[test]
    fn rows_of_blank_cells_stay_rows_of_their_own() {
        // Every cell a paragraph of its own, as poppler reports table cells.
        let at = |x0: f64, y0: f64, h: f64, text: &str| Word {
            page: 1,
            para: (y0 as u32, x0 as u32),
            x0,
            y0,
            x1: x0 + 9.0 * text.chars().count() as f64,
            h,
            text: text.into(),
        };
        let ws = vec![
            at(160.6, 201.6, 13.3, "1."),
            at(169.6, 202.2, 12.0, "本机关不掌握相关政府信息"),
            at(367.4, 200.1, 13.3, "1"),
            at(558.6, 200.1, 13.3, "1"),
            at(100.3, 214.2, 12.0, "（四）无"),
            at(160.6, 222.6, 13.3, "2."),
            at(169.6, 223.2, 12.0, "没有现成信息需要另行制作"),
            at(100.3, 232.2, 12.0, "法提供"),
            at(160.6, 243.6, 13.3, "3."),
            at(169.6, 244.2, 12.0, "补正后申请内容仍不明确"),
            at(100.3, 325.2, 12.0, "予处理"),
            at(169.6, 328.2, 12.0, "无正当理由大量反复申请"),
            at(160.6, 327.6, 13.3, "4."),
        ];
        let text = document(&ws, 1.0).to_text().replace(' ', "");
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines[0], "（四）无1.本机关不掌握相关政府信息\t1\t1",
            "{text}"
        );
        assert!(lines.contains(&"3.补正后申请内容仍不明确"), "{text}");
        assert!(lines.contains(&"4.无正当理由大量反复申请"), "{text}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("2.没有现成信息需要另行制作")),
            "{text}"
        );
    }
}
