//! Writing a report out as text, in the layouts copied reports come in.

use crate::tables::{self, Grid, Writer};
use nianbao_model::{Num, Report, Template};
use rand::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One table row per line, cells separated by tabs (seed 000).
    Tabs,
    /// One cell per line (seeds 001, 002).
    CellPerLine,
    /// Markdown headings and `| a | b |` tables (seed 003 style).
    Markdown,
    /// `a | b | c |` rows (seed 004).
    Pipes,
    /// The whole report on one line, single spaces between cells.
    OneLine,
}

pub const LAYOUTS: [Layout; 5] = [
    Layout::Tabs,
    Layout::CellPerLine,
    Layout::Markdown,
    Layout::Pipes,
    Layout::OneLine,
];

/// How a report is written out; [`Style::random`] mixes everything seen in the seeds.
#[derive(Clone, Debug)]
pub struct Style {
    pub layout: Layout,
    /// Cell per line: a tab before each cell.
    pub indent: bool,
    /// Cell per line: a blank line between rows.
    pub blank_between_rows: bool,
    /// Tabs: every row starts with an empty cell.
    pub leading_empty_cell: bool,
    /// Share of numbers written with full-width digits.
    pub fullwidth: f64,
    /// Share of numbers padded with ideographic or ordinary spaces.
    pub padded: f64,
    /// Share of labels written with spaces between the characters.
    pub spaced: f64,
    /// Share of labels written in a variant seen in real reports (typos included).
    pub variants: f64,
    /// Header cells broken inside words (`商业` / `企业`).
    pub break_headers: bool,
    pub placeholder: &'static str,
    /// 0: `+3`/`-3`, 1: `增3`/`减3`, 2: `3`/`-3`.
    pub delta_words: u8,
    /// 0: bare 万元 number, 1: `…元`, 2: `…万元`.
    pub money_unit: u8,
    /// Leave out the heading of section 三 (seed 003).
    pub drop_heading_3: bool,
    /// `[bookmark: _GoBack]` before the first heading (seed 002).
    pub bookmark: bool,
    /// Tab, pipe and Markdown rows: a blank cell rather than a placeholder, wherever a
    /// value precedes it in the row (a blank before a row's first value reads as layout).
    pub blanks: bool,
}

impl Style {
    pub fn plain(layout: Layout) -> Style {
        Style {
            layout,
            indent: false,
            blank_between_rows: false,
            leading_empty_cell: false,
            fullwidth: 0.0,
            padded: 0.0,
            spaced: 0.0,
            variants: 0.0,
            break_headers: false,
            placeholder: "—",
            delta_words: 0,
            money_unit: 0,
            drop_heading_3: false,
            bookmark: false,
            blanks: false,
        }
    }

    pub fn random(rng: &mut impl Rng) -> Style {
        let layout = crate::layout::LAYOUTS[rng.gen_range(0..LAYOUTS.len())];
        let p = |rng: &mut dyn rand::RngCore, x: f64| {
            if rand::Rng::gen_bool(rng, 0.5) {
                x
            } else {
                0.0
            }
        };
        let spaced = p(rng, 0.2);
        // After a spaced-out label a lone 无 reads as part of it, on one line.
        let placeholders: &[&'static str] = if layout == Layout::OneLine && spaced > 0.0 {
            &["—", "/", "-", "——"]
        } else {
            &["—", "/", "无", "-", "——"]
        };
        Style {
            layout,
            indent: rng.gen_bool(0.5),
            blank_between_rows: rng.gen_bool(0.5),
            leading_empty_cell: rng.gen_bool(0.3),
            fullwidth: p(rng, 0.3),
            padded: p(rng, 0.4),
            spaced,
            variants: p(rng, 0.4),
            break_headers: rng.gen_bool(0.5),
            placeholder: placeholders[rng.gen_range(0..placeholders.len())],
            delta_words: rng.gen_range(0..3),
            money_unit: rng.gen_range(0..3),
            drop_heading_3: rng.gen_bool(0.15),
            bookmark: rng.gen_bool(0.2),
            blanks: rng.gen_bool(0.4),
        }
    }
}

struct CellWriter<'r, R: Rng> {
    style: &'r Style,
    rng: &'r mut R,
}

