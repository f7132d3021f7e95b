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
    assert_eq!(
        (v["status"].as_str(), v["schema"].as_str()),
        (Some("ok"), Some("10"))
    );
    // Everything else still needs a session.
    assert_eq!(h.get("/api/reports").0, 401);
}
