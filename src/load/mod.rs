//! Loading: every file of a workspace parsed into typed values (YAML) and polars frames
//! (data), with diagnostics for whatever cannot be read. Nothing is cross-checked here.

// `table` reads one data file: observation CSV and parquet files through `stream` (`blocks`,
// `row_groups`, `fold`; bad rows checked by `cells`), the rest cell by cell through the format
// readers (`csv_rows`, `xlsx`, `parquet`), which hand on raw rows (`raw`) whose headers
// `header` matches to the contract's `columns`.
pub mod blocks;
pub mod cells;
pub mod columns;
pub mod csv_rows;
pub mod fold;
pub mod header;
pub mod number;
pub mod parquet;
pub mod parquet_types;
pub mod raw;
pub mod row_groups;
pub mod stream;
pub mod summary;
pub mod table;
pub mod text;
pub mod thrift_sizes;
pub mod xlsx;
pub mod xlsx_cells;
pub mod yaml;
// After a YAML error: the text's node tree, the masking that reads on, and libyaml's stricter
// syntax (ADR 13).
mod yaml_mask;
mod yaml_strict;
mod yaml_tree;

pub use raw::Origin;
pub use summary::{Group, Summary};
pub use table::{PercentCell, Table};

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::model::{Assessment, City, DataOptions, Dimensions, Framework, OpdList, Program, Sp};
use crate::workspace::Workspace;

/// A parsed file and where it came from (shown path, relative to the workspace).
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub path: PathBuf,
    pub value: T,
}

/// Everything that could be read. Files that failed to parse are absent; their diagnostics
/// say why.
#[derive(Debug, Clone)]
pub struct LoadedWorkspace {
    pub workspace: Workspace,
    pub city: Option<Loaded<City>>,
    pub dimensions: Option<Loaded<Dimensions>>,
    pub frameworks: Vec<Loaded<Framework>>,
    /// One entry per program (a file may hold several).
    pub programs: Vec<Loaded<Sp<Program>>>,
    pub assessments: Vec<Loaded<Assessment>>,
    /// `indicators/opd.yaml`, when present and readable.
    pub opds: Option<Loaded<OpdList>>,
    pub tables: Vec<Table>,
    pub unparsed: Unparsed,
    /// Published results of earlier evaluations (`indicators/results/`).
    pub results: Vec<Loaded<crate::model::PublishedResult>>,
    /// `indicators/rpjmd.yaml`, when it exists and parsed.
    pub rpjmd: Option<Loaded<crate::model::Rpjmd>>,
    /// `scenarios/<name>.yaml` that parsed.
    pub scenarios: Vec<Loaded<crate::model::Scenario>>,
    /// Files that had problems, as read once the entries with problems were taken out.
    pub partial: Partial,
}

/// What a YAML file with problems still said once its faulty entries were taken out (ADR 13).
/// These values are not in the workspace: nothing is scored or cross-checked with them. Only
/// the checks of single values run over them, so that one `validate` shows a score outside
/// the scale next to the parse errors of the same file.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    pub city: Option<Loaded<City>>,
    pub dimensions: Option<Loaded<Dimensions>>,
    pub frameworks: Vec<Loaded<Framework>>,
    pub programs: Vec<Loaded<Sp<Program>>>,
    pub assessments: Vec<Loaded<Assessment>>,
    pub opds: Option<Loaded<OpdList>>,
    pub results: Vec<Loaded<crate::model::PublishedResult>>,
    pub rpjmd: Option<Loaded<crate::model::Rpjmd>>,
}

impl Partial {
    pub fn is_empty(&self) -> bool {
        self.city.is_none()
            && self.dimensions.is_none()
            && self.frameworks.is_empty()
            && self.programs.is_empty()
            && self.assessments.is_empty()
            && self.opds.is_none()
            && self.results.is_empty()
            && self.rpjmd.is_none()
    }
}

/// What could not be read or parsed. Checks consult it so that one broken file is reported
/// once, not again as "unknown id" wherever its ids are used.
#[derive(Debug, Clone, Default)]
pub struct Unparsed {
    pub city: bool,
    pub dimensions: bool,
    pub frameworks: bool,
    /// Ids read loosely from program files that failed to parse.
    pub program_ids: BTreeSet<String>,
    pub indicator_ids: BTreeSet<String>,
    /// A program file could not be read even loosely: any id may be defined there.
    pub programs: bool,
    pub assessments: bool,
    /// `indicators/opd.yaml` exists but could not be read: OPD ids are not checked.
    pub opds: bool,
    /// An observation file failed to load or lost rows to errors: "no data" warnings would be
    /// follow-on noise.
    pub observations: bool,
    /// `indicators/rpjmd.yaml` exists but could not be read: sasaran references are not checked.
    pub rpjmd: bool,
}

