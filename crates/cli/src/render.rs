//! `nianbao render`: a report (extract's JSON object, or a stored report) in the official
//! layout as HTML, DOCX or PDF.

use crate::corpus::DbArg;
use clap::{Args, ValueEnum};
use nianbao_model::Report;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum To {
    Html,
    Docx,
    Pdf,
}

#[derive(Args)]
pub struct RenderArgs {
    /// 报告 JSON（nianbao extract 输出的一行，或同样结构的手写文件）(the report object)
    #[arg(required_unless_present = "id", conflicts_with = "id")]
    input: Option<PathBuf>,
    /// 输出格式 (output format)
    #[arg(long, value_enum)]
    to: To,
    /// 输出文件（缺省为标准输出）(output file; stdout when absent)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// 改为生成语料库中编号为 ID 的报告 (render a stored report instead)
    #[arg(long)]
    id: Option<i64>,
    #[command(flatten)]
    db: DbArg,
}

/// The one report object in a JSON file (a JSON-lines file must hold exactly one).
fn read_json(path: &PathBuf) -> Result<Report, String> {
    // A report object is a few hundred KB; anything far larger is not one.
    const MAX: u64 = 64 << 20;
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    if size > MAX {
        return Err(format!(
            "{}: 文件过大（{} MB），不是一份报告 (file too large for a report object)",
            path.display(),
            size >> 20
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => format!(
            "{}: 不是 UTF-8 编码的 JSON (JSON must be UTF-8)",
            path.display()
        ),
        _ => format!("{}: {e}", path.display()),
    })?;
    let mut objects = serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>();
    let first = match objects.next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            return Err(format!(
                "{}: 不是有效的 JSON (not valid JSON): {e}",
                path.display()
            ))
        }
        None => return Err(format!("{}: 文件为空 (empty file)", path.display())),
    };
    if objects.next().is_some() {
        return Err(format!(
            "{}: 文件含多份报告，请每次生成一份 (more than one report object; render one at a time)",
            path.display()
        ));
    }
    nianbao_model::json::from_json(&first).map_err(|e| format!("{}: {e}", path.display()))
}

fn load(args: &RenderArgs) -> Result<Report, String> {
    match (&args.input, args.id) {
        (Some(path), _) => read_json(path),
        (None, Some(id)) => {
            let mut store = nianbao_corpus::Store::open(&args.db.db).map_err(|e| e.to_string())?;
            match store.report(id).map_err(|e| e.to_string())? {
                Some(s) => Ok(s.report),
                None => Err(format!(
                    "语料库中没有编号为 {id} 的报告 (no stored report {id})"
                )),
            }
        }
        (None, None) => Err("请给出报告 JSON 文件或 --id (give a report file or --id)".into()),
    }
}

pub fn run(args: RenderArgs) -> ExitCode {
    let binary = !matches!(args.to, To::Html);
    if binary && args.output.is_none() && std::io::stdout().is_terminal() {
        eprintln!(
            "nianbao: DOCX/PDF 是二进制文件，请用 -o 文件名 指定输出 (binary output: give -o FILE)"
        );
        return ExitCode::from(2);
    }
    let bytes = load(&args).and_then(|r| {
        match args.to {
            To::Html => Ok(nianbao_render::to_html(&r).into_bytes()),
            To::Docx => nianbao_render::to_docx(&r),
            To::Pdf => nianbao_render::to_pdf(&r),
        }
        .map_err(|e| e.to_string())
    });
    let written = bytes.and_then(|bytes| match &args.output {
        Some(path) => {
            crate::files::write_atomically(path, |w| w.write_all(&bytes).map_err(|e| e.to_string()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|_| out.flush())
                .map_err(|e| e.to_string())
        }
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nianbao: {e}");
            ExitCode::from(2)
        }
    }
}
