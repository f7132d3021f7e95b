//! One site: find its annual-report column, walk the column's list pages, open each report
//! entry and keep the report as published (the article page and its attachments).

use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::page::{self, DateSource, Link};
use crate::{Entry, File, Memory, Seen, Site, SiteOutcome, SiteReport};
use scraper::Html;
use std::collections::HashSet;
use url::Url;

/// List pages walked per column at most (a column of 20 entries a page holds 1 000).
const MAX_LIST_PAGES: usize = 50;

/// Words of a link to the annual-report column, best first.
const COLUMN_WORDS: [&str; 5] = [
    "政府信息公开年报",
    "信息公开年报",
    "政府信息公开年度报告",
    "年度报告",
    "年报",
];
/// Words of a link to the disclosure platform the column may sit under.
const PLATFORM_WORDS: [&str; 3] = ["政府信息公开", "信息公开", "政务公开"];

pub(crate) struct Walk<'a> {
    pub fetcher: &'a Fetcher,
    pub memory: &'a dyn Memory,
    pub years: &'a [i32],
}

/// A page as text: fetched fresh, or as kept when the server says it has not changed.
struct Text {
    url: Url,
    /// Sent again by the server (not a 304).
    fresh: bool,
    html: String,
    /// The page as the server sent it (its own encoding).
    bytes: Vec<u8>,
    content_type: String,
}

