//! Scanned reports: pages rendered by poppler's `pdftoppm` (300 dpi, grey) and read by
//! Tesseract with its simplified-Chinese model.
//!
//! Tables are read the way a person reads them: the ruling lines give the grid (merged
//! cells included, see [`crate::raster`]) and each cell is recognised on its own, so a
//! border is never read as `1` and no value is lost to page segmentation. Text outside
//! tables is recognised with the tables blanked out (`--psm 3`), its word boxes laid out
//! like a PDF text layer.

use crate::document::Document;
use crate::pages::{self, PageTable};
use crate::positions::Word;
use crate::raster::{self, Image, Rect};
use crate::ReadError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Pages of a scan read at most: OCR costs seconds per page, and reports have a few.
pub const MAX_PAGES: usize = 40;
const DPI: usize = 300;
const TIMEOUT: Duration = Duration::from_secs(180);
/// Confidence carried by every value read from a scan (a text layer gives 1.0).
pub const CONFIDENCE: f32 = 0.8;
/// Grey level below which a pixel is ink for Tesseract (see [`Image::binarize`]).
const INK: u8 = 200;

/// OCR of a PDF without a text layer.
pub fn pdf_document(bytes: &[u8]) -> Result<Document, ReadError> {
    // A worker's budget grows for rendering, then for recognising each page rendered.
    crate::isolate::allow(crate::isolate::page_seconds());
    let images = pages::render(bytes, DPI, MAX_PAGES)?;
    let dir = tempfile::tempdir()?;
    read_pages(dir.path(), images)
}

/// A scanned PDF's or an image's page `page` (1-based) at the resolution OCR reads: (as a person sees it,
/// straightened; as OCR read it — evened out, despeckled, straightened, the seal cleaned).
/// The boxes of a scan's cells are measured on these images.
pub fn scan_page(bytes: &[u8], page: u32) -> Result<(Image, Image), ReadError> {
    let no_page = || ReadError::Corrupt(format!("没有第 {page} 页 (no page {page})"));
    // A PNG, JPEG or TIFF original is its pages; a scanned PDF's are rendered.
    let seen = if image::guess_format(bytes).is_ok() {
        decode_pages(bytes)?
            .into_iter()
            .nth((page as usize).saturating_sub(1))
            .filter(|_| page > 0)
            .ok_or_else(no_page)?
    } else {
        pages::render_range(bytes, DPI, page, page)?
            .into_iter()
            .next()
            .ok_or_else(no_page)?
            .1
    };
    let mut read = seen.clone();
    crate::light::flatten(&mut read);
    let deg = crate::deskew::straighten(&mut read);
    read.despeckle(20);
    if let Some(seal) = crate::seal::find(&read, DPI) {
        crate::seal::clean(&mut read, &seal);
    }
    crate::print::clear_toner(&mut read);
    let seen = if deg.abs() >= 0.05 {
        crate::deskew::rotate(&seen, deg)
    } else {
        seen
    };
    Ok((seen, read))
}

/// The resolution scans are read at: a scan's boxes in points are pixels × 72 / this.
pub const SCAN_DPI: usize = DPI;

/// Degrees by which a page's lines may turn across it (see [`crate::light::convergence`])
/// before the page counts as photographed at an angle: a flat scan's turn by hundredths.
const MAX_CONVERGENCE: f64 = 1.0;

/// Largest image page read, in pixels (an A4 page at 600 dpi is 35 million).
const MAX_PIXELS: u64 = 60_000_000;

/// OCR of a PNG, JPEG or TIFF image (each page of a multi-page TIFF is one page): decoded
/// to grey and read through the same table path as a scanned PDF. The resolution is taken
/// as [`DPI`] when the page is A4-sized at it, otherwise from the width of an A4 page.
pub fn image_document(bytes: &[u8]) -> Result<Document, ReadError> {
    let pages = decode_pages(bytes)?;
    let dir = tempfile::tempdir()?;
    read_pages(dir.path(), pages)
}

