//! Bukti dukung: every evidence entry of a workspace, where its `file:` points, and what the
//! file there is. Validation (validate/evidence.rs) and the checklist (`evidence` command) ask
//! the same questions here, so a document has one status everywhere.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Serialize;

use crate::load::LoadedWorkspace;
use crate::model::{Evidence, Sp};

/// The folder, under the workspace, that holds the filed documents.
pub const FOLDER: &str = "evidence";

/// The upload portals' usual limit, when city.yaml sets none.
pub const DEFAULT_MAX_SIZE_MB: f64 = 10.0;

/// Bytes in the megabyte of `max_size_mb` (the one Windows Explorer and most portals show).
pub const MEGABYTE: f64 = 1024.0 * 1024.0;

/// Bytes read at the end of a PDF to find its trailer (and an `/Encrypt` entry in it).
const TRAILER_BYTES: u64 = 64 * 1024;

/// What an evidence entry supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    Answer { year: i32, question: &'a str },
    Program { id: &'a str },
}

/// One evidence entry, where it is written and whom it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The YAML file, as shown (relative to the workspace).
    pub yaml: &'a Path,
    pub owner: Owner<'a>,
    pub item: &'a Sp<Evidence>,
    /// The answer's or the program's OPD: who owes a document that names none.
    pub default_opd: Option<&'a Sp<String>>,
}

impl Entry<'_> {
    /// The OPD responsible for this document, as written.
    pub fn opd(&self) -> Option<&Sp<String>> {
        self.item.document().and_then(|d| d.opd.as_ref()).or(self.default_opd)
    }
}

/// Every evidence entry of every assessment (answers in question-id order) and program.
pub fn entries(ws: &LoadedWorkspace) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for a in &ws.assessments {
        for (question, answer) in &a.value.answers {
            for item in &answer.evidence {
                out.push(Entry {
                    yaml: &a.path,
                    owner: Owner::Answer { year: a.value.year.value, question: &question.value },
                    item,
                    default_opd: answer.opd.as_ref(),
                });
            }
        }
    }
    for p in &ws.programs {
        for item in &p.value.evidence {
            out.push(Entry {
                yaml: &p.path,
                owner: Owner::Program { id: &p.value.id.value },
                item,
                default_opd: Some(&p.value.opd),
            });
        }
    }
    out
}

/// A document's state, the same in the checklist, the report and the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocStatus {
    /// `file:` under `evidence/`, and the file is there.
    Filed,
    /// Published at a `url`, no file.
    Linked,
    /// Named only: plain text, or a mapping with a `title` but no file or url yet.
    Named,
    /// `file:` that does not lead to a file under `evidence/`.
    Missing,
}

impl DocStatus {
    /// The status as every output words it: the `evidence` checklist, its xlsx, the report and
    /// the pack's index.
    pub fn word(self, lang: crate::lang::Lang) -> &'static str {
        use crate::lang::Lang::{En, Id};
        match (self, lang) {
            (DocStatus::Filed, Id) => "ada berkas",
            (DocStatus::Linked, Id) => "tautan",
            (DocStatus::Named, Id) => "baru disebut",
            (DocStatus::Missing, Id) => "berkas hilang",
            (DocStatus::Filed, En) => "filed",
            (DocStatus::Linked, En) => "linked",
            (DocStatus::Named, En) => "named only",
            (DocStatus::Missing, En) => "missing",
        }
    }
}

/// An answer without any document, in the same outputs.
pub fn no_evidence_word(lang: crate::lang::Lang) -> &'static str {
    match lang {
        crate::lang::Lang::Id => "tanpa bukti dukung",
        crate::lang::Lang::En => "no evidence",
    }
}

/// A score derived from data without any document (`Standing::Derived`): nothing is owed, its
/// data is its support.
pub fn derived_word(lang: crate::lang::Lang) -> &'static str {
    match lang {
        crate::lang::Lang::Id => "dari data (dokumen tidak wajib)",
        crate::lang::Lang::En => "from data (no document required)",
    }
}

/// Why a `file:` does not lead to a file under `evidence/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    Empty,
    Absolute,
    /// Folders separated with `\`; the path written with `/`.
    Backslash(String),
    Parent,
    /// The path does not start with `evidence/`; `Some` when `evidence/<path>` exists.
    NotUnderEvidence(Option<String>),
    /// It leads (through a symbolic link) to this place outside `evidence/` (from the
    /// workspace folder when inside it).
    LinksOut(String),
    /// The file exists with other upper/lower case letters: this is its name on disk.
    WrongCase(String),
    /// Nothing there; the nearest name in that folder, if one is close.
    Missing(Option<String>),
    /// A link that leads nowhere.
    BrokenLink,
    Folder,
}

