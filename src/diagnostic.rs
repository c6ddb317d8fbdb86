//! The one diagnostic type every stage reports through, and its printers.
//!
//! A diagnostic says what is wrong, where (file and line/column, or sheet!cell for xlsx, or a
//! data row), and how to fix it. Stages collect them; the CLI prints them at the edge.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

mod github;
pub use github::render_github;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// For information: nothing to fix, exit status unaffected (files nothing refers to).
    Note,
}

/// Where a diagnostic points. `path` is relative to the workspace when possible. Ordered as a
/// reader goes through the file: by path, line and column, cells by sheet, row and column (`C9`
/// before `C10`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Written with `/` on every platform (`validate --format json`).
    #[serde(serialize_with = "serialize_slash_path")]
    pub path: PathBuf,
    /// 1-based line in a text file (YAML, CSV), or the 1-based row of a table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// `Sheet!B7` for spreadsheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location { path: path.into(), line: None, column: None, cell: None }
    }

    pub fn at(path: impl Into<PathBuf>, line: u32, column: u32) -> Self {
        Location {
            path: path.into(),
            line: (line > 0).then_some(line),
            column: (column > 0).then_some(column),
            cell: None,
        }
    }

    pub fn cell(path: impl Into<PathBuf>, cell: String) -> Self {
        Location { path: path.into(), line: None, column: None, cell: Some(cell) }
    }
}

impl Ord for Location {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        type Key<'a> = (&'a Path, Option<u32>, Option<u32>, Option<CellOrder<'a>>);
        fn key(l: &Location) -> Key<'_> {
            (&l.path, l.line, l.column, l.cell.as_deref().map(cell_order))
        }
        key(self).cmp(&key(other)).then_with(|| self.cell.cmp(&other.cell))
    }
}

impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A cell reference's place: (sheet, row, column number, the reference when it is not one).
type CellOrder<'a> = (&'a str, u32, u32, &'a str);

