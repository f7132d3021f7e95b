//! What the narrative says about the request figures: "未收到政府信息公开申请",
//! "共收到政府信息公开申请14件". Checks compare these with table 三.

use crate::compact::Compact;
use nianbao_model::ClaimKind;

/// A claim found at compact positions `a..b` (the number, or the whole phrase).
#[derive(Debug, PartialEq)]
pub struct Found {
    pub kind: ClaimKind,
    pub value: Option<i64>,
    pub a: usize,
    pub b: usize,
}

const NOT_REQUESTS: [&str; 9] = [
    "复议", "诉讼", "举报", "投诉", "信访", "热线", "办结", "答复", "咨询",
];

fn window(c: &Compact, from: usize, max: usize) -> usize {
    let mut e = from;
    while e < c.chars.len()
        && e - from < max
        && !matches!(c.chars[e], '。' | ';' | '；' | '!' | '?')
    {
        e += 1;
    }
    e
}

pub fn claims(c: &Compact, skip: &[(usize, usize)]) -> Vec<Found> {
    let mut out = Vec::new();
    let outside = |p: usize| !skip.iter().any(|&(a, b)| p >= a && p < b);
    for trig in ["未收到", "没有收到", "未接到", "没有接到", "未受理", "无"] {
        let mut from = 0;
        while let Some(p) = c.find(trig, from) {
            from = p + 1;
            let start = p + trig.chars().count();
            let end = window(c, start, 30);
            let w = c.slice(start, end);
            // "申请人" is the applicant ("未收到该申请人提交的补正"), not a request.
            let about_requests = w
                .match_indices("申请")
                .any(|(i, _)| !w[i..].starts_with("申请人"))
                && !NOT_REQUESTS.iter().any(|n| w.contains(n));
            let near = trig != "无" || w.starts_with("政府信息公开申请") || w.starts_with("依申请");
            if about_requests && near && outside(p) && !w.chars().any(|ch| ch.is_ascii_digit()) {
                out.push(Found {
                    kind: ClaimKind::NoRequests,
                    value: None,
                    a: p,
                    b: end,
                });
            }
        }
    }
    for trig in ["收到", "受理", "接到", "接收"] {
        let mut from = 0;
        while let Some(p) = c.find(trig, from) {
            from = p + 1;
            if !outside(p) || (p > 0 && matches!(c.chars[p - 1], '未' | '有')) {
                continue;
            }
            let start = p + 2;
            let end = window(c, start, 40);
            if let Some(mut f) = count_in(c, start, end) {
                f.a = p;
                out.push(f);
            }
        }
    }
    out.sort_by_key(|f| f.a);
    out.dedup_by_key(|f| (f.a, f.value));
    out
}

/// `…申请14件` or `14件…申请` inside the window, not about reviews, hotlines and the like.
fn count_in(c: &Compact, start: usize, end: usize) -> Option<Found> {
    let w: Vec<char> = c.chars[start..end].to_vec();
    let text: String = w.iter().collect();
    let mut i = 0;
    while i < w.len() {
        if !w[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let a = i;
        while i < w.len() && w[i].is_ascii_digit() {
            i += 1;
        }
        if w.get(i) != Some(&'件') || w.get(a.wrapping_sub(1)) == Some(&'第') {
            continue;
        }
        let before: String = w[..a].iter().collect();
        let after: String = w[i + 1..].iter().take(12).collect();
        let asks = before.contains("申请")
            || after.starts_with("政府信息公开申请")
            || after.starts_with("申请")
            || after.starts_with("依申请");
        let noise = NOT_REQUESTS.iter().any(|n| before.contains(n))
            || before.contains('年') && before.ends_with('年');
        if asks && !noise && !text[..].is_empty() {
            let value: i64 = w[a..i].iter().collect::<String>().parse().ok()?;
            return Some(Found {
                kind: ClaimKind::RequestsReceived,
                value: Some(value),
                a: start + a,
                b: start + i,
            });
        }
        return None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norm::Norm;

    fn found(s: &str) -> Vec<(ClaimKind, Option<i64>)> {
        let n = Norm::new(s);
        let c = Compact::new(&n);
        claims(&c, &[])
            .into_iter()
            .map(|f| (f.kind, f.value))
            .collect()
    }

    #[test]
    fn counts() {
        assert_eq!(
            found("全年我局共收到政府信息公开申请14件，均为网络申请"),
            [(ClaimKind::RequestsReceived, Some(14))]
        );
        assert_eq!(
            found("本年度收到6件政府信息公开申请。"),
            [(ClaimKind::RequestsReceived, Some(6))]
        );
        assert_eq!(found("受理“12345”政府热线46件"), []);
        assert_eq!(found("收到行政复议申请2件"), []);
    }

    #[test]
    fn no_requests() {
        assert_eq!(
            found("2018年，未收到公民提出的公开政府信息申请。"),
            [(ClaimKind::NoRequests, None)]
        );
        assert_eq!(found("本年度未收到行政复议申请。"), []);
        assert_eq!(
            found("全年无政府信息公开申请。"),
            [(ClaimKind::NoRequests, None)]
        );
        assert_eq!(found("因未收到该申请人提交的补正，结转下年度办理。"), []);
    }
}
