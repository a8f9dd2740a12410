//! GB 3096-2008 声环境质量标准: functional-area limits and the judgement of a measurement point.
//!
//! - Table 1 (clause 5.1): the limit of the equivalent continuous A-weighted level per functional-area class
//!   (声环境功能区类别) and period, in dB(A).
//! - Chapter 3 (terms): 昼间 is 06:00–22:00, 夜间 22:00–06:00 the next day; a night belongs to the date it
//!   starts on.
//! - 等效连续 A 声级 Leq (chapter 3): the energy average of the A-weighted level over the measuring time,
//!   `Leq = 10·lg( Σ tᵢ·10^(0.1·Lᵢ) / Σ tᵢ )` for readings Lᵢ (each itself an equivalent level over tᵢ);
//!   昼间等效声级 Ld and 夜间等效声级 Ln are the Leq over the day and the night.
//! - Clause 5.4 ([M] number): at night, a sudden noise's maximum level may exceed the night limit by at most
//!   15 dB(A).
//! - A point meets the standard in a period when its Leq, rounded to 0.1 dB, does not exceed the limit
//!   ("不超过" the limit; the rounding step is monitoring practice, [M], kept in data).
//!
//! Every figure comes from `data/gb3096-2008.csv` with its confidence; see `data/README.md`.

use std::fmt;
use std::sync::LazyLock;

/// The reference tables' confidence tag and error, shared with the other standards crates.
pub use ecociv_csvline::refdata::{Confidence, RefDataError};

/// 声环境功能区类别 — the functional-area class of GB 3096-2008 chapter 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FunctionalClass {
    /// 0 类：康复疗养区等特别需要安静的区域.
    C0,
    /// 1 类：以居民住宅、医疗卫生、文化教育、科研设计、行政办公为主要功能.
    C1,
    /// 2 类：以商业金融、集市贸易为主要功能，或者居住、商业、工业混杂.
    C2,
    /// 3 类：以工业生产、仓储物流为主要功能.
    C3,
    /// 4a 类：高速公路、一级/二级公路、城市快速路/主干路/次干路、城市轨道交通（地面段）、内河航道两侧.
    C4a,
    /// 4b 类：铁路干线两侧.
    C4b,
}

impl FunctionalClass {
    /// All classes in the standard's order.
    pub const ALL: [FunctionalClass; 6] = [Self::C0, Self::C1, Self::C2, Self::C3, Self::C4a, Self::C4b];

    /// The data file's code: `0`, `1`, `2`, `3`, `4a`, `4b`.
    pub fn code(self) -> &'static str {
        match self {
            Self::C0 => "0",
            Self::C1 => "1",
            Self::C2 => "2",
            Self::C3 => "3",
            Self::C4a => "4a",
            Self::C4b => "4b",
        }
    }

    /// The Chinese name, e.g. `4a类`.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::C0 => "0类",
            Self::C1 => "1类",
            Self::C2 => "2类",
            Self::C3 => "3类",
            Self::C4a => "4a类",
            Self::C4b => "4b类",
        }
    }

    /// Parses `0`…`3`, `4a`, `4b` (case-insensitive), with or without `类`; plain `4` is refused (the 2008
    /// edition splits it into 4a and 4b).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let t = t.strip_suffix('类').unwrap_or(t).trim();
        match t.to_ascii_lowercase().as_str() {
            "0" => Some(Self::C0),
            "1" => Some(Self::C1),
            "2" => Some(Self::C2),
            "3" => Some(Self::C3),
            "4a" => Some(Self::C4a),
            "4b" => Some(Self::C4b),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for FunctionalClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_zh())
    }
}

/// 昼间 / 夜间 — the two periods of the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// 昼间 (06:00–22:00).
    Day,
    /// 夜间 (22:00–06:00 the next day).
    Night,
}

impl Period {
    /// `昼间` or `夜间`.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Day => "昼间",
            Self::Night => "夜间",
        }
    }

    /// `day` or `night`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Night => "night",
        }
    }
}

/// One row of the reference data.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The row's key, e.g. `limit.4a.night`.
    pub key: String,
    /// The value.
    pub value: f64,
    /// Unit as written.
    pub unit: String,
    /// The clause it comes from.
    pub clause: String,
    /// How well it is established.
    pub confidence: Confidence,
    /// Source note; names the doubt of an M/C row.
    pub note: String,
}

/// The standard's figures, parsed from the data file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    limits: [[f64; 2]; 6],
    day_start: u32,
    night_start: u32,
    night_max_excess: f64,
    rounding_step: f64,
    facts: Vec<Fact>,
}

