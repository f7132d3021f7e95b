//! A made-up fourth official format, given to nianbao as one `Definition` and nothing else:
//! a statistics table of two rows and one identity. Its report is extracted (from text,
//! and back from its own HTML, DOCX and PDF renderings), checked, stored, counted and
//! exported (CSV, JSON, XLSX, Parquet read back by DuckDB) — no code outside this file
//! knows the format. (In-process: a registered template lives in the process that
//! registered it, so the `nianbao` binary is not used here.)

mod common;

use nianbao_corpus::export::{self, Format, Options, Shape};
use nianbao_corpus::store::Filter;
use nianbao_corpus::Store;
use nianbao_model::layout::{Col, Line};
use nianbao_model::{Definition, Form, Report, Rule, Severity, Statistics, Sum, Template};
use std::path::Path;
use std::process::Command;

const COUNT: &[Col] = &[Col {
    suffix: "",
    head: "数量",
}];

const fn row(key: &'static str, label: &'static str, matches: &'static [&'static str]) -> Line {
    Line {
        key,
        group: &[],
        label,
        matches,
        unit: "件",
        cols: COUNT,
    }
}

static ROWS: &[Line] = &[
    Line {
        key: "",
        group: &[],
        label: "一、依申请公开",
        matches: &[],
        unit: "",
        cols: &[],
    },
    row("x2030.received", "本年收到申请数", &["本年收到申请数"]),
    row("x2030.answered", "本年答复申请数", &["本年答复申请数"]),
];

static MADE_UP: Definition = Definition {
    id: "2030",
    name_zh: "2030年版格式（测试用虚构格式）",
    name_en: "made-up 2030 format",
    short_zh: "2030年版格式",
    first_year: 2030,
    marks: &["依申请公开统计表", "本年收到申请数", "本年答复申请数"],
    form: Form::Statistics(Statistics {
        table: "依申请公开统计表",
        title: "依申请公开统计表",
        head: ["项目", "单位", "数量"],
        lines: ROWS,
        variants: &[],
        sums: &[Sum {
            name: "本年收到申请数",
            total: "x2030.received",
            parts: &["x2030.answered"],
        }],
        sum_rule: Rule::TableSum,
        sum_severity: Severity::Error,
        missing: Severity::Error,
        missing_note: "",
    }),
};

fn text(answered: i64) -> String {
    format!(
        "某县数据局2030年政府信息公开工作年度报告\n\
         一、总体情况\n2030年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。\n\
         二、主动公开政府信息情况\n本年主动公开政府信息35条。\n\
         附件\n依申请公开统计表\n项目\t单位\t数量\n一、依申请公开\n\
         本年收到申请数\t件\t12\n本年答复申请数\t件\t{answered}\n"
    )
}

fn values(r: &Report) -> (Option<i64>, Option<i64>) {
    (r.int("x2030.received"), r.int("x2030.answered"))
}

/// The findings of the rules (not the extractor's doubts) as (rule, severity, message).
fn findings(r: &Report) -> Vec<(Rule, Severity, String)> {
    nianbao_check::findings(r)
        .into_iter()
        .map(|f| (f.rule, f.severity, f.message_zh))
        .collect()
}

/// Reads a rendering back as `nianbao ingest` would.
fn read_back(bytes: &[u8]) -> Report {
    let source = nianbao_read::read_bytes(bytes).expect("rendering reads back");
    nianbao_pipeline::analyse(&source, "rendering").0
}

