//! The catalogue of broken workspaces: every folder under `tests/corpus/` (except `_base`) is a
//! case. A case holds `files/` (laid over a copy of `_base`), optionally `remove` (paths to
//! delete from the copy, one a line) and `expected`: the exit code and every diagnostic
//! (`severity[code] file:line:col: message`), exactly. `BLESS=1 cargo test corpus` rewrites the
//! expected files from the actual output — review the diff before committing it.

use std::path::Path;

use crate::harness::{Test, copy_tree, corpus, diagnostic_lines};

/// A temp copy of `_base` with the case's `remove` list applied and its `files/` laid over it.
pub fn case_workspace(case: &Path) -> Test {
    let test = Test::base();
    if let Ok(remove) = std::fs::read_to_string(case.join("remove")) {
        for rel in remove.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let path = test.path().join(rel);
            if path.is_dir() {
                std::fs::remove_dir_all(&path).expect("remove dir");
            } else {
                std::fs::remove_file(&path).expect("remove file");
            }
        }
    }
    if case.join("files").is_dir() {
        copy_tree(&case.join("files"), test.path());
    }
    test
}

/// Every case folder under tests/corpus/ except `_base`, sorted.
pub fn cases() -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(corpus())
        .expect("tests/corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('_')))
        .collect();
    cases.sort();
    cases
}

/// `SMARTCITY_EVAL_STREAM_MIN_BYTES` for a second run: by default every observation CSV and
/// parquet file is streamed; this one reads them all cell by cell (the reader of xlsx, and of
/// the files the streaming readers hand over). Both must give the same diagnostics.
const STREAM_MIN: [Option<&str>; 1] = [Some("18446744073709551615")];

fn run_case(case: &Path, stream_min: Option<&str>) -> (String, String) {
    let test = case_workspace(case);
    // The harness clears SMARTCITY_EVAL_* from the environment; the second run sets it again.
    let mut run = test
        .cmd(&["validate", "--format", "json"])
        .status_unchecked("the case's `expected` file holds it")
        .stdout_unchecked("compared as diagnostic lines with the case's `expected` file")
        .stderr_unchecked("its first line is compared with the case's `expected` file");
    if let Some(min) = stream_min {
        run = run.env("SMARTCITY_EVAL_STREAM_MIN_BYTES", min);
    }
    let out = run.run();
    let mut actual = format!("exit: {}\n", out.code);
    if out.stdout.trim().is_empty() {
        // Discovery failed before validation; the diagnostic went to stderr.
        actual.push_str(&format!("stderr: {}\n", out.stderr.lines().next().unwrap_or("")));
    } else {
        for line in diagnostic_lines(&out.stdout) {
            actual.push_str(&line);
            actual.push('\n');
        }
    }
    let expected = std::fs::read_to_string(case.join("expected")).unwrap_or_default();
    (expected, actual)
}

#[test]
fn every_corpus_case_gives_its_exact_diagnostics() {
    let bless = std::env::var_os("BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 30, "the corpus should hold at least 30 cases, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let (expected, actual) = run_case(case, None);
        // The same diagnostics, byte for byte, whichever reader reads the data files.
        for min in STREAM_MIN.into_iter().flatten() {
            let (_, other) = run_case(case, Some(min));
            if other != actual {
                failures.push(format!(
                    "--- {} with SMARTCITY_EVAL_STREAM_MIN_BYTES={min}:\n{other}default:\n{actual}",
                    case.display()
                ));
            }
        }
        if bless {
            std::fs::write(case.join("expected"), &actual).expect("bless");
        } else if expected != actual {
            failures.push(format!("--- {}\nexpected:\n{expected}actual:\n{actual}", case.display()));
        }
        if !actual.starts_with("exit: 1\n")
            && !case.file_name().is_some_and(|n| n.to_string_lossy().starts_with("warn-"))
        {
            failures.push(format!("--- {}: a broken workspace must exit 1, got:\n{actual}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{} corpus case(s) differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn base_workspace_is_clean() {
    Test::base().cmd(&["validate"]).stdout("no problems found\n").run();
}
