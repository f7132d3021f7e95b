//! Filing campaigns: an office calls for one year's reports from the agencies under it by a
//! deadline (31 January of the next year unless it says otherwise), and follows each agency
//! from 未报 to 已审.
//!
//! The agencies of a campaign are those named on it (picked or imported from a list; names
//! the corpus does not know yet become agencies without reports) and, when the campaign has
//! a division, every agency located in or under it — so a report uploaded or written in the
//! web lands in its campaign by itself. An agency's status comes from its current report of
//! the year and that report's review state: 退回 (returned) until a new version arrives, which
//! is 已报 again.

use crate::db::transaction;
use crate::review::beijing_time;
use crate::store::{now, resolve_agency};
use crate::{Store, StoreError};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub year: i64,
    /// The office that runs it (signs its letters).
    pub office: String,
    /// The division it covers, if any (agencies under it take part without being named).
    pub division: Option<String>,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    pub user: String,
    pub at: String,
}

/// What a new campaign needs.
#[derive(Clone, Debug, Default)]
pub struct NewCampaign {
    pub name: String,
    pub year: i64,
    pub office: String,
    pub division: Option<String>,
    /// Empty for 31 January of the year after `year`.
    pub deadline: String,
}

/// Where an agency is in a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Filing {
    /// No report yet, the deadline not passed.
    Missing,
    /// No report and the deadline passed.
    Overdue,
    /// Filed, not reviewed yet.
    Filed,
    /// Sent back to the agency with comments.
    Returned,
    /// Reviewed and accepted.
    Approved,
}

impl Filing {
    pub const ALL: [Filing; 5] = [
        Filing::Missing,
        Filing::Overdue,
        Filing::Filed,
        Filing::Returned,
        Filing::Approved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Filing::Missing => "missing",
            Filing::Overdue => "overdue",
            Filing::Filed => "filed",
            Filing::Returned => "returned",
            Filing::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<Filing> {
        Filing::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Filing::Missing => "未报",
            Filing::Overdue => "逾期",
            Filing::Filed => "已报",
            Filing::Returned => "退回",
            Filing::Approved => "已审",
        }
    }
}

/// One agency of a campaign.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub agency_id: i64,
    pub agency: String,
    pub division: Option<String>,
    pub status: Filing,
    /// Filed after the deadline.
    pub late: bool,
    pub report_id: Option<i64>,
    pub version: Option<i64>,
    /// The date the report bears (成文/发布日期), else the day it reached nianbao.
    pub filed: Option<String>,
    pub errors: i64,
    pub warnings: i64,
    /// Why it was returned (退回), as the reviewer wrote it.
    pub returned_for: Option<String>,
    /// A newer version waiting for a reviewer to make it current (the newest), if any.
    pub held: Option<i64>,
    /// Where `nianbao collect` found the report on the agency's portal, when it did.
    pub online: Option<Online>,
    /// The agency's portal was searched and no report of the year found: why.
    pub not_online: Option<String>,
}

/// A report as published on the agency's portal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Online {
    pub url: String,
    /// `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Where the date came from: `meta`, `page`, `list`.
    pub date_source: Option<String>,
    /// Published after 31 January of the next year (条例第五十条).
    pub late: Option<bool>,
}

/// A campaign's agencies and how many are at each status.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Board {
    pub campaign: Campaign,
    pub entries: Vec<Entry>,
    /// (status, agencies), every status listed.
    pub counts: Vec<(Filing, i64)>,
    /// Agencies that filed after the deadline.
    pub late: i64,
    /// The day the statuses were computed for.
    pub today: String,
}

impl Board {
    pub fn count(&self, f: Filing) -> i64 {
        self.counts
            .iter()
            .find(|(g, _)| *g == f)
            .map_or(0, |(_, n)| *n)
    }
}

type OnlineMaps = (
    std::collections::HashMap<String, Online>,
    std::collections::HashMap<String, String>,
);

