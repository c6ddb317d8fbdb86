//! `indicators/dimensions.yaml`: the smart city dimensions (contract §3). Today's set is the six
//! of Kominfo's 2017 guide, with fixed ids; a workspace may declare another set (a 2026 draft
//! regulation has Mobility instead of Branding) and instruments say which set they were made for.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Sp;

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimensions {
    /// Which set of dimensions this is (default `kominfo-2017`, the six fixed ones); an
    /// instrument's `dimension_set` must name the same set to be used with it.
    #[serde(default)]
    pub set: Option<Sp<String>>,
    pub dimensions: Vec<Dimension>,
}

/// The set of the 2017 guide (governance, branding, economy, living, society, environment):
/// the set of a dimensions.yaml or an instrument that names none.
pub const DEFAULT_SET: &str = "kominfo-2017";

/// How many dimensions a declared set may have: the documents lay out 4 to 8.
pub const SET_SIZE: std::ops::RangeInclusive<usize> = 4..=8;

impl Dimensions {
    pub fn set_id(&self) -> &str {
        self.set.as_ref().map_or(DEFAULT_SET, |s| s.value.as_str())
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: Sp<String>,
    #[serde(default)]
    pub number: Option<u32>,
    /// Indonesian name.
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub description: Option<String>,
    pub subdimensions: Vec<Subdimension>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subdimension {
    pub id: Sp<String>,
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// The fixed ids of the contract: six dimensions, three sub-dimensions each.
pub const FIXED_IDS: [(&str, [&str; 3]); 6] = [
    ("governance", ["layanan-publik", "kebijakan-publik", "tata-kelola-birokrasi"]),
    ("branding", ["pariwisata", "bisnis", "wajah-kota"]),
    ("economy", ["industri", "kesejahteraan", "transaksi-keuangan"]),
    ("living", ["tata-ruang", "kesehatan", "mobilitas"]),
    ("society", ["komunitas", "pendidikan", "keamanan"]),
    ("environment", ["proteksi-lingkungan", "sampah-limbah", "energi"]),
];
