//! `indicators/results/<year>.yaml`: a published result of an earlier evaluation, for the
//! history across years (docs/format.md §7a). News coverage often gives the final alone, so
//! only `year`, `final` and `source` are required.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Sp;

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishedResult {
    /// The evaluation year; must equal the file name.
    pub year: Sp<i32>,
    /// The published final score.
    #[serde(rename = "final")]
    pub final_score: Sp<f64>,
    /// Where it was published (a report, a news article with its date).
    pub source: String,
    /// The instrument it was scored with, when known (an id in indicators/framework/).
    #[serde(default)]
    pub instrument: Option<Sp<String>>,
    /// `Tahap I`, `Tahap II`, …
    #[serde(default)]
    pub stage: Option<String>,
    /// Aspect id → published aspect score.
    #[serde(default)]
    pub aspects: BTreeMap<String, Sp<f64>>,
    /// The predicate as published (`Baik`).
    #[serde(default)]
    pub predicate: Option<String>,
    /// The rank as published (`5 dari 50 kota`).
    #[serde(default)]
    pub rank: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
}
