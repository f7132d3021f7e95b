//! The corpus schema, created on first open; a database nianbao did not make is refused.

use crate::db::{transaction, Conn, Kind};
use crate::StoreError;

pub const VERSION: i64 = 12;

/// Written once for both dialects: `{id}` is the auto-numbered key, `{real}` a double,
/// `{rowid}` a key given by the writer (on SQLite the table's row id, not a second index).
/// A report's cells are one JSON array in `cell_sets` (see `cellset`); the `cells` view
/// unfolds them into one row per cell for queries.
const TABLES: &str = "
CREATE TABLE nianbao_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE agencies (
    id {id},
    name TEXT NOT NULL,
    core TEXT NOT NULL,
    region TEXT NOT NULL,
    level TEXT NOT NULL,
    dirty BIGINT NOT NULL DEFAULT 0,
    division TEXT,
    division_how TEXT,
    division_choices TEXT
);
CREATE INDEX agencies_core ON agencies (core);
CREATE TABLE aliases (
    name TEXT PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES agencies (id)
);
CREATE TABLE reports (
    id {id},
    hash TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    agency_id BIGINT REFERENCES agencies (id),
    agency_name TEXT,
    year BIGINT,
    template TEXT NOT NULL,
    title TEXT,
    published TEXT,
    version BIGINT NOT NULL,
    current BIGINT NOT NULL,
    errors BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    ingested_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX reports_series ON reports (agency_id, year);
CREATE TABLE sources (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id),
    text TEXT NOT NULL
);
CREATE TABLE cell_sets (
    report_id {rowid} REFERENCES reports (id),
    cells TEXT NOT NULL
);
CREATE TABLE findings (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    origin TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL,
    cells TEXT NOT NULL,
    fix_key TEXT,
    fix_value BIGINT,
    alternatives TEXT
);
CREATE INDEX findings_report ON findings (report_id);
";

