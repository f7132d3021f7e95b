//! Official seals on scanned pages.
//!
//! A report is stamped with the office's round seal (公章, 38–45 mm across), often over the
//! end of table 四. On a grey scan the red ink is a mid grey ring with a star and the
//! office's name inside; where it crosses a cell, OCR reads its strokes as characters
//! (`0从`, `有`). The ring is found with a circle Hough transform on a quarter-size page
//! (edge pixels vote for the centre along their gradient, for every radius in the seals'
//! range) and confirmed by ink along most of its circumference; then the grey ink inside it
//! is whitened, leaving the black print of the table.

use crate::raster::Image;

/// A seal found on a page, in page pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Circle {
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

/// Quarter-size page for the search.
const STEP: usize = 4;
/// Ink for the circumference check (seal ink scans from black to a mid grey).
const INK: u8 = 180;
/// Print that stays when a seal is whitened: black text and rules, darker than seal ink.
pub const PRINT: u8 = 80;
/// Darker than paper: the thin strokes print reaches through.
const GREY: u8 = 170;
/// How far (pixels at 300 dpi) print reaches through grey: a thin stroke between two dark
/// ones, a stroke width of seal ink beside print.
const REACH: u8 = 8;

fn shrink(img: &Image) -> Image {
    let (w, h) = (img.w / STEP, img.h / STEP);
    let mut px = vec![255u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let mut m = 255u8;
            for dy in 0..STEP {
                let row = (y * STEP + dy) * img.w + x * STEP;
                for &v in &img.px[row..row + STEP] {
                    m = m.min(v);
                }
            }
            px[y * w + x] = m;
        }
    }
    Image { w, h, px }
}

/// The seal on a page scanned at `dpi`, if there is one.
pub fn find(img: &Image, dpi: usize) -> Option<Circle> {
    let small = shrink(img);
    let (w, h) = (small.w, small.h);
    if w < 16 || h < 16 {
        return None;
    }
    // Seals are 38–45 mm across; allow 30–52 mm for scaling and odd stamps.
    let mm = dpi as f64 / 25.4 / STEP as f64;
    let (r_min, r_max) = ((15.0 * mm) as usize, (26.0 * mm) as usize + 1);
    if r_min < 4 {
        return None;
    }
    let radii: Vec<usize> = (r_min..=r_max).step_by(2).collect();
    let mut acc = vec![0u16; w * h * radii.len()];
    let at = |x: usize, y: usize| small.px[y * w + x] as i32;
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            if small.px[y * w + x] >= INK {
                continue;
            }
            let gx = at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2 * at(x - 1, y)
                - at(x - 1, y + 1);
            let gy = at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2 * at(x, y - 1)
                - at(x + 1, y - 1);
            let mag = ((gx * gx + gy * gy) as f64).sqrt();
            if mag < 80.0 {
                continue;
            }
            let (ux, uy) = (gx as f64 / mag, gy as f64 / mag);
            for (k, &r) in radii.iter().enumerate() {
                for sign in [-1.0, 1.0] {
                    let cx = x as f64 + sign * ux * r as f64;
                    let cy = y as f64 + sign * uy * r as f64;
                    if cx >= 0.0 && cy >= 0.0 && (cx as usize) < w && (cy as usize) < h {
                        let i = (k * h + cy as usize) * w + cx as usize;
                        acc[i] = acc[i].saturating_add(1);
                    }
                }
            }
        }
    }
    // The strongest few centres, confirmed by ink around their circle.
    let mut best: Vec<(u16, usize)> = acc
        .iter()
        .copied()
        .zip(0..)
        .filter(|(v, _)| *v > 8)
        .collect();
    best.sort_unstable_by_key(|b| std::cmp::Reverse(b.0));
    best.into_iter().take(20).find_map(|(_, i)| {
        let (k, rest) = (i / (w * h), i % (w * h));
        let (cx, cy, r) = ((rest % w) as f64, (rest / w) as f64, radii[k] as f64);
        let circle = Circle {
            x: cx * STEP as f64,
            y: cy * STEP as f64,
            r: r * STEP as f64,
        };
        (ring_share(&small, cx, cy, r) >= 0.8).then_some(circle)
    })
}

/// Share of the directions from the centre that meet ink within two pixels of radius `r`.
fn ring_share(img: &Image, cx: f64, cy: f64, r: f64) -> f64 {
    let n = 180;
    let hits = (0..n)
        .filter(|&i| {
            let a = i as f64 * std::f64::consts::TAU / n as f64;
            (-2..=2).any(|d| {
                let rr = r + d as f64;
                let (x, y) = (cx + rr * a.cos(), cy + rr * a.sin());
                x >= 0.0
                    && y >= 0.0
                    && (x as usize) < img.w
                    && (y as usize) < img.h
                    && img.px[y as usize * img.w + x as usize] < INK
            })
        })
        .count();
    hits as f64 / n as f64
}

