//! Rows as a format's reader hands them on, before typing: raw cells, the header, and where
//! each row and column sits in the file (line and field, sheet cell, or parquet row).

use std::path::Path;

use super::columns::ColSpec;
use crate::diagnostic::{Diagnostic, Location};

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

impl Origin {
    /// A CSV origin locating each mapped contract column at its 1-based field number.
    pub(super) fn csv(mapping: &[(ColSpec, Option<usize>)]) -> Origin {
        Origin::Csv {
            fields: mapping.iter().filter_map(|(spec, i)| i.map(|i| (spec.name.to_string(), i as u32 + 1))).collect(),
        }
    }
}

pub(super) fn locate(path: &Path, origin: &Origin, row: u32, column: Option<&str>) -> Location {
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

impl Cell {
    /// A text cell as the CSV and parquet readers make it: trimmed, empty when blank.
    pub(super) fn trimmed(text: &str) -> Cell {
        match text.trim() {
            "" => Cell::Empty,
            t => Cell::Text(t.to_string()),
        }
    }
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
}

/// Passes over a data file's rows on this thread (streaming or cell by cell), for the tests
/// that a file is read once whatever it holds.
#[cfg(test)]
pub(super) mod passes {
    thread_local! {
        static PASSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    pub fn count() {
        PASSES.with(|p| p.set(p.get() + 1));
    }

    /// The passes made so far, and the count reset.
    pub fn take() -> usize {
        PASSES.with(|p| p.replace(0))
    }
}
