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

pub fn columns(kind: DataKind) -> &'static [ColSpec] {
    match kind {
        DataKind::Observations => OBSERVATIONS,
        DataKind::Budget => BUDGET,
        DataKind::Survey => SURVEY,
        DataKind::Cohort => COHORT,
    }
}
