//! The official tables of each template as data: the one place their rows, printed labels,
//! the label variants extraction accepts, units, columns and merged header cells are written.
//! Extraction matches against it, the checks read its rows, `render` draws its tables (and
//! the synthetic pages and the XLSX export draw render's tables).

use crate::{PerTemplate, Rule, Sum, Template, COLUMNS, COLUMN_LABELS};

/// A column of values: the suffix it adds to its row's key (`""` for a row of one value)
/// and its printed head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Col {
    pub suffix: &'static str,
    pub head: &'static str,
}

/// A row of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// Key stem: a value's key is `key.suffix` (or `key` for a suffix `""`); `""` for a
    /// heading row with no values.
    pub key: &'static str,
    /// Printed labels of the groups the row sits in, outermost first: consecutive rows
    /// with the same group share one merged cell.
    pub group: &'static [&'static str],
    /// The row's own printed label.
    pub label: &'static str,
    /// The labels extraction accepts for the row, in canonical form (no spaces, quotes or
    /// punctuation but item numbers, see `nianbao_extract`'s `canon`); the printed one first.
    pub matches: &'static [&'static str],
    /// Unit printed beside the value (the pre-2019 form), or `""`.
    pub unit: &'static str,
    pub cols: &'static [Col],
}

impl Line {
    /// The key of the value in column `col`.
    pub fn cell_key(&self, col: usize) -> String {
        match self.cols[col].suffix {
            "" => self.key.to_string(),
            s => format!("{}.{s}", self.key),
        }
    }

    /// Every value key of the row, in column order.
    pub fn keys(&self) -> impl Iterator<Item = String> + '_ {
        (0..self.cols.len()).map(|c| self.cell_key(c))
    }

    /// Printed label path, outermost first.
    pub fn path(&self) -> impl Iterator<Item = &'static str> {
        self.group.iter().copied().chain([self.label])
    }
}

/// `（六）…`, `(6)…`, `2.…`, `2、…`, `二、…`: the numbering of a report's table items.
pub fn numbered(t: &str) -> bool {
    let c: Vec<char> = t.trim().chars().take(4).collect();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    match c.as_slice() {
        ['（' | '(', n, ..] => numeral(*n) || n.is_ascii_digit(),
        [d, '.' | '．' | '、', ..] => d.is_ascii_digit() || numeral(*d) && c[1] == '、',
        [d, e, '.' | '．' | '、', ..] => d.is_ascii_digit() && e.is_ascii_digit(),
        _ => false,
    }
}

/// A printed header cell: its text, top row, left column and how many rows and columns it
/// covers (in the grid of the whole table, label columns first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub text: &'static str,
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
}

const fn h(text: &'static str, row: usize, col: usize, rows: usize, cols: usize) -> Head {
    Head {
        text,
        row,
        col,
        rows,
        cols,
    }
}

/// One 第二十条 item of table 二: its number and its rows, which share their columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub number: &'static str,
    pub lines: &'static [Line],
}

impl Item {
    pub fn cols(&self) -> &'static [Col] {
        self.lines[0].cols
    }
}

const fn col(suffix: &'static str, head: &'static str) -> Col {
    Col { suffix, head }
}

const fn line(
    key: &'static str,
    group: &'static [&'static str],
    label: &'static str,
    matches: &'static [&'static str],
    cols: &'static [Col],
) -> Line {
    Line {
        key,
        group,
        label,
        matches,
        unit: "",
        cols,
    }
}

// ---- 二、主动公开政府信息情况 ----

const MADE: &[Col] = &[
    col("made", "本年新制作数量"),
    col("published", "本年新公开数量"),
    col("total", "对外公开总数量"),
];
const PREV3: &[Col] = &[
    col("prev", "上一年项目数量"),
    col("delta", "本年增/减"),
    col("decisions", "处理决定数量"),
];
const ISSUED: &[Col] = &[
    col("issued", "本年制发件数"),
    col("repealed", "本年废止件数"),
    col("in_force", "现行有效件数"),
];
const DECISIONS: &[Col] = &[col("decisions", "本年处理决定数量")];

const fn t2(
    key: &'static str,
    label: &'static str,
    matches: &'static [&'static str],
    cols: &'static [Col],
) -> Line {
    line(key, &[], label, matches, cols)
}

