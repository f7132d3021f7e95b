//! Print and toner: a photocopier's streaks, grain and smudges are grey blobs dark enough
//! to pass for ink, and OCR reads them as `1`, `2` or `0.18` in a blank cell. Printed
//! characters have a core as dark as the page's darkest print; the copier's noise does not.
//! A blob of ink whose darkest pixel is much lighter than the page's print is removed.

use crate::raster::Image;

/// Ink: as [`crate::raster`] counts it.
const INK: u8 = 140;
/// A blob and its grey fringe: toner's halo goes with it.
const FRINGE: u8 = 215;
/// How much lighter than the page's print a blob's darkest pixel may be and still be print.
const MARGIN: u8 = 45;
/// Ink pixels a page needs before its print level is trusted.
const MIN_INK: usize = 2_000;

/// The page's print level: the grey that the darkest twentieth of its ink reaches.
fn print_level(img: &Image) -> Option<u8> {
    let mut hist = [0usize; INK as usize];
    for &p in &img.px {
        if p < INK {
            hist[p as usize] += 1;
        }
    }
    let n: usize = hist.iter().sum();
    if n < MIN_INK {
        return None;
    }
    let mut seen = 0;
    for (v, &c) in hist.iter().enumerate() {
        seen += c;
        if seen * 20 >= n {
            return Some(v as u8);
        }
    }
    None
}

/// Removes blobs (8-connected pixels darker than [`FRINGE`]) whose darkest pixel is more
/// than [`MARGIN`] lighter than the page's print. Returns the pixels cleared. A page of
/// grey print throughout keeps its blobs: its print level is grey.
pub fn clear_toner(img: &mut Image) -> usize {
    let Some(level) = print_level(img) else {
        return 0;
    };
    let limit = level.saturating_add(MARGIN);
    if limit >= INK {
        return 0;
    }
    let mut toner = Vec::new();
    img.each_blob(FRINGE, usize::MAX, |blob, _| {
        if blob.iter().all(|&i| img.px[i] > limit) {
            toner.extend_from_slice(blob);
        }
    });
    let (w, h) = (img.w, img.h);
    for &i in &toner {
        let (x, y) = (i % w, i / w);
        for ny in y.saturating_sub(1)..(y + 2).min(h) {
            for nx in x.saturating_sub(1)..(x + 2).min(w) {
                img.px[ny * w + nx] = 255;
            }
        }
    }
    toner.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_toner_goes_and_black_print_stays() {
        let mut img = Image::white(300, 100);
        // Print: black strokes with a grey edge (enough of them to set the level).
        for y in 10..60 {
            for x in 10..80 {
                img.px[y * 300 + x] = if x % 4 == 0 { 120 } else { 10 };
            }
        }
        // Toner: a mottled grey blob, 120–135.
        for y in 20..40 {
            for x in 200..230 {
                img.px[y * 300 + x] = 120 + ((x * 7 + y * 3) % 16) as u8;
            }
        }
        assert_eq!(clear_toner(&mut img), 600);
        assert_eq!(img.px[30 * 300 + 210], 255);
        assert_eq!(img.px[30 * 300 + 21], 10);
        assert_eq!(
            img.px[30 * 300 + 12],
            120,
            "print's grey edge stays with it"
        );
    }

    #[test]
    fn a_page_of_grey_print_keeps_it() {
        let mut img = Image::white(300, 100);
        for y in 10..60 {
            for x in 10..80 {
                img.px[y * 300 + x] = 125;
            }
        }
        assert_eq!(clear_toner(&mut img), 0);
    }
}
