//! An observation file summarised per indicator, year and area: everything validation
//! (unknown ids, indicators without data, duplicate rows) and aggregation (sum, mean, last,
//! max, min, months with data, provenance) need, whichever format the file has.
//!
//! Every reader folds its rows into per-(indicator, area, year, slot) figures as they come
//! (`fold.rs`), one part per block, row group or frame; [`merge`] adds the parts up in
//! file order. A slot is a month's days or, for coarser periods, slot 12; each row sets one
//! bit of its slot (day of the month, or month, quarter, year), and a part keeps the first row
//! of each bit, so a repeated period is reported with both rows' places wherever they are.
//!
//! Sums are exact ([`ExactSum`]): added with Shewchuk's algorithm, the result is the correctly
//! rounded sum whatever the order of the rows or the split into parts.

use std::collections::HashMap;

use crate::period::Period;

/// Slot of periods coarser than a day (bits: months 0–11, quarters 12–15, year 16).
const COARSE: i32 = 12;

/// Packs a period into an `i32`: `year << 9 | slot << 5 | bit`.
pub fn pack(p: Period) -> i32 {
    let (year, slot, bit) = match p {
        Period::Day(y, m, d) => (y, i32::from(m) - 1, i32::from(d) - 1),
        Period::Month(y, m) => (y, COARSE, i32::from(m) - 1),
        Period::Quarter(y, q) => (y, COARSE, 11 + i32::from(q)),
        Period::Year(y) => (y, COARSE, 16),
    };
    year << 9 | slot << 5 | bit
}

/// The period of a code made by [`pack`].
pub fn unpack(code: i32) -> Period {
    let (year, slot, bit) = (code >> 9, (code >> 5) & 15, code & 31);
    match (slot, bit) {
        (0..=11, d) => Period::Day(year, slot as u8 + 1, d as u8 + 1),
        (_, 0..=11) => Period::Month(year, bit as u8 + 1),
        (_, 12..=15) => Period::Quarter(year, bit as u8 - 11),
        _ => Period::Year(year),
    }
}

/// Months (bit m-1 for month m) that a period code of the coarse slot covers.
fn coarse_months(bit: u32) -> u16 {
    match bit {
        0..=11 => 1 << bit,
        12..=15 => 0b111 << ((bit - 12) * 3),
        _ => 0x0FFF,
    }
}

/// FxHash (as rustc's): for short, trusted keys, where SipHash would dominate lookups.
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Exactly rounded floating-point sum (Shewchuk's algorithm, as Python's `math.fsum`): the
/// partials represent the sum without error, so the result does not depend on the order in
/// which values are added or accumulators merged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExactSum {
    partials: Vec<f64>,
    /// The plain sum, used only if the exact one overflows.
    plain: f64,
}

impl ExactSum {
    pub fn add(&mut self, value: f64) {
        self.plain += value;
        let mut x = value;
        let mut i = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        self.partials.truncate(i);
        self.partials.push(x);
    }

    pub fn merge(&mut self, other: &ExactSum) {
        let plain = self.plain + other.plain;
        for &p in &other.partials {
            self.add(p);
        }
        self.plain = plain;
    }

    pub fn value(&self) -> f64 {
        let p = &self.partials;
        let Some(&top) = p.last() else { return 0.0 };
        if p.iter().any(|v| !v.is_finite()) {
            return self.plain;
        }
        let mut n = p.len() - 1;
        let (mut hi, mut lo) = (top, 0.0);
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            lo = y - (hi - x);
            if lo != 0.0 {
                break;
            }
        }
        // Half-even rounding across partials.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        if hi.is_finite() { hi } else { self.plain }
    }
}

/// One indicator, year and area of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub indicator: String,
    pub year: i32,
    /// Empty when the rows name no area.
    pub area: String,
    /// Rows, with a value or not.
    pub rows: u32,
    /// The group's first row (`_row`).
    pub first_row: u32,
    /// Rows with a value (the others were not measured).
    pub measured: u32,
    pub sum: ExactSum,
    pub min: f64,
    pub max: f64,
    /// The latest value: the one with the latest period end, then the highest row.
    pub last: f64,
    /// Period end (MMDD) and row of `last`.
    pub last_at: (i32, u32),
    /// First and last rows with a value.
    pub measured_rows: (u32, u32),
    /// The largest |value| and its row (the earliest of equals; -1 without a value): an
    /// overflowing sum is shown there.
    pub largest: (f64, u32),
    /// Bit m-1 set when month m has a value.
    pub months: u16,
    /// A value is marked `source: ilustrasi`.
    pub illustrative: bool,
}