/// `Sheet!C10` (or `'A sheet'!C10`) as (sheet, row, column number), so rows sort by number.
/// A reference that is not `letters digits` sorts by its text after the sheet's real cells.
fn cell_order(cell: &str) -> CellOrder<'_> {
    let (sheet, reference) = cell.rsplit_once('!').unwrap_or(("", cell));
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (column, row) = reference.split_at(letters);
    let column = column
        .bytes()
        .fold(0u32, |n, b| n.saturating_mul(26).saturating_add(u32::from(b.to_ascii_uppercase() - b'A' + 1)));
    match row.parse::<u32>() {
        Ok(row) if letters > 0 => (sheet, row, column, ""),
        _ => (sheet, u32::MAX, u32::MAX, reference),
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", slash_path(&self.path))?;
        if let Some(cell) = &self.cell {
            write!(f, ":{cell}")?;
        } else if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable kebab-case code (`unknown-key`, `dangling-reference`, …) documented in docs/.
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Other places involved (the first definition of a duplicate id, say).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: clip(message.into()),
            location: None,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Note, ..Diagnostic::error(code, message) }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn at_opt(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn related(mut self, location: Location) -> Self {
        self.related.push(location);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(clip(help.into()));
        self
    }

    /// A help that lists entries the tool composed, each already shortened by the caller (the
    /// questions that carry a printed number): kept whole up to [`MAX_LIST_HELP_CHARS`], so that
    /// no entry of the list is lost to the [`MAX_MESSAGE_CHARS`] clip of quoted text.
    pub fn help_list(mut self, help: impl Into<String>) -> Self {
        self.help = Some(clip_at(help.into(), MAX_LIST_HELP_CHARS));
        self
    }

    /// Adds to the help (after a `did you mean`), rather than replacing it.
    pub fn also_help(mut self, more: impl Into<String>) -> Self {
        let more = more.into();
        self.help = Some(match self.help.take() {
            Some(h) if h.starts_with("did you mean") => format!("{h} {more}"),
            _ => more,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Messages quote what the user wrote; a 100 MB cell must not become a 100 MB message.
pub const MAX_MESSAGE_CHARS: usize = 400;

/// The bound of a [`Diagnostic::help_list`]: a list of entries the tool shortened itself.
pub const MAX_LIST_HELP_CHARS: usize = 2000;

fn clip(text: String) -> String {
    clip_at(text, MAX_MESSAGE_CHARS)
}

fn clip_at(mut text: String, max: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max) {
        text.truncate(cut);
        text.push_str("… (cut)");
    }
    text
}

/// Everything a stage found, in the order found; printed sorted by place.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn note_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Note).count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then position, errors before warnings at the same place; stable so the
    /// output of two runs is identical. A file's "N more problems" line comes after the
    /// problems it summarises.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        let key = |d: &'_ Diagnostic| {
            (d.location.as_ref().map(|l| l.path.clone()), d.code == "more-problems", d.location.clone(), d.severity)
        };
        items.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message)));
        items.dedup_by(|a, b| a == b);
        items
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Human output: `error[code]: message` / `  --> file:line:col` / `  = help: …`.
/// Colour is added by the caller's stream (anstream strips it when not a terminal).
pub fn render_human(diagnostics: &Diagnostics, color: bool) -> String {
    use anstyle::{AnsiColor, Style};
    let paint = |style: Style, text: &str| -> String {
        if color { format!("{}{text}{}", style.render(), style.render_reset()) } else { text.to_string() }
    };
    let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold();
    let blue = Style::new().fg_color(Some(AnsiColor::Blue.into())).bold();
    let bold = Style::new().bold();

    let mut out = String::new();
    for d in diagnostics.sorted() {
        let head = match d.severity {
            Severity::Error => paint(red, &format!("error[{}]", d.code)),
            Severity::Warning => paint(yellow, &format!("warning[{}]", d.code)),
            Severity::Note => paint(blue, &format!("note[{}]", d.code)),
        };
        let _ = writeln!(out, "{head}: {}", paint(bold, &d.message));
        if let Some(loc) = &d.location {
            let _ = writeln!(out, "  {} {loc}", paint(blue, "-->"));
        }
        for rel in &d.related {
            let _ = writeln!(out, "  {} also {rel}", paint(blue, "-->"));
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  {} {help}", paint(blue, "= help:"));
        }
    }
    let (e, w, n) = (diagnostics.error_count(), diagnostics.warning_count(), diagnostics.note_count());
    let mut summary = if e == 0 && w == 0 {
        "no problems found".to_string()
    } else {
        format!("{e} error{}, {w} warning{}", plural(e), plural(w))
    };
    if n > 0 {
        let _ = write!(summary, "{}{n} note{}", if e == 0 && w == 0 { "; " } else { ", " }, plural(n));
    }
    let _ = writeln!(out, "{}", if e > 0 { paint(red, &summary) } else { paint(bold, &summary) });
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    #[serde(skip_serializing_if = "is_zero")]
    notes: usize,
    diagnostics: Vec<&'a Diagnostic>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub fn render_json(diagnostics: &Diagnostics) -> String {
    let report = JsonReport {
        errors: diagnostics.error_count(),
        warnings: diagnostics.warning_count(),
        notes: diagnostics.note_count(),
        diagnostics: diagnostics.sorted(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// A path with `/` between its parts on every platform: what users see and what outputs record,
/// so a manifest or a diagnostic written on Windows reads the same on Linux CI.
pub fn slash_path(path: &Path) -> String {
    use std::path::Component;
    let mut text = String::new();
    let mut separate = false;
    for part in path.components() {
        match part {
            Component::Prefix(p) => text.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => text.push('/'),
            other => {
                if separate {
                    text.push('/');
                }
                text.push_str(&other.as_os_str().to_string_lossy());
                separate = true;
            }
        }
    }
    text
}

fn serialize_slash_path<S: serde::Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&slash_path(path))
}

/// Path shown to users: relative to the workspace root when inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// `did you mean …?` for near-miss names: the closest candidate within a small edit distance.
pub fn suggest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // No near miss of a name is this long (a runaway header cell or a pasted paragraph); not
    // even lower-casing it keeps a 100 MB cell cheap, whichever side it is on.
    const LONGEST: usize = 256;
    if wrong.len() > LONGEST {
        return None;
    }
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != wrong && c.len() <= LONGEST)
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let allowed = if c.chars().count() <= 3 { 1 } else { (c.chars().count() / 3).max(2) };
            let diff = wrong_lower.chars().count().abs_diff(lower.chars().count());
            // A near miss, or one written inside the other (`jalan` for `berjalan`). When one
            // contains the other the edit distance is exactly the length difference, and a length
            // difference above the allowance rules a name out: neither needs the edit-distance
            // matrix, which for a 100 MB header cell would need gigabytes.
            let contained = wrong_lower.len() >= 4 && (lower.contains(&wrong_lower) || wrong_lower.contains(&lower));
            if contained {
                return Some((diff, c));
            }
            if diff > allowed {
                return None;
            }
            let dist = strsim::damerau_levenshtein(&wrong_lower, &lower);
            (dist <= allowed).then_some((dist, c))
        })
        // Ties go to the candidate written in the same case as the input (`jalan` → `berjalan`,
        // not `BERJALAN`), then to byte order.
        .min_by_key(|(dist, c)| (*dist, capitals(c).abs_diff(capitals(wrong)), *c))
        .map(|(_, c)| c)
}

