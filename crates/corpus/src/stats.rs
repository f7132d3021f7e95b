//! Corpus statistics people ask for, computed in the database (one pass, any corpus size).

use crate::store::Filter;
use crate::{Store, StoreError};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    All,
    Year,
    Region,
    /// The first n digits of the agencies' national division codes (2 province, 4 city,
    /// 6 county, 9 township); groups are `code name`, `未定位` for agencies not located.
    Division(usize),
    Level,
    Template,
}

impl By {
    /// The grouping named in a query or on the command line.
    pub fn parse(s: &str) -> Option<By> {
        Some(match s {
            "all" => By::All,
            "year" => By::Year,
            "region" => By::Region,
            "province" => By::Division(2),
            "city" => By::Division(4),
            "county" => By::Division(6),
            "township" => By::Division(9),
            "level" => By::Level,
            "template" => By::Template,
            _ => return None,
        })
    }
}

/// One group's figures. Shares and rates are fractions (0–1), None when undefined.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub group: String,
    pub reports: i64,
    pub requests_received: f64,
    pub requests_processed: f64,
    pub granted_share: Option<f64>,
    pub partial_share: Option<f64>,
    pub denied_share: Option<f64>,
    pub reviews: f64,
    pub review_corrected_rate: Option<f64>,
    pub suits: f64,
    pub suit_corrected_rate: Option<f64>,
    /// Share of reports whose table identities all hold.
    pub identity_pass_rate: Option<f64>,
    /// Share of reports with a publication date that were published by 31 January.
    pub on_time_rate: Option<f64>,
    /// Share of reports on the format their year prescribes.
    pub template_right_rate: Option<f64>,
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

impl Store {
    pub fn stats(&mut self, by: By, filter: &Filter) -> Result<Vec<Group>, StoreError> {
        let group = match by {
            By::All => "'全部'".to_string(),
            By::Year => "COALESCE(CAST(r.year AS TEXT), '未知')".to_string(),
            By::Region => "COALESCE(NULLIF(a.region, ''), '未知')".to_string(),
            By::Division(n) => format!("COALESCE(SUBSTR(a.division, 1, {}), '未定位')", n.min(9)),
            By::Level => "COALESCE(NULLIF(a.level, ''), '未知')".to_string(),
            By::Template => "r.template".to_string(),
        };
        let (clause, params) = filter.sql();
        // Each report's figures are kept beside it (see `figures`): one row per report here.
        // A report collected from its portal is on time by the date the portal published it
        // (`collect_entries`), else by the date it bears.
        let sql = format!(
            "SELECT {group} AS g, COUNT(*), SUM(x.received), SUM(x.processed), SUM(x.granted), SUM(x.partial), \
             SUM(x.denied), SUM(x.reviews), SUM(x.reviews_corrected), SUM(x.suits), SUM(x.suits_corrected), \
             SUM(x.pass), \
             SUM(CASE WHEN COALESCE(ce.portal, r.published) IS NOT NULL AND r.year IS NOT NULL \
                      AND COALESCE(ce.portal, r.published) <= CAST(r.year + 1 AS TEXT) || '-01-31' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN COALESCE(ce.portal, r.published) IS NOT NULL AND r.year IS NOT NULL THEN 1 ELSE 0 END), \
             SUM(x.tpl) \
             FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id LEFT JOIN figures x ON x.report_id = r.id \
             LEFT JOIN (SELECT report_hash AS h, MIN(published) AS portal FROM collect_entries \
                        WHERE report_hash IS NOT NULL GROUP BY report_hash) ce ON ce.h = r.hash \
             {clause} GROUP BY {group} ORDER BY {group}"
        );
        let rows = self.conn().query(&sql, &params)?;
        let label = |g: &str| match (by, nianbao_division::all().get(g)) {
            (By::Division(_), Some(d)) => format!("{} {}", d.code, d.name),
            _ => g.to_string(),
        };
        Ok(rows
            .iter()
            .map(|r| {
                let f = |i: usize| r.real(i).unwrap_or(0.0);
                let reports = r.int(1).unwrap_or(0);
                Group {
                    group: label(r.str(0)),
                    reports,
                    requests_received: f(2),
                    requests_processed: f(3),
                    granted_share: ratio(f(4), f(3)),
                    partial_share: ratio(f(5), f(3)),
                    denied_share: ratio(f(6), f(3)),
                    reviews: f(7),
                    review_corrected_rate: ratio(f(8), f(7)),
                    suits: f(9),
                    suit_corrected_rate: ratio(f(10), f(9)),
                    identity_pass_rate: ratio(f(11), reports as f64),
                    on_time_rate: ratio(f(12), f(13)),
                    template_right_rate: ratio(f(14), reports as f64),
                }
            })
            .collect())
    }
}

/// Column headers of the stats table, Chinese first.
pub const HEADERS: [&str; 13] = [
    "分组 group",
    "报告数 reports",
    "新收申请 received",
    "办理 processed",
    "予以公开 granted",
    "部分公开 partial",
    "不予公开 denied",
    "行政复议 reviews",
    "复议纠错率 corrected",
    "行政诉讼 suits",
    "诉讼纠错率 corrected",
    "勾稽通过率 identities ok",
    "按时发布率 on time",
];

impl Group {
    /// The row as printed: counts whole, shares as percentages.
    pub fn cells(&self) -> Vec<String> {
        let pct = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0));
        let num = |v: f64| crate::export::fmt_num(v);
        vec![
            self.group.clone(),
            self.reports.to_string(),
            num(self.requests_received),
            num(self.requests_processed),
            pct(self.granted_share),
            pct(self.partial_share),
            pct(self.denied_share),
            num(self.reviews),
            pct(self.review_corrected_rate),
            num(self.suits),
            pct(self.suit_corrected_rate),
            pct(self.identity_pass_rate),
            pct(self.on_time_rate),
        ]
    }
}

/// The stats table as an XLSX workbook (one sheet, the columns of [`HEADERS`]): counts as
/// numbers, shares as numbers shown as percentages (empty where undefined).
pub fn xlsx(groups: &[Group]) -> Result<Vec<u8>, StoreError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| StoreError::Io(format!("XLSX: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("统计").map_err(err)?;
    let bold = Format::new().set_bold();
    let share = Format::new().set_num_format("0.0%");
    for (i, h) in HEADERS.iter().enumerate() {
        sheet
            .write_string_with_format(0, i as u16, *h, &bold)
            .map_err(err)?;
    }
    for (r, g) in groups.iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_string(row, 0, &g.group).map_err(err)?;
        let counts = [
            (1, g.reports as f64),
            (2, g.requests_received),
            (3, g.requests_processed),
            (7, g.reviews),
            (9, g.suits),
        ];
        for (col, v) in counts {
            sheet.write_number(row, col, v).map_err(err)?;
        }
        let shares = [
            (4, g.granted_share),
            (5, g.partial_share),
            (6, g.denied_share),
            (8, g.review_corrected_rate),
            (10, g.suit_corrected_rate),
            (11, g.identity_pass_rate),
            (12, g.on_time_rate),
        ];
        for (col, v) in shares {
            if let Some(v) = v {
                sheet
                    .write_number_with_format(row, col, v, &share)
                    .map_err(err)?;
            }
        }
    }
    sheet.set_column_width(0, 24).map_err(err)?;
    book.save_to_buffer().map_err(err)
}
