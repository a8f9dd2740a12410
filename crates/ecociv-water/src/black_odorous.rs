//! 《城市黑臭水体整治工作指南》(住房城乡建设部、环境保护部, 2015): black and odorous water (黑臭水体)
//! levels of samples, monitoring points and water bodies.
//!
//! - Sample level per indicator (table "城市黑臭水体污染程度分级标准"): transparency, DO, ORP, NH3-N; when the
//!   water is shallower than 25 cm the transparency threshold is 40 % of the depth (the table's asterisk) —
//!   below it 重度, otherwise 轻度 unless the water is clear to the bottom (an implementer's reading, [V1]).
//! - Point verdict: 重度 when one indicator has ≥ 60 % of its data at 重度, or at least two indicators ≥ 30 %.
//!   Otherwise 轻度 when any sample reached 轻度 or worse on any indicator, else not black-odorous — this last
//!   split is this crate's reading ([M]): the guideline only distinguishes 重度 from 轻度 for a known body.
//! - Water-body verdict: ≥ 60 % of points 重度 → the whole body 重度; 3 or more consecutive 重度 points → that
//!   stretch 重度.
//!
//! Thresholds are data (`data/black-odorous-2015.csv`); edge values shared by two table cells are doubtful ([M]).

use std::ops::Range;
use std::sync::LazyLock;

use crate::refdata::{KeyValues, RefDataError};

/// Black-odorous level (黑臭级别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 不黑臭
    None,
    /// 轻度黑臭
    Light,
    /// 重度黑臭
    Heavy,
}

impl Level {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Level::None => "不黑臭",
            Level::Light => "轻度黑臭",
            Level::Heavy => "重度黑臭",
        }
    }
}

/// The four physico-chemical indicators (特征指标).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    /// 透明度 (cm)
    Transparency,
    /// 溶解氧 (mg/L)
    Do,
    /// 氧化还原电位 (mV)
    Orp,
    /// 氨氮 (mg/L)
    Nh3n,
}

impl Indicator {
    /// The four indicators.
    pub const ALL: [Indicator; 4] = [Indicator::Transparency, Indicator::Do, Indicator::Orp, Indicator::Nh3n];
}

/// One sample at one monitoring point.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sample {
    /// Water depth at the point (cm), when known.
    pub depth_cm: Option<f64>,
    /// Transparency (cm).
    pub transparency_cm: Option<f64>,
    /// Water clear to the bottom (清澈见底).
    pub clear_to_bottom: bool,
    /// Dissolved oxygen (mg/L).
    pub do_mg_l: Option<f64>,
    /// Oxidation-reduction potential (mV).
    pub orp_mv: Option<f64>,
    /// Ammonia nitrogen (mg/L).
    pub nh3n_mg_l: Option<f64>,
}

/// Thresholds (`data/black-odorous-2015.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// Transparency below this (cm) is at least 轻度.
    pub sd_light_below_cm: f64,
    /// Transparency below this (cm) is 重度.
    pub sd_heavy_below_cm: f64,
    /// Depth below this (cm) uses the shallow-water rule.
    pub shallow_depth_below_cm: f64,
    /// Fraction of the depth used as the transparency threshold in shallow water.
    pub shallow_fraction: f64,
    /// DO at or below this is at least 轻度 (the edge value itself is doubtful).
    pub do_light_max: f64,
    /// DO below this is 重度.
    pub do_heavy_below: f64,
    /// ORP below this is at least 轻度.
    pub orp_light_below: f64,
    /// ORP below this is 重度.
    pub orp_heavy_below: f64,
    /// NH3-N above this is at least 轻度.
    pub nh3n_light_above: f64,
    /// NH3-N above this is 重度.
    pub nh3n_heavy_above: f64,
    /// Share (%) of one indicator's data at 重度 that makes a point 重度.
    pub point_one_indicator_share: f64,
    /// Share (%) that, reached by two indicators, makes a point 重度.
    pub point_two_indicator_share: f64,
    /// Consecutive 重度 points that make a stretch 重度.
    pub body_consecutive_points: usize,
    /// Share (%) of 重度 points that makes the whole body 重度.
    pub body_heavy_point_share: f64,
}

static EMBEDDED: LazyLock<Thresholds> = LazyLock::new(|| {
    Thresholds::parse(include_str!("../data/black-odorous-2015.csv"))
        .expect("embedded data/black-odorous-2015.csv must parse")
});

