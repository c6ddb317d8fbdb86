//! Completeness, as warnings: what an assessor will ask about even though nothing is wrong.

use std::collections::HashSet;

use super::at;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::LoadedWorkspace;
use crate::workspace::DataKind;

/// How many ids a grouped warning lists before "and N more".
const LIST_MAX: usize = 10;

pub(super) fn check(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    let Some(city) = &ws.city else { return };
    let year = city.value.evaluation.year.value;
    if !ws.unparsed.observations {
        indicators_without_data(ws, year, diagnostics);
    }
    let Some(assessment) = ws.assessment(year) else { return };
    let Some(framework) = ws.framework_for_year(year) else { return };
    let path = &assessment.path;
    let answered: HashSet<&str> = assessment.value.answers.keys().map(|k| k.value.as_str()).collect();
    let missing: Vec<&str> =
        framework.questions().map(|(_, _, q)| q.id.value.as_str()).filter(|id| !answered.contains(id)).collect();
    if !missing.is_empty() {
        diagnostics.push(
            Diagnostic::warning("unanswered", format!("{} of {} questions have no answer: {}", missing.len(), framework.questions().count(), list(&missing)))
                .at(Location::file(path))
                .help(format!(
                    "with `missing: {}` an unanswered question counts as {}; answer it or mark `derive: true` where a rule exists",
                    serde_json::to_value(framework.missing).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
                    if framework.missing == crate::model::framework::MissingPolicy::Zero { "0" } else { "nothing (left out of the mean)" }
                )),
        );
    }
    for (qid, answer) in &assessment.value.answers {
        if answer.score.is_some() && answer.evidence.is_empty() {
            diagnostics.push(
                Diagnostic::warning("no-evidence", format!("answer `{}` has no evidence", qid.value))
                    .at(at(path, qid))
                    .help("Tahap II checks bukti dukung: list the documents under `evidence:`"),
            );
        }
    }
}

fn list(ids: &[&str]) -> String {
    if ids.len() <= LIST_MAX {
        ids.join(", ")
    } else {
        format!("{}, and {} more", ids[..LIST_MAX].join(", "), ids.len() - LIST_MAX)
    }
}

fn indicators_without_data(ws: &LoadedWorkspace, year: i32, diagnostics: &mut Diagnostics) {
    let measured: HashSet<&str> = ws
        .tables
        .iter()
        .filter(|t| t.kind == DataKind::Observations)
        .flat_map(|t| t.summary.iter().flat_map(|s| &s.groups))
        .filter(|g| g.year == year && g.measured > 0)
        .map(|g| g.indicator.as_str())
        .collect();
    for loaded in &ws.programs {
        let p = &loaded.value.value;
        if !p.period.contains(year) {
            continue;
        }
        for ind in &p.indicators {
            if !measured.contains(ind.id.value.as_str()) {
                diagnostics.push(
                    Diagnostic::warning("no-data", format!("indicator `{}` has no data for {year}", ind.id.value))
                        .at(at(&loaded.path, &ind.id))
                        .help(format!(
                            "add {year} rows for it under data/observations/ (an empty value means not measured)"
                        )),
                );
            }
        }
    }
}
