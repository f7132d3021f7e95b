//! Table text as PDF readers lay it out, taken from real reports: rows of blank cells
//! between rows with values, group numbers on lines of their own, signs set apart.

use nianbao_model::COLUMNS;

fn value(r: &nianbao_model::Report, key: &str) -> Option<i64> {
    r.int(key)
}

/// Table 四's fifteen cells in the template's order.
fn table_four(r: &nianbao_model::Report) -> Vec<Option<i64>> {
    ["review", "suit_direct", "suit_after_review"]
        .iter()
        .flat_map(|row| {
            ["upheld", "corrected", "other", "pending", "total"]
                .map(|col| value(r, &format!("t4.{row}.{col}")))
        })
        .collect()
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

/// A sentence with numbers right under heading 四 (`本年度发生行政诉讼1件，行政复议3件。`,
/// a common phrasing) is prose: the table's fifteen cells come from the table.
#[test]
fn a_sentence_with_numbers_under_heading_four_is_not_the_table() {
    let text = "四、政府信息公开行政复议、行政诉讼情况\n\
        本年度发生行政诉讼1件，行政复议3件。\n\
        行政复议\t\t\t\t\t行政诉讼\n\
        结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n\
        \t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n\
        2\t1\t0\t0\t3\t0\t1\t0\t0\t1\t0\t0\t0\t0\t0\n\
        五、存在的主要问题及改进情况\n";
    let r = nianbao_extract::extract(text);
    let got = table_four(&r);
    let want = [2, 1, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0].map(Some);
    assert_eq!(got, want);
}

/// One cell per line (a real report flattened by scramble.py, seed 62): an empty line between two values of
/// `1.本机关不掌握相关政府信息` is its blank 商业企业 cell; the `无` after the row is a piece of
/// the vertical group label `（四）无法提供`. The other reading is named in a finding.
#[test]
fn an_empty_line_between_values_is_a_blank_cell() {
    let r = nianbao_extract::extract(include_str!("fixtures/onecell-blank-line.txt"));
    let got: Vec<Option<i64>> = COLUMNS
        .iter()
        .map(|c| value(&r, &format!("t3.unavailable.not_held.{c}")))
        .collect();
    assert_eq!(
        got,
        [Some(0), None, Some(0), Some(0), Some(0), Some(0), Some(0)]
    );
    assert!(r.doubts.iter().any(|f| f
        .cells
        .iter()
        .any(|c| c == "t3.unavailable.not_held.commercial")));
}

/// One cell per line (scramble.py seed 110): a small table printed after table 三 (`表：申请方式统计`, its own heads and row `件数`) does
/// not fill the blank row `四、结转下年度继续办理` before it.
#[test]
fn a_table_after_the_last_row_is_not_its_values() {
    let r = nianbao_extract::extract(include_str!("fixtures/onecell-decoy-after.txt"));
    for c in COLUMNS {
        assert_eq!(value(&r, &format!("t3.carried_over.{c}")), None, "{c}");
    }
    assert_eq!(value(&r, "t3.processed.total"), Some(9));
}

/// Tab-separated with wrapped labels (scramble.py seed 40): `1.本机关不掌握相关政府信` /
/// `（四）无法提供 息 4 … 4` / `2、没` … `有现成信息需要另行制作`. The values end the first row's
/// label; the group label before them, found only with an edit over `息`, is not the second's.
#[test]
fn values_after_a_group_label_with_an_edit_stay_with_the_row_before() {
    let r = nianbao_extract::extract(include_str!("fixtures/group-label-before-values.txt"));
    assert_eq!(value(&r, "t3.unavailable.not_held.natural"), Some(4));
    assert_eq!(value(&r, "t3.unavailable.not_held.total"), Some(4));
    assert_eq!(value(&r, "t3.unavailable.needs_creation.natural"), None);
    assert_eq!(value(&r, "t3.unavailable.needs_creation.total"), None);
}

/// Table 二 as separate HTML tables with labels between them (scramble.py seed 50): the
/// lines between a label and the next `<table>` are markup's spacing, not blank cells of
/// `行政规范性文件`, whose values stand in the table before it.
#[test]
fn markup_spacing_is_no_blank_cell() {
    let r = nianbao_extract::extract(include_str!("fixtures/html-spacing-lines.txt"));
    for (col, want) in [
        ("issued", Some(11)),
        ("repealed", Some(4)),
        ("in_force", Some(251)),
    ] {
        assert_eq!(value(&r, &format!("t2.normative.{col}")), want, "{col}");
        assert_eq!(value(&r, &format!("t2.regulation.{col}")), None, "{col}");
    }
}

/// Labels `行政处罚` / `行政强制` printed before their two value rows, an HTML table (scramble.py
/// seed 9), with a running head and an empty line before them: the empty line is no blank cell
/// of 行政处罚, whose 37 is the first value row's.
#[test]
fn an_empty_line_before_a_label_is_not_its_blank_row() {
    let r = nianbao_extract::extract(include_str!("fixtures/labels-before-values-html.txt"));
    assert_eq!(value(&r, "t2.penalty.decisions"), Some(37));
    assert_eq!(value(&r, "t2.coercion.decisions"), None);
}

/// pdfminer.six keeps each column of table 四 (its heads and its value) together, so the
/// litigation values come one after each head, the heads broken where the cell wraps.
#[test]
fn values_between_their_column_heads_are_one_row() {
    let mut text = String::from(
        "四、政府信息公开行政复议、行政诉讼情况\n\n行政复议\n\n结果\n维持\n\n结果\n纠正\n\n\
         其他\n结果\n\n尚未\n审结\n\n总计\n\n2\n\n1\n\n0\n\n0\n\n3\n\n行政诉讼\n\n",
    );
    for (group, values) in [
        ("未经复议直接起诉", [0, 1, 0, 0, 1]),
        ("复议后起诉", [1, 0, 0, 1, 2]),
    ] {
        text.push_str(&format!("{group}\n\n"));
        for (head, v) in [
            "结果\n维持",
            "结果\n纠正",
            "其他\n结果",
            "尚未\n审结",
            "总计",
        ]
        .iter()
        .zip(values)
        {
            text.push_str(&format!("{head}\n\n{v}\n\n"));
        }
    }
    text.push_str("五、存在的主要问题及改进情况\n无。\n");
    let r = nianbao_extract::extract(&text);
    let got = table_four(&r);
    let want = [2, 1, 0, 0, 3, 0, 1, 0, 0, 1, 1, 0, 0, 1, 2];
    assert_eq!(got, want.map(Some));
    assert!(r.doubts.is_empty(), "{:?}", r.doubts);
}

/// pdfminer.six writes table 二's label column, then its head, then the values as one run:
/// whether they go row by row or column by column the text does not say. Read row by row,
/// each row whose column-by-column reading differs names it.
#[test]
fn a_block_of_values_after_all_their_labels_names_the_other_order() {
    let text =
        "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\n行政许可\n其他对外管理服务事项\n\
        上一年项目数量\n本年增/减\n处理决定数量\n73\n79\n0\n0\n21538\n17357\n\
        三、收到和处理政府信息公开申请情况\n";
    let r = nianbao_extract::extract(text);
    assert_eq!(value(&r, "t2.license.prev"), Some(73));
    assert_eq!(value(&r, "t2.license.delta"), Some(79));
    let named: Vec<&str> = r
        .doubts
        .iter()
        .filter(|f| f.rule == "extract.uncertain_row")
        .flat_map(|f| f.cells.iter().map(String::as_str))
        .collect();
    for key in ["t2.license.prev", "t2.other_service.decisions"] {
        assert!(named.contains(&key), "{key} not named: {:?}", r.doubts);
    }
    let license = r
        .doubts
        .iter()
        .find(|f| f.cells.iter().any(|c| c == "t2.license.prev"))
        .unwrap();
    assert!(
        license.message_zh.contains("73|0|21538"),
        "{}",
        license.message_zh
    );
}

/// Two labels on lines of their own, then a line of cells with one value and a line of blank
/// cells (a table flattened as its labels, then its values): the value is the first label's
/// when the values follow the labels' order, the second's when it follows its label. Either
/// reading is named with the other.
#[test]
fn a_value_after_two_labels_names_both_rows() {
    let text = "二、主动公开政府信息情况\n第二十条第（六）项\t信息内容\t本年处理决定数量\t\t\n\
        行政处罚\n行政强制\n\t\t141\t\t\n\t\t\t\t\n\
        第二十条第（八）项\t信息内容\t本年收费金额（单位：万元）\t\t\n\
        \t行政事业性收费\t\t\t\n\
        三、收到和处理政府信息公开申请情况\n";
    let r = nianbao_extract::extract(text);
    let penalty = value(&r, "t2.penalty.decisions");
    let coercion = value(&r, "t2.coercion.decisions");
    assert!(
        matches!((penalty, coercion), (Some(141), None) | (None, Some(141))),
        "{penalty:?} {coercion:?}"
    );
    let named: Vec<&str> = r
        .doubts
        .iter()
        .filter(|f| f.rule == "extract.uncertain_row")
        .flat_map(|f| f.cells.iter().map(String::as_str))
        .collect();
    assert!(named.contains(&"t2.penalty.decisions"), "{:?}", r.doubts);
    assert!(named.contains(&"t2.coercion.decisions"), "{:?}", r.doubts);
}

/// The same two labels with the value on the second label's line: the line settles it, and
/// the value's row is in no doubt.
#[test]
fn a_value_on_its_labels_line_is_its_own() {
    let text = "二、主动公开政府信息情况\n第二十条第（六）项\t信息内容\t本年处理决定数量\t\t\n\
        行政处罚\n行政强制\t141\n\
        第二十条第（八）项\t信息内容\t本年收费金额（单位：万元）\t\t\n\
        \t行政事业性收费\t\t\t\n\
        三、收到和处理政府信息公开申请情况\n";
    let r = nianbao_extract::extract(text);
    assert_eq!(value(&r, "t2.coercion.decisions"), Some(141));
    assert_eq!(value(&r, "t2.penalty.decisions"), None);
    assert!(
        !r.doubts
            .iter()
            .any(|f| f.cells.iter().any(|c| c == "t2.coercion.decisions")),
        "{:?}",
        r.doubts
    );
}

/// Markdown of one small table per row group (a real report flattened by scramble.py, seed
/// 9002): the last label row `2.申请人逾期未按收费通知…` has blank cells, then two rows of values
/// and after them the labels `3.其他`, `（七）总计`, `四、结转下年度继续办理`. Read in order the
/// values are 3.其他's and 总计's; the table's identities (一+二 = 总计+四, 总计 = the
/// outcomes) hold only when they are 总计's and 结转's, and that nearly as cheap explanation
/// wins. The rows stay named in a finding.
#[test]
fn the_tables_identities_choose_among_explanations_nearly_as_cheap() {
    let r = nianbao_extract::extract(include_str!("fixtures/values-before-labels-identities.md"));
    assert_eq!(value(&r, "t3.other.other.natural"), None);
    assert_eq!(value(&r, "t3.other.other.total"), None);
    assert_eq!(value(&r, "t3.processed.natural"), Some(1));
    assert_eq!(value(&r, "t3.processed.total"), Some(1));
    assert_eq!(value(&r, "t3.carried_over.total"), Some(0));
    assert!(r
        .doubts
        .iter()
        .any(|f| f.rule == "extract.uncertain_row"
            && f.cells.iter().any(|c| c == "t3.processed.total")));
}

/// The merged cell `（四）无法提供` read between the two lines of `1.本机关不掌 / 握相关政府信息`
/// (scramble.py, seed 9001): the row is found around the group's label and keeps its values;
/// `2.没有现成信息需要另行制作` after it is blank.
#[test]
fn a_label_broken_by_its_groups_label_keeps_its_values() {
    let r = nianbao_extract::extract(include_str!("fixtures/label-broken-by-group.txt"));
    assert_eq!(value(&r, "t3.unavailable.not_held.natural"), Some(3));
    assert_eq!(value(&r, "t3.unavailable.not_held.total"), Some(3));
    assert_eq!(value(&r, "t3.unavailable.needs_creation.total"), None);
}

/// Text printed one box after another with an empty line between every two (as pdfminer
/// prints a PDF): one empty line is spacing, not a blank cell; three in a row hold one.
#[test]
fn in_double_spaced_text_an_empty_line_is_spacing() {
    let r = nianbao_extract::extract(include_str!("fixtures/double-spaced-blank.txt"));
    assert_eq!(value(&r, "t2.regulation.issued"), Some(4));
    assert_eq!(value(&r, "t2.regulation.repealed"), None);
    assert_eq!(value(&r, "t2.regulation.in_force"), Some(5));
    assert_eq!(
        ["issued", "repealed", "in_force"].map(|c| value(&r, &format!("t2.normative.{c}"))),
        [Some(1), Some(2), Some(3)]
    );
    // pdfminer's text of a Chromium PDF: 规章 has one value printed, the rest of its row
    // is in doubt and named; 行政处罚 keeps its 141.
    let r = nianbao_extract::extract(include_str!("fixtures/pdfminer-double-spaced-t2.txt"));
    assert_eq!(value(&r, "t2.penalty.decisions"), Some(141));
    assert_eq!(value(&r, "t2.normative.in_force"), Some(2));
    assert!(r.doubts.iter().any(|f| f.rule == "extract.missing_values"
        && f.cells.iter().any(|c| c == "t2.regulation.in_force")));
}

/// pdfminer prints table 三 column by column; rows whose labels were found but that took no
/// values while numbers of the table went to no row are named, never left blank in silence.
#[test]
fn rows_left_empty_beside_numbers_no_row_took_are_named() {
    let r = nianbao_extract::extract(include_str!("fixtures/pdfminer-columns-t3.txt"));
    assert_eq!(value(&r, "t3.denied.process.natural"), None);
    let named: std::collections::HashSet<&str> = r
        .doubts
        .iter()
        .flat_map(|f| f.cells.iter().map(String::as_str))
        .collect();
    for key in ["t3.denied.process.natural", "t3.denied.enforcement.total"] {
        assert!(named.contains(key), "{key} not named");
    }
}

/// Table 四 laid out with spaces whose blank cells are printed as nothing (scramble.py, seed
/// 9007): two values under 结果维持 and 总计 of 未经复议直接起诉. Too few to read as a row, each
/// goes to the head it stands under (heads measured in display width: a CJK character is two
/// wide); the rest are blank and the table is named in a finding.
#[test]
fn a_sparse_table_four_is_placed_under_its_heads() {
    let r = nianbao_extract::extract(include_str!("fixtures/sparse-t4-layout.md"));
    let got = table_four(&r);
    let mut want = vec![None; 15];
    want[5] = Some(1);
    want[9] = Some(1);
    assert_eq!(got, want);
    assert!(r
        .doubts
        .iter()
        .any(|f| f.rule == "extract.missing_values"
            && f.cells.iter().any(|c| c == "t4.review.upheld")));
}

/// The cells an `extract.uncertain_row` doubt names.
fn uncertain(r: &nianbao_model::Report) -> Vec<&str> {
    r.doubts
        .iter()
        .filter(|f| f.rule == "extract.uncertain_row")
        .flat_map(|f| f.cells.iter().map(String::as_str))
        .collect()
}

/// scramble.py seed 163: six labels of table 三 back to back, a decoy's dashes before them
/// and the six rows' values after. Which group starts the rows is a guess (the first row
/// took the dashes, so every value moved down a row): each row of the block is named, the
/// first with the value it has if the dashes are not its own.
#[test]
fn a_block_of_labels_with_values_on_both_sides_names_every_row() {
    let r = nianbao_extract::extract(include_str!("fixtures/label-block-values-both-sides.txt"));
    let named = uncertain(&r);
    for row in [
        "received",
        "carried_in",
        "granted",
        "partial",
        "denied.secret",
    ] {
        for col in ["natural", "total"] {
            let key = format!("t3.{row}.{col}");
            assert!(named.contains(&key.as_str()), "{key} not named: {named:?}");
        }
    }
    let received = r
        .doubts
        .iter()
        .find(|f| {
            f.rule == "extract.uncertain_row"
                && f.cells.first().map(String::as_str) == Some("t3.received.natural")
        })
        .unwrap();
    assert_eq!(received.alternatives[1], ["19", "", "", "", "", "", "19"]);
}

/// scramble.py seed 165: `-` and `0` printed between `6.属于四类过程性信息` and
/// `7.属于行政执法案卷`, `8.属行政查询事项` after a page foot; the `0` is row 8's. Every row the
/// values may belong to is named: the run before them and the run after, up to other words.
#[test]
fn a_value_between_two_runs_of_labels_names_the_rows_of_both() {
    let r = nianbao_extract::extract(include_str!("fixtures/value-between-label-runs.md"));
    let named = uncertain(&r);
    for row in [
        "third_party",
        "internal",
        "process",
        "enforcement",
        "inquiry",
    ] {
        let key = format!("t3.denied.{row}.nonprofit");
        assert!(named.contains(&key.as_str()), "{key} not named: {named:?}");
    }
    // 行政复议… (a decoy header of table 四) parts the second run from (四)1.
    assert!(
        !named.contains(&"t3.unavailable.not_held.nonprofit"),
        "{named:?}"
    );
}
