//! Data tables: references to programs, indicators and questions; duplicates; signs and
//! ranges of the numbers.

use std::collections::HashMap;

use polars::prelude::*;

use super::{Ids, dangling, framework_for_year};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{LoadedWorkspace, Table};
use crate::workspace::DataKind;

/// Reference errors reported per file and id (the same typo on 500 rows is one problem).
pub(super) fn check(ws: &LoadedWorkspace, ids: &Ids, diagnostics: &mut Diagnostics) {
    for table in &ws.tables {
        let result = match table.kind {
            DataKind::Observations => observations(table, ids, diagnostics),
            DataKind::Budget => budget(table, ids, diagnostics),
            DataKind::Survey => survey(table, ws, diagnostics),
            DataKind::Cohort => cohort(table, ws, diagnostics),
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

fn duplicates<K: std::hash::Hash + Eq>(
    table: &Table,
    keys: impl Iterator<Item = K>,
    rows: &[u32],
    describe: impl Fn(&K) -> String,
    diagnostics: &mut Diagnostics,
) {
    let mut first: HashMap<K, u32> = HashMap::new();
    for (key, &row) in keys.zip(rows) {
        if let Some(&earlier) = first.get(&key) {
            diagnostics.push(
                Diagnostic::error("duplicate-row", format!("duplicate row for {}", describe(&key)))
                    .at(table.location(row, None))
                    .related(table.location(earlier, None))
                    .help("keep one row per key: delete the repeated row or correct its key"),
            );
        } else {
            first.insert(key, row);
        }
    }
}

fn observations(table: &Table, ids: &Ids, diagnostics: &mut Diagnostics) -> PolarsResult<()> {
    let rows = rows(table)?;
    let indicator = text(table, "indicator")?;
    let period = text(table, "period")?;
    let area = text(table, "area")?;
    let known: Vec<&str> = ids.indicators.iter().map(String::as_str).collect();
    if ids.programs_known {
        unknown_ids(table, "indicator", "indicator", indicator.iter(), &rows, &known, diagnostics);
    }
    let keys = indicator.iter().zip(period.iter()).zip(area.iter()).map(|((i, p), a)| (i, p, a));
    duplicates(
        table,
        keys,
        &rows,
        |(i, p, a)| match a {
            Some(a) => format!("indicator `{}`, period {}, area `{a}`", i.unwrap_or(""), p.unwrap_or("")),
            None => format!("indicator `{}`, period {}", i.unwrap_or(""), p.unwrap_or("")),
        },
        diagnostics,
    );
    Ok(())
}

fn budget(table: &Table, ids: &Ids, diagnostics: &mut Diagnostics) -> PolarsResult<()> {
    let rows = rows(table)?;
    let program = text(table, "program")?;
    let source = text(table, "source")?;
    let year = table.frame.column("year")?.i32()?;
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
    let keys = program.iter().zip(year.iter()).zip(source.iter()).map(|((p, y), s)| (p, y, s));
    duplicates(
        table,
        keys,
        &rows,
        |(p, y, s)| format!("program `{}`, year {}, source {}", p.unwrap_or(""), y.unwrap_or(0), s.unwrap_or("")),
        diagnostics,
    );
    Ok(())
}

fn survey(table: &Table, ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) -> PolarsResult<()> {
    let Some(city) = &ws.city else { return Ok(()) };
    let Some(framework) = framework_for_year(ws, city.value.evaluation.year.value) else { return Ok(()) };
    let rows = rows(table)?;
    let question = text(table, "question")?;
    let respondent = text(table, "respondent")?;
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
    let keys = respondent.iter().zip(question.iter());
    duplicates(
        table,
        keys,
        &rows,
        |(r, q)| format!("respondent `{}`, question `{}`", r.unwrap_or(""), q.unwrap_or("")),
        diagnostics,
    );
    Ok(())
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
    let names = text(table, "name")?;
    let years = table.frame.column("year")?.i32()?;
    duplicates(
        table,
        names.iter().zip(years.iter()),
        &rows,
        |(n, y)| format!("`{}` in {}", n.unwrap_or(""), y.unwrap_or(0)),
        diagnostics,
    );
    Ok(())
}
