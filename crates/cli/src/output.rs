//! The JSON object `nianbao extract` prints for each file.

use nianbao_model::{Finding, Report};
use serde_json::{json, Value};

pub use nianbao_model::json::to_json as report_json;

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
