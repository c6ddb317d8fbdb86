//! Locating a workspace's files (contract §1). Nothing is parsed here: the result is a list of
//! paths per file kind, sorted so that every later stage sees files in the same order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, display_path};

/// Which data folder a table belongs to; decides its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DataKind {
    Observations,
    Budget,
    Survey,
    Cohort,
    /// RPJMD indicator tables (IKU/IKD) in `data/rpjmd/`.
    Rpjmd,
}

impl DataKind {
    pub const ALL: [DataKind; 5] =
        [DataKind::Observations, DataKind::Budget, DataKind::Survey, DataKind::Cohort, DataKind::Rpjmd];

    pub fn folder(self) -> &'static str {
        match self {
            DataKind::Observations => "observations",
            DataKind::Budget => "budget",
            DataKind::Survey => "survey",
            DataKind::Cohort => "cohort",
            DataKind::Rpjmd => "rpjmd",
        }
    }

    /// File endings the contract allows in this folder.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            DataKind::Observations => &["csv", "xlsx", "parquet"],
            DataKind::Budget | DataKind::Survey | DataKind::Rpjmd => &["csv", "xlsx"],
            DataKind::Cohort => &["csv"],
        }
    }
}

/// The files of a workspace, by kind. Paths are absolute.
/// The workspace a command given `start` works on: `start` itself when it has `indicators/`,
/// else the nearest folder above it with `indicators/city.yaml` (a command run from inside
/// `indicators/` or `data/observations/` finds its workspace, as git finds its repository),
/// else `start` (which discovery then reports as not a workspace).
pub fn find_root(start: &Path) -> PathBuf {
    if start.join("indicators").is_dir() {
        return start.to_path_buf();
    }
    let Ok(absolute) = start.canonicalize() else { return start.to_path_buf() };
    absolute
        .ancestors()
        .skip(1)
        .find(|a| a.join("indicators/city.yaml").is_file())
        .map_or_else(|| start.to_path_buf(), Path::to_path_buf)
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub city: PathBuf,
    pub dimensions: PathBuf,
    /// `indicators/rpjmd.yaml` (optional: read only when it exists).
    pub rpjmd: PathBuf,
    pub frameworks: Vec<PathBuf>,
    pub programs: Vec<PathBuf>,
    pub assessments: Vec<PathBuf>,
    /// `indicators/results/<year>.yaml`: published results of earlier evaluations.
    pub results: Vec<PathBuf>,
    /// `scenarios/<name>.yaml`: what-ifs (never read by a plain build).
    pub scenarios: Vec<PathBuf>,
    pub data: Vec<(DataKind, PathBuf)>,
    /// `indicators/opd.yaml`, when the workspace has one.
    pub opd: Option<PathBuf>,
    /// Folders whose listing hit an entry that could not be read (the `unreadable` error says
    /// which): a file in them may be missing from the lists above, so checks that rest on the
    /// whole set (is this program id defined anywhere?) stand down instead of adding noise.
    pub incomplete: BTreeSet<PathBuf>,
    /// `evidence/`: the bukti dukung documents (the folder may be absent).
    pub evidence: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
}