/// The embedded table (`data/gb3096-2008.csv`).
pub static TABLE: LazyLock<Table> = LazyLock::new(|| {
    // The shipped file is checked by the conformance tests; a defect there is a build defect.
    Table::parse(include_str!("../data/gb3096-2008.csv")).expect("embedded GB 3096-2008 data parses")
});

impl Table {
    /// The embedded table.
    pub fn embedded() -> &'static Table {
        &TABLE
    }

    /// Parses a `key,value,unit,clause,confidence,note` text (header required). Every limit of every class
    /// and period, both period starts, the night maximum excess and the rounding step must be present once.
    pub fn parse(text: &str) -> Result<Self, RefDataError> {
        let mut facts: Vec<Fact> = Vec::new();
        ecociv_csvrecords::table_records(text, |rec, line| {
            let err = |message: String| RefDataError { line, message };
            let field = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
            let key = field(0);
            let value: f64 = field(1)
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| err(format!("{key}: value is not a number")))?;
            let confidence =
                Confidence::parse(&field(4)).ok_or_else(|| err(format!("{key}: confidence must be V2, V1, M or C")))?;
            let note = field(5);
            if confidence.is_doubtful() && note.is_empty() {
                return Err(err(format!(
                    "{key}: a doubtful ({confidence:?}) value must name its doubt"
                )));
            }
            if facts.iter().any(|f| f.key == key) {
                return Err(err(format!("duplicate key {key}")));
            }
            facts.push(Fact {
                key,
                value,
                unit: field(2),
                clause: field(3),
                confidence,
                note,
            });
            Ok(())
        })?;
        let get = |key: &str| -> Result<f64, RefDataError> {
            facts
                .iter()
                .find(|f| f.key == key)
                .map(|f| f.value)
                .ok_or_else(|| RefDataError {
                    line: 0,
                    message: format!("missing key {key}"),
                })
        };
        let mut limits = [[0.0; 2]; 6];
        for class in FunctionalClass::ALL {
            for (p, period) in [Period::Day, Period::Night].into_iter().enumerate() {
                let v = get(&format!("limit.{}.{}", class.code(), period.code()))?;
                if !(0.0..=200.0).contains(&v) {
                    return Err(RefDataError {
                        line: 0,
                        message: format!("limit of {} {} out of range: {v}", class.code(), period.code()),
                    });
                }
                limits[class.index()][p] = v;
            }
        }
        let minute = |key: &str| -> Result<u32, RefDataError> {
            let v = get(key)?;
            if v.fract() != 0.0 || !(0.0..1440.0).contains(&v) {
                return Err(RefDataError {
                    line: 0,
                    message: format!("{key} must be a whole minute of the day: {v}"),
                });
            }
            Ok(v as u32)
        };
        let day_start = minute("period.day_start")?;
        let night_start = minute("period.night_start")?;
        if day_start >= night_start {
            return Err(RefDataError {
                line: 0,
                message: "the day must start before the night".into(),
            });
        }
        let rounding_step = get("rounding.step")?;
        let k = 1.0 / rounding_step;
        if !(rounding_step > 0.0 && rounding_step <= 1.0 && (k - k.round()).abs() < 1e-9) {
            return Err(RefDataError {
                line: 0,
                message: "rounding.step must be 1/k for a whole k (0.1, 0.5, 1)".into(),
            });
        }
        Ok(Self {
            limits,
            day_start,
            night_start,
            night_max_excess: get("night_max.excess")?,
            rounding_step,
            facts,
        })
    }

    /// The limit of `class` in `period` (Table 1), dB(A).
    pub fn limit(&self, class: FunctionalClass, period: Period) -> f64 {
        self.limits[class.index()][period as usize]
    }

    /// The most a night's maximum level may reach in `class`: the night limit plus the allowed excess (5.4).
    pub fn night_max_limit(&self, class: FunctionalClass) -> f64 {
        self.limit(class, Period::Night) + self.night_max_excess
    }

    /// Minute of the day the day period starts (360 = 06:00).
    pub fn day_start(&self) -> u32 {
        self.day_start
    }

    /// Minute of the day the night period starts (1320 = 22:00).
    pub fn night_start(&self) -> u32 {
        self.night_start
    }

    /// Length of a period in minutes (960 for the day, 480 for the night).
    pub fn period_minutes(&self, period: Period) -> u32 {
        match period {
            Period::Day => self.night_start - self.day_start,
            Period::Night => 1440 - (self.night_start - self.day_start),
        }
    }

    /// The period a minute of the day falls in.
    pub fn period_at(&self, minute_of_day: u32) -> Period {
        if (self.day_start..self.night_start).contains(&(minute_of_day % 1440)) {
            Period::Day
        } else {
            Period::Night
        }
    }

    /// Minutes from `minute_of_day` to the end of its period (a reading may not run past it).
    pub fn minutes_to_period_end(&self, minute_of_day: u32) -> u32 {
        let m = minute_of_day % 1440;
        if m < self.day_start {
            self.day_start - m
        } else if m < self.night_start {
            self.night_start - m
        } else {
            1440 - m + self.day_start
        }
    }

    /// Rounds a level to the reporting step (0.1 dB), half away from zero.
    pub fn round(&self, level: f64) -> f64 {
        // The step is 1/k for a whole k (checked on parse); dividing by k keeps 60.4 exactly 60.4.
        let k = (1.0 / self.rounding_step).round();
        let steps = level * k;
        // Guard float noise (55.05 stored as 55.04999…) so a half step rounds as written.
        (steps + steps.signum() * 1e-9).round() / k
    }

    /// Every row with its clause, confidence and note.
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// The rows whose confidence is M or C.
    pub fn doubtful(&self) -> impl Iterator<Item = &Fact> {
        self.facts.iter().filter(|f| f.confidence.is_doubtful())
    }
}

