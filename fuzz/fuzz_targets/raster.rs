//! The OCR reader's in-process part: PGM page parsing and table-grid detection from
//! ruling lines (Tesseract and pdftoppm are separate programs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao_read::raster::{tables, Image};

fuzz_target!(|data: &[u8]| {
    let image = if data.starts_with(b"P5") {
        Image::from_pgm(data)
    } else if data.len() >= 2 {
        // Small pages straight from the bytes, so rules and grids are reachable.
        let (w, h) = (usize::from(data[0] % 96) + 1, usize::from(data[1] % 96) + 1);
        let mut px: Vec<u8> = data[2..].iter().map(|&b| if b < 128 { 0 } else { 255 }).collect();
        px.resize(w * h, 255);
        Some(Image { w, h, px })
    } else {
        None
    };
    if let Some(mut img) = image {
        for t in tables(&mut img, 30) {
            for row in &t.rows {
                for (rect, _, _) in row {
                    assert!(rect.x0 < rect.x1 && rect.y0 < rect.y1);
                    let _ = img.ink_box(*rect);
                }
            }
        }
    }
});
