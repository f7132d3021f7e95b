//! Scanned reports: pages rendered by poppler's `pdftoppm` (300 dpi, grey), table ruling
//! lines removed, then Tesseract with its simplified-Chinese model (`--psm 3`, TSV word
//! boxes). The word boxes go through the same layout rebuilding as a PDF text layer.
//!
//! Ruling lines matter: Tesseract reads a cell border beside a digit as `1` or `|`
//! (`4` → `14`), so long horizontal and vertical dark runs are painted white first.

use crate::document::Document;
use crate::positions::{self, Word};
use crate::ReadError;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Pages of a scan read at most: OCR costs seconds per page, and reports have a few.
pub const MAX_PAGES: usize = 40;
const DPI: u32 = 300;
const PAGE_TIMEOUT: Duration = Duration::from_secs(180);
/// Confidence carried by every value read from a scan (a text layer gives 1.0).
pub const CONFIDENCE: f32 = 0.8;

/// OCR of a PDF without a text layer.
pub fn pdf_document(bytes: &[u8]) -> Result<Document, ReadError> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("scan.pdf");
    std::fs::write(&input, bytes)?;
    let mut cmd = Command::new("pdftoppm");
    cmd.args(["-r", &DPI.to_string(), "-gray", "-l", &MAX_PAGES.to_string()]).arg(&input).arg(dir.path().join("page"));
    let (status, err) = crate::process::run(cmd, PAGE_TIMEOUT * 2, ReadError::NoPdfTool, "PDF 页面渲染")?;
    if !status.success() {
        let first = err.lines().next().unwrap_or("pdftoppm failed").trim().to_string();
        return Err(ReadError::Corrupt(format!("PDF 无法渲染 (cannot render PDF): {first}")));
    }
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pgm"))
        .collect();
    pages.sort();
    let mut words = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let pgm = std::fs::read(page)?;
        if let Some(clean) = remove_lines(&pgm) {
            std::fs::write(page, clean)?;
        }
        words.extend(recognise(page, i as u32 + 1)?);
    }
    layout(words)
}

/// OCR of a PNG or JPEG image (one page).
pub fn image_document(bytes: &[u8], extension: &str) -> Result<Document, ReadError> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join(format!("scan.{extension}"));
    std::fs::write(&input, bytes)?;
    layout(recognise(&input, 1)?)
}

fn layout(words: Vec<Word>) -> Result<Document, ReadError> {
    if words.is_empty() {
        return Err(ReadError::NoText);
    }
    Ok(positions::document(&words))
}

/// Tesseract on one page image; its words.
fn recognise(image: &Path, page: u32) -> Result<Vec<Word>, ReadError> {
    let out = image.with_extension("ocr");
    let mut cmd = Command::new("tesseract");
    let psm = std::env::var("NIANBAO_OCR_PSM").unwrap_or_else(|_| "3".into());
    cmd.arg(image).arg(&out).args(["-l", "chi_sim", "--psm", &psm, "tsv"]);
    let (status, err) = crate::process::run(cmd, PAGE_TIMEOUT, ReadError::NoOcr, "文字识别 (OCR)")?;
    if !status.success() {
        if err.contains("chi_sim") {
            return Err(ReadError::NoOcr);
        }
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("tesseract failed").trim().to_string();
        return Err(ReadError::Corrupt(format!("图像无法识别 (cannot read image): {first}")));
    }
    let tsv = std::fs::read_to_string(out.with_extension("ocr.tsv"))?;
    Ok(words(&tsv, page))
}

