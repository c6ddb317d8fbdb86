//! CSV observation files read in line-aligned blocks and folded in parallel: the streaming
//! reader for CSV.
//!
//! polars' own CSV reader finds line ends with a byte-at-a-time loop on stable Rust (its SIMD
//! version needs nightly), one thread for the whole file: about 0.7 s for 500 MB here, before
//! any parsing. Blocks cut at a line end are handled independently instead: each worker splits
//! its block's lines into fields, parses them with the cell-by-cell reader's own functions
//! ([`parse_cell`], [`parse_number_as`], trimmed text) and folds each row into its (indicator,
//! area, year, slot) as it goes ([`super::fold`]), without building columns (at 10 million rows,
//! building and grouping them cost more than the parsing). Indicator and area ids are interned
//! per block; the groups of all blocks are merged in [`summary::merge`], which also matches
//! their periods (a duplicate split across two blocks is found with both lines).
//!
//! A block without quotes is split eight bytes at a time ([`Separators`]); a block with quotes
//! is split by csv-core, the parser under the csv crate that the cell-by-cell reader uses, so
//! both read a quoted field the same way. A block cut inside a quoted value cannot pass
//! unnoticed: its last record then holds a line break, which is refused (below), and since the
//! first block starts at a record, every block does.
//!
//! A row with a problem (a ragged row, a value in an unnamed column, a bad cell) is checked
//! by the cell-by-cell reader's rules ([`row_problems`]), noted with its line and left out;
//! the problems of the blocks are listed in file order, so they are the same whatever the
//! split. Invalid UTF-8, a value holding a line break, a carriage return inside a line, or a
//! value the file's undeclared decimal mark must decide return `None` (the cell-by-cell reader
//! takes the file). Memory stays at a few blocks in flight.
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::cells::{Problem, Problems, Rules, Where, dotted_thousands, ragged_row, row_problems};
use super::columns::ColSpec;
use super::csv_rows::CsvHeader;
use super::fold::{Fold, Stop, trim};
use super::number::{dot_grouped, parse_number_as};
use super::raw::{Cell, Origin};
use super::summary;
use crate::diagnostic::Diagnostic;
use crate::model::Decimal;
use crate::period::parse_cell;

/// Bytes per block: large enough to amortise the per-block cost, small enough to keep memory
/// flat. The unit tests use small blocks, so that their files span several.
pub(super) const BLOCK: usize = if cfg!(test) { 64 << 10 } else { 8 << 20 };

/// Where the contract's columns are in a line.
#[derive(Clone)]
struct Layout {
    fields: usize,
    delimiter: u8,
    /// `None`: undeclared; a value that reads two ways is left to the cell-by-cell reader.
    decimal: Option<Decimal>,
    /// A `;`-separated file read with the decimal point city.yaml declares for every file:
    /// values like `275.500` are noted ([`Dotted`]).
    dotted: bool,
    indicator: usize,
    period: usize,
    value: Option<usize>,
    area: Option<usize>,
    source: Option<usize>,
    /// Columns without a header: they must stay empty.
    unnamed: Vec<usize>,
    /// The contract's columns and where they are, for the diagnostics of a bad row.
    mapping: Vec<(ColSpec, Option<usize>)>,
}

/// A block read: its lines, its groups and its rows' problems (rows numbered from 0 in the block).
struct Block {
    lines: u32,
    part: summary::Part,
    problems: Problems,
    dotted: Dotted,
}

/// Values like `275.500` read with a decimal point (see `Layout::dotted`): the first, with
/// its row, and how many.
#[derive(Default)]
struct Dotted {
    first: Option<(u32, String)>,
    count: usize,
}

impl Dotted {
    /// Notes `field` if it is one.
    fn check(&mut self, row: u32, field: &str) {
        let t = trim(field);
        if dot_grouped(t) {
            self.count += 1;
            if self.first.is_none() {
                self.first = Some((row, t.to_string()));
            }
        }
    }
}

