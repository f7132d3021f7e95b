//! Extraction throughput on a generated corpus: `cargo bench -p nianbao-extract`.
//!
//! Generates N reports (default 10 000; `NIANBAO_BENCH_N` to change) of all three
//! templates in random layouts and styles, then times `extract` alone and `extract` plus
//! every check, single-threaded. Prints the machine it ran on.

use nianbao_model::Template;
use nianbao_synth::{render, report, rng, Style};
use std::time::Instant;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn cpu() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("unknown")
        .trim()
        .to_string();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{model}, {cores} cores")
}

fn main() {
    let n: usize = std::env::var("NIANBAO_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut r = rng(2026);
    let texts: Vec<String> = (0..n)
        .map(|i| {
            let t = Template::ALL[i % 3];
            let rep = report(&mut r, t);
            let style = Style::random(&mut r);
            render(&rep, &style, &mut r)
        })
        .collect();
    // NIANBAO_BENCH_DUMP=DIR writes the generated reports there (to look at one the bench reads).
    if let Some(dir) = std::env::var_os("NIANBAO_BENCH_DUMP") {
        std::fs::create_dir_all(&dir).expect("a directory for the reports");
        for (i, t) in texts.iter().enumerate() {
            let path = std::path::Path::new(&dir).join(format!("{i:05}.txt"));
            std::fs::write(path, t).expect("writable directory");
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    println!("machine: {}", cpu());
    println!(
        "corpus: {n} generated reports (legacy/2019/2021 in turn, random layouts), {:.1} MB",
        bytes as f64 / 1e6
    );

    let start = Instant::now();
    let mut cells = 0usize;
    for t in &texts {
        let rep = nianbao_extract::extract(t);
        cells += rep.cells.values().filter(|c| c.value.is_some()).count();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "extract:          {:>8.0} reports/s  {:>6.1} MB/s  ({cells} cells, {secs:.2} s)",
        n as f64 / secs,
        bytes as f64 / 1e6 / secs
    );

    // Every report as JSON, hashed: an optimisation must leave this line unchanged.
    let mut digest = std::collections::hash_map::DefaultHasher::new();
    for t in &texts {
        let rep = nianbao_extract::extract(t);
        std::hash::Hash::hash(
            &serde_json::to_string(&rep).unwrap_or_default(),
            &mut digest,
        );
    }
    println!(
        "output digest:    {:016x}",
        std::hash::Hasher::finish(&digest)
    );

    let start = Instant::now();
    let mut findings = 0usize;
    for t in &texts {
        let rep = nianbao_extract::extract(t);
        findings += nianbao_check::findings(&rep).len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "extract + check:  {:>8.0} reports/s  ({findings} findings, {secs:.2} s)",
        n as f64 / secs
    );
}
