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

/// `<slug>-<year>-ringkasan.xlsx`: the workbook `build` writes for an evaluation year, named
/// like the year's documents, so that next year's build writes a new file beside it.
pub fn build_summary(slug: &str, year: i32) -> String {
    format!("{slug}-{year}-ringkasan.xlsx")
}

/// `<slug>-ringkasan-<first>-<last>` (`-<year>` for one year): the stem of `export`'s files
/// (`.xlsx`, `.json`, `-<table>.csv`, `-<table>.parquet`). The years covered are in the name,
/// so an export of other years never replaces another export, nor the workbook of `build`
/// (whose name puts the year before `ringkasan`): `build --check` stays true after an export.
pub fn export_stem(slug: &str, first: i32, last: i32) -> String {
    if first == last { format!("{slug}-ringkasan-{first}") } else { format!("{slug}-ringkasan-{first}-{last}") }
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
        assert_eq!(scenario_folder("contoh"), "skenario-contoh");
    }

    #[test]
    fn the_build_workbook_and_exports_never_share_a_name() {
        assert_eq!(build_summary("kota-ambon", 2023), "kota-ambon-2023-ringkasan.xlsx");
        assert_eq!(export_stem("kota-ambon", 2021, 2023), "kota-ambon-ringkasan-2021-2023");
        assert_eq!(export_stem("kota-ambon", 2023, 2023), "kota-ambon-ringkasan-2023");
        // Next year's build writes a file of its own.
        assert_ne!(build_summary("kota-ambon", 2024), build_summary("kota-ambon", 2023));
        for (first, last) in [(2023, 2023), (2021, 2023), (2023, 2024)] {
            assert_ne!(format!("{}.xlsx", export_stem("kota-ambon", first, last)), build_summary("kota-ambon", 2023));
        }
    }
}
