//! Ruling lines as a PDF draws them: the path operators of each page's content streams
//! (and of the form XObjects it paints) interpreted with lopdf, the way pdfplumber reads
//! `lines` and `rects`. Stroked axis-parallel segments, the edges of stroked rectangles and
//! thin filled rectangles are rules; white paint, curves, slanted lines and large filled
//! areas (cell shading) are not. Nothing is rendered: a born-digital page's grid costs
//! microseconds instead of a 150 dpi raster.
//!
//! Coordinates are PDF points from the top-left corner of the page's crop box (as poppler's
//! word boxes), y downwards.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object};

/// A straight rule on a page, in points: horizontal (`at` = y, `from..to` = x) or vertical
/// (`at` = x, `from..to` = y); `width` is its thickness.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub horizontal: bool,
    pub at: f64,
    pub from: f64,
    pub to: f64,
    pub width: f64,
}

/// A page's rules.
#[derive(Clone, Debug, Default)]
pub struct PageLines {
    pub lines: Vec<Line>,
    /// Whether the page paints an image: with no ruling lines, its table may be a picture
    /// whose rules only pixels show.
    pub images: bool,
}

impl PageLines {
    /// Whether the page's grid needs its pixels: nothing ruled in vectors, an image painted.
    pub fn needs_raster(&self) -> bool {
        self.lines.is_empty() && self.images
    }
}

/// Decompressed content a page may have (a bomb stops here).
const MAX_CONTENT: usize = 64 << 20;
/// Operators interpreted per page, forms included.
const MAX_OPS: usize = 2_000_000;
/// Saved graphics states kept (PDF viewers allow 28; deeper saves are ignored).
const MAX_STACK: usize = 256;
/// Points a path keeps: more is no table's rule (the rest of the path is dropped).
const MAX_POINTS: usize = 100_000;
/// Nesting of form XObjects followed.
const MAX_DEPTH: usize = 8;
/// Thicker than this a filled rectangle is an area (shading), not a rule: 3 pt.
const THIN: f64 = 3.0;
/// Paint lighter than this (0 black – 1 white) is no ink.
pub(crate) const LIGHT: f64 = 0.85;
/// Rules kept per page: more is no report page (a hostile file's millions of strokes).
pub(crate) const MAX_LINES: usize = 200_000;

/// The document, or why it cannot be read in-process.
pub fn load(bytes: &[u8]) -> Result<Document, String> {
    let doc = Document::load_mem(bytes).map_err(|e| e.to_string())?;
    if doc.is_encrypted() {
        return Err("encrypted".into());
    }
    Ok(doc)
}

/// The rules of pages `wanted` (1-based), by page number.
pub fn pages(doc: &Document, wanted: &[u32]) -> std::collections::HashMap<u32, PageLines> {
    let all = doc.get_pages();
    wanted
        .iter()
        .filter_map(|&n| {
            let id = *all.get(&n)?;
            Some((n, page(doc, id)?))
        })
        .collect()
}

fn page(doc: &Document, id: lopdf::ObjectId) -> Option<PageLines> {
    let dict = doc.get_dictionary(id).ok()?;
    let rotate = inherited(doc, dict, b"Rotate").and_then(|o| o.as_i64().ok());
    if rotate.is_some_and(|r| r.rem_euclid(360) != 0) {
        // Rotated pages: poppler's words are in the rotated frame; leave them to the raster.
        return None;
    }
    let b = inherited(doc, dict, b"CropBox")
        .or_else(|| inherited(doc, dict, b"MediaBox"))
        .and_then(|o| rect(doc, o))
        .unwrap_or([0.0, 0.0, 595.0, 842.0]);
    let content = doc.get_page_content_with_limit(id, MAX_CONTENT).ok()?;
    let resources = resources(doc, id);
    let mut s = State {
        doc,
        out: PageLines::default(),
        ops: 0,
        // PDF space to page space: x from the box's left, y down from its top.
        base: [1.0, 0.0, 0.0, -1.0, -b[0], b[3]],
    };
    let g = Graphics {
        ctm: s.base,
        ..Graphics::default()
    };
    s.run(&content, resources, g, 0);
    Some(s.out)
}

