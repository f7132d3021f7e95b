//! A borderless table prints blank cells as nothing, so a row's values do not say which
//! columns they are in. The identities choose where they settle it; the values' places
//! on the page choose where they do not; what stays open is reported.

use nianbao_extract::t3_rows;
use nianbao_model::{Place, Report, Template};

/// Table 三 (2021) with only the printed values of the rows given, as
/// `(row key, [(column, value)])`, and each value's place: column c at x = 300 + 30c.
fn table(rows: &[(&str, &[(usize, i64)])]) -> (String, Vec<(usize, Place)>) {
    let mut text = String::from(
        "某县人民政府2024年政府信息公开工作年度报告\n\
         三、收到和处理政府信息公开申请情况\n",
    );
    let mut places = Vec::new();
    for spec in t3_rows(Template::Y2021) {
        text.push_str(spec.labels()[0]);
        if let Some((_, vals)) = rows.iter().find(|r| r.0 == spec.key()) {
            for &(c, v) in vals.iter() {
                text.push('\t');
                let x = 300.0 + 30.0 * c as f64;
                let at = Place::Page {
                    page: 1,
                    x0: x - 5.0,
                    y0: 0.0,
                    x1: x + 5.0,
                    y1: 10.0,
                };
                places.push((text.len(), at));
                text.push_str(&v.to_string());
            }
        }
        text.push('\n');
    }
    text.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
    (text, places)
}

/// 14 requests from people, 2 from companies; one 过程性信息 refusal to a person and one
/// 其他 to a company, each printed as `2  2` (the value and the row's total).
fn two_rows_that_can_swap() -> (String, Vec<(usize, Place)>) {
    table(&[
        ("t3.received", &[(0, 14), (1, 2), (6, 16)]),
        ("t3.granted", &[(0, 12), (6, 12)]),
        ("t3.denied.process", &[(0, 2), (6, 2)]),
        ("t3.other.other", &[(1, 2), (6, 2)]),
        ("t3.processed", &[(0, 14), (1, 2), (6, 16)]),
    ])
}

fn get(r: &Report, key: &str) -> Option<i64> {
    r.int(key)
}

fn doubts<'r>(r: &'r Report, rule: &str) -> Vec<&'r str> {
    r.doubts
        .iter()
        .filter(|f| f.rule == rule)
        .flat_map(|f| f.cells.iter().map(String::as_str))
        .collect()
}

#[test]
fn places_on_the_page_put_values_in_the_columns_they_stand_under() {
    let (text, places) = two_rows_that_can_swap();
    let at = |o: usize| places.iter().find(|p| p.0 == o).map(|p| p.1);
    let r = nianbao_extract::extract_placed(&text, &at);
    assert_eq!(get(&r, "t3.denied.process.natural"), Some(2));
    assert_eq!(get(&r, "t3.denied.process.commercial"), None);
    assert_eq!(get(&r, "t3.other.other.natural"), None);
    assert_eq!(get(&r, "t3.other.other.commercial"), Some(2));
    assert_eq!(get(&r, "t3.received.commercial"), Some(2));
    assert_eq!(get(&r, "t3.received.total"), Some(16));
}

#[test]
fn without_places_the_identities_choose_and_the_doubt_names_both_rows() {
    let (text, _) = two_rows_that_can_swap();
    let r = nianbao_extract::extract(&text);
    // Either way the identities hold: exactly one of the two rows has the company's 2.
    let process = get(&r, "t3.denied.process.commercial");
    let other = get(&r, "t3.other.other.commercial");
    assert_eq!(
        [process, other].iter().filter(|v| **v == Some(2)).count(),
        1,
        "{process:?} {other:?}"
    );
    let cells = doubts(&r, "extract.ambiguous_placement");
    assert!(cells.contains(&"t3.denied.process.natural"), "{cells:?}");
    assert!(cells.contains(&"t3.other.other.commercial"), "{cells:?}");
    // Every row could move right together (no column of the text says where 自然人 is):
    // the values stay from the left, and those rows are in doubt too.
    assert_eq!(get(&r, "t3.granted.natural"), Some(12));
    assert!(cells.contains(&"t3.granted.research"), "{cells:?}");
}

#[test]
fn a_value_alone_in_its_column_goes_where_its_neighbours_space_the_columns() {
    // `1  1  2` in every row: a person and a legal-services body (column 4). Any column
    // for the second 1 keeps the identities, if every row moves it alike; its place, at
    // four sixths of the way from the first column to the total, settles it.
    let (text, places) = table(&[
        ("t3.received", &[(0, 1), (4, 1), (6, 2)]),
        ("t3.unavailable.not_held", &[(0, 1), (4, 1), (6, 2)]),
        ("t3.processed", &[(0, 1), (4, 1), (6, 2)]),
    ]);
    let at = |o: usize| places.iter().find(|p| p.0 == o).map(|p| p.1);
    let r = nianbao_extract::extract_placed(&text, &at);
    for row in ["received", "unavailable.not_held", "processed"] {
        assert_eq!(get(&r, &format!("t3.{row}.natural")), Some(1), "{row}");
        assert_eq!(get(&r, &format!("t3.{row}.commercial")), None, "{row}");
        assert_eq!(get(&r, &format!("t3.{row}.legal")), Some(1), "{row}");
        assert_eq!(get(&r, &format!("t3.{row}.total")), Some(2), "{row}");
    }
    // Without places: from the left, and in doubt.
    let r = nianbao_extract::extract(&text);
    assert_eq!(get(&r, "t3.received.commercial"), Some(1));
    assert!(doubts(&r, "extract.ambiguous_placement").contains(&"t3.received.legal"));
}
