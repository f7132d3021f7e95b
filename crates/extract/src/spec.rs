//! The rows of each template's tables, as data: canonical key prefix, label alternatives
//! (in canonical form, see [`crate::labels::canon`]) and the key suffix of each column.

use nianbao_model::Template;

/// What kind of number a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColKind {
    Count,
    /// 本年增/减: signed.
    Delta,
    /// Money, normalised to 万元.
    Money,
}

pub struct RowSpec {
    pub key: &'static str,
    pub labels: &'static [&'static str],
    pub cols: &'static [(&'static str, ColKind)],
}

impl RowSpec {
    pub fn cell_key(&self, col: usize) -> String {
        let suffix = self.cols[col].0;
        if suffix.is_empty() {
            self.key.to_string()
        } else {
            format!("{}.{}", self.key, suffix)
        }
    }
}

use ColKind::{Count as C, Delta as D, Money as M};

const MADE: &[(&str, ColKind)] = &[("made", C), ("published", C), ("total", C)];
const PREV3: &[(&str, ColKind)] = &[("prev", C), ("delta", D), ("decisions", C)];
const ISSUED: &[(&str, ColKind)] = &[("issued", C), ("repealed", C), ("in_force", C)];
const DECISIONS: &[(&str, ColKind)] = &[("decisions", C)];

pub const T2_2019: &[RowSpec] = &[
    RowSpec {
        key: "t2.regulation",
        labels: &["规章"],
        cols: MADE,
    },
    RowSpec {
        key: "t2.normative",
        labels: &["规范性文件"],
        cols: MADE,
    },
    RowSpec {
        key: "t2.license",
        labels: &["行政许可"],
        cols: PREV3,
    },
    RowSpec {
        key: "t2.other_service",
        labels: &["其他对外管理服务事项"],
        cols: PREV3,
    },
    RowSpec {
        key: "t2.penalty",
        labels: &["行政处罚"],
        cols: PREV3,
    },
    RowSpec {
        key: "t2.coercion",
        labels: &["行政强制"],
        cols: PREV3,
    },
    RowSpec {
        key: "t2.fee",
        labels: &["行政事业性收费"],
        cols: &[("prev", C), ("delta", D)],
    },
    RowSpec {
        key: "t2.procurement",
        labels: &["政府集中采购"],
        cols: &[("count", C), ("amount_wan", M)],
    },
];

pub const T2_2021: &[RowSpec] = &[
    RowSpec {
        key: "t2.regulation",
        labels: &["规章"],
        cols: ISSUED,
    },
    RowSpec {
        key: "t2.normative",
        labels: &["行政规范性文件", "规范性文件"],
        cols: ISSUED,
    },
    RowSpec {
        key: "t2.license",
        labels: &["行政许可"],
        cols: DECISIONS,
    },
    RowSpec {
        key: "t2.penalty",
        labels: &["行政处罚"],
        cols: DECISIONS,
    },
    RowSpec {
        key: "t2.coercion",
        labels: &["行政强制"],
        cols: DECISIONS,
    },
    RowSpec {
        key: "t2.fee",
        labels: &["行政事业性收费"],
        cols: &[("amount_wan", M)],
    },
];

const APPLICANTS: &[(&str, ColKind)] = &[
    ("natural", C),
    ("commercial", C),
    ("research", C),
    ("nonprofit", C),
    ("legal", C),
    ("other_org", C),
    ("total", C),
];

macro_rules! t3 {
    ($key:expr, $($label:expr),+) => {
        RowSpec { key: $key, labels: &[$($label),+], cols: APPLICANTS }
    };
}

const T3_HEAD: &[RowSpec] = &[
    t3!("t3.received", "一本年新收政府信息公开申请数量"),
    t3!("t3.carried_in", "二上年结转政府信息公开申请数量"),
    t3!("t3.granted", "(一)予以公开"),
    t3!("t3.partial", "(二)部分公开"),
    t3!("t3.denied.secret", "1.属于国家秘密"),
    t3!("t3.denied.prohibited", "2.其他法律行政法规禁止公开"),
    t3!("t3.denied.safety", "3.危及三安全一稳定"),
    t3!("t3.denied.third_party", "4.保护第三方合法权益"),
    t3!("t3.denied.internal", "5.属于三类内部事务信息"),
    t3!("t3.denied.process", "6.属于四类过程性信息"),
    t3!("t3.denied.enforcement", "7.属于行政执法案卷"),
    t3!("t3.denied.inquiry", "8.属于行政查询事项"),
    t3!("t3.unavailable.not_held", "1.本机关不掌握相关政府信息"),
    t3!(
        "t3.unavailable.needs_creation",
        "2.没有现成信息需要另行制作"
    ),
    t3!("t3.unavailable.unclear", "3.补正后申请内容仍不明确"),
    t3!("t3.not_processed.petition", "1.信访举报投诉类申请"),
    t3!("t3.not_processed.repeat", "2.重复申请"),
    t3!("t3.not_processed.publication", "3.要求提供公开出版物"),
    t3!("t3.not_processed.excessive", "4.无正当理由大量反复申请"),
    t3!(
        "t3.not_processed.confirm",
        "5.要求行政机关确认或重新出具已获取信息"
    ),
];

