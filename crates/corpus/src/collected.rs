//! What the collector keeps (schema 11): every URL it fetched with the validators that make
//! the next request conditional (and a page's body, to walk it again when unchanged), every
//! report entry stored with its publish date and where the date came from, and how each
//! site went. A run stopped at any point resumes from here.

use crate::{Store, StoreError};
use serde::Serialize;

pub(crate) const TABLES: &str = "
CREATE TABLE collect_fetches (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    content_type TEXT NOT NULL,
    body {blob},
    fetched_at TEXT NOT NULL
);
CREATE TABLE collect_entries (
    url TEXT PRIMARY KEY,
    agency TEXT NOT NULL,
    code TEXT,
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    published TEXT,
    date_source TEXT,
    files TEXT NOT NULL,
    report_hash TEXT,
    collected_at TEXT NOT NULL
);
CREATE INDEX collect_entries_report ON collect_entries (report_hash);
CREATE TABLE collect_runs (
    key TEXT PRIMARY KEY,
    started_at TEXT NOT NULL
);
CREATE TABLE collect_sites (
    agency TEXT PRIMARY KEY,
    code TEXT,
    url TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    entries BIGINT NOT NULL,
    files BIGINT NOT NULL,
    at TEXT NOT NULL
);
";

/// A URL fetched before.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fetch {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: String,
    pub body: Option<Vec<u8>>,
}

/// A report entry found on a portal and stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CollectedEntry {
    pub url: String,
    pub agency: String,
    pub code: Option<String>,
    pub year: i64,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    /// `meta`, `page` or `list`.
    pub date_source: Option<String>,
    /// The files kept (URLs), JSON array.
    pub files: Vec<String>,
    /// The stored report read from them (its file's SHA-256), if one was.
    pub report_hash: Option<String>,
}

impl CollectedEntry {
    /// Published after 31 January of the year after the report's year (条例 Art. 50).
    pub fn late(&self) -> Option<bool> {
        let p = self.published.as_deref()?;
        Some(p > format!("{}-01-31", self.year + 1).as_str())
    }
}

/// How a site went in the last run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CollectedSite {
    pub agency: String,
    pub code: Option<String>,
    pub url: String,
    /// `found`, `no_column`, `none_found`, `robots`, `failed`.
    pub outcome: String,
    pub reason: String,
    pub entries: i64,
    pub files: i64,
}

/// A run of the same site list begun longer ago than this is over: the list run again is
/// a new run that walks every site again.
const RUN_HOURS: i64 = 12;