/// The summary of one observation file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub groups: Vec<Group>,
    /// Repeated rows, in file order (validation reports them).
    pub duplicates: Vec<Duplicate>,
}

/// The slot of a packed period.
pub fn slot(code: i32) -> i32 {
    (code >> 5) & 15
}

/// The period's bit in its slot.
pub fn bit(code: i32) -> u64 {
    1u64 << (code & 31)
}

/// Orders observations for `last`: by period end (MMDD), then row. `None` when not measured.
pub fn order(period_end: i32, row: u32) -> i64 {
    i64::from(period_end) << 32 | i64::from(row)
}

/// One slot of a group in one part: which of its periods have a row, and the first row of
/// each, so that a repeat in a later part is reported against it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub slot: u8,
    pub mask: u32,
    /// Per bit set in `mask`: the first row with that period.
    pub first: [u32; 32],
}

/// A row of a part whose (indicator, area, period) an earlier row of the same part has.
#[derive(Debug, Clone)]
pub struct Repeat {
    pub indicator: String,
    pub year: i32,
    pub area: String,
    pub slot: u8,
    pub bit: u8,
    pub row: u32,
}

/// A part (block, row group, frame) folded: its groups with their slots, and its repeats;
/// rows counted from the part's start.
#[derive(Default)]
pub struct Part {
    pub groups: Vec<(Group, Vec<Seen>)>,
    pub repeats: Vec<Repeat>,
}

/// Two rows of one file with the same indicator, period and area.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    pub indicator: String,
    pub period: Period,
    /// Empty when the rows name no area.
    pub area: String,
    pub row: u32,
    /// The first row with this indicator, period and area.
    pub earlier: u32,
}

fn bits(mask: u32) -> impl Iterator<Item = usize> {
    (0..32).filter(move |b| mask & (1 << b) != 0)
}

/// Merges the parts of a file (blocks, row groups: in file order), shifting each part's rows
/// by its offset. Every repeated (indicator, area, period) is reported against its first row,
/// whichever parts the two rows are in.
pub fn merge(parts: Vec<(u32, Part)>) -> Summary {
    let mut index: HashMap<(String, i32, String), usize, std::hash::BuildHasherDefault<Fx>> = HashMap::default();
    let mut out: Vec<(Group, Vec<Seen>)> = Vec::new();
    let mut duplicates = Vec::new();
    for (offset, part) in parts {
        for (mut g, mut seen) in part.groups {
            g.shift(offset);
            for s in &mut seen {
                bits(s.mask).for_each(|b| s.first[b] += offset);
            }
            match index.entry((g.indicator.clone(), g.year, g.area.clone())) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(out.len());
                    out.push((g, seen));
                }
                std::collections::hash_map::Entry::Occupied(o) => {
                    let (into, into_seen) = &mut out[*o.get()];
                    for s in seen {
                        let Some(m) = into_seen.iter_mut().find(|m| m.slot == s.slot) else {
                            into_seen.push(s);
                            continue;
                        };
                        for b in bits(s.mask & m.mask) {
                            duplicates.push(duplicate(&g, s.slot, b, s.first[b], m.first[b]));
                        }
                        for b in bits(s.mask & !m.mask) {
                            m.first[b] = s.first[b];
                        }
                        m.mask |= s.mask;
                    }
                    into.absorb(&g);
                }
            }
        }
        // After the part's own slots are merged, the first row of each period is known.
        for r in part.repeats {
            let Some(&at) = index.get(&(r.indicator.clone(), r.year, r.area.clone())) else { continue };
            let (g, seen) = &out[at];
            let Some(s) = seen.iter().find(|s| s.slot == r.slot) else { continue };
            duplicates.push(duplicate(g, r.slot, usize::from(r.bit), r.row + offset, s.first[usize::from(r.bit)]));
        }
    }
    duplicates.sort_by_key(|d: &Duplicate| (d.row, d.earlier));
    let mut groups: Vec<Group> = out.into_iter().map(|(g, _)| g).collect();
    groups.sort_by(|a, b| (&a.indicator, a.year, &a.area).cmp(&(&b.indicator, b.year, &b.area)));
    Summary { groups, duplicates }
}

