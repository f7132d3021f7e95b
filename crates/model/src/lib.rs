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
mod template;
mod value;

pub use cells::Cells;
pub use finding::{Finding, Fix, Severity};
pub use grid::TextGrid;
pub use keys::{
    cell_label, key_def, keys_for, KeyDef, ValueKind, COLUMNS, COLUMN_LABELS, MAX_VALUE,
};
pub use report::{Claim, ClaimKind, Date, ExtraItem, Report, Section};
pub use rule::Rule;
pub use template::{
    Definition, Form, PerTemplate, RegisterError, Sections, Statistics, Sum, Template,
    MAX_TEMPLATES,
};
pub use value::{Cell, Evidence, Num, PageBox, Place};

/// The six statutory section headings of the 2019 and 2021 formats, in order.
pub const SECTION_HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];
