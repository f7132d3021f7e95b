//! 新建年报: a form for the current template — narrative sections and the three tables —
//! checked as the user types (the rules of `nianbao check`), last year's 结转 prefilled from
//! the corpus, rendered to DOCX/PDF/HTML, and submitted into the corpus through the same
//! read–extract–check path as any uploaded file.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::{csrf_input, frame};
use crate::report::script_json;
use crate::state::Shared;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use maud::{html, Markup, PreEscaped};
use nianbao_corpus::review::Role;
use nianbao_corpus::store::Filter;
use nianbao_model::Rule;
use nianbao_model::{Finding, Num, Report, Section, Severity, Template, COLUMNS};
use nianbao_render::doc::{document, Block, Table, HEADINGS};
use nianbao_render::html::{rows as table_rows, Td};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    year: Option<i32>,
}

/// A field of the posted form, trimmed ("" when absent).
fn field(fields: &[(String, String)], k: &str) -> String {
    fields
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// A blank report of `year` with the form's agency and narrative sections (`s1`…`s6`).
fn base_report(fields: &[(String, String)], year: i32) -> Report {
    let mut r = Report::new(Template::for_year(year));
    r.year = Some(year);
    r.agency = Some(field(fields, "agency")).filter(|a| !a.is_empty());
    for (n, title) in HEADINGS.iter().enumerate() {
        let text = field(fields, &format!("s{}", n + 1));
        if !text.is_empty() {
            r.sections.push(Section {
                number: n as u8 + 1,
                title: title.to_string(),
                text,
            });
        }
    }
    r
}

/// A cell's value as typed (`None`: blank), or why the cell cannot hold it, in words:
/// not a number, negative outside 本年增/减, a fraction of a count, more than two decimals
/// of 万元, beyond 10^12.
fn cell_value(key: &str, typed: &str) -> Result<Option<Num>, String> {
    let t = typed.trim();
    let Ok(value) = crate::report::parse_value(t) else {
        return Err(format!("“{t}”不是数字"));
    };
    let Some(n) = value else { return Ok(None) };
    let kind = nianbao_model::ValueKind::of(key);
    if let Some((zh, _)) = kind.refuse(n.as_f64()) {
        return Err(zh);
    }
    let decimals = t.split_once('.').map_or(0, |(_, f)| f.len());
    if kind == nianbao_model::ValueKind::Money && decimals > 2 {
        return Err(format!("{t} 有 {decimals} 位小数，金额（万元）最多两位"));
    }
    Ok(Some(n))
}

/// The report the form describes (fields `agency`, `year`, `s1`…`s6`, `v:KEY`), and every
/// cell that cannot hold what was typed in it (key, why).
fn from_fields(fields: &[(String, String)]) -> Result<(Report, BTreeMap<String, String>), Fail> {
    let get = |k: &str| field(fields, k);
    let year: i32 = get("year")
        .parse()
        .map_err(|_| Fail::bad("请填写年度 (year required)"))?;
    if !(2019..=2100).contains(&year) {
        return Err(Fail::bad(
            "年度应为 2019 年以后 (the form is for 2019 and later)",
        ));
    }
    let mut r = base_report(fields, year);
    let published = get("published");
    if !published.is_empty() {
        r.published = Some(
            nianbao_model::Date::try_from(published.clone()).map_err(|_| {
                Fail::bad(format!(
                    "成文日期 {published:?} 应为 YYYY-MM-DD 的日期 (the date must be YYYY-MM-DD)"
                ))
            })?,
        );
    }
    let mut bad = BTreeMap::new();
    for (name, value) in fields {
        let Some(key) = name.strip_prefix("v:") else {
            continue;
        };
        if !r.cells.contains_key(key) {
            return Err(Fail::bad(format!(
                "{key} 不是本模板的单元格 (not a cell of the template)"
            )));
        }
        match cell_value(key, value) {
            Ok(v) => {
                r.set(key, v);
            }
            Err(why) => {
                bad.insert(key.to_string(), why);
            }
        }
    }
    r.tables = vec!["二".into(), "三".into(), "四".into()];
    Ok((r, bad))
}

/// Every refused cell named in words with its reason, one sentence.
fn refusal(r: &Report, bad: &BTreeMap<String, String>) -> String {
    let each: Vec<String> = bad
        .iter()
        .map(|(k, why)| format!("{}：{why}", crate::report::cell_label(r, k)))
        .collect();
    format!(
        "有 {} 个单元格无法保存，已标出，请改正后再提交：{}",
        bad.len(),
        each.join("；")
    )
}

/// The official tables print 0 where there was nothing: a cell left blank in the form is
/// 0 in the report stored and rendered (a blank cell would read back as missing). Returns
/// how many were blank.
fn blanks_as_zero(r: &mut Report) -> usize {
    let mut n = 0;
    for cell in r.cells.values_mut().filter(|c| c.value.is_none()) {
        cell.value = Some(Num::Int(0));
        n += 1;
    }
    n
}

/// The report as the form describes it, blank cells 0 (the official files print 0 where
/// nothing happened); a cell that cannot hold what was typed refuses it.
fn report_of(fields: &[(String, String)]) -> Result<Report, Fail> {
    let (mut r, bad) = from_fields(fields)?;
    if !bad.is_empty() {
        return Err(Fail::bad(refusal(&r, &bad)));
    }
    blanks_as_zero(&mut r);
    Ok(r)
}

/// Last year's 结转下年度 of the agency, as this year's 上年结转.
async fn prefill(st: &Shared, r: &mut Report) -> Result<Option<i32>, Fail> {
    let (Some(agency), Some(year)) = (r.agency.clone(), r.year) else {
        return Ok(None);
    };
    let filter = Filter {
        name: Some(agency),
        years: vec![year - 1],
        ..Filter::default()
    };
    let last = st
        .with(move |s| {
            let (_, list) = s.list(&filter, 0, 1)?;
            match list.first() {
                Some(x) => s.report(x.id),
                None => Ok(None),
            }
        })
        .await?;
    let Some(last) = last else { return Ok(None) };
    for c in COLUMNS {
        r.set(
            &format!("t3.carried_in.{c}"),
            last.report.value(&format!("t3.carried_over.{c}")),
        );
    }
    // 现行有效件数 (2021 format) start from last year's.
    for key in ["t2.regulation.in_force", "t2.normative.in_force"] {
        if r.cells.contains_key(key) && last.report.cells.contains_key(key) {
            r.set(key, last.report.value(key));
        }
    }
    Ok(last.report.year)
}

/// `bad`: cells refused, with the reason (marked, the reason as their title).
fn form_tables(
    r: &Report,
    raw: &BTreeMap<String, String>,
    bad: &BTreeMap<String, String>,
) -> Markup {
    html! {
        @for b in document(r) {
            @match b {
                Block::Heading(h) => {
                    @let n = HEADINGS.iter().position(|x| *x == h).map_or(0, |i| i + 1);
                    @let text = r
                        .sections
                        .iter()
                        .find(|s| s.number as usize == n)
                        .map_or("", |s| s.text.as_str());
                    h3 { (h) }
                    textarea name={ "s" (n) } rows="3" class="prose" { (text) }
                },
                Block::Table(t) => (inputs_table(&t, raw, bad)),
                _ => {},
            }
        }
    }
}

/// A template table drawn by render's row walker, each value cell an input holding the
/// value as typed (`raw`) or as the report has it.
fn inputs_table(
    t: &Table,
    raw: &BTreeMap<String, String>,
    bad: &BTreeMap<String, String>,
) -> Markup {
    let mut rows = String::new();
    table_rows(&mut rows, &t.rows, |_, c| match &c.key {
        Some(k) => Td::markup(
            html! {
                input name={ "v:" (k) } data-key=(k) value=(raw.get(k).unwrap_or(&c.text))
                    inputmode="decimal" size="5"
                    class=[bad.contains_key(k).then_some("bad")]
                    title=[bad.get(k)]
                    aria-invalid=[bad.contains_key(k).then_some("true")];
            }
            .into_string(),
        ),
        None => Td::text(&c.text).attr("class", "l"),
    });
    html! { table class="tpl form" { tbody { (PreEscaped(rows)) } } }
}

pub async fn page(
    State(st): State<Shared>,
    s: Session,
    Query(mut q): Query<NewQuery>,
) -> Result<Html<String>, Fail> {
    s.require_filer()?;
    // An agency composes for itself (the form opens on its own agency whatever was asked).
    if let Some((_, name)) = s.filing_for(&q.agency).or_else(|_| s.filing_for(""))? {
        q.agency = name;
    }
    let year = q.year.unwrap_or(2025).clamp(2019, 2100);
    let mut r = Report::new(Template::for_year(year));
    r.year = Some(year);
    r.agency = Some(q.agency.trim().to_string()).filter(|a| !a.is_empty());
    let from = prefill(&st, &mut r).await?;
    let note = html! {
        @if let Some(y) = from {
            p class="ok" id="prefilled" {
                "“二、上年结转”已按 " (y) " 年报告的“结转下年度继续办理”预填，“现行有效件数”已按 "
                (y) " 年报告预填（请按本年制发、废止件数更新）。"
            }
        } @else {
            p class="muted" { "填写机构名称和年度后点“载入”，可按语料库中上一年度报告预填“上年结转”。" }
        }
    };
    // Today in China Standard Time, as the date the report is signed.
    let today = nianbao_corpus::review::beijing_today();
    let body = compose_html(
        &s,
        &r,
        &q.agency,
        note,
        &today.to_string(),
        &BTreeMap::new(),
        &BTreeMap::new(),
    );
    Ok(Html(frame("新建年报", Some(&s), body)))
}

/// The form for report `r`: `raw` holds cells as typed where that differs from `r` (a value
/// the server refused, shown again as typed).
fn compose_html(
    s: &Session,
    r: &Report,
    agency: &str,
    note: Markup,
    published: &str,
    raw: &BTreeMap<String, String>,
    bad: &BTreeMap<String, String>,
) -> Markup {
    let year = r.year.unwrap_or(2025);
    let filer = s.user.role == Role::Agency;
    let title = format!("{agency}{year}年政府信息公开工作年度报告");
    html! {
        h1 { "新建年报 · " (r.template.name_zh()) }
        form method="get" action="/new" class="filters" {
            @if filer {
                select name="agency" id="new-agency" {
                    @for (_, n) in &s.user.agencies {
                        option value=(n) selected[n == agency] { (n) }
                    }
                }
            } @else {
                input name="agency" id="new-agency" placeholder="机构名称" value=(agency);
            }
            input name="year" id="new-year" size="6" value=(year);
            button id="load" { "载入" }
        }
        (note)
        div class="split" {
            form method="post" action="/new/submit" id="compose" {
                (csrf_input(s))
                input type="hidden" name="agency" value=(agency);
                input type="hidden" name="year" value=(year);
                (form_tables(r, raw, bad))
                p { label { "成文日期 " input type="date" name="published" id="published" value=(published) required; } }
                @if filer {
                    p class="confirm" {
                        label {
                            input type="checkbox" name="confirm" value="1" id="confirm" required;
                            " 确认报送：" b { "《" (title) "》" }
                            "（正文六部分和表二、表三、表四，按本页所填）将报送审核，审核通过后按此公开。"
                        }
                    }
                }
                p class="actions" {
                    button formaction="/new/render?to=docx" id="to-docx" { "下载 DOCX" } " "
                    button formaction="/new/render?to=pdf" id="to-pdf" { "下载 PDF" } " "
                    button id="submit" { @if filer { "报送" } @else { "提交入库" } }
                }
            }
            aside { h2 { "实时核对" } ul class="findings" id="live-findings" {} }
        }
        script type="application/json" id="template" {
            (PreEscaped(script_json(&serde_json::json!({ "template": r.template.as_str() }))))
        }
        script src="/assets/compose.js" {}
    }
}

/// The form as posted, as far as it can be read, and every cell as typed: for showing a
/// refused form again.
fn as_typed(fields: &[(String, String)]) -> (Report, BTreeMap<String, String>, String) {
    let get = |k: &str| field(fields, k);
    let year = get("year").parse().unwrap_or(2025).clamp(2019, 2100);
    let mut r = base_report(fields, year);
    let mut raw = BTreeMap::new();
    for (name, value) in fields {
        if let Some(key) = name.strip_prefix("v:") {
            raw.insert(key.to_string(), value.clone());
            if let Ok(v) = crate::report::parse_value(value) {
                r.set(key, v);
            }
        }
    }
    (r, raw, get("published"))
}

#[derive(Deserialize)]
pub struct CheckBody {
    year: i32,
    #[serde(default)]
    values: serde_json::Map<String, serde_json::Value>,
}

/// The findings of `nianbao check` for the tables as typed (sections are not required
/// while typing, so section and table-presence findings are left out).
pub async fn check(_s: Session, Json(b): Json<CheckBody>) -> Result<Json<serde_json::Value>, Fail> {
    let mut fields = vec![("year".to_string(), b.year.to_string())];
    for (k, v) in b.values {
        let text = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        };
        fields.push((format!("v:{k}"), text));
    }
    let (r, bad) = from_fields(&fields).map_err(Fail::api)?;
    let total = r.cells.len();
    let blank = r.cells.values().filter(|c| c.value.is_none()).count() - bad.len();
    let mut findings: Vec<_> = nianbao_check::findings(&r)
        .into_iter()
        .filter(|f| {
            !matches!(
                f.rule.family(),
                "section" | "table" | "narrative" | "publish"
            )
        })
        .collect();
    // Cells that cannot hold what was typed, each named.
    for (key, why) in &bad {
        findings.insert(
            0,
            Finding::new(
                Rule::FormInvalid,
                Severity::Error,
                format!("{}：{why}", crate::report::cell_label(&r, key)),
                format!("{key}: cannot hold what was typed"),
                vec![key.clone()],
            ),
        );
    }
    // Say what the checks saw.
    if blank + bad.len() == total {
        findings.insert(
            0,
            Finding::new(
                Rule::FormEmpty,
                Severity::Warning,
                "表格尚未填写，不能提交",
                "nothing typed yet: it cannot be submitted",
                Vec::new(),
            ),
        );
    } else if let Some(f) = blanks(&r, false) {
        findings.push(f);
    }
    Ok(Json(serde_json::json!({ "findings": findings })))
}

