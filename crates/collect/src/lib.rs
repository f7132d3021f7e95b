//! Collecting annual reports from the portals where agencies publish them: a site list in,
//! each agency's reports out as published (article page, attachments, publish date and
//! where it came from), fetched politely (see [`fetch`]). What was fetched is remembered
//! through [`Memory`] (the corpus store keeps it), so a second run asks only what changed.

pub mod fetch;
pub mod page;
pub mod robots;
mod sites;
pub mod store;
mod walk;

pub use fetch::{FetchError, Fetcher, Politeness, Validators};
pub use page::DateSource;
pub use sites::{hosts_of, parse_sites, read_sites};

/// One agency's site: its name, division code, and the URL of its annual-report column or
/// of its home page.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub agency: String,
    pub code: Option<String>,
    pub url: String,
}

/// What was kept of a URL fetched before.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Seen {
    pub validators: Validators,
    pub content_type: String,
    /// The body of a page (lists and articles, to walk again when it has not changed);
    /// none for attachments (stored as reports).
    pub body: Option<Vec<u8>>,
}

/// Where fetches are remembered between runs.
pub trait Memory: Sync {
    fn seen(&self, url: &str) -> Option<Seen>;
    fn remember(&self, url: &str, seen: &Seen);
    /// An entry stored completely by an earlier run.
    fn done(&self, entry_url: &str) -> bool;
    /// Takes a site for this collector (several may share one run); false when another
    /// has walked it in this run or is walking it.
    fn claim(&self, _site: &Site) -> bool {
        true
    }
    fn release(&self, _site: &Site) {}
}

/// A memory that forgets (one run on its own).
#[derive(Default)]
pub struct NoMemory;

impl Memory for NoMemory {
    fn seen(&self, _: &str) -> Option<Seen> {
        None
    }
    fn remember(&self, _: &str, _: &Seen) {}
    fn done(&self, _: &str) -> bool {
        false
    }
}

/// A file of an entry.
#[derive(Clone, Debug)]
pub struct File {
    pub url: String,
    /// `html`, `pdf`, `docx`, … by its URL.
    pub kind: &'static str,
    /// None when unchanged since it was stored.
    pub bytes: Option<Vec<u8>>,
    /// The file holds the report (to ingest); else it is kept as evidence (the page of a
    /// report published as an attachment).
    pub report: bool,
}

/// One annual report found on a site.
#[derive(Clone, Debug)]
pub struct Entry {
    pub agency: String,
    pub code: Option<String>,
    pub title: String,
    /// The report's year, from its title.
    pub year: i32,
    /// The article page (or the attachment linked from the list).
    pub url: String,
    /// Publish date `YYYY-MM-DD`, and where it came from.
    pub published: Option<String>,
    pub date_source: Option<DateSource>,
    pub files: Vec<File>,
    /// Attachments linked but not fetched, with the reason.
    pub missing: Vec<String>,
}

/// How a site went.
#[derive(Clone, Debug, PartialEq)]
pub enum SiteOutcome {
    Found,
    /// No link to an annual-report column on the page given.
    NoColumn,
    /// The column's list named no annual report (of the years asked for).
    NoneFound,
    Robots(String),
    Failed(String),
}

impl SiteOutcome {
    /// For people: Chinese, English alongside.
    pub fn reason(&self) -> String {
        match self {
            SiteOutcome::Found => "已找到 (found)".into(),
            SiteOutcome::NoColumn => "未找到年报栏目 (no annual-report column found)".into(),
            SiteOutcome::NoneFound => "栏目中没有年报 (no annual report listed)".into(),
            SiteOutcome::Robots(e) | SiteOutcome::Failed(e) => e.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct SiteReport {
    pub site: Site,
    pub outcome: SiteOutcome,
    pub entries: usize,
    pub files: usize,
    /// Pages or files that failed while the site was walked (broken attachment links
    /// included).
    pub errors: Vec<String>,
}

/// What a run is asked.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub politeness: Politeness,
    /// Sites walked at once (each host still gets one request per interval).
    pub concurrency: usize,
    /// Report years to keep; empty for all.
    pub years: Vec<i32>,
}

/// Walks every site, `concurrency` at a time, handing each entry to `found` as it comes
/// (from the walking threads, one at a time) and each site's report to `done`.
pub fn collect(
    sites: &[Site],
    options: &Options,
    memory: &dyn Memory,
    found: &(dyn Fn(Entry) + Sync),
    done: &(dyn Fn(&SiteReport) + Sync),
) -> (Vec<SiteReport>, usize) {
    let fetcher = Fetcher::new(options.politeness.clone());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let reports = std::sync::Mutex::new(vec![None; sites.len()]);
    let walk = walk::Walk {
        fetcher: &fetcher,
        memory,
        years: &options.years,
    };
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(site) = sites.get(i) else { break };
                if !memory.claim(site) {
                    continue;
                }
                let r = walk.site(site, &mut |e| found(e));
                done(&r);
                memory.release(site);
                reports.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
            });
        }
    });
    let reports = reports
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect();
    (
        reports,
        fetcher.requests.load(std::sync::atomic::Ordering::Relaxed),
    )
}
