//! The instrument's arithmetic (reference §4): question scores → aspect means → weighted final,
//! predicate, improvement on last year, gaps and the weakest questions.

use super::exact::Exact;
use super::rules::{RuleContext, derive};
use crate::evaluation::{
    AspectScore, Gap, IndicatorSeries, Predicate, PreviousAspect, PreviousResult, QuestionScore, Score, ScoreStatus,
    Scorecard,
};
use crate::load::Loaded;
use crate::model::Assessment;
use crate::model::city::Previous;
use crate::model::framework::{Framework, MissingPolicy};

/// Questions scoring at most this are listed as gaps (assessors ask about them).
pub const LOW_SCORE: f64 = 2.0;

/// How many of the lowest-scoring questions the scorecard names.
pub const WEAKEST: usize = 5;

pub fn question_scores(
    framework: &Framework,
    assessment: Option<&Loaded<Assessment>>,
    ctx: &RuleContext,
) -> Vec<(QuestionScore, Option<Exact>)> {
    let ids: Vec<&str> = framework.questions().map(|(_, _, q)| q.id.value.as_str()).collect();
    framework
        .questions()
        .map(|(aspect, indicator, q)| {
            let answer = assessment.and_then(|a| a.value.answers.iter().find(|(k, _)| k.value == q.id.value));
            let (mut status, mut score, mut derivation, mut illustrative) =
                (ScoreStatus::Unanswered, None, None, false);
            if let Some((_, answer)) = answer {
                illustrative = answer.source.as_deref() == Some("ilustrasi");
                if let Some(s) = &answer.score {
                    status = ScoreStatus::Manual;
                    score = Some(Exact::from_decimal(s.value));
                } else if answer.derive {
                    if let Some(rule) = &q.rule {
                        let derived = derive(&rule.value, ctx, &ids);
                        status = if derived.score.is_some() { ScoreStatus::Derived } else { ScoreStatus::Underivable };
                        score = derived.score;
                        illustrative |= derived.illustrative;
                        derivation = Some(derived.derivation);
                    } else {
                        status = ScoreStatus::Underivable;
                    }
                }
            }
            let counted = match (score, framework.missing) {
                (Some(s), _) => Some(s),
                (None, MissingPolicy::Zero) => Some(Exact::ZERO),
                (None, MissingPolicy::Exclude) => None,
            };
            let origin = answer.map(|(k, _)| {
                format!("{}:{}", assessment.map(|a| crate::diagnostic::slash_path(&a.path)).unwrap_or_default(), k.line)
            });
            (
                QuestionScore {
                    id: q.id.value.clone(),
                    number: q.number.clone(),
                    aspect: aspect.id.value.clone(),
                    indicator: indicator.id.value.clone(),
                    indicator_name: indicator.name.clone(),
                    subindicator: q.subindicator.clone(),
                    text: q.text.clone(),
                    dimension: q.dimension.as_ref().map(|d| d.value.clone()),
                    status,
                    score: score.map(Score::from_exact),
                    counted: counted.map(Exact::to_f64),
                    derivation,
                    evidence: answer.map(|(_, a)| a.evidence.iter().map(|e| e.label()).collect()).unwrap_or_default(),
                    note: answer.and_then(|(_, a)| a.note.clone()),
                    illustrative,
                    origin,
                },
                counted,
            )
        })
        .collect()
}

