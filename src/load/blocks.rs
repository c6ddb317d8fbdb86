//! Plain CSV observation files (no quotes), read in line-aligned blocks and summarised in
//! parallel: the fast path's way for the common case.
//!
//! polars' own CSV reader finds line ends with a byte-at-a-time loop on stable Rust (its SIMD
//! version needs nightly), one thread for the whole file: about 0.7 s for 500 MB here, before
//! any parsing. Without quotes a line is a row and a delimiter a field boundary, so blocks cut
//! at a line end can be handled independently: each worker splits its block's lines into
//! fields, parses them with the cell-by-cell reader's own functions ([`parse_period`],
//! [`parse_number`], trimmed text) and folds each row into its (indicator, area, year, slot)
//! as it goes ([`super::fold`]): the figures of the polars group-by of [`summary::summarise`]
//! (which the quoted-CSV and cell-by-cell paths run), without building columns for it — at 10 million rows, building
//! and grouping them cost more than the parsing. Indicator and area ids are interned per block;
//! the groups of all blocks are merged in [`summary::merge`], which also adds up their period
//! bits (a duplicate split across two blocks is still found).
//!
//! The reader is strict: a quote anywhere gives [`Outcome::Quoted`] (polars' reader takes the
//! file), and any row that would give a diagnostic, a row with more or fewer fields than the
//! header, invalid UTF-8 or a carriage return inside a line gives [`Outcome::Reject`] (the
//! cell-by-cell reader takes it and reports). Memory stays at a few blocks in flight.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::fast::{CsvHeader, parse_period};
use super::fold::{Fold, Stop, trim};
use super::number::parse_number_as;
use super::summary;
use crate::model::Decimal;

/// Bytes per block: large enough to amortise polars' per-query cost, small enough to keep
/// memory flat.
const BLOCK: usize = 8 << 20;

pub enum Outcome {
    /// Every row parsed: the file's groups, and whether two rows share a period.
    Clean(summary::Summary, bool),
    /// The file has quotes.
    Quoted,
    /// Something needs the cell-by-cell reader.
    Reject,
}

/// Where the contract's columns are in a line.
#[derive(Clone)]
struct Layout {
    fields: usize,
    delimiter: u8,
    /// `None`: undeclared; a value that reads two ways is left to the cell-by-cell reader.
    decimal: Option<Decimal>,
    indicator: usize,
    period: usize,
    value: Option<usize>,
    area: Option<usize>,
    source: Option<usize>,
    /// Columns without a header: they must stay empty.
    unnamed: Vec<usize>,
}

/// A block's result: its index, its lines, and its groups (rows numbered from 0 in the block).
type Part = (usize, u32, Vec<(summary::Group, summary::SlotBits)>);

