//! The configuration file: its settings reach the commands (the store a command writes to),
//! environment variables override it and flags override both; `config check` prints every
//! setting with where it came from and names what is wrong; a file with an unknown key is
//! refused with the key named.

use std::path::Path;
use std::process::{Command, Output};

fn nianbao(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    c.args(args)
        .env_remove("NIANBAO_DB")
        .env_remove("NIANBAO_LISTEN")
        .env_remove("NIANBAO_CONFIG");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn seed() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/seeds/000_ea60ae7e2efea9c4.txt")
        .display()
        .to_string()
}

#[test]
fn the_file_sets_env_overrides_and_flags_override_both() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from-file.db");
    let conf = dir.path().join("nianbao.toml");
    std::fs::write(
        &conf,
        format!(
            "[store]\nurl = \"{}\"\n[serve]\nlisten = \"127.0.0.1:9191\"\ntrusted_proxies = [\"10.1.2.3\"]\n[readers]\nocr = \"tesseract\"\n",
            db.display()
        ),
    )
    .unwrap();
    let c = conf.to_str().unwrap();

    // The file's store is the one a command writes to.
    let out = nianbao(&["--config", c, "ingest", "-q", &seed()], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.exists());

    let out = nianbao(
        &["config", "check", "--config", c],
        &[("NIANBAO_LISTEN", "127.0.0.1:7000")],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("{key}: {text}"))
            .to_string()
    };
    assert!(
        line("store.url").contains("配置文件")
            && line("store.url").ends_with(&db.display().to_string())
    );
    assert!(
        line("serve.listen").contains("环境变量")
            && line("serve.listen").ends_with("127.0.0.1:7000")
    );
    assert!(line("serve.trusted_proxies").ends_with("10.1.2.3"));
    assert!(line("readers.ocr").ends_with("tesseract"));
    assert!(
        line("serve.max_upload_mb").contains("默认") && line("serve.max_upload_mb").ends_with("50")
    );
    assert!(text.contains("设置无误"));

    // A flag wins over the file.
    let other = dir.path().join("flag.db");
    let out = nianbao(
        &[
            "--config",
            c,
            "ingest",
            "-q",
            "--db",
            other.to_str().unwrap(),
            &seed(),
        ],
        &[],
    );
    assert!(out.status.success());
    assert!(other.exists());
}

#[test]
fn config_check_names_what_is_wrong_and_bad_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("bad-values.toml");
    std::fs::write(
        &conf,
        "[serve]\nlisten = \"everywhere\"\ntrusted_proxies = [\"proxy.example\"]\ntls_cert = \"/nonexistent/cert.pem\"\n[readers]\npdf_text = \"acrobat\"\nseconds = -1\n[store]\nurl = \"/nonexistent-dir/x.db\"\n",
    )
    .unwrap();
    let out = nianbao(
        &["--config", conf.to_str().unwrap(), "config", "check"],
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for want in [
        "serve.listen：不是“地址:端口”",
        "不是 IP 地址 (not an IP address): proxy.example",
        "serve.tls_cert 与 serve.tls_key 须同时设置",
        "readers.pdf_text：应为 hayro、pdfium、poppler 之一",
        "readers.seconds：应为正数 (a positive number) — got -1，按默认值 10 读取",
        "store.url：所在目录不存在",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
    // Checking makes no store.
    assert!(!Path::new("/nonexistent-dir").exists());

    let unknown = dir.path().join("unknown.toml");
    std::fs::write(&unknown, "[serve]\nlisen = \"127.0.0.1:1\"\n").unwrap();
    let out = nianbao(
        &["--config", unknown.to_str().unwrap(), "config", "check"],
        &[],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("unknown.toml") && err.contains("unknown field `lisen`"),
        "{err}"
    );

    // Named but missing: refused, not ignored.
    let out = nianbao(
        &["--config", "/nonexistent/nianbao.toml", "config", "check"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("无法读取配置文件"));
}
