//! PDFs with a text layer: word boxes from poppler's `pdftotext -tsv` (correct CJK through
//! ToUnicode/CID fonts, run as a separate program), laid out by [`crate::positions`].

use crate::document::Document;
use crate::positions::{self, Word};
use crate::ReadError;
use std::process::Command;
use std::time::Duration;

/// Pages read at most: reports have a few dozen.
pub const MAX_PAGES: usize = 500;
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `pdftotext -tsv` on the bytes and returns its output.
fn tsv(bytes: &[u8]) -> Result<String, ReadError> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("input.pdf");
    std::fs::write(&input, bytes)?;
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-tsv", "-enc", "UTF-8", "-l", &MAX_PAGES.to_string()])
        .arg(&input)
        .arg(dir.path().join("out.tsv"));
    let (status, err) = crate::process::run(cmd, TIMEOUT, ReadError::NoPdfTool, "PDF 文本提取")?;
    if !status.success() {
        if err.contains("password") || err.contains("Encrypted") {
            return Err(ReadError::Encrypted);
        }
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("pdftotext failed")
            .trim()
            .to_string();
        return Err(ReadError::Corrupt(format!(
            "PDF 无法解析 (unreadable PDF): {first}"
        )));
    }
    Ok(std::fs::read_to_string(dir.path().join("out.tsv"))?)
}

fn words(tsv: &str) -> Vec<Word> {
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 12 || f[0] != "5" {
                return None;
            }
            let n = |i: usize| f[i].parse::<f64>().ok();
            let text = f[11..].join(" ").trim().to_string();
            (!text.is_empty()).then_some(())?;
            Some(Word {
                page: f[1].parse().ok()?,
                para: (f[3].parse().ok()?, f[2].parse().ok()?),
                x0: n(6)?,
                y0: n(7)?,
                x1: n(6)? + n(8)?,
                h: n(9)?.max(1.0),
                text,
            })
        })
        .collect()
}

/// The document: paragraphs and table rows rebuilt from the word boxes.
pub fn document(bytes: &[u8]) -> Result<Document, ReadError> {
    let words = words(&tsv(bytes)?);
    if words.is_empty() {
        return Err(ReadError::NoTextLayer);
    }
    Ok(positions::document(&words))
}
