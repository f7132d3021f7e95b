//! Batch ingest: files, directories and zip archives → the store.
//!
//! Reading and extraction run on all cores; one writer stores each report in its own
//! transaction, in input order (see `reorder`). Inputs stream through a bounded channel and
//! a bounded reorder buffer, so memory does not grow with the size of the batch. A file that cannot be read is reported with its reason and the
//! batch goes on.

use crate::reorder::Reorder;
use crate::store::{Parsed, Saved};
use crate::{Store, StoreError};
use rayon::iter::{ParallelBridge, ParallelIterator};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Extensions taken when walking a directory; a file named on the command line is read
/// whatever its name (the reader is chosen from the content).
const REPORT_EXTENSIONS: [&str; 19] = [
    "txt", "text", "md", "markdown", "htm", "html", "shtml", "xhtml", "doc", "docx", "wps", "pdf",
    "ofd", "zip", "png", "jpg", "jpeg", "tif", "tiff",
];
/// Entries an archive may hold; more is refused as a bomb.
const MAX_ARCHIVE_ENTRIES: usize = 1_000_000;

/// What happened to one input.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Saved(Saved),
    Failed(String),
    /// An archive member that is no report (by its extension), with the reason.
    Skipped(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub read: usize,
    pub new: usize,
    pub versions: usize,
    pub unchanged: usize,
    /// (input, one-line reason)
    pub failed: Vec<(String, String)>,
    /// Archive members passed over: (member, reason).
    pub skipped: Vec<(String, String)>,
}

impl Summary {
    /// Counts one file's outcome (its `read` is counted by the caller).
    pub(crate) fn count(&mut self, name: &str, outcome: &Outcome) {
        match outcome {
            Outcome::Saved(Saved::New) => self.new += 1,
            Outcome::Saved(Saved::NewVersion | Saved::Held) => self.versions += 1,
            Outcome::Saved(Saved::Unchanged) => self.unchanged += 1,
            Outcome::Failed(reason) => self.failed.push((name.to_string(), reason.clone())),
            Outcome::Skipped(reason) => {
                self.read -= 1;
                self.skipped.push((name.to_string(), reason.clone()))
            }
        }
    }
}

impl Summary {
    pub fn line_zh_en(&self) -> String {
        format!(
            "读取 {} 个文件：新增 {}，新版本 {}，未变 {}，失败 {}{} (read {}: new {}, new versions {}, unchanged {}, failed {}{})",
            self.read, self.new, self.versions, self.unchanged, self.failed.len(),
            if self.skipped.is_empty() { String::new() } else { format!("，跳过压缩包中非报告文件 {}", self.skipped.len()) },
            self.read, self.new, self.versions, self.unchanged, self.failed.len(),
            if self.skipped.is_empty() { String::new() } else { format!(", skipped {} archive members that are not reports", self.skipped.len()) },
        )
    }
}

/// One unit of work: a file on disk, or an entry already read out of an archive.
pub(crate) enum Job {
    File(PathBuf, String),
    Entry(String, Result<Vec<u8>, String>),
    Error(String, String),
    Skip(String, String),
}

/// Counts the inputs a run will see (for the progress bar): files, plus archive entries.
pub fn count(paths: &[PathBuf]) -> usize {
    walk(paths)
        .map(|p| if is_archive(&p) { archive_len(&p) } else { 1 })
        .sum()
}

/// How inputs are named in the store and in messages: their path, or (uploads) their
/// path below a private directory under a label.
#[derive(Clone, Default)]
pub(crate) struct Names(Option<(PathBuf, String)>);

impl Names {
    fn of(&self, p: &Path) -> String {
        match &self.0 {
            Some((base, label)) => match p.strip_prefix(base) {
                Ok(rel) => format!("{label}{}", rel.display()),
                Err(_) => p.display().to_string(),
            },
            None => p.display().to_string(),
        }
    }
}

/// Ingests every input; `progress` is called once per input, from the writer thread.
pub fn ingest(
    store: &mut Store,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(&str, &Outcome),
) -> Result<Summary, StoreError> {
    run(store, paths, Names::default(), progress)
}

