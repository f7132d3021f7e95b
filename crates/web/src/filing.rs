//! Agencies file their own reports: what an agency user may reach (its own reports, the
//! form, the upload — nothing of other agencies), and its page `/my`: the campaigns that
//! call on it, where it stands in each, what needs doing (退回 with the reason and the
//! letter, a deadline near or passed, a version waiting), and its reports.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::{findings_badge, frame};
use crate::state::Shared;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::Html;
use maud::{html, Markup};
use nianbao_corpus::campaigns::Filing;
use nianbao_corpus::filers::Task;
use nianbao_corpus::review::Summary;
use nianbao_corpus::store::Filter;

/// Paths an agency user reaches whatever it asks for there (each handler still checks its
/// own rights: the form and the upload file only for the user's agencies).
const OPEN: &[&str] = &[
    "/",
    "/my",
    "/new",
    "/new/submit",
    "/new/render",
    "/api/check",
    "/upload",
    "/api/jobs",
    "/account",
    "/account/tokens",
    "/account/tokens/delete",
    "/api/me",
    "/api/tokens",
    "/logout",
];

/// What of a report an agency may read besides its page (`/reports/{id}/…`).
const REPORT_PARTS: &[&str] = &[
    "original",
    "letter",
    "render",
    "rendering",
    "source",
    "timeline",
];

/// Lets an agency user's request through only to its own things: the paths above, its
/// jobs (the job checks its owner), and the pages of reports of its agencies, read only.
pub async fn scope(parts: &Parts, st: &Shared, s: &Session) -> Result<(), Fail> {
    let path = parts.uri.path();
    let api = path.starts_with("/api/");
    let refuse = || {
        let f = Fail::new(
            StatusCode::FORBIDDEN,
            "报送单位账号只能查看和报送本单位的报告 (an agency account reaches only its own reports)",
        );
        if api {
            f.api()
        } else {
            f
        }
    };
    if OPEN.contains(&path)
        || path.starts_with("/api/tokens/")
        || path.starts_with("/jobs/")
        || path.starts_with("/api/jobs/")
    {
        return Ok(());
    }
    let Some(rest) = path
        .strip_prefix("/reports/")
        .or_else(|| path.strip_prefix("/api/reports/"))
    else {
        return Err(refuse());
    };
    let (id, part) = rest.split_once('/').unwrap_or((rest, ""));
    // One change an agency makes: its new version in place of a returned one (the form;
    // the handler checks the rest).
    let replaces = parts.method == Method::POST && part == "current" && !api;
    if parts.method != Method::GET && !replaces {
        return Err(refuse());
    }
    let readable = replaces
        || part.is_empty()
        || REPORT_PARTS.contains(&part)
        || part.starts_with("pages/")
        || part.starts_with("tables/");
    let Ok(id) = id.parse::<i64>() else {
        return Err(refuse());
    };
    if !readable {
        return Err(refuse());
    }
    let agency = st
        .with(move |store| store.report_agency(id))
        .await
        .map_err(|f| if api { f.api() } else { f })?;
    if agency.is_some_and(|a| s.user.agencies.iter().any(|(b, _)| *b == a)) {
        Ok(())
    } else {
        Err(refuse())
    }
}

