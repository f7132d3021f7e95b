//! One click among the readings of an ambiguous row, over HTTP, on a real report (pingtan
//! 006: its 行政规范性文件 row prints `34089`-like runs the text alone cannot settle): the
//! finding lists the other readings as buttons; a reviewer picks one, the cells change with
//! history, the finding is settled; a viewer cannot; the API does the same.

use crate::common::{between, start, Http, PASSWORD};
use serde_json::{json, Value};

const ROW: [&str; 3] = [
    "t2.normative.issued",
    "t2.normative.repealed",
    "t2.normative.in_force",
];

fn values(h: &mut Http, id: i64) -> Vec<Value> {
    let r: Value = serde_json::from_str(&h.get(&format!("/api/reports/{id}")).1).unwrap();
    ROW.iter().map(|k| r["values"][k].clone()).collect()
}

/// The first finding of a stored report (as the API gives it) that `pick` accepts.
fn find_finding(h: &mut Http, id: i64, pick: impl Fn(&Value) -> bool) -> Value {
    let r: Value = serde_json::from_str(&h.get(&format!("/api/reports/{id}")).1).unwrap();
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| pick(f))
        .unwrap_or_else(|| panic!("report {id}: no such finding"))
        .clone()
}

#[test]
fn a_reviewer_picks_another_reading() {
    let server = start(5);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/pingtan");
    let file = std::fs::read(shared.join("006-txt.txt")).unwrap();
    let copy = file.clone();
    assert_eq!(
        h.upload(
            "/api/upload",
            &csrf,
            &[("006.txt", &file), ("006-copy.txt", &copy)],
            true
        )
        .0,
        200
    );
    let list: Value = serde_json::from_str(&h.get("/api/reports").1).unwrap();
    let id = list["reports"][0]["id"].as_i64().unwrap();

    // The finding and its readings, the extracted one first.
    let finding = find_finding(&mut h, id, |f| {
        f["rule"] == "extract.ambiguous_split" && f["cells"][0] == ROW[0]
    });
    assert_eq!(
        finding["alternatives"],
        json!([
            ["34", "0", "89"],
            ["3", "40", "89"],
            ["3", "408", "9"],
            ["340", "8", "9"]
        ])
    );
    assert_eq!(values(&mut h, id), [json!(34), json!(0), json!(89)]);
    let key = format!("{}|{}", finding["rule"].as_str().unwrap(), ROW.join(" "));

    let (_, page) = h.get(&format!("/reports/{id}"));
    assert!(
        page.contains(">改用 3|40|89</button>"),
        "one button per other reading"
    );
    assert!(page.contains(">改用 3|408|9</button>"));
    let rev = between(&page, "name=\"rev\" value=\"", "\"");

    // A viewer sees no button and cannot choose.
    let mut v = Http::new(&server);
    assert_eq!(v.login("viewer", PASSWORD), 303);
    let vcsrf = v.csrf();
    assert!(!v.get(&format!("/reports/{id}")).1.contains("改用 3|40|89"));
    let (status, _) = v.form(
        &format!("/reports/{id}/choose"),
        &[("csrf", &vcsrf), ("finding", &key), ("index", "1")],
    );
    assert_eq!(status, 403);

    // The reviewer picks the second reading: two cells change, with history; the finding is settled.
    let (status, body) = h.form(
        &format!("/reports/{id}/choose"),
        &[
            ("csrf", &csrf),
            ("finding", &key),
            ("index", "1"),
            ("rev", &rev),
        ],
    );
    assert_eq!(status, 303, "{}", between(&body, "<main>", "</main>"));
    assert_eq!(values(&mut h, id), [json!(3), json!(40), json!(89)]);
    let (_, page) = h.get(&format!("/reports/{id}"));
    assert!(
        !page.contains(">改用 3|408|9</button>"),
        "settled: no buttons"
    );
    assert!(
        page.contains("选用另一种读法：3|40|89"),
        "history names the reading"
    );
    let history: Value = serde_json::from_str(&h.get(&format!("/api/reports/{id}")).1).unwrap();
    let changes = history["history"]
        .as_array()
        .map(|a| a.iter().filter(|c| c["kind"] == "correct").count())
        .unwrap_or(0);
    assert_eq!(changes, 2, "34→3 and 0→40, 89 unchanged: {history}");
    // The same page loaded before the change cannot choose again over it.
    let (status, _) = h.form(
        &format!("/reports/{id}/choose"),
        &[
            ("csrf", &csrf),
            ("finding", &key),
            ("index", "2"),
            ("rev", &rev),
        ],
    );
    assert_eq!(status, 409);

    // The copy is the same content: one report.
    assert_eq!(list["reports"].as_array().unwrap().len(), 1);
    // A choice settles the doubt: the finding and its readings are gone.
    let (status, body) = h.json(
        &format!("/api/reports/{id}/choose"),
        Some(&csrf),
        json!({ "finding": key, "index": 0 }),
    );
    assert_eq!(status, 400, "{body}");

    // Through the API on another real report (pingtan 008): an index past the readings is
    // refused; keeping the extracted reading (0) accepts the finding as it is.
    let other = std::fs::read(shared.join("008-txt.txt")).unwrap();
    assert_eq!(
        h.upload("/api/upload", &csrf, &[("008.txt", &other)], true)
            .0,
        200
    );
    let list: Value = serde_json::from_str(&h.get("/api/reports?q=%E8%87%AA%E7%84%B6").1).unwrap();
    let id8 = list["reports"][0]["id"].as_i64().unwrap();
    let f8 = find_finding(&mut h, id8, |f| {
        f["rule"] == "extract.ambiguous_split" && f["cells"][0] == ROW[0]
    });
    let key8 = f8["key"].as_str().unwrap().to_string();
    let before = values(&mut h, id8);
    let n = f8["alternatives"].as_array().unwrap().len();
    let (status, body) = h.json(
        &format!("/api/reports/{id8}/choose"),
        Some(&csrf),
        json!({ "finding": key8, "index": n }),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains(&format!("第 {} 种读法", n + 1)), "{body}");
    let (status, body) = h.json(
        &format!("/api/reports/{id8}/choose"),
        Some(&csrf),
        json!({ "finding": key8, "index": 0 }),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(values(&mut h, id8), before);
    let f8 = find_finding(&mut h, id8, |f| f["key"] == key8.as_str());
    assert_eq!(f8["accepted"], true);

    // A choice on one row leaves the doubts about the other rows standing (pingtan 003 has
    // five ambiguous rows).
    let third = std::fs::read(shared.join("003-txt.txt")).unwrap();
    assert_eq!(
        h.upload("/api/upload", &csrf, &[("003.txt", &third)], true)
            .0,
        200
    );
    let list: Value = serde_json::from_str(&h.get("/api/reports?year=2020").1).unwrap();
    let id3 = list["reports"][0]["id"].as_i64().unwrap();
    let doubts = |h: &mut Http| -> Vec<String> {
        let r: Value = serde_json::from_str(&h.get(&format!("/api/reports/{id3}")).1).unwrap();
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "extract.ambiguous_split")
            .map(|f| f["key"].as_str().unwrap().to_string())
            .collect()
    };
    let before = doubts(&mut h);
    assert_eq!(before.len(), 5, "{before:?}");
    let license = before
        .iter()
        .find(|k| k.contains("t2.license.prev"))
        .unwrap()
        .clone();
    let (status, body) = h.json(
        &format!("/api/reports/{id3}/choose"),
        Some(&csrf),
        json!({ "finding": license, "index": 1 }),
    );
    assert_eq!(status, 200, "{body}");
    let after = doubts(&mut h);
    let want: Vec<String> = before.into_iter().filter(|k| *k != license).collect();
    assert_eq!(after, want);
}
