//! Input errors: inputs the method refuses outright (the method's own code raises on them),
//! as opposed to data conditions that give the status `not_available` with a reason.

use std::fmt;

/// An input that cannot be assessed at all. Messages are Chinese first, English second.
#[derive(Debug, Clone, PartialEq)]
pub enum InputError {
    /// Two observations for the same year (the method raises an error on duplicate years).
    DuplicateYear { year: i32, first: f64, second: f64 },
    /// A value that is NaN or infinite.
    NonFiniteValue { year: i32 },
    /// The target or natural limit is NaN or infinite.
    NonFiniteParameter { field: &'static str },
    /// The target year is not after the configured base year.
    TargetYearNotAfterBaseYear { base_year: i32, target_year: i32 },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::DuplicateYear { year, first, second } => write!(
                f,
                "{year} 年有两个数值（{first} 与 {second}），进展测算要求每年只有一个值 / \
                 duplicate year {year}: values {first} and {second}; each year must have one value"
            ),
            InputError::NonFiniteValue { year } => write!(
                f,
                "{year} 年的数值不是有限数 / the value for {year} is not a finite number"
            ),
            InputError::NonFiniteParameter { field } => {
                write!(f, "参数 {field} 不是有限数 / parameter {field} is not a finite number")
            }
            InputError::TargetYearNotAfterBaseYear { base_year, target_year } => write!(
                f,
                "目标年 {target_year} 不晚于基准年 {base_year} / \
                 target year {target_year} is not after base year {base_year}"
            ),
        }
    }
}

impl std::error::Error for InputError {}
