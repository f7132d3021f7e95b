//! One request of the ledger and the categories the tables count it under.

use nianbao_model::{Date, Template, COLUMNS};

/// The applicant-type columns of table 三 (canonical column names, without `total`).
pub const APPLICANTS: [(&str, &str); 6] = [
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other_org", "其他"),
];

/// How a request was closed: the row of table 三 (canonical row key under `t3.`) and its
/// printed names.
pub const OUTCOMES: [(&str, &[&str]); 20] = [
    ("granted", &["予以公开"]),
    ("partial", &["部分公开"]),
    ("denied.secret", &["属于国家秘密", "国家秘密"]),
    ("denied.prohibited", &["其他法律行政法规禁止公开"]),
    ("denied.safety", &["危及“三安全一稳定”", "危及三安全一稳定"]),
    ("denied.third_party", &["保护第三方合法权益"]),
    ("denied.internal", &["属于三类内部事务信息", "内部事务信息"]),
    ("denied.process", &["属于四类过程性信息", "过程性信息"]),
    ("denied.enforcement", &["属于行政执法案卷", "行政执法案卷"]),
    ("denied.inquiry", &["属于行政查询事项", "行政查询事项"]),
    (
        "unavailable.not_held",
        &["本机关不掌握相关政府信息", "不掌握"],
    ),
    (
        "unavailable.needs_creation",
        &["没有现成信息需要另行制作", "需要另行制作"],
    ),
    ("unavailable.unclear", &["补正后申请内容仍不明确"]),
    ("not_processed.petition", &["信访举报投诉类申请"]),
    ("not_processed.repeat", &["重复申请"]),
    ("not_processed.publication", &["要求提供公开出版物"]),
    ("not_processed.excessive", &["无正当理由大量反复申请"]),
    (
        "not_processed.confirm",
        &["要求行政机关确认或重新出具已获取信息"],
    ),
    (
        "other.no_correction",
        &["申请人无正当理由逾期不补正", "逾期不补正"],
    ),
    (
        "other.no_fee",
        &["申请人逾期未按收费通知要求缴纳费用", "逾期未缴费"],
    ),
];

/// `other.other` (2021) — the 2019 format has one `other` row for all three.
pub const OTHER: (&str, &[&str]) = ("other.other", &["其他处理", "其他"]);

/// Results of an administrative review or a lawsuit (table 四).
pub const RESULTS: [(&str, &str); 4] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// 行政复议
    Review,
    /// 未经复议直接起诉
    SuitDirect,
    /// 复议后起诉
    SuitAfterReview,
}

impl Route {
    pub fn key(self) -> &'static str {
        match self {
            Route::Review => "review",
            Route::SuitDirect => "suit_direct",
            Route::SuitAfterReview => "suit_after_review",
        }
    }
}

/// A review or lawsuit about a request: filed on a date, its result (`pending` until decided).
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    pub route: Route,
    pub filed: Date,
    /// One of [`RESULTS`]' keys.
    pub result: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The agency's own number for the request (登记编号).
    pub id: String,
    pub received: Date,
    /// One of [`APPLICANTS`]' keys.
    pub applicant: &'static str,
    /// The closing category (one of [`OUTCOMES`]' keys or `other.other`), once closed.
    pub outcome: Option<&'static str>,
    pub closed: Option<Date>,
    /// The reply period was extended by up to 20 working days (条例第三十三条).
    pub extended: bool,
    pub challenges: Vec<Challenge>,
}

/// The row key of table 三 an outcome counts under in a template (the 2019 format has one
/// `（六）其他处理` row).
pub fn row_key(outcome: &str, template: Template) -> String {
    match (outcome.strip_prefix("other."), template) {
        (Some(_), Template::Y2019) => "t3.other".into(),
        _ => format!("t3.{outcome}"),
    }
}

/// Reads an applicant type as printed (`自然人`, `商业企业`, …) or as its key.
pub fn applicant(s: &str) -> Option<&'static str> {
    let s = s.trim();
    APPLICANTS
        .iter()
        .find(|(k, zh)| *k == s || *zh == s || (s.contains("其他") && *k == "other_org"))
        .map(|(k, _)| *k)
        .or_else(|| COLUMNS.iter().find(|c| **c == s && **c != "total").copied())
}

/// Reads a closing category: its key (`denied.secret`), its printed reason (`属于国家秘密`),
/// or the group and reason together (`不予公开-属于国家秘密`, `（三）不予公开/1.属于国家秘密`).
pub fn outcome(s: &str) -> Option<&'static str> {
    let s = s.trim();
    let all = OUTCOMES.iter().chain(std::iter::once(&OTHER));
    if let Some((k, _)) = all.clone().find(|(k, _)| *k == s) {
        return Some(k);
    }
    // The reason is the most specific part: match the longest printed name inside the text.
    all.flat_map(|(k, names)| names.iter().map(move |n| (k, n)))
        .filter(|(_, n)| s.contains(**n))
        .max_by_key(|(_, n)| n.chars().count())
        .map(|(k, _)| *k)
}

pub fn result(s: &str) -> Option<&'static str> {
    let s = s.trim();
    RESULTS
        .iter()
        .find(|(k, zh)| *k == s || *zh == s || zh.contains(s) && s.chars().count() >= 2)
        .map(|(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_categories_are_recognised() {
        assert_eq!(outcome("予以公开"), Some("granted"));
        assert_eq!(outcome("不予公开-属于国家秘密"), Some("denied.secret"));
        assert_eq!(
            outcome("（四）无法提供/1.本机关不掌握相关政府信息"),
            Some("unavailable.not_held")
        );
        assert_eq!(outcome("denied.process"), Some("denied.process"));
        assert_eq!(outcome("其他处理"), Some("other.other"));
        assert_eq!(
            outcome("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理"),
            Some("other.no_fee")
        );
        assert_eq!(outcome("已阅"), None);
        assert_eq!(applicant("法律服务机构"), Some("legal"));
        assert_eq!(applicant("其他组织"), Some("other_org"));
        assert_eq!(applicant("公民"), None);
        assert_eq!(result("维持"), Some("upheld"));
        assert_eq!(row_key("other.no_fee", Template::Y2019), "t3.other");
        assert_eq!(row_key("other.no_fee", Template::Y2021), "t3.other.no_fee");
    }
}
