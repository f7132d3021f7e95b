//! Cross-year checks over one agency's series of reports.
//!
//! Rules: `cross.carry_over` (this year's 上年结转 must equal last year's 结转下年度继续办理,
//! column by column), `cross.in_force` (2021 format: 现行有效件数 = last year's + 本年制发 −
//! 本年废止), `cross.missing_year` (a gap in the series), `cross.swing` (requests received
//! changing tenfold). They are recomputed whenever an agency's series changes.

use crate::db::{transaction, Conn, Kind};
use crate::store::{finding_rows, FINDING_COLUMNS};
use crate::{Store, StoreError};
use nianbao_model::Rule;
use nianbao_model::{Finding, Severity, Template, COLUMNS, COLUMN_LABELS};
use std::collections::HashMap;

/// What the cross-year rules need of one report.
#[derive(Clone, Debug, Default)]
pub struct YearReport {
    pub year: i32,
    pub template: Option<Template>,
    pub values: HashMap<String, f64>,
}

impl YearReport {
    fn get(&self, key: &str) -> Option<f64> {
        debug_assert!(
            keys().iter().any(|k| k == key),
            "{key} missing from cross::keys"
        );
        self.values.get(key).copied()
    }
}

/// Every cell the cross-year rules read: all a refresh loads of a stored report (kept with
/// its figures, see `figures::put`).
pub fn keys() -> &'static [String] {
    static KEYS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let mut out: Vec<String> = COLUMNS
            .iter()
            .flat_map(|c| [format!("t3.carried_over.{c}"), format!("t3.carried_in.{c}")])
            .collect();
        for item in ["regulation", "normative"] {
            for col in ["in_force", "issued", "repealed"] {
                out.push(format!("t2.{item}.{col}"));
            }
        }
        out.extend(["legacy.request.received".into(), "t3.received.total".into()]);
        out
    });
    &KEYS
}

/// Findings for a series sorted by year, each with the index of the report it belongs to
/// (always the later of the two years compared).
pub fn findings(series: &[YearReport]) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for (i, pair) in series.windows(2).enumerate() {
        let (prev, cur) = (&pair[0], &pair[1]);
        let at = i + 1;
        for y in prev.year + 1..cur.year {
            out.push((
                at,
                Finding::new(
                    Rule::CrossMissingYear,
                    Severity::Warning,
                    format!(
                        "缺少 {y} 年度报告：该机构有 {} 年和 {} 年的报告",
                        prev.year, cur.year
                    ),
                    format!(
                        "the {y} report is missing: the agency has reports for {} and {}",
                        prev.year, cur.year
                    ),
                    Vec::new(),
                ),
            ));
        }
        if cur.year != prev.year + 1 {
            continue;
        }
        out.extend(carry_over(prev, cur).map(|f| (at, f)));
        out.extend(in_force(prev, cur).into_iter().map(|f| (at, f)));
        out.extend(swing(prev, cur).map(|f| (at, f)));
    }
    out
}

fn is_modern(r: &YearReport) -> bool {
    r.template.is_some_and(|t| t.sections().is_some())
}

fn carry_over(prev: &YearReport, cur: &YearReport) -> Option<Finding> {
    if !is_modern(prev) || !is_modern(cur) {
        return None;
    }
    let mut diffs = Vec::new();
    let mut cells = Vec::new();
    for (col, label) in COLUMNS.iter().zip(COLUMN_LABELS) {
        let was = prev.get(&format!("t3.carried_over.{col}")).unwrap_or(0.0);
        let key = format!("t3.carried_in.{col}");
        let now = cur.get(&key).unwrap_or(0.0);
        if was != now {
            diffs.push((label, now, was));
            cells.push(key);
        }
    }
    if diffs.is_empty() {
        return None;
    }
    let zh: Vec<String> = diffs
        .iter()
        .map(|(l, n, w)| format!("{l} {n} ≠ {w}"))
        .collect();
    let en: Vec<String> = diffs
        .iter()
        .map(|(l, n, w)| format!("{l} {n} ≠ {w}"))
        .collect();
    Some(Finding::new(
        Rule::CrossCarryOver,
        Severity::Error,
        format!(
            "上年结转与 {} 年报告的“结转下年度继续办理”不一致：{}",
            prev.year,
            zh.join("，")
        ),
        format!(
            "carried in does not equal the {} report's carried over: {}",
            prev.year,
            en.join(", ")
        ),
        cells,
    ))
}

