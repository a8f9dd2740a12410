//! GB 3838-2002 地表水环境质量标准, Table 1 (basic items): single-factor classification of one sample.
//!
//! Implements the class limits of Table 1 (`data/gb3838-2002.csv`, see `data/README.md` for provenance):
//! "at most" items take the best class whose limit the value does not exceed; dissolved oxygen (higher is better)
//! the best class whose limit the value reaches; pH is a range (6–9 for every class) modelled as one "at least 6"
//! and one "at most 9" bound; total phosphorus has separate river and lake/reservoir limits; equal limits in
//! neighbouring classes resolve to the better class; a value failing the class V limit is 劣V.
//!
//! The section class is set by the 21 section-evaluation items (水温, 总氮 and 粪大肠菌群 excluded, per the
//! 2011 evaluation method); TN and fecal coliform are still classified per item for separate reporting.
//! The exceedance multiple (超标倍数) over class III is `(C − C_III) / C_III`; pH and DO have none.
//! Water temperature and the DO class-I "90 % saturation" alternative are not implemented (memory only, [M]).

use std::fmt;
use std::sync::LazyLock;

use crate::refdata::{Confidence, RefDataError};

/// Number of items read from a sample (the 23 graded basic items; water temperature is not graded).
pub const ITEM_COUNT: usize = 23;

/// A basic item of GB 3838-2002 Table 1 (基本项目). Codes are the CLI column names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    /// pH值
    Ph,
    /// 溶解氧
    Do,
    /// 高锰酸盐指数
    CodMn,
    /// 化学需氧量
    Cod,
    /// 五日生化需氧量
    Bod5,
    /// 氨氮
    Nh3n,
    /// 总磷
    Tp,
    /// 总氮
    Tn,
    /// 铜
    Cu,
    /// 锌
    Zn,
    /// 氟化物
    F,
    /// 硒
    Se,
    /// 砷
    As,
    /// 汞
    Hg,
    /// 镉
    Cd,
    /// 铬(六价)
    Cr6,
    /// 铅
    Pb,
    /// 氰化物
    Cn,
    /// 挥发酚
    Phenol,
    /// 石油类
    Oil,
    /// 阴离子表面活性剂
    Las,
    /// 硫化物
    S,
    /// 粪大肠菌群 (个/L)
    Fc,
}

impl Item {
    /// All items, in CLI column order.
    pub const ALL: [Item; ITEM_COUNT] = [
        Item::Ph,
        Item::Do,
        Item::CodMn,
        Item::Cod,
        Item::Bod5,
        Item::Nh3n,
        Item::Tp,
        Item::Tn,
        Item::Cu,
        Item::Zn,
        Item::F,
        Item::Se,
        Item::As,
        Item::Hg,
        Item::Cd,
        Item::Cr6,
        Item::Pb,
        Item::Cn,
        Item::Phenol,
        Item::Oil,
        Item::Las,
        Item::S,
        Item::Fc,
    ];

