//! The fast path for big observation files (CSV and parquet): one streaming pass with polars
//! that proves the file clean and summarises it, keeping nothing but the summary.
//!
//! Plain CSV (no quotes) is folded in parallel blocks ([`super::blocks`]) and parquet in
//! row-group slices ([`super::row_groups`]); quoted CSV comes here. (Parquet the fold refuses
//! is read cell by cell: [`scan`] still reads parquet, for the tests that compare the paths.)
//! The file is scanned lazily with every column as text; expressions parse the cells with the
//! same functions as the cell-by-cell reader (periods, numbers with the file's decimal mark,
//! trimmed text) and mark every row that would give a diagnostic. The group-by of
//! [`super::summary::summarise`] then runs on the streaming engine and, besides the summary,
//! tells whether any row was marked or two rows share (indicator, period, area). For CSV a
//! second, plain byte scan runs at the same time and checks what polars does not: that every
//! line has as many fields as the header (polars fills short rows silently), that no quoted
//! value spans lines, and so that row `n` of polars is line `n` of the file.
//!
//! Anything unusual (a diagnostic to give, a duplicate, a header that needs mapping help, an
//! odd encoding, a polars error) makes [`read_observations`] return `None`, and the file is read
//! again cell by cell, which gives the exact diagnostics. Files below [`min_bytes`] always take
//! that way: it is quicker for them.

use std::io::{BufRead, Read};

use std::path::Path;

use polars::prelude::*;

use super::columns::ColSpec;
use super::number::parse_number_as;
use super::summary::{self, pack, unpack};
use super::table::{Origin, Raw, Table, map_headers};
use crate::model::{DataOptions, Decimal};
use crate::period::{Period, YEARS, days_in_month};
use crate::workspace::DataKind;

/// Observation files smaller than this are read cell by cell.
const MIN_BYTES: u64 = 4 * 1024 * 1024;

