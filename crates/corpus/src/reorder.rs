//! Puts the reports of one ingest run back in input order before they are stored: files are
//! read on every core and finish in any order, but two versions of one agency-year must be
//! numbered as they were given (the later input the newer version). Held in memory only up
//! to a bound: past it the earliest waiting go on without the slow one before them, so one
//! long scan cannot make a run of 100 000 files wait in memory.

use std::collections::BTreeMap;

/// Items numbered by input order, released in that order.
pub(crate) struct Reorder<T> {
    waiting: BTreeMap<usize, (T, usize)>,
    /// The input number released next.
    next: usize,
    /// Bytes held (as `insert` was told).
    held: usize,
    cap: usize,
}

impl<T> Reorder<T> {
    /// A buffer holding at most about `cap` bytes of waiting items.
    pub(crate) fn new(cap: usize) -> Reorder<T> {
        Reorder {
            waiting: BTreeMap::new(),
            next: 0,
            held: 0,
            cap,
        }
    }

    /// Item number `seq` (its size in bytes, roughly) has arrived.
    pub(crate) fn insert(&mut self, seq: usize, item: T, bytes: usize) {
        self.held += bytes;
        self.waiting.insert(seq, (item, bytes));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.waiting.len()
    }

    /// Up to `max` items that may go now, in input order: those that follow the last one
    /// released without a gap (or come after it was released); with `all` (the input has
    /// ended), or while more is held than the bound, the earliest waiting whatever the gap
    /// before them.
    pub(crate) fn take(&mut self, max: usize, all: bool) -> Vec<T> {
        let mut out = Vec::new();
        while out.len() < max {
            let Some((&seq, _)) = self.waiting.first_key_value() else {
                break;
            };
            // An item later than the bound let pass goes at once: its place is taken.
            if seq > self.next && !all && self.held <= self.cap {
                break;
            }
            if let Some((item, bytes)) = self.waiting.remove(&seq) {
                self.held -= bytes;
                self.next = self.next.max(seq + 1);
                out.push(item);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_leave_in_input_order() {
        let mut r = Reorder::new(1000);
        r.insert(2, 'c', 1);
        r.insert(1, 'b', 1);
        assert!(r.take(10, false).is_empty(), "0 has not arrived");
        r.insert(0, 'a', 1);
        r.insert(4, 'e', 1);
        assert_eq!(r.take(10, false), ['a', 'b', 'c']);
        assert_eq!(r.take(10, false), Vec::<char>::new(), "3 has not arrived");
        assert_eq!(r.take(10, true), ['e'], "the input ended: no more waiting");
        assert!(r.is_empty());
    }

    #[test]
    fn at_most_max_at_a_time() {
        let mut r = Reorder::new(1000);
        for i in 0..5 {
            r.insert(i, i, 1);
        }
        assert_eq!(r.take(2, false), [0, 1]);
        assert_eq!(r.take(9, false), [2, 3, 4]);
    }

    #[test]
    fn past_the_bound_the_earliest_go_without_the_slow_one() {
        let mut r = Reorder::new(10);
        r.insert(1, 'b', 6);
        assert!(r.take(10, false).is_empty());
        r.insert(2, 'c', 6);
        // 12 bytes held > 10: 0 is passed over, and 2 follows 1 without a gap.
        assert_eq!(r.take(10, false), ['b', 'c']);
        r.insert(0, 'a', 1);
        assert_eq!(r.take(10, false), ['a'], "late: it goes at once");
        r.insert(4, 'e', 1);
        assert!(r.take(10, false).is_empty(), "3 has not arrived");
    }
}