impl Store {
    /// Reports of `year` collected from portals, by the stored file's hash; and agencies
    /// whose portal was searched without finding one of that year, with the reason.
    fn online(&mut self, year: i64) -> Result<OnlineMaps, StoreError> {
        let entries = self.collected_of(year)?;
        let mut by_hash = std::collections::HashMap::new();
        let mut found = std::collections::HashSet::new();
        for e in &entries {
            found.insert(e.agency.clone());
            if let Some(h) = &e.report_hash {
                by_hash.insert(
                    h.clone(),
                    Online {
                        url: e.url.clone(),
                        published: e.published.clone(),
                        date_source: e.date_source.clone(),
                        late: e.late(),
                    },
                );
            }
        }
        let searched = self
            .collected_sites()?
            .into_iter()
            .filter(|s| !found.contains(&s.agency))
            .map(|s| {
                let why = s.why_none(&[year]);
                (s.agency, why)
            })
            .collect();
        Ok((by_hash, searched))
    }
}

/// Today in China, `YYYY-MM-DD`.
pub fn today() -> String {
    crate::review::beijing_today().to_string()
}

/// A `YYYY-MM-DD` date that exists, or None.
fn valid_date(s: &str) -> Option<String> {
    let mut parts = s.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let date = nianbao_model::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some(date.to_string())
}

