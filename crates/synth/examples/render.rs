//! Prints the generated report for a seed, as the round-trip test writes it:
//! `cargo run -p nianbao-synth --example render -- SEED TEMPLATE` (TEMPLATE: legacy|2019|2021).

use nianbao_model::Template;
use nianbao_synth::{render, report, rng, Style};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let template = args.get(2).and_then(|s| Template::parse(s)).unwrap_or(Template::Y2021);
    let mut r = rng(seed);
    let rep = report(&mut r, template);
    let style = Style::random(&mut r);
    eprintln!("{style:?}");
    print!("{}", render(&rep, &style, &mut r));
}