// The rows of table 二 both forms print, each with the columns a form gives it.
const fn regulation(cols: &'static [Col]) -> Line {
    t2("t2.regulation", "规章", &["规章"], cols)
}
const fn license(cols: &'static [Col]) -> Line {
    t2("t2.license", "行政许可", &["行政许可"], cols)
}
const fn penalty(cols: &'static [Col]) -> Line {
    t2("t2.penalty", "行政处罚", &["行政处罚"], cols)
}
const fn coercion(cols: &'static [Col]) -> Line {
    t2("t2.coercion", "行政强制", &["行政强制"], cols)
}
const fn fee(cols: &'static [Col]) -> Line {
    t2("t2.fee", "行政事业性收费", &["行政事业性收费"], cols)
}
const fn item(number: &'static str, lines: &'static [Line]) -> Item {
    Item { number, lines }
}

pub const T2_2019: &[Item] = &[
    item(
        "一",
        &[
            regulation(MADE),
            t2("t2.normative", "规范性文件", &["规范性文件"], MADE),
        ],
    ),
    item(
        "五",
        &[
            license(PREV3),
            t2(
                "t2.other_service",
                "其他对外管理服务事项",
                &["其他对外管理服务事项"],
                PREV3,
            ),
        ],
    ),
    item("六", &[penalty(PREV3), coercion(PREV3)]),
    item(
        "八",
        &[fee(&[
            col("prev", "上一年项目数量"),
            col("delta", "本年增/减"),
        ])],
    ),
    item(
        "九",
        &[t2(
            "t2.procurement",
            "政府集中采购",
            &["政府集中采购"],
            &[
                col("count", "采购项目数量"),
                col("amount_wan", "采购总金额（单位：万元）"),
            ],
        )],
    ),
];

pub const T2_2021: &[Item] = &[
    item(
        "一",
        &[
            regulation(ISSUED),
            t2(
                "t2.normative",
                "行政规范性文件",
                &["行政规范性文件", "规范性文件"],
                ISSUED,
            ),
        ],
    ),
    item("五", &[license(DECISIONS)]),
    item("六", &[penalty(DECISIONS), coercion(DECISIONS)]),
    item(
        "八",
        &[fee(&[col("amount_wan", "本年收费金额（单位：万元）")])],
    ),
];

/// The 第二十条 items of table 二 (none for a statistics form).
pub fn t2_items(template: Template) -> &'static [Item] {
    template.sections().map_or(&[], |s| s.t2)
}

/// The rows of table 二, item after item.
pub fn t2_lines(template: Template) -> impl Iterator<Item = &'static Line> {
    t2_items(template).iter().flat_map(|i| i.lines)
}

// ---- 三、收到和处理政府信息公开申请情况 ----

/// The seven applicant columns; the first and last heads span two header rows, the five
/// kinds of 法人或其他组织 sit under that merged head.
pub const APPLICANTS: &[Col] = &[
    col("natural", "自然人"),
    col("commercial", "商业企业"),
    col("research", "科研机构"),
    col("nonprofit", "社会公益组织"),
    col("legal", "法律服务机构"),
    col("other_org", "其他"),
    col("total", "总计"),
];

/// Table 三's three label columns and the applicant header above its values.
pub const T3_HEAD: &[Head] = &[
    h(
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        0,
        0,
        3,
        3,
    ),
    h("申请人情况", 0, 3, 1, 7),
    h("自然人", 1, 3, 2, 1),
    h("法人或其他组织", 1, 4, 1, 5),
    h("商业企业", 2, 4, 1, 1),
    h("科研机构", 2, 5, 1, 1),
    h("社会公益组织", 2, 6, 1, 1),
    h("法律服务机构", 2, 7, 1, 1),
    h("其他", 2, 8, 1, 1),
    h("总计", 1, 9, 2, 1),
];

/// Label columns of table 三: top level, result group, reason.
pub const T3_LABEL_COLS: usize = 3;

