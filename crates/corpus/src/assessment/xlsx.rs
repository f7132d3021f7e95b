//! The assessment's figures as a workbook.

use super::tables::*;
use super::*;
use crate::StoreError;

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
