//! Any text as an OFD page's Content.xml: text codes, path objects (CTM, pens, abbreviated
//! data) and the tables their rules make, under the zip layer the `ofd` target covers.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(xml) = std::str::from_utf8(data) {
        if let Ok(doc) = nianbao_read::ofd::page(xml) {
            let _ = nianbao_extract::extract(&doc.to_text());
        }
    }
});
