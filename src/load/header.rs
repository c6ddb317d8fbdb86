//! A data file's header matched to the contract's columns: the sidecar's `columns:` map,
//! Indonesian header names offered as fixes, and the real header found below title rows.

use std::path::{Path, PathBuf};

use super::columns::{ColSpec, columns};
use super::number::format_number;
use super::raw::{Cell, Origin, Raw, cell_ref};
use crate::diagnostic::{Diagnostic, Location, suggest};
use crate::model::DataOptions;
use crate::workspace::DataKind;

pub(super) fn sidecar_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".yaml");
    PathBuf::from(name)
}

/// The sidecar's file name, as a user would create it next to the data file.
pub(super) fn sidecar_name(shown: &Path) -> String {
    sidecar_path(shown).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Matches headers to contract columns; returns, per contract column, the header index.
pub(super) fn map_headers(
    kind: DataKind,
    shown: &Path,
    options: &DataOptions,
    raw: &Raw,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<(ColSpec, Option<usize>)>> {
    let specs = columns(kind);
    let header_loc = |i: Option<usize>| match (&raw.origin, i) {
        (Origin::Xlsx { sheet, .. }, Some(i)) => {
            Location::cell(shown, cell_ref(sheet, &raw.header_letters[i], raw.header_row))
        }
        (Origin::Xlsx { sheet, .. }, None) => Location::cell(shown, cell_ref(sheet, "A", raw.header_row)),
        _ => Location::at(shown, raw.header_row, i.map_or(0, |i| i as u32 + 1)),
    };
    let sidecar_name = sidecar_name(shown);
    let mut ok = true;
    for key in options.columns.keys() {
        if !specs.iter().any(|s| s.name == key) {
            ok = false;
            let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
            diagnostics.push(
                Diagnostic::error(
                    "unknown-column",
                    format!("`columns:` maps `{key}`, which is not a column of {} data", kind.folder()),
                )
                .at(Location::file(sidecar_path(shown)))
                .help(match suggest(key, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? (columns: {})", names.join(", ")),
                    None => format!("columns: {}", names.join(", ")),
                }),
            );
        }
    }
    let lower: Vec<String> = raw.headers.iter().map(|h| h.to_lowercase()).collect();
    let mut repeated = vec![false; raw.headers.len()];
    for (i, h) in lower.iter().enumerate() {
        if !h.is_empty() && lower[..i].contains(h) {
            ok = false;
            repeated[i] = true;
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-column",
                    format!("column `{}` appears twice in the header", raw.headers[i]),
                )
                .at(header_loc(Some(i)))
                .help("rename or remove one of them"),
            );
        }
    }
    let mut mapping = Vec::new();
    let mut used = vec![false; raw.headers.len()];
    for spec in specs {
        let wanted = options.columns.get(spec.name).map_or(spec.name, String::as_str).to_lowercase();
        let index = lower.iter().position(|h| *h == wanted);
        if let Some(i) = index {
            used[i] = true;
        }
        mapping.push((*spec, index));
    }
    let ignored: Vec<String> = options.ignore_columns.iter().map(|c| c.to_lowercase()).collect();
    let unmatched: Vec<usize> =
        (0..raw.headers.len()).filter(|&i| !used[i] && !repeated[i] && !ignored.contains(&lower[i])).collect();
    // Headers already named as the fix for a missing column are not reported again.
    let mut offered: Vec<usize> = Vec::new();
    for (spec, index) in &mapping {
        if index.is_none() && spec.required {
            ok = false;
            let near = unmatched.iter().map(|&i| raw.headers[i].as_str()).filter(|h| !h.is_empty());
            // Mapped in the sidecar to a header that is gone (renamed `Nilai` → `Nilai Capaian`):
            // the nearest header is offered as the new mapping, never "ignore it".
            let mapped = options.columns.get(spec.name);
            let offer = match mapped {
                Some(m) => {
                    let m = m.to_lowercase();
                    unmatched
                        .iter()
                        .map(|&i| raw.headers[i].as_str())
                        .filter(|h| !h.is_empty())
                        .find(|h| h.to_lowercase().contains(&m) || m.contains(&h.to_lowercase()))
                        .or_else(|| suggest(&m, near))
                }
                None => unmatched
                    .iter()
                    .map(|&i| raw.headers[i].as_str())
                    .find(|h| is_alias(kind, spec.name, h))
                    .or_else(|| suggest(spec.name, near)),
            };
            if let Some(h) = offer {
                offered.extend(unmatched.iter().copied().filter(|&i| raw.headers[i] == h));
            }
            let name = spec.name;
            let help = match (mapped, offer) {
                (Some(m), Some(h)) => format!(
                    "{sidecar_name} maps `{name}` to `{m}`, which the header does not have; did you mean `{h}`? \
                     Write `columns: {{{name}: {h}}}`"
                ),
                (Some(m), None) => format!(
                    "{sidecar_name} maps `{name}` to `{m}`, which the header does not have: correct the mapping \
                     under `columns:` to the header's name"
                ),
                (None, Some(h)) => format!(
                    "the header has `{h}`: rename it to `{name}`, or map it in {sidecar_name} with `columns: {{{name}: {h}}}`"
                ),
                (None, None) => {
                    format!("add a `{name}` column, or map an existing header to it in {sidecar_name} under `columns:`")
                }
            };
            diagnostics.push(
                Diagnostic::error("missing-column", format!("missing column `{}`", spec.name))
                    .at(header_loc(None))
                    .help(help),
            );
        }
    }
    for &i in unmatched.iter().filter(|i| !offered.contains(i)) {
        if raw.headers[i].is_empty() {
            // An unnamed column is only a problem when it holds data; that is checked per row.
            continue;
        }
        ok = false;
        let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
        let help = match suggest(&raw.headers[i], names.iter().copied()) {
            _ if is_row_number(&raw.headers[i]) => format!(
                "a row-number column: leave it out with `ignore_columns: [{}]` in {sidecar_name}",
                flow_scalar(&raw.headers[i])
            ),
            Some(s) => format!("did you mean `{s}`? Otherwise list it under `ignore_columns:` in {sidecar_name}"),
            None => format!(
                "expected columns: {}; list extra ones under `ignore_columns:` in {sidecar_name}",
                names.join(", ")
            ),
        };
        diagnostics.push(
            Diagnostic::error("unexpected-column", format!("unexpected column `{}`", raw.headers[i]))
                .at(header_loc(Some(i)))
                .help(help),
        );
    }
    ok.then_some(mapping)
}

