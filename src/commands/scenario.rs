//! `--scenario NAME` for `score`, `plan` and `build`: the what-if's evaluation, the table that
//! sets it beside today's, and its documents in out/skenario-<name>/ (crate::scenario).

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::{Outcome, print};
use crate::cli::Lang;
use crate::diagnostic::{Diagnostics, render_human};
use crate::evaluation::{Evaluation, ScenarioInfo, Score};
use crate::load::LoadedWorkspace;
use crate::render::format::num;

/// A validated workspace and the scenario's evaluation (today's is in its `scenario`).
pub(super) struct Evaluated {
    pub loaded: LoadedWorkspace,
    pub what_if: Evaluation,
    pub warnings: Diagnostics,
}

pub(super) fn evaluate(root: &Path, name: &str, year: Option<i32>) -> Result<Evaluated, Diagnostics> {
    let (loaded, warnings) = super::load_validated(root)?;
    let result = crate::scenario::find(&loaded, name).and_then(|s| crate::scenario::evaluate(&loaded, s, year));
    match result {
        Ok((_, what_if)) => Ok(Evaluated { loaded, what_if, warnings }),
        // The workspace's warnings would bury the one thing to fix.
        Err(d) => {
            let mut only = Diagnostics::default();
            only.push(d);
            Err(only)
        }
    }
}

/// Per aspect and for the final: today, the scenario, the change (four decimals: a change of
/// one question is often below the printed two).
pub fn comparison_table(s: &ScenarioInfo, lang: Lang) -> String {
    let id = lang == Lang::Id;
    let shown = |x: &Score| if id { x.display.clone() } else { x.display_en.clone() };
    let signed = |x: &Score| format!("{}{}", if x.value > 0.0 { "+" } else { "" }, num(x.value, 4, lang));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({}) — {}",
        if id { "SKENARIO" } else { "SCENARIO" },
        s.name,
        s.file,
        if id { "bukan jawaban kota yang sebenarnya" } else { "not the city's real answers" }
    );
    if let Some(d) = &s.description {
        let _ = writeln!(out, "{d}");
    }
    let _ = writeln!(
        out,
        "{} {} {}, {} {}, {} {}\n",
        if id { "Mengubah" } else { "Changes" },
        s.answers,
        if id { "jawaban" } else { "answers" },
        s.values,
        if id { "nilai indikator" } else { "indicator values" },
        s.programs,
        if id { "status program" } else { "program statuses" },
    );
    let _ = writeln!(
        out,
        "{:<22} {:>8} {:>9} {:>10}",
        if id { "Aspek" } else { "Aspect" },
        if id { "Kini" } else { "Today" },
        if id { "Skenario" } else { "Scenario" },
        if id { "Perubahan" } else { "Change" }
    );
    for a in &s.aspects {
        // The short name, as the scorecard's table prints it.
        let name = super::score::truncate(&a.name_en.clone().unwrap_or_else(|| a.id.clone()), 22);
        let _ = writeln!(out, "{name:<22} {:>8} {:>9} {:>10}", shown(&a.today), shown(&a.scenario), signed(&a.change));
    }
    let _ = writeln!(out, "{}", "-".repeat(52));
    let _ = writeln!(
        out,
        "{:<22} {:>8} {:>9} {:>10}",
        if id { "Nilai akhir" } else { "Final score" },
        shown(&s.final_today),
        shown(&s.final_scenario),
        signed(&s.final_change)
    );
    let p = |x: &Option<String>| x.clone().unwrap_or_else(|| "–".to_string());
    let _ = writeln!(
        out,
        "{}: {} → {}{}",
        if id { "Predikat" } else { "Predicate" },
        p(&s.predicate_today),
        p(&s.predicate_scenario),
        match (s.predicate_changed, id) {
            (true, true) => " (berubah)",
            (true, false) => " (changes)",
            (false, true) => " (tetap)",
            (false, false) => " (unchanged)",
        }
    );
    out
}

/// `build --scenario NAME`: the report and the slides of the what-if in out/skenario-<name>/.
/// No manifest: out/manifest.json and `build --check` describe the real outputs only.
pub(super) fn build(root: &Path, args: &crate::cli::BuildArgs, name: &str, wait: bool, color: bool) -> Outcome {
    let _lock = crate::outdir::lock(root, wait).map_err(Box::new)?;
    let evaluated = match evaluate(root, name, None) {
        Ok(e) => e,
        Err(diagnostics) => {
            super::eprint(&render_human(&diagnostics, color));
            return Ok(ExitCode::from(1));
        }
    };
    let ev = &evaluated.what_if;
    print(&comparison_table(ev.scenario.as_ref().ok_or_else(|| internal("no scenario"))?, args.lang));
    let options = crate::render::RenderOptions { lang: args.lang, keep_typ: false, archival: false };
    // The evidence of the scenario's answers (a scenario keeps each answer's documents).
    let evidence = crate::checklist::checklist(&evaluated.loaded, ev, None);
    let prepared = crate::render::Prepared::new(root, ev, &evidence, &options).map_err(Box::new)?;
    for kind in [crate::render::DocKind::Report, crate::render::DocKind::Slides] {
        let (path, warnings) = prepared.render(kind).and_then(super::document::write_rendered).map_err(Box::new)?;
        if !warnings.is_empty() {
            super::eprint(&render_human(&warnings, color));
        }
        print(&format!("wrote {}\n", crate::diagnostic::slash_path(path.strip_prefix(root).unwrap_or(&path))));
    }
    if evaluated.warnings.warning_count() > 0 {
        super::eprint(&format!(
            "{} warning(s); run `smartcity-eval validate` to see them\n",
            evaluated.warnings.warning_count()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn internal(what: &str) -> Box<crate::diagnostic::Diagnostic> {
    Box::new(crate::diagnostic::Diagnostic::error("internal", what.to_string()))
}
