//! PDF pages as grey images (poppler's `pdftoppm`), and a page's blocks put together from
//! the tables found on it and the words around them (text-layer PDFs and scans alike).

use crate::document::{Block, Grid, Place};
use crate::positions::{self, Word};
use crate::raster::Image;
use crate::ReadError;
use std::process::Command;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(360);

/// The first `max_pages` pages at `dpi`, grey.
pub fn render(bytes: &[u8], dpi: usize, max_pages: usize) -> Result<Vec<Image>, ReadError> {
    Ok(render_range(bytes, dpi, 1, max_pages as u32)?
        .into_iter()
        .map(|(_, img)| img)
        .collect())
}

/// Pages `first..=last` at `dpi`, grey, with their page numbers.
pub fn render_range(
    bytes: &[u8],
    dpi: usize,
    first: u32,
    last: u32,
) -> Result<Vec<(u32, Image)>, ReadError> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("input.pdf");
    std::fs::write(&input, bytes)?;
    let mut cmd = Command::new("pdftoppm");
    cmd.args([
        "-r",
        &dpi.to_string(),
        "-gray",
        "-f",
        &first.to_string(),
        "-l",
        &last.to_string(),
    ])
    .arg(&input)
    .arg(dir.path().join("page"));
    let (status, err) = crate::process::run(cmd, TIMEOUT, ReadError::NoPdfTool, "PDF 页面渲染")?;
    if !status.success() {
        let first = err
            .lines()
            .next()
            .unwrap_or("pdftoppm failed")
            .trim()
            .to_string();
        return Err(ReadError::Corrupt(format!(
            "PDF 无法渲染 (cannot render PDF): {first}"
        )));
    }
    // pdftoppm names pages `page-N.pgm` (N zero-padded): the number is the page's.
    let mut pages: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pgm"))
        .filter_map(|p| {
            let n = p.file_stem()?.to_str()?.rsplit('-').next()?.parse().ok()?;
            Some((n, p))
        })
        .collect();
    pages.sort();
    pages
        .into_iter()
        .map(|(n, p)| {
            std::fs::read(&p)
                .ok()
                .and_then(|b| Image::from_pgm(&b))
                .map(|img| (n, img))
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ReadError::Corrupt("页面图像无法读取 (unreadable page image)".into()))
}

/// A table on a page: the top of its outline (in word coordinates) and its cells row by
/// row as (text, rowspan, colspan).
pub struct PageTable {
    pub top: f64,
    pub cells: Vec<Vec<(String, usize, usize)>>,
    /// The recogniser's confidence per cell (same shape as `cells`), for tables read by OCR.
    pub confidence: Vec<Vec<Option<f32>>>,
    /// Each cell's page and box (same shape as `cells`).
    pub places: Vec<Vec<Option<Place>>>,
}

impl PageTable {
    /// A table found by [`crate::raster::tables`] (pixel coordinates, `scale` pixels per
    /// word unit, `per_point` pixels per PDF point) on page `page`, each cell's text given
    /// by `text(row, cell)`.
    pub fn from_raster(
        table: &crate::raster::Table,
        scale: f64,
        (page, per_point): (u32, f64),
        mut text: impl FnMut(usize, usize) -> (String, Option<f32>),
    ) -> PageTable {
        let mut confidence = Vec::new();
        let pt = |v: usize| (v as f64 / per_point * 100.0).round() / 100.0;
        let places = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|(r, _, _)| {
                        Some(Place::Page {
                            page,
                            x0: pt(r.x0),
                            y0: pt(r.y0),
                            x1: pt(r.x1),
                            y1: pt(r.y1),
                        })
                    })
                    .collect()
            })
            .collect();
        let cells = table
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let (cells, conf): (Vec<_>, Vec<_>) = row
                    .iter()
                    .enumerate()
                    .map(|(c, (_, rs, cs))| {
                        let (t, conf) = text(r, c);
                        ((t, *rs, *cs), conf)
                    })
                    .unzip();
                confidence.push(conf);
                cells
            })
            .collect();
        PageTable {
            top: table.bounds.y0 as f64 / scale,
            cells,
            confidence,
            places,
        }
    }
}

/// One page's blocks: the words above each table laid out as text, then the table, and
/// the words below the last table. Words inside tables must already be removed; words are
/// in units of `per_point` a PDF point.
pub fn blocks(mut words: Vec<Word>, tables: Vec<PageTable>, per_point: f64) -> Vec<Block> {
    let mut out = Vec::new();
    for t in tables {
        let (above, below): (Vec<Word>, Vec<Word>) = words.into_iter().partition(|w| w.y0 < t.top);
        out.extend(positions::document(&above, per_point).blocks);
        words = below;
        // unstack and from_spans keep each row's cells in order, so the confidences do too.
        let mut grid = Grid::from_spans(&unstack(&t.cells));
        if t.confidence.iter().flatten().any(Option::is_some) {
            grid.confidence = t.confidence;
        }
        grid.places = t.places;
        out.push(Block::Table(grid));
    }
    out.extend(positions::document(&words, per_point).blocks);
    out
}