/// Version 2: people and their work — users, sessions, and every correction or acceptance
/// a reviewer makes (the audit trail).
const REVIEW: &str = "
CREATE TABLE users (
    id {id},
    name TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
    token TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE TABLE corrections (
    id {id},
    report_id BIGINT NOT NULL REFERENCES reports (id),
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    old TEXT,
    new TEXT,
    reason TEXT NOT NULL,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX corrections_report ON corrections (report_id);
";

/// Version 5: the review workflow — each report's state and assignee, comments on its
/// cells —, API tokens for scripts, and the files as published (PDF, Word, OFD, images:
/// those whose text is not the file itself).
const WORKFLOW: &str = "
CREATE TABLE review_states (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id),
    state TEXT NOT NULL,
    assignee TEXT,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE comments (
    id {id},
    report_id BIGINT NOT NULL REFERENCES reports (id),
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX comments_report ON comments (report_id);
CREATE TABLE originals (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id),
    name TEXT NOT NULL,
    bytes {blob} NOT NULL
);
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
";

/// Version 6: where each agency sits among the national divisions (see `divisions`), and
/// the readings a reviewer may choose between for an ambiguous row (JSON).
const DIVISIONS: &str = "
ALTER TABLE agencies ADD COLUMN division TEXT;
ALTER TABLE agencies ADD COLUMN division_how TEXT;
ALTER TABLE agencies ADD COLUMN division_choices TEXT;
ALTER TABLE findings ADD COLUMN alternatives TEXT;
";

/// Version 6 too: filing campaigns — an office's call for one year's reports from the
/// agencies under it (see `campaigns`).
const CAMPAIGNS: &str = "
CREATE TABLE campaigns (
    id {id},
    name TEXT NOT NULL,
    year BIGINT NOT NULL,
    office TEXT NOT NULL,
    division TEXT,
    deadline TEXT NOT NULL,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE campaign_agencies (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    PRIMARY KEY (campaign_id, agency_id)
);
CREATE TABLE ingest_queue (
    id {id},
    path TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    worker TEXT,
    error TEXT,
    at TEXT
);
";

/// Version 8: Word originals rendered to PDF by LibreOffice (made when a reviewer first
/// looks at the report's page), with the box of each cell on it (JSON, see `rendering`).
const RENDERINGS: &str = "
CREATE TABLE renderings (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id),
    pdf {blob} NOT NULL,
    boxes TEXT NOT NULL
);
";

/// Version 10: every review decision kept (state, assignee, the reason given — a 退回 needs
/// one —, who and when), the reason with the current state, versions held beside a
/// reviewed report until a reviewer makes them current, and who added each report.
const REVIEW_LOG: &str = "
ALTER TABLE review_states ADD COLUMN reason TEXT;
ALTER TABLE reports ADD COLUMN held BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN added_by TEXT;
ALTER TABLE comments ADD COLUMN reply_to BIGINT;
ALTER TABLE comments ADD COLUMN resolved_by TEXT;
ALTER TABLE comments ADD COLUMN resolved_at TEXT;
CREATE TABLE review_log (
    id {id},
    report_id BIGINT NOT NULL REFERENCES reports (id),
    state TEXT NOT NULL,
    assignee TEXT,
    reason TEXT,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX review_log_report ON review_log (report_id);
";

/// The `cells` view: the stored arrays as the rows (report, key, value, evidence columns)
/// the `cells` table of schema 8 and before held.
fn cells_view(kind: Kind) -> &'static str {
    match kind {
        Kind::Sqlite => "CREATE VIEW cells AS SELECT s.report_id AS report_id, \
            j.value ->> 0 AS key, j.value ->> 1 AS value, j.value ->> 2 AS num, j.value ->> 3 AS raw, \
            j.value ->> 4 AS line, j.value ->> 5 AS col, j.value ->> 6 AS pos, j.value ->> 7 AS len, \
            j.value ->> 8 AS unit, j.value ->> 9 AS confidence, j.value ->> 10 AS place \
            FROM cell_sets s, json_each(s.cells) j;",
        Kind::Postgres => "CREATE VIEW cells AS SELECT s.report_id AS report_id, \
            j.value ->> 0 AS key, j.value ->> 1 AS value, (j.value ->> 2)::double precision AS num, \
            j.value ->> 3 AS raw, (j.value ->> 4)::bigint AS line, (j.value ->> 5)::bigint AS col, \
            (j.value ->> 6)::bigint AS pos, (j.value ->> 7)::bigint AS len, j.value ->> 8 AS unit, \
            (j.value ->> 9)::double precision AS confidence, j.value ->> 10 AS place \
            FROM cell_sets s, jsonb_array_elements(s.cells::jsonb) AS j(value);",
    }
}

/// Schema 9: the `cells` table of an older store becomes one array per report in
/// `cell_sets` (reports a few hundred at a time), and the table the view of the same name.
fn cells_to_sets(c: &mut dyn Conn) -> Result<(), StoreError> {
    let ddl = dialect(
        &*c,
        "CREATE TABLE cell_sets (report_id {rowid} REFERENCES reports (id), cells TEXT NOT NULL);",
    );
    c.batch(&ddl)?;
    let ids: Vec<i64> = c
        .query("SELECT id FROM reports ORDER BY id", &[])?
        .iter()
        .filter_map(|r| r.int(0))
        .collect();
    for chunk in ids.chunks(256) {
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let rows = c.query(
            &format!(
                "SELECT report_id, key, value, num, raw, line, col, pos, len, unit, confidence, place \
                 FROM cells WHERE report_id IN ({}) ORDER BY report_id, key",
                list.join(", ")
            ),
            &[],
        )?;
        // One report's rows after another (ordered by report), each written as its array.
        let mut sets: Vec<(i64, Vec<&crate::db::Row>)> = Vec::new();
        for r in &rows {
            let id = r.int(0).unwrap_or(0);
            match sets.last_mut() {
                Some((last, cells)) if *last == id => cells.push(r),
                _ => sets.push((id, vec![r])),
            }
        }
        for (id, cells) in sets {
            c.exec(
                "INSERT INTO cell_sets (report_id, cells) VALUES ($1, $2)",
                &[id.into(), crate::cellset::from_columns(&cells, 1).into()],
            )?;
        }
    }
    c.batch("DROP TABLE cells")?;
    c.batch(cells_view(c.kind()))
}

fn dialect(conn: &dyn Conn, ddl: &str) -> String {
    match conn.kind() {
        Kind::Sqlite => ddl
            .replace("{id}", "INTEGER PRIMARY KEY")
            .replace("{rowid}", "INTEGER PRIMARY KEY")
            .replace("{real}", "REAL")
            .replace("{blob}", "BLOB"),
        Kind::Postgres => ddl
            .replace(
                "{id}",
                "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            )
            .replace("{rowid}", "BIGINT PRIMARY KEY")
            .replace("{real}", "DOUBLE PRECISION")
            .replace("{blob}", "BYTEA"),
    }
}

/// Indexes added after a schema version shipped, created when missing (cheap when present).
fn indexes(conn: &mut dyn Conn) -> Result<(), StoreError> {
    // The report list: current reports, newest year first, page by page (in the list's
    // order, NULLs made -1 so both backends agree and a page can seek); and its status
    // filters (with errors, warnings, clean) counted from an index, not the table.
    conn.batch("DROP INDEX IF EXISTS reports_list")?;
    match conn.kind() {
        Kind::Sqlite => conn.batch(
            "CREATE INDEX IF NOT EXISTS reports_order ON reports \
             (current, (COALESCE(year, -1)), (COALESCE(agency_id, -1)), id)",
        )?,
        // PostgreSQL answers from an index alone only when it holds every column a query
        // names, and the list's order names `year` and `agency_id` inside its expressions:
        // without them each row skipped by OFFSET was a heap page read (page 190 of a million
        // reports: 610 ms cold; with them 2 ms). Stores made before get it in place of the
        // narrower index (built once, seconds at a million reports).
        Kind::Postgres => {
            conn.batch(
                "CREATE INDEX IF NOT EXISTS reports_order_cover ON reports \
                 (current, (COALESCE(year, -1)), (COALESCE(agency_id, -1)), id) \
                 INCLUDE (year, agency_id)",
            )?;
            conn.batch("DROP INDEX IF EXISTS reports_order")?
        }
    }
    conn.batch("CREATE INDEX IF NOT EXISTS reports_status ON reports (current, errors, warnings)")?;
    // A worker claims the first queued file: without this the claim walked past every file
    // already done (a queue of 100 000 files grew slower with each one stored).
    conn.batch(
        "CREATE INDEX IF NOT EXISTS ingest_queue_queued ON ingest_queue (id) WHERE state = 'queued'",
    )
}

fn tables(conn: &mut dyn Conn) -> Result<Vec<String>, StoreError> {
    let sql = match conn.kind() {
        Kind::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        Kind::Postgres => "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
    };
    Ok(conn
        .query(sql, &[])?
        .iter()
        .map(|r| r.str(0).to_string())
        .collect())
}

/// Creates the schema in an empty database, or checks that an existing one is ours. On a
/// server, processes opening the same database at once (ingest workers) take turns.
pub fn ensure(conn: &mut dyn Conn, name: &str) -> Result<(), StoreError> {
    if conn.kind() == Kind::Sqlite {
        return ensure_now(conn, name);
    }
    conn.batch("SELECT pg_advisory_lock(hashtext('nianbao schema'))")?;
    let result = ensure_now(conn, name);
    conn.batch("SELECT pg_advisory_unlock(hashtext('nianbao schema'))")?;
    result
}

fn ensure_now(conn: &mut dyn Conn, name: &str) -> Result<(), StoreError> {
    let existing = tables(conn)?;
    if existing.is_empty() {
        let ddl = dialect(
            conn,
            &(TABLES.to_string()
                + REVIEW
                + WORKFLOW
                + REVIEW_LOG
                + CAMPAIGNS
                + crate::figures::TABLE
                + RENDERINGS
                + crate::collected::TABLES
                + crate::filers::TABLE),
        );
        transaction(conn, |c| {
            c.batch(&ddl)?;
            c.batch(cells_view(c.kind()))?;
            c.exec(
                "INSERT INTO nianbao_meta (key, value) VALUES ('schema', $1)",
                &[VERSION.to_string().into()],
            )?;
            Ok(())
        })?;
        return indexes(conn);
    }
    if !existing.iter().any(|t| t == "nianbao_meta") {
        return Err(StoreError::Foreign(name.to_string()));
    }
    let rows = conn.query("SELECT value FROM nianbao_meta WHERE key = 'schema'", &[])?;
    match rows.first().and_then(|r| r.int(0)) {
        Some(VERSION) => indexes(conn),
        // A corpus made before the web application (1) gets its tables, one made before
        // evidence carried places in the file (2) the column, one made before accounts
        // could be disabled (3) that column, one made before the review workflow (4) its
        // tables, one made before divisions (5) the agencies' division columns, filled from
        // the stored texts, one made before figures were kept per report (6) their table,
        // filled from the stored cells and findings, one made before Word originals were
        // rendered (7) their table, one made before cells were stored an array per report
        // (8) its cells converted and the numbers the cross-year rules read put with the
        // figures, one made before review decisions were kept (9) their log, one made before
        // reports were collected from portals (10) the collector's tables, one made before
        // agencies filed themselves (11) the table of who files for which agency;
        // everything else is kept.
        Some(v @ (1..=11)) => {
            let mut ddl = if v == 1 {
                dialect(conn, REVIEW)
            } else {
                String::new()
            };
            if v <= 2 {
                ddl.push_str("ALTER TABLE cells ADD COLUMN place TEXT;");
            }
            if (2..=3).contains(&v) {
                ddl.push_str("ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;");
            }
            if v <= 4 {
                ddl.push_str(&dialect(conn, WORKFLOW));
            }
            if v <= 5 {
                ddl.push_str(DIVISIONS);
                ddl.push_str(&dialect(conn, CAMPAIGNS));
            }
            if v <= 6 {
                ddl.push_str(&dialect(conn, crate::figures::TABLE));
            }
            if v <= 7 {
                ddl.push_str(&dialect(conn, RENDERINGS));
            }
            if (7..=8).contains(&v) {
                ddl.push_str("ALTER TABLE figures ADD COLUMN cross_cells TEXT;");
            }
            if v <= 9 {
                ddl.push_str(&dialect(conn, REVIEW_LOG));
            }
            if v <= 10 {
                ddl.push_str(&dialect(conn, crate::collected::TABLES));
            }
            ddl.push_str(&dialect(conn, crate::filers::TABLE));
            transaction(conn, |c| {
                c.batch(&ddl)?;
                if v <= 5 {
                    crate::divisions::locate_all(c)?;
                }
                if v <= 6 {
                    crate::figures::fill(c)?;
                }
                if v <= 8 {
                    cells_to_sets(c)?;
                    crate::figures::fill_cross(c)?;
                }
                c.exec(
                    "UPDATE nianbao_meta SET value = $1 WHERE key = 'schema'",
                    &[VERSION.to_string().into()],
                )?;
                Ok(())
            })?;
            indexes(conn)
        }
        Some(v) => Err(StoreError::Version(name.to_string(), v)),
        None => Err(StoreError::Foreign(name.to_string())),
    }
}
