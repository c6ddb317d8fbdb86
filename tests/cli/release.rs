//! Issue #18: what a city gets without a Rust toolchain — the version it runs, the workflow
//! `init` writes, the project's release and CI workflows.

use crate::harness::{Test, repo, run};

/// `--version` and `-V` name the version and the commit (or `unknown` outside a git checkout).
#[test]
fn version_names_the_commit_it_was_built_from() {
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(repo())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    for flag in ["--version", "-V"] {
        let out = run(&[flag], &repo());
        assert_eq!(out.code, 0, "{}", out.stderr);
        let line = out.stdout.trim_end();
        let prefix = format!("smartcity-eval {} (commit ", env!("CARGO_PKG_VERSION"));
        let commit = line.strip_prefix(&prefix).and_then(|r| r.strip_suffix(')')).unwrap_or_else(|| panic!("{line}"));
        match &head {
            // The test binary may be older than a commit made since the last build; the commit
            // is a real short hash either way.
            Some(head) if commit == head => {}
            Some(_) => assert!(commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_hexdigit()), "{commit}"),
            None => assert_eq!(commit, "unknown"),
        }
    }
}

/// The commit must not reach outputs: documents are byte-identical across commits. The
/// manifest keys on the package version alone, and the Evaluation JSON carries no build id.
#[test]
fn the_commit_stays_out_of_outputs() {
    let test = Test::base();
    let out = test.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(test.path().join("out/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["tool_version"], env!("CARGO_PKG_VERSION"));
    let score = test.run(&["score", "--format", "json"]);
    assert_eq!(score.code, 0, "{}", score.stderr);
    assert!(!score.stdout.contains("commit"), "the Evaluation JSON names a commit");
    let version = run(&["--version"], test.path()).stdout;
    let commit = version.trim_end().rsplit(' ').next().unwrap().trim_end_matches(')');
    assert!(!score.stdout.contains(&format!("\"{commit}\"")));
}
