//! `build --workspaces 'kota/*'`: many workspaces built in parallel, for a province's Bappeda
//! or Kominfo. Each workspace is built exactly as `build` would build it alone; one that fails
//! (or even panics) is reported and the others go on. The end is a summary table and a combined
//! cross-city summary (xlsx and parquet); the exit code is 1 when any workspace failed.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::build::{Built, build};
use super::{Outcome, print};
use crate::cli::BuildArgs;
use crate::diagnostic::{Diagnostic, Location, render_human};
use crate::export::batch::{City, write_combined};

/// The workspaces `pattern` names, sorted: the lines of a list file (relative to the file's
/// folder; blank lines and `#` comments skipped), or the folders a glob matches.
pub fn expand(pattern: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    let as_file = Path::new(pattern);
    if as_file.is_file() {
        let text = std::fs::read_to_string(as_file).map_err(|e| {
            Diagnostic::error("unreadable", format!("cannot read the workspace list: {e}")).at(Location::file(as_file))
        })?;
        let base = as_file.parent().unwrap_or(Path::new("."));
        let list: Vec<PathBuf> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| base.join(l))
            .collect();
        return Ok(once_each(list));
    }
    let paths = glob::glob(pattern).map_err(|e| {
        Diagnostic::error("bad-pattern", format!("`{pattern}` is not a valid glob: {e}"))
            .help("use a pattern such as 'kota/*' (quoted, so the shell leaves it alone) or a file listing the folders")
    })?;
    let mut list: Vec<PathBuf> = paths.filter_map(Result::ok).filter(|p| p.is_dir()).collect();
    list.sort();
    if list.is_empty() {
        return Err(Diagnostic::error("no-workspaces", format!("`{pattern}` matches no folder"))
            .help("give a glob such as 'kota/*' or a file with one workspace folder per line"));
    }
    Ok(once_each(list))
}

/// Each workspace once, however it is named (`kota/ambon`, `./kota/ambon`, an absolute path, a
/// symlink to it): built twice it would be counted twice in the combined summary.
fn once_each(list: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    list.into_iter().filter(|p| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone()))).collect()
}

/// One workspace's result in the batch.
struct Entry {
    root: PathBuf,
    built: Built,
    /// A panic in the build (a bug): reported like an error, the batch goes on.
    crashed: Option<String>,
}

impl Entry {
    fn failed(&self) -> bool {
        self.crashed.is_some() || self.built.failed()
    }

    fn city(&self) -> String {
        match &self.built.evaluation {
            Some(ev) => ev.city.city.value.clone(),
            None => city_name(&self.root).unwrap_or_else(|| "–".into()),
        }
    }

    fn first_error(&self) -> String {
        if let Some(why) = &self.crashed {
            return format!("internal error: {why}");
        }
        if self.built.stale {
            return "outputs missing or stale".into();
        }
        let errors: Vec<&Diagnostic> = self.built.diagnostics.iter().filter(|d| d.is_error()).collect();
        match errors.first() {
            Some(d) if errors.len() > 1 => format!("{} (+{} more)", d.message, errors.len() - 1),
            Some(d) => d.message.clone(),
            None => String::new(),
        }
    }
}

/// The city's name from city.yaml, without loading anything else.
fn city_name(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join("indicators/city.yaml")).ok()?;
    let city: crate::model::City = crate::load::yaml::parse(&text, Path::new("indicators/city.yaml")).ok()?;
    Some(city.city.value)
}

