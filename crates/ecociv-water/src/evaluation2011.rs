//! 《地表水环境质量评价办法（试行）》(环办〔2011〕22号, 2011-03-09): period evaluation of sections, rivers and
//! basins, and the trophic state (综合营养状态指数 TLI) of lakes and reservoirs.
//!
//! - Period value of an item = arithmetic mean of the period's samples; the section's class is the
//!   single-factor class of those means over the 21 section items ([`crate::gb3838`]).
//! - A river or basin (河流、水系) with ≥ 5 sections is rated by the section-class proportion method, with fewer
//!   by the mean concentration of each item over its sections. Thresholds are data
//!   (`data/evaluation2011.csv`); the 重度污染 I–III bound is disputed (75 % vs 60 %, [C]) and kept there.
//! - TLI per the method's formulas (`data/tli.csv`); the TN weight (0.6724 vs 0.6742, [C]) and the trophic
//!   bands ([M]) are data.

use std::sync::LazyLock;

use crate::gb3838::{Assessment, ITEM_COUNT, Item, Table, Values, WaterClass, Waterbody};
use crate::refdata::{KeyValues, RefDataError};

/// Accumulates the samples of one section over one period (评价时段) to form arithmetic means.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodAccumulator {
    /// Water-body kind of the section.
    pub waterbody: Waterbody,
    sums: [f64; ITEM_COUNT],
    counts: [u32; ITEM_COUNT],
    samples: u32,
}

impl PeriodAccumulator {
    /// An empty period for a section of the given kind.
    pub fn new(waterbody: Waterbody) -> Self {
        Self {
            waterbody,
            sums: [0.0; ITEM_COUNT],
            counts: [0; ITEM_COUNT],
            samples: 0,
        }
    }

    /// Adds one sample.
    pub fn add(&mut self, values: &Values) {
        self.samples = self.samples.saturating_add(1);
        for (k, v) in values.iter().enumerate() {
            if let Some(v) = v {
                self.sums[k] += v;
                self.counts[k] = self.counts[k].saturating_add(1);
            }
        }
    }

    /// Number of samples added.
    pub fn samples(&self) -> u32 {
        self.samples
    }

    /// Number of samples in which `item` was measured.
    pub fn item_count(&self, item: Item) -> u32 {
        self.counts[item.index()]
    }

    /// Period value of each item: the arithmetic mean of its measured values.
    pub fn means(&self) -> Values {
        let mut out = [None; ITEM_COUNT];
        for ((o, sum), n) in out.iter_mut().zip(self.sums).zip(self.counts) {
            if n > 0 {
                *o = Some(sum / f64::from(n));
            }
        }
        out
    }

    /// Single-factor evaluation of the period means.
    pub fn evaluate(&self, table: &Table) -> Assessment {
        table.classify(self.waterbody, &self.means())
    }
}

/// Thresholds of the proportion method and related rules (`data/evaluation2011.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// A river/basin with at least this many sections uses the proportion method.
    pub proportion_min_sections: usize,
    /// I–III share (%) at or above which the rating is 优.
    pub excellent_min_share_i_iii: f64,
    /// I–III share (%) at or above which the rating is 良好.
    pub good_min_share_i_iii: f64,
    /// 劣V share (%) at or above which the rating is at least 中度污染.
    pub moderate_min_share_worse_v: f64,
    /// 劣V share (%) at or above which the rating is 重度污染 (with the I–III condition).
    pub heavy_min_share_worse_v: f64,
    /// I–III share (%) below which a 劣V share ≥ `heavy_min_share_worse_v` is 重度污染. Disputed: 75 or 60 ([C]).
    pub heavy_max_share_i_iii: f64,
    /// Minimum samples per year (memory only, [M]); reported, not enforced.
    pub annual_min_samples: u32,
    /// Fraction of the detection limit used for a value written `xL` (below detection limit x) ([M]).
    pub below_detection_fraction: f64,
}

static EMBEDDED_THRESHOLDS: LazyLock<Thresholds> = LazyLock::new(|| {
    Thresholds::parse(include_str!("../data/evaluation2011.csv")).expect("embedded data/evaluation2011.csv must parse")
});

impl Thresholds {
    /// The shipped thresholds.
    pub fn embedded() -> &'static Thresholds {
        &EMBEDDED_THRESHOLDS
    }

    /// Parses a `key,value,confidence,note` table.
    pub fn parse(text: &str) -> Result<Self, RefDataError> {
        let kv = KeyValues::parse(text)?;
        let count = |k: &str| -> Result<f64, RefDataError> {
            let v = kv.get(k)?;
            if v >= 0.0 && v.fract() == 0.0 && v < 1e6 {
                Ok(v)
            } else {
                Err(RefDataError {
                    line: 0,
                    message: format!("{k} must be a whole number"),
                })
            }
        };
        Ok(Self {
            proportion_min_sections: count("proportion_min_sections")? as usize,
            excellent_min_share_i_iii: kv.get("excellent_min_share_i_iii")?,
            good_min_share_i_iii: kv.get("good_min_share_i_iii")?,
            moderate_min_share_worse_v: kv.get("moderate_min_share_worse_v")?,
            heavy_min_share_worse_v: kv.get("heavy_min_share_worse_v")?,
            heavy_max_share_i_iii: kv.get("heavy_max_share_i_iii")?,
            annual_min_samples: count("annual_min_samples")? as u32,
            below_detection_fraction: kv.get("below_detection_fraction")?,
        })
    }
}

