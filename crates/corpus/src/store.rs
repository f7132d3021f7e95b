//! The store: opening it, saving one report atomically, loading reports back.

use crate::agency::{self, Name};
use crate::db::{transaction, Conn, Kind, Row, Value};
use crate::{postgres::Postgres, schema, sqlite::Sqlite, StoreError};
use nianbao_model::{Finding, Fix, Num, Report, Rule, Severity, Template};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct Store {
    pub(crate) conn: Box<dyn Conn>,
    name: String,
    /// How reports are saved from now on (see [`Store::hold_reviewed`], [`Store::added_by`]).
    how: How,
}

/// How a report is saved: held beside a reviewed version or not, and who added it.
#[derive(Clone, Debug, Default)]
pub(crate) struct How {
    pub hold: bool,
    pub by: Option<String>,
    /// The agency filing (an agency user's upload or form): the report is its own,
    /// whatever name the file prints.
    pub agency: Option<i64>,
}

/// A file read and extracted, ready to be stored.
pub struct Parsed {
    pub path: String,
    pub hash: String,
    pub format: String,
    pub text: String,
    pub report: Report,
    /// Extraction doubts and check findings of the report alone.
    pub findings: Vec<Finding>,
    /// The file as published, kept when its text is not the file itself (PDF, Word, OFD,
    /// images), for people to see the page and download it.
    pub original: Option<Vec<u8>>,
    /// `report`'s cells in their stored form, made where the file was read (the reading
    /// threads, not the one writer).
    pub(crate) cells: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    New,
    /// Same agency and year as a stored report with other content: kept as a new version.
    NewVersion,
    /// A new version of a report already reviewed (已审 or 退回), kept beside it until a
    /// reviewer makes it current (see [`Store::hold_reviewed`]).
    Held,
    Unchanged,
}

/// One stored report with what the corpus knows about it.
#[derive(Clone, Debug)]
pub struct Stored {
    pub id: i64,
    pub agency_id: Option<i64>,
    pub agency: String,
    pub region: String,
    pub level: String,
    /// The agency's national division code, when settled (see `divisions`).
    pub division: Option<String>,
    pub version: i64,
    pub path: String,
    pub report: Report,
    pub findings: Vec<Finding>,
}

