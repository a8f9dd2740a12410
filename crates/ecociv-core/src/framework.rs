//! The indicator framework: an edition of the national indicator set, as data.
//!
//! A framework is read from a data file (see `data/frameworks/` and the `ecociv-data` crate); this module
//! only holds its shape. The same shape holds other editions (the 2024 set) and other regional variants
//! without code changes: a new edition is a new data file.

use std::collections::BTreeMap;

/// An edition of the demonstration-zone indicator set, e.g. 国家生态文明建设示范区建设指标（2021年修订版）.
#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    /// Stable identifier, e.g. `national-2021`.
    pub id: String,
    /// Chinese name as the issuing document writes it.
    pub name: String,
    pub name_en: String,
    /// The edition, e.g. `2021`; recorded with every assessment.
    pub edition: String,
    /// Where the content of this file comes from, in prose.
    pub source: String,
    pub domains: Vec<Domain>,
    pub tasks: Vec<Task>,
    /// Indicators in the order of the table.
    pub indicators: Vec<Indicator>,
    pub designation: DesignationRule,
    /// Target texts that restate a standard's wording (完成上级规定的考核任务, …) rather than give a figure.
    pub restating_phrases: Vec<String>,
    /// Points per row, partial credit and a pass score, for a scored edition (评分细则, issue 15).
    pub scoring: Option<crate::score::Scoring>,
}

/// Normalises a text for comparison: no whitespace, half-width punctuation to full-width (so
/// "面积不减少, 性质不改变" equals "面积不减少，性质不改变").
pub fn normalize_text(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '(' => '（',
            ')' => '）',
            other => other,
        })
        .collect()
}

/// A domain (领域), e.g. 生态制度.
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    pub id: String,
    pub name: String,
    pub name_en: String,
}

/// A task (任务), e.g. (一) 目标责任体系与制度建设.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: String,
    pub domain: String,
    pub name: String,
    pub name_en: String,
}

/// An indicator (指标), numbered 1–35 in the 2021 set. It has one row, or several sub-indicator rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// The number as text, e.g. `7`.
    pub id: String,
    pub task: String,
    pub name: String,
    pub name_en: String,
    /// 约束性 (binding) or 参考性 (reference).
    pub attribute: Attribute,
    /// The rows that carry values. A plain indicator has one row whose id equals the indicator's id;
    /// an indicator with sub-indicators has rows `N.1`, `N.2`, … in the table's order.
    pub rows: Vec<Row>,
}

impl Indicator {
    /// True when the indicator is split into sub-indicators (its rows are `N.k`).
    pub fn has_sub_rows(&self) -> bool {
        !(self.rows.len() == 1 && self.rows[0].id == self.id)
    }
}

/// A row of the table that carries a value: an indicator without sub-indicators, or a sub-indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `3`, or `7.1` for a sub-indicator.
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// Unit as the table writes it (`%`, `-`, `吨标准煤/万元`, …).
    pub unit: String,
    /// Decimal places a figure of this row is written with (at most; see [`crate::format`]), as Table 2-1
    /// prints the row's figures. `None` for a row the data gives none (then
    /// [`crate::format::DEFAULT_PRECISION`]).
    pub precision: Option<u8>,
    /// Which way is better. Set explicitly per row in the data; never defaulted.
    pub direction: Direction,
    /// The admissible numeric range of a value, e.g. 0–100 for a share. A value at the better end of
    /// the range cannot improve further (the "natural limit").
    pub range: Option<(f64, f64)>,
    /// The accepted and failing state texts of this row (制定实施, 正在制定, 无劣V类水体, …).
    pub states: Vec<StateDef>,
    /// The row takes spatial records (面积/性质/功能) as well as states.
    pub spatial: bool,
    /// The criterion by zone type. The first variant whose conditions all match the zone applies.
    pub variants: Vec<Variant>,
}

impl Row {
    /// The variant of the criterion that applies to a zone with these attributes.
    pub fn variant_for(&self, zone_attributes: &BTreeMap<String, String>) -> Option<&Variant> {
        self.variants.iter().find(|variant| {
            variant
                .when
                .iter()
                .all(|(key, wanted)| zone_attributes.get(key) == Some(wanted))
        })
    }

    /// Looks a state text up in the row's vocabulary.
    pub fn state(&self, text: &str) -> Option<&StateDef> {
        let text = normalize_text(text);
        self.states.iter().find(|state| {
            normalize_text(&state.text) == text || state.aliases.iter().any(|alias| normalize_text(alias) == text)
        })
    }

    /// The figure a value stands for: a number itself, or a state's declared equivalent.
    pub fn numeric(&self, value: &crate::value::Value) -> Option<f64> {
        match value {
            crate::value::Value::Number(number) => Some(*number),
            crate::value::Value::State(text) => self.state(text).and_then(|state| state.equals),
            crate::value::Value::Spatial(_) => None,
        }
    }