/// The size from which observation files are streamed; `SMARTCITY_EVAL_STREAM_MIN_BYTES`
/// overrides it (0 streams every file: the corpus tests run that way too).
pub fn min_bytes() -> u64 {
    std::env::var("SMARTCITY_EVAL_STREAM_MIN_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(MIN_BYTES)
}

/// The typed rows of a file (the columns of the cell-by-cell reader's frame, plus `_pcode`,
/// `_bad` and `_blank`), lazily, with what is needed to check the result.
pub struct Scan {
    pub rows: LazyFrame,
    pub origin: Origin,
    /// CSV: the line checks, run while polars reads (`None` for parquet).
    pub lines: Option<LineCheck>,
}

/// CSV layout facts for the byte scan.
pub struct LineCheck {
    path: std::path::PathBuf,
    /// Byte offset of the first data line.
    start: u64,
    delimiter: u8,
    fields: usize,
}

/// Reads a big observation file in one streaming pass; `None` when the file must be read cell
/// by cell (it has problems to report, or something this path does not handle).
pub fn read_observations(path: &Path, shown: &Path, options: &DataOptions) -> Option<Table> {
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (summary, duplicates, origin) = if is_csv {
        let header = csv_header(path, shown, options)?;
        let origin = Origin::Csv {
            fields: header.mapping.iter().filter_map(|(s, i)| i.map(|i| (s.name.to_string(), i as u32 + 1))).collect(),
        };
        let (summary, duplicates) = match super::blocks::summarise(path, &header, options.decimal) {
            super::blocks::Outcome::Clean(summary, duplicates) => (summary, duplicates),
            super::blocks::Outcome::Reject => return None,
            // Quoted values: polars' CSV reader handles the quoting.
            super::blocks::Outcome::Quoted => summary::groups(&scan_and_summarise(path, shown, options)?).ok()?,
        };
        (summary, duplicates, origin)
    } else {
        // Anything the fold does not read goes to the cell-by-cell reader, not to the polars
        // streaming query: polars-stream's parquet source panics on some damaged files (an
        // assertion in its decoder threads, found by the `table` fuzz target), where the
        // cell-by-cell reader decodes on this thread and contains the panic (crate::guard).
        let (summary, duplicates) = super::row_groups::summarise(path, shown, options)?;
        (summary, duplicates, Origin::Parquet)
    };
    if duplicates {
        return None;
    }
    let rows: u64 = summary.groups.iter().map(|g| u64::from(g.rows)).sum();
    Some(Table {
        kind: DataKind::Observations,
        path: shown.to_path_buf(),
        origin,
        frame: empty_frame(),
        rows: rows as usize,
        summary: Some(summary),
    })
}

/// The polars way: one streaming query over the scanned file (with the line checks for CSV
/// running beside it). The slots, or `None` if a row is bad or the lines do not add up.
fn scan_and_summarise(path: &Path, shown: &Path, options: &DataOptions) -> Option<DataFrame> {
    let scan = scan(path, shown, options)?;
    let line_check = scan.lines.map(|check| std::thread::spawn(move || check.run()));
    let slots = summary::summarise(summary::keyed(scan.rows), summary::key_columns())
        .collect_with_engine(Engine::Streaming)
        .ok()?
        .unwrap_single();
    let lines = match line_check {
        Some(handle) => Some(handle.join().ok()??),
        None => None,
    };
    if summary::any_bad(&slots).ok()? {
        return None;
    }
    // Every line is a row (blank ones included): otherwise row numbers would not be lines.
    let total: u64 = slots.column("rows").ok()?.idx().ok()?.iter().flatten().map(u64::from).sum();
    if lines.is_some_and(|lines| lines != total) {
        return None;
    }
    Some(slots)
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

/// The typed rows of `path`, lazily; `None` if this path does not handle the file.
pub fn scan(path: &Path, shown: &Path, options: &DataOptions) -> Option<Scan> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => scan_csv(path, shown, options),
        Some("parquet") => scan_parquet(path, shown, options),
        _ => None,
    }
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
    let header = std::str::from_utf8(header).ok()?.trim_end_matches(['\n', '\r']);
    if header.contains(['"', '\r']) || !line.ends_with(b"\n") {
        return None;
    }
    // As the cell-by-cell reader: semicolons when the header has more of them than commas.
    let delimiter = if header.matches(';').count() > header.matches(',').count() { b';' } else { b',' };
    let headers: Vec<String> = header.split(delimiter as char).map(|h| h.trim().to_string()).collect();
    let mapping = checked_mapping(shown, options, Origin::Csv { fields: Vec::new() }, &headers, skip as u32 + 1)?;
    Some(CsvHeader { skip, start: consumed, delimiter, headers, mapping })
}

fn scan_csv(path: &Path, shown: &Path, options: &DataOptions) -> Option<Scan> {
    let path_str = path.to_str()?;
    let CsvHeader { skip, start: consumed, delimiter, headers, mapping } = csv_header(path, shown, options)?;
    let names: Vec<String> = (0..headers.len()).map(|i| format!("_c{i}")).collect();
    let schema: Schema = names.iter().map(|n| Field::new(n.into(), DataType::String)).collect();
    let rows = LazyCsvReader::new(PlRefPath::new(path_str))
        .with_glob(false)
        .with_has_header(true)
        .with_skip_lines(skip)
        .with_separator(delimiter)
        .with_schema(Some(Arc::new(schema)))
        .with_missing_is_null(true)
        .with_row_index(Some(RowIndex { name: "_row".into(), offset: skip as IdxSize + 2 }))
        .finish()
        .ok()?;
    let origin = Origin::Csv {
        fields: mapping.iter().filter_map(|(spec, i)| i.map(|i| (spec.name.to_string(), i as u32 + 1))).collect(),
    };
    let raw_cols: Vec<Expr> = names.iter().map(|n| col(n.as_str())).collect();
    let cell = |i: Option<usize>| i.map(|i| col(names[i].as_str()));
    let typed = typed(rows, &mapping, cell, &raw_cols, &headers, options.decimal, None);
    Some(Scan {
        rows: typed,
        origin,
        lines: Some(LineCheck { path: path.to_path_buf(), start: consumed, delimiter, fields: headers.len() }),
    })
}

