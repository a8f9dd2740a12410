//! GB 15618-2018 土壤环境质量 农用地土壤污染风险管控标准（试行）: Tables 1–3 and clause 7.
//!
//! - Table 1 (basic items 镉, 汞, 砷, 铅, 铬, 铜, 镍, 锌) and Table 2 (other items) give the 风险筛选值 by soil
//!   pH band (≤ 5.5, 5.5 < pH ≤ 6.5, 6.5 < pH ≤ 7.5, > 7.5) and, for some items, by land use: 水田 / 其他 for
//!   镉, 汞, 砷, 铅, 铬; 果园 / 其他 for 铜; one row for 镍, 锌. The note under Table 1: 水旱轮作 land takes the
//!   stricter of the two values ([M]).
//! - Table 3: the 风险管制值 of 镉, 汞, 砷, 铅, 铬 by pH band.
//! - Clause 7: at or below the screening value the risk is low and generally negligible; above it there may
//!   be a risk — strengthen soil and crop monitoring (7.1); 镉/汞/砷/铅/铬 above the screening value and at
//!   or below the intervention value: safe-use measures such as agronomic regulation or substitute crops
//!   (7.2); above the intervention value: strict control such as banning edible crops (7.3). The soil class
//!   also needs crop monitoring (7.4), which a soil sample alone does not give.
//!
//! The values are `data/gb15618-2018.csv` with source and confidence per row; see `data/README.md`.

use std::fmt;
use std::sync::LazyLock;

use crate::{Confidence, RefDataError, confidence, field, number, records};

/// 土壤 pH 分档 — the four pH bands of Tables 1–3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhBand {
    /// pH ≤ 5.5.
    UpTo5_5,
    /// 5.5 < pH ≤ 6.5.
    UpTo6_5,
    /// 6.5 < pH ≤ 7.5.
    UpTo7_5,
    /// pH > 7.5.
    Above7_5,
}

impl PhBand {
    /// The band of a soil pH (0–14); `None` outside that range or for a non-finite number.
    pub fn of(ph: f64) -> Option<Self> {
        if !(0.0..=14.0).contains(&ph) {
            None
        } else if ph <= 5.5 {
            Some(Self::UpTo5_5)
        } else if ph <= 6.5 {
            Some(Self::UpTo6_5)
        } else if ph <= 7.5 {
            Some(Self::UpTo7_5)
        } else {
            Some(Self::Above7_5)
        }
    }

    /// As the table heads it, e.g. `5.5<pH≤6.5`.
    pub fn label(self) -> &'static str {
        match self {
            Self::UpTo5_5 => "pH≤5.5",
            Self::UpTo6_5 => "5.5<pH≤6.5",
            Self::UpTo7_5 => "6.5<pH≤7.5",
            Self::Above7_5 => "pH>7.5",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// 农用地类型 as the tables distinguish them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LandUse {
    /// 水田.
    Paddy,
    /// 果园.
    Orchard,
    /// 其他 (旱地, 水浇地 …).
    Other,
    /// 水旱轮作: the stricter screening value of 水田 and 其他 ([M]).
    Rotation,
}

impl LandUse {
    /// Parses `水田`, `果园`, `水旱轮作`, and `旱地`/`水浇地`/`其他` as 其他; English codes `paddy`, `orchard`,
    /// `rotation`, `other`, `dry`. `None` for anything else (e.g. 茶园, which the table does not name).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "水田" | "paddy" => Some(Self::Paddy),
            "果园" | "orchard" => Some(Self::Orchard),
            "水旱轮作" | "水旱轮作地" | "rotation" => Some(Self::Rotation),
            "旱地" | "水浇地" | "其他" | "other" | "dry" => Some(Self::Other),
            _ => None,
        }
    }

    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Paddy => "水田",
            Self::Orchard => "果园",
            Self::Other => "其他",
            Self::Rotation => "水旱轮作",
        }
    }
}

impl fmt::Display for LandUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_zh())
    }
}

/// The land column of a screening row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    All,
    Paddy,
    Orchard,
    Other,
}

