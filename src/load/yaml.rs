//! YAML parsing with serde-saphyr: every error carries file, line and column, near-miss keys
//! and enum values get a `did you mean`, and alias expansion is bounded (YAML bombs).

use std::path::Path;

use serde::de::DeserializeOwned;

use super::yaml_mask::Fault;
use crate::diagnostic::{Diagnostic, Location, suggest};

/// Most values (mappings, lists, scalars) one YAML file may hold. serde-saphyr's default
/// (250,000) refuses a plain file of 10,000 programs (about 350,000 values). This equals the
/// library's limit on parser events (1,000,000), which also counts replayed aliases. Nesting
/// keeps the library's defaults (64 levels, 255 nested brackets).
pub const MAX_YAML_NODES: usize = 1_000_000;

/// Most aliases (`*name`) one file may use. Workspace files rarely use any; the library's
/// 50,000 let an alias bomb replay until the value limit, 13 s in a debug build.
pub const MAX_YAML_ALIASES: usize = 1_000;

/// Most problems reported for one YAML file; past it a `more-problems` line says reading stopped.
pub const MAX_YAML_PROBLEMS: usize = 20;

/// Most text re-read while masking one file (ADR 13): a 1 MB file gets 8 more parses, a
/// small one as many as its problems need (up to [`MAX_YAML_ATTEMPTS`]).
const MASK_BUDGET_BYTES: usize = 8 << 20;

/// Most parses of one file, echoes of a masking included.
const MAX_YAML_ATTEMPTS: usize = 3 * MAX_YAML_PROBLEMS;

/// The problems of one value, which masking can take out and read on after. The others
/// (`yaml-syntax`, `yaml-too-complex`) end the reading of the file.
const MASKABLE: &[&str] = &["unknown-key", "bad-value", "wrong-type", "missing-key", "duplicate-key"];

/// Parses one YAML document into `T`, stopping at the first problem (quick reads of a file
/// that `validate` reports in full elsewhere).
pub fn parse<T: DeserializeOwned>(text: &str, shown: &Path) -> Result<T, Diagnostic> {
    match parse_once(text) {
        Ok(value) => strict(text, shown).map_or(Ok(value), Err),
        Err(err) => {
            let d = to_diagnostic(&err, text, shown);
            Err(stricter(d, text, shown))
        }
    }
}

/// Text libyaml rejects as a syntax error where the saphyr parser reads a value (yaml_strict.rs).
fn strict(text: &str, shown: &Path) -> Option<Diagnostic> {
    let (line, column, message, help) = super::yaml_strict::libyaml_rejects(text)?;
    Some(Diagnostic::error("yaml-syntax", message).at(Location::at(shown, line, column)).help(help))
}

/// The first error of a failed parse, or libyaml's syntax error where that comes first: a
/// problem of a value is not reported from text that is not YAML to other readers, and of two
/// syntax errors the earlier one is the cause.
fn stricter(first: Diagnostic, text: &str, shown: &Path) -> Diagnostic {
    let Some(strict) = strict(text, shown) else { return first };
    let line = |d: &Diagnostic| d.location.as_ref().and_then(|l| l.line).unwrap_or(0);
    if MASKABLE.contains(&first.code) || (first.code == "yaml-syntax" && line(&strict) <= line(&first)) {
        strict
    } else {
        first
    }
}

fn parse_once<T: DeserializeOwned>(text: &str) -> Result<T, serde_saphyr::Error> {
    let options = serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! { max_nodes: MAX_YAML_NODES, max_aliases: MAX_YAML_ALIASES },
    };
    serde_saphyr::from_str_with_options::<T>(text, options)
}

/// A YAML file read as far as it goes.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The value once every entry with a problem was taken out; `None` when a problem could
    /// not be taken out (a syntax error, a required key of the whole file, a limit).
    pub value: Option<T>,
    /// Every problem, each at its own place; empty when the file is clean.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one YAML document into `T` and reports every problem in it, not only the first:
