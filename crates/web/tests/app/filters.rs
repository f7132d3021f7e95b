//! The report list's filters over the five seed reports (three formats): the format filter
//! offers every known format, newest first, and each choice lists exactly its reports; the
//! year filter offers the corpus's years and reads years as people type them.

use crate::common::{agencies_of, between, start, Http, PASSWORD};

/// The five seed reports uploaded by a reviewer: the server and the signed-in client.
fn with_seeds() -> (crate::common::Server, Http) {
    let server = start(5);
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", PASSWORD), 303);
    let csrf = h.csrf();
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/seeds");
    let files: Vec<(String, Vec<u8>)> = [
        "000_ea60ae7e2efea9c4",
        "001_108787ae7295ae56",
        "002_3bceb6a2129e3845",
        "003_c6fe95c377c36cea",
        "004_ea2d11bfa97f555c",
    ]
    .iter()
    .map(|n| {
        (
            format!("{n}.txt"),
            std::fs::read(seeds.join(format!("{n}.txt"))).unwrap(),
        )
    })
    .collect();
    let parts: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let (status, body) = h.upload("/api/upload", &csrf, &parts, true);
    assert_eq!(status, 200, "{body}");
    (server, h)
}

#[test]
fn the_format_filter_lists_each_formats_reports() {
    let (_server, mut h) = with_seeds();
    let (status, page) = h.get("/");
    assert_eq!(status, 200);
    let select = between(
        &page,
        "<select name=\"template\" id=\"f-template\">",
        "</select>",
    );
    assert_eq!(
        select,
        "<option value=\"\" selected>全部格式</option>\
         <option value=\"2021\">2021年版格式</option>\
         <option value=\"2019\">2019年版格式</option>\
         <option value=\"legacy\">2018年及以前统计表</option>"
    );

    assert_eq!(
        agencies_of(&mut h, "template=2021"),
        ["尉氏县洧川镇人民政府"]
    );
    assert_eq!(
        agencies_of(&mut h, "template=2019"),
        ["北冷乡", "南召县城关镇人民政府", "西店镇"]
    );
    assert_eq!(agencies_of(&mut h, "template=legacy"), ["河口镇"]);
    // The page keeps the choice and lists the same reports.
    let (_, page) = h.get("/?template=legacy");
    assert!(
        page.contains("<option value=\"legacy\" selected>"),
        "choice not kept"
    );
    assert!(
        page.contains("河口镇") && !page.contains("西店镇"),
        "page lists other formats"
    );
}

#[test]
fn the_year_filter_offers_the_corpus_years_and_reads_typed_years() {
    let (_server, mut h) = with_seeds();
    for path in ["/", "/dashboard"] {
        let (status, page) = h.get(path);
        assert_eq!(status, 200);
        assert_eq!(
            between(&page, "<datalist id=\"f-years\">", "</datalist>"),
            "<option value=\"2021\"></option><option value=\"2020\"></option>\
             <option value=\"2019\"></option><option value=\"2018\"></option>",
            "{path}"
        );
        assert!(page.contains("list=\"f-regions\""), "{path}");
    }
    // Years as people write them: with 年, full-width, separated by Chinese commas.
    let both = ["北冷乡", "南召县城关镇人民政府", "西店镇"];
    assert_eq!(agencies_of(&mut h, "year=2019,2020"), both);
    let typed = "year=2019%E5%B9%B4%EF%BC%8C%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%90"; // 2019年，２０２０
    assert_eq!(agencies_of(&mut h, typed), both);
    // What is no year is said, not silently dropped; the other years still filter.
    let (_, page) = h.get("/?year=2018%2Cabc"); // 2018,abc
    assert!(
        between(&page, "<p class=\"warn\" id=\"year-error\">", "</p>")
            .starts_with("年度“abc”无法识别"),
        "no note on the year that is none"
    );
    assert!(page.contains("河口镇") && !page.contains("西店镇"));
    let (_, page) = h.get("/?year=2018");
    assert!(!page.contains("year-error"));
}