fn decode_pages(bytes: &[u8]) -> Result<Vec<Image>, ReadError> {
    let bad = |e: image::ImageError| {
        ReadError::Corrupt(format!("图像无法解码 (cannot decode image): {e}"))
    };
    let format = image::guess_format(bytes).map_err(bad)?;
    if format == image::ImageFormat::Tiff {
        return tiff_pages(bytes);
    }
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let img = reader.decode().map_err(bad)?;
    Ok(vec![to_page(img)?])
}

/// Every page of a TIFF (scanners write one file per document): grey, bilevel, RGB(A).
fn tiff_pages(bytes: &[u8]) -> Result<Vec<Image>, ReadError> {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::ColorType;
    let bad =
        |e: tiff::TiffError| ReadError::Corrupt(format!("TIFF 无法解码 (cannot decode TIFF): {e}"));
    let mut dec = Decoder::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let mut pages = Vec::new();
    loop {
        let (w, h) = dec.dimensions().map_err(bad)?;
        let (w, h) = (w as usize, h as usize);
        if (w as u64) * (h as u64) > MAX_PIXELS {
            return Err(ReadError::TooLarge {
                size: (w * h) as u64,
                limit: MAX_PIXELS,
            });
        }
        let colour = dec.colortype().map_err(bad)?;
        let data = match dec.read_image().map_err(bad)? {
            DecodingResult::U8(v) => v,
            DecodingResult::U16(v) => v.into_iter().map(|p| (p >> 8) as u8).collect(),
            _ => return Err(ReadError::Unsupported("TIFF (32/64-bit samples)")),
        };
        let px: Vec<u8> = match colour {
            ColorType::Gray(8) | ColorType::Gray(16) => data,
            ColorType::Gray(1) => {
                let stride = w.div_ceil(8);
                (0..h)
                    .flat_map(|y| (0..w).map(move |x| (y, x)))
                    .map(|(y, x)| {
                        let bit = data
                            .get(y * stride + x / 8)
                            .map_or(0, |b| (b >> (7 - x % 8)) & 1);
                        if bit == 1 {
                            255
                        } else {
                            0
                        }
                    })
                    .collect()
            }
            ColorType::RGB(8) | ColorType::RGBA(8) | ColorType::RGB(16) | ColorType::RGBA(16) => {
                let n = if matches!(colour, ColorType::RGB(_)) {
                    3
                } else {
                    4
                };
                data.chunks_exact(n)
                    .map(|p| {
                        ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8
                    })
                    .collect()
            }
            _ => return Err(ReadError::Unsupported("TIFF (colour type)")),
        };
        if px.len() < w * h {
            return Err(ReadError::Corrupt(
                "TIFF 页面数据不完整 (truncated TIFF page)".into(),
            ));
        }
        pages.push(at_dpi(Image {
            w,
            h,
            px: px[..w * h].to_vec(),
        }));
        if !dec.more_images() || pages.len() >= MAX_PAGES {
            break;
        }
        dec.next_image().map_err(bad)?;
    }
    Ok(pages)
}

fn to_page(img: image::DynamicImage) -> Result<Image, ReadError> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if (w as u64) * (h as u64) > MAX_PIXELS {
        return Err(ReadError::TooLarge {
            size: (w * h) as u64,
            limit: MAX_PIXELS,
        });
    }
    let grey = img.into_luma8();
    let page = Image {
        w,
        h,
        px: grey.into_raw(),
    };
    Ok(at_dpi(page))
}

