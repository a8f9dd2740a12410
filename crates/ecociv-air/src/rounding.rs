//! Exact rounding per GB/T 8170 (数值修约规则, 四舍六入五成双 = round half to even) and exact decimal
//! parsing of concentrations.
//!
//! Concentrations are carried as integers of thousandths of their unit ("milli", e.g. 35.4 µg/m³ → 35 400),
//! so means, interpolations and percentiles are computed as exact fractions and rounded once, with no float
//! noise at a .5 or at a breakpoint (standards.md §1.3, §2.4).

/// Scale of the fixed-point representation: 1 unit = 1000 milli.
pub const MILLI: i64 = 1000;

/// `num / den` rounded half to even (GB/T 8170). `den` must be positive.
#[inline]
pub fn div_round_half_even(num: i64, den: i64) -> i64 {
    debug_assert!(den > 0);
    if den > 0 && den < i64::MAX / 2 {
        // fast path: 2·r < 2·den cannot overflow
        let q = num.div_euclid(den);
        let twice = 2 * num.rem_euclid(den);
        return if twice > den || (twice == den && q % 2 != 0) {
            q + 1
        } else {
            q
        };
    }
    let (n, d) = (i128::from(num), i128::from(den.max(1)));
    let q = n.div_euclid(d);
    let r = n.rem_euclid(d);
    let twice = 2 * r;
    let q = if twice > d || (twice == d && q % 2 != 0) {
        q + 1
    } else {
        q
    };
    q as i64
}

/// `num / den` rounded up (ceiling). `den` must be positive.
#[inline]
pub fn div_ceil(num: i64, den: i64) -> i64 {
    if den > 0 {
        let q = num.div_euclid(den);
        return if num.rem_euclid(den) != 0 { q + 1 } else { q };
    }
    let (n, d) = (i128::from(num), i128::from(den.max(1)));
    let q = n.div_euclid(d);
    (if n.rem_euclid(d) != 0 { q + 1 } else { q }) as i64
}

/// Why a concentration cell could not be read.
/// [`ecociv_csvline::MAX_READING`] in whole units (an exact integer).
const MAX_READING_UNITS: i64 = ecociv_csvline::MAX_READING as i64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumError {
    /// Not a plain decimal number.
    NotANumber,
    /// A negative concentration.
    Negative,
    /// Above [`ecociv_csvline::MAX_READING`] (10⁹) in its unit: the bound shared with water.
    TooLarge,
}

impl NumError {
    /// Bilingual message.
    pub fn message(self) -> &'static str {
        match self {
            NumError::NotANumber => "不是数字 / not a number",
            NumError::Negative => "浓度为负 / negative concentration",
            NumError::TooLarge => "数值超出合理范围（不超过 10⁹）/ reading out of range (at most 10⁹)",
        }
    }
}

