//! The cells of a report: one slot per canonical key of its template, held in a flat vector
//! and found through a per-template index, so a report costs one allocation for its cells
//! instead of a map of 200 owned keys, and a lookup is a hash of the key, not a tree walk of
//! string comparisons (the checks look cells up thousands of times per report).

use crate::{keys_for, Cell, PerTemplate, Template};
use rustc_hash::FxHashMap;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// The keys of a template in sorted order (the order cells are listed and serialised in,
/// as a sorted map lists them) and each key's slot.
struct Index {
    sorted: Vec<&'static str>,
    slot: FxHashMap<&'static str, usize>,
}

fn index(template: Template) -> &'static Index {
    static CACHE: PerTemplate<Index> = PerTemplate::new();
    CACHE.get(template, |t| {
        let mut sorted = keys_for(t).to_vec();
        sorted.sort_unstable();
        let slot = sorted.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        Index { sorted, slot }
    })
}

/// Every canonical cell of one template, blank ones included. A key of another template
/// has no cell here: `get` answers `None` and `set` refuses it.
#[derive(Clone, Debug, PartialEq)]
pub struct Cells {
    template: Template,
    cells: Vec<Cell>,
}

impl Cells {
    /// Every cell of `template`, blank.
    pub fn new(template: Template) -> Cells {
        Cells {
            template,
            cells: vec![Cell::default(); keys_for(template).len()],
        }
    }

    pub fn template(&self) -> Template {
        self.template
    }

    fn slot(&self, key: &str) -> Option<usize> {
        index(self.template).slot.get(key).copied()
    }

    pub fn get(&self, key: &str) -> Option<&Cell> {
        self.slot(key).map(|i| &self.cells[i])
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Cell> {
        self.slot(key).map(|i| &mut self.cells[i])
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.slot(key).is_some()
    }

    /// Puts a cell under its key; false (and nothing changed) when the template has no
    /// such key.
    pub fn set(&mut self, key: &str, cell: Cell) -> bool {
        match self.get_mut(key) {
            Some(c) => {
                *c = cell;
                true
            }
            None => false,
        }
    }

    /// Number of cells (every key of the template).
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Keys and cells in sorted key order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Cell)> + '_ {
        index(self.template).sorted.iter().copied().zip(&self.cells)
    }

    /// Keys and cells in sorted key order, the cells to change.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&'static str, &mut Cell)> + '_ {
        index(self.template)
            .sorted
            .iter()
            .copied()
            .zip(&mut self.cells)
    }

    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        index(self.template).sorted.iter().copied()
    }

    pub fn values(&self) -> impl Iterator<Item = &Cell> + '_ {
        self.cells.iter()
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Cell> + '_ {
        self.cells.iter_mut()
    }
}

impl std::ops::Index<&str> for Cells {
    type Output = Cell;
    /// The cell of a key the template has; a key it lacks is a programming error.
    fn index(&self, key: &str) -> &Cell {
        match self.get(key) {
            Some(c) => c,
            None => panic!("no cell {key:?} in template {}", self.template),
        }
    }
}

impl<'a> IntoIterator for &'a Cells {
    type Item = (&'static str, &'a Cell);
    type IntoIter = std::iter::Zip<
        std::iter::Copied<std::slice::Iter<'static, &'static str>>,
        std::slice::Iter<'a, Cell>,
    >;
    fn into_iter(self) -> Self::IntoIter {
        index(self.template).sorted.iter().copied().zip(&self.cells)
    }
}

impl Serialize for Cells {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.cells.len()))?;
        for (k, c) in self {
            map.serialize_entry(k, c)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Num;

    #[test]
    fn every_key_has_one_slot_and_others_none() {
        for t in Template::ALL {
            let mut c = Cells::new(t);
            assert_eq!(c.len(), keys_for(t).len());
            for k in keys_for(t) {
                assert!(c.set(
                    k,
                    Cell {
                        value: Some(Num::Int(k.len() as i64)),
                        evidence: None
                    }
                ));
            }
            for k in keys_for(t) {
                assert_eq!(c[k].value, Some(Num::Int(k.len() as i64)), "{k}");
            }
            let keys: Vec<&str> = c.keys().collect();
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            assert_eq!(keys, sorted);
        }
        let mut c = Cells::new(Template::Y2019);
        assert!(c.get("t3.other.no_fee.natural").is_none());
        assert!(!c.set("t3.other.no_fee.natural", Cell::default()));
        assert!(c.get("legacy.request.received").is_none());
    }
}
