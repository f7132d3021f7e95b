//! What a portal's pages say: their text in the right encoding, their links, the report
//! entries of a list, the pages after it, the publish date, the attachments, a body held in
//! a script string.

use scraper::{Html, Selector};
use url::Url;

/// A page's bytes as text: the charset the server names, else the page's own `<meta>`,
/// else a guess (GBK and GB2312 pages are common).
pub fn decode(body: &[u8], content_type: &str) -> String {
    let label = charset_of(content_type).or_else(|| {
        let head = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_ascii_lowercase();
        head.find("charset=").map(|i| {
            head[i + 8..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect()
        })
    });
    let encoding = label
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        .unwrap_or_else(|| {
            let mut d = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            d.feed(body, true);
            d.guess(Some(b"cn"), chardetng::Utf8Detection::Allow)
        });
    encoding.decode(body).0.into_owned()
}

fn charset_of(content_type: &str) -> Option<String> {
    let i = content_type.find("charset=")?;
    Some(
        content_type[i + 8..]
            .trim_matches(['"', '\'', ' ', ';'])
            .to_string(),
    )
}

/// A link: its text (or title) and where it points.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub text: String,
    pub url: Url,
    /// A date printed beside it in the list (its `<li>` or row), `YYYY-MM-DD`.
    pub date: Option<String>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a valid selector")
}

/// Every link of a page with a usable URL.
pub fn links(doc: &Html, base: &Url) -> Vec<Link> {
    let mut out = Vec::new();
    for a in doc.select(&sel("a[href]")) {
        let href = a.value().attr("href").unwrap_or("").trim();
        if href.is_empty()
            || href.starts_with('#')
            || href.starts_with("javascript:")
            || href.starts_with("mailto:")
        {
            continue;
        }
        let Ok(url) = base.join(href) else { continue };
        let mut text: String = a.text().collect::<String>().split_whitespace().collect();
        if let Some(t) = a.value().attr("title") {
            if t.chars().count() > text.chars().count() {
                text = t.split_whitespace().collect();
            }
        }
        // The list item around the link holds its date.
        let date = a
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| matches!(e.value().name(), "li" | "tr" | "dd" | "p"))
            .and_then(|e| find_date(&e.text().collect::<String>()));
        out.push(Link { text, url, date });
    }
    out
}

/// The report's year in an entry's title when it is an annual report of government
/// information disclosure (not a budget, a plan, a work summary of another kind).
pub fn report_year(title: &str) -> Option<i32> {
    let t: String = title.split_whitespace().collect();
    let report = t.contains("年度报告") || t.contains("年报") || t.contains("年度工作报告");
    let disclosure = t.contains("信息公开") || t.contains("政务公开");
    let other = ["预算", "决算", "要点", "计划", "统计公报", "通知", "方案"]
        .iter()
        .any(|w| t.contains(w));
    if !report || !disclosure || other {
        return None;
    }
    year_in(&t)
}

/// The first `20xx年` (or `20xx年度`) of a text.
fn year_in(t: &str) -> Option<i32> {
    let chars: Vec<char> = t.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let digits: String = chars[i..i + 4].iter().collect();
        let before_digit = i > 0 && chars[i - 1].is_ascii_digit();
        (chars[i + 4] == '年' && !before_digit && digits.starts_with("20"))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

/// The first date of a text, `YYYY-MM-DD`: `2024-01-25`, `2024/1/25`, `2024.01.25`,
/// `2024年1月25日`.
pub fn find_date(text: &str) -> Option<String> {
    let c: Vec<char> = text.chars().collect();
    let num = |i: usize, max: usize| -> Option<(u32, usize)> {
        let n = c[i..]
            .iter()
            .take(max)
            .take_while(|x| x.is_ascii_digit())
            .count();
        if n == 0 {
            return None;
        }
        let v: String = c[i..i + n].iter().collect();
        Some((v.parse().ok()?, i + n))
    };
    for i in 0..c.len() {
        if !(c[i] == '1' || c[i] == '2') || (i > 0 && c[i - 1].is_ascii_digit()) {
            continue;
        }
        let Some((y, j)) = num(i, 4) else { continue };
        if !(1990..=2100).contains(&y) || j >= c.len() {
            continue;
        }
        let sep = c[j];
        if !matches!(sep, '-' | '/' | '.' | '年') {
            continue;
        }
        let Some((m, k)) = num(j + 1, 2) else {
            continue;
        };
        if k >= c.len() {
            continue;
        }
        let sep2 = c[k];
        let ok = match sep {
            '年' => sep2 == '月',
            s => sep2 == s,
        };
        if !ok {
            continue;
        }
        let Some((d, _)) = num(k + 1, 2) else {
            continue;
        };
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    None
}

/// Where a publish date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSource {
    /// The page's `<meta name="PubDate">` (or a like name).
    Meta,
    /// A visible `发布时间：…` / `发布日期：…` on the page.
    Page,
    /// The date beside the entry in the column's list.
    List,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Meta => "meta",
            DateSource::Page => "page",
            DateSource::List => "list",
        }
    }
}

