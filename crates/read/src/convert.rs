//! Legacy binary Word/WPS files (.doc, .wps): converted to DOCX by LibreOffice headless,
//! then read by the DOCX reader.

use crate::ReadError;
use std::process::Command;
use std::time::Duration;

/// Longest a conversion may take before it is stopped.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// Converts legacy Word bytes to DOCX bytes with `soffice`, in a private temporary
/// directory and LibreOffice profile (so conversions can run side by side).
pub fn doc_to_docx(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("input.doc");
    std::fs::write(&input, bytes)?;
    let profile = dir.path().join("profile");
    let mut cmd = Command::new("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args([
        "--headless",
        "--norestore",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
    ])
    .arg(dir.path())
    .arg(&input);
    let (status, _) =
        crate::process::run(cmd, TIMEOUT, ReadError::NoConverter, "LibreOffice 转换")?;
    if !status.success() {
        return Err(ReadError::Corrupt(format!(
            "LibreOffice 转换失败 (conversion failed: {status})"
        )));
    }
    std::fs::read(dir.path().join("input.docx")).map_err(|_| {
        ReadError::Corrupt(
            "LibreOffice 未能转换此文件，可能已损坏 (LibreOffice could not convert the file)"
                .into(),
        )
    })
}
