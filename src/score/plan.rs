//! Where the next points come from (issue #16): for every question, what one more point and
//! the top of the scale would add to the final score — exactly, by recomputing the final with
//! the instrument's own arithmetic (`card::aspects`), so the missing policy is honoured: under
//! `missing: exclude` answering a question also changes its aspect's denominator.
//!
//! A question's weight in the final is its aspect's weight divided by the questions the aspect
//! averages, so one point on a Baseline question (10 % over 5) moves the final far more than one
//! point on an Impact question (20 % over 54).

use serde::Serialize;

use super::card::aspects;
use super::exact::Exact;
use super::rules::{fmt, fmt_id};
use crate::evaluation::IndicatorSeries;
use crate::evaluation::{QuestionScore, ScoreStatus};
use crate::model::framework::{Framework, MissingPolicy};
use crate::model::program::Direction;

/// One question's leverage.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Lever {
    pub id: String,
    pub number: String,
    pub aspect: String,
    pub indicator: String,
    pub text: String,
    pub status: ScoreStatus,
    /// Today's score (`None`: unanswered or underivable).
    pub score: Option<f64>,
    /// Gain in the final score from one more point (from the bottom of the scale when it has
    /// no score), exact; 0 at the top of the scale.
    pub gain_per_point: f64,
    /// Gain in the final score if it reached the top of the scale, exact.
    pub gain_to_top: f64,
    /// Derived from data: it changes only through the data its rule reads.
    pub derived: bool,
    /// For a derived answer below the top: the value its rule would need for the next point
    /// (`sampah-diolah` ≥ 200 in 2023, today 150), in English and Indonesian.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_step: Option<DataStep>,
}

/// What a derived answer's data would need for one more point.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DataStep {
    /// `indicator`, `dimension-progress` or `program-count`.
    pub rule: String,
    /// The indicator, dimension or program filter measured (the rule's inputs, for an indicator).
    pub measure: String,
    pub today: Option<f64>,
    /// The threshold to reach: at least (`up`) or at most (`down`).
    pub needed: f64,
    pub direction: String,
    pub text: String,
    pub text_id: String,
}

/// Fills `data_step` of the derived levers below the top, with the indicators' directions.
pub fn with_data_steps(levers: &mut [Lever], questions: &[QuestionScore], indicators: &[IndicatorSeries]) {
    for l in levers.iter_mut().filter(|l| l.derived && l.gain_per_point > 0.0) {
        if let Some(q) = questions.iter().find(|q| q.id == l.id) {
            l.data_step = data_step(q, |id| indicators.iter().find(|i| i.id == id).map(|i| i.direction));
        }
    }
}