/// Words of Tesseract's TSV (the format pdftotext also writes), made to look like the
/// words of a text layer: every word takes its line's box (a lone `一` or `、` has a box of
/// its own height, far off the baseline), characters a few pixels apart join into one word,
/// an item number joins the label it numbers (`1.` is no value), and stray marks left by
/// borders are dropped.
fn words(tsv: &str, page: u32) -> Vec<Word> {
    let rows: Vec<Vec<&str>> = tsv.lines().skip(1).map(|l| l.split('\t').collect()).filter(|f: &Vec<&str>| f.len() >= 12).collect();
    let num = |f: &[&str], i: usize| f[i].trim().parse::<f64>().ok();
    let id = |f: &[&str]| (f[2].to_string(), f[3].to_string(), f[4].to_string());
    let lines: std::collections::HashMap<_, (f64, f64)> = rows
        .iter()
        .filter(|f| f[0] == "4")
        .filter_map(|f| Some((id(f), (num(f, 7)?, num(f, 9)?.max(1.0)))))
        .collect();
    let mut out: Vec<(Word, (String, String, String))> = Vec::new();
    for f in rows.iter().filter(|f| f[0] == "5") {
        let text: String = f[11..].join(" ").chars().filter(|c| !c.is_whitespace() && !"|｜丨[]【】_".contains(*c)).collect();
        let (Some(x0), Some(width), Some(top), Some(height)) = (num(f, 6), num(f, 8), num(f, 7), num(f, 9)) else { continue };
        if text.is_empty() {
            continue;
        }
        let line = id(f);
        let (y0, h) = lines.get(&line).copied().unwrap_or((top, height.max(1.0)));
        let para = (f[3].parse().unwrap_or(0), f[2].parse().unwrap_or(0));
        let word = Word { page, para, x0, y0, x1: x0 + width, h, text };
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

fn digit_like(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_digit() || ".,+-".contains(c))
}

/// `1.`, `2、`, `（三）`: an item number printed apart from its label.
fn is_item_number(t: &str) -> bool {
    let inner = t.trim_start_matches(['(', '（']).trim_end_matches([')', '）', '.', '．', '、']);
    t != inner && !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
}

/// Paints table ruling lines white in a binary PGM (P5, 8-bit) page: horizontal dark runs
/// longer than any character stroke, and vertical runs longer than a line of text.
/// None when the bytes are not such a PGM.
pub fn remove_lines(pgm: &[u8]) -> Option<Vec<u8>> {
    let (w, h, start) = pgm_header(pgm)?;
    if pgm.len() < start + w * h {
        return None;
    }
    let mut out = pgm.to_vec();
    let px = &pgm[start..start + w * h];
    let dark = |x: usize, y: usize| px[y * w + x] < 140;
    let min_h = (DPI as usize) / 3; // a third of an inch: 100 px
    let min_v = (DPI as usize) / 4; // a quarter of an inch: 75 px
    for y in 0..h {
        let mut x = 0;
        while x < w {
            if dark(x, y) {
                let s = x;
                while x < w && dark(x, y) {
                    x += 1;
                }
                if x - s >= min_h {
                    out[start + y * w + s..start + y * w + x].fill(255);
                }
            } else {
                x += 1;
            }
        }
    }
    for x in 0..w {
        let mut y = 0;
        while y < h {
            if dark(x, y) {
                let s = y;
                while y < h && dark(x, y) {
                    y += 1;
                }
                if y - s >= min_v {
                    for yy in s..y {
                        out[start + yy * w + x] = 255;
                    }
                }
            } else {
                y += 1;
            }
        }
    }
    Some(out)
}

/// Width, height and data offset of a P5 PGM with maxval 255.
fn pgm_header(b: &[u8]) -> Option<(usize, usize, usize)> {
    if !b.starts_with(b"P5") {
        return None;
    }
    let mut fields = Vec::new();
    let mut i = 2;
    while fields.len() < 3 {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) == Some(&b'#') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        fields.push(std::str::from_utf8(&b[s..i]).ok()?.parse::<usize>().ok()?);
    }
    let (w, h, max) = (fields[0], fields[1], fields[2]);
    (max == 255 && w > 0 && h > 0 && w.checked_mul(h)? < 200_000_000).then_some((w, h, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruling_lines_are_removed_and_strokes_kept() {
        let (w, h) = (400, 300);
        let mut px = vec![255u8; w * h];
        for x in 10..390 {
            px[50 * w + x] = 0; // a table border
        }
        for y in 20..280 {
            px[y * w + 200] = 0; // a column border
        }
        for x in 100..130 {
            px[150 * w + x] = 0; // the stroke of 一
        }
        let mut pgm = format!("P5\n{w} {h}\n255\n").into_bytes();
        pgm.extend(&px);
        let out = remove_lines(&pgm).unwrap();
        let data = &out[out.len() - w * h..];
        assert!(data[50 * w..51 * w].iter().all(|&p| p == 255));
        assert!((20..280).all(|y| data[y * w + 200] == 255));
        assert!((100..130).all(|x| data[150 * w + x] == 0));
        assert!(remove_lines(b"P6\n1 1\n255\n\0\0\0").is_none());
        assert!(remove_lines(b"P5\n99999 99999\n255\n").is_none());
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
        let w = words(tsv, 3);
        assert_eq!(w.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), vec!["1.予一", "14", "0"]);
        assert_eq!((w[0].page, w[0].y0, w[0].h), (3, 18.0, 34.0), "words take their line's box");
    }
}
