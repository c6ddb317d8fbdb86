//! `validate`: load and check the workspace, print every diagnostic.

use std::path::Path;
use std::process::ExitCode;

use super::{Outcome, print};
use crate::cli::{Format, ValidateArgs};
use crate::diagnostic::{render_human, render_json};

pub fn run(root: &Path, args: &ValidateArgs, color: bool) -> Outcome {
    let diagnostics = crate::validate::validate_path(root).map_err(Box::new)?;
    match args.format {
        Format::Human => print(&render_human(&diagnostics, color)),
        Format::Json => print(&format!("{}\n", render_json(&diagnostics))),
    }
    Ok(if diagnostics.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
