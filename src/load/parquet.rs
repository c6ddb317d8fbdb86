//! Parquet files read whole for the cell-by-cell reader, after their column types and chunk
//! sizes are checked ([`super::parquet_types`]).

use std::path::Path;

use polars::prelude::*;

use super::raw::{Cell, Origin, Raw};
use crate::diagnostic::{Diagnostic, Location};

pub(super) fn read_parquet(path: &Path, shown: &Path) -> Result<Raw, Diagnostic> {
    let unreadable = |e: PolarsError| {
        Diagnostic::error("parquet-unreadable", format!("cannot read parquet file: {e}"))
            .at(Location::file(shown))
            .help("check that the file is a complete parquet file (re-export it)")
    };
    // Types polars cannot read would panic in `finish`.
    super::parquet_types::check(path, shown)?;
    #[cfg(test)]
    super::raw::passes::count();
    let file = std::fs::File::open(path).map_err(|e| super::text::unreadable(shown, &e))?;
    // On this thread (no pool), so that a panic of the decoder on a damaged file is contained
    // (crate::guard) and reported, not a crash.
    let frame = crate::guard::contain(|| ParquetReader::new(file).read_parallel(ParallelStrategy::None).finish())
        .ok_or_else(|| {
            Diagnostic::error("parquet-unreadable", "cannot read parquet file: its data is damaged")
                .at(Location::file(shown))
                .help("check that the file is a complete parquet file (re-export it)")
        })?
        .map_err(unreadable)?;
    let headers: Vec<String> = frame.get_column_names().iter().map(|s| s.to_string()).collect();
    let mut columns: Vec<Vec<Cell>> = Vec::with_capacity(headers.len());
    for column in frame.columns() {
        let is_numeric = column.dtype().is_primitive_numeric();
        // A timestamp (pandas' type for dates) is the day it falls on, as an xlsx date is.
        let as_text = match column.dtype() {
            DataType::Datetime(_, _) => column.cast(&DataType::Date).and_then(|c| c.cast(&DataType::String)),
            _ => column.cast(&DataType::String),
        }
        .map_err(unreadable)?;
        let values = as_text.str().map_err(unreadable)?;
        columns.push(
            values
                .iter()
                .map(|v| match v {
                    None => Cell::Empty,
                    Some(s) if is_numeric => s.parse::<f64>().map_or_else(|_| Cell::Text(s.to_string()), Cell::Number),
                    Some(s) if s.trim().is_empty() => Cell::Empty,
                    Some(s) => Cell::Text(s.trim().to_string()),
                })
                .collect(),
        );
    }
    let height = frame.height();
    let rows = (0..height).map(move |i| Ok(((i + 1) as u32, columns.iter().map(|c| c[i].clone()).collect())));
    Ok(Raw {
        origin: Origin::Parquet,
        headers,
        header_row: 0,
        header_letters: Vec::new(),
        semicolons: false,
        preview: Vec::new(),
        other_sheets: Vec::new(),
        rows: Box::new(rows.collect::<Vec<_>>().into_iter()),
    })
}
