//! Aggregation: the polars pipelines that turn observation, budget and survey rows into yearly
//! values. Only data work lives here; achievement, progress and scores are computed from these
//! values in `progress` and `score`.

pub mod budget;
pub mod indicators;
pub mod survey;

use polars::prelude::*;

use crate::load::Table;
use crate::workspace::DataKind;

/// All tables of one kind as one lazy frame, each row tagged with its file (`_file`).
pub(crate) fn concat_kind(tables: &[Table], kind: DataKind) -> PolarsResult<Option<LazyFrame>> {
    let frames: Vec<LazyFrame> = tables
        .iter()
        .filter(|t| t.kind == kind)
        .map(|t| t.frame.clone().lazy().with_column(lit(crate::diagnostic::slash_path(&t.path)).alias("_file")))
        .collect();
    if frames.is_empty() {
        return Ok(None);
    }
    concat(frames, UnionArgs::default()).map(Some)
}

/// Column accessors that turn a polars error into a message rather than a panic.
pub(crate) fn strs<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<&'a StringChunked> {
    df.column(name)?.str()
}

pub(crate) fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Float64Chunked> {
    Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.clone())
}

pub(crate) fn i64s(df: &DataFrame, name: &str) -> PolarsResult<Int64Chunked> {
    Ok(df.column(name)?.cast(&DataType::Int64)?.i64()?.clone())
}