/// The file's summary and the diagnostics of its rows, located; `None` when the file needs a
/// decision the rows cannot make one by one (see [`Stop`]) and the cell-by-cell reader reads it.
/// `decimal_from_workspace`: the decimal mark was declared in city.yaml, not for this file.
pub fn summarise(
    path: &Path,
    shown: &Path,
    header: &CsvHeader,
    decimal: Option<Decimal>,
    decimal_from_workspace: bool,
) -> Option<(summary::Summary, Vec<Diagnostic>)> {
    let (Some(indicator), Some(period)) = (header.index("indicator"), header.index("period")) else {
        return None;
    };
    let layout = Layout {
        fields: header.headers.len(),
        delimiter: header.delimiter,
        decimal,
        dotted: decimal_from_workspace && decimal == Some(Decimal::Point) && header.delimiter == b';',
        indicator,
        period,
        value: header.index("value"),
        area: header.index("area"),
        source: header.index("source"),
        unnamed: (0..header.headers.len()).filter(|&i| header.headers[i].is_empty()).collect(),
        mapping: header.mapping.clone(),
    };
    #[cfg(test)]
    super::raw::passes::count();
    let mut file = std::fs::File::open(path).ok()?;
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(header.start)).ok()?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let (send, receive) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(workers);
    let (give_back, recycle) = std::sync::mpsc::channel::<Vec<u8>>();
    let receive = Arc::new(Mutex::new(receive));
    let stopped = Arc::new(AtomicBool::new(false));
    let parts: Arc<Mutex<Vec<(usize, Block)>>> = Arc::new(Mutex::new(Vec::new()));
    let read_ok = std::thread::scope(|scope| {
        let receive = receive;
        for _ in 0..workers {
            let (receive, stopped, parts, layout) =
                (Arc::clone(&receive), Arc::clone(&stopped), Arc::clone(&parts), layout.clone());
            let give_back = give_back.clone();
            scope.spawn(move || {
                loop {
                    let next = receive.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((index, block)) = next else { break };
                    if stopped.load(Ordering::Relaxed) {
                        continue;
                    }
                    // A panic here must not take the program down: the file is then read
                    // cell by cell.
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| summarise_block(&block, &layout)))
                            .unwrap_or(Err(Stop::Reject));
                    let _ = give_back.send(block);
                    match result {
                        Ok(read) => {
                            if let Ok(mut parts) = parts.lock() {
                                parts.push((index, read));
                            }
                        }
                        Err(_) => stopped.store(true, Ordering::Relaxed),
                    }
                }
            });
        }
        // Only the workers hold the receiver: if they all stop, sending fails instead of
        // blocking.
        drop(receive);
        drop(give_back);
        let ok = read_blocks(&mut file, &stopped, &recycle, |index, block| send.send((index, block)).is_ok());
        drop(send);
        ok
    });
    if !read_ok || stopped.load(Ordering::Relaxed) {
        return None;
    }
    let mut parts = std::mem::take(&mut *parts.lock().unwrap_or_else(|e| e.into_inner()));
    // Blocks finish in any order; they are merged, and their problems listed, in file order.
    parts.sort_by_key(|(index, _)| *index);
    // Rows in a block count from 0: shift each block by the lines before it.
    let mut first_line = header.skip as u32 + 2;
    let origin = Origin::csv(&header.mapping);
    let mut problems = Problems::default();
    let mut merged = Vec::with_capacity(parts.len());
    let (mut dotted_first, mut dotted_count) = (None, 0);
    for (_, block) in parts {
        problems.append(block.problems, first_line);
        merged.push((first_line, block.part));
        if dotted_first.is_none() {
            dotted_first = block.dotted.first.map(|(row, text)| (row + first_line, text));
        }
        dotted_count += block.dotted.count;
        first_line += block.lines;
    }
    let mut diagnostics = problems.into_diagnostics(shown, &origin);
    if let Some((line, text)) = dotted_first {
        let at = super::raw::locate(shown, &origin, line, Some("value"));
        diagnostics.push(dotted_thousands("value", &text, dotted_count, shown).at(at));
    }
    Some((summary::merge(merged), diagnostics))
}

