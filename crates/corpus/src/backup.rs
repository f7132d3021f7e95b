//! Copies of a SQLite store that are safe to take while the server writes to it (SQLite's
//! online backup API: pages copied in steps, restarted when a writer changes one), checked
//! and put in place only when whole. A PostgreSQL store is copied with `pg_dump` instead.

use crate::StoreError;
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a copy holds, read from it once it is complete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    pub reports: i64,
    pub schema: String,
}

/// How to copy a PostgreSQL store: the commands an administrator runs.
pub const POSTGRES: &str =
    "PostgreSQL 的语料库请用 pg_dump 备份、pg_restore 恢复 (back up PostgreSQL with pg_dump):\n  \
pg_dump --format=custom --file=nianbao.dump 'postgres://用户:密码@主机/库'\n  \
pg_restore --clean --if-exists --dbname='postgres://用户:密码@主机/库' nianbao.dump";

/// Copies store `from` (a nianbao SQLite file, in use or not) to the new file `to`: written
/// beside it under a temporary name, checked (`PRAGMA integrity_check`, a nianbao schema),
/// then renamed. An existing `to` is never overwritten.
pub fn copy(from: &Path, to: &Path) -> Result<Copied, StoreError> {
    let name = |p: &Path| p.display().to_string();
    if to.exists() {
        return Err(StoreError::Rejected(format!(
            "{} 已存在，未覆盖：请换一个文件名 (exists; not overwritten)",
            name(to)
        )));
    }
    if !from.is_file() {
        return Err(StoreError::Open(
            name(from),
            "文件不存在 (no such file)".into(),
        ));
    }
    // Refuses what is not SQLite before SQLite sees it.
    crate::sqlite::refuse_other(from)?;
    let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::Open(name(from), e.to_string()))?;
    let partial = partial_name(to);
    let _ = std::fs::remove_file(&partial);
    let done = (|| {
        let mut dst =
            Connection::open(&partial).map_err(|e| StoreError::Open(name(to), e.to_string()))?;
        {
            let backup = Backup::new(&src, &mut dst).map_err(sql)?;
            // A few hundred pages a step, a short pause between: a writer is kept waiting
            // for one step at most.
            backup
                .run_to_completion(256, Duration::from_millis(5), None)
                .map_err(sql)?;
        }
        let copied = check(&dst, to)?;
        drop(dst);
        std::fs::rename(&partial, to).map_err(|e| StoreError::Io(format!("{}: {e}", name(to))))?;
        Ok(copied)
    })();
    if done.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    done
}

/// Puts backup `from` in place as store `to`: checked first; an existing store is kept
/// beside it as `TO.before-restore` (never deleted), and only when `replace` is given.
pub fn restore(from: &Path, to: &Path, replace: bool) -> Result<Copied, StoreError> {
    let name = |p: &Path| p.display().to_string();
    if to.exists() && !replace {
        return Err(StoreError::Rejected(format!(
            "{} 已存在：恢复会替换它，请先停止服务并加 --replace（原文件将保留为 {}.before-restore）(exists: stop the server and add --replace)",
            name(to),
            name(to)
        )));
    }
    let staged = partial_name(to);
    let _ = std::fs::remove_file(&staged);
    let copied = copy(from, &staged)?;
    if to.exists() {
        let kept = PathBuf::from(format!("{}.before-restore", name(to)));
        if kept.exists() {
            let _ = std::fs::remove_file(&staged);
            return Err(StoreError::Rejected(format!(
                "{} 已存在，未覆盖：请先移走它 (an earlier restore's copy is in the way)",
                name(&kept)
            )));
        }
        std::fs::rename(to, &kept).map_err(|e| StoreError::Io(format!("{}: {e}", name(to))))?;
        for ext in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{ext}", name(to)));
            if side.exists() {
                let _ = std::fs::rename(&side, format!("{}{ext}", name(&kept)));
            }
        }
    }
    std::fs::rename(&staged, to).map_err(|e| StoreError::Io(format!("{}: {e}", name(to))))?;
    Ok(copied)
}

fn partial_name(to: &Path) -> PathBuf {
    PathBuf::from(format!("{}.partial", to.display()))
}

fn sql(e: rusqlite::Error) -> StoreError {
    StoreError::Sql(e.to_string())
}

/// The copy is whole and is a nianbao store: its schema and report count.
fn check(db: &Connection, to: &Path) -> Result<Copied, StoreError> {
    let ok: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(sql)?;
    if ok != "ok" {
        return Err(StoreError::Corrupt(format!(
            "{} 的副本未通过完整性检查 (the copy failed its integrity check): {ok}",
            to.display()
        )));
    }
    let schema: String = db
        .query_row(
            "SELECT value FROM nianbao_meta WHERE key = 'schema'",
            [],
            |r| r.get(0),
        )
        .map_err(|_| StoreError::Foreign(to.display().to_string()))?;
    let reports: i64 = db
        .query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
        .map_err(sql)?;
    Ok(Copied { reports, schema })
}
