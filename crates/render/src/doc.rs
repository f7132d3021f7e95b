//! The report as a document: title, headings, paragraphs and the statistical tables with
//! their merged cells exactly as the official template draws them. Every output format
//! (HTML, DOCX) and the synthetic page writers walk this one model.

use crate::legacy::LEGACY_ROWS;
use nianbao_model::{Num, Report, Template, COLUMNS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A printed header or row label.
    Label,
    /// A number cell of the template.
    Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
    pub role: Role,
    /// The canonical key of a value cell.
    pub key: Option<String>,
    pub value: Option<Num>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// The first row of a 第二十条 item in table 二 (where pages that split the table
    /// into one table per item start a new one).
    pub item_start: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Relative column widths (one per grid column).
    pub widths: Vec<u32>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    Para(String),
    /// A line set flush left: the addressee of a letter (主送机关).
    Address(String),
    Table(Table),
    /// Agency and date at the foot, right-aligned.
    Signature(Vec<String>),
    /// A chart (PNG) centred, its caption under it.
    Figure(crate::chart::Chart, String),
}

impl Row {
    /// Row labels (a label cell one row high in a row of values) are set flush left;
    /// headers and labels spanning several rows are centred.
    pub fn flush_left(&self, c: &Cell) -> bool {
        c.role == Role::Label && c.rowspan == 1 && self.cells.iter().any(|x| x.role == Role::Value)
    }
}

fn label(text: &str, rowspan: usize, colspan: usize) -> Cell {
    Cell {
        text: text.to_string(),
        rowspan,
        colspan,
        role: Role::Label,
        key: None,
        value: None,
    }
}

fn value(r: &Report, key: String, colspan: usize) -> Cell {
    let v = r.value(&key);
    Cell {
        text: v.map(|n| n.to_string()).unwrap_or_default(),
        rowspan: 1,
        colspan,
        role: Role::Value,
        key: Some(key),
        value: v,
    }
}

fn row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        item_start: false,
    }
}

/// The 第二十条 items of table 二: (item, column heads, rows of (label, key, columns)).
type Item = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str, &'static [&'static str])],
);

const T2_2021: &[Item] = &[
    (
        "一",
        &["本年制发件数", "本年废止件数", "现行有效件数"],
        &[
            ("规章", "t2.regulation", &["issued", "repealed", "in_force"]),
            (
                "行政规范性文件",
                "t2.normative",
                &["issued", "repealed", "in_force"],
            ),
        ],
    ),
    (
        "五",
        &["本年处理决定数量"],
        &[("行政许可", "t2.license", &["decisions"])],
    ),
    (
        "六",
        &["本年处理决定数量"],
        &[
            ("行政处罚", "t2.penalty", &["decisions"]),
            ("行政强制", "t2.coercion", &["decisions"]),
        ],
    ),
    (
        "八",
        &["本年收费金额（单位：万元）"],
        &[("行政事业性收费", "t2.fee", &["amount_wan"])],
    ),
];

const T2_2019: &[Item] = &[
    (
        "一",
        &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        &[
            ("规章", "t2.regulation", &["made", "published", "total"]),
            (
                "规范性文件",
                "t2.normative",
                &["made", "published", "total"],
            ),
        ],
    ),
    (
        "五",
        &["上一年项目数量", "本年增/减", "处理决定数量"],
        &[
            ("行政许可", "t2.license", &["prev", "delta", "decisions"]),
            (
                "其他对外管理服务事项",
                "t2.other_service",
                &["prev", "delta", "decisions"],
            ),
        ],
    ),
    (
        "六",
        &["上一年项目数量", "本年增/减", "处理决定数量"],
        &[
            ("行政处罚", "t2.penalty", &["prev", "delta", "decisions"]),
            ("行政强制", "t2.coercion", &["prev", "delta", "decisions"]),
        ],
    ),
    (
        "八",
        &["上一年项目数量", "本年增/减"],
        &[("行政事业性收费", "t2.fee", &["prev", "delta"])],
    ),
    (
        "九",
        &["采购项目数量", "采购总金额（单位：万元）"],
        &[("政府集中采购", "t2.procurement", &["count", "amount_wan"])],
    ),
];

