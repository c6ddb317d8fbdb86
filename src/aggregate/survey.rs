//! Survey responses → per question mean, count and spread.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{concat_kind, f64s, i64s, strs};
use crate::load::Table;
use crate::workspace::DataKind;

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionStats {
    pub mean: f64,
    pub sum: f64,
    pub count: u32,
    pub std_dev: Option<f64>,
    pub min: f64,
    pub max: f64,
}

pub struct SurveyStats {
    pub questions: BTreeMap<String, QuestionStats>,
    pub respondents: usize,
}

pub fn survey_stats(tables: &[Table]) -> PolarsResult<SurveyStats> {
    let Some(rows) = concat_kind(tables, DataKind::Survey)? else {
        return Ok(SurveyStats { questions: BTreeMap::new(), respondents: 0 });
    };
    let stats = rows
        .clone()
        .group_by([col("question")])
        .agg([
            col("score").mean().alias("mean"),
            col("score").sum().alias("sum"),
            col("score").count().alias("count"),
            col("score").std(1).alias("std"),
            col("score").min().alias("min"),
            col("score").max().alias("max"),
        ])
        .collect()?;
    let respondents = rows.select([col("respondent").n_unique().alias("n")]).collect()?;
    let respondents = i64s(&respondents, "n")?.get(0).unwrap_or(0) as usize;
    let (q, mean, sum, count, std, min, max) = (
        strs(&stats, "question")?,
        f64s(&stats, "mean")?,
        f64s(&stats, "sum")?,
        i64s(&stats, "count")?,
        f64s(&stats, "std")?,
        f64s(&stats, "min")?,
        f64s(&stats, "max")?,
    );
    let mut questions = BTreeMap::new();
    for i in 0..stats.height() {
        let Some(id) = q.get(i) else { continue };
        let n = count.get(i).unwrap_or(0) as u32;
        questions.insert(
            id.to_string(),
            QuestionStats {
                mean: mean.get(i).unwrap_or(f64::NAN),
                sum: sum.get(i).unwrap_or(0.0),
                count: n,
                std_dev: if n > 1 { std.get(i) } else { None },
                min: min.get(i).unwrap_or(f64::NAN),
                max: max.get(i).unwrap_or(f64::NAN),
            },
        );
    }
    Ok(SurveyStats { questions, respondents })
}
