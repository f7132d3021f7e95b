//! Page images for OCR: grey pixels, the ruling lines of tables, and the table grids they
//! draw (merged cells resolved from the lines that are missing between them).

use crate::ridges::Ridges;

/// An 8-bit grey image (a binary PGM page from `pdftoppm -gray`).
#[derive(Clone, Debug)]
pub struct Image {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

/// Ink: text strokes.
const DARK: u8 = 140;
/// Ruling lines: thin borders render as grey, anti-aliased over two pixel rows.
const RULE: u8 = 210;
/// Darker than paper: a faint rule's grey.
const FAINT: u8 = 225;
/// Lighter than a faint rule: paper.
const FAINT_LINE: u8 = 235;
/// Print black (see [`crate::ridges`]).
const BLACK: u8 = crate::ridges::BLACK;
/// Gaps a rule's run may have (a broken or speckled rule) at 300 dpi.
const GAP: usize = 4;

impl Image {
    /// Reads a binary PGM (P5, maxval 255).
    pub fn from_pgm(b: &[u8]) -> Option<Image> {
        if !b.starts_with(b"P5") {
            return None;
        }
        let mut fields = Vec::new();
        let mut i = 2;
        while fields.len() < 3 {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if b.get(i) == Some(&b'#') {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            fields.push(std::str::from_utf8(&b[s..i]).ok()?.parse::<usize>().ok()?);
        }
        let (w, h) = (fields[0], fields[1]);
        let n = w.checked_mul(h).filter(|&n| n > 0 && n < 200_000_000)?;
        let px = b.get(i + 1..i + 1 + n)?.to_vec();
        (fields[2] == 255).then_some(Image { w, h, px })
    }

    /// A blank white page.
    pub fn white(w: usize, h: usize) -> Image {
        Image {
            w,
            h,
            px: vec![255; w * h],
        }
    }

    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.w, self.h).into_bytes();
        out.extend_from_slice(&self.px);
        out
    }

    fn dark(&self, x: usize, y: usize) -> bool {
        self.px[y * self.w + x] < DARK
    }

    pub(crate) fn ruled(&self, x: usize, y: usize) -> bool {
        self.px[y * self.w + x] < RULE
    }

    /// A region with a white margin around it (Tesseract reads isolated text better so).
    pub fn crop(&self, r: Rect, margin: usize) -> Image {
        let (w, h) = (r.x1 - r.x0 + 2 * margin, r.y1 - r.y0 + 2 * margin);
        let mut px = vec![255u8; w * h];
        for y in r.y0..r.y1 {
            let src = &self.px[y * self.w + r.x0..y * self.w + r.x1];
            let at = (y - r.y0 + margin) * w + margin;
            px[at..at + src.len()].copy_from_slice(src);
        }
        Image { w, h, px }
    }

    /// The smallest rectangle holding the ink of `r`, if any.
    pub fn ink_box(&self, r: Rect) -> Option<Rect> {
        let rows: Vec<usize> = (r.y0..r.y1)
            .filter(|&y| (r.x0..r.x1).any(|x| self.dark(x, y)))
            .collect();
        let cols: Vec<usize> = (r.x0..r.x1)
            .filter(|&x| (r.y0..r.y1).any(|y| self.dark(x, y)))
            .collect();
        Some(Rect {
            x0: *cols.first()?,
            y0: *rows.first()?,
            x1: cols.last()? + 1,
            y1: rows.last()? + 1,
        })
    }

    /// Black and white at a light threshold: anti-aliased strokes come out whole, which
    /// Tesseract's Chinese model reads much better than grey ones.
    pub fn binarize(&mut self, threshold: u8) {
        for p in &mut self.px {
            *p = if *p < threshold { 0 } else { 255 };
        }
    }

    pub fn ink(&self, r: Rect) -> usize {
        (r.y0..r.y1)
            .map(|y| (r.x0..r.x1).filter(|&x| self.dark(x, y)).count())
            .sum()
    }

    /// Removes specks: blobs of at most `max_area` pixels darker than a faint rule
    /// (8-connected, so a rule's faint stretches keep it one blob) with nothing around them, as a copier's dust and a scanner's noise leave them. A full stop
    /// or a decimal point of printed text is larger than the specks this is called with.
    pub fn despeckle(&mut self, max_area: usize) {
        let mut specks = Vec::new();
        self.each_blob(RULE, max_area + 1, |blob, area| {
            if area <= max_area {
                specks.extend_from_slice(blob);
            }
        });
        let (w, h) = (self.w, self.h);
        for i in specks {
            // The speck and its grey fringe.
            let (x, y) = (i % w, i / w);
            for ny in y.saturating_sub(1)..(y + 2).min(h) {
                for nx in x.saturating_sub(1)..(x + 2).min(w) {
                    if self.px[ny * w + nx] >= RULE {
                        self.px[ny * w + nx] = 255;
                    }
                }
            }
            self.px[i] = 255;
        }
    }

