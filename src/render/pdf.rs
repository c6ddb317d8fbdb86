//! Template → Typst → PDF, written atomically to `out/`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use typst::WorldExt;
use typst::diag::Severity as TypstSeverity;
use typst::foundations::{Bytes, Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::charts;
use super::format::Lang;
use super::templates::{self, SHIPPED, TemplateSource};
use super::view::view;
use super::world::SandboxWorld;
use crate::checklist::Checklist;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::evaluation::Evaluation;

pub use crate::names::DocKind;

fn template(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Report => "report.typ",
        DocKind::Slides => "slides.typ",
    }
}

#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub lang: Lang,
    /// Also write the generated Typst source next to the PDF.
    pub keep_typ: bool,
    /// PDF/A-2b for archives.
    pub archival: bool,
}

/// The output file for a document (crate::names::document). A scenario's documents go to a
/// folder of their own (`out/skenario-<name>/`), so they never replace the real ones and the
/// manifest of out/ never describes them.
pub fn output_path(root: &Path, ev: &Evaluation, kind: DocKind, options: &RenderOptions) -> PathBuf {
    let mut out = root.join("out");
    if let Some(s) = &ev.scenario {
        out = out.join(crate::names::scenario_folder(&s.name));
    }
    out.join(crate::names::document(&ev.city_slug, ev.year, kind, options.lang, options.archival))
}

/// Most programs and indicators a document lists. A masterplan has tens of programs; past these
/// a PDF is unreadable for an assessor and Typst needs minutes and gigabytes (10,000 programs
/// took over 5 minutes and 4.5 GB). `score` and `export` have no such limit.
pub const MAX_DOCUMENT_PROGRAMS: usize = 500;
pub const MAX_DOCUMENT_INDICATORS: usize = 2_500;

fn check_size(ev: &Evaluation) -> Result<(), Diagnostic> {
    let (programs, indicators) = (ev.programs.len(), ev.indicators.len());
    if programs > MAX_DOCUMENT_PROGRAMS || indicators > MAX_DOCUMENT_INDICATORS {
        return Err(Diagnostic::error(
            "document-too-large",
            format!(
                "{programs} programs and {indicators} indicators are too many for one document (at most \
                 {MAX_DOCUMENT_PROGRAMS} programs and {MAX_DOCUMENT_INDICATORS} indicators)"
            ),
        )
        .at(Location::file("indicators/programs"))
        .help("merge programs into fewer, larger ones; `smartcity-eval export` and `score` work at any size"));
    }
    Ok(())
}

/// Renders one document and writes it. Returns the PDF path and Typst's warnings (as
/// diagnostics) — a warning usually means text overflowed or a glyph is missing.
pub fn render(
    root: &Path,
    ev: &Evaluation,
    evidence: &Checklist,
    kind: DocKind,
    options: &RenderOptions,
) -> Result<Rendered, Diagnostic> {
    Prepared::new(root, ev, evidence, options)?.render(kind)
}

/// A document as rendered, for the command to write: nothing is written while rendering, so a
/// failed render leaves `out/` as it was.
pub struct Rendered {
    /// Where it belongs (`output_path`).
    pub path: PathBuf,
    pub pdf: Vec<u8>,
    /// The Typst source, when `keep_typ` asked for it (written beside the PDF as `.typ`).
    pub typst: Option<String>,
    /// Typst's warnings, as diagnostics.
    pub warnings: Diagnostics,
}

/// What every document of one evaluation shares, made once: the view the templates see and the
/// virtual files (the evaluation as JSON, the trend charts, the shipped libraries). `build`
/// renders the report and the slides from one of these rather than serializing a large
/// evaluation (a megabyte of JSON for 200 indicators) and drawing its charts twice.
pub struct Prepared<'a> {
    root: &'a Path,
    ev: &'a Evaluation,
    options: RenderOptions,
    context: tera::Context,
    files: HashMap<String, Bytes>,
}

