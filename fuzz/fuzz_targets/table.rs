//! The data readers: the first byte picks the format (CSV, xlsx, parquet) and the table kind;
//! the rest is written to a temp file and read through `read_table`, as `validate` does.
//!
//! Files this small always take the precise (cell-by-cell) reader in `read_table`. For
//! observation CSV/parquet files the streaming fast path (`load::stream::read_observations`,
//! taken by files of 4 MiB and more) also reads the same bytes, and the two are compared: the
//! fast path may only accept a file the precise reader reads without a single diagnostic, and
//! then both must count the same rows and give the same summary (what `score` and `validate`
//! read).
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use smartcity_eval::load::stream::read_observations;
use smartcity_eval::load::table::read_table;
use smartcity_eval::load::{Group, Summary};
use smartcity_eval::model::DataOptions;
use smartcity_eval::workspace::DataKind;

/// One directory for the whole run (a new one per input would cost more than the reading).
fn dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temp dir for the fuzz inputs")).path()
}

/// A group as later stages see it: the exact sum by its value (its partials may be split
/// differently when rows are added in another order).
fn comparable(summary: &Summary) -> Vec<(Group, f64)> {
    let mut groups: Vec<(Group, f64)> = summary
        .groups
        .iter()
        .map(|g| {
            let mut g = g.clone();
            let sum = std::mem::take(&mut g.sum).value();
            (g, sum)
        })
        .collect();
    groups.sort_by(|(a, _), (b, _)| (&a.indicator, a.year, &a.area).cmp(&(&b.indicator, b.year, &b.area)));
    groups
}

fuzz_target!(|data: &[u8]| {
    // Panics the tool contains on purpose (polars' parquet decoder on damaged files,
    // smartcity_eval::guard) must not count as crashes; any other still aborts.
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(smartcity_eval::guard::install_hook);
    let Some((&selector, body)) = data.split_first() else { return };
    let ext = ["csv", "xlsx", "parquet"][usize::from(selector % 3)];
    let kind = DataKind::ALL[usize::from(selector / 3 % 4)];
    let path = dir().join(format!("fuzz.{ext}"));
    if std::fs::write(&path, body).is_err() {
        return;
    }
    let shown = Path::new("fuzz");
    let options = DataOptions::default();
    let mut diagnostics = Vec::new();
    let precise = read_table(kind, &path, shown, &options, &mut diagnostics);
    if kind == DataKind::Observations && ext != "xlsx" {
        if let Some(fast) = read_observations(&path, shown, &options) {
            let Some(precise) = precise else {
                panic!("the fast path accepted a file the precise reader rejects: {diagnostics:?}");
            };
            assert!(diagnostics.is_empty(), "the fast path accepted a file with diagnostics: {diagnostics:?}");
            assert_eq!(fast.rows, precise.rows, "row counts differ");
            assert_eq!(precise.rows, precise.frame.height());
            let Some(precise_summary) = &precise.summary else {
                panic!("an observation table without a summary");
            };
            assert_eq!(comparable(&fast.summary), comparable(precise_summary), "summaries differ");
        }
    }
});