/// Scales a page to [`DPI`], judging its resolution from its width as A4 (210 mm) when it
/// is not already close: the grid finder's sizes are in pixels at that resolution.
fn at_dpi(page: Image) -> Image {
    let a4 = DPI as f64 * 210.0 / 25.4;
    let f = a4 / page.w.min(page.h).max(1) as f64;
    if (0.8..=1.25).contains(&f) {
        return page;
    }
    let (w, h) = (
        (page.w as f64 * f).round().max(1.0) as usize,
        (page.h as f64 * f).round().max(1.0) as usize,
    );
    // Bilinear, edges repeated: Tesseract reads smooth strokes far better than blocky ones.
    let at = |x: isize, y: isize| {
        let (x, y) = (
            x.clamp(0, page.w as isize - 1),
            y.clamp(0, page.h as isize - 1),
        );
        page.px[y as usize * page.w + x as usize] as f64
    };
    let mut out = Image::white(w, h);
    for y in 0..h {
        let sy = ((y as f64 + 0.5) / f - 0.5).max(0.0);
        for x in 0..w {
            let sx = ((x as f64 + 0.5) / f - 0.5).max(0.0);
            out.px[y * w + x] = raster::bilinear(sx, sy, at).round() as u8;
        }
    }
    out
}

fn read_pages(dir: &Path, images: Vec<Image>) -> Result<Document, ReadError> {
    crate::isolate::allow(crate::isolate::page_seconds() * images.len() as f64);
    let mut pages = Vec::new();
    let mut texts: Vec<PathBuf> = Vec::new();
    // Cell crops to recognise, grey: (page, table, row, cell) and the crop.
    let mut crops: Vec<(CellId, Image)> = Vec::new();
    let engine = engine();
    let ppocr = engine != Engine::Tesseract;
    for (p, mut img) in images.into_iter().enumerate() {
        if let crate::light::Light::TooDark { darkest } = crate::light::flatten(&mut img) {
            return Err(ReadError::Unreadable(format!(
                "第 {} 页过暗（纸面灰度 {darkest}），请在光线均匀处重新扫描或拍摄 (page {} too dark to read: rescan it in even light)",
                p + 1,
                p + 1
            )));
        }
        crate::deskew::straighten(&mut img);
        let turn = crate::light::convergence(&img);
        if turn > MAX_CONVERGENCE {
            return Err(ReadError::Unreadable(format!(
                "第 {} 页透视变形（表格线相差 {turn:.1}°，像是斜着拍的照片），表格无法对齐：请用扫描仪扫描，或正对页面拍摄 (page {} is seen at an angle: its lines converge by {turn:.1}°; scan it flat or photograph it square-on)",
                p + 1,
                p + 1
            )));
        }
        let stamped = crate::seal::find(&img, DPI);
        let tables = raster::tables_beside(&mut img, DPI, stamped);
        // Specks up to half a point across (at 300 dpi, with their grey fringe): dust,
        // noise, a bilevel scan's grain. A printed full stop is larger. Only after the
        // rules are found: a faded rule's darker bits are speck-sized, and clearing them
        // breaks the rule.
        img.despeckle(20);
        // The seal goes after the grid is found (its arcs are no rules) and before any text
        // is read (its strokes are no characters).
        if let Some(seal) = crate::seal::find(&img, DPI) {
            crate::seal::clean(&mut img, &seal);
        }
        // A copier's grey toner is no print (OCR reads it as digits in blank cells).
        crate::print::clear_toner(&mut img);
        for (t, table) in tables.iter().enumerate() {
            for (r, row) in table.rows.iter().enumerate() {
                for (c, (rect, _, _)) in row.iter().enumerate() {
                    let inner = Rect {
                        x0: rect.x0 + 4,
                        y0: rect.y0 + 4,
                        x1: rect.x1.saturating_sub(4),
                        y1: rect.y1.saturating_sub(4),
                    };
                    if inner.x1 <= inner.x0 || inner.y1 <= inner.y0 || img.ink(inner) < 12 {
                        continue;
                    }
                    // Just the text, with a margin: blank cell space misleads Tesseract.
                    let Some(ink) = img.ink_box(inner) else {
                        continue;
                    };
                    crops.push(((p, t, r, c), img.crop(ink, 12)));
                }
            }
        }
        let mut rest = img;
        for t in &tables {
            rest.fill(t.bounds);
        }
        rest.binarize(INK);
        let path = dir.join(format!("text-{p}.pgm"));
        std::fs::write(&path, rest.to_pgm())?;
        texts.push(path);
        pages.push(tables);
    }
    let mut cell_text: HashMap<CellId, String> = HashMap::new();
    // Tesseract's confidence in each cell's reading (its words' mean, 0–1).
    let mut cell_conf: HashMap<CellId, f32> = HashMap::new();
    if !crops.is_empty() {
        // Tesseract reads files; PP-OCR the crops in memory.
        let files = if engine == Engine::Ppocr {
            None
        } else {
            Some(write_crops(dir, &crops)?)
        };
        let mut pp = if ppocr {
            ppocr_cells(crops.iter().map(|(_, img)| img), "")?
        } else {
            HashMap::new()
        };
        // Every cell grey, and again in black and white where Tesseract is unsure of the
        // grey reading (each reads some glyphs the other misreads), in one Tesseract run
        // per variant (`--psm 6`: a block of text); the reading Tesseract is surer of wins.
        // A sure grey reading (90 % or more) is kept: on our scans and photocopies the
        // black-and-white one never differed from it and won (measured on 374 cells).
        let (mut a, mut b) = match &files {
            Some(f) => {
                let a = cells(&f.grey_list, &[])?;
                let unsure: Vec<usize> = (0..crops.len())
                    .filter(|&i| {
                        a.get(&(i as u32 + 1))
                            .is_none_or(|(t, conf)| t.is_empty() || *conf < SURE)
                    })
                    .collect();
                let mut b = HashMap::new();
                if !unsure.is_empty() {
                    let list = file_list(dir, "cells-bw.txt", &write_bw(f, &crops, &unsure)?)?;
                    for (k, v) in cells(&list, &[])? {
                        b.insert(unsure[k as usize - 1] as u32 + 1, v);
                    }
                }
                (a, b)
            }
            None => (HashMap::new(), HashMap::new()),
        };
        for (i, (at, _)) in crops.iter().enumerate() {
            let page = i as u32 + 1;
            let (ta, ca) = a.remove(&page).unwrap_or_default();
            let (tb, cb) = b.remove(&page).unwrap_or_default();
            let tess = if cb > ca { (tb, cb) } else { (ta, ca) };
            let (text, conf) = match pp.remove(&page) {
                Some(p) if engine == Engine::Both => choose(tess, p),
                Some(p) => p,
                None => tess,
            };
            if !text.is_empty() {
                cell_conf.insert(*at, (conf / 100.0).clamp(0.0, 1.0) as f32);
            }
            cell_text.insert(*at, as_number(&text).unwrap_or(text));
        }
        // The columns of each table row that read as numbers.
        let mut numbers: HashMap<(usize, usize, usize), Vec<usize>> = HashMap::new();
        for (&(p, t, r, c), v) in &cell_text {
            if !v.is_empty() && digit_like(v) {
                numbers.entry((p, t, r)).or_default().push(c);
            }
        }
        let noisy: Vec<usize> = (0..crops.len())
            .filter(|&i| {
                let (p, t, r, c) = crops[i].0;
                let row = numbers.get(&(p, t, r)).map_or(&[][..], Vec::as_slice);
                suspect(&cell_text[&crops[i].0], c, row)
            })
            .collect();
        // A number with marks around it (`0从`, `0ZA\`: a seal, a signature or speckles over
        // the cell) is read again with digits only.
        if !noisy.is_empty() {
            let mut again = match &files {
                Some(f) if !ppocr => {
                    let list =
                        file_list(dir, "cells-digits.txt", noisy.iter().map(|&i| &f.grey[i]))?;
                    cells(&list, &["-c", &format!("tessedit_char_whitelist={DIGITS}")])?
                }
                _ => ppocr_cells(noisy.iter().map(|&i| &crops[i].1), DIGITS)?,
            };
            for (k, &i) in noisy.iter().enumerate() {
                if let Some((t, conf)) = again.remove(&(k as u32 + 1)) {
                    if digit_like(&t) && t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                        cell_text.insert(crops[i].0, t);
                        // Read again because the first reading was doubtful: never surer
                        // than that reading's doubt allows.
                        let first = cell_conf.get(&crops[i].0).copied().unwrap_or(1.0);
                        let again = (conf / 100.0).clamp(0.0, 1.0) as f32;
                        cell_conf.insert(crops[i].0, again.min(first.max(0.5)));
                    }
                }
            }
        }
    }
    let list = file_list(dir, "pages.txt", &texts)?;
    let mut page_words = recognise(&list, "3")?;
    let mut doc = Document::default();
    let mut any = !cell_text.values().all(String::is_empty);
    for (p, tables) in pages.iter().enumerate() {
        let words = page_words.remove(&(p as u32 + 1)).unwrap_or_default();
        any |= !words.is_empty();
        let tables = tables
            .iter()
            .enumerate()
            .map(|(t, table)| {
                // Pages are at DPI (a scanned PDF's rendered so): DPI / 72 pixels a point.
                PageTable::from_raster(table, 1.0, (p as u32 + 1, DPI as f64 / 72.0), |r, c| {
                    (
                        cell_text.get(&(p, t, r, c)).cloned().unwrap_or_default(),
                        cell_conf.get(&(p, t, r, c)).copied(),
                    )
                })
            })
            .collect();
        doc.blocks
            .extend(pages::blocks(words, tables, DPI as f64 / 72.0));
    }
    if !any {
        return Err(ReadError::NoText);
    }
    doc.join_page_breaks();
    Ok(doc)
}