    /// Column code (`ph`, `do`, `codmn`, …).
    pub fn code(self) -> &'static str {
        match self {
            Item::Ph => "ph",
            Item::Do => "do",
            Item::CodMn => "codmn",
            Item::Cod => "cod",
            Item::Bod5 => "bod5",
            Item::Nh3n => "nh3n",
            Item::Tp => "tp",
            Item::Tn => "tn",
            Item::Cu => "cu",
            Item::Zn => "zn",
            Item::F => "f",
            Item::Se => "se",
            Item::As => "as",
            Item::Hg => "hg",
            Item::Cd => "cd",
            Item::Cr6 => "cr6",
            Item::Pb => "pb",
            Item::Cn => "cn",
            Item::Phenol => "phenol",
            Item::Oil => "oil",
            Item::Las => "las",
            Item::S => "s",
            Item::Fc => "fc",
        }
    }

    /// Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Item::Ph => "pH值",
            Item::Do => "溶解氧",
            Item::CodMn => "高锰酸盐指数",
            Item::Cod => "化学需氧量",
            Item::Bod5 => "五日生化需氧量",
            Item::Nh3n => "氨氮",
            Item::Tp => "总磷",
            Item::Tn => "总氮",
            Item::Cu => "铜",
            Item::Zn => "锌",
            Item::F => "氟化物",
            Item::Se => "硒",
            Item::As => "砷",
            Item::Hg => "汞",
            Item::Cd => "镉",
            Item::Cr6 => "铬(六价)",
            Item::Pb => "铅",
            Item::Cn => "氰化物",
            Item::Phenol => "挥发酚",
            Item::Oil => "石油类",
            Item::Las => "阴离子表面活性剂",
            Item::S => "硫化物",
            Item::Fc => "粪大肠菌群",
        }
    }

    /// The item for a column code (case-insensitive, trimmed).
    pub fn from_code(code: &str) -> Option<Item> {
        let code = code.trim();
        Item::ALL.into_iter().find(|i| i.code().eq_ignore_ascii_case(code))
    }

    /// Position in [`Item::ALL`] and in a [`Values`] array.
    pub fn index(self) -> usize {
        self as usize
    }

    /// True for the 21 items that set a section's class (all but 总氮 and 粪大肠菌群; 水温 is not read).
    pub fn is_section_item(self) -> bool {
        !matches!(self, Item::Tn | Item::Fc)
    }

    /// True when an exceedance multiple (超标倍数) is defined (not for pH and DO).
    pub fn has_exceedance_multiple(self) -> bool {
        !matches!(self, Item::Ph | Item::Do)
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Measured values of one sample (or period means), indexed by [`Item::index`]; `None` = not measured.
pub type Values = [Option<f64>; ITEM_COUNT];

/// Surface-water quality class (水质类别), I best … 劣V worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WaterClass {
    /// I类
    I,
    /// II类
    II,
    /// III类
    III,
    /// IV类
    IV,
    /// V类
    V,
    /// 劣V类
    WorseThanV,
}

impl WaterClass {
    /// The six classes, best first.
    pub const ALL: [WaterClass; 6] = [
        WaterClass::I,
        WaterClass::II,
        WaterClass::III,
        WaterClass::IV,
        WaterClass::V,
        WaterClass::WorseThanV,
    ];

    /// Output label: `I`, `II`, `III`, `IV`, `V`, `劣V`.
    pub fn label(self) -> &'static str {
        match self {
            WaterClass::I => "I",
            WaterClass::II => "II",
            WaterClass::III => "III",
            WaterClass::IV => "IV",
            WaterClass::V => "V",
            WaterClass::WorseThanV => "劣V",
        }
    }

    /// The class as Chinese text writes it, with the Roman numerals of Unicode: `Ⅱ类`, `劣Ⅴ类`.
    pub fn zh(self) -> &'static str {
        match self {
            WaterClass::I => "Ⅰ类",
            WaterClass::II => "Ⅱ类",
            WaterClass::III => "Ⅲ类",
            WaterClass::IV => "Ⅳ类",
            WaterClass::V => "Ⅴ类",
            WaterClass::WorseThanV => "劣Ⅴ类",
        }
    }

    /// The class in English: `II`, `worse than V`.
    pub fn en(self) -> &'static str {
        match self {
            WaterClass::WorseThanV => "worse than V",
            other => other.label(),
        }
    }

    /// Parses a label as written by [`WaterClass::label`].
    pub fn from_label(s: &str) -> Option<Self> {
        WaterClass::ALL.into_iter().find(|c| c.label() == s.trim())
    }

    /// Status word (水质状况) of the 2011 evaluation method: I–II 优, III 良好, IV 轻度污染, V 中度污染, 劣V 重度污染.
    pub fn status(self) -> &'static str {
        match self {
            WaterClass::I | WaterClass::II => "优",
            WaterClass::III => "良好",
            WaterClass::IV => "轻度污染",
            WaterClass::V => "中度污染",
            WaterClass::WorseThanV => "重度污染",
        }
    }

    /// True for classes I–III (达到或优于III类).
    pub fn meets_iii(self) -> bool {
        self <= WaterClass::III
    }

    /// The class's place in [`WaterClass::ALL`] (I is 0, 劣V 5).
    pub fn index(self) -> usize {
        self as usize
    }

    fn from_index(k: usize) -> Self {
        WaterClass::ALL.get(k).copied().unwrap_or(WaterClass::WorseThanV)
    }
}

