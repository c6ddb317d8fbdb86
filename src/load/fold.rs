//! Folding observation rows into per-(indicator, area, year, slot) figures as they come, the
//! one summariser of every reader: at 10 million rows building and grouping columns cost more
//! than parsing them, so the CSV reader ([`super::blocks`]) and the parquet reader
//! ([`super::row_groups`]) fold each row straight into a [`Fold`], one per block or row group,
//! and the rows of an xlsx frame are folded the same way (`table.rs`); the parts are
//! merged by [`summary::merge`].

use std::collections::HashMap;

use super::summary::{self, ExactSum};
use crate::period::Period;

/// Why a part cannot be folded row by row: the file goes to the cell-by-cell reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The CSV block has quotes: it is split again by csv-core.
    Quoted,
    /// Something no row can decide alone: a value whose reading the whole file decides
    /// (undeclared decimal mark), a quoted line break, invalid UTF-8, a lone carriage return,
    /// a column type the fold does not read. The cell-by-cell reader reads such a file.
    Reject,
}

/// One part's rows (a block of lines, a row group), folded: names interned, slots added.
pub struct Fold<'a> {
    indicators: Names<'a>,
    areas: Names<'a>,
    slots: Slots,
}

impl<'a> Fold<'a> {
    pub fn new() -> Self {
        let mut areas = Names::default();
        areas.id("");
        Fold { indicators: Names::default(), areas, slots: Slots::default() }
    }

    /// Adds row `row` (counted from 0 in the part). `indicator` and `area` are trimmed, the
    /// area `""` when there is none; `illustrative` says the row's source is `ilustrasi`.
    pub fn row(
        &mut self,
        row: u32,
        indicator: &'a str,
        period: Period,
        value: Option<f64>,
        area: &'a str,
        illustrative: bool,
    ) {
        let code = summary::pack(period);
        let area = self.areas.id(area);
        // One integer key per (indicator, area, year, slot). Ids are below 2^24 (a part has
        // fewer rows), years 1900–2100.
        let key = u64::from(self.indicators.id(indicator)) << 40
            | u64::from(area) << 16
            | (((code >> 9) - 1900) as u64) << 4
            | summary::slot(code) as u64;
        self.slots.add(key, row, code, period.end_order(), value, illustrative && value.is_some());
    }

    /// The part's groups and repeats, rows still counted as given.
    pub fn into_part(self) -> summary::Part {
        self.slots.into_part(&self.indicators.names, &self.areas.names)
    }
}

impl Default for Fold<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// Per-part interning of indicator and area names (id 0 is "no area").
#[derive(Default)]
struct Names<'a> {
    ids: HashMap<&'a str, u32, std::hash::BuildHasherDefault<summary::Fx>>,
    names: Vec<&'a str>,
    /// Per name: length and first and last eight bytes, which tell names of up to 16 bytes
    /// apart without comparing them byte by byte.
    short: Vec<(usize, u64, u64)>,
    last: Option<((usize, u64, u64), u32)>,
}

fn short_key(s: &str) -> (usize, u64, u64) {
    let b = s.as_bytes();
    let word = |part: &[u8]| {
        let mut w = [0u8; 8];
        w[..part.len()].copy_from_slice(part);
        u64::from_le_bytes(w)
    };
    let n = b.len();
    if n >= 8 {
        let load = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]));
        return (n, load(0), load(n - 8));
    }
    let w = word(b);
    (n, w, w)
}

impl<'a> Names<'a> {
    fn id(&mut self, name: &'a str) -> u32 {
        if name.len() <= 16 {
            let key = short_key(name);
            if let Some((last, id)) = self.last
                && last == key
            {
                return id;
            }
            if self.names.len() <= 32
                && let Some(id) = self.short.iter().position(|k| *k == key)
            {
                self.last = Some((key, id as u32));
                return id as u32;
            }
            let id = self.intern(name);
            self.last = Some((key, id));
            return id;
        }
        self.intern(name)
    }

    fn intern(&mut self, name: &'a str) -> u32 {
        let next = self.names.len() as u32;
        let id = *self.ids.entry(name).or_insert(next);
        if id == next {
            self.names.push(name);
            self.short.push(short_key(name));
        }
        id
    }
}

/// `str::trim`, skipping the work when the ends are plainly not spaces.
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&b)) if (0x21..0x7F).contains(&a) && (0x21..0x7F).contains(&b) => s,
        _ => s.trim(),
    }
}

/// What a part's rows of one (indicator, area, year, slot) add up to, folded as the rows come.
struct Slot {
    key: u64,
    rows: u64,
    first_row: u32,
    /// The periods met (one bit each), and the first row of each.
    seen: u32,
    first: [u32; 32],
    /// The period bits of the rows with a value.
    measured_bits: u64,
    measured: u32,
    sum: ExactSum,
    min: f64,
    max: f64,
    /// The latest value by (period end, row).
    last: f64,
    last_order: i64,
    measured_rows: (u32, u32),
    /// The largest |value| and its row (the first such): where an overflowing sum is shown.
    largest: (f64, u32),
    illustrative: bool,
}

