//! Stores written by earlier releases (kept in `tests/fixtures`: schema 9, made by the
//! release of 2026-12-06, schema 10, and schema 11 made by the release of 2026-12-07; each with the five seed reports, a Word copy and an
//! edited text as new versions, and two users made with `nianbao users add`) open in this
//! one: migrated in place to the current schema with every report, version, cell and user
//! as it was, and the users sign in with their passwords.

use crate::common::{Http, Server, PASSWORD};
use nianbao_corpus::schema::VERSION;

/// What a store holds, read with SQLite itself (opening it as a store would migrate it).
fn raw(db: &str) -> (String, Vec<Vec<String>>) {
    let c = rusqlite::Connection::open(db).unwrap();
    let one = |sql: &str| -> Vec<Vec<String>> {
        let mut st = c.prepare(sql).unwrap();
        let n = st.column_count();
        st.query_map([], |r| {
            Ok((0..n)
                .map(|i| match r.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Null => "NULL".into(),
                    rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                    rusqlite::types::ValueRef::Real(v) => v.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(b) => format!("{} bytes", b.len()),
                })
                .collect())
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let schema = one("SELECT value FROM nianbao_meta WHERE key = 'schema'")[0][0].clone();
    let mut rows = one(
        "SELECT id, hash, path, format, agency_name, year, template, version, current, errors, warnings, doc FROM reports ORDER BY id",
    );
    rows.extend(one(
        "SELECT report_id, cells FROM cell_sets ORDER BY report_id",
    ));
    rows.extend(one(
        "SELECT report_id, text FROM sources ORDER BY report_id",
    ));
    rows.extend(one(
        "SELECT id, name, role, disabled FROM users ORDER BY id",
    ));
    rows.extend(one(
        "SELECT id, name, region, level FROM agencies ORDER BY id",
    ));
    (schema, rows)
}

#[test]
fn stores_of_earlier_releases_open_migrated_with_everything_kept() {
    for (schema, fixture) in [
        (9, "store-schema-9.db"),
        (10, "store-schema-10.db"),
        (11, "store-schema-11.db"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(fixture).display().to_string();
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        std::fs::copy(&from, &db).unwrap();
        let (was, before) = raw(&db);
        assert_eq!(was, schema.to_string());
        assert_eq!(
            before.iter().filter(|r| r.len() == 12).count(),
            7,
            "{fixture}: reports"
        );

        let spool = nianbao_web::default_spool(&db);
        let state = nianbao_web::open(&db, 5 << 20, spool, false).unwrap();
        let router = nianbao_web::app(state.clone());
        let server = Server {
            dir,
            db: db.clone(),
            state,
            router,
        };
        let (now, after) = raw(&db);
        assert_eq!(now, VERSION.to_string(), "{fixture}");
        assert_eq!(after, before, "{fixture}: something changed in the upgrade");

        // The users made by the earlier release sign in; the reports are listed.
        for name in ["admin", "审核员甲"] {
            let mut h = Http::new(&server);
            assert_eq!(
                h.login(name, "correct-horse-battery"),
                303,
                "{fixture}: {name}"
            );
            assert_ne!(h.login(name, PASSWORD), 303);
        }
        let mut h = Http::new(&server);
        h.login("admin", "correct-horse-battery");
        let (status, body) = h.get("/api/reports");
        assert_eq!(status, 200);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let items = v["items"]
            .as_array()
            .or_else(|| v["reports"].as_array())
            .map_or(0, Vec::len);
        assert_eq!(items, 5, "{fixture}: {body}");
    }
}
