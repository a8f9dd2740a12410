//! Ledger kinds (台账类型) from their TOML files: fields, lifecycle and feeds, checked against the framework.
//! The format is documented in `docs/ledgers.md`; every problem names the file, line and field, and a file
//! with any problem gives no kind.

use std::collections::BTreeSet;

use ecociv_core::Framework;
use ecociv_data::{DataError, Problem};
use serde::Deserialize;
use toml::Spanned;

use crate::record::Cell;

/// A ledger kind (台账类型): what a register's records hold, how they move through their lifecycle and
/// which Table 2-1 rows they feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Kind {
    pub id: String,
    /// Raised whenever fields or feeds change; recorded in every derived figure.
    pub version: u32,
    pub name: String,
    pub name_en: String,
    /// The department that keeps the register (填报部门).
    pub department: String,
    /// Where the kind comes from (the seed's section, the standard's indicator explanation).
    pub source: String,
    pub doubt: Option<String>,
    pub fields: Vec<Field>,
    pub lifecycle: Option<Lifecycle>,
    pub feeds: Vec<Feed>,
    /// The monitoring samples kept with the records, if any (`[samples]`).
    pub samples: Option<Samples>,
    /// The file the kind was read from (for messages).
    pub file: String,
}

/// Monitoring samples that belong to a register's records (样品关联): the samples of the monitoring kind
/// `kind` (its code, e.g. `soil_development`) whose sample code, up to its last hyphen, is a record's
/// `field` — sample 原某电镀厂地块-S1 is one of plot 原某电镀厂地块's. The contaminated-land register
/// shows each plot's soil judgements this way (issue 19).
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    /// The monitoring kind's code (checked against the monitoring kinds by the server's tests: this crate
    /// does not know them).
    pub kind: String,
    /// The id of the text field that names the record a sample belongs to.
    pub field: String,
}

impl Samples {
    /// The record name a sample code belongs to: the code up to its last ASCII hyphen (`原某电镀厂地块-S1`
    /// → `原某电镀厂地块`); a code without a hyphen is its own name.
    pub fn owner(code: &str) -> &str {
        code.trim()
            .rsplit_once('-')
            .map_or(code.trim(), |(owner, _)| owner.trim())
    }
}

/// A field of a record (字段).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub id: String,
    /// The Chinese name: the template's and the CSV's header.
    pub name: String,
    pub ty: FieldType,
    pub unit: Option<String>,
    pub range: Option<(f64, f64)>,
    pub required: bool,
    pub note: Option<String>,
}

/// A field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    Text,
    Number,
    Integer,
    /// `YYYY-MM-DD` (also `YYYY/MM/DD`).
    Date,
    Year,
    /// 是 / 否.
    Bool,
    /// One of the listed texts.
    Choice(Vec<String>),
}

impl FieldType {
    pub fn code(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Integer => "integer",
            FieldType::Date => "date",
            FieldType::Year => "year",
            FieldType::Bool => "bool",
            FieldType::Choice(_) => "choice",
        }
    }

    /// What a person types, in Chinese (the template's second header line).
    pub fn hint_zh(&self) -> String {
        match self {
            FieldType::Text => "文本".to_string(),
            FieldType::Number => "数值".to_string(),
            FieldType::Integer => "整数".to_string(),
            FieldType::Date => "日期（年-月-日）".to_string(),
            FieldType::Year => "年份".to_string(),
            FieldType::Bool => "是/否".to_string(),
            FieldType::Choice(values) => format!("选填：{}", values.join("、")),
        }
    }
}

/// A lifecycle (生命周期), e.g. 登记 → 整改中 → 销号.
#[derive(Debug, Clone, PartialEq)]
pub struct Lifecycle {
    pub states: Vec<String>,
    pub initial: String,
    pub transitions: Vec<(String, String)>,
    /// States that take no further transition (销号).
    pub closed: Vec<String>,
    /// A record's first revision may be in any state (importing an existing register).
    pub import_any_state: bool,
}

impl Lifecycle {
    pub fn allows(&self, from: &str, to: &str) -> bool {
        (from == to && !self.closed.iter().any(|c| c == from))
            || self.transitions.iter().any(|(a, b)| a == from && b == to)
    }
}

