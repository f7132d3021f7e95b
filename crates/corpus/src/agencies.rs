//! Listing agencies, and the two corrections a person can make to identity: merge two
//! agencies that are one body, or split a spelling off into an agency of its own. Both
//! stick: later ingests resolve the spellings the way the person decided.

use crate::db::{transaction, Conn};
use crate::{Store, StoreError};

/// Counts a change to the agencies that neither a new report nor a new agency shows (a
/// merge, a split, a placing, a held version made current): what the web's caches key on
/// reads this one row instead of
/// counting every agency (25 ms at 143 000 agencies on PostgreSQL, on every list page).
pub(crate) fn touch(c: &mut dyn Conn) -> Result<(), StoreError> {
    c.exec(
        "INSERT INTO nianbao_meta (key, value) VALUES ('agencies_changed', '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(nianbao_meta.value AS INTEGER) + 1 AS TEXT)",
        &[],
    )?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq)]
pub struct AgencyRow {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub level: String,
    pub reports: i64,
    pub years: Vec<i64>,
    pub aliases: Vec<String>,
    /// National division code and how it was settled (see `divisions`).
    pub division: Option<String>,
    pub division_how: Option<String>,
}

impl Store {
    pub fn agencies(&mut self) -> Result<Vec<AgencyRow>, StoreError> {
        let heads = self.conn().query(
            "SELECT a.id, a.name, a.region, a.level, \
             (SELECT COUNT(*) FROM reports r WHERE r.agency_id = a.id AND r.current = 1), a.division, a.division_how \
             FROM agencies a ORDER BY a.region, a.name, a.id",
            &[],
        )?;
        let mut out = Vec::with_capacity(heads.len());
        for h in heads {
            let id = h.int(0).unwrap_or(0);
            let years = self
                .conn()
                .query("SELECT DISTINCT year FROM reports WHERE agency_id = $1 AND current = 1 AND year IS NOT NULL ORDER BY year", &[id.into()])?
                .iter()
                .filter_map(|r| r.int(0))
                .collect();
            let aliases = self
                .conn()
                .query(
                    "SELECT name FROM aliases WHERE agency_id = $1 ORDER BY name",
                    &[id.into()],
                )?
                .iter()
                .map(|r| r.str(0).to_string())
                .collect();
            out.push(AgencyRow {
                id,
                name: h.str(1).to_string(),
                region: h.str(2).to_string(),
                level: h.str(3).to_string(),
                reports: h.int(4).unwrap_or(0),
                years,
                aliases,
                division: h.text(5).map(str::to_string),
                division_how: h.text(6).map(str::to_string),
            });
        }
        Ok(out)
    }

    /// Moves every report and spelling of `other` to `keep` and removes `other`. Where both
    /// had a report for the same year, the one ingested later stays current.
    pub fn merge_agencies(&mut self, keep: i64, other: i64) -> Result<(), StoreError> {
        if keep == other {
            return Err(StoreError::Rejected(
                "不能把机构与自身合并 (cannot merge an agency with itself)".into(),
            ));
        }
        self.require(keep)?;
        self.require(other)?;
        transaction(self.conn(), |c| {
            c.exec(
                "UPDATE reports SET agency_id = $1 WHERE agency_id = $2",
                &[keep.into(), other.into()],
            )?;
            c.exec(
                "UPDATE aliases SET agency_id = $1 WHERE agency_id = $2",
                &[keep.into(), other.into()],
            )?;
            // One current report per year: the latest ingested wins.
            c.exec(
                "UPDATE reports SET current = 0 WHERE agency_id = $1 AND current = 1 AND EXISTS \
                 (SELECT 1 FROM reports n WHERE n.agency_id = $1 AND n.current = 1 AND n.year = reports.year AND n.id > reports.id)",
                &[keep.into()],
            )?;
            // Campaigns that called on either call on the one agency left; users who filed
            // for either file for it.
            move_links(c, "campaign_agencies", "campaign_id", keep, other)?;
            move_links(c, "user_agencies", "user_id", keep, other)?;
            c.exec("DELETE FROM agencies WHERE id = $1", &[other.into()])?;
            c.exec(
                "UPDATE agencies SET dirty = 1 WHERE id = $1",
                &[keep.into()],
            )?;
            touch(c)
        })?;
        self.refresh_cross()?;
        Ok(())
    }

