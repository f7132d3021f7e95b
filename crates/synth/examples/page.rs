//! Prints a generated report as an official-layout HTML page:
//! `cargo run -p nianbao-synth --example page -- SEED TEMPLATE > page.html`.

use nianbao_model::Template;
use nianbao_synth::{html_page, report, rng, HtmlStyle};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let template = args.get(2).and_then(|s| Template::parse(s)).unwrap_or(Template::Y2021);
    let mut r = rng(seed);
    let rep = report(&mut r, template);
    print!("{}", html_page(&rep, &HtmlStyle::default()));
}