/// Reads the file from its position in blocks that end at a line end, handing each to `send`;
/// false on a read error. Buffers that come back through `recycle` are used again.
fn read_blocks(
    file: &mut std::fs::File,
    stopped: &AtomicBool,
    recycle: &std::sync::mpsc::Receiver<Vec<u8>>,
    mut send: impl FnMut(usize, Vec<u8>) -> bool,
) -> bool {
    let mut carry: Vec<u8> = Vec::new();
    let mut index = 0;
    loop {
        if stopped.load(Ordering::Relaxed) {
            return true;
        }
        let mut block = recycle.try_recv().unwrap_or_default();
        block.clear();
        block.append(&mut carry);
        let filled = block.len();
        match (&mut *file).take(BLOCK as u64).read_to_end(&mut block) {
            Ok(_) => {}
            Err(_) => return false,
        }
        let at_end = block.len() < filled + BLOCK;
        if !at_end {
            // Cut after the last line end; the rest starts the next block.
            match block.iter().rposition(|&b| b == b'\n') {
                Some(i) => carry.extend_from_slice(&block[i + 1..]),
                None => {
                    // A single line longer than a block: keep reading it.
                    carry = block;
                    continue;
                }
            }
            let keep = block.len() - carry.len();
            block.truncate(keep);
        }
        if !block.is_empty() && !send(index, block) {
            return true;
        }
        index += 1;
        if at_end {
            return true;
        }
    }
}

/// Positions of delimiters and line ends in a block, in order (a block not ending in a line
/// end gets one at its length), eight bytes at a time; notes quotes and carriage returns met
/// on the way.
pub struct Separators<'a> {
    bytes: &'a [u8],
    /// Start of the next word to load.
    next: usize,
    /// Start of the word in `mask`.
    base: usize,
    /// One high bit per separator byte of the current word.
    mask: u64,
    delimiter: u64,
    /// A quote was seen (in a word already loaded).
    quote: bool,
    carriage_return: bool,
    done: bool,
}

const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// 0x80 in every byte of `v` that is zero, exactly.
fn zero_bytes(v: u64) -> u64 {
    !(((v & LOW7).wrapping_add(LOW7)) | v | LOW7)
}

fn splat(b: u8) -> u64 {
    u64::from(b) * 0x0101_0101_0101_0101
}

impl<'a> Separators<'a> {
    pub fn new(bytes: &'a [u8], delimiter: u8) -> Self {
        Separators {
            bytes,
            next: 0,
            base: 0,
            mask: 0,
            delimiter: splat(delimiter),
            quote: false,
            carriage_return: false,
            done: false,
        }
    }
}

impl Iterator for Separators<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            if self.next >= self.bytes.len() {
                if self.done || self.bytes.last() == Some(&b'\n') || self.bytes.is_empty() {
                    return None;
                }
                self.done = true;
                return Some(self.bytes.len());
            }
            let rest = &self.bytes[self.next..];
            let word = match rest.get(..8) {
                Some(w) => u64::from_le_bytes(w.try_into().unwrap_or([0; 8])),
                None => {
                    // The tail, padded with zero bytes (never a separator).
                    let mut w = [0u8; 8];
                    w[..rest.len()].copy_from_slice(rest);
                    u64::from_le_bytes(w)
                }
            };
            self.mask = zero_bytes(word ^ self.delimiter) | zero_bytes(word ^ splat(b'\n'));
            let special = zero_bytes(word ^ splat(b'"')) | zero_bytes(word ^ splat(b'\r'));
            if special != 0 {
                self.quote |= zero_bytes(word ^ splat(b'"')) != 0;
                self.carriage_return |= zero_bytes(word ^ splat(b'\r')) != 0;
            }
            self.base = self.next;
            self.next += 8;
        }
        let at = self.base + (self.mask.trailing_zeros() / 8) as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// One block's groups, folded row by row; the block's line count and its rows' problems with