/// `GET /my`: the agency user's campaigns, notices and reports.
pub async fn page(State(st): State<Shared>, s: Session) -> Result<Html<String>, Fail> {
    if s.user.role != nianbao_corpus::review::Role::Agency {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            "此页面供报送单位账号使用 (this page is for agency accounts)",
        ));
    }
    let ids: Vec<i64> = s.user.agencies.iter().map(|(id, _)| *id).collect();
    let today = nianbao_corpus::campaigns::today();
    let (tasks, reports) = st
        .with(move |store| {
            let tasks = store.tasks(&ids, &today)?;
            let mut reports = Vec::new();
            for id in ids {
                let filter = Filter {
                    agency_id: Some(id),
                    ..Filter::default()
                };
                reports.extend(store.list(&filter, 0, 100)?.1);
            }
            Ok((tasks, reports))
        })
        .await?;
    let body = html! {
        h1 { "本单位：" (s.agencies_zh()) }
        h2 { "待办" }
        (notices(&tasks))
        p class="actions" {
            a href="/new" id="compose-link" { "新建年报（在线填写）" } " · "
            a href="/upload" id="upload-link" { "上传报告文件" }
        }
        h2 { "填报任务" }
        @if tasks.is_empty() {
            p class="muted" id="no-tasks" { "目前没有要求本单位报送的填报任务。" }
        } @else {
            table class="list" id="tasks" {
                tr { th { "任务" } th { "单位" } th { "年度" } th { "截止日期" } th { "状态" } th { "报告" } }
                @for t in &tasks {
                    tr data-campaign=(t.campaign.id) data-status=(t.entry.status.as_str()) {
                        td { (t.campaign.name) }
                        td { (t.entry.agency) }
                        td { (t.campaign.year) }
                        td { (t.campaign.deadline) }
                        td class="status" {
                            (t.entry.status.name_zh())
                            @if t.entry.late { "（逾期报送）" }
                            @if t.entry.held.is_some() { "，新版本待确认" }
                        }
                        td {
                            @if let Some(r) = t.entry.report_id {
                                a href={ "/reports/" (r) } { "查看" }
                            } @else {
                                a href={ "/new?year=" (t.campaign.year) "&agency=" (crate::pages::url(&t.entry.agency)) } { "填写" }
                            }
                        }
                    }
                }
            }
        }
        h2 { "本单位的报告" }
        (reports_html(&reports))
    };
    Ok(Html(frame("本单位", Some(&s), body)))
}

/// What needs doing, most urgent first: returned reports, deadlines passed, deadlines to
/// come, versions waiting for a reviewer.
fn notices(tasks: &[Task]) -> Markup {
    let order = |t: &&Task| match t.entry.status {
        Filing::Returned => 0,
        Filing::Overdue => 1,
        Filing::Missing => 2,
        _ => 3,
    };
    let mut due: Vec<&Task> = tasks
        .iter()
        .filter(|t| {
            matches!(
                t.entry.status,
                Filing::Returned | Filing::Overdue | Filing::Missing
            ) || t.entry.held.is_some()
        })
        .collect();
    due.sort_by_key(order);
    html! {
        @if due.is_empty() {
            p class="ok" id="no-notices" { "没有待办事项。" }
        } @else {
            ul class="notices" id="notices" {
                @for t in due {
                    @let what = format!("{}（{} 年度，{}）", t.campaign.name, t.campaign.year, t.entry.agency);
                    li data-status=(t.entry.status.as_str()) {
                        @match t.entry.status {
                            Filing::Returned => {
                                b { "退回：" } (what) "的报告被退回"
                                @if let Some(r) = &t.entry.returned_for { "，理由：" span class="reason" { (r) } }
                                "。"
                                @if let Some(r) = t.entry.report_id {
                                    " " a href={ "/reports/" (r) } { "查看报告" }
                                    " · 审查意见书 " a href={ "/reports/" (r) "/letter?to=docx" } class="letter" { "DOCX" }
                                    " " a href={ "/reports/" (r) "/letter?to=pdf" } { "PDF" }
                                }
                                @if let Some(h) = t.entry.held {
                                    "（已重新报送，" a href={ "/reports/" (h) } { "新版本" } "可设为当前版本，替换被退回的版本）"
                                } @else { " 请改正后重新上传或填写。" }
                            },
                            Filing::Overdue => {
                                b { "逾期：" } (what) "已过截止日期 " (t.campaign.deadline) "，尚未报送。"
                            },
                            Filing::Missing => {
                                b { "待报：" } (what) "请于 " (t.campaign.deadline) " 前报送。"
                            },
                            _ => {
                                b { "待确认：" } (what) "的新版本已报送，待审核人员确认。"
                            },
                        }
                    }
                }
            }
        }
    }
}

fn reports_html(reports: &[Summary]) -> Markup {
    html! {
        @if reports.is_empty() {
            p class="muted" id="no-reports" { "还没有报告。" }
        } @else {
            table class="list" id="my-reports" {
                tr { th { "单位" } th { "年度" } th { "版本" } th { "检查" } }
                @for r in reports {
                    tr {
                        td { a href={ "/reports/" (r.id) } { (r.agency) } }
                        td { @if let Some(y) = r.year { (y) } @else { "—" } }
                        td { "第 " (r.version) " 版" }
                        td { (findings_badge(r.errors, r.warnings)) }
                    }
                }
            }
        }
    }
}
