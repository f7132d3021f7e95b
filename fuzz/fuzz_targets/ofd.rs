//! Any bytes as an OFD package: zip, package paths, page XML and the positional layout.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(mut zip) = nianbao_read::package::open(data) {
        if let Ok(doc) = nianbao_read::ofd::document(&mut zip) {
            let _ = nianbao_extract::extract(&doc.to_text());
        }
    }
});