const RESULT: &[&str] = &["三、本年度办理结果"];
const DENIED: &[&str] = &["三、本年度办理结果", "（三）不予公开"];
const UNAVAILABLE: &[&str] = &["三、本年度办理结果", "（四）无法提供"];
const NOT_PROCESSED: &[&str] = &["三、本年度办理结果", "（五）不予处理"];
const OTHER: &[&str] = &["三、本年度办理结果", "（六）其他处理"];

const fn t3(
    key: &'static str,
    group: &'static [&'static str],
    label: &'static str,
    matches: &'static [&'static str],
) -> Line {
    line(key, group, label, matches, APPLICANTS)
}

const T3_START: &[Line] = &[
    t3(
        "t3.received",
        &[],
        "一、本年新收政府信息公开申请数量",
        &["一本年新收政府信息公开申请数量"],
    ),
    t3(
        "t3.carried_in",
        &[],
        "二、上年结转政府信息公开申请数量",
        &["二上年结转政府信息公开申请数量"],
    ),
    t3("t3.granted", RESULT, "（一）予以公开", &["(一)予以公开"]),
    t3(
        "t3.partial",
        RESULT,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        &["(二)部分公开"],
    ),
    t3(
        "t3.denied.secret",
        DENIED,
        "1.属于国家秘密",
        &["1.属于国家秘密"],
    ),
    t3(
        "t3.denied.prohibited",
        DENIED,
        "2.其他法律行政法规禁止公开",
        &["2.其他法律行政法规禁止公开"],
    ),
    t3(
        "t3.denied.safety",
        DENIED,
        "3.危及“三安全一稳定”",
        &["3.危及三安全一稳定"],
    ),
    t3(
        "t3.denied.third_party",
        DENIED,
        "4.保护第三方合法权益",
        &["4.保护第三方合法权益"],
    ),
    t3(
        "t3.denied.internal",
        DENIED,
        "5.属于三类内部事务信息",
        &["5.属于三类内部事务信息"],
    ),
    t3(
        "t3.denied.process",
        DENIED,
        "6.属于四类过程性信息",
        &["6.属于四类过程性信息"],
    ),
    t3(
        "t3.denied.enforcement",
        DENIED,
        "7.属于行政执法案卷",
        &["7.属于行政执法案卷"],
    ),
    t3(
        "t3.denied.inquiry",
        DENIED,
        "8.属于行政查询事项",
        &["8.属于行政查询事项"],
    ),
    t3(
        "t3.unavailable.not_held",
        UNAVAILABLE,
        "1.本机关不掌握相关政府信息",
        &["1.本机关不掌握相关政府信息"],
    ),
    t3(
        "t3.unavailable.needs_creation",
        UNAVAILABLE,
        "2.没有现成信息需要另行制作",
        &["2.没有现成信息需要另行制作"],
    ),
    t3(
        "t3.unavailable.unclear",
        UNAVAILABLE,
        "3.补正后申请内容仍不明确",
        &["3.补正后申请内容仍不明确"],
    ),
    t3(
        "t3.not_processed.petition",
        NOT_PROCESSED,
        "1.信访举报投诉类申请",
        &["1.信访举报投诉类申请"],
    ),
    t3(
        "t3.not_processed.repeat",
        NOT_PROCESSED,
        "2.重复申请",
        &["2.重复申请"],
    ),
    t3(
        "t3.not_processed.publication",
        NOT_PROCESSED,
        "3.要求提供公开出版物",
        &["3.要求提供公开出版物"],
    ),
    t3(
        "t3.not_processed.excessive",
        NOT_PROCESSED,
        "4.无正当理由大量反复申请",
        &["4.无正当理由大量反复申请"],
    ),
    t3(
        "t3.not_processed.confirm",
        NOT_PROCESSED,
        "5.要求行政机关确认或重新出具已获取信息",
        &["5.要求行政机关确认或重新出具已获取信息"],
    ),
];

pub const T3_OTHER_2019: &[Line] = &[t3("t3.other", RESULT, "（六）其他处理", &["(六)其他处理"])];

pub const T3_OTHER_2021: &[Line] = &[
    t3(
        "t3.other.no_correction",
        OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        &["1.申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请"],
    ),
    t3(
        "t3.other.no_fee",
        OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        &["2.申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请"],
    ),
    t3("t3.other.other", OTHER, "3.其他", &["3.其他"]),
];

