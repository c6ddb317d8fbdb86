//! `scenarios/<name>.yaml`: a what-if (issue #16, docs/format.md §7b). It overrides answers,
//! indicator values and program status; `score`, `plan` and `build --scenario NAME` show its
//! result beside today's. The workspace's own files are never changed by it.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::Sp;
use super::program::Status;

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario supposes, in a sentence (printed on its documents).
    #[serde(default)]
    pub description: Option<String>,
    /// Question id → a score on the instrument's scale, or `unanswered`.
    #[serde(default)]
    pub answers: BTreeMap<Sp<String>, Sp<ScenarioAnswer>>,
    /// Indicator values: the year's value (or one area's) as if the data held that one value.
    #[serde(default)]
    pub values: Vec<Sp<ValueOverride>>,
    /// Program id → status (`berjalan`, `selesai`, …).
    #[serde(default)]
    pub programs: BTreeMap<Sp<String>, Status>,
}

/// A scenario's answer: a score, or the answer taken away.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ScenarioAnswer {
    Score(f64),
    Unanswered(Unanswered),
}

/// The word `unanswered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Unanswered {
    Unanswered,
}

// By hand rather than untagged: an untagged enum would say "data did not match any variant"
// where the user needs "a score or `unanswered`" (and the span of the value would be lost).
impl<'de> Deserialize<'de> for ScenarioAnswer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;
        impl Visitor<'_> for AnswerVisitor {
            type Value = ScenarioAnswer;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a score (a number such as 3 or 2.5) or `unanswered`")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScenarioAnswer, E> {
                Ok(ScenarioAnswer::Score(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScenarioAnswer, E> {
                Ok(ScenarioAnswer::Score(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScenarioAnswer, E> {
                Ok(ScenarioAnswer::Score(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScenarioAnswer, E> {
                if v == "unanswered" {
                    return Ok(ScenarioAnswer::Unanswered(Unanswered::Unanswered));
                }
                // yaml.rs turns "is not a score" into a `wrong-type` with the fix.
                let hint = if v.contains(',') && v.replace(',', ".").parse::<f64>().is_ok() {
                    format!("`{v}` is not a score: YAML writes decimals with a point")
                } else {
                    format!("`{v}` is not a score")
                };
                Err(E::custom(hint))
            }
        }
        deserializer.deserialize_any(AnswerVisitor)
    }
}

/// One indicator value the scenario supposes.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueOverride {
    /// A program indicator's id.
    pub indicator: Sp<String>,
    pub year: Sp<i32>,
    pub value: Sp<f64>,
    /// One area's value (as written in the data's `area` column); without it, the city's.
    #[serde(default)]
    pub area: Option<Sp<String>>,
}
