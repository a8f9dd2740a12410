//! Rows derived from records: a feed + a ledger + a year → the figure with its numerator, denominator, the
//! records counted and the arithmetic written out (Chinese first), the kind and its version recorded.

use ecociv_core::{Framework, Observation, Source, Value};

use crate::kind::{
    Base, Change, ChangeHow, Condition, Feed, Formula, Kind, Measure, Op, Part, Period, Role, STATE, STATE_DATE,
    Summand,
};
use crate::record::{Cell, Ledger, RecordRevision};

/// Figures are rounded to this many significant digits after each step of the arithmetic, so that binary
/// noise (0.1 + 0.2 = 0.30000000000000004) never decides a verdict at a bound such as 100 %, while small
/// ratios (0.0091818… ha/万元) keep their precision.
const SIGNIFICANT: i32 = 12;

fn clean(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return if value == 0.0 { 0.0 } else { value };
    }
    // Powers of ten up to 10^22 are exact, so the division after rounding is correctly rounded.
    let exponent = value.abs().log10().floor() as i32 + 1 - SIGNIFICANT;
    if exponent < 0 {
        let factor = 10f64.powi(-exponent);
        (value * factor).round() / factor
    } else {
        let factor = 10f64.powi(exponent);
        (value / factor).round() * factor
    }
}

/// One term of the arithmetic: its label, its figure and the records it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub label: String,
    pub value: f64,
    pub records: Vec<String>,
}

/// A row's figure for a year derived from a ledger (由台账计算的指标值).
#[derive(Debug, Clone, PartialEq)]
pub struct Derivation {
    pub kind_id: String,
    pub kind_name: String,
    pub kind_version: u32,
    pub row: String,
    pub year: i32,
    pub role: Role,
    /// The figure's name.
    pub label: String,
    pub value: f64,
    /// The unit the figure is written in (the row's, or the feed's for an input).
    pub unit: String,
    pub numerator: Option<Term>,
    pub denominator: Option<Term>,
    /// The base year and its figure, for a change.
    pub base: Option<(i32, f64)>,
    /// The records counted (the union over the terms), in id order.
    pub records: Vec<String>,
    /// The arithmetic, Chinese.
    pub method: String,
    /// The period, the records counted, the basis, what is covered and the doubt, Chinese.
    pub provenance: String,
    pub explanation_en: String,
    pub covers: Option<String>,
    pub doubt: Option<String>,
    /// Any record counted is SYNTHETIC.
    pub synthetic: bool,
    /// For a feed with `shortfall_by`: the denominator's records not in the numerator, by that field's
    /// value (e.g. disclosures late or missing, by owner), groups and ids in order.
    pub shortfalls: Vec<(String, Vec<String>)>,
}

/// Why a feed gives no figure for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct NoFigure {
    pub row: String,
    pub year: i32,
    pub reason_zh: String,
    pub reason_en: String,
}

impl Derivation {
    /// The observation the workflow takes, for a `value` feed: the figure with `Source::Ledger`.
    pub fn observation(&self) -> Observation {
        Observation {
            row: self.row.clone(),
            year: self.year,
            value: Value::Number(self.value),
            assigned: None,
            recorded: None,
            source: self.source(),
        }
    }

    pub fn source(&self) -> Source {
        Source::Ledger {
            kind: self.kind_name.clone(),
            kind_id: self.kind_id.clone(),
            version: self.kind_version,
            method: self.method.clone(),
            provenance: self.provenance.clone(),
            records: self.records.clone(),
            synthetic: self.synthetic,
        }
    }
}

/// How many record ids the provenance text lists before "等共N条".
const LISTED: usize = 10;

fn list_ids(ids: &[String]) -> String {
    if ids.is_empty() {
        return "无记录".to_string();
    }
    let shown: Vec<&str> = ids.iter().take(LISTED).map(String::as_str).collect();
    if ids.len() > LISTED {
        format!("{}等共{}条", shown.join("、"), ids.len())
    } else {
        format!("{}，共{}条", shown.join("、"), ids.len())
    }
}

fn field_name(kind: &Kind, id: &str) -> String {
    match id {
        STATE => "状态".to_string(),
        STATE_DATE => "状态日期".to_string(),
        _ => kind.field(id).map_or_else(|| id.to_string(), |f| f.name.clone()),
    }
}

fn describe_conditions(kind: &Kind, conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(|c| {
            let values: Vec<String> = match &c.other {
                Some(other) => vec![field_name(kind, other)],
                None => c.values.iter().map(Cell::to_string).collect(),
            };
            format!("{}{}{}", field_name(kind, &c.field), c.op.zh(), values.join("或"))
        })
        .collect::<Vec<_>>()
        .join("且")
}

