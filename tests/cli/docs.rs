//! The documentation tells the truth (issue #15): every diagnostic code the code emits has its
//! entry in docs/diagnostics.md and a row in its index, and the index lists nothing else.

use std::collections::BTreeSet;

use crate::harness::{cmd, repo};

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
        // Unit test modules live at the end of a file; their made-up codes are not the tool's.
        // (A single `#[cfg(test)]` item, such as a counter, can come earlier.)
        let text = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
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

/// The long flags a command's `--help` lists (clap generates it from the one definition of the
/// flags), without the global ones every command takes.
fn flags_of(command: &[&str]) -> BTreeSet<String> {
    let mut args: Vec<&str> = command.to_vec();
    args.push("--help");
    // Each command's help is a snapshot of the test (numbered in the order of `--help`'s list).
    let out = cmd(&args, &repo()).stdout_snapshot().run();
    long_flags(&out.stdout)
        .into_iter()
        .filter(|f| !["--workspace", "--color", "--wait", "--help", "--version"].contains(&f.as_str()))
        .collect()
}

/// [`flags_of`] without a snapshot of its own: the same help texts are the README test's.
fn flags_in_help(command: &[&str]) -> BTreeSet<String> {
    let mut args: Vec<&str> = command.to_vec();
    args.push("--help");
    let out = cmd(&args, &repo())
        .stdout_unchecked("the same help is a snapshot of the_readme_command_table_matches_the_binary")
        .run();
    long_flags(&out.stdout)
        .into_iter()
        .filter(|f| !["--workspace", "--color", "--wait", "--help", "--version"].contains(&f.as_str()))
        .collect()
}

/// The subcommands `smartcity-eval --help` lists (without `help`).
fn subcommands(help: &str) -> Vec<&str> {
    help.split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        // A command's first line is indented by two spaces; its wrapped description, by more.
        .filter_map(|l| l.strip_prefix("  ").filter(|l| !l.starts_with(' ')).and_then(|l| l.split_whitespace().next()))
        .filter(|c| *c != "help")
        .collect()
}

fn long_flags(text: &str) -> BTreeSet<String> {
    let mut flags = BTreeSet::new();
    for (i, _) in text.match_indices("--") {
        let name: String = text[i + 2..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').collect();
        if !name.is_empty() && !text[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '-') {
            flags.insert(format!("--{}", name.trim_end_matches('-')));
        }
    }
    flags
}

/// The README's command table against the binary: every subcommand has a row, and the flags the
/// rows of a command show are exactly the flags it takes.
#[test]
fn the_readme_command_table_matches_the_binary() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let table: Vec<&str> = readme
        .split("## Commands")
        .nth(1)
        .expect("README has a Commands section")
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter(|l| l.starts_with("| `smartcity-eval "))
        .collect();
    let help = cmd(&["--help"], &repo()).stdout_snapshot().run().stdout;
    let commands = subcommands(&help);
    assert!(commands.len() >= 10, "{commands:?}");
    let mut problems = Vec::new();
    for command in commands {
        // `instrument` has subcommands: its rows name them.
        let words: Vec<&str> = if command == "instrument" { vec!["instrument", "new"] } else { vec![command] };
        let prefix = format!("| `smartcity-eval {} ", words.join(" "));
        let rows: Vec<&&str> = table.iter().filter(|r| r.starts_with(&prefix)).collect();
        if rows.is_empty() {
            problems.push(format!("README has no row for `{}`", words.join(" ")));
            continue;
        }
        // The flags in the command cell (the first column) of its rows.
        let documented: BTreeSet<String> =
            rows.iter().flat_map(|r| long_flags(r.split(" | ").next().unwrap_or(""))).collect();
        let actual = flags_of(&words);
        for flag in actual.difference(&documented) {
            problems.push(format!("`{}` takes {flag}, which the README's table does not show", words.join(" ")));
        }
        for flag in documented.difference(&actual) {
            problems.push(format!("the README shows {flag} for `{}`, which does not take it", words.join(" ")));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// docs/format.md §9 against the binary: every subcommand has a `### name` section (alone or in
/// a heading listing several), and every flag it takes is named in that section.
#[test]
fn the_format_reference_commands_match_the_binary() {
    let format = std::fs::read_to_string(repo().join("docs/format.md")).unwrap();
    let section = format.split("## 9. Commands").nth(1).unwrap().split("\n## ").next().unwrap();
    let parts: Vec<(Vec<String>, &str)> = section
        .split("\n### ")
        .skip(1)
        .map(|part| {
            let heading = part.lines().next().unwrap_or("");
            (heading.split(',').map(|w| w.trim().to_string()).collect(), part)
        })
        .collect();
    let help = cmd(&["--help"], &repo())
        .stdout_unchecked("the same help is a snapshot of the_readme_command_table_matches_the_binary")
        .run()
        .stdout;
    let commands: Vec<String> = subcommands(&help)
        .into_iter()
        .map(|c| if c == "instrument" { "instrument new".to_string() } else { c.to_string() })
        .collect();
    assert!(commands.len() >= 10, "{commands:?}");
    let mut problems = Vec::new();
    for command in &commands {
        let Some((_, text)) = parts.iter().find(|(names, _)| names.contains(command)) else {
            problems.push(format!("format.md §9 has no section for `{command}`"));
            continue;
        };
        let words: Vec<&str> = command.split(' ').collect();
        let documented = long_flags(text);
        for flag in flags_in_help(&words).difference(&documented) {
            problems.push(format!("`{command}` takes {flag}, which its section in format.md §9 does not name"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
