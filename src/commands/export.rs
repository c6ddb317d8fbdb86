//! `export`: Bappeda's yearly summaries.

use std::path::Path;
use std::process::ExitCode;

use super::{Outcome, load_validated, print};
use crate::cli::ExportArgs;
use crate::diagnostic::render_human;
use crate::export::{export, tables::default_years};

pub fn run(root: &Path, args: &ExportArgs, wait: bool, color: bool) -> Outcome {
    let _lock = crate::outdir::lock(root, wait).map_err(Box::new)?;
    let (loaded, _warnings) = match load_validated(root) {
        Ok(pair) => pair,
        Err(diagnostics) => {
            super::eprint(&render_human(&diagnostics, color));
            return Ok(ExitCode::from(1));
        }
    };
    let main = crate::evaluate::evaluate(&loaded, None).map_err(Box::new)?;
    let years: Vec<i32> = match args.years {
        Some((a, b)) => (a..=b).collect(),
        None => default_years(&main),
    };
    // Scores for every covered year that has a self-assessment; data for all covered years.
    let mut evaluations = Vec::new();
    for &year in &years {
        if year != main.year && loaded.assessment(year).is_some() {
            evaluations.push(crate::evaluate::evaluate(&loaded, Some(year)).map_err(Box::new)?);
        }
    }
    let main_year = main.year;
    if years.contains(&main_year) || evaluations.is_empty() {
        evaluations.push(main);
    }
    evaluations.sort_by_key(|e| e.year);
    for path in export(root, &evaluations, &years, args.format, args.csv_dialect).map_err(Box::new)? {
        print(&format!("wrote {}\n", crate::diagnostic::slash_path(path.strip_prefix(root).unwrap_or(&path))));
    }
    Ok(ExitCode::SUCCESS)
}
