//! The official formats as data. A [`Template`] is a small handle to its [`Definition`]:
//! the id the JSON and the store carry, its names, the first report year it is prescribed
//! for, the printed words that tell it apart, and its tables ([`Form`]). nianbao ships the
//! three formats of the State Council's office; a new one is one more `Definition`, given to
//! [`Template::register`] (the test `crates/cli/tests/fourth_template.rs` registers a
//! made-up one and runs it through extraction, checks, rendering and export).

use crate::layout::{self, Item, Line};
use crate::{Rule, Severity};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::{Mutex, OnceLock};

/// How many templates a process can know (the three official ones and registered ones).
pub const MAX_TEMPLATES: usize = 16;

/// Everything nianbao knows of one official format.
#[derive(Debug)]
pub struct Definition {
    /// Stable id, as the JSON, the store and the exports write it (`2021`).
    pub id: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// Short Chinese name (a worksheet's name).
    pub short_zh: &'static str,
    /// The first report year the format is prescribed for; it holds until a later one's.
    pub first_year: i32,
    /// Printed words only this format's tables use: extraction counts them to tell the
    /// formats apart.
    pub marks: &'static [&'static str],
    pub form: Form,
}

/// The shape of a format's tables.
#[derive(Debug)]
pub enum Form {
    /// Six sections with tables 二 (第二十条 items), 三 (requests × seven applicant columns)
    /// and 四 (review and litigation): the 2019 and 2021 formats.
    Sections(Sections),
    /// One statistics table of indicator, unit and value rows: the form up to 2018.
    Statistics(Statistics),
}

/// What the 2019 and 2021 formats do not share.
#[derive(Debug)]
pub struct Sections {
    /// Table 二's 第二十条 items.
    pub t2: &'static [Item],
    /// Table 三's rows under （六）其他处理.
    pub t3_other: &'static [Line],
    /// The severity of a missing statutory section heading.
    pub missing_section: Severity,
}

/// A statistics table.
#[derive(Debug)]
pub struct Statistics {
    /// Its name in a report's list of tables found (`统计表`).
    pub table: &'static str,
    /// Its printed title (`政府信息公开情况统计表`).
    pub title: &'static str,
    /// Printed header: indicator, unit, value.
    pub head: [&'static str; 3],
    /// Rows in printed order: heading rows (key `""`) and one value row per indicator.
    pub lines: &'static [Line],
    /// Other printings of the same indicators (labels only), tried as alternatives.
    pub variants: &'static [&'static [Line]],
    /// Totals that must equal the sum of their items.
    pub sums: &'static [Sum],
    /// The rule and severity of a failing sum.
    pub sum_rule: Rule,
    pub sum_severity: Severity,
    /// The severity of the table missing from a report.
    pub missing: Severity,
    /// Why a missing table is forgivable, told with the finding (`""` if it is not).
    pub missing_note: &'static str,
}

/// `total` must equal the sum of `parts` (keys of one statistics table).
#[derive(Debug)]
pub struct Sum {
    pub name: &'static str,
    pub total: &'static str,
    pub parts: &'static [&'static str],
}

impl Statistics {
    /// The value rows, without heading rows.
    pub fn value_lines(&self) -> impl Iterator<Item = &'static Line> {
        self.lines.iter().filter(|l| !l.key.is_empty())
    }
}

/// An official format: a handle to its [`Definition`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Template(u8);

static LEGACY: Definition = Definition {
    id: "legacy",
    name_zh: "2019年以前统计表",
    name_en: "pre-2019 statistics table",
    short_zh: "2018年及以前统计表",
    first_year: i32::MIN,
    marks: &[
        "统计指标",
        "指标名称",
        "主动公开政府信息数",
        "收到申请数",
        "申请答复数",
        "同意公开答复数",
        "申请办结数",
        "对申请的答复总数",
        "政府信息公开情况统计表",
    ],
    form: Form::Statistics(Statistics {
        table: "统计表",
        title: "政府信息公开情况统计表",
        head: layout::LEGACY_HEAD,
        lines: layout::LEGACY,
        variants: &[layout::LEGACY_FUJIAN],
        sums: layout::LEGACY_SUMS,
        sum_rule: Rule::LegacySum,
        sum_severity: Severity::Warning,
        missing: Severity::Warning,
        missing_note: "（2019年以前无全国统一表格）",
    }),
};