/// A page attribute, looked up the page tree (Rotate, MediaBox, CropBox are inherited).
fn inherited<'a>(doc: &'a Document, mut dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    for _ in 0..32 {
        if let Ok(o) = dict.get(key) {
            return doc.dereference(o).ok().map(|(_, o)| o);
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn rect(doc: &Document, o: &Object) -> Option<[f64; 4]> {
    let a = o.as_array().ok()?;
    let v: Vec<f64> = a.iter().filter_map(|o| number(doc, o)).collect();
    (v.len() == 4).then(|| {
        [
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ]
    })
}

fn number(doc: &Document, o: &Object) -> Option<f64> {
    let (_, o) = doc.dereference(o).ok()?;
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

/// The page's resource dictionary (its own or an ancestor's).
fn resources(doc: &Document, id: lopdf::ObjectId) -> Option<&Dictionary> {
    let (own, refs) = doc.get_page_resources(id).ok()?;
    own.or_else(|| refs.iter().find_map(|r| doc.get_dictionary(*r).ok()))
}

type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

#[derive(Clone, Copy)]
struct Graphics {
    ctm: Matrix,
    width: f64,
    stroke_ink: bool,
    fill_ink: bool,
}

impl Default for Graphics {
    fn default() -> Self {
        Graphics {
            ctm: IDENTITY,
            width: 1.0,
            stroke_ink: true,
            fill_ink: true,
        }
    }
}

/// One subpath: its points in page space, and whether it was closed.
#[derive(Default)]
pub(crate) struct Sub {
    pub(crate) pts: Vec<(f64, f64)>,
    pub(crate) closed: bool,
    pub(crate) curved: bool,
}

struct State<'a> {
    doc: &'a Document,
    out: PageLines,
    ops: usize,
    base: Matrix,
}

impl<'a> State<'a> {
    fn run(&mut self, content: &[u8], res: Option<&'a Dictionary>, mut g: Graphics, depth: usize) {
        let mut stack: Vec<Graphics> = Vec::new();
        let mut path: Vec<Sub> = Vec::new();
        let mut points = 0usize;
        // One operation at a time: a page of millions of operators is never held as a list.
        for op in Content::decode_iter(content) {
            let Ok(op) = op else {
                return;
            };
            let op = &op;
            self.ops += 1;
            if self.ops > MAX_OPS {
                return;
            }
            // Points of the path under construction; a path longer than any rule's is
            // dropped.
            if path.is_empty() {
                points = 0;
            }
            points += 1;
            if points > MAX_POINTS {
                path.clear();
            }
            let n = |i: usize| op.operands.get(i).and_then(|o| number(self.doc, o));
            match op.operator.as_str() {
                "q" if stack.len() < MAX_STACK => stack.push(g),
                "Q" => g = stack.pop().unwrap_or(g),
                "cm" => {
                    if let (Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)) =
                        (n(0), n(1), n(2), n(3), n(4), n(5))
                    {
                        g.ctm = mul(&[a, b, c, d, e, f], &g.ctm);
                    }
                }
                "w" => g.width = n(0).unwrap_or(g.width).abs(),
                "G" | "g" | "RG" | "rg" | "K" | "k" | "SC" | "sc" | "SCN" | "scn" => {
                    let stroke = op.operator.starts_with(|c: char| c.is_ascii_uppercase());
                    let ink = ink(op, self.doc);
                    if stroke {
                        g.stroke_ink = ink;
                    } else {
                        g.fill_ink = ink;
                    }
                }
                "m" => {
                    if let (Some(x), Some(y)) = (n(0), n(1)) {
                        path.push(Sub {
                            pts: vec![apply(&g.ctm, x, y)],
                            ..Sub::default()
                        });
                    }
                }
                "l" => {
                    if let (Some(x), Some(y), Some(sub)) = (n(0), n(1), path.last_mut()) {
                        sub.pts.push(apply(&g.ctm, x, y));
                    }
                }
                "c" | "v" | "y" => {
                    if let Some(sub) = path.last_mut() {
                        sub.curved = true;
                        let k = op.operands.len();
                        if let (Some(x), Some(y)) = (n(k.wrapping_sub(2)), n(k.wrapping_sub(1))) {
                            sub.pts.push(apply(&g.ctm, x, y));
                        }
                    }
                }
                "h" => {
                    if let Some(sub) = path.last_mut() {
                        sub.closed = true;
                    }
                }
                "re" => {
                    if let (Some(x), Some(y), Some(w), Some(h)) = (n(0), n(1), n(2), n(3)) {
                        let pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                            .iter()
                            .map(|&(x, y)| apply(&g.ctm, x, y))
                            .collect();
                        path.push(Sub {
                            pts,
                            closed: true,
                            curved: false,
                        });
                    }
                }
                "S" | "s" => {
                    if g.stroke_ink {
                        self.stroke(&path, &g, op.operator == "s");
                    }
                    path.clear();
                }
                "f" | "F" | "f*" => {
                    if g.fill_ink {
                        self.fill(&path);
                    }
                    path.clear();
                }
                "B" | "B*" | "b" | "b*" => {
                    if g.fill_ink {
                        self.fill(&path);
                    }
                    if g.stroke_ink {
                        self.stroke(&path, &g, op.operator.starts_with('b'));
                    }
                    path.clear();
                }
                "n" => path.clear(),
                "BI" | "ID" => self.out.images = true,
                "Do" if depth < MAX_DEPTH => {
                    if let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) {
                        self.form(name, res, g, depth);
                    }
                }
                _ => {}
            }
        }
    }

    /// Paints a form XObject named in the resources.
    fn form(&mut self, name: &[u8], res: Option<&'a Dictionary>, g: Graphics, depth: usize) {
        let doc = self.doc;
        let Some(stream) = res
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
            .and_then(|x| x.get(name).ok())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_stream().ok())
        else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(|o| o.as_name()).ok() {
            Some(b"Form") => {}
            Some(b"Image") => {
                self.out.images = true;
                return;
            }
            _ => return,
        }
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|o| o.as_array().ok())
            .map(|a| a.iter().filter_map(|o| number(doc, o)).collect::<Vec<_>>())
            .filter(|v| v.len() == 6)
            .map_or(IDENTITY, |v| [v[0], v[1], v[2], v[3], v[4], v[5]]);
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        let Ok(content) = stream.decompressed_content_with_limit(MAX_CONTENT) else {
            return;
        };
        let g = Graphics {
            ctm: mul(&matrix, &g.ctm),
            ..g
        };
        self.run(&content, inner.or(res), g, depth + 1);
    }

    /// Stroked segments parallel to an axis are rules, as thick as the pen.
    fn stroke(&mut self, path: &[Sub], g: &Graphics, close: bool) {
        // The pen's width in page space (the mean scale of the CTM without the base flip).
        let m = mul(&g.ctm, &invert(&self.base));
        let scale = ((m[0] * m[3] - m[1] * m[2]).abs()).sqrt();
        stroke(path, g.width * scale, close, &mut self.out.lines);
    }

    fn fill(&mut self, path: &[Sub]) {
        fill(path, &mut self.out.lines);
    }
}

