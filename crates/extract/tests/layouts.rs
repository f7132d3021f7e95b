//! Table text as PDF readers lay it out, taken from real reports: rows of blank cells
//! between rows with values, group numbers on lines of their own, signs set apart.

fn value(r: &nianbao_model::Report, key: &str) -> Option<i64> {
    r.int(key)
}

/// Text nianbao reads from a Chromium PDF: `2.申请人逾期未按收费通知…` has only blank
/// cells, so the values after `3.其他` are that row's alone.
#[test]
fn a_run_after_rows_of_blanks_belongs_to_the_last_item() {
    let r = nianbao_extract::extract(include_str!("fixtures/chromium-blank-rows.txt"));
    assert_eq!(value(&r, "t3.other.other.natural"), Some(1));
    assert_eq!(value(&r, "t3.other.other.total"), Some(1));
    assert_eq!(value(&r, "t3.other.no_fee.natural"), None);
    assert_eq!(value(&r, "t3.other.no_fee.total"), None);
}

/// `pdftotext -layout`: `（五）` alone on the line before the run of `3.要求提供公开出版物`.
#[test]
fn a_group_number_on_its_own_line_is_no_label() {
    let r = nianbao_extract::extract(include_str!("fixtures/layout-group-number.txt"));
    for col in ["natural", "commercial", "total"] {
        assert_eq!(
            value(&r, &format!("t3.not_processed.publication.{col}")),
            Some(0),
            "{col}"
        );
    }
}
