//! The final scores across evaluations (issue #16): published results of earlier years
//! (`indicators/results/`), city.yaml's `previous` for a year without such a file, and this
//! year's projection last, each with its change on the one before.

use crate::evaluation::{HistoryAspect, HistoryPoint, Scorecard};
use crate::load::LoadedWorkspace;
use crate::score::exact::Exact;

pub fn history(ws: &LoadedWorkspace, year: i32, instrument: &str, scorecard: &Scorecard) -> Vec<HistoryPoint> {
    let mut points: Vec<HistoryPoint> = ws
        .results
        .iter()
        .map(|r| &r.value)
        .filter(|r| r.year.value < year)
        .map(|r| HistoryPoint {
            year: r.year.value,
            final_score: exact_score(r.final_score.value),
            change: None,
            instrument: r.instrument.as_ref().map(|i| i.value.clone()).or_else(|| {
                ws.framework_for_year(r.year.value).filter(|f| f.year == Some(r.year.value)).map(|f| f.id.value.clone())
            }),
            stage: r.stage.clone(),
            predicate: r.predicate.clone(),
            rank: r.rank.clone(),
            source: Some(r.source.clone()),
            projected: false,
            instrument_changed: false,
            aspects: published_aspects(ws, r),
        })
        .collect();
    // `previous:` in city.yaml, for its year when no results file gives it.
    if let Some(p) = &scorecard.previous
        && !points.iter().any(|h| h.year == p.year)
    {
        points.push(HistoryPoint {
            year: p.year,
            final_score: p.published_final.map_or_else(|| p.final_score.clone(), exact_score),
            change: None,
            instrument: Some(p.instrument.clone()),
            stage: None,
            predicate: None,
            rank: None,
            source: Some("indicators/city.yaml (previous)".to_string()),
            projected: false,
            instrument_changed: false,
            aspects: p.aspects.iter().map(|a| HistoryAspect { id: a.id.clone(), score: a.score }).collect(),
        });
    }
    if points.is_empty() {
        return points;
    }
    points.push(HistoryPoint {
        year,
        final_score: scorecard.final_score.clone(),
        change: None,
        instrument: Some(instrument.to_string()),
        stage: None,
        predicate: scorecard.predicate.as_ref().map(|p| p.label.clone()),
        rank: None,
        source: None,
        projected: true,
        instrument_changed: false,
        aspects: scorecard.aspects.iter().map(|a| HistoryAspect { id: a.id.clone(), score: a.score.value }).collect(),
    });
    points.sort_by_key(|p| p.year);
    for i in 1..points.len() {
        let (before, now) = (&points[i - 1], &points[i]);
        let change = Exact::from_decimal(now.final_score.value) - Exact::from_decimal(before.final_score.value);
        let changed = matches!((&before.instrument, &now.instrument), (Some(a), Some(b)) if a != b);
        points[i].change = Some(crate::evaluation::Score::from_exact(change));
        points[i].instrument_changed = changed;
    }
    points
}

fn exact_score(value: f64) -> crate::evaluation::Score {
    crate::evaluation::Score::from_exact(Exact::from_decimal(value))
}

/// A published result's aspects, in its instrument's order when the instrument is known.
fn published_aspects(ws: &LoadedWorkspace, r: &crate::model::PublishedResult) -> Vec<HistoryAspect> {
    let order: Vec<String> = r
        .instrument
        .as_ref()
        .and_then(|id| ws.frameworks.iter().find(|f| f.value.id.value == id.value))
        .map(|f| f.value.aspects.iter().map(|a| a.id.value.clone()).collect())
        .unwrap_or_default();
    let mut aspects: Vec<HistoryAspect> =
        r.aspects.iter().map(|(id, score)| HistoryAspect { id: id.clone(), score: score.value }).collect();
    aspects.sort_by_key(|a| order.iter().position(|o| o == &a.id).unwrap_or(usize::MAX));
    aspects
}