fn duplicate(g: &Group, slot: u8, bit: usize, row: u32, earlier: u32) -> Duplicate {
    Duplicate {
        indicator: g.indicator.clone(),
        period: unpack(g.year << 9 | i32::from(slot) << 5 | bit as i32),
        area: g.area.clone(),
        row,
        earlier,
    }
}

/// Months (bit m-1 for month m) with a value in a slot, from the bits of its measured rows.
pub fn months_of_slot(slot: i32, measured_bits: u64) -> u16 {
    if slot < COARSE {
        1 << slot
    } else {
        (0..17).filter(|b| measured_bits & (1 << b) != 0).fold(0, |m, b| m | coarse_months(b))
    }
}

impl Group {
    /// A group without rows yet.
    pub fn empty(indicator: String, year: i32, area: String) -> Group {
        Group {
            indicator,
            year,
            area,
            rows: 0,
            first_row: u32::MAX,
            measured: 0,
            sum: ExactSum::default(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            last: 0.0,
            last_at: (-1, 0),
            measured_rows: (u32::MAX, 0),
            largest: (-1.0, 0),
            months: 0,
            illustrative: false,
        }
    }

    fn shift(&mut self, offset: u32) {
        if offset == 0 {
            return;
        }
        self.first_row = self.first_row.saturating_add(offset);
        if self.measured > 0 {
            self.last_at.1 += offset;
            self.measured_rows = (self.measured_rows.0 + offset, self.measured_rows.1 + offset);
            self.largest.1 += offset;
        }
    }

    /// Adds another part of the same indicator, year and area.
    pub fn absorb(&mut self, other: &Group) {
        self.rows += other.rows;
        self.first_row = self.first_row.min(other.first_row);
        if other.measured == 0 {
            return;
        }
        self.measured += other.measured;
        self.sum.merge(&other.sum);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        if other.last_at > self.last_at {
            self.last_at = other.last_at;
            self.last = other.last;
        }
        self.measured_rows.0 = self.measured_rows.0.min(other.measured_rows.0);
        self.measured_rows.1 = self.measured_rows.1.max(other.measured_rows.1);
        // Parts come in file order: on a tie the earlier row stays.
        if other.largest.0 > self.largest.0 || (other.largest.0 == self.largest.0 && other.largest.1 < self.largest.1) {
            self.largest = other.largest;
        }
        self.months |= other.months;
        self.illustrative |= other.illustrative;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_round_trips_every_kind() {
        for p in [
            Period::Year(2023),
            Period::Quarter(2023, 1),
            Period::Quarter(1900, 4),
            Period::Month(2100, 12),
            Period::Month(2023, 1),
            Period::Day(2024, 2, 29),
            Period::Day(2023, 12, 31),
            Period::Day(2023, 1, 1),
        ] {
            assert_eq!(unpack(pack(p)), p);
        }
    }

    /// The largest |value| and its row do not depend on how the rows were split into parts:
    /// the largest wins, the earliest row among equals.
    #[test]
    fn the_largest_value_is_found_whatever_the_parts() {
        let part =
            |largest: (f64, u32)| Group { measured: 1, largest, ..Group::empty("a".into(), 2023, String::new()) };
        let parts = [part((5.0, 2)), part((1e308, 9)), part((1e308, 4)), part((-1.0, 0)), part((3.0, 1))];
        for order in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3]] {
            let mut g = Group::empty("a".into(), 2023, String::new());
            order.iter().for_each(|&i| g.absorb(&parts[i]));
            assert_eq!(g.largest, (1e308, 4), "{order:?}");
        }
    }

    #[test]
    fn exact_sum_is_order_independent() {
        let values = [0.1, 1e16, 0.2, -1e16, 0.3, 131.4, 62.5, 1e-9];
        let mut forward = ExactSum::default();
        values.iter().for_each(|v| forward.add(*v));
        let mut backward = ExactSum::default();
        values.iter().rev().for_each(|v| backward.add(*v));
        assert_eq!(forward.value(), backward.value());
        // As Python's math.fsum (a plain left-to-right sum gives 194.200000001).
        assert_eq!(forward.value(), 194.50000000100002);
        let (mut a, mut b) = (ExactSum::default(), ExactSum::default());
        values[..3].iter().for_each(|v| a.add(*v));
        values[3..].iter().for_each(|v| b.add(*v));
        a.merge(&b);
        assert_eq!(a.value(), forward.value());
        assert_eq!(ExactSum::default().value(), 0.0);
    }
}