fn scan_parquet(path: &Path, shown: &Path, options: &DataOptions) -> Option<Scan> {
    super::parquet_types::check(path, shown).ok()?;
    let args = ScanArgsParquet {
        glob: false,
        row_index: Some(RowIndex { name: "_row".into(), offset: 1 }),
        hive_options: HiveOptions { enabled: Some(false), ..HiveOptions::default() },
        ..ScanArgsParquet::default()
    };
    let mut rows = LazyFrame::scan_parquet(PlRefPath::new(path.to_str()?), args).ok()?;
    let schema = rows.collect_schema().ok()?;
    let headers: Vec<String> = schema.iter_names().skip(1).map(|n| n.to_string()).collect();
    let dtypes: Vec<DataType> = schema.iter_values().skip(1).cloned().collect();
    let mapping = checked_mapping(shown, options, Origin::Parquet, &headers, 0)?;
    // Text must be text: the cell-by-cell reader writes numbers in text columns its own way.
    for (spec, i) in &mapping {
        let Some(i) = *i else { continue };
        let ok = match spec.name {
            "value" => dtypes[i].is_primitive_numeric() || matches!(dtypes[i], DataType::String | DataType::Null),
            _ => matches!(dtypes[i], DataType::String | DataType::Null),
        };
        if !ok {
            return None;
        }
    }
    let raw_cols: Vec<Expr> = headers
        .iter()
        .zip(&dtypes)
        .map(|(h, t)| if *t == DataType::String { col(h.as_str()) } else { col(h.as_str()).is_null().not() })
        .collect();
    let cell = |i: Option<usize>| i.map(|i| col(headers[i].as_str()).cast(DataType::String));
    // Numbers stay numbers, as the cell-by-cell reader keeps them (float64 and integers only:
    // it reads other types through their text); not finite is an error (NaN marks it).
    let numeric_value = mapping.iter().find(|(s, _)| s.name == "value").and_then(|(_, i)| *i).and_then(|i| {
        dtypes[i].is_primitive_numeric().then(|| {
            let v = col(headers[i].as_str()).cast(DataType::Float64);
            when(v.clone().is_finite().not()).then(lit(f64::NAN)).otherwise(v)
        })
    });
    let float_or_int = |t: &DataType| t.is_integer() || *t == DataType::Float64;
    if mapping.iter().any(|(s, i)| {
        s.name == "value" && i.is_some_and(|i| dtypes[i].is_primitive_numeric() && !float_or_int(&dtypes[i]))
    }) {
        return None;
    }
    let typed = typed(rows, &mapping, cell, &raw_cols, &headers, options.decimal, numeric_value);
    Some(Scan { rows: typed, origin: Origin::Parquet, lines: None })
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

/// Typed columns from raw text cells. `cell(i)` is the text of header `i`; `raw_cols` every
/// column (text, or for parquet non-text columns "has a value"), for blank and unnamed checks;
/// `numeric_value`: the value column when it is already numeric (NaN for a bad value).
fn typed(
    rows: LazyFrame,
    mapping: &[(ColSpec, Option<usize>)],
    cell: impl Fn(Option<usize>) -> Option<Expr>,
    raw_cols: &[Expr],
    headers: &[String],
    decimal: Option<Decimal>,
    numeric_value: Option<Expr>,
) -> LazyFrame {
    let index = |name: &str| mapping.iter().find(|(s, _)| s.name == name).and_then(|(_, i)| *i);
    let text = |name: &str| match cell(index(name)) {
        Some(e) => e.map(|c| Ok(trimmed(c.str()?).into_column()), |_, f| Ok(f.clone())).alias(name),
        None => lit(NULL).cast(DataType::String).alias(name),
    };
    let period = match cell(index("period")) {
        Some(e) => e.map(
            |c| {
                let codes: Int32Chunked = c.str()?.iter().map(|p| p.and_then(parse_period).map(pack)).collect();
                Ok(codes.into_column())
            },
            |_, f| Ok(Field::new(f.name().clone(), DataType::Int32)),
        ),
        None => lit(NULL).cast(DataType::Int32),
    };
    let value = match (numeric_value, cell(index("value"))) {
        (Some(v), _) => v,
        (None, Some(e)) => e.map(
            move |c| {
                let values: Float64Chunked = c
                    .str()?
                    .iter()
                    .map(|v| match v.map(|v| parse_number_as(v, decimal)) {
                        None | Some(Ok(None)) => None,
                        Some(Ok(Some(v))) => Some(v),
                        Some(Err(_)) => Some(f64::NAN),
                    })
                    .collect();
                Ok(values.into_column())
            },
            |_, f| Ok(Field::new(f.name().clone(), DataType::Float64)),
        ),
        (None, None) => lit(NULL).cast(DataType::Float64),
    };
    // A row whose every cell is blank is skipped, as the cell-by-cell reader does.
    let blank = raw_cols[0]
        .clone()
        .map_many(
            |cols| {
                let mut out: Vec<bool> = match cols[0].dtype() {
                    DataType::String => cols[0].str()?.iter().map(|v| v.is_none_or(|s| s.trim().is_empty())).collect(),
                    _ => (0..cols[0].len()).map(|i| blank_cell(&cols[0], i)).collect(),
                };
                // Only rows whose first cell is blank need a look at the others.
                for (i, b) in out.iter_mut().enumerate() {
                    if *b {
                        *b = cols[1..].iter().all(|c| blank_cell(c, i));
                    }
                }
                Ok(BooleanChunked::from_slice("_blank".into(), &out).into_column())
            },
            &raw_cols[1..],
            |_, _| Ok(Field::new("_blank".into(), DataType::Boolean)),
        )
        .alias("_blank");
    let unnamed: Vec<Expr> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.is_empty())
        .map(|(i, _)| {
            raw_cols[i].clone().map(
                |c| {
                    let height = c.len();
                    Ok(BooleanChunked::from_iter_values("u".into(), (0..height).map(|r| !blank_cell(&c, r)))
                        .into_column())
                },
                |_, _| Ok(Field::new("u".into(), DataType::Boolean)),
            )
        })
        .collect();
    let unnamed_value = unnamed.into_iter().reduce(Expr::or).unwrap_or(lit(false));
    let code = |name: &str, f: fn(Period) -> i32| {
        col("_pcode")
            .map(move |c| Ok(c.i32()?.apply_values(|code| f(unpack(code))).into_column()), |_, f| Ok(f.clone()))
            .alias(name)
    };
    rows.select([
        text("indicator"),
        period.alias("_pcode"),
        value.alias("_value"),
        text("area"),
        text("source"),
        text("note"),
        col("_row"),
        blank,
        unnamed_value.alias("_unnamed"),
    ])
    .with_columns([
        col("_pcode")
            .map(
                |c| {
                    let s: StringChunked = c.i32()?.iter().map(|p| p.map(|p| unpack(p).to_string())).collect();
                    Ok(s.into_column())
                },
                |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
            )
            .alias("period"),
        when(col("_value").is_nan()).then(lit(NULL).cast(DataType::Float64)).otherwise(col("_value")).alias("value"),
        code("year", Period::year),
        code("month_from", |p| i32::from(*p.months().start())),
        code("month_to", |p| i32::from(*p.months().end())),
        col("_pcode")
            .map(
                |c| {
                    let s: StringChunked = c.i32()?.iter().map(|p| p.map(|p| unpack(p).kind())).collect();
                    Ok(s.into_column())
                },
                |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
            )
            .alias("period_kind"),
        code("period_end", Period::end_order),
        col("_blank")
            .not()
            .and(
                col("indicator")
                    .is_null()
                    .or(col("_pcode").is_null())
                    .or(col("_value").is_nan().fill_null(lit(false)))
                    .or(col("_unnamed")),
            )
            .alias("_bad"),
    ])
    .select([
        col("indicator"),
        col("period"),
        col("value"),
        col("area"),
        col("source"),
        col("note"),
        col("year"),
        col("month_from"),
        col("month_to"),
        col("period_kind"),
        col("period_end"),
        col("_row"),
        col("_pcode"),
        col("_bad"),
        col("_blank"),
    ])
}

