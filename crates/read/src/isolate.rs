//! Reading a file in a worker process under a time and a memory budget.
//!
//! The readers of binary formats call parsers and programs nianbao did not write (hayro,
//! PDFium, poppler, Tesseract, ONNX Runtime, LibreOffice): a hostile or broken file can make
//! one loop, or allocate without end, where no timeout inside the process can stop it. A
//! program that links this crate and calls [`enable`] at start reads such files in a copy of
//! itself (`<exe> __read-worker`, answered by [`worker_main`]): the copy gets a memory limit
//! (`RLIMIT_AS`), its own process group, and a deadline; past the deadline the group —
//! helper programs included — is killed and the file gets one line saying why.
//!
//! The deadline starts at [`Budget::seconds`] (a born-digital PDF, a DOCX or an OFD reads
//! in well under a second) and is moved on by the worker itself when it reaches work that
//! takes longer by nature: [`allow`] before LibreOffice converts a `.doc`, before pages are
//! rendered for OCR and per page recognised. A file cannot ask for more: only those steps do.
//!
//! Without [`enable`] (library tests, other programs) files are read in-process as before.

use crate::{ReadError, Source};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The argument that makes the `nianbao` binary a read worker.
pub const WORKER_ARG: &str = "__read-worker";

/// How long and how much memory one file's reading may take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    /// Seconds for a file before any step asks for more (`NIANBAO_READ_SECONDS`, default 10).
    pub seconds: f64,
    /// Seconds granted per page to render and recognise a scan (`NIANBAO_READ_PAGE_SECONDS`,
    /// default 60; Tesseract and PP-OCR take 5–15 s a page on a 2-core machine).
    pub page_seconds: f64,
    /// Address space of the worker and its helpers, MiB (`NIANBAO_READ_MEMORY_MB`, default
    /// 4096; reading a scan peaks under 1 GiB).
    pub memory_mb: u64,
}

impl Budget {
    /// The budget the environment sets (the configuration file's `[readers]` section becomes
    /// these variables), else the defaults. A value that is no positive number is the default.
    pub fn from_env() -> Budget {
        fn var(name: &str, default: f64) -> f64 {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v > 0.0)
                .unwrap_or(default)
        }
        Budget {
            seconds: var("NIANBAO_READ_SECONDS", 10.0),
            page_seconds: var("NIANBAO_READ_PAGE_SECONDS", 60.0),
            memory_mb: var("NIANBAO_READ_MEMORY_MB", 4096.0) as u64,
        }
    }
}

/// The executable that answers [`WORKER_ARG`], once [`enable`]d.
static WORKER: OnceLock<PathBuf> = OnceLock::new();

/// Whether this process is a worker (its [`allow`] calls go to the parent).
static IN_WORKER: OnceLock<()> = OnceLock::new();

/// Reads binary formats in workers from now on: `exe` must call [`worker_main`] when its
/// first argument is [`WORKER_ARG`] (the `nianbao` binary does). The running executable
/// when `exe` is None; false when it cannot be found (files are then read in-process).
pub fn enable(exe: Option<PathBuf>) -> bool {
    // `NIANBAO_READ_WORKER=0`: in-process, for a debugger or a comparison.
    if std::env::var("NIANBAO_READ_WORKER").is_ok_and(|v| v.trim() == "0") {
        return false;
    }
    let Some(exe) = exe.or_else(|| std::env::current_exe().ok()) else {
        return false;
    };
    WORKER.set(exe).is_ok() || WORKER.get().is_some()
}

/// Whether files are read in workers.
pub fn enabled() -> bool {
    WORKER.get().is_some() && IN_WORKER.get().is_none()
}

/// Inside a worker: asks the parent for `seconds` more from now (see the module). Elsewhere
/// nothing.
pub(crate) fn allow(seconds: f64) {
    if IN_WORKER.get().is_some() {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "more {seconds}");
        let _ = out.flush();
    }
}

