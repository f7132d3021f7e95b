//! Wraps page images into an image-only PDF (a "scan"):
//! `cargo run -p nianbao-synth --example scan_pdf -- out.pdf page-1.png page-2.png …`
//! (images at 300 dpi, e.g. from `pdftoppm -r 300 -gray -png`).

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("usage: scan_pdf OUT.pdf PAGE.png…");
    let pages: Vec<Vec<u8>> = args
        .map(|p| std::fs::read(&p).expect("readable image"))
        .collect();
    let pdf = nianbao_synth::image_pdf(&pages, 300.0).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&out, pdf).expect("writable output");
}
