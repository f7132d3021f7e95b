//! Any bytes as a DOCX package: zip reading with its limits, then the XML layer.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(mut zip) = nianbao_read::package::open(data) {
        if let Ok(xml) = nianbao_read::docx::document_xml(&mut zip) {
            if let Ok(doc) = nianbao_read::docx::document(&xml) {
                let _ = nianbao_extract::extract(&doc.to_text());
            }
        }
    }
});
