//! A new version of a report (the agency republished it, or a corrected file was uploaded)
//! keeps what reviewers did to the version before. A correction is carried to the new
//! version where the source still says what it said when the reviewer corrected it; where
//! the source changed, the correction is not applied and a finding names the cell, the old
//! correction and the new source value, for a reviewer to decide. An acceptance is carried
//! while the new version has the same finding.

use crate::db::Conn;
use crate::review::finding_key;
use crate::store::parse_num;
use crate::StoreError;
use nianbao_model::Rule;
use nianbao_model::{Finding, Report, Severity};
use std::collections::BTreeMap;

/// A change to record on the new version: (kind, key, old, new, reason, user, at) — who
/// made it and when, on the version before: carrying it is no new act of theirs.
pub type Change = (
    &'static str,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
);

/// What the new version gets from the one before.
pub struct Carried {
    /// The new version's report with the carried corrections applied.
    pub report: Report,
    /// Its findings: the checks of the corrected values, and one per correction not carried.
    pub findings: Vec<Finding>,
    pub changes: Vec<Change>,
}

/// A key's corrections on the version before, taken together.
struct Corrected {
    /// The value as extracted, before the first correction.
    original: Option<String>,
    /// The value after the last.
    last: Option<String>,
    reason: String,
    user: String,
    at: String,
}

/// The corrections and acceptances of report `previous` (version `version`) brought to the
/// new version `report`; None when there were none.
pub fn carry(
    c: &mut dyn Conn,
    previous: i64,
    version: i64,
    report: &Report,
) -> Result<Option<Carried>, StoreError> {
    let rows = c.query(
        "SELECT kind, key, old, new, reason, user_name, at FROM corrections WHERE report_id = $1 ORDER BY id",
        &[previous.into()],
    )?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut corrected: BTreeMap<String, Corrected> = BTreeMap::new();
    let mut accepted: Vec<(String, Option<String>, String, String, String)> = Vec::new();
    for r in &rows {
        let (key, new) = (r.str(1).to_string(), r.text(3).map(str::to_string));
        let (reason, user, at) = (
            r.str(4).to_string(),
            r.str(5).to_string(),
            r.str(6).to_string(),
        );
        if r.str(0) == "accept" {
            accepted.push((key, new, reason, user, at));
            continue;
        }
        let original = r.text(2).map(str::to_string);
        let e = corrected.entry(key).or_insert(Corrected {
            original,
            last: None,
            reason: String::new(),
            user: String::new(),
            at: String::new(),
        });
        (e.last, e.reason, e.user, e.at) = (new, reason, user, at);
    }
    let mut out = report.clone();
    let mut changes: Vec<Change> = Vec::new();
    let mut conflicts = Vec::new();
    for (key, k) in &corrected {
        if !out.cells.contains_key(key) || k.last == k.original {
            continue;
        }
        let now = report.value(key).map(|v| v.to_string());
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "空".into());
        if now == k.original {
            out.set(key, k.last.as_deref().and_then(parse_num));
            let reason = format!("沿用第 {version} 版的修改：{}", k.reason);
            changes.push((
                "correct",
                key.clone(),
                now,
                k.last.clone(),
                reason,
                k.user.clone(),
                k.at.clone(),
            ));
        } else {
            conflicts.push(Finding::new(
                Rule::ReviewCorrectionNotCarried,
                Severity::Warning,
                format!(
                    "第 {version} 版中此格由 {} 改为 {}（{}：{}），新版本原文为 {}，未沿用该修改，请复核",
                    show(&k.original),
                    show(&k.last),
                    k.user,
                    k.reason,
                    show(&now)
                ),
                format!(
                    "version {version} corrected this cell from {} to {} ({}: {}); the new version's source says {}, so the correction was not carried — review it",
                    show(&k.original),
                    show(&k.last),
                    k.user,
                    k.reason,
                    show(&now)
                ),
                vec![key.clone()],
            ));
        }
    }
    let mut findings = nianbao_check::findings(&out);
    for (key, message, reason, user, at) in accepted {
        if findings.iter().any(|f| finding_key(f) == key) {
            let reason = format!("沿用第 {version} 版的接受：{reason}");
            changes.push(("accept", key, None, message, reason, user, at));
        }
    }
    findings.extend(conflicts);
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(Some(Carried {
        report: out,
        findings,
        changes,
    }))
}

/// Comments on the cells of the version before come along: as they were where the cell's
/// value is the same in the new version, marked for review where it is not.
pub fn comments(
    c: &mut dyn Conn,
    previous: i64,
    version: i64,
    id: i64,
    report: &Report,
) -> Result<(), StoreError> {
    let rows = c.query(
        "SELECT m.key, m.body, m.user_name, m.at, v.value, m.id, m.reply_to, m.resolved_by, m.resolved_at FROM comments m \
         LEFT JOIN cells v ON v.report_id = m.report_id AND v.key = m.key \
         WHERE m.report_id = $1 ORDER BY m.id",
        &[previous.into()],
    )?;
    // Replies answer the copies of the comments they answered.
    let mut copied: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for r in rows {
        let key = r.str(0).to_string();
        if !report.cells.contains_key(&key) {
            continue;
        }
        let same = report.value(&key).map(|v| v.to_string()).as_deref() == r.text(4);
        let body = if same {
            r.str(1).to_string()
        } else {
            format!(
                "（第 {version} 版的评论；此格在新版本中已变，请复核）{}",
                r.str(1)
            )
        };
        let reply_to = r.int(6).and_then(|p| copied.get(&p).copied());
        let new = c
            .query(
                "INSERT INTO comments (report_id, key, body, user_name, at, reply_to, resolved_by, resolved_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &[id.into(), key.as_str().into(), body.as_str().into(), r.str(2).into(), r.str(3).into(),
                  reply_to.into(), r.text(7).into(), r.text(8).into()],
            )?
            .first()
            .and_then(|x| x.int(0));
        if let (Some(old), Some(new)) = (r.int(5), new) {
            copied.insert(old, new);
        }
    }
    Ok(())
}
