//! The configuration file (`/etc/nianbao/nianbao.toml`, or `--config FILE`, or
//! `NIANBAO_CONFIG`): every option of `serve`, the store and the readers. Command-line flags
//! override environment variables, which override the file, which overrides the defaults:
//! the file's settings become the environment variables the flags fall back to (and the
//! readers read), for those not set already.

use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_PATH: &str = "/etc/nianbao/nianbao.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    #[serde(default)]
    pub store: Store,
    #[serde(default)]
    pub serve: Serve,
    #[serde(default)]
    pub readers: Readers,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    /// SQLite file or `postgres://…`.
    pub url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Serve {
    pub listen: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub spool: Option<PathBuf>,
    pub max_upload_mb: Option<u64>,
    pub upload_quota_mb: Option<u64>,
    pub trusted_proxies: Option<Vec<String>>,
    pub collect_interval: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readers {
    /// `hayro`, `pdfium` or `poppler`: one PDF text reader only.
    pub pdf_text: Option<String>,
    /// `tesseract`, `ppocr` or `both`.
    pub ocr: Option<String>,
    /// `vector` or `raster`: how ruled PDF tables are found.
    pub pdf_rules: Option<String>,
    /// Where PDFium's library is.
    pub pdfium: Option<PathBuf>,
    /// Where the PP-OCR model is.
    pub ppocr: Option<PathBuf>,
    /// Seconds a PDF, image or Word file may take to read before it is stopped.
    pub seconds: Option<f64>,
    /// Seconds more per page of a scan (rendering and OCR).
    pub page_seconds: Option<f64>,
    /// Memory of the process reading one file, MiB.
    pub memory_mb: Option<u64>,
}

/// Where a setting came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Env,
    File,
    Default,
}

impl Origin {
    pub fn zh(self) -> &'static str {
        match self {
            Origin::Env => "环境变量 (environment)",
            Origin::File => "配置文件 (config file)",
            Origin::Default => "默认 (default)",
        }
    }
}

/// What a setting is when nothing sets it, for people.
pub fn default_of(key: &str) -> &'static str {
    match key {
        "store.url" => crate::corpus::DEFAULT_DB,
        "serve.listen" => "127.0.0.1:8080",
        "serve.spool" => "（SQLite 文件旁的 DB.uploads）",
        "serve.max_upload_mb" => "50",
        "serve.upload_quota_mb" => "2048",
        "serve.collect_interval" => "1",
        "readers.pdf_text" => "（hayro，再 PDFium、poppler）",
        "readers.ocr" => "（装有 PP-OCR 时两者，否则 tesseract）",
        "readers.pdf_rules" => "vector",
        "readers.seconds" => "10",
        "readers.page_seconds" => "60",
        "readers.memory_mb" => "4096",
        _ => "—",
    }
}

/// One setting: its name in the file, its environment variable, its value and origin.
pub struct Setting {
    pub key: &'static str,
    pub env: &'static str,
    pub value: Option<String>,
    pub origin: Origin,
}

/// The file named by `--config` in `args`, else `NIANBAO_CONFIG`, else the default path when
/// it exists; whether it was named explicitly.
pub fn path(args: &[String]) -> Option<(PathBuf, bool)> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--config" {
            return it.next().map(|p| (PathBuf::from(p), true));
        }
        if let Some(p) = a.strip_prefix("--config=") {
            return Some((PathBuf::from(p), true));
        }
    }
    if let Ok(p) = std::env::var("NIANBAO_CONFIG") {
        if !p.is_empty() {
            return Some((PathBuf::from(p), true));
        }
    }
    Path::new(DEFAULT_PATH)
        .exists()
        .then(|| (PathBuf::from(DEFAULT_PATH), false))
}

/// Reads and parses the file; the error names it and what is wrong.
pub fn load(path: &Path) -> Result<File, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: 无法读取配置文件 (cannot read the config file): {e}",
            path.display()
        )
    })?;
    toml::from_str(&text)
        .map_err(|e| format!("{}: 配置文件有误 (bad config file): {e}", path.display()))
}

