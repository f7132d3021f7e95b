//! Uploads: files saved under checked names with bounded sizes, then ingested.

use crate::auth::{self, Session};
use crate::fail::Fail;
use crate::html::{csrf_input, frame};
use crate::state::Shared;
use axum::extract::{Multipart, State};
use axum::response::Html;
use maud::html;
use nianbao_corpus::review::Role;

pub async fn upload_form(State(st): State<Shared>, s: Session) -> Result<Html<String>, Fail> {
    s.require_filer()?;
    let filer = s.user.role == Role::Agency;
    let body = html! {
        h1 { "上传报告" }
        @if filer {
            p id="upload-for" {
                "报送单位："
                @if s.user.agencies.len() > 1 {
                    select name="agency" id="upload-agency" form="upload-form" {
                        @for (_, n) in &s.user.agencies { option value=(n) { (n) } }
                    }
                } @else {
                    b { (s.agencies_zh()) }
                }
                "。上传的报告归入本单位；本单位已审核或退回的报告，新文件作为待确认的新版本，由审核人员确认。"
            }
        }
        p {
            "可一次选择多个文件，或一个 zip 压缩包（txt、md、html、doc、docx、wps、pdf、ofd）。单个文件上限 "
            ((st.max_upload >> 20).max(1)) " MB。"
        }
        form method="post" action="/upload" enctype="multipart/form-data" id="upload-form" class="card" {
            (csrf_input(&s))
            div id="drop" class="drop" {
                "把文件拖到这里，或 " input type="file" name="files" id="files" multiple;
            }
            progress id="progress" max="100" value="0" hidden {}
            button id="send" { "上传" }
        }
        div id="results" {}
    };
    Ok(Html(frame("上传", Some(&s), body)))
}

/// Why an uploaded file name is refused, if it is.
pub fn unsafe_name(name: &str) -> Option<&'static str> {
    let bad = name.is_empty()
        || name.len() > 255
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0'])
        || name.contains("..")
        || name.chars().any(char::is_control);
    bad.then_some("文件名不安全（含路径或特殊字符），已拒绝 (unsafe file name; refused)")
}

/// One uploaded file's fate.
#[derive(serde::Serialize)]
pub struct Received {
    pub file: String,
    pub ok: bool,
    pub message: String,
}

/// Whether an ingest outcome is good, and what to tell the person.
pub fn outcome_text(o: &nianbao_corpus::ingest::Outcome) -> (bool, String) {
    use nianbao_corpus::ingest::Outcome;
    use nianbao_corpus::store::Saved;
    match o {
        Outcome::Saved(Saved::New) => (true, "已入库 (stored)".to_string()),
        Outcome::Saved(Saved::NewVersion) => {
            (true, "已入库为新版本 (stored as a new version)".to_string())
        }
        Outcome::Saved(Saved::Held) => (
            true,
            "已入库为待确认的新版本：当前版本已审核，须由审核人员设为当前版本 (stored as a version waiting for a reviewer: the current one was reviewed)"
                .to_string(),
        ),
        Outcome::Saved(Saved::Unchanged) => (true, "已存在，未变 (already stored)".to_string()),
        Outcome::Failed(reason) | Outcome::Skipped(reason) => (false, reason.clone()),
    }
}

/// What an upload brought: the files saved, those refused with their reason, and the
/// agency it is filed for (its `agency` field, where an agency user files for several).
pub struct Accepted {
    pub saved: Vec<String>,
    pub refused: Vec<Received>,
    pub agency: String,
}

/// Saves the files of an upload in `dir` (names checked, sizes bounded while reading).
pub async fn accept_files(
    st: &Shared,
    mut mp: Multipart,
    s: &Session,
    api: bool,
    dir: &std::path::Path,
) -> Result<Accepted, Fail> {
    let mark = |f: Fail| if api { f.api() } else { f };
    let mut out = Vec::new();
    let mut csrf_ok = api;
    let mut saved = Vec::new();
    let mut agency = String::new();
    while let Some(mut field) = mp
        .next_field()
        .await
        .map_err(|e| mark(Fail::bad(format!("上传数据不完整 (broken upload): {e}"))))?
    {
        if field.name() == Some("csrf") {
            let v = field.text().await.unwrap_or_default();
            csrf_ok = auth::same(&v, &s.csrf);
            continue;
        }
        // Which agency files (read before the CSRF field if the form puts it first; it
        // is used only once the CSRF token was checked).
        if field.name() == Some("agency") {
            agency = field.text().await.unwrap_or_default();
            continue;
        }
        if !csrf_ok {
            return Err(mark(Fail::csrf()));
        }
        let Some(name) = field.file_name().map(str::to_string) else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        if let Some(reason) = unsafe_name(&name) {
            out.push(Received {
                file: name,
                ok: false,
                message: reason.into(),
            });
            continue;
        }
        let path = dir.join(&name);
        let mut bytes = Vec::new();
        let mut too_big = false;
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| mark(Fail::bad(format!("上传中断 (upload broken): {e}"))))?
        {
            if bytes.len() + chunk.len() > st.max_upload {
                too_big = true;
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        if too_big {
            out.push(Received {
                file: name,
                ok: false,
                message: format!(
                    "文件超过 {} MB 上限，已拒绝 (file too large)",
                    st.max_upload >> 20
                ),
            });
            continue;
        }
        tokio::fs::write(&path, &bytes)
            .await
            .map_err(|_| mark(Fail::internal("write")))?;
        saved.push(name);
    }
    if !csrf_ok {
        return Err(mark(Fail::csrf()));
    }
    Ok(Accepted {
        saved,
        refused: out,
        agency,
    })
}