impl PathProblem {
    pub fn message(&self, written: &str) -> String {
        match self {
            PathProblem::Empty => "`file:` is empty".into(),
            PathProblem::Absolute => format!("`{written}` is an absolute path: documents are filed under evidence/"),
            PathProblem::Backslash(_) => format!("`{written}` separates folders with `\\`"),
            PathProblem::Parent => format!("`{written}` leaves evidence/ with `..`"),
            PathProblem::NotUnderEvidence(_) => format!("`{written}` is not under evidence/"),
            PathProblem::LinksOut(target) => {
                format!("`{written}` is a link to `{target}`, outside evidence/")
            }
            PathProblem::WrongCase(on_disk) => {
                format!("`{written}` does not exist; the file on disk is `{on_disk}` (upper/lower case differs)")
            }
            PathProblem::Missing(_) => format!("`{written}` does not exist"),
            PathProblem::BrokenLink => format!("`{written}` is a link to a file that does not exist"),
            PathProblem::Folder => format!("`{written}` is a folder, not a file"),
        }
    }

    pub fn help(&self) -> String {
        match self {
            PathProblem::Empty => {
                "write the document's path under evidence/, or leave `file:` out until it is filed".into()
            }
            PathProblem::Absolute | PathProblem::Parent | PathProblem::LinksOut(_) => {
                "copy the document into evidence/ (any sub-folder) and write its path from the workspace folder, \
                 e.g. `evidence/baseline/perwali-masterplan.pdf`: the pack holds only what is under evidence/"
                    .into()
            }
            PathProblem::Backslash(fixed) => format!("write folders with `/`: `{fixed}`"),
            PathProblem::NotUnderEvidence(Some(fixed)) => {
                format!("did you mean `{fixed}`? paths start at the workspace folder")
            }
            PathProblem::NotUnderEvidence(None) => {
                "write the path from the workspace folder, starting with `evidence/`, and file the document there"
                    .into()
            }
            PathProblem::WrongCase(on_disk) => format!(
                "write `{on_disk}`: Linux and the upload portal tell upper and lower case apart, even where Windows and macOS do not"
            ),
            PathProblem::Missing(Some(near)) => format!("did you mean `{near}`?"),
            PathProblem::Missing(None) | PathProblem::BrokenLink => {
                "file the document there, or write it as plain text (named, not yet filed) until it is".into()
            }
            PathProblem::Folder => "name one file; list each document of the folder as its own entry".into(),
        }
    }
}

/// Resolves `file:` paths against one workspace, caching folder listings.
pub struct Resolver {
    root: PathBuf,
    /// `evidence/` with links resolved; `None` when the workspace has no such folder.
    evidence: Option<PathBuf>,
    listings: HashMap<PathBuf, Vec<String>>,
}

impl Resolver {
    pub fn new(root: &Path) -> Resolver {
        Resolver { root: root.to_path_buf(), evidence: root.join(FOLDER).canonicalize().ok(), listings: HashMap::new() }
    }

