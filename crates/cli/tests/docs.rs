//! The shell blocks of README.md and docs/*.md marked `<!-- runnable -->` run as written, in
//! order, in one fresh directory with `nianbao` on the PATH and the repository's `corpus/`
//! beside them: a command the docs show either works or this test fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The runnable blocks of one Markdown file: (first line number, the block's text).
fn runnable(md: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = md.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "<!-- runnable -->" && lines.get(i + 1) == Some(&"```sh") {
            let start = i + 2;
            let end = (start..lines.len())
                .find(|&k| lines[k] == "```")
                .unwrap_or_else(|| panic!("block at line {start} is not closed"));
            out.push((start + 1, lines[start..end].join("\n")));
            i = end;
        }
        i += 1;
    }
    out
}

#[test]
fn the_docs_runnable_blocks_run_as_written() {
    let root = root();
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_nianbao"), bin.join("nianbao")).unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::os::unix::fs::symlink(root.join("corpus"), work.join("corpus")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for file in &files {
        let md = std::fs::read_to_string(file).unwrap();
        for (line, block) in runnable(&md) {
            let out = Command::new("bash")
                .args(["-e", "-o", "pipefail", "-c", &block])
                .current_dir(&work)
                .env("PATH", &path)
                .env_remove("NIANBAO_DB")
                .env_remove("NIANBAO_CONFIG")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}:{line} failed ({}):\n{block}\n--- stdout\n{}\n--- stderr\n{}",
                file.display(),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    // The quick tour's three blocks at least, and what they say they make.
    assert!(ran >= 3, "only {ran} runnable blocks");
    for made in [
        "r.json",
        "tour.db",
        "corpus.xlsx",
        "2021.csv",
        "report.html",
        "report.docx",
    ] {
        let len = std::fs::metadata(work.join(made)).map_or(0, |m| m.len());
        assert!(len > 0, "{made} not made");
    }
}