impl LoadedWorkspace {
    /// The instrument `city.yaml` names, if both loaded.
    pub fn framework(&self) -> Option<&Loaded<Framework>> {
        let id = &self.city.as_ref()?.value.evaluation.framework.value;
        self.frameworks.iter().find(|f| &f.value.id.value == id)
    }

    /// The OPD a program or a document names: by id from `indicators/opd.yaml`, else by its
    /// name there (any case), else `None` (a plain name the list does not know).
    pub fn opd(&self, written: &str) -> Option<&crate::model::Opd> {
        let list = &self.opds.as_ref()?.value.opd;
        list.iter()
            .find(|o| o.id.value == written)
            .or_else(|| list.iter().find(|o| o.name.trim().eq_ignore_ascii_case(written.trim())))
    }

    /// An OPD as people read it: the list's name for an id, else what was written.
    pub fn opd_name(&self, written: &str) -> String {
        self.opd(written).map_or_else(|| written.to_string(), |o| o.name.clone())
    }

    pub fn assessment(&self, year: i32) -> Option<&Loaded<Assessment>> {
        self.assessments.iter().find(|a| a.value.year.value == year)
    }

    /// The instrument whose weights apply to last year's published result: the one `previous`
    /// names, else the one instrument declaring that year. Never this year's by default: weighting
    /// last year's aspects with this year's weights would give a wrong improvement.
    pub fn previous_instrument(&self, previous: &crate::model::city::Previous) -> Option<&Framework> {
        let ws = self;
        if let Some(id) = &previous.framework {
            return ws.frameworks.iter().map(|f| &f.value).find(|f| f.id.value == id.value);
        }
        let same_year: Vec<&Framework> =
            ws.frameworks.iter().map(|f| &f.value).filter(|f| f.year == Some(previous.year.value)).collect();
        match same_year.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// The instrument that applies to an assessment year: the city's for its evaluation year,
    /// otherwise the one instrument declaring that year, otherwise the city's.
    pub fn framework_for_year(&self, year: i32) -> Option<&Framework> {
        let ws = self;
        let city_fw = ws.framework().map(|f| &f.value);
        let evaluation_year = ws.city.as_ref().map(|c| c.value.evaluation.year.value);
        if evaluation_year == Some(year) {
            return city_fw;
        }
        let same_year: Vec<&Framework> =
            ws.frameworks.iter().map(|f| &f.value).filter(|f| f.year == Some(year)).collect();
        match same_year.as_slice() {
            [only] => Some(only),
            _ => city_fw,
        }
    }
}

/// `indicators/city.yaml`, read and parsed ahead of the rest: `build` names its outputs from it
/// and decides whether anything is stale before loading everything, and [`load_with_city`]
/// takes it over, so the file is read and parsed once per command.
pub struct CityFile {
    /// The clean value; `None` when the file is missing or has problems.
    pub city: Option<Loaded<City>>,
    /// What a file with problems still said (validate checks its single values).
    partial: Option<Loaded<City>>,
    /// The file could not be read or parsed cleanly.
    unparsed: bool,
    diagnostics: Diagnostics,
}

/// Reads and parses `indicators/city.yaml` of `workspace`.
pub fn read_city(workspace: &Workspace) -> CityFile {
    let mut diagnostics = Diagnostics::default();
    let text = if workspace.city.is_file() {
        read_files(workspace, std::slice::from_ref(&workspace.city), &mut diagnostics)
    } else {
        diagnostics.push(
            Diagnostic::error("missing-file", "the workspace has no indicators/city.yaml")
                .at(Location::file("indicators/city.yaml"))
                .help("create it (`smartcity-eval docs format`, §2), or start from `smartcity-eval init`"),
        );
        Vec::new()
    };
    let unparsed = text.is_empty();
    let mut partial = None;
    let city = parse_each::<City>(text, &mut diagnostics, &mut partial).pop();
    CityFile { unparsed: unparsed || city.is_none(), city, partial, diagnostics }
}

/// Each file's text with its path from the workspace; a file that cannot be read is reported.
fn read_files(workspace: &Workspace, paths: &[PathBuf], diagnostics: &mut Diagnostics) -> Vec<(PathBuf, String)> {
    paths
        .iter()
        .filter_map(|path| {
            let shown = workspace.rel(path);
            text::read_utf8(path, &shown).map(|text| (shown, text)).map_err(|d| diagnostics.push(d)).ok()
        })
        .collect()
}

pub fn load(workspace: Workspace, diagnostics: &mut Diagnostics) -> LoadedWorkspace {
    let city = read_city(&workspace);
    load_with_city(workspace, city, diagnostics)
}

/// Loads the workspace whose city.yaml [`read_city`] has read.
pub fn load_with_city(workspace: Workspace, city_file: CityFile, diagnostics: &mut Diagnostics) -> LoadedWorkspace {
    let read_all = |paths: &[PathBuf], diagnostics: &mut Diagnostics| -> Vec<(PathBuf, String)> {
        read_files(&workspace, paths, diagnostics)
    };
    diagnostics.extend(city_file.diagnostics);
    let dimensions_text = if workspace.dimensions.is_file() {
        read_all(std::slice::from_ref(&workspace.dimensions), diagnostics)
    } else {
        diagnostics.push(
            Diagnostic::error("missing-file", "the workspace has no indicators/dimensions.yaml")
                .at(Location::file("indicators/dimensions.yaml"))
                .help("copy the shipped one from a workspace made by `smartcity-eval init`"),
        );
        Vec::new()
    };
    let framework_texts = read_all(&workspace.frameworks, diagnostics);
    let program_texts = read_all(&workspace.programs, diagnostics);
    let assessment_texts = read_all(&workspace.assessments, diagnostics);
    let result_texts = read_all(&workspace.results, diagnostics);
    let opd_text = read_all(workspace.opd.as_slice(), diagnostics);
    let scenario_texts = read_all(&workspace.scenarios, diagnostics);

    let mut unparsed = Unparsed {
        city: city_file.unparsed,
        dimensions: dimensions_text.is_empty(),
        frameworks: framework_texts.len() < workspace.frameworks.len()
            || workspace.is_incomplete(&workspace.root.join("indicators/framework")),
        // An unreadable program file or folder: any id may be defined there.
        programs: program_texts.len() < workspace.programs.len()
            || workspace.is_incomplete(&workspace.root.join("indicators/programs")),
        ..Unparsed::default()
    };
    let mut partial = Partial { city: city_file.partial, ..Partial::default() };
    let city = city_file.city;
    let dimensions = parse_each::<Dimensions>(dimensions_text, diagnostics, &mut partial.dimensions).pop();
    let frameworks = parse_each::<Framework>(framework_texts, diagnostics, &mut partial.frameworks);
    let assessments = parse_each::<Assessment>(assessment_texts, diagnostics, &mut partial.assessments);
    let results = parse_each(result_texts, diagnostics, &mut partial.results);
    let opds = parse_each::<OpdList>(opd_text, diagnostics, &mut partial.opds).pop();
    // A scenario with problems is reported, not kept: nothing reads a half-read what-if.
    let scenarios = parse_each::<crate::model::Scenario>(scenario_texts, diagnostics, &mut Vec::new());
    unparsed.opds = workspace.opd.is_some() && opds.is_none();
    let mut programs = Vec::new();
    for (path, text) in program_texts {
        if yaml::is_blank(&text) {
            diagnostics.push(
                Diagnostic::warning("empty-file", "the program file is empty")
                    .at(Location::file(&path))
                    .help("fill in a program (`smartcity-eval docs format`, §5) or delete the file"),
            );
            continue;
        }
        // Parsed as the shape the file has (not through the untagged `ProgramFile`, which
        // would lose the spans and hide the real error).
        let parsed = if starts_as_list(&text) {
            yaml::parse_all::<Vec<Sp<Program>>>(&text, &path)
        } else {
            let one = yaml::parse_all::<Sp<Program>>(&text, &path);
            yaml::Parsed { value: one.value.map(|p| vec![p]), diagnostics: one.diagnostics }
        };
        let list = parsed.value.into_iter().flatten().map(|value| Loaded { path: path.clone(), value });
        if parsed.diagnostics.is_empty() {
            programs.extend(list);
        } else {
            diagnostics.extend(parsed.diagnostics);
            partial.programs.extend(list);
            read_ids_loosely(&text, &mut unparsed);
        }
    }

    let defaults: DataOptions = city.as_ref().and_then(|c: &Loaded<City>| c.value.data.clone()).unwrap_or_default();
    let mut tables = Vec::new();
    for (kind, path) in &workspace.data {
        let mut table_diagnostics = Vec::new();
        if let Some(table) = table::read_table(*kind, path, &workspace.rel(path), &defaults, &mut table_diagnostics) {
            tables.push(table);
        }
        if *kind == crate::workspace::DataKind::Observations && table_diagnostics.iter().any(Diagnostic::is_error) {
            unparsed.observations = true;
        }
        diagnostics.extend(table_diagnostics);
    }

    // Optional: a workspace without an RPJMD is complete.
    let rpjmd = if workspace.rpjmd.is_file() {
        let text = read_all(std::slice::from_ref(&workspace.rpjmd), diagnostics);
        let parsed = parse_each(text, diagnostics, &mut partial.rpjmd).pop();
        unparsed.rpjmd = parsed.is_none();
        parsed
    } else {
        None
    };

    unparsed.city |= city.is_none();
    unparsed.assessments |= assessments.len() < workspace.assessments.len();
    unparsed.dimensions |= dimensions.is_none();
    unparsed.frameworks |= frameworks.len() < workspace.frameworks.len();
    LoadedWorkspace {
        workspace,
        city,
        dimensions,
        frameworks,
        programs,
        assessments,
        opds,
        tables,
        unparsed,
        rpjmd,
        results,
        scenarios,
        partial,
    }
}

/// Where the value of a file with problems goes: `Partial`'s single files and lists alike.
trait Keep<T> {
    fn keep(&mut self, loaded: Loaded<T>);
}
impl<T> Keep<T> for Option<Loaded<T>> {
    fn keep(&mut self, loaded: Loaded<T>) {
        *self = Some(loaded);
    }
}
impl<T> Keep<T> for Vec<Loaded<T>> {
    fn keep(&mut self, loaded: Loaded<T>) {
        self.push(loaded);
    }
}

/// Parses each file: the clean ones are returned; a file with problems reports all of them and
/// leaves what it still said in `partial`.
fn parse_each<T: DeserializeOwned>(
    texts: Vec<(PathBuf, String)>,
    diagnostics: &mut Diagnostics,
    partial: &mut impl Keep<T>,
) -> Vec<Loaded<T>> {
    let mut clean = Vec::new();
    for (path, text) in texts {
        if yaml::is_blank(&text) {
            diagnostics.push(
                Diagnostic::error("empty-file", "the file is empty")
                    .at(Location::file(&path))
                    .help("fill it in (`smartcity-eval docs format`) or delete it"),
            );
            continue;
        }
        let parsed = yaml::parse_all::<T>(&text, &path);
        match parsed.value {
            Some(value) if parsed.diagnostics.is_empty() => clean.push(Loaded { path, value }),
            Some(value) => partial.keep(Loaded { path, value }),
            None => {}
        }
        diagnostics.extend(parsed.diagnostics);
    }
    clean
}

/// Whether the first YAML content of the file is a sequence.
fn starts_as_list(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
        .is_some_and(|l| l.starts_with("- ") || *l == *"-" || l.starts_with('['))
}

/// Program and indicator ids of a program file that failed strict parsing, read as plain YAML.
fn read_ids_loosely(text: &str, unparsed: &mut Unparsed) {
    let Ok(value) = yaml::parse::<serde_json::Value>(text, std::path::Path::new("")) else {
        unparsed.programs = true;
        return;
    };
    let programs = match &value {
        serde_json::Value::Array(list) => list.iter().collect(),
        other => vec![other],
    };
    for program in programs {
        if let Some(id) = program.get("id").and_then(|v| v.as_str()) {
            unparsed.program_ids.insert(id.to_string());
        }
        for indicator in program.get("indicators").and_then(|v| v.as_array()).into_iter().flatten() {
            if let Some(id) = indicator.get("id").and_then(|v| v.as_str()) {
                unparsed.indicator_ids.insert(id.to_string());
            }
        }
    }
}