/// What a derived figure is to its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The row's value: it goes into the workflow as an observation.
    Value,
    /// A figure shown beside the row (e.g. open hazards for a row whose value is a state).
    Input,
}

/// Which records a year takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Period {
    /// Records whose year or date field falls in the year (flows).
    YearOf(String),
    /// Records whose year or date field is on or before the year's end (stocks).
    AsOf(String),
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    In,
    Ge,
    Gt,
    Le,
    Lt,
}

impl Op {
    fn parse(text: &str) -> Option<Op> {
        Some(match text {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "in" => Op::In,
            "ge" => Op::Ge,
            "gt" => Op::Gt,
            "le" => Op::Le,
            "lt" => Op::Lt,
            _ => return None,
        })
    }

    pub fn zh(self) -> &'static str {
        match self {
            Op::Eq => "为",
            Op::Ne => "不为",
            Op::In => "属于",
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
        }
    }
}

/// A condition on a record: `field op value`, or `field op other` — two fields of the same record compared
/// (e.g. 公开日期 ≤ 应公开日期: published on time); `field = "state"` is the lifecycle state in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: String,
    pub op: Op,
    /// One value, or several for `in`; empty when `other` is given.
    pub values: Vec<Cell>,
    /// The field compared with, for a field-to-field condition (both of one type; a record with either
    /// field empty meets only `ne`).
    pub other: Option<String>,
}

/// What a part of a formula adds up.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    Count,
    Sum(Summand),
}

/// What a sum adds up for each record: a numeric field, less another (`less`, e.g. a control plot's uptake
/// in the difference method of 化肥利用率), times a third (`times`, e.g. the area a field trial stands for, to
/// weight trials in a ratio of sums). Every field named must be filled in every record taken.
#[derive(Debug, Clone, PartialEq)]
pub struct Summand {
    pub field: String,
    pub less: Option<String>,
    pub times: Option<String>,
}

impl Summand {
    /// The field itself.
    pub fn of(field: &str) -> Self {
        Summand {
            field: field.to_string(),
            less: None,
            times: None,
        }
    }

    /// The fields a record must have filled for this summand.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.field.as_str())
            .chain(self.less.as_deref())
            .chain(self.times.as_deref())
    }
}

/// A numerator or denominator: a measure over the records that pass its own conditions too.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub measure: Measure,
    pub filter: Vec<Condition>,
}

/// A feed's formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    Count,
    Sum(String),
    Ratio {
        numerator: Part,
        denominator: Part,
        scale: f64,
    },
}

/// The change against a base year.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub base: Base,
    pub how: ChangeHow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Previous,
    Year(i32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeHow {
    /// (base − now) / base × 100 (下降率).
    FallPercent,
    /// (now − base) / base × 100 (增长率).
    RisePercent,
    /// now − base (提高幅度, in the figure's unit).
    Difference,
}

/// A feed (指标来源): how a kind's records give a row's figure for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub row: String,
    pub role: Role,
    /// The figure's name (Chinese); the row's name when absent.
    pub label: Option<String>,
    pub unit: Option<String>,
    pub period: Period,
    pub filter: Vec<Condition>,
    pub formula: Formula,
    pub change: Option<Change>,
    /// Which part of the row's standard the figure judges, when not all of it.
    pub covers: Option<String>,
    /// Where the formula comes from.
    pub basis: String,
    pub doubt: Option<String>,
    /// The feed's line in the kind file.
    /// For a ratio: list the denominator's records that are not in the numerator, grouped by this field
    /// (e.g. the disclosures not made on time, by owner department).
    pub shortfall_by: Option<String>,
    pub line: u64,
}

impl Kind {
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The feeds of a row.
    pub fn feeds_of<'a>(&'a self, row: &'a str) -> impl Iterator<Item = &'a Feed> + 'a {
        self.feeds.iter().filter(move |f| f.row == row)
    }
}

