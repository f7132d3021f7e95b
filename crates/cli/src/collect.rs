//! `nianbao collect`: find every agency's annual reports on its portal, keep them as
//! published, and store them like any other file (agency from the site list, year from the
//! title), with the publish date and where it came from.

use crate::corpus::{fail, open, DbArg};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nianbao_collect::store::collect_into;
use nianbao_collect::{read_sites, Options, Politeness, SiteOutcome, SiteReport};
use nianbao_corpus::collected::{self, CollectedSite};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Args)]
pub struct CollectArgs {
    /// 站点清单：CSV 或 XLSX，表头含机关名称、网址（年报栏目或网站首页），可含区划代码
    /// (site list: CSV or XLSX with agency, URL of the annual-report column or home page, optional division code)
    sites: PathBuf,
    #[command(flatten)]
    db: DbArg,
    /// 只收集这些年度的年报 (report years to collect; all when absent)
    #[arg(long, value_delimiter = ',')]
    year: Vec<i32>,
    /// 同一网站两次请求的最短间隔（秒）(least seconds between two requests to one host)
    #[arg(long, default_value_t = 1.0)]
    interval: f64,
    /// 同时处理的网站数 (sites walked at once)
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// User-Agent：请写明单位与联系方式 (name your office and a contact)
    #[arg(long)]
    user_agent: Option<String>,
    /// 单次请求超时（秒）(seconds before a request is given up)
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// 5xx 或连接中断后的重试次数 (retries after a 5xx or a broken connection)
    #[arg(long, default_value_t = 3)]
    retries: u32,
    /// 首次重试前等待（秒），之后加倍 (seconds before the first retry; doubled after)
    #[arg(long, default_value_t = 2.0)]
    backoff: f64,
    /// 单个文件上限（MB）(largest response kept, MB)
    #[arg(long, default_value_t = 64)]
    max_mb: u64,
    /// 结果表另存为 XLSX (write the per-agency table to this XLSX file too)
    #[arg(long)]
    report: Option<PathBuf>,
    /// 不显示进度条 (no progress bar)
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: CollectArgs) -> ExitCode {
    let sites = match read_sites(&args.sites) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("nianbao: {e}");
            return ExitCode::from(2);
        }
    };
    let store = match open(&args.db.db) {
        Ok(s) => Mutex::new(s),
        Err(code) => return code,
    };
    let mut politeness = Politeness {
        interval: Duration::from_secs_f64(args.interval.max(0.0)),
        timeout: Duration::from_secs(args.timeout.max(1)),
        retries: args.retries,
        backoff: Duration::from_secs_f64(args.backoff.max(0.0)),
        max_bytes: args.max_mb.max(1) << 20,
        ..Politeness::default()
    };
    if let Some(ua) = &args.user_agent {
        politeness.user_agent = ua.clone();
    }
    let options = Options {
        politeness,
        concurrency: args.concurrency.max(1),
        years: args.year.clone(),
    };
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(sites.len() as u64), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} 个网站  剩余 {eta}  {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let failed_line = |line: &str| bar.suspend(|| eprintln!("{line}"));
    let done = |r: &SiteReport| {
        bar.inc(1);
        bar.set_message(r.site.agency.clone());
        if r.outcome != SiteOutcome::Found {
            bar.suspend(|| eprintln!("{}: {}", r.site.agency, r.outcome.reason()));
        } else {
            for e in &r.errors {
                bar.suspend(|| eprintln!("{}: {e}", r.site.agency));
            }
        }
    };
    let tally = collect_into(&store, &sites, &options, &failed_line, &done);
    bar.finish_and_clear();
    let (new, unchanged, failed, requests) =
        (tally.stored, tally.unchanged, tally.failed, tally.requests);
    let mut store = store.into_inner().unwrap_or_else(|p| p.into_inner());
    let (sites_rows, entries) = match (store.collected_sites(), store.collected()) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    let names: std::collections::HashSet<&str> = sites.iter().map(|s| s.agency.as_str()).collect();
    let sites_rows: Vec<CollectedSite> = sites_rows
        .into_iter()
        .filter(|s| names.contains(s.agency.as_str()))
        .collect();
    let rows = collected::table(&sites_rows, &entries);
    println!("{}", collected::TABLE_HEADS.join("\t"));
    for r in &rows {
        println!("{}", r.join("\t"));
    }
    if let Some(path) = &args.report {
        match collected::table_xlsx(&rows).and_then(|b| {
            std::fs::write(path, b)
                .map_err(|e| nianbao_corpus::StoreError::Io(format!("{}: {e}", path.display())))
        }) {
            Ok(()) => {}
            Err(e) => return fail(e),
        }
    }
    let late = entries
        .iter()
        .filter(|e| names.contains(e.agency.as_str()) && e.late() == Some(true))
        .count();
    let missing = sites_rows.iter().filter(|s| s.outcome != "found").count();
    eprintln!(
        "网站 {} 个，新存报告 {new} 份，未变 {unchanged} 份，失败 {}，逾期 {late}，未找到 {missing}；请求 {requests} 次 \
         (sites {}, reports stored {new}, unchanged {unchanged}, failed {}, late {late}, not found {missing}; {requests} requests) → {}",
        sites.len(),
        failed.len(),
        sites.len(),
        failed.len(),
        store.name()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
