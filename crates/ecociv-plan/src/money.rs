//! Amounts of money in 万元 (10⁴ yuan), kept exactly as hundredths so category totals add up to the cent.

use std::fmt;

use serde::Serialize;

/// An amount in 万元, stored as hundredths of 万元 (i.e. in 元 × 100 ÷ 10⁴ … exactly the two decimals the
/// plan prints). Never a float: `49665.32 + 83636.45` is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(into = "String")]
pub struct WanYuan(pub i64);

impl WanYuan {
    /// Parses "49665.32", "249", "1211.00" (at most two decimals, no sign, no exponent).
    pub fn parse(text: &str) -> Result<WanYuan, String> {
        let t = text.trim();
        let bad = || format!("“{text}”不是金额（万元，最多两位小数） (not an amount in 万元, at most 2 decimals)");
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        if int.is_empty() || int.len() > 12 || frac.len() > 2 || !int.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (t.contains('.') && frac.is_empty()) {
            return Err(bad());
        }
        let int: i64 = int.parse().map_err(|_| bad())?;
        let mut f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| bad())?
        };
        if frac.len() == 1 {
            f *= 10;
        }
        Ok(WanYuan(int * 100 + f))
    }

    pub fn sum<'a>(amounts: impl IntoIterator<Item = &'a WanYuan>) -> WanYuan {
        WanYuan(amounts.into_iter().map(|a| a.0).sum())
    }

    /// As a number for spreadsheets (two decimals are exact in the text form; this is for display cells).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for WanYuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl From<WanYuan> for String {
    fn from(value: WanYuan) -> String {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_plan_s_spellings_exactly() {
        assert_eq!(WanYuan::parse("49665.32"), Ok(WanYuan(4_966_532)));
        assert_eq!(WanYuan::parse("249"), Ok(WanYuan(24_900)));
        assert_eq!(WanYuan::parse("1211.00"), Ok(WanYuan(121_100)));
        assert_eq!(WanYuan::parse("0.5"), Ok(WanYuan(50)));
        for bad in ["", "-1", "1.234", "1e3", "1.", ".5", "NaN", "１２"] {
            assert!(WanYuan::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(WanYuan(39_622_977).to_string(), "396229.77");
    }
}
