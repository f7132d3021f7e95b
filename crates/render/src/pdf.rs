//! PDF: the DOCX converted by LibreOffice headless, so the PDF and the DOCX show the same
//! document.

use crate::RenderError;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(120);

pub fn docx_to_pdf(docx: &[u8]) -> Result<Vec<u8>, RenderError> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("report.docx");
    std::fs::write(&input, docx)?;
    // A private profile, so conversions can run side by side with each other and a desktop LibreOffice.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let log = std::fs::File::create(dir.path().join("soffice.log"))?;
    let mut child = Command::new("soffice")
        .arg(profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RenderError::NoLibreOffice,
            _ => RenderError::Io(e),
        })?;
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(RenderError::Pdf(format!(
                "超时 {} 秒 (timed out)",
                TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let pdf = std::fs::read(dir.path().join("report.pdf"));
    match pdf {
        Ok(bytes) if status.success() && bytes.starts_with(b"%PDF") => Ok(bytes),
        _ => {
            let err = std::fs::read_to_string(dir.path().join("soffice.log")).unwrap_or_default();
            Err(RenderError::Pdf(format!(
                "{status} {}",
                err.lines().next().unwrap_or("")
            )))
        }
    }
}
