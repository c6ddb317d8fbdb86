//! Containing the panics of dependencies on malformed input.
//!
//! polars' parquet metadata decoder panics instead of returning an error on some damaged files
//! (`thrift bool field`: the `table` fuzz target's third finding), and its structure cannot
//! be checked before it is decoded. Such calls run inside [`contain`]: the panic becomes
//! `None` (the caller reports the file as unreadable), and the hook installed by
//! [`install_hook`] keeps it off the terminal. Any other panic is printed as before and still
//! ends the program with exit 101 — the no-crash tests look for exactly that.

use std::cell::Cell;

thread_local! {
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic inside it (on this thread) gives `None`, silently.
pub fn contain<T>(f: impl FnOnce() -> T) -> Option<T> {
    let before = CONTAINING.replace(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CONTAINING.set(before);
    result.ok()
}

/// Whether this thread is inside [`contain`].
pub fn containing() -> bool {
    CONTAINING.get()
}

/// Wraps the current panic hook: contained panics are not reported, others as before. Called
/// once at start-up (and by the fuzz targets, around libFuzzer's hook).
pub fn install_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !containing() {
            previous(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contained_panic_is_none_and_the_flag_is_restored() {
        assert_eq!(contain(|| 7), Some(7));
        let none: Option<()> = contain(|| std::panic::panic_any("polars"));
        assert!(none.is_none());
        assert!(!containing());
        assert_eq!(contain(|| contain(|| 1).map(|v| (v, containing()))), Some(Some((1, true))));
        assert!(!containing());
    }
}
