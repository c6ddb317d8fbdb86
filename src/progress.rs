//! From yearly values to what the plan promised: indicator achievement against targets,
//! program progress, and dimension roll-ups with budgets.

use std::collections::{BTreeMap, BTreeSet};

use crate::aggregate::budget::BudgetTotals;
use crate::aggregate::indicators::YearlyValues;
use crate::evaluation::{
    AreaValue, BaselineValue, Budget, BudgetSource, DimensionProgress, DimensionYear, IndicatorSeries, IndicatorYear,
    ProgramProgress, ProgramYear, StatusCount, SubdimensionProgress,
};
use crate::load::LoadedWorkspace;
use crate::model::Program;
use crate::model::program::{Direction, ProgramIndicator, Status};
use crate::score::exact::Exact;

/// An indicator counts at most this much (%) towards its program's progress, so one runaway
/// indicator (2,000 % of a modest target) cannot hide others that lag.
pub const ACHIEVEMENT_CAP: f64 = 100.0;

/// Percent of the target reached. Up: value / target. Down (lower is better): target / value,
/// 100 % when the value is at or below the target. A target of 0 is met (100 %) or not (0 %).
pub fn achievement(value: f64, target: f64, direction: Direction) -> f64 {
    match direction {
        Direction::Up if target > 0.0 => percent_of(value, target),
        Direction::Up => {
            if value >= target {
                100.0
            } else {
                0.0
            }
        }
        Direction::Down if value <= 0.0 => {
            if value <= target {
                100.0
            } else {
                0.0
            }
        }
        Direction::Down => percent_of(target.max(0.0), value),
    }
}

/// `a / b × 100` on the decimals as written, as the scores are computed (score/exact.rs): 2.01
/// of 4 is exactly 50.25 %, shown 50,3 %, where binary floating point gives 50.2499… and 50,2 %.
/// Values beyond what six exact decimals can hold are divided in floating point.
fn percent_of(a: f64, b: f64) -> f64 {
    const EXACT_UP_TO: f64 = 1e12;
    if a.abs() <= EXACT_UP_TO && b.abs() <= EXACT_UP_TO && b.abs() >= 1e-6 {
        let (a, b) = (Exact::from_decimal(a), Exact::from_decimal(b));
        if !b.is_zero() {
            return (a * Exact::int(100) / b).to_f64();
        }
    }
    a / b * 100.0
}

/// Running in a year: the period covers it and the program is under way or finished.
pub fn is_running(p: &Program, year: i32) -> bool {
    p.period.contains(year) && matches!(p.status, Status::Berjalan | Status::Selesai)
}

pub fn indicator_series(ws: &LoadedWorkspace, values: &YearlyValues) -> Vec<IndicatorSeries> {
    let mut out = Vec::new();
    for loaded in &ws.programs {
        let program = &loaded.value.value;
        for ind in &program.indicators {
            out.push(series(program, ind, values));
        }
    }
    out
}

