//! A consistent series of one agency's reports across years, for corpus tests: each
//! year's 上年结转 equals the year before's 结转下年度继续办理, 现行有效件数 carries over, and
//! requests received never swing tenfold.

use crate::report;
use nianbao_model::{Num, Report, Template, COLUMNS};
use rand::Rng;
use std::ops::RangeInclusive;

/// Adds `delta` to one cell of a table-三 row and to that row's 总计.
pub fn add(r: &mut Report, row: &str, column: &str, delta: i64) {
    for key in [format!("{row}.{column}"), format!("{row}.total")] {
        let v = r.int(&key).unwrap_or(0) + delta;
        r.set(&key, Some(Num::Int(v)));
    }
}

fn int(r: &Report, key: &str) -> i64 {
    r.int(key).unwrap_or(0)
}

/// Requests received, whatever the template.
fn received(r: &Report) -> i64 {
    if r.template == Template::Legacy {
        int(r, "legacy.request.received")
    } else {
        int(r, "t3.received.total")
    }
}

/// One report per year, template by year, every table identity holding in each report
/// and every cross-year rule holding between consecutive years.
pub fn series(rng: &mut impl Rng, agency: &str, years: RangeInclusive<i32>) -> Vec<Report> {
    let mut out: Vec<Report> = Vec::new();
    for year in years {
        let template = Template::for_year(year);
        let r = loop {
            let mut r = report(rng, template);
            r.agency = Some(agency.to_string());
            r.year = Some(year);
            if let Some(prev) = out.last() {
                if template != Template::Legacy && prev.template != Template::Legacy {
                    carry(prev, &mut r);
                }
                if template == Template::Y2021 && prev.template == Template::Y2021 {
                    in_force(prev, &mut r);
                }
                let (a, b) = (received(prev), received(&r));
                if a.max(b) >= 20 && (a * 8 <= b || b * 8 <= a) {
                    continue;
                }
            }
            break r;
        };
        out.push(r);
    }
    out
}

/// Sets 上年结转 to last year's 结转, keeping 收 + 结转 = 办 + 结转下年 per column: a rise is
/// carried over again, a fall is made up by requests received.
fn carry(prev: &Report, r: &mut Report) {
    for col in &COLUMNS[..6] {
        let want = int(prev, &format!("t3.carried_over.{col}"));
        let delta = want - int(r, &format!("t3.carried_in.{col}"));
        add(r, "t3.carried_in", col, delta);
        if delta > 0 {
            add(r, "t3.carried_over", col, delta);
        } else {
            add(r, "t3.received", col, -delta);
        }
    }
}

fn in_force(prev: &Report, r: &mut Report) {
    for item in ["regulation", "normative"] {
        let key = format!("t2.{item}.in_force");
        let (Some(was), Some(_)) = (prev.int(&key), r.int(&key)) else {
            continue;
        };
        let issued = r.int(&format!("t2.{item}.issued")).unwrap_or(0);
        let mut repealed = r.int(&format!("t2.{item}.repealed")).unwrap_or(0);
        if was + issued - repealed < 0 {
            repealed = was + issued;
            r.set(&format!("t2.{item}.repealed"), Some(Num::Int(repealed)));
        }
        r.set(&key, Some(Num::Int(was + issued - repealed)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_years_carry_over() {
        let mut rng = crate::rng(7);
        let s = series(&mut rng, "北冷乡", 2019..=2025);
        assert_eq!(s.len(), 7);
        for pair in s.windows(2) {
            for col in COLUMNS {
                assert_eq!(
                    pair[0].int(&format!("t3.carried_over.{col}")),
                    pair[1].int(&format!("t3.carried_in.{col}"))
                );
            }
            for col in COLUMNS {
                let row = |k: &str| pair[1].int(&format!("t3.{k}.{col}")).unwrap_or(0);
                assert_eq!(
                    row("received") + row("carried_in"),
                    row("processed") + row("carried_over")
                );
            }
        }
    }
}
