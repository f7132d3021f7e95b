//! Debug aid: prints the label/value pairs the tokeniser sees in a file.
//! `cargo run -p nianbao-extract --example pairs -- FILE`

fn main() {
    let path = std::env::args().nth(1).expect("usage: pairs FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let norm = nianbao_extract::norm::Norm::new(&text);
    let items = nianbao_extract::tokens::items(&norm);
    for p in nianbao_extract::table::pairs(&items, false) {
        let label: String = p.label.iter().collect();
        let tail: String = label
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let alt: String = p.alt.iter().flatten().collect();
        println!("{tail}\t{}\t{alt}", p.run.len());
    }
}
