//! Exports of the corpus: wide (one row per report, a column per canonical key) and long
//! (one row per cell with its evidence), as CSV, JSON lines, XLSX or Parquet.

use crate::db::Value;
use crate::store::{Filter, Stored};
use crate::{Store, StoreError};
use nianbao_model::{key_def, keys_for, Place, Template};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Xlsx,
    Parquet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Wide,
    Long,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColKind {
    Int,
    Real,
    Text,
}

/// A column: its machine name (canonical key or field), its Chinese header, its type.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub zh: String,
    pub kind: ColKind,
}

fn col(name: &str, zh: &str, kind: ColKind) -> Column {
    Column {
        name: name.to_string(),
        zh: zh.to_string(),
        kind,
    }
}

/// Report fields that lead every wide row.
fn report_columns() -> Vec<Column> {
    use ColKind::*;
    vec![
        col("report_id", "报告编号", Int),
        col("agency", "机构", Text),
        col("region", "地区", Text),
        col("level", "层级", Text),
        col("year", "年度", Int),
        col("template", "模板", Text),
        col("version", "版本", Int),
        col("file", "文件", Text),
        col("published", "发布日期", Text),
        col("errors", "错误数", Int),
        col("warnings", "警告数", Int),
        col("division", "区划代码", Text),
        col("division_path", "行政区划", Text),
    ]
}

fn report_values(s: &Stored) -> Vec<Value> {
    let errors = s
        .findings
        .iter()
        .filter(|f| f.severity == nianbao_model::Severity::Error)
        .count() as i64;
    let warnings = s
        .findings
        .iter()
        .filter(|f| f.severity == nianbao_model::Severity::Warning)
        .count() as i64;
    vec![
        s.id.into(),
        s.agency.as_str().into(),
        s.region.as_str().into(),
        s.level.as_str().into(),
        s.report.year.map(i64::from).into(),
        s.report.template.as_str().into(),
        s.version.into(),
        s.path.as_str().into(),
        s.report.published.map(|d| d.to_string()).into(),
        errors.into(),
        warnings.into(),
        s.division.clone().into(),
        s.division.as_deref().map(crate::divisions::path_of).into(),
    ]
}

/// The keys of the wide form: one template's, or every template's in schema order.
fn keys(template: Option<Template>) -> Vec<&'static str> {
    let templates = match template {
        Some(t) => vec![t],
        None => Template::all(),
    };
    let mut out: Vec<&'static str> = Vec::new();
    for t in templates {
        for k in keys_for(t) {
            if !out.contains(k) {
                out.push(k);
            }
        }
    }
    out
}

fn key_zh(key: &str) -> String {
    Template::all()
        .into_iter()
        .find_map(|t| key_def(t, key))
        .map_or_else(|| key.to_string(), |d| d.label_path.to_string())
}

pub fn columns(shape: Shape, template: Option<Template>) -> Vec<Column> {
    match shape {
        Shape::Wide => {
            let mut cols = report_columns();
            cols.extend(keys(template).into_iter().map(|k| Column {
                name: k.to_string(),
                zh: key_zh(k),
                kind: ColKind::Real,
            }));
            cols
        }
        Shape::Long => {
            use ColKind::*;
            vec![
                col("report_id", "报告编号", Int),
                col("agency", "机构", Text),
                col("year", "年度", Int),
                col("template", "模板", Text),
                col("key", "指标", Text),
                col("label", "指标名称", Text),
                col("value", "数值", Real),
                col("raw", "原文", Text),
                col("line", "行", Int),
                col("column", "列", Int),
                col("confidence", "置信度", Real),
                // Where the cell is in the file as published (evidence.place).
                col("page", "页码", Int),
                col("x0", "左(pt)", Real),
                col("y0", "上(pt)", Real),
                col("x1", "右(pt)", Real),
                col("y1", "下(pt)", Real),
                col("table_no", "表格序号", Int),
                col("row_no", "行序号", Int),
                col("cell_no", "单元格序号", Int),
            ]
        }
    }
}

