//! `/healthz` answers without signing in, with the store's schema (a store that cannot be
//! read answers 503 with the reason; not provoked here: pooled connections keep a replaced
//! file open).

use crate::common::{start, Http};
use serde_json::Value;

#[test]
fn health_says_whether_the_store_answers() {
    let server = start(5);
    let mut h = Http::new(&server);
    let (status, body) = h.get("/healthz");
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let schema = nianbao_corpus::schema::VERSION.to_string();
    assert_eq!(
        (v["status"].as_str(), v["schema"].as_str()),
        (Some("ok"), Some(schema.as_str()))
    );
    // Everything else still needs a session.
    assert_eq!(h.get("/api/reports").0, 401);
}

/// Every request of a served application leaves one JSON line: id (also in the answer's
/// `X-Request-Id`), method, path without the query, status, time, and who was signed in.
#[test]
fn each_request_leaves_a_line_with_who_and_how_it_ended() {
    let mut server = start(5);
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    server.router = nianbao_web::log::logged(
        server.router.clone(),
        std::sync::Arc::new(move |l: String| sink.lock().unwrap().push(l)),
    );
    let mut h = Http::new(&server);
    assert_eq!(h.login("reviewer", crate::common::PASSWORD), 303);
    let answer = h.send("GET", "/api/reports?q=secret-word", &[], Vec::new());
    assert_eq!(answer.status, 200);
    let id = answer.header("x-request-id");
    assert!(id.parse::<u64>().is_ok(), "{id}");
    let got: Vec<Value> = lines
        .lock()
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let last = got.last().unwrap();
    assert_eq!(last["id"].to_string(), id);
    assert_eq!(
        (
            last["method"].as_str(),
            last["path"].as_str(),
            last["status"].as_u64(),
            last["user"].as_str()
        ),
        (
            Some("GET"),
            Some("/api/reports"),
            Some(200),
            Some("reviewer")
        )
    );
    assert!(last["ms"].as_f64().is_some() && last["at"].as_str().unwrap().ends_with("+08:00"));
    // Before signing in: no user; the sign-in itself logged with its status.
    let login: Vec<&Value> = got.iter().filter(|l| l["path"] == "/login").collect();
    assert_eq!(login[0]["user"], Value::Null);
    assert!(login
        .iter()
        .any(|l| l["method"] == "POST" && l["status"] == 303));
    assert!(
        !got.iter().any(|l| l.to_string().contains("secret-word")),
        "queries stay out"
    );
}

/// `/readyz` answers without signing in: ready while the store and the spool are; a spool
/// that cannot be written makes it 503 with the reason.
#[test]
fn ready_says_whether_requests_can_be_served_in_full() {
    let server = start(5);
    let mut h = Http::new(&server);
    let (status, body) = h.get("/readyz");
    assert_eq!((status, body.as_str()), (200, "{\"status\":\"ready\"}"));
    let spool = nianbao_web::default_spool(&server.db);
    std::fs::remove_dir_all(&spool).unwrap();
    std::fs::write(&spool, b"not a directory").unwrap();
    let (status, body) = h.get("/readyz");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("上传暂存目录不可写"), "{body}");
}
