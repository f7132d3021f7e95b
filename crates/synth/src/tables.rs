//! The official tables as grids of cell texts (labels, headers and values).

use nianbao_model::{Num, Report, Template, COLUMNS};
use nianbao_render::LEGACY_ROWS;

/// How a value is written: chosen per cell by the layout.
pub trait Writer {
    fn count(&mut self, v: Option<Num>) -> String;
    fn delta(&mut self, v: Option<Num>) -> String;
    fn money(&mut self, v: Option<Num>, t: Template) -> String;
    /// A label, possibly varied (typos, spacing, width of brackets).
    fn label(&mut self, s: &str) -> String;
}

pub type Grid = Vec<Vec<String>>;

fn s(x: &str) -> String {
    x.to_string()
}

pub fn t2(r: &Report, w: &mut dyn Writer) -> Grid {
    let t = r.template;
    let mut g: Grid = Vec::new();
    let block = |g: &mut Grid, item: &str, head: &[&str]| {
        g.push(vec![format!("第二十条第（{item}）项"), s(""), s(""), s("")]);
        g.push(
            std::iter::once(s("信息内容"))
                .chain(head.iter().map(|h| s(h)))
                .collect(),
        );
    };
    let row = |g: &mut Grid, w: &mut dyn Writer, label: &str, key: &str, cols: &[&str]| {
        let mut cells = vec![w.label(label)];
        for c in cols {
            let k = format!("{key}.{c}");
            let v = r.value(&k);
            cells.push(if *c == "delta" {
                w.delta(v)
            } else if c.ends_with("_wan") {
                w.money(v, t)
            } else {
                w.count(v)
            });
        }
        g.push(cells);
    };
    if t == Template::Y2021 {
        block(
            &mut g,
            "一",
            &["本年制发件数", "本年废止件数", "现行有效件数"],
        );
        row(
            &mut g,
            w,
            "规章",
            "t2.regulation",
            &["issued", "repealed", "in_force"],
        );
        row(
            &mut g,
            w,
            "行政规范性文件",
            "t2.normative",
            &["issued", "repealed", "in_force"],
        );
        block(&mut g, "五", &["本年处理决定数量"]);
        row(&mut g, w, "行政许可", "t2.license", &["decisions"]);
        block(&mut g, "六", &["本年处理决定数量"]);
        row(&mut g, w, "行政处罚", "t2.penalty", &["decisions"]);
        row(&mut g, w, "行政强制", "t2.coercion", &["decisions"]);
        block(&mut g, "八", &["本年收费金额（单位：万元）"]);
        row(&mut g, w, "行政事业性收费", "t2.fee", &["amount_wan"]);
    } else {
        block(
            &mut g,
            "一",
            &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        );
        row(
            &mut g,
            w,
            "规章",
            "t2.regulation",
            &["made", "published", "total"],
        );
        row(
            &mut g,
            w,
            "规范性文件",
            "t2.normative",
            &["made", "published", "total"],
        );
        block(
            &mut g,
            "五",
            &["上一年项目数量", "本年增/减", "处理决定数量"],
        );
        row(
            &mut g,
            w,
            "行政许可",
            "t2.license",
            &["prev", "delta", "decisions"],
        );
        row(
            &mut g,
            w,
            "其他对外管理服务事项",
            "t2.other_service",
            &["prev", "delta", "decisions"],
        );
        block(
            &mut g,
            "六",
            &["上一年项目数量", "本年增/减", "处理决定数量"],
        );
        row(
            &mut g,
            w,
            "行政处罚",
            "t2.penalty",
            &["prev", "delta", "decisions"],
        );
        row(
            &mut g,
            w,
            "行政强制",
            "t2.coercion",
            &["prev", "delta", "decisions"],
        );
        block(&mut g, "八", &["上一年项目数量", "本年增/减"]);
        row(&mut g, w, "行政事业性收费", "t2.fee", &["prev", "delta"]);
        block(&mut g, "九", &["采购项目数量", "采购总金额（单位：万元）"]);
        row(
            &mut g,
            w,
            "政府集中采购",
            "t2.procurement",
            &["count", "amount_wan"],
        );
    }
    g
}