/// Ingests the files saved in `dir` (uploads), naming each `label` + its name in `dir`.
/// Each was chosen by a person, so each is read whatever its name, and one that is no
/// report gets the reader's reason.
pub fn ingest_dir_as(
    store: &mut Store,
    dir: &Path,
    label: &str,
    progress: &mut dyn FnMut(&str, &Outcome),
) -> Result<Summary, StoreError> {
    let names = Names(Some((dir.to_path_buf(), label.to_string())));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| StoreError::Io(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    run(store, &files, names, progress)
}

/// Reports written in one transaction at most (SQLite): a killed ingest loses at most these,
/// and the next run stores them again (they are known by their hash only once stored).
const BATCH: usize = 64;

fn run(
    store: &mut Store,
    paths: &[PathBuf],
    names: Names,
    progress: &mut dyn FnMut(&str, &Outcome),
) -> Result<Summary, StoreError> {
    // Finish the cross-year work of an earlier run that was interrupted.
    store.refresh_cross()?;
    let known = store.hashes()?;
    let mut summary = Summary::default();
    // Room for a few batches: the readers go on while the writer waits on the disk (a WAL
    // checkpoint's fsync), instead of stopping after a handful of reports.
    let (tx, rx) = mpsc::sync_channel::<(usize, Item)>(4 * BATCH);
    let mut fatal = None;
    std::thread::scope(|scope| {
        let known = &known;
        let loaded = prefetch(scope, jobs(paths, names.clone()).enumerate());
        scope.spawn(move || {
            loaded
                .into_iter()
                .par_bridge()
                .for_each_with(tx, |tx, (seq, job)| {
                    let _ = tx.send((seq, work(job, known)));
                });
        });
        // Stored in input order (two versions of an agency-year numbered as given), the
        // reports ready together written together (see `Store::save_batch`).
        let mut order = Reorder::new(REORDER_BYTES);
        let mut ended = false;
        while !(ended && order.is_empty()) {
            if !ended {
                match rx.recv() {
                    Ok((seq, item)) => {
                        let bytes = size(&item);
                        order.insert(seq, item, bytes);
                        while order.len() < 4 * BATCH {
                            let Ok((seq, item)) = rx.try_recv() else {
                                break;
                            };
                            let bytes = size(&item);
                            order.insert(seq, item, bytes);
                        }
                    }
                    Err(_) => ended = true,
                }
            }
            let items = order.take(BATCH, ended);
            if items.is_empty() {
                continue;
            }
            let parsed: Vec<&Parsed> = items.iter().filter_map(|(_, r)| r.as_ref().ok()).collect();
            let (saved, error) = if fatal.is_none() && !parsed.is_empty() {
                store.save_batch(&parsed)
            } else {
                (Vec::new(), None)
            };
            if fatal.is_none() {
                fatal = error;
            }
            let mut saved = saved.into_iter();
            for (name, result) in items {
                summary.read += 1;
                let outcome = match result {
                    Ok(_) => match saved.next() {
                        Some(s) => Outcome::Saved(s),
                        // A store that fails is not a bad file: stop writing, drain the rest.
                        None => continue,
                    },
                    Err(o) => o,
                };
                summary.count(&name, &outcome);
                progress(&name, &outcome);
            }
        }
    });
    if let Some(e) = fatal {
        return Err(e);
    }
    store.refresh_cross()?;
    Ok(summary)
}

/// A file's name and what reading it gave.
type Item = (String, Result<Parsed, Outcome>);

/// Reports held back at most, waiting for one read earlier in the input (see `reorder`).
const REORDER_BYTES: usize = 256 << 20;

/// What an item holds in memory, roughly.
fn size(item: &Item) -> usize {
    match &item.1 {
        Ok(p) => p.text.len() + p.cells.len() + p.original.as_ref().map_or(0, Vec::len) + 1024,
        Err(_) => 256,
    }
}

/// Threads that read files while the cores extract: a file not in the page cache waits on
/// the disk, and with one read per core the cores waited with it (100 000 reports: 73 s
/// with cold files, 43–52 s warm). Reads run ahead by a few files, not more, so memory
/// stays bounded by `READERS` files besides those being extracted.
const READERS: usize = 8;

/// The jobs with every file's bytes read (`Job::Entry`), by [`READERS`] threads of `scope`.
fn prefetch<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    jobs: impl Iterator<Item = (usize, Job)> + Send + 'scope,
) -> mpsc::Receiver<(usize, Job)> {
    let (tx, rx) = mpsc::sync_channel::<(usize, Job)>(READERS);
    let jobs = std::sync::Arc::new(std::sync::Mutex::new(jobs));
    for _ in 0..READERS {
        let (tx, jobs) = (tx.clone(), jobs.clone());
        scope.spawn(move || loop {
            let job = match jobs.lock() {
                Ok(mut jobs) => jobs.next(),
                Err(_) => None,
            };
            let job = match job {
                None => break,
                Some((seq, Job::File(path, name))) => (seq, Job::Entry(name, read_limited(&path))),
                Some(other) => other,
            };
            if tx.send(job).is_err() {
                break;
            }
        });
    }
    rx
}

