//! Title, agency, report year and publication date.

use crate::norm::norm_char;
use nianbao_model::Date;

#[derive(Debug, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub published: Option<Date>,
}

/// A source line in normal form, with Markdown marks and field names removed. A title a
/// converter set as a Markdown table row (`| 某局 | 2019 | 年…年度 |`) keeps its cells'
/// text (pipes become tabs); the rule under it is no line.
fn clean(line: &str) -> String {
    let raw = line.trim();
    if raw.starts_with('|')
        && raw
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
    {
        return String::new();
    }
    let s: String = line.chars().map(norm_char).filter(|&c| c != '\0').collect();
    let s = s.trim().trim_start_matches(['#', ' ', '\t']).trim();
    s.to_string()
}

fn field<'s>(line: &'s str, names: &[&str]) -> Option<&'s str> {
    names
        .iter()
        .find_map(|n| line.strip_prefix(n))
        .map(|r| r.trim_start_matches([':', ' ', '\t']).trim())
}

pub fn meta(src: &str) -> Meta {
    let lines: Vec<String> = src
        .lines()
        .map(clean)
        .filter(|l| !l.is_empty())
        .take(40)
        .collect();
    let mut m = Meta::default();
    let mut title_at = None;
    for (i, l) in lines.iter().enumerate() {
        if let Some(t) = field(l, &["标题", "题名", "名称"]) {
            if t.contains("报告") {
                title_at = Some((i, t.to_string()));
                break;
            }
        }
    }
    if title_at.is_none() {
        // Spaces do not count: OCR and PDF text set them between characters (`年 度 报 告`).
        let squeezed: Vec<String> = lines
            .iter()
            .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect())
            .collect();
        title_at = squeezed
            .iter()
            .enumerate()
            .take(20)
            .map(|(i, l)| match squeezed.get(i + 1) {
                // A title wrapped by the page (`…工作年度` / `报告`) is joined back.
                Some(next)
                    if !l.contains("报告")
                        && l.contains("公开")
                        && next.chars().count() <= 8
                        && format!("{l}{next}").contains("报告") =>
                {
                    (i, format!("{l}{next}"))
                }
                _ => (i, l.clone()),
            })
            .find(|(_, l)| is_title(l) && l.chars().count() <= 80);
    }
    if title_at.is_none() {
        // The whole report on one line: the title is the text up to the first 报告.
        title_at = lines.first().and_then(|l| {
            let head: String = l.chars().take(100).collect();
            let end = head.find("报告")? + "报告".len();
            head[..end]
                .contains("公开")
                .then(|| (0, head[..end].to_string()))
        });
    }
    if title_at.is_none() {
        // A title OCR garbled (`…建设局2022年收府{姑会开工作全度报`): the first lines are
        // looked at for an agency, a year and most of the title's fixed words after it.
        title_at = lines
            .iter()
            .take(5)
            .enumerate()
            .find_map(|(i, l)| garbled_title(l).map(|t| (i, t)));
    }
    if let Some((i, title)) = title_at {
        let mut title: String = title.chars().filter(|c| !c.is_whitespace()).collect();
        if title.ends_with("年度报") {
            // The page's last character lost by OCR (a title set in large type).
            title.push('告');
        }
        let year = find_year(&title);
        let mut agency = match year {
            Some((_, at)) => title[..at].to_string(),
            None => ["政府信息公开", "政务公开", "信息公开"]
                .iter()
                .find_map(|k| title.find(k))
                .map_or(String::new(), |p| title[..p].to_string()),
        };
        if agency.chars().count() == 1 {
            // A fragment (`局2023年…`): the rest of the name was lost to the page.
            agency.clear();
        }
        let mut full_title = title.clone();
        if agency.is_empty() && i > 0 {
            let prev: String = lines[i - 1]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if prev.chars().count() <= 40
                && !prev.contains("报告")
                && field(&lines[i - 1], &["发布", "来源"]).is_none()
            {
                agency = prev.clone();
                full_title = format!("{prev}{title}");
            }
        }
        let agency = agency
            .trim_matches(|c: char| c == '“' || c == '”' || c == '"' || c == ':')
            .to_string();
        m.agency = (!agency.is_empty()).then_some(agency);
        m.year = year.map(|(y, _)| y);
        m.title = Some(full_title);
    }
    if m.year.is_none() {
        m.year = fallback_year(src);
    }
    m.published = published(&lines, src, m.year);
    m
}

