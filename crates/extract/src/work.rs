//! A count of the extractor's work on this thread — edit-distance cells computed, digit
//! splits tried, combinations of row readings scored — so tests can bound it by the input's
//! size (a return to quadratic time fails them on any machine; wall time would not).

use std::cell::Cell;

thread_local! {
    static STEPS: Cell<u64> = const { Cell::new(0) };
}

pub(crate) fn add(n: usize) {
    STEPS.with(|s| s.set(s.get().saturating_add(n as u64)));
}

/// The steps of work done on this thread since the last call (and resets the count).
pub fn take_steps() -> u64 {
    STEPS.with(|s| s.replace(0))
}
