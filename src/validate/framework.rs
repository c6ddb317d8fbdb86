//! Instruments (weights, ids, rules) and the self-assessment answers made against them.

use std::collections::BTreeMap;

use globset::Glob;

use super::{Ids, at, check_slug, dangling};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::{Loaded, LoadedWorkspace};
use crate::model::framework::{Framework, Rule};
use crate::slug::is_question_id;

const WEIGHT_TOLERANCE: f64 = 1e-9;

/// The largest |score| a scale may allow.
const MAX_SCALE: f64 = 1000.0;

pub(super) fn check(ws: &LoadedWorkspace, ids: &Ids, diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, Location> = BTreeMap::new();
    for fw in &ws.frameworks {
        let id = &fw.value.id;
        if let Some(first) = seen.insert(&id.value, at(&fw.path, id)) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", format!("instrument `{}` is defined twice", id.value))
                    .at(at(&fw.path, id))
                    .related(first)
                    .help("keep one file per instrument id"),
            );
        }
        check_framework(fw, ws, ids, diagnostics);
    }
    check_assessments(ws, diagnostics);
}

fn check_framework(fw: &Loaded<Framework>, ws: &LoadedWorkspace, ids: &Ids, diagnostics: &mut Diagnostics) {
    let path = &fw.path;
    let f = &fw.value;
    check_slug("instrument id", &f.id, path, diagnostics);
    // An instrument made for another dimension set (an earlier year's, kept for history) names
    // dimensions this workspace's dimensions.yaml does not have: its references cannot be
    // checked, and it cannot be the evaluation's instrument.
    let workspace_set = ws.dimensions.as_ref().map(|d| d.value.set_id());
    let other_set;
    let ids = match workspace_set {
        Some(set) if set != f.dimension_set() => {
            if ws.framework().is_some_and(|city_fw| city_fw.value.id.value == f.id.value) {
                diagnostics.push(dimension_set_mismatch(fw, set, ws));
            }
            other_set = Ids { dimensions_known: false, ..ids.clone() };
            &other_set
        }
        _ => ids,
    };
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if stem != f.id.value {
        diagnostics.push(
            Diagnostic::error(
                "id-file-mismatch",
                format!("instrument id `{}` differs from its file name `{stem}.yaml`", f.id.value),
            )
            .at(at(path, &f.id))
            .help(format!("rename the file to {}.yaml or set `id: {stem}`", f.id.value)),
        );
    }
    if !f.scale.is_valid() {
        diagnostics.push(
            Diagnostic::error("bad-scale", format!("scale {}–{} is empty or reversed", f.scale.min, f.scale.max))
                .at(at(path, &f.scale))
                .help("Kominfo scores on `scale: {min: 0.0, max: 4.0}`"),
        );
    } else if f.scale.min < -MAX_SCALE || f.scale.max > MAX_SCALE {
        // Scores are exact fractions (score/exact.rs); a bounded scale keeps every sum and
        // product of them far inside the integers they are kept in.
        diagnostics.push(
            Diagnostic::error(
                "bad-scale",
                format!("scale {}–{} reaches beyond ±{MAX_SCALE}, which no instrument uses", f.scale.min, f.scale.max),
            )
            .at(at(path, &f.scale))
            .help("Kominfo scores on `scale: {min: 0.0, max: 4.0}`; a scale within ±1000 is accepted"),
        );
    }
    let total: f64 = f.aspects.iter().map(|a| a.weight.value).sum();
    if (total - 100.0).abs() > WEIGHT_TOLERANCE {
        let list: Vec<String> = f.aspects.iter().map(|a| format!("{} {}", a.id.value, a.weight.value)).collect();
        diagnostics.push(
            Diagnostic::error("weights-not-100", format!("aspect weights sum to {total}, not 100"))
                .at(f.aspects.first().map_or_else(|| Location::file(path), |a| at(path, &a.weight)))
                .help(format!("weights are percentages ({}); correct them to sum to 100", list.join(", "))),
        );
    }
    let mut aspects: BTreeMap<&str, Location> = BTreeMap::new();
    let mut questions: BTreeMap<&str, Location> = BTreeMap::new();
    for aspect in &f.aspects {
        check_slug("aspect id", &aspect.id, path, diagnostics);
        if let Some(first) = aspects.insert(&aspect.id.value, at(path, &aspect.id)) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", format!("aspect `{}` is defined twice", aspect.id.value))
                    .at(at(path, &aspect.id))
                    .related(first),
            );
        }
        if !(aspect.weight.value.is_finite() && aspect.weight.value >= 0.0) {
            diagnostics.push(
                Diagnostic::error("bad-weight", format!("aspect weight {} is not a percentage", aspect.weight.value))
                    .at(at(path, &aspect.weight))
                    .help("a weight is a percentage from 0 to 100; the weights of an instrument sum to 100"),
            );
        }
        if aspect.indicators.iter().all(|i| i.questions.is_empty()) {
            diagnostics.push(
                Diagnostic::error("empty-aspect", format!("aspect `{}` has no questions", aspect.id.value))
                    .at(at(path, &aspect.id))
                    .help("an aspect's score is the mean of its questions; add them or remove the aspect"),
            );
        }
        let mut indicators: BTreeMap<&str, Location> = BTreeMap::new();
        for indicator in &aspect.indicators {
            check_slug("indicator id", &indicator.id, path, diagnostics);
            if let Some(first) = indicators.insert(&indicator.id.value, at(path, &indicator.id)) {
                diagnostics.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("indicator `{}` appears twice in aspect `{}`", indicator.id.value, aspect.id.value),
                    )
                    .at(at(path, &indicator.id))
                    .related(first),
                );
            }
            for q in &indicator.questions {
                if !is_question_id(&q.id) {
                    diagnostics.push(
                        Diagnostic::error("bad-id", format!("question id `{}` is not a valid id", q.id.value))
                            .at(at(path, &q.id))
                            .help("question ids use lowercase letters, digits, dashes and dots, e.g. `bl-1-1.1.1`"),
                    );
                }
                if let Some(first) = questions.insert(&q.id.value, at(path, &q.id)) {
                    diagnostics.push(
                        Diagnostic::error("duplicate-id", format!("question id `{}` is used twice in this instrument", q.id.value))
                            .at(at(path, &q.id))
                            .related(first)
                            .help("printed numbers repeat across indicators; ids must not: prefix the aspect and indicator, e.g. `qw-3-5.1.1`"),
                    );
                }
                if let Some(dim) = &q.dimension {
                    if !ids.dimensions_known {
                    } else if ids.unknown_dimension(&dim.value) {
                        diagnostics.push(dangling(
                            "dimension",
                            dim,
                            ids.dimensions.iter().map(String::as_str),
                            at(path, dim),
                        ));
                    } else if let Some(sub) = &q.subdimension
                        && !ids.subdimensions.contains(&(dim.value.clone(), sub.value.clone()))
                    {
                        diagnostics.push(super::dangling_subdimension(ids, dim, sub, at(path, sub)));
                    }
                }
                if let Some(rule) = &q.rule {
                    check_rule(f, &rule.value, at(path, rule), ws, ids, diagnostics);
                }
            }
        }
    }
    for p in &f.predicates {
        if f.scale.is_valid() && !f.scale.contains(p.min.value) {
            diagnostics.push(
                Diagnostic::error(
                    "bad-predicate",
                    format!("predicate `{}` starts at {}, outside the scale", p.label, p.min.value),
                )
                .at(at(path, &p.min))
                .help(format!("a band's `min` lies on the scale {}–{}", f.scale.min, f.scale.max)),
            );
        }
    }
}

