//! What templates see: the `Evaluation` plus presentation groupings (questions by aspect,
//! programs and indicators by dimension) and labels in the document's language. Nothing here
//! computes a new number.

use serde::Serialize;

use super::format::{Lang, date};
use crate::checklist::Standing;
use crate::evaluation::{
    AspectScore, DimensionProgress, DimensionYear, Evaluation, IndicatorSeries, IndicatorYear, ProgramProgress,
    ProgramYear, QuestionScore,
};
use crate::evidence::DocStatus;
use crate::pack::{IndexDocument, IndexQuestion, PackIndex};

#[derive(Serialize)]
pub struct View<'a> {
    pub ev: &'a Evaluation,
    pub lang: &'static str,
    /// The evaluation date in words (`13 Juni 2023`), or the year.
    pub date: String,
    pub stage: &'static str,
    pub aspects: Vec<AspectView<'a>>,
    pub dimensions: Vec<DimensionView<'a>>,
    pub weakest: Vec<&'a QuestionScore>,
    /// The bukti dukung as the `evidence` checklist counts them, and the answered questions
    /// without a filed (or linked) document.
    pub evidence: EvidenceView<'a>,
    /// Gaps an assessor asks about first (not the low-score and illustrative notes).
    pub summary_gaps: Vec<&'a crate::evaluation::Gap>,
    /// Every gap but the illustrative notes, which are counted instead of listed.
    pub listed_gaps: Vec<&'a crate::evaluation::Gap>,
    pub illustrative_gaps: usize,
    /// Unanswered questions in all aspects, and per aspect that has any: (aspect name in the
    /// document's language, count).
    pub unanswered: usize,
    pub unanswered_by_aspect: Vec<(&'a str, usize)>,
    pub illustrative: bool,
    /// Slide pages: each dimension's programs in pages of `PROGRAMS_PER_SLIDE`.
    pub dimension_slides: Vec<DimensionSlide<'a>>,
    /// Dimensions without programs, shown together on one slide.
    pub empty_dimensions: Vec<&'a DimensionProgress>,
    /// Some year of the history was scored with another instrument than the year before.
    pub history_instrument_changed: bool,
    /// The city's profile slide, when city.yaml has a profile or a fact for it.
    pub profile_slide: Option<ProfileSlide>,
    /// Smart City institutions in pages of `INSTITUTIONS_PER_SLIDE`, strengths (kekuatan) in
    /// pages of `ITEMS_PER_SLIDE`: empty when city.yaml has none.
    pub institution_slides: Vec<Vec<&'a crate::model::city::Institution>>,
    pub strength_slides: Vec<Vec<&'a str>>,
    /// Weaknesses and follow-ups in pages of `ITEMS_PER_SLIDE`.
    pub constraint_slides: Vec<Vec<&'a str>>,
    pub follow_up_slides: Vec<Vec<&'a str>>,
    /// The RPJMD matrix's sasaran in pages of at most `SASARAN_PER_SLIDE`, balanced (empty
    /// without an RPJMD).
    pub rpjmd_slides: Vec<Vec<&'a crate::rpjmd::alignment::SasaranAlignment>>,
    /// Names of the programs serving no RPJMD sasaran, at most `ITEMS_PER_SLIDE` (the slide's
    /// last line), and how many more there are.
    pub rpjmd_unaligned: Vec<&'a str>,
    pub rpjmd_unaligned_more: usize,
}

/// What the profile slide shows of city.yaml's `profile`.
#[derive(Serialize)]
pub struct ProfileSlide {
    /// The profile, up to the sentence that ends before `PROFILE_CHARS` (whole when shorter).
    pub text: Option<String>,
    /// The profile was longer: the slide says the report has it whole.
    pub shortened: bool,
}

/// Characters of the profile a slide shows in 15 pt beside the city's facts.
pub const PROFILE_CHARS: usize = 700;
/// Institutions per slide, each with its legal basis and description.
pub const INSTITUTIONS_PER_SLIDE: usize = 3;