/// Parses a non-negative decimal (`12`, `12.5`, `.5`, `12.`) into milli-units. Surrounding spaces are
/// allowed.
///
/// Digits after the third decimal are *rounded to odd*: truncated, and when any discarded digit is
/// non-zero the last kept digit is made odd. GB/T 8170 forbids rounding twice in a row (不得连续修约):
/// rounding 61.4996 half-even to 61.500 and then to whole µg/m³ would give 62 instead of 61. Rounding to
/// odd at three decimals keeps the information the later rounding (to 0 or 1 decimal, at least two
/// digits coarser) needs, so the final result equals a single rounding of the original text.
pub fn parse_milli(b: &[u8]) -> Result<i64, NumError> {
    // fast path: a plain integer of up to 9 digits (the usual hourly value)
    if !b.is_empty() && b.len() <= 9 && b.iter().all(u8::is_ascii_digit) {
        return Ok(b.iter().fold(0i64, |a, &d| a * 10 + i64::from(d - b'0')) * MILLI);
    }
    let b = crate::edition::trim(b);
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let mut int: i64 = 0;
    let mut i = 0;
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        if int > 1_000_000_000 {
            return Err(NumError::TooLarge);
        }
        int = int * 10 + i64::from(b[i] - b'0');
        i += 1;
        digits += 1;
    }
    let mut frac: i64 = 0;
    let mut fdigits = 0;
    let mut round_up = false;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let fr = &b[start..i];
        digits += fr.len();
        for &c in fr.iter().take(3) {
            frac = frac * 10 + i64::from(c - b'0');
            fdigits += 1;
        }
        while fdigits < 3 {
            frac *= 10;
            fdigits += 1;
        }
        if fr.len() > 3 {
            let inexact = fr[3..].iter().any(|&c| c != b'0');
            // Round to odd: make the last kept digit odd when anything was discarded.
            round_up = inexact && frac % 2 == 0;
        }
    } else {
        frac = 0;
    }
    if i != b.len() || digits == 0 {
        return Err(NumError::NotANumber);
    }
    if int > MAX_READING_UNITS || (int == MAX_READING_UNITS && (frac > 0 || round_up)) {
        return Err(NumError::TooLarge);
    }
    let v = int * MILLI + frac + i64::from(round_up);
    if neg && v != 0 {
        return Err(NumError::Negative);
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_even() {
        assert_eq!(div_round_half_even(25, 10), 2);
        assert_eq!(div_round_half_even(35, 10), 4);
        assert_eq!(div_round_half_even(251, 100), 3);
        assert_eq!(div_round_half_even(249, 100), 2);
        assert_eq!(div_round_half_even(605, 10), 60);
        assert_eq!(div_round_half_even(606, 10), 61);
        assert_eq!(div_round_half_even(0, 7), 0);
        assert_eq!(div_ceil(1, 3), 1);
        assert_eq!(div_ceil(3, 3), 1);
        assert_eq!(div_ceil(0, 3), 0);
        assert_eq!(div_round_half_even(-25, 10), -2);
        assert_eq!(div_round_half_even(-35, 10), -4);
        assert_eq!(div_round_half_even(i64::MAX, i64::MAX - 1), 1);
        assert_eq!(div_round_half_even(7, i64::MAX), 0);
    }

    #[test]
    fn parse() {
        assert_eq!(parse_milli(b"12"), Ok(12_000));
        assert_eq!(parse_milli(b" 12.5 "), Ok(12_500));
        assert_eq!(parse_milli(b".5"), Ok(500));
        assert_eq!(parse_milli(b"1."), Ok(1000));
        // Round to odd beyond three decimals (see `parse_milli`).
        assert_eq!(parse_milli(b"0.0005"), Ok(1));
        assert_eq!(parse_milli(b"0.0015"), Ok(1));
        assert_eq!(parse_milli(b"0.00051"), Ok(1));
        assert_eq!(parse_milli(b"0.0020"), Ok(2), "trailing zeros are exact");
        assert_eq!(parse_milli(b"61.4996"), Ok(61_499));
        assert_eq!(parse_milli(b"-0"), Ok(0));
        assert_eq!(parse_milli(b"-1"), Err(NumError::Negative));
        assert_eq!(parse_milli(b"1e3"), Err(NumError::NotANumber));
        assert_eq!(parse_milli(b"."), Err(NumError::NotANumber));
        assert_eq!(parse_milli(b""), Err(NumError::NotANumber));
        assert_eq!(parse_milli(b"99999999999999999999"), Err(NumError::TooLarge));
    }

    /// GB/T 8170 forbids rounding twice: parsing then rounding to the reporting precision must equal one
    /// rounding of the original decimal text, for every text with up to six decimals.
    #[test]
    fn parse_then_round_equals_a_single_rounding() {
        use crate::hj633::round_concentration;
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut cases = vec![
            (61, 499_600u64, 6),
            (61, 500_400, 6),
            (0, 349_999, 6),
            (3, 450_001, 6),
            (2, 5, 1),
        ];
        for _ in 0..200_000 {
            let int = next() % 1000;
            let decimals = (next() % 6 + 1) as u32;
            let frac = next() % 10u64.pow(decimals);
            cases.push((int, frac, decimals));
        }
        for (int, frac, decimals) in cases {
            let text = format!("{int}.{frac:0width$}", width = decimals as usize);
            let micro = (int * 1_000_000 + frac * 10u64.pow(6 - decimals)) as i64;
            let milli = parse_milli(text.as_bytes()).expect("parses");
            assert_eq!(
                round_concentration(false, milli),
                div_round_half_even(micro, 1_000_000) * MILLI,
                "µg/m³ {text}"
            );
            assert_eq!(
                round_concentration(true, milli),
                div_round_half_even(micro, 100_000) * 100,
                "CO {text}"
            );
        }
    }
}
