//! The data readers: the first byte picks the format (CSV, xlsx, parquet) and the table kind;
//! the rest is written to a temp file and read through `read_table`, as `validate` does.
//!
//! Observation CSV and parquet files are read by the streaming readers
//! (`load::stream::read_observations`), which fall back to the cell-by-cell reader only for
//! what no row decides alone (ADR 9). Each such input is also read cell by cell
//! (`read_table_streaming_from` with no file streamed) and the two are compared: when the
//! streaming readers take a file, both must give the same diagnostics in the same order, count
//! the same rows and give the same summary (groups and duplicates: what `score` and `validate`
//! read).
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use smartcity_eval::load::stream::read_observations;
use smartcity_eval::load::table::{read_table, read_table_streaming_from};
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
    let table = read_table(kind, &path, shown, &options, &mut diagnostics);
    if kind == DataKind::Observations && ext != "xlsx" {
        if let Some(streamed) = read_observations(&path, shown, &options) {
            let mut precise_diagnostics = Vec::new();
            let precise =
                read_table_streaming_from(kind, &path, shown, &options, u64::MAX, &mut precise_diagnostics);
            let Some(precise) = precise else {
                panic!("the streaming readers took a file the cell-by-cell reader rejects: {precise_diagnostics:?}");
            };
            let shown_all = |ds: &[smartcity_eval::diagnostic::Diagnostic]| -> Vec<String> {
                ds.iter().map(|d| format!("{d:?}")).collect()
            };
            assert_eq!(shown_all(&streamed.diagnostics), shown_all(&precise_diagnostics), "diagnostics differ");
            assert_eq!(shown_all(&diagnostics), shown_all(&precise_diagnostics), "read_table streamed differently");
            assert!(table.is_some(), "read_table rejected a file the streaming readers take");
            assert_eq!(streamed.rows, precise.rows, "row counts differ");
            assert_eq!(precise.rows, precise.frame.height());
            let Some(precise_summary) = &precise.summary else {
                panic!("an observation table without a summary");
            };
            assert_eq!(comparable(&streamed.summary), comparable(precise_summary), "summaries differ");
            assert_eq!(streamed.summary.duplicates, precise_summary.duplicates, "duplicates differ");
        }
    }
});
