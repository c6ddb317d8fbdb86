//! `indicators/framework/<id>.yaml`: an evaluation instrument (contract §4, §8).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Sp;

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Must equal the file name without `.yaml`.
    pub id: Sp<String>,
    pub name: String,
    #[serde(default)]
    pub year: Option<i32>,
    /// Which cohort the weights apply to (`reguler`, `kppn-ikn`, `all`).
    #[serde(default)]
    pub cohort: Option<String>,
    /// Where the instrument was transcribed from.
    #[serde(default)]
    pub source: Option<String>,
    /// Assumptions made in transcribing it.
    #[serde(default)]
    pub notes: Vec<String>,
    pub scale: Sp<Scale>,
    #[serde(default)]
    pub missing: MissingPolicy,
    pub aspects: Vec<Aspect>,
    /// Bands for the final score, checked from the highest `min` down.
    #[serde(default)]
    pub predicates: Vec<Predicate>,
    /// The dimension set its questions refer to (default `kominfo-2017`); it must be the set of
    /// the workspace's dimensions.yaml to be used.
    #[serde(default)]
    pub dimension_set: Option<Sp<String>>,
}

impl Framework {
    pub fn dimension_set(&self) -> &str {
        self.dimension_set.as_ref().map_or(super::dimensions::DEFAULT_SET, |s| s.value.as_str())
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub min: f64,
    pub max: f64,
}

impl Scale {
    /// A usable scale: finite and not empty.
    pub fn is_valid(&self) -> bool {
        self.min.is_finite() && self.max.is_finite() && self.min < self.max
    }

    pub fn contains(&self, value: f64) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

/// What an unanswered question counts as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// Counts as 0 (Kominfo's practice) and is listed as a gap.
    #[default]
    Zero,
    /// Left out of the aspect mean, and listed as a gap.
    Exclude,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Aspect {
    pub id: Sp<String>,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    /// Percent; the weights of an instrument sum to 100.
    pub weight: Sp<f64>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: Sp<String>,
    #[serde(default)]
    pub number: Option<u32>,
    pub name: String,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique within the instrument, e.g. `bl-1-1.1.1`.
    pub id: Sp<String>,
    /// As printed; repeats across indicators.
    pub number: String,
    #[serde(default)]
    pub subindicator: Option<String>,
    pub text: String,
    #[serde(default)]
    pub dimension: Option<Sp<String>>,
    #[serde(default)]
    pub subdimension: Option<Sp<String>>,
    #[serde(default)]
    pub rule: Option<Sp<Rule>>,
}

/// How a score is derived from workspace data (contract §8).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Rule {
    /// The indicator's value for the evaluation year (or the latest before it).
    Indicator { indicator: String, thresholds: Vec<f64> },
    /// Mean target achievement (%) of the dimension's programs running that year.
    DimensionProgress { dimension: String, thresholds: Vec<f64> },
    /// How many programs match the filter.
    ProgramCount {
        #[serde(default)]
        filter: ProgramFilter,
        thresholds: Vec<f64>,
    },
    /// Mean survey score of the matching question ids (ids or globs).
    Survey { questions: Vec<String> },
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramFilter {
    #[serde(default)]
    pub quick_win: Option<bool>,
    #[serde(default)]
    pub year: Option<YearRef>,
    #[serde(default)]
    pub dimension: Option<String>,
    #[serde(default)]
    pub status: Vec<super::program::Status>,
    #[serde(default)]
    pub collaboration: Option<bool>,
    /// Only programs that started in that year (`period.start`), e.g. new quick wins.
    #[serde(default)]
    pub new: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum YearRef {
    Current,
    Previous,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Predicate {
    pub min: Sp<f64>,
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
}

impl Framework {
    pub fn questions(&self) -> impl Iterator<Item = (&Aspect, &Indicator, &Question)> {
        self.aspects
            .iter()
            .flat_map(|a| a.indicators.iter().flat_map(move |i| i.questions.iter().map(move |q| (a, i, q))))
    }

    pub fn question_ids(&self) -> BTreeMap<&str, &Question> {
        self.questions().map(|(_, _, q)| (q.id.as_str(), q)).collect()
    }
}