#[derive(Default)]
struct Slots {
    index: HashMap<u64, usize, std::hash::BuildHasherDefault<summary::Fx>>,
    slots: Vec<Slot>,
    /// The slot of the previous row: files are mostly sorted, so it is often the same.
    previous: Option<(u64, usize)>,
    /// Rows whose period an earlier row of the part has: (slot key, bit, row).
    repeats: Vec<(u64, u8, u32)>,
}

impl Slots {
    fn add(&mut self, key: u64, row: u32, code: i32, period_end: i32, value: Option<f64>, illustrative: bool) {
        let at = match self.previous {
            Some((k, at)) if k == key => at,
            _ => {
                let slots = &mut self.slots;
                let at = *self.index.entry(key).or_insert_with(|| {
                    slots.push(Slot {
                        key,
                        rows: 0,
                        first_row: u32::MAX,
                        seen: 0,
                        first: [0; 32],
                        measured_bits: 0,
                        measured: 0,
                        sum: ExactSum::default(),
                        min: f64::INFINITY,
                        max: f64::NEG_INFINITY,
                        last: 0.0,
                        last_order: -1,
                        measured_rows: (u32::MAX, 0),
                        largest: (-1.0, 0),
                        illustrative: false,
                    });
                    slots.len() - 1
                });
                self.previous = Some((key, at));
                at
            }
        };
        let slot = &mut self.slots[at];
        let bit = summary::bit(code);
        slot.rows += 1;
        slot.first_row = slot.first_row.min(row);
        let b = (code & 31) as u32;
        if slot.seen & (1 << b) == 0 {
            slot.seen |= 1 << b;
            slot.first[b as usize] = row;
        } else {
            self.repeats.push((key, b as u8, row));
        }
        let Some(v) = value else { return };
        slot.measured += 1;
        slot.measured_bits |= bit;
        slot.sum.add(v);
        slot.min = slot.min.min(v);
        slot.max = slot.max.max(v);
        let order = summary::order(period_end, row);
        if order > slot.last_order {
            slot.last_order = order;
            slot.last = v;
        }
        slot.measured_rows = (slot.measured_rows.0.min(row), slot.measured_rows.1.max(row));
        if v.abs() > slot.largest.0 {
            slot.largest = (v.abs(), row);
        }
        slot.illustrative |= illustrative;
    }

    /// The slots folded into one group per (indicator, area, year), with their periods.
    fn into_part(self, indicators: &[&str], areas: &[&str]) -> summary::Part {
        let name = |names: &[&str], id: u64| names.get(id as usize).copied().unwrap_or("").to_string();
        let year = |key: u64| ((key >> 4) & 0xFFF) as i32 + 1900;
        let repeats = self
            .repeats
            .iter()
            .map(|&(key, bit, row)| summary::Repeat {
                indicator: name(indicators, key >> 40),
                year: year(key),
                area: name(areas, (key >> 16) & 0xFF_FFFF),
                slot: (key & 15) as u8,
                bit,
                row,
            })
            .collect();
        let mut index: HashMap<u64, usize, std::hash::BuildHasherDefault<summary::Fx>> = HashMap::default();
        let mut out: Vec<(summary::Group, Vec<summary::Seen>)> = Vec::new();
        for s in self.slots {
            let at = *index.entry(s.key >> 4).or_insert_with(|| {
                out.push((
                    summary::Group::empty(
                        name(indicators, s.key >> 40),
                        year(s.key),
                        name(areas, (s.key >> 16) & 0xFF_FFFF),
                    ),
                    Vec::new(),
                ));
                out.len() - 1
            });
            let slot = (s.key & 15) as usize;
            let (g, seen) = &mut out[at];
            seen.push(summary::Seen { slot: slot as u8, mask: s.seen, first: s.first });
            // The slot as a group of its own, added like a block's part of a group.
            let months = if s.measured > 0 { summary::months_of_slot(slot as i32, s.measured_bits) } else { 0 };
            g.absorb(&summary::Group {
                rows: s.rows as u32,
                first_row: s.first_row,
                measured: s.measured,
                sum: s.sum,
                min: s.min,
                max: s.max,
                last: s.last,
                last_at: ((s.last_order >> 32) as i32, (s.last_order & 0xFFFF_FFFF) as u32),
                measured_rows: s.measured_rows,
                largest: s.largest,
                months,
                illustrative: s.illustrative,
                ..summary::Group::empty(String::new(), 0, String::new())
            });
        }
        summary::Part { groups: out, repeats }
    }
}
