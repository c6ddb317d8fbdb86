//! Observations → one value per indicator, year and area, and one for the whole city.
//!
//! One lazy pass groups by (indicator, year, area) computing every aggregate at once and then
//! picks the indicator's own (`sum | mean | last | max | min`); empty values are dropped first
//! (not measured, never zero). Two small group-bys give data coverage (months with data) and
//! provenance (files and rows).

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use super::{bools, concat_kind, f64s, i64s, strs};
use crate::load::Table;
use crate::model::program::Aggregate;
use crate::workspace::DataKind;

/// The city-wide value of one indicator in one year, with what it was made from.
#[derive(Debug, Clone, PartialEq)]
pub struct YearValue {
    pub value: f64,
    /// Per-area values (empty when the data has no areas).
    pub areas: Vec<(String, f64)>,
    pub observations: u32,
    pub illustrative: bool,
    /// Bit m-1 set when month m has data.
    pub months: u16,
    /// `file rows a–b (n)`, and for last/max/min the row that gave the value.
    pub provenance: Vec<String>,
}

impl YearValue {
    pub fn months_with_data(&self) -> u32 {
        self.months.count_ones()
    }
}

/// (indicator, year) → value.
pub type YearlyValues = BTreeMap<(String, i32), YearValue>;

/// `kinds`: each program indicator's aggregate. Observations of other ids are ignored (the
/// validator reports them).
pub fn yearly_values(tables: &[Table], kinds: &BTreeMap<String, Aggregate>) -> PolarsResult<YearlyValues> {
    let Some(obs) = concat_kind(tables, DataKind::Observations)? else { return Ok(YearlyValues::new()) };
    // Rows of unknown indicators are grouped too and skipped when assembling (few, and the
    // validator reports them).
    let obs = obs
        .filter(col("value").is_not_null())
        .with_column(col("area").fill_null(lit("")))
        .with_column(col("source").eq(lit("ilustrasi")).fill_null(lit(false)).alias("_illustrative"));
    let order = || [col("period_end"), col("_file"), col("_row")];
    let sorted_last = |name: &str| col(name).sort_by(order(), SortMultipleOptions::default()).last();
    let by_area = obs.clone().group_by([col("indicator"), col("year"), col("area")]).agg([
        col("value").sum().alias("sum"),
        col("value").mean().alias("mean"),
        col("value").max().alias("max"),
        col("value").min().alias("min"),
        sorted_last("value").alias("last"),
        sorted_last("_file").alias("last_file"),
        sorted_last("_row").alias("last_row"),
        col("value").count().alias("n"),
        col("_illustrative").any(true).alias("illustrative"),
    ]);
    let months = obs
        .clone()
        .select([col("indicator"), col("year"), col("month_from"), col("month_to")])
        .unique(None, UniqueKeepStrategy::Any);
    let files = obs.group_by([col("indicator"), col("year"), col("_file")]).agg([
        col("_row").count().alias("n"),
        col("_row").min().alias("first"),
        col("_row").max().alias("last"),
    ]);
    let [by_area, months, files] = [by_area.collect()?, months.collect()?, files.collect()?];
    assemble(&by_area, &months, &files, kinds)
}

struct AreaRow {
    area: String,
    value: f64,
    n: u32,
    illustrative: bool,
    last_at: String,
}

