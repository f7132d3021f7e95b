//! Thin lines on a page however faint: the pixels of a ruling line that a photocopier
//! lightened to grey, broke into bits or laid over textured paper.
//!
//! A pixel is on a horizontal line when, averaged along the line over a few pixels (which
//! evens out toner grain and paper texture but keeps a line's grey), it is darker than the
//! paper a few pixels above and below it; vertical lines alike. The texture's blotches and a
//! toner streak are wider than a rule, so the paper beside them is as dark and they are no
//! lines; characters' strokes are lines, but short, and rules are told from them by length.

use crate::raster::Image;

/// Half the window a pixel is averaged over along the line.
const REACH: usize = 4;
/// Pixels from a line to the paper beside it.
const SIDE: usize = 5;
/// An averaged line pixel is at least this much darker than the paper on both sides...
const CONTRAST: u16 = 6;
/// ... and darker than this (paper is ≈ 250 and brighter after evening the light).
const LIGHTEST: u16 = 249;
/// Print black: a pixel this dark is on a line whatever lies beside it.
pub const BLACK: u8 = 100;

/// Which pixels of a page lie on thin horizontal and vertical lines.
pub struct Ridges {
    w: usize,
    h: usize,
    /// Faint lines counted (else only dark pixels).
    faded: bool,
    horizontal: Vec<bool>,
    vertical: Vec<bool>,
}

impl Ridges {
    pub fn of(img: &Image) -> Ridges {
        Ridges {
            w: img.w,
            h: img.h,
            faded: true,
            horizontal: mask(img, true),
            vertical: mask(img, false),
        }
    }

    /// Only pixels darker than `dark` (a drawn page's rules), in both directions.
    pub fn dark(img: &Image, dark: u8) -> Ridges {
        let m: Vec<bool> = img.px.iter().map(|&p| p < dark).collect();
        Ridges {
            w: img.w,
            h: img.h,
            faded: false,
            horizontal: m.clone(),
            vertical: m,
        }
    }

    /// Whether faint lines count (a scan), or only dark ones (a drawn page).
    pub fn faded(&self) -> bool {
        self.faded
    }

    pub fn size(&self) -> (usize, usize) {
        (self.w, self.h)
    }

    /// No line on the ring of centre (`cx`, `cy`) and radius `r`, `half` pixels either side
    /// of it (a seal's ring).
    pub fn clear_ring(&mut self, cx: f64, cy: f64, r: f64, half: f64) {
        let (x0, x1) = (
            (cx - r - half).max(0.0) as usize,
            ((cx + r + half) as usize).min(self.w),
        );
        let (y0, y1) = (
            (cy - r - half).max(0.0) as usize,
            ((cy + r + half) as usize).min(self.h),
        );
        for y in y0..y1 {
            for x in x0..x1 {
                let d = (x as f64 - cx).hypot(y as f64 - cy);
                if (d - r).abs() <= half {
                    self.horizontal[y * self.w + x] = false;
                    self.vertical[y * self.w + x] = false;
                }
            }
        }
    }

    /// Whether (`x`, `y`) is on a line running horizontally (or vertically).
    pub fn at(&self, x: usize, y: usize, horizontal: bool) -> bool {
        if x >= self.w || y >= self.h {
            return false;
        }
        let m = if horizontal {
            &self.horizontal
        } else {
            &self.vertical
        };
        m[y * self.w + x]
    }
}

/// The line mask for lines running horizontally (or vertically).
pub(crate) fn mask(img: &Image, horizontal: bool) -> Vec<bool> {
    let (w, h) = (img.w, img.h);
    let avg = average_along(img, horizontal);
    let mut out = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if img.px[i] < BLACK {
                out[i] = true;
                continue;
            }
            let line = avg[i];
            if line > LIGHTEST {
                continue;
            }
            let side = |d: isize| -> u16 {
                let (sx, sy) = if horizontal {
                    (x as isize, y as isize + d)
                } else {
                    (x as isize + d, y as isize)
                };
                if sx < 0 || sy < 0 || sx as usize >= w || sy as usize >= h {
                    255
                } else {
                    avg[sy as usize * w + sx as usize]
                }
            };
            let s = SIDE as isize;
            out[i] = line + CONTRAST <= side(-s).min(side(s));
        }
    }
    out
}

/// Each pixel averaged with its neighbours along the line direction (2 × REACH + 1 of them,
/// fewer at the page's edge).
fn average_along(img: &Image, horizontal: bool) -> Vec<u16> {
    let (w, h) = (img.w, img.h);
    let (lines, len) = if horizontal { (h, w) } else { (w, h) };
    let at = |line: usize, i: usize| -> usize {
        if horizontal {
            line * w + i
        } else {
            i * w + line
        }
    };
    let mut out = vec![255u16; w * h];
    let mut sums = vec![0u32; len + 1];
    for line in 0..lines {
        for i in 0..len {
            sums[i + 1] = sums[i] + img.px[at(line, i)] as u32;
        }
        for i in 0..len {
            let (a, b) = (i.saturating_sub(REACH), (i + REACH + 1).min(len));
            out[at(line, i)] = ((sums[b] - sums[a]) / (b - a) as u32) as u16;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Image {
        let mut img = Image::white(200, 100);
        for x in 20..180 {
            // A faint rule: 243 on paper of 252, one pixel in five lost.
            img.px[50 * 200 + x] = if x % 5 == 0 { 252 } else { 243 };
        }
        for p in img.px.iter_mut().filter(|p| **p == 255) {
            *p = 252;
        }
        // A blotch 20 px across, as dark as the rule.
        for y in 10..30 {
            for x in 100..120 {
                img.px[y * 200 + x] = 240;
            }
        }
        img
    }

    #[test]
    fn a_faint_broken_rule_is_a_line_and_a_blotch_is_not() {
        let r = Ridges::of(&page());
        assert!(
            (25..175).all(|x| r.at(x, 50, true)),
            "the rule, gaps bridged"
        );
        assert!(!r.at(100, 49, true) && !r.at(100, 52, true));
        assert!(!(100..120).any(|x| r.at(x, 20, true)), "inside the blotch");
        assert!(!r.at(60, 50, false), "no vertical line");
    }
}
