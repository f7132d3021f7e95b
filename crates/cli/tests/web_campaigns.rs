//! A filing season over HTTP, as a county office runs it: upload what the agencies filed (a
//! generated 宁海县: government, 20 departments, 15 townships; some missing, some late, some
//! with errors), open a campaign with the office's list, read the board (counts as filters,
//! late filings marked), 退回 a report with an error from the board, download its 审查意见书
//! (its findings and the late filing named), take the resubmitted version, 已审, the CSV and
//! the API; a viewer opens nothing.

mod common;

use common::web::{start, upload_county_season, Http, PASSWORD};
use serde_json::{json, Value};

fn docx_text(bytes: &[u8]) -> String {
    let xml = common::zip_member(bytes, "word/document.xml");
    xml.split("<w:t")
        .skip(1)
        .filter_map(|p| {
            p.split_once('>')
                .map(|(_, r)| r.split("</w:t>").next().unwrap_or(""))
        })
        .collect::<Vec<_>>()
        .join("")
}

/// Every sheet of a workbook as rows of text (numbers as written).
fn read_xlsx(bytes: &[u8]) -> std::collections::HashMap<String, Vec<Vec<String>>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (n, rows)
        })
        .collect()
}

/// How many members of a zip archive have names starting with `prefix`.
fn zip_count(bytes: &[u8], prefix: &str) -> usize {
    let z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    z.file_names()
        .filter(|n| {
            n.as_ref()
                .is_ok_and(|n| n.starts_with(prefix) && n.ends_with(".png"))
        })
        .count()
}

