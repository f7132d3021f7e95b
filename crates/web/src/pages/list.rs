//! The report list: filters, the region tree, paging, export links.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::{esc, layout};
use crate::state::Shared;
use axum::extract::{Query, State};
use axum::response::Html;
use nianbao_corpus::review::{ListKey, Seek, Summary};
use nianbao_corpus::store::{Filter, Status};
use nianbao_model::Template;
use serde::Deserialize;

/// Filters of the report list (query string; empty fields mean no filter).
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub region: String,
    /// A national division code (see `regions::cascader`).
    #[serde(default)]
    pub division: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub template: String,
    #[serde(default)]
    pub status: String,
    /// Words in the agency name.
    #[serde(default)]
    pub q: String,
    /// Words in the report text.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub page: Option<i64>,
    /// The web list's pages: the page after the row with this key (`2021.15.2034`) …
    #[serde(default)]
    pub after: Option<String>,
    /// … or before it; `page` then only numbers the page shown.
    #[serde(default)]
    pub before: Option<String>,
    /// The API's keyset paging: empty for the first page, then the `next_cursor` it gave.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Reports per page with `cursor` (1–1000, default 50).
    #[serde(default)]
    pub per_page: Option<i64>,
}

impl ListQuery {
    /// The filters as a query string (without the page).
    pub fn query(&self) -> String {
        format!(
            "q={}&text={}&region={}&division={}&year={}&level={}&template={}&status={}",
            url(&self.q),
            url(&self.text),
            url(&self.region),
            url(&self.division),
            url(&self.year),
            url(&self.level),
            url(&self.template),
            url(&self.status)
        )
    }

    pub fn filter(&self) -> Filter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Filter {
            years: self
                .year
                .split(',')
                .filter_map(|y| y.trim().parse().ok())
                .collect(),
            region: some(&self.region),
            division: Some(crate::regions::clean(&self.division)).filter(|c| !c.is_empty()),
            template: Template::parse(self.template.trim()),
            level: some(&self.level),
            status: match self.status.as_str() {
                "errors" => Some(Status::Errors),
                "warnings" => Some(Status::Warnings),
                "clean" => Some(Status::Clean),
                _ => None,
            },
            name: some(&self.q),
            text: some(&self.text),
            ..Filter::default()
        }
    }
}

pub const PAGE: i64 = 50;

fn status_badge(r: &Summary) -> String {
    if r.errors > 0 {
        format!("<span class=\"badge err\">错误 {}</span>", r.errors)
    } else if r.warnings > 0 {
        format!("<span class=\"badge warn\">警告 {}</span>", r.warnings)
    } else {
        "<span class=\"badge ok\">通过</span>".into()
    }
}

pub(crate) fn select(name: &str, current: &str, options: &[(&str, &str)]) -> String {
    let opts: String = options
        .iter()
        .map(|(v, label)| {
            let sel = if *v == current { " selected" } else { "" };
            format!("<option value=\"{}\"{sel}>{}</option>", esc(v), esc(label))
        })
        .collect();
    format!("<select name=\"{name}\" id=\"f-{name}\">{opts}</select>")
}