const T3_END: &[Line] = &[
    t3("t3.processed", RESULT, "（七）总计", &["(七)总计"]),
    t3(
        "t3.carried_over",
        &[],
        "四、结转下年度继续办理",
        &["四结转下年度继续办理"],
    ),
];

/// The rows of table 三 for a template, in printed order (none for a statistics form).
pub fn t3_lines(template: Template) -> impl Iterator<Item = &'static Line> {
    let (start, other, end): (&[Line], &[Line], &[Line]) = match template.sections() {
        Some(s) => (T3_START, s.t3_other, T3_END),
        None => (&[], &[], &[]),
    };
    start.iter().chain(other).chain(end)
}

// ---- 四、政府信息公开行政复议、行政诉讼情况 ----

/// Table 四's header: 行政复议 with its five results, 行政诉讼 split into 未经复议直接起诉
/// and 复议后起诉 with five each.
pub const T4_HEAD: &[Head] = &[
    h("行政复议", 0, 0, 1, 5),
    h("行政诉讼", 0, 5, 1, 10),
    h("结果维持", 1, 0, 2, 1),
    h("结果纠正", 1, 1, 2, 1),
    h("其他结果", 1, 2, 2, 1),
    h("尚未审结", 1, 3, 2, 1),
    h("总计", 1, 4, 2, 1),
    h("未经复议直接起诉", 1, 5, 1, 5),
    h("复议后起诉", 1, 10, 1, 5),
    h("结果维持", 2, 5, 1, 1),
    h("结果纠正", 2, 6, 1, 1),
    h("其他结果", 2, 7, 1, 1),
    h("尚未审结", 2, 8, 1, 1),
    h("总计", 2, 9, 1, 1),
    h("结果维持", 2, 10, 1, 1),
    h("结果纠正", 2, 11, 1, 1),
    h("其他结果", 2, 12, 1, 1),
    h("尚未审结", 2, 13, 1, 1),
    h("总计", 2, 14, 1, 1),
];

/// Table 四's one row of fifteen values, without a label.
pub const T4: Line = line(
    "t4",
    &[],
    "",
    &[],
    &[
        col("review.upheld", "结果维持"),
        col("review.corrected", "结果纠正"),
        col("review.other", "其他结果"),
        col("review.pending", "尚未审结"),
        col("review.total", "总计"),
        col("suit_direct.upheld", "结果维持"),
        col("suit_direct.corrected", "结果纠正"),
        col("suit_direct.other", "其他结果"),
        col("suit_direct.pending", "尚未审结"),
        col("suit_direct.total", "总计"),
        col("suit_after_review.upheld", "结果维持"),
        col("suit_after_review.corrected", "结果纠正"),
        col("suit_after_review.other", "其他结果"),
        col("suit_after_review.pending", "尚未审结"),
        col("suit_after_review.total", "总计"),
    ],
);

// ---- The statistics table of reports up to 2018 ----

/// Its header: indicator, unit, value.
pub const LEGACY_HEAD: [&str; 3] = ["统计指标", "单位", "统计数"];

const ONE: &[Col] = &[col("", "统计数")];

const fn lg(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    matches: &'static [&'static str],
) -> Line {
    Line {
        key,
        group: &[],
        label,
        matches,
        unit,
        cols: ONE,
    }
}

