//! `pack`: the zip the team uploads for Tahap II — `out/<city-slug>-<year>-bukti-dukung.zip`,
//! holding under one folder the filed documents arranged by aspect and question
//! (`2-Output/2.1.1-perda-smart-city/perwali.pdf`, layout.rs), `index.html` (every document
//! linked by its relative path: no scripts, no network, html.rs), `daftar-bukti-dukung.pdf` (the
//! same index typeset by the Typst pipeline, with pages and SHA-256) and the checklist xlsx, all
//! in the run's language.
//!
//! The same inputs give the same bytes: entries in a fixed order, the evaluation date as every
//! entry's time, fixed permissions. Documents are streamed into the zip in fixed chunks (hashed
//! on the way), never read whole. The zip is written to a temporary file and renamed: an
//! interrupted pack leaves the previous zip as it was.
//!
//! A rebuild reads no document that has not changed: out/.cache/bukti-dukung.json keeps each document's
//! SHA-256 with the size and modification time it had (hash_cache.rs), and when every document
//! still has its recorded size and time and the rest of the inputs are the same, the zip made
//! from them is kept as it is.

mod html;
mod layout;

use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::Digest;

pub use html::html;
pub use layout::{IndexDocument, IndexQuestion, Layout, PackIndex, layout};

use crate::checklist::Checklist;
use crate::diagnostic::{Diagnostic, Location};
use crate::evaluation::Evaluation;
use crate::evidence::{DocStatus, Resolver};
use crate::hash_cache::{self, Stamp};
use crate::lang::Lang;
use crate::manifest;

/// The index PDF inside the zip, and its template.
pub const INDEX_PDF: &str = "daftar-bukti-dukung.pdf";
pub const TEMPLATE: &str = "bukti-dukung.typ";

/// The zip's path: `out/<city-slug>-<year>-bukti-dukung.zip`.
pub fn output_path(root: &Path, list: &Checklist) -> PathBuf {
    root.join("out").join(format!("{}.zip", layout::top_folder(list)))
}

#[derive(Debug, Clone, Copy, Default)]
pub struct PackOptions {
    /// Pack without the documents that cannot be found (the index lists them as missing).
    pub allow_missing: bool,
    pub lang: Lang,
    /// Write the zip even when the one in out/ was made from the same inputs.
    pub force: bool,
}

/// What `pack` did.
pub struct Packed {
    pub path: PathBuf,
    pub index: PackIndex,
    /// The zip in out/ was made from these very inputs and was kept; no document was read.
    pub up_to_date: bool,
}

/// `Err` listing the documents that cannot be found, unless they are allowed.
fn refuse_missing(list: &Checklist, allow_missing: bool) -> Result<(), Diagnostic> {
    let missing: Vec<String> = list
        .questions
        .iter()
        .flat_map(|q| &q.documents)
        .chain(list.programs.iter().flat_map(|p| &p.documents))
        .filter(|d| d.status == DocStatus::Missing)
        .map(|d| format!("{} ({})", d.file.as_deref().unwrap_or(&d.title), d.origin))
        .collect();
    if missing.is_empty() || allow_missing {
        return Ok(());
    }
    let shown: Vec<&str> = missing.iter().take(10).map(String::as_str).collect();
    let more = if missing.len() > 10 { format!(", and {} more", missing.len() - 10) } else { String::new() };
    Err(Diagnostic::error(
        "pack-missing",
        format!("{} referenced document(s) are not under evidence/: {}{more}", missing.len(), shown.join(", ")),
    )
    .help("file them (`smartcity-eval validate` says what is wrong with each), or pack without them with --allow-missing: the index then lists them as missing"))
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: sha2::Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn failed(path: &Path, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error("write-failed", format!("cannot write the pack: {e}"))
        .at(Location::file(path))
        .help("check that out/ can be written and has room; the previous zip was left as it was")
}

/// Sizes and hashes by path in the pack.
type Hashes = BTreeMap<String, (u64, String)>;

/// The index with each filed document's size and SHA-256.
fn fill(index: &mut PackIndex, hashes: &Hashes) {
    for d in index.entries_mut().flat_map(|q| q.documents.iter_mut()) {
        if let Some((bytes, hash)) = d.path.as_ref().and_then(|p| hashes.get(p)) {
            d.bytes = Some(*bytes);
            d.sha256 = Some(hash.clone());
        }
    }
}

/// Everything the zip's bytes follow from: the tool, the language and documents' date, the
/// checklist (the xlsx), the index with every document's SHA-256, and the index template.
fn inputs(root: &Path, list: &Checklist, index: &PackIndex) -> Result<String, Diagnostic> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(format!("\0epoch={:?}\0", crate::render::source_date_epoch()?).as_bytes());
    let internal = |e: serde_json::Error| Diagnostic::error("internal", format!("cannot hash the pack's inputs: {e}"));
    hasher.update(&serde_json::to_vec(list).map_err(internal)?);
    hasher.update(b"\0");
    hasher.update(&serde_json::to_vec(index).map_err(internal)?);
    hasher.update(b"\0");
    hasher.update(manifest::templates_hash(root, TEMPLATE).as_bytes());
    Ok(hasher.finalize().to_hex().to_string())
}

