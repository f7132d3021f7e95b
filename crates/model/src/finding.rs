//! Findings: what a check (or the extractor itself) has to say about a report.

use crate::Rule;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
    }
}

/// A single-cell change that would make every failing identity hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub key: String,
    pub current: Option<i64>,
    pub value: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule (serialised as its stable id, e.g. `t3.balance`).
    pub rule: Rule,
    pub severity: Severity,
    pub message_zh: String,
    pub message_en: String,
    /// Canonical keys of the cells involved.
    pub cells: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub fix: Option<Fix>,
    /// Readings of `cells` the text allows equally (a row whose digits run together, or
    /// whose values can sit in several columns): each is one value per cell, in the order of
    /// `cells`, as it would be typed (`""` for a blank cell); the one extracted comes first.
    /// A reviewer picks one.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub alternatives: Vec<Vec<String>>,
}

impl Finding {
    pub fn new(
        rule: Rule,
        severity: Severity,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
        cells: Vec<String>,
    ) -> Finding {
        Finding {
            rule,
            severity,
            message_zh: message_zh.into(),
            message_en: message_en.into(),
            cells,
            fix: None,
            alternatives: Vec::new(),
        }
    }
}
