//! One table as one worksheet, for reading on screen and on paper: a bold frozen header row
//! with an autofilter, number formats per column kind, fitted widths (long texts wrap), and a
//! page layout that prints: A4, landscape when the table is wide, one page wide, the header
//! row on every page, the sheet's title and the city in the page header, page numbers below.
//! Shared by the Bappeda export, the batch summary and the bukti dukung checklist.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::tables::{Cell, Kind};

/// What the printed page header says.
pub struct Page<'a> {
    /// What the sheet holds (`Nilai per aspek`).
    pub title: &'a str,
    /// The city (or `Gabungan` for a batch).
    pub city: &'a str,
}

/// A text column wider than this (in characters) wraps at this width instead.
const WRAP_AT: usize = 45;
/// Wider than this (characters over all columns) and the sheet prints landscape: about what A4
/// portrait holds at 100 % between its margins.
const PORTRAIT_CHARS: usize = 95;
/// Points per line of the default font (Calibri 11), for the height of rows that wrap.
const LINE_HEIGHT: f64 = 15.0;
/// xlsx paper size code for A4.
const A4: u8 = 9;

pub(crate) fn number_format(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Int => Some("#,##0"),
        Kind::Number => Some("#,##0.00"),
        Kind::Rupiah => Some("\"Rp\" #,##0"),
        Kind::Percent => Some("0.0%"),
        // `10` shows as `10%`: the `%` is a literal, so the value is not scaled.
        Kind::Weight => Some("General\"%\""),
        // Excel shows a boolean as TRUE/FALSE (BENAR/SALAH) whatever the format; LibreOffice
        // keeps it as 1/0 and, without a format of its own, shows some as `1` and some as
        // `TRUE`. This format makes it read `ya`/`tidak` there.
        Kind::Bool => Some("\"ya\";\"ya\";\"tidak\""),
        Kind::Year | Kind::Text => None,
    }
}

/// About how many characters a cell shows: enough to tell narrow tables from wide ones.
fn shown_width(cell: &Cell, kind: Kind) -> usize {
    match cell {
        Cell::Text(s) => s.chars().count(),
        Cell::Bool(_) => 5,
        Cell::Empty => 0,
        Cell::Number(n) => {
            let digits = format!("{:.0}", n.abs()).len();
            match kind {
                Kind::Year => 4,
                // Grouping separators, two decimals, `Rp `.
                Kind::Number => digits + digits / 3 + 3,
                Kind::Rupiah => digits + digits / 3 + 3,
                Kind::Percent | Kind::Weight => digits + 3,
                _ => digits + digits / 3,
            }
        }
    }
}

/// Each column's width in characters (header included), capped at `WRAP_AT`, and whether its
/// text wraps.
fn widths(columns: &[(&str, Kind)], rows: &[Vec<Cell>]) -> Vec<(usize, bool)> {
    columns
        .iter()
        .enumerate()
        .map(|(c, (name, kind))| {
            let widest = rows.iter().filter_map(|r| r.get(c)).map(|cell| shown_width(cell, *kind)).max().unwrap_or(0);
            let width = widest.max(name.chars().count());
            (width.min(WRAP_AT), *kind == Kind::Text && widest > WRAP_AT)
        })
        .collect()
}

/// How many lines `text` takes when wrapped at `width` characters, breaking at spaces (a word
/// longer than the line is broken where it overflows, as spreadsheets do).
fn wrapped_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    let mut lines = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        let needed = if used == 0 { len } else { used + 1 + len };
        if needed <= width {
            used = needed;
        } else {
            if used > 0 {
                lines += 1;
            }
            lines += len.saturating_sub(1) / width;
            // What the word leaves on its last line.
            used = if len == 0 { 0 } else { (len - 1) % width + 1 };
        }
    }
    lines + text.matches('\n').count()
}

/// Whether the sheet prints landscape: its columns do not fit A4 portrait.
pub(crate) fn is_wide(columns: &[(&str, Kind)], rows: &[Vec<Cell>]) -> bool {
    widths(columns, rows).iter().map(|(w, _)| w + 2).sum::<usize>() > PORTRAIT_CHARS
}

/// `&` starts a control code in an xlsx page header: a literal one is doubled.
fn header_text(text: &str) -> String {
    text.replace('&', "&&")
}

