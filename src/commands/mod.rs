//! One function per command. Each returns an exit status: 0 success, 1 the workspace has
//! errors (diagnostics printed), 2 usage. Clap itself exits with 2 on bad arguments.

mod batch;
mod build;
mod city_workflow;
mod docs;
mod document;
mod evidence;
mod export;
mod init;
mod init_files;
mod instrument;
mod pack;
mod plan;
mod scenario;
mod schema;
mod score;
mod validate;

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{Cli, ColorChoice, Command};
use crate::diagnostic::{Diagnostic, Diagnostics, render_human};

pub use schema::schemas;

pub fn run(mut cli: Cli) -> ExitCode {
    let color = use_color(cli.global.color);
    cli.global.workspace = crate::workspace::find_root(&cli.global.workspace);
    let result = match &cli.command {
        Command::Validate(args) => validate::run(&cli.global.workspace, args, color),
        Command::Init(args) => init::run(args),
        Command::Docs(args) => docs::run(args),
        Command::Schema(args) => schema::run(&cli.global.workspace, args),
        Command::Score(args) => score::run(&cli.global.workspace, args, color),
        Command::Report(args) => {
            document::run(&cli.global.workspace, args, crate::render::DocKind::Report, cli.global.wait, color)
        }
        Command::Export(args) => export::run(&cli.global.workspace, args, cli.global.wait, color),
        Command::Instrument(crate::cli::InstrumentCommand::New(args)) => instrument::new(&cli.global.workspace, args),
        Command::Plan(args) => plan::run(&cli.global.workspace, args, color),
        Command::Build(args) => match &args.workspaces {
            Some(pattern) => batch::run(pattern, args, cli.global.wait, color),
            None if args.scenario.is_some() => {
                let name = args.scenario.as_deref().unwrap_or_default();
                scenario::build(&cli.global.workspace, args, name, cli.global.wait, color)
            }
            None => build::run(&cli.global.workspace, args, cli.global.wait, color).and_then(|code| {
                if !args.pack || code != ExitCode::SUCCESS {
                    return Ok(code);
                }
                let pack_args =
                    crate::cli::PackArgs { allow_missing: false, year: None, lang: args.lang, force: args.force };
                pack::run(&cli.global.workspace, &pack_args, cli.global.wait, color)
            }),
        },
        Command::Evidence(args) => evidence::run(&cli.global.workspace, args, cli.global.wait, color),
        Command::Pack(args) => pack::run(&cli.global.workspace, args, cli.global.wait, color),
        Command::Slides(args) => {
            document::run(&cli.global.workspace, args, crate::render::DocKind::Slides, cli.global.wait, color)
        }
    };
    let code = match result {
        Ok(code) => code,
        Err(diagnostic) => {
            let mut ds = Diagnostics::default();
            ds.push(*diagnostic);
            eprint(&render_human(&ds, color));
            ExitCode::from(1)
        }
    };
    match stdout_failure() {
        Some(diagnostic) => {
            let mut ds = Diagnostics::default();
            ds.push(diagnostic);
            eprint(&render_human(&ds, color));
            ExitCode::from(1)
        }
        None => code,
    }
}

/// A workspace found and its city.yaml read, the rest not yet loaded: `build` names its outputs
/// and checks them against the manifest from this, and loads the rest only when something must
/// be rebuilt — city.yaml is read and parsed once either way.
pub struct Opened {
    workspace: crate::workspace::Workspace,
    city: crate::load::CityFile,
    diagnostics: Diagnostics,
}

impl Opened {
    /// city.yaml's value, when it parsed cleanly.
    pub fn city(&self) -> Option<&crate::model::City> {
        self.city.city.as_ref().map(|c| &c.value)
    }
}

/// Finds the workspace at `root` and reads its city.yaml. A folder that is not a workspace is
/// the one diagnostic returned.
pub fn open(root: &std::path::Path) -> Result<Opened, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let workspace = crate::workspace::Workspace::discover(root, &mut diagnostics).map_err(|d| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    })?;
    let city = crate::load::read_city(&workspace);
    Ok(Opened { workspace, city, diagnostics })
}

