//! An observation file summarised per indicator, year and area: everything validation
//! (unknown ids, indicators without data) and aggregation (sum, mean, last, max, min, months
//! with data, provenance) need, whichever way the file was read.
//!
//! The summary is made in two steps. [`summarise`] is one polars group-by over the typed rows
//! by (indicator, year, area, slot), where a slot is a month's days or, for coarser periods,
//! slot 12; it runs on the streaming engine over a scanned file (one pass, nothing but the
//! groups kept) or over a frame that was read cell by cell. Each row sets one bit of its slot
//! (day of the month, or month, quarter, year), and the bits are added up: the sum has as many
//! bits set as the group has rows exactly when no two rows share a period, so the same group-by
//! proves there are no duplicate rows. [`groups`] then folds the slots into one [`Group`] per
//! (indicator, year, area).
//!
//! Sums are exact ([`ExactSum`]): the values are collected per slot and added with Shewchuk's
//! algorithm, so the result is the correctly rounded sum whatever the order the streaming
//! engine met the rows in, and the same for both ways of reading a file.

use std::collections::HashMap;

use polars::prelude::*;

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
    /// Bit m-1 set when month m has a value.
    pub months: u16,
    /// A value is marked `source: ilustrasi`.
    pub illustrative: bool,
}

/// The summary of one observation file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub groups: Vec<Group>,
}

/// Adds `_pcode` (see [`pack`]) to typed rows that have a normalised `period`.
pub fn with_period_code(rows: LazyFrame) -> LazyFrame {
    rows.with_column(
        col("period")
            .map(
                |c| {
                    let codes: Int32Chunked =
                        c.str()?.iter().map(|p| p.and_then(|p| Period::parse(p).ok()).map(pack)).collect();
                    Ok(codes.with_name(c.name().clone()).into_column())
                },
                |_, f| Ok(Field::new(f.name().clone(), DataType::Int32)),
            )
            .alias("_pcode"),
    )
}

fn map_code<T: PolarsNumericType>(name: &str, f: fn(i32) -> T::Native) -> Expr
where
    ChunkedArray<T>: IntoColumn,
{
    col("_pcode")
        .map(
            move |c| Ok(c.i32()?.iter().map(|v| v.map(f)).collect::<ChunkedArray<T>>().into_column()),
            |_, field| Ok(Field::new(field.name().clone(), T::get_static_dtype())),
        )
        .alias(name)
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

/// Typed rows as read (text `area` and `source`, `period_end`, `_pcode`) → the input of
/// [`summarise`].
pub fn keyed(rows: LazyFrame) -> LazyFrame {
    let measured = col("value").is_not_null();
    rows.with_columns([
        col("area").fill_null(lit("")),
        map_code::<Int32Type>("_slot", slot),
        map_code::<UInt64Type>("_bit", bit),
        when(measured.clone())
            .then(col("period_end").cast(DataType::Int64) * lit(1i64 << 32) + col("_row").cast(DataType::Int64))
            .otherwise(lit(NULL).cast(DataType::Int64))
            .alias("_order"),
    ])
    .with_columns([
        when(measured.clone()).then(col("_bit")).otherwise(lit(0u64)).alias("_mbit"),
        when(measured.clone()).then(col("_row")).otherwise(lit(NULL)).alias("_mrow"),
        col("source").eq(lit("ilustrasi")).fill_null(lit(false)).and(measured).alias("_mill"),
    ])
}

/// Step one: typed rows → one row per `keys` (indicator, year, area, slot; or one column
/// packing them). The rows need `value`, `_row`, `_bit` ([`bit`]); and for the rows with a
/// value (null or 0 otherwise): `_order` ([`order`]), `_mbit` (`_bit`), `_mrow` (`_row`),
/// `_mill` (marked `source: ilustrasi`); and `_bad` (the row would give a diagnostic).
pub fn summarise(rows: LazyFrame, keys: Vec<Expr>) -> LazyFrame {
    let mut aggregates = vec![
        len().alias("rows"),
        col("_row").min().alias("first_row"),
        col("_bit").sum().alias("bits"),
        col("_mbit").sum().alias("measured_bits"),
        // Count, sum, min and max are taken from the values (see `groups_with_slots`).
        col("value").implode(false).alias("values"),
        col("value").max_by(col("_order")).alias("last"),
        col("_order").max().alias("last_order"),
        col("_mrow").min().alias("first_measured"),
        col("_mrow").max().alias("last_measured"),
        col("_mill").any(true).alias("illustrative"),
    ];
    if rows.clone().collect_schema().is_ok_and(|s| s.contains("_bad")) {
        aggregates.push(col("_bad").any(true).alias("bad"));
    }
    rows.group_by(keys).agg(aggregates)
}

/// The keys of [`summarise`] for rows with text (or id) columns.
pub fn key_columns() -> Vec<Expr> {
    vec![col("indicator"), col("year"), col("area"), col("_slot")]
}

/// Whether step one met a row that would give a diagnostic.
pub fn any_bad(slots: &DataFrame) -> PolarsResult<bool> {
    Ok(slots.column("bad")?.bool()?.any())
}

/// Step two: slots → one [`Group`] per (indicator, year, area), sorted; and whether two rows
/// share an indicator, period and area. A slot may come in several parts (blocks of a file
/// summarised apart): their bit sums add up all the same.
pub fn groups(slots: &DataFrame) -> PolarsResult<(Summary, bool)> {
    Ok(merge(vec![(0, groups_with_slots(slots)?)]))
}

/// Per slot of a group: rows and the sum of their period bits.
pub type SlotBits = [(u64, u64); 13];

/// Merges the groups of several parts of a file (blocks), shifting each part's rows by its
/// offset; and tells whether two rows share an indicator, period and area.
pub fn merge(parts: Vec<(u32, Vec<(Group, SlotBits)>)>) -> (Summary, bool) {
    let mut index: HashMap<(String, i32, String), usize, std::hash::BuildHasherDefault<Fx>> = HashMap::default();
    let mut out: Vec<(Group, SlotBits)> = Vec::new();
    for (offset, groups) in parts {
        for (mut g, bits) in groups {
            g.shift(offset);
            match index.entry((g.indicator.clone(), g.year, g.area.clone())) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(out.len());
                    out.push((g, bits));
                }
                std::collections::hash_map::Entry::Occupied(o) => {
                    let (into, into_bits) = &mut out[*o.get()];
                    into.absorb(&g);
                    for (a, b) in into_bits.iter_mut().zip(bits) {
                        a.0 += b.0;
                        a.1 += b.1;
                    }
                }
            }
        }
    }
    let duplicates = out.iter().flat_map(|(_, b)| b).any(|&(rows, bits)| u64::from(bits.count_ones()) != rows);
    let mut groups: Vec<Group> = out.into_iter().map(|(g, _)| g).collect();
    groups.sort_by(|a, b| (&a.indicator, a.year, &a.area).cmp(&(&b.indicator, b.year, &b.area)));
    (Summary { groups }, duplicates)
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
        self.months |= other.months;
        self.illustrative |= other.illustrative;
    }
}

