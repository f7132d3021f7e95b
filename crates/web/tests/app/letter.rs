//! 审查意见书 from the report page: a DOCX (and PDF) letter to the agency listing exactly its
//! open findings — the cells, the values, the fix — and none it was told are fine.

use crate::common::{reviewer_with_broken_report, start, Http, PASSWORD};
use serde_json::{json, Value};

/// The text of a DOCX's body.
fn docx_text(bytes: &[u8]) -> String {
    let xml = crate::common::zip_member(bytes, "word/document.xml");
    let mut text = String::new();
    for part in xml.split("<w:t").skip(1) {
        if let Some(t) = part
            .split_once('>')
            .map(|(_, rest)| rest.split("</w:t>").next().unwrap_or(""))
        {
            text.push_str(t);
        }
        text.push('\n');
    }
    text
}

#[test]
fn the_letter_lists_the_open_findings_of_the_report() {
    let server = start(5);
    let (mut h, csrf, key, good) = reviewer_with_broken_report(&server);
    let report: Value = serde_json::from_str(&h.get("/api/reports/1").1).unwrap();
    let findings = report["findings"].as_array().unwrap().clone();
    assert!(!findings.is_empty());

    let (status, kind, disposition, docx) =
        h.get_bytes("/reports/1/letter?to=docx&office=%E6%9F%90%E5%8E%BF%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80%E5%8A%9E");
    assert_eq!(status, 200);
    assert!(kind.contains("wordprocessingml"), "{kind}");
    assert!(disposition.contains("letter-1.docx"), "{disposition}");
    let text = docx_text(&docx);
    assert!(
        text.contains("关于测试镇人民政府2022年政府信息公开工作年度报告的审查意见"),
        "{text}"
    );
    assert!(text.contains("某县政务公开办"), "signed by the office");
    // nianbao's doubts about its reading are the reviewer's, not questions to the agency.
    let for_agency = |f: &&Value| {
        let rule = f["rule"].as_str().unwrap();
        f["severity"] != "info"
            && !["extract.", "review.", "form."]
                .iter()
                .any(|p| rule.starts_with(p))
    };
    for f in findings.iter().filter(for_agency) {
        let message = f["message_zh"]
            .as_str()
            .unwrap()
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(text.contains(&message), "finding missing: {message}");
    }
    // The planted cell with the value the report gives, and the fix.
    assert!(
        text.contains(&format!("（一）予以公开 / 自然人：报告填写 {}", good + 1)),
        "{text}"
    );
    assert!(text.contains(&format!("改为 {good}")), "{text}");

    // Accepted as it is: no longer in the letter.
    let w = findings
        .iter()
        .find(|f| f["severity"] == "warning")
        .or_else(|| findings.first())
        .unwrap();
    let (status, _) = h.json(
        "/api/reports/1/accept",
        Some(&csrf),
        json!({ "finding": w["key"], "reason": "原文如此" }),
    );
    assert_eq!(status, 200);
    let (_, _, _, docx) = h.get_bytes("/reports/1/letter?to=docx");
    let after = docx_text(&docx);
    let message = w["message_zh"]
        .as_str()
        .unwrap()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    assert!(
        !after.contains(&message),
        "an accepted finding is still in the letter"
    );
    assert!(after.contains("政务公开办公室"), "default office");

    // Fixed: the errors are gone from the letter too; and the PDF of it reads.
    let (status, _) = h.json(
        "/api/reports/1/cells",
        Some(&csrf),
        json!({ "key": key, "value": good, "reason": "核对" }),
    );
    assert_eq!(status, 200);
    let (_, _, _, docx) = h.get_bytes("/reports/1/letter?to=docx");
    assert!(!docx_text(&docx).contains("一、需要更正的错误"));
    if crate::common::soffice() {
        let (status, kind, _, pdf) = h.get_bytes("/reports/1/letter?to=pdf");
        assert_eq!((status, kind.as_str()), (200, "application/pdf"));
        assert!(pdf.starts_with(b"%PDF"));
    }
    assert_eq!(h.get_bytes("/reports/1/letter?to=odt").0, 400);
}

/// nianbao's doubts about how it read a file are the reviewer's: the page says how many the
/// letter leaves out, and the letter asks the agency only about the report.
#[test]
fn reading_doubts_stay_out_of_the_letter() {
    let server = start(5);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    // Table 四's digits run together: 15 ways to split them (a reading doubt) and a total that
    // fails (the agency's to answer).
    let text = "测试镇人民政府2022年政府信息公开工作年度报告\n\
        四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n12100311000000\n\
        五、存在的主要问题及改进情况\n无。\n";
    let (status, body) = h.upload("/api/upload", &csrf, &[("t.txt", text.as_bytes())], true);
    assert_eq!(status, 200, "{body}");
    let report: Value = serde_json::from_str(&h.get("/api/reports/1").1).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"extract.ambiguous_split"), "{rules:?}");
    assert!(rules.contains(&"t4.group_total"), "{rules:?}");
    let page = h.get("/reports/1").1;
    assert!(
        page.contains("另有识别存疑 2 项，只供审查人员核对，不写入审查意见书"),
        "{page}"
    );
    let (status, _, _, docx) = h.get_bytes("/reports/1/letter?to=docx");
    assert_eq!(status, 200);
    let text = docx_text(&docx);
    assert!(text.contains("表四“行政复议”：总计应等于"), "{text}");
    assert!(
        !text.contains("拆分") && !text.contains("表四应有15个数值"),
        "{text}"
    );
    // Errors come first, numbered 一、; no part is skipped.
    assert!(text.contains("一、需要更正的错误"), "{text}");
    assert!(!text.contains("二、需要核实的问题"), "{text}");
}