/// Discover, load and validate. On errors (or a folder that is not a workspace) returns the
/// diagnostics to print; otherwise the workspace and its warnings.
pub fn load_validated(root: &std::path::Path) -> Result<(crate::load::LoadedWorkspace, Diagnostics), Diagnostics> {
    validated(open(root)?)
}

/// Loads the rest of an opened workspace and validates it.
fn validated(opened: Opened) -> Result<(crate::load::LoadedWorkspace, Diagnostics), Diagnostics> {
    let Opened { workspace, city, mut diagnostics } = opened;
    let loaded = crate::load::load_with_city(workspace, city, &mut diagnostics);
    crate::validate::check(&loaded, &mut diagnostics);
    if diagnostics.has_errors() { Err(diagnostics) } else { Ok((loaded, diagnostics)) }
}

/// Discover, load, validate and evaluate one year (default: city.yaml's).
pub fn evaluate_workspace(
    root: &std::path::Path,
    year: Option<i32>,
) -> Result<(crate::evaluation::Evaluation, Diagnostics), Diagnostics> {
    evaluate_loaded(open(root)?, year).map(|(_, evaluation, diagnostics)| (evaluation, diagnostics))
}

/// As `evaluate_workspace`, with the bukti dukung checklist of the evaluated year: the report
/// shows each document's status and its path in the pack.
pub fn evaluate_with_evidence(
    opened: Opened,
    year: Option<i32>,
) -> Result<(crate::evaluation::Evaluation, crate::checklist::Checklist, Diagnostics), Diagnostics> {
    let (loaded, evaluation, diagnostics) = evaluate_loaded(opened, year)?;
    let list = crate::checklist::checklist(&loaded, &evaluation, None);
    Ok((evaluation, list, diagnostics))
}

fn evaluate_loaded(
    opened: Opened,
    year: Option<i32>,
) -> Result<(crate::load::LoadedWorkspace, crate::evaluation::Evaluation, Diagnostics), Diagnostics> {
    let (loaded, mut diagnostics) = validated(opened)?;
    match crate::evaluate::evaluate(&loaded, year) {
        Ok(evaluation) => Ok((loaded, evaluation, diagnostics)),
        Err(d) => {
            diagnostics.push(d);
            Err(diagnostics)
        }
    }
}

/// A command either finishes with an exit code or fails with one diagnostic.
pub type Outcome = Result<ExitCode, Box<Diagnostic>>;

/// `text` as a YAML double-quoted scalar, for the files `init` and `instrument new` write
/// (a JSON string is a valid YAML double-quoted scalar: quotes, backslashes and control
/// characters escaped).
fn yaml_quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// The first failure to write stdout other than a closed pipe (a full disk under
/// `score --format json > result.json`): the run then fails, so a cut-off file is never taken
/// for a result.
static STDOUT_FAILED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Writes to stdout, ignoring a closed pipe (`smartcity-eval validate | head`); any other
/// failure is remembered and fails the run (see [`stdout_failure`]).
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        note_stdout_failure(&e);
    }
}

fn note_stdout_failure(e: &std::io::Error) {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return;
    }
    if let Ok(mut failed) = STDOUT_FAILED.lock() {
        failed.get_or_insert_with(|| e.to_string());
    }
}

/// The diagnostic for a failed write to stdout, if one failed during the run.
fn stdout_failure() -> Option<Diagnostic> {
    let why = STDOUT_FAILED.lock().ok()?.clone()?;
    Some(
        Diagnostic::error("write-failed", format!("cannot write the output: {why}"))
            .help("the output was cut off where writing stopped: free space (or write it elsewhere) and run again"),
    )
}

/// Writes to stderr, ignoring a closed pipe (`smartcity-eval build 2>&1 | head -1`): the
/// `eprint!` macro panics there, and a build that succeeded would exit 101. (clippy's
/// `print_stderr` lint keeps the macros out of the code.)
fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}
