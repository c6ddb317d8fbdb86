//! Indonesian (and English) formatting of numbers, money and dates for documents:
//! `1.234.567`, `2,51`, `Rp 1,2 miliar`, `13 Juni 2023`.

pub use crate::lang::Lang;

/// The thousands group mark and the decimal mark.
fn marks(lang: Lang) -> (char, char) {
    match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// `value` with `decimals` places, half away from zero, thousands grouped:
/// `num(1234567.0, 0, Id)` = `1.234.567`, `num(2.505, 2, Id)` = `2,51`.
pub fn num(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let (group, decimal) = marks(lang);
    // Round on the decimal string of the value (shortest repr), not on binary floats, so that
    // 2.505 rounds to 2.51 as a reader expects.
    let rounded = round_half_up_str(value.abs(), decimals);
    let (whole, frac) = rounded.split_once('.').unwrap_or((&rounded, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let negative = value < 0.0 && rounded.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    if decimals == 0 { format!("{sign}{grouped}") } else { format!("{sign}{grouped}{decimal}{frac}") }
}

fn round_half_up_str(value: f64, decimals: usize) -> String {
    let repr = format!("{value}");
    let (whole, frac) = repr.split_once('.').unwrap_or((&repr, ""));
    if repr.contains('e') {
        return format!("{value:.decimals$}");
    }
    let mut digits: Vec<u8> =
        whole.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(decimals)).map(|b| b - b'0').collect();
    let round_up = frac.as_bytes().get(decimals).is_some_and(|d| *d >= b'5');
    if round_up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let s: String = digits.iter().map(|d| (d + b'0') as char).collect();
    let split = s.len() - decimals;
    if decimals == 0 { s } else { format!("{}.{}", &s[..split], &s[split..]) }
}

/// Rupiah, scaled for reading: `Rp 950.000`, `Rp 12,5 juta`, `Rp 1,2 miliar`, `Rp 3,4 triliun`.
pub fn rupiah(value: f64, lang: Lang) -> String {
    let abs = value.abs();
    let (scaled, unit) = match lang {
        Lang::Id if abs >= 1e12 => (value / 1e12, " triliun"),
        Lang::Id if abs >= 1e9 => (value / 1e9, " miliar"),
        Lang::Id if abs >= 1e6 => (value / 1e6, " juta"),
        Lang::En if abs >= 1e12 => (value / 1e12, " trillion"),
        Lang::En if abs >= 1e9 => (value / 1e9, " billion"),
        Lang::En if abs >= 1e6 => (value / 1e6, " million"),
        _ => (value, ""),
    };
    if unit.is_empty() {
        format!("Rp {}", num(scaled, 0, lang))
    } else {
        let text = num(scaled, 1, lang);
        let (_, decimal) = marks(lang);
        let trimmed = text.strip_suffix(&format!("{decimal}0")).unwrap_or(&text);
        format!("Rp {trimmed}{unit}")
    }
}

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2023-06-13` → `13 Juni 2023`; anything else is returned as written.
pub fn date(iso: &str, lang: Lang) -> String {
    match crate::period::parse_date(iso) {
        Ok((y, m, d)) => {
            let months = if lang == Lang::Id { MONTHS_ID } else { MONTHS_EN };
            format!("{d} {} {y}", months[usize::from(m) - 1])
        }
        Err(_) => iso.to_string(),
    }
}

pub fn month_name(month: u8, lang: Lang) -> &'static str {
    let months = if lang == Lang::Id { MONTHS_ID } else { MONTHS_EN };
    months[usize::from(month.clamp(1, 12)) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_numbers() {
        assert_eq!(num(1234567.0, 0, Lang::Id), "1.234.567");
        assert_eq!(num(2.51, 2, Lang::Id), "2,51");
        assert_eq!(num(2.505, 2, Lang::Id), "2,51");
        assert_eq!(num(2915.0, 0, Lang::Id), "2.915");
        assert_eq!(num(0.999, 2, Lang::Id), "1,00");
        assert_eq!(num(-1234.5, 1, Lang::Id), "-1.234,5");
        assert_eq!(num(-0.001, 2, Lang::Id), "0,00");
        assert_eq!(num(1234.5, 1, Lang::En), "1,234.5");
        assert_eq!(num(f64::NAN, 2, Lang::Id), "–");
    }

    #[test]
    fn rupiah_scales() {
        assert_eq!(rupiah(1_200_000_000.0, Lang::Id), "Rp 1,2 miliar");
        assert_eq!(rupiah(12_500_000.0, Lang::Id), "Rp 12,5 juta");
        assert_eq!(rupiah(3_000_000_000.0, Lang::Id), "Rp 3 miliar");
        assert_eq!(rupiah(950_000.0, Lang::Id), "Rp 950.000");
        assert_eq!(rupiah(1_200_000_000.0, Lang::En), "Rp 1.2 billion");
    }

    #[test]
    fn dates() {
        assert_eq!(date("2023-06-13", Lang::Id), "13 Juni 2023");
        assert_eq!(date("2023-05-26", Lang::En), "26 May 2023");
        assert_eq!(date("kapan-kapan", Lang::Id), "kapan-kapan");
    }
}