/// The profile slide: `None` when city.yaml fills in none of what it shows (it never shows
/// placeholders).
fn profile_slide(city: &crate::model::City) -> Option<ProfileSlide> {
    let profile = city.profile.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let facts = city.mayor.is_some() || city.population.is_some() || city.area_km2.is_some() || city.website.is_some();
    if profile.is_none() && !facts {
        return None;
    }
    let (text, shortened) = match profile {
        Some(p) if p.chars().count() > PROFILE_CHARS => (Some(sentences_within(p, PROFILE_CHARS)), true),
        Some(p) => (Some(p.to_string()), false),
        None => (None, false),
    };
    Some(ProfileSlide { text, shortened })
}

/// The leading sentences of `text` that fit in `limit` characters (at least the first `limit`
/// characters up to a word's end, when the first sentence is longer), with `…`.
fn sentences_within(text: &str, limit: usize) -> String {
    let head: String = text.chars().take(limit).collect();
    let cut = head.rfind(". ").map(|i| i + 1).or_else(|| head.rfind(' ')).unwrap_or(head.len());
    format!("{} …", head[..cut].trim_end())
}

/// Matrix rows per RPJMD slide: what fits at 14 pt under the header.
pub const SASARAN_PER_SLIDE: usize = 8;

/// Programs per dimension slide, and list items per slide: what fits in large type.
pub const PROGRAMS_PER_SLIDE: usize = 2;
pub const ITEMS_PER_SLIDE: usize = 5;
/// Key figures shown per program on a slide.
pub const FIGURES_PER_PROGRAM: usize = 2;

#[derive(Serialize)]
pub struct DimensionSlide<'a> {
    pub dimension: &'a DimensionProgress,
    pub now: Option<&'a DimensionYear>,
    /// 1-based page of this dimension's slides, and how many there are.
    pub page: usize,
    pub pages: usize,
    pub programs: Vec<SlideProgram<'a>>,
}

#[derive(Serialize)]
pub struct SlideProgram<'a> {
    pub program: &'a ProgramProgress,
    pub figures: Vec<KeyFigure<'a>>,
}

/// An indicator's latest value (up to the evaluation year), with its target that year.
#[derive(Serialize)]
pub struct KeyFigure<'a> {
    pub indicator: &'a IndicatorSeries,
    pub latest: Option<&'a IndicatorYear>,
    /// The measured year before `latest`, for comparison.
    pub previous: Option<&'a IndicatorYear>,
    pub target: Option<f64>,
    /// The latest value is this year's and falls short of this year's target (direction-aware).
    pub missed: bool,
}

#[derive(Serialize)]
pub struct AspectView<'a> {
    pub aspect: &'a AspectScore,
    pub questions: Vec<&'a QuestionScore>,
    /// The questions under their indicators, in the instrument's order.
    pub groups: Vec<QuestionGroup<'a>>,
    pub unanswered: usize,
    /// Ids of the unanswered questions (unique, unlike printed numbers), for the gap list.
    pub unanswered_ids: Vec<&'a str>,
}

#[derive(Serialize)]
pub struct QuestionGroup<'a> {
    pub indicator: &'a str,
    pub name: &'a str,
    pub questions: Vec<QuestionRow<'a>>,
}

/// A question of an aspect table: its score's fields, and its documents as the pack lists them.
#[derive(Serialize)]
pub struct QuestionRow<'a> {
    #[serde(flatten)]
    pub question: &'a QuestionScore,
    /// As in the checklist: `none` is a manual score without any document (bukti dukung owed).
    pub standing: Standing,
    /// Each with its status `word` and, when filed, its `path` in the pack.
    pub documents: &'a [IndexDocument],
}