/// Energy sum of readings: `Σ tᵢ·10^(0.1·Lᵢ)` and `Σ tᵢ`, from which the equivalent level follows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EnergySum {
    energy: f64,
    minutes: f64,
}

impl EnergySum {
    /// Adds a reading: the equivalent level `level` (dB) over `minutes` (> 0).
    pub fn add(&mut self, level: f64, minutes: f64) {
        self.energy += minutes * 10f64.powf(0.1 * level);
        self.minutes += minutes;
    }

    /// Adds another sum.
    pub fn merge(&mut self, other: &EnergySum) {
        self.energy += other.energy;
        self.minutes += other.minutes;
    }

    /// Minutes covered.
    pub fn minutes(&self) -> f64 {
        self.minutes
    }

    /// The equivalent continuous level `10·lg(Σ tᵢ·10^(0.1·Lᵢ) / Σ tᵢ)`, unrounded; `None` without readings.
    pub fn leq(&self) -> Option<f64> {
        (self.minutes > 0.0 && self.energy > 0.0).then(|| 10.0 * (self.energy / self.minutes).log10())
    }
}

/// The equivalent continuous level of readings `(level dB, minutes)`, unrounded (energy average).
pub fn leq(readings: &[(f64, f64)]) -> Option<f64> {
    let mut sum = EnergySum::default();
    for &(level, minutes) in readings {
        sum.add(level, minutes);
    }
    sum.leq()
}

/// 达标 / 超标.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// 达标: the rounded level does not exceed the limit.
    Meets,
    /// 超标: the rounded level exceeds the limit.
    Exceeds,
}

impl Verdict {
    /// `达标` or `超标`.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Meets => "达标",
            Self::Exceeds => "超标",
        }
    }
}

/// The judgement of one level against one limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    /// The level as reported (rounded to the step), dB(A).
    pub level: f64,
    /// The limit it is judged against, dB(A).
    pub limit: f64,
    /// 达标 or 超标.
    pub verdict: Verdict,
    /// 超标量: rounded level − limit when it exceeds, dB.
    pub exceedance: Option<f64>,
}

impl Table {
    fn judge_against(&self, level: f64, limit: f64) -> Judgement {
        let level = self.round(level);
        let over = self.round(level - limit);
        if over > 0.0 {
            Judgement {
                level,
                limit,
                verdict: Verdict::Exceeds,
                exceedance: Some(over),
            }
        } else {
            Judgement {
                level,
                limit,
                verdict: Verdict::Meets,
                exceedance: None,
            }
        }
    }

    /// Judges the equivalent level `leq` (Ld or Ln, unrounded) of a point in `class` for `period`.
    pub fn judge(&self, class: FunctionalClass, period: Period, leq: f64) -> Judgement {
        self.judge_against(leq, self.limit(class, period))
    }

    /// Judges a night's maximum level against the night limit plus the allowed excess (5.4).
    pub fn judge_night_max(&self, class: FunctionalClass, lmax: f64) -> Judgement {
        self.judge_against(lmax, self.night_max_limit(class))
    }
}
