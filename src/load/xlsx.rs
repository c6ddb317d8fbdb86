//! xlsx workbooks (calamine): the sheet to read, its used range bounded, cells with their
//! percent formats and unsaved formulas ([`super::xlsx_cells`]).

use std::path::Path;

use super::raw::{Cell, Origin, Raw, cell_ref, column_letter};
use super::xlsx_cells::Special;
use crate::diagnostic::{Diagnostic, Location, suggest};
use crate::model::DataOptions;

pub(super) fn read_xlsx(path: &Path, shown: &Path, options: &DataOptions) -> Result<Raw, Diagnostic> {
    use calamine::{Data, Reader, open_workbook_auto};
    // calamine calls an empty file a zip without a central directory; say what it is.
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        return Err(Diagnostic::error("empty-file", "the workbook is empty (0 bytes)").at(Location::file(shown)).help(
            "save it again from Excel or LibreOffice (a copy taken while the workbook was being saved, or a \
                 download cut short, leaves an empty file), or delete it",
        ));
    }
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
