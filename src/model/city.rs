//! `indicators/city.yaml`: the city and the evaluation being prepared (contract §2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{DataOptions, Sp};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct City {
    /// Display name, e.g. `Kota Ambon`.
    pub city: Sp<String>,
    /// Slug used in output file names; defaults to the slug of `city` (`kota-ambon`).
    #[serde(default)]
    pub slug: Option<Sp<String>>,
    pub kind: CityKind,
    pub province: Sp<String>,
    pub evaluation: Evaluation,
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub population: Option<f64>,
    #[serde(default)]
    pub area_km2: Option<f64>,
    #[serde(default)]
    pub mayor: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    /// Logo under `templates/assets/`.
    #[serde(default)]
    pub logo: Option<Sp<String>>,
    /// Who presents to the assessors.
    #[serde(default)]
    pub delegation: Vec<Person>,
    #[serde(default)]
    pub assessors: Vec<Assessor>,
    /// Dewan Smart City, Tim Pelaksana, Forum, with their legal basis.
    #[serde(default)]
    pub institutions: Vec<Institution>,
    /// Kekuatan, as the city sees them.
    #[serde(default)]
    pub strengths: Vec<String>,
    /// Kelemahan / kendala.
    #[serde(default)]
    pub weaknesses: Vec<String>,
    /// Rencana tindak lanjut.
    #[serde(default)]
    pub follow_ups: Vec<String>,
    /// Advice received from assessors.
    #[serde(default)]
    pub advice: Vec<Advice>,
    /// Documents the figures in this workspace come from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Workspace defaults for data files (contract §6).
    #[serde(default)]
    pub data: Option<DataOptions>,
    /// Last year's published result.
    #[serde(default)]
    pub previous: Option<Previous>,
    /// Bukti dukung settings (docs/format.md §7.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceOptions>,
}

/// How the files under `evidence/` are checked.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceOptions {
    /// Largest file the upload portal takes, in megabytes (default 10). Larger files are a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size_mb: Option<Sp<f64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CityKind {
    Kota,
    Kabupaten,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    pub year: Sp<i32>,
    pub stage: Stage,
    /// Id of an instrument in `indicators/framework/`.
    pub framework: Sp<String>,
    /// The evaluation meeting, `YYYY-MM-DD`; also the documents' fixed date.
    #[serde(default)]
    pub date: Option<Sp<String>>,
    #[serde(default)]
    pub mode: Option<Mode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    #[serde(rename = "tahap-1")]
    Tahap1,
    #[serde(rename = "tahap-2")]
    Tahap2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Daring,
    Luring,
    Hybrid,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub institution: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessor {
    pub name: String,
    pub institution: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Institution {
    pub id: Sp<String>,
    pub name: String,
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub established: Option<i32>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    pub by: String,
    #[serde(default)]
    pub institution: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Previous {
    pub year: Sp<i32>,
    /// Instrument whose weights apply to `aspects` (default: the one instrument declaring that
    /// `year`).
    #[serde(default)]
    pub framework: Option<Sp<String>>,
    /// Aspect id → published aspect score.
    pub aspects: std::collections::BTreeMap<String, Sp<f64>>,
    /// The published final score (display only: improvement uses the weighted sum, see docs).
    #[serde(rename = "final", default)]
    pub final_score: Option<Sp<f64>>,
}