    /// The file a `file:` value names (links resolved), or why there is none. Each folder on
    /// the way must hold the name exactly as written: on a disk that ignores case (Windows,
    /// macOS) `Perwali.pdf` would open `perwali.pdf`, and break on the Linux CI and in the zip.
    pub fn resolve(&mut self, written: &str) -> Result<PathBuf, PathProblem> {
        let text = written.trim();
        if text.is_empty() {
            return Err(PathProblem::Empty);
        }
        let bytes = text.as_bytes();
        if text.starts_with('/') || text.starts_with('\\') || (bytes.len() > 1 && bytes[1] == b':') {
            return Err(PathProblem::Absolute);
        }
        if text.contains('\\') {
            let fixed: Vec<&str> = text.split(['\\', '/']).filter(|p| !p.is_empty()).collect();
            return Err(PathProblem::Backslash(fixed.join("/")));
        }
        let parts: Vec<&str> = text.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
        if parts.contains(&"..") {
            return Err(PathProblem::Parent);
        }
        if parts.first().is_none_or(|first| !first.eq_ignore_ascii_case(FOLDER)) {
            let under = format!("{FOLDER}/{}", parts.join("/"));
            let exists = self.resolve(&under).is_ok();
            return Err(PathProblem::NotUnderEvidence(exists.then_some(under)));
        }
        let mut dir = self.root.clone();
        let mut on_disk: Vec<String> = Vec::new();
        let mut case_differs = false;
        for (i, part) in parts.iter().enumerate() {
            let names = self.listing(&dir);
            let found = if names.iter().any(|n| n == part) {
                Some((*part).to_string())
            } else if let Some(n) = names.iter().find(|n| n.to_lowercase() == part.to_lowercase()) {
                case_differs = true;
                Some(n.clone())
            } else {
                None
            };
            let Some(name) = found else {
                let near = crate::diagnostic::suggest(part, names.iter().map(String::as_str)).map(|n| {
                    let mut path = on_disk.clone();
                    path.push(n.to_string());
                    path.extend(parts[i + 1..].iter().map(|p| (*p).to_string()));
                    path.join("/")
                });
                return Err(PathProblem::Missing(near));
            };
            dir = dir.join(&name);
            on_disk.push(name);
        }
        if case_differs {
            return Err(PathProblem::WrongCase(on_disk.join("/")));
        }
        let Ok(real) = dir.canonicalize() else { return Err(PathProblem::BrokenLink) };
        let Some(evidence) = &self.evidence else { return Err(PathProblem::Missing(None)) };
        if !real.starts_with(evidence) {
            let root = self.root.canonicalize().unwrap_or_else(|_| self.root.clone());
            let shown =
                real.strip_prefix(&root).map_or_else(|_| real.display().to_string(), |p| p.display().to_string());
            return Err(PathProblem::LinksOut(shown));
        }
        if real.is_dir() {
            return Err(PathProblem::Folder);
        }
        Ok(real)
    }

    fn listing(&mut self, dir: &Path) -> &Vec<String> {
        self.listings.entry(dir.to_path_buf()).or_insert_with(|| {
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .filter(|e| !crate::workspace::is_lock_file(&e.file_name()))
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            names
        })
    }

    /// The status of an entry.
    pub fn status(&mut self, item: &Evidence) -> DocStatus {
        match item {
            Evidence::Named(_) => DocStatus::Named,
            Evidence::Document(d) => match (&d.file, &d.url) {
                (Some(file), _) => {
                    if self.resolve(&file.value).is_ok() {
                        DocStatus::Filed
                    } else {
                        DocStatus::Missing
                    }
                }
                (None, Some(_)) => DocStatus::Linked,
                (None, None) => DocStatus::Named,
            },
        }
    }
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    Pdf,
    Png,
    Jpeg,
    /// A zip container: .zip and the Office Open formats (.docx, .xlsx, .pptx), OpenDocument.
    Zip,
    /// The old Office formats (.doc, .xls, .ppt).
    Ole,
    /// An HTML page: what a download link gives when it needs a login or has expired.
    Html,
    /// Text (UTF-8 or ASCII) of another kind.
    Text,
    Other,
}

impl Content {
    /// What the content is, for "its content is …".
    pub fn describe(self) -> &'static str {
        match self {
            Content::Pdf => "a PDF",
            Content::Png => "a PNG image",
            Content::Jpeg => "a JPEG image",
            Content::Zip => "a zip archive (or an Office docx/xlsx/pptx)",
            Content::Ole => "an old-format Office file (doc/xls/ppt)",
            Content::Html => "a web page (HTML) — a download that needed a login or expired?",
            Content::Text => "plain text",
            Content::Other => "none of PDF, image, Office file or zip",
        }
    }

    /// What a file with this extension must be; `None` for extensions not checked.
    pub fn expected(extension: &str) -> Option<Content> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "pdf" => Content::Pdf,
            "png" => Content::Png,
            "jpg" | "jpeg" => Content::Jpeg,
            "zip" | "docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp" => Content::Zip,
            "doc" | "xls" | "ppt" => Content::Ole,
            _ => return None,
        })
    }

    /// What a file with this extension should be, for "is not …".
    pub fn expected_name(extension: &str) -> &'static str {
        match extension.to_ascii_lowercase().as_str() {
            "pdf" => "a PDF",
            "png" => "a PNG image",
            "jpg" | "jpeg" => "a JPEG image",
            "docx" => "a Word document",
            "xlsx" => "an Excel workbook",
            "pptx" => "a PowerPoint file",
            "odt" | "ods" | "odp" => "an OpenDocument file",
            "zip" => "a zip archive",
            "doc" | "xls" | "ppt" => "an old-format Office file",
            _ => "what its extension says",
        }
    }

    fn of(head: &[u8]) -> Content {
        let start = &head[..head.len().min(1024)];
        if head.len() >= 5 && memchr::memmem::find(start, b"%PDF-").is_some() {
            return Content::Pdf;
        }
        if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Content::Png;
        }
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Content::Jpeg;
        }
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            return Content::Zip;
        }
        if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Content::Ole;
        }
        let text = String::from_utf8_lossy(start);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
        if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") || trimmed.starts_with("<?xml") {
            Content::Html
        } else if std::str::from_utf8(start).is_ok() && !start.contains(&0) {
            Content::Text
        } else {
            Content::Other
        }
    }
}

