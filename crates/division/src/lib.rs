//! The national administrative divisions — province → city → county → township/street —
//! embedded from the statistics bureau's codes (see [`SOURCE`]), and [`locate`]: the
//! division an agency belongs to, from its name, the report's text and where the file lay.
//!
//! Codes nest by prefix: `33` 浙江省 ⊃ `3302` 宁波市 ⊃ `330226` 宁海县 ⊃ `330226111` 西店镇.

mod locate;
mod names;
mod spell;

pub use locate::{locate, How, Located, Query};
pub use spell::{respell, Respelled};

use std::collections::HashMap;
use std::sync::OnceLock;

/// Where the embedded table comes from; regenerate with `scripts/fetch-divisions`.
pub const SOURCE: &str = "china-division 2.7.0（国家统计局 2023年统计用区划代码，截止 2023-06-30）";

const DATA: &str = include_str!("../data/divisions.tsv");

/// The level of a division, told by the length of its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Province,
    City,
    County,
    Township,
}

impl Level {
    fn of(code: &str) -> Option<Level> {
        match code.len() {
            2 => Some(Level::Province),
            4 => Some(Level::City),
            6 => Some(Level::County),
            9 => Some(Level::Township),
            _ => None,
        }
    }

    pub fn as_zh(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::City => "市级",
            Level::County => "县级",
            Level::Township => "乡镇/街道",
        }
    }
}

/// One division of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Division {
    pub code: &'static str,
    pub name: &'static str,
}

impl Division {
    pub fn level(&self) -> Level {
        Level::of(self.code).unwrap_or(Level::Township)
    }

    /// Table rows that group divisions without being one (`市辖区`, `县`,
    /// `省直辖县级行政区划`): kept for their codes, left out of paths people read.
    pub fn is_placeholder(&self) -> bool {
        matches!(self.name, "市辖区" | "县") || self.name.ends_with("直辖县级行政区划")
    }
}

/// True when `name` is printed for a division (full or short name, or a special zone's).
pub fn is_place(name: &str) -> bool {
    !locate::by_name(name).is_empty()
}

/// The whole table, sorted by code (so a division's descendants follow it).
pub struct Divisions {
    list: Vec<Division>,
    /// The short form of each division's name, beside `list`.
    shorts: Vec<Option<&'static str>>,
    by_name: HashMap<&'static str, Vec<u32>>,
}

/// The embedded table, parsed on first use.
pub fn all() -> &'static Divisions {
    static ALL: OnceLock<Divisions> = OnceLock::new();
    ALL.get_or_init(|| Divisions::parse(DATA))
}

impl Divisions {
    fn parse(data: &'static str) -> Divisions {
        let mut list: Vec<Division> = data
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .filter(|(code, _)| Level::of(code).is_some())
            .map(|(code, name)| Division { code, name })
            .collect();
        list.sort_by(|a, b| a.code.cmp(b.code));
        let shorts: Vec<Option<&'static str>> = list
            .iter()
            .map(|d| names::short(d.name, d.level()))
            .collect();
        let mut by_name: HashMap<&'static str, Vec<u32>> = HashMap::new();
        for (i, d) in list.iter().enumerate() {
            if d.is_placeholder() {
                continue;
            }
            by_name.entry(d.name).or_default().push(i as u32);
            if let Some(short) = shorts[i] {
                by_name.entry(short).or_default().push(i as u32);
            }
        }
        Divisions {
            list,
            shorts,
            by_name,
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Every division, in the table's order.
    pub fn iter(&self) -> impl Iterator<Item = Division> + '_ {
        self.list.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn get(&self, code: &str) -> Option<Division> {
        self.list
            .binary_search_by(|d| d.code.cmp(code))
            .ok()
            .map(|i| self.list[i])
    }

    /// Divisions printed as `name` (full, or the short form people write: `寻甸县` for
    /// `寻甸回族彝族自治县`, `浙江` for `浙江省`).
    pub fn named(&self, name: &str) -> Vec<Division> {
        self.by_name
            .get(name)
            .map(|ids| ids.iter().map(|&i| self.list[i as usize]).collect())
            .unwrap_or_default()
    }

    /// Every name a division is printed as (full names and short forms; no placeholders).
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.by_name.keys().copied()
    }

    /// The division and those above it, outermost first, without placeholders:
    /// `330226111` → 浙江省, 宁波市, 宁海县, 西店镇.
    pub fn path(&self, code: &str) -> Vec<Division> {
        [2, 4, 6, 9]
            .into_iter()
            .filter(|&n| n <= code.len())
            .filter_map(|n| self.get(&code[..n]))
            .filter(|d| !d.is_placeholder())
            .collect()
    }

    /// The divisions one level below `code` (provinces for `""`), placeholders looked through.
    pub fn children(&self, code: &str) -> Vec<Division> {
        let want = match code.len() {
            0 => 2,
            2 => 4,
            4 => 6,
            6 => 9,
            _ => return Vec::new(),
        };
        let start = self.list.partition_point(|d| d.code <= code);
        let mut out = Vec::new();
        for d in &self.list[start..] {
            if !d.code.starts_with(code) {
                break;
            }
            if d.code.len() == want {
                if d.is_placeholder() {
                    out.extend(self.children(d.code));
                } else {
                    out.push(*d);
                }
            }
        }
        out
    }

    /// The names a text may use for `d`: its full name and, when distinctive, its short form.
    pub fn spellings(&self, d: Division) -> Vec<&'static str> {
        let mut out = vec![d.name];
        if let Ok(i) = self.list.binary_search_by(|x| x.code.cmp(d.code)) {
            out.extend(self.shorts[i].filter(|s| s.chars().count() >= 3));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ds: &[Division]) -> Vec<&str> {
        ds.iter().map(|d| d.name).collect()
    }

    #[test]
    fn table_is_complete_and_nested() {
        let all = all();
        assert_eq!(all.len(), 44_703);
        assert_eq!(all.children("").len(), 31);
        assert_eq!(
            names(&all.path("330226111")),
            ["浙江省", "宁波市", "宁海县", "西店镇"]
        );
        // Beijing's districts sit under the placeholder 市辖区, which paths leave out.
        assert_eq!(
            names(&all.path("110101001")),
            ["北京市", "东城区", "东华门街道"]
        );
        assert_eq!(all.children("11").len(), 16);
        assert_eq!(all.get("4108").map(|d| d.name), Some("焦作市"));
        assert_eq!(all.get("4108").map(|d| d.level()), Some(Level::City));
    }

    #[test]
    fn short_names_find_divisions() {
        let all = all();
        let codes = |n: &str| all.named(n).iter().map(|d| d.code).collect::<Vec<_>>();
        assert_eq!(codes("寻甸县"), ["530129"]);
        assert_eq!(codes("寻甸回族彝族自治县"), ["530129"]);
        assert_eq!(codes("广西"), ["45"]);
        assert_eq!(codes("浙江"), ["33"]);
        assert_eq!(codes("恩施州"), ["4228"]);
        assert_eq!(all.named("城关镇").len(), 88);
    }
}
