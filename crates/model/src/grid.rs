//! A reader's table grid as it stands in the canonical text: where each cell's text is,
//! so extraction reads values cell by cell (columns mapped by their header cells) instead
//! of re-cutting the flattened text, while evidence keeps pointing into that text.

use std::ops::Range;

/// One table of a document: per row, per column, the byte range of the cell's text in the
/// canonical text, or `None` where a merged cell covers the slot.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextGrid {
    /// Slots row by row; a blank cell has an empty range at its place in its row's line.
    pub rows: Vec<Vec<Option<Range<usize>>>>,
    /// Byte range of each row's line (cells separated by tabs).
    pub lines: Vec<Range<usize>>,
    /// The columns that hold values (right of the row labels), as the reader judged them.
    pub values: Range<usize>,
}