/// Tesseract's confidence (percent) in a cell's grey reading above which it is not read
/// again in black and white.
const SURE: f64 = 90.0;

/// What a number cell may hold when it is read again with digits only.
const DIGITS: &str = "0123456789.+-";

/// The engine that reads table cells (text outside tables is always Tesseract's).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Engine {
    Tesseract,
    Ppocr,
    /// Both read every cell; where they differ, [`choose`] settles it.
    Both,
}

/// The cell engine chosen by `NIANBAO_OCR` (`tesseract`, `ppocr`, `both`); by default both
/// when the PP-OCR model is installed (the most cells right on every scan set measured, see
/// docs/accuracy.md), else Tesseract.
pub fn engine() -> Engine {
    match std::env::var("NIANBAO_OCR").as_deref() {
        Ok("ppocr") => Engine::Ppocr,
        Ok("both") => Engine::Both,
        Ok("tesseract") => Engine::Tesseract,
        _ if crate::ppocr::installed() => Engine::Both,
        _ => Engine::Tesseract,
    }
}

/// Of two engines' readings of a cell (text, confidence in percent), the one to keep: the
/// same text, surest; a number over marks (`0` over `0从`); otherwise the surer.
fn choose(a: (String, f64), b: (String, f64)) -> (String, f64) {
    let norm = |t: &str| as_number(t).unwrap_or_else(|| t.to_string());
    let (na, nb) = (norm(&a.0), norm(&b.0));
    if na == nb {
        return (na, a.1.max(b.1));
    }
    let number =
        |t: &str| !t.is_empty() && digit_like(t) && t.starts_with(|c: char| c.is_ascii_digit());
    match (number(&na), number(&nb)) {
        (true, false) if !nb.is_empty() => (na, a.1),
        (false, true) if !na.is_empty() => (nb, b.1),
        _ if b.1 > a.1 => (nb, b.1),
        _ => (na, a.1),
    }
}

