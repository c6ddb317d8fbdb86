//! The end-to-end harness, in the spirit of `just`'s test builder: every run of the binary
//! declares its whole result, and what it does not declare is expected empty.
//!
//! ```ignore
//! let test = Test::base().file("data/budget/anggaran.csv", "…");
//! test.cmd(&["validate"]).status(1).stdout("error[…]\n1 error, 0 warnings\n").run();
//! test.cmd(&["score"]).stdout_snapshot().run();
//! ```
//!
//! - `Test::cmd(args)` runs with `--workspace <temp folder>` appended; `cmd(args, cwd)` runs in a
//!   folder with the arguments as given.
//! - Undeclared, a run expects exit status 0 and *empty* stdout and stderr: nothing the binary
//!   prints goes unchecked, and a forgotten status cannot hide a failure.
//! - `.stdout(text)` / `.stderr(text)` compare the whole stream. `.stdout_snapshot()` /
//!   `.stderr_snapshot()` compare it with `tests/cli/snapshots/<module>/<test>.txt` (the second
//!   snapshot of a test is `<test>.2.txt`, …); `BLESS=1 cargo test --test cli <filter>` rewrites
//!   the snapshots from the actual output — read the diff before committing it.
//! - Only what truly varies between runs is normalised, in both inline and snapshot checks: the
//!   test's temp folder reads `[WS]`, the repository root `[REPO]` (`.path_as` adds another
//!   folder). The binary prints no times or durations when not on a terminal.
//! - `.stdout_json()`: the whole stdout is one JSON document and nothing else, for documents too
//!   long to keep as snapshots (`score --format json`, 50–400 kB); the test checks its fields.
//! - `.stdout_unchecked("why")`, `.stderr_unchecked("why")`, `.status_unchecked("why")` are the
//!   escape hatch for what is inherently variable; grep for `_unchecked(` to review them.
//! - `.env(k, v)`, `.env_remove(k)`: the environment starts without `COLUMNS`,
//!   `LINES`, `GITHUB_WORKSPACE` and `SMARTCITY_EVAL_*`, so the machine does not change the output.
//! - Every run also fails on a panic (exit 101 or `panicked at` on stderr).
//!
//! `run` returns the `Output` so a test can go on to parse JSON or read the files written.
//!
//! Filling in many expectations at once (a new test file, a changed message):
//! `HARNESS_RECORD=/tmp/rec.jsonl cargo test --test cli <filter>` appends each mismatch (the
//! `.run()` call's file, line and column, the stream, the actual text) to the file as a JSON line
//! instead of failing; paste them in, then read what you pasted as you would a blessed diff.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_smartcity-eval");

/// The repository root (the Kota Ambon workspace).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus() -> PathBuf {
    repo().join("tests/corpus")
}

pub struct Test {
    pub dir: tempfile::TempDir,
}

