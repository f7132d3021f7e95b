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
    let percent = Format::new().set_num_format("0.0%");
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
        put(sheet, i as u32, 1, v, &percent).map_err(err)?;
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
                if j > 0 {
                    put(sheet, i as u32 + 1, j as u16, v, &percent).map_err(err)?;
                } else {
                    sheet.write_string(i as u32 + 1, 0, v).map_err(err)?;
                }
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

/// A figure as a number Excel can sort and sum: a percentage (`12.5%`) as a fraction shown in
/// percent format, a count as a number, anything else (`—`, a name, a date) as text.
fn put(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    v: &str,
    percent: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if let Some(n) = v.strip_suffix('%').and_then(|n| n.parse::<f64>().ok()) {
        sheet.write_number_with_format(row, col, n / 100.0, percent)?;
    } else if let Ok(n) = v.parse::<f64>() {
        sheet.write_number(row, col, n)?;
    } else {
        sheet.write_string(row, col, v)?;
    }
    Ok(())
}
