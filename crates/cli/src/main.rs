//! `nianbao`: the command-line front of the library crates.

mod collect;
mod config;
mod corpus;
mod files;
mod human;
mod ledger;
mod output;
mod render;

use clap::{Parser, Subcommand, ValueEnum};
use nianbao_model::{Finding, Report, Severity};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Extraction allocates many small strings and vectors per report; mimalloc serves them with
// about a sixth fewer instructions than glibc's malloc (callgrind on the extract bench) and
// made extraction 1.3x faster in wall time (docs/benchmarks.md). The extract bench uses the same allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "nianbao",
    version,
    about = "政府信息公开工作年度报告：读取、核对、比较 (read, check and compare China's government information disclosure annual reports)",
    after_help = "Example / 示例:\n  nianbao check corpus/seeds/*.txt\n  nianbao extract 2021年报.txt > cells.jsonl"
)]
struct Cli {
    /// 配置文件（默认 /etc/nianbao/nianbao.toml，存在时）(configuration file)
    #[arg(long, global = true, env = "NIANBAO_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// 提取每份报告的全部表格数据，每个文件输出一行 JSON (extract every table cell, one JSON line per file)
    #[command(
        after_help = "Example / 示例:\n  nianbao extract 2021年报.txt reports/*.md > cells.jsonl\n\n\
Each line has file, agency, year, template (\"2019\", \"2021\" or \"legacy\"), values (every canonical key of\n\
the template, number or null), evidence (raw text, line, column, offset per cell), sections, claims and\n\
findings. A file that cannot be read gives a line with \"error\"; the batch goes on."
    )]
    Extract {
        /// Report files: text or Markdown, in UTF-8, GBK/GB18030 or UTF-16 (detected).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Lay out Word files (DOCX, DOC, WPS) as pages with LibreOffice, write each as
        /// DIR/<name>.pdf, and give their cells' boxes on it (evidence place `rendered`).
        #[arg(long, value_name = "DIR")]
        docx_pages: Option<PathBuf>,
    },
    /// 核对报告，列出发现的问题；有错误时退出码非零 (check reports; exit non-zero on any error)
    #[command(
        after_help = "Example / 示例:\n  nianbao check 2021年报.txt\n  nianbao check --lang en --format json reports/*.txt\n\n\
Exit status: 0 no error-level finding, 1 some error-level finding, 2 a file could not be read."
    )]
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "zh-en")]
        lang: Lang,
        /// Output for people (text) or machines (json, one object per line).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// 把报告存入语料库（文件、目录、zip 压缩包），并行处理 (store reports in the corpus, in parallel)
    #[command(
        after_help = "Example / 示例:\n  nianbao ingest reports/ 2022年报.zip\n  nianbao ingest --db postgres://nianbao@localhost/nianbao reports/\n\n\
Directories are walked recursively (txt, md, html, doc, docx, wps, pdf, ofd, zip). A file already stored\n\
(same content) is skipped; a changed report of the same agency and year becomes a new version, the old\n\
one kept. Cross-year checks run for every agency whose series changed.\n\
Exit status: 0 all stored, 2 some inputs could not be read (listed) or the database is unusable."
    )]
    Ingest {
        #[arg(required_unless_present = "queue")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: corpus::DbArg,
        /// 不显示进度条 (no progress bar)
        #[arg(long, short)]
        quiet: bool,
        /// 多进程共享队列（PostgreSQL）：把文件加入库中的队列，再与其他进程一起领取处理，直到队列为空
        /// (shared queue on PostgreSQL: queue the files, then work with other processes until none is left)
        #[arg(long)]
        queue: bool,
        /// 本进程在队列中的名称，缺省为 主机名:进程号 (this worker's name in the queue)
        #[arg(long, requires = "queue")]
        worker: Option<String>,
    },
    /// 列出机构；合并或拆分机构 (list agencies; merge or split them)
    #[command(
        after_help = "Example / 示例:\n  nianbao agencies\n  nianbao agencies merge 3 7\n  nianbao agencies split 3 北冷乡卫生院"
    )]
    Agencies {
        #[command(flatten)]
        db: corpus::DbArg,
        #[command(subcommand)]
        action: Option<corpus::AgencyAction>,
    },
    /// 导出语料库数据 (export the corpus): csv, xlsx, json, parquet
    #[command(
        after_help = "Example / 示例:\n  nianbao export --format csv --year 2022 > 2022.csv\n  nianbao export --format xlsx --region 尉氏县 -o 尉氏县.xlsx\n  nianbao export --format parquet --shape long -o cells.parquet\n\n\
wide: one row per report (report fields, then every canonical key as a column); long: one row per cell\n\
with its evidence. json is one object per line. XLSX adds, for the first 1000 reports, a sheet with the\n\
report's tables laid out like the official template and cells with findings highlighted."
    )]
    Export {
        #[command(flatten)]
        db: corpus::DbArg,
        #[arg(long, value_enum, default_value = "csv")]
        format: corpus::ExportFormat,
        #[arg(long, value_enum, default_value = "wide")]
        shape: corpus::ShapeArg,
        /// 列名用中文 (Chinese column headers)
        #[arg(long)]
        zh_headers: bool,
        /// file 列只写文件名，不写所在目录 (the file column holds names only, no folders)
        #[arg(long)]
        file_names: bool,
        /// 输出文件（缺省为标准输出）(output file; stdout when absent)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Parquet 按目录分区（hive 风格，-o 为目录）：year、province，可组合 (hive-style partitions, -o is a folder)
        #[arg(long, value_enum, value_delimiter = ',')]
        partition: Vec<corpus::PartitionArg>,
        #[command(flatten)]
        filter: corpus::FilterArgs,
    },
    /// 统计：申请量、办理结果构成、复议诉讼纠错率、勾稽通过率、按时发布率 (corpus statistics)
    #[command(
        after_help = "Example / 示例:\n  nianbao stats --by year\n  nianbao stats --by level --year 2022 --format csv\n  nianbao stats --publication --year 2024 --campaign 1"
    )]
    Stats {
        #[command(flatten)]
        db: corpus::DbArg,
        #[arg(long, value_enum, default_value = "all")]
        by: corpus::ByArg,
        #[arg(long, value_enum, default_value = "text")]
        format: corpus::StatsFormat,
        /// 按机构列出网上发布情况（nianbao collect 所得）：按时、逾期、未找到，附网址和日期来源
        /// (per agency: published on time, late or not found on its portal, with the evidence)
        #[arg(long)]
        publication: bool,
        #[command(flatten)]
        filter: corpus::FilterArgs,
    },
    /// 按官方格式生成报告：HTML、DOCX、PDF (write a report in the official layout)
    #[command(
        after_help = "Example / 示例:\n  nianbao extract 2021年报.txt > r.json && nianbao render r.json --to docx -o 2021年报.docx\n  \
nianbao render --id 12 --to pdf -o 报告.pdf\n\n\
The input is the object nianbao extract prints for one file (values, sections, agency, year, template), or\n\
the same shape written by hand; unknown keys are refused. PDF needs LibreOffice (soffice)."
    )]
    Render(render::RenderArgs),
    /// 依申请公开台账：由逐件申请生成表三、表四，并提示答复期限 (request ledger → tables 三/四, deadlines)
    #[command(
        after_help = "Example / 示例:\n  nianbao ledger 台账.xlsx --year 2024\n  \
nianbao ledger 台账.csv --year 2024 --agency 某镇人民政府 --json > 2024.json && nianbao render 2024.json --to docx -o 2024.docx\n\n\
Columns (header row, Chinese or English): 编号, 收到日期, 申请人类型, 办理结果, 答复日期, 延期, 复议日期, 复议结果,\n\
诉讼日期, 诉讼结果, 诉讼类型. Deadline: 20 working days after receipt, 40 when extended; holidays of 2024–2025\n\
are built in, other years from --holidays. Exit status: 0 fine, 1 an overdue request or a table error, 2 unreadable ledger."
    )]
    Ledger(ledger::LedgerArgs),
    /// 启动网页应用：浏览、核对、修改、对比、图表 (serve the web application)
    #[command(
        after_help = "Example / 示例:\n  nianbao users add 管理员 --role admin   # 先建第一个管理员，密码从标准输入读\n  \
nianbao serve --db nianbao.db --listen 127.0.0.1:8080\n\n\
Pages in Chinese for people; a JSON API under /api/ (OpenAPI at /api/openapi.json) answering 401 without a session."
    )]
    Serve {
        #[command(flatten)]
        db: corpus::DbArg,
        /// 监听地址 (address to listen on)
        #[arg(long, default_value = "127.0.0.1:8080", env = "NIANBAO_LISTEN")]
        listen: String,
        /// 单个上传文件的上限（MB）(largest upload per file, MB)
        #[arg(long, default_value_t = 50, env = "NIANBAO_MAX_UPLOAD_MB")]
        max_upload_mb: usize,
        /// 每个用户 24 小时内最多上传（MB，管理员不限；0 为不限）(per-user upload quota per 24 hours, MB; admins exempt; 0: none)
        #[arg(long, default_value_t = 2048, env = "NIANBAO_UPLOAD_QUOTA_MB")]
        upload_quota_mb: u64,
        /// HTTPS：证书链 PEM 文件（与 --tls-key 同用）(serve HTTPS with this PEM certificate chain)
        #[arg(long, requires = "tls_key", env = "NIANBAO_TLS_CERT")]
        tls_cert: Option<std::path::PathBuf>,
        /// HTTPS：私钥 PEM 文件 (the PEM private key of --tls-cert)
        #[arg(long, requires = "tls_cert", env = "NIANBAO_TLS_KEY")]
        tls_key: Option<std::path::PathBuf>,
        /// 上传文件等待后台读取的目录（默认：SQLite 文件旁的 DB.uploads）(where uploads wait to be read)
        #[arg(long, env = "NIANBAO_SPOOL")]
        spool: Option<std::path::PathBuf>,
        /// 可信的反向代理地址（可多个）：只采信它们的 X-Forwarded-For / Forwarded 作为客户端地址
        /// (a reverse proxy whose X-Forwarded-For / Forwarded is believed; repeat for several)
        #[arg(
            long = "trusted-proxy",
            value_name = "IP",
            env = "NIANBAO_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// 在任务页面从网站收集年报时，同一网站两次请求的最短间隔（秒）
        /// (least seconds between two requests to one host when a campaign collects from portals)
        #[arg(long, default_value_t = 1.0, env = "NIANBAO_COLLECT_INTERVAL")]
        collect_interval: f64,
    },
    /// 用户管理：新增用户（密码从标准输入读取）(manage web users; the password is read from stdin)
    Users {
        #[command(subcommand)]
        action: UsersAction,
    },
    /// 从各机关网站收集年报：找到年报栏目、逐页读取、下载正文与附件并入库 (collect the reports from the portals where they are published)
    #[command(after_help = "Example / 示例:
  nianbao collect 站点清单.csv --db nianbao.db --year 2025 --user-agent 'nianbao (XX市政务公开办 0591-1234567)'

