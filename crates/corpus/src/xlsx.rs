//! The XLSX export: a summary sheet (the wide or long table), and one sheet per report with
//! its tables laid out like the official template (merged header cells) and the cells that
//! have findings highlighted, each with a note saying why.
//!
//! Memory stays bounded however many reports are exported: the summary sheet is written in
//! rust_xlsxwriter's constant-memory mode (each row goes to a temporary file as soon as the
//! next one starts), report sheets stop at [`MAX_REPORT_SHEETS`], and the workbook is
//! zipped straight into the output as it is assembled.

use crate::db::Value;
use crate::export::Column;
use crate::store::Stored;
use crate::StoreError;
use nianbao_model::{key_def, keys_for, Report, Template, COLUMN_LABELS};
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;

/// Report sheets beyond this many are left out (the summary sheet still has every row):
/// a workbook is for reading, the CSV and Parquet exports are for volume.
pub const MAX_REPORT_SHEETS: usize = 1000;

pub struct Book {
    book: Workbook,
    summary: Worksheet,
    row: u32,
    sheets: usize,
    skipped: usize,
    cols: Vec<Column>,
    error: Option<XlsxError>,
}

fn xerr(e: XlsxError) -> StoreError {
    StoreError::Io(format!("XLSX 写出失败 (XLSX write failed): {e}"))
}

fn cell() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}
fn head() -> Format {
    cell()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xDDEBF7))
}
fn flagged() -> Format {
    cell()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006))
}

impl Book {
    pub fn new(cols: &[Column], chinese: bool) -> Result<Book, StoreError> {
        let mut book = Workbook::new();
        let mut summary = book.new_worksheet_with_constant_memory().map_err(xerr)?;
        let mut error = summary.set_name("汇总").err();
        for (i, c) in cols.iter().enumerate() {
            let r = summary.write_string_with_format(
                0,
                i as u16,
                if chinese { &c.zh } else { &c.name },
                &head(),
            );
            error = error.or(r.err());
        }
        let _ = summary.set_freeze_panes(1, 0);
        Ok(Book {
            book,
            summary,
            row: 1,
            sheets: 0,
            skipped: 0,
            cols: cols.to_vec(),
            error,
        })
    }

    pub fn add(&mut self, rows: &[Vec<Value>], s: &Stored) -> Result<(), StoreError> {
        let errors = self.cols.iter().position(|c| c.name == "errors");
        for row in rows {
            for (i, v) in row.iter().enumerate() {
                let col = i as u16;
                let bad = Some(i) == errors && matches!(v, Value::Int(Some(n)) if *n > 0);
                let fmt = if bad { flagged() } else { Format::new() };
                let r = match v {
                    Value::Int(Some(n)) => self
                        .summary
                        .write_number_with_format(self.row, col, *n as f64, &fmt)
                        .map(|_| ()),
                    Value::Real(Some(f)) => self
                        .summary
                        .write_number_with_format(self.row, col, *f, &fmt)
                        .map(|_| ()),
                    Value::Text(Some(t)) => self
                        .summary
                        .write_string_with_format(self.row, col, t, &fmt)
                        .map(|_| ()),
                    _ => Ok(()),
                };
                r.map_err(xerr)?;
            }
            self.row += 1;
        }
        if self.sheets >= MAX_REPORT_SHEETS {
            self.skipped += 1;
            return Ok(());
        }
        self.sheets += 1;
        let sheet = self.book.add_worksheet();
        report_sheet(sheet, s).map_err(xerr)
    }

    /// Writes the workbook to `out` (zipped as it goes; nothing is assembled in memory).
    pub fn finish(mut self, out: &mut (dyn std::io::Write + Send)) -> Result<(), StoreError> {
        if let Some(e) = self.error {
            return Err(xerr(e));
        }
        if self.skipped > 0 {
            let text = format!(
                "另有 {} 份报告未单独成表（每个工作簿最多 {MAX_REPORT_SHEETS} 张报告表）",
                self.skipped
            );
            self.summary
                .write_string(self.row + 1, 0, text)
                .map_err(xerr)?;
        }
        self.book.push_worksheet(self.summary);
        // The summary comes first.
        self.book.worksheets_mut().rotate_right(1);
        self.book.save_to_writer(out).map_err(xerr)
    }
}

/// A sheet name Excel accepts: unique (the id leads), ≤ 31 characters, no `[]:*?/\`.
fn sheet_name(s: &Stored) -> String {
    let clean: String = s
        .agency
        .chars()
        .filter(|c| !"[]:*?/\\'".contains(*c))
        .collect();
    let year = s.report.year.map(|y| y.to_string()).unwrap_or_default();
    format!("{} {} {}", s.id, year, clean)
        .chars()
        .take(31)
        .collect::<String>()
        .trim()
        .to_string()
}

