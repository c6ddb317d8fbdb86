//! The build manifest (`out/manifest.json`): for each output, the hash of every input it
//! depends on and of the output itself. `build` skips outputs whose inputs are unchanged and
//! whose file is intact; `build --check` reports the stale ones without writing anything.
//!
//! The evidence documents' hashes are cached elsewhere (`hash_cache`): they are one machine's
//! sizes and times, and this file is committed.

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

    /// The template (relative to `templates/`) this output reads, with its parts (`report/`),
    /// besides `lib/` and `assets/`.
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

/// Whether `rel` (relative to `templates/`) is read by the document made from `template`: the
/// template, its parts (`report/…` for `report.typ`, render/templates.rs `template_set`), the
/// libraries and the assets.
fn template_reads(template: &str, rel: &str) -> bool {
    let parts = crate::render::templates::parts_folder(template);
    rel == template
        || rel.strip_prefix(parts).is_some_and(|rest| rest.starts_with('/'))
        || rel.starts_with("lib/")
        || rel.starts_with("assets/")
}

/// The hash of a template, its parts and the libraries and assets it may import
/// (`templates/lib/`, `templates/assets/`), as the workspace has them (the shipped ones are the
/// tool's).
pub fn templates_hash(root: &Path, template: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    for (rel, hash) in tree(root, "templates")
        .into_iter()
        .filter(|(rel, _)| rel.strip_prefix("templates/").is_some_and(|rest| template_reads(template, rest)))
    {
        hasher.update(rel.as_bytes());
        hasher.update(b"\0");
        hasher.update(hash.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize().to_hex().to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub inputs: String,
    pub output: String,
}

pub fn hash_file(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|bytes| blake3::hash(&bytes).to_hex().to_string())
}

/// Every file under `dir` (relative path, content hash), sorted. Lock files (`~$x.xlsx`, written
/// while Excel has the workbook open) are not inputs: opening a workbook leaves out/ up to date.
fn tree(root: &Path, dir: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = WalkDir::new(root.join(dir))
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !crate::workspace::is_lock_file(e.file_name()))
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

/// Every input file of a workspace (`indicators/`, `data/`, `templates/`) with its content
/// hash: read and hashed once per build, then combined per output. And the names under
/// `evidence/`: the report shows whether each document is filed and where the pack puts it,
/// which follows from the names alone (contents are the pack's business).
pub struct Inputs {
    files: Vec<(String, String)>,
    evidence: Vec<String>,
}

impl Inputs {
    pub fn scan(root: &Path) -> Inputs {
        let mut files = tree(root, "indicators");
        files.extend(tree(root, "data"));
        files.extend(tree(root, "templates"));
        let mut evidence: Vec<String> = WalkDir::new(root.join(crate::evidence::FOLDER))
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| !crate::workspace::is_lock_file(e.file_name()))
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .filter_map(|e| Some(e.path().strip_prefix(root).ok()?.to_string_lossy().replace('\\', "/")))
            .collect();
        evidence.sort();
        Inputs { files, evidence }
    }

    /// The hash of everything `output` depends on: the workspace's YAML and data, its
    /// templates, the tool version and the build options.
    pub fn hash(&self, output: Output, options: &str) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(options.as_bytes());
        let reads = |rel: &str| match (rel.strip_prefix("templates/"), output.template()) {
            (None, _) => true,
            (Some(rest), Some(template)) => template_reads(template, rest),
            (Some(_), None) => false,
        };
        for (rel, hash) in self.files.iter().filter(|(rel, _)| reads(rel)) {
            hasher.update(rel.as_bytes());
            hasher.update(b"\0");
            hasher.update(hash.as_bytes());
            hasher.update(b"\n");
        }
        if output == Output::Report {
            for name in &self.evidence {
                hasher.update(name.as_bytes());
                hasher.update(b"\n");
            }
        }
        hasher.finalize().to_hex().to_string()
    }
}

