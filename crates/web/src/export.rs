//! Export from the web: the report list as filtered, or one report, as CSV, XLSX, JSON lines
//! or Parquet — the same files `nianbao export` writes. The file is streamed as the store
//! is read, in constant memory for every format (XLSX: see `nianbao_corpus::xlsx`).

use crate::auth::Session;
use crate::fail::Fail;
use crate::pages::ListQuery;
use crate::state::Shared;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use nianbao_corpus::export::{self, Format, Options, Shape};
use serde::Deserialize;
use std::io::Write;
use tokio::sync::mpsc;

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(flatten)]
    pub list: ListQuery,
    /// csv (default), xlsx, json, parquet.
    #[serde(default)]
    pub format: String,
    /// wide (default: a row per report) or long (a row per cell).
    #[serde(default)]
    pub shape: String,
    /// Column headers: Chinese (`zh=1`) or the canonical keys (`zh=0`). Downloads from the
    /// pages get Chinese by default, the API the keys.
    #[serde(default)]
    pub zh: Option<String>,
    /// One stored report instead of the list.
    #[serde(default)]
    pub id: Option<i64>,
}

impl ExportQuery {
    /// `api`: the request came to `/api/export` (a script), not from a page (a person).
    fn options(&self, api: bool, user: &str) -> Result<Options, Fail> {
        let format = match self.format.trim() {
            "" | "csv" => Format::Csv,
            "xlsx" => Format::Xlsx,
            "json" => Format::Json,
            "parquet" => Format::Parquet,
            other => {
                return Err(Fail::bad(format!(
                "不支持的导出格式 {other:?}：可用 csv、xlsx、json、parquet (unknown export format)"
            )))
            }
        };
        let shape = match self.shape.trim() {
            "" | "wide" => Shape::Wide,
            "long" => Shape::Long,
            other => {
                return Err(Fail::bad(format!(
                    "不支持的表形 {other:?}：可用 wide、long (unknown shape)"
                )))
            }
        };
        let mut filter = self.list.filter_for(user);
        filter.report_id = self.id;
        Ok(Options {
            format,
            shape,
            chinese_headers: match self.zh.as_deref().map(str::trim) {
                Some("0") => false,
                Some("") | None => !api,
                Some(_) => true,
            },
            file_names: true,
            filter,
        })
    }
}

/// Bytes written by the export, sent on to the response in chunks.
struct Chunks {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl Write for Chunks {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        // The browser went away: stop reading the store.
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "下载已取消"))
    }
}

/// UTF-8's byte order mark, which Excel needs to read a CSV file as UTF-8.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

/// A table as a CSV download named `file`, with the byte order mark Excel needs.
pub fn csv_download<R: AsRef<[u8]>>(
    file: &str,
    head: &[&str],
    rows: impl IntoIterator<Item = Vec<R>>,
) -> Result<Response, Fail> {
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    let mut done = w.write_record(head);
    for row in rows {
        done = done.and_then(|_| w.write_record(&row));
    }
    let bytes = done
        .map_err(|_| Fail::internal("csv"))
        .and_then(|_| w.into_inner().map_err(|_| Fail::internal("csv")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /export` and `/api/export`: the list's filters (as on `/`), `format`, `shape`, `zh`,
/// or `id` for one report. Any signed-in user may export what they may read.
pub async fn download(
    State(st): State<Shared>,
    s: Session,
    uri: axum::http::Uri,
    Query(q): Query<ExportQuery>,
) -> Result<Response, Fail> {
    let api = uri.path().starts_with("/api/");
    let opts = q
        .options(api, &s.user.name)
        .map_err(|f| if api { f.api() } else { f })?;
    let (mime, ext) = match opts.format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        Format::Json => ("application/x-ndjson; charset=utf-8", "jsonl"),
        Format::Parquet => ("application/vnd.apache.parquet", "parquet"),
    };
    let name = match q.id {
        Some(id) => format!("nianbao-report-{id}.{ext}"),
        None => format!("nianbao-export.{ext}"),
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let fail = tx.clone();
    // A CSV downloaded in the browser is opened in Excel, which reads UTF-8 only after a
    // byte order mark; API clients get the file as `nianbao export` writes it.
    let bom = opts.format == Format::Csv && !api;
    // A connection of its own for the whole export, on a blocking thread.
    st.clone().spawn_with(move |store| {
        let mut out = Chunks {
            tx,
            buf: if bom { BOM.to_vec() } else { Vec::new() },
        };
        let done = store
            .and_then(|store| export::export(store, &opts, &mut out))
            .map_err(|e| e.to_string())
            .and_then(|_| out.flush().map_err(|e| e.to_string()));
        if let Err(e) = done {
            // The status line has gone out: breaking the body tells the browser it failed.
            let _ = fail.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let mut res = Body::from_stream(stream).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
