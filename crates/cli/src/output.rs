//! The JSON object `nianbao extract` prints for each file.

use nianbao_model::{Finding, Report};
use serde_json::{json, Map, Value};

/// `format` is the reader used (`text`, `html`); evidence offsets refer to the text that
/// reader produced (for HTML: one paragraph per line, table rows with tab-separated cells).
pub fn report_json(file: &str, format: &str, r: &Report, findings: &[Finding]) -> Value {
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

pub fn error_json(file: &str, error: &str) -> Value {
    json!({ "file": file, "error": error })
}

pub fn check_json(file: &str, r: &Report, findings: &[Finding]) -> Value {
    json!({
        "file": file,
        "agency": r.agency,
        "year": r.year,
        "template": r.template.as_str(),
        "published": r.published,
        "findings": findings,
    })
}
