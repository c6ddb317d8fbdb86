//! Reading one data file (CSV, xlsx or parquet) into a typed polars frame.
//!
//! Headers are matched to the contract's columns (case-insensitively, through a sidecar's
//! `columns:` map), every cell is parsed by its column's type, and every problem becomes a
//! diagnostic that points at the line (CSV), the cell (`Sheet!C12`) or the row (parquet). Rows
//! with a bad cell are left out of the frame, so nothing downstream sees a half-read row.
//! Each frame carries a `_row` column: where the row came from, for provenance.
//!
//! Observation CSV and parquet files are read by the streaming readers ([`super::stream`]):
//! one pass that summarises them and reports their bad rows with the checks of this reader
//! ([`super::cells`]). What no row decides alone (see there) is read here, cell by cell.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::cells::{
    MAX_CELL_DIAGNOSTICS, Value, bad_cell, dotted_thousands, more_problems, parse_cell, unnamed_column,
};
use super::columns::{ColType, columns};
use super::header::{header_below, map_headers, sidecar_name, sidecar_path};
use super::number::{Evidence, ambiguous, dot_grouped, format_number, parse_number};
use super::raw::{Cell, Origin, Raw, cell_ref, locate};
use super::summary::Summary;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{DataOptions, Decimal};
use crate::period::Period;
use crate::workspace::DataKind;

/// A data file as read: typed contract columns plus `_row`; observations also get `year`,
/// `month_from`, `month_to`, `period_kind` and `period_end` (MMDD of the period's last day,
/// for ordering) derived from `period`.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: DataKind,
    /// As shown to users (relative to the workspace).
    pub path: PathBuf,
    pub origin: Origin,
    /// Every row that was read. An observation file read by the streaming readers keeps no
    /// rows (the frame has the columns but no rows): `summary` holds all that later stages
    /// need, and its rows' problems were reported as they were read.
    pub frame: DataFrame,
    /// How many rows the file holds (not counting blank ones).
    pub rows: usize,
    /// Observations: the file summarised per indicator, year and area, however it was read.
    pub summary: Option<Summary>,
    /// Observations from xlsx: the rows read whose `value` cell is formatted as a percentage
    /// (read as the number shown, 0.45 → 45), for validation to compare with the indicator's
    /// unit. Empty for other files.
    pub percent_cells: Vec<PercentCell>,
}

/// An observation `value` cell formatted as a percentage.
#[derive(Debug, Clone, PartialEq)]
pub struct PercentCell {
    /// The `_row` of the row.
    pub row: u32,
    pub indicator: String,
    /// What the cell stores (0.45); it was read as the number shown (45).
    pub stored: f64,
}

impl Table {
    /// Where row `row` (the `_row` value) and, optionally, a column of it are.
    pub fn location(&self, row: u32, column: Option<&str>) -> Location {
        locate(&self.path, &self.origin, row, column)
    }
}

