//! The dashboard's script, run by node against a stand-in ECharts that records what it is
//! asked to draw: outcome bars add up to 100 %, every category says its n, every region is
//! there (a slider past 30), and a click opens the reports behind the bar with the page's
//! filters. (The drawing itself is checked in Chromium by `web.rs`.)

mod common;

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

fn group(name: &str, reports: i64, shares: [Option<f64>; 3]) -> Value {
    json!({ "group": name, "reports": reports, "requests_received": 10.0, "requests_processed": 8.0,
            "granted_share": shares[0], "partial_share": shares[1], "denied_share": shares[2],
            "reviews": 2.0, "review_corrected_rate": 0.5, "suits": 1.0, "suit_corrected_rate": null,
            "identity_pass_rate": 0.9, "on_time_rate": 1.0, "template_right_rate": 1.0 })
}

#[test]
fn dashboard_charts_say_n_add_up_and_open_their_reports() {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !common::available(node, "node (nodejs)") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let regions: Vec<Value> = (0..35)
        .map(|i| group(&format!("地区{i}"), i + 1, [None, None, None]))
        .collect();
    let stats = json!({
        "years": [group("2023", 120, [Some(0.5), Some(0.125), Some(0.125)]), group("2024", 3, [None, None, None]), group("未知", 1, [None, None, None])],
        "regions": regions,
        "divisions": [group("33 浙江省", 4, [None, None, None]), group("41 河南省", 2, [None, None, None]), group("未定位", 3, [None, None, None])],
    });
    let file = dir.path().join("stats.json");
    std::fs::write(&file, stats.to_string()).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("node")
        .arg(root.join("tests/js/dashboard-harness.js"))
        .arg(root.join("../web/assets/dashboard.js"))
        .arg(&file)
        .arg("q=&text=&region=&year=&level=%E4%B9%A1%E9%95%87&template=&status=")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["attrs"]["data-charts"], "ready");
    let chart = |id: &str| &got["charts"][id];

    // Outcomes: four parts adding up to 100 for a year with figures, none for one without.
    let outcomes = &chart("chart-outcomes")["option"];
    let part = |k: usize, y: usize| outcomes["series"][k]["data"][y].as_f64();
    let sum: f64 = (0..4).map(|k| part(k, 0).unwrap()).sum();
    assert_eq!(sum, 100.0);
    assert_eq!(part(3, 0), Some(25.0), "无法提供、不予处理及其他");
    assert!((0..4).all(|k| part(k, 1).is_none()));
    assert_eq!(
        outcomes["xAxis"]["data"],
        json!(["2023\n(n=120)", "2024\n(n=3)"])
    );

    // Regions: all 35, a slider showing 30 at a time, n under each.
    let regions = &chart("chart-compliance")["option"];
    assert_eq!(regions["xAxis"]["data"].as_array().unwrap().len(), 35);
    assert_eq!(regions["xAxis"]["data"][0], "地区0 (n=1)");
    // One slanted line each; ECharts leaves out a label that would overlap its neighbour and
    // the plot makes room for the labels.
    assert_eq!(
        (
            &regions["xAxis"]["axisLabel"]["hideOverlap"],
            &regions["grid"]["containLabel"]
        ),
        (&json!(true), &json!(true))
    );
    assert_eq!(regions["dataZoom"][0]["endValue"], 29);
    assert!(regions["title"]["text"]
        .as_str()
        .unwrap()
        .contains("共 35 个地区"));

    // A click keeps the page's filters and adds the bar's year or region.
    assert_eq!(
        chart("chart-requests")["click"],
        "/?q=&text=&region=&level=%E4%B9%A1%E9%95%87&template=&status=&year=2023"
    );
    assert_eq!(
        chart("chart-compliance")["click"],
        "/?q=&text=&year=&level=%E4%B9%A1%E9%95%87&template=&status=&region=%E5%9C%B0%E5%8C%BA0"
    );
    // Divisions one level down: the located ones as bars, the unlocated counted in the
    // title; a click drills down into the division (the dashboard, the filters kept).
    let divisions = &chart("chart-divisions")["option"];
    assert_eq!(
        divisions["xAxis"]["data"],
        json!(["浙江省 (n=4)", "河南省 (n=2)"])
    );
    assert!(divisions["title"]["text"]
        .as_str()
        .unwrap()
        .contains("未定位 3 份"));
    assert_eq!(
        chart("chart-divisions")["click"],
        "/dashboard?q=&text=&region=&year=&level=%E4%B9%A1%E9%95%87&template=&status=&division=33"
    );
    // The title sits above the legend, the legend above the plot.
    let o = &chart("chart-requests")["option"];
    assert!(o["title"]["top"].as_i64() < o["legend"]["top"].as_i64());
    assert!(o["legend"]["top"].as_i64() < o["grid"]["top"].as_i64());
}