/// Whitens the seal's ink inside the ring (and a margin for its width): every pixel that
/// is neither print (darker than [`PRINT`]) nor reached from print within [`REACH`] pixels
/// through darker-than-paper pixels off the ring, nor the soft edge of either (within two
/// pixels), so
/// digits under the seal keep their strokes and the ring, star and name go. The reach keeps
/// the thin strokes of a low-resolution scan (the top of a `0` at 150 dpi scans as grey as
/// seal ink) that join the dark ones; of the seal's ink only short stubs where it touches
/// print stay.
pub fn clean(img: &mut Image, c: &Circle) {
    let reach = c.r + c.r / 12.0 + 4.0;
    let (y0, y1) = (
        (c.y - reach).max(0.0) as usize,
        ((c.y + reach) as usize).min(img.h),
    );
    let (x0, x1) = (
        (c.x - reach).max(0.0) as usize,
        ((c.x + reach) as usize).min(img.w),
    );
    if x1 <= x0 || y1 <= y0 {
        return;
    }
    let (bw, bh) = (x1 - x0, y1 - y0);
    let at = |i: usize| (y0 + i / bw) * img.w + x0 + i % bw;
    // The ring itself is only ever seal ink (print under red ink stays black): print
    // does not reach into it.
    let band = c.r / 20.0 + 4.0;
    let on_ring = |i: usize| {
        let (dx, dy) = ((x0 + i % bw) as f64 - c.x, (y0 + i / bw) as f64 - c.y);
        ((dx * dx + dy * dy).sqrt() - c.r).abs() <= band
    };
    // Steps from print through grey, breadth first; u8::MAX = not reached.
    let mut depth = vec![u8::MAX; bw * bh];
    let mut queue = std::collections::VecDeque::new();
    for i in 0..bw * bh {
        if img.px[at(i)] < PRINT {
            depth[i] = 0;
            queue.push_back(i);
        }
    }
    while let Some(i) = queue.pop_front() {
        if depth[i] >= REACH {
            continue;
        }
        let (x, y) = (i % bw, i / bw);
        for (nx, ny) in [
            (x.wrapping_sub(1), y),
            (x + 1, y),
            (x, y.wrapping_sub(1)),
            (x, y + 1),
        ] {
            if nx < bw && ny < bh {
                let j = ny * bw + nx;
                if depth[j] == u8::MAX && img.px[at(j)] < GREY && !on_ring(j) {
                    depth[j] = depth[i] + 1;
                    queue.push_back(j);
                }
            }
        }
    }
    let mut keep = vec![false; bw * bh];
    for y in 0..bh {
        for x in 0..bw {
            if depth[y * bw + x] != u8::MAX {
                for ny in y.saturating_sub(2)..(y + 3).min(bh) {
                    for nx in x.saturating_sub(2)..(x + 3).min(bw) {
                        keep[ny * bw + nx] = true;
                    }
                }
            }
        }
    }
    for i in 0..bw * bh {
        let (dx, dy) = ((x0 + i % bw) as f64 - c.x, (y0 + i / bw) as f64 - c.y);
        if dx * dx + dy * dy <= reach * reach && !keep[i] {
            let p = at(i);
            img.px[p] = 255;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 300 dpi page part with black text-like bars and a grey seal ring of radius 240.
    fn page(with_seal: bool) -> Image {
        let (w, h) = (1200, 1000);
        let mut img = Image::white(w, h);
        for y in (100..900).step_by(50) {
            for x in (100..1100).step_by(40) {
                for dy in 0..20 {
                    for dx in 0..24 {
                        img.px[(y + dy) * w + x + dx] = 20;
                    }
                }
            }
        }
        if with_seal {
            for y in 0..h {
                for x in 0..w {
                    let d = ((x as f64 - 600.0).powi(2) + (y as f64 - 500.0).powi(2)).sqrt();
                    if (234.0..=243.0).contains(&d) {
                        img.px[y * w + x] = 110;
                    }
                }
            }
        }
        img
    }

    #[test]
    fn finds_the_ring_and_whitens_it_keeping_print() {
        let mut img = page(true);
        let print = img.px.iter().filter(|&&p| p == 20).count();
        let c = find(&img, 300).expect("a seal");
        assert!(
            (c.x - 600.0).abs() < 12.0 && (c.y - 500.0).abs() < 12.0,
            "{c:?}"
        );
        assert!((c.r - 238.0).abs() < 14.0, "{c:?}");
        let ring = img.px.iter().filter(|&&p| p == 110).count();
        clean(&mut img, &c);
        // Only the ink touching print stays (the soft edges of print are kept).
        let left = img.px.iter().filter(|&&p| p == 110).count();
        assert!(left * 4 < ring, "seal ink left: {left} of {ring}");
        assert_eq!(
            img.px.iter().filter(|&&p| p == 20).count(),
            print,
            "print kept"
        );
    }

    #[test]
    fn thin_grey_strokes_of_print_stay_and_loose_seal_ink_goes() {
        let mut img = page(true);
        let c = find(&img, 300).expect("a seal");
        let mut paint = |x: std::ops::Range<usize>, y: std::ops::Range<usize>, v: u8| {
            for y in y {
                for x in x.clone() {
                    img.px[y * img.w + x] = v;
                }
            }
        };
        // Inside the ring, between the bars: a `0` of a 150 dpi scan (dark sides, grey top
        // and bottom) and, apart from any print, a grey stroke of the seal's star.
        paint(586..606, 475..477, 255);
        paint(586..589, 477..497, 40);
        paint(603..606, 477..497, 40);
        paint(589..603, 477..480, 120);
        paint(589..603, 494..497, 120);
        paint(620..680, 532..536, 120);
        clean(&mut img, &c);
        let px = |x: usize, y: usize| img.px[y * img.w + x];
        assert_eq!(
            (px(596, 478), px(596, 495)),
            (120, 120),
            "the 0 keeps its top and bottom"
        );
        let left: Vec<usize> = (620..680).filter(|&x| px(x, 534) != 255).collect();
        assert!(left.is_empty(), "the star stroke goes: {left:?}");
    }

    #[test]
    fn no_seal_on_a_page_of_print() {
        assert_eq!(find(&page(false), 300), None);
    }
}