/// after a typed-parse error the offending entry is blanked out of a copy of the text and the
/// copy parsed again (ADR 13). A syntax error stays the only one: nothing after it is certain.
pub fn parse_all<T: DeserializeOwned>(text: &str, shown: &Path) -> Parsed<T> {
    let stop = |diagnostics| Parsed { value: None, diagnostics };
    let mut err = match parse_once::<T>(text) {
        Ok(value) => match strict(text, shown) {
            Some(d) => return stop(vec![d]),
            None => return Parsed { value: Some(value), diagnostics: Vec::new() },
        },
        Err(err) => err,
    };
    // A syntax error stays the only one, whichever parser finds it.
    let first = stricter(to_diagnostic(&err, text, shown), text, shown);
    let maskable = MASKABLE.contains(&first.code);
    let mut diagnostics = vec![first];
    if !maskable || text.len() > MASK_BUDGET_BYTES {
        return stop(diagnostics);
    }
    // Every parse of a text with aliases replays them, up to the limits: one problem is
    // reported, as before (workspace files rarely use aliases).
    let Some(tree) = super::yaml_tree::Tree::build(text).filter(|t| !t.aliases) else { return stop(diagnostics) };
    let mut mask = super::yaml_mask::Mask::new(text, &tree);
    let mut budget = MASK_BUDGET_BYTES;
    for _ in 0..MAX_YAML_ATTEMPTS {
        let (fault, line, column, message) = fault_of(&err);
        let Some(fault) = fault else { return stop(diagnostics) };
        if mask.take_out(&fault, line, column).is_none() {
            return stop(diagnostics);
        }
        if budget < text.len() {
            diagnostics.push(stopped(shown));
            return stop(diagnostics);
        }
        budget -= text.len();
        let masked = mask.text();
        if !super::yaml_tree::Tree::build(&masked).is_some_and(|t| mask.kept_shape(&t)) {
            return stop(diagnostics);
        }
        let next = match parse_once::<T>(&masked) {
            Ok(value) => return Parsed { value: Some(value), diagnostics },
            Err(next) => next,
        };
        let (next_fault, next_line, next_column, next_message) = fault_of(&next);
        // Not about one value (a syntax error, a limit): the blanking made text the user did
        // not write, and what the parser says about it would be invented. The same error at
        // the same place: the blanking did not reach it.
        let Some(next_fault) = next_fault else { return stop(diagnostics) };
        if (next_line, next_column, &next_message) == (line, column, &message) {
            return stop(diagnostics);
        }
        // A required key that was taken out is missing now: that echoes the first report.
        if !mask.echoes(&next_fault, next_line, next_column) {
            let found = to_diagnostic(&next, &masked, shown);
            if !MASKABLE.contains(&found.code) {
                return stop(diagnostics);
            }
            if diagnostics.len() >= MAX_YAML_PROBLEMS {
                diagnostics.push(stopped(shown));
                return stop(diagnostics);
            }
            diagnostics.push(found);
        }
        err = next;
    }
    diagnostics.push(stopped(shown));
    stop(diagnostics)
}

/// What masking needs of an error: its fault, place and message.
fn fault_of(err: &serde_saphyr::Error) -> (Option<Fault>, u32, u32, String) {
    let message = clean_message(&err.without_snippet().to_string());
    let (line, column) = err.location().map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
    (Fault::of(&message), line, column, message)
}

/// The line that says reading stopped before the end of the file.
fn stopped(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        "more-problems",
        format!("reading stopped after {MAX_YAML_PROBLEMS} problems; this file may hold more"),
    )
    .at(Location::file(shown))
    .help("fix the ones above and run validate again")
}

/// True when the text holds no YAML content at all (only comments and blank lines).
pub fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

fn to_diagnostic(err: &serde_saphyr::Error, text: &str, shown: &Path) -> Diagnostic {
    let location = err.location();
    let (line, column) = location.map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
    let raw = err.without_snippet().to_string();
    let message = clean_message(&raw);
    let explained = explain(&message, text, line, column);
    Diagnostic::error(explained.code, explained.message)
        .at(Location::at(shown, explained.line, explained.column))
        .help(explained.help)
}

struct Explained {
    code: &'static str,
    message: String,
    help: String,
    line: u32,
    column: u32,
}

