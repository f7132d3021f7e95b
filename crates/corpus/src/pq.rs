//! The Parquet export, written with the parquet crate's column writers (no Arrow stack):
//! every column optional, integers INT64, numbers DOUBLE, text UTF-8 byte arrays; rows
//! buffered per row group so memory stays bounded.

use crate::db::Value;
use crate::export::{ColKind, Column};
use crate::StoreError;
use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::io::Write;
use std::sync::Arc;

/// Cells buffered before a row group is written: a wide export (a column per cell key,
/// ~260) gets groups of ~2 000 reports, a long one (~20 columns) of ~25 000 cells.
const GROUP_CELLS: usize = 500_000;

pub struct Writer<'w> {
    file: SerializedFileWriter<&'w mut (dyn Write + Send)>,
    kinds: Vec<ColKind>,
    rows: Vec<Vec<Value>>,
    group_rows: usize,
}

fn perr(e: parquet::errors::ParquetError) -> StoreError {
    StoreError::Io(format!("Parquet 写出失败 (Parquet write failed): {e}"))
}

impl<'w> Writer<'w> {
    pub fn new(cols: &[Column], out: &'w mut (dyn Write + Send)) -> Result<Writer<'w>, StoreError> {
        let fields = cols
            .iter()
            .map(|c| {
                let b = match c.kind {
                    ColKind::Int => Type::primitive_type_builder(&c.name, Physical::INT64),
                    ColKind::Real => Type::primitive_type_builder(&c.name, Physical::DOUBLE),
                    ColKind::Text => Type::primitive_type_builder(&c.name, Physical::BYTE_ARRAY)
                        .with_logical_type(Some(LogicalType::String)),
                };
                b.with_repetition(Repetition::OPTIONAL)
                    .build()
                    .map(Arc::new)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(perr)?;
        let schema = Arc::new(
            Type::group_type_builder("report")
                .with_fields(fields)
                .build()
                .map_err(perr)?,
        );
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build(),
        );
        let file = SerializedFileWriter::new(out, schema, props).map_err(perr)?;
        Ok(Writer {
            file,
            kinds: cols.iter().map(|c| c.kind).collect(),
            rows: Vec::new(),
            group_rows: (GROUP_CELLS / cols.len().max(1)).max(1_000),
        })
    }

    pub fn push(&mut self, row: Vec<Value>) -> Result<(), StoreError> {
        self.rows.push(row);
        if self.rows.len() >= self.group_rows {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut group = self.file.next_row_group().map_err(perr)?;
        for (i, kind) in self.kinds.iter().enumerate() {
            let mut col = group
                .next_column()
                .map_err(perr)?
                .ok_or_else(|| StoreError::Corrupt("Parquet: missing column".into()))?;
            let cells = self
                .rows
                .iter()
                .map(|r| r.get(i).cloned().unwrap_or(Value::Text(None)));
            let defs: Vec<i16> = self
                .rows
                .iter()
                .map(|r| i16::from(!is_null(r.get(i))))
                .collect();
            match kind {
                ColKind::Int => {
                    let v: Vec<i64> = cells.filter_map(|c| as_int(&c)).collect();
                    col.typed::<Int64Type>()
                        .write_batch(&v, Some(&defs), None)
                        .map_err(perr)?;
                }
                ColKind::Real => {
                    let v: Vec<f64> = cells.filter_map(|c| as_real(&c)).collect();
                    col.typed::<DoubleType>()
                        .write_batch(&v, Some(&defs), None)
                        .map_err(perr)?;
                }
                ColKind::Text => {
                    let v: Vec<ByteArray> = cells
                        .filter_map(|c| match c {
                            Value::Text(Some(s)) => Some(ByteArray::from(s.into_bytes())),
                            _ => None,
                        })
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, Some(&defs), None)
                        .map_err(perr)?;
                }
            }
            col.close().map_err(perr)?;
        }
        group.close().map_err(perr)?;
        self.rows.clear();
        Ok(())
    }

    pub fn finish(mut self) -> Result<(), StoreError> {
        self.flush()?;
        self.file.close().map_err(perr)?;
        Ok(())
    }
}

fn is_null(v: Option<&Value>) -> bool {
    matches!(
        v,
        None | Some(Value::Int(None) | Value::Real(None) | Value::Text(None) | Value::Bytes(None))
    )
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => *i,
        Value::Real(f) => f.map(|f| f as i64),
        Value::Text(_) | Value::Bytes(_) => None,
    }
}

fn as_real(v: &Value) -> Option<f64> {
    match v {
        Value::Real(f) => *f,
        Value::Int(i) => i.map(|i| i as f64),
        Value::Text(_) | Value::Bytes(_) => None,
    }
}
