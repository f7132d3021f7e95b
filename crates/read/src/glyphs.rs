//! Born-digital PDFs' words: every glyph's Unicode value and box, grouped into words the way
//! poppler's `pdftotext -tsv` groups them, so the rest of the PDF path does not care which
//! reader read the page. Three readers were measured on the same corpus and bench (docs/benchmarks.md,
//! "PDF readers compared") and are tried in that order until one finds words: hayro (pure
//! Rust, in-process, [`crate::glyphs_hayro`]), PDFium (in-process through `pdfium-render`,
//! when `scripts/fetch-pdfium` installed its library, [`crate::glyphs_pdfium`]) and poppler's
//! `pdftotext` (a separate program, when installed; the caller passes it in).
//! `NIANBAO_PDF_TEXT=hayro|pdfium|poppler` makes one reader the only one (for comparison).
//!
//! Coordinates are PDF points from the top-left corner of the page's crop box, y downwards.

use crate::positions::Word;
use crate::ReadError;
use std::collections::HashMap;

/// A document's words and the width of each page (1-based page numbers).
pub struct Glyphs {
    pub words: Vec<Word>,
    pub widths: HashMap<u32, f64>,
    /// The ruling lines of each page, when the reader interpreted the paths too (hayro);
    /// a page missing (rotated) has its rules found otherwise. None: read them separately.
    pub lines: Option<HashMap<u32, crate::vector::PageLines>>,
}

/// An in-process word reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    Hayro,
    Pdfium,
}

/// The words of the first `max_pages` pages by one reader; `None` when it is PDFium and the
/// library is not installed.
pub fn read_with(
    reader: Reader,
    bytes: &[u8],
    max_pages: usize,
) -> Option<Result<Glyphs, ReadError>> {
    match reader {
        Reader::Hayro => Some(crate::glyphs_hayro::read(bytes, max_pages)),
        Reader::Pdfium => crate::glyphs_pdfium::read(bytes, max_pages),
    }
}

/// The words of the first `max_pages` pages by the readers in turn (see the module): the
/// first result with words, or "encrypted", is the answer; when none finds words, the first
/// that read the file without finding any (a scan: the caller goes to OCR), else the first
/// error. A reader that is not installed is skipped.
pub fn read(
    bytes: &[u8],
    max_pages: usize,
    poppler: fn(&[u8]) -> Result<Glyphs, ReadError>,
) -> Result<Glyphs, ReadError> {
    let only = std::env::var("NIANBAO_PDF_TEXT").ok();
    let mut tried: Vec<Result<Glyphs, ReadError>> = Vec::new();
    for reader in ["hayro", "pdfium", "poppler"] {
        if only.as_deref().is_some_and(|o| o != reader) {
            continue;
        }
        let result = match reader {
            "hayro" => read_with(Reader::Hayro, bytes, max_pages),
            "pdfium" => read_with(Reader::Pdfium, bytes, max_pages),
            _ => Some(poppler(bytes)),
        };
        let Some(result) = result else {
            if only.is_some() {
                let dir = library_dir().join("libpdfium.so");
                tried.push(Err(ReadError::NoPdfium(dir.display().to_string())));
            }
            continue;
        };
        match &result {
            Ok(g) if !g.words.is_empty() => return result,
            Err(ReadError::Encrypted) => return result,
            // Missing pdftotext says how to install it only when nothing else read the file.
            Err(ReadError::NoPdfTool) if !tried.is_empty() => continue,
            _ => tried.push(result),
        }
    }
    let first_ok = tried.iter().position(|r| r.is_ok()).unwrap_or(0);
    tried
        .into_iter()
        .nth(first_ok)
        .unwrap_or(Err(ReadError::NoPdfTool))
}

pub use crate::glyphs_pdfium::{installed, library_dir};

/// One glyph in PDF user space (y upwards): its character, its horizontal extent, its
/// baseline and its font size in points.
pub(crate) struct Glyph {
    pub c: char,
    pub x0: f32,
    pub x1: f32,
    pub base: f32,
    pub size: f32,
}

/// Poppler's word rules (TextOutputDev): a word ends at a space, where the baseline moves,
/// at a gap wider than a tenth of the font size, where a glyph steps back over the one
/// before, and where the font size changes.
const WORD_GAP: f32 = 0.1;
const STEP_BACK: f32 = 0.2;
const BASELINE: f32 = 0.5;
/// The part of the font size above the baseline (CJK faces: 0.88 ascent, 0.12 descent).
const ASCENT: f32 = 0.88;

struct Open {
    x0: f32,
    top: f32,
    x1: f32,
    bottom: f32,
    base: f32,
    size: f32,
    text: String,
}