/// The next threshold of a derived question's rule above today's value (`down`: below it).
/// `directions` gives an indicator's direction by id (lower is better for `down`).
pub fn data_step(q: &QuestionScore, direction_of: impl Fn(&str) -> Option<Direction>) -> Option<DataStep> {
    let d = q.derivation.as_ref()?;
    if d.thresholds.len() != 3 || !matches!(d.rule.as_str(), "indicator" | "dimension-progress" | "program-count") {
        return None;
    }
    let measure = match d.rule.as_str() {
        "indicator" => d.inputs.first().cloned().unwrap_or_default(),
        _ => String::new(),
    };
    let direction = if d.rule == "indicator" { direction_of(&measure).unwrap_or(Direction::Up) } else { Direction::Up };
    let today = d.value;
    let needed = match direction {
        // A count of 0 scores 0: one program is the first step.
        Direction::Up => d
            .thresholds
            .iter()
            .copied()
            .find(|t| today.is_none_or(|v| *t > v))
            .map(|t| if d.rule == "program-count" && today == Some(0.0) { t.min(1.0) } else { t })?,
        Direction::Down => d.thresholds.iter().rev().copied().find(|t| today.is_none_or(|v| *t < v))?,
    };
    let (cmp, dir) = match direction {
        Direction::Up => ("≥", "up"),
        Direction::Down => ("≤", "down"),
    };
    let year = d.year.map(|y| format!(" in {y}")).unwrap_or_default();
    let year_id = d.year.map(|y| format!(" pada {y}")).unwrap_or_default();
    let (n, n_id) = (fmt(needed), fmt_id(needed));
    let now = today.map_or_else(|| "no value yet".to_string(), |v| format!("today {}", fmt(v)));
    let now_id = today.map_or_else(|| "belum ada nilai".to_string(), |v| format!("kini {}", fmt_id(v)));
    // What a program-count rule counts, without the count and the names: "new quick-win programs
    // running in 2023".
    let counted = |text: &str| {
        let head = text.split(':').next().unwrap_or_default();
        head.split_once(' ').map_or(head, |(_, rest)| rest).to_string()
    };
    let (text, text_id) = match d.rule.as_str() {
        "indicator" => (
            format!("needs {measure} {cmp} {n}{year} ({now})"),
            format!("perlu {measure} {cmp} {n_id}{year_id} ({now_id})"),
        ),
        "dimension-progress" => (
            format!("needs a mean target achievement {cmp} {n} %{year} ({now} %)"),
            format!("perlu capaian target rata-rata {cmp} {n_id} %{year_id} ({now_id} %)"),
        ),
        _ => (
            format!("needs {cmp} {n} {} ({now})", counted(&d.explanation)),
            format!("perlu {cmp} {n_id} {} ({now_id})", counted(&d.explanation_id)),
        ),
    };
    Some(DataStep { rule: d.rule.clone(), measure, today, needed, direction: dir.to_string(), text, text_id })
}

/// The final score of `counted` (per question: what enters its aspect's mean).
fn final_of(framework: &Framework, questions: &[QuestionScore], counted: &[Option<Exact>]) -> Exact {
    let pairs: Vec<(&QuestionScore, Option<Exact>)> = questions.iter().zip(counted.iter().copied()).collect();
    aspects(framework, &pairs).1
}

/// What each question counts today, exactly (scores are read with at most six decimals).
fn counted_now(questions: &[QuestionScore]) -> Vec<Option<Exact>> {
    questions.iter().map(|q| q.counted.map(Exact::from_decimal)).collect()
}

/// Every question with its leverage, highest gain to the top first (ties: the instrument's order).
pub fn levers(framework: &Framework, questions: &[QuestionScore]) -> Vec<Lever> {
    let (min, max) = (Exact::from_decimal(framework.scale.min), Exact::from_decimal(framework.scale.max));
    let now = counted_now(questions);
    let base = final_of(framework, questions, &now);
    let mut out: Vec<Lever> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let current = q.score.as_ref().map(|s| Exact::from_decimal(s.value));
            let with = |value: Exact| {
                let mut counted = now.clone();
                counted[i] = Some(value);
                final_of(framework, questions, &counted) - base
            };
            let start = current.unwrap_or(min);
            let step = if start < max { with(min_of(start + Exact::int(1), max)) } else { Exact::ZERO };
            Lever {
                id: q.id.clone(),
                number: q.number.clone(),
                aspect: q.aspect.clone(),
                indicator: q.indicator_name.clone(),
                text: q.text.clone(),
                status: q.status,
                score: q.score.as_ref().map(|s| s.value),
                gain_per_point: step.to_f64(),
                gain_to_top: if current.is_some_and(|c| c >= max) { 0.0 } else { with(max).to_f64() },
                derived: matches!(q.status, ScoreStatus::Derived | ScoreStatus::Underivable),
                data_step: None,
            }
        })
        .collect();
    out.sort_by(|a, b| b.gain_to_top.total_cmp(&a.gain_to_top));
    out
}

/// How many questions the report's "Prioritas perbaikan" lists.
pub const PRIORITIES: usize = 10;