impl Store {
    /// `postgres://…` (or `postgresql://…`) opens a server; anything else is a SQLite file.
    pub fn open(spec: &str) -> Result<Store, StoreError> {
        if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
            let mut conn = Postgres::open(spec)?;
            schema::ensure(&mut conn, "PostgreSQL")?;
            return Ok(Store {
                conn: Box::new(conn),
                name: "PostgreSQL".into(),
                how: How::default(),
            });
        }
        let mut conn = Sqlite::open(Path::new(spec))?;
        schema::ensure(&mut conn, spec)?;
        conn.use_wal()?;
        Ok(Store {
            conn: Box::new(conn),
            name: spec.to_string(),
            how: How::default(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// From now on, a file for an agency and year whose current report was reviewed (已审 or
    /// 退回) is stored as a held version: kept and shown beside the current one, which stays
    /// current until a reviewer calls [`Store::make_current`]. Off by default (a command-line
    /// ingest replaces the current version, and the review history records it).
    pub fn hold_reviewed(&mut self, on: bool) {
        self.how.hold = on;
    }

    /// Who adds the reports saved from now on (a web user's upload or form), kept with each
    /// report for its timeline; `None` for a command-line ingest.
    pub fn added_by(&mut self, user: Option<&str>) {
        self.how.by = user.map(str::to_string);
    }

    /// The agency that files the reports saved from now on (see `filers`): each is stored
    /// as that agency's, and a file printing another name gets `extract.agency_filed`.
    /// `None` (the default): the agency is the one the report names.
    pub fn filed_by_agency(&mut self, agency: Option<i64>) {
        self.how.agency = agency;
    }

    pub fn conn(&mut self) -> &mut dyn Conn {
        self.conn.as_mut()
    }

    /// Content hashes of every stored file, so unchanged files are not read again.
    pub fn hashes(&mut self) -> Result<HashSet<String>, StoreError> {
        let mut set = HashSet::new();
        self.conn.each("SELECT hash FROM reports", &[], &mut |r| {
            set.insert(r.str(0).to_string());
            Ok(())
        })?;
        Ok(set)
    }

    /// Stores one report, its cells, findings and source text in one transaction.
    pub fn save(&mut self, p: &Parsed) -> Result<Saved, StoreError> {
        let how = self.how.clone();
        transaction(self.conn.as_mut(), |c| save(c, p, &how))
    }

    /// Stores several reports, in one transaction on SQLite (each report under a savepoint,
    /// so a report that fails leaves nothing behind) and one each on PostgreSQL (where
    /// workers of other processes take locks per agency: holding them for a batch could
    /// deadlock). Stops at the first store error: the reports before it are stored, and
    /// their outcomes come back with the error.
    pub fn save_batch(&mut self, batch: &[&Parsed]) -> (Vec<Saved>, Option<StoreError>) {
        let how = self.how.clone();
        let c = self.conn.as_mut();
        let mut saved = Vec::with_capacity(batch.len());
        if c.kind() == Kind::Postgres || batch.len() == 1 {
            for p in batch {
                match transaction(c, |c| save(c, p, &how)) {
                    Ok(s) => saved.push(s),
                    Err(e) => return (saved, Some(e)),
                }
            }
            return (saved, None);
        }
        if let Err(e) = c.batch("BEGIN IMMEDIATE") {
            return (saved, Some(e));
        }
        let mut failed = None;
        for p in batch {
            let one = c.batch("SAVEPOINT report").and_then(|_| save(c, p, &how));
            match one.and_then(|s| c.batch("RELEASE SAVEPOINT report").map(|_| s)) {
                Ok(s) => saved.push(s),
                Err(e) => {
                    let _ = c.batch("ROLLBACK TO SAVEPOINT report");
                    let _ = c.batch("RELEASE SAVEPOINT report");
                    failed = Some(e);
                    break;
                }
            }
        }
        if let Err(e) = c.batch("COMMIT") {
            let _ = c.batch("ROLLBACK");
            return (Vec::new(), Some(failed.unwrap_or(e)));
        }
        (saved, failed)
    }
}

/// `select` over the versions of one report — the same agency and year; without them, the
/// same path — only the current one when `current`.
pub(crate) fn series(
    c: &mut dyn Conn,
    (agency, year, path): (Option<i64>, Option<i64>, &str),
    select: &str,
    current: bool,
) -> Result<Vec<Row>, StoreError> {
    let only = if current { " AND current = 1" } else { "" };
    match (agency, year) {
        (Some(a), Some(y)) => c.query(
            &format!("SELECT {select} FROM reports WHERE agency_id = $1 AND year = $2{only}"),
            &[a.into(), y.into()],
        ),
        _ => c.query(
            &format!("SELECT {select} FROM reports WHERE path = $1{only}"),
            &[path.into()],
        ),
    }
}

/// Stores `p` as `how` says.
pub(crate) fn save(c: &mut dyn Conn, p: &Parsed, how: &How) -> Result<Saved, StoreError> {
    // Two workers with the same file: one stores it, the other finds it stored.
    crate::db::lock(c, &format!("report {}", p.hash))?;
    if !c
        .query(
            "SELECT id FROM reports WHERE hash = $1",
            &[p.hash.as_str().into()],
        )?
        .is_empty()
    {
        return Ok(Saved::Unchanged);
    }
    // A name read by OCR may be misread; a few characters off a known agency, it is that one.
    let recognised = p.format.ends_with("-ocr");
    let (agency_id, known_as) = match p.report.agency.as_deref() {
        _ if how.agency.is_some() => (how.agency, None),
        Some(name) if recognised => {
            let (id, known) = resolve_recognised(c, name, &p.path, &p.text)?;
            (Some(id), known)
        }
        Some(name) => (Some(resolve_agency(c, name, &p.path, &p.text)?), None),
        None => (None, None),
    };
    let year = p.report.year.map(i64::from);
    let previous = series(c, (agency_id, year, &p.path), "id, version", true)?;
    // Numbered after every version, held ones included.
    let version = series(c, (agency_id, year, &p.path), "MAX(version)", false)?
        .first()
        .and_then(|r| r.int(0))
        .unwrap_or(0)
        + 1;
    // What reviewers did to the version before comes along (see `carry`).
    let last = previous
        .iter()
        .max_by_key(|row| row.int(1))
        .and_then(|row| Some((row.int(0)?, row.int(1)?)));
    let carried = match last {
        Some((id, v)) => crate::carry::carry(c, id, v, &p.report)?,
        None => None,
    };
    let (r, findings) = match &carried {
        Some(k) => (&k.report, &k.findings),
        None => (&p.report, &p.findings),
    };
    // Copied only to add the finding of a name taken for a known agency.
    let with_match: Vec<Finding>;
    let filer = match how.agency {
        Some(id) => filed_elsewhere(c, id, p)?,
        None => None,
    };
    let findings = match (&p.report.agency, &known_as, filer) {
        (_, _, Some(f)) => {
            with_match = [findings.as_slice(), &[f]].concat();
            &with_match
        }
        (Some(printed), Some(known), None) => {
            with_match = [findings.as_slice(), &[agency_matched(printed, known)]].concat();
            &with_match
        }
        _ => findings,
    };
    // The review state of the version it follows: a reviewed one is not replaced unasked.
    let reviewed = match last {
        Some((id, v)) => c
            .query(
                "SELECT state FROM review_states WHERE report_id = $1 AND state IN ('approved', 'returned')",
                &[id.into()],
            )?
            .first()
            .map(|r| (id, v, r.str(0).to_string())),
        None => None,
    };
    let held = how.hold && reviewed.is_some();
    if !held {
        for row in &previous {
            c.exec(
                "UPDATE reports SET current = 0 WHERE id = $1",
                &[row.int(0).into()],
            )?;
        }
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count() as i64;
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count() as i64;
    // The report without its cells (stored as rows) and doubts (stored as findings), with
    // the fields as `Report` serialises them, so `load` reads it back as a report.
    let doc = Doc {
        file: &r.file,
        title: &r.title,
        agency: &r.agency,
        year: r.year,
        template: r.template,
        published: r.published,
        sections: &r.sections,
        cells: Empty {},
        extra_items: &r.extra_items,
        claims: &r.claims,
        tables: &r.tables,
        doubts: [],
    };
    let doc = serde_json::to_string(&doc).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let id = c
        .query(
            "INSERT INTO reports (hash, path, format, agency_id, agency_name, year, template, title, published, \
             version, current, held, errors, warnings, ingested_at, doc, added_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $15, $16, $11, $12, $13, $14, $17) RETURNING id",
            &[
                p.hash.as_str().into(),
                p.path.as_str().into(),
                p.format.as_str().into(),
                agency_id.into(),
                r.agency.as_deref().into(),
                year.into(),
                r.template.as_str().into(),
                r.title.as_deref().into(),
                r.published.map(|d| d.to_string()).into(),
                version.into(),
                errors.into(),
                warnings.into(),
                now().into(),
                doc.into(),
                i64::from(!held).into(),
                i64::from(held).into(),
                how.by.as_deref().into(),
            ],
        )?
        .first()
        .and_then(|row| row.int(0))
        .ok_or_else(|| StoreError::Sql("INSERT returned no id".into()))?;
    let cells = match &carried {
        Some(k) => crate::cellset::encode(&k.report.cells),
        None => {
            debug_assert_eq!(p.cells, crate::cellset::encode(&p.report.cells));
            p.cells.clone()
        }
    };
    c.exec(
        "INSERT INTO cell_sets (report_id, cells) VALUES ($1, $2)",
        &[id.into(), cells.into()],
    )?;
    c.insert_rows(
        "findings",
        &FINDING_COLUMNS,
        &finding_rows(id, "report", findings),
    )?;
    crate::figures::put(c, id, r, findings)?;
    // A carried change keeps who made it and when (its reason says it was carried).
    for (kind, key, old, new, reason, user, at) in carried.iter().flat_map(|k| &k.changes) {
        c.exec(
            "INSERT INTO corrections (report_id, kind, key, old, new, reason, user_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[id.into(), (*kind).into(), key.as_str().into(), old.as_deref().into(), new.as_deref().into(), reason.as_str().into(), user.as_str().into(), at.as_str().into()],
        )?;
    }
    if let Some((prev, v)) = last {
        crate::carry::comments(c, prev, v, id, r)?;
    }
    c.exec(
        "INSERT INTO sources (report_id, text) VALUES ($1, $2)",
        &[id.into(), p.text.as_str().into()],
    )?;
    if let Some(bytes) = &p.original {
        c.exec(
            "INSERT INTO originals (report_id, name, bytes) VALUES ($1, $2, $3)",
            &[id.into(), p.path.as_str().into(), bytes.clone().into()],
        )?;
    }
    if let Some(a) = agency_id {
        c.exec("UPDATE agencies SET dirty = 1 WHERE id = $1", &[a.into()])?;
    }
    if let (Some((_, v, state)), false) = (&reviewed, held) {
        // Replaced without a reviewer's decision (a command-line ingest): on the record.
        let was = crate::workflow::Step::parse(state).map_or("", |s| s.name_zh());
        crate::workflow::log(
            c,
            id,
            crate::workflow::Step::Pending,
            &format!("导入的新版本替换了{was}的第 {v} 版"),
            "导入 (ingest)",
        )?;
    }
    Ok(if held {
        Saved::Held
    } else if previous.is_empty() {
        Saved::New
    } else {
        Saved::NewVersion
    })
}

/// A report as stored in `reports.doc`: every field of `Report` but its cells and doubts
/// (empty here; they are rows of their own tables).
#[derive(serde::Serialize)]
struct Doc<'a> {
    file: &'a Option<String>,
    title: &'a Option<String>,
    agency: &'a Option<String>,
    year: Option<i32>,
    template: nianbao_model::Template,
    published: Option<nianbao_model::Date>,
    sections: &'a [nianbao_model::Section],
    cells: Empty,
    extra_items: &'a [nianbao_model::ExtraItem],
    claims: &'a [nianbao_model::Claim],
    tables: &'a [String],
    doubts: [(); 0],
}

/// Serialises as `{}`.
#[derive(serde::Serialize)]
struct Empty {}

pub const FINDING_COLUMNS: [&str; 10] = [
    "report_id",
    "origin",
    "rule",
    "severity",
    "message_zh",
    "message_en",
    "cells",
    "fix_key",
    "fix_value",
    "alternatives",
];

pub(crate) fn finding_rows(id: i64, origin: &str, findings: &[Finding]) -> Vec<Vec<Value>> {
    findings
        .iter()
        .map(|f| {
            vec![
                id.into(),
                origin.into(),
                f.rule.as_str().into(),
                f.severity.as_str().into(),
                f.message_zh.as_str().into(),
                f.message_en.as_str().into(),
                f.cells.join(" ").into(),
                f.fix.as_ref().map(|x| x.key.clone()).into(),
                f.fix.as_ref().map(|x| x.value).into(),
                (!f.alternatives.is_empty())
                    .then(|| serde_json::to_string(&f.alternatives).unwrap_or_default())
                    .into(),
            ]
        })
        .collect()
}

pub(crate) fn now() -> String {
    crate::review::unix_now().to_string()
}

/// The agency a printed name belongs to: a known spelling, or the one agency with the same
/// core and a compatible region, or a new agency.
pub(crate) fn resolve_agency(
    c: &mut dyn Conn,
    printed: &str,
    path: &str,
    text: &str,
) -> Result<i64, StoreError> {
    resolve(c, printed, path, text, false).map(|(id, _)| id)
}

/// As [`resolve_agency`] for a name recognised by OCR, which may be misread: where it would
/// found a new agency, the one known agency it is a misreading of is taken instead (see
/// [`near_agency`]); its name is returned with the id.
pub(crate) fn resolve_recognised(
    c: &mut dyn Conn,
    printed: &str,
    path: &str,
    text: &str,
) -> Result<(i64, Option<String>), StoreError> {
    resolve(c, printed, path, text, true)
}

fn resolve(
    c: &mut dyn Conn,
    printed: &str,
    path: &str,
    text: &str,
    recognised: bool,
) -> Result<(i64, Option<String>), StoreError> {
    let printed = printed.trim();
    let mut name = agency::parse(printed);
    if name.region.is_empty() {
        name.region = agency::region_from_path(path);
        name.level = agency::parse(&format!("{}{}", name.region.concat(), printed)).level;
    }
    let hints = format!("{path}\n{text}");
    // Spellings of one agency saved by two workers at once resolve to one agency, and its
    // versions and cross-year state change one at a time.
    crate::db::lock(c, &format!("agency {}", name.core))?;
    if let Some(id) = c
        .query(
            "SELECT agency_id FROM aliases WHERE name = $1",
            &[printed.into()],
        )?
        .first()
        .and_then(|r| r.int(0))
    {
        crate::divisions::locate_one(c, id, &name, &hints)?;
        return Ok((id, None));
    }
    let candidates: Vec<(i64, Name)> = c
        .query(
            "SELECT id, region, core, level FROM agencies WHERE core = $1",
            &[name.core.as_str().into()],
        )?
        .iter()
        .map(|r| (r.int(0).unwrap_or(0), stored_name(r)))
        .filter(|(_, n)| agency::same_agency(n, &name))
        .collect();
    let near = if candidates.is_empty() && recognised {
        near_agency(c, printed)?
    } else {
        None
    };
    if let Some((id, known)) = near {
        c.exec(
            "INSERT INTO aliases (name, agency_id) VALUES ($1, $2)",
            &[printed.into(), id.into()],
        )?;
        return Ok((id, Some(known)));
    }
    let id = match candidates.as_slice() {
        [(id, known)] => {
            if name.region.len() > known.region.len() {
                c.exec(
                    "UPDATE agencies SET region = $1, level = $2 WHERE id = $3",
                    &[name.region.join("/").into(), name.level.as_zh().into(), (*id).into()],
                )?;
            }
            *id
        }
        _ => c
            .query(
                "INSERT INTO agencies (name, core, region, level) VALUES ($1, $2, $3, $4) RETURNING id",
                &[printed.into(), name.core.as_str().into(), name.region.join("/").into(), name.level.as_zh().into()],
            )?
            .first()
            .and_then(|r| r.int(0))
            .ok_or_else(|| StoreError::Sql("INSERT returned no id".into()))?,
    };
    c.exec(
        "INSERT INTO aliases (name, agency_id) VALUES ($1, $2)",
        &[printed.into(), id.into()],
    )?;
    crate::divisions::locate_one(c, id, &name, &hints)?;
    Ok((id, None))
}

/// What a person is told when a recognised name was taken for a known agency.
/// The finding of a report filed by agency `id` that prints the name of another agency
/// (a name its own agency is not known by), if it does.
fn filed_elsewhere(c: &mut dyn Conn, id: i64, p: &Parsed) -> Result<Option<Finding>, StoreError> {
    let Some(printed) = p.report.agency.as_deref().map(str::trim) else {
        return Ok(None);
    };
    let known = c.query(
        "SELECT a.name FROM agencies a WHERE a.id = $1 AND (a.name = $2 OR EXISTS \
         (SELECT 1 FROM aliases s WHERE s.agency_id = a.id AND s.name = $2))",
        &[id.into(), printed.into()],
    )?;
    if !known.is_empty() {
        return Ok(None);
    }
    let own = c
        .query("SELECT name FROM agencies WHERE id = $1", &[id.into()])?
        .first()
        .map(|r| r.str(0).to_string())
        .unwrap_or_default();
    if agency::parse(printed).core == agency::parse(&own).core {
        return Ok(None);
    }
    Ok(Some(Finding::new(
        nianbao_model::Rule::ExtractAgencyFiled,
        Severity::Warning,
        format!("报告所印机构名称为“{printed}”，由“{own}”报送，已归入“{own}”；请核对是否传错文件"),
        format!("the report prints {printed:?} and was filed by {own:?}, whose report it is now; check that the right file was sent"),
        Vec::new(),
    )))
}

fn agency_matched(printed: &str, known: &str) -> Finding {
    let differ = printed
        .chars()
        .zip(known.chars())
        .filter(|(a, b)| a != b)
        .count();
    Finding::new(
        nianbao_model::Rule::ExtractAgencyMatched,
        Severity::Warning,
        format!(
            "机构名称识别为“{printed}”，与已有机构“{known}”只差{differ}个字，按识别错误归入该机构；如确为另一机构，请在机构列表中拆分"
        ),
        format!(
            "the agency was recognised as {printed:?}, {differ} character(s) off the known agency {known:?}, and taken as a misreading of it; split it off in the agency list if it is another body"
        ),
        Vec::new(),
    )
}

/// Names this short are one character off too many others to be told apart.
const NEAR_SHORTEST: usize = 6;
/// A core (`交通运输局`) this short differs from another body's by one character
/// (`教育局`, `体育局`).
const CORE_SHORTEST: usize = 5;
/// A place name this short is one character off dozens of others.
const PLACE_SHORTEST: usize = 3;

/// The one agency a recognised name is a misreading of, and the spelling it is known by:
/// each part of the name (its places, its core) the same or a character in three off
/// (`交昨与建设唐` for `交通与建设局`), places only where the printed one is no division
/// (`南台县` for `南召县`). Counting characters
/// (`第一中学`, `第二中学`) name different bodies, so a difference there is no misreading.
fn near_agency(c: &mut dyn Conn, printed: &str) -> Result<Option<(i64, String)>, StoreError> {
    let name = agency::parse(printed);
    let length = printed.chars().count();
    if length < NEAR_SHORTEST {
        return Ok(None);
    }
    let rows = c.query(
        "SELECT agency_id, name FROM aliases WHERE LENGTH(name) = $1",
        &[(length as i64).into()],
    )?;
    let mut found: Vec<(i64, String)> = Vec::new();
    for r in &rows {
        let (id, known) = (r.int(0).unwrap_or(0), r.str(1));
        let theirs = agency::parse(known);
        if misread(&name, &theirs) && !found.iter().any(|(f, _)| *f == id) {
            found.push((id, known.to_string()));
        }
    }
    Ok(match found.len() {
        1 => found.pop(),
        _ => None,
    })
}

/// True when `read` may be `known` misread: some part a few characters off (see
/// [`close`]), none further.
fn misread(read: &Name, known: &Name) -> bool {
    if read.region.len() != known.region.len() {
        return false;
    }
    let places = read
        .region
        .iter()
        .zip(&known.region)
        .map(|(a, b)| match close(a, b) {
            _ if a == b => Some(false),
            true if a.chars().count() >= PLACE_SHORTEST && !nianbao_division::is_place(a) => {
                Some(true)
            }
            _ => None,
        });
    let core = match close(&read.core, &known.core) {
        _ if read.core == known.core => Some(false),
        true if read.core.chars().count() >= CORE_SHORTEST => Some(true),
        _ => None,
    };
    let parts: Option<Vec<bool>> = places.chain([core]).collect();
    parts.is_some_and(|p| p.contains(&true))
}

/// True when `a` and `b` have the same length and differ in at most one character in three
/// (at least one), none of them a counting character.
fn close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let counting = |ch: char| ch.is_ascii_digit() || "一二三四五六七八九十〇零".contains(ch);
    if a.len() != b.len() {
        return false;
    }
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    differ.len() <= (a.len() / 3).max(1)
        && differ.iter().all(|&i| !counting(a[i]) && !counting(b[i]))
}

fn stored_name(r: &Row) -> Name {
    let region = r
        .str(1)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Name {
        region,
        core: r.str(2).to_string(),
        level: agency::Level::Unknown,
    }
}

/// Which reports to load.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub years: Vec<i32>,
    pub region: Option<String>,
    /// A national division code (`3302` 宁波市): agencies in it or under it.
    pub division: Option<String>,
    /// The agencies of a filing campaign (named on it, or under its division).
    pub campaign: Option<i64>,
    pub template: Option<Template>,
    /// Older versions too (default: only the current version of each report).
    pub all_versions: bool,
    pub agency_id: Option<i64>,
    /// Level as stored (`乡镇`, `县级部门`, …).
    pub level: Option<String>,
    pub status: Option<Status>,
    /// Words in the agency's name.
    pub name: Option<String>,
    /// Words anywhere in the report's text (narrative sections included).
    pub text: Option<String>,
    /// Values as extracted, before reviewers' corrections (default: corrected values).
    pub originals: bool,
    /// One stored report (whichever version it is).
    pub report_id: Option<i64>,
    /// Only reports without a year.
    pub no_year: bool,
    /// Only reports of agencies not located among the divisions.
    pub unplaced: bool,
    /// Only reports at this review state (a report never reviewed is pending).
    pub review: Option<crate::workflow::Step>,
    /// Only reports assigned to this reviewer.
    pub assignee: Option<String>,
}

/// Reports by their worst finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Errors,
    Warnings,
    Clean,
}