pub fn summarise(path: &Path, header: &CsvHeader, decimal: Option<Decimal>) -> Outcome {
    let (Some(indicator), Some(period)) = (header.index("indicator"), header.index("period")) else {
        return Outcome::Reject;
    };
    let layout = Layout {
        fields: header.headers.len(),
        delimiter: header.delimiter,
        decimal,
        indicator,
        period,
        value: header.index("value"),
        area: header.index("area"),
        source: header.index("source"),
        unnamed: (0..header.headers.len()).filter(|&i| header.headers[i].is_empty()).collect(),
    };
    let Ok(mut file) = std::fs::File::open(path) else { return Outcome::Reject };
    if std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(header.start)).is_err() {
        return Outcome::Reject;
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let (send, receive) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(workers);
    let (give_back, recycle) = std::sync::mpsc::channel::<Vec<u8>>();
    let receive = Arc::new(Mutex::new(receive));
    let stop: Arc<Mutex<Option<Stop>>> = Arc::new(Mutex::new(None));
    let stopped = Arc::new(AtomicBool::new(false));
    let parts: Arc<Mutex<Vec<Part>>> = Arc::new(Mutex::new(Vec::new()));
    let read_ok = std::thread::scope(|scope| {
        let receive = receive;
        for _ in 0..workers {
            let (receive, stop, stopped, parts, layout) =
                (Arc::clone(&receive), Arc::clone(&stop), Arc::clone(&stopped), Arc::clone(&parts), layout.clone());
            let give_back = give_back.clone();
            scope.spawn(move || {
                loop {
                    let next = receive.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((index, block)) = next else { break };
                    if stopped.load(Ordering::Relaxed) {
                        continue;
                    }
                    // A panic in polars or here must not take the program down: the file
                    // is then read cell by cell.
                    let result =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| summarise_block(&block, &layout)))
                            .unwrap_or(Err(Stop::Reject));
                    let _ = give_back.send(block);
                    match result {
                        Ok((lines, slots)) => {
                            if let Ok(mut parts) = parts.lock() {
                                parts.push((index, lines, slots));
                            }
                        }
                        Err(why) => {
                            stopped.store(true, Ordering::Relaxed);
                            if let Ok(mut stop) = stop.lock() {
                                // A quote anywhere decides: the whole file goes to polars.
                                if stop.is_none() || matches!(why, Stop::Quoted) {
                                    *stop = Some(why);
                                }
                            }
                        }
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
    if let Some(why) = stop.lock().ok().and_then(|mut s| s.take()) {
        return match why {
            Stop::Quoted => Outcome::Quoted,
            Stop::Reject => Outcome::Reject,
        };
    }
    if !read_ok {
        return Outcome::Reject;
    }
    let mut parts = std::mem::take(&mut *parts.lock().unwrap_or_else(|e| e.into_inner()));
    parts.sort_by_key(|(index, _, _)| *index);
    // Rows in a block count from 0: shift each block by the lines before it.
    let mut first_line = header.skip as u32 + 2;
    let parts = parts
        .into_iter()
        .map(|(_, lines, groups)| {
            let offset = first_line;
            first_line += lines;
            (offset, groups)
        })
        .collect();
    let (summary, duplicates) = summary::merge(parts);
    Outcome::Clean(summary, duplicates)
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

/// One block's groups, folded row by row; the block's line count with them.
fn summarise_block(block: &[u8], layout: &Layout) -> Result<(u32, Vec<(summary::Group, summary::SlotBits)>), Stop> {
    let text = std::str::from_utf8(block).map_err(|_| Stop::Reject)?;
    let mut seps = Separators::new(block, layout.delimiter);
    let mut fold = Fold::new();
    let mut fields: Vec<&str> = Vec::with_capacity(layout.fields + 1);
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
        if !line_end {
            if seps.quote {
                return Err(Stop::Quoted);
            }
            break;
        }
        lines += 1;
        if seps.quote {
            return Err(Stop::Quoted);
        }
        if seps.carriage_return {
            if let Some(last) = fields.last_mut() {
                *last = last.strip_suffix('\r').unwrap_or(last);
            }
            if fields.iter().any(|f| f.contains('\r')) {
                return Err(Stop::Reject);
            }
        }
        if fields.len() != layout.fields {
            // A blank line is skipped (as the CSV reader does); anything else is ragged.
            if fields.len() == 1 && trim(fields[0]).is_empty() {
                continue;
            }
            return Err(Stop::Reject);
        }
        let indicator = trim(fields[layout.indicator]);
        if indicator.is_empty() {
            if fields.iter().all(|f| trim(f).is_empty()) {
                continue;
            }
            return Err(Stop::Reject);
        }
        if layout.unnamed.iter().any(|&i| !trim(fields[i]).is_empty()) {
            return Err(Stop::Reject);
        }
        let period = parse_period(fields[layout.period]).ok_or(Stop::Reject)?;
        let value = match layout.value {
            Some(i) => parse_number_as(fields[i], layout.decimal).map_err(|_| Stop::Reject)?,
            None => None,
        };
        let area = layout.area.map_or("", |i| trim(fields[i]));
        let illustrative = layout.source.is_some_and(|i| trim(fields[i]) == "ilustrasi");
        fold.row(lines - 1, indicator, period, value, area, illustrative);
    }
    Ok((lines, fold.into_groups()))
}
