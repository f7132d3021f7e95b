//! A ledger gives tables 三 and 四 and deadline warnings: a hand-counted example, a
//! generated three-year ledger whose tables satisfy the template identities and carry over
//! from year to year, and CSV/XLSX files read back to the same requests.

use nianbao_ledger::calendar::{days, from_days};
use nianbao_ledger::request::{APPLICANTS, OUTCOMES};
use nianbao_ledger::{deadlines, import, report, Calendar, Challenge, Request, Route};
use nianbao_model::{Date, Severity, Template};
use rand::{Rng, SeedableRng};

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::new(y, m, day).unwrap()
}

fn req(
    id: &str,
    received: Date,
    applicant: &'static str,
    outcome: Option<&'static str>,
    closed: Option<Date>,
) -> Request {
    Request {
        id: id.into(),
        received,
        applicant,
        outcome,
        closed,
        extended: false,
        challenges: vec![],
    }
}

#[test]
fn a_small_ledger_counted_by_hand() {
    let mut ledger = vec![
        // Received 2023, still open on 1 January 2024, answered in January: 上年结转 1.
        req(
            "2023-31",
            d(2023, 12, 20),
            "natural",
            Some("granted"),
            Some(d(2024, 1, 10)),
        ),
        req(
            "2024-01",
            d(2024, 2, 1),
            "natural",
            Some("granted"),
            Some(d(2024, 2, 20)),
        ),
        req(
            "2024-02",
            d(2024, 3, 1),
            "commercial",
            Some("denied.secret"),
            Some(d(2024, 3, 15)),
        ),
        req(
            "2024-03",
            d(2024, 5, 6),
            "natural",
            Some("unavailable.not_held"),
            Some(d(2024, 5, 20)),
        ),
        req(
            "2024-04",
            d(2024, 6, 3),
            "legal",
            Some("other.no_fee"),
            Some(d(2024, 7, 1)),
        ),
        // Received in December, answered in January 2025: 结转下年度 1.
        req(
            "2024-05",
            d(2024, 12, 16),
            "research",
            Some("partial"),
            Some(d(2025, 1, 8)),
        ),
        // Never answered yet.
        req("2024-06", d(2024, 12, 30), "natural", None, None),
    ];
    ledger[1].challenges.push(Challenge {
        route: Route::Review,
        filed: d(2024, 4, 1),
        result: "upheld",
    });
    ledger[2].challenges.push(Challenge {
        route: Route::Review,
        filed: d(2024, 4, 10),
        result: "pending",
    });
    ledger[2].challenges.push(Challenge {
        route: Route::SuitAfterReview,
        filed: d(2024, 9, 2),
        result: "pending",
    });
    ledger[3].challenges.push(Challenge {
        route: Route::SuitDirect,
        filed: d(2025, 2, 2),
        result: "corrected",
    });

    let r = report(&ledger, 2024, Template::Y2021);
    let v = |k: &str| r.int(k).unwrap_or(-1);
    assert_eq!(
        (
            v("t3.received.natural"),
            v("t3.received.commercial"),
            v("t3.received.research"),
            v("t3.received.legal"),
            v("t3.received.total")
        ),
        (3, 1, 1, 1, 6)
    );
    assert_eq!(
        (v("t3.carried_in.natural"), v("t3.carried_in.total")),
        (1, 1)
    );
    assert_eq!((v("t3.granted.natural"), v("t3.granted.total")), (2, 2));
    assert_eq!(
        (
            v("t3.denied.secret.commercial"),
            v("t3.unavailable.not_held.natural"),
            v("t3.other.no_fee.legal")
        ),
        (1, 1, 1)
    );
    assert_eq!(
        (
            v("t3.partial.total"),
            v("t3.processed.total"),
            v("t3.processed.natural")
        ),
        (0, 5, 3)
    );
    assert_eq!(
        (
            v("t3.carried_over.research"),
            v("t3.carried_over.natural"),
            v("t3.carried_over.total")
        ),
        (1, 1, 2)
    );
    assert_eq!(
        (
            v("t4.review.upheld"),
            v("t4.review.pending"),
            v("t4.review.total")
        ),
        (1, 1, 2)
    );
    assert_eq!(
        (v("t4.suit_after_review.pending"), v("t4.suit_direct.total")),
        (1, 0)
    );
    // The 2019 format counts 逾期不补正/未缴费/其他 in one row.
    assert_eq!(
        report(&ledger, 2024, Template::Y2019).int("t3.other.legal"),
        Some(1)
    );
    // The next year starts with what this one carried over.
    let next = report(&ledger, 2025, Template::Y2021);
    assert_eq!(next.int("t3.carried_in.total"), Some(2));
    assert_eq!(
        (
            next.int("t3.partial.research"),
            next.int("t3.carried_over.natural")
        ),
        (Some(1), Some(1))
    );
    assert_eq!(next.int("t4.suit_direct.corrected"), Some(1));
    // The derived tables pass every check of the template.
    let errors: Vec<_> = nianbao_check::findings(&r)
        .into_iter()
        .filter(|f| f.severity == Severity::Error && f.rule.id().starts_with("t3"))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn deadline_warnings_fall_on_the_right_days() {
    let cal = Calendar::default();
    // Received Friday 27 September 2024: due 30 October (the 国庆 week off, 29 Sep and 12 Oct worked).
    let open = vec![req("A", d(2024, 9, 27), "natural", None, None)];
    let rules = |today: Date, ledger: &[Request]| -> Vec<(String, String)> {
        deadlines(ledger, &cal, today)
            .into_iter()
            .map(|f| (f.rule.to_string(), f.message_zh))
            .collect()
    };
    assert!(
        rules(d(2024, 10, 22), &open).is_empty(),
        "6 working days left: no warning yet"
    );
    let w = rules(d(2024, 10, 23), &open);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].0, "ledger.due_soon");
    assert!(
        w[0].1.contains("2024-10-30") && w[0].1.contains("还剩 5 个工作日"),
        "{}",
        w[0].1
    );
    assert_eq!(rules(d(2024, 10, 30), &open)[0].0, "ledger.due_soon");
    let w = rules(d(2024, 10, 31), &open);
    assert_eq!(w[0].0, "ledger.overdue");
    assert!(w[0].1.contains("逾期 1 个工作日"), "{}", w[0].1);
    // Extended: 20 more working days, due 27 November.
    let mut ext = open.clone();
    ext[0].extended = true;
    assert!(rules(d(2024, 10, 31), &ext).is_empty());
    assert!(rules(d(2024, 11, 27), &ext)[0].1.contains("2024-11-27"));
    // Answered the day after the deadline.
    let late = vec![req(
        "B",
        d(2024, 9, 27),
        "natural",
        Some("granted"),
        Some(d(2024, 10, 31)),
    )];
    let w = rules(d(2024, 12, 1), &late);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].0, "ledger.replied_late");
    // Closed without a category, and a year the calendar does not know.
    let odd = vec![req(
        "C",
        d(2030, 3, 1),
        "natural",
        None,
        Some(d(2030, 3, 5)),
    )];
    let w = rules(d(2030, 4, 1), &odd);
    assert_eq!(
        w.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        vec!["ledger.no_outcome", "ledger.calendar"]
    );
}

