//! smartcity-eval: a workspace of plain files → everything a city needs for Kominfo's yearly
//! Smart City evaluation. The pipeline reads top to bottom:
//! workspace → load → validate → (aggregate → score → render/export).

pub mod aggregate;
pub mod checklist;
pub mod cli;
pub mod commands;
pub mod diagnostic;
pub mod evaluate;
pub mod evaluation;
pub mod evidence;
pub mod export;
pub mod guard;
pub mod hash_cache;
pub mod lang;
pub mod load;
pub mod manifest;
pub mod model;
pub mod names;
pub mod outdir;
pub mod pack;
pub mod period;
pub mod progress;
pub mod render;
pub mod rpjmd;
pub mod scenario;
pub mod score;
pub mod slug;
pub mod validate;
pub mod workspace;
