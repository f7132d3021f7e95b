//! Numbers as reports print them, and where each one came from.

use serde::{Deserialize, Serialize, Serializer};

/// A cell value: counts are integers, money (万元) is decimal.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Num {
    Int(i64),
    Dec(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Dec(d) => d,
        }
    }

    /// The integer value, if this number is whole.
    pub fn as_int(self) -> Option<i64> {
        match self {
            Num::Int(i) => Some(i),
            Num::Dec(d) if d.fract() == 0.0 && d.abs() < 9.0e15 => Some(d as i64),
            Num::Dec(_) => None,
        }
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Num::Int(i) => s.serialize_i64(i),
            Num::Dec(d) => s.serialize_f64(d),
        }
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Dec(d) => write!(f, "{d}"),
        }
    }
}

/// Where a value was read: the raw text and its position in the decoded source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The text as printed, e.g. `增1`, `123604.14元`, `—`.
    pub raw: String,
    /// 1-based line of the decoded text.
    pub line: u32,
    /// 1-based character column within that line.
    pub column: u32,
    /// Byte offset and length in the decoded text.
    pub offset: usize,
    pub len: usize,
    /// Unit the value was converted from (`元`, `万元`), when a unit applied.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub unit: Option<String>,
    /// 1.0 when the text settles the value; lower when a run of digits had to be split
    /// into cells and more than one split was possible.
    pub confidence: f32,
    /// Where the value's cell is in the file as published, when the reader knows (tables
    /// of PDF, OFD, scans, DOCX and HTML); `line`/`column` above are in nianbao's derived
    /// text, which only plain text shares with the file.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub place: Option<Place>,
}

/// A table cell's place in the file as published.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    /// PDF, OFD or scan: the 1-based page and the cell's box in PDF points (1/72 inch) from
    /// the page's top-left corner, y downwards. For a scan, the box is on the straightened
    /// page image taken as 300 dpi (for a scanned PDF, its page).
    Page {
        page: u32,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
    },
    /// DOCX or HTML: the 0-based table (in document order, nested tables counted where
    /// they start), row and cell (in the row's order, as the file lists them); for a DOCX
    /// with a PDF rendering (LibreOffice's layout of its pages), also where the value is
    /// printed on that rendering.
    Cell {
        table: u32,
        row: u32,
        cell: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rendered: Option<PageBox>,
    },
}

impl Place {
    /// The page and box to draw: the file's own page, else a rendering's.
    pub fn page_box(&self) -> Option<PageBox> {
        match *self {
            Place::Page {
                page,
                x0,
                y0,
                x1,
                y1,
            } => Some(PageBox {
                page,
                x0,
                y0,
                x1,
                y1,
            }),
            Place::Cell { rendered, .. } => rendered,
        }
    }
}

/// A box on a page: the 1-based page and PDF points from its top-left corner, y downwards.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageBox {
    pub page: u32,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// One table cell of a report: its value (None for blank/absent) and its evidence.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Cell {
    pub value: Option<Num>,
    pub evidence: Option<Evidence>,
}

impl Cell {
    pub fn int(&self) -> Option<i64> {
        self.value.and_then(Num::as_int)
    }
}
