//! Filing campaigns in the web: the list and a form to open one, each campaign's board
//! (every agency 未报 / 逾期 / 已报 / 退回 / 已审, counts as filters, late filing marked, 退回 and
//! 已审 in one click, the review letter per agency), agencies added from a pasted list, the
//! board as CSV and JSON.

use crate::api::csrf;
use crate::auth::Session;
use crate::fail::Fail;
use crate::html::{csrf_input, findings_badge, frame};
use crate::state::Shared;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use maud::html;
use nianbao_corpus::campaigns::{today, Board, Filing, NewCampaign};
use nianbao_corpus::divisions::path_of;
use nianbao_corpus::review::Role;
use serde::Deserialize;
use serde_json::json;

/// The year typed in the form.
fn form_year(year: &str) -> Result<i64, Fail> {
    year.trim().parse().map_err(|_| {
        Fail::bad(format!(
            "年度“{}”应为数字，如 2024 (year as a number)",
            year.trim()
        ))
    })
}

fn new_campaign(
    name: &str,
    year: i64,
    office: &str,
    division: &str,
    deadline: &str,
) -> NewCampaign {
    NewCampaign {
        name: name.to_string(),
        year,
        office: office.to_string(),
        division: Some(crate::regions::clean(division)).filter(|d| !d.is_empty()),
        deadline: deadline.to_string(),
    }
}

/// `GET /campaigns`: every campaign, and the form to open one.
pub async fn list(State(st): State<Shared>, s: Session) -> Result<Html<String>, Fail> {
    let all = st.with(|store| store.campaigns()).await?;
    let body = html! {
        h1 { "填报任务" }
        @if all.is_empty() {
            p class="muted" { "还没有填报任务。" }
        } @else {
            table class="list" id="campaigns" {
                tr { th { "名称" } th { "年度" } th { "范围" } th { "截止日期" } th { "组织单位" } }
                @for c in &all {
                    tr {
                        td { a href={ "/campaigns/" (c.id) } { (c.name) } }
                        td { (c.year) }
                        td { (c.division.as_deref().map(path_of).unwrap_or_default()) }
                        td { (c.deadline) }
                        td { (c.office) }
                    }
                }
            }
        }
        @if s.user.role >= Role::Reviewer {
            h2 { "新建填报任务" }
            form method="post" action="/campaigns" class="card narrow" id="campaign-form" {
                (csrf_input(&s))
                label { "名称 " input name="name" id="c-name" required placeholder="如 宁海县2024年度政府信息公开工作年度报告报送"; }
                label { "年度 " input name="year" id="c-year" required inputmode="numeric" placeholder="2024"; }
                label { "组织单位 " input name="office" id="c-office" placeholder="如 宁海县人民政府办公室"; }
                label {
                    "行政区划代码（其下机构自动纳入） "
                    input name="division" id="c-division" inputmode="numeric" placeholder="如 330226";
                }
                label { "截止日期 " input name="deadline" id="c-deadline" placeholder="默认次年 1 月 31 日，如 2025-01-31"; }
                label { "应报机构（每行一个名称，可留空） " textarea name="agencies" id="c-agencies" rows="6" {} }
                button id="c-create" { "创建" }
            }
        }
    };
    Ok(Html(frame("填报任务", Some(&s), body)))
}

#[derive(Deserialize)]
pub struct CreateForm {
    csrf: String,
    name: String,
    year: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    division: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    agencies: String,
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// `POST /campaigns`: opens a campaign (reviewers).
pub async fn create(
    State(st): State<Shared>,
    s: Session,
    Form(f): Form<CreateForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Reviewer)?;
    let new = new_campaign(
        &f.name,
        form_year(&f.year)?,
        &f.office,
        &f.division,
        &f.deadline,
    );
    let names = lines(&f.agencies);
    let user = s.user.name.clone();
    let id = st
        .with(move |store| {
            let id = store.create_campaign(&new, &user)?;
            store.add_campaign_names(id, &names)?;
            Ok(id)
        })
        .await?;
    Ok(Redirect::to(&format!("/campaigns/{id}")))
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    status: String,
}

async fn board(st: &Shared, id: i64) -> Result<Board, Fail> {
    let day = today();
    st.with(move |store| store.board(id, &day)).await
}

