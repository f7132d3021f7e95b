//! The one report model of nianbao.
//!
//! Every reader and extractor produces a [`Report`]; every check, store, export and
//! renderer consumes one. Templates are explicit ([`Template`]), every table cell has a
//! canonical key from `data/keys.tsv` (a copy of `shared/schema/keys.tsv`), and every
//! extracted value carries its [`Evidence`].

mod cells;
mod finding;
mod grid;
pub mod json;
mod keys;
pub mod layout;
mod report;
mod rule;
mod value;

pub use cells::Cells;
pub use finding::{Finding, Fix, Severity};
pub use grid::TextGrid;
pub use keys::{
    cell_label, key_def, keys_for, KeyDef, ValueKind, COLUMNS, COLUMN_LABELS, MAX_VALUE,
};
pub use report::{Claim, ClaimKind, Date, ExtraItem, Report, Section};
pub use rule::Rule;
pub use value::{Cell, Evidence, Num, PageBox, Place};

use serde::{Deserialize, Serialize};

/// The six statutory section headings of the 2019 and 2021 formats, in order.
pub const SECTION_HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// The official format a report follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Template {
    /// Statistics tables of the 2007 条例 era (report years ≤ 2018).
    #[serde(rename = "legacy")]
    Legacy,
    /// 国办公开办函〔2019〕60号, report years 2019–2020.
    #[serde(rename = "2019")]
    Y2019,
    /// 国办公开办函〔2021〕30号, report years 2021 on.
    #[serde(rename = "2021")]
    Y2021,
}

impl Template {
    pub const ALL: [Template; 3] = [Template::Legacy, Template::Y2019, Template::Y2021];

    pub fn as_str(self) -> &'static str {
        match self {
            Template::Legacy => "legacy",
            Template::Y2019 => "2019",
            Template::Y2021 => "2021",
        }
    }

    pub fn parse(s: &str) -> Option<Template> {
        match s {
            "legacy" => Some(Template::Legacy),
            "2019" => Some(Template::Y2019),
            "2021" => Some(Template::Y2021),
            _ => None,
        }
    }

    /// The template the rules prescribe for a report year.
    pub fn for_year(year: i32) -> Template {
        match year {
            ..=2018 => Template::Legacy,
            2019 | 2020 => Template::Y2019,
            _ => Template::Y2021,
        }
    }

    /// Chinese name for people.
    pub fn name_zh(self) -> &'static str {
        match self {
            Template::Legacy => "2019年以前统计表",
            Template::Y2019 => "2019年版格式（国办公开办函〔2019〕60号）",
            Template::Y2021 => "2021年版格式（国办公开办函〔2021〕30号）",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Template::Legacy => "pre-2019 statistics table",
            Template::Y2019 => "2019 format",
            Template::Y2021 => "2021 format",
        }
    }
}

impl std::fmt::Display for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
