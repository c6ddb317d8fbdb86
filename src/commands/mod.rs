//! One function per command. Each returns an exit status: 0 success, 1 the workspace has
//! errors (diagnostics printed), 2 usage. Clap itself exits with 2 on bad arguments.

mod batch;
mod build;
mod document;
mod export;
mod init;
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
        Command::Schema(args) => schema::run(&cli.global.workspace, args),
        Command::Score(args) => score::run(&cli.global.workspace, args, color),
        Command::Report(args) => {
            document::run(&cli.global.workspace, args, crate::render::DocKind::Report, cli.global.wait, color)
        }
        Command::Export(args) => export::run(&cli.global.workspace, args, cli.global.wait, color),
        Command::Build(args) => build::run(&cli.global.workspace, args, cli.global.wait, color),
        Command::Slides(args) => {
            document::run(&cli.global.workspace, args, crate::render::DocKind::Slides, cli.global.wait, color)
        }
    };
    match result {
        Ok(code) => code,
        Err(diagnostic) => {
            let mut ds = Diagnostics::default();
            ds.push(*diagnostic);
            eprint(&render_human(&ds, color));
            ExitCode::from(1)
        }
    }
}

/// Discover, load and validate. On errors (or a folder that is not a workspace) returns the
/// diagnostics to print; otherwise the workspace and its warnings.
pub fn load_validated(root: &std::path::Path) -> Result<(crate::load::LoadedWorkspace, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let workspace = crate::workspace::Workspace::discover(root, &mut diagnostics).map_err(|d| {
        let mut ds = Diagnostics::default();
        ds.push(d);
        ds
    })?;
    let loaded = crate::load::load(workspace, &mut diagnostics);
    crate::validate::check(&loaded, &mut diagnostics);
    if diagnostics.has_errors() { Err(diagnostics) } else { Ok((loaded, diagnostics)) }
}

/// Discover, load, validate and evaluate one year (default: city.yaml's).
pub fn evaluate_workspace(
    root: &std::path::Path,
    year: Option<i32>,
) -> Result<(crate::evaluation::Evaluation, Diagnostics), Diagnostics> {
    let (loaded, mut diagnostics) = load_validated(root)?;
    match crate::evaluate::evaluate(&loaded, year) {
        Ok(evaluation) => Ok((evaluation, diagnostics)),
        Err(d) => {
            diagnostics.push(d);
            Err(diagnostics)
        }
    }
}

/// A command either finishes with an exit code or fails with one diagnostic.
pub type Outcome = Result<ExitCode, Box<Diagnostic>>;

fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Writes to stdout, ignoring a closed pipe (`smartcity-eval validate | head`).
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes to stderr, ignoring a closed pipe (`smartcity-eval build 2>&1 | head -1`): the
/// `eprint!` macro panics there, and a build that succeeded would exit 101. (clippy's
/// `print_stderr` lint keeps the macros out of the code.)
fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// failure never leaves a half-written file in place of a good one.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    if dir.exists() && !dir.is_dir() {
        // create_dir_all would say only "File exists".
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            format!("`{}` is a file, not a folder; move it away so outputs can be written", dir.display()),
        ));
    }
    std::fs::create_dir_all(dir)?;
    let tmp = crate::outdir::temp_for(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    crate::outdir::done(&tmp);
    result
}

/// Removes temporary files that `write_atomic` left in `dir` when a process was killed
/// mid-write (`.<name>.tmp-<pid>-<n>`). Called with out/'s lock held (`outdir::lock`), so no
/// other build is writing them.
pub fn remove_stale_temps(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if crate::outdir::is_temp_name(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
