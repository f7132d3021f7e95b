//! Any bytes as a PDF for the in-process words: PDFium's parser and text page (the library
//! `scripts/fetch-pdfium` installs; not instrumented, so coverage guides only nianbao's side)
//! and the grouping of its glyphs into words.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    use nianbao_read::glyphs::{read_with, Reader};
    // As `glyphs::read` tries them: hayro, then PDFium where hayro found no words.
    for reader in [Reader::Hayro, Reader::Pdfium] {
        if let Some(Ok(g)) = read_with(reader, data, 8) {
            for w in &g.words {
                assert!(!w.text.is_empty() && w.h >= 1.0, "{w:?}");
            }
            if !g.words.is_empty() {
                break;
            }
        }
    }
});
