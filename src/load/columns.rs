//! The columns of each data kind (contract §6): names, types and whether they may be empty.

use crate::workspace::DataKind;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColType {
    /// Trimmed text (ids, names, notes).
    Text,
    Number,
    /// A calendar year (accepts `2023` and `2023.0`).
    Year,
    Period,
    /// Lowercase text from a fixed list.
    OneOf(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub struct ColSpec {
    pub name: &'static str,
    pub ty: ColType,
    /// The header must be present.
    pub required: bool,
    /// Cells may be empty (for `value`: not measured).
    pub nullable: bool,
    /// An xlsx cell formatted as a percentage is read as the number shown (83 % → 83), as
    /// indicator values in percent are written; elsewhere such a cell is refused.
    pub percent_as_shown: bool,
}

const fn col(name: &'static str, ty: ColType, required: bool, nullable: bool) -> ColSpec {
    ColSpec { name, ty, required, nullable, percent_as_shown: false }
}

pub const BUDGET_SOURCES: &[&str] = &["apbd", "apbn", "csr", "swasta", "lainnya"];

const OBSERVATIONS: &[ColSpec] = &[
    col("indicator", ColType::Text, true, false),
    col("period", ColType::Period, true, false),
    ColSpec { percent_as_shown: true, ..col("value", ColType::Number, true, true) },
    col("area", ColType::Text, false, true),
    col("source", ColType::Text, false, true),
    col("note", ColType::Text, false, true),
];

const BUDGET: &[ColSpec] = &[
    col("program", ColType::Text, true, false),
    col("year", ColType::Year, true, false),
    col("source", ColType::OneOf(BUDGET_SOURCES), true, false),
    col("planned", ColType::Number, true, false),
    col("realized", ColType::Number, true, true),
];

const SURVEY: &[ColSpec] = &[
    col("respondent", ColType::Text, true, false),
    col("question", ColType::Text, true, false),
    col("score", ColType::Number, true, false),
];

const COHORT: &[ColSpec] = &[
    col("name", ColType::Text, true, false),
    col("year", ColType::Year, true, false),
    col("baseline", ColType::Number, true, false),
    col("output", ColType::Number, true, false),
    col("outcome", ColType::Number, true, false),
    col("impact", ColType::Number, true, false),
    col("quick-win", ColType::Number, true, false),
    col("kolaborasi", ColType::Number, false, true),
    col("framework", ColType::Text, false, true),
    col("final", ColType::Number, true, false),
];

/// An RPJMD indicator table as regions publish it (KODEFIKASI | INDIKATOR | SATUAN |
/// BASELINE 2024 | 2025 … 2030 | DEFINISI | SUMBER DATA | PRODUSEN DATA), one row per indicator,
/// linked to its sasaran by `sasaran`. Target years are columns named by the year.
const RPJMD: &[ColSpec] = &[
    col("sasaran", ColType::Text, true, false),
    col("indicator", ColType::Text, true, false),
    col("name", ColType::Text, true, false),
    col("unit", ColType::Text, true, false),
    ColSpec { percent_as_shown: true, ..col("baseline", ColType::Number, false, true) },
    col("baseline_year", ColType::Year, false, true),
    rpjmd_year("2020"),
    rpjmd_year("2021"),
    rpjmd_year("2022"),
    rpjmd_year("2023"),
    rpjmd_year("2024"),
    rpjmd_year("2025"),
    rpjmd_year("2026"),
    rpjmd_year("2027"),
    rpjmd_year("2028"),
    rpjmd_year("2029"),
    rpjmd_year("2030"),
    rpjmd_year("2031"),
    rpjmd_year("2032"),
    rpjmd_year("2033"),
    rpjmd_year("2034"),
    rpjmd_year("2035"),
    col("definition", ColType::Text, false, true),
    col("data_source", ColType::Text, false, true),
    col("producer", ColType::Text, false, true),
];

/// Headers RPJMD tables use for the contract columns (suggested in diagnostics, never silently
/// accepted, as the other kinds' aliases in `table.rs`).
pub const RPJMD_ALIASES: &[(&str, &[&str])] = &[
    ("indicator", &["kodefikasi", "kode", "kode indikator", "kode iku"]),
    ("name", &["indikator", "indikator kinerja", "indikator kinerja utama", "nama indikator", "iku"]),
    ("unit", &["satuan"]),
    ("definition", &["definisi", "definisi operasional", "formula", "rumus"]),
    ("data_source", &["sumber data"]),
    ("producer", &["produsen data", "penanggung jawab", "opd penanggung jawab", "perangkat daerah"]),
];

/// The first and last year an RPJMD table may have a target column for.
pub const RPJMD_YEARS: std::ops::RangeInclusive<i32> = 2020..=2035;

const fn rpjmd_year(year: &'static str) -> ColSpec {
    ColSpec { percent_as_shown: true, ..col(year, ColType::Number, false, true) }
}

pub fn columns(kind: DataKind) -> &'static [ColSpec] {
    match kind {
        DataKind::Observations => OBSERVATIONS,
        DataKind::Budget => BUDGET,
        DataKind::Survey => SURVEY,
        DataKind::Cohort => COHORT,
        DataKind::Rpjmd => RPJMD,
    }
}
