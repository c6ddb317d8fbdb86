//! `validate`: load and check the workspace, print every diagnostic.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Outcome, print};
use crate::cli::{Format, ValidateArgs};
use crate::diagnostic::{render_github, render_human, render_json};

pub fn run(root: &Path, args: &ValidateArgs, color: bool) -> Outcome {
    let diagnostics = crate::validate::validate_path(root).map_err(Box::new)?;
    match args.format {
        Format::Human => print(&render_human(&diagnostics, color)),
        Format::Json => print(&format!("{}\n", render_json(&diagnostics))),
        Format::Github => print(&render_github(&diagnostics, &repository_prefix(root))),
    }
    Ok(if diagnostics.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The workspace's folder relative to the repository that holds it (`kota/ambon`), empty when
/// the workspace is the repository: GitHub places an annotation by its path from the checkout.
/// The checkout is `GITHUB_WORKSPACE` on a runner, else the nearest folder with a `.git`.
fn repository_prefix(root: &Path) -> PathBuf {
    let Ok(workspace) = root.canonicalize() else { return PathBuf::new() };
    let checkout = std::env::var_os("GITHUB_WORKSPACE")
        .and_then(|w| PathBuf::from(w).canonicalize().ok())
        .filter(|w| workspace.starts_with(w))
        .or_else(|| workspace.ancestors().find(|a| a.join(".git").exists()).map(Path::to_path_buf));
    checkout.and_then(|c| workspace.strip_prefix(c).ok().map(Path::to_path_buf)).unwrap_or_default()
}
