//! Straightening scanned pages before their ruling lines are looked for.
//!
//! A copier or scanner turns a page by a fraction of a degree; over a 2 000-pixel table a
//! 0.6° turn moves a rule by 20 pixels, so it no longer is one horizontal run and the grid
//! is lost. The skew is the angle at which the dark pixels' horizontal projection is
//! sharpest (rules and text lines then fall into few rows): searched over ±5°, coarse then
//! fine, and the page rotated back.

use crate::raster::Image;

/// Largest skew searched for, in degrees.
pub const MAX_SKEW: f64 = 5.0;
/// Ink for the projection when the page has few thin lines.
const INK: u8 = 160;
/// Points enough to measure the skew by (a few lines of text).
const MIN_POINTS: usize = 2_000;

/// Pixels on thin horizontal lines (see [`crate::ridges`]), every third column.
fn line_points(img: &Image) -> Vec<(f64, f64)> {
    let m = crate::ridges::mask(img, true);
    let mut pts = Vec::new();
    for y in 0..img.h {
        for x in (0..img.w).step_by(3) {
            if m[y * img.w + x] {
                pts.push((x as f64, y as f64));
            }
        }
    }
    pts
}

/// Pixels darker than `ink`, every third column (rows all kept: the projection is per row).
fn dark_points(img: &Image, ink: u8) -> Vec<(f64, f64)> {
    let mut pts = Vec::new();
    for y in 0..img.h {
        let row = &img.px[y * img.w..(y + 1) * img.w];
        for x in (0..img.w).step_by(3) {
            if row[x] < ink {
                pts.push((x as f64, y as f64));
            }
        }
    }
    pts
}

/// The page's skew in degrees (positive: lines fall to the right).
pub fn skew(img: &Image) -> f64 {
    // Pixels of thin horizontal lines (rules, text strokes) when the page has enough of
    // them: a copier's toner streaks and bands are wide, and run along the scanner's axes,
    // not the page's; counting their ink would measure the scanner, not the page.
    let mut pts = line_points(img);
    if pts.len() < MIN_POINTS {
        pts = dark_points(img, INK);
    }
    if pts.len() < 100 {
        return 0.0;
    }
    let sharpness = |deg: f64| -> f64 {
        let t = deg.to_radians().tan();
        let pad = (img.w as f64 * MAX_SKEW.to_radians().tan()).ceil() as usize + 2;
        let mut bins = vec![0u32; img.h + 2 * pad];
        for &(x, y) in &pts {
            let b = (y - x * t).round() as isize + pad as isize;
            if let Some(c) = usize::try_from(b).ok().and_then(|b| bins.get_mut(b)) {
                *c += 1;
            }
        }
        bins.iter().map(|&c| (c as f64) * (c as f64)).sum()
    };
    let best = |from: f64, to: f64, step: f64| -> f64 {
        let n = ((to - from) / step).round() as i64;
        (0..=n)
            .map(|i| from + i as f64 * step)
            .map(|a| (sharpness(a), a))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(0.0, |(_, a)| a)
    };
    let coarse = best(-MAX_SKEW, MAX_SKEW, 0.25);
    best(coarse - 0.25, coarse + 0.25, 0.02)
}

/// The page turned back by `deg` (bilinear, white outside the page).
pub fn rotate(img: &Image, deg: f64) -> Image {
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (img.w as f64 / 2.0, img.h as f64 / 2.0);
    let mut out = Image::white(img.w, img.h);
    let at = |x: isize, y: isize| -> f64 {
        if x < 0 || y < 0 || x as usize >= img.w || y as usize >= img.h {
            255.0
        } else {
            img.px[y as usize * img.w + x as usize] as f64
        }
    };
    for y in 0..img.h {
        let dy = y as f64 - cy;
        for x in 0..img.w {
            let dx = x as f64 - cx;
            let sx = cx + dx * c - dy * s;
            let sy = cy + dx * s + dy * c;
            let v = crate::raster::bilinear(sx, sy, at);
            out.px[y * img.w + x] = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// Straightens a page in place when it is turned by more than a twentieth of a degree;
/// returns the skew found.
pub fn straighten(img: &mut Image) -> f64 {
    let deg = skew(img);
    if deg.abs() >= 0.05 {
        *img = rotate(img, deg);
    }
    deg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page with ruled lines and a column of text-like blocks, turned by `deg`.
    fn page(deg: f64) -> Image {
        let (w, h) = (1200, 900);
        let mut flat = Image::white(w, h);
        for y in (100..800).step_by(60) {
            for x in 100..1100 {
                flat.px[y * w + x] = 0;
                flat.px[(y + 1) * w + x] = 0;
            }
        }
        for x in [100, 500, 1099] {
            for y in 100..782 {
                flat.px[y * w + x] = 0;
            }
        }
        rotate(&flat, -deg)
    }

    #[test]
    fn finds_and_corrects_small_and_large_skews() {
        for deg in [0.6, -0.8, 2.5, -4.0] {
            let mut img = page(deg);
            let found = skew(&img);
            assert!((found - deg).abs() < 0.05, "skew {deg}: found {found}");
            straighten(&mut img);
            assert!(skew(&img).abs() < 0.05);
        }
        assert!(skew(&page(0.0)).abs() < 0.03);
    }

    #[test]
    fn blank_page_has_no_skew() {
        let img = Image::white(100, 100);
        assert_eq!(skew(&img), 0.0);
    }
}
