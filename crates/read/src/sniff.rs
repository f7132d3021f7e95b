//! Tells text from the binary formats reports also come in, by content.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    /// A known non-text format, by name.
    Other(&'static str),
}

pub fn sniff(bytes: &[u8]) -> Format {
    const MAGIC: [(&[u8], &str); 7] = [
        (b"%PDF", "PDF"),
        (b"PK\x03\x04", "ZIP/DOCX/OFD"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "DOC/WPS"),
        (b"\x89PNG", "PNG"),
        (b"\xFF\xD8\xFF", "JPEG"),
        (b"GIF8", "GIF"),
        (b"{\\rtf", "RTF"),
    ];
    for (magic, name) in MAGIC {
        if bytes.starts_with(magic) {
            return Format::Other(name);
        }
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return Format::Other("HTML");
    }
    Format::Text
}
