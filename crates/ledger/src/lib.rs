//! The request ledger (依申请公开台账): the individual requests an agency received, how and
//! when each was answered, and any review or lawsuit about it. Tables 三 and 四 of the
//! annual report follow from it ([`derive::report`]), and so do reply-deadline warnings
//! ([`derive::deadlines`]) on a working-day [`calendar::Calendar`].

pub mod calendar;
pub mod derive;
pub mod import;
pub mod request;

pub use calendar::Calendar;
pub use derive::{deadlines, due, report};
pub use request::{Challenge, Request, Route};