impl<'a> Prepared<'a> {
    /// `evidence`: the checklist of `ev`'s year; the report shows its documents' status and, for
    /// filed ones, their path in the pack (laid out as `pack` lays them out).
    pub fn new(
        root: &'a Path,
        ev: &'a Evaluation,
        evidence: &Checklist,
        options: &RenderOptions,
    ) -> Result<Prepared<'a>, Diagnostic> {
        check_size(ev)?;
        let mut context = tera::Context::new();
        let index = crate::pack::layout(evidence, &mut crate::evidence::Resolver::new(root), options.lang).index;
        let mut v = serde_json::to_value(view(ev, &index, options.lang))
            .map_err(|e| Diagnostic::error("internal", format!("cannot prepare the document's data: {e}")))?;
        // Each localised field under its plain name, in the document's language (localise.rs).
        super::localise::localise(&mut v, options.lang);
        context.insert("v", &v);
        Ok(Prepared { root, ev, options: options.clone(), context, files: virtual_files(root, ev, options.lang)? })
    }

    /// Renders one document, in memory.
    pub fn render(&self, kind: DocKind) -> Result<Rendered, Diagnostic> {
        let (root, ev, options) = (self.root, self.ev, &self.options);
        let sources = templates::template_set(root, template(kind))?;
        let mut tera = templates::engine(options.lang);
        let typst_source = templates::render(&mut tera, &sources, &self.context)?;
        let typst = options.keep_typ.then(|| typst_source.clone());
        let (pdf, warnings) = compile(root, ev, typst_source, &sources, self.files.clone(), options)?;
        Ok(Rendered { path: output_path(root, ev, kind, options), pdf, typst, warnings })
    }
}

/// `SOURCE_DATE_EPOCH` (the reproducible-builds convention), when set: seconds since 1970.
/// An empty variable is unset; anything else that is not a whole number is an error rather
/// than silently ignored.
pub fn source_date_epoch() -> Result<Option<i64>, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) if !text.trim().is_empty() => text.trim().parse::<i64>().map(Some).map_err(|_| {
            Diagnostic::error(
                "bad-source-date-epoch",
                format!("SOURCE_DATE_EPOCH is `{text}`, not a number of seconds since 1970-01-01"),
            )
            .help("unset it, or set it to a Unix time such as 1686614400 (2023-06-13)")
        }),
        _ => Ok(None),
    }
}

/// A PDF from one template and a context of its own (the pack's index, `p`), not written
/// anywhere: the same sandbox, fonts, date and error mapping as the report.
pub fn render_template(
    root: &Path,
    ev: &Evaluation,
    name: &str,
    context: &tera::Context,
    lang: Lang,
) -> Result<(Vec<u8>, Diagnostics), Diagnostic> {
    let sources = templates::template_set(root, name)?;
    let mut tera = templates::engine(lang);
    let typst_source = templates::render(&mut tera, &sources, context)?;
    let mut files = HashMap::new();
    for (path, text) in SHIPPED {
        if path.starts_with("templates/lib/") && !root.join(path).is_file() {
            files.insert(format!("/{path}"), Bytes::new(text.as_bytes().to_vec()));
        }
    }
    let options = RenderOptions { lang, keep_typ: false, archival: false };
    compile(root, ev, typst_source, &sources, files, &options)
}

/// The documents' date: `SOURCE_DATE_EPOCH` when set (it wins, as reproducible builds expect),
/// else the evaluation date in city.yaml, else 1 January of the evaluation year.
pub fn evaluation_date(ev: &Evaluation) -> Result<(i32, u8, u8), Diagnostic> {
    if let Some(epoch) = source_date_epoch()? {
        return Ok(crate::period::civil_from_days(epoch.div_euclid(86_400)));
    }
    Ok(ev.city.evaluation.date.as_ref().and_then(|d| crate::period::parse_date(d).ok()).unwrap_or((ev.year, 1, 1)))
}

