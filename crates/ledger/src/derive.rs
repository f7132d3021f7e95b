//! Tables 三 and 四 counted from the ledger, and the reply deadline of every request.
//!
//! A request counts as 本年新收 in the year it was received, as 上年结转 in a year it
//! was still open on 1 January, under its closing category in the year it was closed, and
//! as 结转下年度 when still open on 31 December. A review or lawsuit counts in the year it
//! was filed, under its result as the ledger records it now (尚未审结 until decided).

use crate::calendar::Calendar;
use crate::request::{row_key, Request, Route, APPLICANTS, OTHER, OUTCOMES, RESULTS};
use nianbao_model::Rule;
use nianbao_model::{Date, Finding, Num, Report, Severity, Template};

fn in_year(d: Date, year: i32) -> bool {
    d.year == year
}

fn open_at_start(r: &Request, year: i32) -> bool {
    r.received.year < year && r.closed.is_none_or(|c| c.year >= year)
}

fn open_at_end(r: &Request, year: i32) -> bool {
    r.received.year <= year && r.closed.is_none_or(|c| c.year > year)
}

/// The rows of table 三 a template has, in order, each with the requests it counts.
fn outcome_rows(template: Template) -> Vec<String> {
    let mut rows: Vec<String> = OUTCOMES.iter().map(|(k, _)| row_key(k, template)).collect();
    rows.push(row_key(OTHER.0, template));
    rows.dedup();
    rows
}

/// A report of `template` for `year` whose tables 三 and 四 are counted from the ledger
/// (table 二 is left blank: the ledger does not know it).
pub fn report(requests: &[Request], year: i32, template: Template) -> Report {
    let mut r = Report::new(template);
    r.year = Some(year);
    r.tables = vec!["三".into(), "四".into()];
    let mut count = |row: &str, pick: &dyn Fn(&Request) -> bool| {
        let mut total = 0;
        for (col, _) in APPLICANTS {
            let n = requests
                .iter()
                .filter(|q| q.applicant == col && pick(q))
                .count() as i64;
            r.set(&format!("{row}.{col}"), Some(Num::Int(n)));
            total += n;
        }
        r.set(&format!("{row}.total"), Some(Num::Int(total)));
    };
    count("t3.received", &|q| in_year(q.received, year));
    count("t3.carried_in", &|q| open_at_start(q, year));
    let closed_in = |q: &Request| q.closed.is_some_and(|c| in_year(c, year)) && q.outcome.is_some();
    for row in outcome_rows(template) {
        count(&row, &|q| {
            closed_in(q) && q.outcome.is_some_and(|o| row_key(o, template) == row)
        });
    }
    count("t3.processed", &closed_in);
    count("t3.carried_over", &|q| open_at_end(q, year));
    for route in [Route::Review, Route::SuitDirect, Route::SuitAfterReview] {
        let filed: Vec<_> = requests
            .iter()
            .flat_map(|q| &q.challenges)
            .filter(|c| c.route == route && in_year(c.filed, year))
            .collect();
        for (result, _) in RESULTS {
            let n = filed.iter().filter(|c| c.result == result).count() as i64;
            r.set(&format!("t4.{}.{result}", route.key()), Some(Num::Int(n)));
        }
        r.set(
            &format!("t4.{}.total", route.key()),
            Some(Num::Int(filed.len() as i64)),
        );
    }
    r
}

/// Working days left before the statutory reply deadline counts as "near".
pub const NEAR: i64 = 5;

/// The reply deadline: 20 working days after receipt, 40 when extended (条例第三十三条).
pub fn due(r: &Request, cal: &Calendar) -> Date {
    cal.add_working_days(r.received, if r.extended { 40 } else { 20 })
}

/// Deadline findings as of `today`: open requests past their deadline (error) or within
/// [`NEAR`] working days of it (warning), requests answered late (warning), requests
/// closed without a category (error), and deadlines the calendar cannot place (info).
pub fn deadlines(requests: &[Request], cal: &Calendar, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut uncovered = std::collections::BTreeSet::new();
    for q in requests {
        let due = due(q, cal);
        for y in q.received.year..=due.year {
            if !cal.covers(y) {
                uncovered.insert(y);
            }
        }
        let id = &q.id;
        match q.closed {
            None => {
                let left = cal.working_days_between(today, due);
                if today > due {
                    out.push(Finding::new(
                        Rule::LedgerOverdue,
                        Severity::Error,
                        format!("申请 {id}（{} 收到）已超过答复期限 {due}，逾期 {} 个工作日", q.received, -left),
                        format!("request {id} (received {}) is past its reply deadline {due} by {} working days", q.received, -left),
                        vec![],
                    ));
                } else if left <= NEAR {
                    let ext = if q.extended {
                        ""
                    } else {
                        "；如需延长，须经负责人同意并告知申请人"
                    };
                    out.push(Finding::new(
                        Rule::LedgerDueSoon,
                        Severity::Warning,
                        format!("申请 {id} 的答复期限为 {due}，还剩 {left} 个工作日{ext}"),
                        format!("request {id} must be answered by {due}: {left} working days left"),
                        vec![],
                    ));
                }
            }
            Some(closed) => {
                if q.outcome.is_none() {
                    out.push(Finding::new(
                        Rule::LedgerNoOutcome,
                        Severity::Error,
                        format!("申请 {id} 已办结（{closed}）但未填写办理结果，无法计入表三"),
                        format!("request {id} is closed ({closed}) without an outcome; table 三 cannot count it"),
                        vec![],
                    ));
                }
                if closed > due {
                    let late = cal.working_days_between(due, closed);
                    out.push(Finding::new(
                        Rule::LedgerRepliedLate,
                        Severity::Warning,
                        format!("申请 {id} 于 {closed} 答复，超过期限 {due} 共 {late} 个工作日"),
                        format!("request {id} was answered on {closed}, {late} working days after its deadline {due}"),
                        vec![],
                    ));
                }
                if closed < q.received {
                    out.push(Finding::new(
                        Rule::LedgerDates,
                        Severity::Error,
                        format!("申请 {id} 的答复日期 {closed} 早于收到日期 {}", q.received),
                        format!(
                            "request {id} was closed ({closed}) before it was received ({})",
                            q.received
                        ),
                        vec![],
                    ));
                }
            }
        }
    }
    for y in uncovered {
        out.push(Finding::new(
            Rule::LedgerCalendar,
            Severity::Info,
            format!("没有 {y} 年的节假日安排，该年只按周末计算工作日；可用 --holidays 文件补充"),
            format!("no holiday list for {y}: only weekends are skipped; add one with --holidays"),
            vec![],
        ));
    }
    out
}