/// Table 二: four columns; an item with fewer columns widens its last one.
pub fn t2(r: &Report) -> Table {
    let items = if r.template == Template::Y2021 {
        T2_2021
    } else {
        T2_2019
    };
    let mut rows = Vec::new();
    for (item, heads, lines) in items {
        let mut first = row(vec![label(&format!("第二十条第（{item}）项"), 1, 4)]);
        first.item_start = true;
        rows.push(first);
        let last = heads.len() - 1;
        let mut head = vec![label("信息内容", 1, 1)];
        for (i, h) in heads.iter().enumerate() {
            head.push(label(h, 1, if i == last { 4 - heads.len() } else { 1 }));
        }
        rows.push(row(head));
        for (name, key, cols) in lines.iter() {
            let mut cells = vec![label(name, 1, 1)];
            for (i, c) in cols.iter().enumerate() {
                cells.push(value(
                    r,
                    format!("{key}.{c}"),
                    if i == last { 4 - cols.len() } else { 1 },
                ));
            }
            rows.push(row(cells));
        }
    }
    Table {
        widths: vec![31, 23, 23, 23],
        rows,
    }
}

/// Rows of table 三's result block: (group, [(sub-label, key)]); an empty sub-label means
/// the group label spans both label columns.
fn t3_groups(y2021: bool) -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        ("（一）予以公开", vec![("", "t3.granted")]),
        (
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            vec![("", "t3.partial")],
        ),
        (
            "（三）不予公开",
            vec![
                ("1.属于国家秘密", "t3.denied.secret"),
                ("2.其他法律行政法规禁止公开", "t3.denied.prohibited"),
                ("3.危及“三安全一稳定”", "t3.denied.safety"),
                ("4.保护第三方合法权益", "t3.denied.third_party"),
                ("5.属于三类内部事务信息", "t3.denied.internal"),
                ("6.属于四类过程性信息", "t3.denied.process"),
                ("7.属于行政执法案卷", "t3.denied.enforcement"),
                ("8.属于行政查询事项", "t3.denied.inquiry"),
            ],
        ),
        (
            "（四）无法提供",
            vec![
                ("1.本机关不掌握相关政府信息", "t3.unavailable.not_held"),
                (
                    "2.没有现成信息需要另行制作",
                    "t3.unavailable.needs_creation",
                ),
                ("3.补正后申请内容仍不明确", "t3.unavailable.unclear"),
            ],
        ),
        (
            "（五）不予处理",
            vec![
                ("1.信访举报投诉类申请", "t3.not_processed.petition"),
                ("2.重复申请", "t3.not_processed.repeat"),
                ("3.要求提供公开出版物", "t3.not_processed.publication"),
                ("4.无正当理由大量反复申请", "t3.not_processed.excessive"),
                (
                    "5.要求行政机关确认或重新出具已获取信息",
                    "t3.not_processed.confirm",
                ),
            ],
        ),
        (
            "（六）其他处理",
            if y2021 {
                vec![
                    (
                        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                        "t3.other.no_correction",
                    ),
                    (
                        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                        "t3.other.no_fee",
                    ),
                    ("3.其他", "t3.other.other"),
                ]
            } else {
                vec![("", "t3.other")]
            },
        ),
        ("（七）总计", vec![("", "t3.processed")]),
    ]
}

fn t3_values(r: &Report, key: &str, cells: &mut Vec<Cell>) {
    for c in COLUMNS {
        cells.push(value(r, format!("{key}.{c}"), 1));
    }
}

