//! The Typst `World` for our documents: the generated source as `/main.typ`, in-memory files
//! (`/evaluation.json`), fonts embedded in the binary, a fixed "today", and read access to
//! nothing but the workspace's `templates/` and `out/` folders. No packages, no network, no
//! system fonts, no environment: the same inputs give the same document.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::syntax::{RootedPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Open Sans (Apache-2.0, licence in src/render/fonts/LICENSE-OpenSans.txt) for all text.
const FONTS: &[&[u8]] = &[
    include_bytes!("fonts/OpenSans-Regular.ttf"),
    include_bytes!("fonts/OpenSans-Bold.ttf"),
    include_bytes!("fonts/OpenSans-Italic.ttf"),
    include_bytes!("fonts/OpenSans-BoldItalic.ttf"),
    include_bytes!("fonts/OpenSans-Semibold.ttf"),
    // Noto Color Emoji (OFL 1.1, licence in fonts/LICENSE-NotoColorEmoji.txt): city text does
    // carry emoji, and a missing glyph would lose them from the document.
    include_bytes!("fonts/NotoColorEmoji.ttf"),
    // DejaVu Sans (free licence, fonts/LICENSE-DejaVu.txt): symbols neither font has (✓, ≤, …).
    include_bytes!("fonts/DejaVuSans.ttf"),
];

/// Fonts are parsed once per process.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS_BOOK: std::sync::OnceLock<(LazyHash<FontBook>, Vec<Font>)> = std::sync::OnceLock::new();
    FONTS_BOOK.get_or_init(|| {
        let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

/// Typst's standard library, built once per process: every document of a batch uses the same
/// one (building it is a few percent of a small document's compile).
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: std::sync::OnceLock<LazyHash<Library>> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

pub struct SandboxWorld {
    main: Source,
    /// Files that exist only in memory (`/evaluation.json`), by virtual path.
    virtual_files: HashMap<String, Bytes>,
    root: PathBuf,
    /// Sub-folders of `root` that documents may read.
    readable: Vec<PathBuf>,
    today: Option<Datetime>,
    /// Sources read from disk (imports of template libraries), cached.
    sources: Mutex<HashMap<FileId, Source>>,
}

pub fn file_id(path: &str) -> Result<FileId, typst::syntax::PathError> {
    Ok(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path)?).intern())
}

impl SandboxWorld {
    pub fn new(
        root: &Path,
        source: String,
        virtual_files: HashMap<String, Bytes>,
        today: (i32, u8, u8),
    ) -> Result<SandboxWorld, crate::diagnostic::Diagnostic> {
        let main = file_id("/main.typ").map_err(|e| {
            crate::diagnostic::Diagnostic::error("internal", format!("the document's virtual path is invalid: {e:?}"))
        })?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let readable = ["templates", "out"].iter().map(|d| root.join(d)).collect();
        Ok(SandboxWorld {
            main: Source::new(main, source),
            virtual_files,
            root,
            readable,
            // An impossible date leaves `datetime.today()` unknown in documents, not a panic.
            today: Datetime::from_ymd(today.0, today.1, today.2),
            sources: Mutex::new(HashMap::new()),
        })
    }

    pub fn main_source(&self) -> &Source {
        &self.main
    }

    /// The real path behind `id`, if documents may read it: inside `templates/` or `out/` of
    /// the workspace after resolving `..` and links.
    fn allowed_path(&self, id: FileId) -> FileResult<PathBuf> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::Package(PackageError::Other(Some(
                "packages are not available: smartcity-eval documents work offline; copy what you need into templates/"
                    .into(),
            ))));
        }
        let path = id.vpath().realize(&self.root).map_err(FileError::Realize)?;
        let real = path.canonicalize().map_err(|e| FileError::from_io(e, &path))?;
        if self.readable.iter().any(|dir| dir.canonicalize().is_ok_and(|d| real.starts_with(d))) {
            Ok(real)
        } else {
            Err(FileError::Other(Some(
                format!(
                    "{} is outside the folders a template may read (templates/ and out/)",
                    id.vpath().get_with_slash()
                )
                .into(),
            )))
        }
    }
}

impl World for SandboxWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let mut cache = self.sources.lock().map_err(|_| FileError::Other(Some("source cache poisoned".into())))?;
        if let Some(source) = cache.get(&id) {
            return Ok(source.clone());
        }
        let text = match self.virtual_files.get(id.vpath().get_with_slash()) {
            Some(bytes) => std::str::from_utf8(bytes.as_slice()).map_err(|_| FileError::InvalidUtf8)?.to_string(),
            None => {
                let path = self.allowed_path(id)?;
                std::fs::read_to_string(&path).map_err(|e| FileError::from_io(e, &path))?
            }
        };
        let source = Source::new(id, text);
        cache.insert(id, source.clone());
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.virtual_files.get(id.vpath().get_with_slash()) {
            return Ok(bytes.clone());
        }
        let path = self.allowed_path(id)?;
        std::fs::read(&path).map(Bytes::new).map_err(|e| FileError::from_io(e, &path))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}