fn cell_of(field: &str, revision: &RecordRevision) -> Option<Cell> {
    if field == STATE {
        revision.state.clone().map(Cell::Text)
    } else if field == STATE_DATE {
        revision.state_date.map(Cell::Date)
    } else {
        revision.cells.get(field).cloned()
    }
}

fn holds(condition: &Condition, revision: &RecordRevision) -> bool {
    let Some(cell) = cell_of(&condition.field, revision) else {
        // An empty cell meets only "not equal".
        return condition.op == Op::Ne;
    };
    let other;
    let first = match &condition.other {
        Some(field) => match cell_of(field, revision) {
            Some(cell) => {
                other = cell;
                &other
            }
            None => return condition.op == Op::Ne,
        },
        None => &condition.values[0],
    };
    match condition.op {
        Op::Eq => cell == *first,
        Op::Ne => cell != *first,
        Op::In => condition.values.contains(&cell),
        ordered => match (cell.as_f64(), first.as_f64()) {
            (Some(a), Some(b)) => match ordered {
                Op::Ge => a >= b,
                Op::Gt => a > b,
                Op::Le => a <= b,
                _ => a < b,
            },
            _ => false,
        },
    }
}

fn period_year(kind: &Kind, period: &Period, revision: &RecordRevision) -> Option<i32> {
    let (Period::YearOf(field) | Period::AsOf(field)) = period;
    if field == STATE_DATE {
        return revision.state_date.map(|d| i32::from(d.year()));
    }
    let _ = kind;
    revision.cells.get(field).and_then(Cell::year)
}

/// The records of a year that pass the feed's period and conditions, as in force at the year's end.
fn selected<'a>(kind: &Kind, feed: &Feed, ledger: &'a Ledger, year: i32) -> Vec<&'a RecordRevision> {
    ledger
        .records
        .keys()
        .filter_map(|id| ledger.in_force(kind, id, year))
        .filter(|r| match (&feed.period, period_year(kind, &feed.period, r)) {
            (Period::YearOf(_), Some(y)) => y == year,
            (Period::AsOf(_), Some(y)) => y <= year,
            (_, None) => false,
        })
        .filter(|r| feed.filter.iter().all(|c| holds(c, r)))
        .collect()
}

struct Figure {
    value: f64,
    numerator: Option<Term>,
    denominator: Option<Term>,
    records: Vec<String>,
    synthetic: bool,
}

fn measure(kind: &Kind, part: &Part, records: &[&RecordRevision], year: i32) -> Result<Term, (String, String)> {
    let taken: Vec<&RecordRevision> = records
        .iter()
        .copied()
        .filter(|r| part.filter.iter().all(|c| holds(c, r)))
        .collect();
    let condition = describe_conditions(kind, &part.filter);
    let condition = if condition.is_empty() {
        String::new()
    } else {
        format!("（{condition}）")
    };
    let ids: Vec<String> = taken.iter().map(|r| r.record_id.clone()).collect();
    match &part.measure {
        Measure::Count => Ok(Term {
            label: format!("记录数{condition}"),
            value: taken.len() as f64,
            records: ids,
        }),
        Measure::Sum(summand) => {
            let term = |r: &RecordRevision| -> Option<f64> {
                let of = |f: &str| r.cells.get(f).and_then(Cell::as_f64);
                let less = match &summand.less {
                    Some(f) => of(f)?,
                    None => 0.0,
                };
                let times = match &summand.times {
                    Some(f) => of(f)?,
                    None => 1.0,
                };
                Some((of(&summand.field)? - less) * times)
            };
            for field in summand.fields() {
                let missing: Vec<String> = taken
                    .iter()
                    .filter(|r| r.cells.get(field).and_then(Cell::as_f64).is_none())
                    .map(|r| r.record_id.clone())
                    .collect();
                if !missing.is_empty() {
                    let name = field_name(kind, field);
                    return Err((
                        format!("{year}年有记录未填写“{name}”：{}", list_ids(&missing)),
                        format!("records of {year} without '{field}': {}", missing.len()),
                    ));
                }
            }
            let unit_of = |f: &str| kind.field(f).and_then(|f| f.unit.as_deref());
            let unit = match (unit_of(&summand.field), summand.times.as_deref().map(unit_of)) {
                (Some(u), None) => format!("（{u}）"),
                (Some(u), Some(Some(w))) => format!("（{u}×{w}）"),
                _ => String::new(),
            };
            let what = match &summand.less {
                Some(less) => format!("（{}－{}）", field_name(kind, &summand.field), field_name(kind, less)),
                None => field_name(kind, &summand.field),
            };
            let what = match &summand.times {
                Some(times) => format!("{what}×{}", field_name(kind, times)),
                None => what,
            };
            Ok(Term {
                label: format!("{what}之和{condition}{unit}"),
                value: clean(taken.iter().filter_map(|r| term(r)).sum()),
                records: ids,
            })
        }
    }
}

