//! Every command over every corpus case (and the valid base workspace): none may panic, die of a
//! signal or hang. A workspace that fails `validate` must make every other command fail too —
//! cleanly, with exit 1 and a message — rather than render from broken data.

use std::path::Path;
use std::time::Duration;

use crate::corpus::{case_workspace, cases};
use crate::harness::{Test, corpus, run_bounded};

/// Generous for a debug build on a loaded 2-core CI machine; a render takes ~2 s there.
const LIMIT: Duration = Duration::from_secs(60);

const COMMANDS: &[&[&str]] = &[
    &["validate"],
    &["score"],
    &["score", "--format", "json"],
    &["report"],
    &["slides"],
    &["export", "--format", "xlsx"],
    &["export", "--format", "csv"],
    &["export", "--format", "parquet"],
    &["export", "--format", "json"],
    &["build"],
    &["build", "--check"],
];

/// Runs all commands on one workspace; returns the failures, each naming case and command.
pub fn check_all_commands(name: &str, ws: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    let ws_arg = ws.to_str().expect("utf-8 temp path");
    let mut validate_code = None;
    for command in COMMANDS {
        let mut args = command.to_vec();
        args.extend(["--workspace", ws_arg]);
        let run = run_bounded(&args, ws, LIMIT);
        let shown = command.join(" ");
        if let Some(crash) = run.crash() {
            failures.push(format!("{name}: `{shown}` {crash}"));
            continue;
        }
        let code = run.code.unwrap_or(-1);
        if validate_code.is_none() {
            validate_code = Some(code);
        }
        if code != 0 && code != 1 {
            failures.push(format!("{name}: `{shown}` exited {code} (expected 0 or 1):\n{}", run.stderr));
        }
        if code == 1 && run.stdout.trim().is_empty() && run.stderr.trim().is_empty() {
            failures.push(format!("{name}: `{shown}` failed without saying why"));
        }
        if validate_code == Some(1) && code == 0 {
            failures.push(format!("{name}: `{shown}` succeeded on a workspace that fails validation"));
        }
    }
    failures
}

#[test]
fn no_command_crashes_or_hangs_on_any_corpus_case() {
    let mut work: Vec<(String, Test)> = vec![("_base".to_string(), Test::base())];
    for case in cases() {
        let name = case.strip_prefix(corpus()).unwrap_or(&case).display().to_string();
        work.push((name, case_workspace(&case)));
    }
    let total = work.len();
    // Two workers: the CI machine has two cores and most runs are short validation failures.
    let queue = std::sync::Mutex::new(work);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().expect("queue").pop();
                    let Some((name, test)) = next else { break };
                    let found = check_all_commands(&name, test.path());
                    failures.lock().expect("failures").extend(found);
                }
            });
        }
    });
    let failures = failures.into_inner().expect("failures");
    assert!(total > 100, "expected the whole corpus, found {total} workspaces");
    assert!(failures.is_empty(), "{} crash(es) over {total} workspaces:\n{}", failures.len(), failures.join("\n"));
}
