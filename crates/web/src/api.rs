//! The JSON API under `/api/`: everything the pages do. A session cookie signs in; every
//! request that changes something carries the session's CSRF token in `X-CSRF-Token`.
//! Without a session the answer is 401.

use crate::auth::Session;
use crate::fail::Fail;
use crate::pages::{ListQuery, PAGE};
use crate::report::{self, parse_value};
use crate::state::Shared;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use nianbao_corpus::export::file_name;
use nianbao_corpus::review::{finding_key, Role, Version};
use nianbao_corpus::stats::By;
use serde::Deserialize;
use serde_json::{json, Value};

type Api = Result<Json<Value>, Fail>;

pub(crate) fn csrf(s: &Session, h: &HeaderMap) -> Result<(), Fail> {
    let given = h
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    s.check_csrf(given).map_err(Fail::api)
}

pub async fn me(s: Session) -> Api {
    Ok(Json(
        json!({ "name": s.user.name, "role": s.user.role.as_str(), "csrf": s.csrf }),
    ))
}

pub async fn reports(State(st): State<Shared>, s: Session, Query(q): Query<ListQuery>) -> Api {
    if let Some(cursor) = &q.cursor {
        // Keyset paging: newest id first, the next page after the last id given.
        let before = match cursor.trim() {
            "" => None,
            c => Some(c.parse::<i64>().map_err(|_| {
                Fail::bad(format!(
                    "cursor 应为上一页给出的 next_cursor，不是 {c:?} (bad cursor)"
                ))
                .api()
            })?),
        };
        let per_page = q.per_page.unwrap_or(PAGE);
        if !(1..=1000).contains(&per_page) {
            return Err(Fail::bad(
                "per_page 应在 1 到 1000 之间 (per_page out of range)".to_string(),
            )
            .api());
        }
        let filter = q.filter_for(&s.user.name);
        let rows = st
            .with(move |s| s.list_after(&filter, before, per_page))
            .await
            .map_err(Fail::api)?;
        let next = (rows.len() as i64 == per_page)
            .then(|| rows.last().map(|r| r.id.to_string()))
            .flatten();
        return Ok(Json(
            json!({ "per_page": per_page, "reports": rows, "next_cursor": next }),
        ));
    }
    let page = q.page.unwrap_or(1).max(1);
    let filter = q.filter_for(&s.user.name);
    let (total, rows) = st
        .with(move |s| s.list(&filter, (page - 1) * PAGE, PAGE))
        .await
        .map_err(Fail::api)?;
    Ok(Json(
        json!({ "total": total, "page": page, "per_page": PAGE, "reports": rows }),
    ))
}

pub async fn report(State(st): State<Shared>, _s: Session, Path(id): Path<i64>) -> Api {
    let l = report::load(&st, id).await.map_err(Fail::api)?;
    let findings: Vec<Value> = l
        .stored
        .findings
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
            v["key"] = json!(finding_key(f));
            v["accepted"] = json!(l.accepted.contains(&finding_key(f)));
            v
        })
        .collect();
    let mut v = nianbao_model::json::to_json(file_name(&l.stored.path), "", &l.stored.report, &[]);
    v["id"] = json!(l.stored.id);
    v["agency_id"] = json!(l.stored.agency_id);
    v["agency"] = json!(l.stored.agency);
    v["version"] = json!(l.stored.version);
    v["findings"] = Value::Array(findings);
    // Names only: where the server keeps files is not for its users.
    let versions: Vec<Version> = l
        .versions
        .iter()
        .cloned()
        .map(|mut x| {
            x.path = file_name(&x.path).to_string();
            x
        })
        .collect();
    v["versions"] = json!(versions);
    v["review"] = json!(l.review);
    v["decisions"] = json!(l.decisions);
    v["timeline"] = json!(report::timeline(&l));
    v["comments"] = json!(l.comments);
    v["rev"] = json!(l.rev);
    v["changed_from_previous"] = l
        .diff
        .iter()
        .map(|(k, was, now)| json!({ "key": k, "previous": was, "value": now }))
        .collect();
    // Each change with what it did in words (`what`) and, for a correction, the cell's
    // place in the template (`label`).
    v["history"] = l
        .history
        .iter()
        .map(|c| {
            let mut h = json!(c);
            h["what"] = json!(report::describe(&l.stored, c));
            if c.kind == "correct" {
                h["label"] = json!(report::cell_label(&l.stored.report, &c.key));
            }
            h
        })
        .collect();
    v.as_object_mut().map(|o| o.remove("format"));
    Ok(Json(v))
}