/// Runs and site walks are timed in milliseconds: a whole run can take less than a second,
/// and a site walked in the second its run began must count as walked in it. (Stores of
/// schema 11 hold seconds: smaller than any time in milliseconds, so such a run is over and
/// its sites are walked again.)
fn clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl Store {
    /// When the run of the site list `key` began (unix milliseconds): the run under way, or a new
    /// one. Collectors started on the same list share the run (and its sites, see
    /// [`Store::claim_site`]).
    pub fn collect_run(&mut self, key: &str) -> Result<i64, StoreError> {
        let now = clock();
        self.conn.exec(
            "INSERT INTO collect_runs (key, started_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            &[key.into(), now.to_string().into()],
        )?;
        self.conn.exec(
            "UPDATE collect_runs SET started_at = $2 WHERE key = $1 AND CAST(started_at AS BIGINT) < $3",
            &[key.into(), now.to_string().into(), (now - RUN_HOURS * 3_600_000).into()],
        )?;
        let rows = self.conn.query(
            "SELECT started_at FROM collect_runs WHERE key = $1",
            &[key.into()],
        )?;
        Ok(rows
            .first()
            .and_then(|r| r.str(0).parse().ok())
            .unwrap_or(now))
    }

    /// Begins the run of `key` again now (its sites all walked: the list run again is a new
    /// run).
    pub fn restart_collect_run(&mut self, key: &str) -> Result<i64, StoreError> {
        let now = clock();
        self.conn.exec(
            "UPDATE collect_runs SET started_at = $2 WHERE key = $1",
            &[key.into(), now.to_string().into()],
        )?;
        Ok(now)
    }

    /// Takes `agency`'s site for this collector unless it was walked since `since` (by a
    /// collector of the same run) or another collector is walking it now (on PostgreSQL, a
    /// session lock: a collector that dies lets it go).
    pub fn claim_site(&mut self, agency: &str, since: i64) -> Result<bool, StoreError> {
        if self.site_walked_since(agency, since)? {
            return Ok(false);
        }
        if self.conn.kind() != crate::db::Kind::Postgres {
            return Ok(true);
        }
        let got = self.conn.query(
            "SELECT CASE WHEN pg_try_advisory_lock(hashtext('nianbao collect ' || $1)) THEN 1 ELSE 0 END",
            &[agency.into()],
        )?;
        if got.first().and_then(|r| r.int(0)) != Some(1) {
            return Ok(false);
        }
        if self.site_walked_since(agency, since)? {
            self.release_site(agency)?;
            return Ok(false);
        }
        Ok(true)
    }

    /// Lets `agency`'s site go (PostgreSQL; nothing to do on SQLite).
    pub fn release_site(&mut self, agency: &str) -> Result<(), StoreError> {
        if self.conn.kind() == crate::db::Kind::Postgres {
            self.conn.query(
                "SELECT CASE WHEN pg_advisory_unlock(hashtext('nianbao collect ' || $1)) THEN 1 ELSE 0 END",
                &[agency.into()],
            )?;
        }
        Ok(())
    }

    /// Whether `agency`'s site was walked since `since`.
    pub fn site_walked_since(&mut self, agency: &str, since: i64) -> Result<bool, StoreError> {
        let rows = self.conn.query(
            "SELECT at FROM collect_sites WHERE agency = $1",
            &[agency.into()],
        )?;
        Ok(rows
            .first()
            .and_then(|r| r.str(0).parse::<i64>().ok())
            .is_some_and(|at| at >= since))
    }

    pub fn fetch_seen(&mut self, url: &str) -> Result<Option<Fetch>, StoreError> {
        let rows = self.conn.query(
            "SELECT etag, last_modified, content_type, body FROM collect_fetches WHERE url = $1",
            &[url.into()],
        )?;
        Ok(rows.first().map(|r| Fetch {
            etag: r.text(0).map(str::to_string),
            last_modified: r.text(1).map(str::to_string),
            content_type: r.str(2).to_string(),
            body: r.bytes(3).map(<[u8]>::to_vec),
        }))
    }

    pub fn fetch_remember(&mut self, url: &str, f: &Fetch) -> Result<(), StoreError> {
        self.conn.exec(
            "INSERT INTO collect_fetches (url, etag, last_modified, content_type, body, fetched_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, \
             last_modified = excluded.last_modified, content_type = excluded.content_type, \
             body = excluded.body, fetched_at = excluded.fetched_at",
            &[
                url.into(),
                f.etag.clone().into(),
                f.last_modified.clone().into(),
                f.content_type.clone().into(),
                crate::db::Value::Bytes(f.body.clone()),
                crate::store::now().into(),
            ],
        )?;
        Ok(())
    }

    /// An entry stored by an earlier run.
    pub fn entry_collected(&mut self, url: &str) -> Result<bool, StoreError> {
        Ok(!self
            .conn
            .query(
                "SELECT 1 FROM collect_entries WHERE url = $1",
                &[url.into()],
            )?
            .is_empty())
    }

    pub fn put_entry(&mut self, e: &CollectedEntry) -> Result<(), StoreError> {
        let files = serde_json::to_string(&e.files).unwrap_or_else(|_| "[]".into());
        self.conn.exec(
            "INSERT INTO collect_entries (url, agency, code, year, title, published, date_source, \
             files, report_hash, collected_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (url) DO UPDATE SET agency = excluded.agency, code = excluded.code, \
             year = excluded.year, title = excluded.title, published = excluded.published, \
             date_source = excluded.date_source, files = excluded.files, \
             report_hash = COALESCE(excluded.report_hash, collect_entries.report_hash), \
             collected_at = excluded.collected_at",
            &[
                e.url.clone().into(),
                e.agency.clone().into(),
                e.code.clone().into(),
                e.year.into(),
                e.title.clone().into(),
                e.published.clone().into(),
                e.date_source.clone().into(),
                files.into(),
                e.report_hash.clone().into(),
                crate::store::now().into(),
            ],
        )?;
        Ok(())
    }

    pub fn put_site(&mut self, s: &CollectedSite) -> Result<(), StoreError> {
        self.conn.exec(
            "INSERT INTO collect_sites (agency, code, url, outcome, reason, entries, files, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (agency) DO UPDATE SET \
             code = excluded.code, url = excluded.url, outcome = excluded.outcome, \
             reason = excluded.reason, entries = excluded.entries, files = excluded.files, at = excluded.at",
            &[
                s.agency.clone().into(),
                s.code.clone().into(),
                s.url.clone().into(),
                s.outcome.clone().into(),
                s.reason.clone().into(),
                s.entries.into(),
                s.files.into(),
                clock().to_string().into(),
            ],
        )?;
        Ok(())
    }

    /// Every entry collected, by agency and year.
    pub fn collected(&mut self) -> Result<Vec<CollectedEntry>, StoreError> {
        self.collected_where(None)
    }

    /// The entries of one report year.
    pub fn collected_of(&mut self, year: i64) -> Result<Vec<CollectedEntry>, StoreError> {
        self.collected_where(Some(year))
    }

    fn collected_where(&mut self, year: Option<i64>) -> Result<Vec<CollectedEntry>, StoreError> {
        let cols = "SELECT url, agency, code, year, title, published, date_source, files, \
                    report_hash FROM collect_entries";
        let rows = match year {
            None => self
                .conn
                .query(&format!("{cols} ORDER BY agency, year, url"), &[])?,
            Some(y) => self.conn.query(
                &format!("{cols} WHERE year = $1 ORDER BY agency, url"),
                &[y.into()],
            )?,
        };
        Ok(rows
            .iter()
            .map(|r| CollectedEntry {
                url: r.str(0).to_string(),
                agency: r.str(1).to_string(),
                code: r.text(2).map(str::to_string),
                year: r.int(3).unwrap_or(0),
                title: r.str(4).to_string(),
                published: r.text(5).map(str::to_string),
                date_source: r.text(6).map(str::to_string),
                files: serde_json::from_str(r.str(7)).unwrap_or_default(),
                report_hash: r.text(8).map(str::to_string),
            })
            .collect())
    }

    /// How each site went in its last run.
    pub fn collected_sites(&mut self) -> Result<Vec<CollectedSite>, StoreError> {
        let rows = self.conn.query(
            "SELECT agency, code, url, outcome, reason, entries, files FROM collect_sites ORDER BY agency",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| CollectedSite {
                agency: r.str(0).to_string(),
                code: r.text(1).map(str::to_string),
                url: r.str(2).to_string(),
                outcome: r.str(3).to_string(),
                reason: r.str(4).to_string(),
                entries: r.int(5).unwrap_or(0),
                files: r.int(6).unwrap_or(0),
            })
            .collect())
    }
}

