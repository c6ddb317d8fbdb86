//! Question rules (contract §8): a score from workspace data, with the numbers it came from.

use globset::Glob;

use super::exact::Exact;
use crate::aggregate::survey::SurveyStats;
use crate::evaluation::{Derivation, DimensionProgress, IndicatorSeries, ProgramProgress};
use crate::model::framework::{ProgramFilter, Rule, Scale, YearRef};
use crate::model::program::{Direction, Status};

/// What a rule sees: this year's aggregates.
pub struct RuleContext<'a> {
    pub year: i32,
    pub scale: Scale,
    pub series: &'a [IndicatorSeries],
    pub dimensions: &'a [DimensionProgress],
    pub programs: &'a [ProgramProgress],
    pub survey: &'a SurveyStats,
}

pub struct Derived {
    /// `None` when the rule found nothing to score (an underivable gap).
    pub score: Option<Exact>,
    pub illustrative: bool,
    pub derivation: Derivation,
}

/// 1 below a, 2 from a, 3 from b, 4 from c; mirrored for lower-is-better values
/// (4 at or below a, 3 at or below b, 2 at or below c, 1 above c).
pub fn threshold_score(value: f64, thresholds: &[f64], direction: Direction) -> i64 {
    let [a, b, c] = [0, 1, 2].map(|i| thresholds.get(i).copied().unwrap_or(f64::INFINITY));
    match direction {
        Direction::Up => {
            if value >= c {
                4
            } else if value >= b {
                3
            } else if value >= a {
                2
            } else {
                1
            }
        }
        Direction::Down => {
            if value <= a {
                4
            } else if value <= b {
                3
            } else if value <= c {
                2
            } else {
                1
            }
        }
    }
}

/// A rule's value or threshold for explanations: at most two decimals, no trailing `.0`.
/// (`plan` quotes thresholds and values with the same function, so the two texts agree.)
pub(super) fn fmt(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 { format!("{}", rounded as i64) } else { format!("{rounded}") }
}

pub fn derive(rule: &Rule, ctx: &RuleContext, question_ids: &[&str]) -> Derived {
    match rule {
        Rule::Indicator { indicator, thresholds } => by_indicator(indicator, thresholds, ctx),
        Rule::DimensionProgress { dimension, thresholds } => by_dimension(dimension, thresholds, ctx),
        Rule::ProgramCount { filter, thresholds } => by_count(filter, thresholds, ctx),
        Rule::Survey { questions } => by_survey(questions, ctx, question_ids),
    }
}

fn derivation(
    rule: &str,
    value: Option<f64>,
    thresholds: &[f64],
    year: Option<i32>,
    (explanation, explanation_id): (String, String),
    inputs: Vec<String>,
) -> Derivation {
    Derivation { rule: rule.into(), value, thresholds: thresholds.to_vec(), year, explanation, explanation_id, inputs }
}

/// Indonesian decimal comma for explanations.
pub(super) fn fmt_id(v: f64) -> String {
    fmt(v).replace('.', ",")
}

fn by_indicator(id: &str, thresholds: &[f64], ctx: &RuleContext) -> Derived {
    let series = ctx.series.iter().find(|s| s.id == id);
    let latest = series.and_then(|s| s.years.iter().rev().find(|y| y.year <= ctx.year && y.value.is_some()));
    match (series, latest) {
        (Some(s), Some(y)) => {
            let value = y.value.unwrap_or_default();
            let score = threshold_score(value, thresholds, s.direction);
            let (when, when_id) = if y.year == ctx.year {
                (format!("{}", y.year), format!("{}", y.year))
            } else {
                (
                    format!("{} (latest before {})", y.year, ctx.year),
                    format!("{} (terakhir sebelum {})", y.year, ctx.year),
                )
            };
            let files = y.provenance.join("; ");
            Derived {
                score: Some(Exact::int(score)),
                illustrative: y.illustrative || s.illustrative,
                derivation: derivation(
                    "indicator",
                    Some(value),
                    thresholds,
                    Some(y.year),
                    (
                        format!("{} = {} {} in {when}; {files}", s.name, fmt(value), s.unit),
                        format!("{} = {} {} pada {when_id}; {files}", s.name, fmt_id(value), s.unit),
                    ),
                    vec![id.to_string()],
                ),
            }
        }
        _ => Derived {
            score: None,
            illustrative: false,
            derivation: derivation(
                "indicator",
                None,
                thresholds,
                None,
                (
                    format!("indicator `{id}` has no value in or before {}", ctx.year),
                    format!("indikator `{id}` tidak memiliki nilai pada atau sebelum {}", ctx.year),
                ),
                vec![id.to_string()],
            ),
        },
    }
}