    /// Calls `each(pixels, area)` for every blob of 8-connected pixels darker than `below`:
    /// `area` counts the blob's pixels, `pixels` holds the first `keep` of them (indices
    /// into `px`). Whitening a blob's pixels or its lighter fringe afterwards changes no
    /// other blob.
    pub(crate) fn each_blob(&self, below: u8, keep: usize, mut each: impl FnMut(&[usize], usize)) {
        let (w, h) = (self.w, self.h);
        let mut seen = vec![false; w * h];
        let mut stack: Vec<usize> = Vec::new();
        let mut blob: Vec<usize> = Vec::new();
        for start in 0..w * h {
            if seen[start] || self.px[start] >= below {
                continue;
            }
            seen[start] = true;
            stack.push(start);
            blob.clear();
            let mut area = 0;
            while let Some(i) = stack.pop() {
                area += 1;
                if blob.len() < keep {
                    blob.push(i);
                }
                let (x, y) = (i % w, i / w);
                for ny in y.saturating_sub(1)..(y + 2).min(h) {
                    for nx in x.saturating_sub(1)..(x + 2).min(w) {
                        let j = ny * w + nx;
                        if !seen[j] && self.px[j] < below {
                            seen[j] = true;
                            stack.push(j);
                        }
                    }
                }
            }
            each(&blob, area);
        }
    }

    pub fn fill(&mut self, r: Rect) {
        for y in r.y0..r.y1.min(self.h) {
            self.px[y * self.w + r.x0..y * self.w + r.x1.min(self.w)].fill(255);
        }
    }
}

/// The value at (`sx`, `sy`) between the four pixels around it, each read by `at` (which
/// decides what lies beyond the page).
pub fn bilinear(sx: f64, sy: f64, at: impl Fn(isize, isize) -> f64) -> f64 {
    let (x0, y0) = (sx.floor(), sy.floor());
    let (fx, fy) = (sx - x0, sy - y0);
    let (x0, y0) = (x0 as isize, y0 as isize);
    at(x0, y0) * (1.0 - fx) * (1.0 - fy)
        + at(x0 + 1, y0) * fx * (1.0 - fy)
        + at(x0, y0 + 1) * (1.0 - fx) * fy
        + at(x0 + 1, y0 + 1) * fx * fy
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

/// A ruling line: horizontal (`at..=last` = the rows it covers, `from..to` = x) or
/// vertical (`at..=last` = columns, `from..to` = y).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rule {
    pub(crate) at: usize,
    pub(crate) last: usize,
    pub(crate) from: usize,
    pub(crate) to: usize,
}

/// Along each of `lines` lines of `len` pixels, the ruled runs at least `min` long, each
/// bridging gaps of at most `gap` pixels.
pub(crate) fn runs(
    lines: usize,
    len: usize,
    min: usize,
    gap: usize,
    ruled: impl Fn(usize, usize) -> bool,
) -> Vec<Rule> {
    let mut out = Vec::new();
    for at in 0..lines {
        let mut i = 0;
        while i < len {
            if !ruled(at, i) {
                i += 1;
                continue;
            }
            let s = i;
            // One past the last ruled pixel so far, and the ruled pixels.
            let (mut end, mut count) = (i + 1, 1);
            i += 1;
            while i < len && i <= end + gap {
                if ruled(at, i) {
                    end = i + 1;
                    count += 1;
                }
                i += 1;
            }
            i = end;
            // Mostly ruled: a line with a few breaks, not speckles strung together.
            if end - s >= min && count * 10 >= (end - s) * 8 {
                out.push(Rule {
                    at,
                    last: at,
                    from: s,
                    to: end,
                });
            }
        }
    }
    out
}

/// The root of `i` in a union-find forest, compressing the path on the way.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The pixel `along` a rule's length on its line `across` (a row for a horizontal rule, a
/// column for a vertical one), as (x, y).
fn xy(horizontal: bool, along: usize, across: usize) -> (usize, usize) {
    if horizontal {
        (along, across)
    } else {
        (across, along)
    }
}

/// Shortest run that can be a rule at `dpi`: horizontal rules are longer than any stroke of
/// a character, vertical ones span at least a row.
fn min_run(dpi: usize, horizontal: bool) -> usize {
    if horizontal {
        dpi / 3
    } else {
        dpi / 4
    }
}

