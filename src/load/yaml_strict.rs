//! What libyaml (PyYAML, Ruby, most editors' YAML plugins) rejects as a syntax error but the
//! saphyr parser reads as some value: reported as `yaml-syntax` at its line, so a file never
//! means one thing here and another in every other tool. The cases were found by comparing
//! with PyYAML's CSafeLoader (tests/data/yaml_syntax_snippets.json, checked in .ci/run):
//!
//! - a tab at the start of a line in block context, even on a blank or comment line;
//! - a tab between a block `-` (or `?`) and its item;
//! - the Unicode line separators U+0085, U+2028, U+2029, which libyaml takes as line breaks.

use granit_parser::{Event, Parser, ScalarStyle};

/// A place libyaml rejects: line, column (1-based), message and help.
pub(super) type Rejected = (u32, u32, &'static str, &'static str);

/// The first place in `text` that libyaml rejects and the saphyr parser would read, or
/// `None`. In a text that does not parse, only the lines before the parser's error are
/// judged fully (a tab in a quoted text that is never closed is not found).
pub(super) fn libyaml_rejects(text: &str) -> Option<Rejected> {
    let separators = ['\u{85}', '\u{2028}', '\u{2029}'];
    if !text.contains('\t') && !text.contains(separators) {
        return None;
    }
    if let Some(at) = text.find(separators) {
        let line = text[..at].matches('\n').count() as u32 + 1;
        let column = text[..at].rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
        return Some((
            line,
            column,
            "an invisible line separator (U+0085, U+2028 or U+2029): other YAML readers take it as a line break",
            "delete it, or replace it with a space or a real line break",
        ));
    }
    let exempt = exempt_lines(text);
    for (n, line) in text.lines().enumerate() {
        if exempt.get(n).copied().unwrap_or(false) {
            continue;
        }
        if line.starts_with('\t') {
            return Some((
                n as u32 + 1,
                1,
                "a tab in the indentation; YAML indents with spaces only",
                "replace the tab with spaces (set your editor to insert spaces)",
            ));
        }
        if let Some(column) = tab_after_indicator(line) {
            return Some((
                n as u32 + 1,
                column,
                "a tab after `-`; YAML separates an item from its dash with spaces only",
                "replace the tab with a space",
            ));
        }
    }
    None
}

/// The column of a tab in the space after a block `-` or `?` that starts the line's content
/// (`- \tx`, `- -\tx`).
fn tab_after_indicator(line: &str) -> Option<u32> {
    let chars: Vec<char> = line.chars().collect();
    let mut i = chars.iter().position(|&c| c != ' ')?;
    while matches!(chars.get(i), Some('-' | '?')) && chars.get(i + 1).is_some_and(|c| *c == ' ' || *c == '\t') {
        i += 1;
        while let Some(&c) = chars.get(i) {
            match c {
                '\t' => return Some(i as u32 + 1),
                ' ' => i += 1,
                _ => break,
            }
        }
    }
    None
}

/// Lines (0-based) inside a quoted scalar or a flow collection after its first line: libyaml
/// allows tabs there. Up to the parser's error, if any.
fn exempt_lines(text: &str) -> Vec<bool> {
    let mut exempt = vec![false; text.lines().count() + 1];
    let mut flow_starts: Vec<usize> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    let mut mark = |from: usize, to: usize| {
        for line in exempt.iter_mut().take(to + 1).skip(from + 1) {
            *line = true;
        }
    };
    while let Some(event) = parser.next_event() {
        let Ok((event, span)) = event else { break };
        // Lines from granit are 1-based; the vector is 0-based.
        let (start, end) = (span.start.line().saturating_sub(1), span.end.line().saturating_sub(1));
        match event {
            Event::Scalar(_, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted, ..) => mark(start, end),
            Event::SequenceStart(granit_parser::StructureStyle::Flow, ..)
            | Event::MappingStart(granit_parser::StructureStyle::Flow, ..) => flow_starts.push(start),
            Event::SequenceStart(..) | Event::MappingStart(..) => flow_starts.push(usize::MAX),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = flow_starts.pop().filter(|&s| s != usize::MAX) {
                    mark(open, end);
                }
            }
            _ => {}
        }
    }
    exempt
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The snippets compared with PyYAML's CSafeLoader (.ci/run checks that libyaml still
    /// judges them so): each one libyaml rejects is a syntax error here too, at the recorded line
    /// (libyaml's, or where the problem starts when libyaml notices it later), and each one it
    /// accepts is read.
    #[test]
    fn agrees_with_libyaml_on_the_snippets() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/yaml_syntax_snippets.json");
        let snippets: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let snippets = snippets.as_array().unwrap();
        assert!(snippets.len() >= 20);
        for s in snippets {
            let (name, text) = (s["name"].as_str().unwrap(), s["text"].as_str().unwrap());
            let parsed = crate::load::yaml::parse_all::<serde_json::Value>(text, std::path::Path::new("s.yaml"));
            let syntax: Vec<_> = parsed.diagnostics.iter().filter(|d| d.code == "yaml-syntax").collect();
            match s["line"].as_u64() {
                Some(line) => {
                    assert!(s["libyaml_rejects"].as_bool().unwrap(), "{name}");
                    assert_eq!(syntax.len(), 1, "{name}: {:?}", parsed.diagnostics);
                    let at = syntax[0].location.as_ref().and_then(|l| l.line);
                    assert_eq!(at, Some(line as u32), "{name}: {:?}", syntax[0]);
                    assert!(parsed.value.is_none(), "{name}");
                }
                None => {
                    assert!(!s["libyaml_rejects"].as_bool().unwrap(), "{name}");
                    assert!(parsed.diagnostics.is_empty(), "{name}: {:?}", parsed.diagnostics);
                }
            }
        }
    }

    #[test]
    fn tabs_where_libyaml_allows_them_are_read() {
        assert_eq!(libyaml_rejects("a:\t1\nb: \"x\n\ty\"\nc: [1,\n\t2]\nd: 1\t# c\n"), None);
        assert_eq!(libyaml_rejects("a: 1\n\t\n").map(|r| (r.0, r.1)), Some((2, 1)));
        assert_eq!(libyaml_rejects("- - \tx\n").map(|r| (r.0, r.1)), Some((1, 5)));
        assert_eq!(libyaml_rejects("a: x\u{2028}y\n").map(|r| (r.0, r.1)), Some((1, 5)));
    }
}
