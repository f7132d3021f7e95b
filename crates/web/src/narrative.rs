//! `/agencies/{id}/narrative?a=YEAR&b=YEAR`: the six sections of two years of an agency's
//! reports side by side as a diff — sentences kept, removed, added, and rewritten ones with
//! the words and numbers that changed marked — and the numbers each year's prose states
//! about requests, reviews and suits checked against that year's tables.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::{esc, layout};
use crate::report::series;
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use nianbao_check::prose::{diff, stated, Line};
use nianbao_corpus::store::Stored;
use serde::Deserialize;

const SECTIONS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

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

fn runs(rs: &[(String, bool)], tag: &str) -> String {
    rs.iter()
        .map(|(t, changed)| {
            if *changed {
                format!("<{tag}>{}</{tag}>", esc(t))
            } else {
                esc(t)
            }
        })
        .collect()
}

fn checks(r: &Stored) -> String {
    let list = stated(&r.report);
    if list.is_empty() {
        return "<p class=\"muted\">正文中未找到关于申请、复议、诉讼件数的表述。</p>".into();
    }
    let items: String = list
        .iter()
        .map(|s| {
            let table = s.table.map_or("空白".to_string(), |v| v.to_string());
            if s.agrees() {
                format!(
                    "<li class=\"ok\">“{}” 与表格一致（{table}）</li>",
                    esc(&s.phrase)
                )
            } else {
                format!(
                    "<li class=\"err\">“{}” 与表格不一致：表格为 {table}</li>",
                    esc(&s.phrase)
                )
            }
        })
        .collect();
    format!("<ul class=\"prose-checks\">{items}</ul>")
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
    let options = |sel: i32| -> String {
        years
            .iter()
            .map(|y| {
                let s = if *y == sel { " selected" } else { "" };
                format!("<option{s}>{y}</option>")
            })
            .collect()
    };
    let mut body = format!(
        "<h1>{} · 正文逐年对比</h1><form method=\"get\" class=\"filters\" id=\"years\">\
         <select name=\"a\" id=\"year-a\">{}</select> → <select name=\"b\" id=\"year-b\">{}</select><button>对比</button>\
         <a href=\"/agencies/{id}\">表格逐年对比</a></form>\
         <p class=\"muted\">左为 {ya} 年，右为 {yb} 年；<del>删去</del>、<ins>新增</ins>的文字和数字已标出。</p>",
        esc(&name),
        options(ya),
        options(yb)
    );
    let (mut same, mut changed) = (0, 0);
    for (i, title) in SECTIONS.iter().enumerate() {
        let n = i as u8 + 1;
        let (ta, tb) = (section(a, n), section(b, n));
        let mut rows = String::new();
        for line in diff(&ta, &tb) {
            let (left, right, class) = match &line {
                Line::Same(t) => (esc(t), esc(t), "same"),
                Line::Removed(t) => (format!("<del>{}</del>", esc(t)), String::new(), "removed"),
                Line::Added(t) => (String::new(), format!("<ins>{}</ins>", esc(t)), "added"),
                Line::Changed(x, y) => (runs(x, "del"), runs(y, "ins"), "changed"),
            };
            if class == "same" {
                same += 1;
            } else {
                changed += 1;
            }
            rows.push_str(&format!(
                "<tr class=\"{class}\"><td>{left}</td><td>{right}</td></tr>"
            ));
        }
        if rows.is_empty() {
            rows =
                "<tr><td class=\"muted\">（无正文）</td><td class=\"muted\">（无正文）</td></tr>"
                    .into();
        }
        body.push_str(&format!(
            "<h2>{title}</h2><table class=\"diff\" id=\"section-{n}\"><tr><th>{ya} 年</th><th>{yb} 年</th></tr>{rows}</table>"
        ));
    }
    body.push_str(&format!(
        "<h2>正文数字与表格核对</h2><div class=\"columns\"><div><h3>{ya} 年</h3>{}</div><div><h3>{yb} 年</h3>{}</div></div>\
         <p class=\"muted\" id=\"diff-summary\">未变 {same} 句，有变化 {changed} 处。</p>",
        checks(a),
        checks(b)
    ));
    Ok(Html(layout(&format!("{name} 正文对比"), Some(&s), &body)))
}
