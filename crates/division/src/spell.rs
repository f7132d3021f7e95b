//! Place names misread by OCR (`平漂综合实验区` for `平潭综合实验区`) spelled as the table
//! spells them.
//!
//! Only the place names an agency's name starts with are looked at, outermost first: each
//! must be a division (under the one before it), or one character off exactly one such
//! division. Where several are one character off, the report's text decides when it names
//! one of them; otherwise the name is left as printed.

use crate::locate::by_name;
use crate::{all, Division};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One place name corrected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Respelled {
    /// As the page was read.
    pub printed: String,
    /// As the table spells it.
    pub name: &'static str,
}

/// Characters a division's name ends with (`街道` ends with 道, `苏木` with 木).
const ENDS: [char; 11] = [
    '省', '市', '县', '区', '镇', '乡', '道', '旗', '州', '盟', '木',
];
/// The longest place name looked at, in characters.
const LONGEST: usize = 12;
/// The shortest place name corrected: two-character names (`X县`) are one character off
/// dozens of others.
const SHORTEST: usize = 3;

/// `name` with its leading place names spelled as the division table spells them, and the
/// corrections made; `None` when nothing needed or allowed a correction. `text` is the
/// report's text, which settles between look-alike candidates.
pub fn respell(name: &str, text: &str) -> Option<(String, Vec<Respelled>)> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    let mut fixes = Vec::new();
    let mut parents: Vec<Division> = Vec::new();
    let mut pos = 0;
    while pos < chars.len() {
        if let Some((len, found)) = exact(&chars[pos..], &parents) {
            out.extend(&chars[pos..pos + len]);
            parents = found;
            pos += len;
            continue;
        }
        let Some((len, right, found)) = near(&chars[pos..], &parents, text, name) else {
            break;
        };
        fixes.push(Respelled {
            printed: chars[pos..pos + len].iter().collect(),
            name: right,
        });
        out.push_str(right);
        parents = found;
        pos += len;
    }
    if fixes.is_empty() {
        return None;
    }
    out.extend(&chars[pos..]);
    Some((out, fixes))
}

/// The longest division name `s` starts with (under `parents` when there are any).
fn exact(s: &[char], parents: &[Division]) -> Option<(usize, Vec<Division>)> {
    (2..=s.len().min(LONGEST)).rev().find_map(|len| {
        let head: String = s[..len].iter().collect();
        let found = under(by_name(&head), parents);
        (!found.is_empty()).then_some((len, found))
    })
}

/// The one division name, under `parents`, that a head of `s` is one character off.
fn near(
    s: &[char],
    parents: &[Division],
    text: &str,
    printed: &str,
) -> Option<(usize, &'static str, Vec<Division>)> {
    for len in (SHORTEST..=s.len().min(LONGEST)).rev() {
        let head = &s[..len];
        if !ENDS.contains(&head[len - 1]) {
            continue;
        }
        let mut names: Vec<(&'static str, Vec<Division>)> = same_length(len)
            .iter()
            .filter(|(_, cs)| one_off(head, cs))
            .map(|(n, _)| (*n, under(by_name(n), parents)))
            .filter(|(_, ds)| !ds.is_empty())
            .collect();
        if names.len() > 1 {
            names.retain(|(n, _)| text.contains(n));
        } else if names.len() == 1 {
            // A name the text uses again and again is the agency's own, whatever the
            // table says (a division made after it, a zone); one read once is a misreading.
            let head: String = head.iter().collect();
            let again =
                text.matches(head.as_str()).count() > printed.matches(head.as_str()).count() + 1;
            if again && !text.contains(names[0].0) {
                names.clear();
            }
        }
        if let [(name, found)] = names.as_slice() {
            return Some((len, name, found.clone()));
        }
    }
    None
}

/// True when `a` and `b` differ in exactly one character, and not in the last (the kind
/// of division: 县 and 区 are different places).
fn one_off(a: &[char], b: &[char]) -> bool {
    a.len() == b.len()
        && a.last() == b.last()
        && a.iter().zip(b).filter(|(x, y)| x != y).count() == 1
}

/// `found` restricted to divisions under one of `parents` (all of it when there are none).
fn under(found: Vec<Division>, parents: &[Division]) -> Vec<Division> {
    if parents.is_empty() {
        return found;
    }
    found
        .into_iter()
        .filter(|d| {
            parents
                .iter()
                .any(|p| d.code != p.code && d.code.starts_with(p.code))
        })
        .collect()
}

/// Every name the table (and the special zones) are printed as, with `len` characters.
fn same_length(len: usize) -> &'static [(&'static str, Vec<char>)] {
    static BY_LEN: OnceLock<HashMap<usize, Vec<(&'static str, Vec<char>)>>> = OnceLock::new();
    let by_len = BY_LEN.get_or_init(|| {
        let mut map: HashMap<usize, Vec<(&'static str, Vec<char>)>> = HashMap::new();
        for name in all()
            .names()
            .chain(crate::locate::ALIASES.iter().map(|a| a.0))
        {
            let cs: Vec<char> = name.chars().collect();
            map.entry(cs.len()).or_default().push((name, cs));
        }
        for v in map.values_mut() {
            v.sort();
            v.dedup();
        }
        map
    });
    by_len.get(&len).map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(name: &str, text: &str) -> Option<String> {
        respell(name, text).map(|(n, _)| n)
    }

    #[test]
    fn a_misread_zone_or_town_is_spelled_as_the_table_spells_it() {
        let (name, fixes) = respell("平漂综合实验区金井片区管理局", "").unwrap();
        assert_eq!(name, "平潭综合实验区金井片区管理局");
        assert_eq!(
            fixes,
            [Respelled {
                printed: "平漂综合实验区".into(),
                name: "平潭综合实验区"
            }]
        );
        // The town is looked for under the county before it.
        assert_eq!(
            fixed("尉氏县洧州镇人民政府", "").as_deref(),
            Some("尉氏县洧川镇人民政府")
        );
        assert_eq!(
            fixed("宁海具西店镇", "").as_deref(),
            None,
            "the last character (the kind of division) is never guessed"
        );
    }

    #[test]
    fn right_names_and_unsettled_ones_stay_as_printed() {
        assert_eq!(fixed("平潭综合实验区金井片区管理局", ""), None);
        assert_eq!(fixed("尉氏县洧川镇人民政府", ""), None);
        assert_eq!(fixed("甲县城关镇", ""), None);
        assert_eq!(fixed("教育局", ""), None);
        // A name the report uses throughout is its own, not a misreading.
        let text = "平漂综合实验区\n平漂综合实验区发展\n平漂综合实验区各部门";
        assert_eq!(fixed("平漂综合实验区公安局", text), None);
    }

    #[test]
    fn the_text_settles_between_look_alikes() {
        // 城关镇 is one character off many towns; only the one the text names is taken.
        let candidates = same_length(3)
            .iter()
            .filter(|(_, cs)| one_off(&['城', '美', '镇'], cs))
            .count();
        assert!(candidates > 1, "{candidates}");
        assert_eq!(fixed("城美镇", ""), None);
        assert_eq!(
            fixed("城美镇", "城美镇人民政府\n城关镇人民政府\n2020年1月").as_deref(),
            Some("城关镇")
        );
        assert_eq!(fixed("南召县城美镇", "").as_deref(), Some("南召县城关镇"));
    }
}
