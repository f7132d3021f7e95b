//! Turns the text of an annual report into a typed [`Report`].
//!
//! The pipeline: normalise characters ([`norm`]), cut the text into label segments and
//! value runs ([`tokens`]), find the statutory sections ([`sections`]) and the table
//! regions, detect the template ([`detect`]), align each region's segments to the
//! template's rows ([`table`]) and read the values into cells, settling digits that run
//! together with the template identities ([`split`]). Every cell keeps its evidence; what
//! the extractor is unsure of becomes a finding in [`Report::doubts`].

mod anchor;
mod assign;
mod atoms;
mod claims;
mod compact;
mod detect;
mod doubts;
mod fuzzy;
mod grid;
mod identity;
mod labels;
mod lines;
mod meta;
mod norm;
mod number;
mod place;
mod regions;
mod resolve;
mod sections;
mod solve;
mod spec;
mod split;
mod table;
mod tables;
mod tokens;
mod work;
mod write;

use compact::Compact;
use nianbao_model::{Claim, Place, Report, TextGrid};
use norm::Norm;

pub use meta::dates;
pub use spec::{t3_rows, RowSpec};
pub use work::take_steps;

/// The lines and cells the solver reads in a text, one line per line: its kind, whether it
/// is furniture, and its cells between `|` (a debugging aid, as the `lines` example prints).
pub fn show_lines(text: &str) -> Vec<String> {
    let norm = Norm::new(text);
    lines::lines(&norm, &[])
        .iter()
        .map(|l| {
            let cells: Vec<String> = l
                .cells
                .iter()
                .map(|c| norm.chars[c.a..c.b].iter().collect())
                .collect();
            format!(
                "{:?}{} |{}|",
                l.kind,
                if l.furniture { " furniture" } else { "" },
                cells.join("|")
            )
        })
        .collect()
}

/// Extracts a report from its decoded text.
pub fn extract(src: &str) -> Report {
    extract_placed(src, &|_| None)
}

/// Extracts a report from its decoded text, `at` giving where the text at a byte offset is
/// on the page, when the reader knows: values of a borderless table printed without their
/// blank cells are then placed in the columns they stand under.
pub fn extract_placed(src: &str, at: &dyn Fn(usize) -> Option<Place>) -> Report {
    extract_document(src, &[], at)
}

/// Extracts a report from a reader's canonical text and the table grids it found in the
/// file (cells as ranges of `src`): rows under headers nianbao knows are read cell by
/// cell through the grid, the rest of the text as text. `at` as for [`extract_placed`].
pub fn extract_document(
    src: &str,
    grids: &[TextGrid],
    at: &dyn Fn(usize) -> Option<Place>,
) -> Report {
    let norm = Norm::new(src);
    let compact = Compact::new(&norm);
    let meta = meta::meta(src);
    let heads = sections::headings(&compact);
    let template = detect::template(&compact, meta.year);

    let mut report = Report::new(template);
    report.title = meta.title;
    report.agency = meta.agency;
    report.year = meta.year;
    report.published = meta.published;
    report.sections = sections::sections(&norm, &compact, &heads);

    let regions = if let Some(stats) = template.statistics() {
        // The statistics form's one table is read as label segments and runs of values.
        let items = if grids.is_empty() {
            tokens::items(&norm)
        } else {
            grid::items(&norm, grids, template)
        };
        let regions = regions::find(&compact, &heads, template, norm.chars.len());
        if let Some(r) = regions.statistics {
            let mut w = write::Writer::new(&norm, &mut report, at);
            tables::statistics(&mut w, regions::slice(&items, r), &compact, r, stats);
        }
        regions
    } else {
        // Tables 二, 三 and 四: one solver over the document's lines of cells. Tables are
        // found among the labels, where no value stands between a label's words.
        let lines = lines::lines(&norm, grids);
        let atoms = atoms::atoms(&norm, &lines, grids, template);
        let text = anchor::Text::of(&atoms);
        let h = regions::Searched {
            chars: &text.chars,
            at: &text.at,
        };
        let regions = regions::sections_in(&h, &compact, &heads, norm.chars.len());
        let mut w = write::Writer::new(&norm, &mut report, at);
        // Where each section's heading begins.
        let headings = |own: u8| -> Vec<usize> {
            heads
                .iter()
                .filter(|h| h.number != own)
                .map(|h| compact.norm_at(h.start, norm.chars.len()))
                .collect()
        };
        // Regions may overlap; a value one table took is not the next one's.
        let mut taken: Vec<usize> = Vec::new();
        let region =
            |r, own, taken: &[usize]| solve::Region::of(&atoms, &lines, r, &headings(own), taken);
        if let Some(r) = regions.t2 {
            let hint = tables::money_hint(&compact, r);
            taken.extend(solve::t2(&mut w, &region(r, 2, &taken), hint));
            taken.sort_unstable();
        }
        if let Some(r) = regions.t3 {
            taken.extend(solve::t3(&mut w, &region(r, 3, &taken)));
            taken.sort_unstable();
        }
        if let Some(r) = regions.t4 {
            solve::t4(&mut w, &region(r, 4, &taken));
        }
        regions
    };

    let skip: Vec<(usize, usize)> = regions
        .all()
        .into_iter()
        .map(|(a, b)| (compact.pos_of(a), compact.pos_of(b)))
        .collect();
    for f in claims::claims(&compact, &skip) {
        let a = compact.norm_at(f.a, norm.chars.len());
        let b = compact
            .at
            .get(f.b.saturating_sub(1))
            .map_or(norm.chars.len(), |&i| i + 1);
        let evidence = write::evidence(&norm, a, b, None, 1.0);
        report.claims.push(Claim {
            kind: f.kind,
            value: f.value,
            evidence,
        });
    }
    report
}
