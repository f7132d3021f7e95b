//! Word boxes as the glyphs sit, whatever the font claims.
//!
//! Chromium/Skia prints CJK text in Type3 fonts whose boxes are about 2.6 em tall, while
//! digits in a Latin font beside them get ordinary boxes: the two kinds of word on one
//! printed line then have tops a third of a line apart, and a title's year or a row's
//! numbers fall onto the neighbouring line. A word made of CJK glyphs is square per glyph,
//! so its true size (em) is its width per glyph; a box much taller than that is inflated
//! and is shrunk to one em. Where it goes vertically is learnt from the document itself:
//! inflated words that touch an ordinary word on the same printed line (`…自` + `2019` +
//! `年`) tell how far down the glyphs sit inside the inflated box.

use crate::positions::Word;

fn wide(c: char) -> bool {
    ('\u{2E80}'..='\u{9FFF}').contains(&c)
        || ('\u{F900}'..='\u{FAFF}').contains(&c)
        || ('\u{FF00}'..='\u{FFEF}').contains(&c)
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// The em of a word with CJK glyphs, from its width (a narrow glyph counts half).
fn em(w: &Word) -> Option<f64> {
    let (mut n_wide, mut n_narrow) = (0usize, 0usize);
    for c in w.text.chars() {
        if wide(c) {
            n_wide += 1;
        } else if !c.is_whitespace() {
            n_narrow += 1;
        }
    }
    let units = n_wide as f64 + 0.5 * n_narrow as f64;
    (n_wide > 0 && w.x1 > w.x0).then(|| (w.x1 - w.x0) / units)
}

/// The em of a word whose box is inflated (taller than 1.6 em), if it is.
fn inflated(w: &Word) -> Option<f64> {
    em(w).filter(|em| w.h > 1.6 * em)
}

/// Shrinks inflated boxes to one em, placed where touching ordinary words show the glyphs
/// sit (their centres level); with no such evidence, in the middle of the box.
pub fn normalise(words: &mut [Word]) {
    if !words.iter().any(|w| inflated(w).is_some()) {
        return;
    }
    // Offsets of the glyph top inside the box, as a share of the box height.
    let mut shares: Vec<f64> = Vec::new();
    for pair in words.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.page != b.page {
            continue;
        }
        let (big, small) = match (inflated(a), inflated(b)) {
            (Some(e), None) => ((a, e), b),
            (None, Some(e)) => ((b, e), a),
            _ => continue,
        };
        let (w, em) = big;
        let touching = (w.x1 - small.x0).abs() < 0.3 * em || (small.x1 - w.x0).abs() < 0.3 * em;
        let overlaps = small.y0 < w.y0 + w.h && small.y0 + small.h > w.y0;
        if touching && overlaps && small.h < 1.6 * em {
            let top = small.y0 + small.h / 2.0 - em / 2.0;
            shares.push((top - w.y0) / w.h);
        }
    }
    let share = median(&mut shares);
    for w in words.iter_mut() {
        if let Some(em) = inflated(w) {
            let top = match share {
                Some(s) => w.y0 + s * w.h,
                None => w.y0 + (w.h - em) / 2.0,
            };
            w.y0 = top;
            w.h = em;
        }
    }
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Some(v[v.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(x0: f64, y0: f64, x1: f64, h: f64, text: &str) -> Word {
        Word {
            page: 1,
            para: (0, 0),
            x0,
            y0,
            x1,
            h,
            text: text.into(),
        }
    }

    /// Boxes as poppler reports them for a Chromium PDF (Type3 CJK, Latin digits).
    #[test]
    fn inflated_cjk_boxes_line_up_with_digits() {
        let mut ws = vec![
            word(33.75, 20.55, 87.75, 46.8, "西店镇"),
            word(87.75, 38.71, 123.75, 19.93, "2019"),
            word(123.75, 20.55, 357.75, 46.8, "年政府信息公开工作年度报告"),
            word(441.75, 78.56, 465.75, 13.29, "2019"),
            word(465.75, 66.45, 477.75, 31.2, "年"),
        ];
        normalise(&mut ws);
        assert!((ws[0].h - 18.0).abs() < 0.01, "{:?}", ws[0]);
        assert!((ws[4].h - 12.0).abs() < 0.01);
        // Centres level with the digits beside them.
        let centre = |w: &Word| w.y0 + w.h / 2.0;
        assert!((centre(&ws[0]) - centre(&ws[1])).abs() < 1.0);
        assert!((centre(&ws[4]) - centre(&ws[3])).abs() < 1.0);
    }

    #[test]
    fn ordinary_boxes_are_left_alone() {
        let mut ws = vec![
            word(10.0, 100.0, 58.0, 12.5, "行政许可"),
            word(200.0, 100.5, 212.0, 12.0, "15"),
        ];
        let before = format!("{ws:?}");
        normalise(&mut ws);
        assert_eq!(format!("{ws:?}"), before);
    }
}