impl Store {
    pub fn create_campaign(&mut self, new: &NewCampaign, user: &str) -> Result<i64, StoreError> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(StoreError::Rejected(
                "请填写名称 (name the campaign)".into(),
            ));
        }
        if !(2000..=2100).contains(&new.year) {
            return Err(StoreError::Rejected(format!(
                "年度 {} 不合理 (year out of range)",
                new.year
            )));
        }
        let deadline = if new.deadline.trim().is_empty() {
            format!("{}-01-31", new.year + 1)
        } else {
            valid_date(&new.deadline).ok_or_else(|| {
                StoreError::Rejected(format!(
                    "截止日期“{}”应写作 YYYY-MM-DD，如 {}-01-31 (deadline as YYYY-MM-DD)",
                    new.deadline.trim(),
                    new.year + 1
                ))
            })?
        };
        let division = new
            .division
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        if let Some(d) = division {
            if nianbao_division::all().get(d).is_none() {
                return Err(StoreError::Rejected(format!(
                    "没有代码为 {d} 的行政区划 (no division {d})"
                )));
            }
        }
        self.conn()
            .query(
                "INSERT INTO campaigns (name, year, office, division, deadline, user_name, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &[
                    name.into(),
                    new.year.into(),
                    new.office.trim().into(),
                    division.into(),
                    deadline.into(),
                    user.into(),
                    now().into(),
                ],
            )?
            .first()
            .and_then(|r| r.int(0))
            .ok_or_else(|| StoreError::Sql("INSERT returned no id".into()))
    }

    pub fn campaigns(&mut self) -> Result<Vec<Campaign>, StoreError> {
        let rows = self.conn().query(
            "SELECT id, name, year, office, division, deadline, user_name, at FROM campaigns ORDER BY year DESC, id DESC",
            &[],
        )?;
        Ok(rows.iter().map(campaign_of).collect())
    }

    pub fn campaign(&mut self, id: i64) -> Result<Campaign, StoreError> {
        let rows = self.conn().query(
            "SELECT id, name, year, office, division, deadline, user_name, at FROM campaigns WHERE id = $1",
            &[id.into()],
        )?;
        rows.first().map(campaign_of).ok_or_else(|| {
            StoreError::NotFound(format!("没有编号为 {id} 的填报任务 (no campaign {id})"))
        })
    }

    /// Names agencies on a campaign by their printed names (one per line of an imported
    /// list); a name the corpus does not know becomes an agency without reports. Returns
    /// how many were added (a name already on it counts once).
    pub fn add_campaign_names(&mut self, id: i64, names: &[String]) -> Result<usize, StoreError> {
        self.campaign(id)?;
        let names: Vec<&str> = names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        transaction(self.conn(), |c| {
            let mut added = 0;
            for name in &names {
                let agency = resolve_agency(c, name, "", "")?;
                added += add_member(c, id, agency)?;
            }
            Ok(added)
        })
    }

    /// Every agency of a campaign with its status on `today` (`YYYY-MM-DD`).
    pub fn board(&mut self, id: i64, today: &str) -> Result<Board, StoreError> {
        let campaign = self.campaign(id)?;
        let under = campaign
            .division
            .as_deref()
            .map_or(String::new(), |d| format!("{d}%"));
        let rows = self.conn().query(
            // The members first (named, or under the division), then their reports: with
            // the two kinds of member as one OR, PostgreSQL joined every report of the year
            // (1 s at a million reports; 2.5 ms this way).
            "SELECT a.id, a.name, a.division, r.id, r.version, r.published, r.ingested_at, r.errors, r.warnings, s.state, s.reason, \
             (SELECT MAX(h.id) FROM reports h WHERE h.agency_id = a.id AND h.year = $2 AND h.held = 1), r.hash \
             FROM (SELECT agency_id AS id FROM campaign_agencies WHERE campaign_id = $1 \
                   UNION SELECT id FROM agencies WHERE $3 <> '' AND division LIKE $3) m \
             JOIN agencies a ON a.id = m.id \
             LEFT JOIN reports r ON r.agency_id = a.id AND r.year = $2 AND r.current = 1 \
             LEFT JOIN review_states s ON s.report_id = r.id \
             ORDER BY COALESCE(a.division, ''), a.name, a.id, r.id",
            &[id.into(), campaign.year.into(), under.into()],
        )?;
        let (online, searched) = self.online(campaign.year)?;
        let mut entries: Vec<Entry> = Vec::with_capacity(rows.len());
        for r in &rows {
            let agency_id = r.int(0).unwrap_or(0);
            // One row per agency: the latest current report of the year if several.
            if entries.last().is_some_and(|e| e.agency_id == agency_id) {
                entries.pop();
            }
            let report_id = r.int(3);
            let filed = report_id.map(|_| {
                r.text(5).map(str::to_string).unwrap_or_else(|| {
                    let at = r.int(6).unwrap_or(0);
                    beijing_time(at)[..10].to_string()
                })
            });
            let late = filed
                .as_deref()
                .is_some_and(|f| f > campaign.deadline.as_str());
            let status = match (report_id, r.text(9)) {
                (None, _) if today > campaign.deadline.as_str() => Filing::Overdue,
                (None, _) => Filing::Missing,
                (Some(_), Some("returned")) => Filing::Returned,
                (Some(_), Some("approved")) => Filing::Approved,
                (Some(_), _) => Filing::Filed,
            };
            entries.push(Entry {
                agency_id,
                agency: r.str(1).to_string(),
                division: r.text(2).map(str::to_string),
                status,
                late,
                report_id,
                version: r.int(4),
                filed,
                errors: r.int(7).unwrap_or(0),
                warnings: r.int(8).unwrap_or(0),
                returned_for: (status == Filing::Returned)
                    .then(|| r.text(10).map(str::to_string))
                    .flatten(),
                held: r.int(11),
                online: r.text(12).and_then(|h| online.get(h)).cloned(),
                not_online: None,
            });
            if let Some(e) = entries.last_mut() {
                if e.online.is_none() {
                    e.not_online = searched.get(&e.agency).cloned();
                }
            }
        }
        let counts = Filing::ALL
            .iter()
            .map(|f| (*f, entries.iter().filter(|e| e.status == *f).count() as i64))
            .collect();
        let late = entries.iter().filter(|e| e.late).count() as i64;
        Ok(Board {
            campaign,
            entries,
            counts,
            late,
            today: today.to_string(),
        })
    }
}

fn add_member(
    c: &mut dyn crate::db::Conn,
    campaign: i64,
    agency: i64,
) -> Result<usize, StoreError> {
    let there = c.query(
        "SELECT 1 FROM campaign_agencies WHERE campaign_id = $1 AND agency_id = $2",
        &[campaign.into(), agency.into()],
    )?;
    if !there.is_empty() {
        return Ok(0);
    }
    c.exec(
        "INSERT INTO campaign_agencies (campaign_id, agency_id) VALUES ($1, $2)",
        &[campaign.into(), agency.into()],
    )?;
    Ok(1)
}

fn campaign_of(r: &crate::db::Row) -> Campaign {
    Campaign {
        id: r.int(0).unwrap_or(0),
        name: r.str(1).to_string(),
        year: r.int(2).unwrap_or(0),
        office: r.str(3).to_string(),
        division: r.text(4).map(str::to_string),
        deadline: r.str(5).to_string(),
        user: r.str(6).to_string(),
        at: r
            .str(7)
            .parse::<i64>()
            .map_or_else(|_| r.str(7).to_string(), beijing_time),
    }
}
