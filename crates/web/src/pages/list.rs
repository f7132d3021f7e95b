//! The report list: filters, the region tree, paging, export links.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::{findings_badge, select};
use crate::state::Shared;
use axum::extract::{Query, State};
use axum::response::Html;
use maud::html;
use nianbao_corpus::review::{ListKey, Seek};
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
    /// Review state: `pending` 待审, `approved` 已审, `returned` 退回.
    #[serde(default)]
    pub review: String,
    /// A filing campaign's id: its agencies' reports.
    #[serde(default)]
    pub campaign: String,
    /// `1`: only the reports assigned to the signed-in user.
    #[serde(default)]
    pub mine: String,
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
            "q={}&text={}&region={}&division={}&year={}&level={}&template={}&status={}&review={}&campaign={}&mine={}",
            url(&self.q),
            url(&self.text),
            url(&self.region),
            url(&self.division),
            url(&self.year),
            url(&self.level),
            url(&self.template),
            url(&self.status),
            url(&self.review),
            url(&self.campaign),
            url(&self.mine)
        )
    }

    /// The filters, "mine" meaning the reports assigned to `user`.
    pub fn filter_for(&self, user: &str) -> Filter {
        Filter {
            assignee: (self.mine == "1").then(|| user.to_string()),
            ..self.filter()
        }
    }

    pub fn filter(&self) -> Filter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Filter {
            years: parse_years(&self.year).0,
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
            review: nianbao_corpus::workflow::Step::parse(self.review.trim()),
            campaign: self.campaign.trim().parse().ok(),
            ..Filter::default()
        }
    }
}

/// The years of a year filter as people type them (`2023`, `2023,2024`, `2023年，2024年度`,
/// full-width digits), and the parts that are no year.
pub fn parse_years(typed: &str) -> (Vec<i32>, Vec<String>) {
    let (mut years, mut bad) = (Vec::new(), Vec::new());
    for part in typed.split([',', '，', '、', ' ', ';', '；']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let digits: String = part
            .trim_end_matches("年度")
            .trim_end_matches('年')
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect();
        match digits.parse::<i32>() {
            Ok(y) if (1900..=2200).contains(&y) => years.push(y),
            _ => bad.push(part.to_string()),
        }
    }
    (years, bad)
}

pub const PAGE: i64 = 50;

