//! Reading one data file (CSV, xlsx or parquet) into a typed polars frame.
//!
//! Headers are matched to the contract's columns (case-insensitively, through a sidecar's
//! `columns:` map), every cell is parsed by its column's type, and every problem becomes a
//! diagnostic that points at the line (CSV), the cell (`Sheet!C12`) or the row (parquet). Rows
//! with a bad cell are left out of the frame, so nothing downstream sees a half-read row.
//! Each frame carries a `_row` column: where the row came from, for provenance.
//!
//! Big observation files (CSV and parquet) are first tried on the fast path (`fast`): one
//! streaming pass that proves them clean and keeps only their summary. Whatever it does not
//! accept is read here, cell by cell, which gives the exact diagnostics.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::columns::{ColSpec, ColType, columns};
use super::number::{Evidence, NumberError, ambiguous, parse_number};
use super::summary::Summary;
use super::text::{MAX_TEXT_BYTES, decode_utf8, read_bytes};
use super::xlsx_cells::Special;
use crate::diagnostic::{Diagnostic, Location, suggest};
use crate::model::{DataOptions, Decimal};
use crate::period::{Period, YEARS, excel_serial_to_date};
use crate::workspace::DataKind;

/// Cell problems reported per file before the rest are summarised in one line.
const MAX_CELL_DIAGNOSTICS: usize = 20;

/// A data file as read: typed contract columns plus `_row`; observations also get `year`,
/// `month_from`, `month_to`, `period_kind` and `period_end` (MMDD of the period's last day,
/// for ordering) derived from `period`.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: DataKind,
    /// As shown to users (relative to the workspace).
    pub path: PathBuf,
    pub origin: Origin,
    /// Every row that was read. An observation file read on the fast path keeps no rows
    /// (the frame has the columns but no rows): it was proven free of problems, and `summary`
    /// holds all that later stages need.
    pub frame: DataFrame,
    /// How many rows the file holds (not counting blank ones).
    pub rows: usize,
    /// Observations: the file summarised per indicator, year and area, however it was read.
    pub summary: Option<Summary>,
}

#[derive(Debug, Clone)]
pub enum Origin {
    /// Per contract column, its 1-based field number.
    Csv {
        fields: Vec<(String, u32)>,
    },
    /// Sheet name and, per contract column, its column letter.
    Xlsx {
        sheet: String,
        letters: Vec<(String, String)>,
    },
    Parquet,
}

impl Table {
    /// Where row `row` (the `_row` value) and, optionally, a column of it are.
    pub fn location(&self, row: u32, column: Option<&str>) -> Location {
        locate(&self.path, &self.origin, row, column)
    }
}

fn locate(path: &Path, origin: &Origin, row: u32, column: Option<&str>) -> Location {
    match origin {
        Origin::Xlsx { sheet, letters } => {
            let letter =
                column.and_then(|c| letters.iter().find(|(name, _)| name == c)).map_or("A", |(_, l)| l.as_str());
            Location::cell(path, cell_ref(sheet, letter, row))
        }
        Origin::Csv { fields } => {
            let field = column.and_then(|c| fields.iter().find(|(name, _)| name == c)).map_or(0, |(_, f)| *f);
            Location::at(path, row, field)
        }
        Origin::Parquet => Location::at(path, row, 0),
    }
}

/// `Sheet!B7`, quoted as Excel writes it when the sheet name has spaces or punctuation:
/// `'Capaian 2023'!B7`.
pub fn cell_ref(sheet: &str, letter: &str, row: u32) -> String {
    if sheet.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{sheet}!{letter}{row}")
    } else {
        format!("'{}'!{letter}{row}", sheet.replace('\'', "''"))
    }
}

/// One raw cell before typing.
#[derive(Debug, Clone)]
pub(super) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(f64),
    Error(String),
    /// A number in a cell formatted as a percentage: Excel shows 0.83 as 83 %.
    Percent(f64),
    /// A formula with no saved result (files written by scripts): the formula text.
    Formula(String),
}

