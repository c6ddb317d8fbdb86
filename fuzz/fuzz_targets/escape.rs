//! The Typst escaper: any text escapes without panicking, and the escaped text parses as Typst
//! markup without errors (the round trip through rendering is a unit test in src/render/escape.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcity_eval::render::escape::escape;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let escaped = escape(text);
    // User text must never become markup that fails to parse (or code: no `#` survives bare).
    let (errors, _) = typst::syntax::parse(&escaped).errors_and_warnings();
    assert!(errors.is_empty(), "escaped text does not parse: {escaped:?}: {errors:?}");
});
