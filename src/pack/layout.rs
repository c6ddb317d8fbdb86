//! Where each filed document goes in the pack — `2-Output/2.1.1-perda-smart-city/perda.pdf` —
//! and the index listing every question's documents with their status. The pack and the report
//! both take their paths from `layout`, so the report names exactly the file an assessor finds
//! in the zip.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::checklist::{Checklist, DocumentEvidence, NO_OPD, QuestionEvidence, Standing};
use crate::evidence::{DocStatus, Resolver};
use crate::lang::Lang;

/// Longest folder name made from a question's text.
const FOLDER_CHARS: usize = 48;

/// One document as the index shows it.
#[derive(Debug, Clone, Serialize)]
pub struct IndexDocument {
    pub title: String,
    pub status: DocStatus,
    /// The status in the index's language, as the `evidence` checklist prints it.
    pub word: &'static str,
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
    /// As in the checklist: `filed`, `named`, `none`, `unanswered` (programs: never `unanswered`).
    pub standing: Standing,
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
    /// `id` or `en`: the language of the words above and of the index's own text.
    pub lang: &'static str,
    pub city: String,
    pub year: i32,
    pub instrument: String,
    /// The evaluation date in city.yaml, `YYYY-MM-DD`; `None` when it gives none (never made up).
    pub date: Option<String>,
    pub aspects: Vec<IndexAspect>,
    pub programs: Vec<IndexQuestion>,
    pub filed: usize,
    pub linked: usize,
    pub named: usize,
    pub missing: usize,
    pub xlsx: String,
}

impl PackIndex {
    /// Every question, then every program, in the index's order.
    pub fn entries(&self) -> impl Iterator<Item = &IndexQuestion> {
        self.aspects.iter().flat_map(|a| &a.questions).chain(&self.programs)
    }

    pub fn entries_mut(&mut self) -> impl Iterator<Item = &mut IndexQuestion> {
        self.aspects.iter_mut().flat_map(|a| a.questions.iter_mut()).chain(self.programs.iter_mut())
    }
}

/// A file to copy into the pack: its path there, as written in the workspace, and on disk.
#[derive(Debug, Clone)]
pub struct Planned {
    pub zip_path: String,
    /// The `file:` value, normalised (`evidence/…`): the key of the evidence hash cache (hash_cache.rs).
    pub written: String,
    pub source: PathBuf,
}

/// The pack's layout: the index and the files to copy, in the zip's order.
pub struct Layout {
    pub index: PackIndex,
    pub planned: Vec<Planned>,
}

/// The pack folder's name: `<city-slug>-<year>-bukti-dukung`.
pub fn top_folder(list: &Checklist) -> String {
    format!("{}-{}-bukti-dukung", list.city_slug, list.year)
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

/// The index and the copy plan of `list`: the one place pack paths are made.
pub fn layout(list: &Checklist, resolver: &mut Resolver, lang: Lang) -> Layout {
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
        let documents = documents(&q.documents, folder.as_deref(), resolver, &mut planned, lang);
        aspects[index].questions.push(question_index(q, folder, documents));
    }
    let mut programs = Vec::new();
    let mut program_folders = BTreeSet::new();
    for p in &list.programs {
        let has_files = p.documents.iter().any(|d| d.status == DocStatus::Filed);
        let folder = has_files.then(|| format!("Program/{}", unique(cut(&p.id, FOLDER_CHARS), &mut program_folders)));
        let documents = documents(&p.documents, folder.as_deref(), resolver, &mut planned, lang);
        let standing = if documents.iter().any(|d| matches!(d.status, DocStatus::Filed | DocStatus::Linked)) {
            Standing::Filed
        } else if documents.is_empty() {
            Standing::None
        } else {
            Standing::Named
        };
        programs.push(IndexQuestion {
            id: p.id.clone(),
            label: p.name.clone(),
            score: None,
            standing,
            opd: if p.opd.key == NO_OPD { Vec::new() } else { vec![p.opd.name.clone()] },
            folder,
            documents,
        });
    }
    let mut index = PackIndex {
        lang: if lang == Lang::En { "en" } else { "id" },
        city: list.city.clone(),
        year: list.year,
        instrument: list.instrument.clone(),
        date: list.evaluation_date.clone(),
        filed: 0,
        linked: 0,
        named: 0,
        missing: 0,
        aspects,
        programs,
        xlsx: format!("{}.xlsx", top_folder(list)),
    };
    let count = |s: DocStatus| index.entries().flat_map(|q| &q.documents).filter(|d| d.status == s).count();
    (index.filed, index.linked, index.named, index.missing) =
        (count(DocStatus::Filed), count(DocStatus::Linked), count(DocStatus::Named), count(DocStatus::Missing));
    Layout { index, planned }
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
        standing: q.standing,
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
    lang: Lang,
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
                planned.push(Planned { zip_path: zip_path.clone(), written: file.clone(), source });
                path = Some(zip_path);
            }
            IndexDocument {
                title: d.title.clone(),
                status: d.status,
                word: d.status.word(lang),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_and_unique() {
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
    }
}