/// True when a line names the report: 公开 before 报告 (or before 年度报, its last
/// character lost by OCR). The report's first sentence (`本报告依据《…政府信息公开条例》
/// 编制`) has both words too, but cites the Regulations, which no title does.
fn is_title(l: &str) -> bool {
    if l.contains("条例") || l.contains("依据") {
        return false;
    }
    l.find("公开").is_some_and(|open| {
        let rest = &l[open..];
        rest.contains("报告") || rest.ends_with("年度报")
    })
}

/// What the official title says after the agency's name and the year.
const TITLE_TAIL: &str = "年政府信息公开工作年度报告";
/// How many characters of [`TITLE_TAIL`], in order, a garbled title must keep.
const TITLE_KEPT: usize = 7;

/// A title as OCR read it through noise: an agency's name (3–40 characters, no
/// punctuation, not a sentence's `本机关`/`我局`), a year, and then at least
/// [`TITLE_KEPT`] of [`TITLE_TAIL`]'s characters in order among the next 16; the title as
/// read, to the last of them.
fn garbled_title(line: &str) -> Option<String> {
    let l: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let (_, at) = find_year(&l)?;
    let agency = &l[..at];
    let n = agency.chars().count();
    if !(3..=40).contains(&n)
        || agency.starts_with(['本', '我'])
        || agency.contains(|c: char| "，。；：、,.;:（）()“”《》".contains(c))
    {
        return None;
    }
    let rest: Vec<char> = l[at + 4..].chars().take(16).collect();
    let tail: Vec<char> = TITLE_TAIL.chars().collect();
    let (kept, last) = in_order(&rest, &tail);
    (kept >= TITLE_KEPT).then(|| {
        let end: String = rest[..=last].iter().collect();
        format!("{}{end}", &l[..at + 4])
    })
}

/// How many characters of `want` occur in `got` in order (their longest common
/// subsequence), and the index in `got` of the last one matched.
fn in_order(got: &[char], want: &[char]) -> (usize, usize) {
    // best[j]: the longest match of want[..j] with got so far, and where in got it ended.
    let mut best = vec![(0usize, 0usize); want.len() + 1];
    for (i, g) in got.iter().enumerate() {
        for j in (1..=want.len()).rev() {
            if *g == want[j - 1] && best[j - 1].0 + 1 > best[j].0 {
                best[j] = (best[j - 1].0 + 1, i);
            }
        }
        for j in 1..=want.len() {
            if best[j - 1].0 > best[j].0 {
                best[j] = best[j - 1];
            }
        }
    }
    best[want.len()]
}

/// First `2019年` / `2019 年度` in a title: (year, byte offset).
fn find_year(s: &str) -> Option<(i32, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i..i + 4].iter().all(u8::is_ascii_digit) && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let rest = &s[i + 4..];
            if rest.starts_with('年') {
                let y: i32 = s[i..i + 4].parse().ok()?;
                if (1990..=2100).contains(&y) {
                    return Some((y, i));
                }
            }
        }
        i += 1;
    }
    None
}

/// When no title gives the year: the statistics period (`自2018年1月1日起`), or the first
/// `YYYY年度` in the text.
fn fallback_year(src: &str) -> Option<i32> {
    let s: String = src
        .chars()
        .map(norm_char)
        .filter(|c| *c != '\0' && !c.is_whitespace())
        .take(4000)
        .collect();
    for pat in [
        "年1月1日起",
        "年1月1日至",
        "年度政府信息公开",
        "年政府信息公开",
        "年度",
    ] {
        for (p, _) in s.match_indices(pat) {
            let digits = s
                .as_bytes()
                .get(p.saturating_sub(4)..p)
                .filter(|d| d.len() == 4 && d.iter().all(u8::is_ascii_digit));
            if let Some(y) = digits.and_then(|d| std::str::from_utf8(d).ok()?.parse::<i32>().ok()) {
                if (1990..=2100).contains(&y) {
                    return Some(y);
                }
            }
        }
    }
    None
}

fn published(lines: &[String], src: &str, year: Option<i32>) -> Option<Date> {
    for l in lines {
        if let Some(v) = field(
            l,
            &["发布时间", "发布日期", "成文日期", "公开日期", "发文日期"],
        ) {
            if let Some((d, _)) = dates(v).into_iter().next() {
                return Some(d);
            }
        }
    }
    // Otherwise the date under the signature: the last date after the report year.
    let y = year?;
    let last = |text: &str| {
        let c: Vec<char> = text.chars().map(norm_char).filter(|c| *c != '\0').collect();
        dates_in(&c)
            .into_iter()
            .rfind(|(d, _)| d.year > y && d.year <= y + 2)
            .map(|(d, _)| d)
    };
    // The last date of the text lies in its tail whenever the tail has one (the signature
    // closes the report), so the whole text is read only when the tail has none.
    let mut tail = src.len().saturating_sub(4096);
    while !src.is_char_boundary(tail) {
        tail += 1;
    }
    last(&src[tail..]).or_else(|| if tail > 0 { last(src) } else { None })
}

