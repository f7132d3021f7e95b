//! Bad input never panics: arbitrary text, generated reports with random damage, and
//! large inputs built to stress the digit splitter and the alignment.

use nianbao_model::Template;
use nianbao_synth::{render, report, rng, Style};
use proptest::prelude::*;
use rand::Rng;

/// Four times the steps the fuzz-found input takes today (measured 2026-12-01).
const BOUND_SLOW_SPLIT: u64 = 4 * 52_856;

fn run_all(text: &str) {
    let r = nianbao_extract::extract(text);
    let _ = nianbao_check::findings(&r);
    let _ = serde_json::to_string(&r).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(s in "\\PC{0,400}") {
        run_all(&s);
    }

    #[test]
    fn table_alphabet(s in "[0-9０-９一二三四五六七（）()、.．\\t\\n |—/无增减元万+-规章行政许可申请总计本年新收结转]{0,600}") {
        run_all(&s);
    }

    #[test]
    fn damaged_reports(seed in any::<u64>(), t in 0usize..3, cuts in 1usize..30) {
        let mut r = rng(seed);
        let rep = report(&mut r, Template::ALL[t]);
        let style = Style::random(&mut r);
        let mut chars: Vec<char> = render(&rep, &style, &mut r).chars().collect();
        for _ in 0..cuts {
            if chars.is_empty() {
                break;
            }
            let at = r.gen_range(0..chars.len());
            match r.gen_range(0..3) {
                0 => { chars.remove(at); }
                1 => chars.insert(at, ['0', '9', '\n', '\t', '（', '、', '.', '一'][r.gen_range(0..8)]),
                _ => { let end = (at + r.gen_range(1..200)).min(chars.len()); chars.drain(at..end); }
            }
        }
        run_all(&chars.into_iter().collect::<String>());
    }
}

/// A report followed by `len` bytes of digit runs and repeated row labels.
fn hostile(len: usize) -> String {
    let mut r = rng(1);
    let rep = report(&mut r, Template::Y2021);
    let mut text = render(&rep, &Style::plain(nianbao_synth::Layout::Tabs), &mut r);
    let noise = "一、本年新收政府信息公开申请数量1000000000000000000000000000000001 行政复议行政诉讼 2.重复申请9999999999 ";
    let end = text.len() + len;
    while text.len() < end {
        text.push_str(noise);
    }
    text
}

/// The extractor's work (edit-distance cells, splits, combinations: `take_steps`) on large
/// hostile input grows with its length, not faster: doubling 0.5 MB of noise at most
/// doubles the work, with a margin — quadratic time would quadruple it.
#[test]
fn large_hostile_input_stays_linear() {
    let steps = |text: &str| {
        nianbao_extract::take_steps();
        run_all(text);
        nianbao_extract::take_steps()
    };
    let (small, large) = (steps(&hostile(500_000)), steps(&hostile(1_000_000)));
    eprintln!("noise: {small} -> {large}");
    assert!(small > 0);
    assert!(
        large * 10 <= small * 25,
        "work grew {small} -> {large} for twice the input"
    );
    let (one, two) = (
        steps(&format!("规章{}", "7".repeat(500_000))),
        steps(&format!("规章{}", "7".repeat(1_000_000))),
    );
    eprintln!("digit run: {one} -> {two}");
    assert!(two * 10 <= one.max(1) * 25, "digit run: {one} -> {two}");
}

/// Found by the fuzzer: a 19-digit run in table 三 made the joint search over row readings
/// quadratic (1.6 s; now about 0.1 s). Its work stays within four times what it takes now.
#[test]
fn fuzz_found_slow_split_stays_bounded() {
    let bytes = include_bytes!("fixtures/fuzz-slow-t3-split.txt");
    nianbao_extract::take_steps();
    run_all(&String::from_utf8_lossy(bytes));
    let steps = nianbao_extract::take_steps();
    eprintln!("steps: {steps}");
    assert!(steps <= BOUND_SLOW_SPLIT, "{steps} steps");
}
