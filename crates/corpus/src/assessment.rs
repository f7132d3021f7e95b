//! A campaign's assessment (通报/评估报告): completeness and timeliness of the filing, and for
//! the reports filed the figures of `stats` over the campaign's agencies and year — as a whole
//! and per division one level below the campaign's — each agency ranked by a stated method,
//! and the problems found by type; as a document (DOCX, PDF through `nianbao_render`) and as
//! XLSX with the same figures.

use crate::campaigns::{Board, Filing};
use crate::stats::{By, Group};
use crate::store::Filter;
use crate::{Store, StoreError};
use nianbao_model::Date;
use nianbao_model::Rule;
use nianbao_render::chart;
use nianbao_render::{Block, Cell, Role, Row, Table};
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

fn score(
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
fn rule_name(rule: &str) -> Option<String> {
    nianbao_model::Rule::parse(rule).map(|r| r.what_zh().to_string())
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{:.1}%", v * 100.0))
}

fn share(n: i64, of: i64) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

fn cell(text: &str, role: Role) -> Cell {
    Cell {
        text: text.to_string(),
        rowspan: 1,
        colspan: 1,
        role,
        key: None,
        value: None,
    }
}

fn table(head: &[&str], widths: &[u32], rows: Vec<Vec<String>>) -> Table {
    let mut out = vec![Row {
        cells: head.iter().map(|h| cell(h, Role::Label)).collect(),
        item_start: false,
    }];
    for r in rows {
        out.push(Row {
            cells: r
                .iter()
                .enumerate()
                .map(|(i, t)| cell(t, if i == 0 { Role::Label } else { Role::Value }))
                .collect(),
            item_start: false,
        });
    }
    Table {
        widths: widths.to_vec(),
        rows: out,
    }
}

/// The region rows: name, reports, identities, on time, review and suit correction rates.
pub fn region_rows(a: &Assessment) -> Vec<Vec<String>> {
    a.regions
        .iter()
        .map(|g| {
            let name = g.group.split_once(' ').map_or(g.group.as_str(), |(_, n)| n);
            vec![
                name.to_string(),
                g.reports.to_string(),
                pct(g.identity_pass_rate),
                pct(g.on_time_rate),
                pct(g.template_right_rate),
                pct(g.review_corrected_rate),
                pct(g.suit_corrected_rate),
            ]
        })
        .collect()
}

pub const REGION_HEAD: [&str; 7] = [
    "地区",
    "报告数",
    "勾稽关系成立率",
    "按时发布率",
    "格式正确率",
    "行政复议纠错率",
    "行政诉讼纠错率",
];
pub const RANK_HEAD: [&str; 7] = ["名次", "机构", "状态", "勾稽关系", "错误", "需核实", "得分"];
pub const PROBLEM_HEAD: [&str; 4] = ["问题", "类别", "涉及报告", "条数"];

fn rank_rows(a: &Assessment) -> Vec<Vec<String>> {
    a.ranking
        .iter()
        .map(|r| {
            let status = if r.late && r.status != Filing::Overdue {
                format!("{}（逾期报送）", r.status.name_zh())
            } else {
                r.status.name_zh().to_string()
            };
            vec![
                r.rank.to_string(),
                r.agency.clone(),
                status,
                if r.status == Filing::Missing || r.status == Filing::Overdue {
                    "—".into()
                } else if r.identities_hold {
                    "成立".into()
                } else {
                    "不成立".into()
                },
                r.errors.to_string(),
                r.warnings.to_string(),
                r.score.to_string(),
            ]
        })
        .collect()
}

fn problem_rows(a: &Assessment) -> Vec<Vec<String>> {
    a.problems
        .iter()
        .map(|p| {
            vec![
                p.name_zh.clone(),
                if p.severity == "error" {
                    "错误"
                } else {
                    "需核实"
                }
                .to_string(),
                p.reports.to_string(),
                p.findings.to_string(),
            ]
        })
        .collect()
}

/// The assessment as a document in the official layout, signed by the campaign's office.
pub fn document(a: &Assessment, date: Date) -> Vec<Block> {
    let c = &a.board.campaign;
    let total = a.board.entries.len() as i64;
    let filed = a.filed();
    let late = a.board.late;
    let missing = a.board.count(Filing::Missing) + a.board.count(Filing::Overdue);
    let scope = c
        .division
        .as_deref()
        .map_or("列入本次任务的机构".to_string(), |d| {
            format!(
                "{}及所属机构",
                crate::divisions::path_of(d).replace(' ', "")
            )
        });
    let mut out = vec![
        Block::Title(format!("关于{}年度政府信息公开工作年度报告报送和审查情况的通报", c.year)),
        Block::Para(format!(
            "根据《中华人民共和国政府信息公开条例》第五十条，{}组织开展了“{}”，范围为{}，报送截止日期为 {}。现将截至 {} 的报送和审查情况通报如下。",
            if c.office.is_empty() { "我办" } else { &c.office },
            c.name,
            scope,
            c.deadline,
            a.board.today
        )),
        Block::Heading("一、总体情况".into()),
        Block::Para(format!(
            "应报机构 {total} 个，已报送 {filed} 个（报送率 {}），其中按时报送 {} 个、逾期报送 {late} 个；未报送 {missing} 个。已审核通过 {} 个，退回修改 {} 个。审核中更正数据 {} 处，涉及报告 {} 份。",
            share(filed, total),
            filed - late,
            a.board.count(Filing::Approved),
            a.board.count(Filing::Returned),
            a.corrections,
            a.corrected_reports
        )),
    ];
    if let Some(g) = &a.overall {
        out.push(Block::Para(format!(
            "已报送的 {} 份报告中，勾稽关系全部成立的占 {}，按时发布的占 {}，格式与年度相符的占 {}；共收到政府信息公开申请 {} 件，办理 {} 件；行政复议 {} 件，纠错率 {}；行政诉讼 {} 件，纠错率 {}。",
            g.reports,
            pct(g.identity_pass_rate),
            pct(g.on_time_rate),
            pct(g.template_right_rate),
            g.requests_received,
            g.requests_processed,
            g.reviews,
            pct(g.review_corrected_rate),
            g.suits,
            pct(g.suit_corrected_rate)
        )));
    }
    let counts: Vec<(String, f64)> = a
        .board
        .counts
        .iter()
        .map(|(f, n)| (f.name_zh().to_string(), *n as f64))
        .collect();
    out.push(Block::Figure(
        chart::bars("各状态机构数", &counts, None, &|v| {
            format!("{v:.0} 个")
        }),
        "图1 报送状态".into(),
    ));
    out.push(Block::Heading("二、各地区情况".into()));
    out.push(Block::Table(table(
        &REGION_HEAD,
        &[4, 2, 3, 3, 3, 3, 3],
        region_rows(a),
    )));
    let pass: Vec<(String, f64)> = a
        .regions
        .iter()
        .map(|g| {
            let name = g.group.split_once(' ').map_or(g.group.as_str(), |(_, n)| n);
            (
                name.to_string(),
                g.identity_pass_rate.unwrap_or(0.0) * 100.0,
            )
        })
        .take(30)
        .collect();
    out.push(Block::Figure(
        chart::bars(
            "各地区勾稽关系成立率（%）",
            &pass,
            Some(100.0),
            &|v| format!("{v:.1}%"),
        ),
        "图2 各地区勾稽关系成立率".into(),
    ));
    out.push(Block::Heading("三、各单位排名".into()));
    out.push(Block::Para(format!("评分方法：{METHOD}")));
    out.push(Block::Table(table(
        &RANK_HEAD,
        &[1, 5, 2, 2, 1, 1, 1],
        rank_rows(a),
    )));
    out.push(Block::Heading("四、发现的主要问题".into()));
    if a.problems.is_empty() {
        out.push(Block::Para("审查中未发现问题。".into()));
    } else {
        out.push(Block::Table(table(
            &PROBLEM_HEAD,
            &[6, 1, 1, 1],
            problem_rows(a),
        )));
    }
    out.push(Block::Heading("五、下一步要求".into()));
    out.push(Block::Para(
        "请未报送的机构尽快报送；被退回的机构按审查意见书逐项修改后重新报送；各机构对照上述问题举一反三，确保年度报告数据准确、按时公开。".into(),
    ));
    out.push(Block::Signature(vec![
        if c.office.is_empty() {
            "政务公开办公室".to_string()
        } else {
            c.office.clone()
        },
        format!("{}年{}月{}日", date.year, date.month, date.day),
    ]));
    out
}

/// The same figures as a workbook: 总体, 各地区, 排名, 问题.
pub fn xlsx(a: &Assessment) -> Result<Vec<u8>, StoreError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| StoreError::Io(format!("XLSX: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let c = &a.board.campaign;
    let filed = a.filed();
    let total = a.board.entries.len() as i64;
    let sheet = book.add_worksheet().set_name("总体").map_err(err)?;
    let mut rows: Vec<(&str, String)> = vec![
        ("任务", c.name.clone()),
        ("年度", c.year.to_string()),
        ("截止日期", c.deadline.clone()),
        ("统计日", a.board.today.clone()),
        ("应报机构", total.to_string()),
        ("已报送", filed.to_string()),
        ("按时报送", a.on_time().to_string()),
        ("逾期报送", a.board.late.to_string()),
    ];
    for (f, n) in &a.board.counts {
        rows.push((f.name_zh(), n.to_string()));
    }
    rows.push(("更正数据", a.corrections.to_string()));
    rows.push(("更正涉及报告", a.corrected_reports.to_string()));
    if let Some(g) = &a.overall {
        rows.push(("勾稽关系成立率", pct(g.identity_pass_rate)));
        rows.push(("按时发布率", pct(g.on_time_rate)));
        rows.push(("格式正确率", pct(g.template_right_rate)));
        rows.push(("行政复议纠错率", pct(g.review_corrected_rate)));
        rows.push(("行政诉讼纠错率", pct(g.suit_corrected_rate)));
    }
    for (i, (k, v)) in rows.iter().enumerate() {
        sheet
            .write_string_with_format(i as u32, 0, *k, &bold)
            .map_err(err)?;
        sheet.write_string(i as u32, 1, v).map_err(err)?;
    }
    for (name, head, body) in [
        ("各地区", &REGION_HEAD[..], region_rows(a)),
        ("排名", &RANK_HEAD[..], rank_rows(a)),
        ("问题", &PROBLEM_HEAD[..], problem_rows(a)),
    ] {
        let sheet = book.add_worksheet().set_name(name).map_err(err)?;
        for (j, h) in head.iter().enumerate() {
            sheet
                .write_string_with_format(0, j as u16, *h, &bold)
                .map_err(err)?;
        }
        for (i, row) in body.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                match v.parse::<f64>() {
                    Ok(n) if j > 0 => sheet.write_number(i as u32 + 1, j as u16, n).map_err(err)?,
                    _ => sheet.write_string(i as u32 + 1, j as u16, v).map_err(err)?,
                };
            }
        }
    }
    book.save_to_buffer().map_err(err)
}
