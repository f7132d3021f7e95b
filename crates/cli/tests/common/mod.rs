//! Helpers shared by the end-to-end tests: gold files as reports, and comparing what
//! `nianbao extract` printed with the report it should give back.
#![allow(dead_code)]

use nianbao_model::{Num, Report, Template};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The files of folder `dir` whose names end in `suffix`, sorted by name.
pub fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// The report a gold file `NAME.gold.json` is the gold of: the file `NAME.*` beside it.
pub fn source_beside(gold: &Path) -> PathBuf {
    let stem = gold
        .to_string_lossy()
        .trim_end_matches(".gold.json")
        .to_string();
    let dir = gold.parent().expect("a gold file in a folder");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let s = p.to_string_lossy();
            s.starts_with(&format!("{stem}.")) && !s.ends_with(".gold.json")
        })
        .unwrap_or_else(|| panic!("no source beside {}", gold.display()))
}

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
    let (lines, _, code) = run_extract(files, |cmd| {
        cmd.envs(env.iter().copied());
    });
    (lines, code)
}

/// `nianbao extract FILES`, the command set up further by `setup` (environment, …): the
/// JSON lines it printed, its stderr and its exit code.
pub fn run_extract(
    files: impl IntoIterator<Item = impl AsRef<std::ffi::OsStr>>,
    setup: impl FnOnce(&mut Command),
) -> (Vec<Value>, String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    cmd.arg("extract").args(files);
    setup(&mut cmd);
    let out = cmd.output().unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        lines,
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// The shared reports in the forms real reports take (`shared/corpus/variants`), which lies
/// beside the project (as CI lays it).
pub fn variants() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/variants")
}

/// A report of the repository's seed corpus.
pub fn seed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/seeds")
        .join(name)
}

pub mod browser;
pub mod web;

#[allow(unused_imports)]
pub use nianbao_testkit::{available, soffice, zip_member, zip_of};

/// Writes an OFD package (OFD.xml, Document.xml, PublicRes.xml, one Content.xml a page)
/// holding the PDF's words as TextObjects at their positions, in millimetres.
pub fn ofd_from_pdf(pdf: &Path) -> PathBuf {
    ofd_package(pdf, &[])
}

