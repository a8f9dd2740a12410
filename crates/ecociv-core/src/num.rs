//! Small numeric helpers shared by the judgements: tolerant comparison of derived quantities and a
//! plain decimal display.

/// Differences of two decimal figures (e.g. 62.1 − 60.1) carry binary noise; comparisons of *derived*
/// quantities allow this much slack. Values compared directly (21.4 against 20) need none.
pub const EPSILON: f64 = 1e-9;

/// Formats a figure the way the tables print it: no trailing zeros, no exponent, at most 6 decimals.
pub fn show(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::show;

    #[test]
    fn shows_figures_as_tables_print_them() {
        assert_eq!(show(94.5), "94.5");
        assert_eq!(show(20.0), "20");
        assert_eq!(show(0.1422), "0.1422");
        assert_eq!(show(-0.0), "0");
        assert_eq!(show(62.1 - 60.1), "2");
    }
}
