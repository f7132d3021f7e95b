//! Reads a report file into text.
//!
//! Text reports arrive as UTF-8 (with or without BOM), GB18030/GBK and UTF-16; the
//! encoding is detected from the bytes, never asked for. Files that are not text get a
//! one-line reason instead of a panic or garbage.

mod boxes;
mod breaks;
pub mod convert;
mod decode;
pub mod deskew;
pub mod document;
pub mod docx;
pub mod glyphs;
mod glyphs_hayro;
mod glyphs_pdfium;
pub mod guard;
pub mod html;
pub mod isolate;
pub mod light;
pub mod ocr;
pub mod ofd;
pub mod package;
mod pages;
pub mod pdf;
pub mod positions;
pub mod ppocr;
pub mod print;
mod process;
pub mod raster;
mod ridges;
pub mod seal;
mod sniff;
pub mod vector;

pub use decode::{decode, decode_as, Decoded};
pub use document::{Block, Document, Grid, Laid, Place, Slot, Span, TextGrid};
pub use sniff::{sniff, Format};

use std::path::Path;

/// Largest file nianbao reads as text. Real reports are well under 1 MiB.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file could not be read, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("无法读取文件 (cannot read file): {0}")]
    Io(#[from] std::io::Error),
    #[error("空文件 (empty file)")]
    Empty,
    #[error("文件过大：{size} 字节，上限 {limit} 字节 (file too large)")]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "暂不支持 {0} 格式，请先另存为文本 (format not supported yet: {0}; save it as text first)"
    )]
    Unsupported(&'static str),
    #[error("不是文本文件：含有二进制内容 (not a text file: binary content)")]
    Binary,
    #[error("读取 .doc/.wps 需要 LibreOffice：请安装 (apt-get install libreoffice-writer-nogui) 或另存为 .docx (reading .doc/.wps needs LibreOffice: install libreoffice-writer-nogui, or save as .docx)")]
    NoConverter,
    #[error("读取 PDF 需要 poppler-utils 中的 pdftotext：请安装 (apt-get install poppler-utils) (reading PDF needs pdftotext: install poppler-utils)")]
    NoPdfTool,
    #[error("未找到 PDFium 库：请运行 scripts/fetch-pdfium，或设 NIANBAO_PDFIUM 为库所在目录（查找位置 {0}）(PDFium not installed: run scripts/fetch-pdfium)")]
    NoPdfium(String),
    #[error("PDF 没有文字层 (PDF has no text layer)")]
    NoTextLayer,
    #[error("扫描件需要文字识别：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim (apt-get install tesseract-ocr tesseract-ocr-chi-sim) (a scan needs OCR: install tesseract with its simplified-Chinese model)")]
    NoOcr,
    #[error("未找到 PP-OCR 识别模型：请运行 scripts/fetch-ppocr，或设 NIANBAO_PPOCR 为模型目录（查找位置 {0}）(PP-OCR model not installed: run scripts/fetch-ppocr)")]
    NoPpocr(String),
    #[error("无法识别：{0}")]
    Unreadable(String),
    #[error("扫描件中未识别出文字 (no text recognised in the scan)")]
    NoText,
    #[error("文件已损坏 (corrupt file): {0}")]
    Corrupt(String),
    #[error("文件已加密或设有密码，请去除密码后再读取 (encrypted or password-protected: remove the password first)")]
    Encrypted,
    #[error("压缩内容解压后超过 {0} 字节，疑似压缩炸弹，已拒绝 (inflates beyond the limit: refused as a zip bomb)")]
    Bomb(u64),
    #[error("HTML 嵌套超过 {0} 层，不像是年报网页，已拒绝 (HTML nested deeper than {0} levels: refused as hostile)")]
    TooDeep(usize),
    #[error("读取超过 {0} 秒仍未完成，已停止：文件可能已损坏或构造异常 (reading took over {0} s and was stopped: the file may be broken or hostile)")]
    TimedOut(u64),
    #[error(
        "读取所需内存超过 {0} MB 上限，已停止 (reading needed more than {0} MB and was stopped)"
    )]
    OutOfMemory(u64),
    #[error("读取进程异常终止（信号 {signal}）：所需内存可能超过 {memory_mb} MB 上限，或读取器崩溃，已跳过此文件 (the reading process died by signal {signal}: out of its {memory_mb} MB, or a reader crashed; file skipped)")]
    Died { signal: i32, memory_mb: u64 },
    #[error("{0}")]
    Other(String),
}

/// Reads and decodes a file. The size is checked before anything is loaded.
pub fn read_file(path: &Path) -> Result<Source, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(ReadError::Io(std::io::Error::other(
            "是目录而不是文件 (is a directory)",
        )));
    }
    if meta.len() > MAX_TEXT_BYTES {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: MAX_TEXT_BYTES,
        });
    }
    let bytes = std::fs::read(path)?;
    read_bytes(&bytes)
}