/// Table 三: three label columns, seven applicant-type columns.
pub fn t3(r: &Report) -> Table {
    let mut rows = vec![
        row(vec![
            label(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                3,
                3,
            ),
            label("申请人情况", 1, 7),
        ]),
        row(vec![
            label("自然人", 2, 1),
            label("法人或其他组织", 1, 5),
            label("总计", 2, 1),
        ]),
        row([
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
        ]
        .iter()
        .map(|h| label(h, 1, 1))
        .collect()),
    ];
    for (text, key) in [
        ("一、本年新收政府信息公开申请数量", "t3.received"),
        ("二、上年结转政府信息公开申请数量", "t3.carried_in"),
    ] {
        let mut cells = vec![label(text, 1, 3)];
        t3_values(r, key, &mut cells);
        rows.push(row(cells));
    }
    let groups = t3_groups(r.template == Template::Y2021);
    let span: usize = groups.iter().map(|g| g.1.len()).sum();
    let mut first = true;
    for (group, lines) in &groups {
        for (i, (sub, key)) in lines.iter().enumerate() {
            let mut cells = Vec::new();
            if first {
                cells.push(label("三、本年度办理结果", span, 1));
                first = false;
            }
            if sub.is_empty() {
                cells.push(label(group, 1, 2));
            } else {
                if i == 0 {
                    cells.push(label(group, lines.len(), 1));
                }
                cells.push(label(sub, 1, 1));
            }
            t3_values(r, key, &mut cells);
            rows.push(row(cells));
        }
    }
    let mut cells = vec![label("四、结转下年度继续办理", 1, 3)];
    t3_values(r, "t3.carried_over", &mut cells);
    rows.push(row(cells));
    let mut widths = vec![9, 11, 24];
    widths.extend([8; 7]);
    Table { widths, rows }
}

/// Table 四: 行政复议 (5 columns), 行政诉讼 split into 未经复议直接起诉 and 复议后起诉.
pub fn t4(r: &Report) -> Table {
    let results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut heads = Vec::new();
    for h in results {
        heads.push(label(h, 2, 1));
    }
    heads.push(label("未经复议直接起诉", 1, 5));
    heads.push(label("复议后起诉", 1, 5));
    let mut values = Vec::new();
    for g in ["review", "suit_direct", "suit_after_review"] {
        for k in ["upheld", "corrected", "other", "pending", "total"] {
            values.push(value(r, format!("t4.{g}.{k}"), 1));
        }
    }
    Table {
        widths: vec![1; 15],
        rows: vec![
            row(vec![label("行政复议", 1, 5), label("行政诉讼", 1, 10)]),
            row(heads),
            row(results
                .iter()
                .chain(&results)
                .map(|h| label(h, 1, 1))
                .collect()),
            row(values),
        ],
    }
}

/// The national statistics form (reports up to 2018).
pub fn legacy(r: &Report) -> Table {
    let mut rows = vec![row(vec![
        label("统计指标", 1, 1),
        label("单位", 1, 1),
        label("统计数", 1, 1),
    ])];
    for (text, unit, key) in LEGACY_ROWS {
        let last = if key.is_empty() {
            label("", 1, 1)
        } else {
            value(r, key.to_string(), 1)
        };
        rows.push(row(vec![label(text, 1, 1), label(unit, 1, 1), last]));
    }
    Table {
        widths: vec![66, 12, 22],
        rows,
    }
}

/// The statutory section headings (kept in the model crate, used by `check` too).
pub use nianbao_model::SECTION_HEADINGS as HEADINGS;

/// Where a section's prose stops and its table (as text copied from the source) begins.
fn is_table_text(line: &str) -> bool {
    let t = line.trim_start();
    line.contains('\t')
        || ["第二十条", "信息内容", "行政复议", "（本列", "(本列", "|"]
            .iter()
            .any(|p| t.starts_with(p))
}

/// The paragraphs of a section's text, without Markdown heading marks; in sections
/// 二–四 only the prose before the table (the table is drawn from the cells).
fn paragraphs(text: &str, stop_at_table: bool) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        if stop_at_table && is_table_text(line) {
            break;
        }
        let p = line.trim().trim_start_matches('#').trim();
        if !p.is_empty() {
            out.push(p.to_string());
        }
    }
    out
}

/// The title as the report prints it, or the standard one.
pub fn title(r: &Report) -> String {
    if let Some(t) = r.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return t.trim().to_string();
    }
    let agency = r.agency.as_deref().unwrap_or("");
    match r.year {
        Some(y) => format!("{agency}{y}年政府信息公开工作年度报告"),
        None => format!("{agency}政府信息公开工作年度报告"),
    }
}