/// An article's publish date from the page itself: its meta, else its visible label.
pub fn publish_date(doc: &Html) -> Option<(String, DateSource)> {
    for m in doc.select(&sel("meta[name][content]")) {
        let name = m.value().attr("name").unwrap_or("").to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "pubdate" | "publishdate" | "articlepubdate" | "firstpublishedtime" | "publishtime"
        ) {
            if let Some(d) = find_date(m.value().attr("content").unwrap_or("")) {
                return Some((d, DateSource::Meta));
            }
        }
    }
    let text: String = doc
        .root_element()
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect();
    for label in ["发布时间", "发布日期", "发文日期", "公开日期", "发布于"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(label) {
            let at = from + i + label.len();
            let window: String = text[at..].chars().take(16).collect();
            if let Some(d) = find_date(&window) {
                return Some((d, DateSource::Page));
            }
            from = at;
        }
    }
    None
}

/// Pages after this one of a list: `下一页` links, page-number links, and the pages a
/// `createPageHTML(total, current, "index", "html")` script draws (common CMS software).
/// `links` are the page's (see [`links`]).
pub fn more_pages(links: &[Link], html: &str, base: &Url) -> Vec<Url> {
    let mut out = Vec::new();
    for l in links {
        let t = l.text.as_str();
        let numbered = !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit());
        let pager = ["下一页", "下页", "尾页"].iter().any(|w| t.contains(w))
            || numbered
            || t == "›"
            || t == "»";
        if pager && same_site(&l.url, base) {
            out.push(l.url.clone());
        }
    }
    // createPageHTML(12, 0, "index", "html"): pages index.html, index_1.html … index_11.html.
    let mut from = 0;
    while let Some(i) = html[from..].find("createPageHTML(") {
        let start = from + i + "createPageHTML(".len();
        let args: String = html[start..].chars().take_while(|&c| c != ')').collect();
        let parts: Vec<String> = args
            .split(',')
            .map(|a| a.trim().trim_matches(['"', '\'']).to_string())
            .collect();
        if let (Some(total), Some(prefix), Some(ext)) = (
            parts.first().and_then(|t| t.parse::<usize>().ok()),
            parts.get(2),
            parts.get(3),
        ) {
            for k in 1..total.min(500) {
                if let Ok(u) = base.join(&format!("{prefix}_{k}.{ext}")) {
                    out.push(u);
                }
            }
        }
        from = start;
    }
    out
}

/// Same scheme, host and port.
pub fn same_site(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// URLs a page's scripts name that may hold the list as JSON (`"/api/list?column=12"`,
/// `'data/list.json'`): quoted strings with `.json`, `/api/` or `json` in a query.
pub fn json_endpoints(doc: &Html, base: &Url) -> Vec<Url> {
    let mut out = Vec::new();
    for s in doc.select(&sel("script")) {
        let code: String = s.text().collect();
        for q in quoted(&code) {
            let lower = q.to_ascii_lowercase();
            let looks = lower.ends_with(".json")
                || lower.contains(".json?")
                || lower.contains("/api/")
                || lower.contains("format=json");
            if looks && !q.contains(char::is_whitespace) {
                if let Ok(u) = base.join(&q) {
                    if same_site(&u, base) && !out.contains(&u) {
                        out.push(u);
                    }
                }
            }
        }
    }
    out
}

/// The string literals of a script, unescaped.
fn quoted(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' && c != '\'' {
            continue;
        }
        let mut s = String::new();
        let mut closed = false;
        while let Some(x) = chars.next() {
            match x {
                '\\' => match chars.next() {
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some('r') => {}
                    Some('u') => {
                        let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                        if let Some(ch) =
                            u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                        {
                            s.push(ch);
                        }
                    }
                    Some(o) => s.push(o),
                    None => break,
                },
                x if x == c => {
                    closed = true;
                    break;
                }
                x => s.push(x),
            }
        }
        if closed {
            out.push(s);
        }
    }
    out
}

/// Entries of a JSON list: every object with a title and a link (any of the names CMS
/// software uses), with its date when it has one.
pub fn json_entries(json: &serde_json::Value, base: &Url) -> Vec<Link> {
    let mut out = Vec::new();
    walk_json(json, base, &mut out);
    out
}

fn walk_json(v: &serde_json::Value, base: &Url, out: &mut Vec<Link>) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| walk_json(x, base, out)),
        serde_json::Value::Object(o) => {
            let field = |names: &[&str]| {
                o.iter()
                    .find(|(k, _)| names.contains(&k.to_ascii_lowercase().as_str()))
                    .and_then(|(_, v)| v.as_str())
            };
            let title = field(&["title", "doctitle", "name", "subject", "标题"]);
            let link = field(&["url", "link", "href", "docpuburl", "path", "链接"]);
            if let (Some(t), Some(l)) = (title, link) {
                if let Ok(url) = base.join(l) {
                    let date = field(&[
                        "date",
                        "pubdate",
                        "publishdate",
                        "publishtime",
                        "docreltime",
                        "time",
                        "发布时间",
                    ])
                    .and_then(find_date);
                    out.push(Link {
                        text: t.split_whitespace().collect(),
                        url,
                        date,
                    });
                }
            }
            o.values().for_each(|x| walk_json(x, base, out));
        }
        _ => {}
    }
}