/// serde-saphyr appends " at line X, column Y"; the location is printed separately.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = match first.rfind(" at line ") {
        Some(i) if first[i + 9..].chars().all(|c| c.is_ascii_digit() || ", column".contains(c)) => &first[..i],
        _ => first,
    };
    cut.trim_end_matches('.').to_string()
}

/// The scalar written at (line, column), for messages that quote what was found.
fn found_at(text: &str, line: u32, column: u32) -> String {
    let Some(l) = text.lines().nth(line.saturating_sub(1) as usize) else { return String::new() };
    let rest: String = l.chars().skip(column.saturating_sub(1) as usize).collect();
    let token = rest.split(['#', ',', '}', ']']).next().unwrap_or("").trim();
    token.trim_matches(['"', '\'']).to_string()
}

/// The first `digits,digits` in a line outside a comment (`3,5`, `52,5`), as written.
fn comma_decimal(line: &str) -> Option<String> {
    let code = line.split('#').next().unwrap_or("");
    let bytes = code.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b',' && i > 0 && bytes[i - 1].is_ascii_digit() && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            let start = code[..i].rfind(|c: char| !c.is_ascii_digit() && c != '.' && c != '-').map_or(0, |p| p + 1);
            let end = code[i + 1..].find(|c: char| !c.is_ascii_digit()).map_or(code.len(), |p| i + 1 + p);
            return Some(code[start..end].to_string());
        }
    }
    None
}

fn indentation(line: &str) -> usize {
    let trimmed = line.trim_start_matches(' ');
    let dash = match trimmed.strip_prefix("- ") {
        Some(after) => 2 + after.len() - after.trim_start().len(),
        None => 0,
    };
    line.len() - trimmed.len() + dash
}

/// The first key of the mapping that holds `line` (serde reports a missing key at its end).
fn mapping_start(text: &str, line: u32) -> (u32, u32) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines.get(line.saturating_sub(1) as usize) else { return (line, 1) };
    let indent = indentation(at);
    let mut start = line;
    for l in (1..line).rev() {
        let t = lines[l as usize - 1];
        if t.trim().is_empty() || t.trim_start().starts_with('#') || t.trim() == "---" {
            continue;
        }
        let ind = indentation(t);
        if ind == indent {
            start = l;
            if t.trim_start().starts_with("- ") {
                break;
            }
        } else if ind < indent {
            break;
        }
    }
    (start, indent as u32 + 1)
}

/// The first `{` or `[` that is never closed, outside quotes and comments.
fn unclosed_bracket(text: &str) -> Option<(u32, u32, char)> {
    let mut stack: Vec<(u32, u32, char)> = Vec::new();
    for (n, l) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        // The character before (a `#` starts a comment after whitespace only). Looking it up
        // with `chars().nth` made a long line of `a#a#…` quadratic: minutes for 1 MB.
        let mut previous: Option<char> = None;
        for (c_idx, c) in l.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') if previous.is_none_or(char::is_whitespace) => break,
                (None, '{' | '[') => stack.push((n as u32 + 1, c_idx as u32 + 1, c)),
                (None, '}' | ']') => {
                    stack.pop();
                }
                _ => {}
            }
            previous = Some(c);
        }
    }
    stack.first().copied()
}

