//! The layout generator writes random reports of every template in every layout (and
//! random mixes of the quirks seen in real reports); extraction must give back exactly
//! the generated values, template, year and agency.

use nianbao_model::{Num, Report, Template};
use nianbao_synth::{render, report, rng, Layout, Style};
use proptest::prelude::*;

fn same(a: Option<Num>, b: Option<Num>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x.as_f64() - y.as_f64()).abs() < 1e-9,
        _ => false,
    }
}

/// Differences between the generated and the extracted report, empty when they agree.
fn diff(want: &Report, got: &Report) -> Vec<String> {
    let mut out = Vec::new();
    if got.template != want.template {
        out.push(format!("template {} != {}", got.template, want.template));
        return out;
    }
    if got.year != want.year {
        out.push(format!("year {:?} != {:?}", got.year, want.year));
    }
    if got.agency != want.agency {
        out.push(format!("agency {:?} != {:?}", got.agency, want.agency));
    }
    for (key, v) in want.values_in_order() {
        let g = got.value(key);
        if !same(g, v) {
            let raw = got
                .cells
                .get(key)
                .and_then(|c| c.evidence.as_ref())
                .map(|e| e.raw.clone());
            out.push(format!("{key}: got {g:?} (raw {raw:?}) want {v:?}"));
        }
    }
    out
}

fn roundtrip(seed: u64, template: Template, style: Option<Style>) -> Result<(), String> {
    let mut r = rng(seed);
    let want = report(&mut r, template);
    let style = style.unwrap_or_else(|| Style::random(&mut r));
    let text = render(&want, &style, &mut r);
    let got = nianbao_extract::extract(&text);
    let d = diff(&want, &got);
    if d.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "seed {seed} {template} {style:?}\n{}\n--- text ---\n{text}",
            d.join("\n")
        ))
    }
}

#[test]
fn every_layout_and_template_plain() {
    for t in Template::ALL {
        for layout in [
            Layout::Tabs,
            Layout::CellPerLine,
            Layout::Markdown,
            Layout::Pipes,
            Layout::OneLine,
        ] {
            for seed in 0..20 {
                if let Err(e) = roundtrip(seed, t, Some(Style::plain(layout))) {
                    panic!("{e}");
                }
            }
        }
    }
}

proptest! {
    // 600 cases in CI; PROPTEST_CASES=N for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(600),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn extraction_gives_back_generated_values(seed in any::<u64>(), t in 0usize..3) {
        let result = roundtrip(seed, Template::ALL[t], None);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}
