//! HJ 192-2015 生态环境状况评价技术规范 (issued and effective 2015-03-13): the ecological environment status
//! index EI (生态环境状况指数), its grade, the environmental-restriction rule and the change level ΔEI.
//!
//! EI = w₁·生物丰度 + w₂·植被覆盖 + w₃·水网密度 + w₄·(100 − 土地胁迫) + w₅·(100 − 污染负荷), then the
//! environmental restriction (环境限制指数) caps the grade. Sub-indices can also be computed from land-use
//! areas, river length, water resources, erosion and emissions with the standard's normalisation
//! coefficients. All weights and coefficients are data (`data/hj192-2015.csv`); the doubtful ones are marked
//! there: A_veg ([M], not found), the 滩涂 sub-weight and A_SOL ([C]), the cap of sub-indices at 100 ([M]);
//! the weights themselves rest on one code source plus memory ([V1]). Units follow that code: areas km²,
//! river length km, water resources 10⁴ m³, precipitation mm, emissions t ([M]).

use std::sync::LazyLock;

use crate::refdata::{KeyValues, RefDataError};

/// The five additive sub-indices (分指数), each on a 0–100 scale.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SubIndices {
    /// 生物丰度指数
    pub biological_abundance: f64,
    /// 植被覆盖指数
    pub vegetation_cover: f64,
    /// 水网密度指数
    pub water_network_density: f64,
    /// 土地胁迫指数
    pub land_stress: f64,
    /// 污染负荷指数
    pub pollution_load: f64,
}

/// Environmental restriction (环境限制指数) applied to the EI grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Restriction {
    /// No restricting event.
    #[default]
    None,
    /// 较大环境事件 or reported pollution/eco-damage cases: drop one grade.
    DropOneGrade,
    /// 特大/重大突发环境事件: cannot be 优 or 良, and drop at least one grade.
    NotExcellentOrGood,
}

impl Restriction {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "无",
            Self::DropOneGrade => "降一级",
            Self::NotExcellentOrGood => "不得为优、良且降一级",
        }
    }

    /// Parses the data-file codes: empty or `none`, `drop1`, `not_good`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "" | "none" => Some(Self::None),
            "drop1" => Some(Self::DropOneGrade),
            "not_good" => Some(Self::NotExcellentOrGood),
            _ => None,
        }
    }
}

/// EI grade (生态环境状况分级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    /// 优 (EI ≥ 75)
    Excellent,
    /// 良 (55 ≤ EI < 75)
    Good,
    /// 一般 (35 ≤ EI < 55)
    Fair,
    /// 较差 (20 ≤ EI < 35)
    Poor,
    /// 差 (EI < 20)
    Bad,
}

impl Grade {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "一般",
            Grade::Poor => "较差",
            Grade::Bad => "差",
        }
    }
}

/// Change level of EI against a base year (生态环境状况变化分级).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// |ΔEI| < 1: 无明显变化
    None,
    /// 1 ≤ |ΔEI| < 3: 略微变好/变差
    Slight {
        /// ΔEI > 0
        better: bool,
    },
    /// 3 ≤ |ΔEI| < 8: 明显变好/变差
    Clear {
        /// ΔEI > 0
        better: bool,
    },
    /// |ΔEI| ≥ 8: 显著变好/变差
    Marked {
        /// ΔEI > 0
        better: bool,
    },
}

impl Change {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Change::None => "无明显变化",
            Change::Slight { better: true } => "略微变好",
            Change::Slight { better: false } => "略微变差",
            Change::Clear { better: true } => "明显变好",
            Change::Clear { better: false } => "明显变差",
            Change::Marked { better: true } => "显著变好",
            Change::Marked { better: false } => "显著变差",
        }
    }
}

/// Land use, water and emissions of a region, for computing the sub-indices.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RegionInputs {
    /// 区域面积 (km²)
    pub area_km2: f64,
    /// 有林地, 灌木林地, 疏林地和其他林地 (km²)
    pub forest: [f64; 3],
    /// 高/中/低覆盖度草地 (km²)
    pub grass: [f64; 3],
    /// 河流, 湖泊(库), 滩涂湿地 (km²)
    pub water: [f64; 3],
    /// 水田, 旱地 (km²)
    pub cropland: [f64; 2],
    /// 城镇建设用地, 农村居民点, 其他建设用地 (km²)
    pub built: [f64; 3],
    /// 沙地, 盐碱地, 裸土地, 裸岩石砾, 其他未利用地 (km²)
    pub unused: [f64; 5],
    /// 生物多样性指数 (HJ 623), when available.
    pub biodiversity_index: Option<f64>,
    /// Mean growing-season NDVI over the region's pixels.
    pub mean_ndvi: f64,
    /// 河流长度 (km)
    pub river_length_km: f64,
    /// 水域面积 (湖库, km²)
    pub lake_area_km2: f64,
    /// 水资源量 this year (10⁴ m³)
    pub water_resources: f64,
    /// 多年平均水资源量 (10⁴ m³); `None` disables the flood-year adjustment.
    pub water_resources_mean: Option<f64>,
    /// 重度侵蚀, 中度侵蚀 areas (km²)
    pub erosion: [f64; 2],
    /// 其他土地胁迫 (km²)
    pub other_stress_km2: f64,
    /// 年降水量 (mm)
    pub precipitation_mm: f64,
    /// COD, 氨氮, SO2, 烟(粉)尘, NOx, 固体废物丢弃量 (t)
    pub emissions: [f64; 6],
}