/// Cell crops as files for Tesseract: each grey and black-and-white, and a list of each
/// variant (one Tesseract run reads a list).
struct CropFiles {
    grey: Vec<PathBuf>,
    grey_list: PathBuf,
}

fn write_crops(dir: &Path, crops: &[(CellId, Image)]) -> Result<CropFiles, ReadError> {
    let mut grey = Vec::new();
    for ((p, t, r, c), img) in crops {
        let path = dir.join(format!("cell-{p}-{t}-{r}-{c}.pgm"));
        std::fs::write(&path, img.to_pgm())?;
        grey.push(path);
    }
    Ok(CropFiles {
        grey_list: file_list(dir, "cells.txt", &grey)?,
        grey,
    })
}

/// Writes the crops `which` (indices into `files`) in black and white beside their grey
/// files; their paths.
fn write_bw(
    files: &CropFiles,
    crops: &[(CellId, Image)],
    which: &[usize],
) -> Result<Vec<PathBuf>, ReadError> {
    which
        .iter()
        .map(|&i| {
            let mut black = crops[i].1.clone();
            black.binarize(INK);
            let path = files.grey[i].with_extension("bw.pgm");
            std::fs::write(&path, black.to_pgm())?;
            Ok(path)
        })
        .collect()
}

/// Writes `dir/name` listing `files` one per line (Tesseract reads a list of images in one
/// run) and returns its path.
fn file_list<'a>(
    dir: &Path,
    name: &str,
    files: impl IntoIterator<Item = &'a PathBuf>,
) -> Result<PathBuf, ReadError> {
    let path = dir.join(name);
    let text: String = files
        .into_iter()
        .map(|p| p.display().to_string() + "\n")
        .collect();
    std::fs::write(&path, text)?;
    Ok(path)
}