impl Filter {
    /// A WHERE clause over `reports r` / `agencies a`, with its parameters.
    pub(crate) fn sql(&self) -> (String, Vec<Value>) {
        let mut conds = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if let Some(id) = self.report_id {
            params.push(id.into());
            conds.push(format!("r.id = ${}", params.len()));
        } else if !self.all_versions {
            conds.push("r.current = 1".to_string());
        }
        if !self.years.is_empty() {
            let marks: Vec<String> = self
                .years
                .iter()
                .map(|y| {
                    params.push(i64::from(*y).into());
                    format!("${}", params.len())
                })
                .collect();
            conds.push(format!("r.year IN ({})", marks.join(", ")));
        }
        if let Some(region) = &self.region {
            params.push(format!("%{region}%").into());
            conds.push(format!(
                "(a.region LIKE ${0} OR a.name LIKE ${0})",
                params.len()
            ));
        }
        if let Some(code) = self.division.as_deref().filter(|c| !c.is_empty()) {
            conds.push(crate::divisions::under(code, &mut params));
        }
        if self.no_year {
            conds.push("r.year IS NULL".into());
        }
        if self.unplaced {
            conds.push("a.division IS NULL".into());
        }
        if let Some(c) = self.campaign {
            params.push(c.into());
            conds.push(format!(
                "(r.agency_id IN (SELECT agency_id FROM campaign_agencies WHERE campaign_id = ${0}) \
                 OR a.division LIKE (SELECT division || '%' FROM campaigns WHERE id = ${0}))",
                params.len()
            ));
        }
        if let Some(t) = self.template {
            params.push(t.as_str().into());
            conds.push(format!("r.template = ${}", params.len()));
        }
        match self.review {
            Some(crate::workflow::Step::Pending) => conds.push(
                "NOT EXISTS (SELECT 1 FROM review_states s WHERE s.report_id = r.id AND s.state <> 'pending')".into(),
            ),
            Some(step) => {
                params.push(step.as_str().into());
                conds.push(format!(
                    "EXISTS (SELECT 1 FROM review_states s WHERE s.report_id = r.id AND s.state = ${})",
                    params.len()
                ));
            }
            None => {}
        }
        if let Some(who) = &self.assignee {
            params.push(who.as_str().into());
            conds.push(format!(
                "EXISTS (SELECT 1 FROM review_states s WHERE s.report_id = r.id AND s.assignee = ${})",
                params.len()
            ));
        }
        if let Some(a) = self.agency_id {
            params.push(a.into());
            conds.push(format!("r.agency_id = ${}", params.len()));
        }
        if let Some(l) = &self.level {
            params.push(l.as_str().into());
            conds.push(format!("a.level = ${}", params.len()));
        }
        match self.status {
            Some(Status::Errors) => conds.push("r.errors > 0".into()),
            Some(Status::Warnings) => conds.push("r.errors = 0 AND r.warnings > 0".into()),
            Some(Status::Clean) => conds.push("r.errors = 0 AND r.warnings = 0".into()),
            None => {}
        }
        if let Some(n) = self.name.as_deref().filter(|n| !n.trim().is_empty()) {
            params.push(format!("%{}%", like_escape(n.trim())).into());
            conds.push(format!(
                "COALESCE(a.name, r.agency_name, '') LIKE ${} ESCAPE '\\'",
                params.len()
            ));
        }
        if let Some(t) = self.text.as_deref().filter(|t| !t.trim().is_empty()) {
            // Every word must occur (Chinese has no spaces; people type 复议 纠错).
            for word in t.split_whitespace().take(8) {
                params.push(format!("%{}%", like_escape(word)).into());
                conds.push(format!(
                    "r.id IN (SELECT report_id FROM sources WHERE text LIKE ${} ESCAPE '\\')",
                    params.len()
                ));
            }
        }
        let clause = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        (clause, params)
    }
}

