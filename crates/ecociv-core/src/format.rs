//! The one formatter for figures, units and states (数值、单位与状态的书写), used by the CLI, the Excel
//! and Word reports and the web pages alike, so a figure reads the same everywhere.
//!
//! A row's figures are written in the row's **precision** (the decimal places Table 2-1 prints for it, kept
//! as `precision` in the framework data) and its **unit**:
//! - a figure is rounded to the precision and trailing zeros dropped, as the table prints `62` and `62.5`
//!   in one row: 83.333333 → `83.3`;
//! - a figure never *appears* to reach a criterion's bound it does not reach: 99.96 under "须达到100" is
//!   written `99.96`, not `100`;
//! - the unit follows the figure: `%` directly (`94.5%`), another unit after a space (`29 μg/m³`), the
//!   table's `-` (dimensionless) not at all (`61.87`);
//! - a state text (无劣Ⅴ类水体, 不降低) is written as it is, never with a unit;
//! - a change of a share (`%` row) is in percentage points (个百分点), never in percent, and never mixed with
//!   a relative change; a change of another figure may carry its relative change in percent;
//! - a change or a rate is never written as 0 when it is not 0 (more decimals are shown instead), and a
//!   non-finite figure is written `—`.

use crate::framework::{Criterion, Row};
use crate::judge::Text;
use crate::value::Value;

/// Decimal places used for a row whose framework data gives no precision: figures are shown with at most
/// this many decimals.
pub const DEFAULT_PRECISION: u8 = 2;

/// The most decimals a figure is ever written with.
pub const MAX_DECIMALS: u8 = 6;

/// How one row's figures are written: its unit, its precision and the criterion bounds a displayed figure
/// must not seem to reach when it does not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowFormat {
    /// The unit as the table writes it (`%`, `-`, `μg/m³`, `吨标准煤/万元`).
    pub unit: String,
    /// Decimal places (at most; trailing zeros are dropped).
    pub precision: u8,
    /// The numbers of the row's criteria (≥ 20 → 20; the threshold of a conditional rule).
    pub bounds: Vec<f64>,
}

impl RowFormat {
    /// The format of a framework row: its unit, its precision (or [`DEFAULT_PRECISION`]) and the bounds of
    /// every variant's criterion.
    pub fn for_row(row: &Row) -> RowFormat {
        let mut bounds = Vec::new();
        for variant in &row.variants {
            collect_bounds(&variant.criterion, &mut bounds);
        }
        RowFormat {
            unit: row.unit.clone(),
            precision: row.precision.unwrap_or(DEFAULT_PRECISION),
            bounds,
        }
    }

    /// A format from a unit and a precision alone (no bounds), e.g. for a figure that is not a row's.
    pub fn new(unit: impl Into<String>, precision: u8) -> RowFormat {
        RowFormat {
            unit: unit.into(),
            precision,
            bounds: Vec::new(),
        }
    }

    /// True when the row's figures are shares in percent, whose changes are in percentage points.
    pub fn is_share(&self) -> bool {
        self.unit == "%"
    }

    /// The unit as written after a figure: `%`, ` μg/m³` (with its space), or nothing for `-` and ``.
    pub fn suffix(&self) -> String {
        unit_suffix(&self.unit)
    }

    /// The unit for a table's unit column or a chart axis: `-` and `` give ``.
    pub fn unit_label(&self) -> &str {
        match self.unit.as_str() {
            "-" => "",
            other => other,
        }
    }

    /// The number of decimals a figure is written with (the precision, more when the rounded figure
    /// would seem to reach a bound it does not reach).
    pub fn decimals_for(&self, value: f64) -> u8 {
        let mut decimals = self.precision.min(MAX_DECIMALS);
        while decimals < MAX_DECIMALS {
            let rounded = round_to(value, decimals);
            let misleading = self
                .bounds
                .iter()
                .any(|bound| (rounded - bound).abs() < 1e-12 && (value - bound).abs() > 1e-9);
            if !misleading {
                break;
            }
            decimals += 1;
        }
        decimals
    }

    /// A figure without its unit, e.g. `94.5`, `0.1422`, `61.87`.
    pub fn number(&self, value: f64) -> String {
        trimmed(value, self.decimals_for(value))
    }

    /// A figure with its unit, e.g. `94.5%`, `29 μg/m³`, `61.87`.
    pub fn with_unit(&self, value: f64) -> String {
        if !value.is_finite() {
            return NOT_A_NUMBER.to_string();
        }
        format!("{}{}", self.number(value), self.suffix())
    }

    /// A value on record: a number with its unit, a state text as it is (never with a unit), a spatial
    /// record in words.
    pub fn value(&self, value: &Value) -> String {
        match value {
            Value::Number(number) => self.with_unit(*number),
            Value::State(text) => text.clone(),
            Value::Spatial(record) => {
                let mut parts = Vec::new();
                if let Some(area) = record.area_km2 {
                    parts.push(format!("面积 {} km²", trimmed(area, self.precision.max(2))));
                }
                if let Some(nature) = record.nature_unchanged {
                    parts.push(format!("性质{}", if nature { "未改变" } else { "改变" }));
                }
                if let Some(function) = record.function_kept {
                    parts.push(format!("功能{}", if function { "未降低" } else { "降低" }));
                }
                parts.join("，")
            }
        }
    }