The list (CSV or XLSX) has a header with the agency's name (机关/单位/名称), the URL (网址/栏目/url:
the annual-report column, or the home page to find the column from its links) and optionally
the division code (区划代码). robots.txt is kept; one request per host per --interval seconds.
A second run asks only what changed (ETag / Last-Modified); a run stopped at any point resumes.
Prints one row per report found (publish date, where the date came from, on time or late) and
one per agency with none, with the reason.")]
    Collect(collect::CollectArgs),
    /// 配置：config check 显示生效的设置及其来源，并指出问题 (configuration: `config check` prints the effective settings, where each came from, and what is wrong)
    #[command(after_help = "Example / 示例:
  nianbao config check
  nianbao --config /etc/nianbao/nianbao.toml config check

The file (TOML; /etc/nianbao/nianbao.toml when it exists, or --config, or NIANBAO_CONFIG):
  [store]   url = \"/var/lib/nianbao/nianbao.db\"          # or postgres://…
  [serve]   listen, tls_cert, tls_key, spool, max_upload_mb, upload_quota_mb, trusted_proxies = [\"127.0.0.1\"],
            collect_interval
  [readers] pdf_text (hayro|pdfium|poppler), ocr (tesseract|ppocr|both), pdf_rules
            (vector|raster), pdfium (library directory), ppocr (model directory),
            seconds (per file, 10), page_seconds (per scanned page, 60), memory_mb (4096)
Flags override environment variables (NIANBAO_DB, NIANBAO_LISTEN, …), which override the file.
Exit 1 when something is wrong.")]
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// 备份 SQLite 语料库：服务运行时也可，得到完整一致的副本 (copy a SQLite store, safe while it is in use)
    #[command(after_help = "Example / 示例:
  nianbao backup --db /var/lib/nianbao/nianbao.db -o /backup/nianbao-2026-12-07.db

SQLite's online backup: the copy is consistent even while `nianbao serve` writes; it is checked
(integrity, nianbao schema) before it takes its name; an existing file is never overwritten.
A PostgreSQL store: use pg_dump (the command prints how).")]
    Backup {
        #[command(flatten)]
        db: corpus::DbArg,
        /// 备份文件（不能已存在）(the copy to write; must not exist)
        #[arg(short, long)]
        output: PathBuf,
    },
    /// 由备份恢复 SQLite 语料库（请先停止服务）(put a backup in place as the store; stop the server first)
    Restore {
        /// 备份文件 (the backup)
        backup: PathBuf,
        #[command(flatten)]
        db: corpus::DbArg,
        /// 替换已有的语料库（原文件保留为 DB.before-restore）(replace an existing store, kept as DB.before-restore)
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Subcommand)]
enum ConfigAction {
    /// 显示生效的设置与问题 (print the effective settings and what is wrong)
    Check,
}

