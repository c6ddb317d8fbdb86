//! Every command and flag, defined once; `--help` is generated from here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `smartcity-eval --version`: the version and the commit the binary was built from (build.rs;
/// `unknown` outside a git checkout). Only shown here: outputs key on CARGO_PKG_VERSION alone.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("SMARTCITY_EVAL_COMMIT"), ")");

#[derive(Debug, Parser)]
#[command(
    name = "smartcity-eval",
    version = VERSION,
    about = "Prepare Kominfo's yearly Smart City evaluation from a workspace of plain files",
    long_about = "Prepare Kominfo's yearly Smart City evaluation (Evaluasi Smart City, Gerakan Menuju \
                  Kota Cerdas) from a workspace of YAML and data files.\n\n\
                  Exit status: 0 success (warnings allowed), 1 the workspace has errors, 2 usage error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The workspace folder.
    #[arg(long, short = 'w', global = true, default_value = ".", value_name = "DIR")]
    pub workspace: PathBuf,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// When another build is writing this workspace's out/, wait for it instead of stopping.
    #[arg(long, global = true)]
    pub wait: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every file of the workspace: syntax, schema, ids, references, numbers, completeness.
    Validate(ValidateArgs),
    /// Create a new, valid workspace with the shipped dimensions and instruments.
    Init(InitArgs),
    /// Write JSON Schemas for the YAML files (for editors and outside validators).
    Schema(SchemaArgs),
    /// The scorecard: question, aspect and final scores, predicate, change on last year, gaps.
    Score(ScoreArgs),
    /// The assessor-ready PDF report: out/<city-slug>-<year>-laporan.pdf (A4).
    Report(DocumentArgs),
    /// The 16:9 slide deck: out/<city-slug>-<year>-slides.pdf.
    Slides(DocumentArgs),
    /// Validate, score and write the report, the slides and the Bappeda xlsx into out/.
    Build(BuildArgs),
    /// Yearly summaries for Bappeda: out/<city-slug>-ringkasan-<years>.xlsx (or csv, parquet,
    /// json), named after the years covered so it never replaces build's workbook.
    Export(ExportArgs),
    /// Which questions move the final score most: per question the gain of one more point and
    /// of the top of the scale (exact); `--target 3.00` the fewest points that reach it.
    Plan(PlanArgs),
    /// The bukti dukung checklist: per question its documents (filed / named only / missing)
    /// and the OPD that owes them, with coverage per aspect and per OPD.
    Evidence(EvidenceArgs),
    /// The zip to upload for Tahap II: out/<city-slug>-<year>-bukti-dukung.zip with the filed
    /// documents by aspect and question, index.html, the index PDF and the checklist xlsx.
    Pack(PackArgs),
    /// Instruments: `instrument new ID --from SOURCE` copies one under a new id and year, for
    /// the year's instrument when Kominfo sends it.
    #[command(subcommand)]
    Instrument(InstrumentCommand),
    /// The documentation of this version, printed: the Indonesian quick start (`panduan`), the
    /// workspace format, the diagnostics, CI, exports; without a topic, the list.
    Docs(DocsArgs),
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    #[arg(value_enum)]
    pub topic: Option<DocTopic>,
    /// Language of the topic list (the documents are written in one language each).
    #[arg(long, value_enum, default_value_t = Lang::Id)]
    pub lang: Lang,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocTopic {
    Panduan,
    Format,
    Diagnostics,
    Ci,
    Export,
    Evaluation,
}

impl DocTopic {
    /// The name on the command line (and of the file under docs/, without `.md`).
    pub fn name(self) -> String {
        clap::ValueEnum::to_possible_value(&self).map(|v| v.get_name().to_string()).unwrap_or_default()
    }
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Evaluation year (default: the one in city.yaml).
    #[arg(long)]
    pub year: Option<i32>,
    /// Only the questions of this aspect (`baseline`, `output`, …).
    #[arg(long)]
    pub aspect: Option<String>,
    /// Only the questions without a score.
    #[arg(long)]
    pub unanswered: bool,
    /// Only the questions whose derived inputs or evidence belong to this OPD (an id from
    /// indicators/opd.yaml, or a name as written in the workspace).
    #[arg(long, value_name = "ID")]
    pub opd: Option<String>,
    /// A what-if from scenarios/<NAME>.yaml, shown beside today's result.
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// A final score to reach: the fewest points (then questions) that reach it.
    #[arg(long)]
    pub target: Option<f64>,
    /// Rows of the table (JSON has every question).
    #[arg(long, default_value_t = 25)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,
    #[arg(long, value_enum, default_value_t = Lang::Id)]
    pub lang: Lang,
}