fn series(program: &Program, ind: &ProgramIndicator, values: &YearlyValues) -> IndicatorSeries {
    let targets: BTreeMap<i32, f64> = ind.targets.iter().map(|(y, v)| (y.value, v.value)).collect();
    let mut years: BTreeSet<i32> = targets.keys().copied().collect();
    years.extend(
        values
            .range((ind.id.value.clone(), i32::MIN)..)
            .take_while(|((id, _), _)| *id == ind.id.value)
            .map(|((_, y), _)| *y),
    );
    let baseline = ind.baseline.as_ref().map(|b| BaselineValue { year: b.year.value, value: b.value });
    let mut rows: Vec<IndicatorYear> = Vec::new();
    for year in years {
        let v = values.get(&(ind.id.value.clone(), year));
        // A sum beyond the largest float is reported by validate; here it is no value rather
        // than an infinity that would count as 100 % achieved.
        let value = v.map(|v| v.value).filter(|v| v.is_finite());
        let target = targets.get(&year).copied();
        let previous = values.get(&(ind.id.value.clone(), year - 1)).map(|p| p.value).filter(|v| v.is_finite());
        rows.push(IndicatorYear {
            year,
            value,
            target,
            achievement: value.zip(target).map(|(v, t)| achievement(v, t, ind.direction)).filter(|a| a.is_finite()),
            change_previous: value.zip(previous).map(|(v, p)| v - p),
            change_baseline: value.zip(baseline.as_ref().filter(|b| b.year < year)).map(|(v, b)| v - b.value),
            months_with_data: v.map_or(0, |v| v.months_with_data()),
            coverage: v.map_or(0.0, |v| f64::from(v.months_with_data()) / 12.0),
            observations: v.map_or(0, |v| v.observations),
            illustrative: v.is_some_and(|v| v.illustrative),
            areas: v.map_or_else(Vec::new, |v| {
                v.areas.iter().map(|(a, x)| AreaValue { area: a.clone(), value: *x }).collect()
            }),
            provenance: v.map_or_else(Vec::new, |v| v.provenance.clone()),
        });
    }
    IndicatorSeries {
        id: ind.id.value.clone(),
        program: program.id.value.clone(),
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        direction: ind.direction,
        aggregate: ind.aggregate,
        baseline,
        illustrative: ind.source.as_deref() == Some("ilustrasi"),
        years: rows,
    }
}

fn budget_of(totals: &BudgetTotals, program: &str, year: i32) -> Budget {
    let mut budget = Budget::default();
    for ((p, y, source), (planned, realized)) in totals {
        if p == program && *y == year {
            add_budget(
                &mut budget,
                &Budget {
                    planned: Some(*planned),
                    realized: *realized,
                    rate: None,
                    unknown_sources: u32::from(realized.is_none()),
                    planned_known: if realized.is_some() { *planned } else { 0.0 },
                    by_source: vec![BudgetSource {
                        source: source.clone(),
                        planned: *planned,
                        realized: *realized,
                        rate: realized.and_then(|r| rate(*planned, r)),
                        unknown: u32::from(realized.is_none()),
                    }],
                },
            );
        }
    }
    budget
}

fn rate(planned: f64, realized: f64) -> Option<f64> {
    (planned > 0.0).then(|| realized / planned)
}

/// `a + b` where either may be unknown: unknown only when both are.
fn add_known(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    }
}

fn add_budget(total: &mut Budget, b: &Budget) {
    total.planned = add_known(total.planned, b.planned);
    total.realized = add_known(total.realized, b.realized);
    total.planned_known += b.planned_known;
    total.unknown_sources += b.unknown_sources;
    for s in &b.by_source {
        match total.by_source.iter_mut().find(|t| t.source == s.source) {
            Some(t) => {
                t.planned += s.planned;
                t.unknown += s.unknown;
                t.realized = add_known(t.realized, s.realized);
                // A rate only where every program's realisation from the source is known.
                t.rate = if t.unknown == 0 { t.realized.and_then(|r| rate(t.planned, r)) } else { None };
            }
            None => total.by_source.push(s.clone()),
        }
    }
    total.by_source.sort_by(|a, b| a.source.cmp(&b.source));
    total.rate = total.realized.and_then(|r| rate(total.planned_known, r));
}

