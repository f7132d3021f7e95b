//! 依申请公开台账 in the browser: a ledger file (CSV or XLSX) or rows typed into the page
//! become tables 三 and 四 of the year and the reply-deadline warnings, with the tables
//! downloadable as a report.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::{csrf_input, frame};
use crate::state::Shared;
use axum::extract::{Multipart, State};
use axum::response::Html;
use maud::{html, Markup};
use nianbao_corpus::review::Role;
use nianbao_ledger::{import, Calendar};
use nianbao_model::Severity;
use nianbao_render::doc::{t3, t4};

pub async fn page(s: Session) -> Result<Html<String>, Fail> {
    s.require(Role::Reviewer)?;
    Ok(Html(frame(
        "依申请公开台账",
        Some(&s),
        form(&s, "", "", ""),
    )))
}

fn form(s: &Session, agency: &str, year: &str, rows: &str) -> Markup {
    let wide = "flex:1 1 100%";
    html! {
        h1 { "依申请公开台账" }
        p {
            "上传台账（CSV 或 XLSX，首行为列名：" (import::header().join("，"))
            "），或在下面逐行录入（逗号分隔，同样的列）。"
            "答复期限：收到申请之次日起 20 个工作日，延期的 40 个工作日（已含 2024–2025 年法定节假日和调休）。"
        }
        form method="post" action="/ledger" enctype="multipart/form-data" class="card" id="ledger-form" {
            (csrf_input(s))
            label { "机构 " input name="agency" value=(agency); }
            label { "年度 " input name="year" id="ledger-year" size="6" value=(year) required; }
            label { "以哪一天计算期限 " input name="today" placeholder="默认今天" size="10"; }
            label { "台账文件 " input type="file" name="file" accept=".csv,.xlsx,.xls,.ods"; }
            label style=(wide) {
                "或录入 " textarea name="rows" id="ledger-rows" rows="8" class="prose" { (rows) }
            }
            label style=(wide) {
                "补充节假日安排（每行“YYYY-MM-DD 休”或“YYYY-MM-DD 班”，用于 2024–2025 年以外的年份）"
                textarea name="holidays" rows="2" class="prose" {}
            }
            button id="derive" { "生成表三、表四" }
        }
    }
}

pub async fn derive(
    State(st): State<Shared>,
    s: Session,
    mut mp: Multipart,
) -> Result<Html<String>, Fail> {
    s.require(Role::Reviewer)?;
    let (mut csrf, mut agency, mut year, mut today, mut rows) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    );
    let mut holidays = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| Fail::bad(format!("上传数据不完整 (broken upload): {e}")))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let fname = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|e| Fail::bad(e.to_string()))?;
            if bytes.len() > st.max_upload {
                return Err(Fail::bad("台账文件过大 (ledger file too large)"));
            }
            if !bytes.is_empty() {
                file = Some((fname, bytes.to_vec()));
            }
            continue;
        }
        let v = field.text().await.unwrap_or_default();
        match name.as_str() {
            "csrf" => csrf = v,
            "agency" => agency = v,
            "year" => year = v,
            "today" => today = v,
            "rows" => rows = v,
            "holidays" => holidays = v,
            _ => {}
        }
    }
    s.check_csrf(&csrf)?;
    let y: i32 = year
        .trim()
        .parse()
        .map_err(|_| Fail::bad("请填写年度 (year required)"))?;
    let requests = match &file {
        Some((name, bytes)) => {
            let ext = std::path::Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("csv")
                .to_ascii_lowercase();
            let ext = if ["xlsx", "xls", "ods", "csv"].contains(&ext.as_str()) {
                ext
            } else {
                "csv".into()
            };
            let dir = tempfile::tempdir().map_err(|_| Fail::internal("tempdir"))?;
            let path = dir.path().join(format!("台账.{ext}"));
            std::fs::write(&path, bytes).map_err(|_| Fail::internal("write"))?;
            import::read(&path)
                .map_err(|e| Fail::bad(e.replace(&path.display().to_string(), name)))?
        }
        None => {
            let mut reader = csv_rows(&rows);
            if reader
                .first()
                .is_some_and(|r| !r.iter().any(|c| c.contains("收到日期") || c == "received"))
            {
                reader.insert(0, import::header().iter().map(|h| h.to_string()).collect());
            }
            import::from_rows(reader).map_err(Fail::bad)?
        }
    };
    let mut r = nianbao_ledger::report(
        &requests,
        y,
        nianbao_model::Template::for_year(y).max(nianbao_model::Template::Y2019),
    );
    r.agency = Some(agency.trim().to_string()).filter(|a| !a.is_empty());
    let today = import::date(&today).unwrap_or_else(nianbao_ledger::calendar::today);
    let mut cal = Calendar::default();
    cal.add(&holidays)
        .map_err(|e| Fail::bad(format!("节假日安排：{e}")))?;
    let mut findings = nianbao_ledger::deadlines(&requests, &cal, today);
    findings.extend(
        nianbao_check::findings(&r)
            .into_iter()
            .filter(|f| matches!(f.rule.family(), "t3" | "t4")),
    );
    let flags = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .flat_map(|f| f.cells.iter().map(|c| (c.clone(), Severity::Error)))
        .collect();
    let body = html! {
        (form(&s, &agency, &year, &rows))
        h2 { (y) " 年度：台账 " (requests.len()) " 条申请（以 " (today) " 计算期限）" }
        ul class="findings" id="ledger-findings" {
            @for f in &findings {
                li class=(match f.severity {
                    Severity::Error => "err",
                    Severity::Warning => "warn",
                    Severity::Info => "info",
                }) data-rule=(f.rule.id()) { (f.message_zh) }
            }
        }
        h3 { "三、收到和处理政府信息公开申请情况" }
        (crate::report::table_html(&t3(&r), r.template, &flags))
        h3 { "四、政府信息公开行政复议、行政诉讼情况" }
        (crate::report::table_html(&t4(&r), r.template, &flags))
        form method="post" action="/new/render?to=docx" {
            (csrf_input(&s))
            input type="hidden" name="agency" value=(agency);
            input type="hidden" name="year" value=(y);
            @for (k, v) in r.values_in_order() {
                @if let Some(v) = v { input type="hidden" name={ "v:" (k) } value=(v); }
            }
            button id="ledger-docx" { "下载为年报 DOCX（表二与正文待补）" }
        }
    };
    Ok(Html(frame("依申请公开台账", Some(&s), body)))
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split([',', '，', '\t'])
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}