    /// The same in English (a spatial record in English words; figures and states as in Chinese).
    pub fn value_en(&self, value: &Value) -> String {
        match value {
            Value::Spatial(record) => {
                let mut parts = Vec::new();
                if let Some(area) = record.area_km2 {
                    parts.push(format!("area {} km²", trimmed(area, self.precision.max(2))));
                }
                if let Some(nature) = record.nature_unchanged {
                    parts.push(format!("nature {}", if nature { "unchanged" } else { "changed" }));
                }
                if let Some(function) = record.function_kept {
                    parts.push(format!("function {}", if function { "kept" } else { "lowered" }));
                }
                parts.join(", ")
            }
            other => self.value(other),
        }
    }

    /// A difference of two figures (later − earlier), signed: for a share `+2.3 个百分点` /
    /// `+2.3 percentage points`; otherwise with the unit, `-9 μg/m³`. Never written as 0 when it is not 0.
    pub fn change(&self, delta: f64) -> Text {
        if !delta.is_finite() {
            return Text::new(NOT_A_NUMBER, NOT_A_NUMBER);
        }
        let number = signed(delta, self.precision);
        if self.is_share() {
            Text::new(format!("{number} 个百分点"), format!("{number} percentage points"))
        } else {
            let suffix = self.suffix();
            Text::new(format!("{number}{suffix}"), format!("{number}{suffix}"))
        }
    }

    /// The size of a change without its sign (for texts that say 提高/下降 themselves): `2.3 个百分点`.
    pub fn amount(&self, delta: f64) -> Text {
        if !delta.is_finite() {
            return Text::new(NOT_A_NUMBER, NOT_A_NUMBER);
        }
        let number = nonzero(delta.abs(), self.precision);
        if self.is_share() {
            Text::new(format!("{number} 个百分点"), format!("{number} percentage points"))
        } else {
            let suffix = self.suffix();
            Text::new(format!("{number}{suffix}"), format!("{number}{suffix}"))
        }
    }

    /// A change with, for figures that are not shares, its relative size: `-9 μg/m³（-23.7%）`; a share's
    /// change is only in percentage points (`-40 个百分点`), since a percent of a percent misleads.
    pub fn change_with_relative(&self, delta: f64, earlier: f64) -> Text {
        let change = self.change(delta);
        if self.is_share() || earlier == 0.0 || !earlier.is_finite() || !delta.is_finite() {
            return change;
        }
        let relative = signed(delta / earlier.abs() * 100.0, 1);
        Text::new(
            format!("{}（{relative}%）", change.zh),
            format!("{} ({relative}%)", change.en),
        )
    }

    /// A yearly rate of change needed or observed, in words: `每年需提高 0.3 个百分点` /
    /// `needs to rise 0.3 percentage points a year`. `rise` says whether the figure must go up.
    pub fn per_year(&self, delta_per_year: f64) -> Text {
        let amount = self.amount(delta_per_year);
        if delta_per_year >= 0.0 {
            Text::new(
                format!("每年需提高 {}", amount.zh),
                format!("needs to rise {} a year", amount.en),
            )
        } else {
            Text::new(
                format!("每年需降低 {}", amount.zh),
                format!("needs to fall {} a year", amount.en),
            )
        }
    }
}

/// What is written for a figure that is not a number.
pub const NOT_A_NUMBER: &str = "—";

/// The unit as written after a figure: `%` directly, another unit after a space, `-` and `` not at all.
pub fn unit_suffix(unit: &str) -> String {
    match unit.trim() {
        "" | "-" => String::new(),
        "%" => "%".to_string(),
        other => format!(" {other}"),
    }
}

