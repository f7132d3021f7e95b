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
use nianbao_model::{Report, Template};
use nianbao_render::doc::{self, Role, Table};
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

/// A summary column's width in characters (Excel counts a CJK character as about two): an
/// agency's or file's name, a label path or the quoted source text wide; codes, dates and
/// short words narrower; numbers narrow (their headers wrap).
fn width(c: &Column) -> f64 {
    use crate::export::ColKind;
    match (c.kind, c.name.as_str()) {
        (ColKind::Text, "agency" | "file" | "label" | "division_path" | "raw") => 30.0,
        (ColKind::Text, _) => 14.0,
        _ => 10.0,
    }
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
        for (i, c) in cols.iter().enumerate() {
            error = error.or(summary.set_column_width(i as u16, width(c)).err());
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
    for (i, (caption, t)) in doc::tables(r).iter().enumerate() {
        row = sheet.table(row + u32::from(i > 0), caption, t)?;
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
    t.def().short_zh
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

    /// A table of the template under its caption, merged cells merged: header rows in the
    /// header format, values (with the notes of findings) where the template has them.
    fn table(&mut self, row: u32, caption: &str, t: &Table) -> Result<u32, XlsxError> {
        let first = self.caption(row, caption)?;
        for (ri, slots) in doc::grid(t).iter().enumerate() {
            let header = !t.rows[ri].cells.iter().any(|c| c.role == Role::Value);
            let mut col = 0u16;
            for slot in slots {
                let at = col;
                col += 1;
                let Some((r, c, true)) = *slot else {
                    continue;
                };
                let x = &t.rows[r].cells[c];
                let (r1, c1) = (first + ri as u32, at);
                let (r2, c2) = (r1 + x.rowspan as u32 - 1, c1 + x.colspan as u16 - 1);
                match &x.key {
                    Some(key) => {
                        if (r1, c1) != (r2, c2) {
                            self.ws.merge_range(r1, c1, r2, c2, "", &cell())?;
                        }
                        self.value(r1, c1, key)?;
                    }
                    None => {
                        let fmt = if header { head() } else { cell() };
                        self.text(r1, c1, r2, c2, &x.text, &fmt)?;
                    }
                }
            }
        }
        Ok(first + t.rows.len() as u32)
    }
}