/// Thickest a rule may be at `dpi`: a long stroke of a bold heading is thicker.
fn thin(dpi: usize) -> usize {
    dpi / 40
}

/// Paints a table's rules white (a border read as `1` or `|` is a wrong value).
fn erase(img: &mut Image, rules: &[Rule], horizontal: bool) {
    for r in rules {
        for a in r.at..=r.last {
            for b in r.from..r.to {
                let (x, y) = xy(horizontal, b, a);
                if x < img.w && y < img.h {
                    img.px[y * img.w + x] = 255;
                }
            }
        }
    }
}

/// The thin line a merged rule is made of, if any: the rule itself when it is at most
/// `thin` thick; else the band of lines that carry at least half of the ink of its fullest
/// line, when that band is thin. A seal's arc running along a column rule for a stretch
/// merges with it into a thick band whose arc lines are inked over a fraction of the
/// length only; a bold heading's stroke is thick all along and stays out.
fn core(lines: &Ridges, r: Rule, horizontal: bool, thin: usize) -> Option<Rule> {
    if r.last - r.at <= thin {
        return Some(r);
    }
    let ink = |a: usize| {
        (r.from..r.to)
            .filter(|&b| {
                let (x, y) = xy(horizontal, b, a);
                lines.at(x, y, horizontal)
            })
            .count()
    };
    let counts: Vec<usize> = (r.at..=r.last).map(ink).collect();
    let (best, &most) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
    let (mut a, mut b) = (best, best);
    while a > 0 && counts[a - 1] * 2 >= most {
        a -= 1;
    }
    while b + 1 < counts.len() && counts[b + 1] * 2 >= most {
        b += 1;
    }
    // The band must stand out: its edges against paper or a partial stroke, not a block.
    // Strong lines apart from it (a toner streak along the rule) are left out.
    if b - a > thin {
        return None;
    }
    // Its extent: where the band's own lines are inked.
    let band = r.at + a..=r.at + b;
    let inked = |p: usize| {
        band.clone().any(|l| {
            let (x, y) = xy(horizontal, p, l);
            lines.at(x, y, horizontal)
        })
    };
    let from = (r.from..r.to).find(|&p| inked(p))?;
    let to = (r.from..r.to).rev().find(|&p| inked(p))? + 1;
    Some(Rule {
        at: r.at + a,
        last: r.at + b,
        from,
        to,
    })
}

/// Runs a few pixels apart (a line's thickness) become one rule.
fn merge(mut runs: Vec<Rule>) -> Vec<Rule> {
    runs.sort_by_key(|r| (r.at, r.from));
    let mut out: Vec<Rule> = Vec::new();
    for r in runs {
        match out
            .iter_mut()
            .rev()
            .take(64)
            .find(|o| r.at <= o.last + 1 && r.from < o.to + 8 && o.from < r.to + 8)
        {
            Some(o) => {
                o.from = o.from.min(r.from);
                o.to = o.to.max(r.to);
                o.last = o.last.max(r.at);
            }
            None => out.push(r),
        }
    }
    out
}

/// Pieces of one rule broken by a toner streak or a faded stretch become one rule: pieces
/// on one line (their rows within a pixel or two) with a gap of at most `max_gap` between
/// them, where along most of the gap there is something darker than paper (the streak or
/// the faded rule). A gap of clean paper between two pieces is a merged cell's and stays.
fn bridge(img: &Image, mut rules: Vec<Rule>, horizontal: bool, max_gap: usize) -> Vec<Rule> {
    rules.sort_by_key(|r| (r.from, r.at));
    let mut out: Vec<Rule> = Vec::new();
    for r in rules {
        let joined = out.iter_mut().find(|o| {
            o.to <= r.from
                && r.from - o.to <= max_gap
                && o.at.abs_diff(r.at) <= 2
                && o.last.abs_diff(r.last) <= 2
        });
        match joined {
            Some(o)
                if dark_gap(
                    img,
                    horizontal,
                    o.at.min(r.at)..=o.last.max(r.last),
                    o.to,
                    r.from,
                ) =>
            {
                o.to = r.to;
                o.at = o.at.min(r.at);
                o.last = o.last.max(r.last);
            }
            _ => out.push(r),
        }
    }
    out
}

