//! PDFs with a text layer: word boxes from the readers of [`crate::glyphs`] (hayro, PDFium,
//! then poppler's `pdftotext -tsv`, run as a separate program). Tables are read from their ruling
//! lines — the content streams' vector rules ([`crate::vector`]), or pages rendered by
//! `pdftoppm` where a page has none to read — the grid built as for scans
//! ([`crate::raster`]) and every word put in the cell it lies in, so merged and wrapped
//! labels keep their rows however tightly the rows are set. Words outside ruled tables
//! (and every word when pages cannot be rendered) are laid out by [`crate::positions`].

use crate::document::Document;
use crate::pages::{self, PageTable};
use crate::positions::Word;
use crate::raster::{self, Rect};
use crate::ReadError;
use std::process::Command;
use std::time::Duration;

/// Pages read at most: reports have a few dozen.
pub const MAX_PAGES: usize = 500;
pub const TIMEOUT: Duration = Duration::from_secs(120);
/// Pages searched for ruled tables (report tables come in the first few pages), and the
/// resolution: rules are a pixel or two wide at 150 dpi.
const RULED_PAGES: usize = 40;
const DPI: usize = 150;

/// Runs `pdftotext -tsv` on the bytes and returns its output.
fn tsv(bytes: &[u8]) -> Result<String, ReadError> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("input.pdf");
    std::fs::write(&input, bytes)?;
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-tsv", "-enc", "UTF-8", "-l", &MAX_PAGES.to_string()])
        .arg(&input)
        .arg(dir.path().join("out.tsv"));
    let (status, err) = crate::process::run(cmd, TIMEOUT, ReadError::NoPdfTool, "PDF 文本提取")?;
    if !status.success() {
        if err.contains("password") || err.contains("Encrypted") {
            return Err(ReadError::Encrypted);
        }
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("pdftotext failed")
            .trim()
            .to_string();
        return Err(ReadError::Corrupt(format!(
            "PDF 无法解析 (unreadable PDF): {first}"
        )));
    }
    Ok(std::fs::read_to_string(dir.path().join("out.tsv"))?)
}

/// Page widths in points from the page records (level 1) of the TSV.
fn page_widths(tsv: &str) -> std::collections::HashMap<u32, f64> {
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() >= 10 && f[0] == "1").then_some(())?;
            Some((
                f[1].parse().ok()?,
                f[8].parse::<f64>().ok().filter(|w| *w > 0.0)?,
            ))
        })
        .collect()
}

fn words(tsv: &str) -> Vec<Word> {
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 12 || f[0] != "5" {
                return None;
            }
            let n = |i: usize| f[i].parse::<f64>().ok();
            let text = f[11..].join(" ").trim().to_string();
            (!text.is_empty()).then_some(())?;
            Some(Word {
                page: f[1].parse().ok()?,
                para: (f[3].parse().ok()?, f[2].parse().ok()?),
                x0: n(6)?,
                y0: n(7)?,
                x1: n(6)? + n(8)?,
                h: n(9)?.max(1.0),
                text,
            })
        })
        .collect()
}

/// The words and page widths as poppler's `pdftotext -tsv` gives them (the last reader).
fn poppler_words(bytes: &[u8]) -> Result<crate::glyphs::Glyphs, ReadError> {
    let tsv = tsv(bytes)?;
    Ok(crate::glyphs::Glyphs {
        words: words(&tsv),
        widths: page_widths(&tsv),
        lines: None,
    })
}

fn is_cjk(c: char) -> bool {
    ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

/// A cell's words in reading order: lines top to bottom, words left to right; a space only
/// between two non-Chinese words of one line (never inside `行政许可`).
fn cell_text(mut ws: Vec<&Word>) -> String {
    ws.sort_by(|a, b| a.y0.partial_cmp(&b.y0).unwrap_or(std::cmp::Ordering::Equal));
    let mut lines: Vec<Vec<&Word>> = Vec::new();
    for w in ws {
        match lines.last_mut() {
            Some(l) if (w.y0 - l[0].y0).abs() < 0.5 * w.h.min(l[0].h) => l.push(w),
            _ => lines.push(vec![w]),
        }
    }
    let mut out = String::new();
    for mut l in lines {
        l.sort_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap_or(std::cmp::Ordering::Equal));
        for (i, w) in l.iter().enumerate() {
            // Lines of a cell wrapped: they continue each other (`707.1` / `9` is 707.19).
            let spaced = i > 0
                && out.chars().last().is_some_and(|c| !is_cjk(c))
                && w.text.chars().next().is_some_and(|c| !is_cjk(c));
            if spaced {
                out.push(' ');
            }
            out.push_str(&w.text);
        }
    }
    out
}

