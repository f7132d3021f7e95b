//! The report as a self-contained HTML page styled like a printed 公文: 方正小标宋 title,
//! 黑体 headings, 仿宋 body, ruled tables with every merged cell.

use crate::doc::{Block, Cell, Row, Table};

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

/// What a page puts in one `<td>` besides its spans.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Td {
    /// Attributes, their values escaped when written.
    pub attrs: Vec<(&'static str, String)>,
    pub content: Content,
}

/// A cell's content: text (escaped when written), or markup a page built with [`esc`].
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    Text(String),
    Markup(String),
}

impl Default for Content {
    fn default() -> Content {
        Content::Text(String::new())
    }
}

impl Td {
    pub fn text(text: &str) -> Td {
        Td {
            attrs: Vec::new(),
            content: Content::Text(text.to_string()),
        }
    }

    pub fn markup(html: String) -> Td {
        Td {
            attrs: Vec::new(),
            content: Content::Markup(html),
        }
    }

    pub fn attr(mut self, name: &'static str, value: &str) -> Td {
        self.attrs.push((name, value.to_string()));
        self
    }
}

/// The rows of a template table as `<tr>`s: every page that shows one (the printed report,
/// the review page, the compose form, the synthetic portal pages) writes its cells through
/// here, so merged cells and escaping are the same everywhere; `td` says what each page
/// puts in a cell.
pub fn rows(out: &mut String, rows: &[Row], mut td: impl FnMut(&Row, &Cell) -> Td) {
    for row in rows {
        out.push_str("<tr>");
        for c in &row.cells {
            let Td { attrs, content } = td(row, c);
            out.push_str("<td");
            out.push_str(&spans(c));
            for (name, value) in attrs {
                out.push_str(&format!(" {name}=\"{}\"", esc(&value)));
            }
            out.push('>');
            match content {
                Content::Text(t) => out.push_str(&esc(&t)),
                Content::Markup(m) => out.push_str(&m),
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
}

/// The `<colgroup>` giving each column its share of the table's width.
pub fn colgroup(t: &Table) -> String {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let cols: String = t
        .widths
        .iter()
        .map(|w| {
            format!(
                "<col style=\"width:{:.1}%\">",
                *w as f64 * 100.0 / total as f64
            )
        })
        .collect();
    format!("<colgroup>{cols}</colgroup>")
}

pub fn table(out: &mut String, t: &Table) {
    out.push_str("<table>");
    out.push_str(&colgroup(t));
    out.push_str("<tbody>\n");
    rows(out, &t.rows, |row, c| match &c.key {
        Some(k) => Td::text(&c.text).attr("data-key", k),
        None if row.flush_left(c) => Td::text(&c.text).attr("class", "label"),
        None => Td::text(&c.text),
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Role;

    fn cell(text: &str, key: Option<&str>, colspan: usize) -> Cell {
        Cell {
            text: text.into(),
            rowspan: 1,
            colspan,
            role: if key.is_some() {
                Role::Value
            } else {
                Role::Label
            },
            key: key.map(str::to_string),
            value: None,
        }
    }

    #[test]
    fn one_walk_writes_spans_attributes_and_escapes_both() {
        let row = Row {
            cells: vec![cell("<规章>", None, 2), cell("1", Some("a\"b"), 1)],
            item_start: false,
        };
        let mut out = String::new();
        rows(&mut out, &[row], |_, c| match &c.key {
            Some(k) => Td::text(&c.text).attr("data-key", k),
            None => Td::markup(format!("<b>{}</b>", esc(&c.text))),
        });
        assert_eq!(
            out,
            "<tr><td colspan=\"2\"><b>&lt;规章&gt;</b></td><td data-key=\"a&quot;b\">1</td></tr>\n"
        );
    }
}
