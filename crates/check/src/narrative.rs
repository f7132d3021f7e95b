//! The narrative against the tables: what the text says about requests must match 表三.

use nianbao_model::Rule;
use nianbao_model::{ClaimKind, Finding, Report, Severity};

pub fn check(r: &Report, out: &mut Vec<Finding>) {
    if r.template.sections().is_none() || !r.has_table("三") {
        return;
    }
    let received = r.int("t3.received.total");
    let carried = r.int("t3.carried_in.total").unwrap_or(0);
    for c in &r.claims {
        let at = format!("第{}行“{}”", c.evidence.line, c.evidence.raw);
        let at_en = format!("line {} “{}”", c.evidence.line, c.evidence.raw);
        match c.kind {
            ClaimKind::NoRequests if received.unwrap_or(0) > 0 => out.push(Finding::new(
                Rule::NarrativeNoRequests,
                Severity::Warning,
                format!(
                    "正文称未收到政府信息公开申请（{at}），但表三本年新收申请为 {}",
                    received.unwrap_or(0)
                ),
                format!(
                    "the text says no requests were received ({at_en}), but table 三 shows {}",
                    received.unwrap_or(0)
                ),
                vec!["t3.received.total".into()],
            )),
            ClaimKind::RequestsReceived => {
                let (Some(n), Some(t)) = (c.value, received) else {
                    continue;
                };
                if n != t && n != t + carried {
                    out.push(Finding::new(
                        Rule::NarrativeCount,
                        Severity::Warning,
                        format!("正文称收到申请 {n} 件（{at}），表三本年新收申请为 {t} 件"),
                        format!(
                            "the text states {n} requests ({at_en}), table 三 shows {t} received"
                        ),
                        vec!["t3.received.total".into()],
                    ));
                }
            }
            _ => {}
        }
    }
}
