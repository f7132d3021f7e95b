//! Bar charts as PNG images for documents (the campaign assessment): one horizontal bar per
//! category with its value at the bar's end, the title above. Text is drawn with the CJK font
//! fontconfig picks for Chinese on this machine (`NIANBAO_CHART_FONT=path[:index]` overrides);
//! without one the chart is drawn without text (the document's table beside it has the figures).

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use std::sync::OnceLock;

/// A chart image.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

const WIDTH: u32 = 1200;
const ROW: u32 = 44;
const TOP: u32 = 80;
const LABELS: u32 = 380;
const VALUES: u32 = 150;
const BAR: [u8; 3] = [0x15, 0x65, 0xc0];
const INK: [u8; 3] = [0x21, 0x21, 0x21];
const GRID: [u8; 3] = [0xdd, 0xdd, 0xdd];

fn font() -> Option<&'static FontVec> {
    static FONT: OnceLock<Option<FontVec>> = OnceLock::new();
    FONT.get_or_init(|| {
        let spec = std::env::var("NIANBAO_CHART_FONT").ok().or_else(|| {
            let out = std::process::Command::new("fc-match")
                .args(["-f", "%{file}:%{index}", ":lang=zh-cn"])
                .output()
                .ok()?;
            String::from_utf8(out.stdout).ok()
        })?;
        let (path, index) = match spec.rsplit_once(':') {
            Some((p, i)) if i.parse::<u32>().is_ok() => (p.to_string(), i.parse().unwrap_or(0)),
            _ => (spec.clone(), 0),
        };
        let bytes = std::fs::read(path).ok()?;
        FontVec::try_from_vec_and_index(bytes, index).ok()
    })
    .as_ref()
}

struct Canvas {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

impl Canvas {
    fn new(w: u32, h: u32) -> Canvas {
        Canvas {
            w,
            h,
            px: vec![255; (w * h * 3) as usize],
        }
    }

    fn blend(&mut self, x: i64, y: i64, color: [u8; 3], alpha: f32) {
        if x < 0 || y < 0 || x >= self.w as i64 || y >= self.h as i64 {
            return;
        }
        let i = ((y as u32 * self.w + x as u32) * 3) as usize;
        for (px, c) in self.px[i..i + 3].iter_mut().zip(color) {
            let old = *px as f32;
            *px = (old + (c as f32 - old) * alpha.clamp(0.0, 1.0)).round() as u8;
        }
    }

    fn rect(&mut self, x0: u32, y0: u32, x1: u32, y1: u32, color: [u8; 3]) {
        for y in y0..y1.min(self.h) {
            for x in x0..x1.min(self.w) {
                self.blend(x as i64, y as i64, color, 1.0);
            }
        }
    }

    /// Text starting at `x` (or ending there when `right`) on the baseline `y`; the width drawn.
    fn text(&mut self, s: &str, x: f32, y: f32, size: f32, color: [u8; 3], right: bool) -> f32 {
        let Some(font) = font() else {
            return 0.0;
        };
        let scaled = font.as_scaled(PxScale::from(size));
        let width: f32 = s.chars().map(|c| scaled.h_advance(font.glyph_id(c))).sum();
        let mut pen = if right { x - width } else { x };
        for c in s.chars() {
            let id = font.glyph_id(c);
            let glyph = id.with_scale_and_position(size, ab_glyph::point(pen, y));
            pen += scaled.h_advance(id);
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, a| {
                    self.blend(
                        b.min.x as i64 + gx as i64,
                        b.min.y as i64 + gy as i64,
                        color,
                        a,
                    )
                });
            }
        }
        width
    }

    fn png(self) -> Chart {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, self.w, self.h);
            enc.set_color(png::ColorType::Rgb);
            enc.set_depth(png::BitDepth::Eight);
            // Writing to memory cannot fail.
            if let Ok(mut w) = enc.write_header() {
                let _ = w.write_image_data(&self.px);
            }
        }
        Chart {
            png: out,
            width: self.w,
            height: self.h,
        }
    }
}

