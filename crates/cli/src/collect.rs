//! `nianbao collect`: find every agency's annual reports on its portal, keep them as
//! published, and store them like any other file (agency from the site list, year from the
//! title), with the publish date and where it came from.

use crate::corpus::{fail, open, DbArg};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nianbao_collect::{
    collect, read_sites, Entry, Memory, Options, Politeness, Seen, SiteOutcome, SiteReport,
    Validators,
};
use nianbao_corpus::collected::{self, CollectedEntry, CollectedSite, Fetch};
use nianbao_corpus::ingest::{parse_archive, parse_bytes};
use nianbao_corpus::Store;
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

/// The store as the collector's memory.
struct StoreMemory<'a>(&'a Mutex<Store>);

impl Memory for StoreMemory<'_> {
    fn seen(&self, url: &str) -> Option<Seen> {
        let f = self.0.lock().ok()?.fetch_seen(url).ok()??;
        Some(Seen {
            validators: Validators {
                etag: f.etag,
                last_modified: f.last_modified,
            },
            content_type: f.content_type,
            body: f.body,
        })
    }
    fn remember(&self, url: &str, seen: &Seen) {
        if let Ok(mut s) = self.0.lock() {
            let _ = s.fetch_remember(
                url,
                &Fetch {
                    etag: seen.validators.etag.clone(),
                    last_modified: seen.validators.last_modified.clone(),
                    content_type: seen.content_type.clone(),
                    body: seen.body.clone(),
                },
            );
        }
    }
    fn done(&self, entry_url: &str) -> bool {
        self.0
            .lock()
            .ok()
            .and_then(|mut s| s.entry_collected(entry_url).ok())
            .unwrap_or(false)
    }
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
    let stored = Mutex::new((0usize, 0usize, Vec::<String>::new()));
    let memory = StoreMemory(&store);
    let found = |e: Entry| {
        let outcome = keep(&store, &e);
        let mut s = stored.lock().unwrap_or_else(|p| p.into_inner());
        match outcome {
            Kept::New => s.0 += 1,
            Kept::Unchanged => s.1 += 1,
            Kept::Failed(why) => {
                bar.suspend(|| eprintln!("{}: {why}", e.url));
                s.2.push(format!("{}: {why}", e.url));
            }
        }
    };
    let done = |r: &SiteReport| {
        bar.inc(1);
        bar.set_message(r.site.agency.clone());
        if r.outcome != SiteOutcome::Found {
            bar.suspend(|| eprintln!("{}: {}", r.site.agency, r.outcome.reason()));
        }
        if let Ok(mut s) = store.lock() {
            let _ = s.put_site(&site_row(r));
        }
    };
    let (_, requests) = collect(&sites, &options, &memory, &found, &done);
    bar.finish_and_clear();
    let (new, unchanged, failed) = stored.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut store = store.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Err(e) = store.refresh_cross() {
        return fail(e);
    }
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

fn site_row(r: &SiteReport) -> CollectedSite {
    CollectedSite {
        agency: r.site.agency.clone(),
        code: r.site.code.clone(),
        url: r.site.url.clone(),
        outcome: match r.outcome {
            SiteOutcome::Found => "found",
            SiteOutcome::NoColumn => "no_column",
            SiteOutcome::NoneFound => "none_found",
            SiteOutcome::Robots(_) => "robots",
            SiteOutcome::Failed(_) => "failed",
        }
        .into(),
        reason: r.outcome.reason(),
        entries: r.entries as i64,
        files: r.files as i64,
    }
}

enum Kept {
    New,
    Unchanged,
    Failed(String),
}

/// Stores an entry's report (the files that hold it, else any file that reads as one) and
/// records the entry.
fn keep(store: &Mutex<Store>, e: &Entry) -> Kept {
    let fresh: Vec<&nianbao_collect::File> = e.files.iter().filter(|f| f.bytes.is_some()).collect();
    let mut hash = None;
    let mut why = None;
    if !fresh.is_empty() {
        let order = fresh
            .iter()
            .filter(|f| f.report)
            .chain(fresh.iter().filter(|f| !f.report));
        for f in order {
            let bytes = f.bytes.clone().unwrap_or_default();
            // A ZIP's reports, or the file's own.
            let read: Vec<(String, Result<nianbao_corpus::store::Parsed, String>)> =
                if f.kind == "zip" {
                    parse_archive(&f.url, bytes)
                } else {
                    vec![(
                        f.url.clone(),
                        parse_bytes(&f.url, &bytes).map_err(|e| e.to_string()),
                    )]
                };
            for (name, r) in read {
                match r {
                    Ok(mut parsed) => {
                        parsed.report.agency = Some(e.agency.clone());
                        parsed.report.year = Some(e.year);
                        let mut s = store.lock().unwrap_or_else(|p| p.into_inner());
                        if let Err(err) = s.save(&parsed) {
                            return Kept::Failed(err.to_string());
                        }
                        hash = Some(parsed.hash.clone());
                        break;
                    }
                    Err(err) => why = Some(format!("{name}: {err}")),
                }
            }
            if hash.is_some() {
                break;
            }
        }
        if hash.is_none() {
            return Kept::Failed(
                why.unwrap_or_else(|| "没有可读的报告文件 (no readable report file)".into()),
            );
        }
    }
    let row = CollectedEntry {
        url: e.url.clone(),
        agency: e.agency.clone(),
        code: e.code.clone(),
        year: e.year as i64,
        title: e.title.clone(),
        published: e.published.clone(),
        date_source: e.date_source.map(|d| d.as_str().to_string()),
        files: e.files.iter().map(|f| f.url.clone()).collect(),
        report_hash: hash.clone(),
    };
    let mut s = store.lock().unwrap_or_else(|p| p.into_inner());
    if let Err(err) = s.put_entry(&row) {
        return Kept::Failed(err.to_string());
    }
    if hash.is_some() {
        Kept::New
    } else {
        Kept::Unchanged
    }
}
