//! The layout model every reader produces: paragraphs and table grids with merged cells
//! resolved. [`Document::to_text`] writes it as the canonical text the extractor reads
//! (one paragraph per line, one table row per line, cells separated by tabs), so every
//! input format goes through one extraction path.

pub use nianbao_model::{Place, TextGrid};

#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    /// A cell's text, at its top-left position.
    Cell(String),
    /// A position covered by a cell spanning several rows or columns.
    Covered,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Grid {
    pub rows: Vec<Vec<Slot>>,
    /// How sure the recogniser was of each cell read from an image: per row, per cell in
    /// the row's order (the `Slot::Cell`s), 0–1. Empty for text read from the file.
    pub confidence: Vec<Vec<Option<f32>>>,
    /// Where each cell is in the file (same shape as `confidence`); empty when unknown.
    pub places: Vec<Vec<Option<Place>>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Para(String),
    Table(Grid),
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
}

/// Largest grid a reader builds; real report tables are about 30 × 15.
pub const MAX_COLS: usize = 256;
pub const MAX_ROWS: usize = 20_000;

impl Grid {
    /// Places cells given row by row as (text, rowspan, colspan), resolving spans.
    /// Spans are clamped so hostile values cannot blow up the grid.
    pub fn from_spans(rows: &[Vec<(String, usize, usize)>]) -> Grid {
        let mut grid: Vec<Vec<Option<Slot>>> = Vec::new();
        for (r, cells) in rows.iter().enumerate().take(MAX_ROWS) {
            if grid.len() <= r {
                grid.resize_with(r + 1, Vec::new);
            }
            let mut c = 0;
            for (text, rowspan, colspan) in cells {
                while grid[r].get(c).is_some_and(Option::is_some) {
                    c += 1;
                }
                if c >= MAX_COLS {
                    break;
                }
                let rowspan = (*rowspan).clamp(1, MAX_ROWS - r);
                let colspan = (*colspan).clamp(1, MAX_COLS - c);
                for dr in 0..rowspan.min(rows.len() - r) {
                    let row_idx = r + dr;
                    if grid.len() <= row_idx {
                        grid.resize_with(row_idx + 1, Vec::new);
                    }
                    let row = &mut grid[row_idx];
                    if row.len() < c + colspan {
                        row.resize_with(c + colspan, || None);
                    }
                    for dc in 0..colspan {
                        if row[c + dc].is_none() {
                            row[c + dc] = Some(if dr == 0 && dc == 0 {
                                Slot::Cell(text.clone())
                            } else {
                                Slot::Covered
                            });
                        }
                    }
                }
                c += colspan;
            }
        }
        Grid {
            confidence: Vec::new(),
            places: Vec::new(),
            rows: grid
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|s| s.unwrap_or(Slot::Covered))
                        .collect()
                })
                .collect(),
        }
    }
}

/// Looks like a number or a placeholder: a value cell rather than a label.
fn is_value(t: &str) -> bool {
    let t = t.trim_matches(|c: char| c.is_whitespace());
    // A numbered label (`8.属于行政查询事项`) starts with a digit too; a value has no
    // words in it beyond 增/减 and a unit.
    let wordless = || {
        t.chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .all(|c| "增减元万亿".contains(c))
    };
    matches!(t, "—" | "——" | "-" | "/" | "无" | "－")
        || (t.chars().next().is_some_and(|c| {
            c.is_ascii_digit() || ('０'..='９').contains(&c) || "+-增减".contains(c)
        }) && wordless())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A table cell's stretch of the canonical text (byte range), with the recogniser's
/// confidence in it when read from an image, and its place in the file when known.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub confidence: Option<f32>,
    pub place: Option<Place>,
}

impl Document {
    pub fn to_text(&self) -> String {
        self.to_text_spans().0
    }

    /// The canonical text and the spans of its cells that carry a confidence or a place.
    pub fn to_text_spans(&self) -> (String, Vec<Span>) {
        let laid = self.lay_out();
        (laid.text, laid.spans)
    }