/// File types a report is published as, by the URL's extension.
pub fn attachment_kind(u: &Url) -> Option<&'static str> {
    let path = u.path().to_ascii_lowercase();
    let ext = path.rsplit('.').next()?;
    Some(match ext {
        "pdf" => "pdf",
        "doc" => "doc",
        "docx" => "docx",
        "wps" => "wps",
        "ofd" => "ofd",
        "zip" => "zip",
        "jpg" | "jpeg" => "jpg",
        "png" => "png",
        "tif" | "tiff" => "tif",
        "txt" => "txt",
        _ => return None,
    })
}

/// A body printed by a script (`var content = "<p>…</p>"`, `document.write('…')`): the
/// longest script string holding markup, when the page's visible text has no table.
pub fn script_body(doc: &Html) -> Option<String> {
    if doc.select(&sel("table")).next().is_some() {
        return None;
    }
    doc.select(&sel("script"))
        .flat_map(|s| quoted(&s.text().collect::<String>()))
        .filter(|q| q.contains("<table") || q.contains("<p") && q.chars().count() > 200)
        .max_by_key(|q| q.len())
}

/// Whether a page holds a report's tables (its own body, not only a link to an attachment).
pub fn holds_report(text: &str) -> bool {
    let t: String = text.split_whitespace().collect();
    ["本年新收", "申请人情况", "主动公开政府信息情况", "行政复议"]
        .iter()
        .filter(|w| t.contains(*w))
        .count()
        >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_portals_print() {
        assert_eq!(
            find_date("发布时间：2024-01-25 10:00").as_deref(),
            Some("2024-01-25")
        );
        assert_eq!(find_date("[2024/1/5]").as_deref(), Some("2024-01-05"));
        assert_eq!(find_date("2023年12月31日").as_deref(), Some("2023-12-31"));
        assert_eq!(find_date("第12024-13-01号"), None);
        assert_eq!(find_date("2024.02.01").as_deref(), Some("2024-02-01"));
    }

    #[test]
    fn titles_of_annual_reports_and_not() {
        assert_eq!(
            report_year("平潭综合实验区财政金融局2023年政府信息公开工作年度报告"),
            Some(2023)
        );
        assert_eq!(report_year("2022年度政府信息公开工作年度报告"), Some(2022));
        assert_eq!(report_year("2023年部门预算信息公开"), None);
        assert_eq!(report_year("2024年政务公开工作要点"), None);
        assert_eq!(
            report_year("关于2023年政府信息公开工作年度报告的说明通知"),
            None
        );
    }

    #[test]
    fn gbk_pages_decode_by_header_meta_or_guess() {
        let (bytes, _, _) = encoding_rs::GBK.encode(
            "<html><head><meta charset=\"gbk\"></head><body>政府信息公开工作年度报告</body></html>",
        );
        assert!(decode(&bytes, "text/html").contains("年度报告"));
        let (bare, _, _) =
            encoding_rs::GBK.encode("<p>政府信息公开工作年度报告，本机关主动公开政府信息。</p>");
        assert!(decode(&bare, "text/html; charset=gb2312").contains("年度报告"));
        assert!(decode(&bare, "").contains("年度报告"));
    }

    #[test]
    fn a_page_claiming_a_million_pages_gets_at_most_five_hundred() {
        let html = "<script>createPageHTML(1000000, 0, \"index\", \"html\");</script>";
        let base = Url::parse("http://a.gov.cn/col/index.html").unwrap();
        let got = more_pages(&links(&Html::parse_document(html), &base), html, &base);
        assert_eq!(got.len(), 499);
        assert_eq!(got[498].as_str(), "http://a.gov.cn/col/index_499.html");
    }

    #[test]
    fn create_page_html_lists_its_pages() {
        let html =
            "<html><body><script>createPageHTML(3, 0, \"index\", \"html\");</script></body></html>";
        let base = Url::parse("http://a.gov.cn/col/ndbg/index.html").unwrap();
        let got = more_pages(&links(&Html::parse_document(html), &base), html, &base);
        let want: Vec<String> = ["index_1.html", "index_2.html"]
            .iter()
            .map(|p| format!("http://a.gov.cn/col/ndbg/{p}"))
            .collect();
        assert_eq!(got.iter().map(Url::to_string).collect::<Vec<_>>(), want);
    }

    #[test]
    fn a_body_in_a_script_string() {
        let html = r#"<html><body><div id="zoom"></div><script>var content = "<table><tr><td>\u884c\u653f\u8bb8\u53ef</td><td>3</td></tr></table>"; document.getElementById('zoom').innerHTML = content;</script></body></html>"#;
        let body = script_body(&Html::parse_document(html)).unwrap();
        assert!(body.contains("<td>行政许可</td>"), "{body}");
    }
}
