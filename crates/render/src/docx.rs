//! The report as a Word document: A4 with 公文 margins, 方正小标宋 title, 黑体 headings,
//! 仿宋 body in 三号, tables in 五号 with explicit column widths and merged cells
//! (gridSpan across, vMerge down) as the template draws them.

use crate::doc::{grid, Block, Table};
use crate::RenderError;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Pic, Run, RunFonts, SpecialIndentType,
    Table as DTable, TableCell, TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

/// Twentieths of a point per centimetre.
const CM: f64 = 566.93;
/// A4 text width with margins left 2.8 cm, right 2.6 cm.
const TEXT_WIDTH: f64 = (21.0 - 2.8 - 2.6) * CM;
const BODY: usize = 32; // half-points: 三号 16 pt
const TABLE: usize = 21; // 五号 10.5 pt

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

fn para(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, "仿宋_GB2312", BODY))
        .indent(
            None,
            Some(SpecialIndentType::FirstLine((2.0 * 16.0 * 20.0) as i32)),
            None,
            None,
        )
        .line_spacing(LineSpacing::new().line(560))
}

fn cell_paragraph(text: &str, left: bool) -> Paragraph {
    let p = Paragraph::new().line_spacing(LineSpacing::new().line(280).before(0).after(0));
    let p = if left {
        p.align(AlignmentType::Left)
    } else {
        p.align(AlignmentType::Center)
    };
    if text.is_empty() {
        p
    } else {
        p.add_run(run(text, "仿宋_GB2312", TABLE))
    }
}

fn table(t: &Table) -> DTable {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let widths: Vec<usize> = t
        .widths
        .iter()
        .map(|w| (TEXT_WIDTH * *w as f64 / total as f64) as usize)
        .collect();
    let slots = grid(t);
    let mut rows = Vec::new();
    for ri in 0..t.rows.len() {
        let mut cells = Vec::new();
        let mut col = 0;
        while col < widths.len() {
            let Some((r0, c0, _)) = slots[ri][col] else {
                // A slot the template leaves uncovered (never in the official tables).
                cells.push(
                    TableCell::new()
                        .add_paragraph(Paragraph::new())
                        .width(widths[col], WidthType::Dxa),
                );
                col += 1;
                continue;
            };
            let c = &t.rows[r0].cells[c0];
            let width: usize = widths[col..(col + c.colspan).min(widths.len())]
                .iter()
                .sum();
            let mut tc = TableCell::new()
                .width(width, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if c.colspan > 1 {
                tc = tc.grid_span(c.colspan);
            }
            if r0 == ri {
                let left = t.rows[r0].flush_left(c);
                tc = tc.add_paragraph(cell_paragraph(&c.text, left));
                if c.rowspan > 1 {
                    tc = tc.vertical_merge(VMergeType::Restart);
                }
            } else {
                tc = tc
                    .add_paragraph(Paragraph::new())
                    .vertical_merge(VMergeType::Continue);
            }
            cells.push(tc);
            col += c.colspan.max(1);
        }
        // The rows above the first value are the table's header: marked so they repeat on
        // every page the table runs onto (see `header_rows_repeat`).
        let header = t.rows[..=ri]
            .iter()
            .all(|r| r.cells.iter().all(|c| c.key.is_none()));
        let row = TableRow::new(cells);
        rows.push(if header { row.cant_split() } else { row });
    }
    DTable::new(rows)
        .set_grid(widths)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
}

pub fn write(doc: &[Block]) -> Result<Vec<u8>, RenderError> {
    let mut d = Docx::new()
        .page_size((21.0 * CM) as u32, (29.7 * CM) as u32)
        .page_margin(
            PageMargin::new()
                .top((3.7 * CM) as i32)
                .bottom((3.5 * CM) as i32)
                .left((2.8 * CM) as i32)
                .right((2.6 * CM) as i32),
        )
        .default_fonts(fonts("仿宋_GB2312"))
        .default_size(BODY);
    for b in doc {
        d = match b {
            Block::Title(t) => d.add_paragraph(
                Paragraph::new()
                    .add_run(run(t, "方正小标宋简体", 44))
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().after(400)),
            ),
            Block::Heading(h) => d.add_paragraph(
                Paragraph::new()
                    .add_run(run(h, "黑体", BODY))
                    .keep_next(true)
                    .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                    .line_spacing(LineSpacing::new().line(560)),
            ),
            Block::Para(p) => d.add_paragraph(para(p)),
            Block::Address(a) => d.add_paragraph(
                Paragraph::new()
                    .add_run(run(a, "仿宋_GB2312", BODY))
                    .line_spacing(LineSpacing::new().line(560)),
            ),
            Block::Table(t) => d.add_table(table(t)).add_paragraph(Paragraph::new()),
            Block::Figure(chart, caption) => {
                // 15 cm wide, the height in proportion.
                let w = (15.0 * CM) as u32 * 635;
                let h = (w as u64 * chart.height as u64 / chart.width.max(1) as u64) as u32;
                let pic = Pic::new_with_dimensions(chart.png.clone(), chart.width, chart.height)
                    .size(w, h);
                d.add_paragraph(
                    Paragraph::new()
                        .add_run(Run::new().add_image(pic))
                        .align(AlignmentType::Center),
                )
                .add_paragraph(
                    Paragraph::new()
                        .add_run(run(caption, "仿宋_GB2312", 24))
                        .align(AlignmentType::Center),
                )
            }
            Block::Signature(lines) => {
                let mut d = d;
                for l in lines {
                    d = d.add_paragraph(
                        Paragraph::new()
                            .add_run(run(l, "仿宋_GB2312", BODY))
                            .align(AlignmentType::Right),
                    );
                }
                d
            }
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    let mut xml = d.build();
    header_rows_repeat(&mut xml.document);
    chinese_text(&mut xml.styles);
    xml.pack(&mut out)
        .map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// Header rows (the only rows written `cantSplit`) repeat at the top of each page a table
/// continues on (`w:tblHeader`, which the DOCX writer does not offer).
fn header_rows_repeat(document: &mut Vec<u8>) {
    let text = String::from_utf8_lossy(document).replace(
        "<w:trPr><w:cantSplit /></w:trPr>",
        "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>",
    );
    *document = text.into_bytes();
}

/// The document's East Asian text is Chinese (PRC): word processors then choose Chinese
/// glyph forms and fonts for it, not Japanese ones.
fn chinese_text(styles: &mut Vec<u8>) {
    // Last in the run properties, where the schema puts `w:lang` after the others used here.
    let text = String::from_utf8_lossy(styles).replacen(
        "</w:rPr></w:rPrDefault>",
        "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" /></w:rPr></w:rPrDefault>",
        1,
    );
    *styles = text.into_bytes();
}
