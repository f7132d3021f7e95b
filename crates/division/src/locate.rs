//! The division an agency belongs to.
//!
//! A township or street government is located at its own division (西店镇 → 330226111); a
//! county's, city's or province's government and its departments at that region's division
//! (宁海县教育局 → 330226). The name decides when it can; divisions the name leaves open
//! (many provinces have a 城关镇) are told apart by the names of their parents that the
//! report's text and the file's path mention; what is still open is returned for a person.

use crate::{all, Division, Level};

/// Special zones that govern a division under another name.
pub(crate) const ALIASES: [(&str, &str); 1] = [("平潭综合实验区", "350128")];

/// What is known about an agency.
#[derive(Clone, Copy, Debug)]
pub struct Query<'a> {
    /// The regions its name starts with, outermost first (`["尉氏县"]` for
    /// 尉氏县洧川镇人民政府); the regions of the file's folders when the name has none.
    pub region: &'a [String],
    /// The name without region and 人民政府: `洧川镇`, `教育局`, empty for a government.
    pub core: &'a str,
    /// The report's text and the file's path, where parents are named.
    pub text: &'a str,
}

/// How a division was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// The agency's name names one division.
    Name,
    /// Several divisions share the name; the report's text named the parents of one.
    Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Located {
    Found {
        division: Division,
        how: How,
    },
    /// Divisions the agency may belong to; a person decides.
    Ambiguous(Vec<Division>),
    /// Nothing in the name is a division (a department printed without its region).
    Unknown,
}

pub fn locate(q: &Query) -> Located {
    let (mut candidates, constraints) = if is_township(q.core) {
        let mut found = by_name(q.core);
        found.extend(by_name(&format!("{}办事处", q.core)));
        found.retain(|d| d.level() == Level::Township);
        (found, q.region)
    } else if let Some((last, outer)) = q.region.split_last() {
        let mut found = by_name(last);
        found.retain(|d| d.level() <= Level::County);
        (found, outer)
    } else {
        return Located::Unknown;
    };
    for c in constraints {
        let known = by_name(c);
        // A region the table does not know (a misprint, a zone) cannot rule anything out.
        if known.is_empty() {
            continue;
        }
        candidates.retain(|d| {
            known
                .iter()
                .any(|k| k.code != d.code && d.code.starts_with(k.code))
        });
    }
    match candidates.len() {
        0 => return Located::Unknown,
        1 => {
            return Located::Found {
                division: candidates[0],
                how: How::Name,
            }
        }
        _ => {}
    }
    let mut scored: Vec<(usize, Division)> = candidates
        .iter()
        .map(|d| (mentions(*d, q.text), *d))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.code.cmp(b.1.code)));
    if scored[0].0 > 0 && scored[0].0 > scored[1].0 {
        return Located::Found {
            division: scored[0].1,
            how: How::Text,
        };
    }
    candidates.sort_by_key(|d| d.code);
    candidates.dedup();
    Located::Ambiguous(candidates)
}

fn is_township(core: &str) -> bool {
    ["乡", "镇", "街道", "苏木"]
        .iter()
        .any(|s| core.ends_with(s))
}

/// Divisions printed as `name`, special zones included.
pub(crate) fn by_name(name: &str) -> Vec<Division> {
    let all = all();
    let mut found = all.named(name);
    for (alias, code) in ALIASES {
        if alias == name {
            found.extend(all.get(code));
        }
    }
    found
}

/// How strongly `text` names the parents of `d`: each parent named counts, the nearer
/// parent more (a county name tells more than a province name).
fn mentions(d: Division, text: &str) -> usize {
    let all = all();
    all.path(d.code)
        .into_iter()
        .filter(|p| p.code != d.code)
        .map(|p| {
            let weight = match p.level() {
                Level::Province => 1,
                Level::City => 2,
                _ => 4,
            };
            let named = all.spellings(p).iter().any(|s| text.contains(s))
                || ALIASES
                    .iter()
                    .any(|(a, c)| *c == p.code && text.contains(a));
            if named {
                weight
            } else {
                0
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(region: &[&str], core: &str, text: &str) -> Located {
        let region: Vec<String> = region.iter().map(|s| s.to_string()).collect();
        locate(&Query {
            region: &region,
            core,
            text,
        })
    }

    fn code(l: &Located) -> Option<(&str, How)> {
        match l {
            Located::Found { division, how } => Some((division.code, *how)),
            _ => None,
        }
    }

    #[test]
    fn unique_townships_and_regions_are_found_by_name() {
        assert_eq!(code(&at(&[], "西店镇", "")), Some(("330226111", How::Name)));
        assert_eq!(
            code(&at(&["南召县"], "城关镇", "")),
            Some(("411321100", How::Name))
        );
        assert_eq!(
            code(&at(&["宁海县"], "教育局", "")),
            Some(("330226", How::Name))
        );
        assert_eq!(
            code(&at(&["开封市", "尉氏县"], "", "")),
            Some(("410223", How::Name))
        );
        assert_eq!(
            code(&at(&["平潭综合实验区"], "公安局", "")),
            Some(("350128", How::Name))
        );
    }

    #[test]
    fn shared_names_are_told_apart_by_the_text_or_listed() {
        let text = "按照《寻甸回族彝族自治县2018年度政务公开工作要点》";
        assert_eq!(
            code(&at(&[], "河口镇", text)),
            Some(("530129107", How::Text))
        );
        match at(&[], "城关镇", "我镇认真落实条例") {
            Located::Ambiguous(c) => assert_eq!(c.len(), 88),
            other => panic!("{other:?}"),
        }
        // Four 鼓楼区 and eight 东街街道 in China; one 东街街道 lies in a 鼓楼区.
        assert_eq!(
            code(&at(&["鼓楼区"], "东街街道", "")),
            Some(("350102004", How::Name))
        );
        match at(&["鼓楼区"], "", "") {
            Located::Ambiguous(c) => assert_eq!(c.len(), 4),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            code(&at(&["鼓楼区"], "", "南京市鼓楼区人民政府")),
            Some(("320106", How::Text))
        );
        assert_eq!(at(&[], "教育局", "县教育局"), Located::Unknown);
    }
}
