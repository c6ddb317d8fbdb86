//! `templates/.shipped.json`: what `init` copied into a workspace's `templates/` — each
//! template's hash and the version that shipped it. The documents read the workspace's copy
//! (a city may edit it), so after an upgrade a copy still exactly as `init` wrote it would keep
//! the old version's report and deck, without this version's fixes, and without a word.
//! Validate says so (note `template-outdated`) when a copy is unchanged since `init` and this
//! version ships another text; a copy the city edited is theirs and is not mentioned.
//!
//! Hashes are of the text with Windows line ends made Unix ones, so a checkout with
//! `core.autocrlf` reads as the same copy.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::templates::SHIPPED;

/// The record's place in the workspace.
pub const RECORD: &str = "templates/.shipped.json";

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Record {
    /// The version of smartcity-eval that wrote the copies.
    version: String,
    /// Path in the workspace (`templates/report.typ`) → hash of the text `init` wrote.
    files: BTreeMap<String, String>,
}

fn hash(text: &str) -> String {
    blake3::hash(text.replace("\r\n", "\n").as_bytes()).to_hex().to_string()
}

/// The record `init` writes beside the copies of this version's templates.
pub fn record() -> String {
    let record = Record {
        version: env!("CARGO_PKG_VERSION").to_string(),
        files: SHIPPED.iter().map(|(path, text)| ((*path).to_string(), hash(text))).collect(),
    };
    serde_json::to_string_pretty(&record).map(|json| json + "\n").unwrap_or_default()
}

/// An unchanged copy of an older shipped template.
#[derive(Debug, PartialEq)]
pub struct Outdated {
    /// Its path in the workspace (`templates/slides.typ`).
    pub path: String,
    /// The version whose `init` wrote it.
    pub version: String,
}

/// The workspace's templates that are still what an older `init` wrote while this version
/// ships another text. Nothing when there is no record (a workspace made by hand, or before
/// the record existed) or it cannot be read: the record only ever adds a note.
pub fn outdated(root: &Path) -> Vec<Outdated> {
    let Some(record) =
        std::fs::read_to_string(root.join(RECORD)).ok().and_then(|text| serde_json::from_str::<Record>(&text).ok())
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (path, written) in &record.files {
        let Some((_, shipped)) = SHIPPED.iter().find(|(p, _)| p == path) else { continue };
        if hash(shipped) == *written {
            continue;
        }
        let Ok(on_disk) = std::fs::read_to_string(root.join(path)) else { continue };
        if hash(&on_disk) == *written {
            found.push(Outdated { path: path.clone(), version: record.version.clone() });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(record: &Record, files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let file = dir.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join(RECORD), serde_json::to_string(record).unwrap()).unwrap();
        dir
    }

    #[test]
    fn only_a_copy_unchanged_since_an_older_init_is_outdated() {
        let old = "{# the 0.0.9 slides #}\n";
        let record = Record {
            version: "0.0.9".into(),
            files: [
                ("templates/slides.typ".to_string(), hash(old)),
                ("templates/report.typ".to_string(), hash("{# the 0.0.9 report #}\n")),
            ]
            .into(),
        };
        // slides: as init wrote it (with Windows line ends: the same copy); report: edited.
        let dir = workspace(
            &record,
            &[("templates/slides.typ", &old.replace('\n', "\r\n")), ("templates/report.typ", "{# our own #}\n")],
        );
        assert_eq!(outdated(dir.path()), [Outdated { path: "templates/slides.typ".into(), version: "0.0.9".into() }]);
    }

    #[test]
    fn this_versions_copies_and_workspaces_without_a_record_are_not_outdated() {
        let dir = tempfile::tempdir().unwrap();
        assert!(outdated(dir.path()).is_empty());
        let current: Record = serde_json::from_str(&record()).unwrap();
        let files: Vec<(&str, &str)> = SHIPPED.to_vec();
        let dir = workspace(&current, &files);
        assert!(outdated(dir.path()).is_empty());
        assert_eq!(current.files.len(), SHIPPED.len());
    }
}