pub async fn index(
    State(st): State<Shared>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, Fail> {
    let mut page = q.page.unwrap_or(1).max(1);
    let filter = q.filter();
    let key = |k: &Option<String>| k.as_deref().map(ListKey::parse);
    let seek = match (key(&q.after), key(&q.before)) {
        (Some(Some(k)), _) => Some(Seek::After(k)),
        (_, Some(Some(k))) => Some(Seek::Before(k)),
        (Some(None), _) | (_, Some(None)) => {
            return Err(Fail::bad(
                "after/before 应为列表给出的翻页位置 (bad page position)",
            ))
        }
        _ => None,
    };
    let (total, rows) = st
        .with(move |store| match seek {
            Some(seek) => store.list_from(&filter, seek, PAGE),
            None => store.list(&filter, (page - 1) * PAGE, PAGE),
        })
        .await?;
    if seek.is_some() && rows.is_empty() {
        page = 1; // walked off an end (reports removed meanwhile): show the first page's link
    }
    let tree = crate::regions::cascader(&*crate::regions::counts(&st).await?, &q.division);
    let form = format!(
        "<form method=\"get\" action=\"/\" class=\"filters\">\
         <input name=\"q\" id=\"f-q\" placeholder=\"机构名称\" value=\"{}\">\
         <input name=\"text\" id=\"f-text\" placeholder=\"正文中的词\" value=\"{}\">\
         {tree}<input name=\"region\" placeholder=\"地区\" value=\"{}\">\
         <input name=\"year\" placeholder=\"年度\" size=\"6\" value=\"{}\">{}{}{}\
         <button id=\"search\">筛选</button></form>",
        esc(&q.q),
        esc(&q.text),
        esc(&q.region),
        esc(&q.year),
        select(
            "level",
            &q.level,
            &[
                ("", "全部层级"),
                ("乡镇/街道", "乡镇/街道"),
                ("县级政府", "县级政府"),
                ("县级部门", "县级部门"),
                ("市级政府", "市级政府"),
                ("市级部门", "市级部门"),
                ("省级政府", "省级政府"),
                ("省级部门", "省级部门")
            ]
        ),
        select(
            "template",
            &q.template,
            &[
                ("", "全部格式"),
                ("2021", "2021年版"),
                ("2019", "2019年版"),
                ("legacy", "2019年以前")
            ]
        ),
        select(
            "status",
            &q.status,
            &[
                ("", "全部状态"),
                ("errors", "有错误"),
                ("warnings", "有警告"),
                ("clean", "通过")
            ]
        ),
    );
    let body: String = rows
        .iter()
        .map(|r| {
            format!(
                "<tr><td><a href=\"/reports/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.id,
                esc(if r.agency.is_empty() { "（机构不详）" } else { &r.agency }),
                esc(&r.region),
                esc(&r.level),
                r.year.map_or("—".into(), |y| y.to_string()),
                esc(Template::parse(&r.template).map_or(r.template.as_str(), |t| t.name_zh())),
                status_badge(r)
            )
        })
        .collect();
    let pages = (total + PAGE - 1) / PAGE;
    // The next and previous pages seek from the rows at this page's edges, so a page deep
    // in a large corpus costs what the first does.
    let link = |p: i64, edge: Option<(&str, ListKey)>, rel: &str, label: &str| {
        let edge = edge.map_or(String::new(), |(dir, k)| format!("&{dir}={k}"));
        let qs = format!("{}&page={p}{edge}", q.query());
        format!("<a href=\"/?{}\" rel=\"{rel}\">{label}</a>", esc(&qs))
    };
    let (first, last) = (rows.first().map(ListKey::of), rows.last().map(ListKey::of));
    let export: String = [
        ("csv", "CSV"),
        ("xlsx", "XLSX"),
        ("parquet", "Parquet"),
        ("json", "JSON"),
    ]
    .iter()
    .map(|(f, label)| {
        let qs = format!("{}&format={f}", q.query());
        format!(
            "<a class=\"export\" id=\"export-{f}\" href=\"/export?{}\">{label}</a>",
            esc(&qs)
        )
    })
    .collect::<Vec<_>>()
    .join(" ");
    let export = format!("<p class=\"exports\">导出筛选结果（{total} 份）：{export}</p>");
    let nav = format!(
        "<p class=\"pager\">共 {total} 份 · 第 {page}/{} 页 {} {}</p>",
        pages.max(1),
        match first {
            Some(k) if page > 2 => link(page - 1, Some(("before", k)), "prev", "上一页"),
            _ if page > 1 => link(1, None, "prev", "上一页"),
            _ => String::new(),
        },
        match last {
            Some(k) if page < pages => link(page + 1, Some(("after", k)), "next", "下一页"),
            _ => String::new(),
        }
    );
    Ok(Html(layout(
        "报告",
        Some(&s),
        &format!(
            "<h1>报告</h1>{form}{export}<table class=\"list\" id=\"reports\"><thead><tr><th>机构</th><th>地区</th><th>层级</th><th>年度</th><th>格式</th><th>状态</th></tr></thead><tbody>{body}</tbody></table>{nav}"
        ),
    )))
}

/// Percent-encodes a query value.
pub fn url(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