/// `%` and `_` typed by a person are literal characters, not patterns.
fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

impl Store {
    /// Streams the reports a filter selects, in (agency, year, version) order.
    pub fn each_report(
        &mut self,
        filter: &Filter,
        f: &mut dyn FnMut(Stored) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let (clause, params) = filter.sql();
        let head = "SELECT r.id, r.agency_id, COALESCE(a.name, r.agency_name, ''), COALESCE(a.region, ''), \
                    COALESCE(a.level, ''), r.version, r.path, r.doc, a.division, cs.cells \
                    FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id \
                    LEFT JOIN cell_sets cs ON cs.report_id = r.id";
        // The ids in order first (8 bytes a report), then the reports a batch at a time:
        // memory stays flat however many are exported, and cells are read with a second
        // query on the same connection.
        let mut ids = Vec::new();
        self.conn.each(
            &format!(
                "SELECT r.id FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id {clause} \
                 ORDER BY COALESCE(a.name, r.agency_name, ''), r.year, r.version, r.id"
            ),
            &params,
            &mut |r| {
                ids.extend(r.int(0));
                Ok(())
            },
        )?;
        for chunk in ids.chunks(256) {
            let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
            let mut heads: HashMap<i64, Row> = self
                .conn
                .query(&format!("{head} WHERE r.id IN ({})", list.join(", ")), &[])?
                .into_iter()
                .filter_map(|r| Some((r.int(0)?, r)))
                .collect();
            for head in chunk.iter().filter_map(|id| heads.remove(id)) {
                let mut stored = self.load(&head)?;
                if filter.originals {
                    for (key, old) in self.originals(stored.id)? {
                        stored.report.set(&key, old.as_deref().and_then(parse_num));
                    }
                }
                f(stored)?;
            }
        }
        Ok(())
    }

