//! `indicators/assessment/<year>.yaml`: self-assessment answers (contract §7).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Evidence, Sp};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub year: Sp<i32>,
    /// Question id → answer.
    #[serde(default)]
    pub answers: BTreeMap<Sp<String>, Answer>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// A score on the instrument's scale.
    #[serde(default)]
    pub score: Option<Sp<f64>>,
    /// Use the question's rule (contract §8) instead of a manual score.
    #[serde(default)]
    pub derive: bool,
    /// Bukti dukung: documents that support the answer — a document's name (not yet filed), or
    /// a mapping with `file` (under `evidence/`), `url`, `title`, `opd`, `date`, `pages`, `note`.
    #[serde(default)]
    pub evidence: Vec<Sp<Evidence>>,
    /// Who answers for this question's evidence: an OPD id from `indicators/opd.yaml`, or a
    /// plain name. A document's own `opd` wins for that document.
    #[serde(default)]
    pub opd: Option<Sp<String>>,
    #[serde(default)]
    pub note: Option<String>,
    /// `ilustrasi` marks an illustrative score.
    #[serde(default)]
    pub source: Option<String>,
}