    /// The canonical text, the spans of its cells that carry a confidence or a place, and
    /// every table's cells as ranges of that text.
    pub fn lay_out(&self) -> Laid {
        let mut out = String::new();
        let mut spans = Vec::new();
        let mut grids = Vec::new();
        for b in &self.blocks {
            match b {
                Block::Para(p) => {
                    out.push_str(p.trim());
                    out.push('\n');
                }
                Block::Table(g) => {
                    let cols = value_columns(g);
                    let mut grid = TextGrid {
                        values: cols.clone(),
                        ..TextGrid::default()
                    };
                    for (r, row) in g.rows.iter().enumerate() {
                        let line = row_text(row, cols.clone());
                        let (conf, places) = (g.confidence.get(r), g.places.get(r));
                        // Cells are tab-separated in slot order; the k-th real cell has the
                        // k-th confidence and place.
                        let mut at = out.len();
                        let mut k = 0;
                        let mut slots = Vec::with_capacity(row.len());
                        for (slot, text) in row.iter().zip(line.split('\t')) {
                            slots.push(matches!(slot, Slot::Cell(_)).then(|| at..at + text.len()));
                            if matches!(slot, Slot::Cell(_)) {
                                let confidence = conf.and_then(|c| c.get(k).copied().flatten());
                                let place = places.and_then(|p| p.get(k).copied().flatten());
                                if !text.is_empty() && (confidence.is_some() || place.is_some()) {
                                    spans.push(Span {
                                        start: at,
                                        end: at + text.len(),
                                        confidence,
                                        place,
                                    });
                                }
                                k += 1;
                            }
                            at += text.len() + 1;
                        }
                        grid.rows.push(slots);
                        grid.lines.push(out.len()..out.len() + line.len());
                        out.push_str(&line);
                        out.push('\n');
                    }
                    out.push('\n');
                    grids.push(grid);
                }
            }
        }
        Laid {
            text: out,
            spans,
            grids,
        }
    }
}

/// A document written out: the canonical text, its cells' spans, its tables' cells.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Laid {
    pub text: String,
    pub spans: Vec<Span>,
    pub grids: Vec<TextGrid>,
}

/// The columns of a grid that hold values: from the leftmost column where a row's values
/// start to the rightmost value. A report's zero cells are often left blank, whole rows of
/// them included; those blanks still sit in value columns.
fn value_columns(g: &Grid) -> std::ops::Range<usize> {
    let texts: Vec<Vec<String>> = g
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|s| match s {
                    Slot::Cell(t) => t.trim().to_string(),
                    Slot::Covered => String::new(),
                })
                .collect()
        })
        .collect();
    // From the first to the last value of the rows `keep` takes (a row's cells, where its
    // first value is).
    let span = |keep: &dyn Fn(&[String], usize) -> bool| {
        let (mut first, mut last) = (usize::MAX, 0);
        for row in &texts {
            let Some(v) = row.iter().position(|t| is_value(t)) else {
                continue;
            };
            if keep(row, v) {
                first = first.min(v);
                last = last.max(row.iter().rposition(|t| is_value(t)).unwrap_or(v));
            }
        }
        (first < usize::MAX).then(|| first..last + 1)
    };
    // Rows of values after their labels (a header row of numbers is not one); else, in a
    // table of values alone (table 四: one row of fifteen under its header), its rows made
    // of values only.
    span(&|row, v| row[..v].iter().any(|t| !t.is_empty()))
        .or_else(|| span(&|row, _| row.iter().all(|t| t.is_empty() || is_value(t))))
        .unwrap_or(0..0)
}