/// Aspect means and the weighted final, exactly.
/// Aspect scores and the final score from what each question counts. Takes the questions by
/// value or by reference, so `plan` can recompute with one answer changed without cloning them.
pub fn aspects<Q: std::borrow::Borrow<QuestionScore>>(
    framework: &Framework,
    questions: &[(Q, Option<Exact>)],
) -> (Vec<AspectScore>, Exact) {
    let mut final_score = Exact::ZERO;
    let hundred = Exact::int(100);
    let list = framework
        .aspects
        .iter()
        .map(|aspect| {
            let own: Vec<(&QuestionScore, Option<Exact>)> =
                questions.iter().map(|(q, c)| (q.borrow(), *c)).filter(|(q, _)| q.aspect == aspect.id.value).collect();
            let counted: Vec<Exact> = own.iter().filter_map(|(_, c)| *c).collect();
            let sum: Exact = counted.iter().copied().sum();
            let mean = Exact::mean(counted.iter().copied()).unwrap_or(Exact::ZERO);
            let weight = Exact::from_decimal(aspect.weight.value);
            let weighted = weight * mean / hundred;
            final_score = final_score + weighted;
            AspectScore {
                id: aspect.id.value.clone(),
                name: aspect.name.clone(),
                name_en: aspect.name_en.clone(),
                weight: aspect.weight.value,
                score: Score::from_exact(mean),
                weighted: Score::from_exact(weighted),
                questions: own.len(),
                answered: own
                    .iter()
                    .filter(|(q, _)| matches!(q.status, ScoreStatus::Manual | ScoreStatus::Derived))
                    .count(),
                counted: counted.len(),
                sum: sum.to_f64(),
            }
        })
        .collect();
    (list, final_score)
}

pub fn predicate(framework: &Framework, final_score: Exact) -> Option<Predicate> {
    let mut bands: Vec<_> = framework.predicates.iter().collect();
    bands.sort_by(|a, b| b.min.value.total_cmp(&a.min.value));
    bands.into_iter().find(|p| final_score >= Exact::from_decimal(p.min.value)).map(|p| Predicate {
        label: p.label.clone(),
        label_en: p.label_en.clone(),
        min: p.min.value,
    })
}

/// Last year's weighted sum from the published aspect scores, and the improvement on it.
pub fn previous(previous: &Previous, instrument: &Framework, final_score: Exact) -> PreviousResult {
    let hundred = Exact::int(100);
    let mut sum = Exact::ZERO;
    let mut aspects = Vec::new();
    for aspect in &instrument.aspects {
        let score = previous.aspects.get(&aspect.id.value).map_or(0.0, |s| s.value);
        sum = sum + Exact::from_decimal(aspect.weight.value) * Exact::from_decimal(score) / hundred;
        aspects.push(PreviousAspect { id: aspect.id.value.clone(), score, weight: aspect.weight.value });
    }
    PreviousResult {
        year: previous.year.value,
        final_score: Score::from_exact(sum),
        published_final: previous.final_score.as_ref().map(|f| f.value),
        instrument: instrument.id.value.clone(),
        improvement: Score::from_exact(final_score - sum),
        aspects,
    }
}

/// The lowest-scoring *answered* questions (manual or derived), by score; ties keep the
/// instrument's order. Unanswered questions are gaps, counted per aspect, not "low scores": in
/// a partly answered assessment they would crowd out the weak answers an assessor asks about.
pub fn weakest(questions: &[QuestionScore]) -> Vec<String> {
    let mut ranked: Vec<(&QuestionScore, f64)> =
        questions.iter().filter_map(|q| q.score.as_ref().map(|s| (q, s.value))).collect();
    ranked.sort_by(|a, b| a.1.total_cmp(&b.1));
    ranked.into_iter().take(WEAKEST).map(|(q, _)| q.id.clone()).collect()
}

/// A question as a person can tell it apart: the printed number repeats (5.1.1 is eleven
/// questions of Quick Win), so the indicator (for Impact, the dimension) and the text go with it.
pub fn label(q: &QuestionScore) -> String {
    format!("{} {} — {}", q.number, q.indicator_name, q.text)
}

/// Whether an answer owes bukti dukung: a manual score does (format.md §7: "a scored answer
/// without evidence is a warning"); a derived one rests on the workspace's data, which its
/// derivation names, so it owes no document. Unanswered questions owe nothing yet. The one test
/// behind the `no-evidence` gap, the checklist's `none` standing and every count of answers
/// "tanpa bukti dukung" (score, report, pack, evidence checklist).
pub fn owes_evidence(q: &QuestionScore) -> bool {
    q.status == ScoreStatus::Manual
}

