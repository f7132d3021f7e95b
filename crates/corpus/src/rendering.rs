//! A Word report's pages as LibreOffice lays them out: the PDF, and where each cell's value
//! is printed on it. A DOCX has no pages of its own; with this rendering a reviewer sees a
//! Word report's page, and the clicked cell's box on it, as for a PDF.

use crate::ingest::ParseError;
use crate::{Store, StoreError};
use nianbao_model::{PageBox, Place, Report};
use nianbao_pipeline::analyse;
use nianbao_read::convert::soffice_cjk;
use nianbao_read::{sniff, Format, ReadError};
use std::collections::BTreeMap;

/// A Word file rendered to PDF, and the box of each cell value nianbao read from the PDF,
/// by canonical key, with the raw text printed there.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendering {
    pub pdf: Vec<u8>,
    pub boxes: BTreeMap<String, (String, PageBox)>,
}

/// Renders a DOCX (or legacy .doc/.wps) with LibreOffice, the 公文 fonts mapped to free
/// Chinese ones, and reads the boxes of its cells from the PDF as any PDF is read.
pub fn render(original: &[u8]) -> Result<Rendering, ParseError> {
    let from = word(original).ok_or(ParseError::Read(ReadError::Unsupported(
        "非 Word 文件的排版 (layout of a non-Word file)",
    )))?;
    let pdf = soffice_cjk(original, from, "pdf:writer_pdf_Export", "pdf")?;
    let source = nianbao_read::read_bytes(&pdf)?;
    let (report, _) = analyse(&source, "");
    let boxes = report
        .cells
        .iter()
        .filter_map(|(key, c)| {
            let e = c.evidence.as_ref()?;
            match e.place? {
                p @ Place::Page { .. } => Some((key.to_string(), (e.raw.clone(), p.page_box()?))),
                Place::Cell { .. } => None,
            }
        })
        .collect();
    Ok(Rendering { pdf, boxes })
}

/// Whether the bytes are a Word file LibreOffice can lay out, as the extension it expects.
pub fn word(bytes: &[u8]) -> Option<&'static str> {
    match sniff(bytes) {
        Format::Zip => {
            let zip = nianbao_read::package::open(bytes).ok()?;
            (!nianbao_read::package::has(&zip, "OFD.xml")).then_some("docx")
        }
        Format::Ole => Some("doc"),
        _ => None,
    }
}

/// Gives each cell of `report` read from a Word table the box of the same cell on the
/// rendering — only where the rendering printed the same raw text, so a cell the two
/// readings disagree on is never shown at another value's place.
pub fn attach(report: &mut Report, boxes: &BTreeMap<String, (String, PageBox)>) {
    for (key, cell) in report.cells.iter_mut() {
        let Some(e) = cell.evidence.as_mut() else {
            continue;
        };
        if let Some(Place::Cell { rendered, .. }) = e.place.as_mut() {
            *rendered = boxes
                .get(key)
                .filter(|(raw, _)| same_text(raw, &e.raw))
                .map(|(_, b)| *b);
        }
    }
}

fn same_text(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    squeeze(a) == squeeze(b)
}

impl Store {
    /// The kept rendering of a report's Word original, if one was made.
    pub fn rendering(&mut self, id: i64) -> Result<Option<Rendering>, StoreError> {
        let Some(boxes) = self.rendered_boxes(id)? else {
            return Ok(None);
        };
        let rows = self.conn().query(
            "SELECT pdf FROM renderings WHERE report_id = $1",
            &[id.into()],
        )?;
        Ok(rows.first().map(|r| Rendering {
            pdf: r.bytes(0).unwrap_or_default().to_vec(),
            boxes,
        }))
    }

    /// The cell boxes of a report's kept rendering (without its PDF), if one was made.
    pub fn rendered_boxes(
        &mut self,
        id: i64,
    ) -> Result<Option<BTreeMap<String, (String, PageBox)>>, StoreError> {
        let rows = self.conn().query(
            "SELECT boxes FROM renderings WHERE report_id = $1",
            &[id.into()],
        )?;
        rows.first()
            .map(|r| {
                serde_json::from_str(r.str(0))
                    .map_err(|e| StoreError::Corrupt(format!("renderings {id}: {e}")))
            })
            .transpose()
    }

    /// Keeps a report's rendering; a rendering already kept (another request made it first)
    /// stays.
    pub fn keep_rendering(&mut self, id: i64, r: &Rendering) -> Result<(), StoreError> {
        let boxes = serde_json::to_string(&r.boxes)
            .map_err(|e| StoreError::Corrupt(format!("renderings {id}: {e}")))?;
        self.conn().exec(
            "INSERT INTO renderings (report_id, pdf, boxes) VALUES ($1, $2, $3) \
             ON CONFLICT (report_id) DO NOTHING",
            &[id.into(), r.pdf.clone().into(), boxes.into()],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::{Cell, Evidence, Num, Template};

    fn evidence(raw: &str, place: Place) -> Evidence {
        Evidence {
            raw: raw.into(),
            line: 1,
            column: 1,
            offset: 0,
            len: raw.len(),
            unit: None,
            confidence: 1.0,
            place: Some(place),
        }
    }

    #[test]
    fn a_box_is_attached_only_where_the_rendering_printed_the_same_text() {
        let mut r = Report::new(Template::Y2021);
        let cell = |raw: &str, n| Cell {
            value: Some(Num::Int(n)),
            evidence: Some(evidence(
                raw,
                Place::Cell {
                    table: 1,
                    row: 2,
                    cell: 3,
                    rendered: None,
                },
            )),
        };
        assert!(r.cells.set("t3.received.total", cell("12", 12)));
        assert!(r.cells.set("t3.received.natural", cell("7", 7)));
        let b = PageBox {
            page: 2,
            x0: 10.0,
            y0: 20.0,
            x1: 30.0,
            y1: 40.0,
        };
        let boxes = BTreeMap::from([
            ("t3.received.total".to_string(), (" 12".to_string(), b)),
            ("t3.received.natural".to_string(), ("1".to_string(), b)),
        ]);
        attach(&mut r, &boxes);
        let rendered = |k: &str| match r.cells[k].evidence.as_ref().unwrap().place {
            Some(Place::Cell { rendered, .. }) => rendered,
            _ => panic!("{k} lost its cell place"),
        };
        assert_eq!(rendered("t3.received.total"), Some(b));
        assert_eq!(rendered("t3.received.natural"), None);
    }
}
