//! The report as a document: title, headings, paragraphs and the statistical tables with
//! their merged cells exactly as the official template draws them. Every output format
//! (HTML, DOCX) and the synthetic page writers walk this one model.

use nianbao_model::layout::{self, Head, Line};
use nianbao_model::{Num, Report, Statistics};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A printed header or row label.
    Label,
    /// A number cell of the template.
    Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
    pub role: Role,
    /// The canonical key of a value cell.
    pub key: Option<String>,
    pub value: Option<Num>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// The first row of a 第二十条 item in table 二 (where pages that split the table
    /// into one table per item start a new one).
    pub item_start: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Relative column widths (one per grid column).
    pub widths: Vec<u32>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    Para(String),
    /// A line set flush left: the addressee of a letter (主送机关).
    Address(String),
    Table(Table),
    /// Agency and date at the foot, right-aligned.
    Signature(Vec<String>),
    /// A chart (PNG) centred, its caption under it.
    Figure(crate::chart::Chart, String),
}

impl Row {
    /// Row labels (a label cell one row high in a row of values) are set flush left;
    /// headers and labels spanning several rows are centred.
    pub fn flush_left(&self, c: &Cell) -> bool {
        c.role == Role::Label && c.rowspan == 1 && self.cells.iter().any(|x| x.role == Role::Value)
    }
}

fn label(text: &str, rowspan: usize, colspan: usize) -> Cell {
    Cell {
        text: text.to_string(),
        rowspan,
        colspan,
        role: Role::Label,
        key: None,
        value: None,
    }
}

fn value(r: &Report, key: String, colspan: usize) -> Cell {
    let v = r.value(&key);
    Cell {
        text: v.map(|n| n.to_string()).unwrap_or_default(),
        rowspan: 1,
        colspan,
        role: Role::Value,
        key: Some(key),
        value: v,
    }
}

fn row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        item_start: false,
    }
}

/// Table 二: four columns; an item with fewer columns widens its last one.
pub fn t2(r: &Report) -> Table {
    let mut rows = Vec::new();
    for item in layout::t2_items(r.template) {
        let mut first = row(vec![label(
            &format!("第二十条第（{}）项", item.number),
            1,
            4,
        )]);
        first.item_start = true;
        rows.push(first);
        let cols = item.cols();
        let widen = |i: usize| {
            if i == cols.len() - 1 {
                4 - cols.len()
            } else {
                1
            }
        };
        let mut head = vec![label("信息内容", 1, 1)];
        head.extend(
            cols.iter()
                .enumerate()
                .map(|(i, c)| label(c.head, 1, widen(i))),
        );
        rows.push(row(head));
        for line in item.lines {
            let mut cells = vec![label(line.label, 1, 1)];
            cells.extend(line.keys().enumerate().map(|(i, k)| value(r, k, widen(i))));
            rows.push(row(cells));
        }
    }
    Table {
        widths: vec![31, 23, 23, 23],
        rows,
    }
}

/// The header rows drawn from their merged cells.
fn header(head: &[Head]) -> Vec<Row> {
    let height = head.iter().map(|h| h.row + h.rows).max().unwrap_or(0);
    (0..height)
        .map(|r| {
            let mut cells: Vec<&Head> = head.iter().filter(|h| h.row == r).collect();
            cells.sort_by_key(|h| h.col);
            row(cells
                .iter()
                .map(|h| label(h.text, h.rows, h.cols))
                .collect())
        })
        .collect()
}

