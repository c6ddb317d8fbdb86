//! `indicators/dimensions.yaml`: the six smart city dimensions (contract §3).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Sp;

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimensions {
    pub dimensions: Vec<Dimension>,
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