fn check_rule(
    f: &Framework,
    rule: &Rule,
    location: Location,
    ws: &LoadedWorkspace,
    ids: &Ids,
    diagnostics: &mut Diagnostics,
) {
    let thresholds = match rule {
        Rule::Indicator { indicator, thresholds } => {
            if ids.unknown_indicator(indicator) {
                diagnostics.push(
                    dangling("indicator", indicator, ids.indicators.iter().map(String::as_str), location.clone())
                        .also_help("(an indicator rule names an indicator of a program in indicators/programs/)"),
                );
            }
            Some(thresholds)
        }
        Rule::DimensionProgress { dimension, thresholds } => {
            if ids.unknown_dimension(dimension) {
                diagnostics.push(dangling(
                    "dimension",
                    dimension,
                    ids.dimensions.iter().map(String::as_str),
                    location.clone(),
                ));
            }
            Some(thresholds)
        }
        Rule::ProgramCount { filter, thresholds } => {
            if let Some(dim) = &filter.dimension
                && ids.unknown_dimension(dim)
            {
                diagnostics.push(dangling(
                    "dimension",
                    dim,
                    ids.dimensions.iter().map(String::as_str),
                    location.clone(),
                ));
            }
            Some(thresholds)
        }
        Rule::Survey { questions } => {
            if questions.is_empty() {
                diagnostics.push(
                    Diagnostic::error("bad-rule", "a survey rule needs at least one question id")
                        .at(location.clone())
                        .help("write `questions: [im-1-4.1.1]` (ids or patterns like `im-1-*`)"),
                );
            }
            for pattern in questions {
                match Glob::new(pattern) {
                    Ok(glob) => {
                        let matcher = glob.compile_matcher();
                        if !f.questions().any(|(_, _, q)| matcher.is_match(&q.id.value)) {
                            let ids: Vec<&str> = f.questions().map(|(_, _, q)| q.id.value.as_str()).collect();
                            let d = if pattern.contains(['*', '?', '[']) {
                                Diagnostic::error("dangling-reference", format!("pattern `{pattern}` matches no question of this instrument"))
                                    .at(location.clone())
                                    .help("question ids look like `im-1-4.1.1`; `im-1-*` matches every question of impact indicator 1")
                            } else {
                                dangling("question", pattern, ids.iter().copied(), location.clone())
                            };
                            diagnostics.push(d);
                        }
                    }
                    Err(e) => diagnostics.push(
                        Diagnostic::error("bad-rule", format!("`{pattern}` is not a valid pattern: {e}"))
                            .at(location.clone())
                            .help("patterns use `*` for any text, e.g. `im-1-*`"),
                    ),
                }
            }
            None
        }
    };
    let _ = ws;
    if let Some(t) = thresholds {
        let ascending = t.windows(2).all(|w| w[0] < w[1]);
        if t.len() != 3 || !ascending || t.iter().any(|v| !v.is_finite()) {
            diagnostics.push(
                Diagnostic::error(
                    "bad-thresholds",
                    format!(
                        "thresholds [{}] are not three ascending numbers",
                        t.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
                    ),
                )
                .at(location)
                .help("write `thresholds: [a, b, c]` with a < b < c: score 1 below a, 2 from a, 3 from b, 4 from c"),
            );
        }
    }
}

