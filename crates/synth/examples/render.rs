//! Prints the generated report for a seed, as the round-trip test writes it, or as an
//! official-layout HTML page: `cargo run -p nianbao-synth --example render -- SEED TEMPLATE [--html]`
//! (TEMPLATE: legacy|2019|2021).

use nianbao_model::Template;
use nianbao_synth::{html_page, render, report, rng, HtmlStyle, Style};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let template = args
        .get(2)
        .and_then(|s| Template::parse(s))
        .unwrap_or(Template::Y2021);
    let mut r = rng(seed);
    let rep = report(&mut r, template);
    if args.iter().any(|a| a == "--html") {
        print!("{}", html_page(&rep, &HtmlStyle::default()));
        return;
    }
    let style = Style::random(&mut r);
    eprintln!("{style:?}");
    print!("{}", render(&rep, &style, &mut r));
}
