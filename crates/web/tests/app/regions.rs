//! Where agencies sit, over HTTP: the region tree of the report list and the dashboard
//! (only divisions with agencies, with their number), filtering and drilling down by
//! division, the divisions API, an agency whose name many divisions share decided by a
//! reviewer on its page, and the division in exports.

use crate::common::{agencies_of, start, Http, PASSWORD};
use serde_json::Value;

fn json(h: &mut Http, path: &str) -> Value {
    let (status, body) = h.get(path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn region_tree_drill_down_and_a_shared_name_decided() {
    let server = start(5);
    let mut a = Http::new(&server);
    assert_eq!(a.login("reviewer", PASSWORD), 303);
    let csrf = a.csrf();
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let read = |p: &str| std::fs::read(shared.join(p)).unwrap();
    // 城关镇 with nothing that tells which of China's 88 城关镇 it is.
    let nameless = String::from_utf8(read("seeds/003_c6fe95c377c36cea.txt"))
        .unwrap()
        .replace("南召县", "");
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("000.txt", read("seeds/000_ea60ae7e2efea9c4.txt")),
        ("001.txt", read("seeds/001_108787ae7295ae56.txt")),
        ("002.txt", read("seeds/002_3bceb6a2129e3845.txt")),
        ("004.txt", read("seeds/004_ea2d11bfa97f555c.txt")),
        ("p001.txt", read("pingtan/001-txt.txt")),
        ("p002.txt", read("pingtan/002-txt.txt")),
        ("p003.txt", read("pingtan/003-txt.txt")),
        ("chengguan.txt", nameless.into_bytes()),
    ];
    let parts: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    assert_eq!(a.upload("/api/upload", &csrf, &parts, true).0, 200);

    // The tree lists provinces with agencies only, with their number.
    let (_, list) = a.get("/");
    for option in ["河南省（2）", "浙江省（1）", "云南省（1）", "福建省（3）"] {
        assert!(list.contains(option), "{option}");
    }
    assert!(!list.contains("北京市（"));
    assert!(!list.contains("id=\"f-division-1\""));

    // Drill down: a province, then a city; the next level appears with the choice kept.
    let (_, henan) = a.get("/?division=41");
    assert!(henan.contains("<option value=\"41\" selected>河南省（2）</option>"));
    assert!(henan.contains("开封市（1）") && henan.contains("焦作市（1）"));
    assert_eq!(
        agencies_of(&mut a, "division=41"),
        ["北冷乡", "尉氏县洧川镇人民政府"]
    );
    assert_eq!(
        agencies_of(&mut a, "division=4102"),
        ["尉氏县洧川镇人民政府"]
    );
    assert_eq!(agencies_of(&mut a, "division=350128").len(), 3);
    let (_, kaifeng) = a.get("/?division=4102");
    assert!(kaifeng.contains("id=\"f-division-2\"") && kaifeng.contains("尉氏县（1）"));

    // The divisions API: every child, with the corpus's agencies in each.
    let henan = json(&mut a, "/api/divisions?parent=41");
    assert_eq!(henan["path"], "河南省");
    let children = henan["children"].as_array().unwrap();
    let child = |name: &str| children.iter().find(|c| c["name"] == name).unwrap().clone();
    assert_eq!(child("焦作市")["code"], "4108");
    assert_eq!(child("焦作市")["agencies"], 1);
    assert_eq!(child("郑州市")["agencies"], 0);
    assert_eq!(child("济源市")["code"], "419001");
    assert_eq!(a.get("/api/divisions?parent=99").0, 404);

    // Where each agency sits, and how it was decided.
    let agencies = json(&mut a, "/api/agencies");
    let agency = |name: &str| {
        agencies["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let hekou = agency("河口镇");
    assert_eq!(
        hekou["division_path"],
        "云南省 昆明市 寻甸回族彝族自治县 河口镇"
    );
    assert_eq!(hekou["division_how"], "text");
    let chengguan = agency("城关镇人民政府");
    assert_eq!(chengguan["division"], Value::Null);
    assert_eq!(chengguan["division_how"], "ambiguous");

    // The shared name on its page: one button per candidate; a reviewer picks one.
    let id = chengguan["id"].as_i64().unwrap();
    let (_, page) = a.get(&format!("/agencies/{id}"));
    assert!(page.contains("同名区划，请选择"));
    assert_eq!(page.matches("class=\"choice\"").count(), 88);
    assert!(page.contains(">河南省 南阳市 南召县 城关镇</button>"));
    let mut viewer = Http::new(&server);
    assert_eq!(viewer.login("viewer", PASSWORD), 303);
    let vcsrf = viewer.csrf();
    let (status, _) = viewer.form(
        &format!("/agencies/{id}/division"),
        &[("csrf", &vcsrf), ("code", "411321100")],
    );
    assert_eq!(status, 403);
    let (status, body) = a.form(
        &format!("/agencies/{id}/division"),
        &[("csrf", &csrf), ("code", "999999")],
    );
    assert_eq!(status, 400);
    assert!(body.contains("没有代码为 999999 的行政区划"), "{body}");
    let (status, _) = a.form(
        &format!("/agencies/{id}/division"),
        &[("csrf", &csrf), ("code", "411321100")],
    );
    assert_eq!(status, 303);
    let (_, page) = a.get(&format!("/agencies/{id}"));
    assert!(
        page.contains("河南省 南阳市 南召县 城关镇</a>（411321100，人工指定）"),
        "{page}"
    );
    assert!(!page.contains("同名区划，请选择"));
    assert_eq!(agencies_of(&mut a, "division=4113"), ["城关镇人民政府"]);
    let (_, list) = a.get("/");
    assert!(list.contains("河南省（3）"));

    // The dashboard: the same tree, and the level below the filter to drill into.
    let dash = a.dashboard("/dashboard?division=41");
    assert!(dash.contains("<option value=\"41\" selected>河南省（3）</option>"));
    let stats: Value = serde_json::from_str(&crate::common::between(
        &dash,
        "<script type=\"application/json\" id=\"stats\">",
        "</script>",
    ))
    .unwrap();
    let groups: Vec<(String, i64)> = stats["divisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap().to_string(),
                g["reports"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("4102 开封市".into(), 1),
            ("4108 焦作市".into(), 1),
            ("4113 南阳市".into(), 1)
        ]
    );
    let (status, csv) = a.get("/dashboard.csv?by=province");
    assert_eq!(status, 200);
    assert!(csv.contains("\n41 河南省,3,"), "{csv}");
    assert!(csv.contains("\n35 福建省,3,"), "{csv}");

    // Exports carry the division.
    let (status, csv) = a.get("/export?format=csv&division=4108&zh=0");
    assert_eq!(status, 200);
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert!(lines.next().is_none());
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    assert_eq!(row[col("division")], "410825203");
    assert_eq!(row[col("division_path")], "河南省 焦作市 温县 北冷乡");
}
