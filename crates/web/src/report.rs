//! The report page: tables drawn like the template beside the source text, findings with
//! their proposed fixes, corrections and acceptances with their history; and one agency's
//! reports year by year.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::{csrf_input, frame, when};
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup, PreEscaped};
use nianbao_corpus::review::{finding_key, Change, Role, Version};
use nianbao_corpus::store::{Filter, Stored};
use nianbao_corpus::workflow::{Comment, Decision, Review, Step};
use nianbao_model::{Finding, Num, Report, Severity, Template};
use nianbao_render::doc::{document, Block, Role as CellRole, Table};
use nianbao_render::html::{rows as table_rows, Td};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Everything the report page and `/api/reports/{id}` show.
pub struct Loaded {
    pub stored: Stored,
    pub source: String,
    pub accepted: Vec<String>,
    pub history: Vec<Change>,
    /// Every version of this agency-year, oldest first.
    pub versions: Vec<Version>,
    /// Cells whose value differs from the version before: (key, before, now).
    pub diff: Vec<(String, Option<String>, Option<String>)>,
    pub review: Review,
    /// Every review decision, oldest first.
    pub decisions: Vec<Decision>,
    /// The review decisions on the other versions of this agency-year, with their version.
    pub other_decisions: Vec<(i64, Decision)>,
    pub comments: Vec<Comment>,
    /// The 审查意见书 taken for this version, oldest first.
    pub letters: Vec<nianbao_corpus::filers::Letter>,
    /// Reviewers' changes so far: a change from a page at another revision is refused.
    pub rev: i64,
    /// Who may be assigned the report.
    pub reviewers: Vec<String>,
    /// The file as published is kept, and what of its pages can be shown.
    pub original: Option<Kept>,
}

/// A kept original, by what its pages are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// A born-digital PDF: its own pages.
    Pdf,
    /// A scanned PDF or an image (PNG, JPEG, TIFF): its pages straightened as OCR read
    /// them, and the cells as read.
    Scan,
    /// A Word file: the pages LibreOffice lays out (rendered on first view, then kept).
    Word,
    /// A web page: its tables as published, the clicked cell marked.
    Html,
    /// OFD: downloaded only.
    Other,
}

impl Kept {
    fn of(format: &str) -> Kept {
        match format {
            "pdf" => Kept::Pdf,
            "pdf-ocr" | "image-ocr" => Kept::Scan,
            "docx" | "doc" => Kept::Word,
            "html" => Kept::Html,
            _ => Kept::Other,
        }
    }
}