/// Stroked segments parallel to an axis are rules, as thick as the pen (`width` in points);
/// `close` closes every subpath (the `s`, `b` operators).
pub(crate) fn stroke(path: &[Sub], width: f64, close: bool, out: &mut Vec<Line>) {
    let width = width.max(0.1);
    for sub in path.iter().filter(|s| !s.curved) {
        let mut pts = sub.pts.clone();
        if (sub.closed || close) && pts.len() > 2 {
            pts.push(pts[0]);
        }
        for w in pts.windows(2) {
            if out.len() >= MAX_LINES {
                return;
            }
            if let Some(line) = segment(w[0], w[1], width) {
                out.push(line);
            }
        }
    }
}

/// A filled thin rectangle (or a closed path whose box is thin) is a rule.
pub(crate) fn fill(path: &[Sub], out: &mut Vec<Line>) {
    for sub in path.iter().filter(|s| s.pts.len() >= 2) {
        if out.len() >= MAX_LINES {
            return;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in &sub.pts {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if h <= THIN && w > h {
            out.push(Line {
                horizontal: true,
                at: (y0 + y1) / 2.0,
                from: x0,
                to: x1,
                width: h.max(0.1),
            });
        } else if w <= THIN && h > w {
            out.push(Line {
                horizontal: false,
                at: (x0 + x1) / 2.0,
                from: y0,
                to: y1,
                width: w.max(0.1),
            });
        }
    }
}

fn invert(m: &Matrix) -> Matrix {
    let det = m[0] * m[3] - m[1] * m[2];
    if det.abs() < 1e-12 {
        return IDENTITY;
    }
    let (a, b, c, d) = (m[3] / det, -m[1] / det, -m[2] / det, m[0] / det);
    [a, b, c, d, -(m[4] * a + m[5] * c), -(m[4] * b + m[5] * d)]
}

/// A segment parallel to an axis (within a tenth of a point over its length) as a rule.
fn segment(a: (f64, f64), b: (f64, f64), width: f64) -> Option<Line> {
    let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
    if dy <= 0.1 && dx > 0.0 {
        Some(Line {
            horizontal: true,
            at: (a.1 + b.1) / 2.0,
            from: a.0.min(b.0),
            to: a.0.max(b.0),
            width,
        })
    } else if dx <= 0.1 && dy > 0.0 {
        Some(Line {
            horizontal: false,
            at: (a.0 + b.0) / 2.0,
            from: a.1.min(b.1),
            to: a.1.max(b.1),
            width,
        })
    } else {
        None
    }
}

/// Whether a colour operator sets ink (dark enough to be a rule) rather than white.
fn ink(op: &Operation, doc: &Document) -> bool {
    let v: Vec<f64> = op.operands.iter().filter_map(|o| number(doc, o)).collect();
    let lightness = match (op.operator.as_str(), v.len()) {
        ("G" | "g", 1) => v[0],
        ("RG" | "rg", 3) => (v[0] + v[1] + v[2]) / 3.0,
        // sc/scn in a colour space we do not track (or a pattern): one component is grey,
        // three RGB, four CMYK.
        (_, 1) => v[0],
        (_, 3) => (v[0] + v[1] + v[2]) / 3.0,
        (_, 4) => 1.0 - v[3].max(v[0].max(v[1]).max(v[2])),
        _ => return true,
    };
    lightness < LIGHT
}

#[cfg(test)]
mod tests {
    use super::*;

    use lopdf::{dictionary, Stream};

    /// A one-page A4 PDF whose page runs `content` with a form XObject `/F` that runs
    /// `form` under `matrix`.
    fn pdf(content: &str, form: &str, matrix: [i64; 6]) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages = doc.new_object_id();
        let f = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Matrix" => matrix.iter().map(|&v| v.into()).collect::<Vec<Object>>(),
            },
            form.as_bytes().to_vec(),
        ));
        let c = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => c,
            "Resources" => dictionary! { "XObject" => dictionary! { "F" => f } },
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    /// Page 1's rules by lopdf — and the same, in the same order, from hayro's pass.
    fn lines_of(bytes: &[u8]) -> PageLines {
        let doc = load(bytes).unwrap();
        let page = pages(&doc, &[1]).remove(&1).unwrap();
        let by_hayro = crate::glyphs_hayro::read(bytes, 1).unwrap().lines.unwrap()[&1].clone();
        assert_eq!(by_hayro.lines, page.lines, "hayro's rules");
        assert_eq!(by_hayro.images, page.images, "hayro's images");
        page
    }

    #[test]
    fn strokes_thin_fills_and_forms_are_rules_in_top_left_points() {
        let page = lines_of(&pdf(
            // A stroked line at y = 742 (100 pt from the top), 0.5 pt wide; a white one; a
            // filled 1 pt bar; a shaded cell (an area); a curve; the form.
            "0.5 w 0 G 50 742 m 300 742 l S 1 G 50 700 m 300 700 l S 0 g 60 600 1 100 re f              0.9 0.9 0.9 rg 0 g 100 100 200 50 re f 10 10 m 20 30 40 50 60 10 c S /F Do",
            // In the form, scaled by 2 and moved: a 10 pt vertical stroke from (5, 5).
            "0 G 1 w 5 5 m 5 15 l S",
            [2, 0, 0, 2, 100, 0],
        ));
        let want = [
            Line {
                horizontal: true,
                at: 100.0,
                from: 50.0,
                to: 300.0,
                width: 0.5,
            },
            Line {
                horizontal: false,
                at: 60.5,
                from: 142.0,
                to: 242.0,
                width: 1.0,
            },
            Line {
                horizontal: false,
                at: 110.0,
                from: 812.0,
                to: 832.0,
                width: 2.0,
            },
        ];
        assert_eq!(page.lines, want);
        assert!(!page.needs_raster());
    }

    #[test]
    fn white_paint_is_no_rule_and_an_image_page_needs_pixels() {
        let page = lines_of(&pdf(
            "1 g 60 600 1 100 re f BI /W 1 /H 1 /BPC 8 /CS /G ID x EI",
            "",
            [1, 0, 0, 1, 0, 0],
        ));
        assert_eq!(page.lines, []);
        assert!(page.needs_raster());
    }

    #[test]
    fn segments_parallel_to_an_axis_only() {
        let h = segment((10.0, 5.0), (50.0, 5.05), 0.5).unwrap();
        assert!(h.horizontal && h.from == 10.0 && h.to == 50.0);
        let v = segment((7.0, 40.0), (7.0, 2.0), 0.5).unwrap();
        assert!(!v.horizontal && v.from == 2.0 && v.to == 40.0);
        assert_eq!(segment((0.0, 0.0), (10.0, 3.0), 0.5), None);
    }

    #[test]
    fn matrices_compose_and_invert() {
        let m = mul(
            &[2.0, 0.0, 0.0, 2.0, 5.0, 7.0],
            &[1.0, 0.0, 0.0, -1.0, 0.0, 842.0],
        );
        assert_eq!(apply(&m, 1.0, 1.0), (7.0, 833.0));
        let back = mul(&m, &invert(&m));
        assert!((back[0] - 1.0).abs() < 1e-9 && back[4].abs() < 1e-9);
    }
}
