//! Data tables: references to programs, indicators and questions; duplicates; signs and
//! ranges of the numbers.

use std::collections::{BTreeMap, HashMap, HashSet};

use polars::prelude::*;

use super::{Ids, dangling};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{LoadedWorkspace, Table};
use crate::workspace::DataKind;

/// Reference errors reported per file and id (the same typo on 500 rows is one problem).
pub(super) fn check(ws: &LoadedWorkspace, ids: &Ids, diagnostics: &mut Diagnostics) {
    for table in &ws.tables {
        let result = match table.kind {
            DataKind::Observations => {
                percent_cells(table, ws, diagnostics);
                observations(table, ids, diagnostics)
            }
            DataKind::Budget => budget(table, ids, diagnostics),
            DataKind::Survey => survey(table, ws, diagnostics),
            DataKind::Cohort => cohort(table, ws, diagnostics),
            // Checked with the RPJMD they extend (validate/rpjmd.rs).
            DataKind::Rpjmd => Ok(()),
        };
        if let Err(e) = result {
            diagnostics.push(
                Diagnostic::error("internal", format!("could not check this table: {e}")).at(table.location(0, None)),
            );
        }
    }
}

fn text<'a>(table: &'a Table, name: &str) -> PolarsResult<&'a StringChunked> {
    table.frame.column(name)?.str()
}

fn rows(table: &Table) -> PolarsResult<Vec<u32>> {
    Ok(table.frame.column("_row")?.u32()?.into_no_null_iter().collect())
}

const DUPLICATE_HELP: &str = "keep one row per key: delete the repeated row or correct its key";

/// Reports each unknown id once per file, at its first row.
fn unknown_ids<'a>(
    table: &Table,
    what: &str,
    column: &str,
    values: impl Iterator<Item = Option<&'a str>>,
    rows: &[u32],
    known: &[&str],
    diagnostics: &mut Diagnostics,
) {
    let mut reported: HashMap<&str, usize> = HashMap::new();
    for (value, row) in values.zip(rows) {
        let Some(value) = value else { continue };
        if known.binary_search(&value).is_err() {
            let count = reported.entry(value).or_insert(0);
            *count += 1;
            if *count == 1 {
                diagnostics.push(dangling(what, value, known.iter().copied(), table.location(*row, Some(column))));
            }
        }
    }
}

/// Rows that repeat a key. A polars group-by finds the keys that occur more than once (only
/// those are materialised); when there are any, the rows are walked once more and each repeat
/// is reported against the key's first row, in file order.
fn duplicates(
    table: &Table,
    keys: &[&str],
    describe: impl Fn(&[Option<&str>]) -> String,
    diagnostics: &mut Diagnostics,
) -> PolarsResult<()> {
    if table.frame.height() < 2 {
        return Ok(());
    }
    let as_text: Vec<Expr> = keys.iter().map(|k| col(*k).cast(DataType::String)).collect();
    let names: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
    let text_keys = table.frame.clone().lazy().select(as_text).collect()?;
    let repeated =
        text_keys.clone().lazy().group_by(names).agg([len().alias("_n")]).filter(col("_n").gt(lit(1))).collect()?;
    if repeated.height() == 0 {
        return Ok(());
    }
    let key_at = |df: &DataFrame, i: usize| -> PolarsResult<Vec<Option<String>>> {
        keys.iter().map(|k| Ok(df.column(k)?.str()?.get(i).map(str::to_string))).collect()
    };
    let wanted: HashSet<Vec<Option<String>>> =
        (0..repeated.height()).map(|i| key_at(&repeated, i)).collect::<PolarsResult<_>>()?;
    let columns: Vec<&StringChunked> = keys.iter().map(|k| text_keys.column(k)?.str()).collect::<PolarsResult<_>>()?;
    let rows = rows(table)?;
    let mut first: HashMap<Vec<Option<String>>, u32> = HashMap::new();
    for (i, &row) in rows.iter().enumerate() {
        let key: Vec<Option<String>> = columns.iter().map(|c| c.get(i).map(str::to_string)).collect();
        if !wanted.contains(&key) {
            continue;
        }
        if let Some(&earlier) = first.get(&key) {
            let shown: Vec<Option<&str>> = key.iter().map(Option::as_deref).collect();
            diagnostics.push(
                Diagnostic::error("duplicate-row", format!("duplicate row for {}", describe(&shown)))
                    .at(table.location(row, None))
                    .related(table.location(earlier, None))
                    .help(DUPLICATE_HELP),
            );
        } else {
            first.insert(key, row);
        }
    }
    Ok(())
}