/// The seconds of the budget granted per page (see [`allow`]).
pub(crate) fn page_seconds() -> f64 {
    Budget::from_env().page_seconds
}

/// The worker: reads the file's bytes from stdin, reads them in-process, and writes the
/// result on stdout as the last line (`ok JSON` or `err JSON`). The process's exit code.
pub fn worker_main() -> std::process::ExitCode {
    let _ = IN_WORKER.set(());
    let mut bytes = Vec::new();
    if std::io::stdin().read_to_end(&mut bytes).is_err() {
        return std::process::ExitCode::from(2);
    }
    let result = crate::guard::quietly(|| crate::read_in_process(&bytes))
        .unwrap_or_else(|why| Err(ReadError::Other(crate::guard::internal_error(&why))));
    let line = match result {
        Ok(source) => format!(
            "ok {}",
            serde_json::to_string(&Wire::from(&source)).unwrap_or_default()
        ),
        Err(e) => format!(
            "err {}",
            serde_json::to_string(&WireError::from(&e)).unwrap_or_default()
        ),
    };
    let mut out = std::io::stdout().lock();
    let ok = writeln!(out, "{line}").and_then(|_| out.flush()).is_ok();
    if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(2)
    }
}

/// Reads `bytes` in a worker under [`Budget::from_env`].
pub(crate) fn read(bytes: &[u8]) -> Result<Source, ReadError> {
    let exe = WORKER.get().ok_or(ReadError::Other("no worker".into()))?;
    read_with(exe, bytes, Budget::from_env())
}

/// What the worker's stdout says.
enum Said {
    More(f64),
    Done(Result<Source, ReadError>),
}

fn read_with(exe: &PathBuf, bytes: &[u8], budget: Budget) -> Result<Source, ReadError> {
    let mut cmd = Command::new(exe);
    cmd.arg(WORKER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit(&mut cmd, budget.memory_mb);
    let mut child = cmd.spawn()?;
    let start = Instant::now();
    // The bytes go in from one thread, the lines come out to another: neither pipe can
    // fill while the other waits.
    let mut stdin = child
        .stdin
        .take()
        .ok_or(ReadError::Other("no stdin".into()))?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let stdout = child
        .stdout
        .take()
        .ok_or(ReadError::Other("no stdout".into()))?;
    let (tx, rx) = mpsc::channel::<Said>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let said = if let Some(s) = line.strip_prefix("more ") {
                Said::More(s.trim().parse().unwrap_or(0.0))
            } else if let Some(j) = line.strip_prefix("ok ") {
                Said::Done(
                    serde_json::from_str::<Wire>(j)
                        .map_err(|e| {
                            ReadError::Other(format!("读取进程输出有误 (bad worker output): {e}"))
                        })
                        .map(Source::from),
                )
            } else if let Some(j) = line.strip_prefix("err ") {
                Said::Done(Err(serde_json::from_str::<WireError>(j)
                    .map(ReadError::from)
                    .unwrap_or_else(|e| {
                        ReadError::Other(format!("读取进程输出有误 (bad worker output): {e}"))
                    })))
            } else {
                continue;
            };
            if tx.send(said).is_err() {
                break;
            }
        }
    });
    // The last lines of stderr, for a worker that dies without an answer.
    let errors = child
        .stderr
        .take()
        .map(|e| crate::process::drain(e, crate::process::Keep::Tail(16_384)));
    let mut deadline = start + Duration::from_secs_f64(budget.seconds);
    let answer = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Said::More(s)) => {
                let asked = Instant::now() + Duration::from_secs_f64(s.clamp(0.0, 86_400.0));
                deadline = deadline.max(asked);
            }
            Ok(Said::Done(result)) => break Some(result),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                kill_group(child.id());
                let _ = child.wait();
                let _ = writer.join();
                return Err(ReadError::TimedOut(
                    start.elapsed().as_secs_f64().round() as u64
                ));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break None,
        }
    };
    let status = child.wait()?;
    let _ = writer.join();
    if let Some(result) = answer {
        return result;
    }
    let tail = errors.and_then(|t| t.join().ok()).unwrap_or_default();
    if tail.contains("memory allocation of") || tail.contains("bad_alloc") {
        return Err(ReadError::OutOfMemory(budget.memory_mb));
    }
    // Killed by a signal with nothing said: an allocation that failed where no message could
    // be written (a C library's, or an allocator's own abort) looks the same as a crash.
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Err(ReadError::Died {
                signal,
                memory_mb: budget.memory_mb,
            });
        }
    }
    let last = tail
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    Err(ReadError::Other(crate::guard::internal_error(&format!(
        "读取进程异常退出 (reader process ended: {status}) {last}"
    ))))
}

