//! Uploads read in the background: the request saves the files in the spool directory and
//! answers at once with a job; one worker thread reads the jobs' files in turn into the
//! corpus, each file going queued → reading → stored or failed. A job is a directory of the
//! spool (`ID/job.json` and a directory per file), so jobs left unfinished when the server
//! stopped are taken up again when it starts.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html;
use crate::pages::{accept_files, outcome_text};
use crate::state::Shared;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use maud::html;
use nianbao_corpus::review::Role;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

/// Where a file of a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Queued,
    Reading,
    Stored,
    Failed,
}

impl Stage {
    fn zh(self) -> &'static str {
        match self {
            Stage::Queued => "排队中",
            Stage::Reading => "读取中",
            Stage::Stored => "已入库",
            Stage::Failed => "未入库",
        }
    }

    fn done(self) -> bool {
        matches!(self, Stage::Stored | Stage::Failed)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JobFile {
    pub file: String,
    pub stage: Stage,
    /// What became of it, for people (empty while queued).
    pub message: String,
    /// The stored report, once stored.
    pub report: Option<i64>,
    /// Its directory in the job (None for files refused on arrival and archive members).
    #[serde(default)]
    slot: Option<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub user: String,
    /// The agency it files for (an agency user's upload): its reports are that agency's.
    #[serde(default)]
    pub agency: Option<i64>,
    /// When it was made, China Standard Time.
    pub at: String,
    /// When it was made, seconds since 1970 (0 in jobs of earlier releases).
    #[serde(default)]
    pub unix: i64,
    /// The bytes uploaded (what counts against the user's quota).
    #[serde(default)]
    pub bytes: u64,
    pub files: Vec<JobFile>,
}

impl Job {
    pub fn done(&self) -> bool {
        self.files.iter().all(|f| f.stage.done())
    }
}

/// The spool and the worker's queue.
pub struct Jobs {
    spool: PathBuf,
    next: AtomicU64,
    queue: std::sync::Mutex<mpsc::Sender<u64>>,
}

impl Jobs {
    /// Whether uploads can be taken: a file can be written in the spool directory.
    pub fn writable(&self) -> Result<(), String> {
        let probe = self.spool.join(format!(".ready-{}", std::process::id()));
        std::fs::write(&probe, b"ok")
            .and_then(|_| std::fs::remove_file(&probe))
            .map_err(|e| format!("{}: {e}", self.spool.display()))
    }

    fn dir(&self, id: u64) -> PathBuf {
        self.spool.join(id.to_string())
    }

    /// The bytes `user` uploaded since `since` (seconds since 1970): the jobs read newest
    /// first, up to the first made before it (job numbers grow with time).
    fn uploaded_since(&self, user: &str, since: i64) -> u64 {
        let ids = job_ids(&self.spool).unwrap_or_default();
        let mut total = 0;
        for id in ids.into_iter().rev() {
            let Some(job) = self.load(id) else { continue };
            if job.unix < since {
                break;
            }
            if job.user == user {
                total += job.bytes;
            }
        }
        total
    }

    pub fn load(&self, id: u64) -> Option<Job> {
        let text = std::fs::read_to_string(self.dir(id).join("job.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes the job's state whole (a new file renamed over the old: readers never see half).
    fn save(&self, job: &Job) -> std::io::Result<()> {
        let dir = self.dir(job.id);
        let tmp = dir.join("job.json.new");
        std::fs::write(
            &tmp,
            serde_json::to_vec(job).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(tmp, dir.join("job.json"))
    }
}

/// The jobs in the spool (its numbered directories), oldest first.
fn job_ids(spool: &std::path::Path) -> std::io::Result<Vec<u64>> {
    let mut ids: Vec<u64> = std::fs::read_dir(spool)?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Opens the spool (creating it), starts the worker, and queues the jobs left unfinished.
pub fn start(state: &Shared, spool: PathBuf) -> Result<Jobs, String> {
    std::fs::create_dir_all(&spool).map_err(|e| {
        format!(
            "{}: 无法建立上传暂存目录 (cannot create the spool): {e}",
            spool.display()
        )
    })?;
    let ids = job_ids(&spool).map_err(|e| format!("{}: {e}", spool.display()))?;
    let (tx, rx) = mpsc::channel();
    let jobs = Jobs {
        spool,
        next: AtomicU64::new(ids.last().map_or(1, |l| l + 1)),
        queue: std::sync::Mutex::new(tx.clone()),
    };
    for id in ids {
        if jobs.load(id).is_some_and(|j| !j.done()) {
            let _ = tx.send(id);
        }
    }
    let st = state.clone();
    std::thread::spawn(move || {
        // The state holds the jobs once `start` has returned.
        while st.jobs.get().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        for id in rx {
            work(&st, id);
        }
    });
    Ok(jobs)
}

/// Reads every file of job `id` not yet done.
fn work(st: &Shared, id: u64) {
    let Some(jobs) = st.jobs.get() else { return };
    let Some(mut job) = jobs.load(id) else { return };
    let Ok(mut store) = nianbao_corpus::Store::open(&st.db) else {
        return;
    };
    // An upload does not replace a reviewed report by itself: a reviewer decides.
    store.hold_reviewed(true);
    store.added_by(Some(&job.user));
    store.filed_by_agency(job.agency);
    let mut i = 0;
    while i < job.files.len() {
        let (stage, slot) = (job.files[i].stage, job.files[i].slot);
        let Some(slot) = slot.filter(|_| !stage.done()) else {
            i += 1;
            continue;
        };
        job.files[i].stage = Stage::Reading;
        let _ = jobs.save(&job);
        let dir = jobs.dir(id).join(slot.to_string());
        let mut outcomes = Vec::new();
        let result =
            nianbao_corpus::ingest::ingest_dir_as(&mut store, &dir, "上传/", &mut |name, o| {
                outcomes.push((name.to_string(), o.clone()))
            });
        let name = job.files[i].file.clone();
        let mut members = Vec::new();
        let (mut stored, mut message) = (false, String::new());
        for (file, o) in &outcomes {
            let (ok, text) = outcome_text(o);
            let report = ok.then(|| report_of(&mut store, file)).flatten();
            let file = file.trim_start_matches("上传/").to_string();
            if file == name {
                (stored, message) = (ok, text);
                job.files[i].report = report;
            } else {
                members.push(JobFile {
                    file,
                    stage: if ok { Stage::Stored } else { Stage::Failed },
                    message: text,
                    report,
                    slot: None,
                });
            }
        }
        if let Err(e) = result {
            message = e.to_string();
        } else if !members.is_empty() {
            let good = members.iter().filter(|m| m.stage == Stage::Stored).count();
            stored = good > 0;
            message = format!("压缩包：{good} 份入库，{} 个未入库", members.len() - good);
        }
        job.files[i].stage = if stored { Stage::Stored } else { Stage::Failed };
        job.files[i].message = message;
        let n = members.len();
        job.files.splice(i + 1..i + 1, members);
        let _ = jobs.save(&job);
        // The bytes are in the corpus now (or refused); the spool keeps only the record.
        let _ = std::fs::remove_dir_all(&dir);
        i += 1 + n;
    }
    let _ = store.refresh_cross();
}

/// The report stored from upload `file` (its newest).
fn report_of(store: &mut nianbao_corpus::Store, file: &str) -> Option<i64> {
    store
        .conn()
        .query(
            "SELECT MAX(id) FROM reports WHERE path = $1",
            &[file.into()],
        )
        .ok()?
        .first()?
        .int(0)
}

/// Saves an upload as a new job and queues it.
async fn create(st: &Shared, mp: Multipart, s: &Session, api: bool) -> Result<Job, Fail> {
    let mark = |f: Fail| if api { f.api() } else { f };
    let jobs = st.jobs.get().ok_or_else(|| mark(Fail::internal("jobs")))?;
    let id = jobs.next.fetch_add(1, Ordering::SeqCst);
    let dir = jobs.dir(id);
    let incoming = dir.join("incoming");
    std::fs::create_dir_all(&incoming).map_err(|_| mark(Fail::internal("spool")))?;
    let accepted = match accept_files(st, mp, s, api, &incoming).await {
        Ok(x) => x,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
    };
    let agency = match s.filing_for(&accepted.agency) {
        Ok(a) => a.map(|(id, _)| id),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(mark(e));
        }
    };
    let (saved, refused) = (accepted.saved, accepted.refused);
    let bytes: u64 = saved
        .iter()
        .filter_map(|n| std::fs::metadata(incoming.join(n)).ok())
        .map(|m| m.len())
        .sum();
    let now = nianbao_corpus::review::unix_now();
    let quota = *st.upload_quota.lock().unwrap_or_else(|p| p.into_inner());
    if quota > 0 && s.user.role != Role::Admin {
        let used = jobs.uploaded_since(&s.user.name, now - 24 * 3600);
        if used + bytes > quota {
            let _ = std::fs::remove_dir_all(&dir);
            let mb = |b: u64| b.div_ceil(1 << 20);
            return Err(mark(Fail::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "24 小时内已上传 {} MB，加上这次的 {} MB 超过每人 {} MB 的上限，未接收；请稍后再传，或请管理员调高 upload_quota_mb (upload quota of {} MB per user per 24 hours exceeded; nothing was taken)",
                    mb(used),
                    mb(bytes),
                    mb(quota),
                    mb(quota)
                ),
            )));
        }
    }
    let mut files = Vec::new();
    for (n, name) in saved.iter().enumerate() {
        let slot = dir.join(n.to_string());
        std::fs::create_dir_all(&slot)
            .and_then(|_| std::fs::rename(incoming.join(name), slot.join(name)))
            .map_err(|_| mark(Fail::internal("spool")))?;
        files.push(JobFile {
            file: name.clone(),
            stage: Stage::Queued,
            message: String::new(),
            report: None,
            slot: Some(n),
        });
    }
    let _ = std::fs::remove_dir_all(&incoming);
    files.extend(refused.into_iter().map(|r| JobFile {
        file: r.file,
        stage: Stage::Failed,
        message: r.message,
        report: None,
        slot: None,
    }));
    let job = Job {
        id,
        user: s.user.name.clone(),
        agency,
        at: nianbao_corpus::review::beijing_time(now),
        unix: now,
        bytes,
        files,
    };
    jobs.save(&job).map_err(|_| mark(Fail::internal("spool")))?;
    if let Ok(q) = jobs.queue.lock() {
        let _ = q.send(id);
    }
    Ok(job)
}

fn job_json(job: &Job) -> serde_json::Value {
    serde_json::json!({ "job": job.id, "url": format!("/jobs/{}", job.id), "done": job.done(), "user": job.user, "at": job.at, "files": job.files })
}

/// `POST /api/jobs`: the upload's files saved, the job queued; 202 with the job at once.
pub async fn api_create(
    State(st): State<Shared>,
    s: Session,
    h: axum::http::HeaderMap,
    mp: Multipart,
) -> Result<Response, Fail> {
    crate::api::csrf(&s, &h)?;
    s.require_filer().map_err(Fail::api)?;
    let job = create(&st, mp, &s, true).await?;
    Ok((StatusCode::ACCEPTED, Json(job_json(&job))).into_response())
}

/// How long `POST /api/upload` waits for its job before answering 202 with the job.
const UPLOAD_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

/// `POST /api/upload`: the files read by the background reader like any upload (one file at a
/// time, whatever the number of requests), the request waiting for its job without holding
/// a thread; 200 with each file's fate as `{file, ok, message, report}` (an archive's members
/// in its place), or 202 with the job when it takes longer than ten minutes.
pub async fn upload_and_wait(st: &Shared, mp: Multipart, s: &Session) -> Result<Response, Fail> {
    let job = create(st, mp, s, true).await?;
    let jobs = st.jobs.get().ok_or_else(|| Fail::internal("jobs").api())?;
    let began = std::time::Instant::now();
    let mut job = job;
    while !job.done() {
        if began.elapsed() > UPLOAD_WAIT {
            return Ok((StatusCode::ACCEPTED, Json(job_json(&job))).into_response());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        if let Some(now) = jobs.load(job.id) {
            job = now;
        }
    }
    let files: Vec<serde_json::Value> = job
        .files
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            // An archive is answered by its members.
            let members = format!("{}!/", f.file);
            !job.files
                .get(i + 1)
                .is_some_and(|next| next.file.starts_with(&members))
        })
        .map(|(_, f)| {
            serde_json::json!({
                "file": f.file, "ok": f.stage == Stage::Stored, "message": f.message, "report": f.report
            })
        })
        .collect();
    Ok(Json(serde_json::json!({ "files": files, "job": job.id })).into_response())
}

/// `POST /upload` (the form without script): the job's page.
pub async fn form_create(
    State(st): State<Shared>,
    s: Session,
    mp: Multipart,
) -> Result<Redirect, Fail> {
    s.require_filer()?;
    let job = create(&st, mp, &s, false).await?;
    Ok(Redirect::to(&format!("/jobs/{}", job.id)))
}

/// Job `id`, as `s` may see it: an agency user sees only its own uploads.
fn find(st: &Shared, s: &Session, id: u64) -> Result<Job, Fail> {
    st.jobs
        .get()
        .and_then(|j| j.load(id))
        .filter(|j| s.user.role != Role::Agency || j.user == s.user.name)
        .ok_or_else(Fail::not_found)
}

pub async fn api_get(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<u64>,
) -> Result<Json<serde_json::Value>, Fail> {
    Ok(Json(job_json(&find(&st, &s, id).map_err(Fail::api)?)))
}

/// The job's page: each file's stage and what became of it, refreshed while it runs.
pub async fn page(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<u64>,
) -> Result<Html<String>, Fail> {
    let job = find(&st, &s, id)?;
    let body = html! {
        h1 { "上传任务 " (id) }
        p class="meta" { (job.user) " · " (crate::html::when(&job.at)) }
        @if job.done() {
            p class="ok" id="job-done" {
                "全部处理完毕。"
                @if s.user.role == Role::Agency { a href="/my" { "回到本单位" } } @else { a href="/" { "查看报告" } }
            }
        } @else {
            p class="muted" id="job-running" {
                "正在后台读取，可离开本页；" a href={ "/jobs/" (id) } { "刷新" } "查看进度。"
            }
            meta http-equiv="refresh" content="2";
        }
        ul id="job-files" {
            @for f in &job.files {
                li class=(match f.stage {
                    Stage::Stored => "ok",
                    Stage::Failed => "bad",
                    _ => "pending",
                }) data-stage=(format!("{:?}", f.stage)) {
                    (f.file) "：" (f.stage.zh())
                    @if !f.message.is_empty() { "（" (f.message) "）" }
                    @if let Some(r) = f.report { " " a href={ "/reports/" (r) } { "查看" } }
                }
            }
        }
    };
    Ok(Html(html::frame("上传任务", Some(&s), body)))
}
