//! Bukti dukung entries: the shape of each document, and the files they name under
//! `evidence/` (docs/format.md §7.1). A problem with a file is reported once, at the first
//! `file:` that names it; the same file may support several answers.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::at;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::evidence::{
    Content, DEFAULT_MAX_SIZE_MB, Entry, FOLDER, MEGABYTE, Owner, PathProblem, Resolver, entries, facts, size,
};
use crate::load::LoadedWorkspace;
use crate::model::Evidence;
use crate::period::parse_date;

/// How many unreferenced files the note names before "and N more".
const LIST_MAX: usize = 10;

/// A filed document: its first reference.
struct Filed {
    real: PathBuf,
    written: String,
    location: Location,
}

pub(super) fn check(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    let root = &ws.workspace.root;
    let limit = max_size(ws, diagnostics);
    let evaluation = ws.city.as_ref().map(|c| &c.value.evaluation);
    let evaluation_date = evaluation.and_then(|e| e.date.as_ref()).and_then(|d| parse_date(&d.value).ok());
    let evaluation_year = evaluation.map(|e| e.year.value);
    let mut resolver = Resolver::new(root);
    let mut filed: Vec<Filed> = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    // What the entries refer to, for the unreferenced-files note: paths as on disk, and files.
    let mut referenced_names: HashSet<String> = HashSet::new();
    for entry in entries(ws) {
        let Evidence::Document(doc) = &entry.item.value else { continue };
        let path = entry.yaml;
        if doc.file.is_none() && doc.url.is_none() && doc.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            diagnostics.push(
                Diagnostic::error("bad-evidence", "a document needs `file`, `url` or `title`")
                    .at(at(path, entry.item))
                    .help("file it (`file: evidence/…`), link it (`url: https://…`), or name it (`title: …`) until it is filed"),
            );
        }
        if let Some(url) = &doc.url
            && !(url.value.starts_with("https://") || url.value.starts_with("http://"))
        {
            diagnostics.push(
                Diagnostic::error("bad-evidence", format!("`{}` is not a web address", url.value))
                    .at(at(path, url))
                    .help("write the whole address, starting with https:// (a document on disk goes under `file:`)"),
            );
        }
        if let Some(date) = &doc.date {
            match parse_date(&date.value) {
                Err(e) => diagnostics.push(
                    Diagnostic::error("bad-date", e).at(at(path, date)).help("write the document's date as YYYY-MM-DD"),
                ),
                Ok(day) => check_date(ws, &entry, day, evaluation_date, evaluation_year, diagnostics),
            }
        }
        let Some(file) = &doc.file else { continue };
        match resolver.resolve(&file.value) {
            Ok(real) => {
                referenced_names.insert(crate::evidence::normalized(&file.value));
                if seen.insert(real.clone()) {
                    filed.push(Filed { real, written: file.value.clone(), location: at(path, file) });
                }
            }
            Err(problem) => {
                // Meant to be referenced, so not also "unreferenced".
                referenced_names.insert(crate::evidence::normalized(&file.value));
                if let PathProblem::WrongCase(on_disk) | PathProblem::Backslash(on_disk) = &problem {
                    referenced_names.insert(on_disk.clone());
                }
                diagnostics.push(
                    path_diagnostic(&problem, problem.message(&file.value)).at(at(path, file)).help(problem.help()),
                );
            }
        }
    }
    let sizes = file_facts(&filed, limit, diagnostics);
    duplicates(root, &filed, &sizes, diagnostics);
    let references_known = !ws.unparsed.assessments && !ws.unparsed.programs && ws.unparsed.program_ids.is_empty();
    if references_known {
        unreferenced(root, &referenced_names, &seen, diagnostics);
    }
}

/// The diagnostic for a `file:` that does not lead to a file under `evidence/`.
fn path_diagnostic(problem: &PathProblem, message: String) -> Diagnostic {
    match problem {
        PathProblem::Absolute | PathProblem::Parent | PathProblem::NotUnderEvidence(_) | PathProblem::LinksOut(_) => {
            Diagnostic::error("evidence-outside", message)
        }
        PathProblem::WrongCase(_) => Diagnostic::error("evidence-wrong-case", message),
        PathProblem::Empty | PathProblem::Backslash(_) => Diagnostic::error("bad-evidence", message),
        PathProblem::Missing(_) | PathProblem::BrokenLink | PathProblem::Folder => {
            Diagnostic::error("evidence-missing", message)
        }
    }
}

