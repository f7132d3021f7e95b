//! The report as a self-contained HTML page styled like a printed 公文: 方正小标宋 title,
//! 黑体 headings, 仿宋 body, ruled tables with every merged cell.

use crate::doc::{Block, Cell, Table};

/// Text or an attribute value as HTML: the one escaper of nianbao's pages (the web
/// application's too).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = "\
@page{size:A4;margin:3.7cm 2.6cm 3.5cm 2.8cm}\
body{font-family:'仿宋_GB2312','FangSong','仿宋','WenQuanYi Zen Hei',serif;font-size:16pt;line-height:1.6;max-width:42em;margin:2em auto;color:#000}\
h1{font-family:'方正小标宋简体','SimSun','WenQuanYi Zen Hei',serif;font-size:22pt;font-weight:normal;text-align:center;margin:0 0 1em}\
h2{font-family:'黑体','SimHei','WenQuanYi Zen Hei',sans-serif;font-size:16pt;font-weight:normal;margin:.6em 0 .3em}\
p{text-indent:2em;margin:0}\
p.sig{text-align:right;text-indent:0}p.address{text-indent:0}\
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:10.5pt;line-height:1.3;page-break-inside:auto}\
td{border:1px solid #000;padding:2pt 3pt;text-align:center;vertical-align:middle}\
td.label{text-align:left}";

/// ` rowspan="…" colspan="…"` for a merged cell (nothing for a plain one).
pub fn spans(c: &Cell) -> String {
    let mut out = String::new();
    if c.rowspan > 1 {
        out.push_str(&format!(" rowspan=\"{}\"", c.rowspan));
    }
    if c.colspan > 1 {
        out.push_str(&format!(" colspan=\"{}\"", c.colspan));
    }
    out
}

fn cell(out: &mut String, c: &Cell, left: bool) {
    out.push_str("<td");
    out.push_str(&spans(c));
    if let Some(k) = &c.key {
        out.push_str(&format!(" data-key=\"{}\"", esc(k)));
    } else if left {
        out.push_str(" class=\"label\"");
    }
    out.push('>');
    out.push_str(&esc(&c.text));
    out.push_str("</td>");
}

pub fn table(out: &mut String, t: &Table) {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    out.push_str("<table><colgroup>");
    for w in &t.widths {
        out.push_str(&format!(
            "<col style=\"width:{:.1}%\">",
            *w as f64 * 100.0 / total as f64
        ));
    }
    out.push_str("</colgroup><tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for c in &row.cells {
            cell(out, c, row.flush_left(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// A complete HTML page (UTF-8).
pub fn page(doc: &[Block]) -> String {
    let title = doc
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("政府信息公开工作年度报告");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <title>{}</title><style>{CSS}</style></head><body>\n",
        esc(title)
    );
    body(&mut out, doc);
    out.push_str("</body></html>\n");
    out
}

/// The blocks as HTML elements (also used inside the web application's pages).
pub fn body(out: &mut String, doc: &[Block]) {
    for b in doc {
        match b {
            Block::Title(t) => out.push_str(&format!("<h1>{}</h1>\n", esc(t))),
            Block::Heading(h) => out.push_str(&format!("<h2>{}</h2>\n", esc(h))),
            Block::Para(p) => out.push_str(&format!("<p>{}</p>\n", esc(p))),
            Block::Address(a) => out.push_str(&format!("<p class=\"address\">{}</p>\n", esc(a))),
            Block::Table(t) => table(out, t),
            Block::Figure(_, caption) => {
                out.push_str(&format!("<p class=\"figure\">（图）{}</p>\n", esc(caption)))
            }
            Block::Signature(lines) => {
                let lines: Vec<String> = lines.iter().map(|l| esc(l)).collect();
                out.push_str(&format!("<p class=\"sig\">{}</p>\n", lines.join("<br>")));
            }
        }
    }
}