/// Indonesian (and common English) headers OPD spreadsheets use for contract columns; they
/// are suggested, never silently accepted, so a file's meaning stays explicit.
const ALIASES: &[(&str, &[&str])] = &[
    ("indicator", &["indikator", "kode indikator", "kode", "id indikator"]),
    ("period", &["periode", "bulan", "tanggal", "waktu", "date", "month"]),
    ("value", &["nilai", "capaian", "realisasi capaian", "jumlah"]),
    ("area", &["wilayah", "kecamatan", "kelurahan", "lokasi", "district"]),
    ("source", &["sumber", "sumber dana", "sumber data"]),
    ("note", &["keterangan", "catatan", "notes"]),
    ("program", &["kode program", "nama program"]),
    ("year", &["tahun", "tahun anggaran"]),
    ("planned", &["pagu", "anggaran", "rencana", "plan", "budget"]),
    ("realized", &["realisasi", "realisasi anggaran", "actual"]),
    ("respondent", &["responden", "id responden"]),
    ("question", &["pertanyaan", "kode pertanyaan", "butir"]),
    ("score", &["skor", "nilai"]),
    ("name", &["nama", "kabupaten/kota", "daerah"]),
];

fn is_alias(kind: DataKind, column: &str, header: &str) -> bool {
    // Every alias is short; a runaway header cell is not lower-cased once per column.
    if header.len() > 64 {
        return false;
    }
    let header = header.to_lowercase();
    // RPJMD tables have their own words (INDIKATOR is the name there, KODEFIKASI the id).
    let aliases = if kind == DataKind::Rpjmd { super::columns::RPJMD_ALIASES } else { ALIASES };
    aliases.iter().any(|(c, names)| *c == column && names.contains(&header.as_str()))
}

