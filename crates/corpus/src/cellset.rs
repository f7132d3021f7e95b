//! A report's cells as stored: one JSON array per report in `cell_sets`, each element the
//! columns the `cells` view shows — `[key, value, num, raw, line, col, pos, len, unit,
//! confidence, place]` — for the cells that have a value or evidence.
//!
//! One row per report instead of ~200: writing a report was mostly the database's work per
//! cell row (B-tree insert, record building, binding twelve parameters), and every reader
//! of cells wants a whole report's or a few keys of a few reports. SQL users keep the
//! `cells` view (see `schema`), which unfolds the arrays into the rows the table had.

use nianbao_model::{Cell, Cells, Evidence, Num, Place, Report};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

/// One stored cell, in the order of the `cells` view's columns.
#[derive(Serialize, Deserialize)]
struct Row(
    String,
    Option<String>,
    Option<f64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<f64>,
    Option<Place>,
);

/// One stored cell as written, borrowing from the report.
#[derive(Serialize)]
struct RowRef<'a>(
    &'a str,
    Option<String>,
    Option<f64>,
    Option<&'a str>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<&'a str>,
    Option<f64>,
    Option<&'a Place>,
);

/// The stored form of a report's cells.
pub(crate) fn encode(cells: &Cells) -> String {
    let rows: Vec<RowRef> = cells
        .iter()
        .filter(|(_, c)| c.value.is_some() || c.evidence.is_some())
        .map(|(key, c)| {
            let e = c.evidence.as_ref();
            RowRef(
                key,
                c.value.map(|v| v.to_string()),
                c.value.map(Num::as_f64),
                e.map(|e| e.raw.as_str()),
                e.map(|e| i64::from(e.line)),
                e.map(|e| i64::from(e.column)),
                e.map(|e| e.offset as i64),
                e.map(|e| e.len as i64),
                e.and_then(|e| e.unit.as_deref()),
                e.map(|e| f64::from(e.confidence)),
                e.and_then(|e| e.place.as_ref()),
            )
        })
        .collect();
    // Serialising plain strings, numbers and places cannot fail.
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

/// The stored form of cells given as rows of the version-8 `cells` table's columns from
/// `key` on (`key, value, num, raw, line, col, pos, len, unit, confidence, place`), starting
/// at column `from` of each row: the upgrade to one array per report.
pub(crate) fn from_columns(rows: &[&crate::db::Row], from: usize) -> String {
    let rows: Vec<Row> = rows
        .iter()
        .map(|r| {
            let text = |i: usize| r.text(from + i).map(str::to_string);
            Row(
                r.str(from).to_string(),
                text(1),
                r.real(from + 2),
                text(3),
                r.int(from + 4),
                r.int(from + 5),
                r.int(from + 6),
                r.int(from + 7),
                text(8),
                r.real(from + 9),
                r.text(from + 10)
                    .and_then(|p| serde_json::from_str::<Place>(p).ok()),
            )
        })
        .collect();
    // Serialising plain strings, numbers and places cannot fail.
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

fn parse(stored: &str) -> Result<Vec<Row>, String> {
    serde_json::from_str(stored)
        .map_err(|e| format!("单元格数据无法解析 (cells not readable): {e}"))
}

fn cell(r: Row) -> (String, Cell) {
    let Row(key, value, _, raw, line, col, pos, len, unit, confidence, place) = r;
    let evidence = raw.map(|raw| Evidence {
        raw,
        line: line.unwrap_or(0) as u32,
        column: col.unwrap_or(0) as u32,
        offset: pos.unwrap_or(0) as usize,
        len: len.unwrap_or(0) as usize,
        unit,
        confidence: confidence.unwrap_or(1.0) as f32,
        place,
    });
    let value = value.as_deref().and_then(crate::store::parse_num);
    (key, Cell { value, evidence })
}

/// Fills a report's cells from their stored form (keys its template lacks are left out).
pub(crate) fn decode_into(stored: &str, report: &mut Report) -> Result<(), String> {
    report.cells = Cells::new(report.template);
    for r in parse(stored)? {
        let (key, c) = cell(r);
        report.cells.set(&key, c);
    }
    Ok(())
}

/// The key and number of a stored cell, the rest skipped unread (the cross-year rules
/// read 22 numbers of each report of a series).
#[derive(Deserialize)]
struct KeyNum<'a>(
    #[serde(borrow)] std::borrow::Cow<'a, str>,
    IgnoredAny,
    Option<f64>,
    IgnoredAny,
    IgnoredAny,
    IgnoredAny,
    IgnoredAny,
    IgnoredAny,
    IgnoredAny,
    IgnoredAny,
    IgnoredAny,
);

/// The numbers of the given keys (those stored), as the `num` column had them.
pub(crate) fn numbers(stored: &str, keys: &[&str]) -> Result<Vec<(String, f64)>, String> {
    let rows: Vec<KeyNum> = serde_json::from_str(stored)
        .map_err(|e| format!("单元格数据无法解析 (cells not readable): {e}"))?;
    Ok(rows
        .into_iter()
        .filter(|r| keys.contains(&r.0.as_ref()))
        .filter_map(|r| Some((r.0.into_owned(), r.2?)))
        .collect())
}

/// The stored form with one cell's value replaced (a reviewer's correction; the cell keeps
/// its evidence, a cell not stored yet is added without any).
pub(crate) fn with_value(stored: &str, key: &str, value: Option<&str>) -> Result<String, String> {
    let mut rows = parse(stored)?;
    let num = value.and_then(crate::store::parse_num).map(Num::as_f64);
    match rows.iter_mut().find(|r| r.0 == key) {
        Some(r) => {
            r.1 = value.map(str::to_string);
            r.2 = num;
        }
        None => rows.push(Row(
            key.to_string(),
            value.map(str::to_string),
            num,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        )),
    }
    serde_json::to_string(&rows).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::{PageBox, Template};

    #[test]
    fn cells_survive_the_stored_form() {
        let mut r = Report::new(Template::Y2021);
        r.cells.set(
            "t3.received.natural",
            Cell {
                value: Some(Num::Int(21)),
                evidence: Some(Evidence {
                    raw: "21".into(),
                    line: 3,
                    column: 7,
                    offset: 120,
                    len: 2,
                    unit: None,
                    confidence: 0.9,
                    place: Some(Place::Cell {
                        table: 1,
                        row: 2,
                        cell: 3,
                        rendered: Some(PageBox {
                            page: 2,
                            x0: 1.5,
                            y0: 2.0,
                            x1: 3.0,
                            y1: 4.25,
                        }),
                    }),
                }),
            },
        );
        r.cells.set(
            "t2.fee.amount_wan",
            Cell {
                value: Some(Num::Dec(12.3604)),
                evidence: None,
            },
        );
        let stored = encode(&r.cells);
        let mut back = Report::new(Template::Y2021);
        decode_into(&stored, &mut back).unwrap();
        assert_eq!(back.cells, r.cells);
        assert_eq!(
            numbers(&stored, &["t2.fee.amount_wan", "t3.received.total"]).unwrap(),
            vec![("t2.fee.amount_wan".to_string(), 12.3604)]
        );
        let changed = with_value(&stored, "t3.received.natural", Some("5")).unwrap();
        decode_into(&changed, &mut back).unwrap();
        assert_eq!(back.value("t3.received.natural"), Some(Num::Int(5)));
        assert_eq!(
            back.cells["t3.received.natural"].evidence,
            r.cells["t3.received.natural"].evidence
        );
        let added = with_value(&stored, "t3.received.total", Some("30")).unwrap();
        decode_into(&added, &mut back).unwrap();
        assert_eq!(back.int("t3.received.total"), Some(30));
        assert!(back.cells["t3.received.total"].evidence.is_none());
        assert!(decode_into("[[", &mut back).is_err());
    }
}