/// Rules that stop short of a crossing rule within `max_gap` (their end lost in a toner
/// streak), across a dark gap, are drawn on to it.
fn reach(
    img: &Image,
    rules: Vec<Rule>,
    others: &[Rule],
    horizontal: bool,
    max_gap: usize,
) -> Vec<Rule> {
    let tol = 3;
    rules
        .into_iter()
        .map(|mut r| {
            let spans = |o: &&Rule| o.from <= r.at + tol && r.last <= o.to + tol;
            let rows = r.at..=r.last;
            if let Some(o) = others
                .iter()
                .filter(spans)
                .filter(|o| o.at >= r.to && o.at - r.to <= max_gap)
                .min_by_key(|o| o.at)
            {
                if dark_gap(img, horizontal, rows.clone(), r.to, o.at) {
                    r.to = o.last + 1;
                }
            }
            if let Some(o) = others
                .iter()
                .filter(spans)
                .filter(|o| o.last < r.from && r.from - o.last <= max_gap)
                .max_by_key(|o| o.last)
            {
                if dark_gap(img, horizontal, rows, o.last + 1, r.from) {
                    r.from = o.at;
                }
            }
            r
        })
        .collect()
}

/// Whether along most of `from..to` on the lines `rows` (± 2) something is grey: a streak
/// or a faded rule, not a merged cell's blank paper or its text.
fn dark_gap(
    img: &Image,
    horizontal: bool,
    rows: std::ops::RangeInclusive<usize>,
    from: usize,
    to: usize,
) -> bool {
    let (lo, hi) = (rows.start().saturating_sub(2), rows.end() + 2);
    // The darkest pixel across the line is grey: print (a character over the place, in a
    // merged cell) is black.
    let dark = (from..to)
        .filter(|&p| {
            let darkest = (lo..=hi)
                .map(|q| {
                    let (x, y) = xy(horizontal, p, q);
                    if x < img.w && y < img.h {
                        img.px[y * img.w + x]
                    } else {
                        255
                    }
                })
                .min()
                .unwrap_or(255);
            (BLACK..FAINT_LINE).contains(&darkest)
        })
        .count();
    dark * 2 >= to.saturating_sub(from)
}

/// A table found on a page: its outline, and its cells row by row as (rect, rowspan,
/// colspan) in the order [`crate::document::Grid::from_spans`] takes.
#[derive(Clone, Debug)]
pub struct Table {
    pub bounds: Rect,
    pub rows: Vec<Vec<(Rect, usize, usize)>>,
}

/// Removes the ruling lines from a page and returns the tables they draw.
pub fn tables(img: &mut Image, dpi: usize) -> Vec<Table> {
    tables_in(img, dpi, Ridges::of(img))
}

/// [`tables`] of a page rendered from a born-digital PDF: its rules are drawn, never faded
/// or broken, so only dark runs are rules and no gap is bridged (a copier's allowances
/// would only find text strokes there).
pub fn drawn_tables(img: &mut Image, dpi: usize) -> Vec<Table> {
    let lines = Ridges::dark(img, RULE);
    tables_in(img, dpi, lines)
}

/// [`tables`] of a scan stamped with `seal`: its ring is no rule, though a stretch of it
/// runs straight enough to pass for one.
pub fn tables_beside(img: &mut Image, dpi: usize, seal: Option<crate::seal::Circle>) -> Vec<Table> {
    let mut lines = Ridges::of(img);
    if let Some(c) = seal {
        lines.clear_ring(c.x, c.y, c.r, dpi as f64 / 30.0);
    }
    tables_in(img, dpi, lines)
}

fn tables_in(img: &mut Image, dpi: usize, lines: Ridges) -> Vec<Table> {
    let faded = lines.faded();
    let gap = if faded { GAP } else { 0 };
    let (w, h) = lines.size();
    let hs = merge(runs(h, w, min_run(dpi, true), gap, |y, x| {
        lines.at(x, y, true)
    }));
    let vs = merge(runs(w, h, min_run(dpi, false), gap, |x, y| {
        lines.at(x, y, false)
    }));
    let hs: Vec<Rule> = hs
        .into_iter()
        .filter_map(|r| core(&lines, r, true, thin(dpi)))
        .collect();
    let vs: Vec<Rule> = vs
        .into_iter()
        .filter_map(|r| core(&lines, r, false, thin(dpi)))
        .collect();
    let (hs, vs) = if faded {
        let (hs, vs) = (
            bridge(img, hs, true, dpi / 2),
            bridge(img, vs, false, dpi / 2),
        );
        let hs = reach(img, hs, &vs, true, dpi / 3);
        let vs = reach(img, vs, &hs, false, dpi / 3);
        (hs, vs)
    } else {
        (hs, vs)
    };
    let found = assemble(hs, vs, dpi, Some((img, &lines)));
    for (_, members, verticals) in &found {
        erase(img, members, true);
        erase(img, verticals, false);
    }
    found.into_iter().map(|(t, _, _)| t).collect()
}