pub async fn load(st: &Shared, id: i64) -> Result<Loaded, Fail> {
    st.with(move |s| {
        let Some(mut stored) = s.report(id)? else {
            return Ok(None);
        };
        // A Word report's cells get their boxes on its rendering once one was made.
        if let Some(boxes) = s.rendered_boxes(id)? {
            nianbao_corpus::rendering::attach(&mut stored.report, &boxes);
        }
        let source = s.source(id)?.unwrap_or_default();
        let accepted = s.accepted(id)?;
        let history = s.history(id)?;
        let versions = s.versions(id)?;
        // A held version against the current one it waits beside; any other against the
        // version it followed (held versions never made current passed over).
        let held = versions.iter().any(|v| v.id == id && v.held);
        let before = if held {
            versions.iter().find(|v| v.current).map(|v| v.id)
        } else {
            versions
                .iter()
                .filter(|v| v.version < stored.version && !v.held)
                .max_by_key(|v| v.version)
                .map(|v| v.id)
        };
        let diff = match before.map(|b| s.report(b)).transpose()?.flatten() {
            Some(b) => stored
                .report
                .cells
                .keys()
                .filter_map(|k| {
                    let (was, now) = (b.report.value(k), stored.report.value(k));
                    // 空 and 0 both say "no cases": not a change a person needs to see.
                    let none = |v: Option<Num>| v.is_none_or(|n| n.as_f64() == 0.0);
                    (was != now && !(none(was) && none(now))).then(|| {
                        (
                            k.to_string(),
                            was.map(|v| v.to_string()),
                            now.map(|v| v.to_string()),
                        )
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        let review = s.review(id)?;
        let decisions = s.decisions(id)?;
        let mut other_decisions = Vec::new();
        for v in versions.iter().filter(|v| v.id != id) {
            other_decisions.extend(s.decisions(v.id)?.into_iter().map(|d| (v.version, d)));
        }
        let comments = s.comments(id)?;
        let letters = s.letters(id)?;
        let rev = s.revision(id)?;
        // Kept files, and whether they are PDFs (read as `pdf` or `pdf-ocr`).
        let original = s
            .conn()
            .query(
                "SELECT r.format FROM originals o JOIN reports r ON r.id = o.report_id WHERE o.report_id = $1",
                &[id.into()],
            )?
            .first()
            .map(|r| Kept::of(r.str(0)));
        let reviewers = s
            .accounts()?
            .into_iter()
            .filter(|(u, off)| !off && u.role >= Role::Reviewer)
            .map(|(u, _)| u.name)
            .collect();
        Ok(Some(Loaded {
            stored,
            source,
            accepted,
            history,
            versions,
            diff,
            review,
            decisions,
            other_decisions,
            comments,
            letters,
            rev,
            reviewers,
            original,
        }))
    })
    .await?
    .ok_or_else(Fail::not_found)
}

/// A cell as people read it: its place in the template (`表三 / （二）部分公开 / 法人或其他组织 /
/// 商业企业`), or the key when the template has no such cell.
pub fn cell_label(r: &Report, key: &str) -> String {
    nianbao_model::cell_label(r.template, key)
}

/// What a change in the history did, in words: the cell and its values, or the finding
/// accepted (its message while the report still has it, else its rule and cells).
pub fn describe(stored: &Stored, c: &Change) -> String {
    if c.kind == "accept" {
        let finding = stored.findings.iter().find(|f| finding_key(f) == c.key);
        return match (&c.new, finding) {
            (Some(message), _) => format!("按原样接受问题：{message}"),
            (None, Some(f)) => format!("按原样接受问题：{}", f.message_zh),
            // Accepted before the message was kept, and gone since.
            (None, None) => {
                let (rule, cells) = c.key.split_once('|').unwrap_or((c.key.as_str(), ""));
                let cells: Vec<String> = cells
                    .split_whitespace()
                    .map(|k| cell_label(&stored.report, k))
                    .collect();
                format!("按原样接受问题：{rule}（{}）", cells.join("；"))
            }
        };
    }
    format!(
        "{}：{} → {}",
        cell_label(&stored.report, &c.key),
        c.old.as_deref().unwrap_or("空"),
        c.new.as_deref().unwrap_or("空")
    )
}

/// One thing that happened to a report, for its timeline.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Event {
    /// China Standard Time (`2026-12-07T10:00:00+08:00`): the events sort by it.
    pub at: String,
    /// Who; empty when nianbao does not know (a file added by a command-line ingest).
    pub user: String,
    pub what: String,
    pub why: String,
    /// Within one second: the version it belongs to, then the order it was recorded in.
    #[serde(skip)]
    order: (i64, usize),
}

/// Everything that happened to the report and its versions, newest first: each version's
/// arrival (held ones marked), this version's corrections, acceptances and comments (those
/// of a version before come along with it), every version's review decisions with their
/// reasons.
pub fn timeline(l: &Loaded) -> Vec<Event> {
    let this = l.stored.version;
    let event = |at: &str, user: &str, what: String, why: &str, order| Event {
        at: at.to_string(),
        user: user.to_string(),
        what,
        why: why.to_string(),
        order,
    };
    let mut out: Vec<Event> = Vec::new();
    for v in &l.versions {
        let file = nianbao_corpus::export::file_name(&v.path);
        let held = if v.held { "（待确认）" } else { "" };
        let what = format!("第 {} 版入库：{file}{held}", v.version);
        let by = v.added_by.as_deref().unwrap_or("");
        out.push(event(&v.at, by, what, "", (v.version, 0)));
    }
    // The history comes newest first.
    for (i, c) in l.history.iter().rev().enumerate() {
        out.push(event(
            &c.at,
            &c.user,
            describe(&l.stored, c),
            &c.reason,
            (this, 1 + i),
        ));
    }
    let own = l.decisions.iter().map(|d| (this, d));
    let others = l.other_decisions.iter().map(|(v, d)| (*v, d));
    for (i, (v, d)) in own.chain(others).enumerate() {
        let what = match &d.assignee {
            Some(a) => format!("第 {v} 版审核状态：{}（审核人 {a}）", d.state.name_zh()),
            None => format!("第 {v} 版审核状态：{}", d.state.name_zh()),
        };
        let why = d.reason.as_deref().unwrap_or("");
        out.push(event(&d.at, &d.user, what, why, (v, 10_000 + i)));
    }
    for (i, letter) in l.letters.iter().enumerate() {
        let kind = letter.format.to_uppercase();
        let what = if letter.role == Role::Agency {
            format!("报送单位取阅审查意见书（{kind}）")
        } else {
            format!("生成审查意见书（{kind}）")
        };
        out.push(event(
            &letter.at,
            &letter.user,
            what,
            "",
            (this, 40_000 + i),
        ));
    }
    for (i, c) in l.comments.iter().enumerate() {
        let cell = cell_label(&l.stored.report, &c.key);
        let said = if c.reply_to.is_some() {
            "回复评论"
        } else {
            "评论"
        };
        let what = format!("{said} {cell}：{}", c.body);
        out.push(event(&c.at, &c.user, what, "", (this, 20_000 + i)));
        if let Some((who, at)) = &c.resolved {
            let what = format!("评论已解决 {cell}：{}", c.body);
            out.push(event(at, who, what, "", (this, 30_000 + i)));
        }
    }
    out.sort_by(|a, b| (&b.at, b.order).cmp(&(&a.at, a.order)));
    out
}

/// `GET /reports/{id}/timeline`: the report's timeline as a CSV file (Excel reads it: byte
/// order mark, Chinese headers), newest first as on the page.
pub async fn timeline_csv(
    State(st): State<Shared>,
    _s: Session,
    Path(id): Path<i64>,
) -> Result<Response, Fail> {
    let l = load(&st, id).await?;
    let rows = timeline(&l)
        .into_iter()
        .map(|e| vec![when(&e.at), e.user, e.what, e.why]);
    crate::export::csv_download(
        &format!("timeline-{id}.csv"),
        &["时间", "用户", "事件", "理由"],
        rows,
    )
}

/// Evidence positions as UTF-16 offsets into the source (what the page's script indexes).
pub fn evidence_json(r: &Report, source: &str) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for (key, cell) in &r.cells {
        let Some(e) = &cell.evidence else { continue };
        let (a, b) = (
            e.offset.min(source.len()),
            (e.offset + e.len).min(source.len()),
        );
        if !source.is_char_boundary(a) || !source.is_char_boundary(b) {
            continue;
        }
        let start = source[..a].encode_utf16().count();
        let end = start + source[a..b].encode_utf16().count();
        out.insert(
            key.to_string(),
            serde_json::json!({ "start": start, "end": end, "raw": e.raw, "line": e.line, "confidence": e.confidence, "place": e.place }),
        );
    }
    serde_json::Value::Object(out)
}

/// JSON safe inside a `<script>` element.
pub fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn flagged(findings: &[Finding], accepted: &[String]) -> BTreeMap<String, Severity> {
    let mut m = BTreeMap::new();
    for f in findings
        .iter()
        .filter(|f| !accepted.contains(&finding_key(f)))
    {
        for c in &f.cells {
            let e = m.entry(c.clone()).or_insert(f.severity);
            if f.severity == Severity::Error {
                *e = Severity::Error;
            }
        }
    }
    m
}

/// A template table with each value cell clickable (its key and value as data) and marked
/// when a finding names it.
/// A template table with its value cells clickable: each carries its key, value and its
/// place in the template in words (`data-label`, the title people see).
pub fn table_html(t: &Table, template: Template, flags: &BTreeMap<String, Severity>) -> Markup {
    let mut rows = String::new();
    table_rows(&mut rows, &t.rows, |_, c| match (&c.key, c.role) {
        (Some(k), CellRole::Value) => {
            let class = match flags.get(k) {
                Some(Severity::Error) => "v err",
                Some(_) => "v warn",
                None => "v",
            };
            Td::text(&c.text)
                .attr("class", class)
                .attr("data-key", k)
                .attr("data-value", &c.text)
                .attr("tabindex", "0")
                .attr("data-label", &nianbao_model::cell_label(template, k))
                .attr("title", &nianbao_model::cell_label(template, k))
        }
        _ => Td::text(&c.text).attr("class", "l"),
    });
    // render's row walker escapes each cell it writes.
    html! { table class="tpl" { tbody { (PreEscaped(rows)) } } }
}

fn finding_html(f: &Finding, i: usize, accepted: bool, s: &Session, id: i64, rev: i64) -> Markup {
    let (class, name) = match f.severity {
        Severity::Error => ("err", "错误"),
        Severity::Warning => ("warn", "警告"),
        Severity::Info => ("info", "提示"),
    };
    let key = finding_key(f);
    let reviewer = s.user.role >= Role::Reviewer;
    // One button per other reading the row allows (the first is the one shown).
    let choices = if !accepted && reviewer && f.alternatives.len() > 1 {
        &f.alternatives[1..]
    } else {
        &[]
    };
    html! {
        li class={ (class) @if accepted { " accepted" } } id={ "finding-" (i) } data-rule=(f.rule.id()) {
            span class={ "badge " (class) } { (name) }
            " " (f.message_zh)
            @if let Some(x) = &f.fix {
                " "
                button type="button" class="fix" data-key=(x.key) data-value=(x.value) {
                    "建议：" (x.key) " 改为 " (x.value)
                }
            }
            @for (k, alt) in choices.iter().enumerate() {
                form method="post" action={ "/reports/" (id) "/choose" } class="inline choose" {
                    (csrf_input(s))
                    input type="hidden" name="finding" value=(key);
                    input type="hidden" name="index" value=(k + 1);
                    input type="hidden" name="rev" value=(rev);
                    button class="alternative" {
                        "改用 "
                        @for (n, v) in alt.iter().enumerate() {
                            @if n > 0 { "|" }
                            @if v.is_empty() { "—" } @else { (v) }
                        }
                    }
                }
            }
            @if accepted {
                " " span class="badge ok" { "已确认无误" }
            } @else if reviewer {
                form method="post" action={ "/reports/" (id) "/accept" } class="inline accept" {
                    (csrf_input(s))
                    input type="hidden" name="finding" value=(key);
                    input type="hidden" name="rev" value=(rev);
                    input name="reason" placeholder="理由" required;
                    button { "按原样接受" }
                }
            }
        }
    }
}

pub async fn page(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Html<String>, Fail> {
    render_page(&st, &s, id, None).await
}

/// A correction the server refused, shown again in its form with the reason, so nothing
/// typed is lost.
pub struct Draft {
    pub key: String,
    pub value: String,
    pub reason: String,
    pub problem: String,
}

async fn render_page(
    st: &Shared,
    s: &Session,
    id: i64,
    draft: Option<Draft>,
) -> Result<Html<String>, Fail> {
    let l = load(st, id).await?;
    let r = &l.stored.report;
    let flags = flagged(&l.stored.findings, &l.accepted);
    let agency = if l.stored.agency.is_empty() {
        "（机构不详）"
    } else {
        l.stored.agency.as_str()
    };
    let title = format!(
        "{agency} {}",
        r.year.map_or(String::new(), |y| format!("{y}年"))
    );
    let reviewer = s.user.role >= Role::Reviewer;
    // An agency sees what the letter asks of it, not nianbao's reading doubts.
    let filer = s.user.role == Role::Agency;
    let shown: Vec<(usize, &Finding)> = l
        .stored
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| !filer || f.rule.for_agency())
        .collect();
    let typed = |f: fn(&Draft) -> &str| draft.as_ref().map_or("", f);
    // Open doubts of the reading: the letter leaves them out, the reviewer settles them.
    let reading_doubts = l
        .stored
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info && !f.rule.for_agency())
        .filter(|f| !l.accepted.contains(&finding_key(f)))
        .count();
    let body = html! {
        h1 { (title) }
        (versions_html(&l, s))
        (workflow_html(&l, s, id))
        p class="meta" {
            (r.template.name_zh()) " · 第 " (l.stored.version) " 版 · " (nianbao_corpus::export::file_name(&l.stored.path))
            @if let (Some(a), false) = (l.stored.agency_id, filer) {
                " · " a href={ "/agencies/" (a) } id="series" { "历年对比" }
            }
            " · 生成 " a href={ "/reports/" (id) "/render?to=docx" } { "DOCX" }
            " " a href={ "/reports/" (id) "/render?to=html" } { "HTML" }
            @if !filer {
                " · 导出数据 " a id="export-xlsx" href={ "/export?id=" (id) "&format=xlsx" } { "XLSX" }
                " " a id="export-csv" href={ "/export?id=" (id) "&format=csv" } { "CSV" }
                " " a href={ "/export?id=" (id) "&format=csv&shape=long" } { "CSV（逐格）" }
            }
            " · 审查意见书 " a id="letter-docx" href={ "/reports/" (id) "/letter?to=docx" } { "DOCX" }
            " " a href={ "/reports/" (id) "/letter?to=pdf" } { "PDF" }
            @if reading_doubts > 0 && !filer {
                " " span id="letter-note" class="note" {
                    "（另有识别存疑 " (reading_doubts) " 项，只供审查人员核对，不写入审查意见书）"
                }
            }
        }
        div class="split" {
            section class="tables" id="tables" {
                @for b in document(r) {
                    @match b {
                        Block::Heading(h) if ["二", "三", "四", "附件"].iter().any(|p| h.starts_with(p)) => {
                            h3 { (h) }
                        },
                        Block::Table(t) => (table_html(&t, r.template, &flags)),
                        _ => {},
                    }
                }
            }
            aside {
                h2 { "原文" }
                p id="evidence-info" class="muted" { "点击表格中的数字，查看它在原文中的位置。" }
                @if let Some(kept) = l.original { (page_view(kept, id)) }
                pre id="source" { (l.source) }
            }
        }
        h2 { "问题" }
        @if shown.is_empty() {
            p class="ok" id="no-findings" { "没有发现问题。" }
        } @else {
            ul class="findings" id="findings" {
                @for (i, f) in shown {
                    (finding_html(f, i, l.accepted.contains(&finding_key(f)), s, id, l.rev))
                }
            }
        }
        @if filer {
        } @else if reviewer {
            h2 { "修改" }
            form method="post" action={ "/reports/" (id) "/cells" } id="correct" class="card" {
                (csrf_input(s))
                @if let Some(d) = &draft { p class="error" id="form-error" { (d.problem) } }
                // The key travels hidden; people see the cell's place in words.
                input type="hidden" name="key" id="key" value=(typed(|d| &d.key));
                label { "单元格 " input id="key-label" required readonly size="40" placeholder="点击表格中的数字" value=(cell_label(r, typed(|d| &d.key))); }
                label { "新值 " input name="value" id="value" placeholder="留空表示空白" value=(typed(|d| &d.value)); }
                label { "理由 " input name="reason" id="reason" required value=(typed(|d| &d.reason)); }
                input type="hidden" name="rev" value=(l.rev);
                button id="save" { "保存修改" }
            }
        } @else {
            h2 { "修改" }
            p class="muted" { "只读账号不能修改。" }
        }
        h2 { "修改记录" }
        table class="list" id="history" {
            tr { th { "时间" } th { "用户" } th { "修改" } th { "理由" } }
            @for c in &l.history {
                tr {
                    td { (when(&c.at)) }
                    td { (c.user) }
                    td title=(c.key) { (describe(&l.stored, c)) }
                    td { (c.reason) }
                }
            }
        }
        h2 { "时间线 " a class="small" id="timeline-csv" href={ "/reports/" (id) "/timeline" } { "导出 CSV" } }
        table class="list" id="timeline" {
            tr { th { "时间" } th { "用户" } th { "事件" } th { "理由" } }
            @for e in timeline(&l) {
                tr {
                    td { (when(&e.at)) }
                    td { @if e.user.is_empty() { "—" } @else { (e.user) } }
                    td { (e.what) }
                    td { (e.why) }
                }
            }
        }
        // JSON for the scripts, with <, > and & written as \u escapes (script_json).
        script type="application/json" id="evidence" { (PreEscaped(script_json(&evidence_json(r, &l.source)))) }
    };
    Ok(Html(frame(&title, Some(s), body)))
}

/// The kept original beside the source text: its download link, and its pages (PDF, scan,
/// Word) or its tables (web page) for the clicked cell to be shown on.
fn page_view(kept: Kept, id: i64) -> Markup {
    html! {
        p { a id="original" href={ "/reports/" (id) "/original" } { "下载原件" } }
        @match kept {
            Kept::Pdf | Kept::Scan | Kept::Word => {
                div id="page-view" class="page-view" data-report=(id) data-dpi=(PAGE_DPI)
                    data-rendering=[(kept == Kept::Word).then_some("1")]
                    data-scan=[(kept == Kept::Scan).then_some("1")] hidden {
                    p class="zoom" {
                        button type="button" id="zoom-out" title="缩小" { "−" }
                        button type="button" id="zoom-in" title="放大" { "＋" }
                    }
                    div class="page-frame" {
                        img id="page-img" alt="原件页面";
                        div id="page-box" class="page-box" hidden {}
                    }
                }
                @if kept == Kept::Scan {
                    p id="crop-view" class="crop-view" hidden {
                        "识别所用的单元格图像：" br; img id="cell-crop" alt="单元格图像";
                    }
                }
            },
            Kept::Html => div id="doc-table" class="doc-table" data-report=(id) hidden {},
            Kept::Other => {},
        }
    }
}

/// The review card: state and assignee (a reviewer sets them), the way to the next report
/// to review (key `n`), and the comments on cells with a form to add one.
fn workflow_html(l: &Loaded, s: &Session, id: i64) -> Markup {
    let review = &l.review;
    let reviewer = s.user.role >= Role::Reviewer;
    html! {
        div class="card" id="review" {
            p {
                "审核状态："
                b id="review-state" data-state=(review.state.as_str()) { (review.state.name_zh()) }
                @match &review.assignee {
                    Some(a) => { "，由 " (a) " 审核" },
                    None => "，未指派",
                }
                @if !review.user.is_empty() { "（" (review.user) " 于 " (when(&review.at)) "）" }
                @if let Some(reason) = &review.reason {
                    br;
                    @if review.state == Step::Returned { "退回理由：" } @else { "说明：" }
                    span id="review-reason-shown" { (reason) }
                }
                @if s.user.role != Role::Agency {
                    br;
                    a id="next-link" href={ "/next?after=" (id) } title="快捷键 n" { "下一份待审（有错误）→" }
                }
            }
            @if reviewer {
                form method="post" action={ "/reports/" (id) "/review" } class="inline" id="review-form" {
                    (csrf_input(s))
                    select name="state" id="state" {
                        @for st in [Step::Pending, Step::Approved, Step::Returned] {
                            option value=(st.as_str()) selected[st == review.state] { (st.name_zh()) }
                        }
                    }
                    " "
                    select name="assignee" id="assignee" {
                        option value="" selected[review.assignee.is_none()] { "（未指派）" }
                        @for n in &l.reviewers {
                            option value=(n) selected[review.assignee.as_deref() == Some(n.as_str())] { (n) }
                        }
                    }
                    " "
                    input name="reason" id="review-reason" maxlength="2000" size="40"
                        placeholder="理由（退回时必填，报送单位可见）";
                    " "
                    button id="save-review" { "保存审核状态" }
                }
            }
            @if !l.decisions.is_empty() {
                details id="decisions" open[review.state == Step::Returned] {
                    summary { "审核记录（" (l.decisions.len()) "）" }
                    ol {
                        @for d in l.decisions.iter().rev() {
                            li data-state=(d.state.as_str()) {
                                b { (d.state.name_zh()) }
                                @if let Some(a) = &d.assignee { "，审核人 " (a) }
                                @if let Some(r) = &d.reason { "：" (r) }
                                " " span class="muted" { "— " (d.user) "，" (when(&d.at)) }
                            }
                        }
                    }
                }
            }
            ul class="comments" id="comments" {
                @for c in l.comments.iter().filter(|c| c.reply_to.is_none()) {
                    li data-key=(c.key) id={ "comment-" (c.id) } class=[c.resolved.as_ref().map(|_| "resolved")] {
                        b { (cell_label(&l.stored.report, &c.key)) } "：" (c.body) " "
                        span class="muted" { "— " (c.user) "，" (when(&c.at)) }
                        @if let Some((who, at)) = &c.resolved {
                            " " span class="ok" { "已解决（" (who) "，" (when(at)) "）" }
                        }
                        ul class="replies" {
                            @for r in l.comments.iter().filter(|r| thread_of(&l.comments, r) == Some(c.id)) {
                                li id={ "comment-" (r.id) } {
                                    "回复：" (r.body) " " span class="muted" { "— " (r.user) "，" (when(&r.at)) }
                                }
                            }
                        }
                        @if reviewer {
                            form method="post" action={ "/reports/" (id) "/comments/" (c.id) "/reply" } class="inline reply" {
                                (csrf_input(s))
                                input name="body" required maxlength="2000" placeholder="回复" id={ "reply-body-" (c.id) };
                                " " button id={ "reply-" (c.id) } { "回复" }
                            }
                            @if c.resolved.is_none() {
                                " "
                                form method="post" action={ "/reports/" (id) "/comments/" (c.id) "/resolve" } class="inline" {
                                    (csrf_input(s))
                                    button id={ "resolve-" (c.id) } { "标记已解决" }
                                }
                            }
                        }
                    }
                }
            }
            @if reviewer {
                form method="post" action={ "/reports/" (id) "/comments" } id="comment-form" {
                    (csrf_input(s))
                    input type="hidden" name="key" id="comment-key";
                    input id="comment-key-label" required readonly size="30" placeholder="点击表格中的数字";
                    " "
                    input name="body" id="comment-body" required placeholder="对该单元格的评论";
                    " "
                    button id="add-comment" { "评论" }
                }
            }
        }
    }
}

/// Whether version `c` (the current one) was last decided 退回.
fn current_returned(l: &Loaded, c: &Version) -> bool {
    l.other_decisions
        .iter()
        .rfind(|(v, _)| *v == c.version)
        .is_some_and(|(_, d)| d.state == Step::Returned)
}

/// The versions of this agency-year: a notice on an old one, links to each, and the cells
/// that changed from the version before.
fn versions_html(l: &Loaded, s: &Session) -> Markup {
    if l.versions.len() < 2 {
        return html! {};
    }
    let current = l.versions.iter().find(|v| v.current && v.id != l.stored.id);
    let held = l.versions.iter().any(|v| v.id == l.stored.id && v.held);
    let waiting: Vec<&Version> = l
        .versions
        .iter()
        .filter(|v| v.held && v.id != l.stored.id)
        .collect();
    html! {
        @match (current, held) {
            (Some(c), true) => {
                div class="warn" id="held-version" {
                    p {
                        "此为待确认的新版本（第 " (l.stored.version) " 版）：当前版本 "
                        a href={ "/reports/" (c.id) } { "第 " (c.version) " 版" }
                        " 已审核，在审核人员把本版本设为当前版本之前，它仍是当前版本。"
                    }
                    @if s.user.role >= Role::Reviewer || (s.user.role == Role::Agency && current_returned(l, c)) {
                        form method="post" action={ "/reports/" (l.stored.id) "/current" } class="inline" {
                            (csrf_input(s))
                            button id="make-current" { "设为当前版本" }
                        }
                    }
                }
            },
            (Some(c), false) => {
                p class="warn" id="old-version" {
                    "此为旧版本（第 " (l.stored.version) " 版）。当前为 "
                    a href={ "/reports/" (c.id) } { "第 " (c.version) " 版" }
                    "（" (when(&c.at)) "）。"
                }
            },
            (None, _) => {},
        }
        @if !waiting.is_empty() && !held {
            p class="warn" id="waiting-versions" {
                "有待确认的新版本："
                @for (n, v) in waiting.iter().enumerate() {
                    @if n > 0 { "、" }
                    a href={ "/reports/" (v.id) } { "第 " (v.version) " 版" } "（" (when(&v.at)) "）"
                }
                "，确认前本版本仍为当前版本。"
            }
        }
        p class="meta" id="versions" {
            "版本："
            @for (n, v) in l.versions.iter().enumerate() {
                @if n > 0 { " · " }
                @let label = html! { "第 " (v.version) " 版" @if v.current { "（当前）" } @if v.held { "（待确认）" } };
                @if v.id == l.stored.id {
                    b { (label) }
                } @else {
                    a href={ "/reports/" (v.id) } { (label) }
                }
            }
        }
        @if l.stored.version > 1 {
            @let other = if held { "当前版本" } else { "上一版本" };
            @if l.diff.is_empty() {
                p class="muted" id="diff" { "与" (other) "相比，表格数值没有变化（空白与 0 视为相同）。" }
            } @else {
                details open {
                    summary { "与" (other) "相比变化的单元格（" (l.diff.len()) "，空白与 0 视为相同）" }
                    table class="list" id="diff" {
                        tr { th { "单元格" } th { (other) } th { "本版本" } }
                        @for (k, was, now) in &l.diff {
                            tr {
                                td title=(k) { (cell_label(&l.stored.report, k)) }
                                td { (was.as_deref().unwrap_or("空")) }
                                td { (now.as_deref().unwrap_or("空")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct LetterQuery {
    #[serde(default)]
    to: String,
    /// The office that signs it.
    #[serde(default)]
    office: String,
    /// The filing campaign it answers: its office signs, and a late filing is named.
    #[serde(default)]
    campaign: Option<i64>,
}

/// `GET /reports/{id}/letter?to=docx|pdf&office=…`: 审查意见书 listing the report's open
/// findings (those not accepted as they are), dated today in China Standard Time.
pub async fn letter(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Query(q): Query<LetterQuery>,
) -> Result<Response, Fail> {
    // The report and what was accepted, not the whole page's load.
    let (stored, accepted) = st
        .with(move |s| Ok(s.report(id)?.map(|r| (r, s.accepted(id)))))
        .await?
        .ok_or_else(Fail::not_found)?;
    let accepted = accepted.map_err(Fail::store)?;
    let open: Vec<Finding> = stored
        .findings
        .iter()
        .filter(|f| !accepted.contains(&finding_key(f)))
        .cloned()
        .collect();
    let mut filing = Vec::new();
    let mut office = q.office.trim().to_string();
    if let Some(c) = q.campaign {
        let day = nianbao_corpus::campaigns::today();
        let board = st.with(move |s| s.board(c, &day)).await?;
        if office.is_empty() {
            office = board.campaign.office.clone();
        }
        let entry = board.entries.iter().find(|e| e.report_id == Some(id));
        if let Some(filed) = entry.filter(|e| e.late).and_then(|e| e.filed.as_deref()) {
            filing.push(format!(
                "报告所署日期为 {filed}，晚于《{}》规定的报送截止日期 {}，请今后按时报送。",
                board.campaign.name, board.campaign.deadline
            ));
        }
    }
    if office.is_empty() {
        office = "政务公开办公室".into();
    }
    let today = nianbao_corpus::review::beijing_today();
    let sender = nianbao_render::Sender {
        office,
        date: today,
        filing,
    };
    let pdf = match q.to.as_str() {
        "" | "docx" => false,
        "pdf" => true,
        _ => return Err(Fail::bad("to 应为 docx 或 pdf (to must be docx or pdf)")),
    };
    let report = stored.report;
    let bytes = tokio::task::spawn_blocking(move || {
        if pdf {
            nianbao_render::letter_pdf(&report, &open, &sender)
        } else {
            nianbao_render::letter_docx(&report, &open, &sender)
        }
    })
    .await
    .map_err(|_| Fail::internal("letter"))?
    .map_err(|e| Fail::internal(&e.to_string()))?;
    // Kept in the report's timeline: who took the letter, when.
    let user = s.user.clone();
    let format = if pdf { "pdf" } else { "docx" };
    st.with(move |store| store.record_letter(id, format, &user))
        .await?;
    let (kind, ext) = if pdf {
        ("application/pdf", "pdf")
    } else {
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        )
    };
    let name = format!("{}审查意见", stored.agency);
    let disposition = format!(
        "attachment; filename=\"letter-{id}.{ext}\"; filename*=UTF-8''{}.{ext}",
        crate::pages::url(&name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// Page images are drawn at this resolution; places (PDF points) scale by DPI / 72.
pub const PAGE_DPI: usize = 100;

/// `GET /reports/{id}/original`: the file the report was read from, as published.
pub async fn original(
    State(st): State<Shared>,
    _s: Session,
    Path(id): Path<i64>,
) -> Result<Response, Fail> {
    let (name, bytes) = st
        .with(move |s| s.original(id))
        .await?
        .ok_or_else(Fail::not_found)?;
    let file = name
        .rsplit(['/', '\\', '!'])
        .next()
        .unwrap_or("original")
        .to_string();
    let ext = file.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let kind = match ext.as_str() {
        // A kept web page downloads; it is never shown from this site.
        "htm" | "html" => "application/octet-stream",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc" | "wps" => "application/msword",
        "ofd" => "application/ofd",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "tif" | "tiff" => "image/tiff",
        _ => "application/octet-stream",
    };
    let ascii: String = file
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-' || *c == '_')
        .collect();
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        if ascii.trim_matches('.').is_empty() {
            format!("original.{ext}")
        } else {
            ascii
        },
        crate::pages::url(&file)
    );
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /reports/{id}/pages/{n}`: page n of the original PDF, or of a Word original's
/// rendering, as a PNG at [`PAGE_DPI`].
pub async fn page_image(
    State(st): State<Shared>,
    _s: Session,
    Path((id, n)): Path<(i64, u32)>,
) -> Result<Response, Fail> {
    let (kept, bytes) = kept(&st, id).await?;
    let bytes = match kept {
        Kept::Pdf | Kept::Scan => bytes,
        Kept::Word => rendering(&st, id, bytes).await?.pdf,
        Kept::Html | Kept::Other => return Err(Fail::not_found()),
    };
    let png = tokio::task::spawn_blocking(move || match kept {
        Kept::Scan => nianbao_read::scan_page_png(&bytes, n, PAGE_DPI),
        _ => nianbao_read::page_png(&bytes, n, PAGE_DPI),
    })
    .await
    .map_err(|_| Fail::internal("page"))?
    .map_err(|_| Fail::not_found())?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

#[derive(Deserialize)]
pub struct CellBox {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// `GET /reports/{id}/pages/{n}/cell?x0=…&y0=…&x1=…&y1=…`: the part of a scanned page
/// inside the box (a cell's place), as OCR read it — evened out, straightened, seal cleaned.
pub async fn cell_image(
    State(st): State<Shared>,
    _s: Session,
    Path((id, n)): Path<(i64, u32)>,
    Query(b): Query<CellBox>,
) -> Result<Response, Fail> {
    let (kept, bytes) = kept(&st, id).await?;
    if kept != Kept::Scan {
        return Err(Fail::not_found());
    }
    let png = tokio::task::spawn_blocking(move || {
        nianbao_read::scan_cell_png(&bytes, n, [b.x0, b.y0, b.x1, b.y1])
    })
    .await
    .map_err(|_| Fail::internal("cell image"))?
    .map_err(|_| Fail::not_found())?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// `GET /reports/{id}/tables/{n}`: table n of a web-page original as published, as JSON
/// rows of `{text, rowspan, colspan}` — the cells a place's row and cell index into.
pub async fn html_table(
    State(st): State<Shared>,
    _s: Session,
    Path((id, n)): Path<(i64, u32)>,
) -> Result<Response, Fail> {
    let (kept, bytes) = kept(&st, id).await?;
    if kept != Kept::Html {
        return Err(Fail::not_found());
    }
    let rows = tokio::task::spawn_blocking(move || nianbao_read::html::table_rows(&bytes, n))
        .await
        .map_err(|_| Fail::internal("table"))?
        .ok_or_else(Fail::not_found)?;
    let rows: Vec<Vec<serde_json::Value>> = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(text, rowspan, colspan)| {
                    serde_json::json!({ "text": text, "rowspan": rowspan, "colspan": colspan })
                })
                .collect()
        })
        .collect();
    Ok(axum::Json(rows).into_response())
}

/// A report's kept original and what its pages are.
async fn kept(st: &Shared, id: i64) -> Result<(Kept, Vec<u8>), Fail> {
    st.with(move |s| {
        let format = s
            .conn()
            .query("SELECT format FROM reports WHERE id = $1", &[id.into()])?
            .first()
            .map(|r| Kept::of(r.str(0)));
        Ok(format.zip(s.original(id)?.map(|(_, bytes)| bytes)))
    })
    .await?
    .ok_or_else(Fail::not_found)
}

/// `GET /reports/{id}/rendering`: the boxes of a Word report's cells on the pages
/// LibreOffice lays out (`{key: {page, x0, y0, x1, y1}}`), rendering them on first request.
pub async fn rendered_boxes(
    State(st): State<Shared>,
    _s: Session,
    Path(id): Path<i64>,
) -> Result<Response, Fail> {
    let (_, bytes) = st
        .with(move |s| s.original(id))
        .await?
        .ok_or_else(Fail::not_found)?;
    rendering(&st, id, bytes).await?;
    let l = load(&st, id).await?;
    let boxes: BTreeMap<&str, nianbao_model::PageBox> = l
        .stored
        .report
        .cells
        .iter()
        .filter_map(|(k, c)| match c.evidence.as_ref()?.place? {
            nianbao_model::Place::Cell { rendered, .. } => Some((k, rendered?)),
            _ => None,
        })
        .collect();
    Ok(axum::Json(boxes).into_response())
}

/// A Word original's rendering: the kept one, else made now (LibreOffice, seconds) and kept.
async fn rendering(
    st: &Shared,
    id: i64,
    original: Vec<u8>,
) -> Result<nianbao_corpus::rendering::Rendering, Fail> {
    if nianbao_corpus::rendering::word(&original).is_none() {
        return Err(Fail::not_found());
    }
    if let Some(r) = st.with(move |s| s.rendering(id)).await? {
        return Ok(r);
    }
    let made = tokio::task::spawn_blocking(move || nianbao_corpus::rendering::render(&original))
        .await
        .map_err(|_| Fail::internal("rendering"))?
        .map_err(|e| {
            Fail::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                format!("未能把原件排版成页面 (could not lay the file out as pages): {e}"),
            )
        })?;
    let kept = made.clone();
    st.with(move |s| s.keep_rendering(id, &kept)).await?;
    Ok(made)
}

/// A report rendered as its official HTML page: its own inline styles apply (the app's
/// policy allows only styles from this server), nothing else runs.
pub fn rendered_page(html: String) -> Response {
    (
        [(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
        )],
        Html(html),
    )
        .into_response()
}

/// A value typed by a person: blank, an integer, or a decimal.
pub fn parse_value(s: &str) -> Result<Option<Num>, Fail> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(i) = t.parse::<i64>() {
        return Ok(Some(Num::Int(i)));
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Some(Num::Dec(f))),
        _ => Err(Fail::bad(format!("“{t}”不是数字 (not a number)"))),
    }
}

#[derive(Deserialize)]
pub struct CorrectForm {
    csrf: String,
    key: String,
    value: String,
    reason: String,
    /// The revision the page was loaded at (see `Store::revision`).
    #[serde(default)]
    rev: Option<i64>,
}

pub async fn correct(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<CorrectForm>,
) -> Result<Response, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Reviewer)?;
    let user = s.user.name.clone();
    let (key, reason, rev) = (f.key.clone(), f.reason.clone(), f.rev);
    let done = match parse_value(&f.value) {
        Ok(value) => {
            st.with(move |store| {
                store.check_revision(id, rev)?;
                store.correct(id, key.trim(), value, &reason, &user)
            })
            .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/reports/{id}")).into_response()),
        // Refused: the page again, the form as typed, the reason above it.
        Err(e) if e.status.is_client_error() => {
            let draft = Draft {
                key: f.key,
                value: f.value,
                reason: f.reason,
                problem: e.message.clone(),
            };
            let html = render_page(&st, &s, id, Some(draft)).await?;
            Ok((e.status, html).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct AcceptForm {
    csrf: String,
    finding: String,
    reason: String,
    #[serde(default)]
    rev: Option<i64>,
}

pub async fn accept(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<AcceptForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Reviewer)?;
    let user = s.user.name.clone();
    st.with(move |store| {
        store.check_revision(id, f.rev)?;
        store.accept(id, &f.finding, &f.reason, &user)
    })
    .await?;
    Ok(Redirect::to(&format!("/reports/{id}")))
}

#[derive(Deserialize)]
pub struct ChooseForm {
    csrf: String,
    finding: String,
    index: usize,
    #[serde(default)]
    rev: Option<i64>,
}

/// `POST /reports/{id}/choose`: one click on a reading of an ambiguous row.
pub async fn choose(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<ChooseForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Reviewer)?;
    let user = s.user.name.clone();
    st.with(move |store| {
        store.check_revision(id, f.rev)?;
        store.choose(id, &f.finding, f.index, &user)
    })
    .await?;
    Ok(Redirect::to(&format!("/reports/{id}")))
}

#[derive(Deserialize)]
pub struct ReviewForm {
    csrf: String,
    state: String,
    #[serde(default)]
    assignee: String,
    /// Why (a 退回 needs it).
    #[serde(default)]
    reason: String,
    /// Where to go afterwards: a campaign's board (`/campaigns/N`), else the report.
    #[serde(default)]
    back: String,
}

/// Parses a review state and assignee as a person gave them.
pub fn review_of(state: &str, assignee: &str) -> Result<(Step, Option<String>), Fail> {
    let step = Step::parse(state.trim())
        .ok_or_else(|| Fail::bad("审核状态应为 pending、approved 或 returned (state must be pending, approved or returned)"))?;
    let who = Some(assignee.trim().to_string()).filter(|a| !a.is_empty());
    Ok((step, who))
}

pub async fn set_review(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Reviewer)?;
    let (step, who) = review_of(&f.state, &f.assignee)?;
    let user = s.user.name.clone();
    let reason = f.reason;
    st.with(move |store| store.set_review(id, step, who.as_deref(), Some(&reason), &user))
        .await?;
    let board = f
        .back
        .strip_prefix("/campaigns/")
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    match board {
        Some(n) => Ok(Redirect::to(&format!("/campaigns/{n}"))),
        None => Ok(Redirect::to(&format!("/reports/{id}"))),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /reports/{id}/current`: a held version (a new file for a reviewed report) becomes
/// the current report of its agency and year.
pub async fn make_current(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    if s.user.role == Role::Agency {
        // An agency replaces a returned report with its new version; a report accepted
        // (已审) or not yet decided stays until a reviewer decides.
        let returned = st
            .with(move |store| {
                let versions = store.versions(id)?;
                let held = versions.iter().any(|v| v.id == id && v.held);
                match versions.iter().find(|v| v.current) {
                    Some(c) if held => Ok(store.review(c.id)?.state == Step::Returned),
                    _ => Ok(false),
                }
            })
            .await?;
        if !returned {
            return Err(Fail::new(
                axum::http::StatusCode::FORBIDDEN,
                "报送单位只能用新版本替换被退回的报告；其他情况由审核人员确认 (an agency makes its new version current only over a returned one)",
            ));
        }
    } else {
        s.require(Role::Reviewer)?;
    }
    let user = s.user.name.clone();
    st.with(move |store| store.make_current(id, &user)).await?;
    Ok(Redirect::to(&format!("/reports/{id}")))
}

#[derive(Deserialize)]
pub struct CommentForm {
    csrf: String,
    key: String,
    body: String,
}

pub async fn comment(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Reviewer)?;
    let user = s.user.name.clone();
    st.with(move |store| store.comment(id, f.key.trim(), &f.body, &user))
        .await?;
    Ok(Redirect::to(&format!("/reports/{id}")))
}

/// The first comment of the thread a reply belongs to (replies to replies included);
/// `None` for a first comment.
pub fn thread_of(all: &[Comment], c: &Comment) -> Option<i64> {
    let mut at = c.reply_to?;
    // Bounded: a thread cannot be longer than the comments.
    for _ in 0..all.len() {
        match all.iter().find(|x| x.id == at).and_then(|x| x.reply_to) {
            Some(up) => at = up,
            None => return Some(at),
        }
    }
    Some(at)
}

#[derive(Deserialize)]
pub struct ReplyForm {
    csrf: String,
    #[serde(default)]
    body: String,
}

/// `POST /reports/{id}/comments/{c}/reply` and `…/resolve`: answer a comment, or mark its
/// thread settled.
pub async fn comment_action(
    State(st): State<Shared>,
    s: Session,
    Path((id, c, what)): Path<(i64, i64, String)>,
    Form(f): Form<ReplyForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Reviewer)?;
    let user = s.user.name.clone();
    match what.as_str() {
        "reply" => {
            st.with(move |store| store.reply(id, c, &f.body, &user))
                .await?
        }
        "resolve" => st.with(move |store| store.resolve(id, c, &user)).await?,
        _ => return Err(Fail::not_found()),
    }
    Ok(Redirect::to(&format!("/reports/{id}#comment-{c}")))
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    after: i64,
}

/// `/next?after=ID`: the next report with errors not yet approved, or the list when none is.
pub async fn next(
    State(st): State<Shared>,
    _s: Session,
    Query(q): Query<NextQuery>,
) -> Result<Redirect, Fail> {
    let found = st.with(move |store| store.next_to_review(q.after)).await?;
    Ok(Redirect::to(&match found {
        Some(id) => format!("/reports/{id}"),
        None => "/?status=errors".to_string(),
    }))
}

#[derive(Deserialize)]
pub struct RenderQuery {
    to: String,
}

pub async fn render(
    State(st): State<Shared>,
    _s: Session,
    Path(id): Path<i64>,
    Query(q): Query<RenderQuery>,
) -> Result<Response, Fail> {
    let l = load(&st, id).await?;
    let r = l.stored.report;
    match q.to.as_str() {
        "html" => Ok(rendered_page(nianbao_render::to_html(&r))),
        "docx" => {
            let bytes = tokio::task::spawn_blocking(move || nianbao_render::to_docx(&r))
                .await
                .map_err(|_| Fail::internal("render"))?
                .map_err(|e| Fail::internal(&e.to_string()))?;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                            .to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"report-{id}.docx\""),
                    ),
                ],
                bytes,
            )
                .into_response())
        }
        _ => Err(Fail::bad("to 应为 html 或 docx (to must be html or docx)")),
    }
}

/// The current reports of an agency, oldest first.
pub async fn series(st: &Shared, agency: i64) -> Result<Vec<Stored>, Fail> {
    st.with(move |s| {
        let mut out = Vec::new();
        s.each_report(
            &Filter {
                agency_id: Some(agency),
                ..Filter::default()
            },
            &mut |r| {
                out.push(r);
                Ok(())
            },
        )?;
        Ok(out)
    })
    .await
}

/// Year-over-year page: every key of the agency's templates as a row, a column per year,
/// the cells of carry-over breaks and other cross-year findings marked.
pub async fn agency(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Html<String>, Fail> {
    let list = series(&st, id).await?;
    if list.is_empty() {
        return Err(Fail::not_found());
    }
    let name = list.last().map(|r| r.agency.clone()).unwrap_or_default();
    let mut keys: Vec<&'static str> = Vec::new();
    for t in Template::all().into_iter().rev() {
        if list.iter().any(|r| r.report.template == t) {
            for k in nianbao_model::keys_for(t) {
                if !keys.contains(k) {
                    keys.push(k);
                }
            }
        }
    }
    let marked: Vec<BTreeSet<String>> = list
        .iter()
        .map(|r| {
            r.findings
                .iter()
                .filter(|f| f.rule.family() == "cross")
                .flat_map(|f| f.cells.iter().cloned())
                .collect()
        })
        .collect();
    let label = |k: &str| {
        nianbao_model::key_def(
            list.last().map_or(Template::Y2021, |r| r.report.template),
            k,
        )
        .or_else(|| {
            list.iter()
                .find_map(|r| nianbao_model::key_def(r.report.template, k))
        })
        .map_or(k.to_string(), |d| d.label_path.to_string())
    };
    let shown = |r: &Stored, k: &str| {
        if r.report.cells.contains_key(k) {
            r.report.value(k).map_or(String::new(), |v| v.to_string())
        } else {
            "·".into()
        }
    };
    let cross: Vec<(&Stored, &Finding)> = list
        .iter()
        .flat_map(|r| {
            r.findings
                .iter()
                .filter(|f| f.rule.family() == "cross")
                .map(move |f| (r, f))
        })
        .collect();
    let place = st.with(move |store| store.place(id)).await?;
    let body = html! {
        h1 { (name) " · 历年对比" }
        (crate::regions::section(id, &place, &s))
        p { a href={ "/agencies/" (id) "/narrative" } id="narrative-link" { "正文逐年对比" } }
        @if cross.is_empty() {
            p class="ok" { "历年数据衔接无问题。" }
        } @else {
            ul id="cross" {
                @for (r, f) in &cross {
                    li class="err" { (r.report.year.unwrap_or(0)) "年：" (f.message_zh) }
                }
            }
        }
        table class="list series" id="series-table" {
            tr {
                th { "项目" }
                @for r in &list {
                    th { a href={ "/reports/" (r.id) } { (r.report.year.map_or("—".into(), |y| y.to_string())) } }
                }
            }
            @for k in &keys {
                tr {
                    th title=(k) { (label(k)) }
                    @for (r, m) in list.iter().zip(&marked) {
                        td class=[m.contains(*k).then_some("err")] { (shown(r, k)) }
                    }
                }
            }
        }
    };
    Ok(Html(frame(&name, Some(&s), body)))
}
