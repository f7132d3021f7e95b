//! The site list: a CSV or XLSX table with a header naming the agency, its division code
//! (optional) and the URL, in Chinese or English.

use crate::Site;
use std::path::Path;

const NAME: [&str; 6] = ["机关", "单位", "名称", "agency", "name", "部门"];
const CODE: [&str; 3] = ["代码", "code", "区划"];
const URL: [&str; 5] = ["网址", "url", "栏目", "链接", "网站"];

/// Reads the list; an error names the file and what is missing.
pub fn read_sites(path: &Path) -> Result<Vec<Site>, String> {
    let shown = path.display();
    let rows: Vec<Vec<String>> = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("xlsx") | Some("xls") => {
            use calamine::Reader;
            let mut book = calamine::open_workbook_auto(path)
                .map_err(|e| format!("{shown}: 无法读取表格 (cannot read spreadsheet): {e}"))?;
            let sheet = book
                .sheet_names()
                .first()
                .cloned()
                .ok_or_else(|| format!("{shown}: 表格没有工作表 (no sheet)"))?;
            let range = book
                .worksheet_range(&sheet)
                .map_err(|e| format!("{shown}: {e}"))?;
            range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string().trim().to_string()).collect())
                .collect()
        }
        _ => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("{shown}: 无法读取文件 (cannot read file): {e}"))?;
            let text = crate::page::decode(&bytes, "");
            let text = text.trim_start_matches('\u{feff}');
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            r.records()
                .filter_map(Result::ok)
                .map(|rec| rec.iter().map(|c| c.trim().to_string()).collect())
                .collect()
        }
    };
    sites_of(&rows).map_err(|e| format!("{shown}: {e}"))
}

/// A site list typed or pasted as CSV text (a header line, then one agency per line).
pub fn parse_sites(text: &str) -> Result<Vec<Site>, String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = r
        .records()
        .filter_map(Result::ok)
        .map(|rec| rec.iter().map(|c| c.trim().to_string()).collect())
        .collect();
    sites_of(&rows)
}

/// The hosts a site list names (the only ones a collection started from the web fetches).
pub fn hosts_of(sites: &[Site]) -> Vec<String> {
    let mut out: Vec<String> = sites
        .iter()
        .filter_map(|s| {
            url::Url::parse(s.url.trim())
                .ok()?
                .host_str()
                .map(str::to_string)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn sites_of(rows: &[Vec<String>]) -> Result<Vec<Site>, String> {
    let Some(header) = rows.first() else {
        return Err("站点清单为空 (the site list is empty)".to_string());
    };
    let col = |words: &[&str]| {
        header
            .iter()
            .position(|h| words.iter().any(|w| h.to_ascii_lowercase().contains(w)))
    };
    let (Some(name), Some(url)) = (col(&NAME), col(&URL)) else {
        return Err(format!(
            "表头须有机关名称与网址两列 (the header needs an agency column and a URL column), got {header:?}"
        ));
    };
    let code = col(&CODE).filter(|&c| c != name && c != url);
    Ok(rows[1..]
        .iter()
        .filter_map(|r| {
            let agency = r.get(name)?.trim().to_string();
            let url = r.get(url)?.trim().to_string();
            (!agency.is_empty() && !url.is_empty()).then(|| Site {
                agency,
                code: code
                    .and_then(|c| r.get(c))
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty()),
                url,
            })
        })
        .collect())
}
