//! The zip container of DOCX and OFD files: opened once, every part read within a size
//! limit whatever its header claims (zip bombs), encrypted parts refused.

use crate::ReadError;
use std::io::{Cursor, Read};

pub type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Most entries a package may list: real DOCX/OFD files have a few dozen.
pub const MAX_ENTRIES: usize = 10_000;

pub fn open(bytes: &[u8]) -> Result<Zip<'_>, ReadError> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ReadError::Corrupt(format!("ZIP 结构损坏 (broken zip): {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(ReadError::Corrupt(format!(
            "ZIP 内文件过多：{} 个 (too many entries)",
            zip.len()
        )));
    }
    Ok(zip)
}

/// Whether the package lists a part (names compared without case).
pub fn has(zip: &Zip, name: &str) -> bool {
    zip.file_names()
        .any(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
}

/// Reads one part as UTF-8, at most `limit` bytes once inflated.
pub fn read(zip: &mut Zip, name: &str, limit: u64) -> Result<String, ReadError> {
    let entry = zip
        .by_name(name)
        .map_err(|e| ReadError::Corrupt(format!("无法读取 {name} (cannot read part): {e}")))?;
    if entry.encrypted() {
        return Err(ReadError::Encrypted);
    }
    if entry.size() > limit {
        return Err(ReadError::Bomb(entry.size()));
    }
    let mut buf = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ReadError::Corrupt(format!("{name} 解压失败 (cannot inflate): {e}")))?;
    if buf.len() as u64 > limit {
        return Err(ReadError::Bomb(buf.len() as u64));
    }
    String::from_utf8(buf).map_err(|_| ReadError::Corrupt(format!("{name} 不是 UTF-8 (not UTF-8)")))
}
