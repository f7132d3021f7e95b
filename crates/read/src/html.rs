//! HTML pages: real tables (colspan/rowspan), nested markup, GBK pages with or without a
//! declared charset.

use crate::decode::{decode, decode_as};
use crate::document::{Block, Document, Grid, Place};
use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "center",
    "blockquote",
    "pre",
    "dl",
    "dt",
    "dd",
    "header",
    "footer",
    "main",
    "nav",
    "form",
    "fieldset",
    "address",
    "body",
    "html",
    "title",
    "caption",
    "hr",
];
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "iframe", "object",
];

/// Decodes HTML bytes: BOM, then `<meta charset>`, then detection.
pub fn decode_html(bytes: &[u8]) -> crate::Decoded {
    if encoding_rs::Encoding::for_bom(bytes).is_none() {
        if let Some(enc) = meta_charset(bytes) {
            return decode_as(enc, bytes);
        }
    }
    decode(bytes)
}

/// `<meta charset="gbk">` or `content="text/html; charset=gb2312"` in the first 4 KiB.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Markup as a JavaScript/JSON string holds it (`<\/td>`, `\u003ctd`, `\"`) or escaped as
/// entities (`&lt;td&gt;`) turned back into markup, when the escaped tags outnumber the real
/// ones (a page whose own scripts contain `<\/script>` stays as it is).
pub fn unescape_markup(text: &str) -> std::borrow::Cow<'_, str> {
    let real = text.matches("</").count() + text.matches("<td").count();
    let js = text.matches("<\\/").count()
        + text.matches("\\u003c").count()
        + text.matches("\\u003C").count()
        + text.matches("\\x3c").count();
    let entities = text.matches("&lt;").count();
    if js > real && js >= 3 {
        return std::borrow::Cow::Owned(unescape_js(text));
    }
    if entities > real && entities >= 3 {
        let t = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        return std::borrow::Cow::Owned(t);
    }
    std::borrow::Cow::Borrowed(text)
}

/// JavaScript string escapes: `\"`, `\/`, `\n`, `\t`, `\uXXXX`, `\xXX`.
fn unescape_js(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('r') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(d @ ('u' | 'x')) => {
                let n = if d == 'u' { 4 } else { 2 };
                let hex: String = chars.clone().take(n).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == n => {
                        out.push(ch);
                        for _ in 0..n {
                            chars.next();
                        }
                    }
                    _ => out.push(d),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Nesting deeper than this is not a report page: the HTML parser's time grows with
/// depth × tags, so such input is refused before parsing.
pub const MAX_DEPTH: usize = 1_000;

/// Elements without content or whose end tag may be left out: they never nest deeper.
const FLAT: &[&str] = &[
    "br", "img", "meta", "link", "input", "hr", "col", "area", "base", "wbr", "source", "param",
    "track", "embed", "p", "li", "td", "th", "tr", "option", "dt", "dd", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rt", "rp", "optgroup", "!doctype",
];

/// The deepest nesting of ordinary elements, by a scan of the tags (no parsing).
pub fn depth(html: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase();
        let end = rest.find('>').unwrap_or(rest.len());
        let self_closing = rest[..end].ends_with('/');
        if name.is_empty() || FLAT.contains(&name.as_str()) || self_closing {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// Parses HTML text into paragraphs and tables.
pub fn document(html: &str) -> Document {
    let dom = Html::parse_document(html);
    let mut b = Builder::default();
    let mut skip_depth = 0usize;
    let mut in_table = 0usize;
    let mut title = String::new();
    // Tables met so far, nested ones included: a table's number is its index among all
    // `<table>` elements in document order (as `querySelectorAll("table")` lists them).
    let mut tables = 0u32;
    for edge in dom.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    let number = tables;
                    if name == "table" {
                        tables += 1;
                    }
                    if skip_depth > 0 || SKIP.contains(&name) {
                        if name == "title" {
                            title = text_of(node);
                        }
                        skip_depth += 1;
                    } else if in_table > 0 {
                        in_table += 1;
                    } else if name == "table" {
                        b.flush();
                        b.doc.blocks.push(Block::Table(grid(node, number)));
                        in_table = 1;
                    } else if name == "br" || BLOCKS.contains(&name) {
                        b.flush();
                    }
                }
                Node::Text(t) if skip_depth == 0 && in_table == 0 => b.para.push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                    } else if in_table > 0 {
                        in_table -= 1;
                    } else if BLOCKS.contains(&e.name()) {
                        b.flush();
                    }
                }
            }
        }
    }
    b.flush();
    // A page whose body does not repeat its <title> still has one for the metadata.
    let title = title.trim().to_string();
    if !title.is_empty()
        && !b
            .doc
            .blocks
            .iter()
            .take(5)
            .any(|blk| matches!(blk, Block::Para(p) if p.contains(&title)))
    {
        b.doc.blocks.insert(0, Block::Para(title));
    }
    b.doc
}