const T3_TAIL: &[RowSpec] = &[
    t3!("t3.processed", "(七)总计"),
    t3!("t3.carried_over", "四结转下年度继续办理"),
];

const T3_OTHER_2019: &[RowSpec] = &[t3!("t3.other", "(六)其他处理")];

const T3_OTHER_2021: &[RowSpec] = &[
    t3!(
        "t3.other.no_correction",
        "1.申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请"
    ),
    t3!(
        "t3.other.no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请"
    ),
    t3!("t3.other.other", "3.其他"),
];

/// Rows of table 三 for a template, in order.
pub fn t3_rows(template: Template) -> Vec<&'static RowSpec> {
    let other = if template == Template::Y2021 {
        T3_OTHER_2021
    } else {
        T3_OTHER_2019
    };
    T3_HEAD.iter().chain(other).chain(T3_TAIL).collect()
}

pub fn t2_rows(template: Template) -> &'static [RowSpec] {
    if template == Template::Y2021 {
        T2_2021
    } else {
        T2_2019
    }
}

/// Table 四: one row of 15 cells, in column order.
pub const T4_KEYS: [&str; 15] = [
    "t4.review.upheld",
    "t4.review.corrected",
    "t4.review.other",
    "t4.review.pending",
    "t4.review.total",
    "t4.suit_direct.upheld",
    "t4.suit_direct.corrected",
    "t4.suit_direct.other",
    "t4.suit_direct.pending",
    "t4.suit_direct.total",
    "t4.suit_after_review.upheld",
    "t4.suit_after_review.corrected",
    "t4.suit_after_review.other",
    "t4.suit_after_review.pending",
    "t4.suit_after_review.total",
];

macro_rules! lg {
    ($key:expr, $($label:expr),+) => {
        RowSpec { key: $key, labels: &[$($label),+], cols: &[("", C)] }
    };
    (money $key:expr, $($label:expr),+) => {
        RowSpec { key: $key, labels: &[$($label),+], cols: &[("", M)] }
    };
}

/// The national statistics form (国办发〔2014〕32号), in its order.
pub const LEGACY_NATIONAL: &[RowSpec] = &[
    lg!("legacy.active.total", "主动公开政府信息数"),
    lg!("legacy.active.normative", "其中主动公开规范性文件数"),
    lg!("legacy.active.normative_issued", "制发规范性文件总数"),
    lg!("legacy.channel.gazette", "政府公报公开政府信息数"),
    lg!("legacy.channel.website", "政府网站公开政府信息数"),
    lg!("legacy.channel.weibo", "政务微博公开政府信息数"),
    lg!("legacy.channel.wechat", "政务微信公开政府信息数"),
    lg!("legacy.channel.other", "其他方式公开政府信息数"),
    lg!("legacy.response.hotspots", "回应公众关注热点或重大舆情数"),
    lg!("legacy.response.press", "参加或举办新闻发布会总次数"),
    lg!(
        "legacy.response.press_leader",
        "其中主要负责同志参加新闻发布会次数"
    ),
    lg!("legacy.response.interviews", "政府网站在线访谈次数"),
    lg!(
        "legacy.response.interviews_leader",
        "其中主要负责同志参加政府网站在线访谈次数"
    ),
    lg!("legacy.response.interpretations", "政策解读稿件发布数"),
    lg!("legacy.response.weibo_wechat", "微博微信回应事件数"),
    lg!("legacy.response.other", "其他方式回应事件数"),
    lg!("legacy.request.received", "收到申请数"),
    lg!("legacy.request.in_person", "当面申请数"),
    lg!("legacy.request.fax", "传真申请数"),
    lg!("legacy.request.online", "网络申请数", "网上申请数"),
    lg!("legacy.request.letter", "信函申请数"),
    lg!("legacy.request.completed", "申请办结数"),
    lg!("legacy.request.on_time", "按时办结数"),
    lg!("legacy.request.extended", "延期办结数"),
    lg!("legacy.reply.total", "申请答复数"),
    lg!("legacy.reply.already_public", "属于已主动公开范围数"),
    lg!("legacy.reply.granted", "同意公开答复数"),
    lg!("legacy.reply.partial", "同意部分公开答复数"),
    lg!("legacy.reply.denied", "不同意公开答复数"),
    lg!("legacy.reply.denied.secret", "涉及国家秘密"),
    lg!("legacy.reply.denied.commercial", "涉及商业秘密"),
    lg!("legacy.reply.denied.privacy", "涉及个人隐私"),
    lg!(
        "legacy.reply.denied.safety",
        "危及国家安全公共安全经济安全和社会稳定"
    ),
    lg!("legacy.reply.denied.not_gov_info", "不是条例所指政府信息"),
    lg!("legacy.reply.denied.other_law", "法律法规规定的其他情形"),
    lg!("legacy.reply.not_this_agency", "不属于本行政机关公开数"),
    lg!("legacy.reply.not_exist", "申请信息不存在数"),
    lg!("legacy.reply.correction", "告知作出更改补充数"),
    lg!("legacy.reply.other_channel", "告知通过其他途径办理数"),
    lg!("legacy.review.total", "行政复议数量"),
    lg!("legacy.review.upheld", "维持具体行政行为数"),
    lg!("legacy.review.corrected", "被依法纠错数"),
    lg!("legacy.review.other", "其他情形数"),
    lg!("legacy.suit.total", "行政诉讼数量"),
    lg!(
        "legacy.suit.upheld",
        "维持具体行政行为或者驳回原告诉讼请求数"
    ),
    lg!("legacy.suit.corrected", "被依法纠错数"),
    lg!("legacy.suit.other", "其他情形数"),
    lg!("legacy.complaints", "举报投诉数量"),
    lg!(money "legacy.fees_wan", "依申请公开信息收取的费用"),
    lg!("legacy.org.units", "政府信息公开工作专门机构数"),
    lg!("legacy.org.reading_points", "设置政府信息公开查阅点数"),
    lg!("legacy.org.staff", "从事政府信息公开工作人员数"),
    lg!("legacy.org.staff_fulltime", "专职人员数"),
    lg!("legacy.org.staff_parttime", "兼职人员数"),
    lg!(money "legacy.org.budget_wan", "政府信息公开专项经费"),
    lg!(
        "legacy.training.meetings",
        "召开政府信息公开工作会议或专题会议数"
    ),
    lg!("legacy.training.courses", "举办各类培训班数"),
    lg!("legacy.training.trainees", "接受培训人员数"),
];