impl<R: Rng> CellWriter<'_, R> {
    fn number(&mut self, s: String) -> String {
        let s = if self.rng.gen_bool(self.style.fullwidth) {
            s.chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect()
        } else {
            s
        };
        if self.rng.gen_bool(self.style.padded) && self.style.layout != Layout::OneLine {
            let pad = ["\u{3000}", " ", "\u{3000}\u{3000}", " \u{3000}"][self.rng.gen_range(0..4)];
            if self.rng.gen_bool(0.5) {
                format!("{pad}{s}")
            } else {
                format!("{s}{pad}")
            }
        } else {
            s
        }
    }
}

fn decimal(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

impl<R: Rng> Writer for CellWriter<'_, R> {
    fn count(&mut self, v: Option<Num>) -> String {
        match v {
            None => self.style.placeholder.to_string(),
            Some(n) => self.number(n.to_string()),
        }
    }

    fn delta(&mut self, v: Option<Num>) -> String {
        let Some(n) = v.and_then(Num::as_int) else {
            return self.count(v);
        };
        let s = match (n.signum(), self.style.delta_words) {
            (0, _) => "0".to_string(),
            (1, 0) => format!("+{n}"),
            (1, 1) => format!("增{n}"),
            (1, _) => n.to_string(),
            (_, 1) => format!("减{}", -n),
            _ => n.to_string(),
        };
        self.number(s)
    }

    fn money(&mut self, v: Option<Num>, t: Template) -> String {
        let Some(n) = v else { return self.count(v) };
        let wan = n.as_f64();
        let s = match (self.style.money_unit, t) {
            (1, Template::Y2019) => format!("{}元", decimal(wan * 10_000.0, 2)),
            (1 | 2, _) => format!("{}万元", decimal(wan, 6)),
            _ => decimal(wan, 6),
        };
        self.number(s)
    }

    fn label(&mut self, s: &str) -> String {
        let mut s = s.to_string();
        if self.rng.gen_bool(self.style.variants) {
            s = variant(&s, self.rng);
        }
        if self.rng.gen_bool(self.style.spaced) {
            s = spaced(&s);
        }
        s
    }
}

/// A variant of a label seen in real reports.
fn variant(s: &str, rng: &mut impl Rng) -> String {
    const SWAPS: &[(&str, &[&str])] = &[
        ("无正当理由大量反复申请", &["无正当理由由大量反复申请"]),
        (
            "其他法律行政法规禁止公开",
            &["其他法律法规禁止公开", "其他法律和行政法规禁止公开"],
        ),
        (
            "（区分处理的，只计这一情形，不计其他情形）",
            &["", "(区分处理的,只计这一情形,不计其他情形)"],
        ),
        ("勾稽", &["钩稽"]),
        ("“三安全一稳定”", &["\"三安全一稳定\"", "三安全一稳定"]),
        ("行政机关不再处理", &["行政机关不再受理"]),
        ("现行有效件数", &["先行有效件数"]),
        ("本年废止件数", &["本年废纸件数"]),
        ("（一）", &["(一)", "（一） "]),
        ("（三）", &["(三) "]),
        ("1.", &["1、", "1．", "1. "]),
        ("2.", &["2、", "2．"]),
        ("行政复议、行政诉讼", &["行政法复议、行政诉讼"]),
        ("改进情况", &["改进措施"]),
    ];
    for (from, tos) in SWAPS {
        if s.contains(from) {
            return s.replacen(from, tos[rng.gen_range(0..tos.len())], 1);
        }
    }
    s.to_string()
}

/// Spaces between the Chinese characters of a label (`本 年 度 办 理 结 果`).
fn spaced(s: &str) -> String {
    let mut out = String::new();
    let mut prev_cjk = false;
    for c in s.chars() {
        let cjk = ('\u{4E00}'..='\u{9FFF}').contains(&c);
        if cjk && prev_cjk {
            out.push(' ');
        }
        out.push(c);
        prev_cjk = cjk;
    }
    out
}

const BREAKS: &[(&str, &str)] = &[
    ("商业企业", "商业\n企业"),
    ("科研机构", "科研\n机构"),
    ("结果纠正", "结果\n纠正"),
    ("其他结果", "其他\n结果"),
    ("尚未审结", "尚未\n审结"),
    ("本年新制作数量", "本年新\n制作数量"),
    ("本年新公开数量", "本年新\n公开数量"),
];