/// A filed document's facts, read once per file.
#[derive(Debug, Clone)]
pub struct Facts {
    pub size: u64,
    pub content: Content,
    /// A PDF whose trailer names an `/Encrypt` dictionary: the portal and the assessors' viewers
    /// may refuse it, and a password-protected one cannot be opened at all.
    pub encrypted: bool,
}

/// Reads a file's size, first bytes and (for a PDF) its trailer.
pub fn facts(path: &Path) -> std::io::Result<Facts> {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let mut head = Vec::with_capacity(1024);
    (&mut file).take(1024).read_to_end(&mut head)?;
    let content = Content::of(&head);
    let mut encrypted = false;
    if content == Content::Pdf {
        let start = size.saturating_sub(TRAILER_BYTES);
        file.seek(SeekFrom::Start(start))?;
        let mut tail = Vec::new();
        file.take(TRAILER_BYTES).read_to_end(&mut tail)?;
        // A linearised PDF repeats its trailer at the start.
        encrypted =
            memchr::memmem::find(&tail, b"/Encrypt").is_some() || memchr::memmem::find(&head, b"/Encrypt").is_some();
    }
    Ok(Facts { size, content, encrypted })
}

/// SHA-256 of a file, hex, read in fixed chunks (never the whole file in memory).
pub fn sha256(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Files under `evidence/` (hidden files, Office lock files `~$…`, `Thumbs.db`, `desktop.ini`
/// and README files aside),
/// as paths from the workspace folder with `/`, sorted. Links are listed, not followed.
pub fn files_on_disk(root: &Path) -> Vec<String> {
    let dir = root.join(FOLDER);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files: Vec<String> = walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !e.file_name().to_string_lossy().starts_with('.') && !crate::workspace::is_lock_file(e.file_name())
        })
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_lowercase();
            name != "thumbs.db" && name != "desktop.ini" && !name.starts_with("readme")
        })
        .filter_map(|e| {
            let rel = e.path().strip_prefix(root).ok()?;
            Some(rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"))
        })
        .collect();
    files.sort();
    files
}

/// The written path with `./` and doubled slashes removed, as `files_on_disk` lists it.
pub fn normalized(written: &str) -> String {
    written.trim().split('/').filter(|p| !p.is_empty() && *p != ".").collect::<Vec<_>>().join("/")
}

