//! Pages photographed rather than scanned: uneven light is evened out; a page seen at an
//! angle (perspective) is refused with a reason, since its rules converge and no grid of
//! straight rules fits it.
//!
//! Paper brightness is estimated per block (a high percentile of the block's pixels, as
//! most of any block is paper), smoothed over neighbouring blocks, and each pixel divided
//! by it: paper becomes white everywhere and ink keeps its contrast (adaptive
//! binarisation in effect: every later fixed threshold now applies locally).

use crate::raster::{self, Image};

/// Block side for the paper estimate (≈ 5 mm at 300 dpi: paper dominates every block).
const BLOCK: usize = 64;
/// Pages whose paper varies less than this (grey levels) are left alone: a scanner's light.
const EVEN: u8 = 24;
/// Paper darker than this after all is no readable page.
const DARKEST: u8 = 50;

/// What was done to a page's light.
#[derive(Debug, PartialEq)]
pub enum Light {
    /// Even already (a scan).
    Even,
    /// Evened out; the paper ranged from `darkest` to `brightest`.
    Flattened { darkest: u8, brightest: u8 },
    /// Too dark to read anywhere near `darkest`.
    TooDark { darkest: u8 },
}

/// Evens out the light of a page in place.
pub fn flatten(img: &mut Image) -> Light {
    let (bw, bh) = (img.w.div_ceil(BLOCK), img.h.div_ceil(BLOCK));
    if bw == 0 || bh == 0 {
        return Light::Even;
    }
    let mut paper = vec![0u8; bw * bh];
    let mut hist = [0usize; 256];
    for by in 0..bh {
        for bx in 0..bw {
            hist.fill(0);
            let (x0, y0) = (bx * BLOCK, by * BLOCK);
            let (x1, y1) = ((x0 + BLOCK).min(img.w), (y0 + BLOCK).min(img.h));
            for y in y0..y1 {
                for &p in &img.px[y * img.w + x0..y * img.w + x1] {
                    hist[p as usize] += 1;
                }
            }
            paper[by * bw + bx] = percentile(&hist, (x1 - x0) * (y1 - y0), 0.8);
        }
    }
    // A block of mostly ink (a seal, a filled cell, dense rules) says nothing of the paper:
    // the brightest estimate around each block stands for it. (Taking a block's own estimate
    // where it is near its neighbours' lost whole tables of photographed pages: 99.5 → 96.9 %.)
    let smooth: Vec<u8> = (0..bh * bw)
        .map(|i| {
            let (bx, by) = ((i % bw) as isize, (i / bw) as isize);
            let mut best = 0u8;
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (x, y) = (bx + dx, by + dy);
                    if x >= 0 && y >= 0 && (x as usize) < bw && (y as usize) < bh {
                        best = best.max(paper[y as usize * bw + x as usize]);
                    }
                }
            }
            best
        })
        .collect();
    let darkest = *smooth.iter().min().unwrap_or(&255);
    let brightest = *smooth.iter().max().unwrap_or(&255);
    if darkest < DARKEST {
        return Light::TooDark { darkest };
    }
    if brightest - darkest < EVEN {
        return Light::Even;
    }
    let at = |x: isize, y: isize| {
        let x = x.clamp(0, bw as isize - 1) as usize;
        let y = y.clamp(0, bh as isize - 1) as usize;
        smooth[y * bw + x] as f64
    };
    for y in 0..img.h {
        let sy = (y as f64 + 0.5) / BLOCK as f64 - 0.5;
        for x in 0..img.w {
            let sx = (x as f64 + 0.5) / BLOCK as f64 - 0.5;
            let bg = raster::bilinear(sx.max(0.0), sy.max(0.0), at).max(1.0);
            let p = &mut img.px[y * img.w + x];
            *p = (*p as f64 * 255.0 / bg).round().min(255.0) as u8;
        }
    }
    Light::Flattened { darkest, brightest }
}

fn percentile(hist: &[usize; 256], n: usize, q: f64) -> u8 {
    let want = (n as f64 * q) as usize;
    let mut seen = 0;
    for (v, &c) in hist.iter().enumerate() {
        seen += c;
        if seen > want {
            return v as u8;
        }
    }
    255
}