fn report_sheet(ws: &mut Worksheet, s: &Stored) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(s))?;
    let r = &s.report;
    let mut notes: HashMap<&str, Vec<String>> = HashMap::new();
    for f in &s.findings {
        for k in &f.cells {
            notes.entry(k.as_str()).or_default().push(format!(
                "{}：{}",
                f.severity.name_zh(),
                f.message_zh
            ));
        }
    }
    let title = format!(
        "{} {}年度政府信息公开工作年度报告（{}）",
        s.agency,
        r.year.map(|y| y.to_string()).unwrap_or_default(),
        template_zh(r.template)
    );
    ws.merge_range(
        0,
        0,
        0,
        9,
        &title,
        &Format::new().set_bold().set_align(FormatAlign::Center),
    )?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 30)?;
    let mut sheet = Sheet {
        ws,
        notes: &notes,
        report: r,
    };
    let mut row = 2;
    if r.template == Template::Legacy {
        row = sheet.legacy(row)?;
    } else {
        row = sheet.table2(row)?;
        row = sheet.table3(row + 1)?;
        row = sheet.table4(row + 1)?;
    }
    row += 1;
    sheet
        .ws
        .write_string_with_format(row, 0, "发现的问题", &Format::new().set_bold())?;
    for f in &s.findings {
        row += 1;
        sheet.ws.write_string(row, 0, f.severity.name_zh())?;
        sheet.ws.write_string(row, 1, f.rule.id())?;
        sheet.ws.write_string(row, 2, &f.message_zh)?;
    }
    Ok(())
}

fn template_zh(t: Template) -> &'static str {
    match t {
        Template::Legacy => "2018年及以前统计表",
        Template::Y2019 => "2019年版格式",
        Template::Y2021 => "2021年版格式",
    }
}

struct Sheet<'a> {
    ws: &'a mut Worksheet,
    notes: &'a HashMap<&'a str, Vec<String>>,
    report: &'a Report,
}