/// Bukti dukung in the report: the counts of the `evidence` checklist and its gaps.
#[derive(Serialize)]
pub struct EvidenceView<'a> {
    /// Answered questions; those with a document filed or linked, named only, without any.
    pub answered: usize,
    pub filed: usize,
    pub named: usize,
    pub none: usize,
    /// Answered by a rule from data, without any document: none owed (not in `gaps`).
    pub derived: usize,
    /// Answered questions without a document filed or linked, by aspect and status (the
    /// documents themselves are in the aspect chapters).
    pub gaps: Vec<EvidenceGaps<'a>>,
    /// The checklist's word for an answer without documents.
    pub no_evidence: &'static str,
}

#[derive(Serialize)]
pub struct EvidenceGaps<'a> {
    pub aspect: &'a str,
    /// `missing` (a `file:` not found), `named` (documents named only) or `none`.
    pub status: &'static str,
    /// The status as the checklist words it.
    pub word: &'static str,
    /// `number indicator` of each question (numbers repeat across indicators).
    pub questions: Vec<String>,
}

fn evidence_view<'a>(ev: &'a Evaluation, index: &'a PackIndex, lang: Lang) -> EvidenceView<'a> {
    let questions: Vec<&IndexQuestion> = index.aspects.iter().flat_map(|a| &a.questions).collect();
    let count = |s: Standing| questions.iter().filter(|q| q.standing == s).count();
    let scores: std::collections::HashMap<&str, &QuestionScore> =
        ev.scorecard.questions.iter().map(|q| (q.id.as_str(), q)).collect();
    let mut gaps: Vec<EvidenceGaps> = Vec::new();
    for a in &index.aspects {
        let kinds = [
            ("missing", DocStatus::Missing.word(lang)),
            ("named", DocStatus::Named.word(lang)),
            ("none", crate::evidence::no_evidence_word(lang)),
        ];
        for (status, word) in kinds {
            let listed: Vec<String> = a
                .questions
                .iter()
                .filter(|q| matches!(q.standing, Standing::Named | Standing::None) && gap_status(q) == status)
                .map(|q| {
                    scores
                        .get(q.id.as_str())
                        .map_or_else(|| q.id.clone(), |s| format!("{} {}", s.number, s.indicator_name))
                })
                .collect();
            if !listed.is_empty() {
                let aspect = ev
                    .scorecard
                    .aspects
                    .iter()
                    .find(|s| s.name == a.name)
                    .map_or(a.name.as_str(), |s| aspect_name(s, lang));
                gaps.push(EvidenceGaps { aspect, status, word, questions: listed });
            }
        }
    }
    EvidenceView {
        answered: count(Standing::Filed) + count(Standing::Named) + count(Standing::None) + count(Standing::Derived),
        filed: count(Standing::Filed),
        named: count(Standing::Named),
        none: count(Standing::None),
        derived: count(Standing::Derived),
        gaps,
        no_evidence: crate::evidence::no_evidence_word(lang),
    }
}

/// An aspect's name in the document's language, as `localise` gives the templates the aspect
/// itself: its English name in English where the instrument has one.
fn aspect_name(a: &AspectScore, lang: Lang) -> &str {
    match a.name_en.as_deref() {
        Some(en) if lang == Lang::En && !en.is_empty() => en,
        _ => &a.name,
    }
}

/// An answered question without a filed or linked document: `missing` when a `file:` is not
/// found, else `named` when documents are named, else `none`.
fn gap_status(q: &IndexQuestion) -> &'static str {
    if q.documents.iter().any(|d| d.status == DocStatus::Missing) {
        "missing"
    } else if q.documents.is_empty() {
        "none"
    } else {
        "named"
    }
}

#[derive(Serialize)]
pub struct DimensionView<'a> {
    pub dimension: &'a DimensionProgress,
    /// The evaluation year's roll-up.
    pub now: Option<&'a DimensionYear>,
    pub programs: Vec<ProgramView<'a>>,
}

