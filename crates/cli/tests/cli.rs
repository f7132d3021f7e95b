//! The command line: exit codes, bad input, encodings, help.

mod common;

use common::seed;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn nianbao(args: &[&str], files: &[&Path]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .args(files)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn check_exit_codes() {
    let (out, _, code) = nianbao(&["check"], &[&seed("001_108787ae7295ae56.txt")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("西店镇 · 2019年度"));
    assert!(out.contains("共 0 条"));
    let (out, _, code) = nianbao(&["check"], &[&seed("003_c6fe95c377c36cea.txt")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("错误 [table.missing] 未找到二、主动公开政府信息情况的统计表 (the table of"),
        "{out}"
    );
    let (out, _, _) = nianbao(
        &["check", "--lang", "en"],
        &[&seed("003_c6fe95c377c36cea.txt")],
    );
    assert!(out.contains("error [table.missing] the table of"), "{out}");
    assert!(!out.contains("未找到"));
    let (out, _, code) = nianbao(
        &["check", "--format", "json"],
        &[&seed("003_c6fe95c377c36cea.txt")],
    );
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["findings"][0]["rule"], "table.missing");
    assert_eq!(v["findings"][0]["severity"], "error");
}

#[test]
fn bad_files_get_a_one_line_reason_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let binary = dir.path().join("garbage.bin");
    std::fs::write(
        &binary,
        (0..5000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let pdf = dir.path().join("report.txt");
    std::fs::write(&pdf, b"%PDF-1.7\n1 0 obj\n").unwrap();
    let missing = dir.path().join("missing.txt");
    let good = seed("002_3bceb6a2129e3845.txt");
    let (out, err, code) = nianbao(
        &["extract"],
        &[&empty, &binary, &good, &pdf, &missing, dir.path()],
    );
    assert_eq!(code, 2);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["error"], "空文件 (empty file)");
    assert!(
        lines[1]["error"].as_str().unwrap().contains("binary"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["template"], "2021");
    assert!(lines[3]["error"].as_str().unwrap().contains("PDF"));
    assert!(lines[4]["error"]
        .as_str()
        .unwrap()
        .starts_with("无法读取文件"));
    assert!(lines[5]["error"].as_str().unwrap().contains("directory"));
    // One line of stderr per bad file, naming it.
    assert_eq!(err.lines().count(), 5);
    assert!(err
        .lines()
        .next()
        .unwrap()
        .starts_with(&empty.display().to_string()));
}

#[test]
fn gbk_and_utf16_copies_give_the_same_values() {
    let path = seed("001_108787ae7295ae56.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gbk = dir.path().join("gbk.txt");
    // GBK has no NBSP: a real GBK file carries ordinary spaces there.
    let plain = text.replace('\u{A0}', " ");
    let (bytes, _, lossy) = encoding_rs::GBK.encode(&plain);
    assert!(!lossy);
    std::fs::write(&gbk, bytes).unwrap();
    let utf16 = dir.path().join("utf16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes).unwrap();
    let bom = dir.path().join("bom.txt");
    std::fs::write(&bom, [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()).unwrap();
    let (out, _, code) = nianbao(&["extract"], &[&path, &gbk, &utf16, &bom]);
    assert_eq!(code, 0);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for l in &lines[1..] {
        assert_eq!(l["values"], lines[0]["values"]);
        assert_eq!(l["agency"], "西店镇");
    }
}

#[test]
fn help_says_what_each_command_does_with_an_example() {
    for cmd in ["extract", "check"] {
        let (out, _, code) = nianbao(&[cmd, "--help"], &[]);
        assert_eq!(code, 0);
        assert!(out.contains("Example / 示例:"), "{cmd}: {out}");
        assert!(out.contains(&format!("nianbao {cmd} ")), "{cmd}");
    }
    let (out, _, _) = nianbao(&["--help"], &[]);
    assert!(out.contains("年度报告"));
    assert!(out.contains("nianbao check corpus/seeds/*.txt"));
}

#[test]
fn a_1_gb_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("huge.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let (out, _, code) = nianbao(&["extract"], &[&big, &seed("001_108787ae7295ae56.txt")]);
    assert_eq!(code, 2);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("file too large"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1]["agency"], "西店镇");
}

/// A PDF of `pages` pages, each with one line of text (hand-written, Helvetica).
fn many_page_pdf(pages: usize) -> Vec<u8> {
    let mut objs: Vec<String> = vec![
        String::new(),
        String::new(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    let mut kids = Vec::new();
    for p in 0..pages {
        let text = format!("BT /F1 12 Tf 72 720 Td (page {p}) Tj ET");
        objs.push(format!(
            "<< /Length {} >>\nstream\n{text}\nendstream",
            text.len()
        ));
        let content = objs.len();
        objs.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {content} 0 R >>"));
        kids.push(format!("{} 0 R", objs.len()));
    }
    objs[0] = "<< /Type /Catalog /Pages 2 0 R >>".into();
    objs[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        kids.join(" ")
    );
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .bytes(),
    );
    out
}

#[test]
fn a_5000_page_pdf_is_read_up_to_the_page_limit() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have pdftotext");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("long.pdf");
    std::fs::write(&pdf, many_page_pdf(5000)).unwrap();
    let (out, _, code) = nianbao(&["extract"], &[&pdf]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["format"], "pdf");
    // Only the first 500 pages are read: no table, so table findings, and a bounded run.
    assert!(v["tables"].as_array().unwrap().is_empty());
}
