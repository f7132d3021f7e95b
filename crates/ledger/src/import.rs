//! Ledgers from CSV or XLSX files: one request per row under a header row, in Chinese or
//! English column names. Every row is checked; a file with bad rows is refused with the
//! rows named, so tables are never counted from half a ledger.

use crate::calendar::{days, from_days};
use crate::request::{self, Challenge, Request, Route};
use nianbao_model::Date;
use std::path::Path;

/// Column names accepted for each field (first is the one nianbao writes).
const FIELDS: [(&str, &[&str]); 11] = [
    ("id", &["编号", "登记编号", "申请编号", "id"]),
    (
        "received",
        &["收到日期", "收到申请日期", "申请日期", "received"],
    ),
    ("applicant", &["申请人类型", "申请人", "applicant"]),
    ("outcome", &["办理结果", "答复类型", "outcome"]),
    ("closed", &["答复日期", "办结日期", "closed"]),
    ("extended", &["延期", "是否延期", "extended"]),
    (
        "review_filed",
        &["复议日期", "行政复议日期", "review_filed"],
    ),
    (
        "review_result",
        &["复议结果", "行政复议结果", "review_result"],
    ),
    ("suit_filed", &["诉讼日期", "行政诉讼日期", "suit_filed"]),
    ("suit_result", &["诉讼结果", "行政诉讼结果", "suit_result"]),
    ("suit_route", &["诉讼类型", "起诉方式", "suit_route"]),
];

/// The header row every ledger nianbao writes starts with.
pub fn header() -> Vec<&'static str> {
    FIELDS.iter().map(|(_, names)| names[0]).collect()
}

/// `2024-03-05`, `2024/3/5`, `2024.3.5`, `2024年3月5日`, or an Excel day number.
pub fn date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(serial) = s.parse::<f64>() {
        // Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included).
        return (1.0..200_000.0).contains(&serial).then(|| {
            from_days(
                days(Date {
                    year: 1899,
                    month: 12,
                    day: 30,
                }) + serial.floor() as i64,
            )
        });
    }
    let parts: Vec<&str> = s
        .split(|c: char| "-/.年月日 T".contains(c))
        .filter(|p| !p.is_empty())
        .take(3)
        .collect();
    match parts.as_slice() {
        [y, m, d] => Date::new(
            y.parse().ok()?,
            m.parse().ok()?,
            d.get(..2.min(d.len()))?.parse().ok()?,
        ),
        _ => None,
    }
}

fn yes(s: &str) -> Option<bool> {
    match s.trim() {
        "" | "否" | "0" | "false" | "no" | "N" | "n" => Some(false),
        "是" | "1" | "true" | "yes" | "Y" | "y" | "延期" => Some(true),
        _ => None,
    }
}

/// Requests from a header row and data rows (cells as text).
pub fn from_rows(rows: Vec<Vec<String>>) -> Result<Vec<Request>, String> {
    let mut it = rows
        .into_iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    let (_, head) = it.next().ok_or("台账为空 (the ledger is empty)")?;
    let col = |field: &str| -> Option<usize> {
        let names = FIELDS.iter().find(|(f, _)| *f == field)?.1;
        head.iter()
            .position(|h| names.contains(&h.trim().trim_start_matches('\u{feff}')))
    };
    let cols: Vec<Option<usize>> = FIELDS.iter().map(|(f, _)| col(f)).collect();
    for required in ["received", "applicant"] {
        if col(required).is_none() {
            let names = FIELDS
                .iter()
                .find(|(f, _)| *f == required)
                .map(|f| f.1.join("/"))
                .unwrap_or_default();
            return Err(format!("缺少“{names}”列 (missing column {required})"));
        }
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, row) in it {
        let get = |field: &str| -> &str {
            let i = FIELDS
                .iter()
                .position(|(f, _)| *f == field)
                .and_then(|i| cols[i]);
            i.and_then(|i| row.get(i)).map(|s| s.trim()).unwrap_or("")
        };
        let line = n + 1;
        let mut bad = |what: &str, v: &str| {
            errors.push(format!(
                "第 {line} 行 {what}“{v}”无法识别 (row {line}: bad {what})"
            ))
        };
        let parse_date = |v: &str| {
            if v.is_empty() {
                Some(None)
            } else {
                date(v).map(Some)
            }
        };
        let Some(received) = date(get("received")) else {
            bad("收到日期", get("received"));
            continue;
        };
        let Some(applicant) = request::applicant(get("applicant")) else {
            bad("申请人类型", get("applicant"));
            continue;
        };
        let outcome = match get("outcome") {
            "" => None,
            v => match request::outcome(v) {
                Some(o) => Some(o),
                None => {
                    bad("办理结果", v);
                    continue;
                }
            },
        };
        let Some(closed) = parse_date(get("closed")) else {
            bad("答复日期", get("closed"));
            continue;
        };
        let Some(extended) = yes(get("extended")) else {
            bad("延期", get("extended"));
            continue;
        };
        let mut challenges = Vec::new();
        let review = parse_date(get("review_filed"));
        let suit = parse_date(get("suit_filed"));
        let (Some(review), Some(suit)) = (review, suit) else {
            bad(
                "复议/诉讼日期",
                &format!("{} {}", get("review_filed"), get("suit_filed")),
            );
            continue;
        };
        let result = |v: &str| {
            if v.is_empty() {
                Some("pending")
            } else {
                request::result(v)
            }
        };
        if let Some(filed) = review {
            match result(get("review_result")) {
                Some(r) => challenges.push(Challenge {
                    route: Route::Review,
                    filed,
                    result: r,
                }),
                None => {
                    bad("复议结果", get("review_result"));
                    continue;
                }
            }
        }
        if let Some(filed) = suit {
            let route = match get("suit_route") {
                "" if review.is_some() => Route::SuitAfterReview,
                "" => Route::SuitDirect,
                v if v.contains("复议后") || v == "suit_after_review" => Route::SuitAfterReview,
                v if v.contains("直接") || v == "suit_direct" => Route::SuitDirect,
                v => {
                    bad("诉讼类型", v);
                    continue;
                }
            };
            match result(get("suit_result")) {
                Some(r) => challenges.push(Challenge {
                    route,
                    filed,
                    result: r,
                }),
                None => {
                    bad("诉讼结果", get("suit_result"));
                    continue;
                }
            }
        }
        let id = match get("id") {
            "" => format!("第{line}行"),
            v => v.to_string(),
        };
        out.push(Request {
            id,
            received,
            applicant,
            outcome,
            closed,
            extended,
            challenges,
        });
    }
    if !errors.is_empty() {
        let more = if errors.len() > 5 {
            format!("，等共 {} 处", errors.len())
        } else {
            String::new()
        };
        return Err(format!(
            "{}{more}",
            errors[..errors.len().min(5)].join("；")
        ));
    }
    Ok(out)
}

