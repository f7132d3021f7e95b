//! Agency identity: one body across years and spellings.
//!
//! A printed name splits into a region (the administrative divisions it starts with,
//! `XX省XX市XX县`) and a core (`北冷乡`, `教育局`, empty for the government of the region
//! itself). `北冷乡`, `北冷乡人民政府` and `XX县北冷乡人民政府` share the core `北冷乡` and
//! compatible regions, so they are one agency.

/// The administrative level of an agency, as far as its name tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Province,
    ProvinceDept,
    City,
    CityDept,
    County,
    CountyDept,
    Township,
    Dept,
    Unknown,
}

impl Level {
    pub fn as_zh(self) -> &'static str {
        match self {
            Level::Province => "省级政府",
            Level::ProvinceDept => "省级部门",
            Level::City => "市级政府",
            Level::CityDept => "市级部门",
            Level::County => "县级政府",
            Level::CountyDept => "县级部门",
            Level::Township => "乡镇/街道",
            Level::Dept => "部门",
            Level::Unknown => "",
        }
    }
}

/// A name taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// Administrative divisions, outermost first: `["河南省", "开封市", "尉氏县"]`.
    pub region: Vec<String>,
    /// What is left once the region and the 人民政府 suffix are gone: `洧川镇`.
    pub core: String,
    pub level: Level,
}

/// Division suffixes, longest first so `自治县` wins over `县`.
const DIVISIONS: [&str; 11] = [
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "综合实验区",
    "新区",
    "地区",
    "省",
    "市",
    "盟",
    "县",
];
/// Divisions that only count at the end of a longer name (`区`, `旗` alone are too common).
const LATE_DIVISIONS: [&str; 2] = ["区", "旗"];
/// Words ending in a division character that are not divisions.
const NOT_DIVISIONS: [&str; 10] = [
    "城市", "都市", "社区", "园区", "景区", "街区", "小区", "片区", "辖区", "校区",
];
/// A division character followed by one of these belongs to the next word (`新市镇`, `市场`).
const NOT_AFTER: [char; 7] = ['镇', '乡', '村', '街', '级', '直', '场'];
const GOVERNMENT: [&str; 3] = ["人民政府办公室", "人民政府", "政府"];

/// Splits a printed agency name.
pub fn parse(name: &str) -> Name {
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let mut rest = name.as_str();
    let mut region = Vec::new();
    while let Some(len) =
        known_prefix(rest, region.last().map(String::as_str)).or_else(|| division_prefix(rest))
    {
        region.push(rest[..len].to_string());
        rest = &rest[len..];
    }
    let mut core = rest.to_string();
    let mut office = false;
    for suffix in GOVERNMENT {
        if let Some(stripped) = core.strip_suffix(suffix) {
            office = suffix == "人民政府办公室";
            core = stripped.to_string();
            break;
        }
    }
    if office {
        core.push_str("人民政府办公室");
    }
    for suffix in ["办事处"] {
        if let Some(stripped) = core.strip_suffix(suffix) {
            core = stripped.to_string();
        }
    }
    let level = level(&region, &core);
    Name {
        region,
        core,
        level,
    }
}

/// The length in bytes of the longest leading name of a division in the national table
/// (its full name), under `parent` when the name has a region before it: names the suffix
/// rules get wrong (`晋城市` and `海城市` end like `城市`, `下花园区` like `园区`, `城区` is short,
/// `西市区` has a `市` inside, `石家庄高新技术产业开发区` has no suffix at all).
fn known_prefix(s: &str, parent: Option<&str>) -> Option<usize> {
    let table = nianbao_division::all();
    let parents: Vec<&str> = parent.map_or_else(Vec::new, |p| {
        table.named(p).into_iter().map(|d| d.code).collect()
    });
    let chars: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
    // Two characters at least, something after it; a two-character name only under a parent
    // (`城区` alone is too common a word).
    let shortest = if parent.is_some() { 2 } else { 3 };
    (shortest..chars.len().min(17)).rev().find_map(|end| {
        let (head, rest) = s.split_at(chars[end]);
        let here = table.named(head);
        // Counties and above: a township is the agency itself, not its region.
        let full = here
            .iter()
            .filter(|d| d.name == head && d.level() <= nianbao_division::Level::County);
        let under = |d: &&nianbao_division::Division| {
            parent.is_none()
                || parents
                    .iter()
                    .any(|p| d.code != *p && d.code.starts_with(p))
        };
        if !full.into_iter().any(|d| under(&d)) {
            return None;
        }
        // `新市镇`: a 镇 after the name starts a word of its own — unless what follows is a
        // division under this one (`临汾市乡宁县`).
        if rest.starts_with(NOT_AFTER) && known_prefix(rest, Some(head)).is_none() {
            return None;
        }
        Some(chars[end])
    })
}

/// The length in bytes of a leading division name (`尉氏县` in `尉氏县洧川镇`), if any.
fn division_prefix(s: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    // A division has a name of 1–7 characters before its suffix and something after it.
    for end in 2..chars.len().min(12) {
        let byte_end = chars.get(end).map_or(s.len(), |c| c.0);
        let head = &s[..byte_end];
        if byte_end >= s.len() {
            break;
        }
        let early = DIVISIONS
            .iter()
            .any(|d| head.ends_with(d) && head.chars().count() > d.chars().count());
        let late = LATE_DIVISIONS.iter().any(|d| head.ends_with(d)) && head.chars().count() >= 3;
        if (early || late)
            && !NOT_DIVISIONS.iter().any(|w| head.ends_with(w))
            && !s[byte_end..].starts_with(NOT_AFTER)
        {
            return Some(byte_end);
        }
    }
    None
}

