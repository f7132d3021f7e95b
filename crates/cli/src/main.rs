//! `nianbao`: the command-line front of the library crates.

mod human;
mod output;

use clap::{Parser, Subcommand, ValueEnum};
use nianbao_model::{Finding, Report, Severity};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "nianbao",
    version,
    about = "政府信息公开工作年度报告：读取、核对、比较 (read, check and compare China's government information disclosure annual reports)",
    after_help = "Example / 示例:\n  nianbao check corpus/seeds/*.txt\n  nianbao extract 2021年报.txt > cells.jsonl"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// 提取每份报告的全部表格数据，每个文件输出一行 JSON (extract every table cell, one JSON line per file)
    #[command(after_help = "Example / 示例:\n  nianbao extract 2021年报.txt reports/*.md > cells.jsonl\n\n\
Each line has file, agency, year, template (\"2019\", \"2021\" or \"legacy\"), values (every canonical key of\n\
the template, number or null), evidence (raw text, line, column, offset per cell), sections, claims and\n\
findings. A file that cannot be read gives a line with \"error\"; the batch goes on.")]
    Extract {
        /// Report files: text or Markdown, in UTF-8, GBK/GB18030 or UTF-16 (detected).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 核对报告，列出发现的问题；有错误时退出码非零 (check reports; exit non-zero on any error)
    #[command(after_help = "Example / 示例:\n  nianbao check 2021年报.txt\n  nianbao check --lang en --format json reports/*.txt\n\n\
Exit status: 0 no error-level finding, 1 some error-level finding, 2 a file could not be read.")]
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "zh-en")]
        lang: Lang,
        /// Output for people (text) or machines (json, one object per line).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Lang {
    /// 中文 (English in brackets)
    #[value(name = "zh-en")]
    ZhEn,
    Zh,
    En,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Extract { files } => extract(&files),
        Cmd::Check { files, lang, format } => check(&files, lang, format),
    };
    match result {
        Ok(code) => code,
        // Only writing to stdout can fail here (e.g. a closed pipe).
        Err(_) => ExitCode::from(3),
    }
}

/// Reads and extracts one file; the error is a one-line reason.
fn load(path: &Path) -> Result<(Report, Vec<Finding>, &'static str), String> {
    let source = nianbao_read::read_file(path).map_err(|e| e.to_string())?;
    let mut r = nianbao_extract::extract(&source.text);
    r.file = Some(path.display().to_string());
    let findings = nianbao_check::findings(&r);
    Ok((r, findings, source.format))
}

fn extract(files: &[PathBuf]) -> std::io::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for f in files {
        let name = f.display().to_string();
        let line = match load(f) {
            Ok((r, findings, format)) => output::report_json(&name, format, &r, &findings),
            Err(e) => {
                failed = true;
                eprintln!("{name}: {e}");
                output::error_json(&name, &e)
            }
        };
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn check(files: &[PathBuf], lang: Lang, format: Format) -> std::io::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut any_error, mut unreadable) = (false, false);
    for f in files {
        let name = f.display().to_string();
        match load(f) {
            Ok((r, findings, _)) => {
                any_error |= findings.iter().any(|x| x.severity == Severity::Error);
                if format == Format::Json {
                    writeln!(out, "{}", output::check_json(&name, &r, &findings))?;
                } else {
                    human::block(&mut out, &name, &r, &findings, lang)?;
                }
            }
            Err(e) => {
                unreadable = true;
                if format == Format::Json {
                    writeln!(out, "{}", output::error_json(&name, &e))?;
                } else {
                    writeln!(out, "== {name}\n   无法读取 (cannot read): {e}\n")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(if unreadable {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
