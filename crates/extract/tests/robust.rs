//! Bad input never panics: arbitrary text, generated reports with random damage, and
//! large inputs built to stress the digit splitter and the alignment.

use nianbao_model::Template;
use nianbao_synth::{render, report, rng, Style};
use proptest::prelude::*;
use rand::Rng;

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

#[test]
fn large_hostile_input_completes() {
    // A report followed by 2 MB of digit runs and repeated row labels.
    let mut r = rng(1);
    let rep = report(&mut r, Template::Y2021);
    let mut text = render(&rep, &Style::plain(nianbao_synth::Layout::Tabs), &mut r);
    let noise = "一、本年新收政府信息公开申请数量1000000000000000000000000000000001 行政复议行政诉讼 2.重复申请9999999999 ";
    while text.len() < 2_000_000 {
        text.push_str(noise);
    }
    run_all(&text);
    let digits = "7".repeat(1_000_000);
    run_all(&format!("规章{digits}"));
}

/// Found by the fuzzer: a 19-digit run in table 三 made the joint search over row readings
/// quadratic (1.6 s; now about 0.1 s). Kept so the path stays exercised.
#[test]
fn fuzz_found_slow_split_completes() {
    let bytes = include_bytes!("fixtures/fuzz-slow-t3-split.txt");
    run_all(&String::from_utf8_lossy(bytes));
}
