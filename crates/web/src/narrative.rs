//! `/agencies/{id}/narrative?a=YEAR&b=YEAR`: the six sections of two years of an agency's
//! reports side by side as a diff — sentences kept, removed, added, and rewritten ones with
//! the words and numbers that changed marked — and the numbers each year's prose states
//! about requests, reviews and suits checked against that year's tables.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::frame;
use crate::report::series;
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use maud::{html, Markup};
use nianbao_check::prose::{diff, stated, Line};
use nianbao_corpus::store::Stored;
use nianbao_model::SECTION_HEADINGS;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct Years {
    a: Option<i32>,
    b: Option<i32>,
}

fn section(r: &Stored, n: u8) -> String {
    r.report
        .sections
        .iter()
        .filter(|s| s.number == n)
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A rewritten sentence's runs, the changed ones in `<del>` (`ins` false) or `<ins>`.
fn runs(rs: &[(String, bool)], ins: bool) -> Markup {
    html! {
        @for (t, changed) in rs {
            @if !*changed { (t) } @else if ins { ins { (t) } } @else { del { (t) } }
        }
    }
}

fn checks(r: &Stored) -> Markup {
    let list = stated(&r.report);
    html! {
        @if list.is_empty() {
            p class="muted" { "正文中未找到关于申请、复议、诉讼件数的表述。" }
        } @else {
            ul class="prose-checks" {
                @for s in &list {
                    @let table = s.table.map_or("空白".to_string(), |v| v.to_string());
                    @if s.agrees() {
                        li class="ok" { "“" (s.phrase) "” 与表格一致（" (table) "）" }
                    } @else {
                        li class="err" { "“" (s.phrase) "” 与表格不一致：表格为 " (table) }
                    }
                }
            }
        }
    }
}

pub async fn page(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Query(q): Query<Years>,
) -> Result<Html<String>, Fail> {
    let list = series(&st, id).await?;
    let years: Vec<i32> = list.iter().filter_map(|r| r.report.year).collect();
    if list.is_empty() {
        return Err(Fail::not_found());
    }
    let last = |n: usize| years.iter().rev().nth(n).copied();
    let b_year = q.b.or(last(0));
    let a_year =
        q.a.or_else(|| years.iter().rev().find(|y| Some(**y) < b_year).copied())
            .or(last(1));
    let pick = |y: Option<i32>| {
        list.iter()
            .rev()
            .find(|r| r.report.year == y && y.is_some())
    };
    let (Some(a), Some(b)) = (pick(a_year), pick(b_year)) else {
        return Err(Fail::bad(format!(
            "该机构只有这些年度的报告：{:?}，请在 a、b 中选两个 (pick two years the agency has)",
            years
        )));
    };
    let name = b.agency.clone();
    let (ya, yb) = (a.report.year.unwrap_or(0), b.report.year.unwrap_or(0));
    let years_select = |name: &str, sel: i32| {
        html! {
            select name=(name) id={ "year-" (name) } {
                @for y in &years { option selected[*y == sel] { (y) } }
            }
        }
    };
    let (mut same, mut changed) = (0, 0);
    let sections: Vec<(&str, Vec<Line>)> = SECTION_HEADINGS
        .iter()
        .enumerate()
        .map(|(i, title)| {
            (
                *title,
                diff(&section(a, i as u8 + 1), &section(b, i as u8 + 1)),
            )
        })
        .collect();
    for line in sections.iter().flat_map(|(_, lines)| lines) {
        match line {
            Line::Same(_) => same += 1,
            _ => changed += 1,
        }
    }
    let body = html! {
        h1 { (name) " · 正文逐年对比" }
        form method="get" class="filters" id="years" {
            (years_select("a", ya)) " → " (years_select("b", yb))
            button { "对比" }
            a href={ "/agencies/" (id) } { "表格逐年对比" }
        }
        p class="muted" {
            "左为 " (ya) " 年，右为 " (yb) " 年；" del { "删去" } "、" ins { "新增" } "的文字和数字已标出。"
        }
        @for (n, (title, lines)) in sections.iter().enumerate() {
            h2 { (title) }
            table class="diff" id={ "section-" (n + 1) } {
                tr { th { (ya) " 年" } th { (yb) " 年" } }
                @for line in lines {
                    @match line {
                        Line::Same(t) => tr class="same" { td { (t) } td { (t) } },
                        Line::Removed(t) => tr class="removed" { td { del { (t) } } td {} },
                        Line::Added(t) => tr class="added" { td {} td { ins { (t) } } },
                        Line::Changed(x, y) => tr class="changed" { td { (runs(x, false)) } td { (runs(y, true)) } },
                    }
                }
                @if lines.is_empty() {
                    tr { td class="muted" { "（无正文）" } td class="muted" { "（无正文）" } }
                }
            }
        }
        h2 { "正文数字与表格核对" }
        div class="columns" {
            div { h3 { (ya) " 年" } (checks(a)) }
            div { h3 { (yb) " 年" } (checks(b)) }
        }
        p class="muted" id="diff-summary" { "未变 " (same) " 句，有变化 " (changed) " 处。" }
    };
    Ok(Html(frame(&format!("{name} 正文对比"), Some(&s), body)))
}