fn generated(seed: u64) -> Vec<Request> {
    let mut g = rand::rngs::SmallRng::seed_from_u64(seed);
    let start = days(d(2023, 1, 1));
    (0..600)
        .map(|i| {
            let received = from_days(start + g.gen_range(0..365 * 3));
            let applicant = APPLICANTS[g.gen_range(0..APPLICANTS.len())].0;
            let closed = g
                .gen_bool(0.95)
                .then(|| from_days(days(received) + g.gen_range(0..50)));
            let outcome = closed.map(|_| OUTCOMES[g.gen_range(0..OUTCOMES.len())].0);
            let mut q = req(&format!("{i}"), received, applicant, outcome, closed);
            q.extended = g.gen_bool(0.1);
            if g.gen_bool(0.05) {
                let route =
                    [Route::Review, Route::SuitDirect, Route::SuitAfterReview][g.gen_range(0..3)];
                let result = ["upheld", "corrected", "other", "pending"][g.gen_range(0..4)];
                q.challenges.push(Challenge {
                    route,
                    filed: from_days(days(received) + g.gen_range(30..200)),
                    result,
                });
            }
            q
        })
        .collect()
}

#[test]
fn a_generated_ledger_gives_consistent_tables_year_after_year() {
    let ledger = generated(7);
    let years: Vec<_> = (2023..=2025)
        .map(|y| report(&ledger, y, Template::Y2021))
        .collect();
    let mut received = 0;
    for (i, r) in years.iter().enumerate() {
        for (col, _) in APPLICANTS.iter().chain(&[("total", "")]) {
            let v = |row: &str| r.int(&format!("t3.{row}.{col}")).unwrap();
            assert_eq!(
                v("received") + v("carried_in"),
                v("processed") + v("carried_over"),
                "{col} {}",
                2023 + i
            );
            if let Some(next) = years.get(i + 1) {
                assert_eq!(
                    next.int(&format!("t3.carried_in.{col}")).unwrap(),
                    v("carried_over")
                );
            }
        }
        let errors: Vec<_> = nianbao_check::findings(r)
            .into_iter()
            .filter(|f| f.severity == Severity::Error && f.rule.id().starts_with("t3"))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        received += r.int("t3.received.total").unwrap();
    }
    assert_eq!(received, 600);
    assert_eq!(years[0].int("t3.carried_in.total"), Some(0));
    let challenges: i64 = years
        .iter()
        .flat_map(|r| {
            ["review", "suit_direct", "suit_after_review"]
                .map(|g| r.int(&format!("t4.{g}.total")).unwrap())
        })
        .sum();
    let filed_in_range = ledger
        .iter()
        .flat_map(|q| &q.challenges)
        .filter(|c| c.filed.year <= 2025)
        .count() as i64;
    assert_eq!(challenges, filed_in_range);
}