pub fn program_progress(
    ws: &LoadedWorkspace,
    series: &[IndicatorSeries],
    budget: &BudgetTotals,
) -> Vec<ProgramProgress> {
    // Grouped once: a filter per program would be quadratic (10,000 programs took minutes).
    let mut by_program: std::collections::HashMap<&str, Vec<&IndicatorSeries>> = std::collections::HashMap::new();
    for s in series {
        by_program.entry(s.program.as_str()).or_default().push(s);
    }
    ws.programs
        .iter()
        .map(|loaded| {
            let p = &loaded.value.value;
            let own: &[&IndicatorSeries] = by_program.get(p.id.value.as_str()).map_or(&[], Vec::as_slice);
            let years = (p.period.start.value..=p.period.end.value)
                .map(|year| {
                    let achievements: Vec<f64> = own
                        .iter()
                        .filter_map(|s| s.years.iter().find(|y| y.year == year).and_then(|y| y.achievement))
                        .map(|a| a.min(ACHIEVEMENT_CAP))
                        .collect();
                    ProgramYear {
                        year,
                        progress: mean(&achievements),
                        indicators_measured: achievements.len(),
                        budget: budget_of(budget, &p.id.value, year),
                    }
                })
                .collect();
            ProgramProgress {
                id: p.id.value.clone(),
                name: p.name.clone(),
                dimension: p.dimension.value.clone(),
                subdimension: p.subdimension.value.clone(),
                opd: ws.opd_name(&p.opd),
                status: p.status,
                quick_win: p.quick_win,
                collaboration: p.collaboration,
                period_start: p.period.start.value,
                period_end: p.period.end.value,
                launched: p.launched.as_ref().map(|l| l.value.clone()),
                illustrative: p.source.as_deref() == Some("ilustrasi"),
                description: p.description.clone(),
                partners: p.partners.clone(),
                evidence: p.evidence.iter().map(|e| e.label()).collect(),
                horizon: p.horizon,
                indicators: p.indicators.iter().map(|i| i.id.value.clone()).collect(),
                years,
                origin: format!("{}:{}", loaded.path.display(), p.id.line),
            }
        })
        .collect()
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Rolls programs up by dimension and sub-dimension, per year.
pub fn dimension_progress(ws: &LoadedWorkspace, programs: &[ProgramProgress]) -> Vec<DimensionProgress> {
    let Some(dims) = &ws.dimensions else { return Vec::new() };
    let years: BTreeSet<i32> = programs.iter().flat_map(|p| p.years.iter().map(|y| y.year)).collect();
    dims.value
        .dimensions
        .iter()
        .map(|d| {
            let members: Vec<&ProgramProgress> = programs.iter().filter(|p| p.dimension == d.id.value).collect();
            DimensionProgress {
                id: d.id.value.clone(),
                name: d.name.clone(),
                name_en: d.name_en.clone(),
                years: years.iter().map(|&y| roll_up(&members, y)).collect(),
                subdimensions: d
                    .subdimensions
                    .iter()
                    .map(|s| {
                        let subs: Vec<&ProgramProgress> =
                            members.iter().copied().filter(|p| p.subdimension == s.id.value).collect();
                        SubdimensionProgress {
                            id: s.id.value.clone(),
                            name: s.name.clone(),
                            years: years.iter().map(|&y| roll_up(&subs, y)).collect(),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

fn covers(p: &ProgramProgress, year: i32) -> bool {
    p.period_start <= year && year <= p.period_end
}

fn running(p: &ProgramProgress, year: i32) -> bool {
    covers(p, year) && matches!(p.status, Status::Berjalan | Status::Selesai)
}

fn roll_up(members: &[&ProgramProgress], year: i32) -> DimensionYear {
    let running: Vec<&&ProgramProgress> = members.iter().filter(|p| running(p, year)).collect();
    let progress_of = |p: &ProgramProgress| p.years.iter().find(|y| y.year == year).and_then(|y| y.progress);
    let measured: Vec<f64> = running.iter().filter_map(|p| progress_of(p)).collect();
    let mut budget = Budget::default();
    for p in members {
        if let Some(y) = p.years.iter().find(|y| y.year == year) {
            add_budget(&mut budget, &y.budget);
        }
    }
    // By status, only the programs whose period covers the year: a program of 2024–2026 is not
    // "berjalan" in 2023, so the counts agree with `running` (berjalan + selesai = running).
    let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
    for p in members.iter().filter(|p| covers(p, year)) {
        *by_status.entry(p.status).or_default() += 1;
    }
    DimensionYear {
        year,
        progress: mean(&measured),
        running: running.len(),
        unmeasured: running.iter().filter(|p| progress_of(p).is_none()).map(|p| p.id.clone()).collect(),
        quick_wins: running.iter().filter(|p| p.quick_win).count(),
        by_status: by_status.into_iter().map(|(status, count)| StatusCount { status, count }).collect(),
        budget,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn achievement_is_direction_aware() {
        assert_eq!(achievement(125.0, 250.0, Direction::Up), 50.0);
        assert_eq!(achievement(300.0, 250.0, Direction::Up), 120.0);
        // Lower is better: 8 incidents against a target of 10 beats the target.
        assert_eq!(achievement(8.0, 10.0, Direction::Down), 125.0);
        assert_eq!(achievement(20.0, 10.0, Direction::Down), 50.0);
        assert_eq!(achievement(0.0, 0.0, Direction::Down), 100.0);
        assert_eq!(achievement(3.0, 0.0, Direction::Down), 0.0);
        assert_eq!(achievement(0.0, 0.0, Direction::Up), 100.0);
    }

    fn program(id: &str, status: Status, start: i32, end: i32, quick_win: bool) -> ProgramProgress {
        ProgramProgress {
            id: id.into(),
            name: id.into(),
            dimension: "living".into(),
            subdimension: "kesehatan".into(),
            opd: String::new(),
            status,
            quick_win,
            collaboration: false,
            period_start: start,
            period_end: end,
            launched: None,
            illustrative: false,
            description: None,
            partners: Vec::new(),
            evidence: Vec::new(),
            horizon: None,
            indicators: Vec::new(),
            years: (start..=end)
                .map(|year| ProgramYear { year, progress: None, indicators_measured: 0, budget: Budget::default() })
                .collect(),
            origin: String::new(),
        }
    }

    fn count(y: &DimensionYear, status: Status) -> usize {
        y.by_status.iter().find(|c| c.status == status).map_or(0, |c| c.count)
    }

    #[test]
    fn a_program_counts_only_in_the_years_its_period_covers() {
        let programs = [
            program("a", Status::Berjalan, 2021, 2023, true),
            program("b", Status::Berjalan, 2023, 2025, false),
            program("c", Status::Selesai, 2021, 2022, false),
            program("d", Status::Rencana, 2024, 2026, false),
            program("e", Status::Tertunda, 2022, 2023, false),
        ];
        let members: Vec<&ProgramProgress> = programs.iter().collect();
        let y2021 = roll_up(&members, 2021);
        assert_eq!((y2021.running, count(&y2021, Status::Berjalan), count(&y2021, Status::Selesai)), (2, 1, 1));
        assert_eq!(count(&y2021, Status::Rencana) + count(&y2021, Status::Tertunda), 0);
        let y2023 = roll_up(&members, 2023);
        // b starts in 2023; c ended in 2022; d has not started; e is paused in its period.
        assert_eq!((y2023.running, count(&y2023, Status::Berjalan), count(&y2023, Status::Selesai)), (2, 2, 0));
        assert_eq!((count(&y2023, Status::Tertunda), count(&y2023, Status::Rencana)), (1, 0));
        assert_eq!(y2023.quick_wins, 1);
        let y2024 = roll_up(&members, 2024);
        assert_eq!((y2024.running, count(&y2024, Status::Berjalan), count(&y2024, Status::Rencana)), (1, 1, 1));
        assert_eq!(y2024.quick_wins, 0);
        // The counts agree with each other in every year: running = berjalan + selesai.
        for year in 2020..=2027 {
            let y = roll_up(&members, year);
            assert_eq!(y.running, count(&y, Status::Berjalan) + count(&y, Status::Selesai), "{year}");
            let covering = programs.iter().filter(|p| p.period_start <= year && year <= p.period_end).count();
            assert_eq!(y.by_status.iter().map(|c| c.count).sum::<usize>(), covering, "{year}");
        }
    }

    #[test]
    fn achievement_is_exact_on_the_decimals_written() {
        // 2.01 / 4 = 50.25 exactly (floating point: 50.24999999999999).
        assert_eq!(achievement(2.01, 4.0, Direction::Up), 50.25);
        assert_eq!(achievement(4.0, 2.01, Direction::Down), 50.25);
        assert_eq!(achievement(1.0, 3.0, Direction::Up), 100.0 / 3.0);
        assert_eq!(achievement(1e300, 1e300, Direction::Up), 100.0);
    }
}