/// Rows searched for the real header when the first row does not have the columns.
pub(super) const HEADER_SEARCH_ROWS: usize = 30;

/// When the header row lacks the required columns but a row below has them all (by contract
/// name, the sidecar's `columns:` or a known Indonesian header), the diagnostic that names that
/// row and the `skip_rows` (and `columns:`) that read it.
pub(super) fn header_below(
    kind: DataKind,
    shown: &Path,
    options: &DataOptions,
    raw: &Raw,
    rows: &[Result<(u32, Vec<Cell>), Diagnostic>],
) -> Option<Diagnostic> {
    let specs = columns(kind);
    let text = |c: &Cell| match c {
        Cell::Text(t) => t.trim().to_string(),
        Cell::Number(n) | Cell::Percent(n) => format_number(*n),
        _ => String::new(),
    };
    let candidates: Vec<&(u32, Vec<Cell>)> = if raw.preview.is_empty() {
        rows.iter().filter_map(|r| r.as_ref().ok()).take(HEADER_SEARCH_ROWS).collect()
    } else {
        raw.preview.iter().collect()
    };
    for (row, cells) in candidates {
        let headers: Vec<String> = cells.iter().map(text).collect();
        // Per contract column present in this row: the header, and whether it needs mapping.
        let mut found: Vec<(&str, &str, bool)> = Vec::new();
        for spec in specs {
            let mapped = options.columns.get(spec.name).map_or(spec.name, String::as_str);
            if let Some(h) = headers.iter().find(|h| h.eq_ignore_ascii_case(mapped)) {
                found.push((spec.name, h, false));
            } else if let Some(h) = headers.iter().find(|h| is_alias(kind, spec.name, h)) {
                found.push((spec.name, h, true));
            }
        }
        let has_required =
            specs.iter().filter(|s| s.required).all(|s| found.iter().any(|(name, _, _)| *name == s.name));
        if !has_required || *row <= raw.header_row {
            continue;
        }
        let skip = options.skip_rows.unwrap_or(0) + (*row - raw.header_row) as usize;
        let listed: Vec<&str> = headers.iter().map(String::as_str).filter(|h| !h.is_empty()).take(6).collect();
        let to_map: Vec<String> = found
            .iter()
            .filter(|(_, _, alias)| *alias)
            .map(|(name, h, _)| format!("{name}: {}", flow_scalar(h)))
            .collect();
        // The row's other headers (`No`, `Keterangan OPD`) would each be `unexpected-column`
        // once the header is read: the hint ignores them, so that following it reads the file.
        let ignored: Vec<String> = options.ignore_columns.iter().map(|c| c.to_lowercase()).collect();
        let mut extra: Vec<&str> = Vec::new();
        for h in headers.iter().map(String::as_str) {
            if !h.is_empty()
                && !found.iter().any(|(_, f, _)| f.eq_ignore_ascii_case(h))
                && !ignored.contains(&h.to_lowercase())
                && !extra.iter().any(|e| e.eq_ignore_ascii_case(h))
            {
                extra.push(h);
            }
        }
        let mut keys = vec![format!("`skip_rows: {skip}`")];
        if !to_map.is_empty() {
            keys.push(format!("`columns: {{{}}}`", to_map.join(", ")));
        }
        if !extra.is_empty() {
            let mut all: Vec<String> = options.ignore_columns.iter().map(|c| flow_scalar(c)).collect();
            all.extend(extra.iter().map(|h| flow_scalar(h)));
            keys.push(format!("`ignore_columns: [{}]`", all.join(", ")));
        }
        let last = keys.pop().unwrap_or_default();
        let keys = if keys.is_empty() { last } else { format!("{} and {last}", keys.join(", ")) };
        let at = match &raw.origin {
            Origin::Xlsx { sheet, .. } => Location::cell(shown, cell_ref(sheet, "A", raw.header_row)),
            _ => Location::at(shown, raw.header_row, 0),
        };
        return Some(
            Diagnostic::error(
                "header-not-found",
                format!(
                    "row {} is not the header; the header seems to be row {row} ({})",
                    raw.header_row,
                    listed.join(", ")
                ),
            )
            .at(at)
            .help(format!(
                "add {keys} to {}: skip_rows counts every row above the header, blank ones included",
                sidecar_name(shown)
            )),
        );
    }
    None
}