/// The rows one stored report contributes.
pub fn rows(shape: Shape, keys_in: &[Column], s: &Stored) -> Vec<Vec<Value>> {
    match shape {
        Shape::Wide => {
            let mut row = report_values(s);
            let fixed = row.len();
            for c in &keys_in[fixed..] {
                row.push(s.report.value(&c.name).map(|n| n.as_f64()).into());
            }
            vec![row]
        }
        Shape::Long => s
            .report
            .values_in_order()
            .into_iter()
            .map(|(key, v)| {
                let e = s.report.cells.get(key).and_then(|c| c.evidence.as_ref());
                let mut row = vec![
                    s.id.into(),
                    s.agency.as_str().into(),
                    s.report.year.map(i64::from).into(),
                    s.report.template.as_str().into(),
                    key.into(),
                    key_zh(key).into(),
                    v.map(|n| n.as_f64()).into(),
                    e.map(|e| e.raw.clone()).into(),
                    e.map(|e| i64::from(e.line)).into(),
                    e.map(|e| i64::from(e.column)).into(),
                    e.map(|e| f64::from(e.confidence)).into(),
                ];
                row.extend(place_values(e.and_then(|e| e.place)));
                row
            })
            .collect(),
    }
}

/// The long form's place columns: page and box, or table, row and cell.
fn place_values(p: Option<Place>) -> Vec<Value> {
    let (mut page, mut bx, mut cell) = (None, [None; 4], [None; 3]);
    match p {
        Some(Place::Page {
            page: n,
            x0,
            y0,
            x1,
            y1,
        }) => {
            page = Some(i64::from(n));
            bx = [Some(x0), Some(y0), Some(x1), Some(y1)];
        }
        Some(Place::Cell {
            table,
            row,
            cell: c,
            rendered,
        }) => {
            cell = [Some(table), Some(row), Some(c)].map(|v| v.map(i64::from));
            if let Some(b) = rendered {
                page = Some(i64::from(b.page));
                bx = [Some(b.x0), Some(b.y0), Some(b.x1), Some(b.y1)];
            }
        }
        None => {}
    }
    let mut out: Vec<Value> = vec![page.into()];
    out.extend(bx.map(Value::from));
    out.extend(cell.map(Value::from));
    out
}

/// Options of one export run.
#[derive(Clone, Debug)]
pub struct Options {
    pub format: Format,
    pub shape: Shape,
    /// Chinese column headers instead of canonical keys (CSV, XLSX).
    pub chinese_headers: bool,
    /// The `file` column holds the file's name only, not the folders it was read from (the
    /// web application's exports: a server's paths are not for its users).
    pub file_names: bool,
    pub filter: Filter,
}

/// The last part of a stored path (`上传/报告.pdf`, `/srv/data/宁海县/北冷乡.txt` → the name).
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A report as the export shows it (see [`Options::file_names`]).
fn shown(mut s: Stored, opts: &Options) -> Stored {
    if opts.file_names {
        s.path = file_name(&s.path).to_string();
    }
    s
}

/// Writes the export; returns the number of reports written.
pub fn export(
    store: &mut Store,
    opts: &Options,
    out: &mut (dyn Write + Send),
) -> Result<usize, StoreError> {
    let cols = columns(opts.shape, opts.filter.template);
    let io = |e: std::io::Error| StoreError::Io(format!("写出失败 (write failed): {e}"));
    let mut n = 0;
    match opts.format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let header: Vec<&str> = cols
                .iter()
                .map(|c| {
                    if opts.chinese_headers {
                        c.zh.as_str()
                    } else {
                        c.name.as_str()
                    }
                })
                .collect();
            w.write_record(&header).map_err(|e| io(e.into()))?;
            store.each_report(&opts.filter, &mut |s| {
                let s = shown(s, opts);
                n += 1;
                for row in rows(opts.shape, &cols, &s) {
                    w.write_record(row.iter().map(csv_field))
                        .map_err(|e| io(e.into()))?;
                }
                Ok(())
            })?;
            w.flush().map_err(io)?;
        }
        Format::Json => {
            store.each_report(&opts.filter, &mut |s| {
                let s = shown(s, opts);
                n += 1;
                for row in rows(opts.shape, &cols, &s) {
                    let obj: serde_json::Map<String, serde_json::Value> = cols
                        .iter()
                        .zip(row)
                        .map(|(c, v)| (c.name.clone(), json_value(v)))
                        .collect();
                    serde_json::to_writer(&mut *out, &obj).map_err(|e| io(e.into()))?;
                    out.write_all(b"\n").map_err(io)?;
                }
                Ok(())
            })?;
        }
        Format::Xlsx => {
            let mut book = crate::xlsx::Book::new(&cols, opts.chinese_headers)?;
            store.each_report(&opts.filter, &mut |s| {
                let s = shown(s, opts);
                n += 1;
                book.add(&rows(opts.shape, &cols, &s), &s)
            })?;
            book.finish(out)?;
        }
        Format::Parquet => {
            let mut w = crate::pq::Writer::new(&cols, out)?;
            store.each_report(&opts.filter, &mut |s| {
                let s = shown(s, opts);
                n += 1;
                for row in rows(opts.shape, &cols, &s) {
                    w.push(row)?;
                }
                Ok(())
            })?;
            w.finish()?;
        }
    }
    Ok(n)
}