fn capitals(text: &str) -> usize {
    text.chars().filter(|c| c.is_uppercase()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tie_goes_to_the_candidate_in_the_inputs_case() {
        let statuses = ["BERJALAN", "Berjalan", "berjalan", "rencana"];
        assert_eq!(suggest("jalan", statuses), Some("berjalan"));
        assert_eq!(suggest("JALAN", statuses), Some("BERJALAN"));
    }

    #[test]
    fn the_more_problems_line_follows_the_problems_of_its_file() {
        let mut ds = Diagnostics::default();
        ds.push(
            Diagnostic::error("more-problems", "3 more problems in this file are not shown")
                .at(Location::file("b.csv")),
        );
        ds.push(Diagnostic::error("not-a-number", "x").at(Location::at("b.csv", 9, 3)));
        ds.push(Diagnostic::error("not-a-number", "y").at(Location::at("b.csv", 2, 3)));
        ds.push(Diagnostic::error("missing-file", "z").at(Location::file("a.yaml")));
        ds.push(Diagnostic::error("bad-id", "w").at(Location::file("c.yaml")));
        let order: Vec<&str> = ds.sorted().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, vec!["z", "y", "x", "3 more problems in this file are not shown", "w"]);
    }

    /// Spreadsheet cells in reading order: by sheet, then row number (`C9` before `C10`), then
    /// column (`Z2` before `AA2`), whatever their text order.
    #[test]
    fn cells_sort_by_row_and_column_number() {
        let mut ds = Diagnostics::default();
        for cell in ["Sheet!C10", "Sheet!C2", "Sheet!AA2", "Sheet!Z2", "'Data 2023'!B1", "Sheet!C9"] {
            ds.push(Diagnostic::error("not-a-number", cell).at(Location::cell("e.xlsx", cell.to_string())));
        }
        let order: Vec<&str> = ds.sorted().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["'Data 2023'!B1", "Sheet!C2", "Sheet!Z2", "Sheet!AA2", "Sheet!C9", "Sheet!C10"]);
    }

    #[test]
    fn suggests_the_closest_name() {
        assert_eq!(suggest("subdimensoin", ["dimension", "subdimension", "opd"]), Some("subdimension"));
        assert_eq!(suggest("Status", ["status", "period"]), Some("status"));
        assert_eq!(suggest("zzzzzz", ["status", "period"]), None);
        assert_eq!(suggest("jalan", ["rencana", "berjalan", "selesai"]), Some("berjalan"));
        // A huge name is answered at once (no edit-distance matrix of its size).
        let huge = "x".repeat(10_000_000);
        assert_eq!(suggest(&huge, ["status", "period"]), None);
        assert_eq!(suggest(&format!("{huge}status"), ["status", "period"]), None);
        assert_eq!(suggest("catatan status program", ["status", "period"]), Some("status"));
        assert_eq!(suggest("status", [huge.as_str(), "statsu"]), Some("statsu"));
    }

    #[test]
    fn long_messages_are_clipped() {
        let d = Diagnostic::error("x", "a".repeat(100_000)).help("b".repeat(100_000));
        assert_eq!(d.message.chars().count(), MAX_MESSAGE_CHARS + "… (cut)".chars().count());
        assert!(d.message.ends_with("… (cut)"));
        assert!(d.help.as_deref().is_some_and(|h| h.len() < 1000));
        assert_eq!(Diagnostic::error("x", "short").message, "short");
    }

    #[test]
    fn notes_are_counted_apart_and_change_nothing_else() {
        let mut ds = Diagnostics::default();
        ds.push(Diagnostic::note("evidence-unreferenced", "1 file is not referenced").at(Location::file("evidence")));
        assert!(!ds.has_errors());
        assert_eq!((ds.error_count(), ds.warning_count(), ds.note_count()), (0, 0, 1));
        let text = render_human(&ds, false);
        assert!(text.starts_with("note[evidence-unreferenced]: 1 file is not referenced\n  --> evidence\n"), "{text}");
        assert!(text.ends_with("no problems found; 1 note\n"), "{text}");
        ds.push(Diagnostic::warning("no-evidence", "x"));
        assert!(render_human(&ds, false).ends_with("0 errors, 1 warning, 1 note\n"));
        assert!(render_json(&ds).contains("\"notes\": 1"));
        assert!(!render_json(&Diagnostics::default()).contains("notes"));
    }

    #[test]
    fn location_display_prefers_cell() {
        let loc = Location::cell("data/x.xlsx", "Capaian!B7".into());
        assert_eq!(loc.to_string(), "data/x.xlsx:Capaian!B7");
        assert_eq!(Location::at("a.yaml", 3, 5).to_string(), "a.yaml:3:5");
    }

    #[test]
    fn human_output_has_code_place_and_help() {
        let mut ds = Diagnostics::default();
        ds.push(
            Diagnostic::error("unknown-key", "unknown key `statu`")
                .at(Location::at("p.yaml", 4, 1))
                .help("did you mean `status`?"),
        );
        let text = render_human(&ds, false);
        assert!(
            text.contains(
                "error[unknown-key]: unknown key `statu`\n  --> p.yaml:4:1\n  = help: did you mean `status`?\n"
            )
        );
        assert!(text.ends_with("1 error, 0 warnings\n"));
    }

    #[test]
    fn paths_are_shown_with_slashes() {
        assert_eq!(slash_path(Path::new("data/observations/a.csv")), "data/observations/a.csv");
        assert_eq!(slash_path(Path::new("/work/x/./y.csv")), "/work/x/y.csv");
        assert_eq!(slash_path(Path::new("data/Capaian Indikator – 2023.xlsx")), "data/Capaian Indikator – 2023.xlsx");
        #[cfg(windows)]
        {
            assert_eq!(slash_path(Path::new(r"data\observations\a.csv")), "data/observations/a.csv");
            assert_eq!(slash_path(Path::new(r"C:\kota\data\a.csv")), "C:/kota/data/a.csv");
        }
        assert_eq!(Location::at(PathBuf::from("data").join("a.csv"), 2, 1).to_string(), "data/a.csv:2:1");
    }
}