/// them.
fn summarise_block(block: &[u8], layout: &Layout) -> Result<Block, Stop> {
    let text = std::str::from_utf8(block).map_err(|_| Stop::Reject)?;
    match summarise_plain(block, text, layout) {
        Err(Stop::Quoted) => summarise_quoted(block, layout),
        other => other,
    }
}

/// A block without quotes: a line is a row and a delimiter a field boundary.
fn summarise_plain<'a>(block: &[u8], text: &'a str, layout: &Layout) -> Result<Block, Stop> {
    let mut seps = Separators::new(block, layout.delimiter);
    let mut fold = Fold::new();
    let mut problems = Problems::default();
    let mut dotted = Dotted::default();
    let mut fields: Vec<&'a str> = Vec::with_capacity(layout.fields + 1);
    let mut lines = 0u32;
    let mut field_start = 0;
    loop {
        // One line: its fields up to the line end.
        fields.clear();
        let mut line_end = false;
        for at in seps.by_ref() {
            fields.push(&text[field_start..at]);
            field_start = at + 1;
            if at == block.len() || block[at] == b'\n' {
                line_end = true;
                break;
            }
        }
        if seps.quote {
            return Err(Stop::Quoted);
        }
        if !line_end {
            break;
        }
        lines += 1;
        if seps.carriage_return {
            if let Some(last) = fields.last_mut() {
                *last = last.strip_suffix('\r').unwrap_or(last);
            }
            if fields.iter().any(|f| f.contains('\r')) {
                return Err(Stop::Reject);
            }
        }
        fold_row(&fields, lines - 1, layout, &mut fold, &mut problems, &mut dotted)?;
    }
    Ok(Block { lines, part: fold.into_part(), problems, dotted })
}

