//! Cohort comparison: recompute every published row's final from its aspect scores with the
//! instrument's weights, flag rows that disagree, and place the city among the participants.

use polars::prelude::*;

use super::exact::Exact;
use crate::aggregate::{f64s, i64s, strs};
use crate::evaluation::{CohortComparison, CohortRow, PreviousAspect};
use crate::load::Table;
use crate::model::framework::Framework;
use crate::workspace::DataKind;

/// Published finals may differ from the weighted sum by rounding, and Kominfo's 2022 finals
/// by an adjustment of up to ±0.013 (reference §4.3); more than this is flagged.
pub const TOLERANCE: f64 = 0.015;

struct Row {
    name: String,
    year: i32,
    aspects: Vec<(String, f64)>,
    instrument: Option<String>,
    published: f64,
    origin: String,
}

fn read_rows(tables: &[Table]) -> PolarsResult<Vec<Row>> {
    let mut rows = Vec::new();
    for table in tables.iter().filter(|t| t.kind == DataKind::Cohort) {
        let df = &table.frame;
        let (name, year, framework, published, line) =
            (strs(df, "name")?, i64s(df, "year")?, strs(df, "framework")?, f64s(df, "final")?, i64s(df, "_row")?);
        let aspect_names = ["baseline", "output", "outcome", "impact", "quick-win", "kolaborasi"];
        let columns: Vec<Float64Chunked> = aspect_names.iter().map(|a| f64s(df, a)).collect::<PolarsResult<_>>()?;
        for i in 0..df.height() {
            rows.push(Row {
                name: name.get(i).unwrap_or("").to_string(),
                year: year.get(i).unwrap_or(0) as i32,
                aspects: aspect_names
                    .iter()
                    .zip(&columns)
                    .filter_map(|(a, c)| c.get(i).map(|v| ((*a).to_string(), v)))
                    .collect(),
                instrument: framework.get(i).map(str::to_string),
                published: published.get(i).unwrap_or(0.0),
                origin: format!("{}:{}", crate::diagnostic::slash_path(&table.path), line.get(i).unwrap_or(0)),
            });
        }
    }
    Ok(rows)
}

fn weighted(instrument: &Framework, aspects: &[(String, f64)]) -> Exact {
    let hundred = Exact::int(100);
    instrument
        .aspects
        .iter()
        .map(|a| {
            let score = aspects.iter().find(|(id, _)| *id == a.id.value).map_or(0.0, |(_, v)| *v);
            Exact::from_decimal(a.weight.value) * Exact::from_decimal(score) / hundred
        })
        .sum()
}

/// `instrument_for(row instrument id, row year)` picks the weights for a row.
pub fn compare<'a>(
    tables: &[Table],
    instrument_for: impl Fn(Option<&str>, i32) -> Option<&'a Framework>,
    city_name: &str,
    city_year: i32,
    city_final: Exact,
    city_instrument: &Framework,
) -> PolarsResult<Option<CohortComparison>> {
    let raw = read_rows(tables)?;
    if raw.is_empty() {
        return Ok(None);
    }
    let mut rows = Vec::new();
    for r in &raw {
        let Some(instrument) = instrument_for(r.instrument.as_deref(), r.year) else { continue };
        let recomputed = weighted(instrument, &r.aspects).to_f64();
        let difference = r.published - recomputed;
        rows.push(CohortRow {
            name: r.name.clone(),
            year: r.year,
            instrument: instrument.id.value.clone(),
            published_final: r.published,
            recomputed_final: recomputed,
            difference,
            flagged: difference.abs() > TOLERANCE,
            participant: r.aspects.iter().any(|(_, v)| *v != 0.0) || r.published != 0.0,
            origin: r.origin.clone(),
        });
    }
    let year = if rows.iter().any(|r| r.year == city_year) {
        city_year
    } else {
        rows.iter().map(|r| r.year).max().unwrap_or(city_year)
    };
    let peers: Vec<&Row> = raw
        .iter()
        .zip(&rows)
        .filter(|(r, c)| r.year == year && c.participant && !r.name.eq_ignore_ascii_case(city_name))
        .map(|(r, _)| r)
        .collect();
    let finals: Vec<f64> = peers.iter().map(|r| r.published).collect();
    let city = city_final.to_f64();
    let median_aspects = city_instrument
        .aspects
        .iter()
        .map(|a| PreviousAspect {
            id: a.id.value.clone(),
            score: median(
                peers
                    .iter()
                    .filter_map(|r| r.aspects.iter().find(|(id, _)| *id == a.id.value).map(|(_, v)| *v))
                    .collect(),
            )
            .unwrap_or(0.0),
            weight: a.weight.value,
        })
        .collect();
    Ok(Some(CohortComparison {
        year,
        participants: peers.len(),
        rank: 1 + finals.iter().filter(|f| **f > city).count(),
        percentile: if finals.is_empty() {
            0.0
        } else {
            finals.iter().filter(|f| **f < city).count() as f64 / finals.len() as f64 * 100.0
        },
        median_final: median(finals),
        median_aspects,
        flagged: rows.iter().filter(|r| r.flagged).count(),
        tolerance: TOLERANCE,
        rows,
    }))
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}
