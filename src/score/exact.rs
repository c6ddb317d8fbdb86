//! Exact arithmetic for scores. Kominfo prints scores to two decimals, half-up, from exact
//! means (2.125 → 2.13); binary floating point cannot decide such ties reliably (0.2-grid
//! scores are not representable), so scores, weights and means are exact fractions here and
//! become `f64` only for output.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Div, Mul, Sub};

/// A fraction `num / den` in lowest terms, `den > 0`. i128 leaves room for sums over hundreds
/// of questions and weights with several decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Exact {
    num: i128,
    den: i128,
}

/// Decimal places kept when a score or weight is read from a file. More than any instrument
/// uses (Kominfo: two), so reading is exact for every real input.
const DECIMALS: u32 = 6;

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Exact {
    pub const ZERO: Exact = Exact { num: 0, den: 1 };

    pub fn new(num: i128, den: i128) -> Exact {
        assert!(den != 0, "zero denominator");
        let sign = if den < 0 { -1 } else { 1 };
        let g = gcd(num, den);
        Exact { num: sign * num / g, den: sign * den / g }
    }

    pub fn int(n: i64) -> Exact {
        Exact { num: i128::from(n), den: 1 }
    }

    /// The decimal a user wrote (read from YAML/CSV as f64), recovered exactly: `2.2` is
    /// 11/5, not 2.2000000000000001776…. Values are rounded to six decimals, the most any
    /// score or weight carries.
    pub fn from_decimal(value: f64) -> Exact {
        let scale = 10i128.pow(DECIMALS);
        let scaled = (value * scale as f64).round();
        Exact::new(scaled as i128, scale)
    }

    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Mean of the values; `None` for none.
    pub fn mean(values: impl IntoIterator<Item = Exact>) -> Option<Exact> {
        let (sum, n) = values.into_iter().fold((Exact::ZERO, 0i64), |(s, n), v| (s + v, n + 1));
        (n > 0).then(|| sum / Exact::int(n))
    }

    /// Rounded half-up (away from zero on a tie) to `places` decimals, as an integer count of
    /// 10^-places: `round_half_up(2.125, 2) = 213`.
    pub fn round_half_up(self, places: u32) -> i128 {
        let scale = 10i128.pow(places);
        let scaled_num = self.num.abs() * scale;
        // floor((2·num·scale + den) / (2·den)) rounds half up for non-negative values.
        let rounded = (2 * scaled_num + self.den) / (2 * self.den);
        if self.num < 0 { -rounded } else { rounded }
    }

    /// Two decimals, half-up, with a decimal comma: `2,51`.
    pub fn display_id(self) -> String {
        format_fixed(self.round_half_up(2), 2, ',')
    }

    /// Two decimals, half-up, with a decimal point: `2.51`.
    pub fn display_en(self) -> String {
        format_fixed(self.round_half_up(2), 2, '.')
    }

    /// Rounded to two decimals as a number (for JSON consumers that want the printed value).
    pub fn rounded2(self) -> f64 {
        self.round_half_up(2) as f64 / 100.0
    }
}

/// `213, 2, ','` → `2,13`; `-5, 2, ','` → `-0,05`.
pub fn format_fixed(units: i128, places: u32, mark: char) -> String {
    let scale = 10i128.pow(places);
    let sign = if units < 0 { "-" } else { "" };
    let abs = units.abs();
    format!("{sign}{}{mark}{:0width$}", abs / scale, abs % scale, width = places as usize)
}

impl Add for Exact {
    type Output = Exact;
    fn add(self, o: Exact) -> Exact {
        let g = gcd(self.den, o.den);
        Exact::new(self.num * (o.den / g) + o.num * (self.den / g), self.den / g * o.den)
    }
}

impl Sub for Exact {
    type Output = Exact;
    fn sub(self, o: Exact) -> Exact {
        self + Exact { num: -o.num, den: o.den }
    }
}

impl Mul for Exact {
    type Output = Exact;
    fn mul(self, o: Exact) -> Exact {
        let g1 = gcd(self.num, o.den);
        let g2 = gcd(o.num, self.den);
        Exact::new((self.num / g1) * (o.num / g2), (self.den / g2) * (o.den / g1))
    }
}

impl Div for Exact {
    type Output = Exact;
    fn div(self, o: Exact) -> Exact {
        assert!(o.num != 0, "division by zero");
        self * Exact::new(o.den, o.num)
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Exact) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Exact) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_f64())
    }
}

