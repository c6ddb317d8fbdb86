//! Checking one row's cells by their columns' types, and the row problems reported: shared by
//! the cell-by-cell reader (`table.rs`) and the streaming CSV reader
//! (`blocks.rs`), so both give the same diagnostics, word for word.

use std::path::Path;

use super::columns::{ColSpec, ColType};
use super::fold::Stop;
use super::number::{NumberError, ambiguous, format_number, parse_number};
use super::raw::{Cell, Origin, locate};
use crate::diagnostic::{Diagnostic, Location, suggest};
use crate::model::Decimal;
use crate::period::{Period, YEARS, excel_serial_to_date};

/// Cell problems reported per file before the rest are summarised in one line.
pub(super) const MAX_CELL_DIAGNOSTICS: usize = 20;

/// The line that stands for the cell problems of a file past [`MAX_CELL_DIAGNOSTICS`].
pub(super) fn more_problems(shown: &Path, suppressed: usize) -> Diagnostic {
    Diagnostic::error("more-problems", format!("{suppressed} more problems in this file are not shown"))
        .at(Location::file(shown))
        .help("fix the ones above and run validate again")
}

/// A row with another number of fields than the header (CSV), without its place.
pub(super) fn ragged_row(fields: usize, width: usize) -> Diagnostic {
    Diagnostic::error("ragged-row", format!("this row has {fields} field(s) but the header has {width}"))
        .help("check for an unquoted separator inside a value, or a missing/extra separator")
}

/// A value in column `i` (from 0), which has no header, without its place.
pub(super) fn unnamed_column(i: usize) -> Diagnostic {
    Diagnostic::error("unnamed-column", format!("a value in column {} that has no header", i + 1))
        .help("give the column a header (and map or ignore it in the sidecar), or move the value into its column")
}

/// The first of `count` values like `275.500` in a `;`-separated CSV read with the decimal
/// point city.yaml declares for every file, without its place: Indonesian Excel saves CSV with
/// `;` and dots grouping thousands, so the value is likely 275500, not the 275.5 it was read as.
pub(super) fn dotted_thousands(name: &str, text: &str, count: usize, shown: &Path) -> Diagnostic {
    let read = parse_number(text, Decimal::Point).ok().flatten().map_or_else(|| "?".to_string(), format_number);
    let grouped = parse_number(text, Decimal::Comma).ok().flatten().map_or_else(|| "?".to_string(), format_number);
    let others = match count.saturating_sub(1) {
        0 => String::new(),
        1 => " (1 more such value in this file)".to_string(),
        n => format!(" ({n} more such values in this file)"),
    };
    let sidecar = crate::diagnostic::slash_path(&super::header::sidecar_path(shown));
    Diagnostic::warning(
        "dotted-thousands",
        format!(
            "`{name}` is `{text}`, read as {read} (city.yaml: `decimal: point` for every file), but this \
             `;`-separated file looks like Indonesian Excel, where `.` groups thousands: {text} = {grouped}{others}"
        ),
    )
    .help(format!(
        "if this file writes numbers as 1.234,5, add `decimal: comma` to its sidecar {sidecar} (it overrides \
         city.yaml for this file); if {read} is right, write `decimal: point` there to confirm it"
    ))
}

/// A bad cell of column `spec` (an error of [`parse_cell`]), without its place.
pub(super) fn bad_cell(spec: &ColSpec, (message, help): (String, String)) -> Diagnostic {
    Diagnostic::error(code_for(spec), message).help(help)
}

/// Where a row's problem is: the row, a field by its position, or a contract column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    Row,
    Field(u32),
    Column(&'static str),
}

/// What the row checks of a streaming reader need to know of the file.
pub(super) struct Rules<'a> {
    /// The contract's columns and their header index.
    pub mapping: &'a [(ColSpec, Option<usize>)],
    /// Columns without a header: they must stay empty.
    pub unnamed: &'a [usize],
    /// `None`: undeclared, decided by the file's values (number.rs, `Evidence`).
    pub decimal: Option<Decimal>,
}