/// Labels of another table for the same indicator: read, never drawn.
const fn variant(key: &'static str, matches: &'static [&'static str]) -> Line {
    lg(key, "", "", matches)
}

const fn heading(label: &'static str) -> Line {
    Line {
        key: "",
        group: &[],
        label,
        matches: &[],
        unit: "",
        cols: &[],
    }
}

/// The national statistics form (国办发〔2014〕32号) in its printed order: heading rows
/// (no key) and one value row per indicator with its unit.
pub const LEGACY: &[Line] = &[
    heading("一、主动公开情况"),
    lg(
        "legacy.active.total",
        "（一）主动公开政府信息数",
        "条",
        &["主动公开政府信息数"],
    ),
    lg(
        "legacy.active.normative",
        "其中：主动公开规范性文件数",
        "件",
        &["其中主动公开规范性文件数"],
    ),
    lg(
        "legacy.active.normative_issued",
        "制发规范性文件总数",
        "件",
        &["制发规范性文件总数"],
    ),
    heading("（二）通过不同渠道和方式公开政府信息的情况"),
    lg(
        "legacy.channel.gazette",
        "1.政府公报公开政府信息数",
        "条",
        &["政府公报公开政府信息数"],
    ),
    lg(
        "legacy.channel.website",
        "2.政府网站公开政府信息数",
        "条",
        &["政府网站公开政府信息数"],
    ),
    lg(
        "legacy.channel.weibo",
        "3.政务微博公开政府信息数",
        "条",
        &["政务微博公开政府信息数"],
    ),
    lg(
        "legacy.channel.wechat",
        "4.政务微信公开政府信息数",
        "条",
        &["政务微信公开政府信息数"],
    ),
    lg(
        "legacy.channel.other",
        "5.其他方式公开政府信息数",
        "条",
        &["其他方式公开政府信息数"],
    ),
    heading("二、回应解读情况"),
    lg(
        "legacy.response.hotspots",
        "（一）回应公众关注热点或重大舆情数",
        "次",
        &["回应公众关注热点或重大舆情数"],
    ),
    heading("（二）通过不同渠道和方式回应解读的情况"),
    lg(
        "legacy.response.press",
        "1.参加或举办新闻发布会总次数",
        "次",
        &["参加或举办新闻发布会总次数"],
    ),
    lg(
        "legacy.response.press_leader",
        "其中：主要负责同志参加新闻发布会次数",
        "次",
        &["其中主要负责同志参加新闻发布会次数"],
    ),
    lg(
        "legacy.response.interviews",
        "2.政府网站在线访谈次数",
        "次",
        &["政府网站在线访谈次数"],
    ),
    lg(
        "legacy.response.interviews_leader",
        "其中：主要负责同志参加政府网站在线访谈次数",
        "次",
        &["其中主要负责同志参加政府网站在线访谈次数"],
    ),
    lg(
        "legacy.response.interpretations",
        "3.政策解读稿件发布数",
        "篇",
        &["政策解读稿件发布数"],
    ),
    lg(
        "legacy.response.weibo_wechat",
        "4.微博微信回应事件数",
        "次",
        &["微博微信回应事件数"],
    ),
    lg(
        "legacy.response.other",
        "5.其他方式回应事件数",
        "次",
        &["其他方式回应事件数"],
    ),
    heading("三、依申请公开情况"),
    lg(
        "legacy.request.received",
        "（一）收到申请数",
        "件",
        &["收到申请数"],
    ),
    lg(
        "legacy.request.in_person",
        "1.当面申请数",
        "件",
        &["当面申请数"],
    ),
    lg("legacy.request.fax", "2.传真申请数", "件", &["传真申请数"]),
    lg(
        "legacy.request.online",
        "3.网络申请数",
        "件",
        &["网络申请数", "网上申请数"],
    ),
    lg(
        "legacy.request.letter",
        "4.信函申请数",
        "件",
        &["信函申请数"],
    ),
    lg(
        "legacy.request.completed",
        "（二）申请办结数",
        "件",
        &["申请办结数"],
    ),
    lg(
        "legacy.request.on_time",
        "1.按时办结数",
        "件",
        &["按时办结数"],
    ),
    lg(
        "legacy.request.extended",
        "2.延期办结数",
        "件",
        &["延期办结数"],
    ),
    lg(
        "legacy.reply.total",
        "（三）申请答复数",
        "件",
        &["申请答复数"],
    ),
    lg(
        "legacy.reply.already_public",
        "1.属于已主动公开范围数",
        "件",
        &["属于已主动公开范围数"],
    ),
    lg(
        "legacy.reply.granted",
        "2.同意公开答复数",
        "件",
        &["同意公开答复数"],
    ),
    lg(
        "legacy.reply.partial",
        "3.同意部分公开答复数",
        "件",
        &["同意部分公开答复数"],
    ),
    lg(
        "legacy.reply.denied",
        "4.不同意公开答复数",
        "件",
        &["不同意公开答复数"],
    ),
    lg(
        "legacy.reply.denied.secret",
        "其中：涉及国家秘密",
        "件",
        &["涉及国家秘密"],
    ),
    lg(
        "legacy.reply.denied.commercial",
        "涉及商业秘密",
        "件",
        &["涉及商业秘密"],
    ),
    lg(
        "legacy.reply.denied.privacy",
        "涉及个人隐私",
        "件",
        &["涉及个人隐私"],
    ),
    lg(
        "legacy.reply.denied.safety",
        "危及国家安全、公共安全、经济安全和社会稳定",
        "件",
        &["危及国家安全公共安全经济安全和社会稳定"],
    ),
    lg(
        "legacy.reply.denied.not_gov_info",
        "不是《条例》所指政府信息",
        "件",
        &["不是条例所指政府信息"],
    ),
    lg(
        "legacy.reply.denied.other_law",
        "法律法规规定的其他情形",
        "件",
        &["法律法规规定的其他情形"],
    ),
    lg(
        "legacy.reply.not_this_agency",
        "5.不属于本行政机关公开数",
        "件",
        &["不属于本行政机关公开数"],
    ),
    lg(
        "legacy.reply.not_exist",
        "6.申请信息不存在数",
        "件",
        &["申请信息不存在数"],
    ),
    lg(
        "legacy.reply.correction",
        "7.告知作出更改补充数",
        "件",
        &["告知作出更改补充数"],
    ),
    lg(
        "legacy.reply.other_channel",
        "8.告知通过其他途径办理数",
        "件",
        &["告知通过其他途径办理数"],
    ),
    lg(
        "legacy.review.total",
        "四、行政复议数量",
        "件",
        &["行政复议数量"],
    ),
    lg(
        "legacy.review.upheld",
        "（一）维持具体行政行为数",
        "件",
        &["维持具体行政行为数"],
    ),
    lg(
        "legacy.review.corrected",
        "（二）被依法纠错数",
        "件",
        &["被依法纠错数"],
    ),
    lg(
        "legacy.review.other",
        "（三）其他情形数",
        "件",
        &["其他情形数"],
    ),
    lg(
        "legacy.suit.total",
        "五、行政诉讼数量",
        "件",
        &["行政诉讼数量"],
    ),
    lg(
        "legacy.suit.upheld",
        "（一）维持具体行政行为或者驳回原告诉讼请求数",
        "件",
        &["维持具体行政行为或者驳回原告诉讼请求数"],
    ),
    lg(
        "legacy.suit.corrected",
        "（二）被依法纠错数",
        "件",
        &["被依法纠错数"],
    ),
    lg(
        "legacy.suit.other",
        "（三）其他情形数",
        "件",
        &["其他情形数"],
    ),
    lg(
        "legacy.complaints",
        "六、举报投诉数量",
        "件",
        &["举报投诉数量"],
    ),
    lg(
        "legacy.fees_wan",
        "七、依申请公开信息收取的费用",
        "万元",
        &["依申请公开信息收取的费用"],
    ),
    heading("八、机构建设和保障经费情况"),
    lg(
        "legacy.org.units",
        "（一）政府信息公开工作专门机构数",
        "个",
        &["政府信息公开工作专门机构数"],
    ),
    lg(
        "legacy.org.reading_points",
        "（二）设置政府信息公开查阅点数",
        "个",
        &["设置政府信息公开查阅点数"],
    ),
    lg(
        "legacy.org.staff",
        "（三）从事政府信息公开工作人员数",
        "人",
        &["从事政府信息公开工作人员数"],
    ),
    lg(
        "legacy.org.staff_fulltime",
        "1.专职人员数（不包括政府公报及政府网站工作人员数）",
        "人",
        &["专职人员数"],
    ),
    lg(
        "legacy.org.staff_parttime",
        "2.兼职人员数",
        "人",
        &["兼职人员数"],
    ),
    lg(
        "legacy.org.budget_wan",
        "（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
        "万元",
        &["政府信息公开专项经费"],
    ),
    heading("九、政府信息公开会议和培训情况"),
    lg(
        "legacy.training.meetings",
        "（一）召开政府信息公开工作会议或专题会议数",
        "次",
        &["召开政府信息公开工作会议或专题会议数"],
    ),
    lg(
        "legacy.training.courses",
        "（二）举办各类培训班数",
        "次",
        &["举办各类培训班数"],
    ),
    lg(
        "legacy.training.trainees",
        "（三）接受培训人员数",
        "人次",
        &["接受培训人员数"],
    ),
];

/// The 福建-style table (指标名称 | 计量单位 | 年度 | 历年累计): the same indicators under
/// other names, fewer of them, in its own order. Only read, never drawn.
pub const LEGACY_FUJIAN: &[Line] = &[
    variant(
        "legacy.active.total",
        &["主动公开信息数", "主动公开文件数", "主动公开政府信息数"],
    ),
    variant("legacy.channel.website", &["政府网站公开数"]),
    variant("legacy.channel.gazette", &["政府公报公开数"]),
    variant(
        "legacy.request.received",
        &["受理政府信息公开申请总数", "受理依申请公开信息总数"],
    ),
    variant("legacy.request.in_person", &["当面申请数"]),
    variant("legacy.request.online", &["网上申请数"]),
    variant("legacy.request.letter", &["信函传真申请数", "信函申请数"]),
    variant("legacy.reply.total", &["对申请的答复总数"]),
    variant("legacy.reply.granted", &["同意公开答复数"]),
    variant("legacy.reply.partial", &["同意部分公开答复数"]),
    variant("legacy.reply.denied", &["不予公开答复数"]),
    variant(
        "legacy.complaints",
        &["接受行政申诉举报数", "接受行政诉讼举报数"],
    ),
    variant("legacy.review.total", &["行政复议数"]),
    variant("legacy.suit.total", &["行政诉讼数"]),
];

/// The national form's totals and their items.
pub const LEGACY_SUMS: &[Sum] = &[
    Sum {
        name: "收到申请数",
        total: "legacy.request.received",
        parts: &[
            "legacy.request.in_person",
            "legacy.request.fax",
            "legacy.request.online",
            "legacy.request.letter",
        ],
    },
    Sum {
        name: "申请办结数",
        total: "legacy.request.completed",
        parts: &["legacy.request.on_time", "legacy.request.extended"],
    },
    Sum {
        name: "申请答复数",
        total: "legacy.reply.total",
        parts: &[
            "legacy.reply.already_public",
            "legacy.reply.granted",
            "legacy.reply.partial",
            "legacy.reply.denied",
            "legacy.reply.not_this_agency",
            "legacy.reply.not_exist",
            "legacy.reply.correction",
            "legacy.reply.other_channel",
        ],
    },
    Sum {
        name: "行政复议数量",
        total: "legacy.review.total",
        parts: &[
            "legacy.review.upheld",
            "legacy.review.corrected",
            "legacy.review.other",
        ],
    },
    Sum {
        name: "行政诉讼数量",
        total: "legacy.suit.total",
        parts: &[
            "legacy.suit.upheld",
            "legacy.suit.corrected",
            "legacy.suit.other",
        ],
    },
];

// ---- Identities ----

/// `sum(lhs) == sum(rhs)`, with the rule it belongs to and its messages.
#[derive(Clone, Debug)]
pub struct Identity {
    pub rule: Rule,
    pub lhs: Vec<String>,
    pub rhs: Vec<String>,
    pub what_zh: String,
    pub what_en: String,
}

/// Rows of table 三 between 二 and （七） for a template (the outcome rows).
fn outcome_rows(t: Template) -> Vec<String> {
    t3_lines(t)
        .map(|l| l.key.to_string())
        .filter(|k| {
            !matches!(
                k.as_str(),
                "t3.received" | "t3.carried_in" | "t3.processed" | "t3.carried_over"
            )
        })
        .collect()
}

/// The printed label of a row of table 三, from its label path (`三/三/（二）部分公开/总计`).
fn row_label(t: Template, row: &str) -> String {
    crate::key_def(t, &format!("{row}.total")).map_or_else(
        || row.to_string(),
        |d| {
            let parts: Vec<&str> = d.label_path.split('/').collect();
            let inner = &parts[1..parts.len().saturating_sub(1)];
            inner
                .iter()
                .filter(|p| **p != "三")
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        },
    )
}

/// Every hard identity of a template: what its tables must add up to (built once per
/// template; the checks ask for them with every report).
pub fn identities(t: Template) -> &'static [Identity] {
    static CACHE: PerTemplate<Vec<Identity>> = PerTemplate::new();
    CACHE.get(t, build_identities)
}