pub(crate) struct Words {
    page: u32,
    left: f32,
    top: f32,
    open: Option<Open>,
    done: Vec<Word>,
}

impl Words {
    pub(crate) fn new(page: u32, left: f32, top: f32) -> Words {
        Words {
            page,
            left,
            top,
            open: None,
            done: Vec::new(),
        }
    }

    fn end_word(&mut self) {
        if let Some(w) = self.open.take() {
            self.done.push(Word {
                page: self.page,
                para: (0, 0), // set by `finish`, once the page's lines are known
                x0: (w.x0 - self.left) as f64,
                y0: (self.top - w.top) as f64,
                x1: (w.x1 - self.left) as f64,
                h: ((w.top - w.bottom) as f64).max(1.0),
                text: w.text,
            });
        }
    }

    /// Adds a glyph to the open word or starts a new one; `None` ends the open word.
    pub(crate) fn add(&mut self, g: Option<Glyph>) {
        let Some(g) = g else { return self.end_word() };
        let (c, x0, x1, base) = (g.c, g.x0, g.x1, g.base);
        // The box's height from the baseline and the font size, as poppler takes it from
        // the font's ascent and descent: PDFium's glyph boxes follow each glyph's outline
        // in Type3 fonts (Chromium's CJK), so `一` would be a point high.
        let size = g.size.max(1.0);
        let (top, bottom) = (base + ASCENT * size, base - (1.0 - ASCENT) * size);
        if let Some(w) = &self.open {
            let gap = x0 - w.x1;
            let breaks = (base - w.base).abs() > BASELINE
                || gap > WORD_GAP * w.size
                || gap < -STEP_BACK * w.size
                || (size - w.size).abs() > 0.01 * w.size;
            if breaks {
                self.end_word();
            }
        }
        match &mut self.open {
            Some(w) => {
                w.x1 = w.x1.max(x1);
                w.top = w.top.max(top);
                w.bottom = w.bottom.min(bottom);
                w.text.push(c);
            }
            None => {
                self.open = Some(Open {
                    x0,
                    top,
                    x1,
                    bottom,
                    base,
                    size,
                    text: c.to_string(),
                })
            }
        }
    }

    pub(crate) fn finish(mut self) -> Vec<Word> {
        self.end_word();
        // Each visual line's words are one paragraph (the words on one baseline band, in
        // drawing order): the layout joins wrapped lines by their positions, as for OFD.
        let mut line = 0;
        for i in 0..self.done.len() {
            if i > 0 {
                let (a, b) = (&self.done[i - 1], &self.done[i]);
                if (a.y0 - b.y0).abs() > 0.5 * a.h.min(b.h) {
                    line += 1;
                }
            }
            self.done[i].para = (line, 0);
        }
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(c: char, x0: f32, base: f32, size: f32) -> Option<Glyph> {
        Some(Glyph {
            c,
            x0,
            x1: x0 + size,
            base,
            size,
        })
    }

    fn texts(glyphs: Vec<Option<Glyph>>) -> Vec<String> {
        let mut w = Words::new(1, 0.0, 800.0);
        for x in glyphs {
            w.add(x);
        }
        w.finish().into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn words_end_where_poppler_ends_them() {
        // Touching CJK glyphs are one word; a gap of 0.05 em is not a break, 0.2 em is.
        assert_eq!(
            texts(vec![
                g('行', 0.0, 700.0, 12.0),
                g('政', 12.6, 700.0, 12.0),
                g('许', 27.0, 700.0, 12.0)
            ]),
            ["行政", "许"]
        );
        // A space, a baseline move, a new font size and a step back each end a word.
        assert_eq!(
            texts(vec![
                g('1', 0.0, 700.0, 12.0),
                None,
                g('2', 13.0, 700.0, 12.0),
                g('3', 25.0, 690.0, 12.0),
                g('4', 37.0, 690.0, 10.0),
                g('5', 20.0, 690.0, 10.0),
            ]),
            ["1", "2", "3", "4", "5"]
        );
    }

    #[test]
    fn boxes_are_points_from_the_top_left_and_a_font_size_high() {
        let mut w = Words::new(3, 10.0, 800.0);
        w.add(g('年', 82.0, 700.0, 12.0));
        let word = &w.finish()[0];
        assert_eq!((word.page, word.x0, word.x1), (3, 72.0, 84.0));
        assert!(
            (word.y0 - (800.0 - 700.0 - 0.88 * 12.0)).abs() < 1e-4,
            "{word:?}"
        );
        assert!((word.h - 12.0).abs() < 1e-4, "{word:?}");
    }
}