/// Shortens a label to what fits `width` pixels at `size`, with `…`.
fn fit(label: &str, width: f32, size: f32) -> String {
    let Some(font) = font() else {
        return label.to_string();
    };
    let scaled = font.as_scaled(PxScale::from(size));
    let mut used = 0.0;
    let mut out = String::new();
    for c in label.chars() {
        used += scaled.h_advance(font.glyph_id(c));
        if used > width {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}

/// A horizontal bar chart of `items` (label, value); `max` fixes the scale (100 for
/// percentages), else the largest value; `format` writes a value at its bar's end.
pub fn bars(
    title: &str,
    items: &[(String, f64)],
    max: Option<f64>,
    format: &dyn Fn(f64) -> String,
) -> Chart {
    let rows = items.len().max(1) as u32;
    let h = TOP + rows * ROW + 24;
    let mut c = Canvas::new(WIDTH, h);
    c.text(title, 24.0, 48.0, 34.0, INK, false);
    let top = items.iter().map(|i| i.1).fold(0.0_f64, f64::max);
    let scale = max.unwrap_or(top).max(f64::MIN_POSITIVE);
    let area = (WIDTH - LABELS - VALUES) as f64;
    for q in 0..=4 {
        let x = LABELS + (area * q as f64 / 4.0) as u32;
        c.rect(x, TOP - 6, x + 1, TOP + rows * ROW, GRID);
    }
    for (i, (label, value)) in items.iter().enumerate() {
        let y = TOP + i as u32 * ROW;
        let label = fit(label, (LABELS - 36) as f32, 28.0);
        c.text(
            &label,
            (LABELS - 12) as f32,
            (y + 32) as f32,
            28.0,
            INK,
            true,
        );
        let len = (area * (value / scale).clamp(0.0, 1.0)).round() as u32;
        c.rect(LABELS, y + 7, LABELS + len.max(1), y + ROW - 7, BAR);
        c.text(
            &format(*value),
            (LABELS + len + 8) as f32,
            (y + 32) as f32,
            28.0,
            INK,
            false,
        );
    }
    c.png()
}

/// Whether charts get their text (a CJK font was found).
pub fn has_font() -> bool {
    font().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dark pixels in a column range of the image.
    fn ink(chart: &Chart, x0: u32, x1: u32) -> usize {
        let dec = png::Decoder::new(std::io::Cursor::new(&chart.png));
        let mut r = dec.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        r.next_frame(&mut buf).unwrap();
        let mut n = 0;
        for y in 0..chart.height {
            for x in x0..x1 {
                let i = ((y * chart.width + x) * 3) as usize;
                if buf[i] < 128 && buf[i + 1] < 128 && buf[i + 2] < 128 {
                    n += 1;
                }
            }
        }
        n
    }

    #[test]
    fn bars_are_as_long_as_their_values() {
        let items = vec![
            ("甲镇".to_string(), 100.0),
            ("乙镇".to_string(), 50.0),
            ("丙镇".to_string(), 0.0),
        ];
        let chart = bars("勾稽关系成立率（%）", &items, Some(100.0), &|v| {
            format!("{v:.1}%")
        });
        assert_eq!((chart.width, chart.height), (1200, 80 + 3 * 44 + 24));
        let dec = png::Decoder::new(std::io::Cursor::new(&chart.png));
        let mut r = dec.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        r.next_frame(&mut buf).unwrap();
        let bar_end = |row: u32| {
            let y = 80 + row * 44 + 22;
            (380..1200)
                .take_while(|&x| buf[((y * 1200 + x) * 3) as usize..][..3] == BAR)
                .count()
        };
        assert_eq!(bar_end(0), 670);
        assert_eq!(bar_end(1), 335);
        assert!(bar_end(2) <= 1);
        // Labels and the title are drawn when the machine has a CJK font (CI installs one).
        if has_font() || std::env::var("CI").is_ok() {
            assert!(ink(&chart, 300, 370) > 50, "labels drawn");
        }
    }
}
