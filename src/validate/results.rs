//! Published results of earlier evaluations (`indicators/results/<year>.yaml`): named after
//! their year, scores within the instrument's scale, known instrument and aspects, and in
//! agreement with city.yaml's `previous` where both give the same year.

use super::{Ids, at, dangling};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{Loaded, LoadedWorkspace};
use crate::model::{Framework, PublishedResult};

pub(super) fn check(ws: &LoadedWorkspace, ids: &Ids, diagnostics: &mut Diagnostics) {
    let evaluation_year = ws.city.as_ref().map(|c| c.value.evaluation.year.value);
    for result in &ws.results {
        check_one(result, ws, ids, evaluation_year, diagnostics);
    }
}

fn check_one(
    loaded: &Loaded<PublishedResult>,
    ws: &LoadedWorkspace,
    ids: &Ids,
    evaluation_year: Option<i32>,
    diagnostics: &mut Diagnostics,
) {
    let (path, r) = (&loaded.path, &loaded.value);
    let year = r.year.value;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if stem != year.to_string() {
        diagnostics.push(
            Diagnostic::error("id-file-mismatch", format!("the result for {year} is in a file named `{stem}.yaml`"))
                .at(at(path, &r.year))
                .help(format!("rename the file to indicators/results/{year}.yaml, or correct `year:`")),
        );
    }
    if evaluation_year.is_some_and(|e| year >= e) {
        diagnostics.push(
            Diagnostic::error(
                "bad-year",
                format!(
                    "a published result for {year} is not an earlier evaluation than this one ({})",
                    evaluation_year.unwrap_or(year)
                ),
            )
            .at(at(path, &r.year))
            .help("results/ holds earlier years' published results; this year's scores come from the assessment"),
        );
    }
    // The instrument named, else the one declaring that year: its scale and aspects.
    let instrument: Option<&Framework> = match &r.instrument {
        Some(id) => {
            let found = ws.frameworks.iter().map(|f| &f.value).find(|f| f.id.value == id.value);
            if found.is_none() && ids.frameworks_known {
                diagnostics.push(dangling(
                    "instrument",
                    &id.value,
                    ids.frameworks.iter().map(String::as_str),
                    at(path, id),
                ));
            }
            found
        }
        None => ws.framework_for_year(year).filter(|f| f.year == Some(year)),
    };
    let (min, max) = instrument.map_or((0.0, 4.0), |f| (f.scale.min, f.scale.max));
    let scores =
        std::iter::once(("final".to_string(), &r.final_score)).chain(r.aspects.iter().map(|(a, s)| (a.clone(), s)));
    for (what, score) in scores {
        if !(min..=max).contains(&score.value) {
            diagnostics.push(
                Diagnostic::error(
                    "score-out-of-range",
                    format!("the published `{what}` score {} is outside the scale {min}–{max}", score.value),
                )
                .at(at(path, score))
                .help("copy the score as published (Kominfo scores 0 to 4, two decimals)"),
            );
        }
    }
    if let Some(f) = instrument {
        let known: Vec<&str> = f.aspects.iter().map(|a| a.id.value.as_str()).collect();
        for (aspect, score) in &r.aspects {
            if !known.contains(&aspect.as_str()) {
                diagnostics.push(dangling("aspect", aspect, known.iter().copied(), at(path, score)));
            }
        }
    }
    // city.yaml's `previous` is the same kind of fact: two different finals for one year.
    let previous = ws.city.as_ref().and_then(|c| c.value.previous.as_ref().map(|p| (&c.path, p)));
    if let Some((city_path, p)) = previous
        && p.year.value == year
        && let Some(final_score) = &p.final_score
        && (final_score.value - r.final_score.value).abs() > 1e-9
    {
        diagnostics.push(
            Diagnostic::error(
                "history-conflict",
                format!(
                    "the {year} final is {} here but {} in city.yaml's `previous`",
                    r.final_score.value, final_score.value
                ),
            )
            .at(at(path, &r.final_score))
            .related(at(city_path, final_score))
            .help("keep the published value in one place (results/ can replace `previous:`), or correct the one that is wrong"),
        );
    }
}
