//! A campaign's collection from the web, as an admin runs it: paste the site list, start,
//! watch the progress on the campaign's page, then read each agency's report as published
//! online on the board and in its CSV. Only admins may start one; only the hosts the list
//! names are fetched.

use crate::common::{between, start, Http, PASSWORD};
use nianbao_testkit::portal::Portal;
use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn an_admin_collects_a_campaigns_reports_from_the_portals() {
    let server = start(5);
    *server.state.collect_interval.lock().unwrap() = Duration::from_millis(10);
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let mut made = None;
    let portal = Portal::start(|base| {
        let m = nianbao_testkit::sites::make(base, &shared, 13, &[2023]);
        let routes = m.routes.clone();
        made = Some(m);
        routes
    });
    let made = made.unwrap();

    let mut admin = Http::new(&server);
    assert_eq!(admin.login("admin", PASSWORD), 303);
    let (_, page) = admin.get("/campaigns");
    let csrf = between(&page, "name=\"csrf\" value=\"", "\"").to_string();
    let (status, _) = admin.form(
        "/campaigns",
        &[
            ("csrf", &csrf),
            ("name", "2023年度年报"),
            ("year", "2023"),
            ("office", "测试县政务公开办"),
        ],
    );
    assert_eq!(status, 303);

    // A reviewer sees no form and may not start one.
    let mut reviewer = Http::new(&server);
    assert_eq!(reviewer.login("reviewer", PASSWORD), 303);
    let (_, page) = reviewer.get("/campaigns/1");
    assert!(!page.contains("id=\"collect-form\""));
    let rcsrf = between(&page, "name=\"csrf\" value=\"", "\"").to_string();
    let (status, _) = reviewer.form(
        "/campaigns/1/collect",
        &[("csrf", &rcsrf), ("sites", &made.csv)],
    );
    assert_eq!(status, 403);

    // A list without a URL column is refused with the reason.
    let (status, body) = admin.form(
        "/campaigns/1/collect",
        &[("csrf", &csrf), ("sites", "机关名称\n甲局\n")],
    );
    assert_eq!(status, 400);
    assert!(body.contains("表头须有机关名称与网址两列"), "{body}");

    let (_, page) = admin.get("/campaigns/1");
    assert!(page.contains("id=\"collect-form\""));
    let (status, _) = admin.form(
        "/campaigns/1/collect",
        &[("csrf", &csrf), ("sites", &made.csv)],
    );
    assert_eq!(status, 303);
    let began = Instant::now();
    let page = loop {
        let (_, page) = admin.get("/campaigns/1");
        assert!(page.contains("id=\"collect-status\""), "{page}");
        if page.contains("网站收集已完成") {
            break page;
        }
        assert!(began.elapsed() < Duration::from_secs(120), "never finished");
        std::thread::sleep(Duration::from_millis(200));
    };
    let reports = made.expect.len();
    assert!(
        page.contains(&format!("新存入报告 <b>{reports}</b> 份")),
        "{page}"
    );

    // Every agency of the list is on the board, with its report as published online.
    for e in &made.expect {
        let row = between(&page, &format!(">{}</a>", e.agency), "</tr>").to_string();
        assert!(row.contains(&e.published), "{}: {row}", e.agency);
        assert_eq!(row.contains("逾期公开"), e.late, "{}: {row}", e.agency);
    }
    for (agency, _) in &made.none {
        let row = between(&page, &format!(">{agency}</a>"), "</tr>").to_string();
        assert!(row.contains("网上未找到"), "{agency}: {row}");
    }
    let (_, csv) = admin.get("/campaigns/1.csv");
    let late = made.expect.iter().filter(|e| e.late).count();
    assert_eq!(csv.matches(",逾期公开,").count(), late, "{csv}");
    assert_eq!(csv.matches(",按时公开,").count(), reports - late, "{csv}");
    assert_eq!(
        csv.matches(",网上未找到,").count(),
        made.none.len(),
        "{csv}"
    );
    // Nothing outside the portal named in the list was asked for, robots.txt kept.
    assert!(portal
        .hits()
        .iter()
        .all(|h| !h.path.starts_with("/private/")));
}