fn build_identities(t: Template) -> Vec<Identity> {
    if t.sections().is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (c, label) in COLUMNS.iter().zip(COLUMN_LABELS) {
        out.push(Identity {
            rule: Rule::T3Balance,
            lhs: vec![format!("t3.received.{c}"), format!("t3.carried_in.{c}")],
            rhs: vec![format!("t3.processed.{c}"), format!("t3.carried_over.{c}")],
            what_zh: format!("表三“{label}”列：一、本年新收 + 二、上年结转 应等于 （七）总计 + 四、结转下年度"),
            what_en: format!("table 三, column {label}: received + carried in must equal processed + carried over"),
        });
    }
    for row in t3_lines(t).map(|l| l.key) {
        let name = row_label(t, row);
        out.push(Identity {
            rule: Rule::T3RowTotal,
            lhs: COLUMNS[..6].iter().map(|c| format!("{row}.{c}")).collect(),
            rhs: vec![format!("{row}.total")],
            what_zh: format!("表三“{name}”行：总计应等于六类申请人之和"),
            what_en: format!(
                "table 三, row {name}: 总计 must equal the sum of the six applicant columns"
            ),
        });
    }
    let outcomes = outcome_rows(t);
    for (c, label) in COLUMNS.iter().zip(COLUMN_LABELS) {
        out.push(Identity {
            rule: Rule::T3OutcomeSum,
            lhs: vec![format!("t3.processed.{c}")],
            rhs: outcomes.iter().map(|r| format!("{r}.{c}")).collect(),
            what_zh: format!("表三“{label}”列：（七）总计应等于各项办理结果之和"),
            what_en: format!(
                "table 三, column {label}: （七）总计 must equal the sum of the outcome rows"
            ),
        });
    }
    for (g, name) in [
        ("review", "行政复议"),
        ("suit_direct", "未经复议直接起诉"),
        ("suit_after_review", "复议后起诉"),
    ] {
        out.push(Identity {
            rule: Rule::T4GroupTotal,
            lhs: ["upheld", "corrected", "other", "pending"]
                .iter()
                .map(|p| format!("t4.{g}.{p}"))
                .collect(),
            rhs: vec![format!("t4.{g}.total")],
            what_zh: format!("表四“{name}”：总计应等于结果维持+结果纠正+其他结果+尚未审结"),
            what_en: format!(
                "table 四, {name}: 总计 must equal upheld + corrected + other + pending"
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys_for;

    /// Every value row of a template, table by table.
    pub fn lines(template: Template) -> Vec<&'static Line> {
        match template.statistics() {
            Some(s) => s.value_lines().collect(),
            None => t2_lines(template)
                .chain(t3_lines(template))
                .chain([&T4])
                .collect(),
        }
    }

    /// Every value key the layout draws exists in keys.tsv for that template and every key
    /// of the template is drawn once: the layout and the schema cannot drift apart.
    #[test]
    fn the_layout_covers_the_schema_exactly() {
        for t in Template::ALL {
            let mut drawn: Vec<String> = lines(t).iter().flat_map(|l| l.keys()).collect();
            let mut want: Vec<String> = keys_for(t).iter().map(|k| k.to_string()).collect();
            drawn.sort();
            want.sort();
            assert_eq!(drawn, want, "template {t}");
        }
        let national: Vec<String> = lines(Template::Legacy)
            .iter()
            .flat_map(|l| l.keys())
            .collect();
        for l in LEGACY_FUJIAN {
            assert!(national.contains(&l.key.to_string()), "{}", l.key);
        }
    }

    #[test]
    fn header_cells_tile_their_rows() {
        for (head, width) in [
            (T3_HEAD, T3_LABEL_COLS + APPLICANTS.len()),
            (T4_HEAD, T4.cols.len()),
        ] {
            let mut grid = vec![vec![0; width]; 3];
            for h in head {
                for r in h.row..h.row + h.rows {
                    for c in h.col..h.col + h.cols {
                        grid[r][c] += 1;
                    }
                }
            }
            // Table 三's value columns start under the label block; every slot is covered once.
            assert!(grid.iter().flatten().all(|&n| n == 1), "{grid:?}");
        }
    }
}
