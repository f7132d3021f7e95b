//! Debug aid: straightens a page image (binary PGM, e.g. `pdftoppm -r 300 -gray`), prints
//! the skew and the tables found, and writes the straightened page with the cells drawn:
//! `cargo run -p nianbao-read --example grid -- PAGE.pgm [OUT.pgm [CLEAN.pgm]]`.
//! `STRAIGHT=FILE.pgm` also writes the straightened page; `NIANBAO_DEBUG_RULES=1` prints
//! the rules found.

fn main() {
    let mut args = std::env::args().skip(1);
    let (input, out) = (
        args.next()
            .expect("usage: grid PAGE.pgm [OUT.pgm [CLEAN.pgm]]"),
        args.next(),
    );
    let bytes = std::fs::read(&input).expect("readable file");
    let mut img = nianbao_read::raster::Image::from_pgm(&bytes).expect("a binary PGM");
    nianbao_read::light::flatten(&mut img);
    let skew = nianbao_read::deskew::straighten(&mut img);
    println!("skew {skew:.2}°");
    println!(
        "seal before the rules: {:?}",
        nianbao_read::seal::find(&img, 300)
    );
    let mut drawn = img.clone();
    if let Ok(p) = std::env::var("STRAIGHT") {
        std::fs::write(p, img.to_pgm()).expect("writable");
    }
    for t in nianbao_read::raster::tables(&mut img, 300) {
        println!("table {:?}: {} rows", t.bounds, t.rows.len());
        for row in &t.rows {
            println!(
                "  {:?}",
                row.iter()
                    .map(|c| (c.0.x0, c.0.x1, c.1, c.2))
                    .collect::<Vec<_>>()
            );
            for (r, _, _) in row {
                for x in r.x0..r.x1 {
                    drawn.px[r.y0 * drawn.w + x] = 0;
                }
                for y in r.y0..r.y1 {
                    drawn.px[y * drawn.w + r.x0] = 0;
                }
            }
        }
    }
    println!(
        "seal after the rules: {:?}",
        nianbao_read::seal::find(&img, 300)
    );
    if let Some(out) = out {
        std::fs::write(out, drawn.to_pgm()).expect("writable output");
    }
    // Third argument: the page as OCR sees it (rules erased, specks and seal cleaned).
    if let Some(clean) = args.next() {
        img.despeckle(20);
        println!(
            "toner cleared: {} px",
            nianbao_read::print::clear_toner(&mut img)
        );
        if let Some(seal) = nianbao_read::seal::find(&img, 300) {
            println!("seal {seal:?}");
            nianbao_read::seal::clean(&mut img, &seal);
        }
        std::fs::write(clean, img.to_pgm()).expect("writable output");
    }
}
