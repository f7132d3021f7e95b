//! Writes a report in the official layout of its template (2019, 2021, or the statistics
//! form of earlier years): HTML, DOCX, and PDF (the DOCX converted by LibreOffice, so the
//! two look the same).

pub mod chart;
pub mod doc;
mod docx;
pub mod html;
mod letter;
mod pdf;

pub use doc::{document, Block, Cell, Role, Row, Table};
pub use letter::Sender;
pub use pdf::docx_to_pdf;

use nianbao_model::Report;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("无法生成 DOCX (cannot write DOCX): {0}")]
    Docx(String),
    #[error("未找到 LibreOffice (soffice)，无法生成 PDF；请安装 libreoffice-writer-nogui (LibreOffice is needed for PDF)")]
    NoLibreOffice,
    #[error("LibreOffice 转换 PDF 失败 (PDF conversion failed): {0}")]
    Pdf(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The report as an HTML page (UTF-8).
pub fn to_html(r: &Report) -> String {
    html::page(&document(r))
}

/// The report as a DOCX file.
pub fn to_docx(r: &Report) -> Result<Vec<u8>, RenderError> {
    docx::write(&document(r))
}

/// 审查意见书 on a report, as DOCX: its open findings and the filing's problems, from the
/// sender's office, dated the sender's date.
pub fn letter_docx(
    r: &Report,
    findings: &[nianbao_model::Finding],
    sender: &letter::Sender,
) -> Result<Vec<u8>, RenderError> {
    docx::write(&letter::letter(r, findings, sender))
}

/// The same letter as PDF (through LibreOffice).
pub fn letter_pdf(
    r: &Report,
    findings: &[nianbao_model::Finding],
    sender: &letter::Sender,
) -> Result<Vec<u8>, RenderError> {
    docx_to_pdf(&letter_docx(r, findings, sender)?)
}

/// Any document of blocks (an assessment, a notice) as DOCX in the reports' official layout.
pub fn blocks_docx(blocks: &[Block]) -> Result<Vec<u8>, RenderError> {
    docx::write(blocks)
}

/// The same as PDF (through LibreOffice).
pub fn blocks_pdf(blocks: &[Block]) -> Result<Vec<u8>, RenderError> {
    docx_to_pdf(&blocks_docx(blocks)?)
}

/// The report as a PDF (DOCX through LibreOffice headless).
pub fn to_pdf(r: &Report) -> Result<Vec<u8>, RenderError> {
    docx_to_pdf(&to_docx(r)?)
}