/// The page layout of a sheet whose row 0 is its header row.
pub(crate) fn page_layout(
    sheet: &mut Worksheet,
    page: &Page,
    landscape: bool,
    repeat_header: bool,
) -> Result<(), XlsxError> {
    sheet.set_paper_size(A4);
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    // One page wide, as many pages tall as the rows need.
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.4, 0.4, 0.75, 0.6, 0.3, 0.3);
    if repeat_header {
        sheet.set_repeat_rows(0, 0)?;
    }
    // Excel refuses a header of 255 characters or more: a very long city name is shortened.
    let city: String = header_text(page.city).chars().take(100).collect();
    let title: String = header_text(page.title).chars().take(100).collect();
    sheet.set_header(format!("&L&\"-,Bold\"{title}&R{city}"));
    sheet.set_footer("&CHalaman &P dari &N");
    Ok(())
}

/// Writes `rows` under a header of `columns` into `sheet`, named `name`.
pub(crate) fn write_sheet(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[(&str, Kind)],
    rows: &[Vec<Cell>],
    page: &Page,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let header = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin)
        .set_background_color("#DBE7F5")
        .set_align(FormatAlign::Top);
    for (c, (name, _)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &header)?;
    }
    let widths = widths(columns, rows);
    // Top-aligned, so a row whose text wraps still reads across.
    let formats: Vec<Format> = columns
        .iter()
        .zip(&widths)
        .map(|((_, kind), (_, wraps))| {
            let format = Format::new().set_align(FormatAlign::Top);
            // A year is a label, not an amount: centred, it does not run into the next column.
            let format = if *kind == Kind::Year { format.set_align(FormatAlign::Center) } else { format };
            let format = match number_format(*kind) {
                Some(f) => format.set_num_format(f),
                None => format,
            };
            if *wraps { format.set_text_wrap() } else { format }
        })
        .collect();
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        // A row whose text wraps is made tall enough for it: neither Excel nor LibreOffice
        // resizes rows on opening, and the lines would print over the next row.
        let lines = row
            .iter()
            .zip(&widths)
            .filter_map(|(cell, (width, wraps))| match cell {
                Cell::Text(s) if *wraps => Some(wrapped_lines(s, *width)),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            sheet.set_row_height(r, LINE_HEIGHT * lines as f64)?;
        }
        for (c, cell) in row.iter().enumerate() {
            let (c16, format) = (c as u16, &formats[c]);
            match cell {
                Cell::Text(s) => sheet.write_string_with_format(r, c16, s, format)?,
                Cell::Number(n) => sheet.write_number_with_format(r, c16, *n, format)?,
                Cell::Bool(b) => sheet.write_boolean_with_format(r, c16, *b, format)?,
                Cell::Empty => sheet,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    if !columns.is_empty() {
        sheet.autofilter(0, 0, rows.len() as u32, columns.len() as u16 - 1)?;
    }
    sheet.set_autofit_max_width(320);
    sheet.autofit();
    // Autofit sizes a wrapping column to its longest text: it wraps at `WRAP_AT` instead (the
    // filter button in the header needs a little room too).
    for (c, (width, wraps)) in widths.iter().enumerate() {
        if *wraps {
            sheet.set_column_width(c as u16, *width as f64 + 1.0)?;
        }
    }
    page_layout(sheet, page, is_wide(columns, rows), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_tables_print_portrait_and_wide_ones_landscape() {
        let narrow = [("tahun", Kind::Year), ("nilai", Kind::Number)];
        let rows = vec![vec![Cell::Number(2023.0), Cell::Number(3.25)]];
        assert!(!is_wide(&narrow, &rows));
        let wide: Vec<(&str, Kind)> = (0..12).map(|_| ("anggaran_realisasi", Kind::Rupiah)).collect();
        let rows = vec![vec![Cell::Number(4_600_000_000.0); 12]];
        assert!(is_wide(&wide, &rows));
    }

    #[test]
    fn long_texts_wrap_and_count_at_the_wrap_width() {
        let columns = [("teks", Kind::Text), ("kode", Kind::Text)];
        let rows = vec![vec![Cell::Text("x".repeat(200)), Cell::Text("bl-1".into())]];
        assert_eq!(widths(&columns, &rows), vec![(WRAP_AT, true), (4, false)]);
    }

    #[test]
    fn wrapped_lines_break_at_spaces_and_inside_overlong_words() {
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("satu dua", 10), 1);
        assert_eq!(wrapped_lines("satu dua tiga", 10), 2);
        assert_eq!(wrapped_lines("abcdefghijklmnopqrstuvwxy", 10), 3);
        assert_eq!(wrapped_lines("ab abcdefghijklmnopqrstuvwxy", 10), 4);
        assert_eq!(wrapped_lines("ab abcdefghijklmnopqrst xy", 10), 4);
        assert_eq!(wrapped_lines("satu\ndua", 10), 2);
    }

    #[test]
    fn an_ampersand_in_a_page_header_is_literal() {
        assert_eq!(header_text("Kota A & B"), "Kota A && B");
    }
}