/// The questions where one more point adds most to the final (ties: the instrument's order),
/// those already at the top left out: what the report lists as priorities.
pub fn priorities(framework: &Framework, questions: &[QuestionScore], indicators: &[IndicatorSeries]) -> Vec<Lever> {
    let mut all: Vec<Lever> = levers(framework, questions).into_iter().filter(|l| l.gain_per_point > 0.0).collect();
    let order = |id: &str| questions.iter().position(|q| q.id == id);
    all.sort_by(|a, b| b.gain_per_point.total_cmp(&a.gain_per_point).then_with(|| order(&a.id).cmp(&order(&b.id))));
    all.truncate(PRIORITIES);
    with_data_steps(&mut all, questions, indicators);
    all
}

fn min_of(a: Exact, b: Exact) -> Exact {
    if a < b { a } else { b }
}

/// The smallest set of changes to manual or unanswered questions that reaches `target` from
/// today's answers: one point at a time, each time the point that adds most to the final
/// (ties: a question already being raised, then the one with most room to the top, so fewer
/// questions change). Under `missing: zero`
/// every point of an aspect is worth the same, so this is the fewest points; under `exclude`
/// it is exact step by step but a heuristic overall. Derived answers are left to their data.
pub struct Path {
    /// (question id, from, to) per question raised, in the order first raised.
    pub changes: Vec<(String, Option<f64>, f64)>,
    /// Points raised in all (a step that stops at the top of the scale is less than one).
    pub points: f64,
    pub reached: f64,
    pub target_met: bool,
}

pub fn reach(framework: &Framework, questions: &[QuestionScore], target: f64) -> Path {
    let (min, max) = (Exact::from_decimal(framework.scale.min), Exact::from_decimal(framework.scale.max));
    let target = Exact::from_decimal(target);
    let mut counted = counted_now(questions);
    let mut scores: Vec<Option<Exact>> =
        questions.iter().map(|q| q.score.as_ref().map(|s| Exact::from_decimal(s.value))).collect();
    let editable: Vec<bool> =
        questions.iter().map(|q| matches!(q.status, ScoreStatus::Manual | ScoreStatus::Unanswered)).collect();
    let mut raised: Vec<usize> = Vec::new();
    let mut points = Exact::ZERO;
    let mut current = final_of(framework, questions, &counted);
    while current < target {
        // (gain, already raised, room left to the top, question, score after the step)
        let mut best: Option<(Exact, bool, Exact, usize, Exact)> = None;
        for i in 0..questions.len() {
            let from = scores[i].unwrap_or(min);
            if !editable[i] || (scores[i].is_some() && from >= max) {
                continue;
            }
            let to = min_of(from + Exact::int(1), max);
            let mut trial = counted.clone();
            trial[i] = Some(to);
            let gain = final_of(framework, questions, &trial) - current;
            let already = raised.contains(&i);
            let room = max - from;
            // Ties go to a question already raised, then to the one with the most room left:
            // the points then land on as few questions as possible.
            let better = match &best {
                None => true,
                Some((g, a, r, _, _)) => gain > *g || (gain == *g && ((already && !a) || (already == *a && room > *r))),
            };
            if better {
                best = Some((gain, already, room, i, to));
            }
        }
        let Some((gain, _, _, i, to)) = best else { break };
        if gain <= Exact::ZERO {
            break;
        }
        points = points + (to - scores[i].unwrap_or(min));
        scores[i] = Some(to);
        counted[i] = Some(to);
        current = current + gain;
        if !raised.contains(&i) {
            raised.push(i);
        }
    }
    let changes = raised
        .iter()
        .map(|&i| {
            (questions[i].id.clone(), questions[i].score.as_ref().map(|s| s.value), scores[i].unwrap_or(min).to_f64())
        })
        .collect();
    Path { changes, points: points.to_f64(), reached: current.to_f64(), target_met: current >= target }
}

/// Whether the instrument averages only answered questions (answering one changes the
/// denominator), for the explanation printed with a plan.
pub fn excludes_missing(framework: &Framework) -> bool {
    framework.missing == MissingPolicy::Exclude
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
