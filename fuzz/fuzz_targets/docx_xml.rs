//! Any text as word/document.xml: the WordprocessingML layer (spans, merges, fields).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(xml) = std::str::from_utf8(data) {
        if let Ok(doc) = nianbao_read::docx::document(xml) {
            let _ = doc.to_text();
        }
    }
});
