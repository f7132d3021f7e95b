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
    // stderr is drained while the program runs: one that reports more than a pipe holds
    // (poppler prints a line per damaged object: 89 KB for 50 MB of noise) would otherwise
    // block on it until the limit. The first 64 KiB are kept.
    let errors = child.stderr.take().map(|e| drain(e, Keep::Head(KEPT)));
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
    let err = errors.and_then(|t| t.join().ok()).unwrap_or_default();
    Ok((status, err))
}

/// Bytes of a helper's stderr kept for its error message.
const KEPT: usize = 64 * 1024;

/// Which part of a stream [`drain`] keeps.
#[derive(Clone, Copy)]
pub(crate) enum Keep {
    /// The first bytes (a program's error message comes first).
    Head(usize),
    /// The last bytes (what a process said before it died).
    Tail(usize),
}

/// Reads `stream` to its end on a thread of its own, so the writer never blocks on a full
/// pipe; the part `keep` says, as text.
pub(crate) fn drain(
    mut stream: impl Read + Send + 'static,
    keep: Keep,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            match keep {
                Keep::Head(max) => {
                    let room = max.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
                Keep::Tail(max) => {
                    kept.extend_from_slice(&buf[..n]);
                    if kept.len() > max {
                        kept.drain(..kept.len() - max);
                    }
                }
            }
        }
        String::from_utf8_lossy(&kept).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_that_writes_much_to_stderr_is_not_blocked_by_it() {
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            "head -c 300000 /dev/zero | tr '\\0' x >&2; echo done >&2",
        ]);
        let missing = ReadError::NoPdfTool;
        let (status, err) = run(cmd, Duration::from_secs(20), missing, "sh").unwrap();
        assert!(status.success());
        assert_eq!(err.len(), KEPT);
        assert!(err.bytes().all(|b| b == b'x'));
    }

    #[test]
    fn a_drained_tail_is_the_last_bytes() {
        let text: Vec<u8> = (0..20_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let tail = drain(std::io::Cursor::new(text.clone()), Keep::Tail(100))
            .join()
            .unwrap();
        assert_eq!(tail.as_bytes(), &text[text.len() - 100..]);
    }
}