/// The worker's own process group (so its helpers die with it), address-space limit, and
/// death with its parent.
fn limit(cmd: &mut Command, memory_mb: u64) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
    let bytes = memory_mb.saturating_mul(1 << 20);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Its own group does not get the terminal's Ctrl-C: it dies with its parent.
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

fn kill_group(pid: u32) {
    // SAFETY: a plain system call; the group is the worker's own (process_group(0)).
    unsafe {
        libc::kill(-(pid as libc::pid_t), libc::SIGKILL);
    }
}

/// [`Source`] as it crosses the pipe.
#[derive(Serialize, Deserialize)]
struct Wire {
    text: String,
    format: String,
    encoding: String,
    lossy: bool,
    confidence: f32,
    spans: Vec<crate::Span>,
    grids: Vec<crate::TextGrid>,
}

impl From<&Source> for Wire {
    fn from(s: &Source) -> Wire {
        Wire {
            text: s.text.clone(),
            format: s.format.to_string(),
            encoding: s.encoding.to_string(),
            lossy: s.lossy,
            confidence: s.confidence,
            spans: s.spans.clone(),
            grids: s.grids.clone(),
        }
    }
}

/// The formats a reader names (`Source::format`).
const FORMATS: [&str; 8] = [
    "text",
    "html",
    "docx",
    "doc",
    "pdf",
    "ofd",
    "pdf-ocr",
    "image-ocr",
];

impl From<Wire> for Source {
    fn from(w: Wire) -> Source {
        Source {
            text: w.text,
            format: FORMATS
                .into_iter()
                .find(|f| *f == w.format)
                .unwrap_or("unknown"),
            encoding: encoding_rs::Encoding::for_label(w.encoding.as_bytes())
                .map_or("UTF-8", |e| e.name()),
            lossy: w.lossy,
            confidence: w.confidence,
            spans: w.spans,
            grids: w.grids,
        }
    }
}

/// [`ReadError`] as it crosses the pipe: its kind and what it carries.
#[derive(Serialize, Deserialize)]
struct WireError {
    kind: String,
    text: String,
    a: u64,
    b: u64,
}

