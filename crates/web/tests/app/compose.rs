//! 新建年报 over HTTP, as the form posts it: a clerk types only the cells that are not 0.
//! The report stored holds exactly what was typed — blank stays blank, 0 stays 0, a digit
//! in the prose moves nothing — with a warning naming the blank cells; the DOCX and PDF
//! downloaded print 0 where nothing was typed. Every cell that cannot hold what was typed is
//! refused at once, named and marked, nothing typed lost; an empty form is refused.

use crate::common::{start, Http, PASSWORD};
use serde_json::Value;

const TYPED: &[(&str, &str)] = &[
    ("v:t2.regulation.issued", "2"),
    ("v:t2.regulation.in_force", "7"),
    ("v:t3.received.natural", "5"),
    ("v:t3.received.total", "5"),
    ("v:t3.granted.natural", "4"),
    ("v:t3.granted.total", "4"),
    ("v:t3.unavailable.not_held.natural", "1"),
    ("v:t3.unavailable.not_held.total", "1"),
    ("v:t3.processed.natural", "5"),
    ("v:t3.processed.total", "5"),
    ("v:t4.review.upheld", "1"),
    ("v:t4.review.total", "1"),
    ("v:t3.carried_in.natural", "0"),
];

fn fields(csrf: &str) -> Vec<(&str, &str)> {
    let mut f = vec![
        ("csrf", csrf),
        ("agency", "测试镇人民政府"),
        ("year", "2023"),
        ("s1", "2023年，本镇认真贯彻落实《条例》。"),
        ("s2", "主动公开情况。"),
        ("s3", "依申请公开情况。"),
        ("s4", "本年度发生行政诉讼1件。"),
        ("s5", "存在的主要问题及改进情况。"),
        ("s6", "其他需要报告的事项。"),
        ("published", "2024-01-20"),
    ];
    f.extend_from_slice(TYPED);
    f
}

/// Every cell: the typed value, blank where nothing was typed.
fn assert_typed(values: &Value, what: &str) {
    let values = values.as_object().unwrap();
    assert_eq!(values.len(), 200, "{what}");
    for (key, v) in values {
        let want: Option<i64> = TYPED
            .iter()
            .find(|(k, _)| k.strip_prefix("v:") == Some(key.as_str()))
            .map(|(_, v)| v.parse().unwrap());
        assert_eq!(v.as_i64(), want, "{what}: {key}");
    }
}

/// Every cell: the typed value, or 0.
fn assert_typed_or_zero(values: &Value, what: &str) {
    let values = values.as_object().unwrap();
    assert_eq!(values.len(), 200, "{what}");
    for (key, v) in values {
        let want: i64 = TYPED
            .iter()
            .find(|(k, _)| k.strip_prefix("v:") == Some(key.as_str()))
            .map_or(0, |(_, v)| v.parse().unwrap());
        assert_eq!(v.as_i64(), Some(want), "{what}: {key}");
    }
}