pub(crate) fn work(job: Job, known: &HashSet<String>) -> (String, Result<Parsed, Outcome>) {
    let (name, bytes) = match job {
        Job::File(path, name) => {
            let bytes = read_limited(&path);
            (name, bytes)
        }
        Job::Entry(name, bytes) => (name, bytes),
        Job::Error(name, reason) => return (name, Err(Outcome::Failed(reason))),
        Job::Skip(name, reason) => return (name, Err(Outcome::Skipped(reason))),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(reason) => return (name, Err(Outcome::Failed(reason))),
    };
    let hash = hex(&Sha256::digest(&bytes));
    if known.contains(&hash) {
        return (name, Err(Outcome::Saved(Saved::Unchanged)));
    }
    // The readers and extractor are fuzzed not to panic; this keeps a batch alive if one
    // ever does.
    let parsed = match nianbao_read::guard::quietly(|| parse(&name, hash, &bytes)) {
        Ok(parsed) => parsed.map_err(|e| e.to_string()),
        Err(why) => Err(nianbao_read::guard::internal_error(&why)),
    };
    (name.clone(), parsed.map_err(Outcome::Failed))
}

/// Reads, extracts and checks one file's bytes, as ingest does (for reports made in the
/// web form and stored without a file on disk).
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Parsed, ParseError> {
    parse(name, hex(&Sha256::digest(bytes)), bytes)
}

/// A report typed into the web form, ready to store as typed: no file is read and nothing
/// extracted — its cells are what was typed (a blank stays blank, 0 stays 0). `text` is the
/// report as the official page shows it (the source people see and search); `findings` are
/// every check's and the form's own (cells left blank).
pub fn typed(
    name: &str,
    report: nianbao_model::Report,
    text: String,
    form: Vec<nianbao_model::Finding>,
) -> Parsed {
    let mut findings = nianbao_check::findings(&report);
    findings.extend(form);
    // The same typing stored twice is the same report; anything else is a new version.
    let json = nianbao_model::json::to_json(name, "form", &report, &[]).to_string();
    let hash = hex(&Sha256::digest(json.as_bytes()));
    Parsed {
        path: name.to_string(),
        hash,
        format: "form".to_string(),
        text,
        cells: crate::cellset::encode(&report.cells),
        report,
        findings,
        original: None,
    }
}

pub use nianbao_pipeline::ParseError;

fn parse(name: &str, hash: String, bytes: &[u8]) -> Result<Parsed, ParseError> {
    let (source, report, findings) = nianbao_pipeline::read(name, bytes)?;
    // Plain text is its own text; other files are kept to be seen and downloaded (a web
    // page for its tables as published).
    let kept = source.format != "text";
    Ok(Parsed {
        path: name.to_string(),
        hash,
        format: source.format.to_string(),
        text: source.text,
        cells: crate::cellset::encode(&report.cells),
        report,
        findings,
        original: kept.then(|| bytes.to_vec()),
    })
}

fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let limit = nianbao_read::MAX_TEXT_BYTES;
    let meta =
        std::fs::metadata(path).map_err(|e| format!("无法读取文件 (cannot read file): {e}"))?;
    if meta.len() > limit {
        return Err(nianbao_read::ReadError::TooLarge {
            size: meta.len(),
            limit,
        }
        .to_string());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("无法读取文件 (cannot read file): {e}"))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under the inputs, directories streamed as the file system lists them (not
/// sorted: a directory of any size costs no memory; the batch is parallel anyway).
pub(crate) fn walk(paths: &[PathBuf]) -> Walk {
    Walk {
        named: paths.to_vec().into_iter(),
        dirs: Vec::new(),
    }
}

pub(crate) struct Walk {
    /// Paths the user named: taken whatever their extension.
    named: std::vec::IntoIter<PathBuf>,
    /// The open directories, innermost last.
    dirs: Vec<std::fs::ReadDir>,
}

impl Iterator for Walk {
    type Item = PathBuf;

    fn next(&mut self) -> Option<PathBuf> {
        loop {
            let (path, named) = match self.dirs.last_mut() {
                Some(dir) => match dir.next() {
                    Some(Ok(entry)) => (entry.path(), false),
                    Some(Err(_)) => continue,
                    None => {
                        self.dirs.pop();
                        continue;
                    }
                },
                None => (self.named.next()?, true),
            };
            let hidden = !named
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                match std::fs::read_dir(&path) {
                    Ok(entries) => self.dirs.push(entries),
                    // An unreadable directory is passed on, to be reported with its reason.
                    Err(_) => return Some(path),
                }
            } else if named || has_report_extension(&path) {
                return Some(path);
            }
        }
    }
}

fn has_report_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| REPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A zip that is neither a DOCX nor an OFD package is an archive of reports.
fn is_archive(path: &Path) -> bool {
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut magic = [0u8; 4];
    if f.read_exact(&mut magic).is_err() || &magic != b"PK\x03\x04" {
        return false;
    }
    match zip::ZipArchive::new(f) {
        Ok(z) => !z.file_names().any(|n| {
            matches!(
                n.as_deref(),
                Ok("word/document.xml" | "OFD.xml" | "[Content_Types].xml")
            )
        }),
        Err(_) => false,
    }
}