/// Degrees by which the page's ruling lines turn across it after straightening: the
/// horizontal rules of its top and bottom thirds, and the vertical rules of its left and
/// right thirds (a page photographed at an angle: its edges converge). Text is left out:
/// only long runs of ink count, which a turned rule still makes once thickened a little.
/// A third without rules is not compared. A flat scan's rules turn by hundredths.
pub fn convergence(img: &Image) -> f64 {
    let (w, h) = (img.w, img.h);
    if w < 300 || h < 300 {
        return 0.0;
    }
    let rect = |x0, y0, x1, y1| raster::Rect { x0, y0, x1, y1 };
    let turn = |img: &Image, a: raster::Rect, b: raster::Rect| {
        let (a, b) = (rules(&img.crop(a, 0)), rules(&img.crop(b, 0)));
        match (a, b) {
            (Some(a), Some(b)) => (crate::deskew::skew(&a) - crate::deskew::skew(&b)).abs(),
            _ => 0.0,
        }
    };
    let across = turn(img, rect(0, 0, w, h / 3), rect(0, h - h / 3, w, h));
    let t = transpose(img);
    let (tw, th) = (t.w, t.h);
    let down = turn(&t, rect(0, 0, tw, th / 3), rect(0, th - th / 3, tw, th));
    across.max(down)
}

/// Shortest run of ink that counts as a rule (≈ 7 mm at 300 dpi; a character is 4 mm).
const RULE_RUN: usize = 80;

/// The horizontal rules of a region alone, as ink on white; None when it has none. Ink
/// is thickened by two rows each way first, so a rule turned by a few degrees still runs
/// long in one row.
fn rules(img: &Image) -> Option<Image> {
    // Ruled as raster's table rules are (as light as the faintest rule a scan has).
    let thick =
        |y: usize, x: usize| (y.saturating_sub(2)..(y + 3).min(img.h)).any(|yy| img.ruled(x, yy));
    let mut out = Image::white(img.w, img.h);
    let mut count = 0;
    for r in raster::runs(img.h, img.w, RULE_RUN, 0, thick) {
        for x in r.from..r.to {
            if img.ruled(x, r.at) {
                out.px[r.at * img.w + x] = 0;
                count += 1;
            }
        }
    }
    (count >= 4 * RULE_RUN).then_some(out)
}

fn transpose(img: &Image) -> Image {
    let mut out = Image::white(img.h, img.w);
    for y in 0..img.h {
        for x in 0..img.w {
            out.px[x * img.h + y] = img.px[y * img.w + x];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ruled lines and text-like marks on paper lit from one side.
    fn page(shade: impl Fn(usize, usize) -> u8) -> Image {
        let (w, h) = (900, 700);
        let mut img = Image::white(w, h);
        for y in 0..h {
            for x in 0..w {
                let ink = (y % 50 < 2 && (50..850).contains(&x))
                    || (x % 40 < 3 && y % 50 > 15 && y % 50 < 35 && (60..840).contains(&x));
                let paper = shade(x, y);
                img.px[y * w + x] = if ink { paper / 5 } else { paper };
            }
        }
        img
    }

    #[test]
    fn a_scan_is_left_alone() {
        let mut img = page(|_, _| 250);
        let before = img.px.clone();
        assert_eq!(flatten(&mut img), Light::Even);
        assert_eq!(img.px, before);
    }

    #[test]
    fn a_shadow_across_the_page_is_evened_out() {
        // Paper from 250 on the left to 110 on the right.
        let mut img = page(|x, _| (250 - x * 140 / 900) as u8);
        assert!(matches!(flatten(&mut img), Light::Flattened { .. }));
        // Paper white (lighter than any rule) at both ends, ink still dark.
        assert!(img.px[25 * 900 + 880] > 225, "{}", img.px[25 * 900 + 880]);
        assert!(img.px[25 * 900 + 10] > 240);
        assert!(img.px[50 * 900 + 800] < 80, "{}", img.px[50 * 900 + 800]);
    }

    #[test]
    fn a_page_in_the_dark_is_refused() {
        let mut img = page(|_, _| 30);
        assert!(matches!(flatten(&mut img), Light::TooDark { .. }));
    }

    #[test]
    fn converging_lines_are_measured() {
        assert!(convergence(&page(|_, _| 250)) < 0.1);
        // Horizontal rules fanning out: 0° at the top, 2° at the bottom.
        let (w, h) = (900, 900);
        let mut img = Image::white(w, h);
        for k in 0..16 {
            let y0 = 30.0 + k as f64 * 55.0;
            let slope = (2.0f64 * k as f64 / 15.0).to_radians().tan();
            for x in 0..w {
                let y = (y0 + slope * (x as f64 - 450.0)).round() as usize;
                if y + 1 < h {
                    img.px[y * w + x] = 0;
                    img.px[(y + 1) * w + x] = 0;
                }
            }
        }
        let c = convergence(&img);
        assert!(c > 1.0, "{c}");
    }
}
