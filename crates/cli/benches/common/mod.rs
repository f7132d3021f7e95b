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
