//! `nianbao render`: every seed and generated reports of each template rendered to HTML,
//! DOCX and PDF and read back by `nianbao extract` give identical values.

mod common;

use common::{differences, extract, gold_file, soffice};
use nianbao_model::{json, Report, Section, Template};
use nianbao_synth::{report, rng};
use std::path::{Path, PathBuf};
use std::process::Command;

fn seeds() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    common::files(&dir, ".gold.json")
}

fn render(input: &Path, to: &str, out: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["render", "--to", to, "-o"])
        .arg(out)
        .arg(input)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Reports to round-trip: every seed as `nianbao extract` reads it, and generated reports
/// of each template with narrative sections.
fn inputs(dir: &Path) -> Vec<(PathBuf, Report)> {
    let mut out = Vec::new();
    let seeds = seeds();
    assert_eq!(seeds.len(), 5);
    let (lines, _) = extract(
        &seeds
            .iter()
            .map(|g| PathBuf::from(g.to_string_lossy().replace(".gold.json", ".txt")))
            .collect::<Vec<_>>(),
    );
    for (gold, line) in seeds.iter().zip(lines) {
        let want = gold_file(gold);
        assert!(
            differences(&want, &line).is_empty(),
            "{}: extraction differs from gold",
            gold.display()
        );
        let path = dir.join(
            gold.file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".gold", ""),
        );
        std::fs::write(&path, line.to_string()).unwrap();
        out.push((path, want));
    }
    let mut g = rng(2026);
    for (i, template) in [
        Template::Y2019,
        Template::Y2021,
        Template::Legacy,
        Template::Y2021,
    ]
    .into_iter()
    .enumerate()
    {
        let mut r = report(&mut g, template);
        r.agency = Some(
            [
                "东湖街道办事处",
                "尉氏县交通运输局",
                "北冷乡人民政府",
                "某市生态环境局",
            ][i]
                .into(),
        );
        r.year = Some(match template {
            Template::Legacy => 2017,
            Template::Y2019 => 2020,
            _ => 2023,
        });
        if template != Template::Legacy {
            r.sections = vec![
                Section { number: 1, title: "一、总体情况".into(), text: "本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》。\n\n（一）主动公开。全年主动公开政府信息120条。".into() },
                Section { number: 5, title: "五、存在的主要问题及改进情况".into(), text: "信息公开的及时性有待提高。".into() },
                Section { number: 6, title: "六、其他需要报告的事项".into(), text: "本年度未收取信息处理费。".into() },
            ];
        }
        let path = dir.join(format!("generated-{i}.json"));
        std::fs::write(
            &path,
            json::to_json("generated", "synth", &r, &[]).to_string(),
        )
        .unwrap();
        out.push((path, r));
    }
    out
}

fn round_trip(formats: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let inputs = inputs(dir.path());
    for to in formats {
        let mut outputs = Vec::new();
        for (path, _) in &inputs {
            let out = path.with_extension(to);
            let (code, err) = render(path, to, &out);
            assert_eq!(code, 0, "{}: {err}", path.display());
            outputs.push(out);
        }
        let (lines, code) = extract(&outputs);
        assert_eq!(code, 0);
        for ((path, want), got) in inputs.iter().zip(&lines) {
            assert_eq!(got["format"], *to);
            let d = differences(want, got);
            assert!(d.is_empty(), "{} as {to}: {d:#?}", path.display());
        }
    }
}

#[test]
fn html_round_trip_gives_identical_values() {
    round_trip(&["html"]);
}

#[test]
fn docx_and_pdf_round_trip_gives_identical_values() {
    if !soffice() {
        return;
    }
    round_trip(&["docx", "pdf"]);
}

#[test]
fn bad_report_objects_are_refused_with_a_reason_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "typo.json",
            r#"{"template":"2021","values":{"t3.recieved.total":5}}"#,
            "t3.recieved.total",
        ),
        (
            "words.json",
            r#"{"template":"2021","values":{"t3.received.total":"五件"}}"#,
            "t3.received.total",
        ),
        (
            "two.json",
            "{\"template\":\"2021\"}\n{\"template\":\"2021\"}\n",
            "多份报告",
        ),
        ("broken.json", "{\"template\":", "JSON"),
        ("empty.json", "", "为空"),
        ("gbk.json", "", "UTF-8"),
        ("huge.json", "", "过大"),
    ];
    for (name, text, reason) in cases {
        let input = dir.path().join(name);
        std::fs::write(&input, text).unwrap();
        match name {
            // 报告 in GBK: not UTF-8.
            "gbk.json" => std::fs::write(&input, b"{\"agency\":\"\xb1\xa8\xb8\xe6\"}").unwrap(),
            // A sparse file of 1 GB.
            "huge.json" => std::fs::File::options()
                .write(true)
                .open(&input)
                .unwrap()
                .set_len(1 << 30)
                .unwrap(),
            _ => {}
        }
        let out = dir.path().join("out.html");
        let (code, err) = render(&input, "html", &out);
        assert_eq!(code, 2, "{name}");
        assert!(err.contains(name) && err.contains(reason), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{name}: {err}");
        assert!(!out.exists(), "{name}: an output file was left");
    }
}