pub async fn source(State(st): State<Shared>, _s: Session, Path(id): Path<i64>) -> Api {
    let text = st
        .with(move |s| s.source(id))
        .await
        .map_err(Fail::api)?
        .ok_or_else(|| Fail::not_found().api())?;
    Ok(Json(json!({ "text": text })))
}

#[derive(Deserialize)]
pub struct Correction {
    key: String,
    /// A number, a numeric string, or null for a blank cell.
    value: Value,
    reason: String,
    /// The report's `rev` the change was made on: refused (409) when it has moved on.
    #[serde(default)]
    rev: Option<i64>,
}

pub async fn correct(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Path(id): Path<i64>,
    Json(c): Json<Correction>,
) -> Api {
    csrf(&s, &h)?;
    s.require(Role::Reviewer).map_err(Fail::api)?;
    let value = match &c.value {
        Value::Null => None,
        Value::String(t) => parse_value(t).map_err(Fail::api)?,
        Value::Number(n) => parse_value(&n.to_string()).map_err(Fail::api)?,
        _ => return Err(Fail::bad("value 应为数字或 null (value must be a number or null)").api()),
    };
    let user = s.user.name.clone();
    let findings = st
        .with(move |store| {
            store.check_revision(id, c.rev)?;
            store.correct(id, c.key.trim(), value, &c.reason, &user)
        })
        .await
        .map_err(Fail::api)?;
    Ok(Json(json!({ "findings": findings })))
}

#[derive(Deserialize)]
pub struct Acceptance {
    finding: String,
    reason: String,
    #[serde(default)]
    rev: Option<i64>,
}

pub async fn accept(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Path(id): Path<i64>,
    Json(a): Json<Acceptance>,
) -> Api {
    csrf(&s, &h)?;
    s.require(Role::Reviewer).map_err(Fail::api)?;
    let user = s.user.name.clone();
    st.with(move |store| {
        store.check_revision(id, a.rev)?;
        store.accept(id, &a.finding, &a.reason, &user)
    })
    .await
    .map_err(Fail::api)?;
    Ok(Json(json!({ "accepted": true })))
}

#[derive(Deserialize)]
pub struct Choice {
    finding: String,
    index: usize,
    #[serde(default)]
    rev: Option<i64>,
}

/// Picks one of the readings of an ambiguous row (`alternatives` of a finding).
pub async fn choose(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Path(id): Path<i64>,
    Json(c): Json<Choice>,
) -> Api {
    csrf(&s, &h)?;
    s.require(Role::Reviewer).map_err(Fail::api)?;
    let user = s.user.name.clone();
    let report = st
        .with(move |store| {
            store.check_revision(id, c.rev)?;
            store.choose(id, &c.finding, c.index, &user)?;
            store.report(id)
        })
        .await
        .map_err(Fail::api)?;
    let values = report.map_or(Value::Null, |r| {
        nianbao_model::json::to_json(file_name(&r.path), "", &r.report, &[])["values"].clone()
    });
    Ok(Json(json!({ "chosen": true, "values": values })))
}

#[derive(Deserialize)]
pub struct ReviewBody {
    state: String,
    #[serde(default)]
    assignee: Option<String>,
    /// Why (a 退回 needs it).
    #[serde(default)]
    reason: Option<String>,
}

pub async fn set_review(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Path(id): Path<i64>,
    Json(b): Json<ReviewBody>,
) -> Api {
    csrf(&s, &h)?;
    s.require(Role::Reviewer).map_err(Fail::api)?;
    let (step, who) =
        report::review_of(&b.state, b.assignee.as_deref().unwrap_or("")).map_err(Fail::api)?;
    let user = s.user.name.clone();
    let review = st
        .with(move |store| {
            store.set_review(id, step, who.as_deref(), b.reason.as_deref(), &user)?;
            store.review(id)
        })
        .await
        .map_err(Fail::api)?;
    Ok(Json(json!({ "review": review })))
}

