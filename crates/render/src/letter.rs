//! 审查意见书: a supervising office's letter to an agency about its annual report — each
//! problem found (the finding, the cells it names with the values the report gives and the text
//! they were read from, the single-cell fix when there is one), what to do, and the office's
//! signature — in the same official layout as the reports.

use crate::doc::Block;
use nianbao_model::{cell_label, Date, Finding, Report, Severity};

/// Who sends the letter, when, and what it says about the filing itself.
#[derive(Clone, Debug)]
pub struct Sender {
    /// The office that signs it.
    pub office: String,
    pub date: Date,
    /// Problems of the filing rather than the report (filed after the deadline), one
    /// sentence each.
    pub filing: Vec<String>,
}

/// The letter's blocks; `findings` are the report's open findings (accepted ones left out by
/// the caller). Only findings for the agency are written (see [`Rule::for_agency`]): how
/// nianbao read the file is the reviewer's to verify, not a question to the agency.
///
/// [`Rule::for_agency`]: nianbao_model::Rule::for_agency
pub fn letter(r: &Report, findings: &[Finding], sender: &Sender) -> Vec<Block> {
    let (office, date) = (sender.office.as_str(), sender.date);
    let agency = r.agency.clone().unwrap_or_else(|| "报送单位".into());
    let year = r.year.map_or(String::new(), |y| format!("{y}年"));
    let title = r
        .title
        .clone()
        .unwrap_or_else(|| format!("{agency}{year}政府信息公开工作年度报告"));
    let mut out = vec![
        Block::Title(format!(
            "关于{agency}{year}政府信息公开工作年度报告的审查意见"
        )),
        Block::Address(format!("{agency}：")),
    ];
    let of = |severity: Severity| -> Vec<&Finding> {
        findings
            .iter()
            .filter(|f| f.severity == severity && f.rule.for_agency())
            .collect()
    };
    let (errors, warnings) = (of(Severity::Error), of(Severity::Warning));
    // Parts numbered in the order they appear: 一、 is the first, whichever it is.
    let mut parts = ["一", "二", "三"].into_iter();
    if errors.is_empty() && warnings.is_empty() && sender.filing.is_empty() {
        out.push(Block::Para(format!(
            "你单位报送的《{title}》已收悉。经审查，未发现需要更正或核实的问题。"
        )));
    } else {
        out.push(Block::Para(format!(
            "你单位报送的《{title}》已收悉。经审查，发现以下问题（错误 {} 项、需核实 {} 项{}），请逐项核实、修改，并于收到本意见之日起 10 个工作日内重新报送。",
            errors.len(),
            warnings.len(),
            if sender.filing.is_empty() { "" } else { "，另有报送问题" }
        )));
    }
    for (heading, list) in [("需要更正的错误", &errors), ("需要核实的问题", &warnings)]
    {
        if list.is_empty() {
            continue;
        }
        let n = parts.next().unwrap_or("");
        out.push(Block::Heading(format!("{n}、{heading}")));
        for (n, f) in list.iter().enumerate() {
            out.push(Block::Para(format!("（{}）{}", n + 1, f.message_zh)));
            // The cells with what the report gives; not for a finding about cells the report
            // left blank altogether (a missing table, a missing row): that says nothing more.
            let printed = f.cells.iter().any(|k| {
                r.cells
                    .get(k)
                    .is_some_and(|c| c.value.is_some() || c.evidence.is_some())
            });
            for key in f.cells.iter().take(8).filter(|_| printed) {
                let cell = r.cells.get(key);
                let value = cell
                    .and_then(|c| c.value)
                    .map_or("空白".to_string(), |v| v.to_string());
                let raw = cell
                    .and_then(|c| c.evidence.as_ref())
                    .filter(|e| !e.raw.trim().is_empty())
                    .map_or(String::new(), |e| format!("（原文“{}”）", e.raw.trim()));
                out.push(Block::Para(format!(
                    "{}：报告填写 {value}{raw}。",
                    cell_label(r.template, key)
                )));
            }
            if printed && f.cells.len() > 8 {
                out.push(Block::Para(format!(
                    "另有 {} 个单元格，详见审查系统。",
                    f.cells.len() - 8
                )));
            }
            if let Some(fix) = &f.fix {
                out.push(Block::Para(format!(
                    "建议：将“{}”改为 {}，即可使全部勾稽关系成立。",
                    cell_label(r.template, &fix.key),
                    fix.value
                )));
            }
        }
    }
    if !sender.filing.is_empty() {
        let n = parts.next().unwrap_or("");
        out.push(Block::Heading(format!("{n}、报送问题")));
        for (i, s) in sender.filing.iter().enumerate() {
            out.push(Block::Para(format!("（{}）{s}", i + 1)));
        }
    }
    out.push(Block::Signature(vec![
        office.to_string(),
        format!("{}年{}月{}日", date.year, date.month, date.day),
    ]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::{Num, Rule, Template};

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Title(t) | Block::Heading(t) | Block::Para(t) | Block::Address(t) => {
                    t.clone()
                }
                Block::Signature(l) => l.join("|"),
                Block::Table(_) | Block::Figure(..) => String::new(),
            })
            .collect()
    }

    #[test]
    fn reading_doubts_stay_with_the_reviewer_and_parts_number_from_one() {
        let mut r = Report::new(Template::Y2021);
        r.agency = Some("测试镇人民政府".into());
        r.year = Some(2022);
        let doubt = Finding::new(
            Rule::ExtractAmbiguousSplit,
            Severity::Warning,
            "表四的数字连在一起，可有4种拆分",
            "split",
            vec!["t4.review.upheld".into()],
        );
        let carried = Finding::new(
            Rule::ReviewCorrectionNotCarried,
            Severity::Warning,
            "更正未沿用",
            "not carried",
            vec![],
        );
        let prose = Finding::new(
            Rule::NarrativeCount,
            Severity::Warning,
            "正文与表格不一致",
            "prose",
            vec![],
        );
        let sender = Sender {
            office: "某县人民政府办公室".into(),
            date: Date::new(2023, 2, 10).unwrap(),
            filing: vec!["逾期报送。".into()],
        };
        let text = texts(&letter(&r, &[doubt.clone(), carried, prose], &sender));
        assert!(text[2].contains("错误 0 项、需核实 1 项"), "{}", text[2]);
        assert!(
            !text
                .iter()
                .any(|t| t.contains("拆分") || t.contains("沿用")),
            "{text:?}"
        );
        let only_filing = letter(&r, std::slice::from_ref(&doubt), &sender);
        let headings: Vec<&Block> = only_filing
            .iter()
            .filter(|b| matches!(b, Block::Heading(_)))
            .collect();
        assert_eq!(headings, [&Block::Heading("一、报送问题".into())]);
        assert!(text.contains(&"一、需要核实的问题".to_string()), "{text:?}");
        assert!(text.contains(&"二、报送问题".to_string()), "{text:?}");
        // Only a reading doubt: nothing to ask the agency.
        let none = Sender {
            filing: vec![],
            ..sender
        };
        let text = texts(&letter(&r, &[doubt], &none));
        assert!(
            text[2].contains("未发现需要更正或核实的问题"),
            "{}",
            text[2]
        );
    }

    #[test]
    fn a_letter_lists_each_problem_with_its_cells_and_the_fix() {
        let mut r = Report::new(Template::Y2021);
        r.agency = Some("测试镇人民政府".into());
        r.year = Some(2022);
        r.set("t3.granted.natural", Some(Num::Int(5)));
        let mut f = Finding::new(
            Rule::IdentitySingleFix,
            Severity::Error,
            "总计不符",
            "total",
            vec!["t3.granted.natural".into()],
        );
        f.fix = Some(nianbao_model::Fix {
            key: "t3.granted.natural".into(),
            current: Some(5),
            value: 4,
        });
        let w = Finding::new(
            Rule::NarrativeCount,
            Severity::Warning,
            "正文与表格不一致",
            "prose",
            vec![],
        );
        let blocks = letter(
            &r,
            &[f, w],
            &Sender {
                office: "某县人民政府办公室".into(),
                date: Date::new(2023, 2, 10).unwrap(),
                filing: vec!["报告所署日期为 2023-02-08，晚于截止日期 2023-01-31。".into()],
            },
        );
        let text = texts(&blocks);
        assert_eq!(
            text[0],
            "关于测试镇人民政府2022年政府信息公开工作年度报告的审查意见"
        );
        assert!(text.contains(&"一、需要更正的错误".to_string()));
        assert!(text.contains(&"（1）总计不符".to_string()));
        assert!(
            text.contains(
                &"表三 / 三、本年度办理结果 / （一）予以公开 / 自然人：报告填写 5。".to_string()
            ),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t
            .starts_with("建议：将“表三 / 三、本年度办理结果 / （一）予以公开 / 自然人”改为 4")));
        assert!(text.contains(&"二、需要核实的问题".to_string()));
        assert!(text.contains(&"三、报送问题".to_string()));
        assert!(
            text.contains(&"（1）报告所署日期为 2023-02-08，晚于截止日期 2023-01-31。".to_string())
        );
        assert!(text[2].contains("另有报送问题"), "{}", text[2]);
        assert_eq!(text.last().unwrap(), "某县人民政府办公室|2023年2月10日");
    }
}
