//! GB 36600-2018 土壤环境质量 建设用地土壤污染风险管控标准（试行）: Table 1 (basic items) and clause 7.
//!
//! - Chapter 4: 第一类用地 (residential, schools, hospitals, welfare, community parks …) and 第二类用地
//!   (industrial, logistics, commercial, roads, utilities, other public land …); clause 7.1: when the planned
//!   use is not clear, the first-class values apply.
//! - Table 1: per item a 风险筛选值 (screening value) and a 风险管制值 (intervention value) for each class, mg/kg.
//! - Clause 7: at or below the screening value the risk is generally negligible (7.2); above it a detailed
//!   investigation follows (7.3), and while at or below the intervention value a risk assessment decides
//!   (7.4); above the intervention value the risk to health is generally unacceptable: risk control or
//!   remediation (7.5). Table 1 note ① (arsenic): above the screening value but at or below the local
//!   background value the site is not managed as polluted.
//!
//! The values are `data/gb36600-2018.csv` with source and confidence per row; see `data/README.md`.

use std::fmt;
use std::sync::LazyLock;

use crate::{Confidence, RefDataError, confidence, field, number, records};

/// 建设用地类别 — the class of development land (GB 36600-2018 chapter 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LandClass {
    /// 第一类用地.
    First,
    /// 第二类用地.
    Second,
}

impl LandClass {
    /// `第一类用地` or `第二类用地`.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::First => "第一类用地",
            Self::Second => "第二类用地",
        }
    }

    /// Parses `1`, `2`, `一类`, `第一类用地`, `first` …; an empty text (planned use not clear) is the first
    /// class (clause 7.1). `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "1" | "一类" | "第一类" | "第一类用地" | "一类用地" | "first" => Some(Self::First),
            "2" | "二类" | "第二类" | "第二类用地" | "二类用地" | "second" => Some(Self::Second),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for LandClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_zh())
    }
}

/// One pollutant (污染物项目) of Table 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Pollutant {
    /// ASCII code, e.g. `cr6`, `1122teca`.
    pub code: String,
    /// Chinese name as the table writes it.
    pub name_zh: String,
    /// CAS numbers (two for 间二甲苯+对二甲苯).
    pub cas: Vec<String>,
    /// 重金属和无机物 / 挥发性有机物 / 半挥发性有机物.
    pub group: String,
    screening: [f64; 2],
    intervention: [f64; 2],
    /// The clause and row it comes from.
    pub clause: String,
    /// How well its values are established.
    pub confidence: Confidence,
    /// Source note; names the doubt of a V1/M/C row.
    pub note: String,
}

impl Pollutant {
    /// 风险筛选值 for `class`, mg/kg.
    pub fn screening(&self, class: LandClass) -> f64 {
        self.screening[class.index()]
    }

    /// 风险管制值 for `class`, mg/kg.
    pub fn intervention(&self, class: LandClass) -> f64 {
        self.intervention[class.index()]
    }

    /// Whether Table 1's background note ① applies (arsenic).
    pub fn background_note(&self) -> bool {
        self.code == "as"
    }
}

/// Where a content falls (clause 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// 不超过筛选值: risk generally negligible (7.2).
    AtOrBelowScreening,
    /// 超过筛选值、不超过管制值: detailed investigation and risk assessment (7.3, 7.4).
    AboveScreening,
    /// 超过管制值: risk control or remediation (7.5).
    AboveIntervention,
}

impl Level {
    /// Short Chinese text.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::AtOrBelowScreening => "不超过筛选值",
            Self::AboveScreening => "超过筛选值、不超过管制值",
            Self::AboveIntervention => "超过管制值",
        }
    }

    /// What the standard asks, in Chinese, with its clause.
    pub fn consequence_zh(self) -> &'static str {
        match self {
            Self::AtOrBelowScreening => "土壤污染风险一般情况下可以忽略（7.2）",
            Self::AboveScreening => {
                "应开展详细调查；不超过管制值的，开展风险评估确定是否需要风险管控或修复（7.3、7.4）"
            }
            Self::AboveIntervention => "对人体健康通常存在不可接受风险，应当采取风险管控或修复措施（7.5）",
        }
    }
}

/// The judgement of one content.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The class of land judged for.
    pub class: LandClass,
    /// The content, mg/kg.
    pub value: f64,
    /// The screening value applied, mg/kg.
    pub screening: f64,
    /// The intervention value applied, mg/kg.
    pub intervention: f64,
    /// Where the content falls.
    pub level: Level,
}

/// Table 1, parsed from the data file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pollutants: Vec<Pollutant>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    // The shipped file is checked by the conformance tests; a defect there is a build defect.
    Table::parse(include_str!("../data/gb36600-2018.csv")).expect("embedded GB 36600-2018 data parses")
});

impl Table {
    /// The embedded table.
    pub fn embedded() -> &'static Table {
        &TABLE
    }

    /// Parses `code,name_zh,cas,group,screening_1,screening_2,intervention_1,intervention_2,clause,
    /// confidence,note`. Every value must be positive and no screening value above its intervention value.
    pub fn parse(text: &str) -> Result<Self, RefDataError> {
        let mut pollutants: Vec<Pollutant> = Vec::new();
        records(text, |rec, line| {
            let code = field(rec, 0).to_string();
            let note = field(rec, 10).to_string();
            let p = Pollutant {
                name_zh: field(rec, 1).to_string(),
                cas: field(rec, 2).split(';').map(|s| s.trim().to_string()).collect(),
                group: field(rec, 3).to_string(),
                screening: [number(rec, 4, line, &code)?, number(rec, 5, line, &code)?],
                intervention: [number(rec, 6, line, &code)?, number(rec, 7, line, &code)?],
                clause: field(rec, 8).to_string(),
                confidence: confidence(rec, 9, &note, line, &code)?,
                note,
                code,
            };
            let err = |message: String| RefDataError { line, message };
            if p.code.is_empty() || p.name_zh.is_empty() || p.clause.is_empty() {
                return Err(err("code, name and clause are required".into()));
            }
            for class in [LandClass::First, LandClass::Second] {
                if p.screening(class) > p.intervention(class) {
                    return Err(err(format!("{}: screening value above intervention value", p.code)));
                }
            }
            if pollutants.iter().any(|q| q.code == p.code || q.name_zh == p.name_zh) {
                return Err(err(format!("duplicate item {}", p.code)));
            }
            pollutants.push(p);
            Ok(())
        })?;
        Ok(Self { pollutants })
    }

    /// The pollutants in the table's order.
    pub fn pollutants(&self) -> &[Pollutant] {
        &self.pollutants
    }

    /// The pollutant named by its code, its Chinese name or a CAS number (ASCII brackets and parentheses are
    /// read as the table's 【】/（）-free forms: `铬(六价)` finds `铬（六价）`).
    pub fn find(&self, text: &str) -> Option<&Pollutant> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let wide = t.replace('(', "（").replace(')', "）");
        self.pollutants
            .iter()
            .find(|p| p.code == lower || p.name_zh == t || p.name_zh == wide || p.cas.iter().any(|c| *c == t))
    }

    /// Judges a content `value` (mg/kg) of `pollutant` on land of `class` (clause 7).
    pub fn judge(&self, pollutant: &Pollutant, class: LandClass, value: f64) -> Judgement {
        let screening = pollutant.screening(class);
        let intervention = pollutant.intervention(class);
        let level = if value <= screening {
            Level::AtOrBelowScreening
        } else if value <= intervention {
            Level::AboveScreening
        } else {
            Level::AboveIntervention
        };
        Judgement {
            class,
            value,
            screening,
            intervention,
            level,
        }
    }
}