impl fmt::Display for WaterClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Kind of water body; selects the total-phosphorus column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Waterbody {
    /// 河流
    River,
    /// 湖泊、水库
    Lake,
}

impl Waterbody {
    /// Parses `river` or `lake` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("river") {
            Some(Self::River)
        } else if s.eq_ignore_ascii_case("lake") {
            Some(Self::Lake)
        } else {
            None
        }
    }

    /// `river` or `lake`.
    pub fn code(self) -> &'static str {
        match self {
            Self::River => "river",
            Self::Lake => "lake",
        }
    }
}

/// Direction of a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The value must not exceed the limit (`≤`).
    AtMost,
    /// The value must reach the limit (`≥`, e.g. dissolved oxygen, pH lower bound).
    AtLeast,
}

/// The five class limits of one item in one direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// `≤` or `≥`.
    pub direction: Direction,
    /// Limits for classes I … V.
    pub limits: [f64; 5],
}

impl Bound {
    /// Best class this bound allows for `value`: the first class whose limit is met, else 劣V (NaN meets
    /// none). Scanning from class I makes equal limits resolve to the better class. The limits are ordered
    /// from class I to V (ascending for `≤`, descending for `≥`; [`Table::parse`] refuses others), so the
    /// limits met form a tail and the class is the number of limits not met — counted without a branch on
    /// the value.
    #[inline]
    pub fn class_of(&self, value: f64) -> WaterClass {
        if value.is_nan() {
            return WaterClass::WorseThanV;
        }
        let not_met = match self.direction {
            Direction::AtMost => self.limits.iter().map(|&lim| usize::from(value > lim)).sum(),
            Direction::AtLeast => self.limits.iter().map(|&lim| usize::from(value < lim)).sum(),
        };
        WaterClass::from_index(not_met)
    }
}

/// Up to two bounds per item (pH has two).
type ItemBounds = [Option<Bound>; 2];

/// The limits table of GB 3838-2002 Table 1, per water-body kind and item.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    rules: [[ItemBounds; ITEM_COUNT]; 2],
    /// The same bounds in the form [`Graded::class`] judges without a branch (made from `rules` by
    /// [`Table::parse`]).
    graded: [[Graded; ITEM_COUNT]; 2],
}

/// An item's bounds for one kind of water body, each as "at most" limits on `sign × value` (an "at least"
/// limit `value ≥ lim` is `−value ≤ −lim`: negation is exact, so the comparisons are the same); a missing
/// second bound has limits +∞, which no value exceeds. `graded` is false when the item has no bound there.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Graded {
    graded: bool,
    two: bool,
    sign: [f64; 2],
    limits: [[f64; 5]; 2],
}

impl Graded {
    fn new(bounds: &ItemBounds) -> Self {
        let mut g = Graded {
            graded: false,
            two: false,
            sign: [1.0; 2],
            limits: [[f64::INFINITY; 5]; 2],
        };
        for (k, b) in bounds.iter().flatten().enumerate().take(2) {
            g.graded = true;
            g.two = k == 1;
            let sign = match b.direction {
                Direction::AtMost => 1.0,
                Direction::AtLeast => -1.0,
            };
            g.sign[k] = sign;
            g.limits[k] = b.limits.map(|lim| sign * lim);
        }
        g
    }

