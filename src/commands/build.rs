//! `build`: validate → score → report → slides → xlsx export, printing what it wrote. Stops at the first
//! failure; what was already in out/ stays as it was (every file is written atomically).

use std::path::Path;
use std::process::ExitCode;

use super::{Outcome, evaluate_workspace, print};
use crate::cli::{BuildArgs, Lang};
use crate::diagnostic::render_human;
use crate::render::{self, DocKind, RenderOptions};

pub fn run(root: &Path, args: &BuildArgs, color: bool) -> Outcome {
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
    let options = RenderOptions {
        lang: if args.lang == Lang::En { render::Lang::En } else { render::Lang::Id },
        keep_typ: false,
        archival: false,
    };
    print(&format!(
        "{} {}: final score {} ({})\n",
        evaluation.city.city.value,
        evaluation.year,
        evaluation.scorecard.final_score.display,
        evaluation.scorecard.predicate.as_ref().map_or("–", |p| p.label.as_str())
    ));
    for kind in [DocKind::Report, DocKind::Slides] {
        let (path, typst_warnings) = render::render(root, &evaluation, kind, &options).map_err(Box::new)?;
        if !typst_warnings.is_empty() {
            eprint!("{}", render_human(&typst_warnings, color));
        }
        print(&format!("wrote {}\n", path.strip_prefix(root).unwrap_or(&path).display()));
    }
    let years = crate::export::tables::default_years(&evaluation);
    for path in
        crate::export::export(root, &[evaluation], &years, crate::export::ExportFormat::Xlsx).map_err(Box::new)?
    {
        print(&format!("wrote {}\n", path.strip_prefix(root).unwrap_or(&path).display()));
    }
    Ok(ExitCode::SUCCESS)
}