fn check_assessments(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    let mut years: BTreeMap<i32, Location> = BTreeMap::new();
    for a in &ws.assessments {
        let path = &a.path;
        let year = &a.value.year;
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if stem != year.value.to_string() {
            diagnostics.push(
                Diagnostic::error(
                    "id-file-mismatch",
                    format!("assessment for {} is in a file named `{stem}.yaml`", year.value),
                )
                .at(at(path, year))
                .help(format!("name the file {}.yaml, or correct `year:`", year.value)),
            );
        }
        if let Some(first) = years.insert(year.value, at(path, year)) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", format!("two assessments for {}", year.value))
                    .at(at(path, year))
                    .related(first),
            );
        }
        let Some(f) = ws.framework_for_year(year.value) else { continue };
        let questions = f.question_ids();
        for (qid, answer) in &a.value.answers {
            let Some(question) = questions.get(qid.value.as_str()) else {
                // The printed number (`5.1.1`) repeats across indicators: name every question that
                // carries it rather than steer to one by edit distance.
                let carrying: Vec<(&str, &str, &str)> = f
                    .questions()
                    .filter(|(_, _, q)| q.number == qid.value)
                    .map(|(_, indicator, q)| (q.id.value.as_str(), indicator.name.as_str(), q.text.as_str()))
                    .collect();
                if carrying.is_empty() {
                    diagnostics.push(dangling("question", qid, questions.keys().copied(), at(path, qid)).also_help(
                        format!("`{}` has no such question; see indicators/framework/{}.yaml", f.id.value, f.id.value),
                    ));
                } else {
                    diagnostics.push(
                        Diagnostic::error("dangling-reference", format!("unknown question `{}`", qid.value))
                            .at(at(path, qid))
                            .help_list(printed_number_help(&qid.value, &carrying)),
                    );
                }
                continue;
            };
            match (&answer.score, answer.derive) {
                (Some(score), true) => diagnostics.push(
                    Diagnostic::error(
                        "score-and-derive",
                        format!("`{}` has both a score and `derive: true`", qid.value),
                    )
                    .at(at(path, score))
                    .help("keep the manual score or derive it from data, not both"),
                ),
                (None, false) => diagnostics.push(
                    Diagnostic::error(
                        "missing-score",
                        format!("answer `{}` has neither `score` nor `derive: true`", qid.value),
                    )
                    .at(at(path, qid))
                    .help(format!("add `score:` ({}–{}) or `derive: true`", f.scale.min, f.scale.max)),
                ),
                (None, true) if question.rule.is_none() => diagnostics.push(
                    Diagnostic::error(
                        "derive-without-rule",
                        format!("`{}` is to be derived, but the question has no rule", qid.value),
                    )
                    .at(at(path, qid))
                    .help(format!(
                        "give a manual `score:`, or add a `rule:` to the question in indicators/framework/{}.yaml",
                        f.id.value
                    )),
                ),
                (Some(score), false) if f.scale.is_valid() && !f.scale.contains(score.value) => diagnostics.push(
                    Diagnostic::error(
                        "score-out-of-range",
                        format!(
                            "score {} for `{}` is outside the scale {}–{}",
                            score.value, qid.value, f.scale.min, f.scale.max
                        ),
                    )
                    .at(at(path, score))
                    .help(format!("scores run from {} (nothing to show) to {}", f.scale.min, f.scale.max)),
                ),
                _ => {}
            }
        }
    }
}