/// `POST /api/reports/{id}/current`: a held version becomes the current report.
pub async fn make_current(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Path(id): Path<i64>,
) -> Api {
    csrf(&s, &h)?;
    s.require(Role::Reviewer).map_err(Fail::api)?;
    let user = s.user.name.clone();
    let versions = st
        .with(move |store| {
            store.make_current(id, &user)?;
            store.versions(id)
        })
        .await
        .map_err(Fail::api)?;
    Ok(Json(json!({ "versions": versions })))
}

#[derive(Deserialize)]
pub struct CommentBody {
    /// The cell (a first comment).
    #[serde(default)]
    key: String,
    body: String,
    /// The comment answered (a reply; its cell is that comment's).
    #[serde(default)]
    reply_to: Option<i64>,
}

pub async fn comment(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Path(id): Path<i64>,
    Json(b): Json<CommentBody>,
) -> Api {
    csrf(&s, &h)?;
    s.require(Role::Reviewer).map_err(Fail::api)?;
    let user = s.user.name.clone();
    let comments = st
        .with(move |store| {
            match b.reply_to {
                Some(to) => store.reply(id, to, &b.body, &user)?,
                None => store.comment(id, b.key.trim(), &b.body, &user)?,
            }
            store.comments(id)
        })
        .await
        .map_err(Fail::api)?;
    Ok(Json(json!({ "comments": comments })))
}

/// `POST /api/reports/{id}/comments/{c}/resolve`: marks a comment's thread settled.
pub async fn resolve(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    Path((id, c)): Path<(i64, i64)>,
) -> Api {
    csrf(&s, &h)?;
    s.require(Role::Reviewer).map_err(Fail::api)?;
    let user = s.user.name.clone();
    let comments = st
        .with(move |store| {
            store.resolve(id, c, &user)?;
            store.comments(id)
        })
        .await
        .map_err(Fail::api)?;
    Ok(Json(json!({ "comments": comments })))
}

pub async fn agencies(State(st): State<Shared>, _s: Session) -> Api {
    let list = st.with(|s| s.agencies()).await.map_err(Fail::api)?;
    let rows: Vec<Value> = list
        .iter()
        .map(|a| json!({ "id": a.id, "name": a.name, "region": a.region, "level": a.level, "reports": a.reports, "years": a.years, "aliases": a.aliases,
            "division": a.division, "division_path": a.division.as_deref().map(nianbao_corpus::divisions::path_of), "division_how": a.division_how }))
        .collect();
    Ok(Json(json!({ "agencies": rows })))
}

pub async fn series(State(st): State<Shared>, _s: Session, Path(id): Path<i64>) -> Api {
    let list = report::series(&st, id).await.map_err(Fail::api)?;
    let rows: Vec<Value> = list
        .iter()
        .map(|r| {
            let mut v =
                nianbao_model::json::to_json(file_name(&r.path), "", &r.report, &r.findings);
            v["id"] = json!(r.id);
            if let Some(o) = v.as_object_mut() {
                o.remove("evidence");
                o.remove("sections");
                o.remove("format");
            }
            v
        })
        .collect();
    Ok(Json(json!({ "agency_id": id, "reports": rows })))
}

#[derive(Deserialize)]
pub struct StatsQuery {
    #[serde(default)]
    by: String,
    #[serde(flatten)]
    filter: ListQuery,
}

pub async fn stats(State(st): State<Shared>, _s: Session, Query(q): Query<StatsQuery>) -> Api {
    let by = match q.by.as_str() {
        "" => By::All,
        other => By::parse(other).ok_or_else(|| {
            Fail::bad(
                "by 应为 all、year、region、province、city、county、township、level 或 template",
            )
            .api()
        })?,
    };
    let f = q.filter.filter();
    let groups = st.with(move |s| s.stats(by, &f)).await.map_err(Fail::api)?;
    Ok(Json(json!({ "groups": groups })))
}

pub async fn upload(
    State(st): State<Shared>,
    s: Session,
    h: HeaderMap,
    mp: Multipart,
) -> Result<axum::response::Response, Fail> {
    csrf(&s, &h)?;
    s.require(Role::Reviewer).map_err(Fail::api)?;
    crate::jobs::upload_and_wait(&st, mp, &s).await
}