/// Whether cell `row` of a raw column is blank (missing, or only spaces). Boolean columns
/// (parquet non-text) say whether there is a value.
fn blank_cell(c: &Column, row: usize) -> bool {
    match c.dtype() {
        DataType::String => c.str().ok().and_then(|s| s.get(row)).is_none_or(|s| s.trim().is_empty()),
        DataType::Boolean => !c.bool().ok().and_then(|s| s.get(row)).unwrap_or(false),
        _ => c.get(row).map_or(true, |v| v.is_null()),
    }
}

/// Trimmed text, empty as missing; returns the column itself when nothing needs changing.
fn trimmed(s: &StringChunked) -> StringChunked {
    let clean = |v: &str| !v.is_empty() && v.trim().len() == v.len();
    if s.iter().all(|v| v.is_none_or(clean)) {
        return s.clone();
    }
    s.iter().map(|v| v.map(str::trim).filter(|v| !v.is_empty())).collect::<StringChunked>().with_name(s.name().clone())
}

/// `Period::parse`, without allocating for the canonical forms.
pub fn parse_period(text: &str) -> Option<Period> {
    let t = text.trim();
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()].iter().all(u8::is_ascii_digit).then(|| b[r].iter().fold(0i32, |n, d| n * 10 + i32::from(d - b'0')))
    };
    let fast = match b.len() {
        4 => digits(0..4).filter(|y| YEARS.contains(y)).map(Period::Year),
        7 if b[4] == b'-' && (b[5] == b'Q' || b[5] == b'q') => match (digits(0..4), b[6]) {
            (Some(y), q @ b'1'..=b'4') if YEARS.contains(&y) => Some(Period::Quarter(y, q - b'0')),
            _ => None,
        },
        7 if b[4] == b'-' => match (digits(0..4), digits(5..7)) {
            (Some(y), Some(m @ 1..=12)) if YEARS.contains(&y) => Some(Period::Month(y, m as u8)),
            _ => None,
        },
        10 if b[4] == b'-' && b[7] == b'-' => match (digits(0..4), digits(5..7), digits(8..10)) {
            (Some(y), Some(m @ 1..=12), Some(d))
                if YEARS.contains(&y) && d >= 1 && d <= i32::from(days_in_month(y, m as u8)) =>
            {
                Some(Period::Day(y, m as u8, d as u8))
            }
            _ => None,
        },
        _ => None,
    };
    fast.or_else(|| Period::parse(t).ok())
}