enum Block {
    Text(String),
    Heading(String),
    Table(Grid),
}

const SENTENCES: &[&str] = &[
    "{y}年，我单位坚持以公开为常态、不公开为例外，全年主动公开政府信息{n}条。",
    "通过门户网站发布各类信息{n}条，更新办事指南{m}项，政策解读{k}篇。",
    "组织开展政务公开业务培训{k}次，参训人员{n}人次。",
    "进一步完善政府信息公开保密审查机制，做到先审查、后公开。",
    "下一步，我们将认真贯彻落实《中华人民共和国政府信息公开条例》，持续提升公开质量。",
];

fn para(rng: &mut impl Rng, year: i32) -> String {
    (0..rng.gen_range(1..=3))
        .map(|_| {
            SENTENCES[rng.gen_range(0..SENTENCES.len())]
                .replace("{y}", &year.to_string())
                .replace("{n}", &rng.gen_range(1..500).to_string())
                .replace("{m}", &rng.gen_range(1..60).to_string())
                .replace("{k}", &rng.gen_range(1..12).to_string())
        })
        .collect()
}

/// Writes the report as text in the style's layout.
pub fn render(r: &Report, style: &Style, rng: &mut impl Rng) -> String {
    let year = r.year.unwrap_or(2021);
    let agency = r.agency.clone().unwrap_or_else(|| "某镇".into());
    let mut blocks = Vec::new();
    if rng.gen_bool(0.3) {
        blocks.push(Block::Text(agency.clone()));
        blocks.push(Block::Heading(format!(
            "{year}年度政府信息公开工作年度报告"
        )));
    } else {
        blocks.push(Block::Heading(format!(
            "{agency}{year}年政府信息公开工作年度报告"
        )));
    }
    let mut w = CellWriter { style, rng };
    let bookmark = if style.bookmark {
        "[bookmark: _GoBack]"
    } else {
        ""
    };
    if let Some(stats) = r.template.statistics() {
        blocks.push(Block::Heading(format!("{bookmark}一、概述")));
        blocks.push(Block::Text(para(w.rng, year)));
        blocks.push(Block::Heading("二、主动公开政府信息情况".into()));
        blocks.push(Block::Text(para(w.rng, year)));
        blocks.push(Block::Heading("五、存在的主要问题及改进措施".into()));
        blocks.push(Block::Text(para(w.rng, year)));
        blocks.push(Block::Text(format!(
            "{agency}\n{}年1月{}日",
            year + 1,
            w.rng.gen_range(1..=28)
        )));
        blocks.push(Block::Heading(stats.title.into()));
        blocks.push(Block::Text(format!("（{year}年度）")));
        let g = tables::statistics(r, stats, &mut w);
        blocks.push(Block::Table(g));
    } else {
        blocks.push(Block::Heading(format!("{bookmark}一、总体情况")));
        blocks.push(Block::Text(para(w.rng, year)));
        blocks.push(Block::Heading("二、主动公开政府信息情况".into()));
        blocks.push(Block::Table(tables::t2(r, &mut w)));
        if !style.drop_heading_3 {
            blocks.push(Block::Heading("三、收到和处理政府信息公开申请情况".into()));
        }
        blocks.push(Block::Table(tables::t3(r, &mut w)));
        let h4 = w.label("四、政府信息公开行政复议、行政诉讼情况");
        blocks.push(Block::Heading(h4));
        blocks.push(Block::Table(tables::t4(r, &mut w)));
        let h5 = w.label("五、存在的主要问题及改进情况");
        blocks.push(Block::Heading(h5));
        blocks.push(Block::Text(para(w.rng, year)));
        blocks.push(Block::Heading("六、其他需要报告的事项".into()));
        blocks.push(Block::Text("本年度未收取信息处理费。".into()));
        blocks.push(Block::Text(format!(
            "{agency}\n{}年1月{}日",
            year + 1,
            w.rng.gen_range(1..=28)
        )));
    }
    write_blocks(&blocks, style)
}

