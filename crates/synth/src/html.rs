//! A report as a web page: the official tables with every merged cell (rowspan/colspan)
//! as the template draws them, plus the variations real pages show (GBK, blank cells,
//! `&nbsp;`, markup inside cells, table 二 split into one table per item).

use crate::tables::LEGACY_ROWS;
use nianbao_model::{Num, Report, Template, COLUMNS};
use rand::Rng;

#[derive(Clone, Debug, Default)]
pub struct HtmlStyle {
    /// Declare `gb2312` in a meta tag (the caller encodes the page as GBK).
    pub gbk: bool,
    /// Blank cells for missing values instead of `—`.
    pub blanks: bool,
    /// `&nbsp;` around values and `<span>`/`<p>` markup inside cells.
    pub markup: bool,
    /// One `<table>` per 第二十条 item instead of one table for section 二.
    pub split_tables: bool,
}

impl HtmlStyle {
    pub fn random(rng: &mut impl Rng) -> HtmlStyle {
        HtmlStyle {
            gbk: rng.gen_bool(0.3),
            blanks: rng.gen_bool(0.5),
            markup: rng.gen_bool(0.5),
            split_tables: rng.gen_bool(0.5),
        }
    }
}

struct Page<'a> {
    r: &'a Report,
    style: &'a HtmlStyle,
    out: String,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl Page<'_> {
    fn cell(&mut self, text: &str, rowspan: usize, colspan: usize) {
        self.out.push_str("<td");
        if rowspan > 1 {
            self.out.push_str(&format!(" rowspan=\"{rowspan}\""));
        }
        if colspan > 1 {
            self.out.push_str(&format!(" colspan=\"{colspan}\""));
        }
        self.out.push('>');
        if self.style.markup && !text.is_empty() {
            self.out.push_str(&format!(
                "<p><span style=\"font-family:仿宋\">{}</span></p>",
                esc(text)
            ));
        } else {
            self.out.push_str(&esc(text));
        }
        self.out.push_str("</td>");
    }

    fn value(&mut self, v: Option<Num>, colspan: usize) {
        let text = match v {
            None if self.style.blanks => String::new(),
            None => "—".into(),
            Some(n) => n.to_string(),
        };
        if self.style.markup && !text.is_empty() {
            self.out.push_str(&format!(
                "<td colspan=\"{colspan}\">&nbsp;{text}&nbsp;</td>"
            ));
        } else {
            self.cell(&text, 1, colspan);
        }
    }

    fn delta(&mut self, v: Option<Num>) {
        match v.and_then(Num::as_int) {
            Some(n) if n > 0 => self.cell(&format!("+{n}"), 1, 1),
            _ => self.value(v, 1),
        }
    }

    fn row(&mut self, f: impl FnOnce(&mut Self)) {
        self.out.push_str("<tr>");
        f(self);
        self.out.push_str("</tr>\n");
    }

    fn open(&mut self) {
        self.out.push_str(
            "<table border=\"1\" cellspacing=\"0\" width=\"100%\" style=\"width:100%\"><tbody>\n",
        );
    }

    fn close(&mut self) {
        self.out.push_str("</tbody></table>\n");
    }

    fn heading(&mut self, h: &str) {
        self.out.push_str(&format!("<h2>{}</h2>\n", esc(h)));
    }

    fn para(&mut self, p: &str) {
        self.out.push_str(&format!("<p>{}</p>\n", esc(p)));
    }

    fn t2_block(&mut self, item: &str, head: &[&str], rows: &[(&str, &str, &[&str])], first: bool) {
        if self.style.split_tables && !first {
            self.close();
            self.open();
        }
        self.row(|p| p.cell(&format!("第二十条第（{item}）项"), 1, 4));
        self.row(|p| {
            p.cell("信息内容", 1, 1);
            let last = head.len() - 1;
            for (i, h) in head.iter().enumerate() {
                p.cell(h, 1, if i == last { 4 - head.len() } else { 1 });
            }
        });
        for (label, key, cols) in rows {
            self.row(|p| {
                p.cell(label, 1, 1);
                let last = cols.len() - 1;
                for (i, c) in cols.iter().enumerate() {
                    let k = format!("{key}.{c}");
                    let v = p.r.value(&k);
                    if *c == "delta" {
                        p.delta(v);
                    } else {
                        p.value(v, if i == last { 4 - cols.len() } else { 1 });
                    }
                }
            });
        }
    }

    fn t2(&mut self) {
        self.open();
        if self.r.template == Template::Y2021 {
            let cols: &[&str] = &["issued", "repealed", "in_force"];
            self.t2_block(
                "一",
                &["本年制发件数", "本年废止件数", "现行有效件数"],
                &[
                    ("规章", "t2.regulation", cols),
                    ("行政规范性文件", "t2.normative", cols),
                ],
                true,
            );
            self.t2_block(
                "五",
                &["本年处理决定数量"],
                &[("行政许可", "t2.license", &["decisions"])],
                false,
            );
            self.t2_block(
                "六",
                &["本年处理决定数量"],
                &[
                    ("行政处罚", "t2.penalty", &["decisions"]),
                    ("行政强制", "t2.coercion", &["decisions"]),
                ],
                false,
            );
            self.t2_block(
                "八",
                &["本年收费金额（单位：万元）"],
                &[("行政事业性收费", "t2.fee", &["amount_wan"])],
                false,
            );
        } else {
            let made: &[&str] = &["made", "published", "total"];
            let prev: &[&str] = &["prev", "delta", "decisions"];
            self.t2_block(
                "一",
                &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
                &[
                    ("规章", "t2.regulation", made),
                    ("规范性文件", "t2.normative", made),
                ],
                true,
            );
            self.t2_block(
                "五",
                &["上一年项目数量", "本年增/减", "处理决定数量"],
                &[
                    ("行政许可", "t2.license", prev),
                    ("其他对外管理服务事项", "t2.other_service", prev),
                ],
                false,
            );
            self.t2_block(
                "六",
                &["上一年项目数量", "本年增/减", "处理决定数量"],
                &[
                    ("行政处罚", "t2.penalty", prev),
                    ("行政强制", "t2.coercion", prev),
                ],
                false,
            );
            self.t2_block(
                "八",
                &["上一年项目数量", "本年增/减"],
                &[("行政事业性收费", "t2.fee", &["prev", "delta"])],
                false,
            );
            self.t2_block(
                "九",
                &["采购项目数量", "采购总金额（单位：万元）"],
                &[("政府集中采购", "t2.procurement", &["count", "amount_wan"])],
                false,
            );
        }
        self.close();
    }

    fn t3_values(&mut self, key: &str) {
        for c in COLUMNS {
            let v = self.r.value(&format!("{key}.{c}"));
            self.value(v, 1);
        }
    }

    fn t3(&mut self) {
        let y2021 = self.r.template == Template::Y2021;
        self.open();
        self.row(|p| {
            p.cell(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                3,
                3,
            );
            p.cell("申请人情况", 1, 7);
        });
        self.row(|p| {
            p.cell("自然人", 2, 1);
            p.cell("法人或其他组织", 1, 5);
            p.cell("总计", 2, 1);
        });
        self.row(|p| {
            for h in [
                "商业企业",
                "科研机构",
                "社会公益组织",
                "法律服务机构",
                "其他",
            ] {
                p.cell(h, 1, 1);
            }
        });
        for (label, key) in [
            ("一、本年新收政府信息公开申请数量", "t3.received"),
            ("二、上年结转政府信息公开申请数量", "t3.carried_in"),
        ] {
            self.row(|p| {
                p.cell(label, 1, 3);
                p.t3_values(key);
            });
        }
        let groups: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("（一）予以公开", vec![("", "t3.granted")]),
            (
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                vec![("", "t3.partial")],
            ),
            (
                "（三）不予公开",
                vec![
                    ("1.属于国家秘密", "t3.denied.secret"),
                    ("2.其他法律行政法规禁止公开", "t3.denied.prohibited"),
                    ("3.危及“三安全一稳定”", "t3.denied.safety"),
                    ("4.保护第三方合法权益", "t3.denied.third_party"),
                    ("5.属于三类内部事务信息", "t3.denied.internal"),
                    ("6.属于四类过程性信息", "t3.denied.process"),
                    ("7.属于行政执法案卷", "t3.denied.enforcement"),
                    ("8.属于行政查询事项", "t3.denied.inquiry"),
                ],
            ),
            (
                "（四）无法提供",
                vec![
                    ("1.本机关不掌握相关政府信息", "t3.unavailable.not_held"),
                    (
                        "2.没有现成信息需要另行制作",
                        "t3.unavailable.needs_creation",
                    ),
                    ("3.补正后申请内容仍不明确", "t3.unavailable.unclear"),
                ],
            ),
            (
                "（五）不予处理",
                vec![
                    ("1.信访举报投诉类申请", "t3.not_processed.petition"),
                    ("2.重复申请", "t3.not_processed.repeat"),
                    ("3.要求提供公开出版物", "t3.not_processed.publication"),
                    ("4.无正当理由大量反复申请", "t3.not_processed.excessive"),
                    (
                        "5.要求行政机关确认或重新出具已获取信息",
                        "t3.not_processed.confirm",
                    ),
                ],
            ),
            (
                "（六）其他处理",
                if y2021 {
                    vec![
                        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "t3.other.no_correction"),
                        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "t3.other.no_fee"),
                        ("3.其他", "t3.other.other"),
                    ]
                } else {
                    vec![("", "t3.other")]
                },
            ),
            ("（七）总计", vec![("", "t3.processed")]),
        ];
        let span: usize = groups.iter().map(|g| g.1.len()).sum();
        let mut first = true;
        for (group, rows) in &groups {
            for (i, (label, key)) in rows.iter().enumerate() {
                self.row(|p| {
                    if first {
                        p.cell("三、本年度办理结果", span, 1);
                    }
                    if label.is_empty() {
                        p.cell(group, 1, 2);
                    } else {
                        if i == 0 {
                            p.cell(group, rows.len(), 1);
                        }
                        p.cell(label, 1, 1);
                    }
                    p.t3_values(key);
                });
                first = false;
            }
        }
        self.row(|p| {
            p.cell("四、结转下年度继续办理", 1, 3);
            p.t3_values("t3.carried_over");
        });
        self.close();
    }

    fn t4(&mut self) {
        let results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
        self.open();
        self.row(|p| {
            p.cell("行政复议", 1, 5);
            p.cell("行政诉讼", 1, 10);
        });
        self.row(|p| {
            for h in results {
                p.cell(h, 2, 1);
            }
            p.cell("未经复议直接起诉", 1, 5);
            p.cell("复议后起诉", 1, 5);
        });
        self.row(|p| {
            for h in results.iter().chain(&results) {
                p.cell(h, 1, 1);
            }
        });
        self.row(|p| {
            for g in ["review", "suit_direct", "suit_after_review"] {
                for k in ["upheld", "corrected", "other", "pending", "total"] {
                    let v = p.r.value(&format!("t4.{g}.{k}"));
                    p.value(v, 1);
                }
            }
        });
        self.close();
    }

    fn legacy(&mut self) {
        self.open();
        // Long labels would otherwise squeeze the unit and value columns until they wrap.
        self.out.push_str("<tr><td width=\"66%\">统计指标</td><td width=\"12%\">单位</td><td width=\"22%\">统计数</td></tr>\n");
        for (label, unit, key) in LEGACY_ROWS {
            self.row(|p| {
                p.cell(label, 1, 1);
                p.cell(unit, 1, 1);
                if key.is_empty() {
                    p.cell("", 1, 1);
                } else {
                    let v = p.r.value(key);
                    p.value(v, 1);
                }
            });
        }
        self.close();
    }
}