/// The largest ledger file read (a year of requests of one agency is a few MB at most).
pub const MAX_BYTES: u64 = 64 << 20;

/// Reads a ledger file: `.xlsx`/`.xls`/`.ods` by calamine (first sheet), anything else as
/// CSV (UTF-8, with or without BOM).
pub fn read(path: &Path) -> Result<Vec<Request>, String> {
    let name = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{name}: {e}"))?
        .len();
    if size > MAX_BYTES {
        return Err(format!(
            "{name}: 文件过大（{} MB），台账上限 {} MB (file too large)",
            size >> 20,
            MAX_BYTES >> 20
        ));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let rows = if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        spreadsheet(path)
    } else {
        csv_rows(path)
    }
    .map_err(|e| format!("{name}: {e}"))?;
    from_rows(rows).map_err(|e| format!("{name}: {e}"))
}

fn csv_rows(path: &Path) -> Result<Vec<Vec<String>>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| "不是 UTF-8 编码的 CSV；请另存为“CSV UTF-8” (not UTF-8 CSV)".to_string())?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_string).collect())
                .map_err(|e| format!("CSV 格式错误 (bad CSV): {e}"))
        })
        .collect()
}

fn spreadsheet(path: &Path) -> Result<Vec<Vec<String>>, String> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| format!("无法打开表格 (cannot open spreadsheet): {e}"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or("表格中没有工作表 (no sheet)")?
        .map_err(|e| format!("无法读取工作表 (cannot read sheet): {e}"))?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::DateTime(d) => d.as_f64().to_string(),
                    Data::Float(f) if f.fract() == 0.0 => (*f as i64).to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_offices_type_them() {
        let want = Date::new(2024, 3, 5);
        for s in [
            "2024-03-05",
            "2024/3/5",
            "2024.3.5",
            "2024年3月5日",
            "45356",
            "2024-03-05 10:00",
        ] {
            assert_eq!(date(s), want, "{s}");
        }
        assert_eq!(date("2024-02-30"), None);
        assert_eq!(date("三月五日"), None);
    }

    #[test]
    fn rows_with_bad_values_are_named() {
        let rows = vec![
            vec![
                "编号".into(),
                "收到日期".into(),
                "申请人类型".into(),
                "办理结果".into(),
            ],
            vec![
                "A1".into(),
                "2024-01-05".into(),
                "自然人".into(),
                "予以公开".into(),
            ],
            vec!["A2".into(), "2024-13-05".into(), "自然人".into(), "".into()],
            vec!["A3".into(), "2024-01-06".into(), "外星人".into(), "".into()],
        ];
        let e = from_rows(rows).unwrap_err();
        assert!(
            e.contains("第 3 行") && e.contains("第 4 行") && e.contains("外星人"),
            "{e}"
        );
        let e = from_rows(vec![vec!["编号".into()], vec!["A1".into()]]).unwrap_err();
        assert!(e.contains("收到日期"), "{e}");
    }
}
