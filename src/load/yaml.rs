//! YAML parsing with serde-saphyr: every error carries file, line and column, near-miss keys
//! and enum values get a `did you mean`, and alias expansion is bounded (YAML bombs).

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Location, suggest};

/// Parses one YAML document into `T`.
pub fn parse<T: DeserializeOwned>(text: &str, shown: &Path) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options::<T>(text, options).map_err(|err| to_diagnostic(&err, text, shown))
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
    let (code, help) = explain(&message, text, line);
    Diagnostic::error(code, message).at(Location::at(shown, line, column)).help(help)
}

/// serde-saphyr appends " at line X column Y"; the location is printed separately.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = first.find(" at line ").map_or(first, |i| &first[..i]);
    cut.trim_end_matches('.').to_string()
}

/// Turns serde's phrasing into a code and a concrete suggestion.
fn explain(message: &str, text: &str, line: u32) -> (&'static str, String) {
    if let Some((wrong, expected)) = unknown_with_expected(message, "unknown field") {
        let help = match suggest(&wrong, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? (allowed here: {})", expected.join(", ")),
            None => format!("allowed here: {}", expected.join(", ")),
        };
        return ("unknown-key", help);
    }
    if let Some((wrong, expected)) = unknown_with_expected(message, "unknown variant") {
        let help = match suggest(&wrong, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? (one of: {})", expected.join(", ")),
            None => format!("use one of: {}", expected.join(", ")),
        };
        return ("bad-value", help);
    }
    if message.starts_with("missing field") {
        return ("missing-key", "add the key; see docs/format.md for the fields of this file".into());
    }
    if message.contains("duplicate") {
        return ("duplicate-key", "a key may appear once in a mapping: remove or merge the repeated one".into());
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        return ("wrong-type", "check the value's form; quote text that looks like a number or date".into());
    }
    if message.contains("budget") || message.contains("alias") || message.contains("depth") {
        return (
            "yaml-too-complex",
            "the file nests or repeats (aliases) beyond the limits; write the values out plainly".into(),
        );
    }
    let line_text = text.lines().nth(line.saturating_sub(1) as usize).unwrap_or("");
    if line_text.starts_with('\t') || message.contains("tab") {
        return ("yaml-syntax", "YAML indents with spaces only: replace the tabs with spaces".into());
    }
    (
        "yaml-syntax",
        "fix the YAML syntax at this place (indentation, a missing `:` or an unclosed quote or bracket)".into(),
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

#[cfg(test)]
mod tests {
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