/// Dates written `2019年1月21日`, `2019-01-21` or `2019/1/21` (spaces allowed between parts).
pub fn dates(s: &str) -> Vec<(Date, usize)> {
    dates_in(&s.chars().collect::<Vec<char>>())
}

/// [`dates`] in characters; positions are character indices.
fn dates_in(c: &[char]) -> Vec<(Date, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if !c[i].is_ascii_digit() || (i > 0 && c[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        if let Some((d, end)) = date_at(c, i) {
            out.push((d, i));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn date_at(c: &[char], i: usize) -> Option<(Date, usize)> {
    let mut k = i;
    let num = |k: &mut usize, max: usize| -> Option<u32> {
        while *k < c.len() && c[*k] == ' ' {
            *k += 1;
        }
        let start = *k;
        while *k < c.len() && c[*k].is_ascii_digit() && *k - start < max {
            *k += 1;
        }
        if *k == start {
            return None;
        }
        Some(
            c[start..*k]
                .iter()
                .fold(0, |n, d| n * 10 + (*d as u32 - '0' as u32)),
        )
    };
    let sep = |k: &mut usize, allowed: &[char]| -> Option<char> {
        while *k < c.len() && c[*k] == ' ' {
            *k += 1;
        }
        let ch = *c.get(*k)?;
        allowed.contains(&ch).then(|| {
            *k += 1;
            ch
        })
    };
    let y = num(&mut k, 4)?;
    if !(1990..=2100).contains(&y) {
        return None;
    }
    let s1 = sep(&mut k, &['年', '-', '/', '.'])?;
    let m = num(&mut k, 2)?;
    let want = if s1 == '年' { '月' } else { s1 };
    sep(&mut k, &[want])?;
    let d = num(&mut k, 2)?;
    if s1 == '年' {
        sep(&mut k, &['日', '号'])?;
    }
    Date::new(y as i32, m, d).map(|date| (date, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_spaced_out_by_ocr() {
        let m = meta("北 冷乡2019 年 政府信息公开 工作 年 度 报 告\n本报告 依据《中 华人民 共和国政 府信息 公开条例》 编制，所列 数据 统计 期 限 自 2019年 1 月 1 日 至2019年12月31日。\n");
        assert_eq!(m.agency.as_deref(), Some("北冷乡"));
        assert_eq!(
            m.title.as_deref(),
            Some("北冷乡2019年政府信息公开工作年度报告")
        );
        assert_eq!(m.year, Some(2019));
    }

    #[test]
    fn title_wrapped_by_the_page() {
        let m = meta("平潭综合实验区金井片区管理局 2019 年政府信息公开工作年度\n报告\n本报告依据《中华人民共和国政府信息公开条例》编制\n");
        assert_eq!(m.agency.as_deref(), Some("平潭综合实验区金井片区管理局"));
        assert_eq!(m.year, Some(2019));
        assert_eq!(
            m.title.as_deref(),
            Some("平潭综合实验区金井片区管理局2019年政府信息公开工作年度报告")
        );
        let m = meta("平潭综合实验区交通与建设局 2021 年政府信息公开工作年度报\n告\n本报告依据\n");
        assert_eq!(m.agency.as_deref(), Some("平潭综合实验区交通与建设局"));
        assert_eq!(
            m.title.as_deref(),
            Some("平潭综合实验区交通与建设局2021年政府信息公开工作年度报告")
        );
    }

    #[test]
    fn title_read_by_ocr_without_its_last_character() {
        let m = meta("平 潭 综合 实验 区 管 委 会办公室2022 年政府 信息 公开 工作 年 度 报\n本报告依据 “中 华人民 共和国政 府信息 公开条例 ”编制 ，所列 数据 统计 期 限自2022年1月 1 日 至2022年12月31 日\n");
        assert_eq!(m.agency.as_deref(), Some("平潭综合实验区管委会办公室"));
        assert_eq!(
            m.title.as_deref(),
            Some("平潭综合实验区管委会办公室2022年政府信息公开工作年度报告")
        );
        assert_eq!(m.year, Some(2022));
    }

    #[test]
    fn title_set_as_a_markdown_table_row() {
        let m = meta("| 平潭综合实验区金井片区管理局 |     | 2019 | 年政府信息公开工作年度 |     |     |\n| -------------- | --- | ---- | ----------- | --- | --- |\n报告\n本报告依据《中华人民共和国政府信息公开条例》编制\n");
        assert_eq!(m.agency.as_deref(), Some("平潭综合实验区金井片区管理局"));
        assert_eq!(
            m.title.as_deref(),
            Some("平潭综合实验区金井片区管理局2019年政府信息公开工作年度报告")
        );
        assert_eq!(m.year, Some(2019));
    }

    #[test]
    fn titles_garbled_by_a_photocopy() {
        let m = meta("平潭综合实验 区交通 与建设 局2022年收府 { 姑会开工作全度报\n有\n");
        assert_eq!(m.agency.as_deref(), Some("平潭综合实验区交通与建设局"));
        assert_eq!(m.year, Some(2022));
        let m = meta("平潭综合实验区交通与建设局2025年政府信息公开起做年度报到雪人 人人仙人人下编制，所列数据统计期吨久20喜年:月1日至\n");
        assert_eq!(m.agency.as_deref(), Some("平潭综合实验区交通与建设局"));
        assert_eq!(
            m.title.as_deref(),
            Some("平潭综合实验区交通与建设局2025年政府信息公开起做年度报告")
        );
        // A name of which OCR kept one character is no name.
        let m = meta("局 2023年政府信息公开寺作年度报\n开 条例 编制\n");
        assert_eq!((m.agency, m.year), (None, Some(2023)));
        // Sentences with a year are no titles.
        let m = meta("本机关2021年政府信息公开工作在区委领导下\n");
        assert_eq!((m.title, m.agency), (None, None));
        let m = meta("2021年，我局政府信息公开工作取得新进展\n");
        assert_eq!((m.title, m.agency), (None, None));
    }

    #[test]
    fn the_first_sentence_is_no_title() {
        let m = meta("二本报告依据中华人民共和国政府信息公开条例”编制,所列数据统计期限自2021年1月1日至2021年12月31日\n一、总体情况\n");
        assert_eq!((m.title, m.agency), (None, None));
        assert_eq!(m.year, Some(2021));
    }

    #[test]
    fn title_on_one_line() {
        let m = meta("\n\n北冷乡2019年政府信息公开工作年度报告\n\n一、总体情况\n");
        assert_eq!(m.agency.as_deref(), Some("北冷乡"));
        assert_eq!(m.year, Some(2019));
    }

    #[test]
    fn agency_on_the_line_before() {
        let m = meta("尉氏县洧川镇人民政府\n2021年度信息公开工作年度报告\n\n");
        assert_eq!(m.agency.as_deref(), Some("尉氏县洧川镇人民政府"));
        assert_eq!(m.year, Some(2021));
        assert_eq!(
            m.title.as_deref(),
            Some("尉氏县洧川镇人民政府2021年度信息公开工作年度报告")
        );
    }

    #[test]
    fn markdown_and_field_titles() {
        let m = meta("# 南召县城关镇人民政府 2020 年政府信息公开工作年度报告\n");
        assert_eq!(
            (m.agency.as_deref(), m.year),
            (Some("南召县城关镇人民政府"), Some(2020))
        );
        let m = meta(
            "标题: 平潭综合实验区公安局2018年政府信息公开工作报告\n发布时间: 2019-01-16 09:40\n",
        );
        assert_eq!(
            (m.agency.as_deref(), m.year),
            (Some("平潭综合实验区公安局"), Some(2018))
        );
        assert_eq!(m.published, Date::new(2019, 1, 16));
    }

    #[test]
    fn title_at_the_start_of_one_long_line() {
        let m = meta("寻甸县交通与建设局2018年政府信息公开工作年度报告 一、概述 通过门户网站发布各类信息273条，……");
        assert_eq!(
            (m.agency.as_deref(), m.year),
            (Some("寻甸县交通与建设局"), Some(2018))
        );
    }

    #[test]
    fn signature_date() {
        let m = meta("河口镇2018年政府信息公开工作年度报告\n统计期限自2018年1月1日起至2018年12月27日止\n河口镇人民政府\n2019年1月21日\n附件");
        assert_eq!(m.published, Date::new(2019, 1, 21));
        assert_eq!(dates("2019 年 1 月 21 日").len(), 1);
        assert!(dates("2019年13月1日").is_empty());
    }
}
