//! PP-OCRv4 text-line recognition (PaddleOCR's Chinese model, as shipped in the PyPI package
//! `rapidocr-onnxruntime`) run in-process through ONNX Runtime, loaded at run time from
//! the shared library of the PyPI package `onnxruntime`. `scripts/fetch-ppocr` installs both
//! into [`model_dir`].
//!
//! Only recognition is used: nianbao finds the table cells itself from the ruling lines,
//! and a cell's lines from its ink, so the detection model is not needed. The engine reads
//! one text line per call; a cell of several lines is read line by line.

use crate::raster::{self, Image};
use crate::ReadError;
use ort::session::Session;
use ort::value::Tensor;
use std::path::PathBuf;

/// Model file inside [`model_dir`].
const MODEL: &str = "ch_PP-OCRv4_rec_infer.onnx";
/// Height the model reads lines at; widths scale with it, at least [`MIN_WIDTH`].
const HEIGHT: usize = 48;
const MIN_WIDTH: usize = 320;
/// Widest line given to the model (its attention is over the width; a cell never needs more).
const MAX_WIDTH: usize = 3200;

/// Where the model and the ONNX Runtime library are looked for: `$NIANBAO_PPOCR`, else
/// `~/.local/share/nianbao/ppocr`.
pub fn model_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("NIANBAO_PPOCR") {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".local/share/nianbao/ppocr")
}

/// Whether the model and the ONNX Runtime library are both in [`model_dir`].
pub fn installed() -> bool {
    let dir = model_dir();
    dir.join(MODEL).is_file() && library(&dir).is_some()
}

/// The ONNX Runtime shared library in `dir` (`libonnxruntime.so.1.32.0`, …).
fn library(dir: &std::path::Path) -> Option<PathBuf> {
    std::fs::read_dir(dir).ok().and_then(|rd| {
        rd.filter_map(Result::ok).map(|e| e.path()).find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libonnxruntime.so"))
        })
    })
}

/// A loaded recogniser: the session and the model's character list (CTC class 0 is the
/// blank, the last class a space).
pub struct Recognizer {
    session: Session,
    chars: Vec<String>,
}

fn engine_error(e: impl std::fmt::Display) -> ReadError {
    ReadError::Unreadable(format!(
        "PP-OCR 识别模型无法运行 (PP-OCR model failed): {e}"
    ))
}

/// The process's recogniser, loaded on first use (ONNX Runtime is initialised once per
/// process); a failure to load is kept and reported on every use.
static SHARED: std::sync::OnceLock<Result<std::sync::Mutex<Recognizer>, LoadError>> =
    std::sync::OnceLock::new();

/// Why the recogniser could not be loaded, kept to be reported on every use.
#[derive(Clone, Debug)]
enum LoadError {
    /// Not installed in this directory.
    Missing(String),
    /// Installed but would not load (the message).
    Failed(String),
}

/// Runs `f` with the process's recogniser (one document at a time: a session is not to be
/// run from two threads at once).
pub fn with<T>(f: impl FnOnce(&mut Recognizer) -> Result<T, ReadError>) -> Result<T, ReadError> {
    let shared = SHARED.get_or_init(|| {
        Recognizer::load()
            .map(std::sync::Mutex::new)
            .map_err(|e| match e {
                ReadError::NoPpocr(dir) => LoadError::Missing(dir),
                ReadError::Unreadable(why) => LoadError::Failed(why),
                e => LoadError::Failed(e.to_string()),
            })
    });
    match shared {
        Ok(m) => {
            let mut rec = m.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut rec)
        }
        Err(LoadError::Missing(dir)) => Err(ReadError::NoPpocr(dir.clone())),
        Err(LoadError::Failed(why)) => Err(ReadError::Unreadable(why.clone())),
    }
}