fn level(region: &[String], core: &str) -> Level {
    let last = region.last().map(String::as_str).unwrap_or("");
    let unit = if last.ends_with("省") || last.ends_with("自治区") {
        1
    } else if last.ends_with("市")
        || last.ends_with("州")
        || last.ends_with("盟")
        || last.ends_with("地区")
    {
        2
    } else if last.ends_with("县") || last.ends_with("区") || last.ends_with("旗") {
        3
    } else {
        0
    };
    let township = ["乡", "镇", "街道", "苏木"]
        .iter()
        .any(|s| core.ends_with(s));
    match (core.is_empty(), township, unit) {
        (_, true, _) => Level::Township,
        (true, _, 1) => Level::Province,
        (true, _, 2) => Level::City,
        (true, _, 3) => Level::County,
        (true, _, _) => Level::Unknown,
        (false, _, 1) => Level::ProvinceDept,
        (false, _, 2) => Level::CityDept,
        (false, _, 3) => Level::CountyDept,
        (false, _, _) => Level::Dept,
    }
}

/// True when two names may be the same agency: same core, and one region is the other's
/// tail (`[尉氏县]` and `[开封市, 尉氏县]`) or either region is unknown.
pub fn same_agency(a: &Name, b: &Name) -> bool {
    if a.core != b.core || (a.core.is_empty() && a.region.is_empty()) {
        return false;
    }
    let (short, long) = if a.region.len() <= b.region.len() {
        (a, b)
    } else {
        (b, a)
    };
    long.region.ends_with(&short.region)
}

/// Region divisions named by the directories of a path (`报告/尉氏县/洧川镇.txt`).
pub fn region_from_path(path: &str) -> Vec<String> {
    let mut region = Vec::new();
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    for dir in parts.iter().take(parts.len().saturating_sub(1)) {
        let p = parse(&format!("{dir}政府"));
        if p.core.is_empty() && !p.region.is_empty() {
            region.extend(p.region);
        }
    }
    region
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(name: &str) -> (String, String, &'static str) {
        let n = parse(name);
        (n.region.join("/"), n.core, n.level.as_zh())
    }

    #[test]
    fn names_split_into_region_and_core() {
        assert_eq!(split("北冷乡"), ("".into(), "北冷乡".into(), "乡镇/街道"));
        assert_eq!(
            split("尉氏县洧川镇人民政府"),
            ("尉氏县".into(), "洧川镇".into(), "乡镇/街道")
        );
        assert_eq!(
            split("南召县城关镇人民政府"),
            ("南召县".into(), "城关镇".into(), "乡镇/街道")
        );
        assert_eq!(
            split("平潭综合实验区公安局"),
            ("平潭综合实验区".into(), "公安局".into(), "县级部门")
        );
        assert_eq!(
            split("平潭综合实验区金井片区管理局"),
            ("平潭综合实验区".into(), "金井片区管理局".into(), "县级部门")
        );
        assert_eq!(
            split("开封市尉氏县人民政府"),
            ("开封市/尉氏县".into(), "".into(), "县级政府")
        );
        assert_eq!(
            split("福州市人民政府"),
            ("福州市".into(), "".into(), "市级政府")
        );
        assert_eq!(
            split("福州市市场监督管理局"),
            ("福州市".into(), "市场监督管理局".into(), "市级部门")
        );
        assert_eq!(
            split("福州市城市管理委员会"),
            ("福州市".into(), "城市管理委员会".into(), "市级部门")
        );
        assert_eq!(
            split("河南省人民政府办公厅"),
            ("河南省".into(), "人民政府办公厅".into(), "省级部门")
        );
        assert_eq!(
            split("沛县人民政府办公室"),
            ("沛县".into(), "人民政府办公室".into(), "县级部门")
        );
        assert_eq!(
            split("鼓楼区东街街道办事处"),
            ("鼓楼区".into(), "东街街道".into(), "乡镇/街道")
        );
        assert_eq!(
            split("新市镇人民政府"),
            ("".into(), "新市镇".into(), "乡镇/街道")
        );
        assert_eq!(split("教育局"), ("".into(), "教育局".into(), "部门"));
    }

    #[test]
    fn spellings_of_one_body_match() {
        let a = parse("北冷乡");
        assert!(same_agency(&a, &parse("北冷乡人民政府")));
        assert!(same_agency(&a, &parse("XX县北冷乡人民政府")));
        assert!(same_agency(
            &parse("开封市尉氏县洧川镇人民政府"),
            &parse("尉氏县洧川镇")
        ));
        assert!(!same_agency(&parse("甲县城关镇"), &parse("乙县城关镇")));
        assert!(!same_agency(&parse("甲县教育局"), &parse("甲县公安局")));
    }

    #[test]
    fn regions_come_from_directories() {
        assert_eq!(
            region_from_path("reports/开封市/尉氏县/2021/洧川镇.txt"),
            vec!["开封市", "尉氏县"]
        );
        assert!(region_from_path("reports/2021/x.txt").is_empty());
    }
}
