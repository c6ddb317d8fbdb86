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
    let t = text.trim().trim_matches('\u{a0}');
    if t.is_empty() {
        return Ok(None);
    }
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

    #[test]
    fn junk_is_refused() {
        assert_eq!(parse_number("#N/A", Decimal::Point), Err(NumberError::NotANumber));
        assert_eq!(parse_number("-", Decimal::Point), Err(NumberError::NotANumber));
        assert_eq!(parse_number("NaN", Decimal::Point), Err(NumberError::NotFinite));
        assert_eq!(parse_number("1e999", Decimal::Point), Err(NumberError::NotFinite));
        assert_eq!(parse_number("12 ton", Decimal::Point), Err(NumberError::NotANumber));
    }
}