pub async fn index(
    State(st): State<Shared>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<axum::response::Response, Fail> {
    use axum::response::IntoResponse;
    // An agency's start is its own page.
    if s.user.role == nianbao_corpus::review::Role::Agency {
        return Ok(axum::response::Redirect::to("/my").into_response());
    }
    let mut page = q.page.unwrap_or(1).max(1);
    let filter = q.filter_for(&s.user.name);
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
    let total = count(&st, &q, filter.clone()).await?;
    let rows = st
        .with(move |store| match seek {
            Some(seek) => store.list_page_from(&filter, seek, PAGE),
            None => store.list_page(&filter, (page - 1) * PAGE, PAGE),
        })
        .await?;
    if seek.is_some() && rows.is_empty() {
        page = 1; // walked off an end (reports removed meanwhile): show the first page's link
    }
    let campaigns = st.with(|store| store.campaigns()).await?;
    let mut campaign_choices: Vec<(String, String)> = vec![(String::new(), "全部填报任务".into())];
    campaign_choices.extend(
        campaigns
            .iter()
            .map(|c| (c.id.to_string(), format!("{}（{}）", c.name, c.year))),
    );
    let tree = crate::regions::cascader(&*crate::regions::counts(&st).await?, &q.division);
    let facets = crate::regions::facets(&st).await?;
    let form = html! {
        form method="get" action="/" class="filters" {
            input name="q" id="f-q" placeholder="机构名称" value=(q.q);
            input name="text" id="f-text" placeholder="正文中的词" value=(q.text);
            (tree)
            (crate::regions::year_and_region(&facets, &q.year, &q.region, "年度"))
            (select("level", &q.level, LEVELS))
            (select("template", &q.template, &templates()))
            (select("status", &q.status, STATUSES))
            (select("review", &q.review, REVIEWS))
            (select("campaign", &q.campaign, &campaign_choices.iter().map(|(v, l)| (v.as_str(), l.as_str())).collect::<Vec<_>>()))
            label class="check" { input type="checkbox" name="mine" value="1" id="f-mine" checked[q.mine == "1"]; " 指派给我" }
            button id="search" { "筛选" }
        }
    };
    let pages = (total + PAGE - 1) / PAGE;
    // The next and previous pages seek from the rows at this page's edges, so a page deep
    // in a large corpus costs what the first does.
    let link = |p: i64, edge: Option<(&str, ListKey)>, rel: &str, label: &str| {
        let edge = edge.map_or(String::new(), |(dir, k)| format!("&{dir}={k}"));
        html! { a href={ "/?" (q.query()) "&page=" (p) (edge) } rel=(rel) { (label) } }
    };
    let (first, last) = (rows.first().map(ListKey::of), rows.last().map(ListKey::of));
    let exports = [
        ("csv", "CSV"),
        ("xlsx", "XLSX"),
        ("parquet", "Parquet"),
        ("json", "JSON"),
    ];
    let body = html! {
        h1 { "报告" }
        (form)
        p class="exports" {
            "导出筛选结果（" (total) " 份）："
            @for (i, (f, label)) in exports.iter().enumerate() {
                @if i > 0 { " " }
                a class="export" id={ "export-" (f) } href={ "/export?" (q.query()) "&format=" (f) } { (label) }
            }
        }
        table class="list" id="reports" {
            thead { tr { th { "机构" } th { "地区" } th { "层级" } th { "年度" } th { "格式" } th { "状态" } } }
            tbody {
                @for r in &rows {
                    tr {
                        td {
                            a href={ "/reports/" (r.id) } {
                                @if r.agency.is_empty() { "（机构不详）" } @else { (r.agency) }
                            }
                        }
                        td { (r.region) }
                        td { (r.level) }
                        td { @if let Some(y) = r.year { (y) } @else { "—" } }
                        td { (Template::parse(&r.template).map_or(r.template.as_str(), |t| t.name_zh())) }
                        td { (findings_badge(r.errors, r.warnings)) }
                    }
                }
            }
        }
        p class="pager" {
            "共 " (total) " 份 · 第 " (page) "/" (pages.max(1)) " 页 "
            @match first {
                Some(k) if page > 2 => (link(page - 1, Some(("before", k)), "prev", "上一页")),
                _ if page > 1 => (link(1, None, "prev", "上一页")),
                _ => {},
            }
            " "
            @match last {
                Some(k) if page < pages => (link(page + 1, Some(("after", k)), "next", "下一页")),
                _ => {},
            }
        }
    };
    Ok(Html(crate::html::frame("报告", Some(&s), body)).into_response())
}

pub(crate) const LEVELS: &[(&str, &str)] = &[
    ("", "全部层级"),
    ("乡镇/街道", "乡镇/街道"),
    ("县级政府", "县级政府"),
    ("县级部门", "县级部门"),
    ("市级政府", "市级政府"),
    ("市级部门", "市级部门"),
    ("省级政府", "省级政府"),
    ("省级部门", "省级部门"),
];
/// The template filter's options: every format the process knows, newest first.
pub(crate) fn templates() -> Vec<(&'static str, &'static str)> {
    let mut known = Template::all();
    known.sort_by_key(|t| std::cmp::Reverse(t.def().first_year));
    std::iter::once(("", "全部格式"))
        .chain(known.into_iter().map(|t| (t.as_str(), t.def().short_zh)))
        .collect()
}
const STATUSES: &[(&str, &str)] = &[
    ("", "全部检查结果"),
    ("errors", "有错误"),
    ("warnings", "有警告"),
    ("clean", "通过"),
];

const REVIEWS: &[(&str, &str)] = &[
    ("", "全部审核状态"),
    ("pending", "待审"),
    ("returned", "退回"),
    ("approved", "已审"),
];

/// How many reports the list's filter selects, counted again only when the corpus changed
/// since the last count of the same filter.
async fn count(st: &Shared, q: &ListQuery, filter: Filter) -> Result<i64, Fail> {
    let mut key = q.query();
    let mut now = crate::dashboard::version(st).await?;
    // Review states change without the corpus changing: their counts are kept until the
    // next decision, "mine" per user.
    if filter.review.is_some() || filter.assignee.is_some() {
        let decided = st
            .with(|s| {
                let rows = s.conn().query("SELECT MAX(id) FROM review_log", &[])?;
                Ok(rows.first().and_then(|r| r.int(0)))
            })
            .await?;
        now.push_str(&format!("/{decided:?}"));
        if let Some(who) = &filter.assignee {
            key.push_str(&format!("&for={}", url(who)));
        }
    }
    let known = st
        .list_counts
        .lock()
        .ok()
        .and_then(|m| m.get(&key).cloned());
    if let Some((v, n)) = known {
        if v == now {
            return Ok(n);
        }
    }
    let n = st.with(move |s| s.list_count(&filter)).await?;
    if let Ok(mut m) = st.list_counts.lock() {
        if m.len() >= 1000 {
            m.clear(); // many filters typed: start again rather than grow
        }
        m.insert(key, (now, n));
    }
    Ok(n)
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

/// Counts the unfiltered list and the region tree when the server starts, so the first
/// people to open the list do not each count a large corpus at once.
pub fn warm(st: Shared) {
    tokio::spawn(async move {
        let q = ListQuery::default();
        let _ = count(&st, &q, q.filter()).await;
        let _ = crate::regions::counts(&st).await;
    });
}