fn by_dimension(id: &str, thresholds: &[f64], ctx: &RuleContext) -> Derived {
    let year = ctx.dimensions.iter().find(|d| d.id == id).and_then(|d| d.years.iter().find(|y| y.year == ctx.year));
    let running: Vec<&ProgramProgress> = ctx
        .programs
        .iter()
        .filter(|p| {
            p.dimension == id
                && p.period_start <= ctx.year
                && ctx.year <= p.period_end
                && matches!(p.status, Status::Berjalan | Status::Selesai)
        })
        .collect();
    let measured_in_year = |p: &ProgramProgress| p.years.iter().any(|y| y.year == ctx.year && y.progress.is_some());
    // The programs whose progress entered the mean.
    let inputs: Vec<String> = running.iter().filter(|p| measured_in_year(p)).map(|p| p.id.clone()).collect();
    let illustrative = running.iter().filter(|p| measured_in_year(p)).any(|p| p.illustrative);
    match year.and_then(|y| y.progress.map(|p| (p, y))) {
        Some((progress, y)) => {
            let measured = y.running - y.unmeasured.len();
            let cap = crate::progress::ACHIEVEMENT_CAP;
            let mut explanation = format!(
                "mean target achievement of {measured} running {id} {} in {} = {} % (each indicator capped at {cap} %)",
                if measured == 1 { "program" } else { "programs" },
                ctx.year,
                fmt(progress),
            );
            let mut explanation_id = format!(
                "rata-rata capaian target {measured} program {id} yang berjalan pada {} = {} % (tiap indikator dibatasi {cap} %)",
                ctx.year,
                fmt_id(progress),
            );
            if !y.unmeasured.is_empty() {
                explanation.push_str(&format!("; not measured: {}", y.unmeasured.join(", ")));
                explanation_id.push_str(&format!("; belum terukur: {}", y.unmeasured.join(", ")));
            }
            Derived {
                score: Some(Exact::int(threshold_score(progress, thresholds, Direction::Up))),
                illustrative,
                derivation: derivation(
                    "dimension-progress",
                    Some(progress),
                    thresholds,
                    Some(ctx.year),
                    (explanation, explanation_id),
                    inputs,
                ),
            }
        }
        None => Derived {
            score: None,
            illustrative: false,
            derivation: derivation(
                "dimension-progress",
                None,
                thresholds,
                Some(ctx.year),
                if running.is_empty() {
                    (
                        format!("no {id} program is running in {}", ctx.year),
                        format!("tidak ada program {id} yang berjalan pada {}", ctx.year),
                    )
                } else {
                    (
                        format!("no running {id} program has indicator data against a {} target", ctx.year),
                        format!(
                            "tidak ada program {id} yang berjalan dengan data indikator terhadap target {}",
                            ctx.year
                        ),
                    )
                },
                inputs,
            ),
        },
    }
}