/// `GET /campaigns/{id}` (the board) and `GET /campaigns/{id}.csv` (the same as a table).
pub async fn page_or_csv(
    State(st): State<Shared>,
    s: Session,
    Path(name): Path<String>,
    Query(q): Query<BoardQuery>,
) -> Result<Response, Fail> {
    let (number, csv) = match name.strip_suffix(".csv") {
        Some(n) => (n, true),
        None => (name.as_str(), false),
    };
    let id: i64 = number.parse().map_err(|_| Fail::not_found())?;
    if csv {
        return board_csv(&st, id).await;
    }
    Ok(page(&st, &s, id, &q).await?.into_response())
}

/// What one agency is to be told: not filed before the deadline, not filed after it, or
/// returned and not filed again (with the reviewer's reason). `None` for one with nothing to do.
fn reminder(
    c: &nianbao_corpus::campaigns::Campaign,
    e: &nianbao_corpus::campaigns::Entry,
) -> Option<String> {
    let report = format!("{}年度政府信息公开工作年度报告", c.year);
    Some(match e.status {
        Filing::Missing => format!(
            "【提醒】{}：请于 {} 前报送{report}（{}）。",
            e.agency, c.deadline, c.name
        ),
        Filing::Overdue => format!(
            "【催报】{}：{report}的报送截止日期 {} 已过，尚未收到，请尽快报送。",
            e.agency, c.deadline
        ),
        // A new version waiting for the reviewer is a resubmission: nothing to ask.
        Filing::Returned if e.held.is_none() => format!(
            "【退回待重报】{}：你单位报送的{report}已退回，理由：{}。请修改后重新报送。",
            e.agency,
            e.returned_for.as_deref().unwrap_or("见审查意见书")
        ),
        _ => return None,
    })
}

/// `GET /campaigns/{id}/reminders` (text to paste into an e-mail or a notice, one paragraph
/// per agency, signed by the campaign's office) and `…/reminders.csv` (one row per agency:
/// name, division, status, deadline, reason, the text).
pub async fn reminders(
    State(st): State<Shared>,
    _s: Session,
    Path((id, kind)): Path<(i64, String)>,
) -> Result<Response, Fail> {
    let b = board(&st, id).await?;
    let c = &b.campaign;
    let due: Vec<(&nianbao_corpus::campaigns::Entry, String)> = b
        .entries
        .iter()
        .filter_map(|e| Some((e, reminder(c, e)?)))
        .collect();
    match kind.as_str() {
        "reminders" => {
            let mut text = format!(
                "{}：截至 {}，以下 {} 个单位需要报送或重新报送年度报告。\n\n",
                c.name,
                b.today,
                due.len()
            );
            for (_, r) in &due {
                text.push_str(r);
                text.push_str("\n\n");
            }
            text.push_str(&format!("{}\n{}\n", c.office, b.today));
            Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
        }
        "reminders.csv" => {
            let head = [
                "机构",
                "行政区划",
                "状态",
                "截止日期",
                "退回理由",
                "提醒内容",
            ];
            let rows = due.iter().map(|(e, r)| {
                vec![
                    e.agency.clone(),
                    e.division.as_deref().map(path_of).unwrap_or_default(),
                    e.status.name_zh().to_string(),
                    c.deadline.clone(),
                    e.returned_for.clone().unwrap_or_default(),
                    r.clone(),
                ]
            });
            crate::export::csv_download(&format!("reminders-{id}.csv"), &head, rows)
        }
        _ => Err(Fail::not_found()),
    }
}