    /// The worst class the bounds allow for `value`, as an index into [`WaterClass::ALL`]: for each bound
    /// the number of limits not met ([`Bound::class_of`]), the larger of the two; NaN meets no limit (劣V).
    #[inline]
    fn class(&self, value: f64) -> usize {
        let not_met = |k: usize| -> usize {
            let x = self.sign[k] * value;
            self.limits[k].iter().map(|&lim| usize::from(x > lim)).sum()
        };
        let worst = if self.two {
            not_met(0).max(not_met(1))
        } else {
            not_met(0)
        };
        if value.is_nan() { 5 } else { worst }
    }
}

static EMBEDDED_TEXT: &str = include_str!("../data/gb3838-2002.csv");

static EMBEDDED: LazyLock<Table> = LazyLock::new(|| {
    // The embedded file is shipped data, checked by the conformance tests; it cannot come from user input.
    Table::parse(EMBEDDED_TEXT).expect("embedded data/gb3838-2002.csv must parse")
});

fn wb_index(wb: Waterbody) -> usize {
    match wb {
        Waterbody::River => 0,
        Waterbody::Lake => 1,
    }
}

impl Table {
    /// The table shipped with the crate (`data/gb3838-2002.csv`).
    pub fn embedded() -> &'static Table {
        &EMBEDDED
    }

    /// The raw text of the shipped table.
    pub fn embedded_text() -> &'static str {
        EMBEDDED_TEXT
    }

    /// Parses a table in the format of `data/gb3838-2002.csv`
    /// (`item,waterbody,direction,I,II,III,IV,V,unit,name_zh,confidence,note`).
    pub fn parse(text: &str) -> Result<Self, RefDataError> {
        let mut rules: [[ItemBounds; ITEM_COUNT]; 2] = [[[None; 2]; ITEM_COUNT]; 2];
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        for rec in rdr.records() {
            let rec = rec.map_err(|e| RefDataError {
                line: 0,
                message: e.to_string(),
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let err = |message: String| RefDataError { line, message };
            let field = |i: usize| rec.get(i).unwrap_or("").trim();
            let item = Item::from_code(field(0)).ok_or_else(|| err(format!("unknown item {:?}", field(0))))?;
            let wbs: &[Waterbody] = match field(1) {
                "all" => &[Waterbody::River, Waterbody::Lake],
                "river" => &[Waterbody::River],
                "lake" => &[Waterbody::Lake],
                other => {
                    return Err(err(format!("waterbody must be all, river or lake, not {other:?}")));
                }
            };
            let direction = match field(2) {
                "le" => Direction::AtMost,
                "ge" => Direction::AtLeast,
                other => return Err(err(format!("direction must be le or ge, not {other:?}"))),
            };
            let mut limits = [0.0; 5];
            for (k, lim) in limits.iter_mut().enumerate() {
                *lim = field(3 + k)
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| err(format!("{item}: class limit {} is not a number", k + 1)))?;
            }
            let monotone = limits.windows(2).all(|w| match direction {
                Direction::AtMost => w[0] <= w[1],
                Direction::AtLeast => w[0] >= w[1],
            });
            if !monotone {
                return Err(err(format!("{item}: limits are not ordered from class I to V")));
            }
            if Confidence::parse(field(10)).is_none() {
                return Err(err(format!("{item}: confidence must be V2, V1, M or C")));
            }
            let bound = Bound { direction, limits };
            for &wb in wbs {
                let slots = &mut rules[wb_index(wb)][item.index()];
                if slots.iter().flatten().any(|b| b.direction == direction) {
                    return Err(err(format!("{item}: duplicate {direction:?} bound for {}", wb.code())));
                }
                let Some(slot) = slots.iter_mut().find(|s| s.is_none()) else {
                    return Err(err(format!("{item}: more than two bounds")));
                };
                *slot = Some(bound);
            }
        }
        for item in Item::ALL {
            if item != Item::Tn && rules.iter().any(|r| r[item.index()].iter().all(Option::is_none)) {
                return Err(RefDataError {
                    line: 0,
                    message: format!("{item}: no limits for some water-body kind"),
                });
            }
        }
        let graded = rules.map(|kind| kind.map(|bounds| Graded::new(&bounds)));
        Ok(Self { rules, graded })
    }

    /// The bounds of `item` for water-body kind `wb` (empty when the item is not graded there, e.g. TN in rivers).
    pub fn bounds(&self, wb: Waterbody, item: Item) -> impl Iterator<Item = &Bound> {
        self.rules[wb_index(wb)][item.index()].iter().flatten()
    }

    /// Single-factor class of one item; `None` when the item has no limits for this kind of water body.
    #[inline]
    pub fn item_class(&self, wb: Waterbody, item: Item, value: f64) -> Option<WaterClass> {
        let g = &self.graded[wb_index(wb)][item.index()];
        g.graded.then(|| WaterClass::from_index(g.class(value)))
    }

    /// The class III "at most" limit of an item, the base of its exceedance multiple.
    pub fn class_iii_limit(&self, wb: Waterbody, item: Item) -> Option<f64> {
        self.bounds(wb, item)
            .find(|b| b.direction == Direction::AtMost)
            .map(|b| b.limits[2])
    }

    /// Classifies a sample (or a set of period means).
    pub fn classify(&self, wb: Waterbody, values: &Values) -> Assessment {
        let (item_classes, class) = self.classes(wb, values);
        Assessment {
            waterbody: wb,
            values: *values,
            item_classes,
            class,
        }
    }

    /// The classes of [`Self::classify`] alone (per item, and the sample's), without copying the values.
    #[inline]
    pub fn classes(&self, wb: Waterbody, values: &Values) -> ([Option<WaterClass>; ITEM_COUNT], Option<WaterClass>) {
        // The section class is the worst class of the section items measured — counted here as class
        // index + 1, 0 when none was measured.
        let graded = &self.graded[wb_index(wb)];
        let mut item_classes = [None; ITEM_COUNT];
        let mut worst = 0usize;
        for item in Item::ALL {
            let i = item.index();
            let g = &graded[i];
            let Some(v) = values[i] else { continue };
            if !g.graded {
                continue;
            }
            let c = g.class(v);
            item_classes[i] = Some(WaterClass::from_index(c));
            worst = worst.max(if item.is_section_item() { c + 1 } else { 0 });
        }
        let class = worst.checked_sub(1).map(WaterClass::from_index);
        (item_classes, class)
    }

    /// The sample's class and its class items (定类项目) as a bit set over [`Item::index`] — what
    /// [`Self::classes`] and [`class_item_mask`] give together — in one pass over the section items, with
    /// no per-item classes kept: each measured section item's bit is added to the set of its class, and the
    /// set of the worst class is the answer (none for class I). The classifier's per-sample judgement.
    #[inline]
    pub fn section_class(&self, wb: Waterbody, values: &Values) -> (Option<WaterClass>, u32) {
        let graded = &self.graded[wb_index(wb)];
        let mut by_class = [0u32; WaterClass::ALL.len()];
        let mut worst = 0usize;
        for item in Item::ALL {
            let i = item.index();
            let g = &graded[i];
            let Some(v) = values[i] else { continue };
            if !g.graded || !item.is_section_item() {
                continue;
            }
            // `Graded::class` is at most 5 (劣V).
            let c = g.class(v).min(WaterClass::ALL.len() - 1);
            by_class[c] |= 1 << i;
            worst = worst.max(c + 1);
        }
        let mask = if worst > 1 { by_class[worst - 1] } else { 0 };
        (worst.checked_sub(1).map(WaterClass::from_index), mask)
    }
}

