//! The build manifest (`out/manifest.json`): for each output, the hash of every input it
//! depends on and of the output itself. `build` skips outputs whose inputs are unchanged and
//! whose file is intact; `build --check` reports the stale ones without writing anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

pub const FILE: &str = "manifest.json";

/// What an output depends on besides the workspace data and YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Report,
    Slides,
    Xlsx,
}

impl Output {
    pub const ALL: [Output; 3] = [Output::Report, Output::Slides, Output::Xlsx];

    /// Templates (relative to `templates/`) this output reads, besides `lib/` and `assets/`.
    fn template(self) -> Option<&'static str> {
        match self {
            Output::Report => Some("report.typ"),
            Output::Slides => Some("slides.typ"),
            Output::Xlsx => None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub tool_version: String,
    /// Output file (relative to out/) → hashes.
    pub outputs: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub inputs: String,
    pub output: String,
}

pub fn hash_file(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|bytes| blake3::hash(&bytes).to_hex().to_string())
}

/// Every file under `dir` (relative path, content hash), sorted.
fn tree(root: &Path, dir: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = WalkDir::new(root.join(dir))
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(root).ok()?.to_string_lossy().replace('\\', "/");
            Some((rel, hash_file(e.path())?))
        })
        .collect();
    files.sort();
    files
}

/// The hash of everything `output` depends on: the workspace's YAML and data, its templates,
/// the tool version and the build options.
pub fn input_hash(root: &Path, output: Output, options: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(options.as_bytes());
    let mut files = tree(root, "indicators");
    files.extend(tree(root, "data"));
    if let Some(template) = output.template() {
        files.extend(tree(root, "templates").into_iter().filter(|(rel, _)| {
            rel == &format!("templates/{template}")
                || rel.starts_with("templates/lib/")
                || rel.starts_with("templates/assets/")
        }));
    }
    for (rel, hash) in files {
        hasher.update(rel.as_bytes());
        hasher.update(b"\0");
        hasher.update(hash.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize().to_hex().to_string()
}

pub fn read(out: &Path) -> Manifest {
    std::fs::read(out.join(FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

pub fn write(out: &Path, manifest: &Manifest) -> std::io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(manifest).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    crate::commands::write_atomic(&out.join(FILE), &bytes)
}

/// Whether `file` (in out/) is up to date: recorded with these inputs and unchanged since.
pub fn is_fresh(manifest: &Manifest, out: &Path, file: &str, inputs: &str) -> bool {
    manifest.tool_version == env!("CARGO_PKG_VERSION")
        && manifest
            .outputs
            .get(file)
            .is_some_and(|e| e.inputs == inputs && hash_file(&out.join(file)).as_deref() == Some(e.output.as_str()))
}

pub fn record(manifest: &mut Manifest, out: &Path, path: &Path, inputs: String) {
    let file = path.strip_prefix(out).map(PathBuf::from).unwrap_or_else(|_| path.to_path_buf());
    let file = file.to_string_lossy().replace('\\', "/");
    if let Some(output) = hash_file(path) {
        manifest.outputs.insert(file, Entry { inputs, output });
    }
    manifest.tool_version = env!("CARGO_PKG_VERSION").to_string();
}
