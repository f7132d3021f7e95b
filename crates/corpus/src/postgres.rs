//! The shared store: a PostgreSQL server (`--db postgres://…`).

use crate::db::{Conn, Kind, Row, Value};
use crate::StoreError;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::io::Write;

pub struct Postgres {
    client: Client,
    /// Prepared once per connection: a statement costs one round trip instead of two.
    statements: HashMap<String, Statement>,
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Int(Some(v)) => match *ty {
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Real(Some(v)) => v.to_sql(ty, out),
            // PostgreSQL text cannot hold NUL; hostile files may.
            Value::Text(Some(s)) if s.contains('\0') => s.replace('\0', "").to_sql(ty, out),
            Value::Text(Some(s)) => s.to_sql(ty, out),
            Value::Bytes(Some(b)) => b.as_slice().to_sql(ty, out),
            _ => Ok(IsNull::Yes),
        }
    }
    fn accepts(_: &Type) -> bool {
        true
    }
    to_sql_checked!();
}

impl Postgres {
    pub fn open(url: &str) -> Result<Postgres, StoreError> {
        let client = Client::connect(url, NoTls)
            .map_err(|e| StoreError::Open(redact(url), e.to_string()))?;
        let mut pg = Postgres {
            client,
            statements: HashMap::new(),
        };
        pg.batch("SET client_min_messages = warning")?;
        Ok(pg)
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].find(':') {
            Some(c) => format!("{}:***{}", &url[..s + 3 + c], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

impl Postgres {
    fn prepare(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(sql).map_err(err)?;
        // Queries built from filters vary; keep the cache bounded.
        if self.statements.len() > 256 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

fn err(e: postgres::Error) -> StoreError {
    StoreError::Sql(match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    })
}

fn params(values: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Conn for Postgres {
    fn kind(&self) -> Kind {
        Kind::Postgres
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.client.batch_execute(sql).map_err(err)
    }

    fn exec(&mut self, sql: &str, values: &[Value]) -> Result<u64, StoreError> {
        let st = self.prepare(sql)?;
        self.client.execute(&st, &params(values)).map_err(err)
    }

    fn each(
        &mut self,
        sql: &str,
        values: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let st = self.prepare(sql)?;
        let mut rows = self.client.query_raw(&st, params(values)).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let mut out = Vec::with_capacity(r.len());
            for (i, c) in r.columns().iter().enumerate() {
                out.push(match *c.type_() {
                    Type::INT8 => Value::Int(r.try_get(i).map_err(err)?),
                    Type::INT4 => {
                        Value::Int(r.try_get::<_, Option<i32>>(i).map_err(err)?.map(i64::from))
                    }
                    Type::INT2 => {
                        Value::Int(r.try_get::<_, Option<i16>>(i).map_err(err)?.map(i64::from))
                    }
                    Type::FLOAT8 => Value::Real(r.try_get(i).map_err(err)?),
                    Type::FLOAT4 => {
                        Value::Real(r.try_get::<_, Option<f32>>(i).map_err(err)?.map(f64::from))
                    }
                    Type::BOOL => {
                        Value::Int(r.try_get::<_, Option<bool>>(i).map_err(err)?.map(i64::from))
                    }
                    Type::BYTEA => Value::Bytes(r.try_get(i).map_err(err)?),
                    _ => Value::Text(r.try_get(i).map_err(err)?),
                });
            }
            f(Row(out))?;
        }
        Ok(())
    }

    fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<Value>],
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let sql = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
        let st = self.prepare(&sql)?;
        let mut w = self.client.copy_in(&st).map_err(err)?;
        let mut buf = String::new();
        for row in rows {
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    buf.push('\t');
                }
                match v {
                    Value::Int(Some(x)) => buf.push_str(&x.to_string()),
                    Value::Real(Some(x)) => buf.push_str(&x.to_string()),
                    Value::Text(Some(s)) => copy_escape(s, &mut buf),
                    // bytea in COPY's text format: \\x and hex digits.
                    Value::Bytes(Some(b)) => {
                        buf.push_str("\\\\x");
                        for x in b {
                            buf.push_str(&format!("{x:02x}"));
                        }
                    }
                    _ => buf.push_str("\\N"),
                }
            }
            buf.push('\n');
        }
        w.write_all(buf.as_bytes())
            .map_err(|e| StoreError::Sql(e.to_string()))?;
        w.finish().map_err(err)?;
        Ok(())
    }
}

/// COPY text format escapes.
fn copy_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://h/db"), "postgres://h/db");
    }
}
