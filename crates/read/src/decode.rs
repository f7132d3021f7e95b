//! Encoding detection: BOM, then UTF-8, then UTF-16 without BOM, then chardetng (GBK/GB18030…).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// Name of the encoding the bytes were decoded from (`UTF-8`, `GBK`, `UTF-16LE` …).
    pub encoding: &'static str,
    /// True when some bytes were not valid in that encoding and were replaced.
    pub lossy: bool,
}

pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return with(enc, &bytes[bom_len..]);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_string(),
            encoding: UTF_8.name(),
            lossy: false,
        };
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return with(enc, bytes);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    with(enc, bytes)
}

/// Decodes with a known encoding (a BOM still wins).
pub fn decode_as(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    match Encoding::for_bom(bytes) {
        Some((bom, len)) => with(bom, &bytes[len..]),
        None => with(enc, bytes),
    }
}

fn with(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        lossy: had_errors,
    }
}

/// UTF-16 without a BOM: reports are full of ASCII digits, spaces and newlines, whose
/// high byte is zero; and decoding must give mostly CJK or ASCII characters.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192) & !1];
    let pairs = sample.len() / 2;
    let zero_hi_le = sample.chunks(2).filter(|p| p[1] == 0 && p[0] != 0).count();
    let zero_hi_be = sample.chunks(2).filter(|p| p[0] == 0 && p[1] != 0).count();
    let (enc, zeros) = if zero_hi_le >= zero_hi_be {
        (UTF_16LE, zero_hi_le)
    } else {
        (UTF_16BE, zero_hi_be)
    };
    if zeros * 10 < pairs {
        return None;
    }
    let (text, had_errors) = enc.decode_without_bom_handling(sample);
    let plausible = text
        .chars()
        .filter(|&c| {
            c.is_ascii_graphic()
                || c.is_ascii_whitespace()
                || ('\u{4E00}'..='\u{9FFF}').contains(&c)
                || ('\u{3000}'..='\u{303F}').contains(&c)
                || ('\u{FF00}'..='\u{FFEF}').contains(&c)
                || ('\u{2000}'..='\u{206F}').contains(&c)
        })
        .count();
    (!had_errors && plausible * 10 >= text.chars().count() * 9).then_some(enc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "北冷乡2019年政府信息公开工作年度报告\n一、本年新收政府信息公开申请数量\t21\t0\t0\t0\t0\t0\t21\n";

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(SAMPLE.as_bytes()).text, SAMPLE);
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&b);
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, "UTF-8"));
    }

    #[test]
    fn gbk_and_gb18030_detected() {
        let (gbk, _, _) = encoding_rs::GBK.encode(SAMPLE);
        let d = decode(&gbk);
        assert_eq!(d.text, SAMPLE);
        assert!(
            d.encoding == "GBK" || d.encoding == "gb18030",
            "{}",
            d.encoding
        );
        let (gb, _, _) = encoding_rs::GB18030.encode(SAMPLE);
        assert_eq!(decode(&gb).text, SAMPLE);
    }

    #[test]
    fn utf16_with_bom_and_without() {
        for le in [true, false] {
            let mut with_bom = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            with_bom.extend(utf16(SAMPLE, le));
            assert_eq!(decode(&with_bom).text, SAMPLE);
            let d = decode(&utf16(SAMPLE, le));
            assert_eq!(d.text, SAMPLE);
            assert_eq!(d.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
        }
    }
}
