//! The rules of the annual-report templates, as pure functions from a [`Report`] to
//! [`Finding`]s. Each rule has a stable id (see [`nianbao_model::Rule`]), a severity, a message in
//! Chinese and English, and names the cells it involves.

mod arith;
mod form;
mod narrative;
pub mod prose;
mod values;

pub use arith::single_fix;
pub use nianbao_model::layout::{identities, Identity};

use nianbao_model::{Finding, Report};

/// The findings of every rule for one report (extraction doubts not included).
pub fn check(r: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    arith::check(r, &mut out);
    values::check(r, &mut out);
    form::check(r, &mut out);
    narrative::check(r, &mut out);
    out
}

/// Everything to tell a person about a report: the extractor's doubts and the rules'
/// findings, most severe first.
pub fn findings(r: &Report) -> Vec<Finding> {
    let mut all = r.doubts.clone();
    all.extend(check(r));
    all.sort_by_key(|f| std::cmp::Reverse(f.severity));
    all
}

/// Readable name of a cell for messages: its label path from the schema.
pub(crate) fn cell_name(r: &Report, key: &str) -> String {
    nianbao_model::key_def(r.template, key)
        .map_or_else(|| key.to_string(), |d| d.label_path.to_string())
}