/// Tables set one under another with no gap (pages that give each 第二十条 item its own
/// table) are found as one ruled grid whose columns are every table's columns together.
/// This cuts the grid into bands at the horizontal lines no column rule crosses and drops,
/// within each band, the columns no cell of the band starts at, so each band keeps its own
/// columns (a value under `本年新公开数量` stays the second value of its row). A single
/// table is unchanged: its columns all start a cell somewhere in each band.
pub fn unstack(rows: &[Vec<(String, usize, usize)>]) -> Vec<Vec<(String, usize, usize)>> {
    // Place the cells as Grid::from_spans does: owner[r][c] = index into `cells`.
    // (row, column, rowspan, colspan, index in the row)
    let mut cells: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
    let mut owner: Vec<Vec<Option<usize>>> = vec![Vec::new(); rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for (i, (_, rs, cs)) in row.iter().enumerate() {
            while owner[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            let (rs, cs) = (
                (*rs).clamp(1, rows.len() - r),
                (*cs).clamp(1, crate::document::MAX_COLS),
            );
            if c + cs > crate::document::MAX_COLS {
                return rows.to_vec();
            }
            for o in owner.iter_mut().skip(r).take(rs) {
                if o.len() < c + cs {
                    o.resize(c + cs, None);
                }
                for slot in &mut o[c..c + cs] {
                    *slot = Some(cells.len());
                }
            }
            cells.push((r, c, rs, cs, i));
            c += cs;
        }
    }
    let width = owner.iter().map(Vec::len).max().unwrap_or(0);
    let at = |r: usize, c: usize| owner[r].get(c).copied().flatten();
    // A column rule at boundary c (between columns c-1 and c) in row r.
    let rule = |r: usize, c: usize| at(r, c - 1) != at(r, c);
    let mut bands: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for r in 1..=rows.len() {
        let cut = r == rows.len()
            || ((1..width).all(|c| !(rule(r - 1, c) && rule(r, c)))
                && (0..width).all(|c| at(r - 1, c).is_none() || at(r - 1, c) != at(r, c)));
        if cut {
            bands.push((start, r));
            start = r;
        }
    }
    let mut out: Vec<Vec<(String, usize, usize)>> = vec![Vec::new(); rows.len()];
    for (a, b) in bands {
        // A band of one row (a full-width caption) has no columns to line up.
        let kept: Vec<bool> = (0..width)
            .map(|c| c == 0 || b - a == 1 || (a..b).any(|r| rule(r, c)))
            .collect();
        for &(r, c, rs, cs, i) in cells.iter().filter(|x| (a..b).contains(&x.0)) {
            let new_cs = (c..c + cs).filter(|&k| kept[k]).count().max(1);
            out[r].push((rows[r][i].0.clone(), rs, new_cs));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(t: &str, rs: usize, cs: usize) -> (String, usize, usize) {
        (t.to_string(), rs, cs)
    }

    #[test]
    fn stacked_tables_keep_their_own_columns() {
        // Two tables of three columns at different positions, found as one five-column grid.
        let rows = vec![
            vec![
                c("信息内容", 1, 1),
                c("本年新制作数量", 1, 2),
                c("本年新公开数量", 1, 2),
            ],
            vec![c("规章", 1, 1), c("3", 1, 2), c("4", 1, 2)],
            vec![
                c("信息内容", 1, 2),
                c("上一年项目数量", 1, 2),
                c("本年增/减", 1, 1),
            ],
            vec![c("行政许可", 1, 2), c("5", 1, 2), c("6", 1, 1)],
        ];
        let got = unstack(&rows);
        let spans: Vec<Vec<usize>> = got
            .iter()
            .map(|r| r.iter().map(|x| x.2).collect())
            .collect();
        assert_eq!(spans, vec![vec![1, 1, 1]; 4]);
        assert_eq!(got[3][2].0, "6");
    }

    #[test]
    fn a_single_table_with_merged_cells_is_unchanged() {
        let rows = vec![
            vec![c("note", 3, 3), c("申请人情况", 1, 3)],
            vec![
                c("自然人", 2, 1),
                c("法人或其他组织", 1, 1),
                c("总计", 2, 1),
            ],
            vec![c("商业企业", 1, 1)],
            vec![
                c("一、本年新收", 1, 3),
                c("1", 1, 1),
                c("0", 1, 1),
                c("1", 1, 1),
            ],
            vec![
                c("三、结果", 2, 1),
                c("（一）予以公开", 1, 2),
                c("1", 1, 1),
                c("0", 1, 1),
                c("1", 1, 1),
            ],
            vec![
                c("（三）不予公开", 1, 1),
                c("1.属于国家秘密", 1, 1),
                c("0", 1, 1),
                c("0", 1, 1),
                c("0", 1, 1),
            ],
            vec![c("第二十条第（一）项", 1, 6)],
        ];
        assert_eq!(unstack(&rows), rows);
    }
}
