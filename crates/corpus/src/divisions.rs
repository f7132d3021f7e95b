//! Where each agency sits among the national divisions (`nianbao_division`).
//!
//! An agency is located when it is first met and again while undecided, from its name, the
//! folders of its file and the report's text. `division_how` says how: `name`, `text`,
//! `person` (decided by a reviewer; never overwritten), `ambiguous` (the candidates are in
//! `division_choices`, for a person) or `unknown`.

use crate::agency::{self, Name};
use crate::db::{Conn, Value};
use crate::{Store, StoreError};
use nianbao_division::{How, Located, Query};

/// How an agency's division was settled, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    Name,
    Text,
    Person,
    Ambiguous,
    Unknown,
}

impl Settled {
    pub fn as_str(self) -> &'static str {
        match self {
            Settled::Name => "name",
            Settled::Text => "text",
            Settled::Person => "person",
            Settled::Ambiguous => "ambiguous",
            Settled::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Settled> {
        [
            Settled::Name,
            Settled::Text,
            Settled::Person,
            Settled::Ambiguous,
            Settled::Unknown,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    pub fn as_zh(self) -> &'static str {
        match self {
            Settled::Name => "由名称确定",
            Settled::Text => "由报告正文确定",
            Settled::Person => "人工指定",
            Settled::Ambiguous => "待定（同名区划）",
            Settled::Unknown => "未知",
        }
    }
}

/// Locates agency `id` (printed as `name`) unless it is already settled.
pub(crate) fn locate_one(
    c: &mut dyn Conn,
    id: i64,
    name: &Name,
    text: &str,
) -> Result<(), StoreError> {
    let row = c.query(
        "SELECT division_how FROM agencies WHERE id = $1",
        &[id.into()],
    )?;
    let how = row.first().and_then(|r| r.text(0)).and_then(Settled::parse);
    if matches!(how, Some(Settled::Name | Settled::Text | Settled::Person)) {
        return Ok(());
    }
    let (code, how, choices) = match nianbao_division::locate(&Query {
        region: &name.region,
        core: &name.core,
        text,
    }) {
        Located::Found { division, how } => (
            Some(division.code.to_string()),
            match how {
                How::Name => Settled::Name,
                How::Text => Settled::Text,
            },
            None,
        ),
        Located::Ambiguous(list) => (
            None,
            Settled::Ambiguous,
            Some(list.iter().map(|d| d.code).collect::<Vec<_>>().join(" ")),
        ),
        Located::Unknown => (None, Settled::Unknown, None),
    };
    c.exec(
        "UPDATE agencies SET division = $1, division_how = $2, division_choices = $3 WHERE id = $4",
        &[code.into(), how.as_str().into(), choices.into(), id.into()],
    )?;
    Ok(())
}

/// Locates every agency not located yet, from its latest report (a corpus made before
/// divisions, on upgrade).
pub(crate) fn locate_all(c: &mut dyn Conn) -> Result<(), StoreError> {
    let agencies = c.query(
        "SELECT id, region, core FROM agencies WHERE division_how IS NULL ORDER BY id",
        &[],
    )?;
    for a in agencies {
        let id = a.int(0).unwrap_or(0);
        let name = Name {
            region: a
                .str(1)
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            core: a.str(2).to_string(),
            level: agency::Level::Unknown,
        };
        let text = c
            .query(
                "SELECT r.path, s.text FROM reports r JOIN sources s ON s.report_id = r.id \
                 WHERE r.agency_id = $1 ORDER BY r.id DESC LIMIT 1",
                &[id.into()],
            )?
            .first()
            .map(|r| format!("{}\n{}", r.str(0), r.str(1)))
            .unwrap_or_default();
        locate_one(c, id, &name, &text)?;
    }
    Ok(())
}

/// An agency's place, for pages and exports.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub code: Option<String>,
    pub how: Option<Settled>,
    /// Candidate codes while ambiguous.
    pub choices: Vec<String>,
}

impl Place {
    /// `浙江省 宁波市 宁海县 西店镇`, or empty.
    pub fn path(&self) -> String {
        self.code.as_deref().map(path_of).unwrap_or_default()
    }
}

/// The names from province down to `code`, space-separated.
pub fn path_of(code: &str) -> String {
    nianbao_division::all()
        .path(code)
        .iter()
        .map(|d| d.name)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Store {
    pub fn place(&mut self, agency: i64) -> Result<Place, StoreError> {
        let rows = self.conn().query(
            "SELECT division, division_how, division_choices FROM agencies WHERE id = $1",
            &[agency.into()],
        )?;
        let r = rows.first().ok_or_else(|| {
            StoreError::NotFound(format!("没有编号为 {agency} 的机构 (no agency {agency})"))
        })?;
        Ok(Place {
            code: r.text(0).map(str::to_string),
            how: r.text(1).and_then(Settled::parse),
            choices: r.str(2).split_whitespace().map(str::to_string).collect(),
        })
    }

    /// A person decides where an agency sits; later reports do not change it.
    pub fn set_division(&mut self, agency: i64, code: &str) -> Result<(), StoreError> {
        if nianbao_division::all().get(code).is_none() {
            return Err(StoreError::Rejected(format!(
                "没有代码为 {code} 的行政区划 (no division {code})"
            )));
        }
        self.place(agency)?;
        crate::db::transaction(self.conn(), |c| {
            c.exec(
                "UPDATE agencies SET division = $1, division_how = 'person', division_choices = NULL WHERE id = $2",
                &[code.into(), agency.into()],
            )?;
            crate::agencies::touch(c)
        })
    }

    /// What the filters offer: the report years of the corpus (newest first) and the most
    /// common agency regions (as stored, `省/市/县`), most agencies first.
    pub fn facets(&mut self) -> Result<Facets, StoreError> {
        let mut years = Vec::new();
        // One seek in `reports_order` (current, year, …) per year, newest first: a million
        // reports hold a dozen years.
        self.conn().each(
            "WITH RECURSIVE y(v) AS ( \
                SELECT MAX(COALESCE(year, -1)) FROM reports WHERE current = 1 \
                UNION ALL \
                SELECT (SELECT MAX(COALESCE(year, -1)) FROM reports \
                        WHERE current = 1 AND COALESCE(year, -1) < y.v) \
                FROM y WHERE y.v IS NOT NULL) \
             SELECT v FROM y WHERE v IS NOT NULL AND v >= 0",
            &[],
            &mut |r| {
                years.extend(r.int(0));
                Ok(())
            },
        )?;
        let mut regions = Vec::new();
        self.conn().each(
            "SELECT region, COUNT(*) FROM agencies WHERE region <> '' GROUP BY region ORDER BY COUNT(*) DESC, region LIMIT 500",
            &[],
            &mut |r| {
                regions.push(r.str(0).to_string());
                Ok(())
            },
        )?;
        Ok(Facets { years, regions })
    }

    /// How many agencies sit in or under each division code (every level of their path),
    /// for a region tree that shows only where the corpus has agencies.
    pub fn division_counts(
        &mut self,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let mut counts = std::collections::HashMap::new();
        self.conn().each(
            "SELECT division, COUNT(*) FROM agencies WHERE division IS NOT NULL GROUP BY division",
            &[],
            &mut |r| {
                let code = r.str(0);
                let n = r.int(1).unwrap_or(0);
                for len in [2, 4, 6, 9] {
                    if len <= code.len() {
                        *counts.entry(code[..len].to_string()).or_insert(0) += n;
                    }
                }
                Ok(())
            },
        )?;
        Ok(counts)
    }
}

/// The length of the codes one level below a division code (provinces below none).
pub fn below(code: &str) -> usize {
    match code.len() {
        0 | 1 => 2,
        2 | 3 => 4,
        4 | 5 => 6,
        _ => 9,
    }
}

/// The agencies whose division starts with `prefix`, as a filter condition.
pub(crate) fn under(prefix: &str, params: &mut Vec<Value>) -> String {
    params.push(
        format!(
            "{}%",
            prefix
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
        )
        .into(),
    );
    format!("a.division LIKE ${}", params.len())
}

/// The choices the list's and the dashboard's filters offer (see [`Store::facets`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facets {
    pub years: Vec<i64>,
    pub regions: Vec<String>,
}
