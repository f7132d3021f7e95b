//! Short forms of division names, as reports write them.

use crate::Level;

/// The 55 minority nationalities, as autonomous divisions name them.
const NATIONALITIES: [&str; 55] = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// The short form of a division's name, if it has one: `浙江省` → `浙江`,
/// `广西壮族自治区` → `广西`, `寻甸回族彝族自治县` → `寻甸县`, `恩施土家族苗族自治州` → `恩施州`.
/// Leaked so the table can index it beside the full names (a few thousand short strings).
pub(crate) fn short(name: &'static str, level: Level) -> Option<&'static str> {
    if level == Level::Province {
        for suffix in ["省", "市", "自治区", "特别行政区"] {
            if let Some(stem) = name.strip_suffix(suffix) {
                // 内蒙古自治区, 广西壮族自治区: the stem is the name before the nationality.
                let stem = if suffix == "自治区" {
                    before_nationality(stem).unwrap_or(stem)
                } else {
                    stem
                };
                return Some(stem);
            }
        }
        return None;
    }
    for (suffix, kind) in [("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")] {
        if let Some(stem) = name.strip_suffix(suffix) {
            let place = before_nationality(stem)?;
            return Some(Box::leak(format!("{place}{kind}").into_boxed_str()));
        }
    }
    None
}

/// The place name before the first `X族` of an autonomous division's name.
fn before_nationality(stem: &str) -> Option<&str> {
    let cut = stem
        .char_indices()
        .skip(2)
        .find(|(i, _)| {
            let rest = &stem[*i..];
            NATIONALITIES.iter().any(|n| {
                rest.strip_prefix(n)
                    .is_some_and(|r| r.is_empty() || r.starts_with('族'))
            })
        })
        .map(|(i, _)| i)?;
    Some(&stem[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autonomous_names_shorten() {
        assert_eq!(short("寻甸回族彝族自治县", Level::County), Some("寻甸县"));
        assert_eq!(
            short("积石山保安族东乡族撒拉族自治县", Level::County),
            Some("积石山县")
        );
        assert_eq!(short("黔东南苗族侗族自治州", Level::City), Some("黔东南州"));
        assert_eq!(short("内蒙古自治区", Level::Province), Some("内蒙古"));
        assert_eq!(short("新疆维吾尔自治区", Level::Province), Some("新疆"));
        assert_eq!(short("宁海县", Level::County), None);
    }
}