#[test]
fn a_form_with_only_the_nonzero_cells_stores_and_renders_what_was_typed() {
    let server = start(5);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();

    // The live check says what it assumed.
    let (status, body) = h.json(
        "/api/check",
        Some(&csrf),
        serde_json::json!({ "year": 2023, "values": {} }),
    );
    assert_eq!(status, 200, "{body}");
    let empty: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(empty["findings"][0]["rule"], "form.empty", "{body}");
    let values: serde_json::Map<String, Value> = TYPED
        .iter()
        .map(|(k, v)| (k.trim_start_matches("v:").to_string(), Value::from(*v)))
        .collect();
    let (_, body) = h.json(
        "/api/check",
        Some(&csrf),
        serde_json::json!({ "year": 2023, "values": values }),
    );
    let live: Value = serde_json::from_str(&body).unwrap();
    let rules: Vec<&str> = live["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["form.blank"], "{body}");
    assert!(
        live["findings"][0]["message_zh"]
            .as_str()
            .unwrap()
            .starts_with("187 个单元格未填写"),
        "{body}"
    );

    // Nothing typed: refused, not stored as a report that "holds".
    let mut empty = fields(&csrf);
    empty.retain(|(k, _)| !k.starts_with("v:"));
    let (status, body) = h.form("/new/submit", &empty);
    assert_eq!(status, 400);
    assert!(body.contains("表格尚未填写，不能提交"), "{body}");

    // Submitted: stored exactly as typed, no error, no missing row; the blank cells named.
    let (status, _) = h.form("/new/submit", &fields(&csrf));
    assert_eq!(status, 303);
    let (_, list) = h.get("/api/reports?q=%E6%B5%8B%E8%AF%95%E9%95%87");
    let id = serde_json::from_str::<Value>(&list).unwrap()["reports"][0]["id"]
        .as_i64()
        .unwrap();
    let (_, body) = h.get(&format!("/api/reports/{id}"));
    let stored: Value = serde_json::from_str(&body).unwrap();
    assert_typed(&stored["values"], "stored");
    let blank = stored["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "form.blank")
        .expect("the blank cells named");
    assert_eq!(blank["cells"].as_array().unwrap().len(), 187);
    assert_eq!(blank["severity"], "warning");
    let bad: Vec<&Value> = stored["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error" || f["rule"].as_str().unwrap().starts_with("extract."))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");

    assert_eq!(stored["published"], "2024-01-20", "成文日期 stored");

    // Downloaded as DOCX and PDF: nianbao reads back the same values.
    for (to, magic) in [("docx", &b"PK"[..]), ("pdf", &b"%PDF"[..])] {
        let bytes = h.form_bytes(&format!("/new/render?to={to}"), &fields(&csrf));
        assert!(bytes.starts_with(magic), "{to}");
        let read = crate::common::extract(&format!("new.{to}"), &bytes);
        assert_typed_or_zero(&read["values"], to);
        assert_eq!(
            read["published"], "2024-01-20",
            "{to}: the date at the foot"
        );
    }

    // Next year's form starts from this one: 上年结转 and 现行有效件数 prefilled, today's date.
    let (_, next) = h.get(
        "/new?agency=%E6%B5%8B%E8%AF%95%E9%95%87%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&year=2024",
    );
    assert!(next.contains("id=\"prefilled\""), "no prefill note");
    let value_of = |key: &str| {
        crate::common::between(
            &next,
            &format!("name=\"v:{key}\" data-key=\"{key}\" value=\""),
            "\"",
        )
    };
    assert_eq!(value_of("t2.regulation.in_force"), "7");
    assert_eq!(
        value_of("t2.normative.in_force"),
        "",
        "blank last year, blank now"
    );
    assert!(next.contains("name=\"published\""), "no 成文日期 field");
    // A date that is no date is refused with the reason.
    let mut bad = fields(&csrf);
    bad.retain(|(k, _)| *k != "published");
    bad.push(("published", "2024-02-30"));
    let (status, body) = h.form("/new/submit", &bad);
    assert_eq!(status, 400);
    assert!(body.contains("YYYY-MM-DD"), "{body}");
    // The form comes back as typed: the date, the cells, the prose.
    assert!(body.contains("id=\"form-error\"") && body.contains("value=\"2024-02-30\""));
    assert!(
        body.contains("data-key=\"t4.review.total\" value=\"1\""),
        "typed cell lost"
    );
    assert!(
        body.contains("2023年，本镇认真贯彻落实《条例》。"),
        "typed prose lost"
    );
    // Cells that cannot hold what was typed: all refused at once, each named in words and
    // marked, kept as typed; nothing else lost.
    let mut bad = fields(&csrf);
    bad.push(("v:t3.granted.legal", "三"));
    bad.push(("v:t3.partial.natural", "-2"));
    bad.push(("v:t4.review.corrected", "1.5"));
    bad.push(("v:t2.fee.amount_wan", "12.345"));
    bad.push(("v:t3.denied.secret.natural", "99999999999999999"));
    let (status, body) = h.form("/new/submit", &bad);
    assert_eq!(status, 400);
    assert!(body.contains("有 5 个单元格无法保存"), "{body}");
    for (label, key, typed) in [
        ("表三 / 三、本年度办理结果 / （一）予以公开 / 法人或其他组织 / 法律服务机构：“三”不是数字", "t3.granted.legal", "三"),
        ("-2 为负数", "t3.partial.natural", "-2"),
        ("1.5 不是整数", "t4.review.corrected", "1.5"),
        ("金额（万元）最多两位", "t2.fee.amount_wan", "12.345"),
        ("超出可填写的范围", "t3.denied.secret.natural", "99999999999999999"),
    ] {
        assert!(body.contains(label), "{label}: {body}");
        assert!(
            body.contains(&format!("data-key=\"{key}\" value=\"{typed}\" inputmode=\"decimal\" size=\"5\" class=\"bad\"")),
            "{key} not marked: {body}"
        );
    }
    assert!(
        body.contains("data-key=\"t4.review.total\" value=\"1\""),
        "typed cell lost"
    );
    // Markup typed into a cell and the agency name comes back as text, never as markup.
    let mut bad = fields(&csrf);
    bad.retain(|(k, _)| *k != "agency");
    bad.push(("agency", "<script>alert(1)</script>"));
    bad.push(("v:t3.granted.legal", "\"><img src=x onerror=alert(1)>"));
    let (status, body) = h.form("/new/submit", &bad);
    assert_eq!(status, 400);
    assert!(
        body.contains(
            "data-key=\"t3.granted.legal\" value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""
        ),
        "{body}"
    );
    assert!(
        body.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""),
        "{body}"
    );
    assert!(
        !body.contains("<img src=x") && !body.contains("<script>alert"),
        "{body}"
    );
}
