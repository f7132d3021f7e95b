//! Shared by the benchmarks: options from the environment and the generated corpus.
#![allow(dead_code)]

use nianbao_synth::{render, rng, series, Style};
use std::path::{Path, PathBuf};

const YEARS: std::ops::RangeInclusive<i32> = 2019..=2025;

pub fn list(name: &str, default: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Agency directories holding `n` reports in total (7 per agency), made once and reused.
pub fn corpus(root: &Path, n: usize) -> Vec<PathBuf> {
    let agencies = n.div_ceil(7);
    let mut dirs = Vec::with_capacity(agencies);
    let mut made = 0;
    for a in 0..agencies {
        let dir = root.join(format!("{a:06}"));
        if !dir.join("done").exists() {
            let mut g = rng(a as u64);
            std::fs::create_dir_all(&dir).unwrap();
            for r in series(&mut g, &format!("第{a}号镇"), YEARS) {
                let style = Style::random(&mut g);
                std::fs::write(
                    dir.join(format!("{}.txt", r.year.unwrap())),
                    render(&r, &style, &mut g),
                )
                .unwrap();
            }
            std::fs::write(dir.join("done"), b"").unwrap();
            made += 1;
        }
        dirs.push(dir);
    }
    if made > 0 {
        eprintln!(
            "generated {made} agencies × 7 years under {}",
            root.display()
        );
    }
    dirs
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Runs a command to its end; (seconds, the process's peak RSS in MiB, VmHWM polled).
pub fn timed(cmd: &mut std::process::Command) -> (f64, f64) {
    let start = std::time::Instant::now();
    let mut child = cmd.spawn().unwrap();
    let mut peak = 0;
    loop {
        if let Some(kib) = peak_rss_kib(child.id()) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{cmd:?} failed");
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    (start.elapsed().as_secs_f64(), peak as f64 / 1024.0)
}
