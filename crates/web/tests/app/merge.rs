//! An admin merges a renamed office into its agency: the list counts kept per filter (until
//! the corpus changes) see the merge — no new report or correction shows it.

use crate::common::{between, start, Http, PASSWORD};
use serde_json::Value;

#[test]
fn a_merge_updates_the_lists_kept_counts() {
    let server = start(5);
    let mut h = Http::new(&server);
    assert_eq!(h.login("admin", PASSWORD), 303);
    let csrf = h.csrf();
    let mut g = nianbao_synth::rng(9);
    let mut reports = nianbao_synth::series(&mut g, "东湖街道办事处", 2022..=2023);
    reports.append(&mut nianbao_synth::series(
        &mut g,
        "湖东新区管理办公室",
        2024..=2024,
    ));
    let pages: Vec<(String, Vec<u8>)> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let page = nianbao_synth::html_page(r, &nianbao_synth::HtmlStyle::default());
            (format!("{i}.html"), page.into_bytes())
        })
        .collect();
    let files: Vec<(&str, &[u8])> = pages
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    assert_eq!(h.upload("/api/upload", &csrf, &files, true).0, 200);
    let count = |h: &mut Http, region: &str| -> String {
        let (status, page) = h.get(&format!("/?region={region}"));
        assert_eq!(status, 200);
        between(&page, "共 ", " 份")
    };
    let renamed = "%E6%B9%96%E4%B8%9C%E6%96%B0%E5%8C%BA"; // 湖东新区
    let east = "%E4%B8%9C%E6%B9%96%E8%A1%97%E9%81%93"; // 东湖街道
    assert_eq!(count(&mut h, renamed), "1");
    assert_eq!(count(&mut h, east), "2");

    let (_, agencies) = h.get("/api/agencies");
    let agencies: Value = serde_json::from_str(&agencies).unwrap();
    let id_of = |name: &str| {
        agencies["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("{name} not listed"))["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    // The newer agency is kept, so the newest agency id does not change either.
    let (keep, other) = (id_of("湖东新区管理办公室"), id_of("东湖街道办事处"));
    assert!(keep > other);
    let (status, _) = h.form(
        "/admin/agencies/merge",
        &[("csrf", &csrf), ("keep", &keep), ("other", &other)],
    );
    assert_eq!(status, 303);
    // One agency of three reports, known by its newest name.
    assert_eq!(count(&mut h, renamed), "3");
    assert_eq!(count(&mut h, east), "0");
}