#[derive(Serialize)]
pub struct ProgramView<'a> {
    pub program: &'a ProgramProgress,
    /// Its documents as the pack lists them (status word, path in the pack).
    pub documents: &'a [IndexDocument],
    pub now: Option<&'a ProgramYear>,
    pub indicators: Vec<IndicatorView<'a>>,
    /// How many of the indicators have a trend chart.
    pub charted: usize,
}

#[derive(Serialize)]
pub struct IndicatorView<'a> {
    /// Position in `ev.indicators` (the JSON the charts read).
    pub index: usize,
    pub indicator: &'a IndicatorSeries,
    pub now: Option<&'a IndicatorYear>,
    /// Years with a value.
    pub measured_years: usize,
    /// Whether the indicator has a trend chart (`/charts/trend-<index>.svg`).
    pub charted: bool,
}

fn dimension_slides(ev: &Evaluation) -> Vec<DimensionSlide<'_>> {
    let mut slides = Vec::new();
    // Grouped once: a filter per program would be quadratic in programs × indicators.
    let mut by_program: std::collections::HashMap<&str, Vec<&IndicatorSeries>> = std::collections::HashMap::new();
    for i in &ev.indicators {
        by_program.entry(i.program.as_str()).or_default().push(i);
    }
    for d in &ev.dimensions {
        let programs: Vec<SlideProgram> = ev
            .programs
            .iter()
            .filter(|p| p.dimension == d.id)
            .map(|p| SlideProgram {
                program: p,
                figures: by_program
                    .get(p.id.as_str())
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(|&i| {
                        let mut measured = i.years.iter().rev().filter(|y| y.year <= ev.year && y.value.is_some());
                        let (latest, previous) = (measured.next(), measured.next());
                        let missed =
                            latest.is_some_and(|l| l.year == ev.year && l.achievement.is_some_and(|a| a < 100.0));
                        KeyFigure {
                            indicator: i,
                            latest,
                            previous,
                            target: i.years.iter().find(|y| y.year == ev.year).and_then(|y| y.target),
                            missed,
                        }
                    })
                    .take(FIGURES_PER_PROGRAM)
                    .collect(),
            })
            .collect();
        let pages = programs.len().div_ceil(PROGRAMS_PER_SLIDE).max(1);
        let now = d.years.iter().find(|y| y.year == ev.year);
        let mut chunks: Vec<Vec<SlideProgram>> = Vec::new();
        for program in programs {
            match chunks.last_mut() {
                Some(chunk) if chunk.len() < PROGRAMS_PER_SLIDE => chunk.push(program),
                _ => chunks.push(vec![program]),
            }
        }
        // A dimension without programs gets no slide of its own: `empty_dimensions` lists
        // them on one slide.
        for (i, programs) in chunks.into_iter().enumerate() {
            slides.push(DimensionSlide { dimension: d, now, page: i + 1, pages, programs });
        }
    }
    slides
}