/// The page's ruled tables with the words inside them; the other words are returned.
fn fill(
    words: Vec<Word>,
    tables: &[raster::Table],
    scale: f64,
    page: u32,
) -> (Vec<PageTable>, Vec<Word>) {
    let inside = |r: &Rect, x: f64, y: f64| {
        x >= r.x0 as f64 && x < r.x1 as f64 && y >= r.y0 as f64 && y < r.y1 as f64
    };
    let at = |x: f64, y: f64| {
        tables.iter().enumerate().find_map(|(t, table)| {
            table.rows.iter().enumerate().find_map(|(r, row)| {
                row.iter()
                    .position(|(rect, _, _)| inside(rect, x, y))
                    .map(|c| (t, r, c))
            })
        })
    };
    // (table, row, cell) of each word, or None: the cell under its middle.
    let mut place: Vec<Option<(usize, usize, usize)>> = words
        .iter()
        .map(|w| at((w.x0 + w.x1) / 2.0 * scale, (w.y0 + w.h / 2.0) * scale))
        .collect();
    // A label too long for its cell that did not wrap runs on over the cells to its right
    // (xhtml2pdf): it belongs to the cell where it starts, when no other word stands there.
    for (i, w) in words.iter().enumerate() {
        // Only words inside a table are looked up again.
        let Some(mid) = place[i] else { continue };
        let Some(start) = at(w.x0 * scale + 1.0, (w.y0 + w.h / 2.0) * scale) else {
            continue;
        };
        let overflows = start != mid && (start.0, start.1) == (mid.0, mid.1);
        if overflows && !place.contains(&Some(start)) {
            place[i] = Some(start);
        }
    }
    let out = tables
        .iter()
        .enumerate()
        .map(|(t, table)| {
            PageTable::from_raster(table, scale, (page, scale), |r, c| {
                let here = words
                    .iter()
                    .zip(&place)
                    .filter(|(_, p)| **p == Some((t, r, c)));
                (cell_text(here.map(|(w, _)| w).collect()), None)
            })
        })
        .collect();
    let rest = words
        .into_iter()
        .zip(place)
        .filter(|(_, p)| p.is_none())
        .map(|(w, _)| w)
        .collect();
    (out, rest)
}

