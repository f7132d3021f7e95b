//! Any bytes as a PDF for the in-process grid: lopdf's parser, the content-stream
//! interpreter (paths, forms, colours) and the table grid built from the rules.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = nianbao_read::vector::load(data) {
        let pages: Vec<u32> = (1..=8).collect();
        for p in nianbao_read::vector::pages(&doc, &pages).values() {
            let _ = nianbao_read::raster::tables_from_lines(&p.lines, 150);
        }
    }
});
