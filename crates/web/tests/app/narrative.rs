//! The narrative year over year, over HTTP, on two real reports of one agency (pingtan's
//! 交通与建设局, 2022 and 2023): the six sections side by side, the sentences the years share
//! kept, a rewritten sentence with the changed numbers marked, and the prose's numbers
//! checked against each year's tables — including a planted mismatch.

use crate::common::{start, Http, PASSWORD};
use serde_json::Value;

#[test]
fn two_years_of_prose_side_by_side() {
    let server = start(5);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/pingtan");
    let y2022 = std::fs::read(shared.join("007-txt.txt")).unwrap();
    // The 2023 report as published, with a planted number the table does not have.
    let y2023 = String::from_utf8(std::fs::read(shared.join("009-txt.txt")).unwrap()).unwrap();
    let planted = y2023.replacen(
        "全年我局共收到政府信息公开申请14件，",
        "全年我局共收到政府信息公开申请14件，发生行政复议7件，",
        1,
    );
    assert_ne!(planted, y2023);
    let parts: Vec<(&str, &[u8])> = vec![("2022.txt", &y2022), ("2023.txt", planted.as_bytes())];
    assert_eq!(h.upload("/api/upload", &csrf, &parts, true).0, 200);
    let agencies: Value = serde_json::from_str(&h.get("/api/agencies").1).unwrap();
    let id = agencies["agencies"][0]["id"].as_i64().unwrap();
    assert_eq!(agencies["agencies"].as_array().unwrap().len(), 1);

    let (_, series) = h.get(&format!("/agencies/{id}"));
    assert!(series.contains(&format!("href=\"/agencies/{id}/narrative\"")));
    let (status, page) = h.get(&format!("/agencies/{id}/narrative"));
    assert_eq!(status, 200);
    for n in 1..=6 {
        assert!(page.contains(&format!("id=\"section-{n}\"")), "section {n}");
    }
    assert!(page.contains("<option selected>2022</option>"));
    assert!(page.contains("左为 2022 年，右为 2023 年"));
    // Sentences both years print are kept as they are; rewritten ones have the changed
    // years and numbers marked; the tables' text is left to the table comparison.
    let has = |t: &str| assert!(page.contains(t), "{t}");
    has("<tr class=\"same\"><td>（一）加强主动公开和依申请公开办理方面。</td>");
    has("<tr class=\"changed\"><td><del>2022</del>年，我局进一步严格管理政府信息，规范信息采集");
    has("<td><ins>2023</ins>年，我局进一步严格管理政府信息，规范信息采集");
    has("全年我局共收到政府信息公开申请<del>11</del>件");
    has("全年我局共收到政府信息公开申请<ins>14</ins>件");
    has("<tr class=\"same\"><td>按照《国务院办公厅关于印发&lt;政府信息公开信息处理费管理办法&gt;的通知》");
    assert!(
        !page.contains("本年新收政府信息公开申请数量"),
        "table text left out"
    );
    // The prose's numbers against the tables: the published ones agree, the planted one not.
    has("“收到政府信息公开申请11件” 与表格一致（11）");
    has("“收到政府信息公开申请14件” 与表格一致（14）");
    has("“行政复议7件” 与表格不一致：表格为 0");
    let summary = crate::common::between(&page, "id=\"diff-summary\">", "</p>");
    assert!(
        summary.starts_with("未变 ") && summary.contains("有变化"),
        "{summary}"
    );

    // The years chosen the other way round; a year the agency lacks is refused with the list.
    let (_, back) = h.get(&format!("/agencies/{id}/narrative?a=2023&b=2022"));
    assert!(back.contains("左为 2023 年，右为 2022 年"));
    assert!(back.contains("<td><del>2023</del>年，我局进一步严格管理政府信息"));
    let (status, body) = h.get(&format!("/agencies/{id}/narrative?a=2019&b=2022"));
    assert_eq!(status, 400);
    assert!(body.contains("[2022, 2023]"), "{body}");
    assert_eq!(h.get("/agencies/999/narrative").0, 404);
}
