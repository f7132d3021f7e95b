//! `nianbao check` output for people: one block per file, most severe first.

use crate::Lang;
use nianbao_model::{Finding, Report, Severity};
use std::io::Write;

pub fn block(
    out: &mut impl Write,
    file: &str,
    r: &Report,
    findings: &[Finding],
    lang: Lang,
) -> std::io::Result<()> {
    writeln!(out, "== {file}")?;
    let agency = r.agency.as_deref().unwrap_or("（机构不详）");
    let year = r
        .year
        .map_or("年度不详".to_string(), |y| format!("{y}年度"));
    let published = r
        .published
        .map_or(String::new(), |d| format!(" · 发布 {d}"));
    match lang {
        Lang::En => writeln!(
            out,
            "   {agency} · {} · {}{}",
            r.year.map_or("year unknown".to_string(), |y| y.to_string()),
            r.template.name_en(),
            r.published
                .map_or(String::new(), |d| format!(" · published {d}"))
        )?,
        _ => writeln!(
            out,
            "   {agency} · {year} · {}{published}",
            r.template.name_zh()
        )?,
    }
    for f in findings {
        let sev = match lang {
            Lang::En => f.severity.as_str().to_string(),
            _ => f.severity.name_zh().to_string(),
        };
        let msg = match lang {
            Lang::ZhEn => format!("{} ({})", f.message_zh, f.message_en),
            Lang::Zh => f.message_zh.clone(),
            Lang::En => f.message_en.clone(),
        };
        writeln!(out, "   {sev} [{}] {msg}", f.rule)?;
    }
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    match lang {
        Lang::En => writeln!(out, "   {} findings: {e} errors, {w} warnings, {i} info\n", findings.len())?,
        Lang::Zh => writeln!(out, "   共 {} 条：错误 {e}，警告 {w}，提示 {i}\n", findings.len())?,
        Lang::ZhEn => writeln!(
            out,
            "   共 {} 条：错误 {e}，警告 {w}，提示 {i} ({} findings: {e} errors, {w} warnings, {i} info)\n",
            findings.len(),
            findings.len()
        )?,
    }
    Ok(())
}
