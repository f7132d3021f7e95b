//! Prints the i-th random page of the DOCX/PDF test (seed 2026, templates in turn):
//! `cargo run -p nianbao-synth --example nth_page -- I > page.html`.

use nianbao_model::Template;
use nianbao_synth::{html_page, report, rng, HtmlStyle};

fn main() {
    let want: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut r = rng(2026);
    let reports: Vec<_> = (0..12)
        .map(|i| report(&mut r, Template::ALL[i % 3]))
        .collect();
    for (i, rep) in reports.iter().enumerate() {
        let style = HtmlStyle {
            gbk: false,
            ..HtmlStyle::random(&mut r)
        };
        if i + 5 == want {
            print!("{}", html_page(rep, &style));
        }
    }
}
