//! `build`: validate → score → report → slides → xlsx export, rebuilding only what is stale
//! (out/manifest.json records the inputs each output was made from). `--check` writes nothing
//! and exits 1 when an output is missing or stale — the command for CI and pre-commit hooks.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Outcome, evaluate_workspace, print};
use crate::cli::{BuildArgs, Lang};
use crate::diagnostic::render_human;
use crate::manifest::{self, Output};
use crate::render::{self, DocKind, RenderOptions};

/// The city's slug and evaluation year from city.yaml alone, to name outputs before loading
/// everything. `None` when city.yaml cannot be read (the full load will report why).
fn outputs_named(root: &Path, lang: Lang) -> Option<Vec<(Output, String)>> {
    let text = std::fs::read_to_string(root.join("indicators/city.yaml")).ok()?;
    let city: crate::model::City = crate::load::yaml::parse(&text, Path::new("indicators/city.yaml")).ok()?;
    let slug = city.slug.as_ref().map_or_else(|| crate::slug::slugify(&city.city), |s| s.value.clone());
    let year = city.evaluation.year.value;
    let suffix = if lang == Lang::En { "-en" } else { "" };
    Some(vec![
        (Output::Report, format!("{slug}-{year}-laporan{suffix}.pdf")),
        (Output::Slides, format!("{slug}-{year}-slides{suffix}.pdf")),
        (Output::Xlsx, format!("{slug}-ringkasan.xlsx")),
    ])
}

pub fn run(root: &Path, args: &BuildArgs, color: bool) -> Outcome {
    let out = root.join("out");
    let options = format!("lang={:?}", args.lang);
    let manifest_now = manifest::read(&out);
    let targets: Vec<(Output, String, String)> = outputs_named(root, args.lang)
        .unwrap_or_default()
        .into_iter()
        .map(|(output, file)| {
            let inputs = manifest::input_hash(root, output, &options);
            (output, file, inputs)
        })
        .collect();
    let stale: Vec<&(Output, String, String)> =
        targets.iter().filter(|(_, file, inputs)| !manifest::is_fresh(&manifest_now, &out, file, inputs)).collect();

    if args.check {
        if targets.is_empty() {
            eprintln!("cannot read indicators/city.yaml; run `smartcity-eval validate`");
            return Ok(ExitCode::from(1));
        }
        if stale.is_empty() {
            print(&format!("up to date: {} outputs match their inputs\n", targets.len()));
            return Ok(ExitCode::SUCCESS);
        }
        for (_, file, _) in &stale {
            let why = if out.join(file).is_file() { "stale (inputs or file changed)" } else { "missing" };
            print(&format!("{why}: out/{file}\n"));
        }
        print("run `smartcity-eval build` to regenerate them\n");
        return Ok(ExitCode::from(1));
    }
    if !args.force && !targets.is_empty() && stale.is_empty() {
        print(&format!("nothing to do: {} outputs are up to date (use --force to rebuild)\n", targets.len()));
        return Ok(ExitCode::SUCCESS);
    }

    super::remove_stale_temps(&out);
    let (evaluation, warnings) = match evaluate_workspace(root, None) {
        Ok(pair) => pair,
        Err(diagnostics) => {
            eprint!("{}", render_human(&diagnostics, color));
            return Ok(ExitCode::from(1));
        }
    };
    if warnings.warning_count() > 0 {
        eprintln!("{} warning(s); run `smartcity-eval validate` to see them", warnings.warning_count());
    }
    print(&format!(
        "{} {}: final score {} ({})\n",
        evaluation.city.city.value,
        evaluation.year,
        evaluation.scorecard.final_score.display,
        evaluation.scorecard.predicate.as_ref().map_or("–", |p| p.label.as_str())
    ));
    let render_options = RenderOptions {
        lang: if args.lang == Lang::En { render::Lang::En } else { render::Lang::Id },
        keep_typ: false,
        archival: false,
    };
    let rebuild = |output: Output| args.force || targets.is_empty() || stale.iter().any(|(o, _, _)| *o == output);
    // Outputs about to be replaced lose their manifest entries first, so that at no moment (a
    // build killed mid-render) does the manifest claim a file it does not describe. A build that
    // fails puts the previous manifest back.
    let mut manifest = manifest_now.clone();
    for (_, file, _) in targets.iter().filter(|(o, _, _)| rebuild(*o)) {
        manifest.outputs.remove(file);
    }
    if manifest != manifest_now {
        manifest::write(&out, &manifest).map_err(|e| manifest_failed(&e))?;
    }
    let written = match render_all(root, &evaluation, &render_options, rebuild, color) {
        Ok(written) => written,
        Err(diagnostic) => {
            if manifest != manifest_now {
                manifest::write(&out, &manifest_now).map_err(|e| manifest_failed(&e))?;
            }
            return Err(diagnostic);
        }
    };
    for (output, path) in &written {
        print(&format!("wrote {}\n", path.strip_prefix(root).unwrap_or(path).display()));
        manifest::record(&mut manifest, &out, path, manifest::input_hash(root, *output, &options));
    }
    for (_, file, _) in targets.iter().filter(|(o, _, _)| !rebuild(*o)) {
        print(&format!("up to date: out/{file}\n"));
    }
    // The manifest is written last: a build that failed above leaves it describing the old files.
    manifest::write(&out, &manifest).map_err(|e| manifest_failed(&e))?;
    Ok(ExitCode::SUCCESS)
}

fn manifest_failed(e: &std::io::Error) -> Box<crate::diagnostic::Diagnostic> {
    Box::new(crate::diagnostic::Diagnostic::error("write-failed", format!("cannot write out/manifest.json: {e}")))
}

/// Renders the documents and the xlsx that `rebuild` selects; returns what was written.
fn render_all(
    root: &Path,
    evaluation: &crate::evaluation::Evaluation,
    render_options: &RenderOptions,
    rebuild: impl Fn(Output) -> bool,
    color: bool,
) -> Result<Vec<(Output, PathBuf)>, Box<crate::diagnostic::Diagnostic>> {
    let mut written: Vec<(Output, PathBuf)> = Vec::new();
    for (output, kind) in [(Output::Report, DocKind::Report), (Output::Slides, DocKind::Slides)] {
        if !rebuild(output) {
            continue;
        }
        let (path, typst_warnings) = render::render(root, evaluation, kind, render_options).map_err(Box::new)?;
        if !typst_warnings.is_empty() {
            eprint!("{}", render_human(&typst_warnings, color));
        }
        written.push((output, path));
    }
    if rebuild(Output::Xlsx) {
        let years = crate::export::tables::default_years(evaluation);
        for path in
            crate::export::export(root, std::slice::from_ref(evaluation), &years, crate::export::ExportFormat::Xlsx)
                .map_err(Box::new)?
        {
            written.push((Output::Xlsx, path));
        }
    }
    Ok(written)
}
