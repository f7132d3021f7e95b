//! Born-digital PDFs' words, read in-process: every glyph's Unicode value and box, grouped
//! into words the way poppler's `pdftotext -tsv` groups them, so the rest of the PDF path
//! does not care which reader read the page. Three readers were measured on the same corpus
//! and bench (README, "PDF readers compared"); by default hayro (pure Rust,
//! [`crate::glyphs_hayro`]) reads the words, and PDFium (through `pdfium-render`, the library
//! from the PyPI wheel `pypdfium2` that `scripts/fetch-pdfium` installs) reads a file hayro
//! cannot parse or finds no text in, when it is installed. `NIANBAO_PDF_TEXT=hayro|pdfium`
//! picks one; `poppler` leaves the words to `pdftotext` (the caller's fallback).
//!
//! Coordinates are PDF points from the top-left corner of the page's crop box, y downwards.

use crate::positions::Word;
use crate::ReadError;
use pdfium_render::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A document's words and the width of each page (1-based page numbers).
pub struct Glyphs {
    pub words: Vec<Word>,
    pub widths: HashMap<u32, f64>,
}

/// Where the library is looked for: `$NIANBAO_PDFIUM` (a directory), else
/// `~/.local/share/nianbao/pdfium`.
pub fn library_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("NIANBAO_PDFIUM") {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".local/share/nianbao/pdfium")
}

/// Whether the library is installed where [`library_dir`] says.
pub fn installed() -> bool {
    library_dir().join("libpdfium.so").is_file()
}

/// PDFium, bound once per process; `None` when the library is not installed or
/// `NIANBAO_PDF_TEXT=poppler` asks for the other reader (read on every call, so a bench can
/// compare the two in one process).
fn pdfium() -> Option<&'static Pdfium> {
    static PDFIUM: OnceLock<Option<Pdfium>> = OnceLock::new();
    if std::env::var("NIANBAO_PDF_TEXT").as_deref() == Ok("poppler") {
        return None;
    }
    PDFIUM
        .get_or_init(|| {
            let lib = library_dir().join("libpdfium.so");
            Pdfium::bind_to_library(&lib).ok().map(Pdfium::new)
        })
        .as_ref()
}

/// Whether PDFium reads born-digital PDFs in this process.
pub fn available() -> bool {
    pdfium().is_some()
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
        Reader::Pdfium => Some(words(pdfium()?, bytes, max_pages)),
    }
}

/// The words of the first `max_pages` pages, or `None` when no in-process reader is to
/// read them (`NIANBAO_PDF_TEXT=poppler`, or PDFium asked for and not installed).
pub fn read(bytes: &[u8], max_pages: usize) -> Option<Result<Glyphs, ReadError>> {
    match std::env::var("NIANBAO_PDF_TEXT").as_deref() {
        Ok("poppler") => None,
        Ok("pdfium") => read_with(Reader::Pdfium, bytes, max_pages),
        Ok("hayro") => read_with(Reader::Hayro, bytes, max_pages),
        _ => {
            let first = crate::glyphs_hayro::read(bytes, max_pages);
            match (&first, pdfium()) {
                (Ok(g), _) if !g.words.is_empty() => Some(first),
                (_, Some(pdfium)) => Some(words(pdfium, bytes, max_pages).or(first)),
                (_, None) => Some(first),
            }
        }
    }
}

fn load_error(e: PdfiumError) -> ReadError {
    match e {
        PdfiumError::PdfiumLibraryInternalError(
            PdfiumInternalError::PasswordError | PdfiumInternalError::SecurityError,
        ) => ReadError::Encrypted,
        PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::FormatError) => {
            ReadError::Corrupt("PDF 结构损坏，无法解析 (broken PDF structure)".into())
        }
        e => ReadError::Corrupt(format!("PDF 无法解析 (unreadable PDF): {e:?}")),
    }
}

fn words(pdfium: &Pdfium, bytes: &[u8], max_pages: usize) -> Result<Glyphs, ReadError> {
    let doc = pdfium
        .load_pdf_from_byte_slice(bytes, None)
        .map_err(load_error)?;
    let mut out = Glyphs {
        words: Vec::new(),
        widths: HashMap::new(),
    };
    for (i, page) in doc.pages().iter().enumerate().take(max_pages) {
        let number = i as u32 + 1;
        let crop = page
            .boundaries()
            .crop()
            .map(|b| b.bounds)
            .unwrap_or_else(|_| page.page_size());
        out.widths.insert(number, crop.width().value as f64);
        // A page whose text PDFium cannot load has no words (as pdftotext prints none).
        let Ok(text) = page.text() else { continue };
        let mut page_words = Words::new(number, crop.left().value, crop.top().value);
        for ch in text.chars().iter() {
            page_words.add(glyph(&ch));
        }
        out.words.extend(page_words.finish());
    }
    Ok(out)
}

/// A PDFium character as a glyph; `None` for a space, a line break PDFium generated, or
/// a character it has no Unicode value or box for (each ends a word).
fn glyph(ch: &PdfPageTextChar) -> Option<Glyph> {
    let c = ch
        .unicode_char()
        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '\u{FFFE}')?;
    if ch.is_generated().unwrap_or(false) {
        return None;
    }
    let b = ch.loose_bounds().ok()?;
    Some(Glyph {
        c,
        x0: b.left().value,
        x1: b.right().value,
        base: ch.origin_y().map(|y| y.value).unwrap_or(b.bottom().value),
        size: ch.scaled_font_size().value.abs(),
    })
}

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
            // Each visual line's words are one paragraph: the layout joins wrapped lines by
            // their positions, as for OFD.
            let line = self.done.len() as u32;
            self.done.push(Word {
                page: self.page,
                para: (line, 0),
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
        // Words of one line share a paragraph id: a line is the words on one baseline band.
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
