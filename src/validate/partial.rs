//! The checks of single values over files that had YAML problems (ADR 13): what a file still
//! said once its faulty entries were taken out is checked like a whole file, and only the
//! findings about one value at its own place in that file are kept. Checks that weigh a file
//! as a whole (sums, completeness, references between entries) wait until it reads whole:
//! taking an entry out would make them report what the user never wrote.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::diagnostic::Diagnostics;
use crate::load::{LoadedWorkspace, Partial};

/// Codes of checks that look at one value and point at it.
const SINGLE_VALUE: &[&str] = &[
    "bad-conversion",
    "bad-date",
    "bad-evidence",
    "bad-id",
    "bad-kode",
    "bad-scale",
    "bad-value",
    "bad-weight",
    "bad-year",
    "duplicate-id",
    "evidence-empty",
    "evidence-encrypted",
    "evidence-missing",
    "evidence-outside",
    "evidence-unreadable",
    "evidence-wrong-case",
    "id-file-mismatch",
    "negative-budget",
    "not-a-number",
    "placeholder",
    "score-out-of-range",
];

pub(super) fn check(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    if ws.partial.is_empty() {
        return;
    }
    let p = &ws.partial;
    let files: BTreeSet<PathBuf> = p
        .city
        .iter()
        .map(|l| l.path.clone())
        .chain(p.dimensions.iter().map(|l| l.path.clone()))
        .chain(p.frameworks.iter().map(|l| l.path.clone()))
        .chain(p.programs.iter().map(|l| l.path.clone()))
        .chain(p.assessments.iter().map(|l| l.path.clone()))
        .chain(p.opds.iter().map(|l| l.path.clone()))
        .chain(p.results.iter().map(|l| l.path.clone()))
        .chain(p.rpjmd.iter().map(|l| l.path.clone()))
        .collect();
    // The workspace with the partial values in their places; no data tables (no check of a
    // single YAML value needs them, and they may be large).
    let mut with = LoadedWorkspace {
        workspace: ws.workspace.clone(),
        city: ws.city.clone().or_else(|| p.city.clone()),
        dimensions: ws.dimensions.clone().or_else(|| p.dimensions.clone()),
        frameworks: ws.frameworks.iter().chain(&p.frameworks).cloned().collect(),
        programs: ws.programs.iter().chain(&p.programs).cloned().collect(),
        assessments: ws.assessments.iter().chain(&p.assessments).cloned().collect(),
        opds: ws.opds.clone().or_else(|| p.opds.clone()),
        tables: Vec::new(),
        unparsed: ws.unparsed.clone(),
        results: ws.results.iter().chain(&p.results).cloned().collect(),
        rpjmd: ws.rpjmd.clone().or_else(|| p.rpjmd.clone()),
        // Scenarios are read whole or not at all (load/mod.rs): none is partial.
        scenarios: Vec::new(),
        partial: Partial::default(),
    };
    with.unparsed.observations = true;
    let mut found = Diagnostics::default();
    super::check(&with, &mut found);
    for d in found {
        let in_partial = d.location.as_ref().is_some_and(|l| l.line.is_some() && files.contains(&l.path));
        if in_partial && SINGLE_VALUE.contains(&d.code) {
            diagnostics.push(d);
        }
    }
}
