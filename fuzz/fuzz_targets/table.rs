//! The data readers: the first byte picks the format (CSV, xlsx, parquet) and the table kind;
//! the rest is written to a temp file and read through `read_table`, as `validate` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartcity_eval::load::table::read_table;
use smartcity_eval::model::DataOptions;
use smartcity_eval::workspace::DataKind;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let ext = ["csv", "xlsx", "parquet"][usize::from(selector % 3)];
    let kind = DataKind::ALL[usize::from(selector / 3 % 4)];
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join(format!("fuzz.{ext}"));
    if std::fs::write(&path, body).is_err() {
        return;
    }
    let mut diagnostics = Vec::new();
    let _ = read_table(kind, &path, std::path::Path::new("fuzz"), &DataOptions::default(), &mut diagnostics);
});
