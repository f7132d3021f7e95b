//! `nianbao ledger`: tables 三 and 四 from a request ledger, with reply-deadline warnings.

use clap::Args;
use nianbao_ledger::{import, Calendar};
use nianbao_model::{Date, Severity, Template};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct LedgerArgs {
    /// 台账文件：CSV（UTF-8）或 XLSX (the ledger: CSV in UTF-8, or XLSX)
    file: PathBuf,
    /// 报告年度 (report year)
    #[arg(long)]
    year: i32,
    /// 模板（缺省按年度）(template; default: the one the year prescribes)
    #[arg(long, value_parser = |s: &str| Template::parse(s).filter(|t| *t != Template::Legacy).ok_or("模板应为 2019 或 2021 (template must be 2019 or 2021)"))]
    template: Option<Template>,
    /// 机构名称，写入报告 (agency name for the report)
    #[arg(long)]
    agency: Option<String>,
    /// 以哪一天计算期限（缺省为今天）(date deadlines are judged on; default today)
    #[arg(long, value_parser = |s: &str| import::date(s).ok_or("日期应为 YYYY-MM-DD (date must be YYYY-MM-DD)"))]
    today: Option<Date>,
    /// 节假日文件：每行“YYYY-MM-DD 休”或“YYYY-MM-DD 班” (holiday file: lines DATE 休|班)
    #[arg(long)]
    holidays: Option<PathBuf>,
    /// 输出报告 JSON（可交给 nianbao render）而不是文字摘要 (print the report object for nianbao render)
    #[arg(long)]
    json: bool,
}

pub fn run(args: LedgerArgs) -> ExitCode {
    let fail = |e: String| {
        eprintln!("nianbao: {e}");
        ExitCode::from(2)
    };
    let requests = match import::read(&args.file) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut cal = Calendar::default();
    if let Some(path) = &args.holidays {
        let added = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| cal.add(&t).map_err(|e| e.to_string()));
        if let Err(e) = added {
            return fail(format!("{}: {e}", path.display()));
        }
    }
    let template = args
        .template
        .unwrap_or(Template::for_year(args.year).max(Template::Y2019));
    let mut report = nianbao_ledger::report(&requests, args.year, template);
    report.agency = args.agency.clone();
    report.file = Some(args.file.display().to_string());
    let mut findings = nianbao_ledger::deadlines(
        &requests,
        &cal,
        args.today.unwrap_or_else(nianbao_ledger::calendar::today),
    );
    // Only the checks of the two tables the ledger gives (no sections, no table 二 here).
    findings.extend(
        nianbao_check::findings(&report)
            .into_iter()
            .filter(|f| matches!(f.rule.family(), "t3" | "t4")),
    );
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let v = nianbao_model::json::to_json(
            &args.file.display().to_string(),
            "ledger",
            &report,
            &findings,
        );
        writeln!(out, "{v}")
    } else {
        summary(&mut out, &report, &findings, requests.len())
    };
    if written.is_err() {
        return ExitCode::from(3);
    }
    if findings.iter().any(|f| f.severity == Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(
    out: &mut impl Write,
    r: &nianbao_model::Report,
    findings: &[nianbao_model::Finding],
    n: usize,
) -> std::io::Result<()> {
    let year = r.year.unwrap_or(0);
    let v = |k: &str| r.int(k).unwrap_or(0);
    writeln!(
        out,
        "台账 {n} 条申请 → {year} 年度表三、表四（{}）",
        r.template.name_zh()
    )?;
    writeln!(
        out,
        "  本年新收 {}，上年结转 {}，本年办结 {}，结转下年度 {}",
        v("t3.received.total"),
        v("t3.carried_in.total"),
        v("t3.processed.total"),
        v("t3.carried_over.total")
    )?;
    writeln!(
        out,
        "  予以公开 {}，部分公开 {}；行政复议 {}，行政诉讼 {}",
        v("t3.granted.total"),
        v("t3.partial.total"),
        v("t4.review.total"),
        v("t4.suit_direct.total") + v("t4.suit_after_review.total")
    )?;
    for f in findings {
        writeln!(out, "  [{}] {}", f.severity.name_zh(), f.message_zh)?;
    }
    writeln!(
        out,
        "完整表格：加 --json 输出，交给 nianbao render 生成报告 (add --json for the full tables)"
    )
}