#[test]
fn a_made_up_fourth_template_extracts_checks_renders_and_exports() {
    let t = Template::register(&MADE_UP).unwrap();
    assert_eq!(Template::parse("2030"), Some(t));
    assert_eq!(Template::for_year(2030), t);
    assert_eq!(Template::for_year(2029), Template::Y2021);
    assert_eq!(
        nianbao_model::keys_for(t),
        &["x2030.received", "x2030.answered"]
    );

    // Extraction: the format is told from its marks, the two rows read into their cells.
    let bad = nianbao_extract::extract(&text(11));
    assert_eq!(bad.template, t);
    assert_eq!(bad.year, Some(2030));
    assert_eq!(bad.agency.as_deref(), Some("某县数据局"));
    assert_eq!(bad.tables, vec!["依申请公开统计表".to_string()]);
    assert_eq!(values(&bad), (Some(12), Some(11)));
    let ev = &bad
        .cells
        .get("x2030.answered")
        .unwrap()
        .evidence
        .as_ref()
        .unwrap();
    assert_eq!(ev.raw, "11");

    // Checks: its one identity fails, nothing else is said; the good report is clean.
    assert_eq!(
        findings(&bad),
        vec![(
            Rule::TableSum,
            Severity::Error,
            "依申请公开统计表“本年收到申请数”为 12，分项之和为 11".to_string()
        )]
    );
    let good = nianbao_extract::extract(&text(12));
    assert_eq!(findings(&good), vec![]);
    // A report of its year without the table misses it, as the definition says.
    let bare = nianbao_extract::extract(text(12).split("附件").next().unwrap());
    assert_eq!(bare.template, t);
    assert_eq!(
        findings(&bare),
        vec![(
            Rule::TableMissing,
            Severity::Error,
            "未找到依申请公开统计表的统计表".to_string()
        )]
    );

    // Rendering: HTML, DOCX and PDF in the format's layout, each read back to the values.
    let html = nianbao_render::to_html(&bad);
    assert!(html.contains("依申请公开统计表") && html.contains("本年答复申请数"));
    assert_eq!(values(&read_back(html.as_bytes())), (Some(12), Some(11)));
    let docx = nianbao_render::to_docx(&bad).unwrap();
    let back = read_back(&docx);
    assert_eq!((back.template, values(&back)), (t, (Some(12), Some(11))));
    if common::soffice() {
        let pdf = nianbao_render::to_pdf(&bad).unwrap();
        let back = read_back(&pdf);
        assert_eq!((back.template, values(&back)), (t, (Some(12), Some(11))));
    }

    // The store: ingest, load, count.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("某县数据局2030年报.txt");
    std::fs::write(&input, text(11)).unwrap();
    let db = dir.path().join("corpus.db");
    let mut store = Store::open(db.to_str().unwrap()).unwrap();
    let summary = nianbao_corpus::ingest::ingest(&mut store, &[input], &mut |_, _| {}).unwrap();
    assert_eq!((summary.new, summary.failed.len()), (1, 0), "{summary:?}");
    let stored = store.report(1).unwrap().unwrap();
    assert_eq!(stored.report.template, t);
    assert_eq!(values(&stored.report), (Some(12), Some(11)));
    assert!(stored.findings.iter().any(|f| f.rule == Rule::TableSum));
    let groups = store
        .stats(nianbao_corpus::stats::By::Template, &Filter::default())
        .unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!((groups[0].group.as_str(), groups[0].reports), ("2030", 1));
    assert_eq!(groups[0].identity_pass_rate, Some(0.0));
    assert_eq!(groups[0].template_right_rate, Some(1.0));

    // Exports: its keys are the columns, its values the cells.
    let mut run = |format: Format| -> Vec<u8> {
        let opts = Options {
            format,
            shape: Shape::Wide,
            chinese_headers: false,
            file_names: false,
            filter: Filter {
                template: Some(t),
                ..Filter::default()
            },
        };
        let mut out = Vec::new();
        assert_eq!(export::export(&mut store, &opts, &mut out).unwrap(), 1);
        out
    };
    let csv = String::from_utf8(run(Format::Csv)).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |k: &str| row[header.iter().position(|h| *h == k).unwrap()];
    assert_eq!(
        (at("template"), at("x2030.received"), at("x2030.answered")),
        ("2030", "12", "11")
    );
    assert!(!header
        .iter()
        .any(|h| h.starts_with("t3.") || h.starts_with("legacy.")));

    let json: serde_json::Value =
        serde_json::from_slice(run(Format::Json).split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(json["template"], "2030");
    assert_eq!(json["x2030.answered"], 11);

    let xlsx = dir.path().join("export.xlsx");
    std::fs::write(&xlsx, run(Format::Xlsx)).unwrap();
    let cells = sheet_text(&xlsx);
    assert!(cells.iter().any(|c| c == "依申请公开统计表"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "本年答复申请数"), "{cells:?}");

    let parquet = dir.path().join("export.parquet");
    std::fs::write(&parquet, run(Format::Parquet)).unwrap();
    assert_eq!(duckdb(&parquet), "2030|12|11");
}

/// Every string cell of every sheet.
fn sheet_text(path: &Path) -> Vec<String> {
    use calamine::{open_workbook_auto, Reader};
    let mut book = open_workbook_auto(path).unwrap();
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        out.extend(range.cells().map(|(_, _, c)| c.to_string()));
    }
    out
}

/// The Parquet file's template and two cells, as DuckDB reads them.
fn duckdb(path: &Path) -> String {
    let sql = format!(
        "SELECT template || '|' || CAST(\"x2030.received\" AS BIGINT) || '|' || CAST(\"x2030.answered\" AS BIGINT) FROM '{}'",
        path.display()
    );
    let out = Command::new("python3")
        .args([
            "-c",
            "import duckdb,sys; print(duckdb.sql(sys.argv[1]).fetchall()[0][0])",
        ])
        .arg(&sql)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "DuckDB (pip install duckdb) read the Parquet export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