/// Data rows as read: the row number (line, sheet row or parquet row) and its cells.
pub(super) type RawRows = Box<dyn Iterator<Item = Result<(u32, Vec<Cell>), Diagnostic>>>;

pub(super) struct Raw {
    pub origin: Origin,
    pub headers: Vec<String>,
    /// Row number of the header (line, sheet row, or 0 for parquet).
    pub header_row: u32,
    /// Column letters for xlsx headers (empty otherwise).
    pub header_letters: Vec<String>,
    /// A CSV separated by `;`: Excel's CSV where the decimal mark is a comma.
    pub semicolons: bool,
    /// CSV: the first lines after the header as fields, even ragged ones (rows of a title line's
    /// width would all be errors), to find a header further down.
    pub preview: Vec<(u32, Vec<Cell>)>,
    /// xlsx read without `sheet:`: the workbook's other visible worksheets, named when the one
    /// read lacks the columns (the data may be on another sheet).
    pub other_sheets: Vec<String>,
    pub rows: RawRows,
}

/// Reads `path` (absolute) as a table of `kind`. `defaults` are the workspace's `data:` options.
pub fn read_table(
    kind: DataKind,
    path: &Path,
    shown: &Path,
    defaults: &DataOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Table> {
    read_table_streaming_from(kind, path, shown, defaults, super::fast::min_bytes(), diagnostics)
}

/// [`read_table`], streaming observation files of `stream_min` bytes or more.
pub(super) fn read_table_streaming_from(
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
        Ok(None) => defaults,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if kind == DataKind::Observations
        && matches!(ext.as_str(), "csv" | "parquet")
        && std::fs::metadata(path).is_ok_and(|m| m.len() >= stream_min)
        && let Some(table) = super::fast::read_observations(path, shown, &options)
    {
        return Some(table);
    }
    let raw =
        match ext.as_str() {
            "csv" => read_csv(path, shown, &options),
            "xlsx" => read_xlsx(path, shown, &options),
            "parquet" => read_parquet(path, shown),
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

fn sidecar_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".yaml");
    PathBuf::from(name)
}

fn read_sidecar(path: &Path, shown: &Path) -> Result<Option<DataOptions>, Diagnostic> {
    let sidecar = sidecar_path(path);
    if !sidecar.exists() {
        return Ok(None);
    }
    let shown_sidecar = sidecar_path(shown);
    let text = super::text::read_utf8(&sidecar, &shown_sidecar)?;
    if super::yaml::is_blank(&text) {
        return Ok(Some(DataOptions::default()));
    }
    super::yaml::parse::<DataOptions>(&text, &shown_sidecar).map(Some)
}

fn read_csv(path: &Path, shown: &Path, options: &DataOptions) -> Result<Raw, Diagnostic> {
    let text = decode_utf8(read_bytes(path, shown, MAX_TEXT_BYTES)?, shown)?;
    let skip = options.skip_rows.unwrap_or(0);
    // Title rows above the header are cut off as whole lines.
    let mut offset = 0;
    for _ in 0..skip {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => offset = text.len(),
        }
    }
    let body = text[offset..].to_string();
    let delimiter = sniff_delimiter(&body);
    // Line starts, to turn a record's byte offset into its line (CRLF or LF, quoted breaks).
    let line_starts: Vec<usize> = std::iter::once(0).chain(body.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let bytes: std::sync::Arc<[u8]> = body.into_bytes().into();
    let record_bytes = std::sync::Arc::clone(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(std::io::Cursor::new(std::sync::Arc::clone(&bytes)));
    let line_offset = skip as u32;
    let headers = reader
        .headers()
        .map_err(|e| csv_error(shown, &e, line_offset))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect::<Vec<_>>();
    if headers.iter().all(String::is_empty) {
        return Err(Diagnostic::error("empty-file", "the file has no header row")
            .at(Location::at(shown, line_offset + 1, 0))
            .help("the first line must name the columns, e.g. `indicator,period,value`"));
    }
    let width = headers.len();
    let preview: Vec<(u32, Vec<Cell>)> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(std::io::Cursor::new(std::sync::Arc::clone(&bytes)))
        .into_records()
        .take(HEADER_SEARCH_ROWS + 1)
        .filter_map(Result::ok)
        .map(|r| {
            // The line as an editor shows it (the csv crate's count skips blank lines).
            let mut byte = r.position().map_or(0, |p| p.byte() as usize);
            while matches!(bytes.get(byte), Some(b'\r' | b'\n')) {
                byte += 1;
            }
            let line = line_starts.partition_point(|&start| start <= byte) as u32 + line_offset;
            (
                line,
                r.iter()
                    .map(|f| if f.trim().is_empty() { Cell::Empty } else { Cell::Text(f.trim().to_string()) })
                    .collect(),
            )
        })
        .collect();
    let shown_owned = shown.to_path_buf();
    let rows = reader.into_records().map(move |record| {
        let record = record.map_err(|e| csv_error(&shown_owned, &e, line_offset))?;
        let mut byte = record.position().map_or(0, |p| p.byte() as usize);
        // After a CRLF the reported start can sit on the terminator itself.
        while matches!(record_bytes.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        let line = line_starts.partition_point(|&start| start <= byte) as u32 + line_offset;
        if record.len() != width && !(record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty())) {
            return Err(Diagnostic::error(
                "ragged-row",
                format!("this row has {} field(s) but the header has {width}", record.len()),
            )
            .at(Location::at(&shown_owned, line, 0))
            .help("check for an unquoted separator inside a value, or a missing/extra separator"));
        }
        if let Some(field) = record.iter().position(|f| {
            f.contains('\n') && f.split_once('\n').is_some_and(|(_, rest)| rest.contains(delimiter as char))
        }) {
            return Err(Diagnostic::error(
                "unclosed-quote",
                format!("field {} starts a quoted value that runs over the following rows", field + 1),
            )
            .at(Location::at(&shown_owned, line, field as u32 + 1))
            .help(
                "a double quote (\") is probably not closed: close it, or double it (\"\") if it is part of the text",
            ));
        }
        let cells = (0..width)
            .map(|i| match record.get(i).map(str::trim) {
                None | Some("") => Cell::Empty,
                Some(t) => Cell::Text(t.to_string()),
            })
            .collect();
        Ok((line, cells))
    });
    Ok(Raw {
        origin: Origin::Csv { fields: Vec::new() },
        headers,
        header_row: line_offset + 1,
        header_letters: Vec::new(),
        semicolons: delimiter == b';',
        preview,
        other_sheets: Vec::new(),
        rows: Box::new(rows),
    })
}

/// Excel in Indonesian locale saves "CSV" with semicolons; accept it when the header says so.
fn sniff_delimiter(body: &str) -> u8 {
    let header = body.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() { b';' } else { b',' }
}

fn csv_error(shown: &Path, err: &csv::Error, line_offset: u32) -> Diagnostic {
    let line = err.position().map_or(0, |p| p.line() as u32 + line_offset);
    Diagnostic::error("csv-syntax", format!("cannot read CSV: {err}"))
        .at(Location::at(shown, line, 0))
        .help("check quoting: a value with a comma or line break must be in double quotes")
}

fn read_xlsx(path: &Path, shown: &Path, options: &DataOptions) -> Result<Raw, Diagnostic> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut workbook = open_workbook_auto(path).map_err(|e| {
        let text = e.to_string();
        let help = if text.to_lowercase().contains("password") {
            "the workbook is encrypted with a password: open it in Excel, remove the password (File → Info → \
             Protect Workbook → Encrypt with Password, empty) and save it"
        } else {
            "check that it is an .xlsx workbook saved by Excel or LibreOffice, not renamed from another format"
        };
        Diagnostic::error("xlsx-unreadable", format!("cannot open spreadsheet: {text}"))
            .at(Location::file(shown))
            .help(help)
    })?;
    let names = workbook.sheet_names();
    let sheet = match &options.sheet {
        Some(wanted) => names.iter().find(|n| n.as_str() == wanted).cloned().ok_or_else(|| {
            let hint = suggest(wanted, names.iter().map(String::as_str)).map_or_else(
                || format!("sheets in this file: {}", names.join(", ")),
                |s| format!("did you mean `{s}`? (sheets: {})", names.join(", ")),
            );
            Diagnostic::error("missing-sheet", format!("no sheet named `{wanted}`"))
                .at(Location::file(shown))
                .help(hint)
        })?,
        None => first_visible_sheet(workbook.sheets_metadata(), shown)?,
    };
    let other_sheets: Vec<String> = if options.sheet.is_some() {
        Vec::new()
    } else {
        workbook
            .sheets_metadata()
            .iter()
            .filter(|m| m.visible == calamine::SheetVisible::Visible && m.typ == calamine::SheetType::WorkSheet)
            .map(|m| m.name.clone())
            .filter(|name| *name != sheet)
            .collect()
    };
    let unreadable = |e: &dyn std::fmt::Display| {
        Diagnostic::error("xlsx-unreadable", format!("cannot read sheet `{sheet}`: {e}")).at(Location::file(shown))
    };
    let (range, special) = match &mut workbook {
        calamine::Sheets::Xlsx(xlsx) => {
            // Formulas without a saved result have no value: they join the used range here so
            // that they are read (and reported) where they are.
            let mut special = super::xlsx_cells::formulas(xlsx, &sheet, shown)?;
            let range = xlsx_range(xlsx, &sheet, shown, &mut special)?;
            special.extend(super::xlsx_cells::percent_cells(xlsx, &sheet, &range, shown)?);
            (range, special)
        }
        other => (other.worksheet_range(&sheet).map_err(|e| unreadable(&e))?, Default::default()),
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let skip = options.skip_rows.unwrap_or(0);
    let mut rows = range.rows().enumerate().skip(skip);
    let Some((header_index, header)) = rows.next() else {
        return Err(Diagnostic::error("empty-file", format!("sheet `{sheet}` has no header row"))
            .at(Location::cell(shown, cell_ref(&sheet, "A", (first_row as usize + skip + 1) as u32)))
            .help("the first row (after skip_rows) must name the columns"));
    };
    let headers: Vec<String> = header.iter().map(|c| cell_text(c).trim().to_string()).collect();
    let header_letters = (0..headers.len()).map(|i| column_letter(first_col as usize + i)).collect();
    let to_plain_cell = |c: &Data| match c {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.trim().to_string()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => Cell::Date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    };
    let to_cell = |position: (u32, u32), c: &Data| match (special.get(&position), c) {
        (Some(Special::Formula(f)), _) => Cell::Formula(f.clone()),
        (Some(Special::Percent), Data::Int(i)) => Cell::Percent(*i as f64),
        (Some(Special::Percent), Data::Float(f)) => Cell::Percent(*f),
        (_, c) => to_plain_cell(c),
    };
    let body: Vec<(u32, Vec<Cell>)> = rows
        .map(|(i, row)| {
            let r = first_row + i as u32;
            let cells = row.iter().enumerate().map(|(j, c)| to_cell((r, first_col + j as u32), c)).collect();
            (r + 1, cells)
        })
        .collect();
    Ok(Raw {
        origin: Origin::Xlsx { sheet, letters: Vec::new() },
        headers,
        header_row: (first_row as usize + header_index + 1) as u32,
        header_letters,
        semicolons: false,
        preview: Vec::new(),
        other_sheets,
        rows: Box::new(body.into_iter().map(Ok)),
    })
}

/// The sheet read when the sidecar names none: the first one Excel shows. A hidden sheet (old
/// figures, lookup tables) is never read by default.
fn first_visible_sheet(sheets: &[calamine::Sheet], shown: &Path) -> Result<String, Diagnostic> {
    use calamine::{SheetType, SheetVisible};
    if let Some(sheet) = sheets.iter().find(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet) {
        return Ok(sheet.name.clone());
    }
    if sheets.is_empty() {
        return Err(Diagnostic::error("empty-file", "the workbook has no sheets").at(Location::file(shown)));
    }
    let names: Vec<String> = sheets.iter().map(|s| format!("`{}`", s.name)).collect();
    Err(Diagnostic::error("missing-sheet", "the workbook has no visible worksheet to read")
        .at(Location::file(shown))
        .help(format!(
            "every sheet is hidden ({}): unhide the data sheet in Excel, or name it in the sidecar with `sheet:`",
            names.join(", ")
        )))
}

/// Most cells a sheet's used range may span (1,048,576 rows × 20 columns). calamine builds the
/// range densely: a single stray cell at `XFD1048576` in a 5 KB file made it allocate 17
/// billion cells (22 GB, then the process was killed).
pub const MAX_XLSX_CELLS: u64 = 20 * 1_048_576;

/// An xlsx sheet's used range, as `worksheet_range` builds it (non-empty cells, from the first
/// one), after checking that it is not absurdly large.
fn xlsx_range<RS: std::io::Read + std::io::Seek>(
    xlsx: &mut calamine::Xlsx<RS>,
    sheet: &str,
    shown: &Path,
    formulas: &mut super::xlsx_cells::SpecialCells,
) -> Result<calamine::Range<calamine::Data>, Diagnostic> {
    use calamine::{Cell as XCell, Data, DataRef};
    let unreadable = |e: calamine::XlsxError| {
        Diagnostic::error("xlsx-unreadable", format!("cannot read sheet `{sheet}`: {e}")).at(Location::file(shown))
    };
    let mut reader = xlsx.worksheet_cells_reader(sheet).map_err(unreadable)?;
    let mut cells: Vec<XCell<Data>> = Vec::new();
    let (mut rows, mut cols) = ((u32::MAX, 0u32), (u32::MAX, 0u32));
    // The cells farthest down and farthest right, to name in the message.
    let (mut lowest, mut rightmost) = ((0u32, 0u32), (0u32, 0u32));
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        // A formula with a saved result is read through it.
        formulas.remove(&cell.get_position());
        cells.push(XCell::new(cell.get_position(), Data::from(cell.get_value().clone())));
    }
    // What remains are formulas without a result: they join the range (as empty cells that
    // `read_xlsx` reports) so that they are read where they are.
    let mut unsaved: Vec<(u32, u32)> = formulas.keys().copied().collect();
    unsaved.sort_unstable();
    cells.extend(unsaved.into_iter().map(|position| XCell::new(position, Data::Empty)));
    for cell in &cells {
        let (r, c) = cell.get_position();
        rows = (rows.0.min(r), rows.1.max(r));
        cols = (cols.0.min(c), cols.1.max(c));
        if r >= lowest.0 {
            lowest = (r, c);
        }
        if c >= rightmost.1 {
            rightmost = (r, c);
        }
    }
    if cells.is_empty() {
        return Ok(calamine::Range::default());
    }
    let span = u64::from(rows.1 - rows.0 + 1) * u64::from(cols.1 - cols.0 + 1);
    if span > MAX_XLSX_CELLS {
        let name = |(r, c): (u32, u32)| format!("{}{}", column_letter(c as usize), r + 1);
        let corner = |r: u32, c: u32| name((r, c));
        return Err(Diagnostic::error(
            "xlsx-too-large",
            format!(
                "sheet `{sheet}` spans {}:{} ({span} cells), more than the {MAX_XLSX_CELLS} smartcity-eval reads",
                corner(rows.0, cols.0),
                corner(rows.1, cols.1)
            ),
        )
        .at(Location::cell(shown, cell_ref(sheet, &column_letter(lowest.1 as usize), lowest.0 + 1)))
        .help(format!(
            "a value far from the table makes the sheet this large (the lowest is {}, the rightmost {}): delete \
             the stray cells (Ctrl+End in Excel goes to the last one), or export the table as CSV",
            name(lowest),
            name(rightmost)
        )));
    }
    Ok(calamine::Range::from_sparse(cells))
}

fn cell_text(c: &calamine::Data) -> String {
    match c {
        calamine::Data::String(s) => s.clone(),
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

fn read_parquet(path: &Path, shown: &Path) -> Result<Raw, Diagnostic> {
    let unreadable = |e: PolarsError| {
        Diagnostic::error("parquet-unreadable", format!("cannot read parquet file: {e}"))
            .at(Location::file(shown))
            .help("check that the file is a complete parquet file (re-export it)")
    };
    // Types polars cannot read would panic in `finish`.
    super::parquet_types::check(path, shown)?;
    let file = std::fs::File::open(path).map_err(|e| super::text::unreadable(shown, &e))?;
    // On this thread (no pool), so that a panic of the decoder on a damaged file is contained
    // (crate::guard) and reported, not a crash.
    let frame = crate::guard::contain(|| ParquetReader::new(file).read_parallel(ParallelStrategy::None).finish())
        .ok_or_else(|| {
            Diagnostic::error("parquet-unreadable", "cannot read parquet file: its data is damaged")
                .at(Location::file(shown))
                .help("check that the file is a complete parquet file (re-export it)")
        })?
        .map_err(unreadable)?;
    let headers: Vec<String> = frame.get_column_names().iter().map(|s| s.to_string()).collect();
    let mut columns: Vec<Vec<Cell>> = Vec::with_capacity(headers.len());
    for column in frame.columns() {
        let is_numeric = column.dtype().is_primitive_numeric();
        // A timestamp (pandas' type for dates) is the day it falls on, as an xlsx date is.
        let as_text = match column.dtype() {
            DataType::Datetime(_, _) => column.cast(&DataType::Date).and_then(|c| c.cast(&DataType::String)),
            _ => column.cast(&DataType::String),
        }
        .map_err(unreadable)?;
        let values = as_text.str().map_err(unreadable)?;
        columns.push(
            values
                .iter()
                .map(|v| match v {
                    None => Cell::Empty,
                    Some(s) if is_numeric => s.parse::<f64>().map_or_else(|_| Cell::Text(s.to_string()), Cell::Number),
                    Some(s) if s.trim().is_empty() => Cell::Empty,
                    Some(s) => Cell::Text(s.trim().to_string()),
                })
                .collect(),
        );
    }
    let height = frame.height();
    let rows = (0..height).map(move |i| Ok(((i + 1) as u32, columns.iter().map(|c| c[i].clone()).collect())));
    Ok(Raw {
        origin: Origin::Parquet,
        headers,
        header_row: 0,
        header_letters: Vec::new(),
        semicolons: false,
        preview: Vec::new(),
        other_sheets: Vec::new(),
        rows: Box::new(rows.collect::<Vec<_>>().into_iter()),
    })
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
        Origin::Csv { .. } => Origin::Csv {
            fields: mapping.iter().filter_map(|(spec, i)| i.map(|i| (spec.name.to_string(), i as u32 + 1))).collect(),
        },
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
            report(
                Diagnostic::error("unnamed-column", format!("a value in column {} that has no header", i + 1))
                    .at(unnamed_at(row, i))
                    .help("give the column a header (and map or ignore it in the sidecar), or move the value into its column"),
                diagnostics,
            );
            continue;
        }
        let mut values: Vec<Value> = Vec::with_capacity(mapping.len());
        let mut row_ok = true;
        for (spec, index) in &mapping {
            let cell = index.and_then(|i| cells.get(i)).cloned().unwrap_or(Cell::Empty);
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
                Err((message, help)) => {
                    row_ok = false;
                    let at = locate(shown, &origin, row, Some(spec.name));
                    report(Diagnostic::error(code_for(spec), message).at(at).help(help), diagnostics);
                }
            }
        }
        if !row_ok {
            continue;
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
        diagnostics.push(
            Diagnostic::error("more-problems", format!("{suppressed} more problems in this file are not shown"))
                .at(Location::file(shown))
                .help("fix the ones above and run validate again"),
        );
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
        Ok(Table { kind, path: shown.to_path_buf(), origin, rows: frame.height(), frame, summary })
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

/// The summary of observation rows read cell by cell: the same polars group-by as the fast
/// path runs, on the frame.
pub(super) fn summarise_frame(frame: &DataFrame) -> PolarsResult<Summary> {
    let rows = super::summary::keyed(super::summary::with_period_code(frame.clone().lazy()))
        .with_column(lit(false).alias("_bad"));
    Ok(super::summary::groups(&super::summary::summarise(rows, super::summary::key_columns()).collect()?)?.0)
}

/// Rows searched for the real header when the first row does not have the columns.
const HEADER_SEARCH_ROWS: usize = 30;

/// When the header row lacks the required columns but a row below has them all (by contract
/// name, the sidecar's `columns:` or a known Indonesian header), the diagnostic that names that
/// row and the `skip_rows` (and `columns:`) that read it.
fn header_below(
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
        let to_map: Vec<String> =
            found.iter().filter(|(_, _, alias)| *alias).map(|(name, h, _)| format!("{name}: {h}")).collect();
        let mapping =
            if to_map.is_empty() { String::new() } else { format!(" and `columns: {{{}}}`", to_map.join(", ")) };
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
                "add `skip_rows: {skip}`{mapping} to {}: skip_rows counts every row above the header, blank ones included",
                sidecar_name(shown)
            )),
        );
    }
    None
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

