//! The number a piece of text stands for in a column: counts, signed changes, money in 万元.

use crate::split::{Piece, PieceKind};
use crate::tokens::{Sign, Unit};
use nianbao_model::Num;
use nianbao_model::ValueKind;

/// The number a piece stands for in a column, and the unit it was converted from.
pub(crate) fn to_num(
    p: &Piece,
    kind: ValueKind,
    money_hint: Unit,
) -> (Option<Num>, Option<&'static str>) {
    let PieceKind::Num {
        sign,
        digits,
        frac,
        unit,
    } = &p.kind
    else {
        return (None, None);
    };
    if digits.len() > 15 {
        return (None, None);
    }
    let neg = *sign == Sign::Minus;
    if kind == ValueKind::Money {
        let unit = match unit {
            Unit::Yuan | Unit::Wan | Unit::Yi => *unit,
            _ => money_hint,
        };
        let text = if frac.is_empty() {
            digits.clone()
        } else {
            format!("{digits}.{frac}")
        };
        let Ok(v) = text.parse::<f64>() else {
            return (None, None);
        };
        let (factor, name) = match unit {
            Unit::Yuan => (1e-4, Some("元")),
            Unit::Yi => (1e4, Some("亿元")),
            _ => (1.0, Some("万元")),
        };
        let v = ((v * factor) * 1e10).round() / 1e10;
        let v = if neg { -v } else { v };
        let num = if v.fract() == 0.0 && v.abs() < 1e15 {
            Num::Int(v as i64)
        } else {
            Num::Dec(v)
        };
        return (Some(num), name);
    }
    let n = if frac.is_empty() {
        digits
            .parse::<i64>()
            .ok()
            .map(|v| Num::Int(if neg { -v } else { v }))
    } else {
        format!("{digits}.{frac}")
            .parse::<f64>()
            .ok()
            .map(|v| Num::Dec(if neg { -v } else { v }))
    };
    (n, None)
}