fn signature(r: &Report) -> Vec<String> {
    let mut lines: Vec<String> = r.agency.iter().cloned().collect();
    if let Some(d) = r.published {
        lines.push(format!("{}年{}月{}日", d.year, d.month, d.day));
    }
    lines
}

/// The whole report in the layout of its template.
pub fn document(r: &Report) -> Vec<Block> {
    let mut out = vec![Block::Title(title(r))];
    if r.template == Template::Legacy {
        for s in &r.sections {
            out.push(Block::Heading(s.title.clone()));
            out.extend(paragraphs(&s.text, true).into_iter().map(Block::Para));
        }
        out.push(Block::Heading("附件：政府信息公开情况统计表".into()));
        out.push(Block::Table(legacy(r)));
    } else {
        for (i, heading) in HEADINGS.iter().enumerate() {
            let n = i as u8 + 1;
            out.push(Block::Heading(heading.to_string()));
            if let Some(s) = r.sections.iter().find(|s| s.number == n) {
                let prose = paragraphs(&s.text, (2..=4).contains(&n));
                out.extend(prose.into_iter().map(Block::Para));
            }
            match n {
                2 => out.push(Block::Table(t2(r))),
                3 => out.push(Block::Table(t3(r))),
                4 => out.push(Block::Table(t4(r))),
                _ => {}
            }
        }
    }
    let sig = signature(r);
    if !sig.is_empty() {
        out.push(Block::Signature(sig));
    }
    out
}

/// Every slot of a table's grid: which cell covers it and whether it is that cell's
/// top-left corner. DOCX needs this to write vertically merged continuation cells.
pub fn grid(t: &Table) -> Vec<Vec<Option<(usize, usize, bool)>>> {
    let ncols = t.widths.len();
    let mut g = vec![vec![None; ncols]; t.rows.len()];
    for (ri, row) in t.rows.iter().enumerate() {
        let mut col = 0;
        for (ci, cell) in row.cells.iter().enumerate() {
            while col < ncols && g[ri][col].is_some() {
                col += 1;
            }
            for dr in 0..cell.rowspan {
                for dc in 0..cell.colspan {
                    if let Some(slot) = g.get_mut(ri + dr).and_then(|r| r.get_mut(col + dc)) {
                        *slot = Some((ri, ci, dr == 0 && dc == 0));
                    }
                }
            }
            col += cell.colspan;
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(t: &Table) -> bool {
        grid(t).iter().all(|r| r.iter().all(Option::is_some))
    }

    #[test]
    fn every_table_fills_its_grid_exactly() {
        for template in [Template::Y2019, Template::Y2021, Template::Legacy] {
            let r = Report::new(template);
            let tables = match template {
                Template::Legacy => vec![legacy(&r)],
                _ => vec![t2(&r), t3(&r), t4(&r)],
            };
            for t in &tables {
                assert!(full(t), "{template:?}: a grid slot is not covered");
                for row in &t.rows {
                    let covered: usize = row.cells.iter().map(|c| c.colspan).sum();
                    assert!(covered <= t.widths.len());
                }
            }
        }
    }

    #[test]
    fn every_key_of_the_template_has_one_value_cell() {
        for template in [Template::Y2019, Template::Y2021, Template::Legacy] {
            let r = Report::new(template);
            let doc = document(&r);
            let mut keys: Vec<String> = doc
                .iter()
                .filter_map(|b| match b {
                    Block::Table(t) => Some(t),
                    _ => None,
                })
                .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter()))
                .filter_map(|c| c.key.clone())
                .collect();
            keys.sort();
            let mut expected: Vec<String> = r.cells.keys().cloned().collect();
            expected.sort();
            assert_eq!(keys, expected, "{template:?}");
        }
    }

    #[test]
    fn section_prose_stops_where_the_copied_table_starts() {
        let text =
            "本年度主动公开信息120条。\n\n第二十条第（一）项\n信息内容\t本年制发件数\n规章\t0";
        assert_eq!(paragraphs(text, true), vec!["本年度主动公开信息120条。"]);
        assert_eq!(
            paragraphs("### 改进措施\n\n1.加强学习。", false),
            vec!["改进措施", "1.加强学习。"]
        );
    }
}
