//! `pack`: the zip the team uploads for Tahap II — `out/<city-slug>-<year>-bukti-dukung.zip`,
//! holding under one folder the filed documents arranged by aspect and question
//! (`2-Output/2.1.1-perda-smart-city/perwali.pdf`), `index.html` (every document linked by its
//! relative path: no scripts, no network), `daftar-bukti-dukung.pdf` (the same index typeset by
//! the Typst pipeline, with pages and SHA-256) and the checklist xlsx.
//!
//! The same inputs give the same bytes: entries in a fixed order, the evaluation date as every
//! entry's time, fixed permissions. Documents are streamed into the zip in fixed chunks (hashed
//! on the way), never read whole. The zip is written to a temporary file and renamed: an
//! interrupted pack leaves the previous zip as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::Digest;

use crate::checklist::{Checklist, DocumentEvidence, NO_OPD, QuestionEvidence};
use crate::diagnostic::{Diagnostic, Location};
use crate::evaluation::Evaluation;
use crate::evidence::{DocStatus, Resolver};

/// The index PDF inside the zip, and its template.
pub const INDEX_PDF: &str = "daftar-bukti-dukung.pdf";
pub const TEMPLATE: &str = "bukti-dukung.typ";

/// Longest folder name made from a question's text.
const FOLDER_CHARS: usize = 48;

/// The zip's path: `out/<city-slug>-<year>-bukti-dukung.zip`.
pub fn output_path(root: &Path, list: &Checklist) -> PathBuf {
    root.join("out").join(format!("{}.zip", top_folder(list)))
}

fn top_folder(list: &Checklist) -> String {
    format!("{}-{}-bukti-dukung", list.city_slug, list.year)
}