    /// How this row's figures, changes and states are written (the one formatter).
    pub fn format(&self) -> crate::format::RowFormat {
        crate::format::RowFormat::for_row(self)
    }

    /// True when the row takes numbers (its criterion is not a pure state vocabulary).
    pub fn takes_numbers(&self) -> bool {
        self.direction != Direction::NotApplicable
    }
}

/// One regional or level variant of a row's standard, e.g. 生态环境状况指数 ≥60 for 湿润地区.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Conditions on the zone's attributes (`climate`, `terrain`, `level`); empty means "any zone".
    pub when: BTreeMap<String, String>,
    /// The standard value as the table prints it, e.g. `≥60`.
    pub standard: String,
    pub criterion: Criterion,
    /// Where this value comes from and how sure it is (e.g. "规划表2-1" or "[M] unverified").
    pub note: String,
}

/// 约束性 / 参考性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attribute {
    /// 约束性: must be met for designation.
    Binding,
    /// 参考性: a share of them must be met.
    Reference,
}

impl Attribute {
    pub fn code(self) -> &'static str {
        match self {
            Attribute::Binding => "binding",
            Attribute::Reference => "reference",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Attribute::Binding => "约束性",
            Attribute::Reference => "参考性",
        }
    }
}

/// Which way a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    /// The row takes only state texts.
    NotApplicable,
}

impl Direction {
    /// True when `candidate` is at least as good as `reference` in this direction.
    pub fn at_least_as_good(self, candidate: f64, reference: f64) -> bool {
        match self {
            Direction::HigherIsBetter => candidate >= reference,
            Direction::LowerIsBetter => candidate <= reference,
            Direction::NotApplicable => false,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher",
            Direction::LowerIsBetter => "lower",
            Direction::NotApplicable => "none",
        }
    }
}

/// A state text and what it means for the criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct StateDef {
    pub text: String,
    /// Other spellings accepted on input (e.g. without the full-width punctuation).
    pub aliases: Vec<String>,
    pub verdict: StateVerdict,
    /// The figure the state stands for, when it stands for one (无劣V类水体 = 0 %, "…比例为100%" = 100 %):
    /// it lets a later figure be compared with it for "stable or improving".
    pub equals: Option<f64>,
}

/// What a state text says about a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateVerdict {
    /// The state meets the criterion (制定实施, 有效开展, 无劣V类水体, …).
    Meets,
    /// The state fails it (正在制定, 未建立, …).
    Fails,
    /// The state describes the situation but does not by itself decide (e.g. a description of work
    /// done for "完成上级管控目标"): the judgement then rests on the higher level's verdict.
    Describes,
}

/// The kinds of criterion the standard uses. Each is a real rule (see [`crate::judge`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Criterion {
    /// `≥ x` in the row's unit.
    AtLeast(f64),
    /// `≤ x`.
    AtMost(f64),
    /// A bare `100`: the value must reach x in the row's direction (99.99 does not reach 100).
    Reach(f64),
    /// Judged by the row's state vocabulary alone (制定实施, 建立, 不明显, …).
    States,
    /// 完成上级规定的考核任务 / 目标任务 / 管控目标: against the higher level's assigned value for the
    /// year (in the row's direction) or the higher level's recorded verdict (完成 / 未完成).
    AssignedTask { wording: String },
    /// 保持稳定或持续改善: at least as good as the latest earlier value on record.
    StableOrImproving,
    /// A rise of at least x points against the latest earlier value (e.g. 提高幅度 ≥2).
    RiseAtLeast(f64),
    /// Several parts, e.g. "完成上级规定的考核任务；保持稳定或持续改善": met when every part that can be
    /// judged is met; no data when no part can be judged.
    AllOf(Vec<Criterion>),
    /// 面积不减少，性质不改变，功能不降低 (ecological red line, protected areas).
    Spatial,
    /// Indicator 22's rule: a zone whose level is at or below `threshold` must satisfy `at_or_below`,
    /// a zone above it `above` (≤60%: rise ≥2 points; >60%: stable or improving).
    Conditional {
        threshold: f64,
        at_or_below: Box<Criterion>,
        above: Box<Criterion>,
    },
    /// The standard for this kind of zone is not known (not given by any source we hold).
    Unknown { reason: String },
}

