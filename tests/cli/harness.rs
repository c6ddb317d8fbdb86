//! A small builder over temp folders, in the spirit of `just`'s test harness:
//! `Test::base().file("indicators/x.yaml", "…").run(&["validate"])`.

use std::path::{Path, PathBuf};
use std::process::Command;

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

    /// Runs the binary with `--workspace <this folder>` appended.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        let ws = self.path().to_str().expect("utf-8 temp path");
        all.extend(["--workspace", ws]);
        run(&all, self.path())
    }
}

pub fn run(args: &[&str], cwd: &Path) -> Output {
    let out = Command::new(BIN).args(args).current_dir(cwd).env("NO_COLOR", "1").output().expect("run binary");
    let output = Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_ne!(output.code, 101, "the binary panicked:\n{}", output.stderr);
    assert!(!output.stderr.contains("panicked at"), "the binary panicked:\n{}", output.stderr);
    output
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