/// What a reader made of a file: the canonical text the extractor reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// Plain text as given, or the text written from the file's layout (paragraphs, and
    /// table rows with tab-separated cells); evidence offsets refer to this text.
    pub text: String,
    /// `text`, `html`, `docx`, `doc` (legacy Word/WPS, converted by LibreOffice), `pdf`, `ofd`,
    /// or `pdf-ocr` / `image-ocr` for scans read by OCR.
    pub format: &'static str,
    pub encoding: &'static str,
    pub lossy: bool,
    /// How far the text can be trusted: 1.0 when read from the file's text, lower when
    /// recognised from page images (OCR). Evidence of extracted values carries it.
    pub confidence: f32,
    /// The table cells' spans in `text`: for text recognised from images with the
    /// recogniser's own confidence, which evidence inside them carries instead; with their
    /// place in the file where the reader knows it.
    pub spans: Vec<Span>,
    /// The tables the reader found, as cell ranges of `text` (none for plain text).
    pub grids: Vec<TextGrid>,
}

impl Source {
    /// The confidence of text at byte `offset`: its cell's from the recogniser, else the
    /// source's.
    pub fn confidence_at(&self, offset: usize) -> f32 {
        self.span_at(offset)
            .and_then(|s| s.confidence)
            .unwrap_or(self.confidence)
    }

    /// Where the table cell holding the text at byte `offset` is in the file, if known.
    pub fn place_at(&self, offset: usize) -> Option<Place> {
        self.span_at(offset).and_then(|s| s.place)
    }

    fn span_at(&self, offset: usize) -> Option<&Span> {
        let i = self.spans.partition_point(|s| s.end <= offset);
        self.spans.get(i).filter(|s| s.start <= offset)
    }
}

/// Page `page` (1-based) of a PDF as a grey PNG at `dpi`: what a person sees of the page,
/// for showing where a cell's place is.
pub fn page_png(pdf: &[u8], page: u32, dpi: usize) -> Result<Vec<u8>, ReadError> {
    let (_, img) = pages::render_range(pdf, dpi, page, page)?
        .into_iter()
        .next()
        .ok_or_else(|| ReadError::Corrupt(format!("没有第 {page} 页 (no page {page})")))?;
    png(&grey(img)?)
}

/// Page `page` of a scanned PDF or an image as a grey PNG at `dpi`, straightened as OCR straightened
/// it, so a scan's cell boxes fall where they were read.
pub fn scan_page_png(scan: &[u8], page: u32, dpi: usize) -> Result<Vec<u8>, ReadError> {
    let (seen, _) = ocr::scan_page(scan, page)?;
    let w = (seen.w * dpi / ocr::SCAN_DPI).max(1) as u32;
    let h = (seen.h * dpi / ocr::SCAN_DPI).max(1) as u32;
    let img = grey(seen)?;
    png(&image::imageops::resize(
        &img,
        w,
        h,
        image::imageops::FilterType::Triangle,
    ))
}

/// The part of a scanned PDF's page `page` inside the box `(x0, y0, x1, y1)` (points from
/// the top-left corner, as a scan's cell places give them), as OCR read it, as a PNG.
pub fn scan_cell_png(pdf: &[u8], page: u32, b: [f64; 4]) -> Result<Vec<u8>, ReadError> {
    let (_, read) = ocr::scan_page(pdf, page)?;
    let px = |pt: f64, max: usize| ((pt.max(0.0) * ocr::SCAN_DPI as f64 / 72.0) as usize).min(max);
    let r = raster::Rect {
        x0: px(b[0], read.w),
        y0: px(b[1], read.h),
        x1: px(b[2], read.w),
        y1: px(b[3], read.h),
    };
    if r.x1 <= r.x0 || r.y1 <= r.y0 {
        return Err(ReadError::Corrupt(
            "单元格不在页面上 (the box is not on the page)".into(),
        ));
    }
    png(&grey(read.crop(r, 0))?)
}

fn grey(img: raster::Image) -> Result<image::GrayImage, ReadError> {
    image::GrayImage::from_raw(img.w as u32, img.h as u32, img.px)
        .ok_or_else(|| ReadError::Corrupt("页面图像无法读取 (unreadable page image)".into()))
}

fn png(img: &image::GrayImage) -> Result<Vec<u8>, ReadError> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| ReadError::Corrupt(e.to_string()))?;
    Ok(out.into_inner())
}

/// Reads bytes already in memory, choosing the reader from the content. Binary formats
/// (PDF, images, Word, OFD) are read in a worker process under a time and memory budget
/// once the program has [`isolate::enable`]d it; text and HTML in-process.
pub fn read_bytes(bytes: &[u8]) -> Result<Source, ReadError> {
    // Sniffed once: telling text from HTML looks through up to 256 KiB.
    let format = sniff(bytes);
    let heavy = matches!(
        format,
        Format::Pdf | Format::Zip | Format::Ole | Format::Other("PNG" | "JPEG" | "TIFF")
    );
    if heavy && isolate::enabled() {
        return isolate::read(bytes);
    }
    read_as(bytes, format)
}

/// [`read_bytes`] in this process, whatever the format.
pub fn read_in_process(bytes: &[u8]) -> Result<Source, ReadError> {
    read_as(bytes, sniff(bytes))
}

