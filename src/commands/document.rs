//! `report` and `slides`: validate, score, render to PDF in out/.

use std::path::Path;
use std::process::ExitCode;

use super::{Outcome, evaluate_workspace, print};
use crate::cli::{DocumentArgs, Lang, PdfStandardArg};
use crate::diagnostic::render_human;
use crate::render::{self, DocKind, RenderOptions};

pub fn run(root: &Path, args: &DocumentArgs, kind: DocKind, wait: bool, color: bool) -> Outcome {
    let _lock = crate::outdir::lock(root, wait).map_err(Box::new)?;
    let (evaluation, _warnings) = match evaluate_workspace(root, args.year) {
        Ok(pair) => pair,
        Err(diagnostics) => {
            super::eprint(&render_human(&diagnostics, color));
            return Ok(ExitCode::from(1));
        }
    };
    let options = RenderOptions {
        lang: if args.lang == Lang::En { render::Lang::En } else { render::Lang::Id },
        keep_typ: args.keep_typ,
        archival: args.pdf_standard == Some(PdfStandardArg::A2b),
    };
    let (path, warnings) = render::render(root, &evaluation, kind, &options).map_err(Box::new)?;
    if !warnings.is_empty() {
        super::eprint(&render_human(&warnings, color));
    }
    print(&format!("wrote {}\n", path.strip_prefix(root).unwrap_or(&path).display()));
    Ok(ExitCode::SUCCESS)
}
