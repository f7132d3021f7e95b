//! The report list's filters over the five seed reports (three formats): the format filter
//! offers every known format, newest first, and each choice lists exactly its reports.

use crate::common::{agencies_of, between, start, Http, PASSWORD};

#[test]
fn the_format_filter_lists_each_formats_reports() {
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