/// One item (污染物项目) of Tables 1–3.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// ASCII code, e.g. `cd`, `hch`.
    pub code: String,
    /// Chinese name as the table writes it.
    pub name_zh: String,
    screening: Vec<(Column, [f64; 4])>,
    intervention: Option<[f64; 4]>,
    /// The clauses its rows come from.
    pub clauses: Vec<String>,
    /// The weakest confidence of its rows.
    pub confidence: Confidence,
    /// The rows' notes (the doubts of V1/M/C rows).
    pub notes: Vec<String>,
}

impl Item {
    fn column(&self, column: Column) -> Option<&[f64; 4]> {
        self.screening.iter().find(|(c, _)| *c == column).map(|(_, v)| v)
    }

    fn for_land(&self, land: LandUse) -> Option<&[f64; 4]> {
        let specific = match land {
            LandUse::Paddy => Column::Paddy,
            LandUse::Orchard => Column::Orchard,
            LandUse::Other | LandUse::Rotation => Column::Other,
        };
        self.column(Column::All)
            .or_else(|| self.column(specific))
            .or_else(|| self.column(Column::Other))
    }

    /// 风险筛选值 for `land` in `band`, mg/kg.
    pub fn screening(&self, land: LandUse, band: PhBand) -> Option<f64> {
        let value = |l| self.for_land(l).map(|v| v[band.index()]);
        match land {
            LandUse::Rotation => match (value(LandUse::Paddy), value(LandUse::Other)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            _ => value(land),
        }
    }

    /// 风险管制值 in `band` (镉, 汞, 砷, 铅, 铬 only), mg/kg.
    pub fn intervention(&self, band: PhBand) -> Option<f64> {
        self.intervention.map(|v| v[band.index()])
    }
}

/// Where a content falls (clause 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// 不超过筛选值: risk low, generally negligible (7.1).
    AtOrBelowScreening,
    /// 超过筛选值 (an item without an intervention value): may be at risk, strengthen monitoring (7.1).
    AboveScreening,
    /// 超过筛选值、不超过管制值: safe-use measures (7.2).
    SafeUse,
    /// 超过管制值: strict control (7.3).
    AboveIntervention,
}

impl Level {
    /// Short Chinese text.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::AtOrBelowScreening => "不超过筛选值",
            Self::AboveScreening => "超过筛选值",
            Self::SafeUse => "超过筛选值、不超过管制值",
            Self::AboveIntervention => "超过管制值",
        }
    }

    /// What the standard asks, in Chinese, with its clause.
    pub fn consequence_zh(self) -> &'static str {
        match self {
            Self::AtOrBelowScreening => "农用地土壤污染风险低，一般情况下可以忽略（7.1）",
            Self::AboveScreening => "可能存在农用地土壤污染风险，应加强土壤环境监测和农产品协同监测（7.1）",
            Self::SafeUse => "原则上应当采取农艺调控、替代种植等安全利用措施（7.2）",
            Self::AboveIntervention => "原则上应当采取禁止种植食用农产品、退耕还林等严格管控措施（7.3）",
        }
    }
}

/// The judgement of one content.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The land use judged for.
    pub land: LandUse,
    /// The pH band of the sample.
    pub band: PhBand,
    /// The content, mg/kg.
    pub value: f64,
    /// The screening value applied, mg/kg.
    pub screening: f64,
    /// The intervention value applied, when the item has one, mg/kg.
    pub intervention: Option<f64>,
    /// Where the content falls.
    pub level: Level,
}

/// Tables 1–3, parsed from the data file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    items: Vec<Item>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    // The shipped file is checked by the conformance tests; a defect there is a build defect.
    Table::parse(include_str!("../data/gb15618-2018.csv")).expect("embedded GB 15618-2018 data parses")
});

fn rank(c: Confidence) -> u8 {
    match c {
        Confidence::V2 => 0,
        Confidence::V1 => 1,
        Confidence::M => 2,
        Confidence::C => 3,
    }
}