/// Turns the parser's and serde's phrasing into a code, a message that quotes what was
/// written, a concrete fix, and the place the mistake is.
fn explain(message: &str, text: &str, line: u32, column: u32) -> Explained {
    let found = found_at(text, line, column);
    let found_rest = text
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .map(|l| l.chars().skip(column.saturating_sub(1) as usize).collect::<String>().trim().to_string())
        .unwrap_or_default();
    let at = |code, message: String, help: &str| Explained { code, message, help: help.to_string(), line, column };
    if let Some((wrong, expected)) = unknown_with_expected(message, "unknown field") {
        // `{min: 0, max: 4,0}` reads as a key `0`: the mistake is the decimal comma before it.
        let line_text = text.lines().nth(line.saturating_sub(1) as usize).unwrap_or("");
        if wrong.chars().all(|c| c.is_ascii_digit())
            && let Some(number) = comma_decimal(line_text)
        {
            return at(
                "wrong-type",
                format!(
                    "`{number}` is not a number: YAML writes decimals with a point, and inside `{{…}}` a comma separates entries"
                ),
                &format!("write {}", number.replace(',', ".")),
            );
        }
        let help = match suggest(&wrong, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? (allowed here: {})", expected.join(", ")),
            None => format!("allowed here: {}", expected.join(", ")),
        };
        return at("unknown-key", format!("unknown key `{wrong}`"), &help);
    }
    if let Some((wrong, expected)) = unknown_with_expected(message, "unknown variant") {
        // serde lists each alias as a variant (`RENCANA, Rencana, rencana`): the list shows
        // each value once, in its own (lowercase) spelling; the suggestion may keep the case
        // the user typed in.
        let shown = once_per_spelling(&expected);
        let help = match suggest(&wrong, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? (one of: {})", shown.join(", ")),
            None => format!("use one of: {}", shown.join(", ")),
        };
        return at("bad-value", format!("`{wrong}` is not allowed here"), &help);
    }
    if let Some(key) = message.strip_prefix("missing field ") {
        let (start, col) = mapping_start(text, line);
        return Explained {
            code: "missing-key",
            message: format!("missing key {key} in the mapping that starts here"),
            help: format!("add {key}; `smartcity-eval docs format` lists the fields of this file"),
            line: start,
            column: col,
        };
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return at(
            "duplicate-key",
            format!("key `{key}` appears twice in this mapping"),
            "a key may appear once in a mapping: remove or merge the repeated one",
        );
    }
    if message.contains("unknown anchor") {
        return at(
            "yaml-syntax",
            format!("`{found}` refers to no anchor: no `&{}` comes before it", found.trim_start_matches('*')),
            "define the value with `&name` before `*name`, or write the value out",
        );
    }
    if message.contains("while scanning an anchor or alias") {
        return at(
            "yaml-syntax",
            "`&` or `*` needs a name right after it".into(),
            "write the name (`&base`, `*base`), or quote the text if `&`/`*` belongs to it",
        );
    }
    if message.starts_with("multiple YAML documents") {
        // Reported where the second document's content starts; the `---` before it is the cause.
        let lines: Vec<&str> = text.lines().collect();
        let marker = (1..=line.min(lines.len() as u32)).rev().find(|&n| lines[n as usize - 1].starts_with("---"));
        return Explained {
            code: "yaml-syntax",
            message: "a second YAML document starts here; a workspace file holds one".into(),
            help: "remove this `---` and what follows it, or move that part to a file of its own".into(),
            line: marker.unwrap_or(line),
            column: 1,
        };
    }
    if message.contains("budget breached")
        || message.contains("alias")
        || message.contains("recursion")
        || message.contains("depth")
    {
        // Name the limit that was hit: nesting, size, or alias expansion.
        let lower = message.to_lowercase();
        let (what, help) = if lower.contains("depth") || lower.contains("recursion") || lower.contains("nest") {
            (
                "the YAML nests deeper than the limit (64 levels, 255 nested brackets)",
                "write the structure flatter; no workspace file needs more than a few levels",
            )
        } else if message.contains("Nodes") || message.contains("Events") || message.contains("ScalarBytes") {
            (
                "the file holds more values than the limit (1,000,000 values)",
                "split the programs over several files under indicators/programs/",
            )
        } else {
            (
                "the YAML nests or repeats (through aliases) beyond the safety limits",
                "write the values out plainly; aliases (&a / *a) that expand into huge documents are refused",
            )
        };
        return at("yaml-too-complex", what.into(), help);
    }
    if let Some((l, c, bracket)) = unclosed_bracket(text) {
        return Explained {
            code: "yaml-syntax",
            message: format!("`{bracket}` opened here is never closed"),
            help: format!("add the closing `{}`", if bracket == '{' { '}' } else { ']' }),
            line: l,
            column: c,
        };
    }
    if message.contains("found a tab") || message.contains("tab") {
        let lines: Vec<&str> = text.lines().collect();
        let tab_line = (line.max(1) as usize..=lines.len())
            .find(|&n| lines[n - 1].chars().take_while(|c| c.is_whitespace()).any(|c| c == '\t'))
            .unwrap_or(line as usize);
        return Explained {
            code: "yaml-syntax",
            message: "a tab in the indentation; YAML indents with spaces only".into(),
            help: "replace the tab with spaces (set your editor to insert spaces)".into(),
            line: tab_line as u32,
            column: 1,
        };
    }
    if message == "invalid floating point" {
        // A decimal comma (`3,5`): YAML needs a point, and inside `{…}`/`[…]` the comma already
        // separates entries (`{2023: 52,5}` is 52 and a key 5), so quote the whole number.
        let line_text = text.lines().nth(line.saturating_sub(1) as usize).unwrap_or("");
        if let Some(number) = comma_decimal(line_text) {
            let point = number.replace(',', ".");
            let flow = line_text.contains('{') || line_text.contains('[');
            return at(
                "wrong-type",
                if flow {
                    format!(
                        "`{number}` is not a number: YAML writes decimals with a point, and inside `{{…}}` a comma separates entries"
                    )
                } else {
                    format!("`{number}` is not a number: YAML writes decimals with a point")
                },
                &format!("write {point}"),
            );
        }
        let shown = if found.is_empty() { found_rest.as_str() } else { found.as_str() };
        return at(
            "wrong-type",
            if shown.is_empty() {
                "an empty value is not a number".to_string()
            } else {
                format!("`{shown}` is not a number")
            },
            "write a plain number without units, with a decimal point: 3.5",
        );
    }
    if message.starts_with("invalid u") || message.starts_with("invalid i") && message != "invalid indentation" {
        return at("wrong-type", format!("`{found}` is not a whole number"), "write a whole number, e.g. 2023");
    }
    if message == "invalid boolean" {
        return at("wrong-type", format!("`{found}` is not true or false"), "write `true` or `false`");
    }
    if message == "expected mapping start" {
        return at(
            "wrong-type",
            format!("expected a mapping (`key: value` lines) here, found `{found_rest}`"),
            "`smartcity-eval docs format` shows the form of this field",
        );
    }
    if message == "expected sequence start" {
        return at(
            "wrong-type",
            format!("expected a list here, found `{found_rest}`"),
            "write a list: `- item` lines, or `[a, b]`; a single item is `[item]`",
        );
    }
    if message.contains("enum expected scalar") || message == "expected string scalar" {
        return at(
            "wrong-type",
            "expected a single value here, found a list or a mapping".into(),
            "write one value, e.g. `kind: kota`",
        );
    }
    if message.contains(" is not a score") {
        // A scenario's answer (model::scenario): the message already quotes what was written.
        return at(
            "wrong-type",
            message.to_string(),
            "write a score on the instrument's scale with a decimal point (3.5), or `unanswered`",
        );
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        return at(
            "wrong-type",
            message.to_string(),
            "check the value's form; quote text that looks like a number or date",
        );
    }
    if message.contains("quote") {
        return at(
            "yaml-syntax",
            "a quoted text is not closed".into(),
            "close the quote on the same line, or remove it",
        );
    }
    at(
        "yaml-syntax",
        message.to_string(),
        "fix the YAML syntax here (indentation, a missing `:` or an unclosed quote or bracket)",
    )
}

