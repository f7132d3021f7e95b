//! Any bytes as a text report: decoding, extraction and every check.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let decoded = nianbao_read::decode(data);
    let report = nianbao_extract::extract(&decoded.text);
    let _ = nianbao_check::findings(&report);
});
