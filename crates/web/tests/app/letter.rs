//! 审查意见书 from the report page: a DOCX (and PDF) letter to the agency listing exactly its
//! open findings — the cells, the values, the fix — and none it was told are fine.

use crate::common::{reviewer_with_broken_report, start};
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
    for f in findings.iter().filter(|f| f["severity"] != "info") {
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
