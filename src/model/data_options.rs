//! How a data file is read: workspace defaults in `city.yaml` under `data:` and per-file
//! sidecars `<file name>.yaml` (contract §6).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataOptions {
    /// `point` (default) or `comma` for values like `1.234,5`.
    #[serde(default)]
    pub decimal: Option<Decimal>,
    /// xlsx sheet to read (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Title rows above the header.
    #[serde(default)]
    pub skip_rows: Option<usize>,
    /// Contract column name → header name in this file.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Headers to ignore.
    #[serde(default)]
    pub ignore_columns: Vec<String>,
    /// Set by [`DataOptions::over`], never written: `decimal` comes from city.yaml's `data:`
    /// (every file), not from the file's own sidecar. A `;`-separated CSV read with a decimal
    /// point declared this way is checked for dotted thousands (`275.500`, format.md §6.4).
    #[serde(skip)]
    #[schemars(skip)]
    pub decimal_from_workspace: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Decimal {
    #[default]
    Point,
    Comma,
}

impl DataOptions {
    /// Per-file options over workspace defaults (a file without a sidecar: the default
    /// options over them).
    pub fn over(&self, defaults: &DataOptions) -> DataOptions {
        DataOptions {
            decimal: self.decimal.or(defaults.decimal),
            decimal_from_workspace: self.decimal.is_none() && defaults.decimal.is_some(),
            sheet: self.sheet.clone().or_else(|| defaults.sheet.clone()),
            skip_rows: self.skip_rows.or(defaults.skip_rows),
            columns: if self.columns.is_empty() { defaults.columns.clone() } else { self.columns.clone() },
            ignore_columns: if self.ignore_columns.is_empty() {
                defaults.ignore_columns.clone()
            } else {
                self.ignore_columns.clone()
            },
        }
    }
}
