//! Agencies' portals in the styles real government site software takes, made from the shared
//! corpora, for the collector's tests and bench. Style by agency number (`i % 6`):
//!
//! 0. CMS list pages drawn by `createPageHTML(n, 0, "index", "html")`, GBK pages without a
//!    charset header, article with `<meta name="PubDate">` and the report as its HTML body
//!    (and a dead attachment link); the list's second page is slow.
//! 1. The home page only: a link to 政府信息公开, whose page names the newest report and links
//!    政府信息公开年报; list pages by `?page=N` and 下一页 (page 2 fails once with a 500),
//!    article with a visible 发布时间 and the report as a PDF by a relative link.
//! 2. A list built by a script from a JSON endpoint; entries link straight to DOCX files,
//!    their dates in the JSON.
//! 3. A plain list with dates beside the links; the list links an old address that redirects
//!    (301) to the article, whose body is held in a script string; no date on the article.
//! 4. Like 0 but UTF-8, dates only in the list, the report attached by an absolute link: a
//!    text file (odd years) or a ZIP holding it (even years).
//! 5. The column under a path robots.txt disallows: nothing may be fetched.
//!
//! Every agency publishes each year's report on 15 January of the next year, except every
//! fourth agency, which publishes on 5 February (late). One agency past the styles (the last,
//! when `agencies` is a multiple of 6 plus 1) has a column that answers 404.

use crate::portal::Resource;
use std::collections::HashMap;
use std::path::Path;

/// What the collector should find for one agency and year.
#[derive(Clone, Debug, PartialEq)]
pub struct Expect {
    pub agency: String,
    pub year: i32,
    pub published: String,
    /// `meta`, `page` or `list`.
    pub date_source: &'static str,
    pub late: bool,
}

pub struct Made {
    pub routes: HashMap<String, Resource>,
    /// The site list as CSV (机关名称,区划代码,网址).
    pub csv: String,
    pub expect: Vec<Expect>,
    /// Agencies with nothing to find, and the outcome the collector should give.
    pub none: Vec<(String, &'static str)>,
}

fn files(dir: &Path, ext: &str) -> Vec<Vec<u8>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    names.sort();
    names.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// The inside of an HTML report's `<body>`.
fn body_of(html: &[u8]) -> String {
    let s = String::from_utf8_lossy(html);
    let a = s.find("<body>").map_or(0, |i| i + 6);
    let b = s.rfind("</body>").unwrap_or(s.len());
    s[a..b].to_string()
}

/// A DOCX with one more member naming `tag`: the same document, a file of its own (the
/// store knows files by their hash).
fn tagged_docx(bytes: &[u8], tag: &str) -> Vec<u8> {
    use std::io::Write;
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX");
    let mut out = Vec::new();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
    for i in 0..from.len() {
        let f = from.by_index_raw(i).expect("a member");
        z.raw_copy_file(f).expect("copied");
    }
    z.start_file(
        "customXml/nianbao-tag.txt",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("a member");
    z.write_all(tag.as_bytes()).expect("written");
    z.finish().expect("a zip");
    out
}

fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' => out.push_str("\\u003c"),
            c if (c as u32) > 127 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, charset: &str, head: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\"><title>{title}</title>{head}</head>\
         <body><div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/zwgk/\">政务公开</a></div>{body}\
         <div class=\"foot\">主办单位：{title} 联系电话：0591-12345678 备案号：闽ICP备12345678号-1</div></body></html>"
    )
}

/// The portals of `agencies` agencies publishing the reports of `years`, from the shared
/// corpora under `shared` (`shared/corpus`), all on the server at `base`.
pub fn make(base: &str, shared: &Path, agencies: usize, years: &[i32]) -> Made {
    make_on(&[base.to_string()], shared, agencies, years)
}