/// Virtual files every document can read: the evaluation as JSON, the indicators' trend charts
/// (`/charts/trend-<n>.svg`), and the shipped template libraries when the workspace has none of
/// its own.
fn virtual_files(root: &Path, ev: &Evaluation, lang: Lang) -> Result<HashMap<String, Bytes>, Diagnostic> {
    let mut files = HashMap::new();
    let json = serde_json::to_vec(ev)
        .map_err(|e| Diagnostic::error("internal", format!("cannot write the evaluation as JSON: {e}")))?;
    files.insert("/evaluation.json".to_string(), Bytes::new(json));
    for (path, svg) in charts::trend_files(ev, lang) {
        files.insert(path, Bytes::new(svg.into_bytes()));
    }
    for (path, text) in SHIPPED {
        if path.starts_with("templates/lib/") && !root.join(path).is_file() {
            files.insert(format!("/{path}"), Bytes::new(text.as_bytes().to_vec()));
        }
    }
    Ok(files)
}

fn compile(
    root: &Path,
    ev: &Evaluation,
    typst_source: String,
    sources: &[TemplateSource],
    files: HashMap<String, Bytes>,
    options: &RenderOptions,
) -> Result<(Vec<u8>, Diagnostics), Diagnostic> {
    let Some(template) = sources.first() else {
        return Err(Diagnostic::error("internal", "no template to compile"));
    };
    let (y, m, d) = evaluation_date(ev)?;
    let world = std::sync::Arc::new(SandboxWorld::new(root, typst_source, files, (y, m, d))?);
    let result = compile_within(&world, &template.name)?;
    // Typst memoizes layout results in a process-wide cache that only grows; a batch of many
    // cities (`build --workspaces`) would keep every city's pages. Results not reused by the
    // last two documents are dropped.
    comemo::evict(2);
    let mut warnings = Diagnostics::default();
    for w in result.warnings.iter().filter(|w| w.severity == TypstSeverity::Warning) {
        warnings.push(typst_diagnostic(&world, sources, w, false));
    }
    let document = result.output.map_err(|errors| {
        let first = errors.first().map(|e| typst_diagnostic(&world, sources, e, true));
        first.unwrap_or_else(|| Diagnostic::error("typst-error", "the document could not be compiled"))
    })?;
    let standards = if options.archival {
        PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| Diagnostic::error("typst-error", format!("PDF/A: {}", e.message())))?
    } else {
        PdfStandards::default()
    };
    let timestamp = Datetime::from_ymd_hms(y, m, d, 0, 0, 0).map(Timestamp::new_utc);
    let pdf_options = PdfOptions {
        ident: Smart::Custom(format!("{}-{}-{}", ev.city_slug, ev.year, template.name)),
        timestamp,
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &pdf_options).map_err(|errors| {
        let message = errors.first().map_or_else(|| "PDF export failed".to_string(), |e| e.message.to_string());
        Diagnostic::error("typst-error", message)
    })?;
    Ok((pdf, warnings))
}

/// How long one document may take to lay out: `SMARTCITY_EVAL_RENDER_SECONDS`, default 300.
/// A template that loops (`#for i in range(300000000) {}`) would otherwise hang a build, and a
/// batch would never reach its summary. (A 500-program report takes under a minute.)
fn render_limit() -> std::time::Duration {
    let seconds = std::env::var("SMARTCITY_EVAL_RENDER_SECONDS").ok().and_then(|s| s.trim().parse::<u64>().ok());
    std::time::Duration::from_secs(seconds.filter(|s| *s > 0).unwrap_or(300))
}