/// The problems of a row a streaming reader's fold refused, as the cell-by-cell reader
/// reports them (table.rs, `build`): nothing for a blank row, a value in an unnamed column,
/// else every bad cell in contract order. [`Stop::Reject`] when the row's value can only be
/// read once the whole file has decided its decimal mark.
pub(super) fn row_problems(cells: &[Cell], row: u32, rules: &Rules, problems: &mut Problems) -> Result<(), Stop> {
    if cells.iter().all(|c| matches!(c, Cell::Empty)) {
        return Ok(());
    }
    if let Some(&i) = rules.unnamed.iter().find(|&&i| !matches!(cells.get(i), None | Some(Cell::Empty))) {
        problems.push(Problem { row, at: Where::Field(i as u32 + 1), diagnostic: unnamed_column(i) });
        return Ok(());
    }
    for (spec, index) in rules.mapping {
        let cell = index.and_then(|i| cells.get(i)).unwrap_or(&Cell::Empty);
        if let (ColType::Number, Cell::Text(t), None) = (spec.ty, cell, rules.decimal)
            && (ambiguous(t) || parse_number(t, Decimal::Point) != parse_number(t, Decimal::Comma))
        {
            return Err(Stop::Reject);
        }
    }
    for (spec, index) in rules.mapping {
        let cell = index.and_then(|i| cells.get(i)).unwrap_or(&Cell::Empty);
        if let Err(problem) = parse_cell(spec, cell, rules.decimal.unwrap_or_default()) {
            problems.push(Problem { row, at: Where::Column(spec.name), diagnostic: bad_cell(spec, problem) });
        }
    }
    Ok(())
}

/// A problem of a row the fold left out, as the cell-by-cell reader reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Counted from the part's start until [`Problems::append`] shifts it.
    pub row: u32,
    pub at: Where,
    /// Placed at `row` and `at` when the parts are joined.
    pub diagnostic: Diagnostic,
}

/// A part's row problems in file order: the first [`MAX_CELL_DIAGNOSTICS`] kept, the rest
/// counted, as the cell-by-cell reader caps them. Appending the parts in file order keeps the
/// same first ones whatever the split.
#[derive(Debug, Default)]
pub struct Problems {
    kept: Vec<Problem>,
    more: usize,
}

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        if self.kept.len() < MAX_CELL_DIAGNOSTICS {
            self.kept.push(problem);
        } else {
            self.more += 1;
        }
    }

    /// Adds the next part's problems, its rows shifted by `offset`.
    pub fn append(&mut self, other: Problems, offset: u32) {
        for mut p in other.kept {
            p.row += offset;
            self.push(p);
        }
        self.more += other.more;
    }

    pub fn into_diagnostics(self, shown: &Path, origin: &Origin) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .kept
            .into_iter()
            .map(|p| {
                let at = match p.at {
                    Where::Row => Location::at(shown, p.row, 0),
                    Where::Field(i) => Location::at(shown, p.row, i),
                    Where::Column(name) => locate(shown, origin, p.row, Some(name)),
                };
                p.diagnostic.at(at)
            })
            .collect();
        if self.more > 0 {
            out.push(more_problems(shown, self.more));
        }
        out
    }
}

pub(super) enum Value {
    Text(Option<String>),
    Number(Option<f64>),
    Year(Option<i32>),
    Period(Period),
}

pub(super) fn code_for(spec: &ColSpec) -> &'static str {
    match spec.ty {
        ColType::Number => "not-a-number",
        ColType::Year => "bad-year",
        ColType::Period => "bad-period",
        ColType::OneOf(_) => "bad-value",
        ColType::Text => "empty-value",
    }
}

/// Parses one cell by its column's type; errors are (message, help).
pub(super) fn parse_cell(spec: &ColSpec, cell: &Cell, decimal: Decimal) -> Result<Value, (String, String)> {
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
