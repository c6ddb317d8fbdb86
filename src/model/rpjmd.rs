//! `indicators/rpjmd.yaml` (optional): the region's medium-term plan (RPJMD) — vision, missions,
//! goals (tujuan), targets (sasaran) and their indicators (IKU/IKD) — that masterplan programs
//! say they serve (contract §5a). Field names follow the RPJMD documents Bappeda publishes.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Sp;
use super::program::Period;

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rpjmd {
    /// The RPJMD's years, e.g. `{start: 2025, end: 2029}`.
    pub period: Period,
    pub visi: String,
    pub misi: Vec<Misi>,
    /// `ilustrasi` marks an illustrative RPJMD (shown as such in the documents).
    #[serde(default)]
    pub source: Option<String>,
    /// Where the texts come from (Perda, Bappeda page, …).
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Misi {
    pub id: Sp<String>,
    /// As printed in the RPJMD (`1`, `I`).
    pub number: Sp<String>,
    pub text: String,
    #[serde(default)]
    pub tujuan: Vec<Tujuan>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tujuan {
    pub id: Sp<String>,
    pub text: String,
    /// Indikator tujuan.
    #[serde(default)]
    pub indicators: Vec<RpjmdIndicator>,
    #[serde(default)]
    pub sasaran: Vec<Sasaran>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sasaran {
    pub id: Sp<String>,
    pub text: String,
    /// Indikator sasaran (IKU); large tables may live in `data/rpjmd/` instead.
    #[serde(default)]
    pub indicators: Vec<RpjmdIndicator>,
}

/// An IKU/IKD of the RPJMD.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RpjmdIndicator {
    /// Unique across the RPJMD (a kodefikasi such as `iku-1.1.1` written as an id).
    pub id: Sp<String>,
    pub name: String,
    pub unit: Sp<String>,
    #[serde(default)]
    pub baseline: Option<RpjmdBaseline>,
    /// Year → target value.
    #[serde(default)]
    pub targets: BTreeMap<Sp<i32>, Sp<f64>>,
    /// Definisi operasional.
    #[serde(default)]
    pub definition: Option<String>,
    /// Sumber data.
    #[serde(default)]
    pub data_source: Option<String>,
    /// Produsen data (the OPD that reports it).
    #[serde(default)]
    pub producer: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RpjmdBaseline {
    pub year: Sp<i32>,
    pub value: f64,
}