    /// One stored report by id (any version).
    pub fn report(&mut self, id: i64) -> Result<Option<Stored>, StoreError> {
        let rows = self.conn.query(
            "SELECT r.id, r.agency_id, COALESCE(a.name, r.agency_name, ''), COALESCE(a.region, ''), COALESCE(a.level, ''), \
             r.version, r.path, r.doc, a.division, cs.cells FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id \
             LEFT JOIN cell_sets cs ON cs.report_id = r.id WHERE r.id = $1",
            &[id.into()],
        )?;
        match rows.first() {
            Some(head) => Ok(Some(self.load(head)?)),
            None => Ok(None),
        }
    }

    fn load(&mut self, head: &Row) -> Result<Stored, StoreError> {
        let id = head.int(0).unwrap_or(0);
        let mut report: Report = serde_json::from_str(head.str(7))
            .map_err(|e| StoreError::Corrupt(format!("报告 {id} 的内容无法解析: {e}")))?;
        crate::cellset::decode_into(head.text(9).unwrap_or("[]"), &mut report)
            .map_err(|e| StoreError::Corrupt(format!("报告 {id}: {e}")))?;
        let findings = self.findings(id)?;
        Ok(Stored {
            id,
            agency_id: head.int(1),
            agency: head.str(2).to_string(),
            region: head.str(3).to_string(),
            level: head.str(4).to_string(),
            version: head.int(5).unwrap_or(1),
            path: head.str(6).to_string(),
            division: head.text(8).map(str::to_string),
            report,
            findings,
        })
    }

