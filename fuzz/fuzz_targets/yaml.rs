//! The YAML loaders: city, program (one or a list), instrument. Any input must give a value or
//! a diagnostic, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcity_eval::load::yaml::parse;
use smartcity_eval::model::{City, Framework, Program, Sp};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let shown = std::path::Path::new("fuzz.yaml");
    let _ = parse::<City>(text, shown);
    let _ = parse::<Sp<Program>>(text, shown);
    let _ = parse::<Vec<Sp<Program>>>(text, shown);
    let _ = parse::<Framework>(text, shown);
});
