//! The fetcher against a server on loopback: limits that keep a bad or hostile site from
//! holding the collector (a redirect loop, a response over the size limit), each a clear error
//! naming the URL; conditional requests by Last-Modified alone.

use nianbao_collect::fetch::Fetched;
use nianbao_collect::{FetchError, Fetcher, Politeness, Validators};
use nianbao_testkit::portal::{Portal, Resource};
use std::collections::HashMap;
use std::time::Duration;
use url::Url;

fn fetcher(max_bytes: u64) -> Fetcher {
    Fetcher::new(Politeness {
        interval: Duration::from_millis(1),
        backoff: Duration::from_millis(1),
        max_bytes,
        ..Politeness::default()
    })
}

fn serve(routes: Vec<(&str, Resource)>) -> Portal {
    let routes: HashMap<String, Resource> = routes
        .into_iter()
        .map(|(p, r)| (p.to_string(), r))
        .collect();
    Portal::start(move |_| routes)
}

fn redirect(to: &str) -> Resource {
    Resource {
        redirect: Some(to.into()),
        ..Resource::default()
    }
}

#[test]
fn a_redirect_loop_ends_after_the_limit_with_its_reason() {
    let portal = serve(vec![
        ("/a.html", redirect("/b.html")),
        ("/b.html", redirect("/a.html")),
    ]);
    let f = fetcher(1 << 20);
    let u = Url::parse(&format!("{}/a.html", portal.base)).unwrap();
    let err = f.get(&u, &Validators::default()).unwrap_err();
    assert_eq!(
        err,
        FetchError::Transport(format!("{u}: 重定向过多 (too many redirects)"))
    );
    // robots.txt once, then the first request and five redirects followed.
    let asked: Vec<String> = portal.hits().into_iter().map(|h| h.path).collect();
    assert_eq!(
        asked.iter().filter(|p| p.ends_with(".html")).count(),
        6,
        "{asked:?}"
    );
}

#[test]
fn a_response_over_the_size_limit_is_refused_and_one_under_it_kept() {
    let big = vec![b'x'; 4096];
    let portal = serve(vec![
        ("/big.pdf", Resource::html(big.clone(), "application/pdf")),
        (
            "/small.pdf",
            Resource::html(vec![b'y'; 100], "application/pdf"),
        ),
    ]);
    let f = fetcher(1000);
    let u = Url::parse(&format!("{}/big.pdf", portal.base)).unwrap();
    assert_eq!(
        f.get(&u, &Validators::default()).unwrap_err(),
        FetchError::TooLarge(u.to_string())
    );
    assert_eq!(
        FetchError::TooLarge(u.to_string()).to_string(),
        format!("文件过大 (response too large): {u}")
    );
    let s = Url::parse(&format!("{}/small.pdf", portal.base)).unwrap();
    match f.get(&s, &Validators::default()).unwrap() {
        Fetched::Fresh(g) => assert_eq!(g.body, vec![b'y'; 100]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn last_modified_alone_makes_the_next_request_conditional() {
    let lm = "Wed, 31 Jan 2024 02:00:00 GMT";
    let portal = serve(vec![(
        "/r.pdf",
        Resource {
            last_modified: Some(lm.into()),
            ..Resource::html(b"%PDF-1.4".to_vec(), "application/pdf")
        },
    )]);
    let f = fetcher(1 << 20);
    let u = Url::parse(&format!("{}/r.pdf", portal.base)).unwrap();
    let first = match f.get(&u, &Validators::default()).unwrap() {
        Fetched::Fresh(g) => g,
        other => panic!("{other:?}"),
    };
    assert_eq!(first.validators.last_modified.as_deref(), Some(lm));
    assert_eq!(first.validators.etag, None);
    assert!(matches!(
        f.get(&u, &first.validators).unwrap(),
        Fetched::NotModified(_)
    ));
    let statuses: Vec<u16> = portal
        .hits()
        .into_iter()
        .filter(|h| h.path == "/r.pdf")
        .map(|h| h.status)
        .collect();
    assert_eq!(statuses, [200, 304]);
}
