//! Each report's figures for the statistics (requests, outcomes, reviews and suits summed over
//! their keys; whether its identities hold and its template is right), kept in the `figures`
//! table beside the report and rewritten whenever its cells or findings change — so the
//! statistics, the dashboard and the assessment group one row per report instead of
//! searching every report's cells and findings for each measure.

use crate::db::{Conn, Value};
use crate::StoreError;
use nianbao_model::{Finding, Num, Report, Rule};

/// Keys summed for each figure, over every template, in the order of the table's columns.
pub(crate) const SUMS: [(&str, &[&str]); 9] = [
    (
        "received",
        &["t3.received.total", "legacy.request.received"],
    ),
    ("processed", &["t3.processed.total", "legacy.reply.total"]),
    ("granted", &["t3.granted.total", "legacy.reply.granted"]),
    ("partial", &["t3.partial.total", "legacy.reply.partial"]),
    (
        "denied",
        &[
            "t3.denied.secret.total",
            "t3.denied.prohibited.total",
            "t3.denied.safety.total",
            "t3.denied.third_party.total",
            "t3.denied.internal.total",
            "t3.denied.process.total",
            "t3.denied.enforcement.total",
            "t3.denied.inquiry.total",
            "legacy.reply.denied",
        ],
    ),
    ("reviews", &["t4.review.total", "legacy.review.total"]),
    (
        "reviews_corrected",
        &["t4.review.corrected", "legacy.review.corrected"],
    ),
    (
        "suits",
        &[
            "t4.suit_direct.total",
            "t4.suit_after_review.total",
            "legacy.suit.total",
        ],
    ),
    (
        "suits_corrected",
        &[
            "t4.suit_direct.corrected",
            "t4.suit_after_review.corrected",
            "legacy.suit.corrected",
        ],
    ),
];

/// The table (schema 7; `cross_cells` since 9: the numbers the cross-year rules read, a JSON
/// object by key); `{real}` as in `schema`.
pub(crate) const TABLE: &str = "
CREATE TABLE figures (
    report_id BIGINT PRIMARY KEY REFERENCES reports (id),
    received {real} NOT NULL,
    processed {real} NOT NULL,
    granted {real} NOT NULL,
    partial {real} NOT NULL,
    denied {real} NOT NULL,
    reviews {real} NOT NULL,
    reviews_corrected {real} NOT NULL,
    suits {real} NOT NULL,
    suits_corrected {real} NOT NULL,
    pass INTEGER NOT NULL,
    tpl INTEGER NOT NULL,
    cross_cells TEXT
);
";

/// The ids of the identity rules, for SQL.
fn identity_ids() -> Vec<&'static str> {
    Rule::ALL
        .iter()
        .filter(|r| r.is_identity())
        .map(|r| r.id())
        .collect()
}

/// Keys and ids (our own constants, never input) as an SQL list: `'a', 'b'`.
pub(crate) fn quoted(list: &[impl AsRef<str>]) -> String {
    list.iter()
        .map(|k| format!("'{}'", k.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `INSERT INTO figures … SELECT … FROM reports r {rest}`: the one definition of the figures,
/// computed from the stored cells and findings.
fn insert(rest: &str) -> String {
    let sums: Vec<String> = SUMS
        .iter()
        .map(|(_, keys)| {
            format!(
                "(SELECT COALESCE(SUM(c.num), 0) FROM cells c WHERE c.report_id = r.id AND c.key IN ({}))",
                quoted(keys)
            )
        })
        .collect();
    format!(
        "INSERT INTO figures (report_id, {}, pass, tpl) SELECT r.id, {}, \
         CASE WHEN EXISTS (SELECT 1 FROM findings f WHERE f.report_id = r.id AND f.rule IN ({})) THEN 0 ELSE 1 END, \
         CASE WHEN EXISTS (SELECT 1 FROM findings f WHERE f.report_id = r.id AND f.rule = '{}') THEN 0 ELSE 1 END \
         FROM reports r {rest}",
        names().join(", "),
        sums.join(", "),
        quoted(&identity_ids()),
        Rule::TemplateYear.id()
    )
}

/// Writes one report's figures from the report and findings just stored (the same figures
/// [`fill`] computes from the stored rows; a test holds the two together).
pub(crate) fn put(
    c: &mut dyn Conn,
    report_id: i64,
    report: &Report,
    findings: &[Finding],
) -> Result<(), StoreError> {
    let has = |pick: fn(Rule) -> bool| findings.iter().any(|f| pick(f.rule));
    let mut row: Vec<Value> = vec![report_id.into()];
    for (_, keys) in SUMS {
        let sum: f64 = keys
            .iter()
            .filter_map(|k| report.value(k).map(Num::as_f64))
            .sum();
        row.push(Some(sum).into());
    }
    row.push(i64::from(!has(Rule::is_identity)).into());
    row.push(i64::from(!has(|r| r == Rule::TemplateYear)).into());
    let cross = crate::cross::keys()
        .iter()
        .filter_map(|k| Some((k.clone(), report.value(k)?.as_f64())));
    row.push(cross_cells(cross).into());
    c.exec(
        "DELETE FROM figures WHERE report_id = $1",
        &[report_id.into()],
    )?;
    // Written once: every report stored runs it.
    static INSERT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let marks: Vec<String> = (1..=SUMS.len() + 4).map(|i| format!("${i}")).collect();
        format!(
            "INSERT INTO figures (report_id, {}, pass, tpl, cross_cells) VALUES ({})",
            names().join(", "),
            marks.join(", ")
        )
    });
    c.exec(&INSERT, &row)?;
    Ok(())
}

/// The summed columns' names, in the table's order.
fn names() -> Vec<&'static str> {
    SUMS.iter().map(|(n, _)| *n).collect()
}

/// Fills the figures of every stored report (a corpus made before schema 7).
pub(crate) fn fill(c: &mut dyn Conn) -> Result<(), StoreError> {
    c.batch("DELETE FROM figures")?;
    c.batch(&insert(""))
}

/// The `cross_cells` column: the numbers the cross-year rules read, a JSON object by key
/// (written by `put` and by `fill_cross` alike).
fn cross_cells(numbers: impl Iterator<Item = (String, f64)>) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        numbers.map(|(k, v)| (k, v.into())).collect();
    serde_json::Value::Object(map).to_string()
}

/// Fills the numbers the cross-year rules read where a figure row lacks them (a corpus made
/// before schema 9), from the stored cells, a few hundred reports at a time.
pub(crate) fn fill_cross(c: &mut dyn Conn) -> Result<(), StoreError> {
    let ids: Vec<i64> = c
        .query(
            "SELECT report_id FROM figures WHERE cross_cells IS NULL ORDER BY report_id",
            &[],
        )?
        .iter()
        .filter_map(|r| r.int(0))
        .collect();
    let keys: Vec<&str> = crate::cross::keys().iter().map(String::as_str).collect();
    for chunk in ids.chunks(256) {
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let rows = c.query(
            &format!(
                "SELECT report_id, cells FROM cell_sets WHERE report_id IN ({})",
                list.join(", ")
            ),
            &[],
        )?;
        for r in &rows {
            let id = r.int(0).unwrap_or(0);
            let numbers = crate::cellset::numbers(r.str(1), &keys)
                .map_err(|e| StoreError::Corrupt(format!("报告 {id}: {e}")))?;
            c.exec(
                "UPDATE figures SET cross_cells = $1 WHERE report_id = $2",
                &[cross_cells(numbers.into_iter()).into(), id.into()],
            )?;
        }
    }
    Ok(())
}