/// Rows of table 三: (group label, sub-group label, row label, key).
fn t3_rows(t: Template) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    let mut v = vec![
        ("一、本年新收政府信息公开申请数量", "", "", "t3.received"),
        ("二、上年结转政府信息公开申请数量", "", "", "t3.carried_in"),
        ("三、本年度办理结果", "（一）予以公开", "", "t3.granted"),
        (
            "",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "",
            "t3.partial",
        ),
        ("", "（三）不予公开", "1.属于国家秘密", "t3.denied.secret"),
        ("", "", "2.其他法律行政法规禁止公开", "t3.denied.prohibited"),
        ("", "", "3.危及“三安全一稳定”", "t3.denied.safety"),
        ("", "", "4.保护第三方合法权益", "t3.denied.third_party"),
        ("", "", "5.属于三类内部事务信息", "t3.denied.internal"),
        ("", "", "6.属于四类过程性信息", "t3.denied.process"),
        ("", "", "7.属于行政执法案卷", "t3.denied.enforcement"),
        ("", "", "8.属于行政查询事项", "t3.denied.inquiry"),
        (
            "",
            "（四）无法提供",
            "1.本机关不掌握相关政府信息",
            "t3.unavailable.not_held",
        ),
        (
            "",
            "",
            "2.没有现成信息需要另行制作",
            "t3.unavailable.needs_creation",
        ),
        ("", "", "3.补正后申请内容仍不明确", "t3.unavailable.unclear"),
        (
            "",
            "（五）不予处理",
            "1.信访举报投诉类申请",
            "t3.not_processed.petition",
        ),
        ("", "", "2.重复申请", "t3.not_processed.repeat"),
        (
            "",
            "",
            "3.要求提供公开出版物",
            "t3.not_processed.publication",
        ),
        (
            "",
            "",
            "4.无正当理由大量反复申请",
            "t3.not_processed.excessive",
        ),
        (
            "",
            "",
            "5.要求行政机关确认或重新出具已获取信息",
            "t3.not_processed.confirm",
        ),
    ];
    if t == Template::Y2021 {
        v.push((
            "",
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "t3.other.no_correction",
        ));
        v.push((
            "",
            "",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "t3.other.no_fee",
        ));
        v.push(("", "", "3.其他", "t3.other.other"));
    } else {
        v.push(("", "（六）其他处理", "", "t3.other"));
    }
    v.push(("", "（七）总计", "", "t3.processed"));
    v.push(("四、结转下年度继续办理", "", "", "t3.carried_over"));
    v
}

pub fn t3(r: &Report, w: &mut dyn Writer) -> Grid {
    let mut g: Grid = vec![
        vec![
            w.label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
            s("申请人情况"),
            s(""),
            s(""),
            s(""),
            s(""),
            s(""),
            s(""),
        ],
        vec![
            s(""),
            s("自然人"),
            s("法人或其他组织"),
            s(""),
            s(""),
            s(""),
            s(""),
            s("总计"),
        ],
        vec![
            s(""),
            s(""),
            s("商业企业"),
            s("科研机构"),
            s("社会公益组织"),
            s("法律服务机构"),
            s("其他"),
            s(""),
        ],
    ];
    for (a, b, c, key) in t3_rows(r.template) {
        let mut cells: Vec<String> = [a, b, c]
            .iter()
            .map(|l| if l.is_empty() { s("") } else { w.label(l) })
            .collect();
        // Trailing empty label cells are where the values start.
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        for col in COLUMNS {
            cells.push(w.count(r.value(&format!("{key}.{col}"))));
        }
        g.push(cells);
    }
    g
}

pub fn t4(r: &Report, w: &mut dyn Writer) -> Grid {
    let results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut g: Grid = vec![
        std::iter::once(s("行政复议"))
            .chain((0..4).map(|_| s("")))
            .chain(std::iter::once(s("行政诉讼")))
            .chain((0..9).map(|_| s("")))
            .collect(),
        results
            .iter()
            .map(|x| s(x))
            .chain([
                s("未经复议直接起诉"),
                s(""),
                s(""),
                s(""),
                s(""),
                s("复议后起诉"),
                s(""),
                s(""),
                s(""),
                s(""),
            ])
            .collect(),
        (0..5)
            .map(|_| s(""))
            .chain(results.iter().map(|x| s(x)))
            .chain(results.iter().map(|x| s(x)))
            .collect(),
    ];
    let mut vals = Vec::new();
    for gname in ["review", "suit_direct", "suit_after_review"] {
        for p in ["upheld", "corrected", "other", "pending", "total"] {
            vals.push(w.count(r.value(&format!("t4.{gname}.{p}"))));
        }
    }
    g.push(vals);
    g
}

pub fn legacy(r: &Report, w: &mut dyn Writer) -> Grid {
    let mut g: Grid = vec![vec![s("统 计 指 标"), s("单位"), s("统计数")]];
    for (label, unit, key) in LEGACY_ROWS {
        let value = if key.is_empty() {
            s("")
        } else if key.ends_with("_wan") {
            w.money(r.value(key), Template::Legacy)
        } else {
            w.count(r.value(key))
        };
        g.push(vec![w.label(label), s(unit), value]);
    }
    g
}