/// The report as an HTML page in the official layout.
pub fn html_page(r: &Report, style: &HtmlStyle) -> String {
    let year = r.year.unwrap_or(2021);
    let agency = esc(r.agency.as_deref().unwrap_or("某镇"));
    let charset = if style.gbk { "gb2312" } else { "utf-8" };
    let mut p = Page {
        r,
        style,
        out: String::new(),
    };
    p.out.push_str(&format!(
        "<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">\
         <title>{agency}{year}年政府信息公开工作年度报告</title><style>td{{border:1px solid #000}}</style></head><body>\n\
         <h1>{agency}{year}年政府信息公开工作年度报告</h1>\n"
    ));
    if r.template == Template::Legacy {
        p.heading("一、概述");
        p.para("本年度政府信息公开工作有序推进。");
        p.heading("附件：政府信息公开情况统计表");
        p.legacy();
    } else {
        p.heading("一、总体情况");
        p.para(&format!(
            "{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"
        ));
        p.heading("二、主动公开政府信息情况");
        p.t2();
        p.heading("三、收到和处理政府信息公开申请情况");
        p.t3();
        p.heading("四、政府信息公开行政复议、行政诉讼情况");
        p.t4();
        p.heading("五、存在的主要问题及改进情况");
        p.para("信息公开的及时性有待提高。");
        p.heading("六、其他需要报告的事项");
        p.para("本年度未收取信息处理费。");
    }
    p.out.push_str(&format!(
        "<p style=\"text-align:right\">{agency}<br>{}年1月20日</p>\n</body></html>\n",
        year + 1
    ));
    p.out
}