fn figure(kind: &Kind, feed: &Feed, ledger: &Ledger, year: i32) -> Result<Figure, (String, String)> {
    let records = selected(kind, feed, ledger, year);
    let synthetic = records.iter().any(|r| r.synthetic);
    let all = Part {
        measure: Measure::Count,
        filter: Vec::new(),
    };
    if records.is_empty() && feed.role == Role::Value {
        return Err((
            format!("{year}年没有符合条件的台账记录"),
            format!("no records for {year}"),
        ));
    }
    let ids = |records: &[&RecordRevision]| records.iter().map(|r| r.record_id.clone()).collect::<Vec<_>>();
    match &feed.formula {
        Formula::Count => {
            let term = measure(kind, &all, &records, year)?;
            Ok(Figure {
                value: term.value,
                numerator: None,
                denominator: None,
                records: term.records,
                synthetic,
            })
        }
        Formula::Sum(field) => {
            let term = measure(
                kind,
                &Part {
                    measure: Measure::Sum(Summand::of(field)),
                    filter: Vec::new(),
                },
                &records,
                year,
            )?;
            Ok(Figure {
                value: term.value,
                numerator: Some(term),
                denominator: None,
                records: ids(&records),
                synthetic,
            })
        }
        Formula::Ratio {
            numerator,
            denominator,
            scale,
        } => {
            let n = measure(kind, numerator, &records, year)?;
            let d = measure(kind, denominator, &records, year)?;
            if d.value == 0.0 {
                return Err((
                    format!("{year}年分母“{}”为0，无法计算", d.label),
                    format!("the denominator is 0 in {year}"),
                ));
            }
            let mut counted: Vec<String> = n.records.iter().chain(&d.records).cloned().collect();
            counted.sort();
            counted.dedup();
            Ok(Figure {
                value: clean(n.value / d.value * scale),
                numerator: Some(n),
                denominator: Some(d),
                records: counted,
                synthetic,
            })
        }
    }
}

fn show(value: f64) -> String {
    ecociv_core::num::show(value)
}