fn write_blocks(blocks: &[Block], style: &Style) -> String {
    let mut out = String::new();
    let sep = if style.layout == Layout::OneLine {
        " "
    } else {
        "\n"
    };
    for b in blocks {
        match b {
            Block::Heading(h) if style.layout == Layout::Markdown => {
                out.push_str(&format!("## {h}\n\n"))
            }
            Block::Heading(h) | Block::Text(h) => {
                let h = if style.layout == Layout::OneLine {
                    h.replace('\n', " ")
                } else {
                    h.clone()
                };
                out.push_str(&h);
                out.push_str(sep);
                if style.layout != Layout::OneLine {
                    out.push('\n');
                }
            }
            Block::Table(g) => {
                out.push_str(&table(g, style));
                out.push_str(sep);
            }
        }
    }
    out
}

fn header_break(cell: &str, style: &Style) -> String {
    if !style.break_headers {
        return cell.to_string();
    }
    BREAKS
        .iter()
        .find(|(w, _)| *w == cell)
        .map_or_else(|| cell.to_string(), |(_, b)| b.to_string())
}

fn is_value(cell: &str, style: &Style) -> bool {
    let t = cell.trim_matches(|c: char| c.is_whitespace());
    t == style.placeholder
        || t.chars().next().is_some_and(|c| {
            c.is_ascii_digit() || ('０'..='９').contains(&c) || "+-增减".contains(c)
        })
}

/// Placeholders written as blank cells where a value comes before them in the row.
fn with_blanks(g: &Grid, style: &Style) -> Grid {
    g.iter()
        .map(|row| {
            let mut seen_value = false;
            row.iter()
                .map(|cell| {
                    let blank = seen_value && cell == style.placeholder;
                    seen_value |= is_value(cell, style);
                    if blank {
                        String::new()
                    } else {
                        cell.clone()
                    }
                })
                .collect()
        })
        .collect()
}

fn table(g: &Grid, style: &Style) -> String {
    let mut out = String::new();
    let blanked;
    let g = if style.blanks
        && matches!(
            style.layout,
            Layout::Tabs | Layout::Pipes | Layout::Markdown
        ) {
        blanked = with_blanks(g, style);
        &blanked
    } else {
        g
    };
    match style.layout {
        Layout::Tabs => {
            for row in g {
                if style.leading_empty_cell {
                    out.push('\t');
                }
                out.push_str(&row.join("\t"));
                out.push('\n');
            }
        }
        Layout::CellPerLine => {
            for row in g {
                for cell in row {
                    if cell.is_empty() && !style.indent {
                        continue;
                    }
                    if style.indent {
                        out.push('\t');
                    }
                    out.push_str(&header_break(cell, style));
                    out.push('\n');
                }
                if style.blank_between_rows {
                    out.push('\n');
                }
            }
        }
        Layout::Markdown => {
            let width = g.iter().map(Vec::len).max().unwrap_or(1);
            for (i, row) in g.iter().enumerate() {
                let cells: Vec<String> = (0..width)
                    .map(|k| row.get(k).cloned().unwrap_or_default())
                    .collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
                if i == 0 {
                    out.push_str(&format!("|{}\n", "---|".repeat(width)));
                }
            }
        }
        Layout::Pipes => {
            for row in g {
                out.push_str(&format!("{} |\n", row.join(" | ")));
            }
        }
        Layout::OneLine => {
            let cells: Vec<&str> = g
                .iter()
                .flatten()
                .map(String::as_str)
                .filter(|c| !c.is_empty())
                .collect();
            out.push_str(&cells.join(" "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_writes_every_value_of_a_row() {
        let mut rng = crate::rng(7);
        let r = crate::report(&mut rng, Template::Y2021);
        for layout in LAYOUTS {
            let text = render(&r, &Style::plain(layout), &mut rng);
            assert!(
                text.contains("一、本年新收政府信息公开申请数量"),
                "{layout:?}"
            );
            assert!(text.contains("行政事业性收费"), "{layout:?}");
            if layout == Layout::OneLine {
                assert_eq!(text.trim_end().lines().count(), 1);
            }
        }
    }

    #[test]
    fn spacing_keeps_item_numbers() {
        assert_eq!(spaced("1.属于国家秘密"), "1.属 于 国 家 秘 密");
        assert_eq!(decimal(12.360414, 6), "12.360414");
        assert_eq!(decimal(5.0, 2), "5");
    }
}