/// `12.3 MB`, `2.1 KB`, `800 bytes`: one decimal, none when whole.
pub fn size(bytes: u64) -> String {
    let one = |x: f64, unit: &str| {
        let text = format!("{x:.1}");
        format!("{} {unit}", text.strip_suffix(".0").unwrap_or(&text))
    };
    if bytes as f64 >= MEGABYTE {
        one(bytes as f64 / MEGABYTE, "MB")
    } else if bytes >= 1024 {
        one(bytes as f64 / 1024.0, "KB")
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(10 * 1024 * 1024), "10 MB");
        assert_eq!(size(12_900_000), "12.3 MB");
        assert_eq!(size(2121), "2.1 KB");
        assert_eq!(size(1048), "1 KB");
        assert_eq!(size(800), "800 bytes");
    }

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("evidence/baseline")).unwrap();
        std::fs::write(dir.path().join("evidence/baseline/Perwali.pdf"), b"%PDF-1.7\n").unwrap();
        std::fs::write(dir.path().join("evidence/notulen.pdf"), b"%PDF-1.7\n").unwrap();
        std::fs::write(dir.path().join("secret.pdf"), b"%PDF-1.7\n").unwrap();
        dir
    }

    #[test]
    fn paths_resolve_only_exactly_and_inside_evidence() {
        let dir = workspace();
        let mut r = Resolver::new(dir.path());
        assert!(r.resolve("evidence/baseline/Perwali.pdf").is_ok());
        assert!(r.resolve("./evidence//notulen.pdf").is_ok());
        assert_eq!(
            r.resolve("evidence/baseline/perwali.pdf"),
            Err(PathProblem::WrongCase("evidence/baseline/Perwali.pdf".into()))
        );
        assert_eq!(r.resolve("Evidence/notulen.pdf"), Err(PathProblem::WrongCase("evidence/notulen.pdf".into())));
        assert_eq!(r.resolve("evidence/../secret.pdf"), Err(PathProblem::Parent));
        assert_eq!(r.resolve("/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(r.resolve("C:\\dokumen\\a.pdf"), Err(PathProblem::Absolute));
        assert_eq!(r.resolve("evidence\\notulen.pdf"), Err(PathProblem::Backslash("evidence/notulen.pdf".into())));
        let problem = r.resolve("evidence\\dok\\\\sk.pdf").unwrap_err();
        assert_eq!(problem.help(), "write folders with `/`: `evidence/dok/sk.pdf`");
        assert_eq!(
            r.resolve("baseline/Perwali.pdf"),
            Err(PathProblem::NotUnderEvidence(Some("evidence/baseline/Perwali.pdf".into())))
        );
        assert_eq!(r.resolve("secret.pdf"), Err(PathProblem::NotUnderEvidence(None)));
        assert_eq!(r.resolve("evidence/notulan.pdf"), Err(PathProblem::Missing(Some("evidence/notulen.pdf".into()))));
        assert_eq!(r.resolve("evidence/baseline"), Err(PathProblem::Folder));
        assert_eq!(r.resolve("  "), Err(PathProblem::Empty));
    }

    #[test]
    fn a_link_out_of_evidence_is_refused_and_a_link_inside_is_not() {
        let dir = workspace();
        std::os::unix::fs::symlink(dir.path().join("secret.pdf"), dir.path().join("evidence/bocor.pdf")).unwrap();
        std::os::unix::fs::symlink("notulen.pdf", dir.path().join("evidence/salinan.pdf")).unwrap();
        std::os::unix::fs::symlink("tidak-ada.pdf", dir.path().join("evidence/putus.pdf")).unwrap();
        std::fs::create_dir(dir.path().join("luar")).unwrap();
        std::fs::write(dir.path().join("luar/a.pdf"), b"%PDF-1.7\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join("luar"), dir.path().join("evidence/folder-luar")).unwrap();
        let mut r = Resolver::new(dir.path());
        assert_eq!(r.resolve("evidence/bocor.pdf"), Err(PathProblem::LinksOut("secret.pdf".into())));
        assert!(r.resolve("evidence/salinan.pdf").is_ok());
        assert_eq!(r.resolve("evidence/putus.pdf"), Err(PathProblem::BrokenLink));
        assert_eq!(r.resolve("evidence/folder-luar/a.pdf"), Err(PathProblem::LinksOut("luar/a.pdf".into())));
    }

    #[test]
    fn content_is_told_by_the_first_bytes() {
        assert_eq!(Content::of(b"%PDF-1.4\n"), Content::Pdf);
        assert_eq!(Content::of(b"\xEF\xBB\xBF%PDF-1.4"), Content::Pdf);
        assert_eq!(Content::of(b"\x89PNG\r\n\x1a\n...."), Content::Png);
        assert_eq!(Content::of(&[0xFF, 0xD8, 0xFF, 0xE0]), Content::Jpeg);
        assert_eq!(Content::of(b"PK\x03\x04rest"), Content::Zip);
        assert_eq!(Content::of(b"\n<!DOCTYPE html><html>"), Content::Html);
        assert_eq!(Content::of(b"Notulen rapat"), Content::Text);
        assert_eq!(Content::of(&[0, 1, 2, 3, 0xFE]), Content::Other);
        assert_eq!(Content::expected("PDF"), Some(Content::Pdf));
        assert_eq!(Content::expected("docx"), Some(Content::Zip));
        assert_eq!(Content::expected("txt"), None);
    }

    #[test]
    fn sha256_is_the_standard_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(sha256(&path).unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn listing_skips_hidden_and_readme_files() {
        let dir = workspace();
        std::fs::write(dir.path().join("evidence/.DS_Store"), b"x").unwrap();
        std::fs::write(dir.path().join("evidence/README.md"), b"x").unwrap();
        assert_eq!(files_on_disk(dir.path()), vec!["evidence/baseline/Perwali.pdf", "evidence/notulen.pdf"]);
    }
}
