//! Debug aid: prints the lines and cells the solver reads in a text file.
//! `cargo run -p nianbao-extract --example lines -- FILE`

fn main() {
    let path = std::env::args().nth(1).expect("usage: lines FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    for (i, l) in nianbao_extract::show_lines(&text).iter().enumerate() {
        println!("{i:5} {l}");
    }
}
