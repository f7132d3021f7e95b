//! Random reports and the text layouts they are found in, for tests and benchmarks.
//!
//! [`report`] makes a report whose tables satisfy every template identity; [`render`]
//! writes it out the way copied reports look in the wild (see `shared/corpus/seeds`): tab
//! rows, one cell per line, Markdown, pipe rows, one long line — with random full-width
//! digits, spaced-out labels, label variants and typos seen in real reports, `增1`,
//! `123604.14元`, `—` for blanks.

mod county;
mod gen;
mod html;
mod layout;
mod scan;
mod series;
mod tables;

pub use county::{county, county_names, season, Filing, DEPARTMENTS};
pub use gen::report;
pub use html::{html_page, HtmlStyle};
pub use layout::{render, Layout, Style};
pub use scan::image_pdf;
pub use series::{add, series};

use rand::rngs::SmallRng;
use rand::SeedableRng;

/// A deterministic generator from a seed.
pub fn rng(seed: u64) -> SmallRng {
    SmallRng::seed_from_u64(seed)
}
