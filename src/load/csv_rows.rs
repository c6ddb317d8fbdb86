//! CSV files read record by record (the csv crate), for the cell-by-cell reader; and the
//! header line as the streaming reader ([`super::blocks`]) needs it.

use std::io::{BufRead, Read};
use std::path::Path;

use super::columns::ColSpec;
use super::header::{HEADER_SEARCH_ROWS, checked_mapping};
use super::raw::{Cell, Origin, Raw};
use super::text::{MAX_TEXT_BYTES, decode_utf8, read_bytes};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::DataOptions;

pub(super) fn read_csv(path: &Path, shown: &Path, options: &DataOptions) -> Result<Raw, Diagnostic> {
    #[cfg(test)]
    super::raw::passes::count();
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
            return Err(super::cells::ragged_row(record.len(), width).at(Location::at(&shown_owned, line, 0)));
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

/// The header of a CSV file, matched to the contract's columns without any diagnostic.
pub struct CsvHeader {
    pub skip: usize,
    /// Byte offset of the first data line.
    pub start: u64,
    pub delimiter: u8,
    pub headers: Vec<String>,
    pub mapping: Vec<(ColSpec, Option<usize>)>,
}

impl CsvHeader {
    /// The header index of a contract column.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.mapping.iter().find(|(s, _)| s.name == name).and_then(|(_, i)| *i)
    }
}

/// The fields of a header line (ending in its line end) as csv-core splits them, trimmed;
/// `None` unless the line is exactly one record (a quoted header name may not hold a line break).
fn header_fields(line: &[u8], delimiter: u8) -> Option<Vec<String>> {
    use csv_core::ReadRecordResult;
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut out = vec![0u8; line.len()];
    let mut ends = vec![0usize; line.len() + 1];
    let (result, read, written, fields) = reader.read_record(line, &mut out, &mut ends);
    // The record ends at the line end: the `\n` (after an optional `\r`) is all that is left.
    if result != ReadRecordResult::Record || !line[read..].iter().all(|b| matches!(b, b'\r' | b'\n')) {
        return None;
    }
    let mut start = 0;
    ends[..fields]
        .iter()
        .map(|&end| {
            let field = std::str::from_utf8(&out[start..end.min(written)]).ok()?;
            start = end;
            Some(field.trim().to_string())
        })
        .collect()
}

/// Header lines (and skipped lines) longer than this are left to the cell-by-cell reader.
const MAX_HEADER_BYTES: u64 = 64 * 1024;

/// Reads the header line the way the cell-by-cell reader does (after `skip_rows`, BOM
/// dropped, delimiter sniffed); `None` if it is quoted, odd, or gives a diagnostic.
pub fn csv_header(path: &Path, shown: &Path, options: &DataOptions) -> Option<CsvHeader> {
    // UTF-16 and binary files are described by the cell-by-cell reader. As its `decode_utf8`:
    // a NUL in the first 4096 bytes after the BOM (not of the file: a NUL at bytes 4096–4098
    // of a file with a BOM was `binary-file` there and accepted here).
    let mut head = Vec::with_capacity(4099);
    std::fs::File::open(path).ok()?.take(4099).read_to_end(&mut head).ok()?;
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || text[..text.len().min(4096)].contains(&0) {
        return None;
    }
    let mut file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    let skip = options.skip_rows.unwrap_or(0);
    let mut consumed = 0u64;
    let mut line = Vec::new();
    for _ in 0..=skip {
        line.clear();
        // A real header is short; a huge first line is for the cell-by-cell reader to report.
        consumed += (&mut file).take(MAX_HEADER_BYTES).read_until(b'\n', &mut line).ok()? as u64;
    }
    let mut header = line.as_slice();
    if skip == 0 {
        header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
    }
    let text = std::str::from_utf8(header).ok()?.trim_end_matches(['\n', '\r']);
    if text.contains('\r') || !line.ends_with(b"\n") {
        return None;
    }
    // As the cell-by-cell reader: semicolons when the header has more of them than commas.
    let delimiter = if text.matches(';').count() > text.matches(',').count() { b';' } else { b',' };
    let headers = header_fields(header, delimiter)?;
    let mapping = checked_mapping(shown, options, Origin::Csv { fields: Vec::new() }, &headers, skip as u32 + 1)?;
    Some(CsvHeader { skip, start: consumed, delimiter, headers, mapping })
}
