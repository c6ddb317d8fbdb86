//! The language of everything a person reads: CLI summaries, report, slides, workbook. One
//! type from the command line to the renderers.

/// Indonesian by default; English on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// Indonesian.
    #[default]
    Id,
    /// English.
    En,
}