impl LineCheck {
    /// Reads the data lines and returns how many there are, or `None` if one of them has more
    /// or fewer fields than the header (blank lines excepted), a quoted value spans lines, or
    /// a lone carriage return ends a line (the CSV reader would split the row there).
    fn run(self) -> Option<u64> {
        let mut file = std::fs::File::open(&self.path).ok()?;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(self.start)).ok()?;
        let mut buf = vec![0u8; 4 << 20];
        let (mut newlines, mut delimiters) = (0u64, 0u64);
        let mut last = b'\n';
        let mut plain = true;
        loop {
            let n = file.read(&mut buf).ok()?;
            if n == 0 {
                break;
            }
            let block = &buf[..n];
            let (nl, dl, special) = count(block, self.delimiter);
            newlines += nl;
            delimiters += dl;
            plain &= !special;
            last = block[n - 1];
            if !plain {
                break;
            }
        }
        let lines = newlines + u64::from(last != b'\n');
        if plain && delimiters == lines * (self.fields as u64 - 1) {
            return Some(lines);
        }
        self.exact()
    }

    /// Line by line, quote-aware: for files with quotes, carriage returns or blank lines.
    fn exact(&self) -> Option<u64> {
        let file = std::fs::File::open(&self.path).ok()?;
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        std::io::Seek::seek(&mut reader, std::io::SeekFrom::Start(self.start)).ok()?;
        let mut line = Vec::with_capacity(256);
        let mut lines = 0u64;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).ok()? == 0 {
                break;
            }
            lines += 1;
            let body = line.strip_suffix(b"\n").unwrap_or(&line);
            let body = body.strip_suffix(b"\r").unwrap_or(body);
            // Only plain RFC 4180 quoting: a quote opens a field, `""` inside it is a quote, a
            // quote closes it right before a delimiter or the line end. Anything else (a quote
            // inside an unquoted field, text after a closing quote) is read differently by
            // readers — the csv crate and polars split `"a "b"c,d"` into different fields, a
            // finding of the `table` fuzz target — so it is left to the cell-by-cell reader.
            #[derive(PartialEq)]
            enum At {
                FieldStart,
                Plain,
                Quoted,
                QuoteInQuoted,
            }
            let (mut at, mut fields) = (At::FieldStart, 1usize);
            for &b in body {
                at = match (at, b) {
                    (At::Quoted, b'"') => At::QuoteInQuoted,
                    (At::Quoted, _) => At::Quoted,
                    (At::QuoteInQuoted, b'"') => At::Quoted,
                    (At::FieldStart, b'"') => At::Quoted,
                    (At::Plain, b'"') | (_, b'\r') => return None,
                    (_, d) if d == self.delimiter => {
                        fields += 1;
                        At::FieldStart
                    }
                    (At::QuoteInQuoted, _) => return None,
                    (_, _) => At::Plain,
                };
            }
            if at == At::Quoted {
                return None;
            }
            let blank = fields == 1 && body.iter().all(|b| b.is_ascii_whitespace());
            if fields != self.fields && !blank {
                return None;
            }
        }
        Some(lines)
    }
}