/// A figure rounded to `decimals` (half away from zero on the decimal text), trailing zeros dropped, no
/// exponent, no `-0`: `trimmed(83.333333, 1)` = `83.3`, `trimmed(43.0, 1)` = `43`.
pub fn trimmed(value: f64, decimals: u8) -> String {
    let text = fixed(value, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A figure with exactly `decimals` decimals: `fixed(0.8, 1)` = `0.8`, `fixed(75.0, 1)` = `75.0`.
pub fn fixed(value: f64, decimals: u8) -> String {
    if !value.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let decimals = decimals.min(MAX_DECIMALS);
    let rounded = round_to(value, decimals);
    let text = format!("{:.*}", usize::from(decimals), rounded);
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// A share (0–1) in percent with one decimal: `percent(0.75)` = `75.0%`.
pub fn percent(share: f64) -> String {
    if !share.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    format!("{}%", fixed(share * 100.0, 1))
}

/// A count of a part of a whole with its share: `12/16（75.0%）`; with no whole, `0/0`.
pub fn part_of(part: usize, whole: usize) -> String {
    if whole == 0 {
        return format!("{part}/{whole}");
    }
    format!("{part}/{whole}（{}）", percent(part as f64 / whole as f64))
}

/// Rounds half away from zero at `decimals`, after removing binary noise (so 2.675 at 2 decimals gives
/// 2.68, as a person rounding the printed figure would).
fn round_to(value: f64, decimals: u8) -> f64 {
    if !value.is_finite() {
        return value;
    }
    let factor = 10f64.powi(i32::from(decimals));
    let scaled = value * factor;
    // Correct binary noise (0.285 * 100 = 28.499999999999996) before rounding.
    let nudged = format!("{scaled:.9}").parse::<f64>().unwrap_or(scaled);
    nudged.round() / factor
}

/// A signed change: `+2.3`, `-9`, never `+0` for a change that is not 0.
fn signed(delta: f64, precision: u8) -> String {
    let number = nonzero(delta.abs(), precision);
    if number == "0" {
        "0".to_string()
    } else if delta > 0.0 {
        format!("+{number}")
    } else {
        format!("-{number}")
    }
}

/// A non-negative figure at `precision`, with more decimals when it would otherwise read 0.
fn nonzero(value: f64, precision: u8) -> String {
    let mut decimals = precision.min(MAX_DECIMALS);
    loop {
        let text = trimmed(value, decimals);
        if text != "0" || value == 0.0 || decimals >= MAX_DECIMALS {
            return text;
        }
        decimals += 1;
    }
}

fn collect_bounds(criterion: &Criterion, bounds: &mut Vec<f64>) {
    match criterion {
        Criterion::AtLeast(x) | Criterion::AtMost(x) | Criterion::Reach(x) => bounds.push(*x),
        Criterion::Conditional {
            threshold,
            at_or_below,
            above,
        } => {
            bounds.push(*threshold);
            collect_bounds(at_or_below, bounds);
            collect_bounds(above, bounds);
        }
        Criterion::AllOf(parts) => parts.iter().for_each(|part| collect_bounds(part, bounds)),
        Criterion::RiseAtLeast(_)
        | Criterion::States
        | Criterion::AssignedTask { .. }
        | Criterion::StableOrImproving
        | Criterion::Spatial
        | Criterion::Unknown { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(precision: u8) -> RowFormat {
        RowFormat::new("%", precision)
    }

    #[test]
    fn figures_in_precision_and_unit() {
        assert_eq!(share(1).with_unit(83.333333), "83.3%");
        assert_eq!(share(1).with_unit(100.0), "100%");
        assert_eq!(RowFormat::new("-", 2).with_unit(73.5), "73.5");
        assert_eq!(RowFormat::new("μg/m³", 0).with_unit(29.4), "29 μg/m³");
        assert_eq!(
            RowFormat::new("吨标准煤/万元", 4).with_unit(0.1422),
            "0.1422 吨标准煤/万元"
        );
        assert_eq!(RowFormat::new("-", 2).with_unit(f64::NAN), "—");
        assert_eq!(fixed(-0.00001, 2), "0.00");
        assert_eq!(trimmed(2.675, 2), "2.68");
        assert_eq!(trimmed(0.285, 2), "0.29");
    }

    #[test]
    fn a_figure_never_seems_to_reach_a_bound_it_misses() {
        let mut format = share(1);
        format.bounds = vec![100.0];
        assert_eq!(format.with_unit(99.96), "99.96%");
        assert_eq!(format.with_unit(100.0), "100%");
        assert_eq!(format.with_unit(99.4), "99.4%");
    }

    #[test]
    fn states_never_carry_a_unit() {
        let format = share(1);
        assert_eq!(format.value(&Value::State("无劣Ⅴ类水体".into())), "无劣Ⅴ类水体");
        assert_eq!(
            format.value(&Value::State("水质达到或优于III类比例为100%".into())),
            "水质达到或优于III类比例为100%"
        );
    }

    #[test]
    fn changes_of_shares_are_percentage_points() {
        assert_eq!(share(1).change(-40.0).zh, "-40 个百分点");
        assert_eq!(share(1).change_with_relative(-40.0, 100.0).zh, "-40 个百分点");
        assert_eq!(
            RowFormat::new("μg/m³", 0).change_with_relative(-9.0, 38.0).zh,
            "-9 μg/m³（-23.7%）"
        );
        assert_eq!(share(1).per_year(0.288889).zh, "每年需提高 0.3 个百分点");
        assert_eq!(share(1).per_year(0.02).zh, "每年需提高 0.02 个百分点");
        assert_eq!(RowFormat::new("-", 2).change(0.0).zh, "0");
    }

    #[test]
    fn counts_and_shares() {
        assert_eq!(percent(0.75), "75.0%");
        assert_eq!(part_of(12, 16), "12/16（75.0%）");
        assert_eq!(part_of(0, 0), "0/0");
    }
}
