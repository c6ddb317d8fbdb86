//! Validation: every check a careful assessor or data steward would make, over a loaded
//! workspace. Checks are grouped by subject; each returns diagnostics and never stops early,
//! so one run shows every problem.

mod city;
mod completeness;
mod data;
mod evidence;
mod framework;
mod opd;
mod partial;
mod programs;
mod results;
mod rpjmd;
mod scenario;

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, suggest};
use crate::load::LoadedWorkspace;
use crate::model::Sp;

/// Discovers, loads and checks the workspace at `root`: every diagnostic, load problems
/// included. Fails only when `root` is not a workspace at all.
pub fn validate_path(root: &Path) -> Result<Diagnostics, Diagnostic> {
    let mut diagnostics = Diagnostics::default();
    let workspace = crate::workspace::Workspace::discover(root, &mut diagnostics)?;
    let loaded = crate::load::load(workspace, &mut diagnostics);
    check(&loaded, &mut diagnostics);
    Ok(diagnostics)
}

/// Runs every check over what was loaded.
pub fn check(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    let ids = Ids::collect(ws);
    city::check(ws, &ids, diagnostics);
    framework::check(ws, &ids, diagnostics);
    programs::check(ws, &ids, diagnostics);
    data::check(ws, &ids, diagnostics);
    rpjmd::check(ws, diagnostics);
    results::check(ws, &ids, diagnostics);
    scenario::check(ws, &ids, diagnostics);
    opd::check(ws, diagnostics);
    evidence::check(ws, diagnostics);
    completeness::check(ws, diagnostics);
    partial::check(ws, diagnostics);
    outdated_templates(ws, diagnostics);
}

/// Copies of templates that an older `init` wrote and nobody changed since: the documents use
/// them, not this version's (render/shipped_copies.rs).
fn outdated_templates(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    for old in crate::render::shipped_copies::outdated(&ws.workspace.root) {
        diagnostics.push(
            Diagnostic::note(
                "template-outdated",
                format!(
                    "`{}` is the copy smartcity-eval {} wrote at `init`, unchanged since; this version ({}) ships a newer one",
                    old.path,
                    old.version,
                    env!("CARGO_PKG_VERSION")
                ),
            )
            .at(Location::file(&old.path))
            .help(
                "the documents use this copy, not the shipped template: delete it to get this version's template (a copy \
                 you edit is yours and is not mentioned again)",
            ),
        );
    }
}

/// Known ids, for reference checks and `did you mean`.
#[derive(Clone)]
pub(crate) struct Ids {
    pub dimensions: BTreeSet<String>,
    /// (dimension, subdimension)
    pub subdimensions: BTreeSet<(String, String)>,
    pub frameworks: BTreeSet<String>,
    pub programs: BTreeSet<String>,
    pub indicators: BTreeSet<String>,
    /// False when dimensions.yaml could not be read: dimension references are not checked.
    pub dimensions_known: bool,
    /// False when a program file could not be read at all: program/indicator references are
    /// not checked (the read error is the one to fix first).
    pub programs_known: bool,
    pub frameworks_known: bool,
}

impl Ids {
    fn collect(ws: &LoadedWorkspace) -> Ids {
        let mut ids = Ids {
            dimensions: BTreeSet::new(),
            subdimensions: BTreeSet::new(),
            frameworks: ws.frameworks.iter().map(|f| f.value.id.value.clone()).collect(),
            programs: ws.programs.iter().map(|p| p.value.id.value.clone()).collect(),
            indicators: ws
                .programs
                .iter()
                .flat_map(|p| p.value.indicators.iter().map(|i| i.id.value.clone()))
                .collect(),
            dimensions_known: !ws.unparsed.dimensions,
            programs_known: !ws.unparsed.programs,
            frameworks_known: !ws.unparsed.frameworks,
        };
        ids.programs.extend(ws.unparsed.program_ids.iter().cloned());
        ids.indicators.extend(ws.unparsed.indicator_ids.iter().cloned());
        if let Some(dims) = &ws.dimensions {
            for d in &dims.value.dimensions {
                ids.dimensions.insert(d.id.value.clone());
                for s in &d.subdimensions {
                    ids.subdimensions.insert((d.id.value.clone(), s.id.value.clone()));
                }
            }
        }
        ids
    }

