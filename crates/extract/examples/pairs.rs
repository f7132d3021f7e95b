//! Debug aid: prints the label/value pairs the tokeniser sees in a file.
//! `cargo run -p nianbao-extract --example pairs -- FILE`

fn main() {
    let path = std::env::args().nth(1).expect("usage: pairs FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    for (label, values, alt) in nianbao_extract::pairs(&text) {
        println!("{label}\t{values}\t{alt}");
    }
}
