//! Word documents (DOCX, and WPS files saved in that format): paragraphs and tables of
//! `word/document.xml`, with gridSpan and vMerge resolved, tracked changes accepted,
//! field codes left out and text boxes read once.

use crate::document::{Block, Document, Grid, Place, Slot, MAX_COLS, MAX_ROWS};
use crate::package::{self, Zip};
use crate::ReadError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Largest `word/document.xml` read: real reports are well under 5 MB of XML.
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// `word/document.xml` of a DOCX package, bounded in size.
pub fn document_xml(zip: &mut Zip) -> Result<String, ReadError> {
    if !package::has(zip, "word/document.xml") {
        return Err(ReadError::Corrupt(
            "ZIP 文件中没有 word/document.xml，不是 Word 文档 (not a DOCX)".into(),
        ));
    }
    package::read(zip, "word/document.xml", MAX_XML_BYTES)
}

/// A cell being read: its text, grid columns spanned and whether it continues a vertical merge.
struct Cell {
    text: String,
    span: usize,
    continues: bool,
}

#[derive(Default)]
struct State {
    doc: Document,
    /// Paragraphs being read (text boxes nest paragraphs inside paragraphs).
    paras: Vec<String>,
    /// Tables being read, innermost last: rows of cells.
    tables: Vec<Vec<Vec<Cell>>>,
    /// Their numbers in document order (where each starts), innermost last.
    numbers: Vec<u32>,
    /// Tables started so far.
    started: u32,
    /// Depth inside content that is not text: deleted runs, field codes, fallbacks.
    skip: usize,
    in_text: bool,
}

impl State {
    fn push_text(&mut self, s: &str) {
        if self.skip > 0 || !self.in_text {
            return;
        }
        if let Some(p) = self.paras.last_mut() {
            p.push_str(s);
        }
    }

    fn cell(&mut self) -> Option<&mut Cell> {
        self.tables.last_mut()?.last_mut()?.last_mut()
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        if let Some(outer) = self.paras.last_mut() {
            // A paragraph inside a text box inside a paragraph: keep it apart.
            if !p.trim().is_empty() {
                outer.push(' ');
                outer.push_str(&p);
            }
            return;
        }
        if let Some(cell) = self.cell() {
            if !cell.text.is_empty() {
                cell.text.push(' ');
            }
            cell.text.push_str(&p);
        } else if !p.trim().is_empty() {
            self.doc.blocks.push(Block::Para(p));
        }
    }

    fn end_table(&mut self) {
        let Some(rows) = self.tables.pop() else {
            return;
        };
        let grid = grid(rows, self.numbers.pop().unwrap_or(0));
        match self.cell() {
            // A table nested in a cell: its text joins the cell.
            Some(cell) => {
                for row in &grid.rows {
                    for s in row {
                        if let Slot::Cell(t) = s {
                            cell.text.push(' ');
                            cell.text.push_str(t);
                        }
                    }
                }
            }
            None => self.doc.blocks.push(Block::Table(grid)),
        }
    }
}