    pub fn unknown_dimension(&self, id: &str) -> bool {
        self.dimensions_known && !self.dimensions.contains(id)
    }

    pub fn unknown_indicator(&self, id: &str) -> bool {
        self.programs_known && !self.indicators.contains(id)
    }

    pub fn subdimensions_of<'a>(&'a self, dimension: &'a str) -> impl Iterator<Item = &'a str> + Clone {
        self.subdimensions.iter().filter(move |(d, _)| d == dimension).map(|(_, s)| s.as_str())
    }
}

/// Location of a spanned value in `path`.
pub(crate) fn at<T>(path: &Path, value: &Sp<T>) -> Location {
    Location::at(path, value.line, value.column)
}

/// A reference to an id that does not exist, with the nearest existing one suggested.
pub(crate) fn dangling<'a>(
    what: &str,
    id: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
    location: Location,
) -> Diagnostic {
    let help = match suggest(id, known.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            let list: Vec<&str> = known.into_iter().take(12).collect();
            if list.is_empty() {
                format!("no {what} is defined yet")
            } else {
                format!("known {what} ids include: {}", list.join(", "))
            }
        }
    };
    Diagnostic::error("dangling-reference", format!("unknown {what} `{id}`")).at(location).help(help)
}

/// A sub-dimension that is not one of `dimension`'s, saying which dimension it belongs to.
pub(crate) fn dangling_subdimension(ids: &Ids, dimension: &str, sub: &str, location: Location) -> Diagnostic {
    let mut d = dangling("sub-dimension", sub, ids.subdimensions_of(dimension), location);
    d.message = format!("`{sub}` is not a sub-dimension of {dimension}");
    match ids.subdimensions.iter().find(|(_, s)| s == sub) {
        Some((owner, _)) => d.help(format!(
            "`{sub}` belongs to dimension `{owner}`: change the dimension to {owner}, or pick one of: {}",
            ids.subdimensions_of(dimension).collect::<Vec<_>>().join(", ")
        )),
        None => d,
    }
}

pub(crate) fn check_slug(kind: &str, id: &Sp<String>, path: &Path, diagnostics: &mut Diagnostics) {
    if !crate::slug::is_slug(id) {
        diagnostics.push(
            Diagnostic::error("bad-id", format!("`{}` is not a valid {kind}", id.value)).at(at(path, id)).help(
                format!(
                    "ids use lowercase letters, digits and dashes, starting with a letter or digit: `{}`",
                    crate::slug::slugify(id)
                ),
            ),
        );
    }
}

#[cfg(test)]
mod fuzz_tests {
    use proptest::prelude::*;

    /// Every input file of the minimal workspace, by path.
    const FILES: &[&str] = &[
        "indicators/city.yaml",
        "indicators/dimensions.yaml",
        "indicators/framework/mini.yaml",
        "indicators/programs/sampah.yaml",
        "indicators/assessment/2023.yaml",
        "indicators/opd.yaml",
        "data/observations/sampah.csv",
        "data/budget/anggaran.csv",
        "data/survey/survei.csv",
        // Optional files, absent from the base: noise there must be handled too.
        "indicators/rpjmd.yaml",
        "data/rpjmd/iku.csv",
        "scenarios/coba.yaml",
    ];

    fn base() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/_base");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        dir
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// Arbitrary bytes in any input file give diagnostics, never a panic.
        #[test]
        fn arbitrary_bytes_in_any_file_never_panic(which in 0..FILES.len(), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let dir = base();
            std::fs::create_dir_all(dir.path().join(FILES[which]).parent().unwrap()).unwrap();
            std::fs::write(dir.path().join(FILES[which]), &bytes).unwrap();
            let result = super::validate_path(dir.path());
            prop_assert!(result.is_ok());
        }

        /// Text made of YAML/CSV punctuation, which reaches deeper than random bytes.
        #[test]
        fn structured_noise_never_panics(which in 0..FILES.len(), text in "[a-z0-9:,;\\-\\[\\]{}#&*!|>'\"\\. \\n\\t]{0,300}") {
            let dir = base();
            std::fs::create_dir_all(dir.path().join(FILES[which]).parent().unwrap()).unwrap();
            std::fs::write(dir.path().join(FILES[which]), text.as_bytes()).unwrap();
            prop_assert!(super::validate_path(dir.path()).is_ok());
        }
    }
}