pub fn view<'a>(ev: &'a Evaluation, evidence: &'a PackIndex, lang: Lang) -> View<'a> {
    let year = ev.year;
    let documents: std::collections::HashMap<&str, (Standing, &[IndexDocument])> = evidence
        .aspects
        .iter()
        .flat_map(|a| &a.questions)
        .map(|q| (q.id.as_str(), (q.standing, q.documents.as_slice())))
        .collect();
    let program_documents: std::collections::HashMap<&str, &[IndexDocument]> =
        evidence.programs.iter().map(|p| (p.id.as_str(), p.documents.as_slice())).collect();
    let aspects = ev
        .scorecard
        .aspects
        .iter()
        .map(|a| {
            let questions: Vec<&QuestionScore> = ev.scorecard.questions.iter().filter(|q| q.aspect == a.id).collect();
            // Printed numbers repeat across indicators (Impact: 4.1.1 once per dimension): the
            // table is grouped under each indicator's name so every row can be told apart.
            let mut groups: Vec<QuestionGroup> = Vec::new();
            for q in &questions {
                let (standing, docs) = documents.get(q.id.as_str()).copied().unwrap_or((Standing::Unanswered, &[]));
                let row = QuestionRow { question: q, standing, documents: docs };
                match groups.last_mut() {
                    Some(g) if g.indicator == q.indicator => g.questions.push(row),
                    _ => groups.push(QuestionGroup {
                        indicator: &q.indicator,
                        name: &q.indicator_name,
                        questions: vec![row],
                    }),
                }
            }
            let unanswered_ids: Vec<&str> = questions
                .iter()
                .filter(|q| q.status == crate::evaluation::ScoreStatus::Unanswered)
                .map(|q| q.id.as_str())
                .collect();
            AspectView { aspect: a, questions, groups, unanswered: unanswered_ids.len(), unanswered_ids }
        })
        .collect::<Vec<AspectView>>();
    // The summary's count and per-aspect breakdown, from the aspect views.
    let unanswered = aspects.iter().map(|av| av.unanswered).sum();
    let unanswered_by_aspect =
        aspects.iter().filter(|av| av.unanswered > 0).map(|av| (aspect_name(av.aspect, lang), av.unanswered)).collect();
    // Indicators grouped by program once (with their index in `ev.indicators`): a filter per
    // program would be quadratic in programs × indicators.
    let mut by_program: std::collections::HashMap<&str, Vec<(usize, &IndicatorSeries)>> =
        std::collections::HashMap::new();
    for (index, i) in ev.indicators.iter().enumerate() {
        by_program.entry(i.program.as_str()).or_default().push((index, i));
    }
    let dimensions = ev
        .dimensions
        .iter()
        .map(|d| DimensionView {
            dimension: d,
            now: d.years.iter().find(|y| y.year == year),
            programs: ev
                .programs
                .iter()
                .filter(|p| p.dimension == d.id)
                .map(|p| {
                    let indicators: Vec<IndicatorView> = by_program
                        .get(p.id.as_str())
                        .map_or(&[][..], Vec::as_slice)
                        .iter()
                        .map(|&(index, i)| IndicatorView {
                            index,
                            indicator: i,
                            now: i.years.iter().find(|y| y.year == year),
                            measured_years: i.years.iter().filter(|y| y.value.is_some()).count(),
                            charted: super::charts::charted(i),
                        })
                        .collect();
                    ProgramView {
                        program: p,
                        documents: program_documents.get(p.id.as_str()).copied().unwrap_or(&[]),
                        now: p.years.iter().find(|y| y.year == year),
                        charted: indicators.iter().filter(|i| i.charted).count(),
                        indicators,
                    }
                })
                .collect(),
        })
        .collect();
    let weakest =
        ev.scorecard.weakest.iter().filter_map(|id| ev.scorecard.questions.iter().find(|q| &q.id == id)).collect();
    let illustrative = ev.scorecard.questions.iter().any(|q| q.illustrative)
        || ev.indicators.iter().any(|i| i.illustrative || i.years.iter().any(|y| y.illustrative))
        || ev.programs.iter().any(|p| p.illustrative);
    let dimension_slides = dimension_slides(ev);
    let empty_dimensions = ev.dimensions.iter().filter(|d| !ev.programs.iter().any(|p| p.dimension == d.id)).collect();
    let pages = |items: &'a [String]| -> Vec<Vec<&'a str>> {
        items.chunks(ITEMS_PER_SLIDE).map(|c| c.iter().map(String::as_str).collect()).collect()
    };
    // Unanswered questions are counted per aspect in the summary and listed once, in the
    // appendix's gap table; the summary lists the other gaps. Answers without evidence are
    // the checklist's (`evidence`), which knows which documents are filed: the scorecard's
    // `no-evidence` gaps (no document named at all) are among them.
    let summary_gaps = ev
        .scorecard
        .gaps
        .iter()
        .filter(|g| !matches!(g.kind.as_str(), "illustrative" | "low-score" | "unanswered" | "no-evidence"))
        .collect();
    let listed_gaps = ev
        .scorecard
        .gaps
        .iter()
        .filter(|g| !matches!(g.kind.as_str(), "illustrative" | "unanswered" | "no-evidence"))
        .collect();
    let illustrative_gaps = ev.scorecard.gaps.iter().filter(|g| g.kind == "illustrative").count();
    let unaligned: Vec<&str> = ev
        .rpjmd
        .as_ref()
        .map(|r| r.programs.iter().filter(|p| p.sasaran.is_empty()).map(|p| p.name.as_str()).collect())
        .unwrap_or_default();
    View {
        summary_gaps,
        listed_gaps,
        illustrative_gaps,
        unanswered,
        unanswered_by_aspect,
        dimension_slides,
        empty_dimensions,
        history_instrument_changed: ev.history.iter().any(|h| h.instrument_changed),
        profile_slide: profile_slide(&ev.city),
        institution_slides: ev.city.institutions.chunks(INSTITUTIONS_PER_SLIDE).map(|c| c.iter().collect()).collect(),
        strength_slides: pages(&ev.city.strengths),
        constraint_slides: pages(&ev.city.weaknesses),
        follow_up_slides: pages(&ev.city.follow_ups),
        rpjmd_slides: ev.rpjmd.as_ref().map(|r| balanced_pages(&r.sasaran)).unwrap_or_default(),
        rpjmd_unaligned: unaligned.iter().take(ITEMS_PER_SLIDE).copied().collect(),
        rpjmd_unaligned_more: unaligned.len().saturating_sub(ITEMS_PER_SLIDE),
        ev,
        lang: if lang == Lang::Id { "id" } else { "en" },
        date: ev.city.evaluation.date.as_ref().map_or_else(|| ev.year.to_string(), |d| date(&d.value, lang)),
        stage: match ev.city.evaluation.stage {
            crate::model::city::Stage::Tahap1 => "I",
            crate::model::city::Stage::Tahap2 => "II",
        },
        aspects,
        dimensions,
        weakest,
        evidence: evidence_view(ev, evidence, lang),
        illustrative,
    }
}