impl Recognizer {
    /// Loads the model from [`model_dir`]; an error naming what is missing when it is not
    /// installed.
    fn load() -> Result<Recognizer, ReadError> {
        let dir = model_dir();
        let model = dir.join(MODEL);
        let lib = library(&dir);
        let (true, Some(lib)) = (model.is_file(), lib) else {
            return Err(ReadError::NoPpocr(dir.display().to_string()));
        };
        let env = ort::init_from(&lib)
            .map_err(engine_error)?
            .with_name("nianbao")
            .build()
            .map_err(engine_error)?;
        let session = Session::builder(&env)
            .map_err(engine_error)?
            .with_intra_threads(1)
            .map_err(engine_error)?
            .commit_from_file(&model)
            .map_err(engine_error)?;
        let list = session
            .metadata()
            .map_err(engine_error)?
            .custom("character")
            .ok_or_else(|| engine_error("model has no character list"))?;
        let mut chars = vec![String::new()];
        chars.extend(list.lines().map(str::to_string));
        chars.push(" ".to_string());
        Ok(Recognizer { session, chars })
    }

    /// The text of a cell image (grey, ink dark) and the engine's confidence in it (the
    /// mean probability of its characters), its lines read top to bottom and joined. Only
    /// the characters of `only` are read when it is not empty: the model's likeliest
    /// reading among them, as Tesseract's whitelist does.
    pub fn cell(&mut self, img: &Image, only: &str) -> Result<(String, f32), ReadError> {
        let allowed: Option<Vec<bool>> = (!only.is_empty()).then(|| {
            self.chars
                .iter()
                .enumerate()
                .map(|(i, c)| i == 0 || (!c.is_empty() && c.chars().all(|ch| only.contains(ch))))
                .collect()
        });
        let mut text = String::new();
        let (mut sum, mut n) = (0.0f32, 0usize);
        for (y0, y1) in text_lines(img) {
            let (t, probs) = self.line(img, y0, y1, allowed.as_deref())?;
            text.push_str(&t);
            sum += probs.iter().sum::<f32>();
            n += probs.len();
        }
        Ok((text, if n == 0 { 0.0 } else { sum / n as f32 }))
    }

    /// One text line (rows `y0..y1` of `img`): its characters and each one's probability.
    fn line(
        &mut self,
        img: &Image,
        y0: usize,
        y1: usize,
        allowed: Option<&[bool]>,
    ) -> Result<(String, Vec<f32>), ReadError> {
        let h = y1 - y0;
        let w = ((img.w as f64 * HEIGHT as f64 / h as f64).ceil() as usize).clamp(1, MAX_WIDTH);
        let width = w.max(MIN_WIDTH);
        // Normalised to [-1, 1] like the model's training; the padding right of the
        // line is 0 (mid grey), as PaddleOCR pads.
        let mut data = vec![0f32; 3 * HEIGHT * width];
        let (fx, fy) = (img.w as f64 / w as f64, h as f64 / HEIGHT as f64);
        let at = |x: isize, y: isize| {
            let x = x.clamp(0, img.w as isize - 1) as usize;
            let y = (y.clamp(0, h as isize - 1) as usize) + y0;
            img.px[y * img.w + x] as f64
        };
        for y in 0..HEIGHT {
            let sy = ((y as f64 + 0.5) * fy - 0.5).max(0.0);
            for x in 0..w {
                let sx = ((x as f64 + 0.5) * fx - 0.5).max(0.0);
                let v = (raster::bilinear(sx, sy, at) / 255.0 - 0.5) / 0.5;
                for c in 0..3 {
                    data[(c * HEIGHT + y) * width + x] = v as f32;
                }
            }
        }
        let input = Tensor::from_array(([1usize, 3, HEIGHT, width], data)).map_err(engine_error)?;
        let outputs = self
            .session
            .run(ort::inputs![input])
            .map_err(engine_error)?;
        let (shape, probs) = outputs[0]
            .try_extract_tensor::<f32>()
            .map_err(engine_error)?;
        let (steps, classes) = (shape[1] as usize, shape[2] as usize);
        Ok(decode(probs, steps, classes, &self.chars, allowed))
    }
}

