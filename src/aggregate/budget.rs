//! Budget rows → planned and realized per program, year and funding source.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{concat_kind, f64s, i64s, strs};
use crate::load::Table;
use crate::workspace::DataKind;

/// (program, year, source) → (planned, realized). An empty `realized` cell means "not yet
/// known": a source with one is `None`, never a realisation of 0.
pub type BudgetTotals = BTreeMap<(String, i32, String), (f64, Option<f64>)>;

pub fn budget_totals(tables: &[Table]) -> PolarsResult<BudgetTotals> {
    let Some(rows) = concat_kind(tables, DataKind::Budget)? else { return Ok(BudgetTotals::new()) };
    let sums = rows
        .group_by([col("program"), col("year"), col("source")])
        .agg([
            col("planned").sum().alias("planned"),
            col("realized").sum().alias("realized"),
            col("realized").null_count().alias("unknown"),
        ])
        .collect()?;
    let (p, y, s) = (strs(&sums, "program")?, i64s(&sums, "year")?, strs(&sums, "source")?);
    let (planned, realized) = (f64s(&sums, "planned")?, f64s(&sums, "realized")?);
    let unknown = i64s(&sums, "unknown")?;
    let mut out = BudgetTotals::new();
    for i in 0..sums.height() {
        let (Some(p), Some(y), Some(s)) = (p.get(i), y.get(i), s.get(i)) else { continue };
        out.insert(
            (p.to_string(), y as i32, s.to_string()),
            (planned.get(i).unwrap_or(0.0), if unknown.get(i).unwrap_or(0) > 0 { None } else { realized.get(i) }),
        );
    }
    Ok(out)
}