/// The OpenAPI 3.1 description of this API.
pub async fn openapi() -> Json<Value> {
    let templates: Vec<&str> = nianbao_model::Template::all()
        .into_iter()
        .map(|t| t.as_str())
        .collect();
    let id =
        json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }]);
    let list_params = json!([
        "q", "text", "region", "division", "level", "year", "template", "status", "review",
        "campaign", "mine", "page", "cursor", "per_page"
    ]
    .iter()
    .map(|n| json!({ "name": n, "in": "query", "required": false, "schema": { "type": "string" } }))
    .collect::<Vec<_>>());
    let ok = |d: &str| json!({ "200": { "description": d, "content": { "application/json": {} } }, "401": { "description": "未登录 (no session)" } });
    let write = |d: &str| json!({ "200": { "description": d }, "400": { "description": "输入有误" }, "401": { "description": "未登录" }, "403": { "description": "角色不允许或 CSRF 令牌不对" } });
    Json(json!({
        "openapi": "3.1.0",
        "info": { "title": "nianbao API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "政府信息公开工作年度报告语料库 API。登录后使用会话 cookie；修改类请求须带 X-CSRF-Token 头（见 /api/me）。" },
        "components": { "securitySchemes": {
            "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::COOKIE },
            "csrf": { "type": "apiKey", "in": "header", "name": "X-CSRF-Token" },
            "bearer": { "type": "http", "scheme": "bearer", "description": "API 令牌（/account 或 POST /api/tokens 生成）；用令牌时不需要 CSRF 令牌" } },
          "schemas": {
            "Finding": { "type": "object", "required": ["rule", "severity", "message_zh", "message_en", "cells"], "properties": {
                "rule": { "type": "string", "description": "规则编号，如 identity.t3_total、extract.ambiguous_placement" },
                "severity": { "type": "string", "enum": ["error", "warning", "info"] },
                "message_zh": { "type": "string" }, "message_en": { "type": "string" },
                "cells": { "type": "array", "items": { "type": "string", "description": "单元格 key（keys.tsv）" } },
                "key": { "type": "string", "description": "接受该问题时使用的 key" },
                "accepted": { "type": "boolean" } } },
            "Summary": { "type": "object", "properties": {
                "id": { "type": "integer" }, "agency_id": { "type": ["integer", "null"] }, "agency": { "type": "string" },
                "region": { "type": "string" }, "level": { "type": "string" }, "year": { "type": ["integer", "null"] },
                "template": { "type": "string", "enum": templates }, "version": { "type": "integer" },
                "errors": { "type": "integer" }, "warnings": { "type": "integer" } } },
            "ReportList": { "type": "object", "description": "page=N: 按年度排序、含总数；cursor=（空或上一页的 next_cursor）：按编号从新到旧的键集分页，不计总数 (keyset paging by id, no count)", "properties": {
                "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" },
                "next_cursor": { "type": ["string", "null"], "description": "cursor 分页的下一页；null 表示已到末尾" },
                "reports": { "type": "array", "items": { "$ref": "#/components/schemas/Summary" } } } },
            "Review": { "type": "object", "properties": {
                "state": { "type": "string", "enum": ["pending", "approved", "returned"], "description": "待审、已审、退回" },
                "assignee": { "type": ["string", "null"] }, "user": { "type": "string" },
                "at": { "type": "string", "format": "date-time", "description": "ISO 8601，北京时间 +08:00" } } },
            "Change": { "type": "object", "properties": {
                "id": { "type": "integer" }, "kind": { "type": "string", "enum": ["correct", "accept"] }, "key": { "type": "string" },
                "old": { "type": ["string", "null"] }, "new": { "type": ["string", "null"] }, "reason": { "type": "string" },
                "user": { "type": "string" }, "at": { "type": "string", "format": "date-time" },
                "what": { "type": "string", "description": "这次修改的中文说明" }, "label": { "type": "string" } } },
            "Job": { "type": "object", "properties": {
                "job": { "type": "integer" }, "url": { "type": "string" }, "done": { "type": "boolean" }, "user": { "type": "string" },
                "at": { "type": "string", "format": "date-time" },
                "files": { "type": "array", "items": { "type": "object", "properties": {
                    "file": { "type": "string" },
                    "stage": { "type": "string", "enum": ["queued", "reading", "stored", "failed"] },
                    "message": { "type": "string" }, "report": { "type": ["integer", "null"] } } } } } },
            "Error": { "type": "object", "required": ["error"], "properties": {
                "error": { "type": "string", "description": "中文说明（英文在括号中）" } } } } },
        "security": [{ "session": [] }, { "bearer": [] }],
        "paths": {
            "/api/me": { "get": { "summary": "当前用户、角色和 CSRF 令牌", "responses": ok("user") } },
            "/api/reports": { "get": { "summary": "报告列表（筛选、分页，每页 50 份）", "parameters": list_params, "responses": { "200": { "description": "报告列表", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ReportList" } } } }, "401": { "description": "未登录", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
            "/api/reports/{id}": { "get": { "summary": "一份报告：全部单元格、证据、问题（含是否已接受）、修改记录", "parameters": id, "responses": ok("report") } },
            "/api/reports/{id}/source": { "get": { "summary": "证据偏移所指的原文", "parameters": id, "responses": ok("{text}") } },
            "/api/reports/{id}/cells": { "post": { "summary": "修改一个单元格（审核员），立即重新核对", "parameters": id, "security": [{ "session": [], "csrf": [] }],
                "requestBody": { "content": { "application/json": { "schema": { "type": "object", "required": ["key", "value", "reason"],
                    "properties": { "key": { "type": "string" }, "value": { "type": ["number", "string", "null"] }, "reason": { "type": "string" },
                        "rev": { "type": "integer", "description": "打开页面时报告的 rev；报告已被他人修改时返回 409" } } } } } },
                "responses": write("{findings}") } },
            "/api/reports/{id}/choose": { "post": { "summary": "选用歧义行的另一种读法（审核员）：finding 为问题的 key，index 为其 alternatives 的序号（0 为提取结果）；不同的单元格按更正记入历史，问题标为已确认", "parameters": id, "security": [{ "session": [], "csrf": [] }],
                "requestBody": { "content": { "application/json": { "schema": { "type": "object", "required": ["finding", "index"],
                    "properties": { "finding": { "type": "string" }, "index": { "type": "integer", "minimum": 0 }, "rev": { "type": "integer" } } } } } },
                "responses": write("{chosen, values}") } },
            "/api/reports/{id}/accept": { "post": { "summary": "按原样接受一条问题（审核员）", "parameters": id, "security": [{ "session": [], "csrf": [] }],
                "requestBody": { "content": { "application/json": { "schema": { "type": "object", "required": ["finding", "reason"],
                    "properties": { "finding": { "type": "string", "description": "问题的 key（见报告的 findings）" }, "reason": { "type": "string" },
                        "rev": { "type": "integer", "description": "打开页面时报告的 rev；报告已被他人修改时返回 409" } } } } } },
                "responses": write("{accepted}") } },
            "/api/campaigns": {
                "get": { "summary": "填报任务列表", "responses": ok("{campaigns}") },
                "post": { "summary": "新建填报任务（name, year, office, division, deadline=YYYY-MM-DD，默认次年1月31日, agencies=[名称]），返回其看板", "responses": write("{campaign, today, counts, late, entries}") }
            },
            "/api/campaigns/{id}": { "get": { "summary": "填报任务看板：每个机构的状态（missing 未报 / overdue 逾期 / filed 已报 / returned 退回 / approved 已审）、逾期报送、报告与错误数；counts 为各状态机构数", "parameters": id, "responses": ok("{campaign, today, counts, late, entries}") } },
            "/api/agencies": { "get": { "summary": "机构列表（含行政区划 division、division_path、division_how）", "responses": ok("{agencies}") } },
            "/api/divisions": { "get": { "summary": "下级行政区划及语料库中的机构数（parent=区划代码，省级时省略）", "parameters": [{ "name": "parent", "in": "query", "required": false, "schema": { "type": "string" } }], "responses": ok("{parent, path, source, children}") } },
            "/api/agencies/{id}/series": { "get": { "summary": "一个机构的历年报告", "parameters": id, "responses": ok("{reports}") } },
            "/api/stats": { "get": { "summary": "统计（by=all|year|region|province|city|county|level|template，筛选同报告列表）", "responses": ok("{groups}") } },
            "/api/export": { "get": { "summary": "导出（筛选同报告列表；format=csv|xlsx|json|parquet，shape=wide|long，zh=1 中文列名，id=N 单份报告），与 nianbao export 相同的文件", "responses": { "200": { "description": "文件（附件）" }, "400": { "description": "格式或表形不支持" }, "401": { "description": "未登录" } } } },
            "/api/jobs": { "post": { "summary": "上传报告文件或 zip，后台读取（审核员，multipart 字段 files）：立即返回 202 和任务，逐个文件 queued → reading → stored / failed", "security": [{ "session": [], "csrf": [] }], "responses": { "202": { "description": "{job, url, done, user, at, files: [{file, stage, message, report}]}" }, "401": { "description": "未登录" }, "403": { "description": "角色不允许或 CSRF 令牌不对" } } } },
            "/api/jobs/{id}": { "get": { "summary": "上传任务：每个文件的阶段（queued、reading、stored、failed）、说明和入库报告编号", "parameters": id, "responses": { "200": { "description": "任务", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } } }, "404": { "description": "没有该任务" } } } },
            "/api/check": { "post": { "summary": "核对一份正在填写的年报表格 {year, values: {key: 数值}}（新建年报页面边填边查；空白按 0）", "security": [{ "session": [], "csrf": [] }, { "bearer": [] }],
                "responses": { "200": { "description": "{findings}", "content": { "application/json": { "schema": { "type": "object", "properties": { "findings": { "type": "array", "items": { "$ref": "#/components/schemas/Finding" } } } } } } }, "400": { "description": "输入有误" } } } },
            "/api/openapi.json": { "get": { "summary": "本说明（OpenAPI 3.1，无需登录）", "security": [], "responses": { "200": { "description": "OpenAPI 文档" } } } },
            "/api/reports/{id}/current": { "post": { "summary": "把待确认的新版本（对已审或退回的报告上传的新文件）设为当前版本；原当前版本保留为旧版本，记入审核记录", "parameters": id, "security": [{ "session": [], "csrf": [] }], "responses": write("{versions}") } },
            "/api/reports/{id}/review": { "post": { "summary": "设置审核状态（state: pending 待审 | approved 已审 | returned 退回）、审核人 assignee（审核员）和理由 reason（退回时必填，报送单位可见）；每次设置记入审核记录", "parameters": id, "security": [{ "session": [], "csrf": [] }], "responses": write("{review}") } },
            "/api/reports/{id}/comments": { "post": { "summary": "对一个单元格发表评论 {key, body}，或回复一条评论 {reply_to, body}（审核员）", "parameters": id, "security": [{ "session": [], "csrf": [] }], "responses": write("{comments}") } },
            "/api/reports/{id}/comments/{c}/resolve": { "post": { "summary": "把一条评论（及其回复）标记为已解决（审核员）", "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }, { "name": "c", "in": "path", "required": true, "schema": { "type": "integer" } }], "security": [{ "session": [], "csrf": [] }], "responses": write("{comments}") } },
            "/api/tokens": { "get": { "summary": "本账号的 API 令牌（名称、生成时间）", "responses": ok("{tokens: [{name, created}]}") },
                             "post": { "summary": "生成 API 令牌 {name}：返回 {name, token}，令牌只显示这一次；脚本以 Authorization: Bearer 令牌 调用 API，无需 CSRF 令牌", "security": [{ "session": [], "csrf": [] }, { "bearer": [] }], "responses": write("{name, token}") } },
            "/api/tokens/{name}": { "delete": { "summary": "吊销本账号的一个 API 令牌", "security": [{ "session": [], "csrf": [] }, { "bearer": [] }], "responses": write("{revoked}") } },
            "/api/upload": { "post": { "summary": "上传报告文件或 zip（审核员，multipart 字段 files）：由后台读取，等待读完后答复；超过十分钟则答复 202 和任务（见 /api/jobs/{id}）", "security": [{ "session": [], "csrf": [] }], "responses": write("{files: [{file, ok, message, report}], job}") } }
        }
    }))
}