#[test]
fn a_stored_report_renders_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let seed = seeds()[1].to_string_lossy().replace(".gold.json", ".txt");
    let st = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["ingest", "-q", "--db"])
        .arg(&db)
        .arg(&seed)
        .status()
        .unwrap();
    assert!(st.success());
    let out = dir.path().join("stored.html");
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["render", "--id", "1", "--to", "html", "--db"])
        .arg(&db)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (lines, _) = extract(std::slice::from_ref(&out));
    assert!(differences(&gold_file(&seeds()[1]), &lines[0]).is_empty());
    let o = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["render", "--id", "99", "--to", "html", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("99"));
}

#[test]
fn a_ledger_becomes_tables_a_report_and_deadline_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("台账.csv");
    std::fs::write(
        &csv,
        "编号,收到日期,申请人类型,办理结果,答复日期,延期,复议日期,复议结果\n\
         2024-01,2024-02-01,自然人,予以公开,2024-02-20,否,,\n\
         2024-02,2024/3/1,商业企业,不予公开-属于国家秘密,2024-03-15,否,2024-04-10,\n\
         2024-03,2024年9月27日,自然人,,,否,,\n\
         2024-04,2024-12-16,科研机构,部分公开,2025-01-08,是,,\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("ledger")
            .arg(&csv)
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&["--year", "2024", "--today", "2024-10-23"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("本年新收 4，上年结转 0，本年办结 2，结转下年度 2"),
        "{text}"
    );
    assert!(
        text.contains("2024-10-30") && text.contains("还剩 5 个工作日"),
        "{text}"
    );
    let o = run(&["--year", "2024", "--today", "2024-10-31"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("逾期 1 个工作日"));
    // The report object goes to render; the rendered page reads back to the same tables.
    let o = run(&[
        "--year",
        "2024",
        "--today",
        "2024-10-01",
        "--agency",
        "某镇人民政府",
        "--json",
    ]);
    let json_path = dir.path().join("2024.json");
    std::fs::write(&json_path, &o.stdout).unwrap();
    let page = dir.path().join("2024.html");
    assert_eq!(render(&json_path, "html", &page).0, 0);
    let (lines, _) = extract(&[page]);
    let v = |k: &str| lines[0]["values"][k].as_i64().unwrap();
    assert_eq!(
        (
            v("t3.received.total"),
            v("t3.granted.natural"),
            v("t3.denied.secret.commercial")
        ),
        (4, 1, 1)
    );
    assert_eq!(
        (
            v("t3.carried_over.total"),
            v("t4.review.pending"),
            v("t4.review.total")
        ),
        (2, 1, 1)
    );
    assert_eq!(lines[0]["agency"], "某镇人民政府");
    // A ledger with a bad row: exit 2, the row named.
    std::fs::write(&csv, "收到日期,申请人类型\n2024-02-30,自然人\n").unwrap();
    let o = run(&["--year", "2024"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("第 2 行"));
}

/// A composed report ready to publish: table 三's header rows repeat on the page it runs
/// onto (a row broken there still reads back whole), the East Asian text is marked Chinese,
/// and the 公文 faces come out as Chinese serif (仿宋, 小标宋) and sans (黑体) stand-ins —
/// two faces, not one fallback for everything.
#[test]
fn composed_reports_repeat_headers_and_use_chinese_faces() {
    if !soffice() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds/001_108787ae7295ae56.txt");
    let (lines, _) = extract(&[seed]);
    let json = dir.path().join("001.json");
    std::fs::write(&json, lines[0].to_string()).unwrap();
    let (docx, pdf) = (dir.path().join("001.docx"), dir.path().join("001.pdf"));
    assert_eq!(render(&json, "docx", &docx).0, 0);
    assert_eq!(render(&json, "pdf", &pdf).0, 0);
    let unzip = |name: &str| {
        let out = Command::new("unzip")
            .args(["-p"])
            .arg(&docx)
            .arg(name)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(unzip("word/styles.xml").contains("w:eastAsia=\"zh-CN\""));
    // Header rows of tables 二 (its first item), 三 and 四 repeat.
    assert!(
        unzip("word/document.xml")
            .matches("<w:tblHeader />")
            .count()
            >= 5
    );
    // Table 三 breaks over two pages with its header on both.
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap()
        .stdout;
    let pages: Vec<String> = String::from_utf8(text)
        .unwrap()
        .split('\u{c}')
        .map(str::to_string)
        .collect();
    let with_header = pages.iter().filter(|p| p.contains("申请人情况")).count();
    assert_eq!(with_header, 2, "header not repeated");
    let (back, _) = extract(std::slice::from_ref(&pdf));
    assert!(differences(
        &gold_file(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../corpus/seeds/001_108787ae7295ae56.gold.json")
        ),
        &back[0]
    )
    .is_empty());
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap().stdout;
    let fonts = String::from_utf8(fonts).unwrap();
    let cjk: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| n.contains("CJK") || n.contains("WenQuanYi"))
        .collect();
    let noto = cjk.iter().any(|n| n.contains("Noto"));
    if noto {
        assert!(
            cjk.iter().any(|n| n.contains("Serif")) && cjk.iter().any(|n| n.contains("Sans")),
            "{fonts}"
        );
    } else {
        assert!(!cjk.is_empty(), "{fonts}");
    }
}
