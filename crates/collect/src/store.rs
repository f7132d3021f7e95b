//! Collecting into a corpus store: the store remembers what was fetched (see
//! [`crate::Memory`]) and keeps each report found, under the site list's agency and the
//! title's year, with the entry (publish date and its source) and how each site went.

use crate::{collect, Entry, Memory, Options, Seen, Site, SiteOutcome, SiteReport, Validators};
use nianbao_corpus::collected::{CollectedEntry, CollectedSite, Fetch};
use nianbao_corpus::ingest::{parse_archive, parse_bytes};
use nianbao_corpus::Store;
use std::sync::Mutex;

/// What a run stored.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Reports stored (new, or new versions).
    pub stored: usize,
    /// Entries already stored and unchanged.
    pub unchanged: usize,
    /// Entries that could not be stored, with the reason.
    pub failed: Vec<String>,
    pub requests: usize,
    pub sites: Vec<SiteReport>,
}

/// Walks `sites` and stores what it finds in `store`; `on_failed` hears each entry that
/// could not be stored, `on_site` each site as it is done.
pub fn collect_into(
    store: &Mutex<Store>,
    sites: &[Site],
    options: &Options,
    on_failed: &(dyn Fn(&str) + Sync),
    on_site: &(dyn Fn(&SiteReport) + Sync),
) -> Tally {
    let tally = Mutex::new(Tally::default());
    let run = run_key(sites, options);
    // The run under way on this list (a collector killed, or several at once), or, when it
    // walked every site already, a new one.
    let since = store.lock().ok().and_then(|mut s| {
        let since = s.collect_run(&run).ok()?;
        let all = sites
            .iter()
            .all(|x| s.site_walked_since(&x.agency, since).unwrap_or(false));
        if all {
            s.restart_collect_run(&run).ok()
        } else {
            Some(since)
        }
    });
    let memory = StoreMemory(store, since);
    let found = |e: Entry| {
        let outcome = keep(store, &e);
        let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
        match outcome {
            Kept::New => t.stored += 1,
            Kept::Unchanged => t.unchanged += 1,
            Kept::Failed(why) => {
                let line = format!("{}: {why}", e.url);
                on_failed(&line);
                t.failed.push(line);
            }
        }
    };
    let done = |r: &SiteReport| {
        if let Ok(mut s) = store.lock() {
            let _ = s.put_site(&site_row(r));
        }
        on_site(r);
    };
    let (sites, requests) = collect(sites, options, &memory, &found, &done);
    let mut t = tally.into_inner().unwrap_or_else(|p| p.into_inner());
    t.requests = requests;
    t.sites = sites;
    if let Ok(mut s) = store.lock() {
        if let Err(e) = s.refresh_cross() {
            t.failed.push(e.to_string());
        }
    }
    t
}

/// The store as the collector's memory.
/// The store, and when the run began (sites walked since then by a peer are skipped).
pub struct StoreMemory<'a>(pub &'a Mutex<Store>, pub Option<i64>);

/// A run is one site list and the years asked.
fn run_key(sites: &[Site], options: &Options) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for s in sites {
        (&s.agency, &s.url).hash(&mut h);
    }
    options.years.hash(&mut h);
    format!("{:016x}", h.finish())
}

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
    fn claim(&self, site: &Site) -> bool {
        let Some(since) = self.1 else { return true };
        self.0
            .lock()
            .ok()
            .and_then(|mut s| s.claim_site(&site.agency, since).ok())
            .unwrap_or(true)
    }
    fn release(&self, site: &Site) {
        if let Ok(mut s) = self.0.lock() {
            let _ = s.release_site(&site.agency);
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
    let fresh: Vec<&crate::File> = e.files.iter().filter(|f| f.bytes.is_some()).collect();
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