impl std::iter::Sum for Exact {
    fn sum<I: Iterator<Item = Exact>>(iter: I) -> Exact {
        iter.fold(Exact::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: f64) -> Exact {
        Exact::from_decimal(v)
    }

    #[test]
    fn reads_decimals_exactly() {
        assert_eq!(d(2.2), Exact::new(11, 5));
        assert_eq!(d(0.25) + d(0.2), Exact::new(9, 20));
        assert_eq!(d(-1.5), Exact::new(-3, 2));
    }

    #[test]
    fn half_up_on_exact_ties() {
        // The cohort prints 2022 Impact ties rounded up (reference §4.2).
        assert_eq!(d(2.125).display_id(), "2,13");
        assert_eq!(d(1.625).display_id(), "1,63");
        assert_eq!(d(2.625).display_id(), "2,63");
        // A tie that f64 gets wrong: 1.005 * 100 = 100.49999999999999.
        assert_eq!(d(1.005).display_en(), "1.01");
        assert_eq!(d(0.004).display_id(), "0,00");
        assert_eq!(d(-0.005).display_id(), "-0,01");
        assert_eq!(Exact::new(2, 3).display_id(), "0,67");
    }

    #[test]
    fn means() {
        assert_eq!(Exact::mean([d(1.0), d(2.0), d(2.5)]), Some(Exact::new(11, 6)));
        assert_eq!(Exact::mean([]), None);
    }

    mod properties {
        //! The instrument's invariants over random inputs (proptest).
        use super::*;
        use proptest::prelude::*;

        /// A score on the 0–4 scale with at most two decimals, as Kominfo's files carry.
        fn score() -> impl Strategy<Value = Exact> {
            (0i128..=400).prop_map(|c| Exact::new(c, 100))
        }

        /// Integer percentage weights summing to 100, one per aspect.
        fn weights(n: usize) -> impl Strategy<Value = Vec<i64>> {
            proptest::collection::vec(0i64..=100, n - 1).prop_filter_map("weights over 100", |mut w| {
                let rest = 100 - w.iter().sum::<i64>();
                (rest >= 0).then(|| {
                    w.push(rest);
                    w
                })
            })
        }

        /// Half-up at two decimals, read off the decimal digits of `units / 10^places`: an
        /// independent reference to `round_half_up`'s integer formula.
        fn reference_round2(units: i64, places: u32) -> i128 {
            let text = format!("{:0>width$}", units.unsigned_abs(), width = places as usize + 1);
            let (int, frac) = text.split_at(text.len() - places as usize);
            let frac = format!("{frac:0<3}");
            let kept: i128 = format!("{int}{}", &frac[..2]).parse().unwrap();
            let up = frac.as_bytes()[2] >= b'5';
            let magnitude = kept + i128::from(up);
            if units < 0 { -magnitude } else { magnitude }
        }

        proptest! {
            #[test]
            fn an_aspect_mean_stays_within_the_scale(scores in proptest::collection::vec(score(), 1..60)) {
                let mean = Exact::mean(scores.iter().copied()).unwrap();
                prop_assert!(mean >= Exact::ZERO && mean <= Exact::int(4));
                let (lo, hi) = (scores.iter().min().unwrap(), scores.iter().max().unwrap());
                prop_assert!(mean >= *lo && mean <= *hi);
            }

            #[test]
            fn a_final_score_stays_within_the_scale(
                (w, means) in (2usize..8).prop_flat_map(|n| (weights(n), proptest::collection::vec(score(), n)))
            ) {
                // As card::aspects does: Σ weight × mean / 100.
                let hundred = Exact::int(100);
                let total = w.iter().zip(&means).fold(Exact::ZERO, |acc, (w, m)| acc + Exact::int(*w) * *m / hundred);
                prop_assert!(total >= Exact::ZERO && total <= Exact::int(4));
                // Equal means give exactly that mean, whatever the weights.
                let same = w.iter().fold(Exact::ZERO, |acc, w| acc + Exact::int(*w) * means[0] / hundred);
                prop_assert_eq!(same, means[0]);
            }

            #[test]
            fn half_up_at_two_decimals_matches_the_decimal_digits(units in -10_000_000i64..10_000_000, places in 0u32..=6) {
                let value = Exact::new(i128::from(units), 10i128.pow(places));
                prop_assert_eq!(value.round_half_up(2), reference_round2(units, places));
                prop_assert_eq!(Exact::from_decimal(value.to_f64()), value);
            }

            #[test]
            fn half_up_on_fractions_rounds_to_the_nearest_hundredth(num in 0i128..1_000_000, den in prop_oneof![1i128..10_000, Just(8), Just(200), Just(40)]) {
                let value = Exact::new(num, den);
                let r = value.round_half_up(2);
                // value − r/100 lies in [−1/200, 1/200): the nearest hundredth, a tie going up.
                let diff = value - Exact::new(r, 100);
                prop_assert!(diff >= Exact::new(-1, 200) && diff < Exact::new(1, 200), "{:?} → {}", value, r);
            }
        }
    }
}