fn archive_len(path: &Path) -> usize {
    std::fs::File::open(path)
        .ok()
        .and_then(|f| zip::ZipArchive::new(f).ok())
        .map_or(1, |z| z.len().min(MAX_ARCHIVE_ENTRIES))
}

/// Files become jobs; archives are opened here and their entries read one by one.
pub(crate) fn jobs(paths: &[PathBuf], names: Names) -> impl Iterator<Item = Job> + Send {
    walk(paths).flat_map(move |p| -> Box<dyn Iterator<Item = Job> + Send> {
        let name = names.of(&p);
        if is_archive(&p) {
            Box::new(archive_jobs(p, name))
        } else {
            Box::new(std::iter::once(Job::File(p, name)))
        }
    })
}

fn archive_jobs(path: PathBuf, name: String) -> impl Iterator<Item = Job> + Send {
    let archive = std::fs::File::open(&path)
        .map_err(|e| e.to_string())
        .and_then(|f| zip::ZipArchive::new(f).map_err(|e| e.to_string()));
    zip_jobs(archive, name)
}

/// Reads, extracts and checks each report of a ZIP archive held in memory (an attachment
/// collected from a portal), as ingest reads an archive on disk: members named, unsafe
/// paths and bombs refused, files of other types skipped.
pub fn parse_archive(name: &str, bytes: Vec<u8>) -> Vec<(String, Result<Parsed, String>)> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string());
    let none = HashSet::new();
    zip_jobs(archive, name.to_string())
        .filter(|j| !matches!(j, Job::Skip(..)))
        .map(|job| {
            let (name, r) = work(job, &none);
            (
                name,
                r.map_err(|o| match o {
                    Outcome::Failed(why) | Outcome::Skipped(why) => why,
                    _ => String::new(),
                }),
            )
        })
        .collect()
}

fn zip_jobs<R: std::io::Read + std::io::Seek + Send + 'static>(
    archive: Result<zip::ZipArchive<R>, String>,
    name: String,
) -> Box<dyn Iterator<Item = Job> + Send> {
    let mut archive = match archive {
        Ok(a) if a.len() > MAX_ARCHIVE_ENTRIES => {
            return Box::new(std::iter::once(Job::Error(
                name,
                format!("压缩包条目过多 (too many entries: more than {MAX_ARCHIVE_ENTRIES})"),
            ))) as Box<dyn Iterator<Item = Job> + Send>
        }
        Ok(a) => a,
        Err(e) => {
            return Box::new(std::iter::once(Job::Error(
                name,
                format!("压缩包已损坏 (broken zip archive): {e}"),
            )))
        }
    };
    let limit = nianbao_read::MAX_TEXT_BYTES;
    Box::new((0..archive.len()).filter_map(move |i| {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                return Some(Job::Error(
                    format!("{name}!#{i}"),
                    format!("压缩包条目无法读取 (unreadable entry): {e}"),
                ))
            }
        };
        if entry.is_dir() {
            return None;
        }
        let raw = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(e) => {
                return Some(Job::Error(
                    format!("{name}!#{i}"),
                    format!("压缩包条目名无法解码 (undecodable entry name): {e}"),
                ))
            }
        };
        let label = format!("{name}!/{raw}");
        if entry.enclosed_name().is_none() {
            return Some(Job::Error(
                label,
                "压缩包条目路径不安全，已拒绝 (unsafe path in archive; refused)".into(),
            ));
        }
        if !has_report_extension(Path::new(&raw)) {
            return Some(Job::Skip(
                label,
                "不是年报文件类型（按扩展名），已跳过 (not a report file type by its extension; skipped)".into(),
            ));
        }
        if entry.size() > limit {
            return Some(Job::Error(
                label,
                nianbao_read::ReadError::TooLarge {
                    size: entry.size(),
                    limit,
                }
                .to_string(),
            ));
        }
        // The declared size can lie (a bomb): read at most one byte past the limit.
        let mut bytes = Vec::new();
        let read = (&mut entry).take(limit + 1).read_to_end(&mut bytes);
        Some(Job::Entry(
            label,
            match read {
                Err(e) => Err(format!("压缩包条目无法解压 (cannot decompress entry): {e}")),
                Ok(_) if bytes.len() as u64 > limit => Err(nianbao_read::ReadError::TooLarge {
                    size: bytes.len() as u64,
                    limit,
                }
                .to_string()),
                Ok(_) => Ok(bytes),
            },
        ))
    }))
}
