//! One small SQL interface over the two stores, so every query of the corpus is written once.
//!
//! SQL is written with PostgreSQL placeholders (`$1`, `$2`, …); the SQLite connection
//! rewrites them to `?1`, `?2`. Values are typed even when null, because PostgreSQL
//! checks parameter types.

use crate::StoreError;

/// A parameter or a column value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    /// Bytes (a file as published): BLOB in SQLite, BYTEA in PostgreSQL.
    Bytes(Option<Vec<u8>>),
}

impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Value {
        Value::Bytes(Some(v))
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Real(Some(v))
    }
}
impl From<Option<f64>> for Value {
    fn from(v: Option<f64>) -> Value {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::Text(v)
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        Value::Text(v.map(str::to_string))
    }
}

/// One result row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    pub fn int(&self, i: usize) -> Option<i64> {
        match self.0.get(i) {
            Some(Value::Int(v)) => *v,
            Some(Value::Real(Some(v))) => Some(*v as i64),
            Some(Value::Text(Some(s))) => s.parse().ok(),
            _ => None,
        }
    }
    pub fn real(&self, i: usize) -> Option<f64> {
        match self.0.get(i) {
            Some(Value::Real(v)) => *v,
            Some(Value::Int(Some(v))) => Some(*v as f64),
            Some(Value::Text(Some(s))) => s.parse().ok(),
            _ => None,
        }
    }
    pub fn bytes(&self, i: usize) -> Option<&[u8]> {
        match self.0.get(i) {
            Some(Value::Bytes(Some(b))) => Some(b),
            _ => None,
        }
    }

    pub fn text(&self, i: usize) -> Option<&str> {
        match self.0.get(i) {
            Some(Value::Text(Some(s))) => Some(s),
            _ => None,
        }
    }
    /// Text, or "" when null.
    pub fn str(&self, i: usize) -> &str {
        self.text(i).unwrap_or("")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A connection to one store. Not shared between threads: ingest has one writer.
pub trait Conn: Send {
    fn kind(&self) -> Kind;
    /// Several statements without parameters (schema, BEGIN, COMMIT).
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    /// One statement; the number of rows changed.
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut rows = Vec::new();
        self.each(sql, params, &mut |r| {
            rows.push(r);
            Ok(())
        })?;
        Ok(rows)
    }
    /// Streams the rows of a query without holding them all (exports of large corpora).
    fn each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
    /// Inserts many rows into one table (PostgreSQL: COPY).
    fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<Value>],
    ) -> Result<(), StoreError>;
}

/// Runs `f` inside a transaction: committed when it returns Ok, rolled back otherwise.
pub fn transaction<T>(
    conn: &mut dyn Conn,
    f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.batch(match conn.kind() {
        Kind::Sqlite => "BEGIN IMMEDIATE",
        Kind::Postgres => "BEGIN",
    })?;
    match f(conn) {
        Ok(v) => {
            conn.batch("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            let _ = conn.batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Serialises writers of the same thing across processes for the rest of the transaction:
/// a PostgreSQL advisory lock on `key` (several ingest workers on one server). SQLite has
/// one writer at a time already (`BEGIN IMMEDIATE`).
pub fn lock(conn: &mut dyn Conn, key: &str) -> Result<(), StoreError> {
    if conn.kind() == Kind::Postgres {
        conn.query(
            "SELECT pg_advisory_xact_lock(hashtext($1))::text",
            &[key.into()],
        )?;
    }
    Ok(())
}

/// `$1` → `?1` for SQLite (a `$` followed by a digit is never anything else in our SQL).
pub fn sqlite_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_for_sqlite() {
        assert_eq!(
            sqlite_placeholders("SELECT $1, '$x', $12"),
            "SELECT ?1, '$x', ?12"
        );
    }

    #[test]
    fn rows_convert_between_number_types() {
        let r = Row(vec![
            Value::Int(Some(3)),
            Value::Real(Some(2.5)),
            Value::Text(Some("7".into())),
            Value::Int(None),
        ]);
        assert_eq!(r.real(0), Some(3.0));
        assert_eq!(r.int(1), Some(2));
        assert_eq!(r.int(2), Some(7));
        assert_eq!(r.int(3), None);
        assert_eq!(r.str(3), "");
    }
}