impl Workspace {
    /// Finds the files under `root`. Problems that stop discovery (no `indicators/` folder) are
    /// returned as errors; unreadable folders and stray files become diagnostics.
    pub fn discover(root: &Path, diagnostics: &mut Diagnostics) -> Result<Workspace, Diagnostic> {
        let root = root.canonicalize().map_err(|e| {
            Diagnostic::error("workspace-not-found", format!("cannot open workspace folder: {e}"))
                .at(Location::file(root))
                .help("pass the workspace folder with --workspace DIR, or run the command inside it")
        })?;
        let indicators = root.join("indicators");
        if !indicators.is_dir() {
            return Err(Diagnostic::error(
                "workspace-not-found",
                "this folder is not a smartcity-eval workspace: it has no `indicators/` folder",
            )
            .at(Location::file(&root))
            .help("create one with `smartcity-eval init DIR --city NAME --kind kota --year 2024`, or pass --workspace DIR"));
        }
        let mut incomplete = BTreeSet::new();
        let mut yaml = |dir: &Path, recursive: bool| yaml_files(&root, dir, recursive, diagnostics, &mut incomplete);
        let frameworks = yaml(&indicators.join("framework"), false);
        let programs = yaml(&indicators.join("programs"), true);
        let assessments = yaml(&indicators.join("assessment"), false);
        let results = yaml(&indicators.join("results"), false);
        let scenarios = yaml(&root.join("scenarios"), false);
        let mut ws = Workspace {
            city: indicators.join("city.yaml"),
            dimensions: indicators.join("dimensions.yaml"),
            rpjmd: indicators.join("rpjmd.yaml"),
            frameworks,
            programs,
            assessments,
            results,
            scenarios,
            data: Vec::new(),
            opd: Some(indicators.join("opd.yaml")).filter(|p| p.is_file()),
            incomplete,
            evidence: root.join("evidence"),
            templates: root.join("templates"),
            out: root.join("out"),
            root,
        };
        for kind in DataKind::ALL {
            let folder = ws.root.join("data").join(kind.folder());
            for path in files_under(&ws.root, &folder, true, diagnostics, &mut ws.incomplete) {
                let ext = extension(&path);
                if kind.extensions().contains(&ext.as_str()) {
                    linked_outside(&ws.root, &path, diagnostics);
                    ws.data.push((kind, path));
                } else if is_sidecar_or_doc(&path) {
                    if let Some(stray) = stray_sidecar(&path) {
                        diagnostics.push(
                            Diagnostic::warning("stray-sidecar", format!("`{stray}` is not beside any data file it could describe"))
                                .at(Location::file(display_path(&ws.root, &path)))
                                .help("a sidecar is named after its data file plus `.yaml`, e.g. `capaian.csv.yaml` for `capaian.csv`"),
                        );
                    }
                } else {
                    diagnostics.push(
                        Diagnostic::warning(
                            "ignored-file",
                            format!(
                                "file ignored: data/{} takes {} files",
                                kind.folder(),
                                kind.extensions().join(", ")
                            ),
                        )
                        .at(Location::file(display_path(&ws.root, &path)))
                        .help(if ext == "xls" || ext == "ods" {
                            "save it as .xlsx (Excel: File → Save As → Excel Workbook)".to_string()
                        } else {
                            "move it out of data/ or convert it to one of those formats".to_string()
                        }),
                    );
                }
            }
        }
        misplaced_data(&ws.root, diagnostics);
        case_collisions(&ws, diagnostics);
        Ok(ws)
    }

    /// Whether the listing of `dir` (or of a folder inside it) was cut short by an unreadable
    /// entry.
    pub fn is_incomplete(&self, dir: &Path) -> bool {
        self.incomplete.iter().any(|d| d.starts_with(dir))
    }

    pub fn rel(&self, path: &Path) -> PathBuf {
        display_path(&self.root, path)
    }
}

/// Two input files whose names differ only in case (`Sampah.csv`, `sampah.csv`) are two files
/// on Linux but one on Windows and macOS, where a checkout keeps only one of them: the same
/// repository would score differently on a Windows desk and on Linux CI.
fn case_collisions(ws: &Workspace, diagnostics: &mut Diagnostics) {
    let inputs = ws.frameworks.iter().chain(&ws.programs).chain(&ws.assessments).chain(ws.data.iter().map(|(_, p)| p));
    let mut seen: std::collections::BTreeMap<String, PathBuf> = std::collections::BTreeMap::new();
    for path in inputs {
        let rel = display_path(&ws.root, path);
        match seen.entry(crate::diagnostic::slash_path(&rel).to_lowercase()) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(rel);
            }
            std::collections::btree_map::Entry::Occupied(first) => diagnostics.push(
                Diagnostic::warning(
                    "case-collision",
                    format!(
                        "`{}` and `{}` differ only in case: Windows and macOS keep only one of them",
                        crate::diagnostic::slash_path(first.get()),
                        crate::diagnostic::slash_path(&rel)
                    ),
                )
                .at(Location::file(&rel))
                .related(Location::file(first.get()))
                .help("rename one of them (or merge them): a checkout on Windows would read other data than Linux CI"),
            ),
        }
    }
}