#[derive(Subcommand)]
enum UsersAction {
    /// 新增用户 (add a user)
    Add {
        name: String,
        /// admin（管理用户、合并机构）、reviewer（上传、修改、确认问题）、viewer（只读）、agency（报送单位：只报送、查看本单位的报告，须 --agency）
        #[arg(long, default_value = "viewer", value_parser = |s: &str| nianbao_corpus::review::Role::parse(s).ok_or("角色应为 admin、reviewer、viewer 或 agency"))]
        role: nianbao_corpus::review::Role,
        /// 报送单位账号所属机构，可重复（县里代乡镇报送时填多个）(the agency an agency user files for; repeatable)
        #[arg(long = "agency")]
        agencies: Vec<String>,
        #[command(flatten)]
        db: corpus::DbArg,
    },
    /// 列出用户 (list users)
    List {
        #[command(flatten)]
        db: corpus::DbArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Lang {
    /// 中文 (English in brackets)
    #[value(name = "zh-en")]
    ZhEn,
    Zh,
    En,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    // The configuration file first: its settings become the environment the flags fall back
    // to (before any thread starts).
    let args: Vec<String> = std::env::args().collect();
    // A copy of this program reading one file for its parent (see nianbao_read::isolate).
    if args.get(1).map(String::as_str) == Some(nianbao_read::isolate::WORKER_ARG) {
        return nianbao_read::isolate::worker_main();
    }
    let (config_path, settings) = match config::path(&args) {
        Some((path, named)) => match config::load(&path) {
            Ok(file) => (Some(path), config::apply(&file)),
            Err(e) if named || path.exists() => {
                eprintln!("nianbao: {e}");
                return ExitCode::from(2);
            }
            Err(_) => (None, config::apply(&config::File::default())),
        },
        None => (None, config::apply(&config::File::default())),
    };
    let cli = Cli::parse();
    // PDFs, images and Word files are read in a worker under the readers' time and memory
    // budget; without one (the executable cannot be found) they are read in-process.
    nianbao_read::isolate::enable(None);
    let result = match cli.cmd {
        Cmd::Extract { files, docx_pages } => extract(&files, docx_pages.as_deref()),
        Cmd::Check {
            files,
            lang,
            format,
        } => check(&files, lang, format),
        Cmd::Ingest {
            paths,
            db,
            quiet,
            queue: true,
            worker,
        } => return corpus::ingest_queued(&paths, &db.db, quiet, worker),
        Cmd::Ingest {
            paths, db, quiet, ..
        } => return corpus::ingest(&paths, &db.db, quiet),
        Cmd::Agencies { db, action } => return corpus::agencies(&db.db, action),
        Cmd::Export {
            db,
            format,
            shape,
            zh_headers,
            file_names,
            output,
            partition,
            filter,
        } => {
            return corpus::export(
                &db.db,
                corpus::ExportArgs {
                    format,
                    shape,
                    zh_headers,
                    file_names,
                    output,
                    partition,
                },
                &filter,
            )
        }
        Cmd::Stats {
            db,
            format,
            publication: true,
            filter,
            ..
        } => return corpus::publication(&db.db, &filter, format),
        Cmd::Stats {
            db,
            by,
            format,
            filter,
            ..
        } => return corpus::stats(&db.db, by, &filter, format),
        Cmd::Render(args) => return render::run(args),
        Cmd::Ledger(args) => return ledger::run(args),
        Cmd::Serve {
            db,
            listen,
            max_upload_mb,
            upload_quota_mb,
            tls_cert,
            tls_key,
            spool,
            trusted_proxies,
            collect_interval,
        } => {
            let spool = spool.unwrap_or_else(|| nianbao_web::default_spool(&db.db));
            let tls = tls_cert
                .zip(tls_key)
                .map(|(cert, key)| nianbao_web::Tls { cert, key });
            return match nianbao_web::serve(
                &db.db,
                &listen,
                max_upload_mb << 20,
                tls,
                spool,
                trusted_proxies,
                std::time::Duration::from_secs_f64(collect_interval.max(0.0)),
                upload_quota_mb << 20,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("nianbao: {e}");
                    ExitCode::from(2)
                }
            };
        }
        Cmd::Users { action } => return users(action),
        Cmd::Collect(args) => return collect::run(args),
        Cmd::Config {
            action: ConfigAction::Check,
        } => return config_check(config_path.as_deref(), &settings),
        Cmd::Backup { db, output } => return backup(&db.db, &output),
        Cmd::Restore {
            backup,
            db,
            replace,
        } => return restore(&backup, &db.db, replace),
    };
    match result {
        Ok(code) => code,
        // Only writing to stdout can fail here (e.g. a closed pipe).
        Err(_) => ExitCode::from(3),
    }
}

fn is_postgres(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

fn backup(db: &str, output: &std::path::Path) -> ExitCode {
    if is_postgres(db) {
        eprintln!("{}", nianbao_corpus::backup::POSTGRES);
        return ExitCode::from(2);
    }
    match nianbao_corpus::backup::copy(std::path::Path::new(db), output) {
        Ok(c) => {
            println!(
                "已备份到 {}：{} 份报告，结构版本 {} (backed up: {} reports, schema {})",
                output.display(),
                c.reports,
                c.schema,
                c.reports,
                c.schema
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("备份失败 (backup failed): {e}");
            ExitCode::from(2)
        }
    }
}

fn restore(backup: &std::path::Path, db: &str, replace: bool) -> ExitCode {
    if is_postgres(db) {
        eprintln!("{}", nianbao_corpus::backup::POSTGRES);
        return ExitCode::from(2);
    }
    match nianbao_corpus::backup::restore(backup, std::path::Path::new(db), replace) {
        Ok(c) => {
            println!(
                "已恢复到 {db}：{} 份报告，结构版本 {} (restored: {} reports, schema {})",
                c.reports, c.schema, c.reports, c.schema
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("恢复失败 (restore failed): {e}");
            ExitCode::from(2)
        }
    }
}

fn users(action: UsersAction) -> ExitCode {
    let result = match action {
        UsersAction::Add {
            name,
            role,
            agencies,
            db,
        } => {
            let db = db.db.as_str();
            let mut line = String::new();
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprint!("{name} 的密码（至少 10 个字符）: ");
            }
            match std::io::stdin().read_line(&mut line) {
                Ok(_) => {
                    let password = line.trim_end_matches(['\r', '\n']);
                    nianbao_web::add_user(db, &name, password, role, &agencies).map(|of| {
                        let of = if of.is_empty() {
                            String::new()
                        } else {
                            format!("：{}", of.join("、"))
                        };
                        println!("已新增用户 {name}（{}{of}）", role.name_zh())
                    })
                }
                Err(e) => Err(e.to_string()),
            }
        }
        UsersAction::List { db } => nianbao_corpus::Store::open(&db.db)
            .and_then(|mut s| s.users())
            .map(|list| {
                list.iter().for_each(|u| {
                    let of: Vec<&str> = u.agencies.iter().map(|(_, n)| n.as_str()).collect();
                    println!("{}\t{}\t{}", u.name, u.role.as_str(), of.join("、"))
                })
            })
            .map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nianbao: {e}");
            ExitCode::from(2)
        }
    }
}

/// Reads and extracts one file; the error is a one-line reason.
/// A panic (none is known; the readers and extractor are fuzzed) is this file's error, and
/// the files after it are still read.
fn load(path: &Path) -> Result<(Report, Vec<Finding>, &'static str), String> {
    nianbao_read::guard::quietly(|| {
        let source = nianbao_read::read_file(path).map_err(|e| e.to_string())?;
        let (r, findings) = nianbao_pipeline::analyse(&source, &path.display().to_string());
        Ok((r, findings, source.format))
    })
    .unwrap_or_else(|why| Err(nianbao_read::guard::internal_error(&why)))
}

fn extract(files: &[PathBuf], docx_pages: Option<&Path>) -> std::io::Result<ExitCode> {
    if let Some(dir) = docx_pages {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for f in files {
        let name = f.display().to_string();
        let line = match load(f) {
            Ok((mut r, findings, format)) => {
                let rendering = match docx_pages {
                    Some(dir) if matches!(format, "docx" | "doc") => render_pages(f, dir, &mut r)
                        .map_err(|e| {
                            eprintln!("{name}: 未能排版成页面 (no page layout): {e}");
                            e
                        }),
                    _ => Err(String::new()),
                };
                let mut v = output::report_json(&name, format, &r, &findings);
                if let Ok(pdf) = rendering {
                    v["rendering"] = pdf.display().to_string().into();
                }
                v
            }
            Err(e) => {
                failed = true;
                eprintln!("{name}: {e}");
                output::error_json(&name, &e)
            }
        };
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Renders a Word file's pages to DIR/<name>.pdf and gives its cells their boxes there.
fn render_pages(file: &Path, dir: &Path, r: &mut Report) -> Result<PathBuf, String> {
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let rendering = nianbao_corpus::rendering::render(&bytes).map_err(|e| e.to_string())?;
    let stem = file.file_stem().unwrap_or_default();
    let pdf = dir.join(stem).with_extension("pdf");
    std::fs::write(&pdf, &rendering.pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
    nianbao_corpus::rendering::attach(r, &rendering.boxes);
    Ok(pdf)
}

fn check(files: &[PathBuf], lang: Lang, format: Format) -> std::io::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut any_error, mut unreadable) = (false, false);
    for f in files {
        let name = f.display().to_string();
        match load(f) {
            Ok((r, findings, _)) => {
                any_error |= findings.iter().any(|x| x.severity == Severity::Error);
                if format == Format::Json {
                    writeln!(out, "{}", output::check_json(&name, &r, &findings))?;
                } else {
                    human::block(&mut out, &name, &r, &findings, lang)?;
                }
            }
            Err(e) => {
                unreadable = true;
                if format == Format::Json {
                    writeln!(out, "{}", output::error_json(&name, &e))?;
                } else {
                    writeln!(out, "== {name}\n   无法读取 (cannot read): {e}\n")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(if unreadable {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `config check`: every setting with its value and origin, then what is wrong.
fn config_check(path: Option<&Path>, settings: &[config::Setting]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let _ = match path {
        Some(p) => writeln!(out, "配置文件 (config file): {}", p.display()),
        None => writeln!(
            out,
            "配置文件 (config file): 无（{} 不存在）(none)",
            config::DEFAULT_PATH
        ),
    };
    for s in settings {
        let _ = writeln!(
            out,
            "{:<24} {:<26} {:<28} {}",
            s.key,
            s.env,
            s.origin.zh(),
            s.value.as_deref().unwrap_or(config::default_of(s.key))
        );
    }
    let problems = config::problems(settings);
    if problems.is_empty() {
        let _ = writeln!(out, "设置无误 (no problems found)");
        ExitCode::SUCCESS
    } else {
        for p in &problems {
            let _ = writeln!(out, "问题 (problem): {p}");
        }
        ExitCode::from(1)
    }
}