/// The file's settings as (key, environment variable, value).
fn pairs(f: &File) -> Vec<(&'static str, &'static str, Option<String>)> {
    let p = |x: &Option<PathBuf>| x.as_ref().map(|p| p.display().to_string());
    vec![
        ("store.url", "NIANBAO_DB", f.store.url.clone()),
        ("serve.listen", "NIANBAO_LISTEN", f.serve.listen.clone()),
        ("serve.tls_cert", "NIANBAO_TLS_CERT", p(&f.serve.tls_cert)),
        ("serve.tls_key", "NIANBAO_TLS_KEY", p(&f.serve.tls_key)),
        ("serve.spool", "NIANBAO_SPOOL", p(&f.serve.spool)),
        (
            "serve.max_upload_mb",
            "NIANBAO_MAX_UPLOAD_MB",
            f.serve.max_upload_mb.map(|v| v.to_string()),
        ),
        (
            "serve.upload_quota_mb",
            "NIANBAO_UPLOAD_QUOTA_MB",
            f.serve.upload_quota_mb.map(|v| v.to_string()),
        ),
        (
            "serve.trusted_proxies",
            "NIANBAO_TRUSTED_PROXIES",
            f.serve.trusted_proxies.as_ref().map(|v| v.join(",")),
        ),
        (
            "serve.collect_interval",
            "NIANBAO_COLLECT_INTERVAL",
            f.serve.collect_interval.map(|v| v.to_string()),
        ),
        (
            "readers.pdf_text",
            "NIANBAO_PDF_TEXT",
            f.readers.pdf_text.clone(),
        ),
        ("readers.ocr", "NIANBAO_OCR", f.readers.ocr.clone()),
        (
            "readers.pdf_rules",
            "NIANBAO_PDF_RULES",
            f.readers.pdf_rules.clone(),
        ),
        ("readers.pdfium", "NIANBAO_PDFIUM", p(&f.readers.pdfium)),
        ("readers.ppocr", "NIANBAO_PPOCR", p(&f.readers.ppocr)),
        (
            "readers.seconds",
            "NIANBAO_READ_SECONDS",
            f.readers.seconds.map(|v| v.to_string()),
        ),
        (
            "readers.page_seconds",
            "NIANBAO_READ_PAGE_SECONDS",
            f.readers.page_seconds.map(|v| v.to_string()),
        ),
        (
            "readers.memory_mb",
            "NIANBAO_READ_MEMORY_MB",
            f.readers.memory_mb.map(|v| v.to_string()),
        ),
    ]
}

/// Sets the environment variable of every setting the file has and the environment does
/// not; returns every setting with its value and origin. Called before any thread starts.
pub fn apply(f: &File) -> Vec<Setting> {
    pairs(f)
        .into_iter()
        .map(|(key, env, file)| {
            let from_env = std::env::var(env).ok().filter(|v| !v.is_empty());
            let (value, origin) = match (from_env, file) {
                (Some(v), _) => (Some(v), Origin::Env),
                (None, Some(v)) => {
                    // main calls this first, before any other thread exists.
                    std::env::set_var(env, &v);
                    (Some(v), Origin::File)
                }
                (None, None) => (None, Origin::Default),
            };
            Setting {
                key,
                env,
                value,
                origin,
            }
        })
        .collect()
}

/// What is wrong with the effective settings (each a line for people).
pub fn problems(settings: &[Setting]) -> Vec<String> {
    let get = |k: &str| {
        settings
            .iter()
            .find(|s| s.key == k)
            .and_then(|s| s.value.clone())
    };
    let mut out = Vec::new();
    let db = get("store.url").unwrap_or_else(|| crate::corpus::DEFAULT_DB.to_string());
    // A SQLite file not made yet is made on first use; checking must not make it.
    let server = db.starts_with("postgres://") || db.starts_with("postgresql://");
    if server || Path::new(&db).exists() {
        if let Err(e) = nianbao_corpus::Store::open(&db) {
            out.push(format!(
                "store.url：无法打开语料库 (cannot open the store) {db}: {e}"
            ));
        }
    } else if !Path::new(&db)
        .parent()
        .map_or(true, |d| d.as_os_str().is_empty() || d.is_dir())
    {
        out.push(format!(
            "store.url：所在目录不存在 (its directory does not exist): {db}"
        ));
    }
    if let Some(l) = get("serve.listen") {
        if l.parse::<std::net::SocketAddr>().is_err() {
            out.push(format!(
                "serve.listen：不是“地址:端口” (not an address:port): {l}"
            ));
        }
    }
    match (get("serve.tls_cert"), get("serve.tls_key")) {
        (Some(c), Some(k)) => {
            for f in [&c, &k] {
                if !Path::new(f).is_file() {
                    out.push(format!(
                        "serve.tls_cert/tls_key：文件不存在 (no such file): {f}"
                    ));
                }
            }
        }
        (Some(_), None) | (None, Some(_)) => {
            out.push("serve.tls_cert 与 serve.tls_key 须同时设置 (set both or neither)".into())
        }
        _ => {}
    }
    if let Some(p) = get("serve.trusted_proxies") {
        for ip in p.split(',').filter(|s| !s.trim().is_empty()) {
            if ip.trim().parse::<std::net::IpAddr>().is_err() {
                out.push(format!(
                    "serve.trusted_proxies：不是 IP 地址 (not an IP address): {ip}"
                ));
            }
        }
    }
    for (key, ok) in [
        ("readers.pdf_text", &["hayro", "pdfium", "poppler"][..]),
        ("readers.ocr", &["tesseract", "ppocr", "both"][..]),
        ("readers.pdf_rules", &["vector", "raster"][..]),
    ] {
        if let Some(v) = get(key) {
            if !ok.contains(&v.as_str()) {
                out.push(format!(
                    "{key}：应为 {} 之一 (one of these) — got {v}",
                    ok.join("、")
                ));
            }
        }
    }
    // The readers ignore a budget that is no positive number (their default holds): say so.
    for key in [
        "readers.seconds",
        "readers.page_seconds",
        "readers.memory_mb",
    ] {
        if let Some(v) = get(key) {
            if !v
                .trim()
                .parse::<f64>()
                .is_ok_and(|n| n.is_finite() && n > 0.0)
            {
                out.push(format!(
                    "{key}：应为正数 (a positive number) — got {v}，按默认值 {} 读取",
                    default_of(key)
                ));
            }
        }
    }
    out
}