/// The sidecar's file name, as a user would create it next to the data file.
fn sidecar_name(shown: &Path) -> String {
    sidecar_path(shown).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

enum Value {
    Text(Option<String>),
    Number(Option<f64>),
    Year(Option<i32>),
    Period(Period),
}

fn code_for(spec: &ColSpec) -> &'static str {
    match spec.ty {
        ColType::Number => "not-a-number",
        ColType::Year => "bad-year",
        ColType::Period => "bad-period",
        ColType::OneOf(_) => "bad-value",
        ColType::Text => "empty-value",
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// Parses one cell by its column's type; errors are (message, help).
fn parse_cell(spec: &ColSpec, cell: &Cell, decimal: Decimal) -> Result<Value, (String, String)> {
    let name = spec.name;
    if let Cell::Error(e) = cell {
        return Err((
            format!("`{name}` holds the spreadsheet error {e}"),
            "fix the formula, or leave the cell empty if there is no value".into(),
        ));
    }
    if let Cell::Formula(f) = cell {
        return Err((
            format!("`{name}` is the formula `={f}` with no saved result"),
            "open the file in Excel or LibreOffice and save it, so that the results are stored; or paste the values \
             (Paste Special → Values) instead of formulas"
                .into(),
        ));
    }
    if let (Cell::Percent(v), ColType::Number) = (cell, spec.ty) {
        let shown = super::xlsx_cells::percent_shown(*v);
        if spec.percent_as_shown {
            return Ok(Value::Number(Some(shown)));
        }
        return Err((
            format!("`{name}` is formatted as a percentage (the cell shows {} %)", format_number(shown)),
            format!("format the `{name}` cells as Number so the file holds the value itself"),
        ));
    }
    if matches!(cell, Cell::Empty) {
        if spec.nullable {
            return Ok(match spec.ty {
                ColType::Number => Value::Number(None),
                ColType::Year => Value::Year(None),
                _ => Value::Text(None),
            });
        }
        return Err((format!("`{name}` is empty"), format!("every row needs a value in `{name}`")));
    }
    match spec.ty {
        ColType::Text => Ok(Value::Text(Some(match cell {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) | Cell::Date(n) | Cell::Percent(n) => format_number(*n),
            Cell::Empty | Cell::Error(_) | Cell::Formula(_) => String::new(),
        }))),
        ColType::OneOf(allowed) => {
            let written = match cell {
                Cell::Text(t) => t.clone(),
                Cell::Number(n) | Cell::Date(n) | Cell::Percent(n) => format_number(*n),
                Cell::Empty | Cell::Error(_) | Cell::Formula(_) => String::new(),
            };
            let text = written.to_lowercase();
            if allowed.contains(&text.as_str()) {
                Ok(Value::Text(Some(text)))
            } else {
                let help = match suggest(&text, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? (one of: {})", allowed.join(", ")),
                    None => format!("use one of: {}", allowed.join(", ")),
                };
                Err((format!("`{name}` is `{written}`, which is not allowed"), help))
            }
        }
        ColType::Number => match cell {
            Cell::Number(n) if n.is_finite() => Ok(Value::Number(Some(*n))),
            Cell::Number(_) => Err((format!("`{name}` is not a finite number"), "write a number, or leave the cell empty".into())),
            Cell::Date(_) => Err((format!("`{name}` holds a date, not a number"), "format the cell as a number".into())),
            Cell::Text(t) => match parse_number(t, decimal) {
                Ok(v) => Ok(Value::Number(v)),
                Err(NumberError::Comma) => Err((
                    format!("`{name}` is `{t}`: a comma in a number, but this file is read with a decimal point"),
                    "if the file uses decimal commas (1.234,5), add `decimal: comma` to the file's sidecar or to `data:` in city.yaml; otherwise remove the thousands separators".into(),
                )),
                Err(NumberError::Point) => Err((
                    format!("`{name}` is `{t}`: a decimal point, but this file is read with decimal commas"),
                    "with `decimal: comma`, `.` only groups thousands (1.234,5); write the value with a decimal comma".into(),
                )),
                Err(NumberError::NotFinite) => Err((format!("`{name}` is `{t}`, which is not a finite number"), "write a number, or leave the cell empty".into())),
                Err(NumberError::Currency) => Err((
                    format!("`{name}` is `{t}`: a currency sign in a number"),
                    "remove the currency sign (`Rp`, `,-`) and keep the amount: format the cells as Number, not Currency or Accounting".into(),
                )),
                // Never reached: an undecided file's two-way values are reported by the caller.
                Err(NumberError::Ambiguous) => Err((format!("`{name}` is `{t}`, which reads two ways"), "add `decimal: comma` or `decimal: point`".into())),
                Err(NumberError::NotANumber) if decimal == Decimal::Point && parse_number(t, Decimal::Comma).is_ok() => Err((
                    format!("`{name}` is `{t}`: dots grouping thousands, but this file is read with a decimal point"),
                    "if the file uses decimal commas and dotted thousands (1.234,5), add `decimal: comma` to the file's sidecar or to `data:` in city.yaml; otherwise remove the thousands separators".into(),
                )),
                Err(NumberError::NotANumber) => Err((
                    format!("`{name}` is `{t}`, which is not a number"),
                    if spec.nullable {
                        "write a plain number (no units), or leave the cell empty when nothing was measured".into()
                    } else {
                        "write a plain number, without units or text".into()
                    },
                )),
            },
            Cell::Empty | Cell::Error(_) | Cell::Formula(_) | Cell::Percent(_) => Ok(Value::Number(None)),
        },
        ColType::Year => {
            let n = match cell {
                Cell::Number(n) | Cell::Percent(n) => Some(*n),
                Cell::Text(t) => t.trim().parse::<f64>().ok(),
                _ => None,
            };
            let written = match cell {
                Cell::Text(t) => t.clone(),
                Cell::Number(n) | Cell::Date(n) | Cell::Percent(n) => format_number(*n),
                _ => String::new(),
            };
            match n {
                Some(n) if n.fract() == 0.0 && YEARS.contains(&(n as i32)) => Ok(Value::Year(Some(n as i32))),
                _ => Err((format!("`{name}` is `{written}`, which is not a year"), "write a four-digit year such as 2023".into())),
            }
        }
        ColType::Period => {
            let period = match cell {
                Cell::Text(t) => Period::parse(t),
                Cell::Number(n) if n.fract() == 0.0 && YEARS.contains(&(*n as i32)) => Ok(Period::Year(*n as i32)),
                Cell::Number(n) | Cell::Percent(n) => Err(format!("`{}` is not a period", format_number(*n))),
                Cell::Date(serial) => excel_serial_to_date(*serial)
                    .map(|(y, m, d)| Period::Day(y, m, d))
                    .ok_or_else(|| "the date cannot be read".to_string()),
                Cell::Empty | Cell::Error(_) | Cell::Formula(_) => Err("empty".to_string()),
            };
            period.map(Value::Period).map_err(|e| (format!("bad `{name}`: {e}"), "use YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

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