impl Sheet<'_> {
    /// Writes the value of a key, highlighted with a note when findings name it.
    fn value(&mut self, row: u32, col: u16, key: &str) -> Result<(), XlsxError> {
        let v = self.report.value(key);
        let fmt = if self.notes.contains_key(key) {
            flagged()
        } else {
            cell()
        };
        match v {
            Some(n) => self
                .ws
                .write_number_with_format(row, col, n.as_f64(), &fmt)?,
            None => self.ws.write_blank(row, col, &fmt)?,
        };
        if let Some(list) = self.notes.get(key) {
            self.ws
                .insert_note(row, col, &Note::new(list.join("\n")).set_author("nianbao"))?;
        }
        Ok(())
    }

    fn text(
        &mut self,
        r1: u32,
        c1: u16,
        r2: u32,
        c2: u16,
        text: &str,
        fmt: &Format,
    ) -> Result<(), XlsxError> {
        if r1 == r2 && c1 == c2 {
            self.ws.write_string_with_format(r1, c1, text, fmt)?;
        } else {
            self.ws.merge_range(r1, c1, r2, c2, text, fmt)?;
        }
        Ok(())
    }

    fn caption(&mut self, row: u32, text: &str) -> Result<u32, XlsxError> {
        self.ws
            .write_string_with_format(row, 0, text, &Format::new().set_bold())?;
        Ok(row + 1)
    }

    /// 二: per 第二十条 item group, a header row of its columns, then one row per item.
    fn table2(&mut self, row: u32) -> Result<u32, XlsxError> {
        let mut row = self.caption(row, "二、主动公开政府信息情况")?;
        let mut groups: Vec<(String, Vec<(String, Vec<(&'static str, String)>)>)> = Vec::new();
        for key in keys_for(self.report.template)
            .iter()
            .filter(|k| k.starts_with("t2."))
        {
            let path: Vec<&str> = label(self.report.template, key).split('/').collect();
            let (group, item, column) = (
                path.get(1).copied().unwrap_or(""),
                path.get(2).copied().unwrap_or(""),
                path.last().copied().unwrap_or(""),
            );
            if groups.last().is_none_or(|g| g.0 != group) {
                groups.push((group.to_string(), Vec::new()));
            }
            let items = &mut groups.last_mut().expect("pushed above").1;
            if items.last().is_none_or(|i| i.0 != item) {
                items.push((item.to_string(), Vec::new()));
            }
            items
                .last_mut()
                .expect("pushed above")
                .1
                .push((key, column.to_string()));
        }
        for (group, items) in groups {
            let width = items.iter().map(|i| i.1.len()).max().unwrap_or(1) as u16;
            self.text(row, 0, row, 2 + width, &group, &head())?;
            row += 1;
            self.text(row, 0, row, 2, "信息内容", &head())?;
            for (i, (_, column)) in items[0].1.iter().enumerate() {
                self.ws
                    .write_string_with_format(row, 3 + i as u16, column, &head())?;
            }
            row += 1;
            for (item, cells) in &items {
                self.text(row, 0, row, 2, item, &cell())?;
                for (i, (key, _)) in cells.iter().enumerate() {
                    self.value(row, 3 + i as u16, key)?;
                }
                row += 1;
            }
        }
        Ok(row)
    }

    /// 三: the applicant-type header (申请人情况 / 法人或其他组织 merged), and row labels in
    /// three columns with group labels merged down their rows.
    fn table3(&mut self, row: u32) -> Result<u32, XlsxError> {
        let row = self.caption(row, "三、收到和处理政府信息公开申请情况")?;
        let h = head();
        self.text(
            row,
            0,
            row + 2,
            2,
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            &h,
        )?;
        self.text(row, 3, row, 9, "申请人情况", &h)?;
        self.text(row + 1, 3, row + 2, 3, COLUMN_LABELS[0], &h)?;
        self.text(row + 1, 4, row + 1, 8, "法人或其他组织", &h)?;
        for (i, l) in COLUMN_LABELS[1..6].iter().enumerate() {
            self.ws
                .write_string_with_format(row + 2, 4 + i as u16, *l, &h)?;
        }
        self.text(row + 1, 9, row + 2, 9, COLUMN_LABELS[6], &h)?;
        let first = row + 3;
        // Row stems in template order (a row's keys are consecutive), each with its label levels.
        let mut rows: Vec<(String, Vec<String>)> = Vec::new();
        for key in keys_for(self.report.template)
            .iter()
            .filter(|k| k.starts_with("t3."))
        {
            let stem = key.rsplit_once('.').map_or(*key, |(s, _)| s).to_string();
            if rows.last().is_none_or(|r| r.0 != stem) {
                let path = label(self.report.template, key);
                let mut parts: Vec<String> = path.split('/').skip(1).map(str::to_string).collect();
                // Drop the column part(s): `自然人`, `总计`, or `法人或其他组织/…`.
                if let Some(p) = parts
                    .iter()
                    .position(|p| p == "法人或其他组织" || p == "自然人" || p == "总计")
                {
                    parts.truncate(p);
                }
                if parts.first().is_some_and(|p| p == "三") {
                    parts[0] = "三、本年度办理结果".to_string();
                }
                rows.push((stem, parts));
            }
        }
        let labels: Vec<&Vec<String>> = rows.iter().map(|(_, p)| p).collect();
        for level in 0..3u16 {
            let mut i = 0;
            while i < labels.len() {
                let l = level as usize;
                let Some(text) = labels[i].get(l) else {
                    i += 1;
                    continue;
                };
                let r = first + i as u32;
                if labels[i].len() == l + 1 {
                    // The row's own label fills the remaining label columns.
                    self.text(r, level, r, 2, text, &cell())?;
                    i += 1;
                    continue;
                }
                let mut j = i + 1;
                while j < labels.len()
                    && labels[j].len() > l + 1
                    && labels[j][..=l] == labels[i][..=l]
                {
                    j += 1;
                }
                self.text(r, level, first + j as u32 - 1, level, text, &cell())?;
                i = j;
            }
        }
        for (i, (stem, _)) in rows.iter().enumerate() {
            for (c, col) in nianbao_model::COLUMNS.iter().enumerate() {
                self.value(first + i as u32, 3 + c as u16, &format!("{stem}.{col}"))?;
            }
        }
        Ok(first + rows.len() as u32)
    }

    /// 四: 行政复议 (5 columns) and 行政诉讼 (two groups of 5), three header rows.
    fn table4(&mut self, row: u32) -> Result<u32, XlsxError> {
        let row = self.caption(row, "四、政府信息公开行政复议、行政诉讼情况")?;
        let h = head();
        let outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
        let suffixes = ["upheld", "corrected", "other", "pending", "total"];
        self.text(row, 0, row + 1, 4, "行政复议", &h)?;
        self.text(row, 5, row, 14, "行政诉讼", &h)?;
        self.text(row + 1, 5, row + 1, 9, "未经复议直接起诉", &h)?;
        self.text(row + 1, 10, row + 1, 14, "复议后起诉", &h)?;
        for (g, group) in ["t4.review", "t4.suit_direct", "t4.suit_after_review"]
            .iter()
            .enumerate()
        {
            for (i, (label, suffix)) in outcomes.iter().zip(suffixes).enumerate() {
                let col = (g * 5 + i) as u16;
                self.ws.write_string_with_format(row + 2, col, *label, &h)?;
                self.value(row + 3, col, &format!("{group}.{suffix}"))?;
            }
        }
        Ok(row + 4)
    }

    fn legacy(&mut self, row: u32) -> Result<u32, XlsxError> {
        let mut row = self.caption(row, "政府信息公开情况统计表")?;
        self.text(row, 0, row, 2, "统计指标", &head())?;
        self.ws.write_string_with_format(row, 3, "数值", &head())?;
        row += 1;
        for key in keys_for(Template::Legacy) {
            self.text(row, 0, row, 2, label(Template::Legacy, key), &cell())?;
            self.value(row, 3, key)?;
            row += 1;
        }
        Ok(row)
    }
}

fn label(t: Template, key: &str) -> &'static str {
    key_def(t, key).map_or("", |d| d.label_path)
}
