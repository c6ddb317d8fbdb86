//! `score`: the scorecard in the terminal, or the whole `Evaluation` as JSON.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::{Outcome, print};
use crate::cli::{Lang, ScoreArgs, ScoreFormat};
use crate::diagnostic::render_human;
use crate::evaluation::{Evaluation, ScoreStatus};

pub fn run(root: &Path, args: &ScoreArgs, color: bool) -> Outcome {
    let evaluated = match &args.scenario {
        Some(name) => super::scenario::evaluate(root, name, args.year).map(|e| (e.what_if, e.warnings)),
        None => super::evaluate_workspace(root, args.year),
    };
    let (evaluation, diagnostics) = match evaluated {
        Ok(pair) => pair,
        Err(diagnostics) => {
            super::eprint(&render_human(&diagnostics, color));
            return Ok(ExitCode::from(1));
        }
    };
    match args.format {
        ScoreFormat::Json => {
            // A value that cannot be written is an error, never an empty result with exit 0.
            let json = serde_json::to_string_pretty(&evaluation).map_err(|e| {
                Box::new(crate::diagnostic::Diagnostic::error(
                    "internal",
                    format!("cannot write the evaluation as JSON: {e}"),
                ))
            })?;
            print(&format!("{json}\n"));
        }
        ScoreFormat::Table => {
            if let Some(s) = &evaluation.scenario {
                print(&format!("{}\n", super::scenario::comparison_table(s, args.lang)));
            }
            print(&scorecard_table(&evaluation, args.lang));
            if diagnostics.warning_count() > 0 {
                super::eprint(&format!(
                    "{} warning(s); run `smartcity-eval validate` to see them\n",
                    diagnostics.warning_count()
                ));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

struct Words {
    title: &'static str,
    instrument: &'static str,
    aspect: &'static str,
    weight: &'static str,
    questions: &'static str,
    score: &'static str,
    weighted: &'static str,
    final_score: &'static str,
    predicate: &'static str,
    improvement: &'static str,
    weakest: &'static str,
    gaps: &'static str,
    unanswered: &'static str,
    underivable: &'static str,
    no_evidence: &'static str,
    no_data: &'static str,
    illustrative: &'static str,
    cohort: &'static str,
}

const ID: Words = Words {
    title: "Evaluasi Smart City",
    instrument: "Instrumen",
    aspect: "Aspek",
    weight: "Bobot",
    questions: "Dijawab",
    score: "Nilai",
    weighted: "Tertimbang",
    final_score: "Nilai akhir (proyeksi)",
    predicate: "Predikat",
    improvement: "Peningkatan dari",
    weakest: "Pertanyaan dengan nilai terendah",
    gaps: "Celah yang perlu ditutup",
    unanswered: "belum dijawab",
    underivable: "tidak dapat diturunkan dari data",
    no_evidence: "tanpa bukti dukung",
    no_data: "indikator tanpa data tahun ini",
    illustrative: "bertumpu pada data ilustrasi",
    cohort: "Peringkat dalam kelompok",
};

const EN: Words = Words {
    title: "Smart City Evaluation",
    instrument: "Instrument",
    aspect: "Aspect",
    weight: "Weight",
    questions: "Answered",
    score: "Score",
    weighted: "Weighted",
    final_score: "Final score (projected)",
    predicate: "Predicate",
    improvement: "Improvement on",
    weakest: "Lowest-scoring questions",
    gaps: "Gaps to close",
    unanswered: "unanswered",
    underivable: "could not be derived from data",
    no_evidence: "without evidence",
    no_data: "indicators without data this year",
    illustrative: "rest on illustrative data",
    cohort: "Rank in cohort",
};

pub fn scorecard_table(e: &Evaluation, lang: Lang) -> String {
    let w = if lang == Lang::En { &EN } else { &ID };
    let num = |s: &crate::evaluation::Score| if lang == Lang::En { s.display_en.clone() } else { s.display.clone() };
    let stage = match e.city.evaluation.stage {
        crate::model::city::Stage::Tahap1 => "Tahap I",
        crate::model::city::Stage::Tahap2 => "Tahap II",
    };
    let card = &e.scorecard;
    let mut out = String::new();
    let _ = writeln!(out, "{} · {} {} ({stage})", e.city.city.value, w.title, e.year);
    let _ = writeln!(out, "{}: {} — {}\n", w.instrument, e.instrument.id, e.instrument.name);
    let _ = writeln!(out, "{:<22} {:>6} {:>9} {:>7} {:>11}", w.aspect, w.weight, w.questions, w.score, w.weighted);
    for a in &card.aspects {
        let name = a.name_en.clone().unwrap_or_else(|| a.id.clone());
        let weight = format!("{}%", a.weight);
        let answered = format!("{}/{}", a.answered, a.questions);
        let _ = writeln!(out, "{name:<22} {weight:>6} {answered:>9} {:>7} {:>11}", num(&a.score), num(&a.weighted));
    }
    let _ = writeln!(out, "{}", "-".repeat(59));
    let _ = writeln!(out, "{:<47} {:>11}", w.final_score, num(&card.final_score));
    if let Some(p) = &card.predicate {
        let label =
            if lang == Lang::En { p.label_en.clone().unwrap_or_else(|| p.label.clone()) } else { p.label.clone() };
        let _ = writeln!(out, "{}: {label}", w.predicate);
    }
    if let Some(prev) = &card.previous {
        let sign = if prev.improvement.value >= 0.0 { "+" } else { "" };
        let _ = writeln!(
            out,
            "{} {}: {sign}{} ({} {})",
            w.improvement,
            prev.year,
            num(&prev.improvement),
            prev.year,
            num(&prev.final_score)
        );
    }
    if let Some(c) = &e.cohort {
        let percentile = if lang == Lang::En { "percentile" } else { "persentil" };
        let _ = writeln!(
            out,
            "{} {}: {}/{} ({percentile} {:.0})",
            w.cohort,
            c.year,
            c.rank,
            c.participants + 1,
            c.percentile
        );
        // A published final its aspects do not add up to: the rank rests on published numbers
        // that may be mistyped, so the summary names them (the report and the JSON list them too).
        for r in c.rows.iter().filter(|r| r.flagged) {
            let _ = writeln!(
                out,
                "  {}: {} {}, {} {} ({} {}{})",
                r.name,
                if lang == Lang::En { "published final" } else { "nilai akhir terbit" },
                crate::render::format::num(r.published_final, 2, lang),
                if lang == Lang::En { "recomputed from its aspects" } else { "dihitung ulang dari aspeknya" },
                crate::render::format::num(r.recomputed_final, 2, lang),
                if lang == Lang::En { "difference" } else { "selisih" },
                if r.difference > 0.0 { "+" } else { "" },
                crate::render::format::num(r.difference, 2, lang)
            );
        }
    }
    let _ = writeln!(out, "\n{}:", w.weakest);
    for id in &card.weakest {
        if let Some(q) = card.questions.iter().find(|q| &q.id == id) {
            let score = q.score.as_ref().map_or_else(|| format!("({})", w.unanswered), num);
            let _ = writeln!(out, "  {:<13} {:<7} {:>6}  {}", q.id, q.number, score, truncate(&q.text, 60));
        }
    }
    let count = |kind: &str| card.gaps.iter().filter(|g| g.kind == kind).count();
    let mut gap_lines = Vec::new();
    for (kind, label) in [
        ("unanswered", w.unanswered),
        ("underivable", w.underivable),
        ("no-evidence", w.no_evidence),
        ("no-data", w.no_data),
        ("illustrative", w.illustrative),
    ] {
        let n = count(kind);
        if n > 0 {
            let ids: Vec<&str> = card.gaps.iter().filter(|g| g.kind == kind).map(|g| g.id.as_str()).take(6).collect();
            let more = if n > ids.len() { ", …" } else { "" };
            gap_lines.push(format!("  {n} {label}: {}{more}", ids.join(", ")));
        }
    }
    if !gap_lines.is_empty() {
        let _ = writeln!(out, "\n{}:", w.gaps);
        for line in gap_lines {
            let _ = writeln!(out, "{line}");
        }
    }
    if let Some(r) = &e.rpjmd {
        let c = &r.counts;
        let (served, covered, unaligned, unserved) = if lang == Lang::En {
            ("programmes serve a sasaran", "sasaran served", "serving none", "sasaran without a programme")
        } else {
            ("program melayani sasaran", "sasaran dilayani", "tanpa sasaran", "sasaran tanpa program")
        };
        let _ = writeln!(
            out,
            "\nRPJMD {}–{}: {}/{} {served}, {}/{} {covered}",
            r.period_start, r.period_end, c.programs_aligned, c.programs, c.sasaran_served, c.sasaran
        );
        if !r.unaligned_programs.is_empty() {
            let _ = writeln!(out, "  {unaligned}: {}", r.unaligned_programs.join(", "));
        }
        if !r.unserved_sasaran.is_empty() {
            let _ = writeln!(out, "  {unserved}: {}", r.unserved_sasaran.join(", "));
        }
    }
    let derived = card.questions.iter().filter(|q| q.status == ScoreStatus::Derived).count();
    let _ = if lang == Lang::En {
        writeln!(
            out,
            "\n{derived} of {} scores derived from data; `score --format json` shows each one's inputs.",
            card.questions.len()
        )
    } else {
        writeln!(
            out,
            "\n{derived} dari {} nilai diturunkan dari data; `score --format json` menunjukkan masukan tiap nilai.",
            card.questions.len()
        )
    };
    out
}

/// `text` cut to `max` characters with `…`, for terminal tables.
pub(super) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}
