//! The rules of the annual-report templates, as pure functions from a [`Report`] to
//! [`Finding`]s. Each rule has a stable id (see [`RULES`]), a severity, a message in
//! Chinese and English, and names the cells it involves.

mod arith;
mod form;
mod narrative;
pub mod prose;
mod values;

pub use arith::{identities, single_fix, Identity};

use nianbao_model::{Finding, Report};

/// Every rule: id, severity, what it checks (Chinese, English).
pub const RULES: &[(&str, &str, &str, &str)] = &[
    (
        "t3.balance",
        "error",
        "表三各列：一+二 = 三(七)+四",
        "table 三, per column: 一 + 二 = 三(七) + 四",
    ),
    (
        "t3.row_total",
        "error",
        "表三各行：总计 = 六类申请人之和",
        "table 三, per row: 总计 = sum of the six applicant columns",
    ),
    (
        "t3.outcome_sum",
        "error",
        "表三各列：（七）总计 = 各办理结果之和",
        "table 三, per column: （七）总计 = sum of the outcome rows",
    ),
    (
        "t4.group_total",
        "error",
        "表四：总计 = 维持+纠正+其他+尚未审结",
        "table 四: 总计 = 维持 + 纠正 + 其他 + 尚未审结",
    ),
    (
        "identity.single_fix",
        "info",
        "改动一个单元格即可使全部勾稽关系成立",
        "one cell change makes every identity hold",
    ),
    (
        "legacy.sum",
        "warning",
        "统计表：合计 = 分项之和",
        "statistics table: totals = sum of their items",
    ),
    (
        "value.negative",
        "error",
        "件数不能为负",
        "counts cannot be negative",
    ),
    (
        "value.fraction",
        "error",
        "件数应为整数",
        "counts must be whole numbers",
    ),
    (
        "table.missing",
        "error",
        "缺少法定统计表",
        "a statutory table is missing",
    ),
    (
        "section.missing",
        "warning/error",
        "缺少法定章节（2021年版起为错误）",
        "a statutory section is missing (error from the 2021 format on)",
    ),
    (
        "template.year",
        "error/warning",
        "报告年度与所用格式不符",
        "the template does not fit the report year",
    ),
    (
        "narrative.no_requests",
        "warning",
        "正文称未收到申请，但表三有申请",
        "text says no requests, table 三 has some",
    ),
    (
        "narrative.count",
        "warning",
        "正文所述申请件数与表三不符",
        "request count in the text differs from table 三",
    ),
    (
        "publish.late",
        "warning",
        "发布日期晚于法定期限",
        "published after the statutory deadline",
    ),
    (
        "extract.extra_values",
        "warning",
        "一行的数值多于列数",
        "a row has more numbers than columns",
    ),
    (
        "extract.missing_values",
        "warning",
        "一行的数值少于列数",
        "a row has fewer numbers than columns",
    ),
    (
        "extract.ambiguous_split",
        "warning",
        "连在一起的数字有多种拆分",
        "digits run together split more than one way",
    ),
    (
        "extract.duplicate_label",
        "warning",
        "同一行标签出现两次",
        "a row label appears twice",
    ),
    (
        "extract.row_missing",
        "warning",
        "表中缺少某些行",
        "rows of a table were not found",
    ),
    (
        "extract.unit_unknown",
        "info",
        "金额未注明单位",
        "an amount gives no unit",
    ),
];

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
    all.sort_by(|a, b| b.severity.cmp(&a.severity));
    all
}

/// Readable name of a cell for messages: its label path from the schema.
pub(crate) fn cell_name(r: &Report, key: &str) -> String {
    nianbao_model::key_def(r.template, key)
        .map_or_else(|| key.to_string(), |d| d.label_path.to_string())
}