/// Writes the pack (or keeps the one in out/ when it was made from the same inputs).
pub fn pack(root: &Path, ev: &Evaluation, list: &Checklist, options: PackOptions) -> Result<Packed, Diagnostic> {
    refuse_missing(list, options.allow_missing)?;
    let Layout { mut index, planned } = layout(list, &mut Resolver::new(root), options.lang);
    let path = output_path(root, list);
    let out = root.join("out");
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut cache = hash_cache::read(&out);
    let stamps: Vec<Option<Stamp>> = planned.iter().map(|p| Stamp::of(&p.source)).collect();
    // Every document as it was when last hashed: the index (and so the inputs) are known
    // without reading one of them.
    let cached: Option<Hashes> = planned
        .iter()
        .zip(&stamps)
        .map(|(p, stamp)| {
            let stamp = stamp.as_ref()?;
            let hash = cache.cached_sha256(&p.written, stamp)?;
            Some((p.zip_path.clone(), (stamp.size, hash.to_string())))
        })
        .collect();
    if let Some(hashes) = cached
        && !options.force
    {
        fill(&mut index, &hashes);
        if cache.pack_is_fresh(&out, &name, &inputs(root, list, &index)?) {
            return Ok(Packed { path, index, up_to_date: true });
        }
    }

    let hashes = write(root, ev, list, &mut index, &planned, &path)?;
    // The hashes just computed, for the next run; entries of files gone from evidence/ dropped.
    for (p, stamp) in planned.iter().zip(&stamps) {
        if let (Some(stamp), Some((_, hash))) = (stamp, hashes.get(&p.zip_path)) {
            cache.remember(&p.written, stamp, hash);
        }
    }
    cache.evidence.retain(|written, _| root.join(written).is_file());
    cache.record_pack(&out, &name, inputs(root, list, &index)?);
    hash_cache::write(&out, &cache).map_err(|e| failed(&hash_cache::path(&out), e))?;
    Ok(Packed { path, index, up_to_date: false })
}

/// Writes the zip through a temporary file; returns each document's size and SHA-256 by its
/// path in the pack (and fills them into `index`).
fn write(
    root: &Path,
    ev: &Evaluation,
    list: &Checklist,
    index: &mut PackIndex,
    planned: &[layout::Planned],
    path: &Path,
) -> Result<Hashes, Diagnostic> {
    let (y, m, d) = crate::render::evaluation_date(ev)?;
    let time = zip::DateTime::from_date_and_time(y.clamp(1980, 2107) as u16, m, d, 0, 0, 0).unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .system(zip::System::Unix)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let stored = options.compression_method(zip::CompressionMethod::Stored);
    let deflated = options.compression_method(zip::CompressionMethod::Deflated).compression_level(Some(6));
    let lang = if index.lang == "en" { Lang::En } else { Lang::Id };

    let out = path.parent().map(Path::to_path_buf).unwrap_or_else(|| root.join("out"));
    std::fs::create_dir_all(&out).map_err(|e| failed(&out, e))?;
    let tmp = crate::outdir::temp_for(path);
    let result = (|| -> Result<Hashes, Diagnostic> {
        let file = std::fs::File::create(&tmp).map_err(|e| failed(path, e))?;
        let mut zip = zip::ZipWriter::new(BufWriter::with_capacity(256 * 1024, file));
        let top = layout::top_folder(list);
        let mut hashes = Hashes::new();
        for p in planned {
            let source = std::fs::File::open(&p.source).map_err(|e| {
                Diagnostic::error("write-failed", format!("cannot read `{}`: {e}", p.source.display()))
                    .at(Location::file(&p.source))
            })?;
            let size = source.metadata().map(|m| m.len()).unwrap_or(0);
            zip.start_file(format!("{top}/{}", p.zip_path), stored.large_file(size >= u64::from(u32::MAX)))
                .map_err(|e| failed(path, e))?;
            let mut reader = Hashing { inner: source, hasher: sha2::Sha256::new(), bytes: 0 };
            std::io::copy(&mut reader, &mut zip).map_err(|e| failed(path, e))?;
            let hash: String = reader.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
            hashes.insert(p.zip_path.clone(), (reader.bytes, hash));
        }
        fill(index, &hashes);
        let html = html(index);
        zip.start_file(format!("{top}/index.html"), deflated).map_err(|e| failed(path, e))?;
        zip.write_all(html.as_bytes()).map_err(|e| failed(path, e))?;
        let (pdf, _warnings) = index_pdf(root, ev, index, lang)?;
        zip.start_file(format!("{top}/{INDEX_PDF}"), deflated).map_err(|e| failed(path, e))?;
        zip.write_all(&pdf).map_err(|e| failed(path, e))?;
        let xlsx = crate::export::checklist::xlsx(list, ev, lang).map_err(|e| failed(path, e))?;
        zip.start_file(format!("{top}/{}", index.xlsx), stored).map_err(|e| failed(path, e))?;
        zip.write_all(&xlsx).map_err(|e| failed(path, e))?;
        let buffered = zip.finish().map_err(|e| failed(path, e))?;
        let file = buffered.into_inner().map_err(|e| failed(path, e.error()))?;
        file.sync_all().map_err(|e| failed(path, e))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        crate::outdir::fault_point(&format!("before-rename:{name}"));
        std::fs::rename(&tmp, path).map_err(|e| failed(path, e))?;
        crate::outdir::fault_point(&format!("after-rename:{name}"));
        Ok(hashes)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    crate::outdir::done(&tmp);
    result
}

fn index_pdf(
    root: &Path,
    ev: &Evaluation,
    index: &PackIndex,
    lang: Lang,
) -> Result<(Vec<u8>, crate::diagnostic::Diagnostics), Diagnostic> {
    let mut context = tera::Context::new();
    context.insert("p", index);
    crate::render::render_template(root, ev, TEMPLATE, &context, lang)
}