/// Unknown indicator ids and duplicate rows come from the file's summary (the rows of a
/// streamed file are not kept); each unknown id is reported once, at its first row.
fn observations(table: &Table, ids: &Ids, diagnostics: &mut Diagnostics) -> PolarsResult<()> {
    if ids.programs_known {
        let known: Vec<&str> = ids.indicators.iter().map(String::as_str).collect();
        let mut unknown: BTreeMap<&str, u32> = BTreeMap::new();
        for g in table.summary.iter().flat_map(|s| &s.groups) {
            if known.binary_search(&g.indicator.as_str()).is_err() {
                let row = unknown.entry(g.indicator.as_str()).or_insert(u32::MAX);
                *row = (*row).min(g.first_row);
            }
        }
        let mut first_rows: Vec<(u32, &str)> = unknown.into_iter().map(|(id, row)| (row, id)).collect();
        first_rows.sort_unstable();
        for (row, id) in first_rows {
            diagnostics.push(dangling("indicator", id, known.iter().copied(), table.location(row, Some("indicator"))));
        }
    }
    for g in table.summary.iter().flat_map(|s| &s.groups) {
        if !g.sum.value().is_finite() {
            diagnostics.push(
                Diagnostic::error(
                    "value-overflow",
                    format!(
                        "the values of `{}` in {} add up beyond ±1.8e308, the largest number the tool can hold",
                        g.indicator, g.year
                    ),
                )
                // At the largest value (a culprit, whichever others there are), named too.
                .at(table.location(g.largest.1, Some("value")))
                .help(format!(
                    "the largest is {:e}, here; check the unit and the decimal separators of the values this large: \
                     they are typos",
                    if g.max.abs() >= g.min.abs() { g.max } else { g.min }
                )),
            );
        }
    }
    // Found by the fold as the rows were read (load::summary::merge), each repeat against the
    // first row with its indicator, period and area.
    for d in table.summary.iter().flat_map(|s| &s.duplicates) {
        let key = if d.area.is_empty() {
            format!("indicator `{}`, period {}", d.indicator, d.period)
        } else {
            format!("indicator `{}`, period {}, area `{}`", d.indicator, d.period, d.area)
        };
        diagnostics.push(
            Diagnostic::error("duplicate-row", format!("duplicate row for {key}"))
                .at(table.location(d.row, None))
                .related(table.location(d.earlier, None))
                .help(DUPLICATE_HELP),
        );
    }
    Ok(())
}

/// xlsx `value` cells formatted as percentages are read as the number shown (0.45 → 45,
/// format.md §6.6), which is right for an indicator in percent; for an indicator counted in
/// another unit (`orang`) the reading is a guess, said once per file and indicator, at its
/// first cell.
fn percent_cells(table: &Table, ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    if table.percent_cells.is_empty() {
        return;
    }
    let mut first: BTreeMap<&str, (&crate::load::PercentCell, usize)> = BTreeMap::new();
    for cell in &table.percent_cells {
        first.entry(cell.indicator.as_str()).and_modify(|(_, n)| *n += 1).or_insert((cell, 1));
    }
    let mut found: Vec<(&crate::load::PercentCell, usize)> = first.into_values().collect();
    found.sort_by_key(|(cell, _)| cell.row);
    for (cell, count) in found {
        let indicator = ws.programs.iter().find_map(|loaded| {
            loaded.value.value.indicators.iter().find(|i| i.id.value == cell.indicator).map(|i| (loaded, i))
        });
        let Some((loaded, indicator)) = indicator else { continue };
        if crate::rpjmd::is_percent_unit(&indicator.unit) {
            continue;
        }
        let shown = crate::load::number::format_number(crate::load::xlsx_cells::percent_shown(cell.stored));
        let stored = crate::load::number::format_number(cell.stored);
        let others = match count - 1 {
            0 => String::new(),
            1 => format!(" (1 more such cell of `{}` in this file)", cell.indicator),
            n => format!(" ({n} more such cells of `{}` in this file)", cell.indicator),
        };
        diagnostics.push(
            Diagnostic::warning(
                "percent-cell",
                format!(
                    "`value` is formatted as a percentage: the cell shows {shown} % (stored {stored}) and is read as \
                     {shown}, but indicator `{}` is counted in `{}`{others}",
                    cell.indicator, indicator.unit
                ),
            )
            .at(table.location(cell.row, Some("value")))
            .related(super::at(&loaded.path, &indicator.id))
            .help(format!(
                "if `{id}` counts {unit}, format the cells as Number (Excel: Format Cells → Number) and type the \
                 figures again (Excel stored {shown} % as {stored}); if it is a percentage, write `unit: \"%\"` for it",
                id = cell.indicator,
                unit = indicator.unit
            )),
        );
    }
}