/// Reads `bytes` in this process with the reader of `format`, their sniffed format.
fn read_as(bytes: &[u8], format: Format) -> Result<Source, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let mut laid = Laid::default();
    let (decoded, format) = match format {
        Format::Text => (decode(bytes), "text"),
        Format::Html => {
            let d = html::decode_html(bytes);
            let markup = html::unescape_markup(&d.text);
            if html::depth(&markup) > html::MAX_DEPTH {
                return Err(ReadError::TooDeep(html::MAX_DEPTH));
            }
            let text = laid_out(html::document(&markup), &mut laid).text;
            (Decoded { text, ..d }, "html")
        }
        Format::Zip => {
            let mut zip = package::open(bytes)?;
            if package::has(&zip, "OFD.xml") {
                (laid_out(ofd::document(&mut zip)?, &mut laid), "ofd")
            } else {
                (docx_text(&mut zip, &mut laid)?, "docx")
            }
        }
        Format::Pdf => match pdf::document(bytes) {
            Ok(doc) => (laid_out(doc, &mut laid), "pdf"),
            Err(ReadError::NoTextLayer) => {
                (laid_out(ocr::pdf_document(bytes)?, &mut laid), "pdf-ocr")
            }
            Err(e) => return Err(e),
        },
        Format::Other("PNG" | "JPEG" | "TIFF") => (
            laid_out(ocr::image_document(bytes)?, &mut laid),
            "image-ocr",
        ),
        Format::Ole if sniff::ole_encrypted(bytes) => return Err(ReadError::Encrypted),
        Format::Ole => {
            let docx = convert::doc_to_docx(bytes)?;
            (docx_text(&mut package::open(&docx)?, &mut laid)?, "doc")
        }
        Format::Other(name) => return Err(ReadError::Unsupported(name)),
    };
    if decoded.text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    if looks_binary(&decoded.text) {
        return Err(ReadError::Binary);
    }
    let confidence = if format.ends_with("-ocr") {
        ocr::CONFIDENCE
    } else {
        1.0
    };
    Ok(Source {
        text: decoded.text,
        format,
        encoding: decoded.encoding,
        lossy: decoded.lossy,
        confidence,
        spans: laid.spans,
        grids: laid.grids,
    })
}

/// The text of a document laid out by a reader; its cells' spans (confidence, place) and
/// its tables go to `laid`.
fn laid_out(doc: Document, laid: &mut Laid) -> Decoded {
    *laid = doc.lay_out();
    Decoded {
        text: std::mem::take(&mut laid.text),
        encoding: "UTF-8",
        lossy: false,
    }
}

fn docx_text(zip: &mut package::Zip, laid: &mut Laid) -> Result<Decoded, ReadError> {
    let xml = docx::document_xml(zip)?;
    Ok(laid_out(docx::document(&xml)?, laid))
}

/// Control characters other than layout whitespace, or many replacement characters,
/// mean the bytes were not text in any encoding we know.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars().take(64 * 1024) {
        total += 1;
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}');
        if control || c == '\u{FFFD}' {
            bad += 1;
        }
    }
    total > 0 && bad * 20 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_blank_are_errors() {
        assert!(matches!(read_bytes(b""), Err(ReadError::Empty)));
        assert!(matches!(read_bytes(b" \n\t\r\n"), Err(ReadError::Empty)));
    }

    #[test]
    fn binary_garbage_is_an_error() {
        let junk: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(matches!(
            read_bytes(&junk),
            Err(ReadError::Binary | ReadError::Unsupported(_))
        ));
    }

    #[test]
    fn known_binary_formats_are_named() {
        let e = read_bytes(b"GIF89a\x01\x00").unwrap_err();
        assert_eq!(e.to_string(), "暂不支持 GIF 格式，请先另存为文本 (format not supported yet: GIF; save it as text first)");
        // PNG and JPEG are scans, read by OCR; a broken one is a one-line error.
        let e = read_bytes(b"\x89PNG\r\n\x1a\n").unwrap_err().to_string();
        assert!(e.contains("图像") || e.contains("tesseract"), "{e}");
        assert!(matches!(
            read_bytes(b"PK\x03\x04rest"),
            Err(ReadError::Corrupt(_))
        ));
    }

    #[test]
    fn hostile_html_is_refused_quickly() {
        let html = format!("<html><body>{}x", "<div>".repeat(200_000));
        assert!(matches!(
            read_bytes(html.as_bytes()),
            Err(ReadError::TooDeep(_))
        ));
    }

    #[test]
    fn html_reads_as_canonical_text() {
        let s = read_bytes("<!DOCTYPE html><html><body><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table></body></html>".as_bytes()).unwrap();
        assert_eq!(
            (s.format, s.text.as_str()),
            ("html", "一、总体情况\n规章\t0\n\n")
        );
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let e = read_file(Path::new("/nonexistent/nianbao/x.txt")).unwrap_err();
        assert!(e.to_string().starts_with("无法读取文件"));
    }
}
