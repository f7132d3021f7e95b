//! The assessment as a document in the official layout.

use super::tables::*;
use super::*;
use crate::campaigns::Filing;
use nianbao_model::Date;
use nianbao_render::chart;
use nianbao_render::Block;

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