/// The tables a PDF's vector rules draw ([`crate::vector`]), in pixels of a page at `dpi`.
pub fn tables_from_lines(lines: &[crate::vector::Line], dpi: usize) -> Vec<Table> {
    let scale = dpi as f64 / 72.0;
    let px = |v: f64| (v * scale).round().max(0.0) as usize;
    let rule = |l: &crate::vector::Line| {
        let at = px(l.at - l.width / 2.0);
        Rule {
            at,
            last: at.max(px(l.at + l.width / 2.0).saturating_sub(1)),
            from: px(l.from),
            to: px(l.to).max(px(l.from) + 1),
        }
    };
    let pick = |horizontal: bool| -> Vec<Rule> {
        let rules = lines
            .iter()
            .filter(|l| l.horizontal == horizontal)
            .map(rule)
            .collect();
        merge(rules)
            .into_iter()
            .filter(|r| r.to - r.from >= min_run(dpi, horizontal) && r.last - r.at <= thin(dpi))
            .collect()
    };
    let (hs, vs) = (pick(true), pick(false));
    assemble(hs, vs, dpi, None)
        .into_iter()
        .map(|(t, _, _)| t)
        .collect()
}

/// The tables that rules found on a page draw, each with its horizontal and vertical
/// rules. `img`, when the rules were found on one, shows rules too faint to be found.
fn assemble(
    hs: Vec<Rule>,
    vs: Vec<Rule>,
    dpi: usize,
    img: Option<(&Image, &Ridges)>,
) -> Vec<(Table, Vec<Rule>, Vec<Rule>)> {
    // A table's rules run from rule to rule: a short vertical one starts and ends on
    // horizontal ones, and a short horizontal one on vertical ones. The arcs and star of a
    // seal (at most a third of its 4 cm across is straight enough to be a run) and a
    // signature's strokes end anywhere. Rules longer than an inch are kept as they are
    // (tables without side borders).
    let tol = dpi / 25;
    let long = |r: &Rule| r.to - r.from >= dpi;
    let ends_on = |at: usize, along: usize, others: &[Rule]| {
        others.iter().any(|o| {
            o.at <= at + tol && at <= o.last + tol && o.from <= along + tol && along <= o.to + tol
        })
    };
    // A rule may run on past its last crossing where a seal's arc or a stroke touches its
    // end: it is cut back to the crossings when the overhang is short.
    let overhang = dpi / 6;
    let fitted =
        |r: Rule, others: &[Rule]| -> Option<Rule> {
            if long(&r) || ends_on(r.from, r.at, others) && ends_on(r.to - 1, r.at, others) {
                return Some(r);
            }
            let across = others.iter().filter(|o| {
                o.from <= r.at + tol
                    && r.at <= o.to + tol
                    && o.last + tol >= r.from
                    && o.at <= r.to + tol
            });
            let first = across.clone().map(|o| o.at).min()?;
            let last = across.map(|o| o.last).max()?;
            let (from, to) = (r.from.max(first), r.to.min(last + 1));
            (first <= r.from + overhang && last + overhang >= r.to && to > from + tol)
                .then_some(Rule { from, to, ..r })
        };
    let vs: Vec<Rule> = vs.into_iter().filter_map(|v| fitted(v, &hs)).collect();
    let hs: Vec<Rule> = hs.into_iter().filter_map(|h| fitted(h, &vs)).collect();
    if std::env::var_os("NIANBAO_DEBUG_RULES").is_some() {
        eprintln!("fitted hs {hs:?}\nfitted vs {vs:?}");
    }
    // Tables: groups of horizontal rules joined by vertical rules that cross them.
    let crosses = |h: &Rule, v: &Rule| {
        v.at + 6 >= h.from && v.at <= h.to + 6 && h.at + 6 >= v.from && h.at <= v.to + 6
    };
    let mut group: Vec<usize> = (0..hs.len()).collect();
    for v in &vs {
        let touched: Vec<usize> = (0..hs.len()).filter(|&i| crosses(&hs[i], v)).collect();
        for w in touched.windows(2) {
            let (a, b) = (root(&mut group, w[0]), root(&mut group, w[1]));
            group[a] = b;
        }
    }
    let mut out = Vec::new();
    let mut done = std::collections::HashSet::new();
    for i in 0..hs.len() {
        let r = root(&mut group, i);
        if !done.insert(r) {
            continue;
        }
        let members: Vec<Rule> = (0..hs.len())
            .filter(|&j| root(&mut group, j) == r)
            .map(|j| hs[j])
            .collect();
        let top = members.iter().map(|m| m.at).min().unwrap_or(0);
        let bottom = members.iter().map(|m| m.at).max().unwrap_or(0);
        let verticals: Vec<Rule> = vs
            .iter()
            .filter(|v| members.iter().any(|h| crosses(h, v)))
            .copied()
            .collect();
        if members.len() < 2 || verticals.len() < 2 || bottom <= top {
            continue;
        }
        if let Some(t) = grid(img, &members, &verticals) {
            out.push((t, members, verticals));
        }
    }
    out.sort_by_key(|t| t.0.bounds.y0);
    out
}

