//! What an xlsx cell means beyond its stored value: the number a user sees in a cell formatted
//! as a percentage (Excel stores 83 % as 0.83), and formulas whose result was never saved
//! (files written by openpyxl, pandas or report generators hold `=A1*2` and no value).
//!
//! calamine gives a sheet's values; its formula and style readers give the rest. Both are read
//! as sparse lists, so a stray cell far from the table cannot make them allocate a dense grid;
//! the used range (with the unsaved formulas in it) is bounded once, in `table::xlsx_range`.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Range, Xlsx};

use crate::diagnostic::{Diagnostic, Location};

/// A cell whose stored value is not what the user means.
#[derive(Debug, Clone, PartialEq)]
pub enum Special {
    /// A number formatted as a percentage.
    Percent,
    /// A formula without a saved result; the formula's text.
    Formula(String),
}

/// By absolute (row, column): the cells that are percentages or unsaved formulas.
pub type SpecialCells = HashMap<(u32, u32), Special>;

fn unreadable(sheet: &str, shown: &Path) -> impl Fn(calamine::XlsxError) -> Diagnostic {
    let (sheet, shown) = (sheet.to_string(), shown.to_path_buf());
    move |e| {
        Diagnostic::error("xlsx-unreadable", format!("cannot read sheet `{sheet}`: {e}")).at(Location::file(&shown))
    }
}

/// Every formula cell with its text. `table::xlsx_range` keeps only those without a saved
/// result (the others are read through the result calamine gives).
pub fn formulas<RS: std::io::Read + std::io::Seek>(
    xlsx: &mut Xlsx<RS>,
    sheet: &str,
    shown: &Path,
) -> Result<SpecialCells, Diagnostic> {
    let unreadable = unreadable(sheet, shown);
    let mut formulas = HashMap::new();
    let mut reader = xlsx.worksheet_cells_reader(sheet).map_err(&unreadable)?;
    while let Some(formula) = reader.next_formula().map_err(&unreadable)? {
        if !formula.get_value().trim().is_empty() {
            formulas.insert(formula.get_position(), Special::Formula(formula.get_value().clone()));
        }
    }
    Ok(formulas)
}

/// The numeric cells of `range` formatted as percentages.
pub fn percent_cells<RS: std::io::Read + std::io::Seek>(
    xlsx: &mut Xlsx<RS>,
    sheet: &str,
    range: &Range<Data>,
    shown: &Path,
) -> Result<SpecialCells, Diagnostic> {
    let styles = xlsx.worksheet_style(sheet).map_err(unreadable(sheet, shown))?;
    let mut percent = HashMap::new();
    if styles.is_empty() {
        return Ok(percent);
    }
    let start = range.start().unwrap_or((0, 0));
    for (row, col, value) in range.used_cells() {
        if !matches!(value, Data::Float(_) | Data::Int(_)) {
            continue;
        }
        let position = (start.0 + row as u32, start.1 + col as u32);
        let format = styles.get(position).and_then(|s| s.number_format.as_ref());
        if format.is_some_and(|f| is_percent(&f.format_code)) {
            percent.insert(position, Special::Percent);
        }
    }
    Ok(percent)
}

/// A number format that shows a value as a percentage: a `%` outside quoted text and not
/// escaped (`0.0%`, `0%`, `#,##0.00 %`; not `0.0 "%"` nor `0\%`).
pub fn is_percent(format_code: &str) -> bool {
    let mut quoted = false;
    let mut chars = format_code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => {
                chars.next();
            }
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The number a percentage-formatted cell shows: 0.83 → 83, exactly (the decimal digits moved
/// two places, not multiplied in binary: 0.83 × 100 is 83.00000000000001).
pub fn percent_shown(stored: f64) -> f64 {
    let text = format!("{stored:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    format!("{mantissa}e{}", exponent + 2).parse().unwrap_or(stored * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats() {
        for code in ["0%", "0.00%", "0.0%", "#,##0.0 %", "[Red]0%"] {
            assert!(is_percent(code), "{code}");
        }
        for code in ["General", "0.00", "0.0 \"%\"", "0\\%", "#,##0", "\"Rp\" #,##0"] {
            assert!(!is_percent(code), "{code}");
        }
    }

    #[test]
    fn shown_percentages_are_exact() {
        assert_eq!(percent_shown(0.83), 83.0);
        assert_eq!(percent_shown(0.715), 71.5);
        assert_eq!(percent_shown(0.07), 7.0);
        assert_eq!(percent_shown(1.0), 100.0);
        assert_eq!(percent_shown(0.0), 0.0);
        assert_eq!(percent_shown(-0.125), -12.5);
        assert_eq!(percent_shown(0.9761), 97.61);
    }
}
