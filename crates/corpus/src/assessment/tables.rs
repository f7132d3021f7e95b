//! The assessment's tables as rows of text, shared by the document and the workbook.

use super::*;
use crate::campaigns::Filing;
use nianbao_render::{Cell, Role, Row, Table};

pub(super) fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{:.1}%", v * 100.0))
}

pub(super) fn share(n: i64, of: i64) -> String {
    if of == 0 {
        "—".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

pub(super) fn cell(text: &str, role: Role) -> Cell {
    Cell {
        text: text.to_string(),
        rowspan: 1,
        colspan: 1,
        role,
        key: None,
        value: None,
    }
}

pub(super) fn table(head: &[&str], widths: &[u32], rows: Vec<Vec<String>>) -> Table {
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

pub(super) fn rank_rows(a: &Assessment) -> Vec<Vec<String>> {
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

pub(super) fn problem_rows(a: &Assessment) -> Vec<Vec<String>> {
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