    /// Every finding of a report: its own and the cross-year ones.
    pub fn findings(&mut self, id: i64) -> Result<Vec<Finding>, StoreError> {
        self
            .conn
            .query(
                "SELECT rule, severity, message_zh, message_en, cells, fix_key, fix_value, alternatives FROM findings \
                 WHERE report_id = $1 ORDER BY origin DESC, rule",
                &[id.into()],
            )?
            .iter()
            .map(|r| {
                let rule = Rule::parse(r.str(0)).ok_or_else(|| {
                    StoreError::Corrupt(format!("报告 {id} 的问题规则 {:?} 未知 (unknown rule)", r.str(0)))
                })?;
                Ok(Finding {
                rule,
                severity: match r.str(1) {
                    "error" => Severity::Error,
                    "warning" => Severity::Warning,
                    _ => Severity::Info,
                },
                message_zh: r.str(2).to_string(),
                message_en: r.str(3).to_string(),
                cells: r.str(4).split_whitespace().map(str::to_string).collect(),
                fix: r.text(5).map(|k| Fix { key: k.to_string(), current: None, value: r.int(6).unwrap_or(0) }),
                alternatives: r.text(7).and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default(),
            })
            })
            .collect()
    }
}

impl Store {
    /// The file a report was read from, as published (name, bytes), when it was kept.
    pub fn original(&mut self, id: i64) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        Ok(self
            .conn
            .query(
                "SELECT name, bytes FROM originals WHERE report_id = $1",
                &[id.into()],
            )?
            .first()
            .map(|r| {
                (
                    r.str(0).to_string(),
                    r.bytes(1).unwrap_or_default().to_vec(),
                )
            }))
    }
}