impl Table {
    /// The embedded tables.
    pub fn embedded() -> &'static Table {
        &TABLE
    }

    /// Parses `table,code,name_zh,land,ph_le_5_5,ph_5_5_to_6_5,ph_6_5_to_7_5,ph_gt_7_5,clause,confidence,
    /// note`; `table` is `screening` or `intervention`, `land` `all`, `paddy`, `orchard` or `other`
    /// (intervention rows: `all`). Every item needs a screening value for every land use, and no screening
    /// value may exceed the item's intervention value.
    pub fn parse(text: &str) -> Result<Self, RefDataError> {
        let mut items: Vec<Item> = Vec::new();
        records(text, |rec, line| {
            let err = |message: String| RefDataError { line, message };
            let code = field(rec, 1).to_string();
            let note = field(rec, 10).to_string();
            let values = [
                number(rec, 4, line, &code)?,
                number(rec, 5, line, &code)?,
                number(rec, 6, line, &code)?,
                number(rec, 7, line, &code)?,
            ];
            let conf = confidence(rec, 9, &note, line, &code)?;
            let clause = field(rec, 8).to_string();
            if code.is_empty() || clause.is_empty() {
                return Err(err("code and clause are required".into()));
            }
            let index = match items.iter().position(|i| i.code == code) {
                Some(i) => i,
                None => {
                    items.push(Item {
                        code: code.clone(),
                        name_zh: field(rec, 2).to_string(),
                        screening: Vec::new(),
                        intervention: None,
                        clauses: Vec::new(),
                        confidence: Confidence::V2,
                        notes: Vec::new(),
                    });
                    items.len() - 1
                }
            };
            let item = &mut items[index];
            if item.name_zh != field(rec, 2) {
                return Err(err(format!("{code}: name differs from its earlier row")));
            }
            match (field(rec, 0), field(rec, 3)) {
                ("screening", land) => {
                    let column = match land {
                        "all" => Column::All,
                        "paddy" => Column::Paddy,
                        "orchard" => Column::Orchard,
                        "other" => Column::Other,
                        _ => return Err(err(format!("{code}: land must be all, paddy, orchard or other"))),
                    };
                    if item.column(column).is_some() {
                        return Err(err(format!("{code}: duplicate screening row for {land}")));
                    }
                    item.screening.push((column, values));
                }
                ("intervention", "all") => {
                    if item.intervention.replace(values).is_some() {
                        return Err(err(format!("{code}: duplicate intervention row")));
                    }
                }
                _ => {
                    return Err(err(format!(
                        "{code}: table must be screening (any land) or intervention (all)"
                    )));
                }
            }
            if rank(conf) > rank(item.confidence) {
                item.confidence = conf;
            }
            if !item.clauses.contains(&clause) {
                item.clauses.push(clause);
            }
            if !note.is_empty() {
                item.notes.push(note);
            }
            Ok(())
        })?;
        for item in &items {
            let err = |message: String| RefDataError { line: 0, message };
            let has_all = item.column(Column::All).is_some();
            let has_specific = item.screening.iter().any(|(c, _)| *c != Column::All);
            if has_all == has_specific || (has_specific && item.column(Column::Other).is_none()) {
                return Err(err(format!(
                    "{}: screening rows must be one `all` row, or `other` with `paddy` and/or `orchard`",
                    item.code
                )));
            }
            if let Some(limits) = item.intervention {
                for (_, row) in &item.screening {
                    if row.iter().zip(limits).any(|(s, i)| *s > i) {
                        return Err(err(format!("{}: screening value above intervention value", item.code)));
                    }
                }
            }
        }
        Ok(Self { items })
    }

    /// The items in the data file's order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The item named by its code or Chinese name (`苯并(a)芘` finds `苯并[a]芘`).
    pub fn find(&self, text: &str) -> Option<&Item> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let square = t.replace('(', "[").replace(')', "]");
        self.items
            .iter()
            .find(|i| i.code == lower || i.name_zh == t || i.name_zh == square)
    }

    /// Judges a content `value` (mg/kg) of `item` in a sample of `land` with soil `band` (clause 7).
    pub fn judge(&self, item: &Item, land: LandUse, band: PhBand, value: f64) -> Option<Judgement> {
        let screening = item.screening(land, band)?;
        let intervention = item.intervention(band);
        let level = if value <= screening {
            Level::AtOrBelowScreening
        } else {
            match intervention {
                None => Level::AboveScreening,
                Some(i) if value <= i => Level::SafeUse,
                Some(_) => Level::AboveIntervention,
            }
        };
        Some(Judgement {
            land,
            band,
            value,
            screening,
            intervention,
            level,
        })
    }
}
