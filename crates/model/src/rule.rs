//! Every rule nianbao applies, in one table: its stable id (what findings, the store, the
//! JSON and the exports carry), the severities its findings take, and what it checks in
//! Chinese and English.

use crate::Severity;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! rules {
    ($($(#[$doc:meta])* $v:ident = $id:literal, [$($sev:ident),+], $zh:literal, $en:literal;)*) => {
        /// A rule, by its stable id (`Rule::T3Balance` is `t3.balance`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($(#[$doc])* $v,)*
        }

        impl Rule {
            /// Every rule, in the order of the table.
            pub const ALL: &'static [Rule] = &[$(Rule::$v,)*];

            /// The stable id, e.g. `t3.balance`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$v => $id,)* }
            }

            /// The severities its findings take (several when the report decides, e.g. a
            /// missing section is an error from the 2021 format on).
            pub fn severities(self) -> &'static [Severity] {
                match self { $(Rule::$v => &[$(Severity::$sev),+],)* }
            }

            /// What it checks, in Chinese.
            pub fn what_zh(self) -> &'static str {
                match self { $(Rule::$v => $zh,)* }
            }

            /// What it checks, in English.
            pub fn what_en(self) -> &'static str {
                match self { $(Rule::$v => $en,)* }
            }
        }
    };
}

rules! {
    T3Balance = "t3.balance", [Error], "表三各列：一+二 = 三(七)+四", "table 三, per column: 一 + 二 = 三(七) + 四";
    T3RowTotal = "t3.row_total", [Error], "表三各行：总计 = 六类申请人之和", "table 三, per row: 总计 = sum of the six applicant columns";
    T3OutcomeSum = "t3.outcome_sum", [Error], "表三各列：（七）总计 = 各办理结果之和", "table 三, per column: （七）总计 = sum of the outcome rows";
    T4GroupTotal = "t4.group_total", [Error], "表四：总计 = 维持+纠正+其他+尚未审结", "table 四: 总计 = 维持 + 纠正 + 其他 + 尚未审结";
    IdentitySingleFix = "identity.single_fix", [Info], "改动一个单元格即可使全部勾稽关系成立", "one cell change makes every identity hold";
    LegacySum = "legacy.sum", [Warning], "统计表：合计 = 分项之和", "statistics table: totals = sum of their items";
    TableSum = "table.sum", [Error, Warning], "统计表：合计 = 分项之和（按其模板的定义）", "statistics table: totals = sum of their items, as its template defines them";
    ValueNegative = "value.negative", [Error], "件数不能为负", "counts cannot be negative";
    ValueFraction = "value.fraction", [Error], "件数应为整数", "counts must be whole numbers";
    TableMissing = "table.missing", [Error, Warning], "缺少法定统计表", "a statutory table is missing";
    SectionMissing = "section.missing", [Warning, Error], "缺少法定章节（2021年版起为错误）", "a statutory section is missing (error from the 2021 format on)";
    TemplateYear = "template.year", [Error, Warning], "报告年度与所用格式不符", "the template does not fit the report year";
    NarrativeNoRequests = "narrative.no_requests", [Warning], "正文称未收到申请，但表三有申请", "text says no requests, table 三 has some";
    NarrativeCount = "narrative.count", [Warning], "正文所述申请件数与表三不符", "request count in the text differs from table 三";
    PublishLate = "publish.late", [Warning], "发布日期晚于法定期限", "published after the statutory deadline";
    ExtractExtraValues = "extract.extra_values", [Warning], "一行的数值多于列数", "a row has more numbers than columns";
    ExtractMissingValues = "extract.missing_values", [Warning], "一行的数值少于列数", "a row has fewer numbers than columns";
    ExtractAmbiguousSplit = "extract.ambiguous_split", [Warning], "连在一起的数字有多种拆分", "digits run together split more than one way";
    ExtractAmbiguousPlacement = "extract.ambiguous_placement", [Warning], "一行的数值可放入不同的列", "a row's values fit more than one set of columns";
    ExtractDuplicateLabel = "extract.duplicate_label", [Warning], "同一行标签出现两次", "a row label appears twice";
    ExtractRowMissing = "extract.row_missing", [Warning], "表中缺少某些行", "rows of a table were not found";
    ExtractUncertainRow = "extract.uncertain_row", [Warning], "一行的数值也可能属于相邻的行", "a row's values may as well belong to a neighbouring row";
    ExtractUnitUnknown = "extract.unit_unknown", [Info], "金额未注明单位", "an amount gives no unit";
    ExtractAgencyMatched = "extract.agency_matched", [Warning], "识别出的机构名称与已有机构各部分至多差一字，已归入该机构", "an agency name as recognised is at most a character per part off a known agency and was taken for it";
    ExtractAgencyRespelled = "extract.agency_respelled", [Warning], "识别出的机构名称中的地名不在全国行政区划中，已按区划表更正", "a place name in the agency's name as recognised is no division; spelled as the division table spells it";
    ExtractAgencyFiled = "extract.agency_filed", [Warning], "报送单位上传的报告所印机构名称与该单位不同，已归入报送单位", "a report an agency filed prints another agency's name; it was kept as the filing agency's";
    CrossCarryOver = "cross.carry_over", [Error], "上年结转 = 上一年报告的结转下年度继续办理", "carried in = last year's carried over";
    CrossInForce = "cross.in_force", [Warning], "现行有效件数 = 上年件数 + 本年制发 − 本年废止", "in force = last year's + issued − repealed";
    CrossMissingYear = "cross.missing_year", [Warning], "年度报告系列有缺年", "a year is missing from the series";
    CrossSwing = "cross.swing", [Warning], "收到申请数较上年变化十倍以上", "requests received changed tenfold from last year";
    ReviewCorrectionNotCarried = "review.correction_not_carried", [Warning], "新版本改动了上一版本已更正的单元格，更正未沿用", "a new version changed a corrected cell; the correction was not carried";
    FormEmpty = "form.empty", [Info], "表格尚未填写", "nothing typed yet";
    FormBlank = "form.blank", [Warning], "表格有未填写的单元格，按空白保存", "cells left blank are stored blank";
    FormInvalid = "form.invalid", [Error], "单元格的内容无法保存（不是数字、负数、小数或超出范围）", "a cell cannot hold what was typed";
    LedgerOverdue = "ledger.overdue", [Error], "申请已超过答复期限", "a request is past its reply deadline";
    LedgerDueSoon = "ledger.due_soon", [Warning], "申请临近答复期限", "a request's deadline is near";
    LedgerNoOutcome = "ledger.no_outcome", [Warning], "已办结的申请未填写办理结果", "a closed request has no outcome";
    LedgerRepliedLate = "ledger.replied_late", [Warning], "申请答复晚于期限", "a request was answered late";
    LedgerDates = "ledger.dates", [Error], "答复日期早于收到日期", "replied before received";
    LedgerCalendar = "ledger.calendar", [Warning], "缺少该年的节假日安排", "no holiday list for the year";
}