#[test]
fn csv_and_xlsx_ledgers_read_back_to_the_same_requests() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = generated(11);
    let outcome_zh = |k: &str| OUTCOMES.iter().find(|o| o.0 == k).map(|o| o.1[0]).unwrap();
    let applicant_zh = |k: &str| APPLICANTS.iter().find(|a| a.0 == k).map(|a| a.1).unwrap();
    let mut rows: Vec<Vec<String>> = vec![import::header().iter().map(|s| s.to_string()).collect()];
    for q in &ledger {
        let review = q.challenges.iter().find(|c| c.route == Route::Review);
        let suit = q.challenges.iter().find(|c| c.route != Route::Review);
        let zh_result = |r: &str| {
            ["结果维持", "结果纠正", "其他结果", "尚未审结"][[
                "upheld",
                "corrected",
                "other",
                "pending",
            ]
            .iter()
            .position(|x| *x == r)
            .unwrap()]
        };
        rows.push(vec![
            q.id.clone(),
            format!(
                "{}年{}月{}日",
                q.received.year, q.received.month, q.received.day
            ),
            applicant_zh(q.applicant).into(),
            q.outcome.map(outcome_zh).unwrap_or("").into(),
            q.closed.map(|c| c.to_string()).unwrap_or_default(),
            if q.extended { "是" } else { "否" }.into(),
            review.map(|c| c.filed.to_string()).unwrap_or_default(),
            review.map(|c| zh_result(c.result)).unwrap_or("").into(),
            suit.map(|c| c.filed.to_string()).unwrap_or_default(),
            suit.map(|c| zh_result(c.result)).unwrap_or("").into(),
            suit.map(|c| {
                if c.route == Route::SuitDirect {
                    "直接起诉"
                } else {
                    "复议后起诉"
                }
            })
            .unwrap_or("")
            .into(),
        ]);
    }
    let csv_path = dir.path().join("台账.csv");
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    assert_eq!(import::read(&csv_path).unwrap(), ledger);

    let xlsx_path = dir.path().join("台账.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (i, r) in rows.iter().enumerate() {
        for (j, c) in r.iter().enumerate() {
            sheet.write_string(i as u32, j as u16, c).unwrap();
        }
    }
    // A received date stored as a real Excel date, as offices' spreadsheets do.
    let first = &ledger[0].received;
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
        first.year as u16,
        first.month as u8,
        first.day as u8,
    )
    .unwrap();
    sheet
        .write_datetime_with_format(
            1,
            1,
            &date,
            &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
        )
        .unwrap();
    book.save(&xlsx_path).unwrap();
    assert_eq!(import::read(&xlsx_path).unwrap(), ledger);

    // Not a spreadsheet, not UTF-8, too few columns: one line naming the file.
    let bad = dir.path().join("坏.xlsx");
    std::fs::write(&bad, b"PK\x03\x04 broken").unwrap();
    let e = import::read(&bad).unwrap_err();
    assert!(
        e.starts_with(&bad.display().to_string()) && !e.contains('\n'),
        "{e}"
    );
    let gbk = dir.path().join("gbk.csv");
    std::fs::write(&gbk, b"\xb1\xe0\xba\xc5,\xca\xd5\xb5\xbd\xc8\xd5\xc6\xda\n").unwrap();
    assert!(import::read(&gbk).unwrap_err().contains("UTF-8"));
}
