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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xlsx_list_with_chinese_heads_in_any_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("站点清单.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["网址", "区划代码", "单位名称"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet
            .write_string(1, 0, "http://www.a.gov.cn/ndbg/")
            .unwrap();
        sheet.write_string(1, 1, "350128").unwrap();
        sheet.write_string(1, 2, "甲县财政局").unwrap();
        sheet.write_string(2, 0, "http://www.b.gov.cn/").unwrap();
        sheet.write_string(2, 2, "乙县教育局").unwrap();
        book.save(&path).unwrap();
        let sites = read_sites(&path).unwrap();
        assert_eq!(
            sites,
            vec![
                Site {
                    agency: "甲县财政局".into(),
                    code: Some("350128".into()),
                    url: "http://www.a.gov.cn/ndbg/".into()
                },
                Site {
                    agency: "乙县教育局".into(),
                    code: None,
                    url: "http://www.b.gov.cn/".into()
                },
            ]
        );
        assert_eq!(hosts_of(&sites), vec!["www.a.gov.cn", "www.b.gov.cn"]);
    }

    #[test]
    fn a_gbk_csv_list_and_one_without_a_url_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sites.csv");
        let (bytes, _, _) =
            encoding_rs::GBK.encode("机关名称,网址\n丙县民政局,http://mz.c.gov.cn/\n");
        std::fs::write(&path, bytes).unwrap();
        let sites = read_sites(&path).unwrap();
        assert_eq!(sites[0].agency, "丙县民政局");
        let err = parse_sites("机关名称,电话\n丁局,123\n").unwrap_err();
        assert!(err.contains("表头须有机关名称与网址两列"), "{err}");
    }
}