/// Newlines and delimiters in `block`, and whether it holds a quote or a carriage return.
fn count(block: &[u8], delimiter: u8) -> (u64, u64, bool) {
    let (mut nl, mut dl, mut special) = (0u64, 0u64, 0u64);
    for chunk in block.chunks(1 << 16) {
        let (mut a, mut b, mut c) = (0u32, 0u32, 0u32);
        for &x in chunk {
            a += u32::from(x == b'\n');
            b += u32::from(x == delimiter);
            c += u32::from(x == b'"' || x == b'\r');
        }
        nl += u64::from(a);
        dl += u64::from(b);
        special += u64::from(c);
    }
    (nl, dl, special > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::table::read_table_streaming_from;

    /// Every period kind, decimal commas with grouping, areas, empty values and cells that need
    /// trimming, a blank line and CRLF endings.
    const CSV: &str = "Kode;Periode;Nilai;Wilayah;Sumber;Catatan\r\n\
        cctv;2023;1.234,5;;ilustrasi; catatan, dengan spasi \r\n\
        cctv;2023-Q2;0,25;Sirimau;;\r\n\
        cctv; 2023-q3 ;-12;Nusaniwe;;\r\n\
        \r\n\
        cctv;2023-06;;Sirimau;;tidak diukur\r\n\
        sampah;2024-02-29;7;  Teluk Ambon ;;\r\n\
        sampah;2023-12-31;1.000.000;;;\r\n\
        ;;;;;\r\n\
        sampah;2023-01;3,14159;;;\r\n";
    const SIDECAR: &str = "decimal: comma\ncolumns: {indicator: Kode, period: Periode, value: Nilai, area: Wilayah, source: Sumber, note: Catatan}\n";

    fn write(dir: &Path, name: &str, content: &[u8], sidecar: Option<&str>) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        if let Some(s) = sidecar {
            std::fs::write(dir.join(format!("{name}.yaml")), s).unwrap();
        }
        path
    }

    fn options(sidecar: Option<&str>) -> DataOptions {
        sidecar.map(|s| serde_saphyr::from_str(s).unwrap()).unwrap_or_default()
    }

    /// The fast path's rows, as the frame the cell-by-cell reader builds.
    fn fast_frame(path: &Path, options: &DataOptions) -> DataFrame {
        let scan = scan(path, Path::new("o"), options).expect("the fast path takes the file");
        scan.rows.filter(col("_blank").not()).drop(cols(["_pcode", "_bad", "_blank"])).collect().unwrap()
    }

    fn precise(path: &Path) -> Table {
        let mut diagnostics = Vec::new();
        let table = read_table_streaming_from(
            DataKind::Observations,
            path,
            Path::new("o"),
            &DataOptions::default(),
            u64::MAX,
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        table.unwrap()
    }

    #[test]
    fn fast_and_precise_paths_read_the_same_frame() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "o.csv", CSV.as_bytes(), Some(SIDECAR));
        let precise = precise(&path);
        assert_eq!(precise.frame.height(), 7);
        let fast = fast_frame(&path, &options(Some(SIDECAR)));
        assert!(fast.equals_missing(&precise.frame), "fast:\n{fast}\nprecise:\n{}", precise.frame);
        // And the one streaming pass gives the same summary, with no problem found.
        let streamed = read_observations(&path, Path::new("o"), &options(Some(SIDECAR))).expect("clean file");
        assert_eq!(streamed.summary, precise.summary);
        assert_eq!(streamed.rows, 7);
        let kinds: Vec<&str> = precise.frame.column("period_kind").unwrap().str().unwrap().iter().flatten().collect();
        for kind in ["year", "quarter", "month", "day"] {
            assert!(kinds.contains(&kind), "{kind}");
        }
    }

    #[test]
    fn parquet_fast_and_precise_paths_read_the_same_frame() {
        let dir = tempfile::tempdir().unwrap();
        let mut frame = df![
            "indicator" => ["a", "a", "a", "b", " b "],
            "period" => ["2023", "2023-Q4", "2023-11", "2023-02-28", "2022"],
            "value" => [Some(0.1 + 0.2), None, Some(1e-7), Some(-3.0), Some(123_456_789.123)],
            "area" => [None, Some("X"), Some("Y"), None, Some("")],
        ]
        .unwrap();
        let path = dir.path().join("o.parquet");
        ParquetWriter::new(std::fs::File::create(&path).unwrap()).finish(&mut frame).unwrap();
        let precise = precise(&path);
        let fast = fast_frame(&path, &DataOptions::default());
        assert!(fast.equals_missing(&precise.frame), "fast:\n{fast}\nprecise:\n{}", precise.frame);
        let streamed = read_observations(&path, Path::new("o"), &DataOptions::default()).expect("clean file");
        assert_eq!(streamed.summary, precise.summary);
    }

    #[test]
    fn anything_wrong_goes_to_the_precise_reader() {
        let dir = tempfile::tempdir().unwrap();
        let header = "indicator,period,value,area\n";
        for body in [
            "a,2023,1,\na,2023,2,\n",               // duplicate
            "a,2023-06-02,1,X\na,2023-06-02,2,X\n", // duplicate day
            "a,2023,1\n",                           // short row
            "a,2023,1,,\n",                         // long row
            "a,2023-13,1,\n",                       // bad period
            "a,2023,1 ton,\n",                      // bad number
            "a,2023,\"1,5\",\n",                    // comma in a number
            ",2023,1,\n",                           // no indicator
            "a,2023,1,\"X\nY\"\n",                  // quoted line break
            "a,2023,1,X\rb,2023,1,X\n",             // lone carriage return
            "a,2023,1,\"X \"Y\"Z,W\"\n",            // text after a closing quote (fuzz)
            "a,2023,1,X\"Y\n",                      // a quote inside an unquoted field
            "a,2023,NaN,\n",                        // not finite
        ] {
            let path = write(dir.path(), "o.csv", format!("{header}{body}").as_bytes(), None);
            assert!(read_observations(&path, Path::new("o"), &DataOptions::default()).is_none(), "{body:?}");
        }
        let path = write(dir.path(), "o.csv", format!("{header}a,2023,1,\n\"a\",2023-Q1,\"2\",X\n").as_bytes(), None);
        assert!(read_observations(&path, Path::new("o"), &DataOptions::default()).is_some());
    }

    /// Found by the `table` fuzz target's comparison: the fast path looked for NUL bytes in the
    /// file's first 4096 bytes, the precise reader in the first 4096 after the BOM.
    #[test]
    fn a_nul_just_past_4096_bytes_after_a_bom_is_binary_on_both_paths() {
        let dir = tempfile::tempdir().unwrap();
        for at in [4095, 4096, 4098, 4099] {
            let mut file = b"\xEF\xBB\xBFindicator,period,value,area,source,note\n".to_vec();
            // Distinct months from 1900-01: no duplicate, no year out of range.
            let mut month = 0;
            while file.len() + 40 < at {
                file.extend_from_slice(format!("a,{}-{:02},1,,,x\n", 1900 + month / 12, month % 12 + 1).as_bytes());
                month += 1;
            }
            file.extend_from_slice(format!("a,{}-{:02},1,,,", 1900 + month / 12, month % 12 + 1).as_bytes());
            file.resize(at, b'n');
            file.extend_from_slice(b"\0z\n");
            let path = write(dir.path(), "o.csv", &file, None);
            let mut diagnostics = Vec::new();
            let precise = read_table_streaming_from(
                DataKind::Observations,
                &path,
                Path::new("o"),
                &DataOptions::default(),
                u64::MAX,
                &mut diagnostics,
            );
            let binary = diagnostics.iter().any(|d| d.code == "binary-file");
            assert_eq!(binary, at < 4099, "NUL at {at}: {diagnostics:?}");
            assert_eq!(precise.is_some(), !binary, "NUL at {at}");
            let fast = read_observations(&path, Path::new("o"), &DataOptions::default());
            assert_eq!(fast.is_some(), !binary, "NUL at {at}: the fast path must agree");
        }
    }

    #[test]
    fn canonical_periods_parse_as_period_parse_does() {
        let mut cases: Vec<String> = Vec::new();
        for y in ["1899", "1900", "2023", "2024", "2100", "2101", "20a3"] {
            cases.push(y.to_string());
            for q in ["Q0", "Q1", "q4", "Q5", "QQ"] {
                cases.push(format!("{y}-{q}"));
            }
            for m in 0..=13 {
                cases.push(format!("{y}-{m:02}"));
                for d in [0, 1, 28, 29, 30, 31, 32] {
                    cases.push(format!("{y}-{m:02}-{d:02}"));
                }
            }
        }
        cases.extend(["", " 2023 ", "2023-+1", "2023-1", "2023/06", "2023-06-1", "x"].map(String::from));
        for c in &cases {
            assert_eq!(parse_period(c), Period::parse(c).ok(), "{c:?}");
        }
    }
}