// ---------------------------------------------------------------- the file format

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindToml {
    id: String,
    version: u32,
    name: String,
    name_en: String,
    department: String,
    source: String,
    doubt: Option<String>,
    fields: Vec<Spanned<FieldToml>>,
    lifecycle: Option<Spanned<LifecycleToml>>,
    #[serde(default)]
    feeds: Vec<Spanned<FeedToml>>,
    samples: Option<Spanned<SamplesToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SamplesToml {
    kind: String,
    field: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldToml {
    id: String,
    name: String,
    #[serde(rename = "type")]
    ty: String,
    unit: Option<String>,
    range: Option<[f64; 2]>,
    #[serde(default)]
    required: bool,
    values: Option<Vec<String>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LifecycleToml {
    states: Vec<String>,
    initial: String,
    transitions: Vec<[String; 2]>,
    #[serde(default)]
    closed: Vec<String>,
    #[serde(default)]
    import_any_state: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedToml {
    row: String,
    role: String,
    label: Option<String>,
    unit: Option<String>,
    period: PeriodToml,
    #[serde(default, rename = "where")]
    filter: Vec<ConditionToml>,
    formula: String,
    of: Option<String>,
    numerator: Option<PartToml>,
    denominator: Option<PartToml>,
    scale: Option<f64>,
    change: Option<ChangeToml>,
    covers: Option<String>,
    basis: String,
    doubt: Option<String>,
    shortfall_by: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodToml {
    year_of: Option<String>,
    as_of: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionToml {
    field: String,
    op: String,
    /// A fixed value, or (`other`) another field of the same record.
    value: Option<toml::Value>,
    other: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartToml {
    sum: Option<String>,
    /// With `sum`: a field subtracted from it in each record.
    less: Option<String>,
    /// With `sum`: a field each record's term is multiplied by (a weight).
    times: Option<String>,
    #[serde(default)]
    count: bool,
    #[serde(default, rename = "where")]
    filter: Vec<ConditionToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeToml {
    base: toml::Value,
    #[serde(rename = "as")]
    how: String,
}

/// The reserved column names every record has.
pub const RECORD_ID: &str = "record_id";
pub const STATE: &str = "state";
pub const STATE_DATE: &str = "state_date";

struct Check<'a> {
    file: &'a str,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Check<'_> {
    fn line(&self, offset: usize) -> u64 {
        self.text[..offset.min(self.text.len())].matches('\n').count() as u64 + 1
    }

    fn problem(&mut self, offset: usize, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            line: Some(self.line(offset)),
            column: None,
            field: Some(field.to_string()),
            message: message.into(),
            ..Default::default()
        });
    }
}

fn is_code(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Parses and checks a ledger kind file: the fields' types and ranges, the lifecycle's states and
/// transitions, and every feed against the kind's fields and the framework's rows. All or nothing.
pub fn parse_kind(file: &str, text: &str, framework: &Framework) -> Result<Kind, DataError> {
    let raw: KindToml = toml::from_str(text).map_err(|error| {
        let line = error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() as u64 + 1);
        DataError::one(
            file,
            line,
            None,
            format!("台账类型文件格式错误 (malformed kind file): {}", error.message()),
        )
    })?;
    let mut check = Check {
        file,
        text,
        problems: Vec::new(),
    };
    if !is_code(&raw.id) {
        check.problem(0, "id", "编号只能由小写字母、数字和下划线组成 (id: a-z, 0-9, _ only)");
    }
    if raw.version == 0 {
        check.problem(0, "version", "版本号从1开始 (version starts at 1)");
    }
    for (key, value) in [
        ("name", &raw.name),
        ("department", &raw.department),
        ("source", &raw.source),
    ] {
        if value.trim().is_empty() {
            check.problem(0, key, "不能为空 (must not be empty)");
        }
    }

    let mut fields = Vec::new();
    let mut seen = BTreeSet::new();
    for spanned in &raw.fields {
        let offset = spanned.span().start;
        let f = spanned.get_ref();
        if !is_code(&f.id) || [RECORD_ID, STATE, STATE_DATE].contains(&f.id.as_str()) {
            check.problem(
                offset,
                "fields.id",
                format!("字段编号“{}”无效或为保留字 (invalid or reserved field id)", f.id),
            );
        }
        if !seen.insert(f.id.clone()) || !seen.insert(format!("名称:{}", f.name)) {
            check.problem(offset, "fields.id", format!("字段“{}”重复 (duplicate field)", f.id));
        }
        let ty = match (f.ty.as_str(), &f.values) {
            ("text", None) => FieldType::Text,
            ("number", None) => FieldType::Number,
            ("integer", None) => FieldType::Integer,
            ("date", None) => FieldType::Date,
            ("year", None) => FieldType::Year,
            ("bool", None) => FieldType::Bool,
            ("choice", Some(values)) if !values.is_empty() => FieldType::Choice(values.clone()),
            ("choice", _) => {
                check.problem(
                    offset,
                    "fields.values",
                    "选项字段须列出 values (a choice field lists its values)",
                );
                FieldType::Text
            }
            (other, _) => {
                check.problem(
                    offset,
                    "fields.type",
                    format!("未知的字段类型“{other}”或多余的 values (unknown type, or values on a non-choice field)"),
                );
                FieldType::Text
            }
        };
        let numeric = matches!(ty, FieldType::Number | FieldType::Integer | FieldType::Year);
        if f.range.is_some() && !numeric {
            check.problem(
                offset,
                "fields.range",
                "只有数值、整数和年份字段可设范围 (range on a non-numeric field)",
            );
        }
        if let Some([lo, hi]) = f.range
            && !(lo.is_finite() && hi.is_finite() && lo <= hi)
        {
            check.problem(
                offset,
                "fields.range",
                "范围须为有限数且下限不大于上限 (range: finite, min ≤ max)",
            );
        }
        if f.unit.is_some() && !matches!(ty, FieldType::Number | FieldType::Integer) {
            check.problem(
                offset,
                "fields.unit",
                "只有数值字段有单位 (unit on a non-numeric field)",
            );
        }
        fields.push(Field {
            id: f.id.clone(),
            name: f.name.clone(),
            ty,
            unit: f.unit.clone(),
            range: f.range.map(|[a, b]| (a, b)),
            required: f.required,
            note: f.note.clone(),
        });
    }
    if fields.is_empty() {
        check.problem(0, "fields", "至少需要一个字段 (at least one field)");
    }

    let lifecycle = raw.lifecycle.as_ref().map(|spanned| {
        let offset = spanned.span().start;
        let l = spanned.get_ref();
        let known = |s: &str| l.states.iter().any(|x| x == s);
        let mut states = BTreeSet::new();
        for s in &l.states {
            if s.trim().is_empty() || !states.insert(s) {
                check.problem(
                    offset,
                    "lifecycle.states",
                    format!("状态“{s}”为空或重复 (empty or duplicate state)"),
                );
            }
        }
        if !known(&l.initial) {
            check.problem(
                offset,
                "lifecycle.initial",
                format!("初始状态“{}”不在状态表中 (unknown state)", l.initial),
            );
        }
        for [a, b] in &l.transitions {
            for s in [a, b] {
                if !known(s) {
                    check.problem(
                        offset,
                        "lifecycle.transitions",
                        format!("状态“{s}”不在状态表中 (unknown state)"),
                    );
                }
            }
            if l.closed.contains(a) {
                check.problem(
                    offset,
                    "lifecycle.transitions",
                    format!("已关闭的状态“{a}”不能再转换 (a closed state has no transition)"),
                );
            }
        }
        for s in &l.closed {
            if !known(s) {
                check.problem(
                    offset,
                    "lifecycle.closed",
                    format!("状态“{s}”不在状态表中 (unknown state)"),
                );
            }
        }
        Lifecycle {
            states: l.states.clone(),
            initial: l.initial.clone(),
            transitions: l.transitions.iter().map(|[a, b]| (a.clone(), b.clone())).collect(),
            closed: l.closed.clone(),
            import_any_state: l.import_any_state,
        }
    });

    let mut kind = Kind {
        id: raw.id.clone(),
        version: raw.version,
        name: raw.name.clone(),
        name_en: raw.name_en.clone(),
        department: raw.department.clone(),
        source: raw.source.clone(),
        doubt: raw.doubt.clone(),
        fields,
        lifecycle,
        feeds: Vec::new(),
        samples: None,
        file: file.to_string(),
    };
    if let Some(spanned) = &raw.samples {
        let (offset, samples) = (spanned.span().start, spanned.get_ref());
        match kind.field(&samples.field) {
            Some(field) if field.ty == FieldType::Text => {}
            Some(_) => check.problem(
                offset,
                "samples.field",
                format!("字段“{}”须为文本字段 (must be a text field)", samples.field),
            ),
            None => check.problem(
                offset,
                "samples.field",
                format!("未知字段“{}” (unknown field)", samples.field),
            ),
        }
        if samples.kind.trim().is_empty() {
            check.problem(
                offset,
                "samples.kind",
                "须写明监测数据类型 (the monitoring kind is required)",
            );
        }
        kind.samples = Some(Samples {
            kind: samples.kind.trim().to_owned(),
            field: samples.field.clone(),
        });
    }

    for spanned in &raw.feeds {
        let offset = spanned.span().start;
        if let Some(feed) = feed(&mut check, &kind, framework, offset, spanned.get_ref()) {
            kind.feeds.push(feed);
        }
    }
    if check.problems.is_empty() {
        Ok(kind)
    } else {
        Err(DataError {
            problems: check.problems,
        })
    }
}

fn feed(check: &mut Check<'_>, kind: &Kind, framework: &Framework, offset: usize, f: &FeedToml) -> Option<Feed> {
    let before = check.problems.len();
    let line = check.line(offset);
    let row = framework.row(&f.row).map(|(_, row)| row);
    if row.is_none() {
        check.problem(
            offset,
            "feeds.row",
            format!("指标体系 {} 中没有第 {} 行 (no such row)", framework.id, f.row),
        );
    }
    let role = match f.role.as_str() {
        "value" => Role::Value,
        "input" => Role::Input,
        other => {
            check.problem(offset, "feeds.role", format!("“{other}”应为 value 或 input"));
            Role::Input
        }
    };
    if let (Role::Value, Some(row)) = (role, row)
        && !row.takes_numbers()
    {
        check.problem(
            offset,
            "feeds.role",
            format!(
                "第 {} 行只取状态，台账数字不能作为其数值；请用 role = \"input\" (the row takes states only)",
                f.row
            ),
        );
    }
    if role == Role::Input && f.label.is_none() {
        check.problem(
            offset,
            "feeds.label",
            "role = \"input\" 的数字须有名称 label (an input figure needs a label)",
        );
    }
    let period = match (&f.period.year_of, &f.period.as_of) {
        (Some(field), None) => Period::YearOf(field.clone()),
        (None, Some(field)) => Period::AsOf(field.clone()),
        _ => {
            check.problem(
                offset,
                "feeds.period",
                "须且只须给出 year_of 或 as_of 之一 (exactly one of year_of, as_of)",
            );
            Period::YearOf(String::new())
        }
    };
    if let Period::YearOf(field) | Period::AsOf(field) = &period
        && !field.is_empty()
        && !matches!(
            kind.field(field).map(|f| &f.ty),
            Some(FieldType::Date | FieldType::Year)
        )
        && !(field == STATE_DATE && kind.lifecycle.is_some())
    {
        check.problem(
            offset,
            "feeds.period",
            format!("期间字段“{field}”须为本台账的日期或年份字段 (the period field must be a date or year field)"),
        );
    }
    let filter = conditions(check, kind, offset, "feeds.where", &f.filter);
    let sum_field = |check: &mut Check<'_>, name: &str, field: &str| {
        if !matches!(
            kind.field(field).map(|f| &f.ty),
            Some(FieldType::Number | FieldType::Integer)
        ) {
            check.problem(
                offset,
                name,
                format!("“{field}”不是本台账的数值字段 (not a numeric field)"),
            );
        }
        field.to_string()
    };
    let part = |check: &mut Check<'_>, name: &str, part: &Option<PartToml>| -> Part {
        match part {
            None => {
                check.problem(
                    offset,
                    name,
                    "比值须给出分子和分母 (a ratio needs numerator and denominator)",
                );
                Part {
                    measure: Measure::Count,
                    filter: Vec::new(),
                }
            }
            Some(p) => {
                let measure = match (&p.sum, p.count) {
                    (Some(field), false) => Measure::Sum(Summand {
                        field: sum_field(check, name, field),
                        less: p.less.as_deref().map(|f| sum_field(check, name, f)),
                        times: p.times.as_deref().map(|f| sum_field(check, name, f)),
                    }),
                    (None, true) if p.less.is_none() && p.times.is_none() => Measure::Count,
                    (None, true) => {
                        check.problem(offset, name, "less、times 只能与 sum 同用 (less and times go with sum)");
                        Measure::Count
                    }
                    _ => {
                        check.problem(
                            offset,
                            name,
                            "须且只须给出 sum 或 count = true 之一 (exactly one of sum, count)",
                        );
                        Measure::Count
                    }
                };
                Part {
                    measure,
                    filter: conditions(check, kind, offset, name, &p.filter),
                }
            }
        }
    };
    let formula = match f.formula.as_str() {
        "count" => Formula::Count,
        "sum" => match &f.of {
            Some(field) => Formula::Sum(sum_field(check, "feeds.of", field)),
            None => {
                check.problem(offset, "feeds.of", "sum 须用 of 指明字段 (sum needs `of`)");
                Formula::Count
            }
        },
        "ratio" => Formula::Ratio {
            numerator: part(check, "feeds.numerator", &f.numerator),
            denominator: part(check, "feeds.denominator", &f.denominator),
            scale: match f.scale {
                Some(s) if s.is_finite() && s > 0.0 => s,
                None => 1.0,
                Some(_) => {
                    check.problem(offset, "feeds.scale", "须为正数 (must be positive)");
                    1.0
                }
            },
        },
        other => {
            check.problem(
                offset,
                "feeds.formula",
                format!("未知公式“{other}”（count、sum、ratio）"),
            );
            Formula::Count
        }
    };
    if !matches!(formula, Formula::Ratio { .. })
        && (f.numerator.is_some() || f.denominator.is_some() || f.scale.is_some())
    {
        check.problem(
            offset,
            "feeds.formula",
            "分子、分母、scale 只用于 ratio (only a ratio has them)",
        );
    }
    let change = f.change.as_ref().and_then(|c| {
        let base = match &c.base {
            toml::Value::String(s) if s == "previous" => Base::Previous,
            toml::Value::Integer(given) => match i32::try_from(*given).map(ecociv_core::value::check_year) {
                Ok(Ok(y)) => Base::Year(y),
                _ => {
                    check.problem(
                        offset,
                        "feeds.change.base",
                        format!("基准年 {given} 超出范围 (year out of range)"),
                    );
                    return None;
                }
            },
            _ => {
                check.problem(
                    offset,
                    "feeds.change.base",
                    "应为 \"previous\" 或年份 (previous or a year)",
                );
                return None;
            }
        };
        let how = match c.how.as_str() {
            "fall_percent" => ChangeHow::FallPercent,
            "rise_percent" => ChangeHow::RisePercent,
            "difference" => ChangeHow::Difference,
            other => {
                check.problem(offset, "feeds.change.as", format!("未知的变化方式“{other}”"));
                return None;
            }
        };
        Some(Change { base, how })
    });
    if f.basis.trim().is_empty() {
        check.problem(
            offset,
            "feeds.basis",
            "须注明公式依据 (the formula's basis is required)",
        );
    }
    if let Some(field) = &f.shortfall_by {
        if kind.field(field).is_none() {
            check.problem(
                offset,
                "feeds.shortfall_by",
                format!("本台账没有字段“{field}” (no such field)"),
            );
        }
        if !matches!(formula, Formula::Ratio { .. }) {
            check.problem(
                offset,
                "feeds.shortfall_by",
                "只有 ratio 公式可列出未计入分子的记录 (ratio only)",
            );
        }
    }
    (check.problems.len() == before).then(|| Feed {
        row: f.row.clone(),
        role,
        label: f.label.clone(),
        unit: f.unit.clone(),
        period,
        filter,
        formula,
        change,
        covers: f.covers.clone(),
        basis: f.basis.clone(),
        doubt: f.doubt.clone(),
        shortfall_by: f.shortfall_by.clone(),
        line,
    })
}

fn conditions(check: &mut Check<'_>, kind: &Kind, offset: usize, name: &str, raw: &[ConditionToml]) -> Vec<Condition> {
    let mut out = Vec::new();
    for c in raw {
        let Some(op) = Op::parse(&c.op) else {
            check.problem(
                offset,
                name,
                format!("未知的比较“{}”（eq、ne、in、ge、gt、le、lt）", c.op),
            );
            continue;
        };
        if let Some(other) = &c.other {
            if c.value.is_some() {
                check.problem(
                    offset,
                    name,
                    "value 与 other 只能取其一 (give value or other, not both)",
                );
                continue;
            }
            if op == Op::In {
                check.problem(offset, name, "字段之间不能用 in 比较 (`in` takes values)");
                continue;
            }
            let (Some(left), Some(right)) = (kind.field(&c.field), kind.field(other)) else {
                let missing = if kind.field(&c.field).is_none() {
                    &c.field
                } else {
                    other
                };
                check.problem(offset, name, format!("本台账没有字段“{missing}” (no such field)"));
                continue;
            };
            if left.ty != right.ty {
                check.problem(
                    offset,
                    name,
                    format!("字段“{}”与“{other}”类型不同，不能比较 (different types)", c.field),
                );
                continue;
            }
            if matches!(op, Op::Ge | Op::Gt | Op::Le | Op::Lt)
                && !matches!(
                    left.ty,
                    FieldType::Number | FieldType::Integer | FieldType::Year | FieldType::Date
                )
            {
                check.problem(offset, name, format!("字段“{}”不能比较大小 (not ordered)", c.field));
                continue;
            }
            out.push(Condition {
                field: c.field.clone(),
                op,
                values: Vec::new(),
                other: Some(other.clone()),
            });
            continue;
        }
        let Some(value) = &c.value else {
            check.problem(
                offset,
                name,
                "须给出比较值 value 或比较字段 other (value or other is required)",
            );
            continue;
        };
        let texts: Vec<String> = match (value, op) {
            (toml::Value::Array(items), Op::In) => items.iter().map(scalar_text).collect(),
            (toml::Value::Array(_), _) => {
                check.problem(offset, name, "只有 in 取列表 (only `in` takes a list)");
                continue;
            }
            (value, Op::In) => vec![scalar_text(value)],
            (value, _) => vec![scalar_text(value)],
        };
        let mut values = Vec::new();
        if c.field == STATE {
            let Some(lifecycle) = &kind.lifecycle else {
                check.problem(offset, name, "本台账没有生命周期，不能按状态筛选 (no lifecycle)");
                continue;
            };
            for t in texts {
                if !lifecycle.states.contains(&t) {
                    check.problem(offset, name, format!("状态“{t}”不在生命周期中 (unknown state)"));
                }
                values.push(Cell::Text(t));
            }
            if !matches!(op, Op::Eq | Op::Ne | Op::In) {
                check.problem(offset, name, "状态只能用 eq、ne、in 比较");
            }
        } else {
            let Some(field) = kind.field(&c.field) else {
                check.problem(offset, name, format!("本台账没有字段“{}” (no such field)", c.field));
                continue;
            };
            if matches!(op, Op::Ge | Op::Gt | Op::Le | Op::Lt)
                && !matches!(
                    field.ty,
                    FieldType::Number | FieldType::Integer | FieldType::Year | FieldType::Date
                )
            {
                check.problem(offset, name, format!("字段“{}”不能比较大小 (not ordered)", c.field));
            }
            for t in texts {
                match crate::record::parse_cell(field, &t) {
                    Ok(Some(cell)) => values.push(cell),
                    Ok(None) => check.problem(offset, name, "比较值为空 (empty value)"),
                    Err(message) => check.problem(offset, name, format!("比较值“{t}”：{message}")),
                }
            }
        }
        out.push(Condition {
            field: c.field.clone(),
            op,
            values,
            other: None,
        });
    }
    out
}

fn scalar_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Boolean(true) => "是".to_string(),
        toml::Value::Boolean(false) => "否".to_string(),
        other => other.to_string(),
    }
}