/// Positions a few pixels apart are one.
fn cluster(mut xs: Vec<usize>) -> Vec<usize> {
    xs.sort_unstable();
    let mut out: Vec<usize> = Vec::new();
    for x in xs {
        if out.last().is_none_or(|&l| x > l + 6) {
            out.push(x);
        }
    }
    out
}

/// Atomic cells between every pair of neighbouring rules, joined wherever the rule between
/// two of them is missing (a merged cell).
fn grid(img: Option<(&Image, &Ridges)>, hs: &[Rule], vs: &[Rule]) -> Option<Table> {
    let ys = cluster(hs.iter().map(|h| h.at).collect());
    let xs = cluster(vs.iter().map(|v| v.at).collect());
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    if nr == 0 || nc == 0 || nr * nc > 20_000 {
        return None;
    }
    // How much of [a, b] a rule at `at` (± 6 px) covers.
    let covered = |rules: &[Rule], at: usize, a: usize, b: usize| -> bool {
        let mut total = 0;
        for r in rules.iter().filter(|r| r.at + 6 >= at && r.at <= at + 6) {
            let (s, e) = (r.from.max(a), r.to.min(b));
            total += e.saturating_sub(s);
        }
        total * 10 >= (b - a) * 6
    };
    // A rule too faint to be found as one (a thin line in a low-resolution scan, grey
    // after JPEG and scaling): along most of it there is a thin line darker than paper and
    // than at least one of its sides (the other may be a shaded cell), but lighter than
    // print, where a missing rule's place has blank paper or an even shade between any
    // text, and a character's vertical stroke is print-black.
    // None: the place cannot be seen (a toner streak or a blot over most of it, no paper
    // beside it).
    let faint = |horizontal: bool, at: usize, a: usize, b: usize| -> Option<bool> {
        let Some((img, lines)) = img else {
            return Some(false);
        };
        let (a, b) = (a + 8, b.saturating_sub(8));
        if b <= a || at < 8 {
            return Some(false);
        }
        let px = |p: usize, q: usize| {
            let (x, y) = xy(horizontal, p, q);
            img.px
                .get(y * img.w + x)
                .copied()
                .filter(|_| x < img.w)
                .unwrap_or(255)
        };
        // The line keeps to one row (or its neighbour, `q` and `q + 1` here): the specks
        // of a toner streak are as dark, but scattered.
        let grey = |p: usize, q: usize| {
            let dark = px(p, q).min(px(p, q + 1));
            let side = px(p, at - 8).max(px(p, at + 8));
            (BLACK..FAINT).contains(&dark) && dark + 30 <= side
        };
        let line = (at - 3..=at + 2)
            .map(|q| (a..b).filter(|&p| grey(p, q)).count())
            .max()
            .unwrap_or(0);
        // Or a thin line along most of it, lighter still (a copier's grey rule), with
        // paper on both sides.
        let on = |p: usize, q: usize| {
            let (x, y) = xy(horizontal, p, q);
            x < img.w && y < img.h && img.px[y * img.w + x] >= BLACK && lines.at(x, y, horizontal)
        };
        let thin = (at - 3..=at + 2)
            .map(|q| (a..b).filter(|&p| on(p, q) || on(p, q + 1)).count())
            .max()
            .unwrap_or(0);
        if line * 10 >= (b - a) * 8 || lines.faded() && thin * 10 >= (b - a) * 6 {
            return Some(true);
        }
        // Seen: paper beside the place, or an even shade across it (a streak is mottled).
        let seen = (a..b)
            .filter(|&p| {
                let (l, m, r) = (px(p, at - 8), px(p, at), px(p, at + 8));
                l.max(r) >= FAINT_LINE || l.max(m).max(r) - l.min(m).min(r) <= 12
            })
            .count();
        (!lines.faded() || seen * 10 >= (b - a) * 4).then_some(false)
    };
    // A rule between two atoms: found, or faint, or — where its place cannot be seen (a
    // streak over the grid) — the same rule is found on a neighbouring atom along it and a
    // rule parallel to it next to it is seen (inside a merged cell, none would be).
    let ruled = |horizontal: bool, i: usize, lo: usize| -> bool {
        let (rules, at, along) = if horizontal {
            (hs, &ys, &xs)
        } else {
            (vs, &xs, &ys)
        };
        let seen = |i: usize, k: usize| {
            covered(rules, at[i], along[k], along[k + 1])
                || faint(horizontal, at[i], along[k], along[k + 1]) == Some(true)
        };
        let here = |k: usize| covered(rules, at[i], along[k], along[k + 1]);
        here(lo)
            || faint(horizontal, at[i], along[lo], along[lo + 1]).unwrap_or_else(|| {
                let along_too = (lo > 0 && here(lo - 1)) || (lo + 2 < along.len() && here(lo + 1));
                let beside = (i > 1 && seen(i - 1, lo)) || (i + 2 < at.len() && seen(i + 1, lo));
                along_too && beside
            })
    };
    let id = |r: usize, c: usize| r * nc + c;
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    for r in 0..nr {
        for c in 0..nc {
            if c + 1 < nc && !ruled(false, c + 1, r) {
                let (a, b) = (root(&mut parent, id(r, c)), root(&mut parent, id(r, c + 1)));
                parent[a] = b;
            }
            if r + 1 < nr && !ruled(true, r + 1, c) {
                let (a, b) = (root(&mut parent, id(r, c)), root(&mut parent, id(r + 1, c)));
                parent[a] = b;
            }
        }
    }
    // Each merged cell as the bounding box of its atoms, listed at its top-left atom.
    let mut span: std::collections::HashMap<usize, (usize, usize, usize, usize)> =
        std::collections::HashMap::new();
    for r in 0..nr {
        for c in 0..nc {
            let top = root(&mut parent, id(r, c));
            let e = span.entry(top).or_insert((r, c, r, c));
            *e = (e.0.min(r), e.1.min(c), e.2.max(r), e.3.max(c));
        }
    }
    let mut rows: Vec<Vec<(Rect, usize, usize)>> = vec![Vec::new(); nr];
    let mut seen = std::collections::HashSet::new();
    for r in 0..nr {
        for c in 0..nc {
            let top = root(&mut parent, id(r, c));
            let (r0, c0, r1, c1) = span[&top];
            if (r0, c0) != (r, c) || !seen.insert(top) {
                continue;
            }
            let rect = Rect {
                x0: xs[c0],
                y0: ys[r0],
                x1: xs[c1 + 1],
                y1: ys[r1 + 1],
            };
            rows[r].push((rect, r1 - r0 + 1, c1 - c0 + 1));
        }
    }
    Some(Table {
        bounds: Rect {
            x0: xs[0],
            y0: ys[0],
            x1: xs[nc],
            y1: ys[nr],
        },
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3 × 3 table whose first column's top two cells are merged.
    fn page() -> Image {
        let (w, h) = (600, 400);
        let mut img = Image::white(w, h);
        let mut line = |x0: usize, y0: usize, x1: usize, y1: usize| {
            for y in y0..=y1 {
                for x in x0..=x1 {
                    img.px[y * w + x] = 0;
                }
            }
        };
        for y in [50, 150, 250, 350] {
            if y == 150 {
                line(250, y, 550, y + 1);
            } else {
                line(50, y, 550, y + 1);
            }
        }
        for x in [50, 250, 400, 550] {
            line(x, 50, x + 1, 351);
        }
        img
    }

    #[test]
    fn merged_cells_come_from_missing_rules() {
        let mut img = page();
        let t = tables(&mut img, 300);
        assert_eq!(t.len(), 1);
        let spans: Vec<Vec<(usize, usize)>> = t[0]
            .rows
            .iter()
            .map(|r| r.iter().map(|c| (c.1, c.2)).collect())
            .collect();
        assert_eq!(
            spans,
            vec![
                vec![(2, 1), (1, 1), (1, 1)],
                vec![(1, 1), (1, 1)],
                vec![(1, 1), (1, 1), (1, 1)]
            ]
        );
        assert_eq!(
            t[0].bounds,
            Rect {
                x0: 50,
                y0: 50,
                x1: 550,
                y1: 350
            }
        );
        assert!(img.px.iter().all(|&p| p == 255), "rules are removed");
    }

    fn spans(t: &Table) -> Vec<Vec<(usize, usize)>> {
        t.rows
            .iter()
            .map(|r| r.iter().map(|c| (c.1, c.2)).collect())
            .collect()
    }

    fn paint(
        img: &mut Image,
        x: std::ops::RangeInclusive<usize>,
        y: std::ops::Range<usize>,
        v: u8,
    ) {
        for y in y {
            for x in x.clone() {
                img.px[y * img.w + x] = v;
            }
        }
    }

    #[test]
    fn a_rule_running_on_into_a_seal_arc_is_cut_back() {
        let want = spans(&tables(&mut page(), 600)[0]);
        // At 600 dpi the 300 px columns are short rules that must end on horizontal ones;
        // a seal's arc continues one of them 40 px past the table's bottom.
        let mut img = page();
        paint(&mut img, 400..=401, 352..392, 0);
        let t = tables(&mut img, 600);
        assert_eq!(spans(&t[0]), want);
        assert_eq!(t[0].bounds.y1, 350);
    }

    #[test]
    fn a_seal_arc_along_a_rule_leaves_the_rule() {
        let want = spans(&tables(&mut page(), 300)[0]);
        // Grey seal ink beside the column at x = 400 over its lowest row: one band 11 px
        // thick, too thick for a rule, whose rule part is the two black columns.
        let mut img = page();
        paint(&mut img, 402..=410, 250..350, 150);
        let t = tables(&mut img, 300);
        assert_eq!(spans(&t[0]), want);
        assert_eq!(t[0].rows[2][2].0.x0, 400);
    }

    #[test]
    fn a_faint_rule_separates_and_an_even_shade_does_not() {
        let want = spans(&tables(&mut page(), 300)[0]);
        let mut img = page();
        // The column rule of the top row too light to be found as a rule (grey 215) ...
        paint(&mut img, 250..=251, 52..150, 215);
        // ... and the merged cell below it shaded evenly in that grey, across its missing rule.
        paint(&mut img, 52..=248, 100..200, 215);
        let t = tables(&mut img, 300);
        assert_eq!(spans(&t[0]), want);
        // Without the faint rule the merged cell takes in its neighbour on the top row.
        let mut img = page();
        paint(&mut img, 250..=251, 52..150, 255);
        assert_eq!(spans(&tables(&mut img, 300)[0])[0], vec![(2, 2), (1, 1)]);
    }

    /// A deterministic pseudo-random byte per pixel (texture and toner for the tests).
    fn noise(x: usize, y: usize) -> u8 {
        let mut h = (x as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (y as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        h ^= h >> 29;
        h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        (h >> 56) as u8
    }

    /// The test page as a photocopier gives it back: rules faded to a mottled grey, paper
    /// textured, and a toner streak down the page across the middle column.
    fn photocopy() -> Image {
        let mut img = page();
        for y in 0..img.h {
            for x in 0..img.w {
                let n = noise(x, y);
                let p = &mut img.px[y * img.w + x];
                *p = if *p == 0 {
                    // Rule: 195–230 (RULE is 210), a few pixels lost to the paper.
                    if n < 20 {
                        250
                    } else {
                        195 + n % 36
                    }
                } else {
                    // Paper: 242–255 with darker blotches here and there.
                    if n < 8 {
                        215
                    } else {
                        242 + n % 14
                    }
                };
                if (300..340).contains(&x) && n % 3 == 0 {
                    *p = 110 + n % 120;
                }
            }
        }
        img
    }

    #[test]
    fn a_photocopied_grid_is_found_whole() {
        let want = spans(&tables(&mut page(), 300)[0]);
        let t = tables(&mut photocopy(), 300);
        assert_eq!(t.len(), 1);
        assert_eq!(spans(&t[0]), want);
        let b = t[0].bounds;
        assert_eq!((b.x0, b.y0, b.x1, b.y1), (50, 50, 550, 350));
    }

    #[test]
    fn specks_go_and_print_stays() {
        let mut img = page();
        // Specks of one and four pixels; a decimal point of 5 × 5 pixels.
        img.px[100 * 600 + 100] = 0;
        for (x, y) in [(300, 300), (301, 300), (300, 301), (301, 301)] {
            img.px[y * 600 + x] = 20;
        }
        for y in 200..205 {
            for x in 120..125 {
                img.px[y * 600 + x] = 0;
            }
        }
        img.despeckle(20);
        assert_eq!(img.px[100 * 600 + 100], 255);
        assert_eq!(img.px[300 * 600 + 300], 255);
        assert_eq!(img.px[202 * 600 + 122], 0, "a decimal point stays");
        assert_eq!(tables(&mut img, 300).len(), 1, "rules stay");
    }

    #[test]
    fn pgm_round_trip_and_bad_headers() {
        let img = page();
        let back = Image::from_pgm(&img.to_pgm()).unwrap();
        assert_eq!((back.w, back.h, back.px.len()), (600, 400, 240_000));
        assert!(Image::from_pgm(b"P6\n1 1\n255\n\0\0\0").is_none());
        assert!(Image::from_pgm(b"P5\n99999 99999\n255\n").is_none());
        assert!(Image::from_pgm(b"P5\n2 2\n255\n\0").is_none(), "truncated");
    }
}
