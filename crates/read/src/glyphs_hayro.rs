//! The words as hayro reads them, a pure-Rust PDF interpreter (`hayro-interpret`, no unsafe
//! code): each glyph run the interpreter shows its device gives the glyphs' Unicode values
//! (ToUnicode, predefined CMaps, glyph names), origins, advances and font sizes; in the same
//! pass each painted path gives the page's ruling lines (as [`crate::vector`] reads them with
//! lopdf: stroked axis-parallel segments, thin filled rectangles, in ink). The default word
//! reader (see [`crate::glyphs`]); a panic inside the interpreter is caught and reported as an
//! unreadable file.

use crate::glyphs::{Glyph, Glyphs, Words};
use crate::vector::{self, PageLines, Sub};
use crate::ReadError;
use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::hayro_syntax::page::Rotation;
use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect};
use hayro_interpret::{
    interpret_page, BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image,
    ImageDrawProps, InterpreterCache, InterpreterSettings, Paint, SoftMask,
};
use std::collections::HashMap;

const UNITS_PER_EM: f64 = 1000.0;

pub fn read(bytes: &[u8], max_pages: usize) -> Result<Glyphs, ReadError> {
    crate::guard::quietly(|| interpret(bytes, max_pages)).unwrap_or_else(|why| {
        Err(ReadError::Corrupt(format!(
            "PDF 解析出错 (the PDF interpreter failed on this file: {why})"
        )))
    })
}

fn interpret(bytes: &[u8], max_pages: usize) -> Result<Glyphs, ReadError> {
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
        hayro_interpret::hayro_syntax::LoadPdfError::Decryption(_) => ReadError::Encrypted,
        _ => ReadError::Corrupt("PDF 结构损坏，无法解析 (broken PDF structure)".into()),
    })?;
    let cache = InterpreterCache::new();
    let mut out = Glyphs {
        words: Vec::new(),
        widths: HashMap::new(),
        lines: Some(HashMap::new()),
    };
    for (i, page) in pdf.pages().iter().enumerate().take(max_pages) {
        let number = i as u32 + 1;
        let c = page.crop_box();
        let crop = Rect::new(c.x0, c.y0, c.x1, c.y1);
        out.widths.insert(number, crop.width());
        let mut device = Collect {
            words: Words::new(number, crop.x0 as f32, crop.y1 as f32),
            filled: None,
            rules: PageLines::default(),
            origin: (crop.x0, crop.y1),
        };
        let mut ctx = Context::new(
            Affine::IDENTITY,
            crop,
            &cache,
            pdf.xref(),
            InterpreterSettings::default(),
        );
        interpret_page(page, &mut ctx, &mut device);
        out.words.extend(device.words.finish());
        // A rotated page's words are in the rotated frame: its rules are left to the raster.
        if matches!(page.rotation(), Rotation::None) {
            if let Some(lines) = out.lines.as_mut() {
                lines.insert(number, device.rules);
            }
        }
    }
    Ok(out)
}

struct Collect {
    words: Words,
    /// The last run filled: (glyphs, first and last glyph's transform). Fill-and-stroke text
    /// shows one run twice; stroke-only text once, as a stroke.
    filled: Option<(usize, Affine, Affine)>,
    rules: PageLines,
    /// The crop box's top-left corner in PDF space: page space is x from its left, y down
    /// from its top.
    origin: (f64, f64),
}

/// Points a path may have and still be read for rules (as in [`crate::vector`]).
const MAX_POINTS: usize = 100_000;

/// Whether paint leaves ink (dark enough for a rule) rather than white.
fn ink(paint: &Paint) -> bool {
    match paint {
        Paint::Color(c) => {
            let [r, g, b, _] = c.to_rgba().to_rgba8();
            (f64::from(r) + f64::from(g) + f64::from(b)) / (3.0 * 255.0) < vector::LIGHT
        }
        Paint::Pattern(_) => true,
    }
}

impl Collect {
    /// The path's subpaths in page space.
    fn subpaths(&self, path: &BezPath, t: Affine) -> Vec<Sub> {
        let at = |p: Point| {
            let q = t * p;
            (q.x - self.origin.0, self.origin.1 - q.y)
        };
        let mut subs: Vec<Sub> = Vec::new();
        for el in path.elements() {
            match *el {
                PathEl::MoveTo(p) => subs.push(Sub {
                    pts: vec![at(p)],
                    ..Sub::default()
                }),
                PathEl::LineTo(p) => {
                    if let Some(s) = subs.last_mut() {
                        s.pts.push(at(p));
                    }
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                    if let Some(s) = subs.last_mut() {
                        s.curved = true;
                        s.pts.push(at(p));
                    }
                }
                PathEl::ClosePath => {
                    if let Some(s) = subs.last_mut() {
                        s.closed = true;
                    }
                }
            }
        }
        subs
    }
}

fn run_key(run: &GlyphRun) -> Option<(usize, Affine, Affine)> {
    let g = run.glyphs();
    Some((g.len(), g.first()?.transform(), g.last()?.transform()))
}

impl<'a> Device<'a> for Collect {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, mode: &DrawMode) {
        let (fill, stroke) = match mode {
            DrawMode::Fill(_) => (true, None),
            DrawMode::Stroke(s) => (false, Some(s)),
            DrawMode::FillAndStroke(_, s) => (true, Some(s)),
            DrawMode::Invisible => return,
        };
        if !ink(&props.paint) || path.elements().len() > MAX_POINTS {
            return;
        }
        let subs = self.subpaths(path, props.transform);
        if fill {
            vector::fill(&subs, &mut self.rules.lines);
        }
        if let Some(s) = stroke {
            // The pen's width in page space: the mean scale of the transform.
            let scale = props.transform.determinant().abs().sqrt();
            vector::stroke(
                &subs,
                f64::from(s.line_width) * scale,
                false,
                &mut self.rules.lines,
            );
        }
    }
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {
        self.rules.images = true;
    }
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, mode: &DrawMode) {
        match mode {
            DrawMode::Stroke(_) if self.filled.take() == run_key(run) => return,
            DrawMode::Stroke(_) => {}
            _ => self.filled = run_key(run),
        }
        for g in run.glyphs() {
            let t = props.transform * g.transform();
            let origin = t * Point::ZERO;
            let em = (t * Point::new(0.0, UNITS_PER_EM) - origin).hypot();
            let advance = match &**g {
                hayro_interpret::font::Glyph::Outline(o) => o.advance_width(),
                hayro_interpret::font::Glyph::Type3(t3) => t3.advance_width(),
            }
            .unwrap_or(UNITS_PER_EM as f32) as f64;
            let end = t * Point::new(advance, 0.0);
            let text = match g.as_unicode() {
                Some(BfString::Char(c)) => c.to_string(),
                Some(BfString::String(s)) => s,
                None => String::new(),
            };
            // A ligature (`ﬁ` → "fi") shares its glyph's advance among its letters.
            let (x0, x1) = (origin.x.min(end.x), origin.x.max(end.x));
            let n = text.chars().count().max(1) as f64;
            for (i, c) in text.chars().enumerate() {
                let ok = !c.is_whitespace() && !c.is_control();
                self.words.add(ok.then(|| Glyph {
                    c,
                    x0: (x0 + (x1 - x0) * i as f64 / n) as f32,
                    x1: (x0 + (x1 - x0) * (i + 1) as f64 / n) as f32,
                    base: origin.y as f32,
                    size: em as f32,
                }));
            }
            if text.is_empty() {
                self.words.add(None);
            }
        }
    }
}