/// Status word of a river or basin (水质状况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// 优
    Excellent,
    /// 良好
    Good,
    /// 轻度污染
    Light,
    /// 中度污染
    Moderate,
    /// 重度污染
    Heavy,
}

impl Status {
    /// Chinese status word.
    pub fn label(self) -> &'static str {
        match self {
            Status::Excellent => "优",
            Status::Good => "良好",
            Status::Light => "轻度污染",
            Status::Moderate => "中度污染",
            Status::Heavy => "重度污染",
        }
    }

    /// The status word of a section class.
    pub fn of_class(c: WaterClass) -> Self {
        match c {
            WaterClass::I | WaterClass::II => Status::Excellent,
            WaterClass::III => Status::Good,
            WaterClass::IV => Status::Light,
            WaterClass::V => Status::Moderate,
            WaterClass::WorseThanV => Status::Heavy,
        }
    }
}

/// Counts of sections by class, with the shares used by the indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassCounts {
    /// Sections evaluated.
    pub total: usize,
    /// Sections at class I–III.
    pub i_iii: usize,
    /// Sections at 劣V.
    pub worse_v: usize,
}

impl ClassCounts {
    /// Counts the given classes.
    pub fn of(classes: impl IntoIterator<Item = WaterClass>) -> Self {
        let mut c = Self::default();
        for k in classes {
            c.total += 1;
            c.i_iii += usize::from(k.meets_iii());
            c.worse_v += usize::from(k == WaterClass::WorseThanV);
        }
        c
    }

    /// Share (%) of sections at I–III; `None` without sections.
    pub fn share_i_iii(&self) -> Option<f64> {
        (self.total > 0).then(|| 100.0 * self.i_iii as f64 / self.total as f64)
    }

    /// Share (%) of 劣V sections; `None` without sections.
    pub fn share_worse_v(&self) -> Option<f64> {
        (self.total > 0).then(|| 100.0 * self.worse_v as f64 / self.total as f64)
    }
}

/// The section-class proportion method (断面水质类别比例法). Shares are compared as exact fractions
/// (`count × 100 ≥ threshold × total`), so a 9-of-10 share is exactly 90 %.
pub fn rate_by_proportion(counts: ClassCounts, t: &Thresholds) -> Option<Status> {
    if counts.total == 0 {
        return None;
    }
    let n = counts.total as f64;
    let at_least = |count: usize, pct: f64| count as f64 * 100.0 >= pct * n;
    Some(if at_least(counts.i_iii, t.excellent_min_share_i_iii) {
        Status::Excellent
    } else if at_least(counts.i_iii, t.good_min_share_i_iii) {
        Status::Good
    } else if at_least(counts.worse_v, t.heavy_min_share_worse_v) && !at_least(counts.i_iii, t.heavy_max_share_i_iii) {
        Status::Heavy
    } else if at_least(counts.worse_v, t.moderate_min_share_worse_v) {
        Status::Moderate
    } else {
        Status::Light
    })
}

/// Which rule rated a river or basin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiverMethod {
    /// ≥ 5 sections: section-class proportion method.
    Proportion,
    /// < 5 sections: single-factor class of the mean concentrations over the sections.
    MeanConcentration,
}

/// Rating of a river or basin.
#[derive(Debug, Clone, PartialEq)]
pub struct RiverRating {
    /// Method used.
    pub method: RiverMethod,
    /// Class counts of the sections.
    pub counts: ClassCounts,
    /// Class from mean concentrations (only for [`RiverMethod::MeanConcentration`]).
    pub mean_class: Option<WaterClass>,
    /// Status word; `None` when nothing could be evaluated.
    pub status: Option<Status>,
}

/// Rates a river or basin from its sections' period results (each the [`PeriodAccumulator`] of one section).
/// For fewer than `proportion_min_sections` sections, each item's mean over the sections' period means is
/// classified with the limits of `waterbody`.
pub fn rate_river(sections: &[PeriodAccumulator], waterbody: Waterbody, table: &Table, t: &Thresholds) -> RiverRating {
    let classes: Vec<WaterClass> = sections.iter().filter_map(|s| s.evaluate(table).class).collect();
    let counts = ClassCounts::of(classes.iter().copied());
    if sections.len() >= t.proportion_min_sections {
        return RiverRating {
            method: RiverMethod::Proportion,
            counts,
            mean_class: None,
            status: rate_by_proportion(counts, t),
        };
    }
    let mut acc = PeriodAccumulator::new(waterbody);
    for s in sections {
        acc.add(&s.means());
    }
    let mean_class = acc.evaluate(table).class;
    RiverRating {
        method: RiverMethod::MeanConcentration,
        counts,
        mean_class,
        status: mean_class.map(Status::of_class),
    }
}