/// The model: weights, coefficients, bands (`data/hj192-2015.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    kv: KeyValues,
}

static EMBEDDED: LazyLock<Model> = LazyLock::new(|| {
    Model::parse(include_str!("../data/hj192-2015.csv")).expect("embedded data/hj192-2015.csv must parse")
});

const REQUIRED: &[&str] = &[
    "w_biological_abundance",
    "w_vegetation_cover",
    "w_water_network_density",
    "w_land_stress",
    "w_pollution_load",
    "cap_sub_index_at_100",
    "a_bio",
    "a_veg",
    "a_riv",
    "a_lak",
    "a_res",
    "a_ero",
    "water_resource_full_max_ratio",
    "water_resource_zero_min_ratio",
    "grade_excellent_min",
    "grade_good_min",
    "grade_fair_min",
    "grade_poor_min",
    "restriction_step",
    "delta_slight_min",
    "delta_clear_min",
    "delta_marked_min",
];

/// A computed EI with its parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ei {
    /// The weighted sum before the restriction.
    pub raw: f64,
    /// EI after the environmental restriction.
    pub value: f64,
    /// Grade of `value`.
    pub grade: Grade,
    /// Restriction applied.
    pub restriction: Restriction,
}

impl Model {
    /// The shipped model.
    pub fn embedded() -> &'static Model {
        &EMBEDDED
    }

    /// Parses `data/hj192-2015.csv`-format text.
    pub fn parse(text: &str) -> Result<Self, RefDataError> {
        let kv = KeyValues::parse(text)?;
        for k in REQUIRED {
            kv.get(k)?;
        }
        Ok(Self { kv })
    }

    /// The reference table (for listing doubtful coefficients).
    pub fn table(&self) -> &KeyValues {
        &self.kv
    }

    fn k(&self, key: &str) -> f64 {
        // Keys are checked in `parse` (REQUIRED) or below in `sub_indices_from`; 0 is unreachable.
        self.kv.get(key).unwrap_or(0.0)
    }

    fn cap(&self, v: f64) -> f64 {
        if self.k("cap_sub_index_at_100") != 0.0 {
            v.min(100.0)
        } else {
            v
        }
    }

    /// Grade of an EI value.
    pub fn grade(&self, ei: f64) -> Grade {
        if ei >= self.k("grade_excellent_min") {
            Grade::Excellent
        } else if ei >= self.k("grade_good_min") {
            Grade::Good
        } else if ei >= self.k("grade_fair_min") {
            Grade::Fair
        } else if ei >= self.k("grade_poor_min") {
            Grade::Poor
        } else {
            Grade::Bad
        }
    }

    fn lower_bound(&self, g: Grade) -> Option<f64> {
        match g {
            Grade::Excellent => Some(self.k("grade_excellent_min")),
            Grade::Good => Some(self.k("grade_good_min")),
            Grade::Fair => Some(self.k("grade_fair_min")),
            Grade::Poor => Some(self.k("grade_poor_min")),
            Grade::Bad => None,
        }
    }

    /// EI from the sub-indices, with the restriction applied: one grade down caps EI just below the lower
    /// bound of its band (e.g. 74.9); "not 优 or 良" also caps it just below the 良 bound (54.9).
    pub fn ei(&self, s: &SubIndices, restriction: Restriction) -> Ei {
        let raw = self.k("w_biological_abundance") * self.cap(s.biological_abundance)
            + self.k("w_vegetation_cover") * self.cap(s.vegetation_cover)
            + self.k("w_water_network_density") * self.cap(s.water_network_density)
            + self.k("w_land_stress") * (100.0 - self.cap(s.land_stress))
            + self.k("w_pollution_load") * (100.0 - self.cap(s.pollution_load));
        let step = self.k("restriction_step");
        let drop_one = self.lower_bound(self.grade(raw)).map_or(raw, |lb| raw.min(lb - step));
        let value = match restriction {
            Restriction::None => raw,
            Restriction::DropOneGrade => drop_one,
            Restriction::NotExcellentOrGood => drop_one.min(self.k("grade_good_min") - step),
        };
        Ei {
            raw,
            value,
            grade: self.grade(value),
            restriction,
        }
    }

    /// Change level of ΔEI = `this − base`.
    pub fn change(&self, this: f64, base: f64) -> Change {
        let d = this - base;
        let a = d.abs();
        let better = d > 0.0;
        if a >= self.k("delta_marked_min") {
            Change::Marked { better }
        } else if a >= self.k("delta_clear_min") {
            Change::Clear { better }
        } else if a >= self.k("delta_slight_min") {
            Change::Slight { better }
        } else {
            Change::None
        }
    }

    /// 生境质量指数 HQ from land-use areas.
    pub fn habitat_quality(&self, r: &RegionInputs) -> Result<f64, RefDataError> {
        let g = |k: &str| self.kv.get(k);
        let dot = |keys: &[&str], areas: &[f64]| -> Result<f64, RefDataError> {
            keys.iter().zip(areas).try_fold(0.0, |acc, (k, a)| Ok(acc + g(k)? * a))
        };
        let sum = g("hq_forest")? * dot(&["hq_forest_dense", "hq_forest_shrub", "hq_forest_sparse"], &r.forest)?
            + g("hq_grass")? * dot(&["hq_grass_high", "hq_grass_mid", "hq_grass_low"], &r.grass)?
            + g("hq_water")? * dot(&["hq_water_river", "hq_water_lake", "hq_water_beach"], &r.water)?
            + g("hq_cropland")? * dot(&["hq_crop_paddy", "hq_crop_dry"], &r.cropland)?
            + g("hq_built")? * dot(&["hq_built_urban", "hq_built_rural", "hq_built_other"], &r.built)?
            + g("hq_unused")?
                * dot(
                    &[
                        "hq_unused_sand",
                        "hq_unused_saline",
                        "hq_unused_bare_soil",
                        "hq_unused_bare_rock",
                        "hq_unused_other",
                    ],
                    &r.unused,
                )?;
        Ok(g("a_bio")? * sum / r.area_km2)
    }

    /// Water resources after the flood-year adjustment: ratio a = this year / multi-year mean;
    /// a ≤ 1.4 → actual; 1.4 < a ≤ 2.4 → mean × (2.4 − a); a > 2.4 → 0.
    pub fn adjusted_water_resources(&self, r: &RegionInputs) -> f64 {
        let Some(mean) = r.water_resources_mean.filter(|m| *m > 0.0) else {
            return r.water_resources;
        };
        let a = r.water_resources / mean;
        let full = self.k("water_resource_full_max_ratio");
        let zero = self.k("water_resource_zero_min_ratio");
        if a <= full {
            r.water_resources
        } else if a <= zero {
            mean * (zero - a)
        } else {
            0.0
        }
    }

    /// All five sub-indices from region inputs (capped at 100 when the data says so).
    /// 生物丰度指数 = (BI + HQ)/2 when a biodiversity index is given, else HQ alone ([M]).
    pub fn sub_indices_from(&self, r: &RegionInputs) -> Result<SubIndices, RefDataError> {
        if r.area_km2.is_nan() || r.area_km2 <= 0.0 {
            return Err(RefDataError {
                line: 0,
                message: "区域面积必须为正 / region area must be positive".into(),
            });
        }
        let g = |k: &str| self.kv.get(k);
        let hq = self.habitat_quality(r)?;
        let bio = match r.biodiversity_index {
            Some(bi) => (bi + self.cap(hq)) / 2.0,
            None => hq,
        };
        let veg = g("a_veg")? * r.mean_ndvi;
        let water = (g("a_riv")? * r.river_length_km / r.area_km2
            + g("a_lak")? * r.lake_area_km2 / r.area_km2
            + g("a_res")? * self.adjusted_water_resources(r) / r.area_km2)
            / 3.0;
        let stress = g("a_ero")?
            * (g("ls_heavy_erosion")? * r.erosion[0]
                + g("ls_moderate_erosion")? * r.erosion[1]
                + g("ls_built")? * r.built.iter().sum::<f64>()
                + g("ls_other")? * r.other_stress_km2)
            / r.area_km2;
        let precip_total = r.precipitation_mm * r.area_km2;
        let per_rain = |a: f64, e: f64| {
            if precip_total > 0.0 { a * e / precip_total } else { 0.0 }
        };
        let e = r.emissions;
        let load = g("pl_cod")? * per_rain(g("a_cod")?, e[0])
            + g("pl_nh3")? * per_rain(g("a_nh3")?, e[1])
            + g("pl_so2")? * g("a_so2")? * e[2] / r.area_km2
            + g("pl_yfc")? * g("a_yfc")? * e[3] / r.area_km2
            + g("pl_nox")? * g("a_nox")? * e[4] / r.area_km2
            + g("pl_sol")? * g("a_sol")? * e[5] / r.area_km2;
        Ok(SubIndices {
            biological_abundance: self.cap(bio),
            vegetation_cover: self.cap(veg),
            water_network_density: self.cap(water),
            land_stress: self.cap(stress),
            pollution_load: self.cap(load),
        })
    }
}
