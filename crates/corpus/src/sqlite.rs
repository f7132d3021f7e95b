//! The embedded store: one SQLite file, WAL journal, a transaction per report.

use crate::db::{sqlite_placeholders, Conn, Kind, Row, Value};
use crate::StoreError;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::Path;

pub struct Sqlite {
    conn: Connection,
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Int(Some(v)) => ToSqlOutput::from(*v),
            Value::Real(Some(v)) => ToSqlOutput::from(*v),
            Value::Text(Some(s)) => ToSqlOutput::from(s.as_str()),
            Value::Bytes(Some(b)) => ToSqlOutput::from(b.as_slice()),
            _ => ToSqlOutput::from(rusqlite::types::Null),
        })
    }
}

/// Refuses a file that exists and is not SQLite (nothing is written to it).
pub(crate) fn refuse_other(path: &Path) -> Result<(), StoreError> {
    let name = path.display().to_string();
    if let Ok(mut f) = std::fs::File::open(path) {
        let mut head = [0u8; 16];
        let n = f
            .read(&mut head)
            .map_err(|e| StoreError::Open(name.clone(), e.to_string()))?;
        if n > 0 && (head[..n] != b"SQLite format 3\0"[..n] || n < 16) {
            return Err(StoreError::NotADatabase(name));
        }
    }
    Ok(())
}

impl Sqlite {
    /// Opens (or creates) a store file. A file that is not SQLite is refused before SQLite
    /// sees it, so a wrong `--db` argument can never be overwritten.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let name = path.display().to_string();
        refuse_other(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| StoreError::Open(name.clone(), e.to_string()))?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(|e| StoreError::Open(name.clone(), e.to_string()))?;
        conn.execute_batch("PRAGMA foreign_keys=ON;")
            .map_err(|e| StoreError::Open(name, e.to_string()))?;
        Ok(Sqlite { conn })
    }

    /// WAL journal: readers never wait for the writer. Set only once the file is known to be
    /// ours, because it rewrites the file header. For the writer's sake (measured on ingest,
    /// docs/benchmarks.md): the savepoint of each report in a batch journals in memory, not
    /// in a temporary file; 32 MiB of page cache; the WAL is copied back into the database
    /// every 64 MiB of pages instead of 4, so a page changed often is written back once.
    pub fn use_wal(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute_batch(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; \
                 PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=16000;",
            )
            .map_err(err)
    }
}

fn err(e: rusqlite::Error) -> StoreError {
    StoreError::Sql(e.to_string())
}

impl Conn for Sqlite {
    fn kind(&self) -> Kind {
        Kind::Sqlite
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.conn.execute_batch(sql).map_err(err)
    }

    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(&sqlite_placeholders(sql))
            .map_err(err)?;
        st.execute(rusqlite::params_from_iter(params.iter()))
            .map(|n| n as u64)
            .map_err(err)
    }

    fn each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut st = self
            .conn
            .prepare_cached(&sqlite_placeholders(sql))
            .map_err(err)?;
        let n = st.column_count();
        let mut rows = st
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                values.push(match r.get_ref(i).map_err(err)? {
                    ValueRef::Null => Value::Text(None),
                    ValueRef::Integer(v) => Value::Int(Some(v)),
                    ValueRef::Real(v) => Value::Real(Some(v)),
                    ValueRef::Text(t) => Value::Text(Some(String::from_utf8_lossy(t).into_owned())),
                    ValueRef::Blob(b) => Value::Bytes(Some(b.to_vec())),
                });
            }
            f(Row(values))?;
        }
        Ok(())
    }

    fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<Value>],
    ) -> Result<(), StoreError> {
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            marks.join(", ")
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(err)?;
        for row in rows {
            st.execute(rusqlite::params_from_iter(row.iter()))
                .map_err(err)?;
        }
        Ok(())
    }
}
