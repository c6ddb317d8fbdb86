//! `indicators/programs/**/*.yaml`: masterplan programs and their indicators (contract §5).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Evidence, Sp};

/// A program file holds one program (a mapping) or several (a sequence).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ProgramFile {
    Many(Vec<Sp<Program>>),
    One(Box<Sp<Program>>),
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Program {
    pub id: Sp<String>,
    pub name: String,
    pub dimension: Sp<String>,
    pub subdimension: Sp<String>,
    /// The responsible agency (Organisasi Perangkat Daerah): an id from `indicators/opd.yaml`,
    /// or its name.
    pub opd: Sp<String>,
    #[serde(default)]
    pub quick_win: bool,
    /// Counts as a collaboration program (Kolaborasi aspect).
    #[serde(default)]
    pub collaboration: bool,
    #[serde(default)]
    pub horizon: Option<Horizon>,
    pub period: Period,
    pub status: Status,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub launched: Option<Sp<String>>,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Bukti dukung: documents showing the program exists (the same entries as an answer's).
    #[serde(default)]
    pub evidence: Vec<Sp<Evidence>>,
    /// Where the program's facts come from; `ilustrasi` marks illustrative content.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub indicators: Vec<ProgramIndicator>,
    /// RPJMD sasaran ids (indicators/rpjmd.yaml) this program serves.
    #[serde(default)]
    pub rpjmd: Vec<Sp<String>>,
    /// Budget nomenclature codes (Kepmendagri `U.BB.PP[.K.KK[.SSSS]]`): program, kegiatan or
    /// sub-kegiatan, e.g. `2.16.03` or `2.16.03.2.02.0035`.
    #[serde(default)]
    pub kode: Vec<Sp<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Horizon {
    JangkaPendek,
    JangkaMenengah,
    JangkaPanjang,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    // As typed in a spreadsheet-minded hand too (`Berjalan`, `BERJALAN`): a status is a word,
    // not a case-sensitive code.
    #[serde(alias = "Rencana", alias = "RENCANA")]
    Rencana,
    #[serde(alias = "Berjalan", alias = "BERJALAN")]
    Berjalan,
    #[serde(alias = "Selesai", alias = "SELESAI")]
    Selesai,
    #[serde(alias = "Tertunda", alias = "TERTUNDA")]
    Tertunda,
    #[serde(alias = "Dihentikan", alias = "DIHENTIKAN")]
    Dihentikan,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: Sp<i32>,
    pub end: Sp<i32>,
}

impl Period {
    pub fn contains(&self, year: i32) -> bool {
        *self.start <= year && year <= *self.end
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramIndicator {
    /// Unique across the workspace.
    pub id: Sp<String>,
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub aggregate: Aggregate,
    #[serde(default)]
    pub baseline: Option<Baseline>,
    /// Year → target value.
    #[serde(default)]
    pub targets: BTreeMap<Sp<i32>, Sp<f64>>,
    #[serde(default)]
    pub description: Option<String>,
    /// `ilustrasi` marks illustrative targets.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    /// The RPJMD indicator (IKU/IKD id) this indicator contributes to.
    #[serde(default)]
    pub contributes_to: Option<Sp<String>>,
    /// Factor turning this indicator's value into the RPJMD indicator's unit (value × conversion),
    /// required when the units differ (e.g. `0.01` from percent to a share).
    #[serde(default)]
    pub conversion: Option<Sp<f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Higher is better (`naik`, the word the Bappeda export writes, is the same).
    #[serde(alias = "naik", alias = "Naik")]
    Up,
    /// Lower is better (`turun`).
    #[serde(alias = "turun", alias = "Turun")]
    Down,
}

/// How a year's observations combine into one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// `jumlah`, `total`.
    #[serde(alias = "jumlah", alias = "total")]
    Sum,
    /// `rata-rata`, `rerata`.
    #[serde(alias = "rata-rata", alias = "rerata")]
    Mean,
    /// `terakhir`.
    #[serde(alias = "terakhir")]
    Last,
    /// `tertinggi`.
    #[serde(alias = "tertinggi")]
    Max,
    /// `terendah`.
    #[serde(alias = "terendah")]
    Min,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub year: Sp<i32>,
    pub value: f64,
}