static Y2019: Definition = Definition {
    id: "2019",
    name_zh: "2019年版格式（国办公开办函〔2019〕60号）",
    name_en: "2019 format",
    short_zh: "2019年版格式",
    first_year: 2019,
    marks: &[
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "政府集中采购",
        "其他对外管理服务事项",
    ],
    form: Form::Sections(Sections {
        t2: layout::T2_2019,
        t3_other: layout::T3_OTHER_2019,
        missing_section: Severity::Warning,
    }),
};

static Y2021: Definition = Definition {
    id: "2021",
    name_zh: "2021年版格式（国办公开办函〔2021〕30号）",
    name_en: "2021 format",
    short_zh: "2021年版格式",
    first_year: 2021,
    marks: &[
        "制发件数",
        "废止件数",
        "有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "逾期不补正",
        "收费通知要求",
    ],
    form: Form::Sections(Sections {
        t2: layout::T2_2021,
        t3_other: layout::T3_OTHER_2021,
        missing_section: Severity::Error,
    }),
};

const BUILTIN: [&Definition; 3] = [&LEGACY, &Y2019, &Y2021];

/// Definitions registered at run time, after the built-in ones.
static REGISTERED: [OnceLock<&'static Definition>; MAX_TEMPLATES] =
    [const { OnceLock::new() }; MAX_TEMPLATES];
static REGISTERING: Mutex<()> = Mutex::new(());

/// Why a definition was not registered.
#[derive(Debug, PartialEq, Eq)]
pub enum RegisterError {
    /// Another template has this id.
    Taken(&'static str),
    /// The process knows [`MAX_TEMPLATES`] already.
    Full,
}

impl std::fmt::Display for RegisterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RegisterError::Taken(id) => {
                write!(f, "模板标识 {id} 已被占用 (template id {id} is taken)")
            }
            RegisterError::Full => {
                write!(f, "模板数量已达上限 {MAX_TEMPLATES} (too many templates)")
            }
        }
    }
}

impl std::error::Error for RegisterError {}

#[allow(non_upper_case_globals)]
impl Template {
    /// Statistics tables of the 2007 条例 era (report years ≤ 2018).
    pub const Legacy: Template = Template(0);
    /// 国办公开办函〔2019〕60号, report years 2019–2020.
    pub const Y2019: Template = Template(1);
    /// 国办公开办函〔2021〕30号, report years 2021 on.
    pub const Y2021: Template = Template(2);
    /// The official formats nianbao ships, oldest first.
    pub const ALL: [Template; 3] = [Template::Legacy, Template::Y2019, Template::Y2021];

    /// Makes a new format known to this process; its id then parses, its year range picks
    /// it, and extraction, checks, rendering and exports read its definition.
    pub fn register(def: &'static Definition) -> Result<Template, RegisterError> {
        let _guard = REGISTERING.lock().unwrap_or_else(|e| e.into_inner());
        if Template::parse(def.id).is_some() {
            return Err(RegisterError::Taken(def.id));
        }
        let slot = (BUILTIN.len()..MAX_TEMPLATES)
            .find(|&i| REGISTERED[i].get().is_none())
            .ok_or(RegisterError::Full)?;
        let _ = REGISTERED[slot].set(def);
        Ok(Template(slot as u8))
    }

    /// Every format this process knows: the official ones, then registered ones.
    pub fn all() -> Vec<Template> {
        Template::known().collect()
    }

    /// The formats registered in this process (none unless a program registers one); an
    /// iterator, as extraction asks with every report.
    pub fn registered() -> impl Iterator<Item = Template> {
        Template::known().skip(BUILTIN.len())
    }