/// PP-OCR's reading of each image, keyed like [`cells`] (1-based position → text without
/// spaces or border marks, confidence in percent); only the characters of `only` when it
/// is not empty.
fn ppocr_cells<'a>(
    images: impl Iterator<Item = &'a Image>,
    only: &str,
) -> Result<HashMap<u32, (String, f64)>, ReadError> {
    crate::ppocr::with(|rec| {
        let mut out = HashMap::new();
        for (i, img) in images.enumerate() {
            let (t, conf) = rec.cell(img, only)?;
            let t: String = t
                .chars()
                .filter(|c| !c.is_whitespace() && !BORDER_MARKS.contains(*c))
                .collect();
            out.insert(i as u32 + 1, (t, conf as f64 * 100.0));
        }
        Ok(out)
    })
}

/// Tesseract on a list of cell images: each cell's text and Tesseract's mean confidence.
fn cells(list: &Path, config: &[&str]) -> Result<HashMap<u32, (String, f64)>, ReadError> {
    let tsv = tesseract(list, "6", config)?;
    let mut out: HashMap<u32, (String, f64, usize)> = HashMap::new();
    for f in tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
    {
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let text: String = f[11..]
            .join("")
            .chars()
            .filter(|c| !c.is_whitespace() && !BORDER_MARKS.contains(*c))
            .collect();
        let (Ok(page), Ok(conf)) = (f[1].parse::<u32>(), f[10].parse::<f64>()) else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let e = out.entry(page).or_default();
        e.0.push_str(&text);
        e.1 += conf * text.chars().count() as f64;
        e.2 += text.chars().count();
    }
    Ok(out
        .into_iter()
        .map(|(k, (t, c, n))| (k, (t, c / n.max(1) as f64)))
        .collect())
}

/// Characters that are table borders read as text.
const BORDER_MARKS: &str = "|｜丨[]【】_";

/// Runs Tesseract on an image or a list of images; its TSV output.
fn tesseract(input: &Path, psm: &str, config: &[&str]) -> Result<String, ReadError> {
    let out = input.with_extension("ocr");
    let mut cmd = Command::new("tesseract");
    cmd.arg(input)
        .arg(&out)
        .args(["-l", "chi_sim", "--psm", psm])
        .args(config)
        .arg("tsv");
    let (status, err) = crate::process::run(cmd, TIMEOUT * 4, ReadError::NoOcr, "文字识别 (OCR)")?;
    if !status.success() {
        if err.contains("chi_sim") {
            return Err(ReadError::NoOcr);
        }
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("tesseract failed")
            .trim()
            .to_string();
        return Err(ReadError::Corrupt(format!(
            "图像无法识别 (cannot read image): {first}"
        )));
    }
    Ok(std::fs::read_to_string(out.with_extension("ocr.tsv"))?)
}

