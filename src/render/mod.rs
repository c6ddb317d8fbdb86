//! Rendering: tera templates (`templates/*.typ`, editable by the city) receive the
//! `Evaluation` and produce Typst source; typst compiles it in-process to PDF.
//!
//! Safety: every value a template prints is escaped for Typst markup (tera autoescape with
//! `escape::escape_fn`), and charts read numbers from `/evaluation.json` through the World (or
//! are drawn from numbers alone as `/charts/*.svg`, `charts.rs`), so no user text is ever parsed
//! as Typst code. Documents read only `templates/` and `out/`.

pub mod charts;
pub mod escape;
pub mod format;
mod localise;
mod pdf;
pub mod shipped_copies;
pub mod templates;
mod view;
pub mod world;

pub use format::Lang;
pub use pdf::{
    DocKind, Prepared, RenderOptions, Rendered, evaluation_date, render, render_template, source_date_epoch,
};
