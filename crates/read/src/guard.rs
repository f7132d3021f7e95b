//! Panics inside a reader, kept quiet: a hostile file that makes a parser panic is reported
//! by its caller as one line naming the file, not as a panic message and backtrace on
//! stderr in the middle of a batch. Panics elsewhere print as before.

use std::cell::{Cell, RefCell};
use std::panic::UnwindSafe;
use std::sync::Once;

thread_local! {
    /// How many [`quietly`] calls this thread is inside.
    static QUIET: Cell<u32> = const { Cell::new(0) };
    /// The last quiet panic's message and place.
    static LAST: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `f`; a panic inside it becomes `Err` with the panic's message and where it
/// happened, and prints nothing.
pub fn quietly<T>(f: impl FnOnce() -> T + UnwindSafe) -> Result<T, String> {
    install();
    QUIET.with(|q| q.set(q.get() + 1));
    let out = std::panic::catch_unwind(f);
    QUIET.with(|q| q.set(q.get() - 1));
    out.map_err(|_| {
        let why = LAST.with(|l| std::mem::take(&mut *l.borrow_mut()));
        // A panic on another thread (printed there) reaches here without a message.
        if why.is_empty() {
            "panic".to_string()
        } else {
            why
        }
    })
}

/// The one-line reason a file gets when reading or extracting it panicked (`why` from
/// [`quietly`]): the batch goes on, and the reason asks for a report.
pub fn internal_error(why: &str) -> String {
    format!(
        "内部错误，已跳过此文件，请报告此问题 (internal error; file skipped, please report it: {why})"
    )
}

/// Puts a hook in front of the process's panic hook (once): quiet panics are noted for
/// [`quietly`], every other panic goes on to the hook that was there.
fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| q.get()) == 0 {
                return previous(info);
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let place = info
                .location()
                .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
            LAST.with(|l| *l.borrow_mut() = format!("{message}{place}"));
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quiet_panic_is_an_error_with_its_message_and_place() {
        let err = quietly(|| -> u8 { panic!("bad offset {}", 7) }).unwrap_err();
        assert!(err.starts_with("bad offset 7 at "), "{err}");
        assert!(err.contains("guard.rs:"), "{err}");
        assert_eq!(quietly(|| 5), Ok(5));
        // Nested: the inner call's panic is the inner call's error; the outer goes on.
        let outer = quietly(|| quietly(|| -> u8 { panic!("inner") }).unwrap_err());
        assert!(outer.unwrap().starts_with("inner at "));
    }
}