/// A column of hive-style folders in a partitioned Parquet export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partition {
    /// `year=2024`
    Year,
    /// `province=33`: the first two digits of the agency's division code.
    Province,
}

impl Partition {
    fn name(self) -> &'static str {
        match self {
            Partition::Year => "year",
            Partition::Province => "province",
        }
    }
}

/// Hive's folder value for a missing key.
const NONE: &str = "__HIVE_DEFAULT_PARTITION__";

/// Writes a Parquet export as one file per partition under `dir` —
/// `year=2024/province=33/part-0.parquet`, `__HIVE_DEFAULT_PARTITION__` for a report without
/// a year or an agency without a division — so DuckDB, Spark or Polars read the whole corpus
/// with hive partitioning and skip folders a query does not need. Each partition is read by
/// its own query and written before the next, so one file is open at a time. Returns the
/// number of reports and the files written.
pub fn export_partitioned(
    store: &mut Store,
    opts: &Options,
    by: &[Partition],
    dir: &Path,
) -> Result<(usize, Vec<PathBuf>), StoreError> {
    let io = |e: std::io::Error| StoreError::Io(format!("写出失败 (write failed): {e}"));
    let (clause, params) = opts.filter.sql();
    let mut parts: Vec<(Option<i64>, Option<String>)> = store
        .conn()
        .query(
            &format!(
                "SELECT DISTINCT r.year, SUBSTR(a.division, 1, 2) FROM reports r \
                 LEFT JOIN agencies a ON a.id = r.agency_id {clause}"
            ),
            &params,
        )?
        .iter()
        .map(|r| {
            (
                r.int(0).filter(|_| by.contains(&Partition::Year)),
                r.text(1)
                    .map(str::to_string)
                    .filter(|_| by.contains(&Partition::Province)),
            )
        })
        .collect();
    parts.sort();
    parts.dedup();
    let cols = columns(opts.shape, opts.filter.template);
    let (mut n, mut files) = (0, Vec::new());
    for (year, province) in parts {
        let mut filter = opts.filter.clone();
        let mut path = dir.to_path_buf();
        for p in by {
            let value = match p {
                Partition::Year => {
                    match year {
                        Some(y) => filter.years = vec![y as i32],
                        None => filter.no_year = true,
                    }
                    year.map(|y| y.to_string())
                }
                Partition::Province => {
                    match &province {
                        // Keep a narrower division filter the export already has.
                        Some(code)
                            if !filter
                                .division
                                .as_deref()
                                .is_some_and(|d| d.starts_with(code.as_str())) =>
                        {
                            filter.division = Some(code.clone())
                        }
                        Some(_) => {}
                        None => filter.unplaced = true,
                    }
                    province.clone()
                }
            };
            path.push(format!("{}={}", p.name(), value.as_deref().unwrap_or(NONE)));
        }
        std::fs::create_dir_all(&path).map_err(io)?;
        path.push("part-0.parquet");
        let file = std::fs::File::create(&path).map_err(io)?;
        let mut out = std::io::BufWriter::new(file);
        {
            let out: &mut (dyn Write + Send) = &mut out;
            let mut w = crate::pq::Writer::new(&cols, out)?;
            store.each_report(&filter, &mut |s| {
                n += 1;
                for row in rows(opts.shape, &cols, &s) {
                    w.push(row)?;
                }
                Ok(())
            })?;
            w.finish()?;
        }
        out.flush().map_err(io)?;
        files.push(path);
    }
    Ok((n, files))
}

fn csv_field(v: &Value) -> String {
    match v {
        Value::Int(Some(i)) => i.to_string(),
        Value::Real(Some(f)) => fmt_num(*f),
        Value::Text(Some(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Whole numbers without a decimal point (counts), others as written.
pub fn fmt_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn json_value(v: Value) -> serde_json::Value {
    match v {
        Value::Int(Some(i)) => i.into(),
        Value::Real(Some(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => (f as i64).into(),
        Value::Real(Some(f)) => serde_json::Number::from_f64(f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Text(Some(s)) => s.into(),
        _ => serde_json::Value::Null,
    }
}