/// `items` in as few pages of at most `SASARAN_PER_SLIDE` as possible, of near-equal length
/// (9 rows are 5 + 4, not 8 + 1).
fn balanced_pages<T>(items: &[T]) -> Vec<Vec<&T>> {
    let pages = items.len().div_ceil(SASARAN_PER_SLIDE).max(1);
    let per_page = items.len().div_ceil(pages).max(1);
    items.chunks(per_page).map(|c| c.iter().collect()).collect()
}

#[cfg(test)]
mod profile_tests {
    #[test]
    fn a_long_profile_is_shortened_at_a_sentence_end() {
        let text = "Kalimat pertama. Kalimat kedua yang lebih panjang. Kalimat ketiga.";
        assert_eq!(super::sentences_within(text, 40), "Kalimat pertama. …");
        assert_eq!(super::sentences_within(text, 55), "Kalimat pertama. Kalimat kedua yang lebih panjang. …");
        // One long sentence: cut at a word's end.
        assert_eq!(super::sentences_within("satu dua tiga empat", 12), "satu dua …");
    }
}

#[cfg(test)]
mod rpjmd_tests {
    #[test]
    fn rpjmd_pages_are_balanced() {
        let sizes = |n: usize| super::balanced_pages(&vec![0; n]).iter().map(Vec::len).collect::<Vec<_>>();
        assert_eq!(sizes(8), [8]);
        assert_eq!(sizes(9), [5, 4]);
        assert_eq!(sizes(17), [6, 6, 5]);
        assert!(sizes(0).is_empty());
    }
}
