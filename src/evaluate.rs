//! Builds the `Evaluation` from a validated workspace: aggregate → progress → score.

use std::collections::BTreeMap;

use crate::aggregate::indicators::{Supposed, yearly_values};
use crate::aggregate::{budget::budget_totals, survey::survey_stats};
use crate::diagnostic::{Diagnostic, Location};
use crate::evaluation::{Evaluation, InstrumentInfo, SourceFile, SurveyGroup, SurveyQuestion, SurveySummary};
use crate::load::LoadedWorkspace;
use crate::model::framework::Framework;
use crate::progress::{dimension_progress, indicator_series, is_running, program_progress};
use crate::score::{card, cohort, exact::Exact, rules::RuleContext};

fn internal(e: polars::error::PolarsError) -> Diagnostic {
    Diagnostic::error("internal", format!("aggregation failed: {e}"))
        .help("please report this with the data file that caused it")
}

/// `year`: the evaluation year by default. The workspace must have passed validation.
pub fn evaluate(ws: &LoadedWorkspace, year: Option<i32>) -> Result<Evaluation, Diagnostic> {
    evaluate_with(ws, year, &[])
}

/// `evaluate` with the indicator values a scenario supposes (`crate::scenario`).
pub fn evaluate_with(ws: &LoadedWorkspace, year: Option<i32>, supposed: &[Supposed]) -> Result<Evaluation, Diagnostic> {
    let Some(city) = &ws.city else {
        return Err(Diagnostic::error("missing-file", "cannot score without indicators/city.yaml"));
    };
    let year = year.unwrap_or(city.value.evaluation.year.value);
    let framework = ws.framework_for_year(year).ok_or_else(|| {
        Diagnostic::error("dangling-reference", format!("no instrument for {year}"))
            .at(Location::file(&city.path))
            .help("add the instrument under indicators/framework/ and name it in city.yaml")
    })?;
    let kinds = ws
        .programs
        .iter()
        .flat_map(|p| p.value.indicators.iter().map(|i| (i.id.value.clone(), i.aggregate)))
        .collect::<BTreeMap<_, _>>();
    let values = yearly_values(&ws.tables, &kinds, supposed).map_err(internal)?;
    let budget = budget_totals(&ws.tables).map_err(internal)?;
    let survey = survey_stats(&ws.tables).map_err(internal)?;
    let series = indicator_series(ws, &values);
    let programs = program_progress(ws, &series, &budget);
    let dimensions = dimension_progress(ws, &programs);
    let ctx = RuleContext {
        year,
        scale: *framework.scale,
        series: &series,
        dimensions: &dimensions,
        programs: &programs,
        survey: &survey,
    };
    let previous = city.value.previous.as_ref().and_then(|p| ws.previous_instrument(p).map(|f| (p, f)));
    let running = |id: &str| ws.programs.iter().any(|p| p.value.id.value == id && is_running(&p.value, year));
    let scorecard = card::scorecard(framework, ws.assessment(year), &ctx, previous, running);
    let final_exact = Exact::from_decimal(scorecard.final_score.value);
    let priorities = crate::score::plan::priorities(framework, &scorecard.questions, &series);
    let history = crate::score::history::history(ws, year, &framework.id.value, &scorecard);
    let instrument_for = |id: Option<&str>, row_year: i32| -> Option<&Framework> {
        match id {
            Some(id) => ws.frameworks.iter().map(|f| &f.value).find(|f| f.id.value == id),
            None => ws.framework_for_year(row_year),
        }
    };
    let cohort = cohort::compare(&ws.tables, instrument_for, &city.value.city, year, final_exact, framework)
        .map_err(internal)?;
    let rpjmd = crate::rpjmd::plan(ws).0.map(|plan| crate::rpjmd::alignment::alignment(ws, &plan, &series));
    let slug = city.value.slug.as_ref().map_or_else(|| crate::slug::slugify(&city.value.city), |s| s.value.clone());
    Ok(Evaluation {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        city: city.value.clone(),
        city_slug: slug,
        year,
        instrument: instrument_info(framework, year),
        scorecard,
        survey: survey_summary(framework, &survey),
        indicators: series,
        programs,
        dimensions,
        cohort,
        sources: sources(ws),
        rpjmd,
        priorities,
        history,
        scenario: None,
    })
}

fn instrument_info(f: &Framework, year: i32) -> InstrumentInfo {
    InstrumentInfo {
        id: f.id.value.clone(),
        name: f.name.clone(),
        year: f.year,
        assumed: f.year.is_some_and(|y| y != year),
        cohort: f.cohort.clone(),
        scale_min: f.scale.min,
        scale_max: f.scale.max,
        missing: match f.missing {
            crate::model::framework::MissingPolicy::Zero => "zero".into(),
            crate::model::framework::MissingPolicy::Exclude => "exclude".into(),
        },
        notes: f.notes.clone(),
        source: f.source.clone(),
    }
}

fn survey_summary(framework: &Framework, survey: &crate::aggregate::survey::SurveyStats) -> SurveySummary {
    let questions: Vec<SurveyQuestion> = survey
        .questions
        .iter()
        .map(|(id, s)| SurveyQuestion {
            question: id.clone(),
            mean: s.mean,
            count: s.count,
            std_dev: s.std_dev,
            min: s.min,
            max: s.max,
        })
        .collect();
    let mut dims: BTreeMap<String, Vec<(f64, u32)>> = BTreeMap::new();
    let mut subs: BTreeMap<String, Vec<(f64, u32)>> = BTreeMap::new();
    for (_, _, q) in framework.questions() {
        let (Some(dim), Some(stats)) = (&q.dimension, survey.questions.get(&q.id.value)) else { continue };
        dims.entry(dim.value.clone()).or_default().push((stats.mean, stats.count));
        if let Some(sub) = &q.subdimension {
            subs.entry(format!("{}/{}", dim.value, sub.value)).or_default().push((stats.mean, stats.count));
        }
    }
    let group = |(id, items): (String, Vec<(f64, u32)>)| SurveyGroup {
        id,
        mean: items.iter().map(|(m, _)| m).sum::<f64>() / items.len() as f64,
        questions: items.len(),
        responses: items.iter().map(|(_, n)| n).sum(),
    };
    SurveySummary {
        questions,
        dimensions: dims.into_iter().map(group).collect(),
        subdimensions: subs.into_iter().map(group).collect(),
        respondents: survey.respondents,
    }
}

fn sources(ws: &LoadedWorkspace) -> Vec<SourceFile> {
    let yaml = |path: &std::path::Path, kind: &str| SourceFile {
        path: crate::diagnostic::slash_path(path),
        kind: kind.into(),
        rows: 0,
    };
    let mut out = Vec::new();
    out.extend(ws.city.iter().map(|c| yaml(&c.path, "city")));
    out.extend(ws.dimensions.iter().map(|d| yaml(&d.path, "dimensions")));
    out.extend(ws.frameworks.iter().map(|f| yaml(&f.path, "framework")));
    let mut program_files: Vec<&std::path::Path> = ws.programs.iter().map(|p| p.path.as_path()).collect();
    program_files.dedup();
    out.extend(program_files.into_iter().map(|p| yaml(p, "programs")));
    out.extend(ws.assessments.iter().map(|a| yaml(&a.path, "assessment")));
    out.extend(ws.tables.iter().map(|t| SourceFile {
        path: crate::diagnostic::slash_path(&t.path),
        kind: format!("{:?}", t.kind).to_lowercase(),
        rows: t.rows,
    }));
    out
}
