//! The `pertanyaan` sheet: one row per question of the instrument and scored year, so Bappeda
//! can filter the questions of an aspect, a dimension or a gap. A printed number repeats within
//! an aspect (5.1.1 ten times in Quick Win): the id, the indicator and the text tell them apart.

use super::tables::{Cell, Kind, Table};
use crate::evaluation::{Evaluation, Gap, QuestionScore, ScoreStatus};

/// Status words, Indonesian and hyphenated like the other sheets' (`tidak-tercapai`).
fn status_word(status: ScoreStatus) -> &'static str {
    match status {
        ScoreStatus::Manual => "manual",
        ScoreStatus::Derived => "dari-data",
        ScoreStatus::Underivable => "tidak-dapat-diturunkan",
        ScoreStatus::Unanswered => "belum-dijawab",
    }
}

/// Text, or an empty cell for nothing (a filter on "(Kosong)" then finds them).
fn text(s: String) -> Cell {
    if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
}

/// The gaps of one question in a few words each (the report's gap list says them at length).
fn gap_words(q: &QuestionScore, gaps: &[Gap]) -> String {
    let words: Vec<String> = gaps
        .iter()
        .filter(|g| g.id == q.id)
        .filter_map(|g| match g.kind.as_str() {
            "unanswered" => Some("belum dijawab".to_string()),
            "underivable" => Some("tidak dapat diturunkan dari data".to_string()),
            "no-evidence" => Some("tanpa bukti dukung".to_string()),
            "low-score" => Some(format!("nilai ≤ {}", crate::score::card::LOW_SCORE)),
            "illustrative" => Some("bertumpu pada data atau nilai ilustrasi".to_string()),
            _ => None,
        })
        .collect();
    words.join("; ")
}

pub fn table(evaluations: &[Evaluation]) -> Table {
    use Kind::*;
    let columns = vec![
        ("tahun", Year),
        ("pertanyaan", Text),
        ("nomor", Text),
        ("aspek", Text),
        ("dimensi", Text),
        ("indikator", Text),
        ("nama_indikator", Text),
        ("teks", Text),
        ("nilai", Number),
        ("nilai_dihitung", Number),
        ("status", Text),
        ("bukti_dukung", Text),
        ("celah", Text),
        ("ilustrasi", Bool),
    ];
    let mut rows = Vec::new();
    for ev in evaluations {
        let card = &ev.scorecard;
        for q in &card.questions {
            let indicator_name = match &q.subindicator {
                Some(sub) => format!("{} — {sub}", q.indicator_name),
                None => q.indicator_name.clone(),
            };
            rows.push(vec![
                ev.year.into(),
                q.id.as_str().into(),
                q.number.as_str().into(),
                q.aspect.as_str().into(),
                q.dimension.clone().into(),
                q.indicator.as_str().into(),
                indicator_name.into(),
                q.text.as_str().into(),
                // Empty when unanswered or underivable: never a 0 that was not given.
                q.score.as_ref().map(|s| s.value).into(),
                q.counted.into(),
                status_word(q.status).into(),
                text(q.evidence.join("; ")),
                text(gap_words(q, &card.gaps)),
                q.illustrative.into(),
            ]);
        }
    }
    Table { name: "pertanyaan", title: "Pertanyaan instrumen dan nilainya", columns, rows }
}