/// A block with quotes, split into records by csv-core (RFC 4180 quoting, `""` for a quote).
/// Rows are numbered by the line their record starts on; a value holding a line break is left
/// to the cell-by-cell reader, so a record is always one line.
fn summarise_quoted(block: &[u8], layout: &Layout) -> Result<Block, Stop> {
    use csv_core::ReadRecordResult;
    // csv-core ends a record at a lone carriage return, an editor does not end the line there.
    if memchr::memchr_iter(b'\r', block).any(|i| block.get(i + 1) != Some(&b'\n')) {
        return Err(Stop::Reject);
    }
    let mut reader = csv_core::ReaderBuilder::new().delimiter(layout.delimiter).build();
    // Decoded fields are never longer than the record they come from.
    let mut out = vec![0u8; block.len()];
    let mut ends = vec![0usize; layout.fields + 1];
    // Decoded fields live in `out`, which the next record overwrites, while the fold keeps the
    // names it has seen: each record's fields are copied into the block's arena first.
    let mut arena = Arena::default();
    let (mut pos, mut line, mut counted) = (0usize, 0u32, 0usize);
    // The record being read: bytes written and fields ended so far. A call can end before the
    // record does (the block's last line has no line end, or the record has more fields than
    // `ends` holds); the next call continues it where it stopped (the field ends count from
    // the record's start), so a long ragged row is read whole and reported.
    let (mut written, mut ended, mut in_record) = (0usize, 0usize, false);
    loop {
        if !in_record {
            // The record starts after any line ends csv-core skips (blank lines).
            let start = pos + block[pos..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
            line += memchr::memchr_iter(b'\n', &block[counted..start]).count() as u32;
            counted = start;
            in_record = true;
        }
        let (Some(out_rest), Some(ends_rest)) = (out.get_mut(written..), ends.get_mut(ended..)) else {
            return Err(Stop::Reject);
        };
        // An empty input is the end of the file to csv-core: it ends a record still open.
        let (result, read, more, more_fields) = reader.read_record(&block[pos..], out_rest, ends_rest);
        pos += read;
        written += more;
        ended += more_fields;
        match result {
            ReadRecordResult::Record => {
                arena.add(&out[..written], &ends[..ended], line)?;
                (written, ended, in_record) = (0, 0, false);
            }
            ReadRecordResult::InputEmpty if pos < block.len() => return Err(Stop::Reject),
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::End => break,
            // Decoded fields are never longer than the block.
            ReadRecordResult::OutputFull => return Err(Stop::Reject),
        }
    }
    let lines = memchr::memchr_iter(b'\n', block).count() as u32 + u32::from(block.last().is_some_and(|&b| b != b'\n'));
    let mut fold = Fold::new();
    let mut problems = Problems::default();
    let mut dotted = Dotted::default();
    let mut fields: Vec<&str> = Vec::with_capacity(layout.fields + 1);
    for (row, spans) in &arena.records {
        fields.clear();
        fields.extend(arena.spans[spans.clone()].iter().map(|&(a, b)| &arena.text[a..b]));
        fold_row(&fields, *row, layout, &mut fold, &mut problems, &mut dotted)?;
    }
    Ok(Block { lines, part: fold.into_part(), problems, dotted })
}

/// The decoded records of a block: their text, each field's span in it, and per record its
/// row and its fields' spans.
#[derive(Default)]
struct Arena {
    text: String,
    spans: Vec<(usize, usize)>,
    records: Vec<(u32, std::ops::Range<usize>)>,
}

impl Arena {
    /// Adds one decoded record; a field holding a line break is refused.
    fn add(&mut self, out: &[u8], ends: &[usize], row: u32) -> Result<(), Stop> {
        let first = self.spans.len();
        let mut start = 0;
        for &end in ends {
            let field = std::str::from_utf8(&out[start..end]).map_err(|_| Stop::Reject)?;
            if field.contains(['\n', '\r']) {
                return Err(Stop::Reject);
            }
            self.spans.push((self.text.len(), self.text.len() + field.len()));
            self.text.push_str(field);
            start = end;
        }
        self.records.push((row, first..self.spans.len()));
        Ok(())
    }
}

/// Folds one row's fields (row counted from 0 in the block); blank rows are skipped, a row the
/// cell-by-cell reader would report on is left out and its problems noted, as that reader does.
fn fold_row<'a>(
    fields: &[&'a str],
    row: u32,
    layout: &Layout,
    fold: &mut Fold<'a>,
    problems: &mut Problems,
    dotted: &mut Dotted,
) -> Result<(), Stop> {
    if fields.len() != layout.fields {
        // A blank line is skipped (as the CSV reader does); anything else is ragged.
        if fields.len() == 1 && trim(fields[0]).is_empty() {
            return Ok(());
        }
        problems.push(Problem { row, at: Where::Row, diagnostic: ragged_row(fields.len(), layout.fields) });
        return Ok(());
    }
    let indicator = trim(fields[layout.indicator]);
    let period = parse_cell(fields[layout.period]);
    let value = match layout.value {
        Some(i) => {
            let value = parse_number_as(fields[i], layout.decimal);
            if layout.dotted && matches!(value, Ok(Some(_))) {
                dotted.check(row, fields[i]);
            }
            value
        }
        None => Ok(None),
    };
    match (indicator.is_empty(), period, value) {
        (false, Some(period), Ok(value)) if !layout.unnamed.iter().any(|&i| !trim(fields[i]).is_empty()) => {
            let area = layout.area.map_or("", |i| trim(fields[i]));
            let illustrative = layout.source.is_some_and(|i| trim(fields[i]) == "ilustrasi");
            fold.row(row, indicator, period, value, area, illustrative);
            Ok(())
        }
        // The slow way, for rows with a problem only: the cell-by-cell reader's own checks.
        _ => {
            let cells: Vec<Cell> = fields.iter().map(|f| Cell::trimmed(f)).collect();
            let rules = Rules { mapping: &layout.mapping, unnamed: &layout.unnamed, decimal: layout.decimal };
            row_problems(&cells, row, &rules, problems)
        }
    }
}