/// Parses "unknown field `x`, expected one of a, b" (also "expected a", and the
/// back-ticked form other serde front ends use).
fn unknown_with_expected(message: &str, prefix: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix(prefix)?.trim_start();
    let rest = rest.strip_prefix('`')?;
    let end = rest.find('`')?;
    let wrong = rest[..end].to_string();
    let tail = &rest[end + 1..];
    let list = tail
        .find("expected one of ")
        .map(|i| &tail[i + "expected one of ".len()..])
        .or_else(|| tail.find("expected ").map(|i| &tail[i + "expected ".len()..]))
        .unwrap_or("");
    let expected = list
        .split(", ")
        .map(|s| s.trim().trim_matches('`').to_string())
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect();
    Some((wrong, expected))
}

/// `values` with the spellings that differ only in case folded into one: the lowercase one if
/// there is one, else the first; in the order of first appearance.
fn once_per_spelling(values: &[String]) -> Vec<&str> {
    let mut shown: Vec<&str> = Vec::new();
    for value in values {
        let folded = value.to_lowercase();
        match shown.iter().position(|s| s.to_lowercase() == folded) {
            Some(i) if *value == folded => shown[i] = value,
            Some(_) => {}
            None => shown.push(value),
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_value_list_shows_each_spelling_once_in_lowercase() {
        let values: Vec<String> =
            ["RENCANA", "Rencana", "rencana", "berjalan", "BERJALAN", "Selesai"].map(String::from).to_vec();
        assert_eq!(once_per_spelling(&values), ["rencana", "berjalan", "Selesai"]);
    }

    use std::collections::BTreeMap;

    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        status: Status,
        name: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Status {
        Berjalan,
        Selesai,
    }

    #[test]
    fn unknown_key_points_at_line_and_suggests() {
        let err = parse::<Doc>("name: x\nstatu: berjalan\n", Path::new("p.yaml")).unwrap_err();
        assert_eq!(err.code, "unknown-key");
        assert_eq!(err.location.as_ref().unwrap().line, Some(2));
        assert!(err.help.as_deref().unwrap().starts_with("did you mean `status`?"), "{:?}", err.help);
    }

    #[test]
    fn bad_enum_value_suggests() {
        let err = parse::<Doc>("name: x\nstatus: berjalann\n", Path::new("p.yaml")).unwrap_err();
        assert_eq!(err.code, "bad-value");
        assert!(err.help.as_deref().unwrap().starts_with("did you mean `berjalan`?"), "{:?}", err.help);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse::<Doc>("name: x\nname: y\nstatus: selesai\n", Path::new("p.yaml")).unwrap_err();
        assert_eq!(err.code, "duplicate-key", "{err:?}");
    }

    #[test]
    fn unclosed_bracket_skips_comments_in_linear_time() {
        assert_eq!(unclosed_bracket("a: [x, # ]\nb: 1\n"), Some((1, 4, '[')));
        assert_eq!(unclosed_bracket("a: x#[\n# [\n"), Some((1, 6, '[')));
        assert_eq!(unclosed_bracket("a: '#' {\n"), Some((1, 8, '{')));
        // 400,000 `#` that start no comment: quadratic before (tens of seconds), now instant.
        let line = format!("[{}", "a#".repeat(400_000));
        let start = std::time::Instant::now();
        assert_eq!(unclosed_bracket(&line), Some((1, 1, '[')));
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }

    /// `line:column code message` of every problem, in order.
    fn problems<T: DeserializeOwned>(text: &str) -> (bool, Vec<String>) {
        let parsed = parse_all::<T>(text, Path::new("f.yaml"));
        let lines = parsed
            .diagnostics
            .iter()
            .map(|d| {
                let l = d.location.as_ref().unwrap();
                format!("{}:{} {} {}", l.line.unwrap_or(0), l.column.unwrap_or(0), d.code, d.message)
            })
            .collect();
        (parsed.value.is_some(), lines)
    }

    #[test]
    fn every_problem_of_an_assessment_in_one_read() {
        let text = "year: 2023\nanswers:\n  q1:\n    score: 3,5\n    evidence: Dokumen masterplan\n  q2:\n    skor: 3\n  q3:\n    score: 9\n    derive: ya\n";
        let (value, found) = problems::<crate::model::Assessment>(text);
        assert!(value);
        assert_eq!(
            found,
            [
                "4:12 wrong-type `3,5` is not a number: YAML writes decimals with a point",
                "5:15 wrong-type expected a list here, found `Dokumen masterplan`",
                "7:5 unknown-key unknown key `skor`",
                "10:13 wrong-type `ya` is not true or false",
            ]
        );
        // The first one reads exactly as the single-error path gives it.
        let first = parse::<crate::model::Assessment>(text, Path::new("f.yaml")).unwrap_err();
        let all = parse_all::<crate::model::Assessment>(text, Path::new("f.yaml"));
        assert_eq!(all.diagnostics[0], first);
    }

    #[test]
    fn a_required_key_taken_out_is_not_reported_missing_but_a_really_missing_one_is() {
        let text = "- id: p\n  name: P\n  dimension: d\n  subdimension: s\n  opd: o\n  period: {start: 2023, end: 2024}\n  status: berjalan\n  indicators:\n    - id: i\n      nama: I\n      unit: u\n      direction: keatas\n      aggregate: sum\n    - id: j\n      name: J\n      direction: up\n      aggregate: sum\n";
        let (value, found) = problems::<Vec<crate::model::Sp<crate::model::Program>>>(text);
        assert!(value);
        assert_eq!(
            found,
            [
                "10:7 unknown-key unknown key `nama`",
                "12:18 bad-value `keatas` is not allowed here",
                // `direction` was taken out and `name` is `nama`'s: no echo. `unit` is missing.
                "14:7 missing-key missing key `unit` in the mapping that starts here",
            ]
        );
    }

    #[test]
    fn a_syntax_error_stays_alone_and_nothing_is_invented_after_it() {
        let (value, found) =
            problems::<crate::model::Assessment>("year: x\nanswers:\n  q1:\n    score: 3\n   skor: [\n");
        assert!(!value);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("yaml-syntax"), "{found:?}");
        // A decimal comma in a flow mapping: `{2023: 52,5, 2024: 60}` is 52, a key 5 and 2024.
        let (_, found) = problems::<BTreeMap<i32, f64>>("{2023: 52,5, 2024: 6o}\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("`52,5` is not a number"), "{found:?}");
        assert!(found[1].contains("`6o` is not a number"), "{found:?}");
    }

    #[test]
    fn reading_stops_after_the_limit_and_says_so() {
        let mut text = String::from("year: 2023\nanswers:\n");
        for i in 0..30 {
            text.push_str(&format!("  q{i}:\n    score: {i},5\n"));
        }
        let (value, found) = problems::<crate::model::Assessment>(&text);
        assert!(!value);
        assert_eq!(found.len(), MAX_YAML_PROBLEMS + 1);
        assert!(found.last().unwrap().contains("more-problems reading stopped after 20 problems"), "{found:?}");
        assert!(found[19].starts_with("42:12 wrong-type `19,5`"), "{found:?}");
    }

    #[test]
    fn masking_a_big_file_is_bounded() {
        // 20,000 answers with a problem each: reading stops at the limit, in bounded time
        // (about 7 s in a debug build on an idle machine: 21 parses of 400 kB; one step
        // quadratic in the entries of a mapping made it minutes).
        let mut text = String::from("year: 2023\nanswers:\n");
        for i in 0..20_000 {
            text.push_str(&format!("  q{i}: {{skor: 1}}\n"));
        }
        let start = std::time::Instant::now();
        let (_, found) = problems::<crate::model::Assessment>(&text);
        assert_eq!(found.len(), MAX_YAML_PROBLEMS + 1);
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "{:?}", start.elapsed());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

        /// Faults written into some answers of an assessment are each reported at their own
        /// line, and nothing else is: masking invents no error and hides none.
        #[test]
        fn each_fault_is_reported_once_at_its_line(faults in proptest::collection::vec(0usize..6, 12)) {
            let forms = ["score: 2.5", "score: 3,5", "skor: 3", "derive: ya", "evidence: Perwali", "score: [1]"];
            let mut text = String::from("year: 2023\nanswers:\n");
            let mut expected = Vec::new();
            for (i, &f) in faults.iter().enumerate() {
                text.push_str(&format!("  q{i}:\n    note: catatan\n    {}\n", forms[f]));
                if f > 0 {
                    expected.push(i as u32 * 3 + 5);
                }
            }
            let parsed = parse_all::<crate::model::Assessment>(&text, Path::new("f.yaml"));
            let lines: Vec<u32> = parsed.diagnostics.iter().map(|d| d.location.as_ref().unwrap().line.unwrap()).collect();
            proptest::prop_assert_eq!(lines, expected.clone(), "{:?}", parsed.diagnostics);
            proptest::prop_assert!(parsed.value.is_some());
            // Every answer remains (its `note` was never at fault), without the faulty key.
            let answers = parsed.value.unwrap().answers;
            proptest::prop_assert_eq!(answers.len(), faults.len());
            let scored = answers.values().filter(|a| a.score.is_some()).count();
            proptest::prop_assert_eq!(scored, faults.iter().filter(|&&f| f == 0).count());
        }
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse::<serde_json::Value>(&text, Path::new("bomb.yaml"));
        assert!(err.is_err());
    }
}