/// A row as tab-separated cells. An empty cell after the row's labels and before one of
/// its values is a blank value and is written `—`, so a blank first value cannot be
/// mistaken for merged-cell layout; so is an empty cell of a labelled row in the table's
/// value columns (`cols`) when no header text shares the row's value columns.
fn row_text(row: &[Slot], cols: std::ops::Range<usize>) -> String {
    let texts: Vec<String> = row
        .iter()
        .map(|s| match s {
            Slot::Cell(t) => one_line(t),
            Slot::Covered => String::new(),
        })
        .collect();
    let last_label = texts.iter().rposition(|t| !t.is_empty() && !is_value(t));
    let last_value = texts.iter().rposition(|t| is_value(t));
    // Only a row whose label starts an item (`（六）…`, `2.…`, `二、…`): the rest of a
    // label wrapped onto the next row or page (`费）`) is not a row of blank values.
    let labelled_row = last_label
        .is_some_and(|l| l < cols.start && nianbao_model::layout::numbered(&texts[l]))
        && texts
            .iter()
            .enumerate()
            .all(|(i, t)| !cols.contains(&i) || t.is_empty() || is_value(t));
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let real_cell = matches!(row[i], Slot::Cell(_));
            let blank_value = real_cell
                && t.is_empty()
                && last_label.is_none_or(|l| i > l)
                && (last_value.is_some_and(|v| i < v) || labelled_row && cols.contains(&i));
            if blank_value {
                "—".to_string()
            } else {
                t.clone()
            }
        })
        .collect::<Vec<_>>()
        .join("\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(t: &str, r: usize, s: usize) -> (String, usize, usize) {
        (t.to_string(), r, s)
    }

    #[test]
    fn spans_resolve_to_a_grid() {
        let g = Grid::from_spans(&[
            vec![c("note", 2, 2), c("申请人情况", 1, 2)],
            vec![c("自然人", 1, 1), c("总计", 1, 1)],
            vec![c("一、本年新收", 1, 2), c("1", 1, 1), c("1", 1, 1)],
        ]);
        let text: Vec<String> = g
            .rows
            .iter()
            .map(|r| row_text(r, value_columns(&g)))
            .collect();
        assert_eq!(
            text,
            [
                "note\t\t申请人情况\t",
                "\t\t自然人\t总计",
                "一、本年新收\t\t1\t1"
            ]
        );
    }

    #[test]
    fn blank_value_cells_become_dashes() {
        let row = vec![
            Slot::Cell("规章".into()),
            Slot::Cell(" ".into()),
            Slot::Cell("0".into()),
            Slot::Cell("".into()),
        ];
        assert_eq!(row_text(&row, 0..0), "规章\t—\t0\t");
        // In the table's value columns, a labelled row's blanks are blank values too.
        assert_eq!(row_text(&row, 1..4), "规章\t—\t0\t");
        let item = vec![
            Slot::Cell("1.属于国家秘密".into()),
            Slot::Cell("".into()),
            Slot::Cell("0".into()),
            Slot::Cell("".into()),
        ];
        assert_eq!(row_text(&item, 1..4), "1.属于国家秘密\t—\t0\t—");
        let wrapped = vec![
            Slot::Cell("费）".into()),
            Slot::Cell("".into()),
            Slot::Cell("".into()),
        ];
        assert_eq!(row_text(&wrapped, 1..3), "费）\t\t");
        let blank = vec![
            Slot::Cell("（六）其他处理".into()),
            Slot::Cell("".into()),
            Slot::Covered,
        ];
        assert_eq!(row_text(&blank, 1..3), "（六）其他处理\t—\t");
        let header = vec![
            Slot::Cell("信息内容".into()),
            Slot::Cell("本年新制作数量".into()),
            Slot::Cell("".into()),
        ];
        assert_eq!(row_text(&header, 1..3), "信息内容\t本年新制作数量\t");
    }

    #[test]
    fn cell_confidences_become_spans_of_the_text() {
        let mut g = Grid::from_spans(&[
            vec![c("规章", 1, 1), c("3", 1, 1), c("12", 1, 1)],
            vec![c("行政许可", 1, 2), c("7", 1, 1)],
        ]);
        g.confidence = vec![vec![None, Some(0.9), Some(0.6)], vec![None, Some(0.7)]];
        let doc = Document {
            blocks: vec![Block::Para("一、总体情况".into()), Block::Table(g)],
        };
        let (text, spans) = doc.to_text_spans();
        let read: Vec<(&str, Option<f32>)> = spans
            .iter()
            .map(|s| (&text[s.start..s.end], s.confidence))
            .collect();
        assert_eq!(
            read,
            [("3", Some(0.9)), ("12", Some(0.6)), ("7", Some(0.7))]
        );
    }

    #[test]
    fn cell_places_become_spans_of_the_text() {
        let mut g = Grid::from_spans(&[
            vec![c("规章", 1, 1), c("3", 1, 1), c("", 1, 1)],
            vec![c("行政许可", 1, 2), c("7", 1, 1)],
        ]);
        let at = |row, cell| {
            Some(Place::Cell {
                table: 2,
                row,
                cell,
                rendered: None,
            })
        };
        g.places = vec![vec![at(0, 0), at(0, 1), at(0, 2)], vec![at(1, 0), at(1, 1)]];
        let doc = Document {
            blocks: vec![Block::Table(g)],
        };
        let (text, spans) = doc.to_text_spans();
        let read: Vec<(&str, Option<Place>)> = spans
            .iter()
            .map(|s| (&text[s.start..s.end], s.place))
            .collect();
        // Every cell with text; the blank one at the row's end is written as nothing and
        // has no span; no confidence.
        assert_eq!(
            read,
            [
                ("规章", at(0, 0)),
                ("3", at(0, 1)),
                ("行政许可", at(1, 0)),
                ("7", at(1, 1))
            ]
        );
        assert!(spans.iter().all(|s| s.confidence.is_none()));
    }

    #[test]
    fn hostile_spans_are_clamped() {
        let g = Grid::from_spans(&[vec![c("a", 1_000_000, 1_000_000)], vec![c("b", 1, 1)]]);
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.rows[0].len(), MAX_COLS);
    }
}
