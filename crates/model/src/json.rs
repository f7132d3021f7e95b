//! The report object `nianbao extract` prints, and reading it back (hand-written or edited
//! files included): `nianbao render`, the web form and the API all take this shape.

use crate::{keys_for, Date, Finding, Num, Report, Section, Template};
use serde_json::{json, Map, Value};

/// `format` is the reader used (`text`, `html`, …); evidence offsets refer to the text
/// that reader produced.
pub fn to_json(file: &str, format: &str, r: &Report, findings: &[Finding]) -> Value {
    let mut values = Map::new();
    let mut evidence = Map::new();
    for (key, v) in r.values_in_order() {
        values.insert(
            key.to_string(),
            serde_json::to_value(v).unwrap_or(Value::Null),
        );
        if let Some(ev) = r.cells.get(key).and_then(|c| c.evidence.as_ref()) {
            evidence.insert(
                key.to_string(),
                serde_json::to_value(ev).unwrap_or(Value::Null),
            );
        }
    }
    json!({
        "file": file,
        "format": format,
        "title": r.title,
        "agency": r.agency,
        "year": r.year,
        "template": r.template.as_str(),
        "published": r.published,
        "tables": r.tables,
        "values": values,
        "evidence": evidence,
        "extra_items": r.extra_items,
        "sections": r.sections,
        "claims": r.claims,
        "findings": findings,
    })
}

fn opt_str(v: &Value, field: &str) -> Result<Option<String>, String> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("字段 {field} 应为文字 ({field} must be a string)")),
    }
}

/// A cell value: a JSON number, null, or a number written as a string ("12.5", "", "—").
fn num(key: &str, v: &Value) -> Result<Option<Num>, String> {
    let bad = || format!("{key} 的值不是数字 (value of {key} is not a number): {v}");
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(Some(Num::Int(i))),
            None => n.as_f64().map(|f| Some(Num::Dec(f))).ok_or_else(bad),
        },
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() || s == "—" || s == "-" {
                Ok(None)
            } else if let Ok(i) = s.parse::<i64>() {
                Ok(Some(Num::Int(i)))
            } else {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| Some(Num::Dec(f)))
                    .ok_or_else(bad)
            }
        }
        _ => Err(bad()),
    }
}

/// The template a `values` object belongs to: the one all its keys are canonical in.
fn infer_template(values: &Map<String, Value>) -> Option<Template> {
    Template::all().into_iter().rev().find(|t| {
        let keys = keys_for(*t);
        !values.is_empty() && values.keys().all(|k| keys.contains(&k.as_str()))
    })
}

/// Why a JSON object is not a report nianbao can take, in Chinese and English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidReport(pub String);

impl std::fmt::Display for InvalidReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidReport {}

/// Reads a report object. Unknown keys are refused (a misspelt key would silently leave
/// its cell blank); missing keys are blank cells.
pub fn from_json(v: &Value) -> Result<Report, InvalidReport> {
    report(v).map_err(InvalidReport)
}

fn report(v: &Value) -> Result<Report, String> {
    let obj = v
        .as_object()
        .ok_or("报告应为 JSON 对象 (a report must be a JSON object)")?;
    if let Some(e) = obj.get("error").and_then(Value::as_str) {
        return Err(format!(
            "这是一条读取失败的记录 (this line records a read error): {e}"
        ));
    }
    let empty = Map::new();
    let values = match obj.get("values") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => return Err("values 应为对象 (values must be an object of key: number)".into()),
    };
    let template = match obj.get("template") {
        Some(Value::String(s)) => Template::parse(s).ok_or_else(|| {
            format!("未知模板 {s:?}，应为 2019、2021 或 legacy (unknown template)")
        })?,
        Some(Value::Number(n)) => Template::parse(&n.to_string())
            .ok_or_else(|| format!("未知模板 {n}，应为 2019、2021 或 legacy (unknown template)"))?,
        _ => infer_template(values)
            .ok_or("缺少 template 字段，且无法从 values 判断 (template missing and not implied by the keys)")?,
    };
    let mut r = Report::new(template);
    let keys = keys_for(template);
    let unknown: Vec<&str> = values
        .keys()
        .map(String::as_str)
        .filter(|k| !keys.contains(k))
        .collect();
    if !unknown.is_empty() {
        let shown: Vec<&str> = unknown.iter().take(5).copied().collect();
        return Err(format!(
            "{} 个键不属于 {} 模板 ({} keys not in the {} template): {}",
            unknown.len(),
            template.as_str(),
            unknown.len(),
            template.as_str(),
            shown.join(", ")
        ));
    }
    for (k, val) in values {
        r.set(k, num(k, val)?);
    }
    r.file = opt_str(v, "file")?;
    r.title = opt_str(v, "title")?;
    r.agency = opt_str(v, "agency")?;
    r.year = match obj.get("year") {
        None | Some(Value::Null) => None,
        Some(y) => Some(
            y.as_i64()
                .or_else(|| y.as_str().and_then(|s| s.trim().parse().ok()))
                .filter(|y| (1990..=2200).contains(y))
                .ok_or_else(|| format!("year 应为年份 (year must be a year): {y}"))?
                as i32,
        ),
    };
    r.published = match opt_str(v, "published")? {
        None => None,
        Some(s) => Some(Date::try_from(s).map_err(|e| format!("published: {e}"))?),
    };
    if let Some(s) = obj.get("sections").filter(|s| !s.is_null()) {
        r.sections = serde_json::from_value::<Vec<Section>>(s.clone())
            .map_err(|e| format!("sections 格式不对 (sections malformed): {e}"))?;
    }
    if let Some(t) = obj.get("tables").and_then(Value::as_array) {
        r.tables = t
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect();
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_extract_object() {
        let mut r = Report::new(Template::Y2021);
        r.agency = Some("某镇".into());
        r.year = Some(2023);
        r.set("t3.received.natural", Some(Num::Int(21)));
        r.set("t2.fee.amount_wan", Some(Num::Dec(12.3604)));
        r.sections.push(Section {
            number: 1,
            title: "一、总体情况".into(),
            text: "本年度……".into(),
        });
        let back = from_json(&to_json("a.txt", "text", &r, &[])).unwrap();
        assert_eq!(back.values_in_order(), r.values_in_order());
        assert_eq!(
            (back.agency, back.year, back.sections),
            (r.agency, r.year, r.sections)
        );
    }

    #[test]
    fn hand_written_objects_are_read_or_refused_with_a_reason() {
        let r =
            from_json(&json!({"values": {"t2.regulation.issued": "3", "t3.received.total": 5}}))
                .unwrap();
        assert_eq!(r.template, Template::Y2021);
        assert_eq!(r.int("t2.regulation.issued"), Some(3));
        assert_eq!(r.int("t3.received.natural"), None);
        let e = from_json(&json!({"template": "2021", "values": {"t3.recieved.total": 5}}))
            .unwrap_err();
        assert!(e.0.contains("t3.recieved.total"), "{e}");
        let e = from_json(&json!({"template": "2021", "values": {"t3.received.total": "五"}}))
            .unwrap_err();
        assert!(e.0.contains("t3.received.total"), "{e}");
        assert!(from_json(&json!([1])).is_err());
        assert!(from_json(&json!({"template": "2030"})).is_err());
        assert!(from_json(&json!({"file": "x", "error": "坏文件"})).is_err());
    }
}