fn budget(table: &Table, ids: &Ids, diagnostics: &mut Diagnostics) -> PolarsResult<()> {
    let rows = rows(table)?;
    let program = text(table, "program")?;
    let planned = table.frame.column("planned")?.f64()?;
    let realized = table.frame.column("realized")?.f64()?;
    let known: Vec<&str> = ids.programs.iter().map(String::as_str).collect();
    if ids.programs_known {
        unknown_ids(table, "program", "program", program.iter(), &rows, &known, diagnostics);
    }
    for (i, &row) in rows.iter().enumerate() {
        let (p, r) = (planned.get(i), realized.get(i));
        for (name, value) in [("planned", p), ("realized", r)] {
            if let Some(v) = value.filter(|v| *v < 0.0) {
                diagnostics.push(
                    Diagnostic::error("negative-budget", format!("`{name}` is negative ({v})"))
                        .at(table.location(row, Some(name)))
                        .help("budgets are amounts in Rupiah, zero or more"),
                );
            }
        }
        if let (Some(p), Some(r)) = (p, r)
            && r > p
            && p >= 0.0
        {
            diagnostics.push(
                Diagnostic::warning("realized-over-planned", format!("realized {r} is more than planned {p}"))
                    .at(table.location(row, Some("realized")))
                    .help(
                        "check the figures; realisation above the plan needs a budget revision (APBD-P) to explain it",
                    ),
            );
        }
    }
    duplicates(
        table,
        &["program", "year", "source"],
        |k| format!("program `{}`, year {}, source {}", k[0].unwrap_or(""), k[1].unwrap_or("0"), k[2].unwrap_or("")),
        diagnostics,
    )
}

fn survey(table: &Table, ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) -> PolarsResult<()> {
    let Some(city) = &ws.city else { return Ok(()) };
    let Some(framework) = ws.framework_for_year(city.value.evaluation.year.value) else { return Ok(()) };
    let rows = rows(table)?;
    let question = text(table, "question")?;
    let score = table.frame.column("score")?.f64()?;
    let known: Vec<&str> = framework.question_ids().into_keys().collect();
    unknown_ids(table, "question", "question", question.iter(), &rows, &known, diagnostics);
    let scale = *framework.scale;
    if !scale.is_valid() {
        return Ok(());
    }
    for (i, &row) in rows.iter().enumerate() {
        if let Some(s) = score.get(i).filter(|s| !(scale.min..=scale.max).contains(s)) {
            diagnostics.push(
                Diagnostic::error(
                    "score-out-of-range",
                    format!("survey score {s} is outside the scale {}–{}", scale.min, scale.max),
                )
                .at(table.location(row, Some("score")))
                .help("survey answers are scored on the instrument's scale"),
            );
        }
    }
    duplicates(
        table,
        &["respondent", "question"],
        |k| format!("respondent `{}`, question `{}`", k[0].unwrap_or(""), k[1].unwrap_or("")),
        diagnostics,
    )
}

fn cohort(table: &Table, ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) -> PolarsResult<()> {
    let rows = rows(table)?;
    let known: Vec<&str> = {
        let mut k: Vec<&str> = ws.frameworks.iter().map(|f| f.value.id.value.as_str()).collect();
        k.sort_unstable();
        k
    };
    let framework = text(table, "framework")?;
    unknown_ids(table, "framework", "framework", framework.iter(), &rows, &known, diagnostics);
    for name in ["baseline", "output", "outcome", "impact", "quick-win", "kolaborasi", "final"] {
        let values = table.frame.column(name)?.f64()?;
        for (value, &row) in values.iter().zip(&rows) {
            if let Some(v) = value.filter(|v| !(0.0..=4.0).contains(v)) {
                diagnostics.push(
                    Diagnostic::error("score-out-of-range", format!("`{name}` {v} is outside 0–4"))
                        .at(table.location(row, Some(name)))
                        .help("copy the published score (0 to 4; non-participants are listed with 0)"),
                );
            }
        }
    }
    duplicates(
        table,
        &["name", "year"],
        |k| format!("`{}` in {}", k[0].unwrap_or(""), k[1].unwrap_or("0")),
        diagnostics,
    )
}
