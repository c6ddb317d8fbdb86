//! `Evaluation`: the one value every output renders. `score --format json` prints it; the
//! report, the slides and the exports read it and compute nothing new. Every number carries
//! where it came from (files and rows, rule inputs, the year used).
//!
//! Numbers are full precision (`f64`); scores also carry their printed form (half-up, two
//! decimals) computed from exact fractions, so renderers never round on their own.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::city::City;
use crate::model::program::{Aggregate, Direction, Status};

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Evaluation {
    /// `smartcity-eval` version that made this value.
    pub tool_version: String,
    /// The city as written in city.yaml (delegation, institutions, strengths, …).
    pub city: City,
    /// Slug used in output file names (`kota-ambon`).
    pub city_slug: String,
    pub year: i32,
    pub instrument: InstrumentInfo,
    pub scorecard: Scorecard,
    pub indicators: Vec<IndicatorSeries>,
    pub programs: Vec<ProgramProgress>,
    pub dimensions: Vec<DimensionProgress>,
    pub survey: SurveySummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cohort: Option<CohortComparison>,
    /// Input files read, with their row counts (data) — the appendix's "sources".
    pub sources: Vec<SourceFile>,
    /// Masterplan ↔ RPJMD alignment, when the workspace has indicators/rpjmd.yaml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpjmd: Option<crate::rpjmd::alignment::Alignment>,
    /// The questions where one more point raises the final most (at most ten), exact, with the
    /// instrument's missing policy (score::plan): the report's "Prioritas perbaikan".
    pub priorities: Vec<crate::score::plan::Lever>,
    /// Final scores across evaluations, oldest first: published results (`indicators/results/`),
    /// city.yaml's `previous`, and this year's projection last. Empty without earlier results.
    pub history: Vec<HistoryPoint>,
    /// Set when this is a what-if (`--scenario NAME`), not the city's real answers: the
    /// scenario and today's result beside its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioInfo>,
}

/// A what-if scenario's result beside today's (`scenarios/<name>.yaml`, issue #16).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: Option<String>,
    /// `scenarios/<name>.yaml`.
    pub file: String,
    /// Answers, indicator values and program statuses the scenario overrides.
    pub answers: usize,
    pub values: usize,
    pub programs: usize,
    /// Per aspect: today's score, the scenario's and the change (exact).
    pub aspects: Vec<ScenarioAspect>,
    pub final_today: Score,
    pub final_scenario: Score,
    pub final_change: Score,
    pub predicate_today: Option<String>,
    pub predicate_scenario: Option<String>,
    pub predicate_changed: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScenarioAspect {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub today: Score,
    pub scenario: Score,
    pub change: Score,
}

/// One evaluation's final score in the history.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HistoryPoint {
    pub year: i32,
    pub final_score: Score,
    /// On the point before (exact difference of the finals); `None` for the first.
    pub change: Option<Score>,
    pub instrument: Option<String>,
    pub stage: Option<String>,
    pub predicate: Option<String>,
    pub rank: Option<String>,
    /// Where it was published; `None` for this year's projection.
    pub source: Option<String>,
    /// This year's projected final (the self-assessment), not a published one.
    pub projected: bool,
    /// Scored with another instrument than the point before: the two are not strictly comparable.
    pub instrument_changed: bool,
    /// The aspect scores where known (published, city.yaml's `previous`, this year's), for the
    /// report's chart; in the instrument's order.
    pub aspects: Vec<HistoryAspect>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HistoryAspect {
    pub id: String,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct InstrumentInfo {
    pub id: String,
    pub name: String,
    /// The evaluation year the instrument was published for.
    pub year: Option<i32>,
    /// It was published for another year than the evaluation's (no instrument of this year is
    /// known): using it is an assumption the documents state.
    pub assumed: bool,
    pub cohort: Option<String>,
    pub scale_min: f64,
    pub scale_max: f64,
    /// `zero` or `exclude`: what an unanswered question counts as.
    pub missing: String,
    pub notes: Vec<String>,
    pub source: Option<String>,
}

/// A score with its printed forms.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Score {
    /// Full precision.
    pub value: f64,
    /// Half-up to two decimals (the printed value, as a number).
    pub rounded: f64,
    /// Printed, Indonesian: `2,51`.
    pub display: String,
    /// Printed, English: `2.51`.
    pub display_en: String,
}