fn by_count(filter: &ProgramFilter, thresholds: &[f64], ctx: &RuleContext) -> Derived {
    let year = match filter.year {
        Some(YearRef::Previous) => ctx.year - 1,
        _ => ctx.year,
    };
    let matching: Vec<&ProgramProgress> = ctx
        .programs
        .iter()
        .filter(|p| {
            let running = p.period_start <= year
                && year <= p.period_end
                && matches!(p.status, Status::Berjalan | Status::Selesai);
            (filter.year.is_none() || running)
                && filter.quick_win.is_none_or(|q| p.quick_win == q)
                && filter.collaboration.is_none_or(|c| p.collaboration == c)
                && filter.dimension.as_ref().is_none_or(|d| &p.dimension == d)
                && (filter.status.is_empty() || filter.status.contains(&p.status))
                && filter.new.is_none_or(|n| (p.period_start == year) == n)
        })
        .collect();
    let count = matching.len() as f64;
    let (mut what, mut what_id) = (Vec::new(), Vec::new());
    if filter.new == Some(true) {
        what.push("new");
        what_id.push("baru");
    }
    if filter.quick_win == Some(true) {
        what.push("quick-win");
        what_id.push("quick win");
    }
    if filter.collaboration == Some(true) {
        what.push("collaboration");
        what_id.push("kolaborasi");
    }
    let noun = if matching.len() == 1 { "program" } else { "programs" };
    let what = if what.is_empty() { noun.to_string() } else { format!("{} {noun}", what.join(" ")) };
    let what_id = if what_id.is_empty() { String::from("program") } else { format!("program {}", what_id.join(" ")) };
    let dim = filter.dimension.as_ref().map(|d| format!(" in {d}")).unwrap_or_default();
    let dim_id = filter.dimension.as_ref().map(|d| format!(" pada dimensi {d}")).unwrap_or_default();
    let when = if filter.year.is_some() { format!(" running in {year}") } else { String::new() };
    let when_id = if filter.year.is_some() { format!(" yang berjalan pada {year}") } else { String::new() };
    let ids: Vec<String> = matching.iter().map(|p| p.id.clone()).collect();
    // People read these lines: program names, not ids (the ids are the derivation's inputs).
    let shown: Vec<&str> = matching.iter().map(|p| p.name.as_str()).collect();
    let list = if shown.is_empty() { String::new() } else { format!(": {}", shown.join(", ")) };
    // No program at all is the instrument's 0 ("no programme"), not the lowest band's 1.
    let score = if matching.is_empty() { 0 } else { threshold_score(count, thresholds, Direction::Up) };
    Derived {
        score: Some(Exact::int(score)),
        illustrative: matching.iter().any(|p| p.illustrative),
        derivation: derivation(
            "program-count",
            Some(count),
            thresholds,
            Some(year),
            (
                format!("{} {what}{dim}{when}{list}", matching.len()),
                format!("{} {what_id}{dim_id}{when_id}{list}", matching.len()),
            ),
            ids,
        ),
    }
}

fn by_survey(patterns: &[String], ctx: &RuleContext, question_ids: &[&str]) -> Derived {
    let matchers: Vec<globset::GlobMatcher> =
        patterns.iter().filter_map(|p| Glob::new(p).ok()).map(|g| g.compile_matcher()).collect();
    let matched: Vec<&str> = question_ids.iter().copied().filter(|q| matchers.iter().any(|m| m.is_match(q))).collect();
    let (mut sum, mut count) = (0.0, 0u32);
    let mut answered = Vec::new();
    for q in &matched {
        if let Some(stats) = ctx.survey.questions.get(*q) {
            sum += stats.sum;
            count += stats.count;
            answered.push((*q).to_string());
        }
    }
    if count == 0 {
        return Derived {
            score: None,
            illustrative: false,
            derivation: derivation(
                "survey",
                None,
                &[],
                Some(ctx.year),
                (
                    format!("no survey responses for {}", patterns.join(", ")),
                    format!("tidak ada jawaban survei untuk {}", patterns.join(", ")),
                ),
                matched.iter().map(|s| s.to_string()).collect(),
            ),
        };
    }
    let mean = Exact::from_decimal(sum) / Exact::int(i64::from(count));
    let (lo, hi) = (Exact::from_decimal(ctx.scale.min), Exact::from_decimal(ctx.scale.max));
    let score = mean.max(lo).min(hi);
    Derived {
        score: Some(score),
        illustrative: false,
        derivation: derivation(
            "survey",
            Some(mean.to_f64()),
            &[],
            Some(ctx.year),
            (
                format!(
                    "mean of {count} survey {} to {}",
                    if count == 1 { "response" } else { "responses" },
                    answered.join(", ")
                ),
                format!("rata-rata {count} jawaban survei untuk {}", answered.join(", ")),
            ),
            answered,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_up_and_down() {
        let t = [100.0, 200.0, 250.0];
        assert_eq!(threshold_score(99.9, &t, Direction::Up), 1);
        assert_eq!(threshold_score(100.0, &t, Direction::Up), 2);
        assert_eq!(threshold_score(200.0, &t, Direction::Up), 3);
        assert_eq!(threshold_score(250.0, &t, Direction::Up), 4);
        // Lower is better: at or below a is best.
        let t = [5.0, 10.0, 20.0];
        assert_eq!(threshold_score(5.0, &t, Direction::Down), 4);
        assert_eq!(threshold_score(7.0, &t, Direction::Down), 3);
        assert_eq!(threshold_score(20.0, &t, Direction::Down), 2);
        assert_eq!(threshold_score(20.1, &t, Direction::Down), 1);
    }
}
