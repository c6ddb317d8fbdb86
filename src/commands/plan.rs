//! `plan`: which questions move the final score most (score/plan.rs), as a ranked table or
//! JSON, and with `--target` the fewest points that reach a final score.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::score::truncate;
use super::{Outcome, load_validated, print};
use crate::checklist::{OpdRef, find_opd, known_opds};
use crate::cli::{Lang, PlanArgs, ScoreFormat};
use crate::diagnostic::{Diagnostic, render_human};
use crate::load::LoadedWorkspace;
use crate::render::format::num;
use crate::score::plan::{Lever, excludes_missing, levers, reach, with_data_steps};

pub fn run(root: &Path, args: &PlanArgs, color: bool) -> Outcome {
    let evaluated = match &args.scenario {
        Some(name) => super::scenario::evaluate(root, name, args.year).map(|e| (e.loaded, e.what_if)),
        None => load_validated(root).and_then(|(loaded, mut diagnostics)| {
            match crate::evaluate::evaluate(&loaded, args.year) {
                Ok(evaluation) => Ok((loaded, evaluation)),
                Err(d) => {
                    diagnostics.push(d);
                    Err(diagnostics)
                }
            }
        }),
    };
    let (loaded, evaluation) = match evaluated {
        Ok(pair) => pair,
        Err(diagnostics) => {
            super::eprint(&render_human(&diagnostics, color));
            return Ok(ExitCode::from(1));
        }
    };
    let Some(framework) = loaded.framework_for_year(evaluation.year) else {
        return Err(Box::new(Diagnostic::error(
            "dangling-reference",
            format!("no instrument for {}", evaluation.year),
        )));
    };
    let questions = &evaluation.scorecard.questions;
    if let Some(aspect) = &args.aspect
        && !framework.aspects.iter().any(|a| &a.id.value == aspect)
    {
        let ids: Vec<&str> = framework.aspects.iter().map(|a| a.id.value.as_str()).collect();
        return Err(Box::new(
            Diagnostic::error("dangling-reference", format!("unknown aspect `{aspect}`")).help(format!(
                "aspects of {}: {}",
                framework.id.value,
                ids.join(", ")
            )),
        ));
    }
    let opd = match &args.opd {
        None => None,
        Some(wanted) => {
            let known = known_opds(&loaded);
            let found =
                find_opd(&known, wanted).cloned().ok_or_else(|| super::evidence::unknown_opd(wanted, &known))?;
            Some((opd_questions(&loaded, &evaluation, &found), found))
        }
    };
    let mut all = levers(framework, questions);
    with_data_steps(&mut all, questions, &evaluation.indicators);
    let shown: Vec<Lever> = all
        .into_iter()
        .filter(|l| args.aspect.as_ref().is_none_or(|a| &l.aspect == a))
        .filter(|l| !args.unanswered || l.score.is_none())
        .filter(|l| opd.as_ref().is_none_or(|(ids, _)| ids.contains(&l.id)))
        .collect();
    let path = args.target.map(|t| (t, reach(framework, questions, t)));
    let lang = args.lang;
    let id = args.lang == Lang::Id;
    match args.format {
        ScoreFormat::Json => {
            let value = serde_json::json!({
                "city": evaluation.city.city.value,
                "year": evaluation.year,
                "instrument": framework.id.value,
                "missing": if excludes_missing(framework) { "exclude" } else { "zero" },
                "final_score": evaluation.scorecard.final_score.value,
                "opd": opd.as_ref().map(|(_, o)| o),
                "scenario": evaluation.scenario,
                "questions": shown,
                "target": path.as_ref().map(|(t, p)| serde_json::json!({
                    "target": t,
                    "met": p.target_met,
                    "reached": p.reached,
                    "points": p.points,
                    "changes": p.changes.iter().map(|(q, from, to)| serde_json::json!({"id": q, "from": from, "to": to})).collect::<Vec<_>>(),
                })),
            });
            let text = serde_json::to_string_pretty(&value)
                .map_err(|e| Box::new(Diagnostic::error("internal", format!("cannot write the plan as JSON: {e}"))))?;
            print(&format!("{text}\n"));
        }
        ScoreFormat::Table => {
            let mut out = String::new();
            if let Some(s) = &evaluation.scenario {
                let _ = writeln!(out, "{}", super::scenario::comparison_table(s, lang));
            }
            if let Some((ids, o)) = &opd {
                let _ = writeln!(
                    out,
                    "OPD: {} — {} {}",
                    o.name,
                    ids.len(),
                    if id {
                        "pertanyaan dengan data turunan atau bukti dukung dari OPD ini"
                    } else {
                        "questions with derived data or evidence from this OPD"
                    }
                );
            }
            let _ = writeln!(
                out,
                "{} — {} {} ({} {}, {} {})",
                if id { "Daya ungkit per pertanyaan" } else { "Leverage per question" },
                evaluation.city.city.value,
                evaluation.year,
                if id { "nilai akhir" } else { "final score" },
                if id {
                    &evaluation.scorecard.final_score.display
                } else {
                    &evaluation.scorecard.final_score.display_en
                },
                if id { "instrumen" } else { "instrument" },
                framework.id.value,
            );
            let _ = writeln!(
                out,
                "{:<14} {:<7} {:<10} {:>6} {:>9} {:>10}  {}",
                "id",
                "no.",
                if id { "aspek" } else { "aspect" },
                if id { "nilai" } else { "score" },
                if id { "+1 poin" } else { "+1 point" },
                if id { "ke puncak" } else { "to top" },
                if id { "indikator — pertanyaan" } else { "indicator — question" },
            );
            for l in shown.iter().take(args.limit) {
                let score = l.score.map_or_else(|| "–".to_string(), |s| num(s, 2, lang));
                let gain = |g: f64| format!("+{}", num(g, 4, lang));
                let mark = match (&l.data_step, l.derived) {
                    (Some(step), _) => format!(" ({})", if id { &step.text_id } else { &step.text }),
                    (None, true) => (if id { " (lewat data)" } else { " (through data)" }).to_string(),
                    (None, false) => String::new(),
                };
                let _ = writeln!(
                    out,
                    "{:<14} {:<7} {:<10} {:>6} {:>9} {:>10}  {} — {}{mark}",
                    l.id,
                    l.number,
                    l.aspect,
                    score,
                    gain(l.gain_per_point),
                    gain(l.gain_to_top),
                    l.indicator,
                    truncate(&l.text, 60)
                );
            }
            if shown.len() > args.limit {
                let _ = writeln!(
                    out,
                    "… {} {}",
                    shown.len() - args.limit,
                    if id {
                        "pertanyaan lagi (--limit, --format json)"
                    } else {
                        "more questions (--limit, --format json)"
                    }
                );
            }
            if let Some((target, p)) = &path {
                let list: Vec<String> = p
                    .changes
                    .iter()
                    .map(|(q, from, to)| {
                        format!(
                            "{q} {} → {}",
                            from.map_or_else(|| "–".to_string(), |f| num(f, 2, lang)),
                            num(*to, 2, lang)
                        )
                    })
                    .collect();
                let _ = writeln!(out);
                if p.target_met {
                    let _ = writeln!(
                        out,
                        "Target {}: {} {} {}, {} {}: {}; {} {}",
                        num(*target, 2, lang),
                        if id { "naikkan" } else { "raise" },
                        p.changes.len(),
                        if id { "pertanyaan" } else { "questions" },
                        num(p.points, 2, lang),
                        if id { "poin" } else { "points" },
                        list.join(", "),
                        if id { "nilai akhir menjadi" } else { "the final becomes" },
                        num(p.reached, 2, lang),
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "Target {} {}: {} {}",
                        num(*target, 2, lang),
                        if id { "tidak tercapai dari jawaban manual" } else { "cannot be reached from manual answers" },
                        if id { "maksimum" } else { "maximum" },
                        num(p.reached, 2, lang),
                    );
                }
            }
            let _ = writeln!(
                out,
                "\n{}",
                if id {
                    "Jawaban turunan berubah hanya lewat datanya; ambang aturan turunan adalah asumsi alat (`smartcity-eval docs format`, §8)."
                } else {
                    "Derived answers change only through their data; the rules' thresholds are the tool's assumption (`smartcity-eval docs format`, §8)."
                }
            );
            print(&out);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The questions an OPD moves: those whose derived answer reads one of its programs or their
/// indicators (the derivation's inputs), and those whose evidence it answers for or files
/// (`opd:` on the answer or on a document, as `evidence --opd` lists them).
fn opd_questions(
    ws: &LoadedWorkspace,
    evaluation: &crate::evaluation::Evaluation,
    opd: &OpdRef,
) -> std::collections::BTreeSet<String> {
    let own: std::collections::BTreeSet<&str> = ws
        .programs
        .iter()
        .map(|p| &p.value.value)
        .filter(|p| crate::checklist::opd_ref(ws, Some(&p.opd.value)).key == opd.key)
        .flat_map(|p| std::iter::once(p.id.value.as_str()).chain(p.indicators.iter().map(|i| i.id.value.as_str())))
        .collect();
    let mut ids: std::collections::BTreeSet<String> = evaluation
        .scorecard
        .questions
        .iter()
        .filter(|q| q.derivation.as_ref().is_some_and(|d| d.inputs.iter().any(|i| own.contains(i.as_str()))))
        .map(|q| q.id.clone())
        .collect();
    ids.extend(crate::checklist::checklist(ws, evaluation, Some(opd)).questions.into_iter().map(|q| q.id));
    ids
}
