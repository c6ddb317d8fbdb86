//! `pack`: the evidence zip for Tahap II (pack.rs).

use std::path::Path;
use std::process::ExitCode;

use super::{Outcome, print};
use crate::cli::PackArgs;

pub fn run(root: &Path, args: &PackArgs, wait: bool, color: bool) -> Outcome {
    let _lock = crate::outdir::lock(root, wait).map_err(Box::new)?;
    // What a killed earlier pack (or build) left behind; the lock keeps other writers out.
    crate::outdir::remove_stale_temps(&root.join("out"));
    let (list, evaluation) = match super::evidence::prepare(root, args.year, None, color)? {
        Ok(pair) => pair,
        Err(code) => return Ok(code),
    };
    let options = crate::pack::PackOptions { allow_missing: args.allow_missing, lang: args.lang, force: args.force };
    let crate::pack::Packed { path, index, up_to_date } =
        crate::pack::pack(root, &evaluation, &list, options).map_err(Box::new)?;
    print(&format!(
        "{} {} ({} {} filed, {} linked, {} named only, {} missing)\n",
        if up_to_date { "up to date:" } else { "wrote" },
        crate::diagnostic::slash_path(path.strip_prefix(root).unwrap_or(&path)),
        index.filed,
        if index.filed == 1 { "document" } else { "documents" },
        index.linked,
        index.named,
        index.missing
    ));
    Ok(ExitCode::SUCCESS)
}