fn in_force(prev: &YearReport, cur: &YearReport) -> Vec<Finding> {
    if prev.template != Some(Template::Y2021) || cur.template != Some(Template::Y2021) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (item, name) in [("regulation", "规章"), ("normative", "行政规范性文件")] {
        let key = format!("t2.{item}.in_force");
        let (Some(was), Some(now)) = (prev.get(&key), cur.get(&key)) else {
            continue;
        };
        let issued = cur.get(&format!("t2.{item}.issued")).unwrap_or(0.0);
        let repealed = cur.get(&format!("t2.{item}.repealed")).unwrap_or(0.0);
        let expected = was + issued - repealed;
        if expected != now {
            out.push(Finding::new(
                Rule::CrossInForce,
                Severity::Warning,
                format!("{name}现行有效件数为 {now}，按 {} 年的 {was} 件加本年制发 {issued} 件减废止 {repealed} 件应为 {expected}", prev.year),
                format!("{item} in force is {now}; {was} in {} + {issued} issued − {repealed} repealed = {expected}", prev.year),
                vec![key, format!("t2.{item}.issued"), format!("t2.{item}.repealed")],
            ));
        }
    }
    out
}

/// Requests received this year, whatever the template calls them.
fn received(r: &YearReport) -> Option<(f64, &'static str)> {
    match r.template {
        Some(Template::Legacy) => r
            .get("legacy.request.received")
            .map(|v| (v, "legacy.request.received")),
        Some(_) => r.get("t3.received.total").map(|v| (v, "t3.received.total")),
        None => None,
    }
}

fn swing(prev: &YearReport, cur: &YearReport) -> Option<Finding> {
    let ((was, _), (now, key)) = (received(prev)?, received(cur)?);
    let big = was.max(now);
    if big < 20.0 || (now < was * 10.0 && was < now * 10.0) {
        return None;
    }
    Some(Finding::new(
        Rule::CrossSwing,
        Severity::Warning,
        format!(
            "本年新收申请 {now} 件，{} 年为 {was} 件，变化超过十倍，请核实",
            prev.year
        ),
        format!(
            "requests received went from {was} in {} to {now}: more than tenfold, please verify",
            prev.year
        ),
        vec![key.to_string()],
    ))
}

impl Store {
    /// Recomputes the cross-year findings of every agency whose series changed. An agency's
    /// work and the clearing of its mark are one transaction, so an interrupted run is
    /// finished by the next one.
    pub fn refresh_cross(&mut self) -> Result<usize, StoreError> {
        let ids: Vec<i64> = self
            .conn()
            .query("SELECT id FROM agencies WHERE dirty = 1 ORDER BY id", &[])?
            .iter()
            .filter_map(|r| r.int(0))
            .collect();
        let keys = keys();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        // On SQLite many agencies go in one transaction (a commit each made the end of a
        // large ingest one long serial tail); on PostgreSQL one each, as workers of other
        // processes lock agencies. Interrupted, the agencies not committed stay marked.
        let per_transaction = match self.conn().kind() {
            Kind::Sqlite => 256,
            Kind::Postgres => 1,
        };
        for chunk in ids.chunks(per_transaction) {
            transaction(self.conn(), |c| {
                for &id in chunk {
                    refresh_agency(c, id, &keys)?;
                }
                Ok(())
            })?;
        }
        Ok(ids.len())
    }
}

