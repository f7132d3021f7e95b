//! Tells text from the binary formats reports also come in, by content.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    /// A zip container: DOCX (or OFD).
    Zip,
    Pdf,
    /// An OLE compound file: legacy .doc/.wps, or an encrypted Office file.
    Ole,
    /// A known non-text format, by name.
    Other(&'static str),
}

pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        return Format::Zip;
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Format::Ole;
    }
    // A PDF header may follow some junk bytes (the standard allows 1 KiB).
    if bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Format::Pdf;
    }
    const MAGIC: [(&[u8], &str); 4] = [
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
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head
        .trim_start_matches(['\u{feff}', '\u{fffd}'])
        .trim_start();
    // UTF-16 pages start with `<\0`; after the BOM check only the markup matters.
    let markup: String = head.chars().filter(|&c| c != '\0').take(200).collect();
    let starts = |p: &str| markup.starts_with(p);
    if starts("<!doctype html")
        || starts("<html")
        || starts("<?xml") && markup.contains("xhtml")
        || starts("<head")
        || starts("<meta")
        || starts("<body")
        || starts("<table")
        || starts("<div")
        || starts("<p>")
        || starts("<!--") && markup.contains("<html")
    {
        return Format::Html;
    }
    Format::Text
}

/// An encrypted OOXML file is an OLE container with an `EncryptionInfo` stream.
pub fn ole_encrypted(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}
