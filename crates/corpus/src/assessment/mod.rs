//! A campaign's assessment (通报/评估报告): completeness and timeliness of the filing, and for
//! the reports filed the figures of `stats` over the campaign's agencies and year — as a whole
//! and per division one level below the campaign's — each agency ranked by a stated method,
//! and the problems found by type; as a document (DOCX, PDF through `nianbao_render`) and as
//! XLSX with the same figures.

mod document;
mod tables;
mod xlsx;

pub use document::document;
pub use tables::{region_rows, PROBLEM_HEAD, RANK_HEAD, REGION_HEAD};
pub use xlsx::xlsx;

use crate::campaigns::{Board, Filing};
use crate::stats::{By, Group};
use crate::store::Filter;
use crate::{Store, StoreError};
use nianbao_model::Rule;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How agencies are scored, as the report states it.
pub const METHOD: &str = "满分 100 分：按时报送 30 分（逾期报送 15 分，未报送 0 分），勾稽关系全部成立 30 分，\
报告格式与年度相符 10 分，无错误 20 分，无需核实事项 10 分；未报送的机构计 0 分。得分相同者名次相同。";

/// One agency's place in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    pub rank: usize,
    pub agency_id: i64,
    pub agency: String,
    pub status: Filing,
    pub late: bool,
    pub identities_hold: bool,
    pub template_right: bool,
    pub errors: i64,
    pub warnings: i64,
    pub score: i64,
}

/// Findings of one rule across the campaign's reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub rule: String,
    pub name_zh: String,
    pub severity: String,
    pub reports: i64,
    pub findings: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    pub board: Board,
    /// `stats` over the campaign's agencies and year, all together (None without reports).
    pub overall: Option<Group>,
    /// `stats` by the division level below the campaign's (`code name` groups).
    pub regions: Vec<Group>,
    pub ranking: Vec<Ranked>,
    pub problems: Vec<Problem>,
    /// Values corrected by reviewers in the campaign's reports, and in how many reports.
    pub corrections: i64,
    pub corrected_reports: i64,
}

impl Assessment {
    /// The filter that gives this assessment's figures with `nianbao stats`.
    pub fn filter(campaign: i64, year: i64) -> Filter {
        Filter {
            campaign: Some(campaign),
            years: vec![year as i32],
            ..Filter::default()
        }
    }

    pub fn filed(&self) -> i64 {
        self.board
            .entries
            .iter()
            .filter(|e| e.report_id.is_some())
            .count() as i64
    }

    pub fn on_time(&self) -> i64 {
        self.board
            .entries
            .iter()
            .filter(|e| e.report_id.is_some() && !e.late)
            .count() as i64
    }
}

pub(super) fn score(
    status: Filing,
    late: bool,
    identities: bool,
    template: bool,
    errors: i64,
    warnings: i64,
) -> i64 {
    if matches!(status, Filing::Missing | Filing::Overdue) {
        return 0;
    }
    let timely = if late { 15 } else { 30 };
    timely
        + if identities { 30 } else { 0 }
        + if template { 10 } else { 0 }
        + if errors == 0 { 20 } else { 0 }
        + if warnings == 0 { 10 } else { 0 }
}

impl Store {
    pub fn assessment(&mut self, id: i64, today: &str) -> Result<Assessment, StoreError> {
        let board = self.board(id, today)?;
        let filter = Assessment::filter(id, board.campaign.year);
        let overall = self.stats(By::All, &filter)?.into_iter().next();
        let level = crate::divisions::below(board.campaign.division.as_deref().unwrap_or(""));
        let regions = self.stats(By::Division(level), &filter)?;
        let (clause, params) = filter.sql();
        let scope = format!(
            "SELECT r.id FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id {clause}"
        );
        let mut rules: HashMap<i64, BTreeSet<String>> = HashMap::new();
        let mut by_rule: BTreeMap<String, (String, BTreeSet<i64>, i64, String)> = BTreeMap::new();
        self.conn().each(
            &format!("SELECT report_id, rule, severity, message_zh FROM findings WHERE report_id IN ({scope})"),
            &params,
            &mut |r| {
                let report = r.int(0).unwrap_or(0);
                let rule = r.str(1).to_string();
                rules.entry(report).or_default().insert(rule.clone());
                if matches!(r.str(2), "error" | "warning") {
                    let e = by_rule
                        .entry(rule)
                        .or_insert_with(|| (r.str(2).to_string(), BTreeSet::new(), 0, r.str(3).to_string()));
                    e.1.insert(report);
                    e.2 += 1;
                }
                Ok(())
            },
        )?;
        let corrected = self.conn().query(
            &format!("SELECT COUNT(*), COUNT(DISTINCT report_id) FROM corrections WHERE kind = 'correct' AND report_id IN ({scope})"),
            &params,
        )?;
        let (corrections, corrected_reports) = corrected
            .first()
            .map_or((0, 0), |r| (r.int(0).unwrap_or(0), r.int(1).unwrap_or(0)));
        let mut ranking: Vec<Ranked> = board
            .entries
            .iter()
            .map(|e| {
                let found = e.report_id.and_then(|r| rules.get(&r));
                let has = |rule: &str| found.is_some_and(|s| s.contains(rule));
                let identities = e.report_id.is_some()
                    && !Rule::ALL.iter().any(|r| r.is_identity() && has(r.id()));
                let template = e.report_id.is_some() && !has(Rule::TemplateYear.id());
                Ranked {
                    rank: 0,
                    agency_id: e.agency_id,
                    agency: e.agency.clone(),
                    status: e.status,
                    late: e.late,
                    identities_hold: identities,
                    template_right: template,
                    errors: e.errors,
                    warnings: e.warnings,
                    score: score(e.status, e.late, identities, template, e.errors, e.warnings),
                }
            })
            .collect();
        ranking.sort_by(|a, b| b.score.cmp(&a.score).then(a.agency.cmp(&b.agency)));
        for i in 0..ranking.len() {
            ranking[i].rank = if i > 0 && ranking[i - 1].score == ranking[i].score {
                ranking[i - 1].rank
            } else {
                i + 1
            };
        }
        let mut problems: Vec<Problem> = by_rule
            .into_iter()
            .map(|(rule, (severity, reports, findings, sample))| Problem {
                name_zh: rule_name(&rule).unwrap_or(sample),
                rule,
                severity,
                reports: reports.len() as i64,
                findings,
            })
            .collect();
        problems.sort_by(|a, b| {
            (b.severity == "error")
                .cmp(&(a.severity == "error"))
                .then(b.reports.cmp(&a.reports))
                .then(a.rule.cmp(&b.rule))
        });
        Ok(Assessment {
            board,
            overall,
            regions,
            ranking,
            problems,
            corrections,
            corrected_reports,
        })
    }
}

/// A rule's description in Chinese, from the checks' list.
pub(super) fn rule_name(rule: &str) -> Option<String> {
    nianbao_model::Rule::parse(rule).map(|r| r.what_zh().to_string())
}