/// Value rows under `label_cols` label columns: a group label is merged down the
/// consecutive rows that share it, a row's own label fills the label columns left.
fn body(r: &Report, lines: &[&Line], label_cols: usize) -> Vec<Row> {
    let prefix = |i: usize, depth: usize| -> Vec<&str> { lines[i].path().take(depth).collect() };
    let mut rows = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut cells = Vec::new();
        let depth = line.group.len();
        for (level, text) in line.path().enumerate() {
            if level == depth {
                if label_cols > 0 {
                    cells.push(label(text, 1, label_cols - level));
                }
            } else if i == 0 || prefix(i - 1, level + 1) != prefix(i, level + 1) {
                let mine = prefix(i, level + 1);
                let span = lines[i..]
                    .iter()
                    .enumerate()
                    .take_while(|(j, l)| l.group.len() > level && prefix(i + j, level + 1) == mine)
                    .count();
                cells.push(label(text, span, 1));
            }
        }
        cells.extend(line.keys().map(|k| value(r, k, 1)));
        rows.push(row(cells));
    }
    rows
}

/// Table 三: three label columns, seven applicant-type columns.
pub fn t3(r: &Report) -> Table {
    let lines: Vec<&Line> = layout::t3_lines(r.template).collect();
    let mut rows = header(layout::T3_HEAD);
    rows.extend(body(r, &lines, layout::T3_LABEL_COLS));
    let mut widths = vec![9, 11, 24];
    widths.extend([8; 7]);
    Table { widths, rows }
}

/// Table 四: 行政复议 (5 columns), 行政诉讼 split into 未经复议直接起诉 and 复议后起诉.
pub fn t4(r: &Report) -> Table {
    let mut rows = header(layout::T4_HEAD);
    rows.extend(body(r, &[&layout::T4], 0));
    Table {
        widths: vec![1; 15],
        rows,
    }
}

/// A statistics table: indicator, unit and value rows, heading rows as printed.
pub fn statistics(r: &Report, stats: &Statistics) -> Table {
    let mut rows = vec![row(stats.head.iter().map(|h| label(h, 1, 1)).collect())];
    for line in stats.lines {
        let last = match line.keys().next() {
            Some(key) => value(r, key, 1),
            None => label("", 1, 1),
        };
        rows.push(row(vec![
            label(line.label, 1, 1),
            label(line.unit, 1, 1),
            last,
        ]));
    }
    Table {
        widths: vec![66, 12, 22],
        rows,
    }
}

/// The tables of a report's template, each with its caption, in printed order.
pub fn tables(r: &Report) -> Vec<(&'static str, Table)> {
    match r.template.statistics() {
        Some(stats) => vec![(stats.title, statistics(r, stats))],
        None => vec![
            ("二、主动公开政府信息情况", t2(r)),
            ("三、收到和处理政府信息公开申请情况", t3(r)),
            ("四、政府信息公开行政复议、行政诉讼情况", t4(r)),
        ],
    }
}

/// The statutory section headings (kept in the model crate, used by `check` too).
pub use nianbao_model::SECTION_HEADINGS as HEADINGS;

/// Where a section's prose stops and its table (as text copied from the source) begins.
fn is_table_text(line: &str) -> bool {
    let t = line.trim_start();
    line.contains('\t')
        || ["第二十条", "信息内容", "行政复议", "（本列", "(本列", "|"]
            .iter()
            .any(|p| t.starts_with(p))
}

/// The paragraphs of a section's text, without Markdown heading marks; in sections
/// 二–四 only the prose before the table (the table is drawn from the cells).
fn paragraphs(text: &str, stop_at_table: bool) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        if stop_at_table && is_table_text(line) {
            break;
        }
        let p = line.trim().trim_start_matches('#').trim();
        if !p.is_empty() {
            out.push(p.to_string());
        }
    }
    out
}

/// The title as the report prints it, or the standard one.
pub fn title(r: &Report) -> String {
    if let Some(t) = r.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return t.trim().to_string();
    }
    let agency = r.agency.as_deref().unwrap_or("");
    match r.year {
        Some(y) => format!("{agency}{y}年政府信息公开工作年度报告"),
        None => format!("{agency}政府信息公开工作年度报告"),
    }
}

fn signature(r: &Report) -> Vec<String> {
    let mut lines: Vec<String> = r.agency.iter().cloned().collect();
    if let Some(d) = r.published {
        lines.push(format!("{}年{}月{}日", d.year, d.month, d.day));
    }
    lines
}

