//! Every PDF, image and Word file is read in a worker process under a time and a memory
//! budget (crates/read/src/isolate.rs): a file that makes a reader or its helper program
//! hang, or allocate without end, is stopped with one line naming it, its helpers die
//! with it, and the batch goes on. (That scans, which take longer than the budget's first
//! 10 s, still read in full is shown by the scan families of `variants.rs`, which run
//! under the default budget.)

mod common;

use common::{run_extract, seed, variants};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `nianbao extract FILES` with `env` and every reader budget variable otherwise unset,
/// temporary files under `tmp`: the JSON lines, stderr, the exit code.
fn extract(files: &[&Path], env: &[(&str, &str)], tmp: &Path) -> (Vec<Value>, String, i32) {
    run_extract(files, |cmd| {
        cmd.env_remove("NIANBAO_READ_SECONDS")
            .env_remove("NIANBAO_READ_PAGE_SECONDS")
            .env_remove("NIANBAO_READ_MEMORY_MB")
            .env_remove("NIANBAO_READ_WORKER")
            .env("TMPDIR", tmp)
            .envs(env.iter().copied());
    })
}

/// The stamped, skewed scan every budget test reads.
fn scan() -> PathBuf {
    variants().join("scan/000_ea60ae7e2efea9c4.pdf")
}

/// Processes whose command line mentions `dir` (helpers left running there).
fn processes_in(dir: &Path) -> Vec<String> {
    let needle = dir.display().to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(&needle))
        .collect()
}

/// 50 MB of noise behind a PDF header and an opening `<`: poppler's `pdftotext` reports
/// every byte of the "hex string" on stderr (GBs of it), which blocked the pipe until its
/// 120 s limit before stderr was drained. Refused within the 10 s budget now, with one
/// line, `pdftotext` stopped, and the batch goes on.
#[test]
fn a_junk_pdf_is_refused_in_seconds_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.pdf");
    let mut bytes = b"%PDF-1.4\n<".to_vec();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    bytes.extend((0..50_000_000).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        match (x >> 24) as u8 {
            b'>' => b'x',
            b => b,
        }
    }));
    std::fs::write(&junk, &bytes).unwrap();
    let good = seed("002_3bceb6a2129e3845.txt");
    let start = Instant::now();
    let (lines, err, code) = extract(&[&junk, &good], &[], dir.path());
    let took = start.elapsed().as_secs_f64();
    assert_eq!(code, 2);
    // Poppler needs about half a second per MB of it: on this machine the budget stops
    // it at 10 s; a faster one may finish first and find no PDF.
    let why = lines[0]["error"].as_str().unwrap();
    assert!(
        [
            "读取超过 10 秒仍未完成，已停止：文件可能已损坏或构造异常 (reading took over 10 s and was stopped: the file may be broken or hostile)",
            "文件已损坏 (corrupt file): PDF 结构损坏，无法解析 (broken PDF structure)",
        ]
        .contains(&why),
        "{why}"
    );
    assert_eq!(lines[1]["template"], "2021");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with(&junk.display().to_string()), "{err}");
    assert!(took < 20.0, "took {took:.0} s");
    assert_eq!(processes_in(dir.path()), Vec::<String>::new());
}

/// A scan given 1 s, and 0.3 s a page once its pages render, cannot be read in time: it is
/// stopped with the reason while `pdftoppm` or Tesseract runs, and they are stopped too.
#[test]
fn a_file_over_the_time_budget_is_stopped_and_its_helpers_with_it() {
    let scan = scan();
    let good = seed("002_3bceb6a2129e3845.txt");
    let dir = tempfile::tempdir().unwrap();
    let (lines, err, code) = extract(
        &[&scan, &good],
        &[
            ("NIANBAO_READ_SECONDS", "1"),
            ("NIANBAO_READ_PAGE_SECONDS", "0.3"),
        ],
        dir.path(),
    );
    assert_eq!(code, 2);
    let why = lines[0]["error"].as_str().unwrap();
    assert!(
        why.starts_with("读取超过 ") && why.contains(" 秒仍未完成，已停止"),
        "{why}"
    );
    assert_eq!(lines[1]["template"], "2021");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(processes_in(dir.path()), Vec::<String>::new());
}

/// The reason a file over a 64 MiB budget gets: the allocation that failed said so (Rust's
/// allocator, C++'s `bad_alloc`), or the worker died by a signal with nothing said (a failed
/// allocation where no message could be written: the test build's case).
fn assert_over_memory(line: &Value) {
    let why = line["error"].as_str().unwrap();
    assert!(
        why == "读取所需内存超过 64 MB 上限，已停止 (reading needed more than 64 MB and was stopped)"
            || why.starts_with("读取进程异常终止（信号 ")
                && why.contains("所需内存可能超过 64 MB 上限，或读取器崩溃"),
        "{why}"
    );
}

/// A scan needs more than 64 MiB to render and recognise: under that budget it is stopped
/// with the reason, and the report after it reads as ever.
#[test]
fn a_file_over_the_memory_budget_is_stopped_and_the_batch_goes_on() {
    let scan = scan();
    let good = seed("002_3bceb6a2129e3845.txt");
    let dir = tempfile::tempdir().unwrap();
    let (lines, err, code) = extract(
        &[&scan, &good],
        &[("NIANBAO_READ_MEMORY_MB", "64")],
        dir.path(),
    );
    assert_eq!(code, 2);
    assert_over_memory(&lines[0]);
    assert_eq!(lines[1]["template"], "2021");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// The budget comes from the configuration file's `[readers]` section too, and a worker
/// reads exactly what the process itself reads.
#[test]
fn the_budget_is_set_in_the_config_file_and_a_worker_reads_as_the_process_does() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("nianbao.toml");
    std::fs::write(&config, "[readers]\nmemory_mb = 64\nseconds = 5\n").unwrap();
    let scan = scan();
    let (lines, _, _) = extract(
        &[&scan],
        &[("NIANBAO_CONFIG", config.to_str().unwrap())],
        dir.path(),
    );
    assert_over_memory(&lines[0]);
    let files: Vec<PathBuf> = ["pdf", "docx", "chrome-pdf"]
        .iter()
        .map(|f| {
            variants().join(f).join(format!(
                "011-txt.{}",
                if *f == "docx" { "docx" } else { "pdf" }
            ))
        })
        .collect();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (worker, _, code) = extract(&refs, &[], dir.path());
    assert_eq!(code, 0);
    let (inside, _, _) = extract(&refs, &[("NIANBAO_READ_WORKER", "0")], dir.path());
    assert_eq!(worker, inside);
    for line in &worker {
        assert_eq!(line["agency"], "平潭综合实验区社会事业局");
        assert_eq!(line["values"]["t3.received.total"], 1);
    }
}
