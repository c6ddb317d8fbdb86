//! The YAML loaders: city, program (one or a list), instrument. Any input must give a value or
//! a diagnostic, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcity_eval::load::yaml::{parse, parse_all};
use smartcity_eval::model::{City, Framework, Program, Sp};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let shown = std::path::Path::new("fuzz.yaml");
    let _ = parse::<City>(text, shown);
    let _ = parse::<Sp<Program>>(text, shown);
    let _ = parse::<Vec<Sp<Program>>>(text, shown);
    let _ = parse::<Framework>(text, shown);
    // Reading on after errors (masking) must end too, whatever the text.
    let _ = parse_all::<City>(text, shown);
    let _ = parse_all::<Vec<Sp<Program>>>(text, shown);
    let _ = parse_all::<Framework>(text, shown);
});
