//! The corpus commands: ingest, agencies, export, stats.

use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nianbao_corpus::export::{self, Shape};
use nianbao_corpus::ingest::{self, Outcome};
use nianbao_corpus::stats::{By, HEADERS};
use nianbao_corpus::store::Filter;
use nianbao_corpus::{Store, StoreError};
use nianbao_model::Template;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Default store: a SQLite file in the current directory.
pub const DEFAULT_DB: &str = "nianbao.db";

#[derive(Args)]
pub struct DbArg {
    /// 数据库：SQLite 文件路径，或 postgres://用户:密码@主机/库 (SQLite file, or a PostgreSQL URL)
    #[arg(long, default_value = DEFAULT_DB, env = "NIANBAO_DB")]
    pub db: String,
}

#[derive(Args)]
pub struct FilterArgs {
    /// 年度，可多个：--year 2021 --year 2022 或 --year 2021,2022 (report years)
    #[arg(long, value_delimiter = ',')]
    pub year: Vec<i32>,
    /// 地区或机构名称包含的文字 (region or agency name contains)
    #[arg(long)]
    pub region: Option<String>,
    /// 行政区划代码：其中及其下的机构 (national division code: agencies in or under it)
    #[arg(long)]
    pub division: Option<String>,
    /// 填报任务编号：任务中的机构 (the agencies of a filing campaign)
    #[arg(long)]
    pub campaign: Option<i64>,
    /// 模板 (template): legacy, 2019, 2021
    #[arg(long, value_parser = parse_template)]
    pub template: Option<Template>,
    /// 包括旧版本 (include superseded versions)
    #[arg(long)]
    pub all_versions: bool,
    /// 导出提取时的原值，而不是审核员更正后的值 (values as extracted, before reviewers' corrections)
    #[arg(long)]
    pub original_values: bool,
}

fn parse_template(s: &str) -> Result<Template, String> {
    Template::parse(s).ok_or_else(|| {
        format!("模板应为 legacy、2019 或 2021 (template must be legacy, 2019 or 2021), not {s:?}")
    })
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            years: self.year.clone(),
            region: self.region.clone(),
            division: self.division.clone(),
            campaign: self.campaign,
            template: self.template,
            all_versions: self.all_versions,
            originals: self.original_values,
            ..Filter::default()
        }
    }
}