/// `text` cut to `max` characters at a word, with `…`.
/// The help for an answer keyed by a printed number (`5.1.1`): every question that carries it,
/// as `id` (indicator: question), the question texts shortened alike so that the whole list
/// fits [`crate::diagnostic::MAX_LIST_HELP_CHARS`] — every id is named, none is cut off.
fn printed_number_help(number: &str, carrying: &[(&str, &str, &str)]) -> String {
    let intro = format!(
        "`{number}` is the printed number of {} question(s); answers are keyed by the question's id: ",
        carrying.len()
    );
    let entry = |(id, indicator, text): &(&str, &str, &str), room: usize| {
        let indicator = shorten(indicator, 40);
        match room {
            0 => format!("`{id}` ({indicator})"),
            _ => format!("`{id}` ({indicator}: {})", shorten(text, room)),
        }
    };
    let fixed: usize = intro.chars().count() + carrying.iter().map(|c| entry(c, 0).chars().count() + 5).sum::<usize>();
    let left = crate::diagnostic::MAX_LIST_HELP_CHARS.saturating_sub(fixed);
    // Question texts: up to 50 characters each, fewer when the list is long (none when even
    // ids and indicator names fill the room).
    let room = (left / carrying.len().max(1)).min(50);
    let room = if room < 12 { 0 } else { room };
    let entries: Vec<String> = carrying.iter().map(|c| entry(c, room)).collect();
    format!("{intro}{}", entries.join(", "))
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head))
}

/// The evaluation's instrument was made for another dimension set than dimensions.yaml's.
fn dimension_set_mismatch(fw: &Loaded<Framework>, workspace_set: &str, ws: &LoadedWorkspace) -> Diagnostic {
    let f = &fw.value;
    let place = f.dimension_set.as_ref().map_or_else(|| at(&fw.path, &f.id), |s| at(&fw.path, s));
    let dims = ws.dimensions.as_ref().map(|d| d.path.display().to_string()).unwrap_or_default();
    Diagnostic::error(
        "dimension-set-mismatch",
        format!(
            "instrument `{}` was made for the dimension set `{}`, but {dims} is the set `{workspace_set}`",
            f.id.value,
            f.dimension_set()
        ),
    )
    .at(place)
    .help(format!(
        "its questions and rules name dimensions of `{}`: use an instrument made for `{workspace_set}` \
         (copy one with `smartcity-eval instrument new`, set `dimension_set: {workspace_set}` and map its \
         dimension questions), or the dimensions.yaml of its set",
        f.dimension_set()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_number_help_names_every_question_whole() {
        let text = "Sejauh mana quick win yang diluncurkan pemerintah daerah membuka peluang kemitraan baru?";
        for n in [1usize, 10, 25] {
            let ids: Vec<String> = (1..=n).map(|i| format!("qw-{i}-5.1.1")).collect();
            let carrying: Vec<(&str, &str, &str)> =
                ids.iter().map(|id| (id.as_str(), "Peluang kemitraan dan kolaborasi", text)).collect();
            let help = printed_number_help("5.1.1", &carrying);
            assert!(help.chars().count() <= crate::diagnostic::MAX_LIST_HELP_CHARS, "{n}: {help}");
            for id in &ids {
                assert!(help.contains(&format!("`{id}` (Peluang kemitraan dan kolaborasi")), "{n}: {id} in {help}");
            }
            // Question texts are shortened alike, by word, never the list.
            assert_eq!(help.matches("Sejauh mana").count(), n, "{help}");
            assert!(help.ends_with(')'), "{help}");
            if n == 1 {
                assert!(help.contains("Sejauh mana quick win yang diluncurkan pemerintah…"), "{help}");
            }
        }
    }
}
