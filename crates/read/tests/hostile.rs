//! Hostile and broken files: each gets a clear error, in bounded time and memory.

mod common;

use nianbao_read::{read_bytes, ReadError};
use std::io::Write;

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

#[test]
fn zip_bomb_inside_a_docx_is_refused() {
    let huge = vec![b' '; 80 * 1024 * 1024];
    let bomb = zip_with(&[("word/document.xml", &huge)]);
    assert!(
        bomb.len() < 1024 * 1024,
        "the bomb compresses: {}",
        bomb.len()
    );
    assert!(matches!(read_bytes(&bomb), Err(ReadError::Bomb(_))));
}

#[test]
fn truncated_and_foreign_zips() {
    let good = zip_with(&[("word/document.xml", b"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>")]);
    assert_eq!(read_bytes(&good).unwrap().text, "x\n");
    for cut in [10, good.len() / 2, good.len() - 10] {
        let e = read_bytes(&good[..cut]).unwrap_err();
        assert!(matches!(e, ReadError::Corrupt(_)), "cut at {cut}: {e}");
    }
    let other = zip_with(&[("hello.txt", b"hi")]);
    assert!(read_bytes(&other)
        .unwrap_err()
        .to_string()
        .contains("not a DOCX"));
    let ofd = zip_with(&[("OFD.xml", b"<ofd:OFD/>")]);
    assert!(read_bytes(&ofd)
        .unwrap_err()
        .to_string()
        .contains("DocRoot"));
    let escape = zip_with(&[("OFD.xml", b"<ofd:OFD><ofd:DocBody><ofd:DocRoot>../../etc/passwd</ofd:DocRoot></ofd:DocBody></ofd:OFD>")]);
    assert!(read_bytes(&escape)
        .unwrap_err()
        .to_string()
        .contains("path leaves the package"));
}

#[test]
fn broken_xml_and_entity_expansion() {
    let broken = zip_with(&[("word/document.xml", b"<w:document><w:body><w:p></w:body>")]);
    assert!(matches!(read_bytes(&broken), Err(ReadError::Corrupt(_))));
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">{}]><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>&lol9;正文</w:t></w:r></w:p></w:body></w:document>",
        (1..10).map(|i| format!("<!ENTITY lol{i} \"{}\">", format!("&lol{};", i - 1).repeat(10))).collect::<String>()
    );
    let z = zip_with(&[("word/document.xml", laughs.as_bytes())]);
    assert_eq!(read_bytes(&z).unwrap().text, "正文\n");
}

#[test]
fn encrypted_office_file() {
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.extend(vec![0u8; 512]);
    ole.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    assert!(matches!(read_bytes(&ole), Err(ReadError::Encrypted)));
}

/// A one-page PDF whose page runs `content` (uncompressed), as a hostile file would carry it.
fn pdf_with(content: &[u8]) -> Vec<u8> {
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>".to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
    ];
    common::pdf_file(&objs)
}

fn rules_of(pdf: &[u8]) -> Vec<nianbao_read::vector::Line> {
    let doc = nianbao_read::vector::load(pdf).expect("lopdf reads it");
    nianbao_read::vector::pages(&doc, &[1])
        .remove(&1)
        .expect("page 1")
        .lines
}

#[test]
fn pdf_content_floods_are_bounded() {
    // A million saves before a rule: the rule is still read, the saves kept to a bound.
    let deep = [b"q ".repeat(1_000_000), b"0 G 10 10 m 200 10 l S".to_vec()].concat();
    assert_eq!(rules_of(&pdf_with(&deep)).len(), 1);
    // A path of three million points is no rule and is not kept.
    let long = [
        b"0 0 m ".to_vec(),
        b"1 0 l ".repeat(3_000_000),
        b"S".to_vec(),
    ]
    .concat();
    assert!(rules_of(&pdf_with(&long)).is_empty());
    // Garbage after a rule ends the page's interpretation, keeping what came before.
    let junk = b"0 G 10 10 m 200 10 l S ] ) >> 12 0 obj stream".to_vec();
    assert_eq!(rules_of(&pdf_with(&junk)).len(), 1);
}

#[test]
fn broken_pdfs_get_a_one_line_error() {
    let good = pdf_with(b"0 G 10 10 m 200 10 l S");
    for (what, bytes) in [
        ("truncated", good[..good.len() / 2].to_vec()),
        ("no xref", good[..good.len() - 60].to_vec()),
        ("header only", b"%PDF-1.7\n".to_vec()),
    ] {
        match read_bytes(&bytes) {
            Err(e) => {
                let msg = e.to_string();
                assert!(!msg.contains('\n'), "{what}: {msg}");
            }
            Ok(s) => panic!("{what}: read as {:?}", s.format),
        }
    }
}
