//! `build`: validate → score → report → slides → xlsx export, rebuilding only what is stale
//! (out/manifest.json records the inputs each output was made from). `--check` writes nothing
//! and exits 1 when an output is missing or stale — the command for CI and pre-commit hooks.
//! `--workspaces` builds many workspaces at once (`batch`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Outcome, evaluate_with_evidence, print};
use crate::cli::{BuildArgs, Lang};
use crate::diagnostic::{Diagnostic, Diagnostics, render_human};
use crate::evaluation::Evaluation;
use crate::manifest::{self, Output};
use crate::names;
use crate::render::{self, DocKind, RenderOptions};

/// What building one workspace did; the caller prints it (at once for one workspace, in a
/// summary for a batch).
#[derive(Default)]
pub struct Built {
    /// Lines for stdout, in order ("wrote out/…", "up to date: out/…").
    pub lines: Vec<String>,
    /// Warnings, or the errors that stopped the build.
    pub diagnostics: Diagnostics,
    /// Warnings of the Typst compiler (shown in full: `validate` does not know them).
    pub typst_warnings: Diagnostics,
    /// The evaluation, when the workspace was scored (not when nothing had to be rebuilt).
    pub evaluation: Option<Evaluation>,
    /// Outputs written, and outputs that were already up to date.
    pub written: usize,
    pub up_to_date: usize,
    /// `--check` found stale or missing outputs.
    pub stale: bool,
}

impl Built {
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors() || self.stale
    }

    fn fail(mut self, diagnostic: Diagnostic) -> Built {
        self.diagnostics.push(diagnostic);
        self
    }
}

/// The outputs' names, from city.yaml's slug and evaluation year (the rest of the workspace is
/// not loaded yet). `None` when city.yaml did not parse (the full load reports why).
fn outputs_named(city: Option<&crate::model::City>, lang: Lang) -> Option<Vec<(Output, String)>> {
    let city = city?;
    let slug = city.slug.as_ref().map_or_else(|| crate::slug::slugify(&city.city), |s| s.value.clone());
    let year = city.evaluation.year.value;
    Some(vec![
        (Output::Report, names::document(&slug, year, DocKind::Report, lang, false)),
        (Output::Slides, names::document(&slug, year, DocKind::Slides, lang, false)),
        (Output::Xlsx, names::build_summary(&slug, year)),
    ])
}

