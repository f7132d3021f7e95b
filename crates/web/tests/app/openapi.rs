//! `/api/openapi.json` lists every API route the server has (read from the router's source),
//! with its method, and the enums of the values scripts branch on.

use crate::common::{start, Http};
use serde_json::Value;

/// (method, path) of every `/api/` route in `crates/web/src/lib.rs`.
fn routes() -> Vec<(String, String)> {
    let src = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src/lib.rs"),
    )
    .unwrap();
    let mut out = Vec::new();
    let flat: String = src.split_whitespace().collect::<Vec<_>>().join(" ");
    for piece in flat.split(".route(").skip(1) {
        let Some(rest) = piece.trim_start().strip_prefix("\"/api/") else {
            continue;
        };
        let path = format!("/api/{}", rest.split('"').next().unwrap());
        let handlers = piece.split(".layer(").next().unwrap();
        for method in ["get", "post", "delete"] {
            if handlers.contains(&format!("{method}(")) {
                out.push((method.to_string(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_api_route_is_described() {
    let server = start(5);
    let (status, body) = Http::new(&server).get("/api/openapi.json");
    assert_eq!(status, 200, "public");
    let doc: Value = serde_json::from_str(&body).unwrap();
    let routes = routes();
    assert!(routes.len() >= 20, "{routes:?}");
    for (method, path) in &routes {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} not in the OpenAPI document"
        );
        assert!(
            doc["paths"][path][method]["summary"].is_string(),
            "{method} {path} has no summary"
        );
    }
    let schemas = &doc["components"]["schemas"];
    let enum_of = |schema: &str, pointer: &str| -> Vec<String> {
        schemas[schema]
            .pointer(pointer)
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("{schema}{pointer}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        enum_of("Finding", "/properties/severity/enum"),
        ["error", "warning", "info"]
    );
    assert_eq!(
        enum_of("Review", "/properties/state/enum"),
        ["pending", "approved", "returned"]
    );
    assert_eq!(
        enum_of("Job", "/properties/files/items/properties/stage/enum"),
        ["queued", "reading", "stored", "failed"]
    );
    // Every format the process knows (the official three here), as stored and filtered by.
    assert_eq!(
        enum_of("Summary", "/properties/template/enum"),
        ["legacy", "2019", "2021"]
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}