fn count(page: &str, status: &str) -> i64 {
    common::web::between(page, &format!("id=\"count-{status}\""), "</b>")
        .rsplit("<b>")
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_county_filing_season() {
    let server = start(20);
    let mut h = Http::new(&server.url);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let season = upload_county_season(&mut h, &csrf);

    // The office opens the campaign with its list of agencies (the deadline long past today).
    let names: Vec<&str> = season.iter().map(|f| f.name.as_str()).collect();
    let list = names.join("\n");
    let (status, _) = h.form(
        "/campaigns",
        &[
            ("csrf", &csrf),
            ("name", "宁海县2024年度政府信息公开工作年度报告报送"),
            ("year", "2024"),
            ("office", "宁海县人民政府办公室"),
            ("division", "330226"),
            ("deadline", ""),
            ("agencies", &list),
        ],
    );
    assert_eq!(status, 303);
    let (_, campaigns) = h.get("/campaigns");
    assert!(
        campaigns.contains("href=\"/campaigns/1\">宁海县2024年度政府信息公开工作年度报告报送</a>")
    );
    assert!(campaigns.contains("<td>2025-01-31</td>"));

    let (_, board) = h.get("/campaigns/1");
    let missing = season.iter().filter(|f| f.text.is_none()).count() as i64;
    let late = season.iter().filter(|f| f.late).count() as i64;
    assert_eq!((missing, late), (4, 4));
    assert_eq!(count(&board, "missing"), 0);
    assert_eq!(count(&board, "overdue"), 4);
    assert_eq!(count(&board, "filed"), 32);
    assert_eq!(count(&board, "returned"), 0);
    assert_eq!(count(&board, "approved"), 0);
    assert!(board.contains("其中逾期报送 <b>4</b>"));
    assert_eq!(board.matches("逾期报送</span>").count(), 4);
    assert!(board.contains("浙江省 宁波市 宁海县"));
    let (_, overdue) = h.get("/campaigns/1?status=overdue");
    assert_eq!(overdue.matches("data-status=\"overdue\"").count(), 4);
    assert_eq!(overdue.matches("data-status=\"filed\"").count(), 0);

    // The board in the API: one entry per agency, the planted errors where they were planted.
    let (_, api) = h.get("/api/campaigns/1");
    let api: Value = serde_json::from_str(&api).unwrap();
    assert_eq!(
        api["counts"],
        json!({ "missing": 0, "overdue": 4, "filed": 32, "returned": 0, "approved": 0 })
    );
    let entries = api["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 36);
    for f in &season {
        let e = entries
            .iter()
            .find(|e| e["agency"] == f.name.as_str())
            .unwrap();
        assert_eq!(e["late"], f.late, "{}", f.name);
        assert_eq!(e["errors"].as_i64().unwrap() > 0, f.broken, "{}", f.name);
    }

    // 退回 from the board: a late report with an error, if there is one, else one with an error.
    let pick = season
        .iter()
        .find(|f| f.broken && f.late)
        .or_else(|| season.iter().find(|f| f.broken))
        .unwrap();
    let entry = entries
        .iter()
        .find(|e| e["agency"] == pick.name.as_str())
        .unwrap();
    let report = entry["report_id"].as_i64().unwrap();
    // Without a reason the agency would not know what to fix: refused, nothing changes.
    let (status, body) = h.form(
        &format!("/reports/{report}/review"),
        &[
            ("csrf", &csrf),
            ("state", "returned"),
            ("reason", " "),
            ("back", "/campaigns/1"),
        ],
    );
    assert_eq!(status, 400);
    assert!(body.contains("退回须写明理由"), "{body}");
    let (_, board) = h.get("/campaigns/1");
    assert_eq!(count(&board, "returned"), 0);
    let (status, _) = h.form(
        &format!("/reports/{report}/review"),
        &[
            ("csrf", &csrf),
            ("state", "returned"),
            ("reason", "表三各列不平衡，请核对后重新报送"),
            ("back", "/campaigns/1"),
        ],
    );
    assert_eq!(status, 303);
    let (_, board) = h.get("/campaigns/1");
    assert_eq!((count(&board, "returned"), count(&board, "filed")), (1, 31));
    assert!(board.contains("理由：表三各列不平衡，请核对后重新报送"));
    // Reminders to chase: the four that never filed (the deadline passed) and the one returned,
    // as text to send and as a table.
    let (status, text) = h.get("/campaigns/1/reminders");
    assert_eq!(status, 200);
    assert_eq!(text.matches("【催报】").count(), 4, "{text}");
    assert!(text.contains(&format!(
        "【退回待重报】{}：你单位报送的2024年度政府信息公开工作年度报告已退回，理由：表三各列不平衡，请核对后重新报送。",
        pick.name
    )), "{text}");
    assert!(text.contains("以下 5 个单位"), "{text}");
    assert!(
        text.contains("\n\n宁海县人民政府办公室\n"),
        "signed by the office: {text}"
    );
    let (status, csv) = h.get("/campaigns/1/reminders.csv");
    assert_eq!(status, 200);
    assert!(csv.starts_with("\u{feff}机构,行政区划,状态,截止日期,退回理由,提醒内容"));
    assert_eq!(csv.lines().count(), 6, "{csv}");
    assert_eq!(csv.matches(",逾期,").count(), 4);
    let page = h.get(&format!("/reports/{report}")).1;
    assert!(
        page.contains(
            "退回理由：<span id=\"review-reason-shown\">表三各列不平衡，请核对后重新报送</span>"
        ),
        "{page}"
    );

    // Its letter: every open finding of the report, signed by the campaign's office, and the
    // late filing named when it was late.
    let (status, _, _, docx) = h.get_bytes(&format!("/reports/{report}/letter?to=docx&campaign=1"));
    assert_eq!(status, 200);
    let text = docx_text(&docx);
    let stored: Value = serde_json::from_str(&h.get(&format!("/api/reports/{report}")).1).unwrap();
    let open: Vec<&Value> = stored["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] != "info")
        // nianbao's doubts about its reading are for the reviewer, not the agency.
        .filter(|f| !f["rule"].as_str().unwrap().starts_with("extract."))
        .collect();
    assert!(open.iter().any(|f| f["rule"] == "t3.balance"), "{open:?}");
    for f in &open {
        let m = f["message_zh"]
            .as_str()
            .unwrap()
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(text.contains(&m), "{m}");
    }
    assert!(text.contains("宁海县人民政府办公室"));
    assert_eq!(
        text.contains(
            "晚于《宁海县2024年度政府信息公开工作年度报告报送》规定的报送截止日期 2025-01-31"
        ),
        pick.late
    );

    // A late filing's letter names the lateness (none of the planted errors is late).
    assert!(!pick.late);
    let late_one = season.iter().find(|f| f.late).unwrap();
    let late_report = entries
        .iter()
        .find(|e| e["agency"] == late_one.name.as_str())
        .unwrap()["report_id"]
        .as_i64()
        .unwrap();
    let (_, _, _, docx) = h.get_bytes(&format!("/reports/{late_report}/letter?to=docx&campaign=1"));
    let text = docx_text(&docx);
    assert!(
        text.contains(
            "晚于《宁海县2024年度政府信息公开工作年度报告报送》规定的报送截止日期 2025-01-31"
        ),
        "{text}"
    );
    assert!(text.contains("、报送问题"), "{text}");

    // The agency resubmits: a new version, 已报 again; then 已审 from the board.
    let fixed = format!("{}\n（修订版）\n", pick.text.as_deref().unwrap());
    let name = format!("{}-修订.txt", pick.name);
    assert_eq!(
        h.upload(
            "/api/upload",
            &csrf,
            &[(name.as_str(), fixed.as_bytes())],
            true
        )
        .0,
        200
    );
    let entry_of = |h: &mut Http| -> Value {
        let (_, api) = h.get("/api/campaigns/1");
        let api: Value = serde_json::from_str(&api).unwrap();
        api["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["agency"] == pick.name.as_str())
            .unwrap()
            .clone()
    };
    // The returned report stays current until a reviewer takes the new file: the board says
    // one waits.
    let waiting = entry_of(&mut h);
    assert_eq!(
        (waiting["status"].as_str(), waiting["version"].as_i64()),
        (Some("returned"), Some(1))
    );
    let held = waiting["held"].as_i64().expect("the new version waits");
    // Filed again: no longer one to chase.
    let (_, text) = h.get("/campaigns/1/reminders");
    assert!(
        !text.contains("【退回待重报】") && text.contains("以下 4 个单位"),
        "{text}"
    );
    let (_, board) = h.get("/campaigns/1");
    assert!(
        board.contains(&format!("href=\"/reports/{held}\">新版本待确认")),
        "{board}"
    );
    let (status, _) = h.form(&format!("/reports/{held}/current"), &[("csrf", &csrf)]);
    assert_eq!(status, 303);
    let again = entry_of(&mut h);
    assert_eq!(
        (
            again["status"].as_str(),
            again["version"].as_i64(),
            again["held"].as_i64()
        ),
        (Some("filed"), Some(2), None)
    );
    let new_report = again["report_id"].as_i64().unwrap();
    let (status, _) = h.form(
        &format!("/reports/{new_report}/review"),
        &[
            ("csrf", &csrf),
            ("state", "approved"),
            ("back", "/campaigns/1"),
        ],
    );
    assert_eq!(status, 303);
    let (_, board) = h.get("/campaigns/1");
    assert_eq!(
        [
            count(&board, "overdue"),
            count(&board, "filed"),
            count(&board, "returned"),
            count(&board, "approved")
        ],
        [4, 31, 0, 1]
    );

    // The board as CSV: one row per agency.
    let (status, csv) = h.get("/campaigns/1.csv");
    assert_eq!(status, 200);
    assert_eq!(csv.lines().count(), 37);
    // With the byte order mark Excel needs to read UTF-8.
    assert!(csv.starts_with("\u{feff}机构编号,机构,区划代码,行政区划,状态,逾期报送,"));
    assert!(csv.lines().next().unwrap().ends_with(
        ",错误数,警告数,退回理由,网上发布日期,网上公开,日期来源,网上公开网址或未找到原因"
    ));
    assert_eq!(csv.matches(",逾期,").count(), 4);
    assert_eq!(csv.matches(",已审,").count(), 1);

    // The assessment: its figures per township are `nianbao stats` over the campaign's
    // agencies and year; the ranking puts clean, timely reports first; problems by type.
    let (status, kind, _, book) = h.get_bytes("/campaigns/1/assessment?to=xlsx");
    assert_eq!(status, 200);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let sheets = read_xlsx(&book);
    let stats = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([
            "stats",
            "--campaign",
            "1",
            "--year",
            "2024",
            "--by",
            "township",
            "--format",
            "json",
            "--db",
        ])
        .arg(server.dir.path().join("web.db"))
        .output()
        .unwrap();
    assert!(
        stats.status.success(),
        "{}",
        String::from_utf8_lossy(&stats.stderr)
    );
    let pct = |v: &Value| {
        v.as_f64()
            .map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0))
    };
    let want: Vec<Vec<String>> = String::from_utf8(stats.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let g: Value = serde_json::from_str(l).unwrap();
            let group = g["group"].as_str().unwrap();
            vec![
                group.split_once(' ').map_or(group, |(_, n)| n).to_string(),
                g["reports"].to_string(),
                pct(&g["identity_pass_rate"]),
                pct(&g["on_time_rate"]),
                pct(&g["template_right_rate"]),
                pct(&g["review_corrected_rate"]),
                pct(&g["suit_corrected_rate"]),
            ]
        })
        .collect();
    // The county's own agencies, and the 13 of 15 townships that filed (two file nothing).
    assert_eq!(want.len(), 14);
    assert_eq!(want[0][0], "宁海县");
    assert_eq!(want[0][1], "19", "21 county agencies, two file nothing");
    // Rates are numbers in percent format (Excel sorts and sums them), read back as fractions.
    let regions: Vec<Vec<String>> = sheets["各地区"][1..]
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(j, c)| match c.parse::<f64>() {
                    Ok(f) if j >= 2 => format!("{:.1}%", f * 100.0),
                    _ => c.clone(),
                })
                .collect()
        })
        .collect();
    assert_eq!(regions, want);
    assert!(
        sheets["各地区"][1][2].parse::<f64>().is_ok(),
        "a rate is a number: {:?}",
        sheets["各地区"][1]
    );
    let ranking = &sheets["排名"];
    assert_eq!(ranking.len(), 1 + 36);
    assert_eq!(
        (ranking[1][0].as_str(), ranking[1][6].as_str()),
        ("1", "100")
    );
    let zero: Vec<&Vec<String>> = ranking[1..].iter().filter(|r| r[6] == "0").collect();
    assert_eq!(zero.len(), 4, "the unfiled agencies score 0");
    assert!(zero.iter().all(|r| r[2] == "逾期"));
    let problems = &sheets["问题"];
    assert!(
        problems
            .iter()
            .any(|r| r[0] == "表三各列：一+二 = 三(七)+四" && r[1] == "错误"),
        "{problems:?}"
    );
    let overall = &sheets["总体"];
    let field = |k: &str| {
        overall
            .iter()
            .find(|r| r[0] == k)
            .map(|r| r[1].clone())
            .unwrap()
    };
    assert_eq!(
        (field("应报机构"), field("已报送"), field("逾期报送")),
        ("36".into(), "32".into(), "4".into())
    );

    // The document: the same tables, two charts, signed by the office; as PDF too.
    let (status, _, _, docx) = h.get_bytes("/campaigns/1/assessment?to=docx");
    assert_eq!(status, 200);
    let text = docx_text(&docx);
    assert!(
        text.contains("关于2024年度政府信息公开工作年度报告报送和审查情况的通报"),
        "{text}"
    );
    assert!(text.contains("应报机构 36 个，已报送 32 个"), "{text}");
    assert!(text.contains("评分方法：满分 100 分"));
    assert!(text.contains("宁海县人民政府办公室"));
    assert_eq!(
        zip_count(&docx, "word/media/"),
        2,
        "two charts embedded as images"
    );
    let (status, kind, _, pdf) = h.get_bytes("/campaigns/1/assessment?to=pdf");
    assert_eq!(status, 200);
    assert!(kind.contains("pdf") && pdf.starts_with(b"%PDF"), "{kind}");
    // To look at them: NIANBAO_TEST_OUT=dir keeps the documents.
    if let Ok(dir) = std::env::var("NIANBAO_TEST_OUT") {
        std::fs::write(format!("{dir}/assessment.pdf"), &pdf).unwrap();
        std::fs::write(format!("{dir}/assessment.docx"), &docx).unwrap();
    }
    assert_eq!(h.get("/campaigns/1/assessment?to=odt").0, 400);

    // Agencies added later from a list; a viewer can read but not open or change campaigns.
    let (status, _) = h.form(
        "/campaigns/1/agencies",
        &[("csrf", &csrf), ("agencies", "宁海县档案馆\n宁海县教育局")],
    );
    assert_eq!(status, 303);
    let (_, board) = h.get("/campaigns/1");
    assert_eq!(count(&board, "overdue"), 5);
    let mut v = Http::new(&server.url);
    assert_eq!(v.login("viewer", PASSWORD), 303);
    let vcsrf = v.csrf();
    assert_eq!(v.get("/campaigns/1").0, 200);
    assert_eq!(
        v.form(
            "/campaigns",
            &[("csrf", &vcsrf), ("name", "x"), ("year", "2024")]
        )
        .0,
        403
    );
    assert_eq!(
        v.json(
            "/api/campaigns",
            Some(&vcsrf),
            json!({ "name": "x", "year": 2024 })
        )
        .0,
        403
    );
    // Bad input: a reason, nothing made.
    let (status, body) = h.json(
        "/api/campaigns",
        Some(&csrf),
        json!({ "name": "x", "year": 2024, "deadline": "31/01/2025" }),
    );
    assert_eq!(status, 400);
    assert!(body.contains("YYYY-MM-DD"), "{body}");
    assert_eq!(h.get("/campaigns/99").0, 404);
    let (_, all) = h.get("/api/campaigns");
    assert_eq!(
        serde_json::from_str::<Value>(&all).unwrap()["campaigns"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