pub fn gaps(
    questions: &[QuestionScore],
    series: &[IndicatorSeries],
    year: i32,
    running: impl Fn(&str) -> bool,
) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for q in questions {
        let gap = |kind: &str, message: String, message_id: String| Gap {
            kind: kind.into(),
            id: q.id.clone(),
            message,
            message_id,
        };
        match q.status {
            ScoreStatus::Unanswered => {
                gaps.push(gap("unanswered", format!("{}: no answer", label(q)), format!("{}: belum dijawab", label(q))))
            }
            ScoreStatus::Underivable => {
                let (en, id) = q
                    .derivation
                    .as_ref()
                    .map_or(("the question has no rule", "pertanyaan tidak memiliki aturan"), |d| {
                        (d.explanation.as_str(), d.explanation_id.as_str())
                    });
                gaps.push(gap(
                    "underivable",
                    format!("{}: could not be derived: {en}", label(q)),
                    format!("{}: tidak dapat diturunkan dari data: {id}", label(q)),
                ))
            }
            ScoreStatus::Manual if owes_evidence(q) && q.evidence.is_empty() => gaps.push(gap(
                "no-evidence",
                format!("{}: scored without evidence (bukti dukung)", label(q)),
                format!("{}: dinilai tanpa bukti dukung", label(q)),
            )),
            _ => {}
        }
        if let Some(s) = &q.score
            && s.value <= LOW_SCORE
        {
            gaps.push(gap(
                "low-score",
                format!("{}: scores {}", label(q), s.display_en),
                format!("{}: bernilai {}", label(q), s.display),
            ));
        }
        if q.illustrative {
            gaps.push(gap(
                "illustrative",
                format!("{}: rests on illustrative data or an illustrative score", label(q)),
                format!("{}: bertumpu pada data atau nilai ilustrasi", label(q)),
            ));
        }
    }
    for s in series.iter().filter(|s| running(&s.program)) {
        let this_year = s.years.iter().find(|y| y.year == year);
        if this_year.is_none_or(|y| y.value.is_none()) {
            gaps.push(Gap {
                kind: "no-data".into(),
                id: s.id.clone(),
                message: format!("{} has no data for {year}", s.name),
                message_id: format!("{} belum memiliki data tahun {year}", s.name),
            });
        }
        if this_year.is_none_or(|y| y.target.is_none()) {
            gaps.push(Gap {
                kind: "no-target".into(),
                id: s.id.clone(),
                message: format!("{} has no target for {year}", s.name),
                message_id: format!("{} belum memiliki target tahun {year}", s.name),
            });
        }
    }
    gaps
}

pub fn scorecard(
    framework: &Framework,
    assessment: Option<&Loaded<Assessment>>,
    ctx: &RuleContext,
    previous_result: Option<(&Previous, &Framework)>,
    running: impl Fn(&str) -> bool,
) -> Scorecard {
    let scored = question_scores(framework, assessment, ctx);
    let (aspect_scores, final_score) = aspects(framework, &scored);
    let questions: Vec<QuestionScore> = scored.into_iter().map(|(q, _)| q).collect();
    let mut gaps = gaps(&questions, ctx.series, ctx.year, running);
    // Under `missing: exclude` an aspect can end up with nothing to average: it counts 0.
    for a in aspect_scores.iter().filter(|a| a.counted == 0) {
        gaps.push(Gap {
            kind: "empty-aspect".into(),
            id: a.id.clone(),
            message: format!("aspect {} has no scored question: it counts as 0", a.name),
            message_id: format!("aspek {} belum memiliki pertanyaan bernilai: dihitung 0", a.name),
        });
    }
    Scorecard {
        aspects: aspect_scores,
        final_score: Score::from_exact(final_score),
        predicate: predicate(framework, final_score),
        previous: previous_result.map(|(p, f)| previous(p, f, final_score)),
        weakest: weakest(&questions),
        gaps,
        questions,
    }
}
