//! The words as hayro reads them, a pure-Rust PDF interpreter (`hayro-interpret`, no unsafe
//! code): each glyph run the interpreter shows its device gives the glyphs' Unicode values
//! (ToUnicode, predefined CMaps, glyph names), origins, advances and font sizes. The default
//! word reader (see [`crate::glyphs`]); a panic inside the interpreter is caught and reported
//! as an unreadable file.

use crate::glyphs::{Glyph, Glyphs, Words};
use crate::ReadError;
use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::kurbo::{Affine, BezPath, Point, Rect};
use hayro_interpret::{
    interpret_page, BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image,
    ImageDrawProps, InterpreterCache, InterpreterSettings, SoftMask,
};
use std::collections::HashMap;

const UNITS_PER_EM: f64 = 1000.0;

pub fn read(bytes: &[u8], max_pages: usize) -> Result<Glyphs, ReadError> {
    std::panic::catch_unwind(|| interpret(bytes, max_pages)).unwrap_or_else(|_| {
        Err(ReadError::Corrupt(
            "PDF 解析出错 (the PDF interpreter failed on this file)".into(),
        ))
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
    };
    for (i, page) in pdf.pages().iter().enumerate().take(max_pages) {
        let number = i as u32 + 1;
        let c = page.crop_box();
        let crop = Rect::new(c.x0, c.y0, c.x1, c.y1);
        out.widths.insert(number, crop.width());
        let mut device = Collect {
            words: Words::new(number, crop.x0 as f32, crop.y1 as f32),
            filled: None,
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
    }
    Ok(out)
}

struct Collect {
    words: Words,
    /// The last run filled: (glyphs, first and last glyph's transform). Fill-and-stroke text
    /// shows one run twice; stroke-only text once, as a stroke.
    filled: Option<(usize, Affine, Affine)>,
}

fn run_key(run: &GlyphRun) -> Option<(usize, Affine, Affine)> {
    let g = run.glyphs();
    Some((g.len(), g.first()?.transform(), g.last()?.transform()))
}

impl<'a> Device<'a> for Collect {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
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