fn assemble(
    by_area: &DataFrame,
    months: &DataFrame,
    files: &DataFrame,
    kinds: &BTreeMap<String, Aggregate>,
) -> PolarsResult<YearlyValues> {
    let (ind, year, area) = (strs(by_area, "indicator")?, i64s(by_area, "year")?, strs(by_area, "area")?);
    let columns: HashMap<&str, Float64Chunked> = ["sum", "mean", "max", "min", "last"]
        .into_iter()
        .map(|k| Ok((k, f64s(by_area, k)?)))
        .collect::<PolarsResult<_>>()?;
    let (n, illustrative) = (i64s(by_area, "n")?, bools(by_area, "illustrative")?);
    let (last_file, last_row) = (strs(by_area, "last_file")?, i64s(by_area, "last_row")?);
    let mut grouped: BTreeMap<(String, i32), Vec<AreaRow>> = BTreeMap::new();
    for i in 0..by_area.height() {
        let (Some(id), Some(y)) = (ind.get(i), year.get(i)) else { continue };
        let Some(kind) = kinds.get(id) else { continue };
        let key = match kind {
            Aggregate::Sum => "sum",
            Aggregate::Mean => "mean",
            Aggregate::Max => "max",
            Aggregate::Min => "min",
            Aggregate::Last => "last",
        };
        let Some(value) = columns[key].get(i) else { continue };
        grouped.entry((id.to_string(), y as i32)).or_default().push(AreaRow {
            area: area.get(i).unwrap_or("").to_string(),
            value,
            n: n.get(i).unwrap_or(0) as u32,
            illustrative: illustrative.get(i).unwrap_or(false),
            last_at: format!("{}:{}", last_file.get(i).unwrap_or(""), last_row.get(i).unwrap_or(0)),
        });
    }
    let mut month_masks: HashMap<(String, i32), u16> = HashMap::new();
    let (mi, my, from, to) =
        (strs(months, "indicator")?, i64s(months, "year")?, i64s(months, "month_from")?, i64s(months, "month_to")?);
    for i in 0..months.height() {
        let (Some(id), Some(y), Some(f), Some(t)) = (mi.get(i), my.get(i), from.get(i), to.get(i)) else { continue };
        let mask = (f.clamp(1, 12)..=t.clamp(1, 12)).fold(0u16, |m, month| m | 1 << (month - 1));
        *month_masks.entry((id.to_string(), y as i32)).or_default() |= mask;
    }
    let mut provenance: HashMap<(String, i32), Vec<String>> = HashMap::new();
    let (fi, fy, ff, fnn, first, last) = (
        strs(files, "indicator")?,
        i64s(files, "year")?,
        strs(files, "_file")?,
        i64s(files, "n")?,
        i64s(files, "first")?,
        i64s(files, "last")?,
    );
    for i in 0..files.height() {
        let (Some(id), Some(y), Some(file)) = (fi.get(i), fy.get(i), ff.get(i)) else { continue };
        let (n, a, b) = (fnn.get(i).unwrap_or(0), first.get(i).unwrap_or(0), last.get(i).unwrap_or(0));
        let rows = if a == b { format!("row {a}") } else { format!("rows {a}–{b}") };
        provenance.entry((id.to_string(), y as i32)).or_default().push(format!("{file} {rows} ({n})"));
    }

    let mut out = YearlyValues::new();
    for (key, mut rows) in grouped {
        rows.sort_by(|a, b| a.area.cmp(&b.area));
        let kind = kinds[&key.0];
        let city_row = rows.iter().position(|r| r.area.is_empty()).map(|i| rows.remove(i));
        let area_values: Vec<f64> = rows.iter().map(|r| r.value).collect();
        let value = match &city_row {
            Some(row) => row.value,
            None => combine_areas(kind, &area_values),
        };
        let mut prov = provenance.remove(&key).unwrap_or_default();
        prov.sort();
        if matches!(kind, Aggregate::Last | Aggregate::Max | Aggregate::Min) {
            let picked: Vec<&str> = city_row.iter().chain(rows.iter()).map(|r| r.last_at.as_str()).collect();
            if kind == Aggregate::Last && picked.len() == 1 {
                prov.push(format!("value from {}", picked[0]));
            }
        }
        let observations = city_row.iter().chain(rows.iter()).map(|r| r.n).sum();
        let illustrative = city_row.iter().chain(rows.iter()).any(|r| r.illustrative);
        out.insert(
            key.clone(),
            YearValue {
                value,
                areas: rows.into_iter().map(|r| (r.area, r.value)).collect(),
                observations,
                illustrative,
                months: month_masks.get(&key).copied().unwrap_or(0),
                provenance: prov,
            },
        );
    }
    Ok(out)
}

/// A city value from area values: counts and stocks add up (`sum`, `last`), rates average
/// (`mean`), extremes stay extremes.
pub fn combine_areas(kind: Aggregate, values: &[f64]) -> f64 {
    match kind {
        Aggregate::Sum | Aggregate::Last => values.iter().sum(),
        Aggregate::Mean => values.iter().sum::<f64>() / values.len().max(1) as f64,
        Aggregate::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        Aggregate::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
    }
}
