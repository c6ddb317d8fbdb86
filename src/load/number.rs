//! Numbers as OPD spreadsheets write them: `1234.5`, or with `decimal: comma` `1.234,5`.
//!
//! Without `decimal: comma` a comma is refused rather than guessed: `1,5` could be one and a
//! half or (English thousands) fifteen, and a silently wrong number is worse than an error.
//!
//! A file whose convention is not declared is decided as a whole ([`Evidence`]): `12,5` or
//! `1.234,5` can only be decimal commas, `12.5` only a decimal point. A value such as `275.500`
//! reads either way (275,5 or 275500) and is never taken until something decides.

use crate::model::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub enum NumberError {
    /// A comma in a file read with decimal point.
    Comma,
    /// A decimal point in a file read with decimal comma.
    Point,
    NotANumber,
    NotFinite,
    /// `275.500` or `1,500` in a file whose convention nothing decides.
    Ambiguous,
    /// `Rp 500.000`, `500.000,-`: a currency sign or suffix.
    Currency,
}

/// Parses a cell of a file whose convention is `decimal`, or, when `None`, is undecided: then
/// numbers that read the same either way are taken (with a decimal point) and a value that
/// would read differently is [`NumberError::Ambiguous`].
pub fn parse_number_as(text: &str, decimal: Option<Decimal>) -> Result<Option<f64>, NumberError> {
    match decimal {
        Some(decimal) => parse_number(text, decimal),
        None => {
            if ambiguous(text.trim().trim_matches('\u{a0}')) {
                return Err(NumberError::Ambiguous);
            }
            parse_number(text, Decimal::Point)
        }
    }
}

/// `1.250`, `-48.300`, `1,500`: one separator followed by exactly three digits, one to three
/// digits before it. With a decimal point (or decimal comma) it is a fraction; with dots (or
/// commas) grouping thousands it is a whole number.
pub fn ambiguous(t: &str) -> bool {
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t).as_bytes();
    let Some(at) = digits.iter().position(|b| matches!(b, b'.' | b',')) else { return false };
    (1..=3).contains(&at)
        && digits.len() == at + 4
        && digits.iter().enumerate().all(|(i, b)| i == at || b.is_ascii_digit())
}

/// `275.500`, `-1.250`, `12.500.000`: dots grouping thousands as Indonesian Excel writes them —
/// one to three digits (not a lone `0`, which starts a fraction), then groups of exactly three.
/// A decimal point reads the one-group form as a fraction (275.5). `t` is trimmed.
pub fn dot_grouped(t: &str) -> bool {
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    digits.len() >= 5 && digits.as_bytes()[0] != b'0' && digits.contains('.') && groups_thousands(digits)
}

/// What a file's number cells say about its convention.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// A value that only reads with decimal commas (`12,5`, `1.234,5`, `1.250.000`).
    pub comma: bool,
    /// A value that only reads with a decimal point (`12.5`, `0.25`).
    pub point: bool,
}

impl Evidence {
    pub fn add(&mut self, text: &str) {
        let t = text.trim().trim_matches('\u{a0}');
        if ambiguous(t) || !t.bytes().any(|b| matches!(b, b'.' | b',')) {
            return;
        }
        match (parse_number(t, Decimal::Point), parse_number(t, Decimal::Comma)) {
            (Ok(Some(_)), Err(_)) => self.point = true,
            (Err(_), Ok(Some(_))) => self.comma = true,
            _ => {}
        }
    }

    /// The file's convention, if its values (or, failing those, a `;` separator, which is
    /// how Excel saves CSV where the decimal mark is a comma) decide it.
    pub fn decide(&self, semicolons: bool) -> Option<Decimal> {
        match (self.comma, self.point) {
            (true, false) => Some(Decimal::Comma),
            (false, true) => Some(Decimal::Point),
            (false, false) if semicolons => Some(Decimal::Comma),
            _ => None,
        }
    }
}

