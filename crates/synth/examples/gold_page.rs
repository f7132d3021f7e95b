//! Prints a gold file's values as an official-layout HTML page:
//! `cargo run -p nianbao-synth --example gold_page -- corpus/seeds/000_….gold.json > page.html`.

use nianbao_model::{Num, Report, Template};

fn main() {
    let path = std::env::args().nth(1).expect("usage: gold_page GOLD.json");
    let text = std::fs::read_to_string(&path).expect("readable gold file");
    let field = |name: &str| -> Option<String> {
        let at = text.find(&format!("\"{name}\""))?;
        let rest = &text[at + name.len() + 2..];
        let rest = rest[rest.find(':')? + 1..].trim_start();
        let end = rest.find([',', '\n'])?;
        Some(rest[..end].trim().trim_matches('"').to_string())
    };
    let template = field("template")
        .and_then(|t| Template::parse(&t))
        .expect("template");
    let mut r = Report::new(template);
    r.agency = field("agency");
    r.year = field("year").and_then(|y| y.parse().ok());
    for key in nianbao_model::keys_for(template) {
        let v = field(key).and_then(|v| if v == "null" { None } else { Some(v) });
        r.set(
            key,
            v.and_then(|v| {
                v.parse::<i64>()
                    .map(Num::Int)
                    .ok()
                    .or_else(|| v.parse::<f64>().ok().map(Num::Dec))
            }),
        );
    }
    print!(
        "{}",
        nianbao_synth::html_page(&r, &nianbao_synth::HtmlStyle::default())
    );
}