impl Walk<'_> {
    fn page(&self, u: &Url) -> Result<Text, FetchError> {
        let seen = self.memory.seen(u.as_str());
        let since = seen
            .as_ref()
            .filter(|s| s.body.is_some())
            .map(|s| s.validators.clone())
            .unwrap_or_default();
        match self.fetcher.get(u, &since)? {
            Fetched::NotModified(at) => {
                let s = seen.unwrap_or_default();
                let body = s.body.unwrap_or_default();
                Ok(Text {
                    url: at,
                    fresh: false,
                    html: page::decode(&body, &s.content_type),
                    bytes: body,
                    content_type: s.content_type,
                })
            }
            Fetched::Fresh(g) => {
                self.memory.remember(
                    u.as_str(),
                    &Seen {
                        validators: g.validators.clone(),
                        content_type: g.content_type.clone(),
                        body: Some(g.body.clone()),
                    },
                );
                Ok(Text {
                    url: g.url,
                    fresh: true,
                    html: page::decode(&g.body, &g.content_type),
                    bytes: g.body,
                    content_type: g.content_type,
                })
            }
        }
    }

    /// An attachment: its bytes, or none when it has not changed since it was stored.
    fn file(&self, u: &Url, done: bool) -> Result<Option<Vec<u8>>, FetchError> {
        let since = match self.memory.seen(u.as_str()) {
            Some(s) if done => s.validators,
            _ => Validators::default(),
        };
        match self.fetcher.get(u, &since)? {
            Fetched::NotModified(_) => Ok(None),
            Fetched::Fresh(g) => {
                self.memory.remember(
                    u.as_str(),
                    &Seen {
                        validators: g.validators,
                        content_type: g.content_type,
                        body: None,
                    },
                );
                Ok(Some(g.body))
            }
        }
    }

    pub fn site(&self, site: &Site, found: &mut dyn FnMut(Entry)) -> SiteReport {
        let mut report = SiteReport {
            site: site.clone(),
            outcome: SiteOutcome::Found,
            entries: 0,
            files: 0,
            errors: Vec::new(),
        };
        let start = match Url::parse(site.url.trim()) {
            Ok(u) => u,
            Err(_) => {
                report.outcome =
                    SiteOutcome::Failed(FetchError::BadUrl(site.url.clone()).to_string());
                return report;
            }
        };
        let columns = match self.columns(&start) {
            Ok(c) if !c.is_empty() => c,
            Ok(_) => {
                report.outcome = SiteOutcome::NoColumn;
                return report;
            }
            Err(e) => {
                report.outcome = match e {
                    FetchError::Robots(_) => SiteOutcome::Robots(e.to_string()),
                    e => SiteOutcome::Failed(e.to_string()),
                };
                return report;
            }
        };
        let links = self.list(&columns, &mut report.errors);
        let mut seen = HashSet::new();
        for link in links {
            let Some(year) = page::report_year(&link.text) else {
                continue;
            };
            if !self.years.is_empty() && !self.years.contains(&year) {
                continue;
            }
            if !seen.insert(link.url.clone()) {
                continue;
            }
            match self.entry(site, &link, year) {
                Ok(e) => {
                    report.entries += 1;
                    report.files += e.files.len();
                    report.errors.extend(e.missing.iter().cloned());
                    found(e);
                }
                Err(e) => report.errors.push(e.to_string()),
            }
        }
        if report.entries == 0 {
            report.outcome = if report.errors.is_empty() {
                SiteOutcome::NoneFound
            } else {
                SiteOutcome::Failed(report.errors[0].clone())
            };
        }
        report
    }

    /// Where the reports are listed: the annual-report column a page links to, and the page
    /// itself when it lists reports (a home page's 最新公开 may name this year's only); else
    /// the same one level down, through the disclosure platform the page links to.
    fn columns(&self, start: &Url) -> Result<Vec<Url>, FetchError> {
        let first = self.page(start)?;
        let doc = Html::parse_document(&first.html);
        let links = page::links(&doc, &first.url);
        let json = !page::json_endpoints(&doc, &first.url).is_empty();
        let found = roots(&links, &first.url, json);
        if !found.is_empty() {
            return Ok(found);
        }
        if let Some(p) = pick(&links, &PLATFORM_WORDS) {
            if let Ok(t) = self.page(&p) {
                let doc = Html::parse_document(&t.html);
                let links = page::links(&doc, &t.url);
                let json = !page::json_endpoints(&doc, &t.url).is_empty();
                return Ok(roots(&links, &t.url, json));
            }
        }
        Ok(Vec::new())
    }

    /// Every entry of the columns: their list pages followed, JSON lists read.
    fn list(&self, columns: &[Url], errors: &mut Vec<String>) -> Vec<Link> {
        let mut queue: Vec<Url> = columns.iter().rev().cloned().collect();
        let mut visited: HashSet<Url> = HashSet::new();
        let mut out = Vec::new();
        while let Some(u) = queue.pop() {
            if visited.len() >= MAX_LIST_PAGES || !visited.insert(u.clone()) {
                continue;
            }
            let t = match self.page(&u) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(e.to_string());
                    continue;
                }
            };
            if t.content_type.contains("json") || t.html.trim_start().starts_with(['{', '[']) {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&t.html) {
                    out.extend(page::json_entries(&v, &t.url));
                }
                continue;
            }
            let doc = Html::parse_document(&t.html);
            let links = page::links(&doc, &t.url);
            let mut next: Vec<Url> = page::more_pages(&links, &t.html, &t.url);
            out.extend(links);
            next.extend(page::json_endpoints(&doc, &t.url));
            for n in next.into_iter().rev() {
                if !visited.contains(&n) {
                    queue.push(n);
                }
            }
        }
        out
    }

    /// One report: an attachment linked from the list, or an article page with its
    /// attachments.
    fn entry(&self, site: &Site, link: &Link, year: i32) -> Result<Entry, FetchError> {
        let done = self.memory.done(link.url.as_str());
        let mut entry = Entry {
            agency: site.agency.clone(),
            code: site.code.clone(),
            title: link.text.clone(),
            year,
            url: link.url.to_string(),
            published: link.date.clone(),
            date_source: link.date.as_ref().map(|_| DateSource::List),
            files: Vec::new(),
            missing: Vec::new(),
        };
        if let Some(kind) = page::attachment_kind(&link.url) {
            let bytes = self.file(&link.url, done)?;
            entry.files.push(File {
                url: link.url.to_string(),
                kind,
                bytes,
                report: true,
            });
            return Ok(entry);
        }
        let t = self.page(&link.url)?;
        let doc = Html::parse_document(&t.html);
        if let Some((d, source)) = page::publish_date(&doc) {
            entry.published = Some(d);
            entry.date_source = Some(source);
        }
        let script = page::script_body(&doc);
        let text: String = doc.root_element().text().collect();
        let body_holds = page::holds_report(&text)
            || script.as_deref().is_some_and(|s| {
                page::holds_report(
                    &Html::parse_fragment(s)
                        .root_element()
                        .text()
                        .collect::<String>(),
                )
            });
        // The page as published; a body printed by a script is written into it.
        let html = match &script {
            Some(s) => format!(
                "<html><head><meta charset=\"utf-8\"><title>{}</title></head><body><h1>{}</h1>{s}</body></html>",
                escape(&entry.title),
                escape(&entry.title)
            )
            .into_bytes(),
            None => t.bytes.clone(),
        };
        entry.files.push(File {
            url: t.url.to_string(),
            kind: "html",
            bytes: Some(html).filter(|_| t.fresh || !done),
            report: body_holds,
        });
        let mut attached = HashSet::new();
        for l in page::links(&doc, &t.url) {
            let Some(kind) = page::attachment_kind(&l.url) else {
                continue;
            };
            if !attached.insert(l.url.clone()) {
                continue;
            }
            match self.file(&l.url, done) {
                Ok(bytes) => entry.files.push(File {
                    url: l.url.to_string(),
                    kind,
                    bytes,
                    report: !body_holds,
                }),
                // A broken attachment link loses only that file (the body may hold the
                // report, or another attachment).
                Err(e) => entry.missing.push(e.to_string()),
            }
        }
        if !body_holds && entry.files.len() == 1 && !entry.missing.is_empty() {
            // Nothing to read the report from: the entry failed (and is tried again).
            return Err(FetchError::Transport(entry.missing.join("; ")));
        }
        Ok(entry)
    }
}

/// The first link whose text has one of `words` (best first) and is no report's title.
fn pick(links: &[Link], words: &[&str]) -> Option<Url> {
    words.iter().find_map(|w| {
        links
            .iter()
            .find(|l| l.text.contains(w) && page::report_year(&l.text).is_none())
            .map(|l| l.url.clone())
    })
}

/// The lists on a page: the column it links to, then the page itself when it lists reports
/// or loads a JSON list.
fn roots(links: &[Link], here: &Url, json: bool) -> Vec<Url> {
    let mut out: Vec<Url> = pick(links, &COLUMN_WORDS).into_iter().collect();
    if (lists_reports(links) || json) && !out.contains(here) {
        out.push(here.clone());
    }
    out
}

fn lists_reports(links: &[Link]) -> bool {
    links.iter().any(|l| page::report_year(&l.text).is_some())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
