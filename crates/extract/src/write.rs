//! Writes the values read for a table's rows into the report's cells, with their evidence.

use crate::norm::Norm;
use crate::number::to_num;
use crate::spec::RowSpec;
use crate::split::Piece;
use crate::table::RowRead;
use crate::tokens::Unit;
use nianbao_model::ValueKind;
use nianbao_model::{Evidence, Place, Report};

pub struct Writer<'a> {
    pub(crate) norm: &'a Norm<'a>,
    /// Where the text at a byte offset is on the page, when the reader knows.
    pub(crate) at: &'a dyn Fn(usize) -> Option<Place>,
    pub r: &'a mut Report,
    /// Rows read with too many / too few values, reported once per table by `flush`.
    pub(crate) extra_rows: Vec<(&'static str, Vec<String>)>,
    pub(crate) short_rows: Vec<(&'static str, Vec<String>)>,
}

pub fn evidence(norm: &Norm, a: usize, b: usize, unit: Option<&str>, confidence: f32) -> Evidence {
    let (start, end) = norm.byte_range(a, b.max(a));
    let (line, column) = norm.line_col(start);
    Evidence {
        raw: norm.src[start..end].to_string(),
        line,
        column,
        offset: start,
        len: end - start,
        unit: unit.map(str::to_string),
        confidence,
        place: None,
    }
}

impl<'a> Writer<'a> {
    pub fn new(
        norm: &'a Norm<'a>,
        r: &'a mut Report,
        at: &'a dyn Fn(usize) -> Option<Place>,
    ) -> Writer<'a> {
        Writer {
            norm,
            at,
            r,
            extra_rows: Vec::new(),
            short_rows: Vec::new(),
        }
    }

    pub(crate) fn put(
        &mut self,
        key: String,
        kind: ValueKind,
        p: &Piece,
        money_hint: Unit,
        confidence: f32,
    ) {
        let (value, unit) = to_num(p, kind, money_hint);
        let ev = evidence(self.norm, p.a, p.b, unit, confidence);
        if let Some(cell) = self.r.cells.get_mut(&key) {
            cell.value = value;
            cell.evidence = Some(ev);
        }
    }

    /// Writes a row from the chosen candidate, with the doubts its reading raised.
    pub(crate) fn row(
        &mut self,
        table: &str,
        spec: &RowSpec,
        read: &RowRead,
        pick: usize,
        alts: &[usize],
        money_hint: Unit,
    ) {
        let ties = alts.len().max(1);
        let conf = if ties > 1 { 1.0 / ties as f32 } else { 1.0 };
        let pieces = &read.cands[pick];
        for (i, p) in pieces.iter().enumerate() {
            self.put(spec.cell_key(i), spec.cols[i].1, p, money_hint, conf);
        }
        let keys: Vec<String> = (0..spec.cols.len()).map(|i| spec.cell_key(i)).collect();
        let name = spec.labels()[0];
        if read.extra {
            self.extra_rows.push((name, keys.clone()));
        }
        if read.short {
            self.short_rows.push((name, keys.clone()));
        }
        if ties > 1 {
            self.ambiguous(table, name, keys, read, pick, alts);
        }
    }
}