pub fn run(pattern: &str, args: &BuildArgs, wait: bool, color: bool) -> Outcome {
    let roots = expand(pattern).map_err(Box::new)?;
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, roots.len().max(1));
    let bar = progress_bar(roots.len());
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Entry>>> = Mutex::new((0..roots.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(root) = roots.get(i) else { break };
                    let entry = build_one(root, args, wait);
                    let mark = if entry.failed() { "✗" } else { "✓" };
                    let score = entry.built.evaluation.as_ref().map(|e| e.scorecard.final_score.display.clone());
                    bar.println(format!(
                        "{mark} {} ({}){}",
                        entry.city(),
                        root.display(),
                        score.map_or_else(String::new, |s| format!(": {s}"))
                    ));
                    bar.inc(1);
                    if let Ok(mut results) = results.lock() {
                        results[i] = Some(entry);
                    }
                }
            });
        }
    });
    bar.finish_and_clear();
    let entries: Vec<Entry> =
        results.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten().collect::<Vec<_>>();

    for entry in entries.iter().filter(|e| e.failed()) {
        super::eprint(&format!("── {} ──\n", entry.root.display()));
        if let Some(why) = &entry.crashed {
            super::eprint(&format!("internal error (please report it): {why}\n"));
        }
        for line in entry.built.lines.iter().filter(|_| entry.built.stale) {
            super::eprint(&format!("{line}\n"));
        }
        // A stale workspace without diagnostics would otherwise end with "no problems found".
        if !entry.built.diagnostics.is_empty() || !entry.built.stale {
            super::eprint(&render_human(&entry.built.diagnostics, color));
        }
    }
    print(&summary_table(&entries));

    let failed = entries.iter().filter(|e| e.failed()).count();
    if !args.check {
        let dir = args.summary_dir.clone().unwrap_or_else(|| PathBuf::from("out"));
        let cities: Vec<City> = entries
            .iter()
            .map(|e| City {
                workspace: e.root.display().to_string(),
                name: e.city(),
                evaluation: e.built.evaluation.as_ref(),
                error: e.failed().then(|| e.first_error()),
            })
            .collect();
        if cities.iter().any(|c| c.evaluation.is_some()) {
            for path in write_combined(&dir, &cities).map_err(Box::new)? {
                print(&format!("wrote {}\n", path.display()));
            }
        }
    }
    let noun = if entries.len() == 1 { "workspace" } else { "workspaces" };
    print(&format!("{} {noun}: {} ok, {failed} failed\n", entries.len(), entries.len() - failed));
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Builds one workspace; a panic becomes a failed entry instead of ending the batch.
fn build_one(root: &Path, args: &BuildArgs, wait: bool) -> Entry {
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut built = build(root, args, wait, &mut |_| {});
        // Up to date, so not scored: the summaries still need the scores.
        if built.evaluation.is_none() && !built.failed() && !args.check {
            match super::evaluate_workspace(root, None) {
                Ok((evaluation, _)) => built.evaluation = Some(evaluation),
                Err(diagnostics) => built.diagnostics = diagnostics,
            }
        }
        built
    }));
    match run {
        Ok(built) => Entry { root: root.to_path_buf(), built, crashed: None },
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            Entry { root: root.to_path_buf(), built: Built::default(), crashed: Some(why) }
        }
    }
}

fn progress_bar(len: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} workspaces  {elapsed_precise}") {
        bar.set_style(style);
    }
    bar
}

/// city | workspace | final | predicate | outputs | errors, aligned for a terminal.
fn summary_table(entries: &[Entry]) -> String {
    let mut rows: Vec<[String; 6]> =
        vec![["city", "workspace", "final", "predicate", "outputs", "errors"].map(String::from)];
    for e in entries {
        let ev = e.built.evaluation.as_ref();
        let outputs = if e.built.written + e.built.up_to_date == 0 {
            "–".to_string()
        } else if e.built.up_to_date == 0 {
            format!("{} written", e.built.written)
        } else {
            format!("{} written, {} up to date", e.built.written, e.built.up_to_date)
        };
        rows.push([
            e.city(),
            e.root.display().to_string(),
            ev.map_or("–".into(), |ev| ev.scorecard.final_score.display.clone()),
            ev.and_then(|ev| ev.scorecard.predicate.as_ref()).map_or("–".into(), |p| p.label.clone()),
            outputs,
            if e.failed() { e.first_error() } else { String::new() },
        ]);
    }
    let widths: Vec<usize> = (0..6).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}