/// `evidence.max_size_mb` of city.yaml in bytes (default 10 MB); a limit that is not a positive
/// number is an error, and the default applies.
fn max_size(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) -> u64 {
    let written = ws.city.as_ref().and_then(|c| c.value.evidence.as_ref()?.max_size_mb.as_ref().map(|m| (c, m)));
    let mb = match written {
        Some((city, mb)) if !(mb.value.is_finite() && mb.value > 0.0) => {
            diagnostics.push(
                Diagnostic::error("bad-value", format!("`max_size_mb: {}` is not a size", mb.value))
                    .at(at(&city.path, mb))
                    .help("the largest file the upload portal takes, in megabytes, e.g. `max_size_mb: 10`"),
            );
            DEFAULT_MAX_SIZE_MB
        }
        Some((_, mb)) => mb.value,
        None => DEFAULT_MAX_SIZE_MB,
    };
    (mb * MEGABYTE) as u64
}

/// A document dated after the evaluation (for this year's answers and the programs), or a
/// program's document dated before the program starts.
fn check_date(
    ws: &LoadedWorkspace,
    entry: &Entry<'_>,
    day: (i32, u8, u8),
    evaluation_date: Option<(i32, u8, u8)>,
    evaluation_year: Option<i32>,
    diagnostics: &mut Diagnostics,
) {
    let Some(date) = entry.item.document().and_then(|d| d.date.as_ref()) else { return };
    let this_year = match entry.owner {
        Owner::Answer { year, .. } => Some(year) == evaluation_year,
        Owner::Program { .. } => true,
    };
    if this_year && let Some(evaluation) = evaluation_date.filter(|e| day > *e) {
        let (y, m, d) = evaluation;
        diagnostics.push(
            Diagnostic::warning(
                "evidence-after-evaluation",
                format!("the document is dated {}, after the evaluation on {y}-{m:02}-{d:02}", date.value),
            )
            .at(at(entry.yaml, date))
            .help("assessors verify what existed at the evaluation: check the date, or the evaluation `date` in city.yaml"),
        );
    }
    if let Owner::Program { id } = entry.owner
        && let Some(program) = ws.programs.iter().find(|p| p.value.id.value == id)
        && day.0 < program.value.period.start.value
    {
        diagnostics.push(
            Diagnostic::warning(
                "evidence-before-period",
                format!(
                    "the document is dated {}, before the program's period {}–{}",
                    date.value, program.value.period.start.value, program.value.period.end.value
                ),
            )
            .at(at(entry.yaml, date))
            .help(
                "a document older than the program shows its background, not the program: check the date or the period",
            ),
        );
    }
}

/// Per filed document: empty, unreadable, not what its extension says, encrypted, too large.
/// Returns the sizes of the files that could be read (for the duplicate check).
fn file_facts(filed: &[Filed], limit: u64, diagnostics: &mut Diagnostics) -> Vec<Option<u64>> {
    filed
        .iter()
        .map(|f| {
            let facts = match facts(&f.real) {
                Ok(facts) => facts,
                Err(e) => {
                    diagnostics.push(
                        Diagnostic::warning("evidence-unreadable", format!("`{}` cannot be read: {e}", f.written))
                            .at(f.location.clone())
                            .help("check the file's permissions; the pack cannot include it"),
                    );
                    return None;
                }
            };
            if facts.size == 0 {
                diagnostics.push(
                    Diagnostic::warning("evidence-empty", format!("`{}` is empty (0 bytes)", f.written))
                        .at(f.location.clone())
                        .help("copy the document again: an empty file is usually a failed download or copy"),
                );
                return Some(0);
            }
            let extension = Path::new(&f.written).extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
            if let Some(expected) = Content::expected(&extension)
                && facts.content != expected
            {
                diagnostics.push(
                    Diagnostic::warning(
                        "evidence-wrong-type",
                        format!(
                            "`{}` is not {}: its content is {}",
                            f.written,
                            Content::expected_name(&extension),
                            facts.content.describe()
                        ),
                    )
                    .at(f.location.clone())
                    .help(format!(
                        "a file renamed to .{extension} stays what it was: save or export it as {} (e.g. Print → Save as PDF), \
                         or give it the extension of what it is",
                        Content::expected_name(&extension)
                    )),
                );
            }
            if facts.encrypted {
                diagnostics.push(
                    Diagnostic::warning("evidence-encrypted", format!("`{}` is an encrypted PDF", f.written))
                        .at(f.location.clone())
                        .help("upload portals and assessors' viewers may refuse it: save a copy without password or restrictions"),
                );
            }
            if facts.size > limit {
                diagnostics.push(
                    Diagnostic::warning(
                        "evidence-too-large",
                        format!(
                            "`{}` is {}, above the {} the upload portal takes",
                            f.written,
                            // Just above the limit, rounding would print the same figure twice.
                            if size(facts.size) == size(limit) { format!("{} bytes", facts.size) } else { size(facts.size) },
                            size(limit)
                        ),
                    )
                    .at(f.location.clone())
                    .help("compress it (scan at 150 dpi, PDF: reduce file size) or split it; the limit is `evidence: {max_size_mb: …}` in city.yaml"),
                );
            }
            Some(facts.size)
        })
        .collect()
}