/// The 福建-style table (指标名称 | 计量单位 | 年度 | 历年累计), in its order.
pub const LEGACY_FUJIAN: &[RowSpec] = &[
    lg!(
        "legacy.active.total",
        "主动公开信息数",
        "主动公开文件数",
        "主动公开政府信息数"
    ),
    lg!("legacy.channel.website", "政府网站公开数"),
    lg!("legacy.channel.gazette", "政府公报公开数"),
    lg!(
        "legacy.request.received",
        "受理政府信息公开申请总数",
        "受理依申请公开信息总数"
    ),
    lg!("legacy.request.in_person", "当面申请数"),
    lg!("legacy.request.online", "网上申请数"),
    lg!("legacy.request.letter", "信函传真申请数", "信函申请数"),
    lg!("legacy.reply.total", "对申请的答复总数"),
    lg!("legacy.reply.granted", "同意公开答复数"),
    lg!("legacy.reply.partial", "同意部分公开答复数"),
    lg!("legacy.reply.denied", "不予公开答复数"),
    lg!(
        "legacy.complaints",
        "接受行政申诉举报数",
        "接受行政诉讼举报数"
    ),
    lg!("legacy.review.total", "行政复议数"),
    lg!("legacy.suit.total", "行政诉讼数"),
];

pub const LEGACY_VARIANTS: [&[RowSpec]; 2] = [LEGACY_NATIONAL, LEGACY_FUJIAN];

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::keys_for;

    /// Every cell key the specs produce exists in keys.tsv for that template, and every
    /// key of the template is produced: the specs and the schema cannot drift apart.
    #[test]
    fn specs_cover_the_schema_exactly() {
        for t in [Template::Y2019, Template::Y2021] {
            let mut made: Vec<String> = t2_rows(t)
                .iter()
                .chain(t3_rows(t))
                .flat_map(|r| (0..r.cols.len()).map(|c| r.cell_key(c)))
                .collect();
            made.extend(T4_KEYS.iter().map(|k| k.to_string()));
            let mut want: Vec<String> = keys_for(t).iter().map(|k| k.to_string()).collect();
            made.sort();
            want.sort();
            assert_eq!(made, want, "template {t}");
        }
        let mut legacy: Vec<String> = LEGACY_NATIONAL.iter().map(|r| r.cell_key(0)).collect();
        let mut want: Vec<String> = keys_for(Template::Legacy)
            .iter()
            .map(|k| k.to_string())
            .collect();
        legacy.sort();
        want.sort();
        assert_eq!(legacy, want);
        for r in LEGACY_FUJIAN {
            assert!(want.contains(&r.cell_key(0)), "{}", r.key);
        }
    }
}
