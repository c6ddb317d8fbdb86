//! Observations → one value per indicator, year and area, and one for the whole city.
//!
//! The rows were summarised when their file was loaded (`load::summary`: one polars group-by
//! per file by indicator, year and area, streaming for big files); here the summaries of all
//! files are merged and each indicator's own aggregate (`sum | mean | last | max | min`) is
//! picked. Empty values were left out of every figure (not measured, never zero). Sums are
//! exact, so the result does not depend on file order or on how the rows were read.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::load::Table;
use crate::load::summary::ExactSum;
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

/// One area's observations of an indicator in a year, over every file.
struct AreaRow {
    n: u32,
    sum: ExactSum,
    min: f64,
    max: f64,
    last: f64,
    /// (period end, file, row) of `last`: the latest observation, ties broken by file and row.
    last_at: (i32, String, u32),
    illustrative: bool,
}

/// Rows with a value of one indicator and year in one file: count, first and last row.
type FileRows = (u32, u32, u32);

/// A value a what-if scenario supposes (`scenarios/<name>.yaml`): the year's value of one area
/// (`area` empty: the city-wide value) as if the data held that one observation instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Supposed {
    pub indicator: String,
    pub year: i32,
    pub area: String,
    pub value: f64,
    /// Shown in the value's provenance (`scenario contoh`).
    pub label: String,
}

/// `kinds`: each program indicator's aggregate. Observations of other ids are ignored (the
/// validator reports them). `supposed`: a scenario's values, empty for the real workspace.
pub fn yearly_values(
    tables: &[Table],
    kinds: &BTreeMap<String, Aggregate>,
    supposed: &[Supposed],
) -> PolarsResult<YearlyValues> {
    let mut areas: BTreeMap<(String, i32), BTreeMap<String, AreaRow>> = BTreeMap::new();
    let mut months: HashMap<(String, i32), u16> = HashMap::new();
    let mut files: HashMap<(String, i32), BTreeMap<String, FileRows>> = HashMap::new();
    for table in tables.iter().filter(|t| t.kind == DataKind::Observations) {
        let file = crate::diagnostic::slash_path(&table.path);
        for g in table.summary.iter().flat_map(|s| &s.groups) {
            if g.measured == 0 || !kinds.contains_key(&g.indicator) {
                continue;
            }
            let key = (g.indicator.clone(), g.year);
            let last_at = (g.last_at.0, file.clone(), g.last_at.1);
            match areas.entry(key.clone()).or_default().entry(g.area.clone()) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(AreaRow {
                        n: g.measured,
                        sum: g.sum.clone(),
                        min: g.min,
                        max: g.max,
                        last: g.last,
                        last_at,
                        illustrative: g.illustrative,
                    });
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    let a = o.get_mut();
                    a.n += g.measured;
                    a.sum.merge(&g.sum);
                    a.min = a.min.min(g.min);
                    a.max = a.max.max(g.max);
                    if last_at > a.last_at {
                        a.last = g.last;
                        a.last_at = last_at;
                    }
                    a.illustrative |= g.illustrative;
                }
            }
            *months.entry(key.clone()).or_default() |= g.months;
            let rows = files.entry(key).or_default().entry(file.clone()).or_insert((0, u32::MAX, 0));
            rows.0 += g.measured;
            rows.1 = rows.1.min(g.measured_rows.0);
            rows.2 = rows.2.max(g.measured_rows.1);
        }
    }

    // A supposed value replaces the area's rows by one observation: whatever the aggregate, one
    // observation gives its value, so the result equals a re-score of data edited that way.
    for s in supposed.iter().filter(|s| kinds.contains_key(&s.indicator)) {
        let key = (s.indicator.clone(), s.year);
        let mut sum = ExactSum::default();
        sum.add(s.value);
        let row = AreaRow {
            n: 1,
            sum,
            min: s.value,
            max: s.value,
            last: s.value,
            last_at: (i32::MAX, s.label.clone(), 0),
            illustrative: false,
        };
        let by_area = areas.entry(key.clone()).or_default();
        by_area.insert(s.area.clone(), row);
        if by_area.len() == 1 {
            // Every row of the year was replaced: no data file gave the value any more.
            files.remove(&key);
        }
        let rows = files.entry(key).or_default();
        // No rows: the provenance names the scenario alone.
        rows.insert(s.label.clone(), (0, 0, 0));
    }

    let mut out = YearlyValues::new();
    for (key, by_area) in areas {
        let kind = kinds[&key.0];
        let value_of = |a: &AreaRow| match kind {
            Aggregate::Sum => a.sum.value(),
            Aggregate::Mean => a.sum.value() / f64::from(a.n),
            Aggregate::Max => a.max,
            Aggregate::Min => a.min,
            Aggregate::Last => a.last,
        };
        let mut rows: Vec<(String, &AreaRow)> = by_area.iter().map(|(area, a)| (area.clone(), a)).collect();
        let city_row = rows.iter().position(|(area, _)| area.is_empty()).map(|i| rows.remove(i));
        let area_values: Vec<f64> = rows.iter().map(|(_, a)| value_of(a)).collect();
        let value = match &city_row {
            Some((_, a)) => value_of(a),
            None => combine_areas(kind, &area_values),
        };
        let mut prov: Vec<String> = files
            .remove(&key)
            .unwrap_or_default()
            .into_iter()
            .map(|(file, (n, a, b))| {
                if n == 0 {
                    return file;
                }
                let rows = if a == b { format!("row {a}") } else { format!("rows {a}–{b}") };
                format!("{file} {rows} ({n})")
            })
            .collect();
        prov.sort();
        let all = || city_row.iter().chain(rows.iter()).map(|(_, a)| *a);
        if kind == Aggregate::Last && all().count() == 1 {
            let (_, file, row) = &all().next().map(|a| a.last_at.clone()).unwrap_or_default();
            prov.push(if *row == 0 { format!("value from {file}") } else { format!("value from {file}:{row}") });
        }
        out.insert(
            key.clone(),
            YearValue {
                value,
                areas: rows.iter().map(|(area, _)| area.clone()).zip(area_values).collect(),
                observations: all().map(|a| a.n).sum(),
                illustrative: all().any(|a| a.illustrative),
                months: months.get(&key).copied().unwrap_or(0),
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
