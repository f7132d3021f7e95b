//! Prints the canonical text nianbao reads from a file: `cargo run -p nianbao-read --example text -- FILE`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: text FILE");
    match nianbao_read::read_file(std::path::Path::new(&path)) {
        Ok(s) => print!("{}", s.text),
        Err(e) => eprintln!("{path}: {e}"),
    }
}