/// The warning for cells left blank: stored blank (not 0), the report is not clean until
/// someone says there were no cases (0) or fills them. `named`: the finding names the cells
/// (the stored report's; while typing, marking every blank input would drown the rest).
fn blanks(r: &Report, named: bool) -> Option<Finding> {
    let keys: Vec<String> = r
        .cells
        .iter()
        .filter(|(_, c)| c.value.is_none())
        .map(|(k, _)| k.to_string())
        .collect();
    (!keys.is_empty()).then(|| {
        Finding::new(
            Rule::FormBlank,
            Severity::Warning,
            format!(
                "{} 个单元格未填写，按空白保存（没有发生的事项请填 0）",
                keys.len()
            ),
            format!(
                "{} cells left blank are stored blank (type 0 where there were no cases)",
                keys.len()
            ),
            if named { keys } else { Vec::new() },
        )
    })
}

#[derive(Deserialize)]
pub struct To {
    to: String,
}

fn csrf_of(s: &Session, fields: &[(String, String)]) -> Result<(), Fail> {
    s.check_csrf(
        fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str()),
    )
}

pub async fn render(
    s: Session,
    Query(t): Query<To>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, Fail> {
    csrf_of(&s, &fields)?;
    s.require_filer()?;
    s.filing_for(&field(&fields, "agency"))?;
    let r = report_of(&fields)?;
    let name = format!(
        "{}{}年政府信息公开工作年度报告",
        r.agency.clone().unwrap_or_default(),
        r.year.unwrap_or(0)
    );
    let (ty, ext, bytes) = match t.to.as_str() {
        "html" => (
            "text/html; charset=utf-8",
            "html",
            nianbao_render::to_html(&r).into_bytes(),
        ),
        "docx" | "pdf" => {
            let pdf = t.to == "pdf";
            let bytes = tokio::task::spawn_blocking(move || {
                if pdf {
                    nianbao_render::to_pdf(&r)
                } else {
                    nianbao_render::to_docx(&r)
                }
            })
            .await
            .map_err(|_| Fail::internal("render"))?
            .map_err(|e| Fail::internal(&e.to_string()))?;
            if pdf {
                ("application/pdf", "pdf", bytes)
            } else {
                (
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "docx",
                    bytes,
                )
            }
        }
        _ => return Err(Fail::bad("to 应为 html、docx 或 pdf")),
    };
    let disposition = format!(
        "attachment; filename=\"report.{ext}\"; filename*=UTF-8''{}.{ext}",
        crate::pages::url(&name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, ty.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// Stores the report as typed (no render and read back: a digit in the prose could move a
/// cell), after every check; refused with every bad cell marked and named, or when nothing
/// was typed.
pub async fn submit(
    State(st): State<Shared>,
    s: Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, Fail> {
    csrf_of(&s, &fields)?;
    s.require_filer()?;
    let filer = s.filing_for(&field(&fields, "agency"))?;
    // Refused: the form again as typed, every refused cell marked, the reasons above it.
    let refuse = |status, message: String, bad: &BTreeMap<String, String>| {
        let (r, raw, published) = as_typed(&fields);
        let note = html! { p class="error" id="form-error" { (message) } };
        let agency = r.agency.clone().unwrap_or_default();
        let body = compose_html(&s, &r, &agency, note, &published, &raw, bad);
        Ok((status, Html(frame("新建年报", Some(&s), body))).into_response())
    };
    let none = BTreeMap::new();
    let (r, bad) = match from_fields(&fields) {
        Ok(x) => x,
        Err(e) if e.status.is_client_error() => return refuse(e.status, e.message, &none),
        Err(e) => return Err(e),
    };
    let bad_request = axum::http::StatusCode::BAD_REQUEST;
    if !bad.is_empty() {
        return refuse(bad_request, refusal(&r, &bad), &bad);
    }
    if r.cells.values().all(|c| c.value.is_none()) {
        let why = "表格尚未填写，不能提交：没有发生的事项请填 0 (nothing typed: type 0 where there were no cases)";
        return refuse(bad_request, why.to_string(), &none);
    }
    // An agency says what it sends, and when it was signed.
    if filer.is_some() {
        if r.published.is_none() {
            let why = "请填写成文日期 (the date the report was signed is required)";
            return refuse(bad_request, why.to_string(), &none);
        }
        if field(&fields, "confirm") != "1" {
            let why = "请勾选“确认报送” (confirm what will be published)";
            return refuse(bad_request, why.to_string(), &none);
        }
    }
    let filer = filer.map(|(id, _)| id);
    // Stored as typed: blank stays blank, 0 stays 0. The official page's text is its
    // source, for people to read and search.
    let page = nianbao_render::to_html(&r);
    let text = nianbao_read::read_bytes(page.as_bytes())
        .map(|src| src.text)
        .unwrap_or_default();
    let name = format!(
        "新建/{}{}年",
        r.agency.clone().unwrap_or_default(),
        r.year.unwrap_or(0)
    );
    let form = blanks(&r, true).into_iter().collect();
    let parsed = nianbao_corpus::ingest::typed(&name, r, text, form);
    let user = s.user.name.clone();
    let id = st
        .with(move |store| {
            store.hold_reviewed(true);
            store.added_by(Some(&user));
            store.filed_by_agency(filer);
            let saved = store.save(&parsed);
            store.hold_reviewed(false);
            store.added_by(None);
            store.filed_by_agency(None);
            saved?;
            store.refresh_cross()?;
            let rows = store.conn().query(
                "SELECT id FROM reports WHERE hash = $1",
                &[parsed.hash.as_str().into()],
            )?;
            Ok(rows.first().and_then(|r| r.int(0)).unwrap_or(0))
        })
        .await?;
    Ok(Redirect::to(&format!("/reports/{id}")).into_response())
}
