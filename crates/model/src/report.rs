//! The report: metadata, narrative sections, table cells with evidence, claims the prose makes.

use crate::{keys_for, Cell, Cells, Evidence, Finding, Num, Template};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

/// A calendar date as printed in a report (no time zone; reports give days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=days).contains(&day) && (1900..=2200).contains(&year)).then_some(Date {
            year,
            month,
            day,
        })
    }
}

impl Date {
    /// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil-date algorithm).
    pub fn days(self) -> i64 {
        let (y, m) = if self.month <= 2 {
            (self.year as i64 - 1, self.month as i64 + 9)
        } else {
            (self.year as i64, self.month as i64 - 3)
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * m + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `z` days after 1970-01-01.
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Date, String> {
        let mut it = s.split('-').map(|p| p.parse::<i64>().ok());
        match (
            it.next().flatten(),
            it.next().flatten(),
            it.next().flatten(),
            it.next(),
        ) {
            (Some(y), Some(m), Some(d), None) => {
                Date::new(y as i32, m as u32, d as u32).ok_or_else(|| format!("not a date: {s}"))
            }
            _ => Err(format!("not a YYYY-MM-DD date: {s}")),
        }
    }
}

/// A statutory section found in the text (一 … 六).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// 1–6: the section of the official format this heading stands for.
    pub number: u8,
    /// The heading as printed.
    pub title: String,
    pub text: String,
}

/// An item of a table that has no canonical key (a local addition), kept with its label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtraItem {
    pub label: String,
    pub value: Option<Num>,
    pub evidence: Evidence,
}

/// What the narrative states about the figures, so checks can compare it with the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// "收到政府信息公开申请21件": the number of requests received.
    RequestsReceived,
    /// "未收到政府信息公开申请": no requests received.
    NoRequests,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub kind: ClaimKind,
    pub value: Option<i64>,
    pub evidence: Evidence,
}

/// One annual report as nianbao understands it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ReportIn")]
pub struct Report {
    pub file: Option<String>,
    pub title: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub template: Template,
    pub published: Option<Date>,
    pub sections: Vec<Section>,
    /// Every canonical key of `template`, blank cells included.
    pub cells: Cells,
    pub extra_items: Vec<ExtraItem>,
    pub claims: Vec<Claim>,
    /// Which statistical tables were found in the source (二, 三, 四; legacy: the one table).
    pub tables: Vec<String>,
    /// What the extractor was unsure about.
    pub doubts: Vec<Finding>,
}

impl Report {
    /// An empty report of a template: every key present, every cell blank.
    pub fn new(template: Template) -> Report {
        Report {
            file: None,
            title: None,
            agency: None,
            year: None,
            template,
            published: None,
            sections: Vec::new(),
            cells: Cells::new(template),
            extra_items: Vec::new(),
            claims: Vec::new(),
            tables: Vec::new(),
            doubts: Vec::new(),
        }
    }

    pub fn value(&self, key: &str) -> Option<Num> {
        self.cells.get(key).and_then(|c| c.value)
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        self.cells.get(key).and_then(Cell::int)
    }

    /// Sets a value without evidence (data entered by hand or generated); false (nothing
    /// set) when the template has no such key.
    pub fn set(&mut self, key: &str, value: Option<Num>) -> bool {
        match self.cells.get_mut(key) {
            Some(c) => {
                c.value = value;
                true
            }
            None => false,
        }
    }

    /// The values in canonical key order, as `nianbao extract` prints them.
    pub fn values_in_order(&self) -> Vec<(&'static str, Option<Num>)> {
        keys_for(self.template)
            .iter()
            .map(|k| (*k, self.value(k)))
            .collect()
    }

    /// Lowers the confidence of every piece of evidence by a factor (values read by OCR).
    /// Multiplies every evidence's confidence by the reading's confidence at its offset
    /// (the OCR engine's for a cell read from an image, the source's elsewhere).
    pub fn scale_confidence_at(&mut self, at: impl Fn(usize) -> f32) {
        let evidence = self.cells.values_mut().filter_map(|c| c.evidence.as_mut());
        let extra = self.extra_items.iter_mut().map(|e| &mut e.evidence);
        let claims = self.claims.iter_mut().map(|c| &mut c.evidence);
        for e in evidence.chain(extra).chain(claims) {
            e.confidence *= at(e.offset).min(1.0);
        }
    }

    /// Sets where each piece of evidence is in the file as published, from its offset in
    /// the derived text.
    pub fn locate(&mut self, at: impl Fn(usize) -> Option<crate::Place>) {
        let evidence = self.cells.values_mut().filter_map(|c| c.evidence.as_mut());
        let extra = self.extra_items.iter_mut().map(|e| &mut e.evidence);
        for e in evidence.chain(extra) {
            e.place = at(e.offset);
        }
    }

    pub fn has_table(&self, name: &str) -> bool {
        self.tables.iter().any(|t| t == name)
    }
}

/// A report as JSON has it: cells as a map, checked against the template when converted.
#[derive(Deserialize)]
struct ReportIn {
    file: Option<String>,
    title: Option<String>,
    agency: Option<String>,
    year: Option<i32>,
    template: Template,
    published: Option<Date>,
    sections: Vec<Section>,
    cells: BTreeMap<String, Cell>,
    extra_items: Vec<ExtraItem>,
    claims: Vec<Claim>,
    tables: Vec<String>,
    doubts: Vec<Finding>,
}

impl TryFrom<ReportIn> for Report {
    type Error = String;
    fn try_from(r: ReportIn) -> Result<Report, String> {
        let mut cells = Cells::new(r.template);
        for (key, cell) in r.cells {
            if !cells.set(&key, cell) {
                return Err(format!(
                    "模板 {} 没有单元格 {key} (no cell {key} in template {})",
                    r.template, r.template
                ));
            }
        }
        Ok(Report {
            file: r.file,
            title: r.title,
            agency: r.agency,
            year: r.year,
            template: r.template,
            published: r.published,
            sections: r.sections,
            cells,
            extra_items: r.extra_items,
            claims: r.claims,
            tables: r.tables,
            doubts: r.doubts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_report_has_every_key_blank() {
        let r = Report::new(Template::Y2021);
        assert_eq!(r.cells.len(), 200);
        assert!(r.cells.values().all(|c| c.value.is_none()));
        assert_eq!(r.values_in_order()[0].0, "t2.regulation.issued");
    }

    #[test]
    fn dates_validate_and_round_trip() {
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        let d = Date::new(2020, 1, 6).unwrap();
        assert_eq!(d.to_string(), "2020-01-06");
        let back: Date = serde_json::from_str("\"2020-01-06\"").unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn numbers_serialize_as_json_numbers() {
        assert_eq!(serde_json::to_string(&Num::Int(21)).unwrap(), "21");
        assert_eq!(
            serde_json::to_string(&Num::Dec(12.360414)).unwrap(),
            "12.360414"
        );
        assert_eq!(Num::Dec(3.0).as_int(), Some(3));
        assert_eq!(Num::Dec(3.5).as_int(), None);
    }
}