/// Different files with the same content (SHA-256). Only files of equal size are hashed, and
/// not those whose hash `pack` cached in out/.cache/ with their present size and time.
fn duplicates(root: &Path, filed: &[Filed], sizes: &[Option<u64>], diagnostics: &mut Diagnostics) {
    let mut by_size: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, size) in sizes.iter().enumerate() {
        if let Some(size) = size.filter(|s| *s > 0) {
            by_size.entry(size).or_default().push(i);
        }
    }
    let groups: Vec<&Vec<usize>> = by_size.values().filter(|g| g.len() > 1).collect();
    let cache = if groups.is_empty() { Default::default() } else { crate::hash_cache::read(&root.join("out")) };
    let hash = |f: &Filed| {
        let cached = crate::hash_cache::Stamp::of(&f.real)
            .and_then(|stamp| cache.cached_sha256(&crate::evidence::normalized(&f.written), &stamp).map(String::from));
        cached.map_or_else(|| crate::evidence::sha256(&f.real), Ok)
    };
    for group in groups {
        let mut first_of: HashMap<String, usize> = HashMap::new();
        for &i in group {
            let Ok(hash) = hash(&filed[i]) else { continue };
            match first_of.get(&hash) {
                Some(&first) => diagnostics.push(
                    Diagnostic::warning(
                        "evidence-duplicate",
                        format!("`{}` has the same content as `{}`", filed[i].written, filed[first].written),
                    )
                    .at(filed[i].location.clone())
                    .related(filed[first].location.clone())
                    .help("refer to one of them from both places and delete the other: the pack would hold the document twice"),
                ),
                None => {
                    first_of.insert(hash, i);
                }
            }
        }
    }
}

/// Files under `evidence/` that no entry names, in one note.
fn unreferenced(root: &Path, names: &HashSet<String>, files: &HashSet<PathBuf>, diagnostics: &mut Diagnostics) {
    let stray: Vec<String> = crate::evidence::files_on_disk(root)
        .into_iter()
        .filter(|rel| !names.contains(rel))
        .filter(|rel| root.join(rel).canonicalize().map_or(true, |real| !files.contains(&real)))
        .collect();
    if stray.is_empty() {
        return;
    }
    let shown = if stray.len() <= LIST_MAX {
        stray.join(", ")
    } else {
        format!("{}, and {} more", stray[..LIST_MAX].join(", "), stray.len() - LIST_MAX)
    };
    let count = stray.len();
    diagnostics.push(
        Diagnostic::note(
            "evidence-unreferenced",
            format!("{count} file{} under {FOLDER}/ {} not referenced by any answer or program: {shown}", if count == 1 { "" } else { "s" }, if count == 1 { "is" } else { "are" }),
        )
        .at(Location::file(FOLDER))
        .help("add each to an `evidence:` list as `file: <path>`, or move it out of evidence/: the pack holds only referenced documents"),
    );
}
