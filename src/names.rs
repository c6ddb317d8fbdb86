//! The names of the files the tool writes into `out/`, made in one place so that `build`,
//! `report`, `slides` and `export` always agree on them (and `build --check` finds them).

use crate::lang::Lang;

/// A PDF document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Report,
    Slides,
}

impl DocKind {
    /// The word in the file name.
    fn word(self) -> &'static str {
        match self {
            DocKind::Report => "laporan",
            DocKind::Slides => "slides",
        }
    }
}

/// `<slug>-<year>-laporan[-en][-pdfa].pdf`: the archival PDF/A has a name of its own, so a
/// later `build` (which writes plain PDFs) never replaces it.
pub fn document(slug: &str, year: i32, kind: DocKind, lang: Lang, archival: bool) -> String {
    let lang = if lang == Lang::En { "-en" } else { "" };
    let archival = if archival { "-pdfa" } else { "" };
    format!("{slug}-{year}-{}{lang}{archival}.pdf", kind.word())
}

/// `<slug>-ringkasan`: the Bappeda summaries, one file per format (`.xlsx`, `.json`, `.csv`
/// tables and `.parquet` tables add their own endings).
pub fn summary_stem(slug: &str) -> String {
    format!("{slug}-ringkasan")
}

/// `skenario-<name>`: the folder of out/ that a what-if's documents go to.
pub fn scenario_folder(name: &str) -> String {
    format!("skenario-{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(document("kota-ambon", 2023, DocKind::Report, Lang::Id, false), "kota-ambon-2023-laporan.pdf");
        assert_eq!(document("kota-ambon", 2023, DocKind::Slides, Lang::En, true), "kota-ambon-2023-slides-en-pdfa.pdf");
        assert_eq!(summary_stem("kota-ambon"), "kota-ambon-ringkasan");
        assert_eq!(scenario_folder("contoh"), "skenario-contoh");
    }
}