/// Derives a feed's figure for a year. A `value` feed with no record, a sum with a record lacking the
/// summed field, a zero denominator or a base year without a figure gives `NoFigure` with the reason —
/// never a number.
pub fn derive(
    framework: &Framework,
    kind: &Kind,
    feed: &Feed,
    ledger: &Ledger,
    year: i32,
) -> Result<Derivation, NoFigure> {
    let refuse = |(zh, en): (String, String)| NoFigure {
        row: feed.row.clone(),
        year,
        reason_zh: zh,
        reason_en: en,
    };
    let row = framework.row(&feed.row).map(|(_, row)| row);
    let label = feed
        .label
        .clone()
        .or_else(|| row.map(|r| r.name.clone()))
        .unwrap_or_else(|| feed.row.clone());
    let unit = match (&feed.unit, feed.role, row) {
        (Some(u), _, _) => u.clone(),
        (None, Role::Value, Some(r)) => r.unit.clone(),
        _ => String::new(),
    };
    let written = |v: f64| match (feed.role, row) {
        (Role::Value, Some(r)) => r.format().with_unit(v),
        // An input figure (a count, a share, an area) is written with at most 2 decimals.
        _ => ecociv_core::format::RowFormat::new(unit.clone(), 2).with_unit(v),
    };
    let now = figure(kind, feed, ledger, year).map_err(refuse)?;
    let scale_text = |scale: f64| {
        if scale == 1.0 {
            String::new()
        } else {
            format!("×{}", show(scale))
        }
    };
    // The arithmetic of one year's figure, the result written by `result`.
    let arithmetic_with = |f: &Figure, result: &dyn Fn(f64) -> String| -> String {
        match (&feed.formula, &f.numerator, &f.denominator) {
            (Formula::Ratio { scale, .. }, Some(n), Some(d)) => format!(
                "{}÷{}{}＝{}÷{}{}＝{}",
                n.label,
                d.label,
                scale_text(*scale),
                show(n.value),
                show(d.value),
                scale_text(*scale),
                result(f.value)
            ),
            (Formula::Sum(_), Some(n), _) => format!("{}＝{}", n.label, result(n.value)),
            _ => format!("记录数＝{}", result(f.value)),
        }
    };
    let arithmetic = |f: &Figure| arithmetic_with(f, &show);
    let (value, method, base) = match &feed.change {
        None => (now.value, format!("{label}＝{}", arithmetic_with(&now, &written)), None),
        Some(Change { base, how }) => {
            let base_year = match base {
                Base::Previous => year - 1,
                Base::Year(y) => *y,
            };
            let then = figure(kind, feed, ledger, base_year).map_err(|(zh, en)| {
                refuse((
                    format!("基准年{base_year}无法计算：{zh}"),
                    format!("base year {base_year}: {en}"),
                ))
            })?;
            let (value, formula) = match how {
                ChangeHow::FallPercent => {
                    if then.value == 0.0 {
                        return Err(refuse((
                            format!("基准年{base_year}的数值为0，无法计算下降率"),
                            format!("base year {base_year} figure is 0"),
                        )));
                    }
                    (
                        clean((then.value - now.value) / then.value * 100.0),
                        format!("（{}−{}）÷{}×100", show(then.value), show(now.value), show(then.value)),
                    )
                }
                ChangeHow::RisePercent => {
                    if then.value == 0.0 {
                        return Err(refuse((
                            format!("基准年{base_year}的数值为0，无法计算增长率"),
                            format!("base year {base_year} figure is 0"),
                        )));
                    }
                    (
                        clean((now.value - then.value) / then.value * 100.0),
                        format!("（{}−{}）÷{}×100", show(now.value), show(then.value), show(then.value)),
                    )
                }
                ChangeHow::Difference => (
                    clean(now.value - then.value),
                    format!("{}−{}", show(now.value), show(then.value)),
                ),
            };
            (
                value,
                format!(
                    "{label}＝{formula}＝{}；{year}年：{}；{base_year}年：{}",
                    written(value),
                    arithmetic(&now),
                    arithmetic(&then)
                ),
                Some((base_year, then.value)),
            )
        }
    };
    let period = match &feed.period {
        Period::YearOf(field) => format!("{}在{year}年内的记录", field_name(kind, field)),
        Period::AsOf(field) => format!("{}在{year}年底及以前的记录（状态以年底为准）", field_name(kind, field)),
    };
    let filter = describe_conditions(kind, &feed.filter);
    let mut provenance = format!("{}：{period}", kind.name);
    if !filter.is_empty() {
        provenance.push_str(&format!("，{filter}"));
    }
    provenance.push_str(&format!("；计入记录：{}", list_ids(&now.records)));
    provenance.push_str(&format!("；公式依据：{}", feed.basis));
    if let Some(covers) = &feed.covers {
        provenance.push_str(&format!("；仅判定：{covers}"));
    }
    // The denominator's records left out of the numerator, by the feed's `shortfall_by` field.
    let mut shortfalls: Vec<(String, Vec<String>)> = Vec::new();
    if let (Some(field), Some(n), Some(d)) = (&feed.shortfall_by, &now.numerator, &now.denominator) {
        for id in d.records.iter().filter(|id| !n.records.contains(id)) {
            let group = ledger
                .in_force(kind, id, year)
                .and_then(|r| r.cells.get(field))
                .map_or_else(|| "（未填）".to_string(), ToString::to_string);
            match shortfalls.iter_mut().find(|(g, _)| *g == group) {
                Some((_, ids)) => ids.push(id.clone()),
                None => shortfalls.push((group, vec![id.clone()])),
            }
        }
        shortfalls.sort();
        if !shortfalls.is_empty() {
            let listed: Vec<String> = shortfalls
                .iter()
                .map(|(group, ids)| format!("{group}：{}", ids.join("、")))
                .collect();
            provenance.push_str(&format!(
                "；未计入分子的记录（按{}）：{}",
                field_name(kind, field),
                listed.join("；")
            ));
        }
    }
    if let Some(doubt) = &feed.doubt {
        provenance.push_str(&format!("；存疑：{doubt}"));
    }
    let explanation_en = format!(
        "{} for {year} derived from register '{}' (v{}): {} over {} records",
        feed.row,
        kind.id,
        kind.version,
        show(value),
        now.records.len()
    );
    Ok(Derivation {
        kind_id: kind.id.clone(),
        kind_name: kind.name.clone(),
        kind_version: kind.version,
        row: feed.row.clone(),
        year,
        role: feed.role,
        label,
        value,
        unit,
        numerator: now.numerator,
        denominator: now.denominator,
        base,
        records: now.records,
        method,
        provenance,
        explanation_en,
        covers: feed.covers.clone(),
        doubt: feed.doubt.clone(),
        synthetic: now.synthetic,
        shortfalls,
    })
}

/// Every feed of a kind for a year: the derivations, and the reasons where a feed gives none.
pub fn derive_all(framework: &Framework, kind: &Kind, ledger: &Ledger, year: i32) -> (Vec<Derivation>, Vec<NoFigure>) {
    let mut done = Vec::new();
    let mut none = Vec::new();
    for feed in &kind.feeds {
        match derive(framework, kind, feed, ledger, year) {
            Ok(d) => done.push(d),
            Err(n) => none.push(n),
        }
    }
    (done, none)
}
