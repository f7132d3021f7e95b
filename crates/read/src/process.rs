//! Running a helper program (LibreOffice, pdftotext) with a time limit.

use crate::ReadError;
use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Runs `cmd` to completion or until `limit`, then kills it. `missing` is the error when
/// the program is not installed. Returns the exit status and what it wrote to stderr.
pub fn run(
    mut cmd: Command,
    limit: Duration,
    missing: ReadError,
    what: &str,
) -> Result<(ExitStatus, String), ReadError> {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing),
        Err(e) => return Err(e.into()),
    };
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ReadError::Corrupt(format!(
                "{what}超过 {} 秒，已停止 ({what} timed out)",
                limit.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    Ok((status, err))
}
