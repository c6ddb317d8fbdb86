//! `report` and `slides`: validate, score, render to PDF in out/.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Outcome, evaluate_with_evidence, print};
use crate::cli::{DocumentArgs, PdfStandardArg};
use crate::diagnostic::{Diagnostic, Diagnostics, render_human};
use crate::outdir::write_output;
use crate::render::{self, DocKind, RenderOptions};

pub fn run(root: &Path, args: &DocumentArgs, kind: DocKind, wait: bool, color: bool) -> Outcome {
    let _lock = crate::outdir::lock(root, wait).map_err(Box::new)?;
    let (evaluation, evidence, _warnings) =
        match super::open(root).and_then(|opened| evaluate_with_evidence(opened, args.year)) {
            Ok(triple) => triple,
            Err(diagnostics) => {
                super::eprint(&render_human(&diagnostics, color));
                return Ok(ExitCode::from(1));
            }
        };
    let options = RenderOptions {
        lang: args.lang,
        keep_typ: args.keep_typ,
        archival: args.pdf_standard == Some(PdfStandardArg::A2b),
    };
    let (path, warnings) =
        render::render(root, &evaluation, &evidence, kind, &options).and_then(write_rendered).map_err(Box::new)?;
    if !warnings.is_empty() {
        super::eprint(&render_human(&warnings, color));
    }
    print(&format!("wrote {}\n", crate::diagnostic::slash_path(path.strip_prefix(root).unwrap_or(&path))));
    Ok(ExitCode::SUCCESS)
}

/// Writes a rendered document (and its Typst source when kept) atomically; returns the PDF's
/// path and Typst's warnings.
pub(super) fn write_rendered(rendered: render::Rendered) -> Result<(PathBuf, Diagnostics), Diagnostic> {
    if let Some(typst) = &rendered.typst {
        write_output(&rendered.path.with_extension("typ"), typst.as_bytes())?;
    }
    write_output(&rendered.path, &rendered.pdf)?;
    Ok((rendered.path, rendered.warnings))
}
