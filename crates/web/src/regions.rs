//! Where agencies sit: the region tree (cascader) of the filter forms, drill-down by
//! division, the agency's place on its page and a person's decision where names are shared.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::csrf_input;
use crate::state::{PerVersion, Shared};
use axum::extract::{Form, Path, Query, State};
use axum::response::Redirect;
use axum::Json;
use maud::{html, Markup};
use nianbao_corpus::divisions::{path_of, Facets, Place, Settled};
use nianbao_corpus::review::Role;
use nianbao_division::Division;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

/// The code a person chose, cut to a division code's digits.
pub fn clean(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).take(9).collect()
}

/// Chained selects, province → city → county → township, listing only divisions where the
/// corpus has agencies (with their number); choosing one submits the form (`app.js`).
/// Carries the choice in the hidden field `division`.
pub fn cascader(counts: &HashMap<String, i64>, current: &str) -> Markup {
    let all = nianbao_division::all();
    let current = clean(current);
    // Each level's divisions with agencies, its parent's code and the one chosen.
    let mut levels = Vec::new();
    let mut parent = String::new();
    for _ in 0..4 {
        let children: Vec<Division> = all
            .children(&parent)
            .into_iter()
            .filter(|d| counts.get(d.code).is_some_and(|&n| n > 0))
            .collect();
        if children.is_empty() {
            break;
        }
        let chosen = children
            .iter()
            .find(|d| current.starts_with(d.code))
            .map(|d| d.code.to_string());
        let next = chosen.clone();
        levels.push((parent, children, chosen));
        match next {
            Some(c) => parent = c,
            None => break,
        }
    }
    html! {
        span class="cascader" {
            @for (depth, (parent, children, chosen)) in levels.iter().enumerate() {
                select class="division" id={ "f-division-" (depth) } aria-label="行政区划" {
                    option value=(parent) { @if depth == 0 { "全部地区" } @else { "（全部）" } }
                    @for d in children {
                        option value=(d.code) selected[chosen.as_deref() == Some(d.code)] {
                            (d.name) "（" (counts[d.code]) "）"
                        }
                    }
                }
            }
            input type="hidden" name="division" id="f-division" value=(current);
        }
    }
}

/// The division counts for a cascader, counted again only when the corpus changed.
pub async fn counts(st: &Shared) -> Result<std::sync::Arc<HashMap<String, i64>>, Fail> {
    per_version(st, |s| &s.division_counts, |store| store.division_counts()).await
}

/// The years and regions of the corpus for the filters' suggestions, read once per corpus
/// version.
pub async fn facets(st: &Shared) -> Result<std::sync::Arc<Facets>, Fail> {
    per_version(st, |s| &s.facets, |store| store.facets()).await
}

/// What `read` gives, read again only when the corpus changed: `slot` keeps it with the
/// corpus version it was read at, shared (not copied) by each request.
async fn per_version<T: Send + Sync + 'static>(
    st: &Shared,
    slot: fn(&crate::state::State) -> &PerVersion<T>,
    read: fn(&mut nianbao_corpus::Store) -> Result<T, nianbao_corpus::StoreError>,
) -> Result<std::sync::Arc<T>, Fail> {
    let now = crate::dashboard::version(st).await?;
    if let Some((v, kept)) = slot(st).lock().ok().and_then(|m| m.clone()) {
        if v == now {
            return Ok(kept);
        }
    }
    let fresh = std::sync::Arc::new(st.with(read).await?);
    if let Ok(mut m) = slot(st).lock() {
        *m = Some((now, fresh.clone()));
    }
    Ok(fresh)
}

/// The year and region fields of a filter form: typed freely (several years with commas),
/// with the corpus's years and regions offered as choices, and a note when the years typed
/// are not all years.
pub fn year_and_region(f: &Facets, year: &str, region: &str, year_hint: &str) -> Markup {
    let (_, bad) = crate::pages::parse_years(year);
    html! {
        input name="year" id="f-year" list="f-years" inputmode="numeric" placeholder=(year_hint) value=(year);
        datalist id="f-years" { @for y in &f.years { option value=(y) {} } }
        input name="region" id="f-region" list="f-regions" placeholder="地区" value=(region);
        datalist id="f-regions" { @for r in &f.regions { option value=(r) {} } }
        @if !bad.is_empty() {
            p class="warn" id="year-error" {
                "年度“" (bad.join("，")) "”无法识别，未按它筛选；年度写作数字，如 2023 或 2023,2024"
                " (not a year; write 2023 or 2023,2024)"
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ChildrenQuery {
    #[serde(default)]
    parent: String,
}

/// `GET /api/divisions?parent=CODE`: the divisions one level below (provinces without a
/// parent), each with the number of the corpus's agencies in it.
pub async fn api_children(
    State(st): State<Shared>,
    _s: Session,
    Query(q): Query<ChildrenQuery>,
) -> Result<Json<serde_json::Value>, Fail> {
    let parent = clean(&q.parent);
    let all = nianbao_division::all();
    if !parent.is_empty() && all.get(&parent).is_none() {
        return Err(Fail::not_found().api());
    }
    let counts = counts(&st).await.map_err(Fail::api)?;
    let children: Vec<_> = all
        .children(&parent)
        .iter()
        .map(|d| json!({ "code": d.code, "name": d.name, "level": d.level().as_zh(), "agencies": counts.get(d.code).copied().unwrap_or(0) }))
        .collect();
    Ok(Json(json!({
        "parent": parent,
        "path": path_of(&parent),
        "source": nianbao_division::SOURCE,
        "children": children,
    })))
}

/// The agency page's section on where it sits, with the choice for a person when the
/// name is shared by several divisions.
pub fn section(id: i64, place: &Place, s: &Session) -> Markup {
    let how = place.how.map_or("未定位", Settled::as_zh);
    html! {
        p id="division" {
            "行政区划："
            @if let Some(code) = &place.code {
                a href={ "/?division=" (code) } { (path_of(code)) } "（" (code) "，" (how) "）"
            } @else {
                (how)
            }
        }
        @if s.user.role >= Role::Reviewer {
            details open[!place.choices.is_empty()] {
                summary { "指定行政区划" }
                form method="post" action={ "/agencies/" (id) "/division" } class="card narrow" id="division-form" {
                    (csrf_input(s))
                    @if !place.choices.is_empty() {
                        p { "同名区划，请选择：" }
                        div class="choices" {
                            @for c in &place.choices {
                                button name="code" value=(c) class="choice" { (path_of(c)) }
                            }
                        }
                    }
                    label {
                        "区划代码 "
                        input name="code" id="division-code" placeholder="如 330226" inputmode="numeric";
                    }
                    button id="division-save" { "保存" }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct DivisionForm {
    csrf: String,
    #[serde(default)]
    code: String,
}

/// `POST /agencies/{id}/division`: a reviewer decides where an agency sits.
pub async fn set(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<DivisionForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Reviewer)?;
    let code = clean(&f.code);
    st.with(move |store| store.set_division(id, &code)).await?;
    Ok(Redirect::to(&format!("/agencies/{id}")))
}
