//! Observation periods (`YYYY`, `YYYY-Qn`, `YYYY-MM`, `YYYY-MM-DD`) and calendar helpers.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(i32),
    Quarter(i32, u8),
    Month(i32, u8),
    Day(i32, u8, u8),
}

/// Years outside this range are almost always typos (`20023`) or Excel serials read as years.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

impl Period {
    pub fn parse(text: &str) -> Result<Period, String> {
        let t = text.trim();
        let bad = || {
            slashed(t).or_else(|| date_serial(t)).unwrap_or_else(|| {
                format!(
                    "`{t}` is not a period; write YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD (e.g. 2023, 2023-Q2, 2023-06, 2023-06-13)"
                )
            })
        };
        let parts: Vec<&str> = t.split('-').collect();
        let year = parse_year(parts[0]).ok_or_else(bad)?;
        match parts.as_slice() {
            [_] => Ok(Period::Year(year)),
            [_, q] if q.len() == 2 && (q.starts_with('Q') || q.starts_with('q')) => match q[1..].parse::<u8>() {
                Ok(n @ 1..=4) => Ok(Period::Quarter(year, n)),
                _ => Err(format!("`{t}`: a quarter is Q1 to Q4")),
            },
            [_, m] if m.len() == 2 => match m.parse::<u8>() {
                Ok(m @ 1..=12) => Ok(Period::Month(year, m)),
                _ => Err(format!("`{t}`: a month is 01 to 12")),
            },
            [_, m, d] if m.len() == 2 && d.len() == 2 => {
                let (Ok(m), Ok(d)) = (m.parse::<u8>(), d.parse::<u8>()) else { return Err(bad()) };
                if !(1..=12).contains(&m) {
                    return Err(format!("`{t}`: a month is 01 to 12"));
                }
                if d == 0 || d > days_in_month(year, m) {
                    return Err(format!("`{t}`: {year}-{m:02} has {} days", days_in_month(year, m)));
                }
                Ok(Period::Day(year, m, d))
            }
            _ => Err(bad()),
        }
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) | Period::Day(y, _, _) => y,
        }
    }

    /// The months (1–12) this period covers.
    pub fn months(self) -> std::ops::RangeInclusive<u8> {
        match self {
            Period::Year(_) => 1..=12,
            Period::Quarter(_, q) => (q - 1) * 3 + 1..=q * 3,
            Period::Month(_, m) | Period::Day(_, m, _) => m..=m,
        }
    }

    /// Orders periods within a year by their last day, as MMDD (`2023-Q2` → 0630, `2023-06-15`
    /// → 0615), so that `last` picks the latest observation whatever the granularity.
    pub fn end_order(self) -> i32 {
        match self {
            Period::Day(_, m, d) => i32::from(m) * 100 + i32::from(d),
            other => {
                let m = *other.months().end();
                i32::from(m) * 100 + i32::from(days_in_month(other.year(), m))
            }
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Period::Year(_) => "year",
            Period::Quarter(..) => "quarter",
            Period::Month(..) => "month",
            Period::Day(..) => "day",
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Day(y, m, d) => write!(f, "{y}-{m:02}-{d:02}"),
        }
    }
}

fn parse_year(s: &str) -> Option<i32> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|y| YEARS.contains(y))
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A `YYYY-MM-DD` date (for `launched`, `evaluation.date`).
/// `31/12/2024`, `10/07/2024`, `31.12.2024`, `06/2024`: dates as Indonesian spreadsheets write
/// them. The message offers the ISO form where the reading is certain (a day above 12) and names
/// both where it is not; such text is never taken as a date silently.
fn slashed(t: &str) -> Option<String> {
    let parts: Vec<&str> = t.split(['/', '.']).collect();
    let number = |s: &str| s.parse::<u32>().ok().filter(|_| !s.is_empty() && s.len() <= 4);
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => {
            let (d, m, y) = (number(d)?, number(m)?, number(y)?);
            let valid =
                |d: u32, m: u32| (1..=12).contains(&m) && d >= 1 && d <= u32::from(days_in_month(y as i32, m as u8));
            match (valid(d, m), valid(m, d)) {
                (true, false) => {
                    Some(format!("`{t}` is the date {y}-{m:02}-{d:02} (day/month/year): write it as {y}-{m:02}-{d:02}"))
                }
                (true, true) if d != m => Some(format!(
                    "`{t}` could be {y}-{m:02}-{d:02} (day/month) or {y}-{d:02}-{m:02} (month/day): write the date as YYYY-MM-DD"
                )),
                (true, true) => Some(format!("`{t}` is the date {y}-{m:02}-{d:02}: write it as {y}-{m:02}-{d:02}")),
                _ => None,
            }
        }
        [m, y] if y.len() == 4 => {
            let (m, y) = (number(m)?, number(y)?);
            (1..=12).contains(&m).then(|| format!("`{t}` is the month {y}-{m:02}: write it as {y}-{m:02}"))
        }
        _ => None,
    }
}