pub fn run(root: &Path, args: &BuildArgs, wait: bool, color: bool) -> Outcome {
    let built = build(root, args, wait, &mut |line| print(&format!("{line}\n")));
    if !built.typst_warnings.is_empty() {
        super::eprint(&render_human(&built.typst_warnings, color));
    }
    if built.diagnostics.has_errors() {
        super::eprint(&render_human(&built.diagnostics, color));
    } else if built.diagnostics.warning_count() > 0 {
        super::eprint(&format!(
            "{} warning(s); run `smartcity-eval validate` to see them\n",
            built.diagnostics.warning_count()
        ));
    }
    Ok(if built.failed() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Builds (or, with `--check`, checks) one workspace. `say` receives each line for stdout as
/// it happens; the same lines are kept in the result.
pub fn build(root: &Path, args: &BuildArgs, wait: bool, say: &mut dyn FnMut(&str)) -> Built {
    let mut built = Built::default();
    // One writer at a time: everything below reads and writes out/ under the lock. `--check`
    // writes nothing and takes none.
    let _lock = if args.check {
        None
    } else {
        match crate::outdir::lock(root, wait) {
            Ok(lock) => Some(lock),
            Err(d) => return built.fail(d),
        }
    };
    // What a killed build left half-written goes now, with the lock held (no other writer), even
    // when there is nothing to rebuild.
    if _lock.is_some() {
        crate::outdir::remove_stale_temps(&root.join("out"));
    }
    let mut say = |built: &mut Built, line: String| {
        say(&line);
        built.lines.push(line);
    };
    let out = root.join("out");
    // What the documents depend on besides the files: the language and a SOURCE_DATE_EPOCH
    // (their date). The xlsx depends on neither (its bytes are the same in both languages).
    let epoch = match render::source_date_epoch() {
        Ok(epoch) => epoch,
        Err(d) => return built.fail(d),
    };
    let options = match epoch {
        None => format!("lang={:?}", args.lang),
        Some(epoch) => format!("lang={:?};SOURCE_DATE_EPOCH={epoch}", args.lang),
    };
    let options_of = |output: Output| if output == Output::Xlsx { "" } else { options.as_str() };
    let manifest_now = manifest::read(&out);
    // The inputs are hashed once, before anything is read for the build: an input edited
    // while the build runs then leaves its outputs stale rather than falsely fresh.
    let inputs = manifest::Inputs::scan(root);
    // city.yaml is read and parsed here, once: it names the outputs, and the full load below
    // (only when something must be rebuilt) takes it over.
    let opened = match super::open(root) {
        Ok(opened) => opened,
        Err(diagnostics) => {
            built.diagnostics = diagnostics;
            return built;
        }
    };
    let targets: Vec<(Output, String, String)> = outputs_named(opened.city(), args.lang)
        .unwrap_or_default()
        .into_iter()
        .map(|(output, file)| {
            let hash = inputs.hash(output, options_of(output));
            (output, file, hash)
        })
        .collect();
    let stale: Vec<&(Output, String, String)> =
        targets.iter().filter(|(_, file, inputs)| !manifest::is_fresh(&manifest_now, &out, file, inputs)).collect();

    if args.check {
        if targets.is_empty() {
            return built.fail(
                Diagnostic::error("no-city", "cannot read indicators/city.yaml")
                    .help("run `smartcity-eval validate` to see why"),
            );
        }
        built.up_to_date = targets.len() - stale.len();
        if stale.is_empty() {
            say(&mut built, format!("up to date: {} outputs match their inputs", targets.len()));
            return built;
        }
        for (_, file, _) in &stale {
            let why = if !out.join(file).is_file() {
                "missing"
            } else if !manifest_now.outputs.contains_key(file) {
                // No manifest (deleted, or never committed): nothing says what the file was made from.
                "not recorded in out/manifest.json"
            } else {
                "stale (inputs or file changed)"
            };
            say(&mut built, format!("{why}: out/{file}"));
        }
        // A stale output is rebuilt by `build` only if the workspace validates: say now when it
        // would not, so that CI's log does not send the steward to a build that fails.
        match crate::validate::validate_path(root) {
            Ok(found) if found.has_errors() => say(
                &mut built,
                format!(
                    "`smartcity-eval build` cannot regenerate them yet: the workspace has {} error(s); run `smartcity-eval validate` to see them",
                    found.error_count()
                ),
            ),
            _ => say(&mut built, "run `smartcity-eval build` to regenerate them".into()),
        }
        built.stale = true;
        return built;
    }
    if !args.force && !targets.is_empty() && stale.is_empty() {
        built.up_to_date = targets.len();
        say(&mut built, format!("nothing to do: {} outputs are up to date (use --force to rebuild)", targets.len()));
        return built;
    }

    let (evaluation, evidence) = match evaluate_with_evidence(opened, None) {
        Ok((evaluation, evidence, warnings)) => {
            built.diagnostics = warnings;
            (evaluation, evidence)
        }
        Err(diagnostics) => {
            built.diagnostics = diagnostics;
            return built;
        }
    };
    // In the build's language, as `score --lang` prints it: `2,77 (Baik)` or `2.77 (Good)`.
    let card = &evaluation.scorecard;
    let (score, predicate) = match args.lang {
        Lang::Id => (&card.final_score.display, card.predicate.as_ref().map(|p| p.label.as_str())),
        Lang::En => (
            &card.final_score.display_en,
            card.predicate.as_ref().map(|p| p.label_en.as_deref().unwrap_or(p.label.as_str())),
        ),
    };
    say(
        &mut built,
        format!(
            "{} {}: final score {score} ({})",
            evaluation.city.city.value,
            evaluation.year,
            predicate.unwrap_or("–")
        ),
    );
    let render_options = RenderOptions { lang: args.lang, keep_typ: false, archival: false };
    let rebuild = |output: Output| args.force || targets.is_empty() || stale.iter().any(|(o, _, _)| *o == output);
    // Outputs about to be replaced lose their manifest entries first, so that at no moment (a
    // build killed mid-render) does the manifest claim a file it does not describe. A build that
    // fails puts the previous manifest back.
    let mut manifest = manifest_now.clone();
    for (_, file, _) in targets.iter().filter(|(o, _, _)| rebuild(*o)) {
        manifest.outputs.remove(file);
    }
    if manifest != manifest_now
        && let Err(e) = manifest::write(&out, &manifest)
    {
        return built.fail(manifest_failed(&e));
    }
    let written = match render_all(root, &evaluation, &evidence, &render_options, rebuild, &mut built) {
        Ok(written) => written,
        Err(diagnostic) => {
            if manifest != manifest_now
                && let Err(e) = manifest::write(&out, &manifest_now)
            {
                built.diagnostics.push(manifest_failed(&e));
            }
            return built.fail(diagnostic);
        }
    };
    for (output, path) in &written {
        say(&mut built, format!("wrote {}", crate::diagnostic::slash_path(path.strip_prefix(root).unwrap_or(path))));
        manifest::record(&mut manifest, &out, path, inputs.hash(*output, options_of(*output)));
    }
    built.written = written.len();
    for (_, file, _) in targets.iter().filter(|(o, _, _)| !rebuild(*o)) {
        say(&mut built, format!("up to date: out/{file}"));
        built.up_to_date += 1;
    }
    // Entries of files no longer in out/ (removed by hand, or written under an older name)
    // describe nothing: they go.
    manifest.outputs.retain(|file, _| out.join(file).is_file());
    // The manifest is written last: a build that failed above leaves it describing the old files.
    if let Err(e) = manifest::write(&out, &manifest) {
        return built.fail(manifest_failed(&e));
    }
    built.evaluation = Some(evaluation);
    built
}

fn manifest_failed(e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("write-failed", format!("cannot write out/manifest.json: {e}"))
}

/// Renders the documents and the xlsx that `rebuild` selects; returns what was written.
fn render_all(
    root: &Path,
    evaluation: &Evaluation,
    evidence: &crate::checklist::Checklist,
    render_options: &RenderOptions,
    rebuild: impl Fn(Output) -> bool,
    built: &mut Built,
) -> Result<Vec<(Output, PathBuf)>, Diagnostic> {
    let mut written: Vec<(Output, PathBuf)> = Vec::new();
    let documents: Vec<(Output, DocKind)> = [(Output::Report, DocKind::Report), (Output::Slides, DocKind::Slides)]
        .into_iter()
        .filter(|(output, _)| rebuild(*output))
        .collect();
    if !documents.is_empty() {
        // Both documents share one prepared view and one set of virtual files.
        let prepared = render::Prepared::new(root, evaluation, evidence, render_options)?;
        for (output, kind) in documents {
            let (path, typst_warnings) = super::document::write_rendered(prepared.render(kind)?)?;
            built.typst_warnings.extend(typst_warnings.into_vec());
            written.push((output, path));
        }
    }
    if rebuild(Output::Xlsx) {
        written.push((Output::Xlsx, crate::export::build_workbook(root, evaluation)?));
    }
    Ok(written)
}