async fn page(st: &Shared, s: &Session, id: i64, q: &BoardQuery) -> Result<Html<String>, Fail> {
    let b = board(st, id).await?;
    let run = crate::collecting::run_of(st, id);
    let only = Filing::parse(q.status.trim());
    let c = &b.campaign;
    let reviewer = s.user.role >= Role::Reviewer;
    let scope = c
        .division
        .as_deref()
        .map_or("（无，仅列出的机构）".to_string(), path_of);
    let body = html! {
        h1 { (c.name) }
        p class="muted" {
            (c.year) " 年度 · 截止 " (c.deadline) " · 范围：" (scope) " · 组织单位：" (c.office)
            " · 统计日 " (b.today)
        }
        p class="counts" id="counts" {
            @for (f, n) in &b.counts {
                a class={ "count " (f.as_str()) @if only == Some(*f) { " on" } } id={ "count-" (f.as_str()) }
                    href={ "/campaigns/" (id) "?status=" (f.as_str()) } { (f.name_zh()) " " b { (n) } }
            }
            " " span id="late" { "其中逾期报送 " b { (b.late) } }
            " · 共 " (b.entries.len()) " 个机构 · "
            a href={ "/campaigns/" (id) ".csv" } id="board-csv" { "导出 CSV" }
            " · 催报提醒："
            a href={ "/campaigns/" (id) "/reminders" } id="reminders" { "文本" } " "
            a href={ "/campaigns/" (id) "/reminders.csv" } id="reminders-csv" { "CSV" }
            " · 通报："
            a href={ "/campaigns/" (id) "/assessment?to=docx" } id="assess-docx" { "DOCX" } " "
            a href={ "/campaigns/" (id) "/assessment?to=pdf" } { "PDF" } " "
            a href={ "/campaigns/" (id) "/assessment?to=xlsx" } id="assess-xlsx" { "XLSX" }
        }
        table class="list" id="board" {
            tr { th { "机构" } th { "行政区划" } th { "状态" } th { "报送日期" } th { "网上公开" } th { "审查" } th { "报告" } th {} }
            @for e in b.entries.iter().filter(|e| only.is_none_or(|f| e.status == f)) {
                tr data-agency=(e.agency_id) data-status=(e.status.as_str()) {
                    td { a href={ "/agencies/" (e.agency_id) } { (e.agency) } }
                    td { (e.division.as_deref().map(path_of).unwrap_or_default()) }
                    td {
                        span class={ "status " (e.status.as_str()) } { (e.status.name_zh()) }
                        @if e.late { " " span class="badge warn" { "逾期报送" } }
                        @if let Some(why) = &e.returned_for { br; span class="muted reason" { "理由：" (why) } }
                        @if let Some(h) = e.held {
                            " " a class="badge held" href={ "/reports/" (h) } { "新版本待确认" }
                        }
                    }
                    td { (e.filed.as_deref().unwrap_or("")) }
                    td class="online" { (online_cell(e)) }
                    td { @if e.report_id.is_some() { (findings_badge(e.errors, e.warnings)) } }
                    td {
                        @if let Some(r) = e.report_id {
                            a href={ "/reports/" (r) } { "第 " (e.version.unwrap_or(1)) " 版" }
                            " · "
                            a href={ "/reports/" (r) "/letter?to=docx&campaign=" (id) } class="letter" { "审查意见书" }
                        } @else {
                            "—"
                        }
                    }
                    td {
                        @if let (Some(r), true) = (e.report_id, reviewer) {
                            form method="post" action={ "/reports/" (r) "/review" } class="inline" {
                                (csrf_input(s))
                                input type="hidden" name="back" value={ "/campaigns/" (id) };
                                input name="reason" class="reason" required maxlength="2000" size="14"
                                    placeholder="退回理由" title="退回时必填，报送单位可见";
                                button name="state" value="returned" class="return" { "退回" }
                                button name="state" value="approved" class="approve" formnovalidate { "已审" }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(r) = &run {
            p id="collect-status" class=(if r.running { "card running" } else { "card" }) {
                @if r.running {
                    "正在从各机关网站收集年报：" (r.done) " / " (r.sites) " 个网站（刷新页面查看进度）"
                } @else {
                    "网站收集已完成：" (r.sites) " 个网站，新存入报告 " b { (r.stored) } " 份"
                    @if r.failed > 0 { "，未能存入 " (r.failed) " 份" }
                    "。网上公开情况见上表“网上公开”一列。"
                }
            }
        }
        @if s.user.role >= Role::Admin {
            details {
                summary { "从各机关网站收集本年度年报" }
                form method="post" action={ "/campaigns/" (id) "/collect" } class="card narrow" id="collect-form" {
                    (csrf_input(s))
                    p class="muted" {
                        "每行一个机构：机关名称,网址（年报栏目或网站首页）,区划代码（可省）；第一行为表头。"
                        "只访问清单所列网站，遵守 robots.txt，每个网站每秒至多一次请求。"
                    }
                    label { "站点清单 " textarea name="sites" id="collect-sites" rows="6" placeholder="机关名称,网址\nXX县财政局,http://www.xx.gov.cn/czj/ndbg/" {} }
                    button id="collect-start" { "开始收集" }
                }
            }
        }
        @if reviewer {
            details {
                summary { "添加应报机构" }
                form method="post" action={ "/campaigns/" (id) "/agencies" } class="card narrow" id="add-form" {
                    (csrf_input(s))
                    label { "机构名称（每行一个） " textarea name="agencies" id="add-agencies" rows="5" {} }
                    button id="add-save" { "添加" }
                }
            }
        }
    };
    Ok(Html(frame(&c.name, Some(s), body)))
}

#[derive(Deserialize)]
pub struct AddForm {
    csrf: String,
    agencies: String,
}

/// `POST /campaigns/{id}/agencies`: names more agencies on it.
pub async fn add(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<AddForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Reviewer)?;
    let names = lines(&f.agencies);
    st.with(move |store| store.add_campaign_names(id, &names))
        .await?;
    Ok(Redirect::to(&format!("/campaigns/{id}")))
}

/// The board as a table.
async fn board_csv(st: &Shared, id: i64) -> Result<Response, Fail> {
    let b = board(st, id).await?;
    let head = [
        "机构编号",
        "机构",
        "区划代码",
        "行政区划",
        "状态",
        "逾期报送",
        "报送日期",
        "报告编号",
        "版本",
        "错误数",
        "警告数",
        "退回理由",
        "网上发布日期",
        "网上公开",
        "日期来源",
        "网上公开网址或未找到原因",
    ];
    let rows = b.entries.iter().map(|e| {
        vec![
            e.agency_id.to_string(),
            e.agency.clone(),
            e.division.clone().unwrap_or_default(),
            e.division.as_deref().map(path_of).unwrap_or_default(),
            e.status.name_zh().to_string(),
            if e.late { "是" } else { "否" }.to_string(),
            e.filed.clone().unwrap_or_default(),
            e.report_id.map(|r| r.to_string()).unwrap_or_default(),
            e.version.map(|v| v.to_string()).unwrap_or_default(),
            e.errors.to_string(),
            e.warnings.to_string(),
            e.returned_for.clone().unwrap_or_default(),
            e.online
                .as_ref()
                .and_then(|o| o.published.clone())
                .unwrap_or_default(),
            online_state(e).to_string(),
            e.online
                .as_ref()
                .and_then(|o| o.date_source.as_deref())
                .map(source_zh)
                .unwrap_or_default()
                .to_string(),
            e.online
                .as_ref()
                .map(|o| o.url.clone())
                .or_else(|| e.not_online.clone())
                .unwrap_or_default(),
        ]
    });
    crate::export::csv_download(&format!("campaign-{id}.csv"), &head, rows)
}

/// Where a publish date came from, for people.
fn source_zh(s: &str) -> &'static str {
    match s {
        "meta" => "页面元数据 (page meta)",
        "page" => "页面所载发布时间 (date on the page)",
        "list" => "栏目列表日期 (date in the list)",
        _ => "",
    }
}

/// 按时 / 逾期 / 日期不明 / 未找到, or nothing when the portal was not searched.
fn online_state(e: &nianbao_corpus::campaigns::Entry) -> &'static str {
    match (&e.online, &e.not_online) {
        (Some(o), _) => match o.late {
            Some(true) => "逾期公开",
            Some(false) => "按时公开",
            None => "日期不明",
        },
        (None, Some(_)) => "网上未找到",
        (None, None) => "",
    }
}

/// The board's cell for the report as published online: date, state, a link to the page
/// (the date's source in its title), or why nothing was found.
fn online_cell(e: &nianbao_corpus::campaigns::Entry) -> maud::Markup {
    maud::html! {
        @if let Some(o) = &e.online {
            a href=(o.url) rel="noopener noreferrer" target="_blank"
                title={ "日期来源：" (o.date_source.as_deref().map(source_zh).unwrap_or("无")) } {
                (o.published.as_deref().unwrap_or("日期不明"))
            }
            @match o.late {
                Some(true) => { " " span class="badge warn" { "逾期公开" } }
                Some(false) => { " " span class="muted" { "按时" } }
                None => {}
            }
        } @else if let Some(why) = &e.not_online {
            span class="badge warn" title=(why) { "网上未找到" }
        }
    }
}

fn board_json(b: &Board) -> serde_json::Value {
    let counts: serde_json::Map<String, serde_json::Value> = b
        .counts
        .iter()
        .map(|(f, n)| (f.as_str().to_string(), json!(n)))
        .collect();
    json!({ "campaign": b.campaign, "today": b.today, "counts": counts, "late": b.late, "entries": b.entries })
}

/// `GET /api/campaigns`: every campaign.
pub async fn api_list(
    State(st): State<Shared>,
    _s: Session,
) -> Result<Json<serde_json::Value>, Fail> {
    let all = st
        .with(|store| store.campaigns())
        .await
        .map_err(Fail::api)?;
    Ok(Json(json!({ "campaigns": all })))
}

#[derive(Deserialize)]
pub struct CreateBody {
    name: String,
    year: i64,
    #[serde(default)]
    office: String,
    #[serde(default)]
    division: Option<String>,
    #[serde(default)]
    deadline: Option<String>,
    #[serde(default)]
    agencies: Vec<String>,
}

/// `POST /api/campaigns`: opens a campaign; answers its board.
pub async fn api_create(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Json(b): Json<CreateBody>,
) -> Result<Json<serde_json::Value>, Fail> {
    csrf(&s, &h)?;
    s.require(Role::Reviewer).map_err(Fail::api)?;
    let new = new_campaign(
        &b.name,
        b.year,
        &b.office,
        b.division.as_deref().unwrap_or(""),
        b.deadline.as_deref().unwrap_or(""),
    );
    let user = s.user.name.clone();
    let id = st
        .with(move |store| {
            let id = store.create_campaign(&new, &user)?;
            store.add_campaign_names(id, &b.agencies)?;
            Ok(id)
        })
        .await
        .map_err(Fail::api)?;
    let b = board(&st, id).await.map_err(Fail::api)?;
    Ok(Json(board_json(&b)))
}

/// `GET /api/campaigns/{id}`: the board.
pub async fn api_board(
    State(st): State<Shared>,
    _s: Session,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Fail> {
    let b = board(&st, id).await.map_err(Fail::api)?;
    Ok(Json(board_json(&b)))
}

#[derive(Deserialize, Default)]
pub struct AssessmentQuery {
    #[serde(default)]
    to: String,
}

/// `GET /campaigns/{id}/assessment?to=docx|pdf|xlsx`: the campaign's 通报 (assessment) as a
/// document signed by its office and dated today, or its figures as a workbook.
pub async fn assessment(
    State(st): State<Shared>,
    _s: Session,
    Path(id): Path<i64>,
    Query(q): Query<AssessmentQuery>,
) -> Result<Response, Fail> {
    let to = match q.to.trim() {
        "" | "docx" => "docx",
        "pdf" => "pdf",
        "xlsx" => "xlsx",
        other => {
            return Err(Fail::bad(format!(
                "to 应为 docx、pdf 或 xlsx，不是 {other:?} (to must be docx, pdf or xlsx)"
            )))
        }
    };
    let day = today();
    let a = st.with(move |store| store.assessment(id, &day)).await?;
    let date = nianbao_corpus::review::beijing_today();
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        use nianbao_corpus::assessment::{document, xlsx};
        match to {
            "xlsx" => xlsx(&a).map_err(|e| e.to_string()),
            "pdf" => nianbao_render::blocks_pdf(&document(&a, date)).map_err(|e| e.to_string()),
            _ => nianbao_render::blocks_docx(&document(&a, date)).map_err(|e| e.to_string()),
        }
    })
    .await
    .map_err(|_| Fail::internal("assessment"))?
    .map_err(|e| Fail::internal(&e))?;
    let kind = match to {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf" => "application/pdf",
        _ => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    };
    Ok((
        [
            ("content-type", kind.to_string()),
            (
                "content-disposition",
                format!("attachment; filename=\"assessment-{id}.{to}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