/// `45108`: a date cell that lost its date format on the way to CSV (or a General-formatted
/// column) shows Excel's day count. Only serials of the years a city's data covers (1990–2100)
/// are named, so that a plain typo is not dressed up as a date.
fn date_serial(t: &str) -> Option<String> {
    let serial: u32 = t.parse().ok().filter(|_| t.len() == 5)?;
    let (y, m, d) = excel_serial_to_date(f64::from(serial))?;
    (1990..=2100).contains(&y).then(|| {
        format!(
            "`{t}` is not a period; it looks like an Excel date number ({y}-{m:02}-{d:02}): format the column as text \
             and write the period as {y}-{m:02} (a month) or {y}-{m:02}-{d:02} (a day)"
        )
    })
}

pub fn parse_date(text: &str) -> Result<(i32, u8, u8), String> {
    match Period::parse(text) {
        Ok(Period::Day(y, m, d)) => Ok((y, m, d)),
        Ok(_) => Err(format!("`{text}` is not a full date; write YYYY-MM-DD (e.g. 2023-05-26)")),
        Err(e) => Err(e.replace(
            "is not a period; write YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD (e.g. 2023, 2023-Q2, 2023-06, 2023-06-13)",
            "is not a date; write YYYY-MM-DD (e.g. 2023-05-26)",
        )),
    }
}

/// Excel stores dates as days since 1899-12-30 (with the 1900 leap-year bug already folded in
/// for serials after February 1900).
pub fn excel_serial_to_date(serial: f64) -> Option<(i32, u8, u8)> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // Days from 1970-01-01: serial 25569 is 1970-01-01.
    let days = serial.floor() as i64 - 25_569;
    Some(civil_from_days(days))
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
pub fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

/// `Period::parse` of a data cell (trimmed, `None` when it is not a period), without
/// allocating for the canonical forms: the streaming readers call it once per row.
pub fn parse_cell(text: &str) -> Option<Period> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excel_date_number_is_named_as_one() {
        let e = Period::parse("45108").unwrap_err();
        assert!(e.contains("Excel date number (2023-07-01)") && e.contains("2023-07 (a month)"), "{e}");
        // Not every number is a date: a 6-digit one, or one before 1990, keeps the plain message.
        for plain in ["202306", "12345", "4510"] {
            let e = Period::parse(plain).unwrap_err();
            assert!(e.contains("is not a period; write YYYY"), "{plain}: {e}");
        }
    }

    #[test]
    fn spreadsheet_dates_are_explained_not_guessed() {
        let e = Period::parse("31/12/2024").unwrap_err();
        assert!(e.contains("write it as 2024-12-31"), "{e}");
        let e = Period::parse("10/07/2024").unwrap_err();
        assert!(e.contains("2024-07-10") && e.contains("2024-10-07"), "{e}");
        let e = Period::parse("06/2024").unwrap_err();
        assert!(e.contains("write it as 2024-06"), "{e}");
        let e = parse_date("10 Juli 2024").unwrap_err();
        assert!(e.contains("is not a date; write YYYY-MM-DD (e.g. 2023-05-26)") && !e.contains("2023-Q2"), "{e}");
        let e = parse_date("31/12/2024").unwrap_err();
        assert!(e.contains("2024-12-31"), "{e}");
    }

    #[test]
    fn parses_every_granularity() {
        assert_eq!(Period::parse("2023"), Ok(Period::Year(2023)));
        assert_eq!(Period::parse("2023-Q2"), Ok(Period::Quarter(2023, 2)));
        assert_eq!(Period::parse("2023-06"), Ok(Period::Month(2023, 6)));
        assert_eq!(Period::parse(" 2024-02-29 "), Ok(Period::Day(2024, 2, 29)));
        assert_eq!(Period::Quarter(2023, 2).months(), 4..=6);
    }

    #[test]
    fn rejects_bad_periods_with_reason() {
        assert!(Period::parse("2023-02-29").unwrap_err().contains("has 28 days"));
        assert!(Period::parse("2023-13").unwrap_err().contains("01 to 12"));
        assert!(Period::parse("2023-Q5").unwrap_err().contains("Q1 to Q4"));
        assert!(Period::parse("Juni 2023").is_err());
        assert!(Period::parse("20023").is_err());
        assert!(Period::parse("").is_err());
    }

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial_to_date(45_090.0), Some((2023, 6, 13)));
        assert_eq!(excel_serial_to_date(25_569.0), Some((1970, 1, 1)));
        assert_eq!(excel_serial_to_date(f64::NAN), None);
    }

    #[test]
    fn display_round_trips() {
        for s in ["2023", "2023-Q4", "2023-01", "2023-12-31"] {
            assert_eq!(Period::parse(s).unwrap().to_string(), s);
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
            assert_eq!(parse_cell(c), Period::parse(c).ok(), "{c:?}");
        }
    }
}
