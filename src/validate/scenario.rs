//! `scenarios/<name>.yaml` (what-ifs, docs/format.md §7b): checked like every other file, so a
//! scenario with a typo fails `validate` with the place and a fix instead of silently changing
//! nothing. Answers are checked against the evaluation year's instrument.

use std::collections::BTreeMap;

use super::{Ids, at, dangling};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::LoadedWorkspace;
use crate::model::scenario::ScenarioAnswer;

pub(super) fn check(ws: &LoadedWorkspace, ids: &Ids, diagnostics: &mut Diagnostics) {
    for s in &ws.scenarios {
        let path = &s.path;
        let name = s.path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // The name becomes a folder of out/ (`out/skenario-<name>/`) and an argument.
        if !crate::slug::is_slug(&name) {
            diagnostics.push(
                Diagnostic::error("bad-id", format!("`{name}` is not a valid scenario name"))
                    .at(Location::file(path))
                    .help(format!(
                        "a scenario is named by its file: lowercase letters, digits and dashes, e.g. `{}.yaml`",
                        crate::slug::slugify(&name)
                    )),
            );
        }
        if let Some(f) = ws.framework() {
            let f = &f.value;
            let questions = f.question_ids();
            for (qid, answer) in &s.value.answers {
                if !ids.frameworks_known {
                    break;
                }
                if !questions.contains_key(qid.value.as_str()) {
                    diagnostics.push(dangling("question", qid, questions.keys().copied(), at(path, qid)).also_help(
                        format!("`{}` has no such question; see indicators/framework/{}.yaml", f.id.value, f.id.value),
                    ));
                    continue;
                }
                if let ScenarioAnswer::Score(score) = answer.value
                    && f.scale.is_valid()
                    && !f.scale.contains(score)
                {
                    diagnostics.push(
                        Diagnostic::error(
                            "score-out-of-range",
                            format!(
                                "score {score} for `{}` is outside the scale {}–{}",
                                qid.value, f.scale.min, f.scale.max
                            ),
                        )
                        .at(at(path, answer))
                        .help(format!("scores run from {} to {}, or write `unanswered`", f.scale.min, f.scale.max)),
                    );
                }
            }
        }
        let mut seen: BTreeMap<(&str, i32, &str), Location> = BTreeMap::new();
        for v in &s.value.values {
            let v = &v.value;
            if ids.unknown_indicator(&v.indicator) {
                diagnostics.push(dangling(
                    "indicator",
                    &v.indicator,
                    ids.indicators.iter().map(String::as_str),
                    at(path, &v.indicator),
                ));
            }
            if !(1900..=2100).contains(&v.year.value) {
                diagnostics.push(
                    Diagnostic::error("bad-year", format!("{} is not a plausible year", v.year.value))
                        .at(at(path, &v.year))
                        .help("write the four-digit year the value is for, e.g. 2023"),
                );
            }
            if !v.value.value.is_finite() {
                diagnostics.push(
                    Diagnostic::error("not-a-number", format!("the value of `{}` is not a number", v.indicator.value))
                        .at(at(path, &v.value))
                        .help("write a plain number"),
                );
            }
            let area = v.area.as_ref().map_or("", |a| a.value.as_str());
            if let Some(first) = seen.insert((&v.indicator.value, v.year.value, area), at(path, &v.indicator)) {
                diagnostics.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!(
                            "`{}` {}{} is given twice",
                            v.indicator.value,
                            v.year.value,
                            if area.is_empty() { String::new() } else { format!(" ({area})") }
                        ),
                    )
                    .at(at(path, &v.indicator))
                    .related(first)
                    .help("give each indicator, year and area one value: remove one of them"),
                );
            }
        }
        for id in s.value.programs.keys() {
            if ids.programs_known && !ids.programs.contains(&id.value) {
                diagnostics.push(dangling("program", id, ids.programs.iter().map(String::as_str), at(path, id)));
            }
        }
    }
}