#[derive(Default)]
struct Builder {
    doc: Document,
    para: String,
}

impl Builder {
    fn flush(&mut self) {
        let p = self.para.split_whitespace().collect::<Vec<_>>().join(" ");
        if !p.is_empty() {
            self.doc.blocks.push(Block::Para(p));
        }
        self.para.clear();
    }
}

/// All text under a node (nested tables included), line breaks as spaces.
fn text_of(node: NodeRef<Node>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        match d.value() {
            Node::Text(t) => s.push_str(t),
            Node::Element(e) if matches!(e.name(), "br" | "p" | "div" | "td" | "th" | "li") => {
                s.push(' ')
            }
            _ => {}
        }
    }
    s.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn span(node: NodeRef<Node>, attr: &str) -> usize {
    match node.value() {
        Node::Element(e) => e
            .attr(attr)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(1),
        _ => 1,
    }
}

fn element_children<'a>(
    node: NodeRef<'a, Node>,
    names: &'a [&'a str],
) -> impl Iterator<Item = NodeRef<'a, Node>> + 'a {
    node.children()
        .filter(move |c| matches!(c.value(), Node::Element(e) if names.contains(&e.name())))
}

/// Table number `number` of an HTML file (among all `<table>`s in document order, as
/// evidence places count them) as its rows of (text, rowspan, colspan) — the cells a
/// place's row and cell index into — or None when the page has no such table.
pub fn table_rows(bytes: &[u8], number: u32) -> Option<Vec<Vec<(String, usize, usize)>>> {
    let d = decode_html(bytes);
    let markup = unescape_markup(&d.text);
    if depth(&markup) > MAX_DEPTH {
        return None;
    }
    let dom = Html::parse_document(&markup);
    let table = dom
        .tree
        .root()
        .descendants()
        .filter(|n| matches!(n.value(), Node::Element(e) if e.name() == "table"))
        .nth(number as usize)?;
    Some(rows(table))
}

/// The rows of a table (its own rows, not those of tables nested in its cells), each cell
/// as (text, rowspan, colspan).
fn rows(table: NodeRef<Node>) -> Vec<Vec<(String, usize, usize)>> {
    let mut trs: Vec<NodeRef<Node>> = Vec::new();
    for child in table.children() {
        match child.value() {
            Node::Element(e) if e.name() == "tr" => trs.push(child),
            Node::Element(e) if matches!(e.name(), "tbody" | "thead" | "tfoot") => {
                trs.extend(element_children(child, &["tr"]));
            }
            _ => {}
        }
    }
    trs.iter()
        .map(|tr| {
            element_children(*tr, &["td", "th"])
                .map(|td| (text_of(td), span(td, "rowspan"), span(td, "colspan")))
                .collect()
        })
        .collect()
}

