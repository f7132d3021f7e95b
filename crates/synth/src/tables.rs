//! The official tables as grids of cell texts (labels, headers and values), drawn from
//! render's tables so the synthetic pages follow the one template definition.

use nianbao_model::{Num, Report, Statistics, Template, ValueKind};
use nianbao_render::doc::{self, Role, Table};

/// How a value is written: chosen per cell by the layout.
pub trait Writer {
    fn count(&mut self, v: Option<Num>) -> String;
    fn delta(&mut self, v: Option<Num>) -> String;
    fn money(&mut self, v: Option<Num>, t: Template) -> String;
    /// A label, possibly varied (typos, spacing, width of brackets).
    fn label(&mut self, s: &str) -> String;
}

pub type Grid = Vec<Vec<String>>;

/// A table as a page flattens it: header rows keep a blank for every slot a merged cell
/// covers; in rows of values a label merged across columns is one cell (the values follow
/// it at once) and a label merged down from a row above leaves a blank.
fn grid(t: &Table, template: Template, w: &mut dyn Writer) -> Grid {
    let slots = doc::grid(t);
    let mut g = Grid::new();
    for (ri, row) in t.rows.iter().enumerate() {
        let values = row.cells.iter().any(|c| c.role == Role::Value);
        let mut out = Vec::new();
        for slot in &slots[ri] {
            let Some((r, c, corner)) = *slot else {
                continue;
            };
            let cell = &t.rows[r].cells[c];
            if corner {
                out.push(match (cell.role, cell.key.as_deref()) {
                    (Role::Value, Some(key)) => match ValueKind::of(key) {
                        ValueKind::Count => w.count(cell.value),
                        ValueKind::Change => w.delta(cell.value),
                        ValueKind::Money => w.money(cell.value, template),
                    },
                    _ if cell.text.is_empty() => String::new(),
                    _ => w.label(&cell.text),
                });
            } else if !values || r != ri {
                out.push(String::new());
            }
        }
        g.push(out);
    }
    g
}

pub fn t2(r: &Report, w: &mut dyn Writer) -> Grid {
    grid(&doc::t2(r), r.template, w)
}

pub fn t3(r: &Report, w: &mut dyn Writer) -> Grid {
    grid(&doc::t3(r), r.template, w)
}

pub fn t4(r: &Report, w: &mut dyn Writer) -> Grid {
    grid(&doc::t4(r), r.template, w)
}

pub fn statistics(r: &Report, stats: &Statistics, w: &mut dyn Writer) -> Grid {
    grid(&doc::statistics(r, stats), r.template, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Plain;

    impl Writer for Plain {
        fn count(&mut self, v: Option<Num>) -> String {
            v.map_or("—".into(), |n| n.to_string())
        }
        fn delta(&mut self, v: Option<Num>) -> String {
            format!("±{}", self.count(v))
        }
        fn money(&mut self, v: Option<Num>, _: Template) -> String {
            format!("{}万元", self.count(v))
        }
        fn label(&mut self, s: &str) -> String {
            s.to_string()
        }
    }

    #[test]
    fn rows_of_values_start_right_after_their_labels() {
        let mut r = Report::new(Template::Y2019);
        r.set("t3.denied.prohibited.total", Some(Num::Int(4)));
        r.set("t2.fee.delta", Some(Num::Int(-1)));
        r.set("t2.procurement.amount_wan", Some(Num::Int(12)));
        let g = t3(&r, &mut Plain);
        assert_eq!(g[0].len(), 10, "header rows keep every slot");
        assert_eq!(g[0][3], "申请人情况");
        let prohibited = g
            .iter()
            .find(|row| row.contains(&"2.其他法律行政法规禁止公开".to_string()))
            .unwrap();
        assert_eq!(prohibited.len(), 10);
        assert_eq!(&prohibited[..3], ["", "", "2.其他法律行政法规禁止公开"]);
        assert_eq!(prohibited[9], "4");
        let received = &g[3];
        assert_eq!(received.len(), 8, "a label over three columns is one cell");
        let g2 = t2(&r, &mut Plain);
        let fee = g2.iter().find(|row| row[0] == "行政事业性收费").unwrap();
        assert_eq!(fee[1..], ["—", "±-1"]);
        let buy = g2.iter().find(|row| row[0] == "政府集中采购").unwrap();
        assert_eq!(buy[1..], ["—", "12万元"]);
    }
}