/// Tesseract on one image or on a list of images (a text file of paths); the words of each
/// page (1-based).
fn recognise(input: &Path, psm: &str) -> Result<HashMap<u32, Vec<Word>>, ReadError> {
    let tsv = tesseract(input, psm, &[])?;
    let mut pages: HashMap<u32, Vec<Word>> = HashMap::new();
    for w in words(&tsv) {
        pages.entry(w.page).or_default().push(w);
    }
    Ok(pages)
}

/// Words of Tesseract's TSV (the format pdftotext also writes), made to look like the
/// words of a text layer: every word takes its line's box (a lone `一` or `、` has a box of
/// its own height, far off the baseline), characters a few pixels apart join into one word,
/// an item number joins the label it numbers (`1.` is no value), and stray marks left by
/// borders are dropped.
fn words(tsv: &str) -> Vec<Word> {
    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .filter(|f: &Vec<&str>| f.len() >= 12)
        .collect();
    let num = |f: &[&str], i: usize| f[i].trim().parse::<f64>().ok();
    let id = |f: &[&str]| {
        (
            f[1].to_string(),
            f[2].to_string(),
            f[3].to_string(),
            f[4].to_string(),
        )
    };
    let lines: std::collections::HashMap<_, (f64, f64)> = rows
        .iter()
        .filter(|f| f[0] == "4")
        .filter_map(|f| Some((id(f), (num(f, 7)?, num(f, 9)?.max(1.0)))))
        .collect();
    let mut out: Vec<(Word, (String, String, String, String))> = Vec::new();
    for f in rows.iter().filter(|f| f[0] == "5") {
        let text: String = f[11..]
            .join(" ")
            .chars()
            .filter(|c| !c.is_whitespace() && !BORDER_MARKS.contains(*c))
            .collect();
        let (Some(x0), Some(width), Some(top), Some(height)) =
            (num(f, 6), num(f, 8), num(f, 7), num(f, 9))
        else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let line = id(f);
        let (y0, h) = lines.get(&line).copied().unwrap_or((top, height.max(1.0)));
        let page: u32 = f[1].parse().unwrap_or(1);
        let para = (f[3].parse().unwrap_or(0), f[2].parse().unwrap_or(0));
        let word = Word {
            page,
            para,
            x0,
            y0,
            x1: x0 + width,
            h,
            text,
        };
        if let Some((prev, prev_line)) = out.last_mut() {
            let gap = word.x0 - prev.x1;
            let numbering = is_item_number(&prev.text) && gap < 2.0 * h;
            let close = gap < 0.35 * h && !(digit_like(&prev.text) && digit_like(&word.text));
            if *prev_line == line && (numbering || close) {
                prev.text.push_str(&word.text);
                prev.x1 = word.x1;
                continue;
            }
        }
        out.push((word, line));
    }
    out.into_iter().map(|(w, _)| w).collect()
}