#[derive(Debug, Args)]
pub struct EvidenceArgs {
    /// `human` for the terminal, `json` for other tools, `xlsx` for the OPDs:
    /// out/<city-slug>-<year>-bukti-dukung.xlsx, one sheet per OPD.
    #[arg(long, value_enum, default_value_t = EvidenceFormat::Human)]
    pub format: EvidenceFormat,
    /// Only this OPD's questions and documents: an id from indicators/opd.yaml, or a name as
    /// written in the workspace.
    #[arg(long, value_name = "ID")]
    pub opd: Option<String>,
    /// Evaluation year (default: the one in city.yaml).
    #[arg(long)]
    pub year: Option<i32>,
    /// Language of the terminal checklist and of the xlsx.
    #[arg(long, value_enum, default_value_t = Lang::Id)]
    pub lang: Lang,
}

#[derive(Debug, Args)]
pub struct PackArgs {
    /// Pack even when referenced documents are missing; the index lists them as missing.
    #[arg(long)]
    pub allow_missing: bool,
    /// Evaluation year (default: the one in city.yaml).
    #[arg(long)]
    pub year: Option<i32>,
    /// Language of the index (PDF and index.html) and the checklist xlsx in the zip.
    #[arg(long, value_enum, default_value_t = Lang::Id)]
    pub lang: Lang,
    /// Write the zip even when the one in out/ was made from the same documents and inputs.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvidenceFormat {
    Human,
    Json,
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum InstrumentCommand {
    /// Copy an instrument (shipped, or one of the workspace's) to
    /// indicators/framework/<ID>.yaml with a new id and year, to edit its weights and questions.
    New(InstrumentNewArgs),
}

#[derive(Debug, Args)]
pub struct InstrumentNewArgs {
    /// The new instrument's id, e.g. `kominfo-2025` (also its file name).
    pub id: String,
    /// The instrument to copy: `kominfo-2022`, `kominfo-2023-kppn-ikn`, `kominfo-2023-reguler` or
    /// one in the workspace.
    #[arg(long)]
    pub from: String,
    /// The evaluation year it is for (default: the year in the id).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2100))]
    pub year: Option<i32>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Xlsx)]
    pub format: ExportFormat,
    /// Years to cover, `2021..2023` or one year (default: first year with data to the evaluation year).
    #[arg(long, value_parser = parse_years)]
    pub years: Option<(i32, i32)>,
    /// CSV for programs (`,`, 1234.5) or for Indonesian Excel (`;`, 1234,5, BOM); with `--format csv`.
    #[arg(long, value_enum, default_value_t = CsvDialect::Machine)]
    pub csv_dialect: CsvDialect,
}

pub use crate::export::{CsvDialect, ExportFormat};

