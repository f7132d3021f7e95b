//! Output files written whole or not at all.

use std::io::Write;
use std::path::Path;

/// Writes `path` through a temporary file beside it, renamed into place when `write`
/// succeeds, so a failure never leaves half a file under the real name.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T, String>,
) -> Result<T, String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| format!("无法创建 {} (cannot create): {e}", path.display()))?;
    let mut w = std::io::BufWriter::new(tmp);
    let out = write(&mut w)?;
    let tmp = w
        .into_inner()
        .map_err(|e| format!("无法写入 {} (cannot write): {e}", path.display()))?;
    // A temporary file is private (0600); the output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .map_err(|e| format!("无法写入 {} (cannot write): {e}", path.display()))?;
    Ok(out)
}
