//! Locating a workspace's files (contract §1). Nothing is parsed here: the result is a list of
//! paths per file kind, sorted so that every later stage sees files in the same order.

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
}

impl DataKind {
    pub const ALL: [DataKind; 4] = [DataKind::Observations, DataKind::Budget, DataKind::Survey, DataKind::Cohort];

    pub fn folder(self) -> &'static str {
        match self {
            DataKind::Observations => "observations",
            DataKind::Budget => "budget",
            DataKind::Survey => "survey",
            DataKind::Cohort => "cohort",
        }
    }

    /// File endings the contract allows in this folder.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            DataKind::Observations => &["csv", "xlsx", "parquet"],
            DataKind::Budget | DataKind::Survey => &["csv", "xlsx"],
            DataKind::Cohort => &["csv"],
        }
    }
}

/// The files of a workspace, by kind. Paths are absolute.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub city: PathBuf,
    pub dimensions: PathBuf,
    pub frameworks: Vec<PathBuf>,
    pub programs: Vec<PathBuf>,
    pub assessments: Vec<PathBuf>,
    pub data: Vec<(DataKind, PathBuf)>,
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
        let mut ws = Workspace {
            city: indicators.join("city.yaml"),
            dimensions: indicators.join("dimensions.yaml"),
            frameworks: yaml_files(&root, &indicators.join("framework"), false, diagnostics),
            programs: yaml_files(&root, &indicators.join("programs"), true, diagnostics),
            assessments: yaml_files(&root, &indicators.join("assessment"), false, diagnostics),
            data: Vec::new(),
            templates: root.join("templates"),
            out: root.join("out"),
            root,
        };
        for kind in DataKind::ALL {
            let folder = ws.root.join("data").join(kind.folder());
            for path in files_under(&ws.root, &folder, true, diagnostics) {
                let ext = extension(&path);
                if kind.extensions().contains(&ext.as_str()) {
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
        Ok(ws)
    }

    pub fn rel(&self, path: &Path) -> PathBuf {
        display_path(&self.root, path)
    }
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

fn yaml_files(root: &Path, dir: &Path, recursive: bool, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    files_under(root, dir, recursive, diagnostics)
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

/// Regular files below `dir` (hidden ones skipped), sorted by path. Links are followed; a link
/// loop or an unreadable folder becomes a diagnostic instead of stopping the walk.
fn files_under(root: &Path, dir: &Path, recursive: bool, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut walk = WalkDir::new(dir).follow_links(true).min_depth(1).sort_by_file_name();
    if !recursive {
        walk = walk.max_depth(1);
    }
    let mut files = Vec::new();
    let walker = walk.into_iter().filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(|p| display_path(root, p)).unwrap_or_else(|| display_path(root, dir));
                let (message, help) = if err.loop_ancestor().is_some() {
                    ("symbolic link loop: this folder links back to one of its parents".to_string(), "remove the link")
                } else {
                    (format!("cannot read: {err}"), "check the file permissions")
                };
                diagnostics.push(Diagnostic::error("unreadable", message).at(Location::file(path)).help(help));
            }
        }
    }
    files
}