/// Rewrites one agency's cross-year findings and clears its mark.
fn refresh_agency(c: &mut dyn Conn, id: i64, keys: &[&str]) -> Result<(), StoreError> {
    // Not while a worker saves a report of this agency (see `store::save`).
    let core = c.query("SELECT core FROM agencies WHERE id = $1", &[id.into()])?;
    if let Some(core) = core.first() {
        crate::db::lock(c, &format!("agency {}", core.str(0)))?;
    }
    let reports = c.query(
        "SELECT id, year, template FROM reports WHERE agency_id = $1 AND current = 1 AND year IS NOT NULL ORDER BY year",
        &[id.into()],
    )?;
    c.exec(
        "DELETE FROM findings WHERE origin = 'cross' AND report_id IN (SELECT id FROM reports WHERE agency_id = $1)",
        &[id.into()],
    )?;
    // The numbers the rules read, of every report of the series, in one query (kept with
    // each report's figures; decoded from its cells when a figure row lacks them).
    let mut values: HashMap<i64, HashMap<String, f64>> = HashMap::new();
    let mut missing = Vec::new();
    let mut damaged = None;
    c.each(
        "SELECT r.id, f.cross_cells FROM reports r LEFT JOIN figures f ON f.report_id = r.id \
         WHERE r.agency_id = $1 AND r.current = 1 AND r.year IS NOT NULL",
        &[id.into()],
        &mut |row| {
            let report = row.int(0).unwrap_or(0);
            match row
                .text(1)
                .map(serde_json::from_str::<HashMap<String, f64>>)
            {
                Some(Ok(v)) => {
                    values.insert(report, v);
                }
                Some(Err(e)) => damaged = Some(format!("报告 {report}: {e}")),
                None => missing.push(report),
            }
            Ok(())
        },
    )?;
    for report in missing {
        let rows = c.query(
            "SELECT cells FROM cell_sets WHERE report_id = $1",
            &[report.into()],
        )?;
        let stored = rows.first().map_or("[]", |r| r.str(0));
        match crate::cellset::numbers(stored, keys) {
            Ok(v) => {
                values.insert(report, v.into_iter().collect());
            }
            Err(e) => damaged = Some(format!("报告 {report}: {e}")),
        }
    }
    if let Some(e) = damaged {
        return Err(StoreError::Corrupt(e));
    }
    let series: Vec<YearReport> = reports
        .iter()
        .map(|r| YearReport {
            year: r.int(1).unwrap_or(0) as i32,
            template: Template::parse(r.str(2)),
            values: values.remove(&r.int(0).unwrap_or(0)).unwrap_or_default(),
        })
        .collect();
    let mut counts: HashMap<usize, Vec<Finding>> = HashMap::new();
    for (at, f) in findings(&series) {
        counts.entry(at).or_default().push(f);
    }
    for (at, list) in counts {
        let report_id = reports[at].int(0).unwrap_or(0);
        c.insert_rows(
            "findings",
            &FINDING_COLUMNS,
            &finding_rows(report_id, "cross", &list),
        )?;
    }
    c.exec(
        "UPDATE reports SET errors = (SELECT COUNT(*) FROM findings f WHERE f.report_id = reports.id AND f.severity = 'error'), \
         warnings = (SELECT COUNT(*) FROM findings f WHERE f.report_id = reports.id AND f.severity = 'warning') \
         WHERE agency_id = $1",
        &[id.into()],
    )?;
    // The agency is named as its latest report names it (deterministic whatever
    // order a parallel ingest stored the reports in).
    c.exec(
        "UPDATE agencies SET name = COALESCE((SELECT agency_name FROM reports WHERE agency_id = $1 \
         AND current = 1 AND agency_name IS NOT NULL \
         ORDER BY (year IS NULL), year DESC, LENGTH(agency_name) DESC, agency_name LIMIT 1), name), \
         dirty = 0 WHERE id = $1",
        &[id.into()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(y: i32, t: Template, values: &[(&str, f64)]) -> YearReport {
        YearReport {
            year: y,
            template: Some(t),
            values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    #[test]
    fn carry_over_must_match_last_year() {
        let a = year(
            2021,
            Template::Y2021,
            &[
                ("t3.carried_over.natural", 2.0),
                ("t3.carried_over.total", 2.0),
            ],
        );
        let b = year(
            2022,
            Template::Y2021,
            &[("t3.carried_in.natural", 2.0), ("t3.carried_in.total", 2.0)],
        );
        assert!(findings(&[a.clone(), b]).is_empty());
        let c = year(
            2022,
            Template::Y2021,
            &[("t3.carried_in.natural", 1.0), ("t3.carried_in.total", 1.0)],
        );
        let f = findings(&[a, c]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, 1);
        assert_eq!(f[0].1.rule, Rule::CrossCarryOver);
        assert_eq!(
            f[0].1.cells,
            vec!["t3.carried_in.natural", "t3.carried_in.total"]
        );
        assert_eq!(
            f[0].1.message_zh,
            "上年结转与 2021 年报告的“结转下年度继续办理”不一致：自然人 1 ≠ 2，总计 1 ≠ 2"
        );
    }

    #[test]
    fn gaps_swings_and_in_force() {
        let a = year(
            2021,
            Template::Y2021,
            &[("t2.regulation.in_force", 10.0), ("t3.received.total", 3.0)],
        );
        let b = year(
            2022,
            Template::Y2021,
            &[
                ("t2.regulation.in_force", 12.0),
                ("t2.regulation.issued", 3.0),
                ("t3.received.total", 40.0),
            ],
        );
        let d = year(2024, Template::Y2021, &[]);
        let rules: Vec<(usize, String)> = findings(&[a, b, d])
            .into_iter()
            .map(|(i, f)| (i, f.rule.to_string()))
            .collect();
        assert_eq!(
            rules,
            vec![
                (1, Rule::CrossInForce.to_string()),
                (1, Rule::CrossSwing.to_string()),
                (2, Rule::CrossMissingYear.to_string())
            ]
        );
    }

    #[test]
    fn small_numbers_and_legacy_tables_are_quiet() {
        let a = year(2018, Template::Legacy, &[("legacy.request.received", 1.0)]);
        let b = year(
            2019,
            Template::Y2019,
            &[("t3.received.total", 15.0), ("t3.carried_in.total", 4.0)],
        );
        assert!(findings(&[a, b]).is_empty());
    }
}
