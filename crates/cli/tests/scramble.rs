//! The shared reports flattened at random by `shared/tools/scramble.py` (serialisations,
//! fragments under wrong or generic headers, labels and values in separate blocks, vertical
//! group labels, wrapping, page furniture, typos, 0/blank/dash, units, decoys): on a fixed
//! set of seeds, at least 99.5 % of the cells right overall, no seed below 98 %, and no
//! wrong cell that a finding does not name. `scripts/scramble-accuracy` reports seeds 1–200.

mod common;

use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Seeds 1–12, and seeds whose silent cells a change fixed (113, 162: a value after two
/// labels on lines of their own; 23: a row's blank cells on its label's line passed over for
/// a value printed lines later, before the next row's label; 9023 and 9033, never looked at
/// before: values after a run of three or four labels back to back, or before a run of two;
/// 9024: a row `4      /      16` read as the page number "4 / 16"; 163: a block of six labels
/// whose first row took a decoy's dashes printed before it, the rest values after it; 165: a
/// value between two runs of labels, owned by a row of the second run).
const SEEDS: [u32; 20] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 23, 113, 162, 163, 165, 9023, 9024, 9033,
];

fn scramble(seed: u32, out: &Path) -> Vec<(PathBuf, Value)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools/scramble.py");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .args(["--seed", &seed.to_string()])
        .arg(out)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{}: {e}", script.display()));
    assert!(status.success(), "scramble.py --seed {seed}");
    common::files(out, ".gold.json")
        .into_iter()
        .map(|g| {
            let source = common::source_beside(&g);
            let gold = serde_json::from_str(&std::fs::read_to_string(&g).unwrap()).unwrap();
            (source, gold)
        })
        .collect()
}

/// Cells right, cells in all, and the wrong cells no finding names (as `file key`).
fn score(docs: &[(PathBuf, Value)]) -> (usize, usize, Vec<String>) {
    let files: Vec<PathBuf> = docs.iter().map(|d| d.0.clone()).collect();
    let (lines, _) = common::extract(&files);
    assert_eq!(lines.len(), docs.len(), "one line per file");
    let (mut right, mut total, mut silent) = (0, 0, Vec::new());
    for ((file, gold), got) in docs.iter().zip(&lines) {
        let named: HashSet<&str> = got["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|f| f["cells"].as_array().into_iter().flatten())
            .filter_map(Value::as_str)
            .collect();
        for (key, want) in gold["values"].as_object().unwrap() {
            total += 1;
            let ok = match (want.as_f64(), got["values"][key].as_f64()) {
                (None, None) => true,
                (Some(a), Some(b)) => (a - b).abs() < 1e-6,
                _ => false,
            };
            if ok {
                right += 1;
            } else if !named.contains(key.as_str()) {
                let name = file.file_name().unwrap().to_string_lossy();
                silent.push(format!(
                    "{name} {key}: want {want}, got {}",
                    got["values"][key]
                ));
            }
        }
    }
    (right, total, silent)
}

#[test]
fn scrambled_reports_read_right_or_say_which_cells_are_in_doubt() {
    let dir = tempfile::tempdir().unwrap();
    let (mut right, mut total, mut silent) = (0, 0, Vec::new());
    for seed in SEEDS {
        let out = dir.path().join(format!("s{seed}"));
        let (r, t, s) = score(&scramble(seed, &out));
        eprintln!("seed {seed}: {r}/{t} cells right, {} silent", s.len());
        assert!(
            r * 100 >= t * 98,
            "seed {seed}: {r}/{t} cells right, below 98 %"
        );
        right += r;
        total += t;
        silent.extend(s);
    }
    assert!(
        right * 1000 >= total * 995,
        "{right}/{total} cells right, below 99.5 %"
    );
    assert!(
        silent.is_empty(),
        "wrong cells no finding names:\n{}",
        silent.join("\n")
    );
}
