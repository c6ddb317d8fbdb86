//! `validate --format github`: each diagnostic as a GitHub Actions workflow command
//! (`::error file=…,line=…,col=…,title=…::message`), so a data steward sees the problem on the
//! file in the pull request. Escaping follows the runner's rules (actions/toolkit, command.ts):
//! `%`, CR and LF in the message; those plus `:` and `,` in a property.

use std::fmt::Write as _;
use std::path::Path;

use super::{Diagnostic, Diagnostics, Severity, slash_path};

/// `prefix` is the workspace's folder relative to the repository root (empty when the
/// workspace is the repository): GitHub places annotations by path from the repository root.
pub fn render_github(diagnostics: &Diagnostics, prefix: &Path) -> String {
    let mut out = String::new();
    for d in diagnostics.sorted() {
        let _ = writeln!(out, "{}", annotation(d, prefix));
    }
    let (e, w) = (diagnostics.error_count(), diagnostics.warning_count());
    let _ = writeln!(out, "{e} error{}, {w} warning{}", super::plural(e), super::plural(w));
    out
}

fn annotation(d: &Diagnostic, prefix: &Path) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        // GitHub's `notice`: shown on the file, never failing the job.
        Severity::Note => "notice",
    };
    let mut properties = Vec::new();
    let mut message = String::new();
    if let Some(loc) = &d.location {
        properties.push(format!("file={}", property(&slash_path(&prefix.join(&loc.path)))));
        if let Some(line) = loc.line {
            properties.push(format!("line={line}"));
        }
        if let Some(col) = loc.column.filter(|_| loc.line.is_some()) {
            properties.push(format!("col={col}"));
        }
        // A spreadsheet cell has no line GitHub can point at: the cell leads the message.
        if let Some(cell) = &loc.cell {
            message.push_str(&format!("{cell}: "));
        }
    }
    properties.push(format!("title={}", property(d.code)));
    message.push_str(&d.message);
    for rel in &d.related {
        message.push_str(&format!("\nalso {}", super::Location { path: prefix.join(&rel.path), ..rel.clone() }));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!("::{command} {}::{}", properties.join(","), data(&message))
}

/// The message of a workflow command.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value (`file=…`): also `:` and `,`, which would end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    fn one(d: Diagnostic, prefix: &str) -> String {
        let mut ds = Diagnostics::default();
        ds.push(d);
        render_github(&ds, Path::new(prefix))
    }

    #[test]
    fn an_error_with_its_place_title_and_help() {
        let d = Diagnostic::error("unknown-key", "unknown key `statu`")
            .at(Location::at("indicators/programs/p.yaml", 4, 3))
            .help("did you mean `status`?");
        assert_eq!(
            one(d, ""),
            "::error file=indicators/programs/p.yaml,line=4,col=3,title=unknown-key::unknown key `statu`%0A\
             help: did you mean `status`?\n1 error, 0 warnings\n"
        );
    }

    #[test]
    fn paths_are_relative_to_the_repository() {
        let d = Diagnostic::warning("x", "m").at(Location::file("data/a.csv"));
        assert!(one(d, "kota/ambon").starts_with("::warning file=kota/ambon/data/a.csv,title=x::m\n"));
    }

    #[test]
    fn messages_and_properties_are_escaped() {
        let d =
            Diagnostic::error("x", "100% done\r\nnext: a, b").at(Location::at("data/a:b,c%.csv", 2, 0)).help("fix: it");
        assert_eq!(
            one(d, "").lines().next().unwrap(),
            "::error file=data/a%3Ab%2Cc%25.csv,line=2,title=x::100%25 done%0D%0Anext: a, b%0Ahelp: fix: it"
        );
    }

    #[test]
    fn a_cell_leads_the_message_and_related_places_follow() {
        let d = Diagnostic::error("x", "not a number")
            .at(Location::cell("data/x.xlsx", "Capaian!B7".into()))
            .related(Location::at("indicators/a.yaml", 3, 1));
        assert_eq!(
            one(d, "ws").lines().next().unwrap(),
            "::error file=ws/data/x.xlsx,title=x::Capaian!B7: not a number%0Aalso ws/indicators/a.yaml:3:1"
        );
    }

    #[test]
    fn no_place_is_an_annotation_without_file() {
        let d = Diagnostic::error("not-a-workspace", "no indicators/city.yaml");
        assert!(one(d, "").starts_with("::error title=not-a-workspace::no indicators/city.yaml\n"));
    }
}