/// One document as the index shows it.
#[derive(Debug, Clone, Serialize)]
pub struct IndexDocument {
    pub title: String,
    pub status: DocStatus,
    /// Path inside the pack folder (filed documents).
    pub path: Option<String>,
    pub url: Option<String>,
    /// The path written in the workspace (`evidence/…`).
    pub source: Option<String>,
    pub pages: Option<String>,
    pub date: Option<String>,
    pub opd: Option<String>,
    pub bytes: Option<u64>,
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexQuestion {
    pub id: String,
    pub label: String,
    pub score: Option<String>,
    pub opd: Vec<String>,
    /// The question's folder inside the pack (when it holds a filed document).
    pub folder: Option<String>,
    pub documents: Vec<IndexDocument>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexAspect {
    pub name: String,
    pub folder: String,
    pub questions: Vec<IndexQuestion>,
}

/// What the index HTML and PDF show (the template's `p`).
#[derive(Debug, Clone, Serialize)]
pub struct PackIndex {
    pub city: String,
    pub year: i32,
    pub instrument: String,
    pub date: String,
    pub aspects: Vec<IndexAspect>,
    pub programs: Vec<IndexQuestion>,
    pub filed: usize,
    pub linked: usize,
    pub named: usize,
    pub missing: usize,
    pub xlsx: String,
}

/// A file to copy into the zip: its path there and on disk.
struct Planned {
    zip_path: String,
    source: PathBuf,
}

/// `Kondisi awal (Baseline)` → `Kondisi-awal-Baseline`: letters and digits kept as written.
fn folder_word(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A name cut at a dash before `max` characters.
fn cut(slug: &str, max: usize) -> String {
    if slug.chars().count() <= max {
        return slug.to_string();
    }
    let head: String = slug.chars().take(max).collect();
    if slug.chars().nth(max) == Some('-') {
        return head;
    }
    match head.rfind('-') {
        Some(i) if i > max / 2 => head[..i].to_string(),
        _ => head.trim_end_matches('-').to_string(),
    }
}

/// `name` made unique among `taken` with `-2`, `-3`, … before the extension.
fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    if taken.insert(name.to_lowercase()) {
        return name;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    let mut n = 2;
    loop {
        let candidate = format!("{stem}-{n}{ext}");
        if taken.insert(candidate.to_lowercase()) {
            return candidate;
        }
        n += 1;
    }
}

fn status_word(status: DocStatus) -> &'static str {
    crate::export::checklist::doc_status_id(status)
}

/// Builds the index and the copy plan; `Err` lists missing documents when they are not allowed.
fn plan(
    list: &Checklist,
    resolver: &mut Resolver,
    allow_missing: bool,
) -> Result<(PackIndex, Vec<Planned>), Diagnostic> {
    let missing: Vec<String> = list
        .questions
        .iter()
        .flat_map(|q| &q.documents)
        .chain(list.programs.iter().flat_map(|p| &p.documents))
        .filter(|d| d.status == DocStatus::Missing)
        .map(|d| format!("{} ({})", d.file.as_deref().unwrap_or(&d.title), d.origin))
        .collect();
    if !missing.is_empty() && !allow_missing {
        let shown: Vec<&str> = missing.iter().take(10).map(String::as_str).collect();
        let more = if missing.len() > 10 { format!(", and {} more", missing.len() - 10) } else { String::new() };
        return Err(Diagnostic::error(
            "pack-missing",
            format!("{} referenced document(s) are not under evidence/: {}{more}", missing.len(), shown.join(", ")),
        )
        .help("file them (`smartcity-eval validate` says what is wrong with each), or pack without them with --allow-missing: the index then lists them as missing"));
    }
    let mut planned = Vec::new();
    let mut aspects: Vec<IndexAspect> = Vec::new();
    let mut aspect_folders: BTreeSet<String> = BTreeSet::new();
    let mut question_folders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (i, a) in list.aspects.iter().enumerate() {
        let folder =
            unique(format!("{}-{}", i + 1, cut(&folder_word(&aspect_label(&a.name, &a.id)), 32)), &mut aspect_folders);
        aspects.push(IndexAspect { name: a.name.clone(), folder, questions: Vec::new() });
    }
    for q in &list.questions {
        let Some(index) = list.aspects.iter().position(|a| a.id == q.aspect) else { continue };
        let aspect_folder = aspects[index].folder.clone();
        let taken = question_folders.entry(aspect_folder.clone()).or_default();
        let has_files = q.documents.iter().any(|d| d.status == DocStatus::Filed);
        let folder = has_files.then(|| {
            let name = format!("{}-{}", q.number, cut(&question_words(&q.text), FOLDER_CHARS));
            format!("{aspect_folder}/{}", unique(name, taken))
        });
        let documents = documents(&q.documents, folder.as_deref(), resolver, &mut planned);
        aspects[index].questions.push(question_index(q, folder, documents));
    }
    let mut programs = Vec::new();
    let mut program_folders = BTreeSet::new();
    for p in &list.programs {
        let has_files = p.documents.iter().any(|d| d.status == DocStatus::Filed);
        let folder = has_files.then(|| format!("Program/{}", unique(cut(&p.id, FOLDER_CHARS), &mut program_folders)));
        let documents = documents(&p.documents, folder.as_deref(), resolver, &mut planned);
        programs.push(IndexQuestion {
            id: p.id.clone(),
            label: p.name.clone(),
            score: None,
            opd: if p.opd.key == NO_OPD { Vec::new() } else { vec![p.opd.name.clone()] },
            folder,
            documents,
        });
    }
    let all = aspects.iter().flat_map(|a| &a.questions).chain(&programs).flat_map(|q| &q.documents);
    let count = |s: DocStatus| all.clone().filter(|d| d.status == s).count();
    let index = PackIndex {
        city: list.city.clone(),
        year: list.year,
        instrument: list.instrument.clone(),
        date: list.evaluation_date.clone().unwrap_or_else(|| format!("{}-01-01", list.year)),
        filed: count(DocStatus::Filed),
        linked: count(DocStatus::Linked),
        named: count(DocStatus::Named),
        missing: count(DocStatus::Missing),
        aspects,
        programs,
        xlsx: format!("{}.xlsx", top_folder(list)),
    };
    Ok((index, planned))
}

/// A question's text as a folder name, without the question word it starts with:
/// `Apakah sudah ada Perda/Perkada tentang smart city …?` → `sudah-ada-perda-perkada-tentang-smart-city`.
fn question_words(text: &str) -> String {
    let slug = crate::slug::slugify(text);
    for word in ["apakah-", "berapa-banyak-", "berapa-persen-", "berapa-", "bagaimana-", "sejauh-mana-", "seberapa-"] {
        if let Some(rest) = slug.strip_prefix(word)
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    slug
}

/// `Keluaran program Smart City (Output)` → `Output`: the short name in brackets, when there is one.
fn aspect_label(name: &str, id: &str) -> String {
    match name.rsplit_once('(') {
        Some((_, inner)) if inner.ends_with(')') && inner.len() > 1 => inner.trim_end_matches(')').to_string(),
        _ if name.chars().count() <= 32 => name.to_string(),
        _ => id.to_string(),
    }
}

fn question_index(q: &QuestionEvidence, folder: Option<String>, documents: Vec<IndexDocument>) -> IndexQuestion {
    IndexQuestion {
        id: q.id.clone(),
        label: q.label.clone(),
        score: q.score_display.clone(),
        opd: q.opd.iter().filter(|o| o.key != NO_OPD).map(|o| o.name.clone()).collect(),
        folder,
        documents,
    }
}

fn documents(
    docs: &[DocumentEvidence],
    folder: Option<&str>,
    resolver: &mut Resolver,
    planned: &mut Vec<Planned>,
) -> Vec<IndexDocument> {
    let mut names = BTreeSet::new();
    docs.iter()
        .map(|d| {
            let mut path = None;
            if let (DocStatus::Filed, Some(folder), Some(file)) = (d.status, folder, &d.file)
                && let Ok(source) = resolver.resolve(file)
            {
                let name = file.rsplit('/').next().unwrap_or(file).to_string();
                let zip_path = format!("{folder}/{}", unique(name, &mut names));
                planned.push(Planned { zip_path: zip_path.clone(), source });
                path = Some(zip_path);
            }
            IndexDocument {
                title: d.title.clone(),
                status: d.status,
                path,
                url: d.url.clone(),
                source: d.file.clone(),
                pages: d.pages.clone(),
                date: d.date.clone(),
                opd: (d.opd.key != NO_OPD).then(|| d.opd.name.clone()),
                bytes: None,
                sha256: None,
            }
        })
        .collect()
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

/// Writes the pack; returns its path and the index it holds.
pub fn pack(
    root: &Path,
    ev: &Evaluation,
    list: &Checklist,
    allow_missing: bool,
) -> Result<(PathBuf, PackIndex), Diagnostic> {
    let mut resolver = Resolver::new(root);
    let (mut index, planned) = plan(list, &mut resolver, allow_missing)?;
    let (y, m, d) = crate::render::evaluation_date(ev)?;
    let time = zip::DateTime::from_date_and_time(y.clamp(1980, 2107) as u16, m, d, 0, 0, 0).unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .system(zip::System::Unix)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let stored = options.compression_method(zip::CompressionMethod::Stored);
    let deflated = options.compression_method(zip::CompressionMethod::Deflated).compression_level(Some(6));

    let path = output_path(root, list);
    let out = path.parent().map(Path::to_path_buf).unwrap_or_else(|| root.join("out"));
    std::fs::create_dir_all(&out).map_err(|e| failed(&out, e))?;
    let tmp = crate::outdir::temp_for(&path);
    let result = (|| -> Result<(), Diagnostic> {
        let file = std::fs::File::create(&tmp).map_err(|e| failed(&path, e))?;
        let mut zip = zip::ZipWriter::new(BufWriter::with_capacity(256 * 1024, file));
        let top = top_folder(list);
        let mut hashes: BTreeMap<String, (u64, String)> = BTreeMap::new();
        for p in &planned {
            let source = std::fs::File::open(&p.source).map_err(|e| {
                Diagnostic::error("write-failed", format!("cannot read `{}`: {e}", p.source.display()))
                    .at(Location::file(&p.source))
            })?;
            let size = source.metadata().map(|m| m.len()).unwrap_or(0);
            zip.start_file(format!("{top}/{}", p.zip_path), stored.large_file(size >= u64::from(u32::MAX)))
                .map_err(|e| failed(&path, e))?;
            let mut reader = Hashing { inner: source, hasher: sha2::Sha256::new(), bytes: 0 };
            std::io::copy(&mut reader, &mut zip).map_err(|e| failed(&path, e))?;
            let hash: String = reader.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
            hashes.insert(p.zip_path.clone(), (reader.bytes, hash));
        }
        for q in index.aspects.iter_mut().flat_map(|a| a.questions.iter_mut()).chain(index.programs.iter_mut()) {
            for d in &mut q.documents {
                if let Some((bytes, hash)) = d.path.as_ref().and_then(|p| hashes.get(p)) {
                    d.bytes = Some(*bytes);
                    d.sha256 = Some(hash.clone());
                }
            }
        }
        let html = html(&index);
        zip.start_file(format!("{top}/index.html"), deflated).map_err(|e| failed(&path, e))?;
        zip.write_all(html.as_bytes()).map_err(|e| failed(&path, e))?;
        let (pdf, _warnings) = index_pdf(root, ev, &index)?;
        zip.start_file(format!("{top}/{INDEX_PDF}"), deflated).map_err(|e| failed(&path, e))?;
        zip.write_all(&pdf).map_err(|e| failed(&path, e))?;
        let xlsx = crate::export::checklist::xlsx(list, ev).map_err(|e| failed(&path, e))?;
        zip.start_file(format!("{top}/{}", index.xlsx), stored).map_err(|e| failed(&path, e))?;
        zip.write_all(&xlsx).map_err(|e| failed(&path, e))?;
        let buffered = zip.finish().map_err(|e| failed(&path, e))?;
        let file = buffered.into_inner().map_err(|e| failed(&path, e.error()))?;
        file.sync_all().map_err(|e| failed(&path, e))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        crate::outdir::fault_point(&format!("before-rename:{name}"));
        std::fs::rename(&tmp, &path).map_err(|e| failed(&path, e))?;
        crate::outdir::fault_point(&format!("after-rename:{name}"));
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    crate::outdir::done(&tmp);
    result.map(|()| (path, index))
}

fn index_pdf(
    root: &Path,
    ev: &Evaluation,
    index: &PackIndex,
) -> Result<(Vec<u8>, crate::diagnostic::Diagnostics), Diagnostic> {
    let mut context = tera::Context::new();
    context.insert("p", index);
    crate::render::render_template(root, ev, TEMPLATE, &context)
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A relative link: each path segment percent-encoded (RFC 3986 unreserved characters kept).
fn href(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let mut out = String::new();
            for b in segment.bytes() {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    out.push(b as char);
                } else {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// An external link only when it is a web address (validated before; checked again here).
fn web(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn size(bytes: u64) -> String {
    crate::evidence::size(bytes)
}

fn html_documents(out: &mut String, q: &IndexQuestion, answered: bool) {
    if q.documents.is_empty() && answered {
        out.push_str("<p class=\"none\">tanpa bukti dukung</p>\n");
        return;
    }
    out.push_str("<ul>\n");
    for d in &q.documents {
        let status = status_word(d.status);
        let _ = write!(
            out,
            "<li class=\"{}\"><span class=\"status\">{}</span> ",
            esc(&format!("{:?}", d.status).to_lowercase()),
            esc(status)
        );
        match (&d.path, &d.url) {
            (Some(path), _) => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", esc(&href(path)), esc(&d.title));
            }
            (None, Some(url)) if web(url) => {
                let _ = write!(out, "<a href=\"{}\" rel=\"noreferrer\">{}</a>", esc(url), esc(&d.title));
            }
            _ => out.push_str(&esc(&d.title)),
        }
        let mut facts: Vec<String> = Vec::new();
        if let Some(p) = &d.pages {
            facts.push(format!("hlm. {}", esc(p)));
        }
        if let Some(date) = &d.date {
            facts.push(esc(date));
        }
        if let Some(opd) = &d.opd {
            facts.push(format!("OPD: {}", esc(opd)));
        }
        if let Some(bytes) = d.bytes {
            facts.push(size(bytes));
        }
        if d.status == DocStatus::Missing
            && let Some(source) = &d.source
        {
            facts.push(format!("tidak ditemukan: {}", esc(source)));
        }
        if !facts.is_empty() {
            let _ = write!(out, " <span class=\"facts\">— {}</span>", facts.join(" · "));
        }
        if let Some(hash) = &d.sha256 {
            let _ = write!(out, "<br><code>SHA-256 {hash}</code>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// The index page: plain HTML and inline CSS, no scripts, no remote resources.
pub fn html(index: &PackIndex) -> String {
    let mut out = String::new();
    let title = format!("Daftar bukti dukung — {} {}", index.city, index.year);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>\nbody{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733;line-height:1.4}}\n\
         h1{{color:#0b5394}} h2{{border-bottom:2px solid #dbe7f5;margin-top:2rem}} h3{{font-size:1rem;margin:1.2rem 0 .3rem}}\n\
         .meta,.facts{{color:#5f6b7a}} .status{{display:inline-block;min-width:7.5rem;font-size:.85em;color:#5f6b7a}}\n\
         .missing .status,.none{{color:#b3261e}} .filed .status{{color:#2e7d32}} code{{font-size:.75em;color:#5f6b7a}}\n\
         ul{{margin:.2rem 0 .6rem;padding-left:1.2rem}}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">Evaluasi Smart City {} · instrumen {} · tanggal {}<br>{} dokumen ada berkas, {} tautan, {} baru disebut, {} berkas hilang · \
         <a href=\"{}\">daftar (PDF)</a> · <a href=\"{}\">daftar periksa (xlsx)</a></p>",
        index.year,
        esc(&index.instrument),
        esc(&index.date),
        index.filed,
        index.linked,
        index.named,
        index.missing,
        href(INDEX_PDF),
        esc(&href(&index.xlsx))
    );
    for a in &index.aspects {
        let _ = writeln!(out, "<h2>{}</h2>", esc(&a.name));
        for q in &a.questions {
            let _ = writeln!(out, "<h3 id=\"{}\">{}</h3>", esc(&q.id), esc(&q.label));
            let score = q.score.as_ref().map_or_else(|| "belum dijawab".to_string(), |s| format!("nilai {}", esc(s)));
            let opd = if q.opd.is_empty() { String::new() } else { format!(" · OPD: {}", esc(&q.opd.join("; "))) };
            let _ = writeln!(out, "<p class=\"meta\">{score}{opd}</p>");
            html_documents(&mut out, q, q.score.is_some());
        }
    }
    if !index.programs.is_empty() {
        out.push_str("<h2>Program</h2>\n");
        for p in &index.programs {
            let _ = writeln!(out, "<h3 id=\"program-{}\">{}</h3>", esc(&p.id), esc(&p.label));
            if !p.opd.is_empty() {
                let _ = writeln!(out, "<p class=\"meta\">OPD: {}</p>", esc(&p.opd.join("; ")));
            }
            html_documents(&mut out, p, true);
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_unique_and_links_encoded() {
        assert_eq!(aspect_label("Keluaran program Smart City (Output)", "output"), "Output");
        assert_eq!(aspect_label("Baseline", "baseline"), "Baseline");
        assert_eq!(folder_word("Program Percepatan (Quick Win)"), "Program-Percepatan-Quick-Win");
        assert_eq!(question_words("Apakah sudah ada Perda/Perkada?"), "sudah-ada-perda-perkada");
        assert_eq!(question_words("Nilai SPBE"), "nilai-spbe");
        assert_eq!(
            cut("apakah-sudah-ada-perda-perkada-tentang-smart-city-setelah-daerah", 30),
            "apakah-sudah-ada-perda-perkada"
        );
        let mut taken = BTreeSet::new();
        assert_eq!(unique("perwali.pdf".into(), &mut taken), "perwali.pdf");
        assert_eq!(unique("Perwali.pdf".into(), &mut taken), "Perwali-2.pdf");
        assert_eq!(href("1-Baseline/1.1.1-x/foto rapat #1.jpg"), "1-Baseline/1.1.1-x/foto%20rapat%20%231.jpg");
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