/// Inputs of the trophic-state index. Units: chla mg/m³, TP and TN mg/L, SD m, CODMn mg/L.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TliInputs {
    /// 叶绿素a
    pub chla: Option<f64>,
    /// 总磷
    pub tp: Option<f64>,
    /// 总氮
    pub tn: Option<f64>,
    /// 透明度
    pub sd: Option<f64>,
    /// 高锰酸盐指数
    pub codmn: Option<f64>,
}

/// Trophic state (营养状态分级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TrophicState {
    /// 贫营养
    Oligotrophic,
    /// 中营养
    Mesotrophic,
    /// 轻度富营养
    LightEutrophic,
    /// 中度富营养
    MiddleEutrophic,
    /// 重度富营养
    HeavyEutrophic,
}

impl TrophicState {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            TrophicState::Oligotrophic => "贫营养",
            TrophicState::Mesotrophic => "中营养",
            TrophicState::LightEutrophic => "轻度富营养",
            TrophicState::MiddleEutrophic => "中度富营养",
            TrophicState::HeavyEutrophic => "重度富营养",
        }
    }
}

/// TLI coefficients and bands (`data/tli.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct TliModel {
    /// `(a, b, r²)` per parameter in the order chla, TP, TN, SD, CODMn: TLI(j) = a + b ln(x).
    pub params: [(f64, f64, f64); 5],
    /// TLI below this is 贫营养.
    pub oligotrophic_below: f64,
    /// TLI up to this (inclusive) is 中营养.
    pub mesotrophic_max: f64,
    /// Up to this (inclusive) 轻度富营养.
    pub light_eutrophic_max: f64,
    /// Up to this (inclusive) 中度富营养; above 重度富营养.
    pub middle_eutrophic_max: f64,
}

static EMBEDDED_TLI: LazyLock<TliModel> =
    LazyLock::new(|| TliModel::parse(include_str!("../data/tli.csv")).expect("embedded data/tli.csv must parse"));

/// A computed trophic-state index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tli {
    /// TLI(Σ).
    pub value: f64,
    /// Its band.
    pub state: TrophicState,
    /// Number of parameters used.
    pub parameters: usize,
}

/// Invalid TLI input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("TLI 参数 {parameter} 必须为正数 / TLI parameter {parameter} must be positive, got {value}")]
pub struct TliError {
    /// Parameter name.
    pub parameter: &'static str,
    /// The value given.
    pub value: f64,
}

impl TliModel {
    /// The shipped model.
    pub fn embedded() -> &'static TliModel {
        &EMBEDDED_TLI
    }

    /// Parses `data/tli.csv`-format text.
    pub fn parse(text: &str) -> Result<Self, RefDataError> {
        let kv = KeyValues::parse(text)?;
        let p = |n: &str| -> Result<(f64, f64, f64), RefDataError> {
            Ok((
                kv.get(&format!("{n}_a"))?,
                kv.get(&format!("{n}_b"))?,
                kv.get(&format!("{n}_r2"))?,
            ))
        };
        Ok(Self {
            params: [p("chla")?, p("tp")?, p("tn")?, p("sd")?, p("codmn")?],
            oligotrophic_below: kv.get("oligotrophic_below")?,
            mesotrophic_max: kv.get("mesotrophic_max")?,
            light_eutrophic_max: kv.get("light_eutrophic_max")?,
            middle_eutrophic_max: kv.get("middle_eutrophic_max")?,
        })
    }

    /// The band of a TLI value.
    pub fn state(&self, tli: f64) -> TrophicState {
        if tli < self.oligotrophic_below {
            TrophicState::Oligotrophic
        } else if tli <= self.mesotrophic_max {
            TrophicState::Mesotrophic
        } else if tli <= self.light_eutrophic_max {
            TrophicState::LightEutrophic
        } else if tli <= self.middle_eutrophic_max {
            TrophicState::MiddleEutrophic
        } else {
            TrophicState::HeavyEutrophic
        }
    }

    /// TLI(Σ) = Σ W_j · TLI(j), W_j = r_j² / Σ r_k² over the parameters given. `Ok(None)` when none is given.
    pub fn tli(&self, x: &TliInputs) -> Result<Option<Tli>, TliError> {
        let names = ["chla", "tp", "tn", "sd", "codmn"];
        let vals = [x.chla, x.tp, x.tn, x.sd, x.codmn];
        let mut num = 0.0;
        let mut den = 0.0;
        let mut used = 0;
        for ((name, v), (a, b, r2)) in names.iter().zip(vals).zip(self.params) {
            let Some(v) = v else { continue };
            if !(v > 0.0 && v.is_finite()) {
                return Err(TliError {
                    parameter: name,
                    value: v,
                });
            }
            num += r2 * (a + b * v.ln());
            den += r2;
            used += 1;
        }
        if used == 0 || den <= 0.0 {
            return Ok(None);
        }
        let value = num / den;
        Ok(Some(Tli {
            value,
            state: self.state(value),
            parameters: used,
        }))
    }
}
