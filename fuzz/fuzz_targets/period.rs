//! The period and date parsers: any text gives a period or an error; a parsed period's months
//! lie within 1..=12 and its year round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcity_eval::period::{Period, parse_date};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(period) = Period::parse(text) {
        let months = period.months();
        assert!(*months.start() >= 1 && *months.end() <= 12 && months.start() <= months.end());
        let _ = (period.year(), period.end_order(), period.kind());
    }
    if let Ok((_, month, day)) = parse_date(text) {
        assert!((1..=12).contains(&month) && (1..=31).contains(&day));
    }
});