/// An item ranked among a sample's main pollutants (主要污染指标).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MainPollutant {
    /// The item.
    pub item: Item,
    /// Its single-factor class.
    pub class: WaterClass,
    /// 超标倍数 over class III; `None` for pH and DO.
    pub exceedance: Option<f64>,
}

/// The section items whose class equals `class` (定类项目); empty for class I (see
/// [`Assessment::class_items`]).
pub fn class_items(
    class: Option<WaterClass>,
    item_classes: &[Option<WaterClass>; ITEM_COUNT],
) -> impl Iterator<Item = Item> + '_ {
    let mut mask = class_item_mask(class, item_classes);
    // The set bits, lowest first (Table 1 order).
    std::iter::from_fn(move || {
        let i = mask.trailing_zeros() as usize;
        mask &= mask.wrapping_sub(1);
        Item::ALL.get(i).copied()
    })
}

/// [`class_items`] as a bit set (bit [`Item::index`]), found without a branch per item.
#[inline]
pub fn class_item_mask(class: Option<WaterClass>, item_classes: &[Option<WaterClass>; ITEM_COUNT]) -> u32 {
    let Some(class) = class.filter(|c| *c != WaterClass::I) else {
        return 0;
    };
    Item::ALL.into_iter().fold(0, |mask, i| {
        mask | u32::from(i.is_section_item() && item_classes[i.index()] == Some(class)) << i.index()
    })
}