/// The manifest in `out/`, its output names with `/`: one written where `\\` separates folders
/// (Windows) reads as the same outputs, so `build --check` agrees across platforms.
pub fn read(out: &Path) -> Manifest {
    let mut manifest: Manifest =
        std::fs::read(out.join(FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
    manifest.outputs = std::mem::take(&mut manifest.outputs).into_iter().map(|(k, v)| (portable(&k), v)).collect();
    manifest
}

/// An output name relative to out/, with `/` between folders whatever wrote it.
fn portable(name: &str) -> String {
    name.replace('\\', "/")
}

pub fn write(out: &Path, manifest: &Manifest) -> std::io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(manifest).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    crate::outdir::write_atomic(&out.join(FILE), &bytes)
}

/// Whether `file` (in out/) is up to date: recorded with these inputs and unchanged since.
pub fn is_fresh(manifest: &Manifest, out: &Path, file: &str, inputs: &str) -> bool {
    let file = portable(file);
    manifest.tool_version == env!("CARGO_PKG_VERSION")
        && manifest
            .outputs
            .get(&file)
            .is_some_and(|e| e.inputs == inputs && hash_file(&out.join(&file)).as_deref() == Some(e.output.as_str()))
}

pub fn record(manifest: &mut Manifest, out: &Path, path: &Path, inputs: String) {
    let file = path.strip_prefix(out).map(PathBuf::from).unwrap_or_else(|_| path.to_path_buf());
    let file = crate::diagnostic::slash_path(&file);
    if let Some(output) = hash_file(path) {
        manifest.outputs.insert(file, Entry { inputs, output });
    }
    manifest.tool_version = env!("CARGO_PKG_VERSION").to_string();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in [
            ("indicators/city.yaml", "city: Kota Contoh\n"),
            ("data/observations/a.csv", "indicator,period,value\nx,2023-01,1\n"),
            ("templates/report.typ", "= Laporan\n"),
            ("templates/report/04-aspects.typ", "= Aspek\n"),
            ("templates/report-notes/a.typ", "not a part: another folder\n"),
            ("templates/slides/extra.typ", "a slides part\n"),
            ("templates/slides.typ", "= Slides\n"),
            ("templates/lib/style.typ", "#let accent = blue\n"),
            ("templates/notes.txt", "not read by any document\n"),
        ] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn hashes(root: &Path) -> [String; 3] {
        let inputs = Inputs::scan(root);
        Output::ALL.map(|o| inputs.hash(o, "lang=Id"))
    }

    /// Which edit changes which output's inputs: data and YAML change all three, a document's
    /// template and the shared libraries only the documents that read them.
    #[test]
    fn each_output_depends_on_exactly_its_inputs() {
        let dir = workspace();
        let root = dir.path();
        let before = hashes(root);
        assert_eq!(before, hashes(root), "hashing twice gives the same hashes");
        let changed = |rel: &str| -> [bool; 3] {
            let path = root.join(rel);
            let old = std::fs::read(&path).unwrap();
            std::fs::write(&path, [old.as_slice(), b"\n"].concat()).unwrap();
            let after = hashes(root);
            std::fs::write(&path, old).unwrap();
            [0, 1, 2].map(|i| after[i] != before[i])
        };
        // [report, slides, xlsx]
        assert_eq!(changed("indicators/city.yaml"), [true, true, true]);
        assert_eq!(changed("data/observations/a.csv"), [true, true, true]);
        assert_eq!(changed("templates/report.typ"), [true, false, false]);
        // A chapter of the report (templates/report/) makes the report stale, not the slides.
        assert_eq!(changed("templates/report/04-aspects.typ"), [true, false, false]);
        assert_eq!(changed("templates/report-notes/a.typ"), [false, false, false]);
        assert_eq!(changed("templates/slides/extra.typ"), [false, true, false]);
        assert_eq!(changed("templates/slides.typ"), [false, true, false]);
        assert_eq!(changed("templates/lib/style.typ"), [true, true, false]);
        assert_eq!(changed("templates/notes.txt"), [false, false, false]);
        assert_eq!(hashes(root), before, "restored files give the first hashes again");
        // A document filed under evidence/ changes the report (it shows the document as filed,
        // with its path in the pack); its content is the pack's business.
        std::fs::create_dir_all(root.join("evidence/1-baseline")).unwrap();
        assert_eq!(hashes(root), before, "an empty evidence/ changes nothing");
        std::fs::write(root.join("evidence/1-baseline/perwali.pdf"), "%PDF-1.7\n").unwrap();
        let filed = hashes(root);
        assert_eq!([0, 1, 2].map(|i| filed[i] != before[i]), [true, false, false]);
        std::fs::write(root.join("evidence/1-baseline/perwali.pdf"), "%PDF-1.7\nrevisi\n").unwrap();
        assert_eq!(hashes(root), filed);
        std::fs::remove_dir_all(root.join("evidence")).unwrap();
        // `templates_hash` (the pack's index) reads a template's parts in the same way.
        let (report, slides) = (templates_hash(root, "report.typ"), templates_hash(root, "slides.typ"));
        std::fs::write(root.join("templates/report/04-aspects.typ"), "= Aspek baru\n").unwrap();
        assert_ne!(templates_hash(root, "report.typ"), report);
        assert_eq!(templates_hash(root, "slides.typ"), slides);
        std::fs::write(root.join("templates/report/04-aspects.typ"), "= Aspek\n").unwrap();
        // The build options are part of the inputs: `--lang en` writes other files.
        let inputs = Inputs::scan(root);
        assert_ne!(inputs.hash(Output::Report, "lang=Id"), inputs.hash(Output::Report, "lang=En"));
    }

    /// A manifest written on Windows (`sub\\x.pdf`) reads as the one written on Linux
    /// (`sub/x.pdf`): the same outputs, fresh on either.
    #[test]
    fn a_manifest_with_backslashes_reads_as_the_same_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("sub")).unwrap();
        std::fs::write(out.join("sub/x.pdf"), "pdf").unwrap();
        std::fs::write(out.join("y.xlsx"), "xlsx").unwrap();
        let mut manifest = Manifest::default();
        record(&mut manifest, out, &out.join("sub/x.pdf"), "inputs-x".into());
        record(&mut manifest, out, &out.join("y.xlsx"), "inputs-y".into());
        write(out, &manifest).unwrap();
        let linux = std::fs::read_to_string(out.join(FILE)).unwrap();
        assert!(linux.contains("\"sub/x.pdf\""), "{linux}");
        assert_eq!(read(out), manifest);

        std::fs::write(out.join(FILE), linux.replace("\"sub/x.pdf\"", "\"sub\\\\x.pdf\"")).unwrap();
        let windows = read(out);
        assert_eq!(windows, manifest);
        assert!(is_fresh(&windows, out, "sub/x.pdf", "inputs-x"));
        assert!(is_fresh(&windows, out, "sub\\x.pdf", "inputs-x"));
        assert!(is_fresh(&windows, out, "y.xlsx", "inputs-y"));
        assert!(!is_fresh(&windows, out, "sub/x.pdf", "other inputs"));
    }
}
