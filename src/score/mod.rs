//! Scoring: the instrument's arithmetic (exact), question rules, cohort comparison.

pub mod card;
pub mod cohort;
pub mod exact;
pub mod history;
pub mod plan;
pub mod rules;