/// Data files where the tool never reads them — directly in `data/`, in a folder of `data/`
/// that is not a kind, or among the YAML under `indicators/` — are errors that say where they
/// belong: the user meant them to be read, and a report without them would look complete.
fn misplaced_data(root: &Path, diagnostics: &mut Diagnostics) {
    let data_ext = |p: &Path| matches!(extension(p).as_str(), "csv" | "xlsx" | "parquet" | "xls" | "ods");
    let kinds: Vec<&str> = DataKind::ALL.iter().map(|k| k.folder()).collect();
    let data = root.join("data");
    let mut misplaced: Vec<PathBuf> = Vec::new();
    if data.is_dir() {
        let walk = WalkDir::new(&data).min_depth(1).sort_by_file_name().into_iter();
        for entry in walk.filter_entry(|e| !is_lock_file(e.file_name())).filter_map(Result::ok) {
            let rel = entry.path().strip_prefix(&data).unwrap_or(entry.path());
            let top = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
            let in_kind = rel.components().count() > 1 && kinds.contains(&top.as_str());
            if entry.file_type().is_file() && !in_kind && !top.starts_with('.') && data_ext(entry.path()) {
                misplaced.push(entry.into_path());
            }
        }
    }
    let indicators = root.join("indicators");
    if indicators.is_dir() {
        let walk = WalkDir::new(&indicators).min_depth(1).sort_by_file_name().into_iter();
        for entry in walk.filter_entry(|e| !is_lock_file(e.file_name())).filter_map(Result::ok) {
            if entry.file_type().is_file() && data_ext(entry.path()) {
                misplaced.push(entry.into_path());
            }
        }
    }
    for path in misplaced {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let kind = if ["anggaran", "budget", "pagu", "realisasi"].iter().any(|w| name.contains(w)) {
            DataKind::Budget
        } else if ["survei", "survey", "kuesioner", "responden"].iter().any(|w| name.contains(w)) {
            DataKind::Survey
        } else if ["kohort", "cohort", "peringkat"].iter().any(|w| name.contains(w)) {
            DataKind::Cohort
        } else {
            DataKind::Observations
        };
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        diagnostics.push(
            Diagnostic::error("misplaced-file", "a data file where none is read")
                .at(Location::file(display_path(root, &path)))
                .help(format!(
                    "data files are read only from data/observations, data/budget, data/survey and data/cohort: \
                     move it (and its sidecar) there, e.g. data/{}/{file}",
                    kind.folder()
                )),
        );
    }
}

/// An Office owner file (`~$capaian.xlsx`, written by Excel and Word beside a document while it
/// is open) or a LibreOffice lock file (`.~lock.capaian.xlsx#`): not workspace data, so every
/// walk of the workspace (loading, validation, the manifest's hashes, the evidence listing)
/// skips them — opening a workbook must not break or stale a build.
/// A data file that is a link (or under a linked folder) leading out of the workspace: read
/// as any other, but a clone of the repository — CI's — holds only the link, so the outputs CI
/// makes would differ from the ones made here. Said, not refused: a link to a shared drive is
/// a choice an office may make on purpose.
fn linked_outside(root: &Path, path: &Path, diagnostics: &mut Diagnostics) {
    let Ok(target) = path.canonicalize() else { return };
    if !target.starts_with(root) {
        diagnostics.push(
            Diagnostic::warning("data-outside", format!("this data file is a link to `{}`, outside the workspace", target.display()))
                .at(Location::file(display_path(root, path)))
                .help("copy the file into data/ instead: a clone of the repository (CI's) holds only the link, so it cannot read the data"),
        );
    }
}

