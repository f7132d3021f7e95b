//! Ingest shared by several processes, on one machine or several, over one PostgreSQL
//! store: the files to read are queued in the store (`ingest_queue`), and each worker
//! claims one at a time with `FOR UPDATE SKIP LOCKED` inside the transaction that stores
//! its report. A worker that dies (killed, machine lost) has its transaction rolled back by
//! the server: the file is queued again and nothing of it was stored. Agency identity,
//! versions and cross-year state stay right because writers of one agency (and of one
//! file content) take the same advisory lock (`db::lock`).

use crate::db::transaction;
use crate::ingest::{jobs, walk, work as read_one, Names, Outcome, Summary};
use crate::store::{now, save};
use crate::{Store, StoreError};
use std::collections::HashSet;
use std::path::PathBuf;

/// Queues files (directories walked, archives as one item each) not queued before;
/// returns how many were added.
pub fn enqueue(store: &mut Store, paths: &[PathBuf]) -> Result<usize, StoreError> {
    require_postgres(store)?;
    let files: Vec<String> = walk(paths)
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p).display().to_string())
        .collect();
    let mut added = 0;
    for chunk in files.chunks(500) {
        added += transaction(store.conn(), |c| {
            let mut n = 0;
            for f in chunk {
                n += c.exec(
                    "INSERT INTO ingest_queue (path, state) VALUES ($1, 'queued') ON CONFLICT (path) DO NOTHING",
                    &[f.as_str().into()],
                )? as usize;
            }
            Ok(n)
        })?;
    }
    Ok(added)
}

fn require_postgres(store: &mut Store) -> Result<(), StoreError> {
    if store.conn().kind() != crate::db::Kind::Postgres {
        return Err(StoreError::Rejected(
            "共享队列导入需要 PostgreSQL（--db postgres://…）；SQLite 请直接导入 (the shared queue needs PostgreSQL)".into(),
        ));
    }
    Ok(())
}

/// Works through the queue until nothing is left to claim; then brings the cross-year
/// findings up to date (one worker at a time). `progress` is called once per input.
pub fn work(
    store: &mut Store,
    worker: &str,
    progress: &mut dyn FnMut(&str, &Outcome),
) -> Result<Summary, StoreError> {
    require_postgres(store)?;
    let mut summary = Summary::default();
    loop {
        let claimed = transaction(store.conn(), |c| {
            let row = c.query(
                "SELECT id, path FROM ingest_queue WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                &[],
            )?;
            let Some(row) = row.first() else {
                return Ok(None);
            };
            let (id, path) = (row.int(0).unwrap_or(0), row.str(1).to_string());
            // A file, or each member of an archive, read as `ingest` reads them.
            let mut outcomes = Vec::new();
            for job in jobs(&[PathBuf::from(&path)], Names::default()) {
                let (name, parsed) = read_one(job, &HashSet::new());
                let outcome = match parsed {
                    Ok(parsed) => Outcome::Saved(save(c, &parsed, &Default::default())?),
                    Err(o) => o,
                };
                outcomes.push((name, outcome));
            }
            let failed: Vec<&str> = outcomes
                .iter()
                .filter_map(|(_, o)| match o {
                    Outcome::Failed(r) => Some(r.as_str()),
                    _ => None,
                })
                .collect();
            let state = if failed.is_empty() { "done" } else { "failed" };
            let error = (!failed.is_empty()).then(|| failed.join("; "));
            c.exec(
                "UPDATE ingest_queue SET state = $1, worker = $2, error = $3, at = $4 WHERE id = $5",
                &[state.into(), worker.into(), error.into(), now().into(), id.into()],
            )?;
            Ok(Some(outcomes))
        })?;
        let Some(outcomes) = claimed else {
            break;
        };
        for (name, outcome) in outcomes {
            summary.read += 1;
            summary.count(&name, &outcome);
            progress(&name, &outcome);
        }
    }
    // One worker at a time brings the cross-year findings up to date.
    store
        .conn()
        .batch("SELECT pg_advisory_lock(hashtext('nianbao cross-year'))")?;
    let refreshed = store.refresh_cross();
    store
        .conn()
        .batch("SELECT pg_advisory_unlock(hashtext('nianbao cross-year'))")?;
    refreshed?;
    Ok(summary)
}

/// The queue's counts by state: (queued, done, failed).
pub fn counts(store: &mut Store) -> Result<(i64, i64, i64), StoreError> {
    let rows = store.conn().query(
        "SELECT state, COUNT(*) FROM ingest_queue GROUP BY state",
        &[],
    )?;
    let get = |s: &str| {
        rows.iter()
            .find(|r| r.str(0) == s)
            .and_then(|r| r.int(1))
            .unwrap_or(0)
    };
    Ok((get("queued"), get("done"), get("failed")))
}