impl Rule {
    /// The rule with this id.
    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// The id, as `id()`.
    pub fn as_str(self) -> &'static str {
        self.id()
    }

    /// The part of the id before the dot: `t3`, `extract`, `cross`, …
    pub fn family(self) -> &'static str {
        self.id().split('.').next().unwrap_or("")
    }

    /// Whether its findings are for the agency that filed the report (a letter to it lists
    /// them): not nianbao's doubts about how it read the file (`extract.*`), a reviewer's
    /// bookkeeping (`review.*`) or the compose form's state (`form.*`), which are the
    /// reviewer's to settle.
    pub fn for_agency(self) -> bool {
        !matches!(self.family(), "extract" | "review" | "form")
    }

    /// Whether its findings mean a table identity fails (the statistics' pass rate).
    pub fn is_identity(self) -> bool {
        matches!(
            self,
            Rule::T3Balance
                | Rule::T3RowTotal
                | Rule::T3OutcomeSum
                | Rule::T4GroupTotal
                | Rule::LegacySum
                | Rule::TableSum
        )
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl PartialEq<str> for Rule {
    fn eq(&self, other: &str) -> bool {
        self.id() == other
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rule, D::Error> {
        let id = String::deserialize(d)?;
        Rule::parse(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown rule {id:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_parse_back() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
        for r in Rule::ALL {
            assert_eq!(Rule::parse(r.id()), Some(*r));
            assert_eq!(serde_json::to_string(r).unwrap(), format!("\"{}\"", r.id()));
        }
        assert_eq!(Rule::parse("t3.nothing"), None);
        assert!(serde_json::from_str::<Rule>("\"t3.nothing\"").is_err());
        assert_eq!(Rule::CrossSwing.family(), "cross");
        assert!(Rule::LegacySum.is_identity() && !Rule::CrossSwing.is_identity());
    }
}
