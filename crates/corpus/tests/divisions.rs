//! Every report of the shared corpora lands at its national division: the seeds and the
//! pingtan portal as text, and the same reports as web pages, CMS snippets, `pdftotext
//! -layout` text, PDF-to-Markdown, Word files and PDFs of LibreOffice and Chromium (their
//! agencies read from those forms).

use nianbao_corpus::ingest::ingest;
use nianbao_corpus::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each report of seeds and pingtan by file stem: its division code, how it was settled,
/// and the path people read.
const WANT: [(&str, &str, &str, &str); 27] = [
    (
        "000_ea60ae7e2efea9c4",
        "410825203",
        "name",
        "河南省 焦作市 温县 北冷乡",
    ),
    (
        "001_108787ae7295ae56",
        "330226111",
        "name",
        "浙江省 宁波市 宁海县 西店镇",
    ),
    (
        "002_3bceb6a2129e3845",
        "410223101",
        "name",
        "河南省 开封市 尉氏县 洧川镇",
    ),
    (
        "003_c6fe95c377c36cea",
        "411321100",
        "name",
        "河南省 南阳市 南召县 城关镇",
    ),
    // One of 19 河口镇: the text names 寻甸回族彝族自治县 and 寻甸县.
    (
        "004_ea2d11bfa97f555c",
        "530129107",
        "text",
        "云南省 昆明市 寻甸回族彝族自治县 河口镇",
    ),
    ("001-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("002-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("003-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("004-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("005-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("006-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("007-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("008-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("009-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("010-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("011-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("012-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("013-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("014-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("015-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("016-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("017-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("018-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("019-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("020-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("021-txt", "350128", "name", "福建省 福州市 平潭县"),
    ("022-txt", "350128", "name", "福建省 福州市 平潭县"),
];

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// The report files of a folder (not the gold files beside them).
fn reports(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.to_string_lossy();
            !name.ends_with(".gold.json") && !name.ends_with("README.md")
        })
        .collect();
    files.sort();
    files
}

/// Stored reports by file stem: (division, how, path).
fn located(folders: &[&str]) -> Vec<(String, (String, String, String))> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("d.db").display().to_string()).unwrap();
    let files: Vec<PathBuf> = folders
        .iter()
        .flat_map(|f| reports(&shared().join(f)))
        .collect();
    ingest(&mut store, &files, &mut |_, _| {}).unwrap();
    let rows = store
        .conn()
        .query(
            "SELECT r.path, COALESCE(a.division, ''), COALESCE(a.division_how, '') \
             FROM reports r JOIN agencies a ON a.id = r.agency_id ORDER BY r.path",
            &[],
        )
        .unwrap();
    assert_eq!(rows.len(), files.len(), "every file stored with an agency");
    rows.iter()
        .map(|r| {
            let path = Path::new(r.str(0));
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let names = nianbao_corpus::divisions::path_of(r.str(1));
            (stem, (r.str(1).to_string(), r.str(2).to_string(), names))
        })
        .collect()
}

#[test]
fn seeds_and_pingtan_land_at_their_divisions() {
    let got: BTreeMap<_, _> = located(&["seeds", "pingtan"]).into_iter().collect();
    assert_eq!(got.len(), WANT.len());
    for (stem, code, how, path) in WANT {
        assert_eq!(
            got[stem],
            (code.to_string(), how.to_string(), path.to_string()),
            "{stem}"
        );
    }
}

#[test]
fn the_same_reports_in_other_forms_land_at_the_same_divisions() {
    let want: BTreeMap<&str, &str> = WANT.iter().map(|w| (w.0, w.1)).collect();
    let forms = [
        "variants/html",
        "variants/fragment",
        "variants/pdftotext-layout",
        "variants/pdf-tables-md",
        "variants/docx",
        "variants/pdf",
        "variants/chrome-pdf",
    ];
    let mut seen = 0;
    for form in forms {
        for (stem, (code, _, _)) in located(&[form]) {
            assert_eq!(
                Some(&code.as_str()),
                want.get(stem.as_str()),
                "{form}/{stem}"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, forms.len() * 25);
}

/// Every county-level division of the national table, printed as its departments print it
/// (the city's name, then its own: `成都市武侯区教育局`), is placed at itself.
#[test]
fn every_county_level_name_places_its_departments_at_it() {
    use nianbao_division::{all, Level, Located, Query};
    let table = all();
    let mut wrong = Vec::new();
    let mut counties = 0;
    for d in table.iter() {
        if d.level() != Level::County || d.is_placeholder() {
            continue;
        }
        counties += 1;
        let path = table.path(d.code);
        // The nearest parent with a name of its own (municipalities print no city).
        let city = path
            .iter()
            .rev()
            .find(|p| p.code != d.code && !p.is_placeholder())
            .map_or("", |p| p.name);
        let printed = format!("{city}{}教育局", d.name);
        let name = nianbao_corpus::agency::parse(&printed);
        let got = nianbao_division::locate(&Query {
            region: &name.region,
            core: &name.core,
            text: "",
        });
        match got {
            Located::Found { division, .. } if division.code == d.code => {}
            other => wrong.push(format!("{printed} → {other:?}")),
        }
    }
    assert!(counties > 2800, "{counties} county-level divisions");
    assert!(
        wrong.is_empty(),
        "{} of {counties}: {:#?}",
        wrong.len(),
        &wrong[..wrong.len().min(40)]
    );
}

/// The ways 成都市武侯区's agencies print their names all reach 武侯区 (510107) or its street.
#[test]
fn wuhou_district_agencies_are_placed() {
    use nianbao_division::{Located, Query};
    for (printed, want) in [
        ("成都市武侯区人民政府", "510107"),
        ("成都市武侯区人民政府办公室", "510107"),
        ("四川省成都市武侯区教育局", "510107"),
        ("武侯区教育局", "510107"),
        ("成都市武侯区卫生健康局", "510107"),
        ("成都市武侯区玉林街道办事处", "510107005"),
    ] {
        let name = nianbao_corpus::agency::parse(printed);
        let got = nianbao_division::locate(&Query {
            region: &name.region,
            core: &name.core,
            text: "",
        });
        match got {
            Located::Found { division, .. } => assert_eq!(division.code, want, "{printed}"),
            other => panic!("{printed}: {name:?} → {other:?}"),
        }
    }
}
