//! LibreOffice headless conversions: legacy binary Word/WPS files (.doc, .wps) to DOCX for
//! the DOCX reader, and (for `nianbao-render`) DOCX to PDF.

use crate::ReadError;
use std::process::Command;
use std::time::Duration;

/// Longest a conversion may take before it is stopped.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// Converts legacy Word bytes to DOCX bytes.
pub fn doc_to_docx(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    soffice(bytes, "doc", "docx:MS Word 2007 XML", "docx")
}

/// Converts a file's bytes (extension `from`) with `soffice --convert-to FILTER` into the
/// bytes of the `to` file, in a private temporary directory and LibreOffice profile (so
/// conversions can run side by side with each other and a desktop LibreOffice). Without
/// LibreOffice: [`ReadError::NoConverter`].
pub fn soffice(bytes: &[u8], from: &str, filter: &str, to: &str) -> Result<Vec<u8>, ReadError> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join(format!("input.{from}"));
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
        filter,
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
    std::fs::read(dir.path().join(format!("input.{to}"))).map_err(|_| {
        ReadError::Corrupt(
            "LibreOffice 未能转换此文件，可能已损坏 (LibreOffice could not convert the file)"
                .into(),
        )
    })
}