/// Table number `number`'s grid; each cell's place is its row among the table's own rows
/// and its index among the row's `td`/`th`.
fn grid(table: NodeRef<Node>, number: u32) -> Grid {
    let rows = rows(table);
    let mut g = Grid::from_spans(&rows);
    g.places = rows
        .iter()
        .enumerate()
        .map(|(r, cells)| {
            (0..cells.len())
                .map(|i| {
                    Some(Place::Cell {
                        table: number,
                        row: r as u32,
                        cell: i as u32,
                        rendered: None,
                    })
                })
                .collect()
        })
        .collect();
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Slot;

    #[test]
    fn table_rows_are_the_cells_places_index_into() {
        // A layout table holding the report's tables: numbering counts nested tables.
        let html = "<table><tr><td>版式<table><tr><td>甲</td><td rowspan=2>乙</td></tr><tr><td>丙</td></tr></table></td></tr></table>\
                    <table><thead><tr><th colspan=2>表头</th></tr></thead><tbody><tr><td>规章</td><td>3</td></tr></tbody></table>";
        let d = document(html);
        let mut seen = 0;
        for b in &d.blocks {
            let Block::Table(g) = b else { continue };
            for (r, row) in g.places.iter().enumerate() {
                for (c, place) in row.iter().enumerate() {
                    let Some(Place::Cell {
                        table, row, cell, ..
                    }) = place
                    else {
                        continue;
                    };
                    let rows = table_rows(html.as_bytes(), *table).unwrap();
                    let (text, _, _) = &rows[*row as usize][*cell as usize];
                    let read = g.rows[r]
                        .iter()
                        .filter_map(|s| match s {
                            Slot::Cell(t) => Some(t.as_str()),
                            Slot::Covered => None,
                        })
                        .nth(c);
                    assert_eq!(Some(text.as_str()), read, "{table} {row} {cell}");
                    seen += 1;
                }
            }
        }
        assert!(seen >= 4, "{seen}");
        assert_eq!(
            table_rows(html.as_bytes(), 1).unwrap(),
            [
                vec![("甲".to_string(), 1, 1), ("乙".to_string(), 2, 1)],
                vec![("丙".to_string(), 1, 1)]
            ]
        );
        assert_eq!(
            table_rows(html.as_bytes(), 2).unwrap()[0],
            [("表头".to_string(), 1, 2)]
        );
        assert_eq!(table_rows(html.as_bytes(), 3), None);
    }

    #[test]
    fn paragraphs_tables_and_spans() {
        let html = "<html><head><title>西店镇2019年政府信息公开工作年度报告</title><style>p{}</style></head><body>\
            <h1>西店镇2019年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文<br>第二行</p>\
            <table><tbody><tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>16</td></tr>\
            <tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td>&nbsp;</td></tr></tbody></table></body></html>";
        let d = document(html);
        assert_eq!(
            d.blocks[0],
            Block::Para("西店镇2019年政府信息公开工作年度报告".into())
        );
        assert_eq!(d.blocks[2], Block::Para("正文".into()));
        assert_eq!(d.blocks[3], Block::Para("第二行".into()));
        let Block::Table(g) = &d.blocks[4] else {
            panic!("{:?}", d.blocks)
        };
        assert_eq!(g.rows[0][2], Slot::Covered);
        assert_eq!(g.rows[1][0], Slot::Covered);
        assert_eq!(
            d.to_text(),
            "西店镇2019年政府信息公开工作年度报告\n一、总体情况\n正文\n第二行\n三、本年度办理结果\t（一）予以公开\t\t16\n\t（三）不予公开\t1.属于国家秘密\t—\n\n"
        );
    }

    #[test]
    fn nested_tables_stay_inside_their_cell() {
        let d = document("<table><tr><td>a<table><tr><td>x</td><td>y</td></tr></table></td><td>1</td></tr></table>");
        let Block::Table(g) = &d.blocks[0] else {
            panic!()
        };
        assert_eq!(g.rows.len(), 1);
        assert_eq!(
            g.rows[0],
            [Slot::Cell("a x y".into()), Slot::Cell("1".into())]
        );
    }

    #[test]
    fn gbk_declared_and_undeclared() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>行政许可</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        assert_eq!(decode_html(&bytes).text, page);
        let bare = "<html><body><p>政府信息公开工作年度报告，本年新收政府信息公开申请数量</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(bare);
        assert_eq!(decode_html(&bytes).text, bare);
    }

    #[test]
    fn escaped_markup_is_unescaped() {
        let js = r#"var content = "<p style=\"x\">一、总体情况<\/p><table><tr><td>规章<\/td><td>0<\/td><\/tr><\/table>";"#;
        let u = unescape_markup(js);
        assert!(u.contains("<td>规章</td><td>0</td>"), "{u}");
        let json = r#"{"body":"\u003cp\u003e一\u003c/p\u003e\u003ctable\u003e\u003ctr\u003e\u003ctd\u003e规章\u003c/td\u003e"}"#;
        assert!(unescape_markup(json).contains("<td>规章</td>"));
        let ent = "&lt;table&gt;&lt;tr&gt;&lt;td&gt;规章&lt;/td&gt;&lt;td&gt;0&lt;/td&gt;";
        assert!(unescape_markup(ent).contains("<td>规章</td><td>0</td>"));
        let page =
            "<html><body><p>a</p><script>document.write('<\\/script>')</script></body></html>";
        assert_eq!(unescape_markup(page), page);
    }

    #[test]
    fn nesting_depth() {
        let html = format!(
            "{}x{}",
            "<div>".repeat(MAX_DEPTH),
            "</div>".repeat(MAX_DEPTH)
        );
        assert_eq!(depth(&html), MAX_DEPTH);
        let d = document(&html);
        assert!(matches!(&d.blocks[..], [Block::Para(p)] if p == "x"));
        // Optional end tags and void elements do not count.
        let loose = "<table><tr><td>1<tr><td>2</table><p>a<p>b<br><img src=x>".repeat(5_000);
        assert!(depth(&loose) <= 2, "{}", depth(&loose));
        assert_eq!(depth("<!-- <div><div> --><div/><b>x</b>"), 1);
    }
}
