//! A report as a web page: the official layout (from `nianbao_render::doc`, every merged
//! cell as the template draws it) written with the variations real pages show (GBK, blank
//! cells, `&nbsp;`, markup inside cells, table 二 split into one table per item, `+1`).

use nianbao_model::Report;
use nianbao_render::doc::{document, Block, Cell, Role, Table};
use nianbao_render::html::{esc, rows, Td};
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

const OPEN: &str =
    "<table border=\"1\" cellspacing=\"0\" width=\"100%\" style=\"width:100%\"><tbody>\n";
const CLOSE: &str = "</tbody></table>\n";

fn cell(c: &Cell, style: &HtmlStyle) -> Td {
    let text = match (c.role, c.value) {
        (Role::Label, _) => c.text.clone(),
        (Role::Value, None) if style.blanks => String::new(),
        (Role::Value, None) => "—".into(),
        (Role::Value, Some(n)) => match n.as_int() {
            Some(i) if i > 0 && c.key.as_deref().is_some_and(|k| k.ends_with(".delta")) => {
                format!("+{i}")
            }
            _ => n.to_string(),
        },
    };
    match (style.markup && !text.is_empty(), c.role) {
        (false, _) => Td::text(&text),
        (true, Role::Label) => Td::markup(format!(
            "<p><span style=\"font-family:仿宋\">{}</span></p>",
            esc(&text)
        )),
        (true, Role::Value) => Td::markup(format!("&nbsp;{}&nbsp;", esc(&text))),
    }
}

/// Column widths, set (as pages do) on the statistics form of earlier years, whose long
/// labels would otherwise squeeze the value column until numbers wrap; the other tables
/// are left to the browser's or word processor's automatic layout.
fn open(out: &mut String, t: &Table) {
    if t.widths.len() != 3 {
        out.push_str(OPEN);
        return;
    }
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let cols: String = t
        .widths
        .iter()
        .map(|w| format!("<col width=\"{}%\">", w * 100 / total))
        .collect();
    out.push_str(
        OPEN.replace("<tbody>", &format!("<colgroup>{cols}</colgroup><tbody>"))
            .as_str(),
    );
}

fn table(out: &mut String, t: &Table, style: &HtmlStyle) {
    // Pages that split section 二 start a new table at each 第二十条 item.
    let mut starts: Vec<usize> = (0..t.rows.len())
        .filter(|&i| i == 0 || (style.split_tables && t.rows[i].item_start))
        .collect();
    starts.push(t.rows.len());
    for part in starts.windows(2) {
        open(out, t);
        rows(out, &t.rows[part[0]..part[1]], |_, c| cell(c, style));
        out.push_str(CLOSE);
    }
}

/// The report as an HTML page in the official layout.
pub fn html_page(r: &Report, style: &HtmlStyle) -> String {
    let year = r.year.unwrap_or(2021);
    let doc = document(r);
    let title = nianbao_render::doc::title(r);
    let charset = if style.gbk { "gb2312" } else { "utf-8" };
    let mut out = format!(
        "<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">\
         <title>{}</title><style>td{{border:1px solid #000}}</style></head><body>\n",
        esc(&title)
    );
    for b in &doc {
        match b {
            Block::Title(t) => out.push_str(&format!("<h1>{}</h1>\n", esc(t))),
            Block::Heading(h) => out.push_str(&format!("<h2>{}</h2>\n", esc(h))),
            Block::Para(p) => out.push_str(&format!("<p>{}</p>\n", esc(p))),
            Block::Table(t) => table(&mut out, t, style),
            Block::Signature(_) | Block::Address(_) | Block::Figure(..) => {}
        }
    }
    let agency = esc(r.agency.as_deref().unwrap_or("某镇"));
    out.push_str(&format!(
        "<p style=\"text-align:right\">{agency}<br>{}年1月20日</p>\n</body></html>\n",
        year + 1
    ));
    out
}