/// Greedy CTC decoding: the likeliest class per step (among the `allowed` ones), repeats
/// merged, blanks dropped.
fn decode(
    probs: &[f32],
    steps: usize,
    classes: usize,
    chars: &[String],
    allowed: Option<&[bool]>,
) -> (String, Vec<f32>) {
    let mut text = String::new();
    let mut conf = Vec::new();
    let mut prev = 0usize;
    let ok = |i: usize| allowed.is_none_or(|a| a.get(i).copied().unwrap_or(false));
    let likeliest = |row: &[f32], keep: &dyn Fn(usize) -> bool| {
        row.iter()
            .enumerate()
            .filter(|&(i, _)| keep(i))
            .fold((0, f32::MIN), |a, (i, &p)| if p > a.1 { (i, p) } else { a })
    };
    for t in 0..steps {
        let row = &probs[t * classes..(t + 1) * classes];
        let (mut best, mut p) = likeliest(row, &|_| true);
        // A character outside the allowed ones (`(` for a `0` under a seal's ink) is read
        // as the likeliest allowed character, never as nothing.
        if !ok(best) {
            (best, p) = likeliest(row, &|i| i != 0 && ok(i));
        }
        if best != 0 && best != prev {
            if let Some(c) = chars.get(best) {
                text.push_str(c);
                conf.push(p);
            }
        }
        prev = best;
    }
    (text, conf)
}

/// Ink below this grey level counts when finding lines.
const INK: u8 = 160;

/// The text lines of a cell image: bands of rows with ink, split at blank rows, each
/// with a few rows of margin (the model was trained on lines with some space around).
fn text_lines(img: &Image) -> Vec<(usize, usize)> {
    let inked: Vec<bool> = (0..img.h)
        .map(|y| {
            img.px[y * img.w..(y + 1) * img.w]
                .iter()
                .filter(|&&p| p < INK)
                .count()
                >= 2
        })
        .collect();
    let mut bands: Vec<(usize, usize)> = Vec::new();
    let mut y = 0;
    while y < img.h {
        if !inked[y] {
            y += 1;
            continue;
        }
        let start = y;
        while y < img.h && inked[y] {
            y += 1;
        }
        bands.push((start, y));
    }
    // Bands a few rows apart are one line (a `一`, dots and the strokes of a character
    // separated by white); a line is at least a third of the tallest band.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    for b in bands {
        match lines.last_mut() {
            Some(l) if b.0 - l.1 <= 6 => l.1 = b.1,
            _ => lines.push(b),
        }
    }
    let tallest = lines.iter().map(|l| l.1 - l.0).max().unwrap_or(0);
    let mut out: Vec<(usize, usize)> = Vec::new();
    for l in lines {
        if (l.1 - l.0) * 3 < tallest {
            // A thin band (a `一`, an underline) goes with the nearer line.
            if let Some(p) = out.last_mut() {
                p.1 = l.1;
            } else {
                out.push(l);
            }
            continue;
        }
        out.push(l);
    }
    let margin = tallest / 6 + 2;
    out.into_iter()
        .map(|(a, b)| (a.saturating_sub(margin), (b + margin).min(img.h)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctc_merges_repeats_and_drops_blanks() {
        let chars: Vec<String> = ["", "1", "2", " "].iter().map(|s| s.to_string()).collect();
        // Steps: 1 1 blank 1 2 2 → "112".
        let best = [1, 1, 0, 1, 2, 2];
        let mut probs = vec![0.0f32; best.len() * 4];
        for (t, &b) in best.iter().enumerate() {
            probs[t * 4 + b] = 0.9;
        }
        let (text, conf) = decode(&probs, best.len(), 4, &chars, None);
        assert_eq!(text, "112");
        assert_eq!(conf.len(), 3);
        // Only `1` allowed: a step reading `2` reads the likeliest allowed character, even
        // where the blank is likelier than it (a `0` under a seal read as `(`).
        let probs = [0.05f32, 0.04, 0.9, 0.01];
        let (text, _) = decode(&probs, 1, 4, &chars, Some(&[true, true, false, false]));
        assert_eq!(text, "1");
    }

    #[test]
    fn a_cell_of_two_lines_is_read_as_two_lines() {
        let mut img = Image::white(200, 120);
        for (y0, y1) in [(10, 40), (70, 100)] {
            for y in y0..y1 {
                for x in 20..180 {
                    if x % 7 < 3 {
                        img.px[y * 200 + x] = 0;
                    }
                }
            }
        }
        let lines = text_lines(&img);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].0 < 10 && lines[0].1 > 40 && lines[0].1 < 70);
    }
}
