//! The words as PDFium reads them (through `pdfium-render`; the library comes from the PyPI
//! wheel `pypdfium2` that `scripts/fetch-pdfium` installs and is loaded at run time): every
//! character's Unicode value (ToUnicode, CID and Type3 fonts resolved by PDFium), box,
//! baseline and font size. The second reader (see [`crate::glyphs`]).

use crate::glyphs::{Glyph, Glyphs, Words};
use crate::ReadError;
use pdfium_render::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

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

/// PDFium, bound once per process; `None` when the library is not installed.
fn pdfium() -> Option<&'static Pdfium> {
    static PDFIUM: OnceLock<Option<Pdfium>> = OnceLock::new();
    PDFIUM
        .get_or_init(|| {
            let lib = library_dir().join("libpdfium.so");
            Pdfium::bind_to_library(&lib).ok().map(Pdfium::new)
        })
        .as_ref()
}

/// The words of the first `max_pages` pages; `None` when the library is not installed.
pub fn read(bytes: &[u8], max_pages: usize) -> Option<Result<Glyphs, ReadError>> {
    Some(words(pdfium()?, bytes, max_pages))
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
        lines: None,
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