/// `Rp 500.000`, `Rp500.000`, `IDR 5.000`, `500.000,-`: Indonesian currency formatting.
pub fn has_currency(t: &str) -> bool {
    let t = t.trim();
    let lower = t.get(..3).map(str::to_ascii_lowercase).unwrap_or_default();
    lower.starts_with("rp") || lower == "idr" || t.ends_with(",-") || t.ends_with(".-")
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
        // A currency sign is named as the problem, not the separators around it.
        None => parse_general(t, decimal).map_err(|e| if has_currency(t) { NumberError::Currency } else { e }),
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

/// A number as a message shows it: whole numbers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
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
    fn dotted_thousands_are_recognised() {
        for t in ["275.500", "1.250", "-48.300", "+1.000", "12.500.000", "999.999.999"] {
            assert!(dot_grouped(t), "{t}");
        }
        // A fraction, a decimal comma, a dot that groups other than three digits, no dot.
        for t in [
            "0.500",
            "0.25",
            "275.5",
            "275.5000",
            "1234.500",
            "1.234,5",
            "275,500",
            "275500",
            "12.50.000",
            ".500",
            "1.",
            "",
        ] {
            assert!(!dot_grouped(t), "{t}");
        }
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
    fn undecided_files_refuse_only_what_reads_two_ways() {
        assert_eq!(parse_number_as("275.500", None), Err(NumberError::Ambiguous));
        assert_eq!(parse_number_as("-48.300", None), Err(NumberError::Ambiguous));
        assert_eq!(parse_number_as("1,500", None), Err(NumberError::Ambiguous));
        assert_eq!(parse_number_as("275.5", None), Ok(Some(275.5)));
        assert_eq!(parse_number_as("1234.500", None), Ok(Some(1234.5)));
        assert_eq!(parse_number_as("40", None), Ok(Some(40.0)));
        assert_eq!(parse_number_as("1.250.000", None), Err(NumberError::NotANumber));
        assert_eq!(parse_number_as("275.500", Some(Decimal::Comma)), Ok(Some(275500.0)));
        assert_eq!(parse_number_as("275.500", Some(Decimal::Point)), Ok(Some(275.5)));
    }

    #[test]
    fn evidence_decides_a_file() {
        let decide = |cells: &[&str], semicolons: bool| {
            let mut e = Evidence::default();
            cells.iter().for_each(|c| e.add(c));
            e.decide(semicolons)
        };
        assert_eq!(decide(&["275.500", "12,5"], false), Some(Decimal::Comma));
        assert_eq!(decide(&["275.500", "1.234,5"], false), Some(Decimal::Comma));
        assert_eq!(decide(&["1.250.000"], false), Some(Decimal::Comma));
        assert_eq!(decide(&["275.500", "12.5"], false), Some(Decimal::Point));
        assert_eq!(decide(&["275.500", "40"], false), None);
        assert_eq!(decide(&["275.500", "40"], true), Some(Decimal::Comma));
        // Both conventions in one file: nothing is decided.
        assert_eq!(decide(&["12.5", "12,5"], true), None);
        assert_eq!(decide(&["1,500"], false), None);
    }

    #[test]
    fn currency_is_named() {
        for t in ["Rp 500.000.000", "Rp500.000.000", "500.000.000,-", "IDR 5.000", "rp. 1.000"] {
            assert_eq!(parse_number(t, Decimal::Comma), Err(NumberError::Currency), "{t}");
            assert_eq!(parse_number(t, Decimal::Point), Err(NumberError::Currency), "{t}");
        }
    }

    proptest::proptest! {
        /// A number written in either convention reads back as itself when the convention is
        /// declared; written with grouping and read undeclared, it is never a different number.
        #[test]
        fn either_convention_round_trips(whole in 0u64..10_000_000_000, frac in proptest::option::of(0u32..100), negative: bool, grouped: bool) {
            let sign = if negative { "-" } else { "" };
            let digits = whole.to_string();
            let group = |sep: char| {
                let mut out = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 { out.push(sep); }
                    out.push(c);
                }
                out
            };
            let frac_text = frac.map(|f| format!("{f:02}"));
            let comma = format!("{sign}{}{}", if grouped { group('.') } else { digits.clone() }, frac_text.as_ref().map_or(String::new(), |f| format!(",{f}")));
            let point = format!("{sign}{digits}{}", frac_text.as_ref().map_or(String::new(), |f| format!(".{f}")));
            let expected: f64 = point.parse().unwrap();
            let read = |t: &str, d| parse_number_as(t, d).map(|v| v.map(|v| v.to_string()));
            let want = Ok(Some(expected.to_string()));
            proptest::prop_assert_eq!(read(&comma, Some(Decimal::Comma)), want.clone());
            proptest::prop_assert_eq!(read(&point, Some(Decimal::Point)), want.clone());
            for text in [&comma, &point] {
                match parse_number_as(text, None) {
                    Ok(Some(v)) => proptest::prop_assert_eq!(Ok(Some(v.to_string())), want.clone(), "{} undeclared", text),
                    Ok(None) => proptest::prop_assert!(false, "{} read as empty", text),
                    Err(_) => {}
                }
            }
        }
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
