//! Helpers shared by the end-to-end tests: gold files as reports, and comparing what
//! `nianbao extract` printed with the report it should give back.
#![allow(dead_code)]

use nianbao_model::{Num, Report, Template};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn from_gold(gold: &Value) -> Report {
    let t = Template::parse(gold["template"].as_str().unwrap()).unwrap();
    let mut r = Report::new(t);
    r.agency = gold["agency"].as_str().map(str::to_string);
    r.year = gold["year"].as_i64().map(|y| y as i32);
    for (k, v) in gold["values"].as_object().unwrap() {
        let n = v
            .as_i64()
            .map(Num::Int)
            .or_else(|| v.as_f64().map(Num::Dec));
        r.set(k, n);
    }
    r
}

pub fn gold_file(path: &Path) -> Report {
    from_gold(&serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
}

/// Template, year, agency and every value that differ, empty when they agree.
pub fn differences(want: &Report, got: &Value) -> Vec<String> {
    let mut d = Vec::new();
    if got["template"] != want.template.as_str() {
        d.push(format!("template {}", got["template"]));
    }
    if got["year"].as_i64().map(|y| y as i32) != want.year {
        d.push(format!("year {}", got["year"]));
    }
    if got["agency"].as_str() != want.agency.as_deref() {
        d.push(format!("agency {}", got["agency"]));
    }
    for (k, v) in want.values_in_order() {
        let g = got["values"][k].as_f64();
        let ok = match (g, v) {
            (None, None) => true,
            (Some(a), Some(b)) => (a - b.as_f64()).abs() < 1e-9,
            _ => false,
        };
        if !ok {
            d.push(format!(
                "{k}: got {} want {v:?} (raw {})",
                got["values"][k], got["evidence"][k]["raw"]
            ));
        }
    }
    d
}

/// Runs `nianbao extract` on the files: its JSON lines and exit status.
pub fn extract(files: &[PathBuf]) -> (Vec<Value>, i32) {
    extract_with(files, &[])
}

/// [`extract`] with environment variables set for the process (`NIANBAO_OCR`, …).
#[allow(dead_code)]
pub fn extract_with(files: &[PathBuf], env: &[(&str, &str)]) -> (Vec<Value>, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("extract")
        .args(files)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (lines, out.status.code().unwrap_or(-1))
}

/// Whether a tool the test needs is installed: outside CI a missing tool skips the test;
/// in CI it is a failure, since `.ci/run` installs every one.
pub fn available(found: bool, tool: &str) -> bool {
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have {tool}: .ci/run installs it"
        );
        eprintln!("skipped: {tool} not installed");
    }
    found
}

pub fn soffice() -> bool {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    available(found, "LibreOffice (soffice)")
}

pub mod web;