pub(crate) fn parse_num(s: &str) -> Option<Num> {
    if s.contains(['.', 'e', 'E']) {
        s.parse().ok().map(Num::Dec)
    } else {
        s.parse().ok().map(Num::Int)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn may_be(read: &str, known: &str) -> bool {
        misread(&agency::parse(read), &agency::parse(known))
    }

    #[test]
    fn misreadings_are_a_character_in_three_per_part() {
        assert!(may_be("南召县交通运榆局", "南召县交通运输局"));
        assert!(may_be(
            "平潭综合实验区交昨与建设唐",
            "平潭综合实验区交通与建设局"
        ));
        assert!(!may_be(
            "平潭综合实验区交昨与建没唐",
            "平潭综合实验区交通与建设局"
        ));
        assert!(
            may_be("南台县交通运榆局", "南召县交通运输局"),
            "南台县 is no county"
        );
        assert!(may_be("平漂综合实验区公安局", "平潭综合实验区公安局"));
        // Two real places, short cores, counting characters, two characters in one part.
        assert!(!may_be("宁海县交通运输局", "宁波市交通运输局"));
        assert!(!may_be("南召县教育局", "南召县体育局"));
        assert!(!may_be("南召县第一中学", "南召县第二中学"));
        assert!(!may_be("南召县交通运榆房", "南召县交通运输局"));
        assert!(
            !may_be("南召县交通运输局", "南召县交通运输局"),
            "the same name"
        );
    }
}