impl Thresholds {
    /// The shipped thresholds.
    pub fn embedded() -> &'static Thresholds {
        &EMBEDDED
    }

    /// Parses `data/black-odorous-2015.csv`-format text.
    pub fn parse(text: &str) -> Result<Self, RefDataError> {
        let kv = KeyValues::parse(text)?;
        let consecutive = kv.get("body_consecutive_points")?;
        if !(consecutive >= 1.0 && consecutive.fract() == 0.0 && consecutive < 1e6) {
            return Err(RefDataError {
                line: 0,
                message: "body_consecutive_points must be a whole number ≥ 1".into(),
            });
        }
        Ok(Self {
            sd_light_below_cm: kv.get("sd_light_below_cm")?,
            sd_heavy_below_cm: kv.get("sd_heavy_below_cm")?,
            shallow_depth_below_cm: kv.get("shallow_depth_below_cm")?,
            shallow_fraction: kv.get("shallow_fraction")?,
            do_light_max: kv.get("do_light_max")?,
            do_heavy_below: kv.get("do_heavy_below")?,
            orp_light_below: kv.get("orp_light_below")?,
            orp_heavy_below: kv.get("orp_heavy_below")?,
            nh3n_light_above: kv.get("nh3n_light_above")?,
            nh3n_heavy_above: kv.get("nh3n_heavy_above")?,
            point_one_indicator_share: kv.get("point_one_indicator_share")?,
            point_two_indicator_share: kv.get("point_two_indicator_share")?,
            body_consecutive_points: consecutive as usize,
            body_heavy_point_share: kv.get("body_heavy_point_share")?,
        })
    }

    /// Level of the transparency reading, with the shallow-water rule.
    pub fn transparency_level(&self, s: &Sample) -> Option<Level> {
        let sd = s.transparency_cm?;
        if let Some(depth) = s.depth_cm.filter(|d| *d < self.shallow_depth_below_cm) {
            if s.clear_to_bottom {
                return Some(Level::None);
            }
            return Some(if sd < self.shallow_fraction * depth {
                Level::Heavy
            } else {
                Level::Light
            });
        }
        Some(if sd < self.sd_heavy_below_cm {
            Level::Heavy
        } else if sd < self.sd_light_below_cm {
            Level::Light
        } else {
            Level::None
        })
    }

    /// Level of one indicator of a sample; `None` when not measured.
    pub fn indicator_level(&self, s: &Sample, ind: Indicator) -> Option<Level> {
        match ind {
            Indicator::Transparency => self.transparency_level(s),
            Indicator::Do => s.do_mg_l.map(|v| {
                if v < self.do_heavy_below {
                    Level::Heavy
                } else if v < self.do_light_max {
                    Level::Light
                } else {
                    Level::None
                }
            }),
            Indicator::Orp => s.orp_mv.map(|v| {
                if v < self.orp_heavy_below {
                    Level::Heavy
                } else if v < self.orp_light_below {
                    Level::Light
                } else {
                    Level::None
                }
            }),
            Indicator::Nh3n => s.nh3n_mg_l.map(|v| {
                if v > self.nh3n_heavy_above {
                    Level::Heavy
                } else if v > self.nh3n_light_above {
                    Level::Light
                } else {
                    Level::None
                }
            }),
        }
    }

    /// Level of a sample: the worst of its indicators; `None` when nothing was measured.
    pub fn sample_level(&self, s: &Sample) -> Option<Level> {
        Indicator::ALL
            .into_iter()
            .filter_map(|i| self.indicator_level(s, i))
            .max()
    }

    /// Verdict of a monitoring point from all its samples.
    pub fn point_verdict(&self, samples: &[Sample]) -> PointVerdict {
        let mut heavy_shares = [None; 4];
        let mut any_black = false;
        for (k, ind) in Indicator::ALL.into_iter().enumerate() {
            let levels: Vec<Level> = samples.iter().filter_map(|s| self.indicator_level(s, ind)).collect();
            any_black |= levels.iter().any(|l| *l >= Level::Light);
            if !levels.is_empty() {
                let heavy = levels.iter().filter(|l| **l == Level::Heavy).count();
                heavy_shares[k] = Some(100.0 * heavy as f64 / levels.len() as f64);
            }
        }
        let one = heavy_shares
            .iter()
            .flatten()
            .any(|s| *s >= self.point_one_indicator_share);
        let two = heavy_shares
            .iter()
            .flatten()
            .filter(|s| **s >= self.point_two_indicator_share)
            .count()
            >= 2;
        let level = if one || two {
            Level::Heavy
        } else if any_black {
            Level::Light
        } else {
            Level::None
        };
        PointVerdict {
            level,
            heavy_shares,
            samples: samples.len(),
        }
    }

    /// Verdict of a water body from its points' levels, in order along the body.
    pub fn body_verdict(&self, points: &[Level]) -> BodyVerdict {
        let n = points.len();
        let heavy = points.iter().filter(|l| **l == Level::Heavy).count();
        let mut stretches = Vec::new();
        let mut start = None;
        for (i, l) in points.iter().chain(std::iter::once(&Level::None)).enumerate() {
            match (*l == Level::Heavy, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    if i - s >= self.body_consecutive_points {
                        stretches.push(s..i);
                    }
                    start = None;
                }
                _ => {}
            }
        }
        let whole_heavy = n > 0 && heavy as f64 * 100.0 >= self.body_heavy_point_share * n as f64;
        let level = if whole_heavy {
            Level::Heavy
        } else {
            points.iter().copied().max().unwrap_or(Level::None).min(Level::Light)
        };
        BodyVerdict {
            level,
            heavy_points: heavy,
            points: n,
            heavy_stretches: stretches,
        }
    }
}

/// Verdict of one monitoring point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointVerdict {
    /// The point's level.
    pub level: Level,
    /// Share (%) of each indicator's data at 重度 (order of [`Indicator::ALL`]); `None` when not measured.
    pub heavy_shares: [Option<f64>; 4],
    /// Samples used.
    pub samples: usize,
}

/// Verdict of one water body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyVerdict {
    /// 重度 when ≥ 60 % of points are 重度; else 轻度 when any point is black-odorous; else 不黑臭.
    pub level: Level,
    /// Number of 重度 points.
    pub heavy_points: usize,
    /// Number of points.
    pub points: usize,
    /// Runs of ≥ 3 consecutive 重度 points (indices into the points), each a 重度 stretch.
    pub heavy_stretches: Vec<Range<usize>>,
}

impl BodyVerdict {
    /// True when the body is still black-odorous.
    pub fn is_black_odorous(&self) -> bool {
        self.level != Level::None
    }
}
