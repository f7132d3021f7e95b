//! Prints, for page images (PGM), how uneven their light is and how far their lines
//! converge after straightening: `cargo run -p nianbao-read --example light -- PAGE.pgm...`.

fn main() {
    for path in std::env::args().skip(1) {
        let Some(mut img) = std::fs::read(&path)
            .ok()
            .and_then(|b| nianbao_read::raster::Image::from_pgm(&b))
        else {
            eprintln!("{path}: not a PGM");
            continue;
        };
        let light = nianbao_read::light::flatten(&mut img);
        let skew = nianbao_read::deskew::straighten(&mut img);
        let turn = nianbao_read::light::convergence(&img);
        let seal = nianbao_read::seal::find(&img, 300);
        println!("{path}\tskew {skew:.2}\tconvergence {turn:.2}\t{light:?}\tseal {seal:?}");
    }
}