#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    /// An empty temp folder.
    pub fn empty() -> Test {
        Test { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A copy of the minimal valid workspace `tests/corpus/_base`.
    pub fn base() -> Test {
        let test = Test::empty();
        copy_tree(&corpus().join("_base"), test.path());
        test
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(self, rel: &str, content: impl AsRef<[u8]>) -> Test {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
        self
    }

    /// A run of the binary with `--workspace <this folder>` appended, run in this folder.
    pub fn cmd(&self, args: &[&str]) -> Run {
        let ws = self.path().to_str().expect("utf-8 temp path");
        let mut run = Run::new(args, self.path()).path_as(self.path(), "[WS]");
        run.args.extend(["--workspace".to_string(), ws.to_string()]);
        run
    }
}

/// A run of the binary in `cwd` with exactly these arguments; `cwd` prints as `[CWD]` unless it
/// is in the repository (`.path_as` adds other folders).
pub fn cmd(args: &[&str], cwd: &Path) -> Run {
    let run = Run::new(args, cwd);
    if cwd.starts_with(repo()) { run } else { run.path_as(cwd, "[CWD]") }
}

impl Run {
    fn new(args: &[&str], cwd: &Path) -> Run {
        Run {
            args: args.iter().map(|a| (*a).to_string()).collect(),
            cwd: cwd.to_path_buf(),
            env: Vec::new(),
            paths: vec![(repo(), "[REPO]".to_string())],
            status: Some(0),
            stdout: Expect::Exact(String::new()),
            stderr: Expect::Exact(String::new()),
        }
    }
}

/// What a stream must hold.
enum Expect {
    Exact(String),
    Snapshot,
    /// Exactly one JSON document and nothing else; the test checks its fields.
    Json,
    Unchecked,
}

/// One declared run: arguments, environment, and the expected status, stdout and stderr.
#[must_use = "a Run does nothing until `.run()`"]
pub struct Run {
    args: Vec<String>,
    cwd: PathBuf,
    env: Vec<(String, Option<String>)>,
    /// Folders printed as a placeholder, as (path, placeholder).
    paths: Vec<(PathBuf, String)>,
    /// `None`: unchecked.
    status: Option<i32>,
    stdout: Expect,
    stderr: Expect,
}

impl Run {
    pub fn status(mut self, code: i32) -> Run {
        self.status = Some(code);
        self
    }

    pub fn stdout(mut self, text: impl Into<String>) -> Run {
        self.stdout = Expect::Exact(text.into());
        self
    }

    pub fn stderr(mut self, text: impl Into<String>) -> Run {
        self.stderr = Expect::Exact(text.into());
        self
    }

    pub fn stdout_snapshot(mut self) -> Run {
        self.stdout = Expect::Snapshot;
        self
    }

    pub fn stderr_snapshot(mut self) -> Run {
        self.stderr = Expect::Snapshot;
        self
    }

    /// Stdout must be one JSON document (and a final newline), nothing else. For documents too
    /// long to keep as a snapshot (`score --format json` is 50–400 kB): the test parses it and
    /// checks the fields it is about, and a stray line printed beside it fails here.
    pub fn stdout_json(mut self) -> Run {
        self.stdout = Expect::Json;
        self
    }

    /// Leaves the exit status unchecked; `reason` says why (the corpus keeps it in its own file).
    pub fn status_unchecked(mut self, reason: &str) -> Run {
        assert!(!reason.trim().is_empty(), "say why the status is left unchecked");
        self.status = None;
        self
    }

    /// Leaves stdout unchecked; `reason` says why it cannot be fixed in advance.
    pub fn stdout_unchecked(mut self, reason: &str) -> Run {
        assert!(!reason.trim().is_empty(), "say why stdout is left unchecked");
        self.stdout = Expect::Unchecked;
        self
    }

    /// Leaves stderr unchecked; `reason` says why it cannot be fixed in advance.
    pub fn stderr_unchecked(mut self, reason: &str) -> Run {
        assert!(!reason.trim().is_empty(), "say why stderr is left unchecked");
        self.stderr = Expect::Unchecked;
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Run {
        self.env.push((key.to_string(), Some(value.to_string())));
        self
    }

    pub fn env_remove(mut self, key: &str) -> Run {
        self.env.push((key.to_string(), None));
        self
    }

    /// Prints `path` (and anything under it) as `placeholder` in the compared output.
    pub fn path_as(mut self, path: &Path, placeholder: &str) -> Run {
        self.paths.push((path.to_path_buf(), placeholder.to_string()));
        self
    }

    /// Runs the binary and checks the panic guard, the status and both streams (every mismatch
    /// is reported at once). Returns the raw, unnormalised output.
    #[track_caller]
    pub fn run(self) -> Output {
        let caller = std::panic::Location::caller();
        let output = self.execute();
        assert_ne!(output.code, 101, "the binary panicked:\n{}", output.stderr);
        assert!(!output.stderr.contains("panicked at"), "the binary panicked:\n{}", output.stderr);
        let mut failures = Vec::new();
        if let Some(status) = self.status.filter(|s| *s != output.code) {
            failures.push(format!("exit status: expected {status}, got {}", output.code));
            record(caller, "status", &self.args, &output.code.to_string());
        }
        for (name, expect, actual) in
            [("stdout", &self.stdout, &output.stdout), ("stderr", &self.stderr, &output.stderr)]
        {
            let actual = self.normalise(actual);
            if let Some(failure) = self.check(name, expect, &actual) {
                failures.push(failure);
                record(caller, name, &self.args, &actual);
            }
        }
        if std::env::var_os("HARNESS_RECORD").is_some() {
            return output;
        }
        assert!(
            failures.is_empty(),
            "smartcity-eval {}\n{}\n--- stdout (raw)\n{}--- stderr (raw)\n{}",
            self.args.join(" "),
            failures.join("\n"),
            output.stdout,
            output.stderr
        );
        output
    }

    fn execute(&self) -> Output {
        let mut command = Command::new(BIN);
        command.args(&self.args).current_dir(&self.cwd).env("NO_COLOR", "1");
        // What would make the output depend on the machine running the tests: the terminal
        // width clap wraps help to, the CI checkout `--format github` places paths from, and the
        // tool's own knobs (a test sets those it needs with `.env`).
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if ["COLUMNS", "LINES", "GITHUB_WORKSPACE"].contains(&key.as_ref()) || key.starts_with("SMARTCITY_EVAL_") {
                command.env_remove(key.as_ref());
            }
        }
        for (key, value) in &self.env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        command.stdin(Stdio::null());
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let out = command.output().expect("wait for binary");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The output with each known folder replaced by its placeholder, the longest path first
    /// (a temp folder may sit inside another), in its given and its canonical spelling.
    fn normalise(&self, text: &str) -> String {
        let mut paths: Vec<(String, &str)> = Vec::new();
        // Only absolute folders: a relative `.` would turn `0.1.0` into a placeholder.
        for (path, placeholder) in self.paths.iter().filter(|(path, _)| path.is_absolute()) {
            paths.push((path.to_string_lossy().into_owned(), placeholder));
            if let Ok(canonical) = path.canonicalize() {
                paths.push((canonical.to_string_lossy().into_owned(), placeholder));
            }
        }
        paths.sort_by_key(|(path, _)| std::cmp::Reverse(path.len()));
        let mut text = text.to_string();
        for (path, placeholder) in paths {
            text = text.replace(&path, placeholder);
        }
        text
    }

    fn check(&self, name: &str, expect: &Expect, actual: &str) -> Option<String> {
        match expect {
            Expect::Unchecked => None,
            Expect::Exact(expected) if expected == actual => None,
            Expect::Exact(expected) => {
                Some(format!("{name} differs:\n{}--- actual {name} as a literal:\n{actual:?}", diff(expected, actual)))
            }
            Expect::Json => match serde_json::from_str::<serde_json::Value>(actual) {
                Ok(_) if actual.ends_with('\n') => None,
                Ok(_) => Some(format!("{name} is JSON but lacks its final newline")),
                Err(e) => Some(format!("{name} is not one JSON document: {e}")),
            },
            Expect::Snapshot => {
                let file = snapshot_file();
                let header = format!("# smartcity-eval {} ({name})\n", self.normalise(&self.args.join(" ")));
                let actual = format!("{header}{actual}");
                let expected = std::fs::read_to_string(&file).unwrap_or_default();
                if expected == actual {
                    None
                } else if std::env::var_os("BLESS").is_some() {
                    std::fs::create_dir_all(file.parent().expect("snapshot folder")).expect("mkdir snapshots");
                    std::fs::write(&file, &actual).expect("bless snapshot");
                    None
                } else {
                    Some(format!(
                        "{name} differs from {} (BLESS=1 rewrites it):\n{}",
                        file.display(),
                        diff(&expected, &actual)
                    ))
                }
            }
        }
    }
}

/// `HARNESS_RECORD=<file>`: a mismatch is appended to the file as a JSON line (the `.run()`
/// call's place, the stream, the actual text) instead of failing, for a tool filling in the
/// expectations of many runs at once. Never set in CI.
fn record(caller: &std::panic::Location, stream: &str, args: &[String], actual: &str) {
    let Some(path) = std::env::var_os("HARNESS_RECORD") else { return };
    use std::io::Write;
    let line = serde_json::json!({
        "file": caller.file(), "line": caller.line(), "column": caller.column(),
        "stream": stream, "args": args, "actual": actual,
    });
    // One writer at a time: tests run on parallel threads and a line may be long.
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("record file");
    writeln!(file, "{line}").expect("record");
}

thread_local! {
    /// Snapshots taken so far by the test running on this thread, to number the next one.
    static SNAPSHOTS: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
}

/// `tests/cli/snapshots/<module>/<test>.txt`, then `<test>.2.txt`, … in the order a test takes
/// them. The test is the one libtest names this thread after.
fn snapshot_file() -> PathBuf {
    let thread = std::thread::current();
    let name = thread.name().filter(|n| n.contains("::")).unwrap_or_else(|| {
        panic!("a snapshot needs the test's name, and this thread ({:?}) is not a test's", thread.name())
    });
    let n = SNAPSHOTS.with(|seen| {
        let mut seen = seen.borrow_mut();
        let n = seen.entry(name.to_string()).or_insert(0);
        *n += 1;
        *n
    });
    let mut parts: Vec<&str> = name.split("::").collect();
    let test = parts.pop().unwrap_or(name);
    let file = if n == 1 { format!("{test}.txt") } else { format!("{test}.{n}.txt") };
    parts.iter().fold(repo().join("tests/cli/snapshots"), |dir, part| dir.join(part)).join(file)
}

/// The lines that differ, as `-expected`/`+actual` around the first difference, with a few
/// lines of context.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let (mut e_end, mut a_end) = (e.len(), a.len());
    while e_end > first && a_end > first && e[e_end - 1] == a[a_end - 1] {
        e_end -= 1;
        a_end -= 1;
    }
    let mut out = format!("first difference at line {}:\n", first + 1);
    for line in &e[first.saturating_sub(3)..first] {
        out.push_str(&format!(" {line}\n"));
    }
    for line in &e[first..e_end] {
        out.push_str(&format!("-{line}\n"));
    }
    for line in &a[first..a_end] {
        out.push_str(&format!("+{line}\n"));
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the final newline differs)\n");
    }
    out
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else if entry.file_type().is_symlink() {
            // Corpus cases hold links as links (a document linked out of evidence/).
            let _ = std::fs::remove_file(&target);
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).expect("read link"), &target).expect("link");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `validate --format json` output as lines `severity[code] location: message`, sorted.
pub fn diagnostic_lines(json: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("not JSON ({e}):\n{json}"));
    let mut lines: Vec<String> = value["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            let loc = &d["location"];
            let mut place = loc["path"].as_str().unwrap_or("").to_string();
            if let Some(cell) = loc["cell"].as_str() {
                place.push_str(&format!(":{cell}"));
            } else if let Some(line) = loc["line"].as_u64() {
                place.push_str(&format!(":{line}"));
                if let Some(col) = loc["column"].as_u64() {
                    place.push_str(&format!(":{col}"));
                }
            }
            format!(
                "{}[{}] {}: {}",
                d["severity"].as_str().unwrap_or(""),
                d["code"].as_str().unwrap_or(""),
                place,
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    lines.sort();
    lines
}

/// How a bounded run ended.
pub struct Bounded {
    /// The exit code; `None` when killed by a signal (or by the timeout).
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub elapsed: std::time::Duration,
    pub stdout: String,
    pub stderr: String,
}

impl Bounded {
    /// Why this run counts as a crash, if it does: a panic (101 or its message), a signal, a hang.
    pub fn crash(&self) -> Option<String> {
        if self.timed_out {
            Some(format!("timed out after {:?}", self.elapsed))
        } else if let Some(signal) = self.signal {
            Some(format!("killed by signal {signal}"))
        } else if self.code == Some(101) || self.stderr.contains("panicked at") {
            Some(format!("panicked:\n{}", self.stderr))
        } else {
            None
        }
    }
}

/// The signal that ended a process (Unix); Windows has none, and the test crate must build there.
#[cfg(unix)]
fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// Runs the binary with a wall-clock limit, killing it on expiry. Output goes to files (not
/// pipes) so a chatty process cannot block on a full pipe while we wait.
pub fn run_bounded(args: &[&str], cwd: &Path, limit: std::time::Duration) -> Bounded {
    let logs = tempfile::tempdir().expect("temp dir");
    let (out_path, err_path) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let start = std::time::Instant::now();
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("run binary");
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait after kill");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Bounded {
        code: status.code(),
        signal: if timed_out { None } else { signal_of(&status) },
        timed_out,
        elapsed: start.elapsed(),
        stdout: read(&out_path),
        stderr: read(&err_path),
    }
}