/// The whole report in the layout of its template.
pub fn document(r: &Report) -> Vec<Block> {
    let mut out = vec![Block::Title(title(r))];
    if let Some(stats) = r.template.statistics() {
        for s in &r.sections {
            out.push(Block::Heading(s.title.clone()));
            out.extend(paragraphs(&s.text, true).into_iter().map(Block::Para));
        }
        out.push(Block::Heading(format!("附件：{}", stats.title)));
        out.push(Block::Table(statistics(r, stats)));
    } else {
        for (i, heading) in HEADINGS.iter().enumerate() {
            let n = i as u8 + 1;
            out.push(Block::Heading(heading.to_string()));
            if let Some(s) = r.sections.iter().find(|s| s.number == n) {
                let prose = paragraphs(&s.text, (2..=4).contains(&n));
                out.extend(prose.into_iter().map(Block::Para));
            }
            match n {
                2 => out.push(Block::Table(t2(r))),
                3 => out.push(Block::Table(t3(r))),
                4 => out.push(Block::Table(t4(r))),
                _ => {}
            }
        }
    }
    let sig = signature(r);
    if !sig.is_empty() {
        out.push(Block::Signature(sig));
    }
    out
}

/// Every slot of a table's grid: which cell covers it and whether it is that cell's
/// top-left corner. DOCX needs this to write vertically merged continuation cells.
pub fn grid(t: &Table) -> Vec<Vec<Option<(usize, usize, bool)>>> {
    let ncols = t.widths.len();
    let mut g = vec![vec![None; ncols]; t.rows.len()];
    for (ri, row) in t.rows.iter().enumerate() {
        let mut col = 0;
        for (ci, cell) in row.cells.iter().enumerate() {
            while col < ncols && g[ri][col].is_some() {
                col += 1;
            }
            for dr in 0..cell.rowspan {
                for dc in 0..cell.colspan {
                    if let Some(slot) = g.get_mut(ri + dr).and_then(|r| r.get_mut(col + dc)) {
                        *slot = Some((ri, ci, dr == 0 && dc == 0));
                    }
                }
            }
            col += cell.colspan;
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::Template;

    fn full(t: &Table) -> bool {
        grid(t).iter().all(|r| r.iter().all(Option::is_some))
    }

    #[test]
    fn every_table_fills_its_grid_exactly() {
        for template in [Template::Y2019, Template::Y2021, Template::Legacy] {
            let r = Report::new(template);
            for (_, t) in &tables(&r) {
                assert!(full(t), "{template:?}: a grid slot is not covered");
                for row in &t.rows {
                    let covered: usize = row.cells.iter().map(|c| c.colspan).sum();
                    assert!(covered <= t.widths.len());
                }
            }
        }
    }

    #[test]
    fn every_key_of_the_template_has_one_value_cell() {
        for template in [Template::Y2019, Template::Y2021, Template::Legacy] {
            let r = Report::new(template);
            let doc = document(&r);
            let mut keys: Vec<String> = doc
                .iter()
                .filter_map(|b| match b {
                    Block::Table(t) => Some(t),
                    _ => None,
                })
                .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter()))
                .filter_map(|c| c.key.clone())
                .collect();
            keys.sort();
            let mut expected: Vec<String> = r.cells.keys().map(str::to_string).collect();
            expected.sort();
            assert_eq!(keys, expected, "{template:?}");
        }
    }

    #[test]
    fn section_prose_stops_where_the_copied_table_starts() {
        let text =
            "本年度主动公开信息120条。\n\n第二十条第（一）项\n信息内容\t本年制发件数\n规章\t0";
        assert_eq!(paragraphs(text, true), vec!["本年度主动公开信息120条。"]);
        assert_eq!(
            paragraphs("### 改进措施\n\n1.加强学习。", false),
            vec!["改进措施", "1.加强学习。"]
        );
    }
}
