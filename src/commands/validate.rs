//! `validate`: load and check the workspace, print every diagnostic.

use std::path::Path;
use std::process::ExitCode;

use super::{Outcome, print};
use crate::cli::{Format, ValidateArgs};
use crate::diagnostic::{Diagnostics, render_human, render_json};
use crate::workspace::Workspace;

pub fn run(root: &Path, args: &ValidateArgs, color: bool) -> Outcome {
    let diagnostics = validate_workspace(root).map_err(Box::new)?;
    match args.format {
        Format::Human => print(&render_human(&diagnostics, color)),
        Format::Json => print(&format!("{}\n", render_json(&diagnostics))),
    }
    Ok(if diagnostics.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Every diagnostic for the workspace at `root` (load problems and check findings).
pub fn validate_workspace(root: &Path) -> Result<Diagnostics, crate::diagnostic::Diagnostic> {
    let mut diagnostics = Diagnostics::default();
    let workspace = Workspace::discover(root, &mut diagnostics)?;
    let loaded = crate::load::load(workspace, &mut diagnostics);
    crate::validate::check(&loaded, &mut diagnostics);
    Ok(diagnostics)
}
