//! Fonts, text render modes and encryption across the in-process readers. CJK text in fonts a
//! PDF does not embed and gives no ToUnicode map (older Word/WPS exports name 宋体 and a
//! predefined CMap): both in-process readers decode the codes through the CMap — UCS-2 codes
//! (`UniGB-UCS2-H`) and GBK bytes (`GBK-EUC-H`) — to the same words.

mod common;

use nianbao_read::glyphs::{read_with, Reader};

/// A one-page PDF showing `lines` (font size, text) in a non-embedded Type0 font, each line
/// drawn in text render mode `mode` (0 fill, 1 stroke, 2 fill and stroke).
fn pdf(encoding: &str, code: fn(&str) -> String, lines: &[(u32, &str)], mode: u8) -> Vec<u8> {
    let mut content = String::new();
    for (i, (size, text)) in lines.iter().enumerate() {
        let y = 720 - 30 * i;
        content += &format!(
            "BT /F1 {size} Tf {mode} Tr 72 {y} Td <{}> Tj ET\n",
            code(text)
        );
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".into(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        format!("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /{encoding} /DescendantFonts [6 0 R] >>"),
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>".into(),
        "<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>".into(),
    ];
    common::pdf_file(&objects.map(String::into_bytes))
}

fn ucs2(s: &str) -> String {
    s.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

fn gbk(s: &str) -> String {
    let (bytes, _, _) = encoding_rs::GBK.encode(s);
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

const LINES: [(u32, &str); 2] = [
    (16, "2023年政府信息公开工作年度报告"),
    (12, "行政许可 12 345"),
];

fn words(reader: Reader, bytes: &[u8]) -> Option<Vec<String>> {
    let g = read_with(reader, bytes, 10)?.expect("readable");
    Some(g.words.into_iter().map(|w| w.text).collect())
}

#[test]
fn non_embedded_cjk_fonts_are_decoded_through_their_cmap() {
    let want = ["2023年政府信息公开工作年度报告", "行政许可", "12", "345"];
    for (encoding, code) in [
        ("UniGB-UCS2-H", ucs2 as fn(&str) -> String),
        ("GBK-EUC-H", gbk),
    ] {
        let bytes = pdf(encoding, code, &LINES, 0);
        assert_eq!(
            words(Reader::Hayro, &bytes).unwrap(),
            want,
            "hayro, {encoding}"
        );
        match words(Reader::Pdfium, &bytes) {
            Some(w) => assert_eq!(w, want, "PDFium, {encoding}"),
            None => no_pdfium(),
        }
    }
}

/// Text drawn as outlines only (render mode 1) is read, and text filled and stroked (mode 2,
/// a faux bold) is read once, not twice.
#[test]
fn stroked_text_is_read_once() {
    let want = ["2023年政府信息公开工作年度报告", "行政许可", "12", "345"];
    for mode in [1, 2] {
        let bytes = pdf("UniGB-UCS2-H", ucs2, &LINES, mode);
        assert_eq!(
            words(Reader::Hayro, &bytes).unwrap(),
            want,
            "hayro, mode {mode}"
        );
        if let Some(w) = words(Reader::Pdfium, &bytes) {
            assert_eq!(w, want, "PDFium, mode {mode}");
        }
    }
}

/// A PDF encrypted with a user password (made by pypdf, AES-128) is refused as encrypted by
/// both readers and by `read_bytes`; one with only an owner password (printing forbidden,
/// opening free) is read, to the same words by both.
#[test]
fn encrypted_pdfs_are_refused_unless_only_an_owner_password_is_set() {
    let locked = include_bytes!("fixtures/encrypted-user-password.pdf");
    let open = include_bytes!("fixtures/encrypted-owner-password-only.pdf");
    assert!(matches!(
        nianbao_read::read_bytes(locked),
        Err(nianbao_read::ReadError::Encrypted)
    ));
    let by_hayro = words(Reader::Hayro, open).unwrap();
    for w in [
        "（七）总计",
        "五、存在的主要问题及改进情况",
        "信息公开的及时性、规范性仍需加强。",
    ] {
        assert!(by_hayro.iter().any(|x| x == w), "{w}: {by_hayro:?}");
    }
    for reader in [Reader::Hayro, Reader::Pdfium] {
        match read_with(reader, locked, 10) {
            Some(r) => assert!(
                matches!(r, Err(nianbao_read::ReadError::Encrypted)),
                "{reader:?}"
            ),
            None => no_pdfium(),
        }
    }
    if let Some(by_pdfium) = words(Reader::Pdfium, open) {
        assert_eq!(by_pdfium, by_hayro);
    }
}

/// The ruling lines hayro's pass finds are the ones lopdf's own interpretation of the content
/// streams finds, page by page, on every PDF of the shared corpus (LibreOffice and Chromium,
/// ruled and borderless, and scans): the same rules, each within a hundredth of a point and
/// as thick within a tenth, and the same pages painting images.
#[test]
fn rules_from_the_hayro_pass_are_lopdfs() {
    use nianbao_read::vector::{self, Line};
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let key = |l: &Line| {
        (
            l.horizontal,
            (l.at * 100.0).round() as i64,
            (l.from * 100.0).round() as i64,
            (l.to * 100.0).round() as i64,
            (l.width * 10.0).round() as i64,
        )
    };
    let mut files = 0;
    let mut rules = 0;
    for family in ["variants/pdf", "variants/chrome-pdf", "variants/scan"] {
        let Ok(dir) = std::fs::read_dir(shared.join(family)) else {
            assert!(std::env::var_os("CI").is_none(), "CI needs ../shared");
            return;
        };
        for f in dir.map(|e| e.unwrap().path()) {
            if f.extension().is_none_or(|x| x != "pdf") {
                continue;
            }
            let bytes = std::fs::read(&f).unwrap();
            let hayro = read_with(Reader::Hayro, &bytes, 500).unwrap().unwrap();
            let by_hayro = hayro.lines.expect("hayro reads the rules");
            let doc = vector::load(&bytes).unwrap();
            let pages: Vec<u32> = (1..=hayro.widths.len() as u32).collect();
            let by_lopdf = vector::pages(&doc, &pages);
            for p in pages {
                let (a, b) = (&by_hayro[&p], &by_lopdf[&p]);
                let mut ka: Vec<_> = a.lines.iter().map(key).collect();
                let mut kb: Vec<_> = b.lines.iter().map(key).collect();
                ka.sort();
                kb.sort();
                assert_eq!(ka, kb, "{} page {p}", f.display());
                assert_eq!(a.images, b.images, "{} page {p}: images", f.display());
                rules += ka.len();
            }
            files += 1;
        }
    }
    eprintln!("{files} files, {rules} rules");
    assert!(files >= 75 && rules > 1000, "{files} files, {rules} rules");
}

/// PDFium's library is missing: only hayro was checked. Under CI that is a failure
/// (`.ci/run` runs `scripts/fetch-pdfium`), as `nianbao_testkit::available` has it.
fn no_pdfium() {
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have PDFium: .ci/run runs scripts/fetch-pdfium"
    );
    eprintln!("skipped: PDFium not installed, only hayro checked");
}