/// A header as an item of a YAML flow collection (`[No, "Jumlah (Rp, juta)"]`): quoted when
/// YAML would read it otherwise (punctuation, `null`, spaces at its ends).
fn flow_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.contains(|c: char| ",[]{}#&*!|>'\"%@`:\\".contains(c) || c.is_control())
        && !text.starts_with(['-', '?', ' '])
        && !text.ends_with(' ')
        && !matches!(text.to_lowercase().as_str(), "null" | "~");
    if plain { text.to_string() } else { format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")) }
}

/// A row-number column as OPD tables have them (`No`, `No.`, `Nomor`, `No Urut`, `#`): never a
/// contract column, however close its name is to one (`No` is not `note`).
fn is_row_number(header: &str) -> bool {
    let h = header.trim().to_lowercase();
    matches!(h.trim_end_matches('.'), "no" | "nomor" | "no urut" | "no. urut" | "nomor urut" | "#" | "nr")
}

/// The mapping of an observation file's headers (on `header_row`), when it gives no diagnostic
/// at all.
pub(super) fn checked_mapping(
    shown: &Path,
    options: &DataOptions,
    origin: Origin,
    headers: &[String],
    header_row: u32,
) -> Option<Vec<(ColSpec, Option<usize>)>> {
    if headers.iter().all(String::is_empty) {
        return None;
    }
    let raw = Raw {
        origin,
        headers: headers.to_vec(),
        header_row,
        header_letters: Vec::new(),
        semicolons: false,
        preview: Vec::new(),
        other_sheets: Vec::new(),
        rows: Box::new(std::iter::empty()),
    };
    let mut diagnostics = Vec::new();
    let mapping = map_headers(DataKind::Observations, shown, options, &raw, &mut diagnostics)?;
    diagnostics.is_empty().then_some(mapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_a_hint_are_quoted_only_where_yaml_needs_it() {
        assert_eq!(flow_scalar("No"), "No");
        assert_eq!(flow_scalar("No."), "No.");
        assert_eq!(flow_scalar("Keterangan OPD"), "Keterangan OPD");
        assert_eq!(flow_scalar("Jumlah (Rp, juta)"), "\"Jumlah (Rp, juta)\"");
        assert_eq!(flow_scalar("#"), "\"#\"");
        assert_eq!(flow_scalar("Catatan: OPD"), "\"Catatan: OPD\"");
        assert_eq!(flow_scalar("null"), "\"null\"");
        assert_eq!(flow_scalar("Kata \"kunci\""), "\"Kata \\\"kunci\\\"\"");
        // Each reads back as the header it quotes.
        for h in ["No", "Jumlah (Rp, juta)", "#", "Catatan: OPD", "null", "Kata \"kunci\"", "- a", "a\\b"] {
            let yaml = format!("ignore_columns: [{}]\n", flow_scalar(h));
            let options: DataOptions = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(options.ignore_columns, vec![h.to_string()], "{yaml}");
        }
    }

    #[test]
    fn row_number_columns() {
        for h in ["No", "NO.", "Nomor", "No Urut", "#", " no "] {
            assert!(is_row_number(h), "{h}");
        }
        for h in ["note", "Nominal", "Nilai", "Notes"] {
            assert!(!is_row_number(h), "{h}");
        }
    }
}
