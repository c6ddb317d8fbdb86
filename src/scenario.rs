//! What-if scenarios (issue #16, docs/format.md §7b): `scenarios/<name>.yaml` overrides answers,
//! indicator values and program status. The scenario is applied to a copy of the loaded
//! workspace and scored with the same code as the real one, so its result is what a re-score of
//! a workspace edited that way would give; today's result is kept beside it.

use crate::aggregate::indicators::Supposed;
use crate::diagnostic::{Diagnostic, Location, suggest};
use crate::evaluation::{Evaluation, ScenarioAspect, ScenarioInfo, Score};
use crate::load::{Loaded, LoadedWorkspace};
use crate::model::scenario::ScenarioAnswer;
use crate::model::{Answer, Assessment, Scenario, Sp};
use crate::score::exact::Exact;

/// A scenario's name: its file name without `.yaml`.
pub fn name_of(s: &Loaded<Scenario>) -> String {
    s.path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The scenario called `name`, or an error that lists the ones that exist.
pub fn find<'a>(ws: &'a LoadedWorkspace, name: &str) -> Result<&'a Loaded<Scenario>, Diagnostic> {
    if let Some(s) = ws.scenarios.iter().find(|s| name_of(s) == name) {
        return Ok(s);
    }
    let names: Vec<String> = ws.scenarios.iter().map(name_of).collect();
    let help = match (suggest(name, names.iter().map(String::as_str)), names.is_empty()) {
        (Some(s), _) => format!("did you mean `{s}`? (scenarios here: {})", names.join(", ")),
        (None, false) => format!("scenarios here: {}", names.join(", ")),
        (None, true) => {
            format!(
                "this workspace has no scenarios yet: write scenarios/{name}.yaml (`smartcity-eval docs format`, §7b, shows one)"
            )
        }
    };
    Err(Diagnostic::error("unknown-scenario", format!("there is no scenario `{name}`"))
        .at(Location::file(format!("scenarios/{name}.yaml")))
        .help(help))
}

/// Today's evaluation of `year` and the scenario's, with `scenario` set on the second.
pub fn evaluate(
    ws: &LoadedWorkspace,
    scenario: &Loaded<Scenario>,
    year: Option<i32>,
) -> Result<(Evaluation, Evaluation), Diagnostic> {
    let today = crate::evaluate::evaluate(ws, year)?;
    let (changed, supposed) = apply(ws, scenario, today.year)?;
    let mut what_if = crate::evaluate::evaluate_with(&changed, Some(today.year), &supposed)?;
    what_if.scenario = Some(compare(scenario, &today, &what_if));
    Ok((today, what_if))
}

/// The workspace with the scenario's answers and program statuses in place, and its values.
pub fn apply(
    ws: &LoadedWorkspace,
    scenario: &Loaded<Scenario>,
    year: i32,
) -> Result<(LoadedWorkspace, Vec<Supposed>), Diagnostic> {
    let s = &scenario.value;
    let mut changed = ws.clone();
    if !s.answers.is_empty() {
        let framework = ws.framework_for_year(year).map(|f| f.question_ids());
        let index = match changed.assessments.iter().position(|a| a.value.year.value == year) {
            Some(i) => i,
            None => {
                // No answers yet for the year: the scenario's are the first.
                changed.assessments.push(Loaded {
                    path: format!("indicators/assessment/{year}.yaml").into(),
                    value: Assessment { year: Sp::new(year), answers: Default::default() },
                });
                changed.assessments.len() - 1
            }
        };
        let answers = &mut changed.assessments[index].value.answers;
        for (qid, answer) in &s.answers {
            if framework.as_ref().is_some_and(|q| !q.contains_key(qid.value.as_str())) {
                return Err(Diagnostic::error(
                    "dangling-reference",
                    format!("the instrument used for {year} has no question `{}`", qid.value),
                )
                .at(Location::at(&scenario.path, qid.line, qid.column))
                .help("a scenario's answers are for the evaluation year's instrument: score it without --year"));
            }
            match answer.value {
                ScenarioAnswer::Unanswered(_) => {
                    answers.remove(qid);
                }
                ScenarioAnswer::Score(score) => {
                    let entry = answers.entry(qid.clone()).or_insert_with(|| Answer {
                        score: None,
                        derive: false,
                        evidence: Vec::new(),
                        opd: None,
                        note: None,
                        source: None,
                    });
                    // The evidence and the OPD stay: the scenario supposes another score only.
                    entry.score = Some(Sp { value: score, line: answer.line, column: answer.column });
                    entry.derive = false;
                }
            }
        }
    }
    for (id, status) in &s.programs {
        for p in changed.programs.iter_mut().filter(|p| p.value.id.value == id.value) {
            p.value.value.status = *status;
        }
    }
    let label = format!("scenario {}", name_of(scenario));
    let supposed = s
        .values
        .iter()
        .map(|v| Supposed {
            indicator: v.indicator.value.clone(),
            year: v.year.value,
            area: v.area.as_ref().map(|a| a.value.clone()).unwrap_or_default(),
            value: v.value.value.value,
            label: label.clone(),
        })
        .collect();
    Ok((changed, supposed))
}

fn change(today: &Score, then: &Score) -> Score {
    Score::from_exact(Exact::from_decimal(then.value) - Exact::from_decimal(today.value))
}

/// The scenario's result beside today's, per aspect and for the final.
pub fn compare(scenario: &Loaded<Scenario>, today: &Evaluation, what_if: &Evaluation) -> ScenarioInfo {
    let (a, b) = (&today.scorecard, &what_if.scorecard);
    let aspects = b
        .aspects
        .iter()
        .filter_map(|then| {
            let now = a.aspects.iter().find(|x| x.id == then.id)?;
            Some(ScenarioAspect {
                id: then.id.clone(),
                name: then.name.clone(),
                name_en: then.name_en.clone(),
                today: now.score.clone(),
                scenario: then.score.clone(),
                change: change(&now.score, &then.score),
            })
        })
        .collect();
    let label = |p: &Option<crate::evaluation::Predicate>| p.as_ref().map(|p| p.label.clone());
    ScenarioInfo {
        name: name_of(scenario),
        description: scenario.value.description.clone(),
        file: crate::diagnostic::slash_path(&scenario.path),
        answers: scenario.value.answers.len(),
        values: scenario.value.values.len(),
        programs: scenario.value.programs.len(),
        aspects,
        final_today: a.final_score.clone(),
        final_scenario: b.final_score.clone(),
        final_change: change(&a.final_score, &b.final_score),
        predicate_today: label(&a.predicate),
        predicate_scenario: label(&b.predicate),
        predicate_changed: label(&a.predicate) != label(&b.predicate),
    }
}
