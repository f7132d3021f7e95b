//! `nianbao`: the command-line front of the library crates.

mod output;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "nianbao", version, about = "政府信息公开工作年度报告：读取、核对、比较 (read, check and compare annual reports)")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Extract every table cell of each report as one JSON line per file.
    #[command(after_help = "Example:\n  nianbao extract report2021.txt reports/*.md > cells.jsonl")]
    Extract {
        /// Report files (text or Markdown; UTF-8, GBK/GB18030 or UTF-16).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Extract { files } => extract(&files),
    }
}

fn extract(files: &[PathBuf]) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for f in files {
        let name = f.display().to_string();
        let line = match nianbao_read::read_file(f) {
            Ok(d) => {
                let mut r = nianbao_extract::extract(&d.text);
                r.file = Some(name.clone());
                let findings = r.doubts.clone();
                output::report_json(&name, &r, &findings)
            }
            Err(e) => output::error_json(&name, &e.to_string()),
        };
        let _ = writeln!(out, "{line}");
    }
}