    /// Gives the spelling `name` (and the reports printed with it) an agency of its own.
    /// Returns the new agency's id.
    pub fn split_agency(&mut self, id: i64, name: &str) -> Result<i64, StoreError> {
        self.require(id)?;
        let owner = self.conn().query(
            "SELECT agency_id FROM aliases WHERE name = $1",
            &[name.into()],
        )?;
        if owner.first().and_then(|r| r.int(0)) != Some(id) {
            return Err(StoreError::Rejected(format!("机构 {id} 没有名称“{name}” (agency {id} has no spelling {name:?}); 用 `nianbao agencies` 查看")));
        }
        let left = self.conn().query(
            "SELECT COUNT(*) FROM aliases WHERE agency_id = $1",
            &[id.into()],
        )?;
        if left.first().and_then(|r| r.int(0)) == Some(1) {
            return Err(StoreError::Rejected(format!(
                "“{name}”是机构 {id} 唯一的名称，无需拆分 (the only spelling; nothing to split)"
            )));
        }
        let parsed = crate::agency::parse(name);
        let new = transaction(self.conn(), |c| {
            let row = c.query("SELECT region FROM agencies WHERE id = $1", &[id.into()])?;
            let region = if parsed.region.is_empty() {
                row.first()
                    .map(|r| r.str(0).to_string())
                    .unwrap_or_default()
            } else {
                parsed.region.join("/")
            };
            let new = c
                .query(
                    "INSERT INTO agencies (name, core, region, level, dirty) VALUES ($1, $2, $3, $4, 1) RETURNING id",
                    &[name.into(), parsed.core.as_str().into(), region.into(), parsed.level.as_zh().into()],
                )?
                .first()
                .and_then(|r| r.int(0))
                .ok_or_else(|| StoreError::Sql("INSERT returned no id".into()))?;
            c.exec(
                "UPDATE aliases SET agency_id = $1 WHERE name = $2",
                &[new.into(), name.into()],
            )?;
            c.exec(
                "UPDATE reports SET agency_id = $1 WHERE agency_id = $2 AND agency_name = $3",
                &[new.into(), id.into(), name.into()],
            )?;
            for a in [id, new] {
                // A year whose current version moved away gets its latest remaining one back.
                c.exec(
                    "UPDATE reports SET current = 1 WHERE agency_id = $1 AND id IN \
                     (SELECT MAX(id) FROM reports WHERE agency_id = $1 GROUP BY year) AND NOT EXISTS \
                     (SELECT 1 FROM reports n WHERE n.agency_id = $1 AND n.year = reports.year AND n.current = 1)",
                    &[a.into()],
                )?;
            }
            c.exec("UPDATE agencies SET dirty = 1 WHERE id = $1", &[id.into()])?;
            touch(c)?;
            Ok(new)
        })?;
        self.refresh_cross()?;
        Ok(new)
    }

    fn require(&mut self, id: i64) -> Result<(), StoreError> {
        if self
            .conn()
            .query("SELECT id FROM agencies WHERE id = $1", &[id.into()])?
            .is_empty()
        {
            return Err(StoreError::NotFound(format!(
                "没有编号为 {id} 的机构 (no agency {id}); 用 `nianbao agencies` 查看"
            )));
        }
        Ok(())
    }
}

/// Moves the rows of a link table (`owner`, `agency_id`) from agency `other` to `keep`, once
/// per owner: an owner linked to both keeps one row.
fn move_links(
    c: &mut dyn crate::db::Conn,
    table: &str,
    owner: &str,
    keep: i64,
    other: i64,
) -> Result<(), StoreError> {
    c.exec(
        &format!(
            "UPDATE {table} SET agency_id = $1 WHERE agency_id = $2 AND NOT EXISTS \
             (SELECT 1 FROM {table} k WHERE k.agency_id = $1 AND k.{owner} = {table}.{owner})"
        ),
        &[keep.into(), other.into()],
    )?;
    c.exec(
        &format!("DELETE FROM {table} WHERE agency_id = $1"),
        &[other.into()],
    )?;
    Ok(())
}
