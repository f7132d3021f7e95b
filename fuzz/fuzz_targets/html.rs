//! Any bytes as an HTML page: charset, parsing, grid building, then extraction.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let d = nianbao_read::html::decode_html(data);
    if nianbao_read::html::depth(&d.text) <= nianbao_read::html::MAX_DEPTH {
        let text = nianbao_read::html::document(&d.text).to_text();
        let _ = nianbao_extract::extract(&text);
    }
});