impl CollectedSite {
    /// Why the site gave no report of `years` (any year when empty): its walk's reason, or,
    /// when the walk found reports, that none was of those years.
    pub fn why_none(&self, years: &[i64]) -> String {
        if self.outcome == "found" && !years.is_empty() {
            let ys: Vec<String> = years.iter().map(i64::to_string).collect();
            let ys = ys.join("、");
            format!("网站上未找到{ys}年度的年报 (no report of {ys} on the portal)")
        } else {
            self.reason.clone()
        }
    }
}

/// One row per report found, and one per site with none: (agency, code, year, title,
/// published, date source, late, files, URL or reason).
pub fn table(sites: &[CollectedSite], entries: &[CollectedEntry]) -> Vec<[String; 9]> {
    table_for(sites, entries, &[])
}

/// [`table`] for the reports of `years` only (every year when empty): a site without a
/// report of those years is one "not found" row with the reason.
pub fn table_for(
    sites: &[CollectedSite],
    entries: &[CollectedEntry],
    years: &[i64],
) -> Vec<[String; 9]> {
    let mut rows = Vec::new();
    for s in sites {
        let mine: Vec<&CollectedEntry> = entries
            .iter()
            .filter(|e| e.agency == s.agency && (years.is_empty() || years.contains(&e.year)))
            .collect();
        if mine.is_empty() {
            let reason = s.why_none(years);
            rows.push([
                s.agency.clone(),
                s.code.clone().unwrap_or_default(),
                if years.len() == 1 {
                    years[0].to_string()
                } else {
                    String::new()
                },
                "未找到 (not found)".into(),
                String::new(),
                String::new(),
                "未找到 (not found)".into(),
                "0".into(),
                reason,
            ]);
        }
        for e in mine {
            rows.push([
                e.agency.clone(),
                e.code.clone().unwrap_or_default(),
                e.year.to_string(),
                e.title.clone(),
                e.published.clone().unwrap_or_default(),
                e.date_source.clone().unwrap_or_default(),
                match e.late() {
                    Some(true) => "逾期 (late)".into(),
                    Some(false) => "按时 (on time)".into(),
                    None => "日期不明 (no date)".into(),
                },
                e.files.len().to_string(),
                e.url.clone(),
            ]);
        }
    }
    rows
}

/// The heads of [`table`]'s columns.
pub const TABLE_HEADS: [&str; 9] = [
    "机关 (agency)",
    "区划代码 (code)",
    "年度 (year)",
    "标题 (title)",
    "发布日期 (published)",
    "日期来源 (date from)",
    "是否按时 (timeliness)",
    "文件数 (files)",
    "网址或原因 (URL or reason)",
];

/// [`table`] as an XLSX workbook.
pub fn table_xlsx(rows: &[[String; 9]]) -> Result<Vec<u8>, StoreError> {
    let xerr = |e: rust_xlsxwriter::XlsxError| {
        StoreError::Io(format!("XLSX 写出失败 (XLSX write failed): {e}"))
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("采集结果").map_err(xerr)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in TABLE_HEADS.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(xerr)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, v)
                .map_err(xerr)?;
        }
    }
    book.save_to_buffer().map_err(xerr)
}