fn parse_years(text: &str) -> Result<(i32, i32), String> {
    let year = |s: &str| -> Result<i32, String> {
        s.trim().parse::<i32>().ok().filter(|y| (1900..=2100).contains(y)).ok_or_else(|| format!("`{s}` is not a year"))
    };
    match text.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (year(a)?, year(b)?);
            if a <= b { Ok((a, b)) } else { Err(format!("{a}..{b}: the first year must not be after the last")) }
        }
        None => year(text).map(|y| (y, y)).map_err(|e| {
            // `2022-2026` or `2022–2026`: a range written the way people write ranges.
            match text.split_once(['-', '–', '/']) {
                Some((a, b)) if year(a).is_ok() && year(b).is_ok() => {
                    format!("{e}; a range of years is written `{}..{}`", a.trim(), b.trim())
                }
                _ => format!("{e}; write one year (2023) or a range (2021..2023)"),
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_years;

    #[test]
    fn years_and_ranges() {
        assert_eq!(parse_years("2023"), Ok((2023, 2023)));
        assert_eq!(parse_years("2021..2023"), Ok((2021, 2023)));
        assert!(parse_years("2022-2026").unwrap_err().contains("`2022..2026`"));
        assert!(parse_years("2022–2026").unwrap_err().contains("`2022..2026`"));
        assert!(parse_years("dua").unwrap_err().contains("2021..2023"));
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Document language.
    #[arg(long, value_enum, default_value_t = Lang::Id)]
    pub lang: Lang,
    /// Write nothing; exit 1 and list the outputs that are missing or do not match their inputs.
    #[arg(long, conflicts_with = "force")]
    pub check: bool,
    /// Rebuild every output even when it is up to date.
    #[arg(long)]
    pub force: bool,
    /// Also write the Tahap II evidence pack (out/<city-slug>-<year>-bukti-dukung.zip, as `pack`)
    /// after a successful build; left out by default so a city's CI stays light.
    #[arg(long, conflicts_with_all = ["check", "workspaces"])]
    pub pack: bool,
    /// Build many workspaces: a glob (quote it: `'kota/*'`) or a file listing one workspace
    /// folder per line. Prints a summary table; exits 1 if any workspace failed.
    #[arg(long, value_name = "GLOB|FILE")]
    pub workspaces: Option<String>,
    /// With --workspaces: how many workspaces to build at once (default: the number of cores).
    #[arg(long, requires = "workspaces", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// With --workspaces: the folder for the combined summary (ringkasan-gabungan.xlsx and
    /// ringkasan-gabungan-<table>.parquet).
    #[arg(long, requires = "workspaces", value_name = "DIR")]
    pub summary_dir: Option<std::path::PathBuf>,
    /// Build the report and slides of a what-if (scenarios/<NAME>.yaml) into
    /// out/skenario-<NAME>/, marked as a scenario; out/ itself and its manifest are left alone.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["check", "workspaces", "pack"])]
    pub scenario: Option<String>,
}

#[derive(Debug, Args)]
pub struct DocumentArgs {
    /// Document language (English output gets an `-en` suffix).
    #[arg(long, value_enum, default_value_t = Lang::Id)]
    pub lang: Lang,
    /// Evaluation year (default: the one in city.yaml).
    #[arg(long)]
    pub year: Option<i32>,
    /// Also write the generated Typst source next to the PDF, for debugging templates.
    #[arg(long)]
    pub keep_typ: bool,
    /// PDF standard for archiving.
    #[arg(long, value_enum)]
    pub pdf_standard: Option<PdfStandardArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    /// PDF/A-2b (archival).
    #[value(name = "a-2b")]
    A2b,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Evaluation year (default: the one in city.yaml).
    #[arg(long)]
    pub year: Option<i32>,
    /// `table` for people, `json` for the whole Evaluation value (documented in docs/evaluation.md).
    #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,
    /// A what-if from scenarios/<NAME>.yaml, shown beside today's result.
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Language of the table.
    #[arg(long, value_enum, default_value_t = Lang::Id)]
    pub lang: Lang,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    Table,
    Json,
}

pub use crate::lang::Lang;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…::`), paths from the repository root.
    Github,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create (must not exist, or be empty).
    pub dir: PathBuf,
    /// The city's display name, e.g. "Kota Ambon".
    #[arg(long)]
    pub city: String,
    #[arg(long, value_enum)]
    pub kind: Kind,
    /// The evaluation year.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2100))]
    pub year: i32,
    /// The province (printed on the cover: required, no placeholder).
    #[arg(long)]
    pub province: String,
    /// Instrument id (default: kominfo-2022 for 2022 and earlier, kominfo-2023-reguler after).
    #[arg(long)]
    pub framework: Option<String>,
    /// Language of the files written (comments, READMEs, the CI workflow) and of this command's
    /// message.
    #[arg(long, value_enum, default_value_t = Lang::Id)]
    pub lang: Lang,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Kota,
    Kabupaten,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Folder to write the schemas to (default: `schemas/` in the workspace).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}
