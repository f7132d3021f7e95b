//! A county's agencies for one year: its government, twenty departments and its townships,
//! named as their reports print them — what a county office collects every January.

use crate::series::series;
use nianbao_model::Report;
use rand::Rng;

/// Departments of a county government (after the county's name).
pub const DEPARTMENTS: [&str; 20] = [
    "人民政府办公室",
    "发展和改革局",
    "教育局",
    "科学技术局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和广电旅游体育局",
    "卫生健康局",
    "应急管理局",
    "市场监督管理局",
    "统计局",
];

/// The printed names of a county's agencies: `{county}人民政府`, each department, and each
/// township (`{county}西店镇人民政府`, `{county}跃龙街道办事处`).
pub fn county_names(county: &str, townships: &[&str]) -> Vec<String> {
    let mut names = vec![format!("{county}人民政府")];
    names.extend(DEPARTMENTS.iter().map(|d| format!("{county}{d}")));
    names.extend(townships.iter().map(|t| {
        if t.ends_with("街道") {
            format!("{county}{t}办事处")
        } else {
            format!("{county}{t}人民政府")
        }
    }));
    names
}

/// One consistent report of `year` for every agency of the county, in the order of
/// [`county_names`].
pub fn county(rng: &mut impl Rng, county: &str, townships: &[&str], year: i32) -> Vec<Report> {
    county_names(county, townships)
        .into_iter()
        .map(|name| {
            let mut r = series(rng, &name, year..=year).remove(0);
            r.agency = Some(name);
            r
        })
        .collect()
}

/// One agency's filing in a generated season.
#[derive(Clone, Debug)]
pub struct Filing {
    pub name: String,
    /// The report as filed (text, tab layout); None when the agency files nothing.
    pub text: Option<String>,
    /// Dated after 31 January (`{year+1}年2月…`).
    pub late: bool,
    /// Table 三's balance broken (本年新收 one more than its parts).
    pub broken: bool,
}

/// A county's filing season for `year`, with what a supervising office meets: every ninth
/// agency (from the fifth) files nothing, every seventh (from the fourth) files late, every
/// fifth (from the second) files a report with an error.
pub fn season(rng: &mut impl Rng, county_name: &str, townships: &[&str], year: i32) -> Vec<Filing> {
    let names = county_names(county_name, townships);
    let reports = county(rng, county_name, townships, year);
    names
        .into_iter()
        .zip(reports)
        .enumerate()
        .map(|(i, (name, mut r))| {
            let (missing, late, broken) = (i % 9 == 4, i % 7 == 3, i % 5 == 1);
            if broken {
                crate::series::add(&mut r, "t3.received", "natural", 1);
            }
            let text = (!missing).then(|| {
                let text = crate::render(&r, &crate::Style::plain(crate::Layout::Tabs), rng);
                if late {
                    let jan = format!("{}年1月", year + 1);
                    assert!(text.contains(&jan), "the signature date moved");
                    text.replace(&jan, &format!("{}年2月", year + 1))
                } else {
                    text
                }
            });
            Filing {
                name,
                late: late && !missing,
                broken: broken && !missing,
                text,
            }
        })
        .collect()
}