impl From<&ReadError> for WireError {
    fn from(e: &ReadError) -> WireError {
        let (kind, text, a, b) = match e {
            ReadError::Empty => ("empty", String::new(), 0, 0),
            ReadError::Binary => ("binary", String::new(), 0, 0),
            ReadError::NoConverter => ("no_converter", String::new(), 0, 0),
            ReadError::NoPdfTool => ("no_pdf_tool", String::new(), 0, 0),
            ReadError::NoTextLayer => ("no_text_layer", String::new(), 0, 0),
            ReadError::NoOcr => ("no_ocr", String::new(), 0, 0),
            ReadError::NoText => ("no_text", String::new(), 0, 0),
            ReadError::Encrypted => ("encrypted", String::new(), 0, 0),
            ReadError::NoPdfium(s) => ("no_pdfium", s.clone(), 0, 0),
            ReadError::NoPpocr(s) => ("no_ppocr", s.clone(), 0, 0),
            ReadError::Unreadable(s) => ("unreadable", s.clone(), 0, 0),
            ReadError::Corrupt(s) => ("corrupt", s.clone(), 0, 0),
            ReadError::TooLarge { size, limit } => ("too_large", String::new(), *size, *limit),
            ReadError::Bomb(n) => ("bomb", String::new(), *n, 0),
            ReadError::TooDeep(n) => ("too_deep", String::new(), *n as u64, 0),
            ReadError::TimedOut(n) => ("timed_out", String::new(), *n, 0),
            ReadError::OutOfMemory(n) => ("out_of_memory", String::new(), *n, 0),
            ReadError::Died { signal, memory_mb } => {
                ("died", String::new(), *signal as u64, *memory_mb)
            }
            ReadError::Io(e) => ("io", e.to_string(), 0, 0),
            // Unsupported's name and anything else keep their words exactly.
            other => ("other", other.to_string(), 0, 0),
        };
        WireError {
            kind: kind.to_string(),
            text,
            a,
            b,
        }
    }
}

impl From<WireError> for ReadError {
    fn from(w: WireError) -> ReadError {
        match w.kind.as_str() {
            "empty" => ReadError::Empty,
            "binary" => ReadError::Binary,
            "no_converter" => ReadError::NoConverter,
            "no_pdf_tool" => ReadError::NoPdfTool,
            "no_text_layer" => ReadError::NoTextLayer,
            "no_ocr" => ReadError::NoOcr,
            "no_text" => ReadError::NoText,
            "encrypted" => ReadError::Encrypted,
            "no_pdfium" => ReadError::NoPdfium(w.text),
            "no_ppocr" => ReadError::NoPpocr(w.text),
            "unreadable" => ReadError::Unreadable(w.text),
            "corrupt" => ReadError::Corrupt(w.text),
            "too_large" => ReadError::TooLarge {
                size: w.a,
                limit: w.b,
            },
            "bomb" => ReadError::Bomb(w.a),
            "too_deep" => ReadError::TooDeep(w.a as usize),
            "timed_out" => ReadError::TimedOut(w.a),
            "out_of_memory" => ReadError::OutOfMemory(w.a),
            "died" => ReadError::Died {
                signal: w.a as i32,
                memory_mb: w.b,
            },
            "io" => ReadError::Io(std::io::Error::other(w.text)),
            _ => ReadError::Other(w.text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_crosses_the_pipe_with_its_words() {
        let errors = [
            ReadError::Empty,
            ReadError::Encrypted,
            ReadError::Corrupt("PDF 结构损坏".into()),
            ReadError::TooLarge { size: 9, limit: 4 },
            ReadError::Bomb(7),
            ReadError::TooDeep(3),
            ReadError::TimedOut(12),
            ReadError::OutOfMemory(64),
            ReadError::Died {
                signal: 6,
                memory_mb: 64,
            },
            ReadError::Unsupported("RAR"),
            ReadError::NoPpocr("/x".into()),
        ];
        for e in errors {
            let json = serde_json::to_string(&WireError::from(&e)).unwrap();
            let back = ReadError::from(serde_json::from_str::<WireError>(&json).unwrap());
            assert_eq!(back.to_string(), e.to_string());
        }
        let io = ReadError::Io(std::io::Error::other("gone"));
        let back = ReadError::from(WireError::from(&io));
        assert_eq!(back.to_string(), "无法读取文件 (cannot read file): gone");
    }

    #[test]
    fn a_source_crosses_the_pipe_unchanged() {
        let source =
            crate::read_in_process("<table><tr><td>规章</td><td>3</td></tr></table>".as_bytes())
                .unwrap();
        let json = serde_json::to_string(&Wire::from(&source)).unwrap();
        assert_eq!(
            Source::from(serde_json::from_str::<Wire>(&json).unwrap()),
            source
        );
    }
}