/// As [`ofd_from_pdf`], with the PDF's painted paths (as poppler's `pdftocairo -svg` draws
/// them: the table rules among them) as PathObjects before each page's text.
pub fn ruled_ofd_from_pdf(pdf: &Path) -> PathBuf {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page.svg");
    let mut paths = Vec::new();
    for page in 1.. {
        let made = Command::new("pdftocairo")
            .args(["-svg", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(pdf)
            .arg(&out)
            .output()
            .unwrap();
        if !made.status.success() {
            break;
        }
        paths.push(path_objects(&std::fs::read_to_string(&out).unwrap()));
    }
    ofd_package(pdf, &paths)
}

/// The painted paths of a poppler SVG page (those outside the glyph definitions carry a
/// transform) as OFD PathObjects in millimetres: `M`/`L`/`C`/`Z` become `M`/`L`/`B`/`C`.
fn path_objects(svg: &str) -> String {
    let doc = scraper::Html::parse_document(svg);
    let sel = scraper::Selector::parse("path[transform]").unwrap();
    let mm = 25.4 / 72.0;
    let mut out = String::new();
    for (i, p) in doc.select(&sel).enumerate() {
        let a = |n: &str| p.value().attr(n).unwrap_or("");
        let style: Vec<(&str, &str)> = a("style")
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .collect();
        let get = |k: &str| style.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
        let stroke = get("stroke").is_some_and(|v| v != "none");
        let fill = get("fill") != Some("none");
        let colour = |v: Option<&str>| {
            let v = v.unwrap_or("rgb(0%,0%,0%)");
            let parts: Vec<String> = v
                .trim_start_matches("rgb(")
                .trim_end_matches(')')
                .split(',')
                .map(|c| {
                    let c: f64 = c.trim_end_matches('%').parse().unwrap_or(0.0);
                    format!("{}", (c * 2.55).round())
                })
                .collect();
            parts.join(" ")
        };
        let m: Vec<f64> = a("transform")
            .trim_start_matches("matrix(")
            .trim_end_matches(')')
            .split(',')
            .map(|v| v.parse::<f64>().unwrap() * mm)
            .collect();
        let data = a("d")
            .split_whitespace()
            .map(|t| match t {
                "C" => "B",
                "Z" => "C",
                t => t,
            })
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&format!(
            "<ofd:PathObject ID=\"{}\" Boundary=\"0 0 210 297\" CTM=\"{} {} {} {} {} {}\" LineWidth=\"{}\" Stroke=\"{stroke}\" Fill=\"{fill}\"><ofd:FillColor Value=\"{}\"/><ofd:StrokeColor Value=\"{}\"/><ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>\n",
            100_000 + i,
            m[0], m[1], m[2], m[3], m[4], m[5],
            get("stroke-width").unwrap_or("1"),
            colour(get("fill")),
            colour(get("stroke")),
        ));
    }
    out
}

fn ofd_package(pdf: &Path, paths: &[String]) -> PathBuf {
    use std::io::Write;
    let tsv = Command::new("pdftotext")
        .args(["-tsv", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let mm = |pt: f64| pt * 25.4 / 72.0;
    let mut pages: Vec<String> = Vec::new();
    let mut id = 10;
    for line in String::from_utf8(tsv.stdout).unwrap().lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let page: usize = f[1].parse().unwrap();
        while pages.len() < page {
            pages.push(paths.get(pages.len()).cloned().unwrap_or_default());
        }
        if f[0] != "5" {
            continue;
        }
        let n = |i: usize| f[i].parse::<f64>().unwrap();
        let (x, y, w, h) = (mm(n(6)), mm(n(7)), mm(n(8)), mm(n(9)));
        let text = f[11].replace('&', "&amp;").replace('<', "&lt;");
        id += 1;
        pages[page - 1].push_str(&format!(
            "<ofd:TextObject ID=\"{id}\" Boundary=\"{x:.3} {y:.3} {w:.3} {h:.3}\" Font=\"2\" Size=\"{h:.3}\"><ofd:TextCode X=\"0\" Y=\"{h:.3}\">{text}</ofd:TextCode></ofd:TextObject>\n"
        ));
    }
    let ns = "xmlns:ofd=\"http://www.ofdspec.org/2016\"";
    let out = pdf.with_extension("ofd");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&out).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, body: String| {
        z.start_file(name, opts).unwrap();
        z.write_all(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}").as_bytes())
            .unwrap();
    };
    put("OFD.xml", format!("<ofd:OFD {ns} Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>nianbao-test</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"));
    let page_list: String = (0..pages.len())
        .map(|i| {
            format!(
                "<ofd:Page ID=\"{}\" BaseLoc=\"Pages/Page_{i}/Content.xml\"/>",
                i + 3
            )
        })
        .collect();
    put("Doc_0/Document.xml", format!("<ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>{id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>{page_list}</ofd:Pages></ofd:Document>"));
    put("Doc_0/PublicRes.xml", format!("<ofd:Res {ns} BaseLoc=\"Res\"><ofd:Fonts><ofd:Font ID=\"2\" FontName=\"宋体\" FamilyName=\"宋体\"/></ofd:Fonts></ofd:Res>"));
    for (i, body) in pages.iter().enumerate() {
        put(&format!("Doc_0/Pages/Page_{i}/Content.xml"), format!("<ofd:Page {ns}><ofd:Content><ofd:Layer ID=\"1\">\n{body}</ofd:Layer></ofd:Content></ofd:Page>"));
    }
    z.finish().unwrap();
    out
}

/// A real portal page (`shared/corpus/variants/html/018-txt.html`: blank cells for zeros)
/// whose table 三 prints its columns in an order of its own (总计 first), has a 备注 column
/// with words and numbers in it, and one value's digits broken by a space; and its gold.
#[allow(dead_code)]
pub fn columns_of_its_own() -> (String, Report) {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/variants/html");
    let page = std::fs::read_to_string(shared.join("018-txt.html")).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (shared/ must lie beside the project)",
            shared.display()
        )
    });
    let gold: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("018-txt.gold.json")).unwrap())
            .unwrap();
    let want = from_gold(&gold);
    let start = page
        .find("<table><tr><td colspan=\"3\" rowspan=\"3\">（本列数据")
        .unwrap();
    let end = start + page[start..].find("</table>").unwrap();
    let rows: Vec<&str> = page[start + "<table>".len()..end]
        .split("</tr>")
        .filter(|r| !r.is_empty())
        .collect();
    let mut table = String::from("<table>");
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .trim_start_matches("<tr>")
            .split_inclusive("</td>")
            .map(str::to_string)
            .collect();
        let mut cells = cells;
        match i {
            0 => cells.push(r#"<td rowspan="3">备注</td>"#.into()),
            1 => {
                // 自然人 | 法人或其他组织 | 总计  →  总计 | 自然人 | 法人或其他组织
                let total = cells.pop().unwrap();
                cells.insert(0, total);
            }
            2 => {}
            _ => {
                let n = cells.len();
                let total = cells.pop().unwrap();
                cells.insert(n - 7, total);
                cells.push(format!("<td>含转办{}件</td>", i % 3 + 1));
            }
        }
        table.push_str("<tr>");
        table.push_str(&cells.concat());
        table.push_str("</tr>");
    }
    let table = table.replacen("<td>32</td>", "<td>3 2</td>", 1);
    let page = format!("{}{table}{}", &page[..start], &page[end..]);
    (page, want)
}