/// A cell Tesseract read with look-alike characters (`十1`, `工`, `O`) that is a number
/// once they are read as digits and signs: `+1`, `1`, `0`.
fn as_number(t: &str) -> Option<String> {
    if t.is_empty() || t.chars().count() > 12 {
        return None;
    }
    // A seal's or a border's remains around a number: `(0)`, `【3】`.
    let original = t;
    let t = t
        .strip_prefix(['(', '（', '【', '['])
        .and_then(|u| u.strip_suffix([')', '）', '】', ']']))
        .filter(|u| !u.is_empty() && u.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or(t);
    let mapped: String = t
        .chars()
        .enumerate()
        .map(|(i, c)| match c {
            '十' if i == 0 => '+',
            '工' | 'I' | 'l' | '|' | '丨' => '1',
            'O' | 'o' | '〇' => '0',
            '．' | '。' | '，' if i > 0 => '.',
            c => c,
        })
        .collect();
    let body = mapped.strip_prefix(['+', '-']).unwrap_or(&mapped);
    let number = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().next().is_some_and(|c| c.is_ascii_digit())
        && body.matches('.').count() <= 1;
    (number && mapped != original).then_some(mapped)
}

type CellId = (usize, usize, usize, usize);

/// A cell to read again as a number: a number with marks around it, or a short reading
/// with no digit among the numbers of a row (a seal's star read as `有`);
/// `numbers` are the columns of the cell's row that read as numbers.
fn suspect(text: &str, c: usize, numbers: &[usize]) -> bool {
    if noisy_number(text) {
        return true;
    }
    numbers.len() >= 3
        && numbers.iter().any(|&n| n < c)
        && !digit_like(text)
        && text.chars().count() <= 2
        && !text.contains(['—', '-', '/', '无', '增', '减'])
}

/// A value cell read with marks that are no digits: it starts with a digit, is no number,
/// and has at most two Chinese characters (a numbered label such as `2.重复申请` has more).
fn noisy_number(t: &str) -> bool {
    let cjk = t
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count();
    // `3.其他`: a numbered label, not a number.
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
    let numbered = rest.starts_with(['.', '、', '．'])
        && rest
            .chars()
            .nth(1)
            .is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    !numbered
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !digit_like(t)
        && cjk <= 2
        && !t.contains(['增', '减', '元', '万'])
}

fn digit_like(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_digit() || ".,+-".contains(c))
}

/// `1.`, `2、`, `（三）`: an item number printed apart from its label.
fn is_item_number(t: &str) -> bool {
    let inner = t
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）', '.', '．', '、']);
    t != inner
        && !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_engines_readings_settled() {
        let r = |t: &str, c: f64| (t.to_string(), c);
        // Agreeing (after reading `O` as 0): the surer confidence.
        assert_eq!(choose(r("0", 60.0), r("O", 90.0)), r("0", 90.0));
        // A number over the same cell read with a seal's marks.
        assert_eq!(choose(r("0从", 95.0), r("0", 70.0)), r("0", 70.0));
        // Two numbers, or nothing against something: the surer.
        assert_eq!(choose(r("8", 55.0), r("3", 97.0)), r("3", 97.0));
        assert_eq!(choose(r("", 0.0), r("12", 80.0)), r("12", 80.0));
    }

    #[test]
    fn look_alike_characters_in_number_cells() {
        assert_eq!(as_number("十工").as_deref(), Some("+1"));
        assert_eq!(as_number("1O").as_deref(), Some("10"));
        assert_eq!(as_number("12。5").as_deref(), Some("12.5"));
        assert_eq!(as_number("17"), None, "already a number");
        assert_eq!(as_number("(0)").as_deref(), Some("0"));
        assert!(noisy_number("0从") && noisy_number("0ZA\\"));
        assert!(!noisy_number("3.其他") && !noisy_number("2.重复申请") && !noisy_number("12"));
        assert_eq!(as_number("（12）").as_deref(), Some("12"));
        assert_eq!(as_number("十"), None);
        assert_eq!(as_number("规章"), None);
        assert_eq!(as_number("工作"), None);
    }

    #[test]
    fn tesseract_words_drop_border_marks_and_inner_spaces() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   4\t1\t1\t1\t1\t0\t10\t18\t400\t34\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t20\t20\t30\t91\t1.\n\
                   5\t1\t1\t1\t1\t2\t50\t20\t30\t30\t91\t予\n\
                   5\t1\t1\t1\t1\t3\t82\t30\t30\t4\t91\t一\n\
                   5\t1\t1\t1\t1\t4\t200\t20\t10\t30\t40\t|\n\
                   5\t1\t1\t1\t1\t5\t300\t20\t20\t30\t88\t14\n\
                   5\t1\t1\t1\t1\t6\t360\t20\t20\t30\t88\t0\n";
        let w = words(&tsv.replace("\t1\t1\t1\t1\t", "\t3\t1\t1\t1\t"));
        assert_eq!(
            w.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(),
            vec!["1.予一", "14", "0"]
        );
        assert_eq!(
            (w[0].page, w[0].y0, w[0].h),
            (3, 18.0, 34.0),
            "words take their line's box"
        );
    }
}