impl Criterion {
    /// The standard's figure that a chart draws as its threshold line: the `x` of `≥ x`, `≤ x` or a bare
    /// `x`, or of the first such part of an [`Criterion::AllOf`]; `None` for a criterion without one (a
    /// state rule, a task assigned by the higher level, a change against an earlier year, a condition on
    /// the zone's own level). The one home of this rule: the pages and the Word report call it.
    pub fn threshold(&self) -> Option<f64> {
        match self {
            Criterion::AtLeast(value) | Criterion::AtMost(value) | Criterion::Reach(value) => Some(*value),
            Criterion::AllOf(parts) => parts.iter().find_map(Criterion::threshold),
            Criterion::States
            | Criterion::AssignedTask { .. }
            | Criterion::StableOrImproving
            | Criterion::RiseAtLeast(_)
            | Criterion::Spatial
            | Criterion::Conditional { .. }
            | Criterion::Unknown { .. } => None,
        }
    }
}

/// The designation rule of the management rules (管理规程), as data.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignationRule {
    /// Every binding indicator must be met.
    pub all_binding_met: bool,
    /// The share (0–1) of reference indicators that must be met.
    pub reference_min_share: f64,
    /// Where the share comes from and how sure it is.
    pub note: String,
}

impl Framework {
    /// The year an edition was issued, read from the start of its `edition` (`2021`, `2021-示例评分` →
    /// 2021): the order of editions ([`crate::zone::check_edition_order`]). `None` when it does not begin
    /// with four digits.
    pub fn edition_year(&self) -> Option<i32> {
        let digits = self.edition.get(..4)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let next = self.edition[4..].chars().next();
        if next.is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    }

    /// All rows in table order.
    pub fn rows(&self) -> impl Iterator<Item = (&Indicator, &Row)> {
        self.indicators
            .iter()
            .flat_map(|indicator| indicator.rows.iter().map(move |row| (indicator, row)))
    }

    /// Finds a row by id (`3`, `7.1`).
    pub fn row(&self, id: &str) -> Option<(&Indicator, &Row)> {
        self.rows().find(|(_, row)| row.id == id)
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|indicator| indicator.id == id)
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|task| task.id == id)
    }

    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|domain| domain.id == id)
    }

    /// The domain an indicator belongs to.
    pub fn domain_of(&self, indicator: &Indicator) -> Option<&Domain> {
        self.task(&indicator.task).and_then(|task| self.domain(&task.domain))
    }

    /// Checks the framework's internal consistency: unique ids, tasks and domains that exist, rows with
    /// at least one variant, numeric criteria on numeric rows. Returns every problem found.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for indicator in &self.indicators {
            if self.task(&indicator.task).is_none() {
                problems.push(format!("indicator {}: unknown task {}", indicator.id, indicator.task));
            }
            if indicator.rows.is_empty() {
                problems.push(format!("indicator {}: has no rows", indicator.id));
            }
            for row in &indicator.rows {
                if !seen.insert(row.id.clone()) {
                    problems.push(format!("row {}: duplicate id", row.id));
                }
                if row.variants.is_empty() {
                    problems.push(format!("row {}: has no criterion", row.id));
                }
                if indicator.has_sub_rows() && !row.id.starts_with(&format!("{}.", indicator.id)) {
                    problems.push(format!(
                        "row {}: sub-row of {} must be numbered {}.k",
                        row.id, indicator.id, indicator.id
                    ));
                }
                for variant in &row.variants {
                    if needs_numbers(&variant.criterion) && !row.takes_numbers() {
                        problems.push(format!("row {}: numeric criterion on a row without direction", row.id));
                    }
                }
            }
        }
        for task in &self.tasks {
            if self.domain(&task.domain).is_none() {
                problems.push(format!("task {}: unknown domain {}", task.id, task.domain));
            }
        }
        for (_, row) in self.rows() {
            if let Some(precision) = row.precision
                && precision > crate::format::MAX_DECIMALS
            {
                problems.push(format!(
                    "row {}: precision {precision} is above {}",
                    row.id,
                    crate::format::MAX_DECIMALS
                ));
            }
            if let Some((low, high)) = row.range
                && low > high
            {
                problems.push(format!("row {}: range {low}–{high} is empty", row.id));
            }
        }
        if !(0.0..=1.0).contains(&self.designation.reference_min_share) {
            problems.push("designation: reference_min_share must be within 0–1".to_string());
        }
        problems
    }
}

fn needs_numbers(criterion: &Criterion) -> bool {
    match criterion {
        Criterion::AtLeast(_)
        | Criterion::AtMost(_)
        | Criterion::Reach(_)
        | Criterion::StableOrImproving
        | Criterion::RiseAtLeast(_)
        | Criterion::Conditional { .. } => true,
        Criterion::AllOf(parts) => parts.iter().any(needs_numbers),
        Criterion::States | Criterion::AssignedTask { .. } | Criterion::Spatial | Criterion::Unknown { .. } => false,
    }
}
