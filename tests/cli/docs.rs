//! The documentation tells the truth (issue #15): every diagnostic code the code emits has its
//! entry in docs/diagnostics.md and a row in its index, and the index lists nothing else.

use std::collections::BTreeSet;

use crate::harness::repo;

/// The literal first argument of every `Diagnostic::error(` / `warning(` / `note(` (and of
/// the YAML loader's `at(` helper, and `code: "…"` fields) outside test modules, plus the codes
/// `code_for` picks per column type.
fn emitted_codes() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for entry in walkdir::WalkDir::new(repo().join("src")).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // Unit tests live at the end of a file; their made-up codes are not the tool's.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        for call in ["Diagnostic::error(", "Diagnostic::warning(", "Diagnostic::note(", " at(", "code: "] {
            for (at, _) in text.match_indices(call) {
                let rest = text[at + call.len()..].trim_start();
                if let Some(literal) = rest.strip_prefix('"') {
                    codes.insert(literal.split('"').next().unwrap().to_string());
                }
            }
        }
        if let Some(body) = text.split("fn code_for(").nth(1) {
            let body = body.split("\n}\n").next().unwrap();
            for literal in body.split('"').skip(1).step_by(2) {
                codes.insert(literal.to_string());
            }
        }
    }
    codes
}

#[test]
fn every_emitted_diagnostic_code_is_documented_and_indexed() {
    let docs = std::fs::read_to_string(repo().join("docs/diagnostics.md")).unwrap();
    let headings: Vec<&str> = docs.lines().filter(|l| l.starts_with("### ")).collect();
    let indexed: BTreeSet<String> =
        docs.lines().filter(|l| l.starts_with("| `")).filter_map(|l| l.split('`').nth(1)).map(str::to_string).collect();
    let emitted = emitted_codes();
    assert!(emitted.len() > 60, "the scan found only {} codes: {emitted:?}", emitted.len());
    let undocumented: Vec<&String> =
        emitted.iter().filter(|c| !headings.iter().any(|h| h.contains(&format!("`{c}`")))).collect();
    assert!(undocumented.is_empty(), "emitted but without a ### entry in docs/diagnostics.md: {undocumented:?}");
    let unindexed: Vec<&String> = emitted.iter().filter(|c| !indexed.contains(*c)).collect();
    assert!(unindexed.is_empty(), "emitted but not in the index of docs/diagnostics.md: {unindexed:?}");
    let stale: Vec<&String> = indexed.iter().filter(|c| !emitted.contains(*c)).collect();
    assert!(stale.is_empty(), "indexed in docs/diagnostics.md but never emitted: {stale:?}");
}
