//! PDF: the DOCX converted by LibreOffice headless, so the PDF and the DOCX show the same
//! document.

use crate::RenderError;
use nianbao_read::convert::soffice_cjk;
use nianbao_read::ReadError;

pub fn docx_to_pdf(docx: &[u8]) -> Result<Vec<u8>, RenderError> {
    match soffice_cjk(docx, "docx", "pdf:writer_pdf_Export", "pdf") {
        Ok(pdf) if pdf.starts_with(b"%PDF") => Ok(pdf),
        Ok(_) => Err(RenderError::Pdf(
            "LibreOffice 输出的不是 PDF (output is not a PDF)".into(),
        )),
        Err(ReadError::NoConverter) => Err(RenderError::NoLibreOffice),
        Err(e) => Err(RenderError::Pdf(e.to_string())),
    }
}
