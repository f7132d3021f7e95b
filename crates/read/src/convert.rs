//! LibreOffice headless conversions: legacy binary Word/WPS files (.doc, .wps) to DOCX for
//! the DOCX reader, and (for `nianbao-render`) DOCX to PDF.

use crate::ReadError;
use std::process::Command;
use std::time::Duration;

/// Longest a conversion may take before it is stopped.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// Converts legacy Word bytes to DOCX bytes.
pub fn doc_to_docx(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    // LibreOffice's start alone can take seconds: a worker's budget grows by its limit.
    crate::isolate::allow(TIMEOUT.as_secs_f64());
    soffice(bytes, "doc", "docx:MS Word 2007 XML", "docx")
}

/// Converts a file's bytes (extension `from`) with `soffice --convert-to FILTER` into the
/// bytes of the `to` file, in a private temporary directory and LibreOffice profile (so
/// conversions can run side by side with each other and a desktop LibreOffice). Without
/// LibreOffice: [`ReadError::NoConverter`].
pub fn soffice(bytes: &[u8], from: &str, filter: &str, to: &str) -> Result<Vec<u8>, ReadError> {
    convert(bytes, from, filter, to, false)
}

/// Free fonts that stand in for the 公文 faces a report names and a server rarely has:
/// (named face, stand-ins in order). Without them fontconfig picks any CJK face, often a
/// Japanese one whose glyphs differ from the Chinese forms.
const STAND_INS: &[(&str, &[&str])] = &[
    (
        "仿宋_GB2312",
        &["FangSong", "Noto Serif CJK SC", "WenQuanYi Zen Hei"],
    ),
    (
        "仿宋",
        &["FangSong", "Noto Serif CJK SC", "WenQuanYi Zen Hei"],
    ),
    (
        "方正小标宋简体",
        &["Noto Serif CJK SC", "WenQuanYi Zen Hei"],
    ),
    (
        "宋体",
        &["SimSun", "Noto Serif CJK SC", "WenQuanYi Zen Hei"],
    ),
    ("黑体", &["SimHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei"]),
    (
        "楷体_GB2312",
        &["KaiTi", "Noto Serif CJK SC", "WenQuanYi Zen Hei"],
    ),
];

/// A document nianbao wrote, converted with the 公文 faces mapped to free Chinese fonts.
pub fn soffice_cjk(bytes: &[u8], from: &str, filter: &str, to: &str) -> Result<Vec<u8>, ReadError> {
    convert(bytes, from, filter, to, true)
}

/// fontconfig settings: the ones in force (a `FONTCONFIG_FILE` the caller set, else the
/// system's) and the stand-ins.
fn fonts_conf() -> String {
    let base = std::env::var("FONTCONFIG_FILE").unwrap_or_else(|_| "/etc/fonts/fonts.conf".into());
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let aliases: String = STAND_INS
        .iter()
        .map(|(name, list)| {
            let prefer: String = list
                .iter()
                .map(|f| format!("<family>{}</family>", esc(f)))
                .collect();
            format!(
                "<alias binding=\"same\"><family>{}</family><prefer>{prefer}</prefer></alias>\n",
                esc(name)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n<include ignore_missing=\"yes\">{}</include>\n{aliases}</fontconfig>\n",
        esc(&base)
    )
}

fn convert(
    bytes: &[u8],
    from: &str,
    filter: &str,
    to: &str,
    cjk: bool,
) -> Result<Vec<u8>, ReadError> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join(format!("input.{from}"));
    std::fs::write(&input, bytes)?;
    let profile = dir.path().join("profile");
    let mut cmd = Command::new("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args([
        "--headless",
        "--norestore",
        "--convert-to",
        filter,
        "--outdir",
    ])
    .arg(dir.path())
    .arg(&input);
    if cjk {
        let conf = dir.path().join("fonts.conf");
        std::fs::write(&conf, fonts_conf())?;
        cmd.env("FONTCONFIG_FILE", conf);
    }
    let (status, _) =
        crate::process::run(cmd, TIMEOUT, ReadError::NoConverter, "LibreOffice 转换")?;
    if !status.success() {
        return Err(ReadError::Corrupt(format!(
            "LibreOffice 转换失败 (conversion failed: {status})"
        )));
    }
    std::fs::read(dir.path().join(format!("input.{to}"))).map_err(|_| {
        ReadError::Corrupt(
            "LibreOffice 未能转换此文件，可能已损坏 (LibreOffice could not convert the file)"
                .into(),
        )
    })
}