pub fn is_lock_file(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with("~$") || (name.starts_with(".~lock.") && name.ends_with('#'))
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// Sidecars (`x.csv.yaml`) and notes (`README.md`) may sit beside data files.
fn is_sidecar_or_doc(path: &Path) -> bool {
    matches!(extension(path).as_str(), "yaml" | "yml" | "md" | "txt")
}

/// A `.yaml` in a data folder that names no existing data file (`capaian.yaml` instead of
/// `capaian.csv.yaml`): its options would silently not apply.
fn stray_sidecar(path: &Path) -> Option<String> {
    let ext = extension(path);
    if ext != "yaml" && ext != "yml" {
        return None;
    }
    let name = path.file_name()?.to_string_lossy().into_owned();
    let data_name = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml"))?;
    (!path.with_file_name(data_name).is_file()).then_some(name)
}

fn yaml_files(
    root: &Path,
    dir: &Path,
    recursive: bool,
    diagnostics: &mut Diagnostics,
    incomplete: &mut BTreeSet<PathBuf>,
) -> Vec<PathBuf> {
    files_under(root, dir, recursive, diagnostics, incomplete)
        .into_iter()
        .filter(|p| {
            let ext = extension(p);
            if ext == "yml" {
                diagnostics.push(
                    Diagnostic::warning("ignored-file", "file ignored: YAML files here must end in `.yaml`")
                        .at(Location::file(display_path(root, p)))
                        .help("rename it to end in .yaml"),
                );
            }
            ext == "yaml"
        })
        .collect()
}

/// Regular files below `dir` (hidden ones and lock files skipped), sorted by path. Links are followed; a link
/// loop or an unreadable folder becomes a diagnostic instead of stopping the walk, and `dir` is
/// then recorded in `incomplete`.
fn files_under(
    root: &Path,
    dir: &Path,
    recursive: bool,
    diagnostics: &mut Diagnostics,
    incomplete: &mut BTreeSet<PathBuf>,
) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut walk = WalkDir::new(dir).follow_links(true).min_depth(1).sort_by_file_name();
    if !recursive {
        walk = walk.max_depth(1);
    }
    let mut files = Vec::new();
    let walker = walk
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.') && !is_lock_file(e.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(entry) if entry.file_type().is_dir() => {}
            // A pipe, socket or device (or a link to one): never read, which could block, but
            // never skipped without a word either.
            Ok(entry) => diagnostics.push(
                Diagnostic::warning("ignored-file", "file ignored: not a regular file (a pipe, socket or device)")
                    .at(Location::file(display_path(root, entry.path())))
                    .help("put the data in a regular file, or remove this one"),
            ),
            Err(err) => {
                let path = err.path().map(|p| display_path(root, p)).unwrap_or_else(|| display_path(root, dir));
                let (message, help) = if err.loop_ancestor().is_some() {
                    ("symbolic link loop: this folder links back to one of its parents".to_string(), "remove the link")
                } else {
                    (format!("cannot read: {err}"), "check the file permissions")
                };
                diagnostics.push(Diagnostic::error("unreadable", message).at(Location::file(path)).help(help));
                incomplete.insert(dir.to_path_buf());
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_and_libreoffice_lock_files_are_recognised() {
        for name in ["~$capaian-2023.xlsx", "~$tulen.docx", ".~lock.capaian.xlsx#", ".~lock.sampah.csv#"] {
            assert!(is_lock_file(std::ffi::OsStr::new(name)), "{name}");
        }
        for name in ["capaian.xlsx", "~capaian.xlsx", "$capaian.xlsx", ".~lock.capaian.xlsx", "a~$b.xlsx"] {
            assert!(!is_lock_file(std::ffi::OsStr::new(name)), "{name}");
        }
    }
}