/// Table number `table`'s grid; each cell's place is its `w:tc`'s index in its `w:tr`.
fn grid(rows: Vec<Vec<Cell>>, table: u32) -> Grid {
    let mut places = Vec::new();
    let rows = rows
        .into_iter()
        .take(MAX_ROWS)
        .enumerate()
        .map(|(r, cells)| {
            let mut out = Vec::new();
            let mut here = Vec::new();
            for (i, c) in cells.into_iter().enumerate() {
                if out.len() >= MAX_COLS {
                    break;
                }
                out.push(if c.continues {
                    Slot::Covered
                } else {
                    here.push(Some(Place::Cell {
                        table,
                        row: r as u32,
                        cell: i as u32,
                        rendered: None,
                    }));
                    Slot::Cell(c.text)
                });
                for _ in 1..c.span.clamp(1, MAX_COLS - out.len().min(MAX_COLS - 1)) {
                    out.push(Slot::Covered);
                }
            }
            places.push(here);
            out
        });
    Grid {
        rows: rows.collect(),
        confidence: Vec::new(),
        places,
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// Elements whose whole content is not document text.
const SKIPPED: &[&str] = &[
    "w:del",
    "w:delText",
    "w:instrText",
    "w:moveFrom",
    "mc:Fallback",
    "w:rPr",
    "w:pPr",
];

pub fn document(xml: &str) -> Result<Document, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut st = State::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ReadError::Corrupt(format!("正文 XML 有误 (bad document.xml): {e}")))?;
        match event {
            Event::Start(e) => {
                let name = e.name();
                let name = name.as_ref();
                if st.skip > 0 || SKIPPED.contains(&name) {
                    st.skip += 1;
                    continue;
                }
                match name {
                    "w:p" => st.paras.push(String::new()),
                    "w:t" => st.in_text = true,
                    "w:tbl" => {
                        st.tables.push(Vec::new());
                        st.numbers.push(st.started);
                        st.started += 1;
                    }
                    "w:tr" => {
                        if let Some(t) = st.tables.last_mut() {
                            t.push(Vec::new());
                        }
                    }
                    "w:tc" => {
                        if let Some(row) = st.tables.last_mut().and_then(|t| t.last_mut()) {
                            row.push(Cell {
                                text: String::new(),
                                span: 1,
                                continues: false,
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if st.skip > 0 {
                    continue;
                }
                let name = e.name();
                match name.as_ref() {
                    "w:tab" => st.push_text_always("\t"),
                    "w:br" | "w:cr" => st.push_text_always(" "),
                    "w:gridSpan" => {
                        let span = attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        if let Some(c) = st.cell() {
                            c.span = span;
                        }
                    }
                    "w:vMerge" => {
                        let restart = attr(&e, "w:val").is_some_and(|v| v == "restart");
                        if let Some(c) = st.cell() {
                            c.continues = !restart;
                        }
                    }
                    "w:gridBefore" => {
                        let n: usize = attr(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                        if let Some(row) = st.tables.last_mut().and_then(|t| t.last_mut()) {
                            for _ in 0..n.min(MAX_COLS) {
                                row.push(Cell {
                                    text: String::new(),
                                    span: 1,
                                    continues: true,
                                });
                            }
                        }
                    }
                    "w:p" => {
                        st.paras.push(String::new());
                        st.end_paragraph();
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if st.skip > 0 {
                    st.skip -= 1;
                    continue;
                }
                match e.name().as_ref() {
                    "w:p" => st.end_paragraph(),
                    "w:t" => st.in_text = false,
                    "w:tbl" => st.end_table(),
                    _ => {}
                }
            }
            Event::Text(t) => {
                let s: &str = &t;
                st.push_text(s);
            }
            Event::CData(t) => {
                let s: &str = &t;
                st.push_text(s);
            }
            Event::GeneralRef(r) => {
                let c = match &*r {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                // Entities a DTD would define are never expanded.
                if let Some(c) = c {
                    st.push_text(&c.to_string());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    while !st.tables.is_empty() {
        st.end_table();
    }
    while !st.paras.is_empty() {
        st.end_paragraph();
    }
    Ok(st.doc)
}

impl State {
    /// Tabs and breaks are runs of their own, outside `w:t`.
    fn push_text_always(&mut self, s: &str) {
        if self.skip == 0 {
            if let Some(p) = self.paras.last_mut() {
                p.push_str(s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Document {
        document(&format!(
            "<w:document xmlns:w=\"w\"><w:body>{body}</w:body></w:document>"
        ))
        .unwrap()
    }

    fn tc(text: &str, props: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    }

    #[test]
    fn paragraphs_with_tracked_changes_and_fields() {
        let d = doc(
            "<w:p><w:r><w:t>一、</w:t></w:r><w:ins><w:r><w:t>总体情况</w:t></w:r></w:ins><w:del><w:r><w:delText>删去</w:delText></w:r></w:del></w:p>\
             <w:p><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t xml:space=\"preserve\">共 3 &amp; 页</w:t></w:r><w:r><w:tab/><w:t>x</w:t></w:r></w:p>",
        );
        assert_eq!(
            d.blocks,
            [
                Block::Para("一、总体情况".into()),
                Block::Para("共 3 & 页\tx".into())
            ]
        );
    }

    #[test]
    fn grid_span_and_vertical_merge() {
        let rows = format!(
            "<w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr>",
            tc("三、本年度办理结果", "<w:vMerge w:val=\"restart\"/>"),
            tc("（一）予以公开", "<w:gridSpan w:val=\"2\"/>"),
            tc("16", ""),
            tc("", "<w:vMerge/>"),
            tc("（三）不予公开", ""),
            tc("1.属于国家秘密", "") + &tc("0", "")
        );
        let d = doc(&format!("<w:tbl>{rows}</w:tbl>"));
        assert_eq!(
            d.to_text(),
            "三、本年度办理结果\t（一）予以公开\t\t16\n\t（三）不予公开\t1.属于国家秘密\t0\n\n"
        );
    }

    #[test]
    fn text_boxes_are_read_once() {
        let d = doc(
            "<w:p><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>",
        );
        assert_eq!(d.blocks, [Block::Para(" 框内正文".into())]);
    }

    #[test]
    fn undefined_entities_are_not_expanded() {
        let xml = "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>&b;&b;x</w:t></w:r></w:p></w:body></w:document>";
        let d = document(xml).unwrap();
        assert_eq!(d.blocks, [Block::Para("x".into())]);
    }
}