/// Step two for one part: slots → groups, with their slots' row counts and bit sums.
pub fn groups_with_slots(slots: &DataFrame) -> PolarsResult<Vec<(Group, SlotBits)>> {
    let mut slots = slots.clone();
    slots.rechunk_mut();
    let s = |name: &str| slots.column(name);
    // Plain vectors: indexing them is cheaper than `ChunkedArray::get`.
    let opt_u32 = |name: &str| -> PolarsResult<Vec<Option<u32>>> { Ok(s(name)?.u32()?.iter().collect()) };
    let counts =
        |name: &str| -> PolarsResult<Vec<u32>> { Ok(s(name)?.idx()?.iter().map(|v| v.unwrap_or(0)).collect()) };
    let floats = |name: &str| -> PolarsResult<Vec<Option<f64>>> { Ok(s(name)?.f64()?.iter().collect()) };
    let (indicator, area) = (s("indicator")?.str()?, s("area")?.str()?);
    let (year, slot): (Vec<Option<i32>>, Vec<Option<i32>>) =
        (s("year")?.i32()?.iter().collect(), s("_slot")?.i32()?.iter().collect());
    let rows = counts("rows")?;
    let (first_row, first_measured, last_measured) =
        (opt_u32("first_row")?, opt_u32("first_measured")?, opt_u32("last_measured")?);
    let bits: Vec<u64> = s("bits")?.u64()?.iter().map(|v| v.unwrap_or(0)).collect();
    let measured_bits: Vec<u64> = s("measured_bits")?.u64()?.iter().map(|v| v.unwrap_or(0)).collect();
    let last = floats("last")?;
    let last_order: Vec<Option<i64>> = s("last_order")?.i64()?.iter().collect();
    let illustrative: Vec<bool> = s("illustrative")?.bool()?.iter().map(|v| v.unwrap_or(false)).collect();
    // The value lists, read straight from their offsets.
    let lists = s("values")?.list()?.rechunk();
    let list_array = lists.downcast_iter().next();
    let offsets: Vec<i64> = list_array.map(|a| a.offsets().as_slice().to_vec()).unwrap_or_default();
    let flat = lists.get_inner().rechunk();
    let flat_values: Vec<Option<f64>> = flat.f64()?.iter().collect();

    let mut index: HashMap<(&str, i32, &str), usize, std::hash::BuildHasherDefault<Fx>> = HashMap::default();
    let mut out: Vec<Group> = Vec::new();
    let mut slot_bits: Vec<[(u64, u64); 13]> = Vec::new();
    for (i, (ind, ar)) in indicator.iter().zip(area.iter()).enumerate() {
        let (Some(ind), Some(y)) = (ind, year[i]) else { continue };
        let key = (ind, y, ar.unwrap_or(""));
        let at = *index.entry(key).or_insert_with_key(|(indicator, year, area)| {
            out.push(Group::empty(indicator.to_string(), *year, area.to_string()));
            slot_bits.push([(0, 0); 13]);
            out.len() - 1
        });
        let slot = slot[i].unwrap_or(COARSE);
        if let Some(counts) = slot_bits[at].get_mut(slot as usize) {
            counts.0 += u64::from(rows[i]);
            counts.1 += bits[i];
        }
        let g = &mut out[at];
        g.rows += rows[i];
        g.first_row = g.first_row.min(first_row[i].unwrap_or(u32::MAX));
        let values = match (offsets.get(i), offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &flat_values[a as usize..b as usize],
            _ => &[],
        };
        let mut measured = 0;
        for &v in values.iter().flatten() {
            measured += 1;
            g.sum.add(v);
            g.min = g.min.min(v);
            g.max = g.max.max(v);
        }
        if measured == 0 {
            continue;
        }
        g.measured += measured;
        if let (Some(order), Some(value)) = (last_order[i], last[i]) {
            let at = ((order >> 32) as i32, (order & 0xFFFF_FFFF) as u32);
            if at > g.last_at {
                g.last_at = at;
                g.last = value;
            }
        }
        g.measured_rows.0 = g.measured_rows.0.min(first_measured[i].unwrap_or(u32::MAX));
        g.measured_rows.1 = g.measured_rows.1.max(last_measured[i].unwrap_or(0));
        g.months |= months_of_slot(slot, measured_bits[i]);
        g.illustrative |= illustrative[i];
    }
    Ok(out.into_iter().zip(slot_bits).collect())
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