/// The document: ruled tables cell by cell, everything else from the word positions.
pub fn document(bytes: &[u8]) -> Result<Document, ReadError> {
    let crate::glyphs::Glyphs {
        mut words,
        widths,
        lines,
    } = crate::glyphs::read(bytes, MAX_PAGES, poppler_words)?;
    crate::boxes::normalise(&mut words);
    if words.is_empty() {
        return Err(ReadError::NoTextLayer);
    }
    let mut by_page: std::collections::BTreeMap<u32, Vec<Word>> = Default::default();
    for w in words {
        by_page.entry(w.page).or_default().push(w);
    }
    // Only pages that may hold a statistics table are rendered (a few bare numbers at least),
    // from the first such page to the last.
    let numeric = |ws: &Vec<Word>| {
        ws.iter()
            .filter(|w| w.text.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .count()
            >= 4
    };
    let table_pages: Vec<u32> = by_page
        .iter()
        .filter(|(p, ws)| **p as usize <= RULED_PAGES && numeric(ws))
        .map(|(p, _)| *p)
        .collect();
    // The grid from the vector rules, in-process: those the word reader met on its pass
    // (hayro), else read by lopdf. Pages whose rules cannot be read so (a PDF neither can
    // parse, a rotated page, no rules but an image) are rendered and their rules found in
    // pixels. Without pdftoppm, or on a page it cannot render, the word positions alone
    // are used.
    let vectors = match (rules_from(), lines) {
        (Rules::Vector, Some(mut lines)) => table_pages
            .iter()
            .filter_map(|p| Some((*p, lines.remove(p)?)))
            .collect(),
        (Rules::Vector, None) => crate::vector::load(bytes)
            .map(|d| crate::vector::pages(&d, &table_pages))
            .unwrap_or_default(),
        (Rules::Raster, _) => std::collections::HashMap::new(),
    };
    let mut found: std::collections::HashMap<u32, Vec<raster::Table>> = vectors
        .into_iter()
        .filter(|(_, p)| !p.needs_raster())
        .map(|(n, p)| (n, tables_from_lines(&p.lines)))
        .collect();
    let raster_pages: Vec<u32> = table_pages
        .iter()
        .copied()
        .filter(|p| !found.contains_key(p))
        .collect();
    if let (Some(&a), Some(&b)) = (raster_pages.first(), raster_pages.last()) {
        // Rendering and finding rules take about a second a page.
        crate::isolate::allow(crate::isolate::page_seconds() * (b + 1 - a) as f64 / 10.0);
        for (page, mut img) in pages::render_range(bytes, DPI, a, b).unwrap_or_default() {
            let Some(w) = widths.get(&page).filter(|_| raster_pages.contains(&page)) else {
                continue;
            };
            // Rendered pixels to the words' points at the same scale as vectors.
            let scale = img.w as f64 / w;
            if (scale - DPI as f64 / 72.0).abs() < 0.05 {
                found.insert(page, raster::drawn_tables(&mut img, DPI));
            }
        }
    }
    Ok(lay_out(by_page, found))
}

/// Pages of positioned words (points) into a document: the words of each page's ruled
/// tables (grids at [`DPI`]) cell by cell, the rest laid out from their positions, tables
/// broken over pages joined. PDF and OFD pages alike.
pub(crate) fn lay_out(
    by_page: std::collections::BTreeMap<u32, Vec<Word>>,
    mut found: std::collections::HashMap<u32, Vec<raster::Table>>,
) -> Document {
    let mut doc = Document::default();
    let scale = DPI as f64 / 72.0;
    for (page, words) in by_page {
        let tables = found.remove(&page).unwrap_or_default();
        let (tables, rest) = fill(words, &tables, scale, page);
        doc.blocks.extend(pages::blocks(rest, tables, 1.0));
    }
    doc.join_page_breaks();
    doc
}

/// A page's ruled tables from its vector rules (points).
pub(crate) fn tables_from_lines(lines: &[crate::vector::Line]) -> Vec<raster::Table> {
    raster::tables_from_lines(lines, DPI)
}

/// Where the ruling lines of born-digital pages come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rules {
    /// The content streams' path operators (default).
    Vector,
    /// Pages rendered by pdftoppm and their rules found in pixels, as for scans (for
    /// comparison: `NIANBAO_PDF_RULES=raster`).
    Raster,
}

fn rules_from() -> Rules {
    match std::env::var("NIANBAO_PDF_RULES").as_deref() {
        Ok("raster") => Rules::Raster,
        _ => Rules::Vector,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(x0: f64, x1: f64, text: &str) -> Word {
        Word {
            page: 1,
            para: (0, 0),
            x0,
            y0: 2.0,
            x1,
            h: 6.0,
            text: text.into(),
        }
    }

    fn cell(x0: usize, x1: usize) -> (Rect, usize, usize) {
        (
            Rect {
                x0,
                y0: 0,
                x1,
                y1: 10,
            },
            1,
            1,
        )
    }

    /// A label that did not wrap runs over two number cells (xhtml2pdf): it stays in the
    /// cell where it starts, and the numbers in theirs.
    #[test]
    fn a_label_running_over_the_number_cells_stays_where_it_starts() {
        let table = raster::Table {
            bounds: Rect {
                x0: 0,
                y0: 0,
                x1: 40,
                y1: 10,
            },
            rows: vec![vec![cell(0, 10), cell(10, 20), cell(20, 30), cell(30, 40)]],
        };
        let words = vec![
            word(1.0, 28.0, "（二）部分公开（区分处理的）"),
            word(14.0, 16.0, "8"),
            word(24.0, 26.0, "1"),
            word(34.0, 36.0, "8"),
        ];
        let (tables, rest) = fill(words, &[table], 1.0, 1);
        assert!(rest.is_empty());
        let cells: Vec<&str> = tables[0].cells[0].iter().map(|c| c.0.as_str()).collect();
        assert_eq!(cells, ["（二）部分公开（区分处理的）", "8", "1", "8"]);
    }
}