/// Result of classifying one sample or one period (单因子评价).
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Water-body kind used for the limits.
    pub waterbody: Waterbody,
    /// The values classified.
    pub values: Values,
    /// Per-item class (also for TN and fecal coliform, which do not set the section class).
    pub item_classes: [Option<WaterClass>; ITEM_COUNT],
    /// Class from the section items; `None` when no section item was measured.
    pub class: Option<WaterClass>,
}

impl Assessment {
    /// The section items whose class equals the sample's class (定类项目); empty for class I.
    pub fn class_items(&self) -> impl Iterator<Item = Item> + '_ {
        class_items(self.class, &self.item_classes)
    }

    /// 超标倍数 of an item over class III, `(C − C_III)/C_III`, when the item is worse than class III
    /// and an exceedance multiple is defined for it.
    pub fn exceedance(&self, table: &Table, item: Item) -> Option<f64> {
        let c = self.item_classes[item.index()]?;
        if c.meets_iii() || !item.has_exceedance_multiple() {
            return None;
        }
        let v = self.values[item.index()]?;
        let lim = table.class_iii_limit(self.waterbody, item)?;
        (lim > 0.0).then(|| (v - lim) / lim)
    }

    /// The up to three worst section items worse than class III (主要污染指标): ranked by class, then by
    /// exceedance multiple (larger first); pH and DO, which have no multiple, rank after items of the same
    /// class that have one (an ordering choice, [M]); remaining ties keep the Table 1 order.
    pub fn main_pollutants(&self, table: &Table) -> Vec<MainPollutant> {
        let mut v: Vec<MainPollutant> = Item::ALL
            .into_iter()
            .filter(|i| i.is_section_item())
            .filter_map(|item| {
                let class = self.item_classes[item.index()]?;
                (!class.meets_iii()).then(|| MainPollutant {
                    item,
                    class,
                    exceedance: self.exceedance(table, item),
                })
            })
            .collect();
        v.sort_by(|a, b| {
            b.class.cmp(&a.class).then_with(|| match (a.exceedance, b.exceedance) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
        });
        v.truncate(3);
        v
    }
}

/// Formats main pollutants as `tp(1.50);nh3n(0.80);do` (multiple to two decimals; none for pH/DO).
pub fn format_main_pollutants(list: &[MainPollutant]) -> String {
    let mut s = String::new();
    for (k, p) in list.iter().enumerate() {
        if k > 0 {
            s.push(';');
        }
        s.push_str(p.item.code());
        if let Some(m) = p.exceedance {
            s.push_str(&format!("({m:.2})"));
        }
    }
    s
}