    /// As [`Template::all`], without collecting (parsing and picking by year run per report).
    fn known() -> impl Iterator<Item = Template> {
        (0..MAX_TEMPLATES)
            .take_while(|&i| i < BUILTIN.len() || REGISTERED[i].get().is_some())
            .map(|i| Template(i as u8))
    }

    /// Its definition.
    pub fn def(self) -> &'static Definition {
        let i = usize::from(self.0);
        match BUILTIN.get(i) {
            Some(d) => d,
            // A handle past the built-in ones is only made by `register`, after the set.
            None => REGISTERED[i].get().expect("a registered template"),
        }
    }

    /// Its position among the known formats (below [`MAX_TEMPLATES`]), for per-template tables.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    pub fn as_str(self) -> &'static str {
        self.def().id
    }

    pub fn parse(s: &str) -> Option<Template> {
        Template::known().find(|t| t.def().id == s)
    }

    /// The template the rules prescribe for a report year.
    pub fn for_year(year: i32) -> Template {
        Template::known()
            .filter(|t| t.def().first_year <= year)
            .max()
            .unwrap_or(Template::Legacy)
    }

    /// Chinese name for people.
    pub fn name_zh(self) -> &'static str {
        self.def().name_zh
    }

    pub fn name_en(self) -> &'static str {
        self.def().name_en
    }

    /// Its statistics table, if that is its form.
    pub fn statistics(self) -> Option<&'static Statistics> {
        match &self.def().form {
            Form::Statistics(s) => Some(s),
            Form::Sections(_) => None,
        }
    }

    /// Its sections' tables, if that is its form.
    pub fn sections(self) -> Option<&'static Sections> {
        match &self.def().form {
            Form::Sections(s) => Some(s),
            Form::Statistics(_) => None,
        }
    }
}

/// Older formats first: by the first year each is prescribed for.
impl Ord for Template {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.def().first_year, self.0).cmp(&(other.def().first_year, other.0))
    }
}

impl PartialOrd for Template {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Template({})", self.as_str())
    }
}

impl std::fmt::Display for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Template::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "未知的模板 {s:?} (unknown template; known: {})",
                Template::all()
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }
}

/// A value computed once per template, on first use.
pub struct PerTemplate<T>([OnceLock<T>; MAX_TEMPLATES]);

impl<T> PerTemplate<T> {
    pub const fn new() -> Self {
        PerTemplate([const { OnceLock::new() }; MAX_TEMPLATES])
    }

    pub fn get(&self, t: Template, make: impl FnOnce(Template) -> T) -> &T {
        self.0[t.index()].get_or_init(|| make(t))
    }
}

impl<T> Default for PerTemplate<T> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_formats_keep_their_ids_years_and_order() {
        assert_eq!(Template::for_year(2018), Template::Legacy);
        assert_eq!(Template::for_year(2020), Template::Y2019);
        assert_eq!(Template::for_year(2030), Template::Y2021);
        assert!(Template::Legacy < Template::Y2019 && Template::Y2019 < Template::Y2021);
        for t in Template::ALL {
            assert_eq!(Template::parse(t.as_str()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<Template>(&json).unwrap(), t);
        }
        assert_eq!(serde_json::to_string(&Template::Y2021).unwrap(), "\"2021\"");
        assert!(serde_json::from_str::<Template>("\"2099\"").is_err());
        assert_eq!(
            Template::register(&Y2019),
            Err(RegisterError::Taken("2019"))
        );
    }

    #[test]
    fn every_sum_names_cells_of_its_template() {
        for t in Template::ALL {
            let keys = crate::keys_for(t);
            for sum in t.statistics().map_or(&[][..], |s| s.sums) {
                for k in std::iter::once(&sum.total).chain(sum.parts) {
                    assert!(keys.contains(k), "{t}: {k}");
                }
            }
        }
        assert_eq!(Template::Legacy.statistics().unwrap().sums.len(), 5);
    }
}