impl Score {
    pub fn from_exact(x: crate::score::exact::Exact) -> Score {
        Score { value: x.to_f64(), rounded: x.rounded2(), display: x.display_id(), display_en: x.display_en() }
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Scorecard {
    pub aspects: Vec<AspectScore>,
    /// Σ weight × aspect score / 100.
    pub final_score: Score,
    pub predicate: Option<Predicate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<PreviousResult>,
    pub questions: Vec<QuestionScore>,
    /// Ids of the five lowest-scoring questions (unanswered first), lowest first.
    pub weakest: Vec<String>,
    /// What an assessor will ask about: unanswered, underivable, missing evidence, no data.
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Predicate {
    pub label: String,
    pub label_en: Option<String>,
    /// The band's lower bound.
    pub min: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AspectScore {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    /// Percent.
    pub weight: f64,
    /// Plain mean of the aspect's question scores.
    pub score: Score,
    /// weight × score / 100: this aspect's part of the final score.
    pub weighted: Score,
    pub questions: usize,
    pub answered: usize,
    /// Questions that count (all of them under `missing: zero`, answered ones under `exclude`).
    pub counted: usize,
    /// Sum of the counted scores.
    pub sum: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PreviousResult {
    pub year: i32,
    /// Weighted sum of the published aspect scores with that year's instrument.
    pub final_score: Score,
    /// As published (may differ from the weighted sum: Kominfo's 2022 finals carry an adjustment).
    pub published_final: Option<f64>,
    pub instrument: String,
    /// This year's unrounded final minus last year's weighted sum.
    pub improvement: Score,
    pub aspects: Vec<PreviousAspect>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PreviousAspect {
    pub id: String,
    pub score: f64,
    pub weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreStatus {
    /// Scored by hand in the assessment file.
    Manual,
    /// Derived from data by the question's rule.
    Derived,
    /// `derive: true`, but the rule found no data; counts per the `missing` policy.
    Underivable,
    /// No answer; counts per the `missing` policy.
    Unanswered,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuestionScore {
    pub id: String,
    /// As printed (repeats across indicators).
    pub number: String,
    pub aspect: String,
    pub indicator: String,
    pub indicator_name: String,
    pub subindicator: Option<String>,
    pub text: String,
    pub dimension: Option<String>,
    pub status: ScoreStatus,
    /// The score (absent when unanswered or underivable).
    pub score: Option<Score>,
    /// What enters the aspect mean (0 for a gap under `missing: zero`; absent under `exclude`).
    pub counted: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derivation: Option<Derivation>,
    pub evidence: Vec<String>,
    pub note: Option<String>,
    /// The score is illustrative (`source: ilustrasi` on the answer, or derived from illustrative data).
    pub illustrative: bool,
    /// Where the answer is written: `file:line`.
    pub origin: Option<String>,
}

/// How a derived score came about: the rule, the value it looked at, and where that came from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Derivation {
    /// `indicator`, `dimension-progress`, `program-count` or `survey`.
    pub rule: String,
    /// The measured value the thresholds were applied to (or the survey mean).
    pub value: Option<f64>,
    pub thresholds: Vec<f64>,
    /// The data year used (the evaluation year, or the latest before it).
    pub year: Option<i32>,
    /// One line, human-readable: what was counted or averaged, from where.
    pub explanation: String,
    /// The same in Indonesian.
    pub explanation_id: String,
    /// Ids that fed the value (indicator, programs, survey questions).
    pub inputs: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Gap {
    /// `unanswered`, `underivable`, `no-evidence`, `low-score`, `no-data`, `no-target`, `illustrative`.
    pub kind: String,
    /// The question or indicator concerned.
    pub id: String,
    pub message: String,
    /// The same in Indonesian.
    pub message_id: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IndicatorSeries {
    pub id: String,
    pub program: String,
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub aggregate: Aggregate,
    pub baseline: Option<BaselineValue>,
    /// `source: ilustrasi` on the indicator (targets and baseline are illustrative).
    pub illustrative: bool,
    pub years: Vec<IndicatorYear>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BaselineValue {
    pub year: i32,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IndicatorYear {
    pub year: i32,
    /// The year's value for the whole city (`None`: not measured).
    pub value: Option<f64>,
    pub target: Option<f64>,
    /// Percent of target reached, direction-aware, uncapped.
    pub achievement: Option<f64>,
    pub change_previous: Option<f64>,
    pub change_baseline: Option<f64>,
    /// Months of the year with at least one value.
    pub months_with_data: u32,
    /// months_with_data / 12.
    pub coverage: f64,
    /// Observations (non-empty values) that made the value.
    pub observations: u32,
    /// Some of those observations have `source: ilustrasi`.
    pub illustrative: bool,
    /// Per-area values, when the data has areas.
    pub areas: Vec<AreaValue>,
    /// Files (and, for last/max/min, the row) the value came from.
    pub provenance: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AreaValue {
    pub area: String,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProgramProgress {
    pub id: String,
    pub name: String,
    pub dimension: String,
    pub subdimension: String,
    pub opd: String,
    pub status: Status,
    pub quick_win: bool,
    pub collaboration: bool,
    pub period_start: i32,
    pub period_end: i32,
    pub launched: Option<String>,
    pub illustrative: bool,
    /// As written in the program file: what assessors ask about besides the numbers.
    pub description: Option<String>,
    pub partners: Vec<String>,
    /// Bukti dukung: documents showing the program exists.
    pub evidence: Vec<String>,
    pub horizon: Option<crate::model::program::Horizon>,
    pub indicators: Vec<String>,
    pub years: Vec<ProgramYear>,
    /// Where the program is defined: `file:line`.
    pub origin: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProgramYear {
    pub year: i32,
    /// Mean achievement (%) of its indicators with a target that year, each capped at
    /// `ACHIEVEMENT_CAP`.
    pub progress: Option<f64>,
    pub indicators_measured: usize,
    pub budget: Budget,
}

/// Unknown is never zero: a year without budget rows has no `planned`, and a funding source
/// whose realisation is not yet reported (an empty `realized` cell) counts in neither
/// `realized` nor `rate`, only in `unknown_sources`.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Budget {
    /// Sum of the planned amounts; `null` when no budget row covers this program and year.
    pub planned: Option<f64>,
    /// Sum of the realised amounts of the sources whose realisation is known; `null` when none is.
    pub realized: Option<f64>,
    /// `realized` / the planned amounts of those same sources (0–1+); `null` without them.
    pub rate: Option<f64>,
    /// Funding sources (per program) with a plan but no realisation reported yet.
    pub unknown_sources: u32,
    pub by_source: Vec<BudgetSource>,
    /// Planned amounts of the sources whose realisation is known (the rate's denominator).
    #[serde(skip)]
    #[schemars(skip)]
    pub planned_known: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BudgetSource {
    pub source: String,
    pub planned: f64,
    /// Sum over the programs whose realisation from this source is reported; `null` when none is.
    pub realized: Option<f64>,
    /// `realized` / `planned`, only when every program's realisation is reported (`unknown` = 0).
    pub rate: Option<f64>,
    /// Programs whose realisation from this source is not yet reported.
    pub unknown: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DimensionProgress {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub years: Vec<DimensionYear>,
    pub subdimensions: Vec<SubdimensionProgress>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SubdimensionProgress {
    pub id: String,
    pub name: String,
    pub years: Vec<DimensionYear>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DimensionYear {
    pub year: i32,
    /// Mean progress (%) of the programs running that year that have a measured progress.
    pub progress: Option<f64>,
    /// Programs running that year (period covers it, status berjalan or selesai).
    pub running: usize,
    /// Running programs with no measured progress (left out of the mean).
    pub unmeasured: Vec<String>,
    pub quick_wins: usize,
    /// The dimension's programs whose period covers the year, by status (berjalan + selesai =
    /// `running`).
    pub by_status: Vec<StatusCount>,
    pub budget: Budget,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusCount {
    pub status: Status,
    pub count: usize,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct SurveySummary {
    pub questions: Vec<SurveyQuestion>,
    pub dimensions: Vec<SurveyGroup>,
    pub subdimensions: Vec<SurveyGroup>,
    pub respondents: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SurveyQuestion {
    pub question: String,
    pub mean: f64,
    pub count: u32,
    /// Sample standard deviation (`None` for one response).
    pub std_dev: Option<f64>,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SurveyGroup {
    /// Dimension id, or `dimension/subdimension`.
    pub id: String,
    /// Mean of the group's question means (each question weighs the same).
    pub mean: f64,
    pub questions: usize,
    pub responses: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CohortComparison {
    pub year: i32,
    pub rows: Vec<CohortRow>,
    /// Participants (rows not all zero) of the evaluation year, the city itself excluded.
    pub participants: usize,
    /// 1 = best; the city's projected final placed among the participants.
    pub rank: usize,
    /// Share of participants with a lower final (0–100).
    pub percentile: f64,
    pub median_final: Option<f64>,
    pub median_aspects: Vec<PreviousAspect>,
    /// Rows whose recomputed final differs from the published one by more than the tolerance.
    pub flagged: usize,
    pub tolerance: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CohortRow {
    pub name: String,
    pub year: i32,
    pub instrument: String,
    pub published_final: f64,
    pub recomputed_final: f64,
    pub difference: f64,
    pub flagged: bool,
    pub participant: bool,
    /// `file:line`.
    pub origin: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SourceFile {
    pub path: String,
    pub kind: String,
    pub rows: usize,
}

impl SourceFile {
    /// A YAML file (city, programs, instrument, …), not a data table: its `rows` is 0.
    pub fn is_yaml(&self) -> bool {
        self.path.ends_with(".yaml") || self.path.ends_with(".yml")
    }
}
