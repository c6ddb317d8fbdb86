//! Numbers as OPD spreadsheets write them: `1234.5`, or with `decimal: comma` `1.234,5`.
//!
//! Without `decimal: comma` a comma is refused rather than guessed: `1,5` could be one and a
//! half or (English thousands) fifteen, and a silently wrong number is worse than an error.

use crate::model::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub enum NumberError {
    /// A comma in a file read with decimal point.
    Comma,
    /// A decimal point in a file read with decimal comma.
    Point,
    NotANumber,
    NotFinite,
}

/// Parses a cell; `Ok(None)` for an empty cell (not measured).
pub fn parse_number(text: &str, decimal: Decimal) -> Result<Option<f64>, NumberError> {
    let plain_ends = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x7F).contains(b));
    let t = if plain_ends(text.as_bytes().first()) && plain_ends(text.as_bytes().last()) {
        text
    } else {
        text.trim().trim_matches('\u{a0}')
    };
    if t.is_empty() {
        return Ok(None);
    }
    match plain_decimal(t, decimal) {
        Some(v) => Ok(Some(v)),
        None => parse_general(t, decimal),
    }
}

/// Any trimmed, non-empty cell.
fn parse_general(t: &str, decimal: Decimal) -> Result<Option<f64>, NumberError> {
    let normalized: String = match decimal {
        Decimal::Point => {
            if t.contains(',') {
                return Err(NumberError::Comma);
            }
            t.to_string()
        }
        Decimal::Comma => {
            // `.` groups thousands, `,` is the decimal mark. A `.` that does not group exactly
            // three digits (`120.5`) is someone's decimal point: refused, never read as 1205.
            if t.matches(',').count() > 1 {
                return Err(NumberError::NotANumber);
            }
            let whole = t.split(',').next().unwrap_or("");
            if whole.contains('.') && !groups_thousands(whole) {
                return Err(NumberError::Point);
            }
            t.replace('.', "").replace(',', ".")
        }
    };
    let plain = normalized.replace(['_', ' ', '\u{a0}'], "");
    if !plain.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')) {
        let lower = plain.to_ascii_lowercase();
        if lower.contains("nan") || lower.contains("inf") {
            return Err(NumberError::NotFinite);
        }
        return Err(NumberError::NotANumber);
    }
    match plain.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(NumberError::NotFinite),
        Err(_) => Err(NumberError::NotANumber),
    }
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// The common case without allocating: `-?digits[<mark>digits]` with the file's decimal mark
/// and nothing else. Gives exactly what the general path gives for such text (which needs no
/// normalising), or `None` to take that path.
fn plain_decimal(t: &str, decimal: Decimal) -> Option<f64> {
    let mark = if decimal == Decimal::Comma { b',' } else { b'.' };
    let b = t.as_bytes();
    let negative = b.first() == Some(&b'-');
    let digits = &b[usize::from(negative)..];
    // One pass: the mantissa's digits, and where the mark is.
    let (mut mantissa, mut count, mut mark_at) = (0u64, 0usize, None);
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
                count += 1;
            }
            _ if c == mark && mark_at.is_none() => mark_at = Some(i),
            _ => return None,
        }
    }
    // Digits on both sides of the mark, and not absurdly many.
    let whole = mark_at.unwrap_or(digits.len());
    if whole == 0 || mark_at.is_some_and(|m| m + 1 == digits.len()) || digits.len() > 81 {
        return None;
    }
    let fraction_digits = count - whole;
    // Clinger's fast path: an integer mantissa below 2^53 and a power of ten up to 10^22 are
    // both exact, so one division is correctly rounded, as `str::parse` is.
    if count <= 15 {
        let v = mantissa as f64 / POW10[fraction_digits];
        return Some(if negative { -v } else { v });
    }
    let v = if mark == b'.' {
        t.parse::<f64>().ok()?
    } else {
        let mut buf = [0u8; 84];
        buf[..b.len()].copy_from_slice(b);
        if let Some(i) = b.iter().position(|&c| c == b',') {
            buf[i] = b'.';
        }
        std::str::from_utf8(&buf[..b.len()]).ok()?.parse::<f64>().ok()?
    };
    v.is_finite().then_some(v)
}

/// `1.234` or `-12.345.678`: groups of exactly three digits after the first.
fn groups_thousands(whole: &str) -> bool {
    let digits = whole.trim_start_matches(['-', '+']);
    let mut groups = digits.split('.');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_and_comma() {
        assert_eq!(parse_number(" 1234.5 ", Decimal::Point), Ok(Some(1234.5)));
        assert_eq!(parse_number("", Decimal::Point), Ok(None));
        assert_eq!(parse_number("1,5", Decimal::Point), Err(NumberError::Comma));
        assert_eq!(parse_number("1.234,5", Decimal::Comma), Ok(Some(1234.5)));
        assert_eq!(parse_number("2.915", Decimal::Comma), Ok(Some(2915.0)));
        assert_eq!(parse_number("-0,25", Decimal::Comma), Ok(Some(-0.25)));
        assert_eq!(parse_number("-12.345.678,9", Decimal::Comma), Ok(Some(-12345678.9)));
        // A decimal point in a decimal-comma file is refused, not read as 1205.
        assert_eq!(parse_number("120.5", Decimal::Comma), Err(NumberError::Point));
        assert_eq!(parse_number("1.5", Decimal::Comma), Err(NumberError::Point));
    }

    /// The allocation-free path agrees with the general one on every short string of digits,
    /// marks and signs.
    #[test]
    fn plain_decimals_agree_with_the_general_path() {
        let alphabet = ['0', '1', '9', '.', ',', '-', '+', 'e', ' '];
        let mut checked = 0;
        for len in 1..=5u32 {
            for mut n in 0..alphabet.len().pow(len) {
                let mut s = String::new();
                for _ in 0..len {
                    s.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                let t = s.trim();
                if t.is_empty() {
                    continue;
                }
                for decimal in [Decimal::Point, Decimal::Comma] {
                    if let Some(v) = plain_decimal(t, decimal) {
                        assert_eq!(parse_general(t, decimal), Ok(Some(v)), "{t:?} {decimal:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn junk_is_refused() {
        assert_eq!(parse_number("#N/A", Decimal::Point), Err(NumberError::NotANumber));
        assert_eq!(parse_number("-", Decimal::Point), Err(NumberError::NotANumber));
        assert_eq!(parse_number("NaN", Decimal::Point), Err(NumberError::NotFinite));
        assert_eq!(parse_number("1e999", Decimal::Point), Err(NumberError::NotFinite));
        assert_eq!(parse_number("12 ton", Decimal::Point), Err(NumberError::NotANumber));
    }
}