/// [`make`] with agency `i` on the server `bases[i % bases.len()]`.
pub fn make_on(bases: &[String], shared: &Path, agencies: usize, years: &[i32]) -> Made {
    let v = shared.join("corpus/variants");
    let html = files(&v.join("html"), "html");
    let pdf = files(&v.join("pdf"), "pdf");
    let docx = files(&v.join("docx"), "docx");
    let txt = files(&shared.join("corpus/seeds"), "txt");
    let (mut nh, mut np, mut nd, mut nt) = (0, 0, 0, 0);
    let mut routes: HashMap<String, Resource> = HashMap::new();
    let mut csv = String::from("机关名称,区划代码,网址\n");
    let mut expect = Vec::new();
    let mut none = Vec::new();
    routes.insert(
        "/robots.txt".into(),
        Resource::html("User-agent: *\nDisallow: /private/\n", "text/plain"),
    );
    let styled = if agencies % 6 == 1 {
        agencies - 1
    } else {
        agencies
    };
    for i in 0..styled {
        let base = bases[i % bases.len()].as_str();
        let agency = format!("测试县第{i}局");
        let code = format!("350128{:06}", i);
        let style = i % 6;
        let late = i % 4 == 3;
        let date = |y: i32| {
            if late {
                format!("{}-02-05", y + 1)
            } else {
                format!("{}-01-15", y + 1)
            }
        };
        let title = |y: i32| format!("{agency}{y}年政府信息公开工作年度报告");
        let p = format!("/s{i}");
        let site_url;
        match style {
            0 | 4 => {
                let gbk = style == 0;
                let charset = if gbk { "gbk" } else { "utf-8" };
                site_url = format!("{base}{p}/ndbg/index.html");
                for (k, &y) in years.iter().enumerate() {
                    let list_path = if k == 0 {
                        format!("{p}/ndbg/index.html")
                    } else {
                        format!("{p}/ndbg/index_{k}.html")
                    };
                    let art = format!("t{y}_{i}.html");
                    let li = if gbk {
                        format!(
                            "<li><a href=\"./{art}\" title=\"{}\">{}</a></li>",
                            title(y),
                            title(y)
                        )
                    } else {
                        format!(
                            "<li><a href=\"./{art}\">{}</a><span>{}</span></li>",
                            title(y),
                            date(y)
                        )
                    };
                    let list = page(
                        "政府信息公开年报",
                        charset,
                        "",
                        &format!(
                            "<ul class=\"list\">{li}<li><a href=\"./yjs{y}.html\">{agency}{y}年部门预算信息公开</a></li></ul>\
                             <script>createPageHTML({}, {k}, \"index\", \"html\");</script>",
                            years.len()
                        ),
                    );
                    let bytes = if gbk {
                        encoding_rs::GBK.encode(&list).0.into_owned()
                    } else {
                        list.into_bytes()
                    };
                    let mut r = Resource::html(bytes, "text/html");
                    if k == 1 && gbk {
                        r.delay = std::time::Duration::from_millis(300);
                    }
                    routes.insert(list_path, r);
                    let article = if gbk {
                        let body = body_of(&html[nh % html.len()]);
                        nh += 1;
                        page(
                            &title(y),
                            charset,
                            &format!("<meta name=\"PubDate\" content=\"{} 09:30\">", date(y)),
                            // A dead attachment link under the body that holds the report.
                            &format!("<div id=\"zoom\"><!-- {agency} {y} -->{body}</div><p>附件：<a href=\"./gone{y}.pdf\">统计表.pdf</a></p>"),
                        )
                    } else {
                        // Odd years a text file, even years the same in a ZIP.
                        let mut bytes = txt[nt % txt.len()].clone();
                        nt += 1;
                        bytes.extend_from_slice(format!("\n{agency}\n").as_bytes());
                        let (name, bytes, ctype) = if y % 2 == 0 {
                            let member = format!("{agency}{y}年报.txt");
                            (
                                format!("r{y}.zip"),
                                crate::zip_of(&[(&member, &bytes)]),
                                "application/zip",
                            )
                        } else {
                            (format!("r{y}.txt"), bytes, "text/plain; charset=utf-8")
                        };
                        let t = format!("{base}{p}/files/{name}");
                        routes.insert(format!("{p}/files/{name}"), Resource::html(bytes, ctype));
                        page(&title(y), charset, "", &format!("<div class=\"article\"><h1>{}</h1><p>详见附件：<a href=\"{t}\">{name}</a></p></div>", title(y)))
                    };
                    let bytes = if gbk {
                        encoding_rs::GBK.encode(&article).0.into_owned()
                    } else {
                        article.into_bytes()
                    };
                    routes.insert(
                        format!("{p}/ndbg/{art}"),
                        Resource::html(bytes, "text/html"),
                    );
                    expect.push(Expect {
                        agency: agency.clone(),
                        year: y,
                        published: date(y),
                        date_source: if gbk { "meta" } else { "list" },
                        late,
                    });
                }
            }
            1 => {
                site_url = format!("{base}{p}/index.html");
                routes.insert(
                    format!("{p}/index.html"),
                    Resource::html(page(&agency, "utf-8", "", "<a href=\"xxgk/index.html\">政府信息公开</a> <a href=\"news.html\">新闻动态</a>"), "text/html; charset=utf-8"),
                );
                routes.insert(
                    format!("{p}/xxgk/index.html"),
                    // The platform page names the newest report too (最新公开): the column
                    // still holds the others.
                    Resource::html(
                        page(
                            "政府信息公开",
                            "utf-8",
                            "",
                            &format!(
                                "<a href=\"zn.html\">政府信息公开指南</a> <a href=\"nb?page=1\">政府信息公开年报</a>\
                                 <div class=\"new\">最新公开：<a href=\"a{y}.html\">{}</a></div>",
                                title(years[0]),
                                y = years[0]
                            ),
                        ),
                        "text/html; charset=utf-8",
                    ),
                );
                for (k, &y) in years.iter().enumerate() {
                    let next = if k + 1 < years.len() {
                        format!("<a href=\"nb?page={}\">下一页</a>", k + 2)
                    } else {
                        String::new()
                    };
                    let mut r = Resource::html(
                        page("政府信息公开年报", "utf-8", "", &format!("<ul><li><a href=\"a{y}.html\">{}</a></li></ul><div class=\"page\">{next}</div>", title(y))),
                        "text/html; charset=utf-8",
                    );
                    if k == 1 {
                        r.fail_first = 1;
                    }
                    routes.insert(format!("{p}/xxgk/nb?page={}", k + 1), r);
                    let mut bytes = pdf[np % pdf.len()].clone();
                    np += 1;
                    bytes.extend_from_slice(format!("\n%{agency}{y}\n").as_bytes());
                    // Served as static files often are: Last-Modified and no ETag.
                    routes.insert(
                        format!("{p}/files/r{y}.pdf"),
                        Resource {
                            last_modified: Some(format!("Wed, 31 Jan {} 02:00:00 GMT", y + 1)),
                            ..Resource::html(bytes, "application/pdf")
                        },
                    );
                    routes.insert(
                        format!("{p}/xxgk/a{y}.html"),
                        Resource::html(
                            page(&title(y), "utf-8", "", &format!("<h1>{}</h1><div class=\"info\">发布时间：{} 10:00 来源：{agency}</div><p>详见附件。</p><p>附件：<a href=\"../files/r{y}.pdf\">{}.pdf</a></p>", title(y), date(y), title(y))),
                            "text/html; charset=utf-8",
                        ),
                    );
                    expect.push(Expect {
                        agency: agency.clone(),
                        year: y,
                        published: date(y),
                        date_source: "page",
                        late,
                    });
                }
            }
            2 => {
                site_url = format!("{base}{p}/list.html");
                routes.insert(
                    format!("{p}/list.html"),
                    Resource::html(
                        page("政府信息公开年报", "utf-8", "", &format!("<ul id=\"list\"></ul><script>fetch(\"{p}/api/list.json\").then(r => r.json()).then(d => draw(d));</script>")),
                        "text/html; charset=utf-8",
                    ),
                );
                let items: Vec<serde_json::Value> = years
                    .iter()
                    .map(|&y| {
                        let f = format!("{p}/files/{y}.docx");
                        let bytes = tagged_docx(&docx[nd % docx.len()], &format!("{agency}{y}"));
                        routes.insert(f.clone(), Resource::html(bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
                        nd += 1;
                        expect.push(Expect { agency: agency.clone(), year: y, published: date(y), date_source: "list", late });
                        serde_json::json!({"title": title(y), "url": f, "pubDate": format!("{} 08:00:00", date(y))})
                    })
                    .collect();
                routes.insert(
                    format!("{p}/api/list.json"),
                    Resource::html(serde_json::json!({"code": 0, "data": {"total": items.len(), "list": items}}).to_string(), "application/json"),
                );
            }
            3 => {
                site_url = format!("{base}{p}/col.html");
                let lis: String = years
                    .iter()
                    .map(|&y| format!("<li><a href=\"{base}{p}/old/{y}.html\">{}</a><span class=\"date\">[{}]</span></li>", title(y), date(y).replace('-', "/")))
                    .collect();
                routes.insert(
                    format!("{p}/col.html"),
                    Resource::html(
                        page("年度报告", "utf-8", "", &format!("<ul>{lis}</ul>")),
                        "text/html; charset=utf-8",
                    ),
                );
                for &y in years {
                    routes.insert(
                        format!("{p}/old/{y}.html"),
                        Resource {
                            redirect: Some(format!("{p}/art/{y}.html")),
                            ..Resource::default()
                        },
                    );
                    let body = body_of(&html[nh % html.len()]);
                    nh += 1;
                    let script = format!(
                        "<div id=\"content\"></div><script>var content = \"{}\"; document.getElementById(\"content\").innerHTML = content;</script>",
                        js_string(&format!("<!-- {agency} {y} -->{body}"))
                    );
                    routes.insert(
                        format!("{p}/art/{y}.html"),
                        Resource::html(
                            page(&title(y), "utf-8", "", &script),
                            "text/html; charset=utf-8",
                        ),
                    );
                    expect.push(Expect {
                        agency: agency.clone(),
                        year: y,
                        published: date(y),
                        date_source: "list",
                        late,
                    });
                }
            }
            _ => {
                site_url = format!("{base}/private{p}/index.html");
                routes.insert(
                    format!("/private{p}/index.html"),
                    Resource::html(
                        page(
                            "年报",
                            "utf-8",
                            "",
                            &format!("<a href=\"a.html\">{}</a>", title(years[0])),
                        ),
                        "text/html; charset=utf-8",
                    ),
                );
                none.push((agency.clone(), "robots"));
            }
        }
        csv.push_str(&format!("{agency},{code},{site_url}\n"));
    }
    if styled < agencies {
        let agency = "测试县已撤销局".to_string();
        csv.push_str(&format!("{agency},,{}/gone/index.html\n", bases[0]));
        none.push((agency, "failed"));
    }
    Made {
        routes,
        csv,
        expect,
        none,
    }
}