/// Reads `path` (absolute) as a table of `kind`. `defaults` are the workspace's `data:` options.
pub fn read_table(
    kind: DataKind,
    path: &Path,
    shown: &Path,
    defaults: &DataOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Table> {
    read_table_streaming_from(kind, path, shown, defaults, super::stream::min_bytes(), diagnostics)
}

/// [`read_table`], streaming observation files of `stream_min` bytes or more (`u64::MAX`:
/// every file cell by cell, as the tests and the `table` fuzz target compare the two).
pub fn read_table_streaming_from(
    kind: DataKind,
    path: &Path,
    shown: &Path,
    defaults: &DataOptions,
    stream_min: u64,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Table> {
    // Workspace-wide `columns:` (city.yaml `data:`) apply to the kinds that have those
    // columns; a sidecar's own `columns:` must all fit its file (checked with the header).
    let mut defaults = defaults.clone();
    defaults.columns.retain(|name, _| columns(kind).iter().any(|spec| spec.name == name));
    let options = match read_sidecar(path, shown) {
        Ok(Some(sidecar)) => sidecar.over(&defaults),
        Ok(None) => DataOptions::default().over(&defaults),
        Err(ds) => {
            diagnostics.extend(ds);
            return None;
        }
    };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if kind == DataKind::Observations
        && matches!(ext.as_str(), "csv" | "parquet")
        && std::fs::metadata(path).is_ok_and(|m| m.len() >= stream_min)
        && let Some(streamed) = super::stream::read_observations(path, shown, &options)
    {
        diagnostics.extend(streamed.diagnostics);
        return Some(Table {
            kind,
            path: shown.to_path_buf(),
            origin: streamed.origin,
            frame: empty_frame(),
            rows: streamed.rows,
            summary: Some(streamed.summary),
            percent_cells: Vec::new(),
        });
    }
    let raw =
        match ext.as_str() {
            "csv" => super::csv_rows::read_csv(path, shown, &options),
            "xlsx" => super::xlsx::read_xlsx(path, shown, &options),
            "parquet" => super::parquet::read_parquet(path, shown),
            _ => Err(Diagnostic::error("unreadable", format!("unsupported data file type `.{ext}`"))
                .at(Location::file(shown))),
        };
    let raw = match raw {
        Ok(raw) => raw,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    build(kind, shown, &options, raw, diagnostics)
}

/// The sidecar's options, or every problem in it (the data file is then not read: its
/// values would be read with the wrong settings).
fn read_sidecar(path: &Path, shown: &Path) -> Result<Option<DataOptions>, Vec<Diagnostic>> {
    let sidecar = sidecar_path(path);
    if !sidecar.exists() {
        return Ok(None);
    }
    let shown_sidecar = sidecar_path(shown);
    let text = super::text::read_utf8(&sidecar, &shown_sidecar).map_err(|d| vec![d])?;
    if super::yaml::is_blank(&text) {
        return Ok(Some(DataOptions::default()));
    }
    let parsed = super::yaml::parse_all::<DataOptions>(&text, &shown_sidecar);
    match parsed.value {
        Some(options) if parsed.diagnostics.is_empty() => Ok(Some(options)),
        _ => Err(parsed.diagnostics),
    }
}

/// Typed column builders.
enum Builder {
    Text(Vec<Option<String>>),
    Number(Vec<Option<f64>>),
    Year(Vec<Option<i32>>),
}

fn build(
    kind: DataKind,
    shown: &Path,
    options: &DataOptions,
    mut raw: Raw,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Table> {
    let rows: Vec<_> = std::mem::replace(&mut raw.rows, Box::new(std::iter::empty())).collect();
    let mut header_problems = Vec::new();
    let Some(mapping) = map_headers(kind, shown, options, &raw, &mut header_problems) else {
        // Title rows above the header: one message that says where the header is, rather
        // than a list of missing and unexpected columns.
        match header_below(kind, shown, options, &raw, &rows) {
            Some(hint) => diagnostics.push(hint),
            None => diagnostics.extend(header_problems),
        }
        // A workbook with several sheets: the one read may not be the data sheet.
        if !raw.other_sheets.is_empty()
            && let Origin::Xlsx { sheet, .. } = &raw.origin
        {
            let others: Vec<String> = raw.other_sheets.iter().map(|s| format!("`{s}`")).collect();
            diagnostics.push(
                Diagnostic::error(
                    "missing-sheet",
                    format!("sheet `{sheet}` was read (the first visible one), but the workbook has other sheets"),
                )
                .at(Location::file(shown))
                .help(format!(
                    "if the data are on {}, name that sheet in {} with `sheet:`",
                    others.join(" or "),
                    sidecar_name(shown)
                )),
            );
        }
        return None;
    };
    diagnostics.extend(header_problems);
    let number_columns: Vec<usize> =
        mapping.iter().filter(|(spec, _)| spec.ty == ColType::Number).filter_map(|(_, i)| *i).collect();
    let number_texts = || {
        rows.iter().filter_map(|r| r.as_ref().ok()).flat_map(|(row, cells)| {
            number_columns.iter().filter_map(move |&i| match cells.get(i) {
                Some(Cell::Text(t)) => Some((*row, i, t.as_str())),
                _ => None,
            })
        })
    };
    // A declared convention is taken as it is; otherwise the file as a whole decides it, or
    // values that read two ways are refused (number.rs).
    let decimal = options.decimal.or_else(|| {
        let mut evidence = Evidence::default();
        number_texts().for_each(|(_, _, t)| evidence.add(t));
        evidence.decide(raw.semicolons)
    });
    // `275.500` in a `;`-separated CSV read with the decimal point city.yaml declares for every
    // file: read as 275.5, but Indonesian Excel writes 275500 so (one warning per file).
    if raw.semicolons && options.decimal_from_workspace && decimal == Some(Decimal::Point) {
        let mut grouped = number_texts().filter(|(_, _, t)| dot_grouped(t.trim()));
        if let Some((row, i, text)) = grouped.next() {
            let count = 1 + grouped.count();
            let name = mapping.iter().find(|(_, at)| *at == Some(i)).map_or("value", |(spec, _)| spec.name);
            let at = locate(shown, &Origin::csv(&mapping), row, Some(name));
            diagnostics.push(dotted_thousands(name, text.trim(), count, shown).at(at));
        }
    }
    let ambiguous_cells = if decimal.is_none() { number_texts().filter(|(_, _, t)| ambiguous(t)).count() } else { 0 };
    let mut ambiguous_reported = false;
    let origin = match raw.origin {
        Origin::Xlsx { sheet, .. } => Origin::Xlsx {
            sheet,
            letters: mapping
                .iter()
                .filter_map(|(spec, i)| i.map(|i| (spec.name.to_string(), raw.header_letters[i].clone())))
                .collect(),
        },
        Origin::Csv { .. } => Origin::csv(&mapping),
        Origin::Parquet => Origin::Parquet,
    };
    // Columns without a header may only be empty (Excel leaves such columns behind).
    let unnamed: Vec<usize> = (0..raw.headers.len()).filter(|&i| raw.headers[i].is_empty()).collect();
    let unnamed_at = |row: u32, i: usize| match &origin {
        Origin::Xlsx { sheet, .. } => Location::cell(shown, cell_ref(sheet, &raw.header_letters[i], row)),
        _ => Location::at(shown, row, i as u32 + 1),
    };
    let mut builders: Vec<Builder> = mapping
        .iter()
        .map(|(spec, _)| match spec.ty {
            ColType::Number => Builder::Number(Vec::new()),
            ColType::Year => Builder::Year(Vec::new()),
            ColType::Text | ColType::Period | ColType::OneOf(_) => Builder::Text(Vec::new()),
        })
        .collect();
    let mut row_numbers: Vec<u32> = Vec::new();
    let mut percent_cells: Vec<PercentCell> = Vec::new();
    let mut periods: Vec<Period> = Vec::new();
    let mut reported = 0usize;
    let mut suppressed = 0usize;
    let mut report = |d: Diagnostic, diagnostics: &mut Vec<Diagnostic>| {
        if reported < MAX_CELL_DIAGNOSTICS {
            reported += 1;
            diagnostics.push(d);
        } else {
            suppressed += 1;
        }
    };
    for item in rows {
        let (row, cells) = match item {
            Ok(r) => r,
            Err(d) => {
                report(d, diagnostics);
                continue;
            }
        };
        if cells.iter().all(|c| matches!(c, Cell::Empty)) {
            continue;
        }
        if let Some(&i) = unnamed.iter().find(|&&i| !matches!(cells.get(i), None | Some(Cell::Empty))) {
            report(unnamed_column(i).at(unnamed_at(row, i)), diagnostics);
            continue;
        }
        let mut values: Vec<Value> = Vec::with_capacity(mapping.len());
        let mut row_ok = true;
        let mut percent = None;
        for (spec, index) in &mapping {
            let cell = index.and_then(|i| cells.get(i)).cloned().unwrap_or(Cell::Empty);
            if let (DataKind::Observations, "value", Cell::Percent(stored)) = (kind, spec.name, &cell) {
                percent = Some(*stored);
            }
            if let (ColType::Number, Cell::Text(t), None) = (spec.ty, &cell, decimal)
                && ambiguous(t)
            {
                // One diagnostic for the file: the fix (declaring the convention) is one line.
                row_ok = false;
                if !ambiguous_reported {
                    ambiguous_reported = true;
                    let at = locate(shown, &origin, row, Some(spec.name));
                    report(ambiguous_number(spec.name, t, ambiguous_cells, &sidecar_name(shown)).at(at), diagnostics);
                }
                continue;
            }
            match parse_cell(spec, &cell, decimal.unwrap_or_default()) {
                Ok(v) => values.push(v),
                Err(problem) => {
                    row_ok = false;
                    let at = locate(shown, &origin, row, Some(spec.name));
                    report(bad_cell(spec, problem).at(at), diagnostics);
                }
            }
        }
        if !row_ok {
            continue;
        }
        if let Some(stored) = percent {
            let indicator = mapping.iter().zip(&values).find_map(|((spec, _), v)| match (spec.name, v) {
                ("indicator", Value::Text(Some(id))) => Some(id.clone()),
                _ => None,
            });
            percent_cells.push(PercentCell { row, indicator: indicator.unwrap_or_default(), stored });
        }
        row_numbers.push(row);
        for (builder, value) in builders.iter_mut().zip(values) {
            match (builder, value) {
                (Builder::Text(v), Value::Text(t)) => v.push(t),
                (Builder::Text(v), Value::Period(p)) => {
                    v.push(Some(p.to_string()));
                    periods.push(p);
                }
                (Builder::Number(v), Value::Number(n)) => v.push(n),
                (Builder::Year(v), Value::Year(y)) => v.push(y),
                // parse_cell returns the value kind of the builder made from the same spec.
                _ => {}
            }
        }
    }
    if suppressed > 0 {
        diagnostics.push(more_problems(shown, suppressed));
    }
    let mut cols: Vec<Column> = mapping
        .iter()
        .zip(builders)
        .map(|((spec, _), b)| match b {
            Builder::Text(v) => Column::new(spec.name.into(), v),
            Builder::Number(v) => Column::new(spec.name.into(), v),
            Builder::Year(v) => Column::new(spec.name.into(), v),
        })
        .collect();
    if kind == DataKind::Observations {
        cols.push(Column::new("year".into(), periods.iter().map(|p| p.year()).collect::<Vec<i32>>()));
        cols.push(Column::new(
            "month_from".into(),
            periods.iter().map(|p| i32::from(*p.months().start())).collect::<Vec<i32>>(),
        ));
        cols.push(Column::new(
            "month_to".into(),
            periods.iter().map(|p| i32::from(*p.months().end())).collect::<Vec<i32>>(),
        ));
        cols.push(Column::new("period_kind".into(), periods.iter().map(|p| p.kind()).collect::<Vec<&str>>()));
        cols.push(Column::new("period_end".into(), periods.iter().map(|p| p.end_order()).collect::<Vec<i32>>()));
    }
    cols.push(Column::new("_row".into(), row_numbers));
    let table = DataFrame::new_infer_height(cols).and_then(|frame| {
        let summary = match kind {
            DataKind::Observations => Some(summarise_frame(&frame)?),
            _ => None,
        };
        Ok(Table { kind, path: shown.to_path_buf(), origin, rows: frame.height(), frame, summary, percent_cells })
    });
    match table {
        Ok(table) => Some(table),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error("internal", format!("could not build the table: {e}")).at(Location::file(shown)),
            );
            None
        }
    }
}

/// The summary of observation rows read cell by cell (xlsx): the frame's rows folded as the
/// streaming readers fold theirs ([`super::fold`]), so every format has one summariser.
pub(super) fn summarise_frame(frame: &DataFrame) -> PolarsResult<Summary> {
    let text = |name: &str| frame.column(name).and_then(|c| c.str().cloned());
    let (indicator, period, area, source) = (text("indicator")?, text("period")?, text("area")?, text("source")?);
    let value = frame.column("value")?.f64()?.clone();
    let row = frame.column("_row")?.u32()?.clone();
    let mut fold = super::fold::Fold::new();
    for i in 0..frame.height() {
        // Every row of the frame was parsed: these are never missing.
        let (Some(ind), Some(p), Some(r)) =
            (indicator.get(i), period.get(i).and_then(|p| Period::parse(p).ok()), row.get(i))
        else {
            continue;
        };
        fold.row(r, ind, p, value.get(i), area.get(i).unwrap_or(""), source.get(i) == Some("ilustrasi"));
    }
    Ok(super::summary::merge(vec![(0, fold.into_part())]))
}

/// The first value of a file that reads two ways, and how many there are.
fn ambiguous_number(name: &str, text: &str, count: usize, sidecar: &str) -> Diagnostic {
    let show = |d| parse_number(text, d).ok().flatten().map_or_else(|| "?".to_string(), format_number);
    let readings = if text.contains('.') {
        format!(
            "{} with a decimal point, or {} with dots grouping thousands",
            show(Decimal::Point),
            show(Decimal::Comma)
        )
    } else {
        let whole: String = text.chars().filter(|c| *c != ',').collect();
        format!("{} with a decimal comma, or {whole} with a comma grouping thousands", show(Decimal::Comma))
    };
    let others = match count.saturating_sub(1) {
        0 => String::new(),
        1 => " (1 more value in this file reads two ways)".to_string(),
        n => format!(" ({n} more values in this file read two ways)"),
    };
    Diagnostic::error(
        "ambiguous-number",
        format!("`{name}` is `{text}`: {readings}, and nothing in this file says which{others}"),
    )
    .help(format!(
        "say how the file writes numbers: add `decimal: comma` (Indonesian Excel: 1.234,5) or `decimal: point` \
         (1234.5) to {sidecar}, or to `data:` in city.yaml for every file"
    ))
}

/// The columns of an observation frame, without rows.
fn empty_frame() -> DataFrame {
    let string = |n: &str| Column::new_empty(n.into(), &DataType::String);
    let int = |n: &str| Column::new_empty(n.into(), &DataType::Int32);
    DataFrame::new_infer_height(vec![
        string("indicator"),
        string("period"),
        Column::new_empty("value".into(), &DataType::Float64),
        string("area"),
        string("source"),
        string("note"),
        int("year"),
        int("month_from"),
        int("month_to"),
        string("period_kind"),
        int("period_end"),
        Column::new_empty("_row".into(), &DataType::UInt32),
    ])
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(kind: DataKind, name: &str, content: &[u8], sidecar: Option<&str>) -> (Option<Table>, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        if let Some(s) = sidecar {
            std::fs::write(dir.path().join(format!("{name}.yaml")), s).unwrap();
        }
        let mut diags = Vec::new();
        let table =
            read_table_streaming_from(kind, &path, Path::new(name), &DataOptions::default(), u64::MAX, &mut diags);
        (table, diags)
    }

    #[test]
    fn reads_observations_with_bom_crlf_and_empty_values() {
        let (table, diags) = read(
            DataKind::Observations,
            "o.csv",
            b"\xEF\xBB\xBFIndicator,Period,Value,Area\r\ncctv,2023-06,5,\r\ncctv,2023-Q3,,Sirimau\r\n",
            None,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let frame = table.unwrap().frame;
        assert_eq!(frame.height(), 2);
        let value = frame.column("value").unwrap().f64().unwrap();
        assert_eq!(value.get(0), Some(5.0));
        assert_eq!(value.get(1), None);
        let months = frame.column("month_from").unwrap().i32().unwrap();
        assert_eq!(months.get(1), Some(7));
        let rows = frame.column("_row").unwrap().u32().unwrap();
        assert_eq!((rows.get(0), rows.get(1)), (Some(2), Some(3)));
    }

    #[test]
    fn bad_cells_point_at_line_and_column_name() {
        let (table, diags) =
            read(DataKind::Observations, "o.csv", b"indicator,period,value\na,2023,1,5\nb,2023-13,x\nc,2023,2\n", None);
        let messages: Vec<String> =
            diags.iter().map(|d| format!("{} {}", d.location.as_ref().unwrap(), d.message)).collect();
        assert_eq!(
            messages,
            vec![
                "o.csv:2 this row has 4 field(s) but the header has 3".to_string(),
                "o.csv:3:2 bad `period`: `2023-13`: a month is 01 to 12".to_string(),
                "o.csv:3:3 `value` is `x`, which is not a number".to_string(),
            ]
        );
        assert_eq!(table.unwrap().frame.height(), 1);
    }

    #[test]
    fn sidecar_maps_columns_and_decimal_comma() {
        let sidecar = "decimal: comma\nskip_rows: 1\ncolumns: {indicator: Kode, period: Periode, value: Nilai}\nignore_columns: [Keterangan]\n";
        let (table, diags) = read(
            DataKind::Observations,
            "o.csv",
            b"Capaian OPD 2023\nKode;Periode;Nilai;Keterangan\nx;2023;1.234,5;ok\n",
            Some(sidecar),
        );
        assert!(diags.is_empty(), "{diags:?}");
        let frame = table.unwrap().frame;
        assert_eq!(frame.column("value").unwrap().f64().unwrap().get(0), Some(1234.5));
        assert_eq!(frame.column("_row").unwrap().u32().unwrap().get(0), Some(3));
    }

    /// Reads `content` with `data: {decimal: point}` in city.yaml, streamed (observations) and
    /// cell by cell; both readings must agree. The warnings (location, message) and the values.
    fn read_point_workspace(
        kind: DataKind,
        content: &[u8],
        sidecar: Option<&str>,
    ) -> (Vec<(String, String)>, Vec<Option<f64>>) {
        let defaults: DataOptions = serde_saphyr::from_str("decimal: point\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.csv");
        std::fs::write(&path, content).unwrap();
        if let Some(s) = sidecar {
            std::fs::write(dir.path().join("c.csv.yaml"), s).unwrap();
        }
        let column = if kind == DataKind::Budget { "planned" } else { "value" };
        let mut readings = Vec::new();
        for min in [0, u64::MAX] {
            let mut diags = Vec::new();
            super::super::raw::passes::take();
            let table = read_table_streaming_from(kind, &path, Path::new("c.csv"), &defaults, min, &mut diags);
            if kind == DataKind::Observations && min == 0 {
                assert_eq!(super::super::raw::passes::take(), 1, "streamed, in one pass");
            }
            let shown: Vec<(String, String)> = diags
                .iter()
                .map(|d| (d.location.as_ref().unwrap().to_string(), format!("{}: {}", d.code, d.message)))
                .collect();
            let values = match table.as_ref().and_then(|t| t.summary.as_ref()) {
                Some(summary) => summary.groups.iter().flat_map(|g| [Some(g.min), Some(g.max)]).collect(),
                None => table.unwrap().frame.column(column).unwrap().f64().unwrap().iter().collect(),
            };
            readings.push((shown, values));
        }
        assert_eq!(readings[0], readings[1], "streamed and cell by cell differ");
        readings.remove(0)
    }

    #[test]
    fn dotted_thousands_in_a_semicolon_csv_read_with_the_workspace_decimal_point_are_a_warning() {
        let csv = b"indicator;period;value\nnasabah;2025-Q1;2.150\nnasabah;2025-Q2;41.5\nnasabah;2025-Q3;1.275\n";
        let (diags, values) = read_point_workspace(DataKind::Observations, csv, None);
        assert_eq!(
            diags,
            vec![(
                "c.csv:2:3".to_string(),
                "dotted-thousands: `value` is `2.150`, read as 2.15 (city.yaml: `decimal: point` for every file), \
                 but this `;`-separated file looks like Indonesian Excel, where `.` groups thousands: 2.150 = 2150 \
                 (1 more such value in this file)"
                    .to_string()
            )]
        );
        // Read as declared (min and max of the year): a warning, not a different number.
        assert_eq!(values, vec![Some(1.275), Some(41.5)]);
        // Budget files (read cell by cell) too.
        let budget = b"program;year;source;planned;realized\np;2024;apbd;275.500;\n";
        let (diags, _) = read_point_workspace(DataKind::Budget, budget, None);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].0, "c.csv:2:4");
        assert!(diags[0].1.starts_with("dotted-thousands: `planned` is `275.500`, read as 275.5 "), "{diags:?}");
    }

    #[test]
    fn dotted_thousands_are_not_flagged_when_the_file_itself_decides_or_is_comma_separated() {
        // The file's own sidecar declares the decimal mark: followed without a word.
        for sidecar in ["decimal: point\n", "decimal: comma\n"] {
            let (diags, _) = read_point_workspace(
                DataKind::Observations,
                b"indicator;period;value\nnasabah;2025-Q1;2.150\n",
                Some(sidecar),
            );
            assert!(diags.is_empty(), "{sidecar}: {diags:?}");
        }
        let (_, values) = read_point_workspace(
            DataKind::Observations,
            b"indicator;period;value\nnasabah;2025-Q1;2.150\n",
            Some("decimal: comma\n"),
        );
        assert_eq!(values, vec![Some(2150.0), Some(2150.0)]);
        // A `,`-separated file, fractions and plain numbers.
        let (diags, _) =
            read_point_workspace(DataKind::Observations, b"indicator,period,value\nnasabah,2025-Q1,2.150\n", None);
        assert!(diags.is_empty(), "{diags:?}");
        let (diags, _) = read_point_workspace(
            DataKind::Observations,
            b"indicator;period;value\nnasabah;2025-Q1;0.500\nnasabah;2025-Q2;41.5\nnasabah;2025-Q3;2150\n",
            None,
        );
        assert!(diags.is_empty(), "{diags:?}");
    }

    /// The first such value is found in whichever block holds it, at its line.
    #[test]
    fn dotted_thousands_are_located_across_streamed_blocks() {
        let mut csv = String::from("indicator;period;value\n");
        let rows = super::super::blocks::BLOCK / 8;
        for i in 0..rows {
            csv.push_str(&format!("a{i};2025;{}\n", 100 + i % 50));
        }
        csv.push_str("b;2025;12.500\nc;2025;1.000\n");
        let (diags, _) = read_point_workspace(DataKind::Observations, csv.as_bytes(), None);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].0, format!("c.csv:{}:3", rows + 2));
        assert!(
            diags[0].1.contains("`12.500`, read as 12.5 ") && diags[0].1.ends_with("(1 more such value in this file)")
        );
    }

    #[test]
    fn header_problems_are_named() {
        let (table, diags) = read(DataKind::Budget, "b.csv", b"program,tahun,source,planned,realized,extra\n", None);
        assert!(table.is_none());
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        // `tahun` is offered as the fix for `year` and not reported again; `extra` is unexpected.
        assert_eq!(codes, vec!["missing-column", "unexpected-column"]);
        assert!(diags[0].help.as_deref().unwrap().contains("the header has `tahun`"), "{:?}", diags[0].help);
    }
}