#[derive(Subcommand)]
pub enum AgencyAction {
    /// 合并：把 OTHER 的报告和名称并入 KEEP (merge OTHER into KEEP)
    Merge { keep: i64, other: i64 },
    /// 拆分：把名称 NAME 及以该名称发布的报告拆为新机构 (give spelling NAME an agency of its own)
    Split { id: i64, name: String },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
    Parquet,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum PartitionArg {
    Year,
    Province,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ShapeArg {
    /// 每份报告一行，每个指标一列 (one row per report)
    Wide,
    /// 每个单元格一行，含原文证据 (one row per cell, with evidence)
    Long,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ByArg {
    All,
    Year,
    Region,
    /// National divisions: province, city, county, township (see `nianbao_division`).
    Province,
    City,
    County,
    Township,
    Level,
    Template,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum StatsFormat {
    Text,
    Json,
    Csv,
}

pub(crate) fn open(db: &str) -> Result<Store, ExitCode> {
    Store::open(db).map_err(fail)
}

pub(crate) fn fail(e: StoreError) -> ExitCode {
    eprintln!("nianbao: {e}");
    ExitCode::from(2)
}

pub fn ingest(paths: &[PathBuf], db: &str, quiet: bool) -> ExitCode {
    let mut store = match open(db) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    if !bar.is_hidden() {
        bar.set_length(ingest::count(paths) as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {pos}/{len} 份  {per_sec}  剩余 {eta}  {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }
    let result = ingest::ingest(&mut store, paths, &mut |name, outcome| {
        bar.inc(1);
        if let Outcome::Failed(reason) | Outcome::Skipped(reason) = outcome {
            bar.suspend(|| eprintln!("{name}: {reason}"));
        }
        bar.set_message(name.rsplit(['/', '\\']).next().unwrap_or(name).to_string());
    });
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            eprintln!("{}  → {}", summary.line_zh_en(), store.name());
            if summary.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(e) => fail(e),
    }
}

/// `ingest --queue`: queue the paths, then claim and store files until none is left.
pub fn ingest_queued(paths: &[PathBuf], db: &str, quiet: bool, worker: Option<String>) -> ExitCode {
    let mut store = match open(db) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let worker = worker.unwrap_or_else(|| {
        let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
        format!("{}:{}", host.trim(), std::process::id())
    });
    let added = match nianbao_corpus::queue::enqueue(&mut store, paths) {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    if !quiet {
        eprintln!("加入队列 {added} 个文件 (queued {added} files); 工作进程 {worker}");
    }
    let result = nianbao_corpus::queue::work(&mut store, &worker, &mut |name, outcome| {
        if let Outcome::Failed(reason) = outcome {
            eprintln!("{name}: {reason}");
        }
    });
    match result {
        Ok(summary) => {
            let (queued, done, failed) =
                nianbao_corpus::queue::counts(&mut store).unwrap_or((0, 0, 0));
            eprintln!(
                "{}  → {}；队列：待处理 {queued}，完成 {done}，失败 {failed} (queue: queued {queued}, done {done}, failed {failed})",
                summary.line_zh_en(),
                store.name()
            );
            if summary.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(e) => fail(e),
    }
}

pub fn agencies(db: &str, action: Option<AgencyAction>) -> ExitCode {
    let mut store = match open(db) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let done = match action {
        Some(AgencyAction::Merge { keep, other }) => store
            .merge_agencies(keep, other)
            .map(|_| format!("已将机构 {other} 并入 {keep} (merged)")),
        Some(AgencyAction::Split { id, name }) => store
            .split_agency(id, &name)
            .map(|new| format!("已将“{name}”拆分为新机构 {new} (split off as agency {new})")),
        None => store.agencies().map(|list| {
            let mut out = String::from("编号\t机构\t地区\t层级\t报告数\t年度\t名称写法\n");
            for a in &list {
                let years: Vec<String> = a.years.iter().map(i64::to_string).collect();
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    a.id,
                    a.name,
                    a.region,
                    a.level,
                    a.reports,
                    years.join(","),
                    a.aliases.join("｜")
                ));
            }
            out.trim_end().to_string()
        }),
    };
    match done {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

pub struct ExportArgs {
    pub format: ExportFormat,
    pub shape: ShapeArg,
    pub zh_headers: bool,
    pub file_names: bool,
    pub output: Option<PathBuf>,
    pub partition: Vec<PartitionArg>,
}

pub fn export(db: &str, args: ExportArgs, filter: &FilterArgs) -> ExitCode {
    let format = match args.format {
        ExportFormat::Csv => export::Format::Csv,
        ExportFormat::Json => export::Format::Json,
        ExportFormat::Xlsx => export::Format::Xlsx,
        ExportFormat::Parquet => export::Format::Parquet,
    };
    let opts = export::Options {
        format,
        shape: match args.shape {
            ShapeArg::Wide => Shape::Wide,
            ShapeArg::Long => Shape::Long,
        },
        chinese_headers: args.zh_headers,
        file_names: args.file_names,
        filter: filter.filter(),
    };
    if !args.partition.is_empty() {
        return partitioned(db, &args, &opts);
    }
    let binary = matches!(format, export::Format::Xlsx | export::Format::Parquet);
    if binary && args.output.is_none() && std::io::stdout().is_terminal() {
        eprintln!("nianbao: XLSX/Parquet 是二进制文件，请用 -o 文件名 指定输出 (binary output: give -o FILE)");
        return ExitCode::from(2);
    }
    let mut store = match open(db) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = match &args.output {
        Some(path) => crate::files::write_atomically(path, |w| {
            export::export(&mut store, &opts, w).map_err(|e| e.to_string())
        })
        .map_err(StoreError::Io),
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout());
            export::export(&mut store, &opts, &mut w).and_then(|n| {
                w.flush()
                    .map(|_| n)
                    .map_err(|e| StoreError::Io(e.to_string()))
            })
        }
    };
    match result {
        Ok(n) => {
            eprintln!("导出 {n} 份报告 (exported {n} reports)");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// `export --format parquet --partition year,province -o DIR`: the folders are written in a
/// sibling temporary folder and renamed, so a failed export leaves no half corpus.
fn partitioned(db: &str, args: &ExportArgs, opts: &export::Options) -> ExitCode {
    if opts.format != export::Format::Parquet {
        eprintln!("nianbao: --partition 只用于 --format parquet (partitions are for Parquet)");
        return ExitCode::from(2);
    }
    let Some(dir) = args.output.clone() else {
        eprintln!("nianbao: --partition 需要用 -o 指定输出目录 (give the output folder with -o)");
        return ExitCode::from(2);
    };
    if std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!("nianbao: {} 已存在且不为空，未作改动 (folder exists and is not empty; nothing written)", dir.display());
        return ExitCode::from(2);
    }
    let mut store = match open(db) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let by: Vec<export::Partition> = args
        .partition
        .iter()
        .map(|p| match p {
            PartitionArg::Year => export::Partition::Year,
            PartitionArg::Province => export::Partition::Province,
        })
        .collect();
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let tmp = match tempfile::Builder::new()
        .prefix(".nianbao-export-")
        .tempdir_in(parent)
    {
        Ok(t) => t,
        Err(e) => {
            return fail(StoreError::Io(format!(
                "无法创建 {} (cannot create): {e}",
                dir.display()
            )))
        }
    };
    let result =
        export::export_partitioned(&mut store, opts, &by, tmp.path()).and_then(|(n, files)| {
            let _ = std::fs::remove_dir(&dir);
            std::fs::rename(tmp.path(), &dir)
                .map(|_| (n, files.len()))
                .map_err(|e| {
                    StoreError::Io(format!("无法写入 {} (cannot write): {e}", dir.display()))
                })
        });
    match result {
        Ok((n, files)) => {
            eprintln!("导出 {n} 份报告，{files} 个分区文件 (exported {n} reports in {files} partition files)");
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

pub fn stats(db: &str, by: ByArg, filter: &FilterArgs, format: StatsFormat) -> ExitCode {
    let mut store = match open(db) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let by = match by {
        ByArg::All => By::All,
        ByArg::Year => By::Year,
        ByArg::Region => By::Region,
        ByArg::Province => By::Division(2),
        ByArg::City => By::Division(4),
        ByArg::County => By::Division(6),
        ByArg::Township => By::Division(9),
        ByArg::Level => By::Level,
        ByArg::Template => By::Template,
    };
    let groups = match store.stats(by, &filter.filter()) {
        Ok(g) => g,
        Err(e) => return fail(e),
    };
    let mut out = std::io::stdout().lock();
    let written = match format {
        StatsFormat::Json => groups
            .iter()
            .try_for_each(|g| writeln!(out, "{}", serde_json::to_string(g).unwrap_or_default())),
        StatsFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            let mut r = w.write_record(HEADERS).map_err(std::io::Error::from);
            for g in &groups {
                r = r.and_then(|_| w.write_record(g.cells()).map_err(std::io::Error::from));
            }
            r.and_then(|_| w.flush())
        }
        StatsFormat::Text => {
            let rows: Vec<Vec<String>> =
                std::iter::once(HEADERS.iter().map(|h| h.to_string()).collect())
                    .chain(groups.iter().map(|g| g.cells()))
                    .collect();
            // Transposed: one line per figure, one column per group, reads well in a terminal.
            (0..HEADERS.len()).try_for_each(|i| {
                let line: Vec<&str> = rows.iter().map(|r| r[i].as_str()).collect();
                writeln!(out, "{}", line.join("\t"))
            })
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(3),
    }
}

/// `stats --publication`: the reports `nianbao collect` found on the agencies' portals, one row
/// per agency and report (or one "not found" row with the reason), filtered by year, region
/// (name contains) and campaign (its agencies, its year when no year is given).
pub fn publication(db: &str, filter: &FilterArgs, format: StatsFormat) -> ExitCode {
    use nianbao_corpus::collected::{self, TABLE_HEADS};
    let mut store = match open(db) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut years: Vec<i64> = filter.year.iter().map(|&y| y as i64).collect();
    let mut names: Option<std::collections::HashSet<String>> = None;
    if let Some(id) = filter.campaign {
        match store.board(id, &nianbao_corpus::campaigns::today()) {
            Ok(b) => {
                if years.is_empty() {
                    years.push(b.campaign.year);
                }
                names = Some(b.entries.into_iter().map(|e| e.agency).collect());
            }
            Err(e) => return fail(e),
        }
    }
    let (sites, entries) = match (store.collected_sites(), store.collected()) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    if sites.is_empty() {
        eprintln!(
            "{}: 没有采集记录，请先运行 nianbao collect (nothing collected yet: run nianbao collect first)",
            store.name()
        );
        return ExitCode::from(2);
    }
    let sites: Vec<_> = sites
        .into_iter()
        .filter(|s| names.as_ref().is_none_or(|n| n.contains(&s.agency)))
        .filter(|s| {
            filter
                .region
                .as_ref()
                .is_none_or(|r| s.agency.contains(r.as_str()))
        })
        .collect();
    let rows = collected::table_for(&sites, &entries, &years);
    let (mut on_time, mut late, mut undated, mut missing) = (0, 0, 0, 0);
    for r in &rows {
        match r[6].split(' ').next() {
            Some("按时") => on_time += 1,
            Some("逾期") => late += 1,
            Some("未找到") => missing += 1,
            _ => undated += 1,
        }
    }
    let mut out = std::io::stdout().lock();
    let written = match format {
        StatsFormat::Json => rows.iter().try_for_each(|r| {
            let keys = [
                "agency",
                "code",
                "year",
                "title",
                "published",
                "date_source",
                "timeliness",
                "files",
                "url_or_reason",
            ];
            let o: serde_json::Map<String, serde_json::Value> = keys
                .iter()
                .zip(r)
                .map(|(k, v)| (k.to_string(), serde_json::Value::from(v.as_str())))
                .collect();
            writeln!(out, "{}", serde_json::Value::Object(o))
        }),
        StatsFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            let mut r = w.write_record(TABLE_HEADS).map_err(std::io::Error::from);
            for row in &rows {
                r = r.and_then(|_| w.write_record(row).map_err(std::io::Error::from));
            }
            r.and_then(|_| w.flush())
        }
        StatsFormat::Text => std::iter::once(TABLE_HEADS.join("\t"))
            .chain(rows.iter().map(|r| r.join("\t")))
            .try_for_each(|l| writeln!(out, "{l}")),
    };
    eprintln!(
        "机关 {} 个；报告按时 {on_time} 份，逾期 {late} 份，日期不明 {undated} 份；未找到报告的机关 {missing} 个 \
         (agencies {}: reports on time {on_time}, late {late}, undated {undated}; agencies with none found {missing})",
        sites.len(),
        sites.len()
    );
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(3),
    }
}