/// Typst's compile on its own thread, given up after [`render_limit`]. Typst cannot be
/// interrupted: a runaway compile keeps its thread until the process ends, but the command (or
/// the batch's next city) goes on with a diagnostic naming the template.
fn compile_within(
    world: &std::sync::Arc<SandboxWorld>,
    template: &str,
) -> Result<typst::diag::Warned<typst::diag::SourceResult<PagedDocument>>, Diagnostic> {
    let limit = render_limit();
    let (send, receive) = std::sync::mpsc::channel();
    let shared = std::sync::Arc::clone(world);
    std::thread::Builder::new()
        .name("typst".into())
        .spawn(move || {
            let result = crate::guard::contain(|| typst::compile::<PagedDocument>(&*shared));
            let _ = send.send(result);
        })
        .map_err(|e| Diagnostic::error("internal", format!("cannot start the layout: {e}")))?;
    // Wait in short steps, watching the time and the process's memory: a template that loops
    // or allocates without bound is reported by name instead of hanging or exhausting memory.
    let started = std::time::Instant::now();
    let memory_limit = render_memory_limit();
    loop {
        match receive.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(Some(result)) => return Ok(result),
            Ok(None) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Diagnostic::error(
                    "typst-error",
                    format!("the layout of templates/{template} failed inside Typst"),
                )
                .help("run with --keep-typ and look at the generated Typst; please report it"));
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if started.elapsed() >= limit {
            return Err(Diagnostic::error(
                "template-timeout",
                format!("templates/{template} took longer than {} s to lay out", limit.as_secs()),
            )
            .at(Location::file(format!("templates/{template}")))
            .help(
                "look for a loop that does not end in the template; a very large document may need more time: \
                 set SMARTCITY_EVAL_RENDER_SECONDS",
            ));
        }
        if let Some(resident) = resident_bytes()
            && resident > memory_limit
        {
            return Err(Diagnostic::error(
                "template-timeout",
                format!(
                    "templates/{template} needed more than {} MB of memory to lay out",
                    memory_limit / (1024 * 1024)
                ),
            )
            .at(Location::file(format!("templates/{template}")))
            .help(
                "look for a loop or a range that builds a huge value in the template; a very large document may \
                 need more: set SMARTCITY_EVAL_RENDER_MEMORY_MB",
            ));
        }
    }
}

/// The process memory a document's layout may grow to: `SMARTCITY_EVAL_RENDER_MEMORY_MB`,
/// default 4096 (a 500-program report needs about 500 MB, the 100-city batch 0,9 GB).
fn render_memory_limit() -> u64 {
    let mb = std::env::var("SMARTCITY_EVAL_RENDER_MEMORY_MB").ok().and_then(|s| s.trim().parse::<u64>().ok());
    mb.filter(|m| *m > 0).unwrap_or(4096) * 1024 * 1024
}

/// The process's resident memory (Linux: /proc/self/statm); `None` where it cannot be read,
/// and the memory bound then does not apply.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// A Typst error or warning, mapped from the generated source back to the template line (in
/// the main template or the part it came from).
fn typst_diagnostic(
    world: &SandboxWorld,
    sources: &[TemplateSource],
    d: &typst::diag::SourceDiagnostic,
    error: bool,
) -> Diagnostic {
    let main = world.main_source();
    let generated_line = world
        .range(d.span)
        .filter(|_| d.span.id() == Some(main.id()))
        .and_then(|range| main.lines().byte_to_line(range.start))
        .and_then(|line| main.text().lines().nth(line).map(str::to_string));
    let (shown, line) = match generated_line.as_deref().and_then(|g| templates::locate(sources, g)) {
        Some((source, line)) => (source.shown(), line),
        None => (sources.first().map_or_else(|| PathBuf::from("templates"), TemplateSource::shown), 0),
    };
    let mut message = d.message.to_string();
    if let Some(g) = &generated_line {
        message.push_str(&format!(" (in generated line `{}`)", g.trim().chars().take(80).collect::<String>()));
    }
    // Typst's hints are written for its own CLI: the `--root` flag they suggest does not exist
    // here, where documents read only templates/ and out/.
    let hint = d
        .hints
        .iter()
        .map(|h| h.v.to_string())
        .map(|h| {
            if h.contains("--root") {
                "a template may read only files under templates/ and out/ (and /evaluation.json, /charts/)".to_string()
            } else {
                h
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let diagnostic =
        if error { Diagnostic::error("typst-error", message) } else { Diagnostic::warning("typst-warning", message) };
    diagnostic.at(Location::at(shown, line, 0)).help(if hint.is_empty() {
        "run with --keep-typ to see the generated Typst next to the PDF".to_string()
    } else {
        hint
    })
}
