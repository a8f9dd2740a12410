//! Judging one row in one year (达标判定), with an explanation a person can read.
//!
//! The rules follow the wording of the 2021 indicator set as the plan's Table 2-1 prints it:
//! - `≥ x`, `≤ x`, and a bare `100` read as "must reach 100" in the row's direction;
//! - a state vocabulary (制定实施, 有效开展, 正在制定, 无劣V类水体, …): an unknown text never reaches here,
//!   it is refused on input ([`crate::value::parse_value`]);
//! - 完成上级规定的考核任务 / 目标任务 / 管控目标: against the higher level's assigned value for the year in
//!   the row's direction, or its recorded verdict 完成 / 未完成;
//! - 保持稳定或持续改善: against the latest earlier value on record;
//! - two-part criteria: met when every part that can be judged is met, no data when none can be;
//! - 面积不减少，性质不改变，功能不降低 on a spatial record;
//! - indicator 22's conditional rule.
//!
//! A value at the better end of its admissible range (a share of 100 % that must rise, a share of 0 %
//! that must fall) can neither improve nor miss any assigned target, and is judged so ("natural limit").
//!
//! Where the rule cannot judge (no assigned value, no earlier value), a verdict recorded by a document
//! (the plan's 达标情况 column) is used if there is one, and the explanation says that the judgement rests
//! on it. Where the rule can judge and the document disagrees, the judgement stands and a warning is given
//! — except when a two-part criterion is met only on its judgeable parts and the document records "not
//! met": the document may know the unjudged part, so "not met" is used and the explanation says why.

use crate::format::trimmed;
use crate::framework::{Criterion, Direction, Row, StateVerdict};
use crate::num::EPSILON;
use crate::value::{Assigned, Observation, SpatialRecord, Value, state_verdict};

/// 达标 / 不达标 / 无数据.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Met,
    NotMet,
    NoData,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::NoData => "no_data",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Status::Met => "达标",
            Status::NotMet => "不达标",
            Status::NoData => "无数据",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not met",
            Status::NoData => "no data",
        }
    }
    /// Combines the statuses of parts that must all be met: any not met → not met; else any no data →
    /// no data; else met.
    pub fn all(statuses: impl IntoIterator<Item = Status>) -> Status {
        let mut result = Status::Met;
        for status in statuses {
            match status {
                Status::NotMet => return Status::NotMet,
                Status::NoData => result = Status::NoData,
                Status::Met => {}
            }
        }
        result
    }
}

/// What a judgement rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The standard's rule applied to the value.
    Rule,
    /// A verdict recorded in a document, because the rule could not judge.
    Recorded,
    /// Nothing: no data.
    Nothing,
}

impl Basis {
    pub fn code(self) -> &'static str {
        match self {
            Basis::Rule => "rule",
            Basis::Recorded => "recorded",
            Basis::Nothing => "none",
        }
    }
}

/// A text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
    fn join(parts: &[Text], sep_zh: &str, sep_en: &str) -> Text {
        Text {
            zh: parts
                .iter()
                .map(|part| part.zh.as_str())
                .collect::<Vec<_>>()
                .join(sep_zh),
            en: parts
                .iter()
                .map(|part| part.en.as_str())
                .collect::<Vec<_>>()
                .join(sep_en),
        }
    }
}

/// The judgement of one row in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub status: Status,
    pub basis: Basis,
    /// The full explanation: value, criterion, reference values used, conclusion, source.
    pub explanation: Text,
    /// Disagreements and doubts worth a person's attention.
    pub warnings: Vec<Text>,
    /// Set when the row is met on only the parts of a several-part criterion that could be judged (e.g.
    /// 7.1 without the higher level's verdict): the names of the parts judged. A met status then reads
    /// "达标（仅判定：保持稳定或持续改善）" ([`Judgement::label`]).
    pub partial: Option<Text>,
}

impl Judgement {
    /// The status as a person should read it: `达标`, or `达标（仅判定：…）` when only some parts could be
    /// judged.
    pub fn label(&self) -> Text {
        status_label(self.status, self.partial.as_ref())
    }
}

/// A status with its nuance: `达标（仅判定：保持稳定或持续改善）` / `met (only judged: stable or
/// improving)` when met on only the parts named in `partial`.
pub fn status_label(status: Status, partial: Option<&Text>) -> Text {
    match (status, partial) {
        (Status::Met, Some(parts)) => Text::new(
            format!("达标（仅判定：{}）", parts.zh),
            format!("met (only judged: {})", parts.en),
        ),
        _ => Text::new(status.zh(), status.en()),
    }
}

/// The short name of a criterion, for saying which part of a several-part criterion was judged.
pub fn criterion_name(criterion: &Criterion) -> Text {
    match criterion {
        Criterion::AtLeast(x) => Text::new(format!("≥{}", trimmed(*x, 6)), format!("≥{}", trimmed(*x, 6))),
        Criterion::AtMost(x) => Text::new(format!("≤{}", trimmed(*x, 6)), format!("≤{}", trimmed(*x, 6))),
        Criterion::Reach(x) => Text::new(format!("达到{}", trimmed(*x, 6)), format!("reach {}", trimmed(*x, 6))),
        Criterion::States => Text::new("状态", "state"),
        Criterion::AssignedTask { wording } => Text::new(wording.clone(), "the higher level's task"),
        Criterion::StableOrImproving => Text::new("保持稳定或持续改善", "stable or improving"),
        Criterion::RiseAtLeast(x) => Text::new(
            format!("提高幅度≥{}", trimmed(*x, 6)),
            format!("rise ≥{}", trimmed(*x, 6)),
        ),
        Criterion::AllOf(parts) => Text::join(&parts.iter().map(criterion_name).collect::<Vec<_>>(), "；", "; "),
        Criterion::Spatial => Text::new("面积不减少，性质不改变，功能不降低", "area, nature and function kept"),
        Criterion::Conditional { .. } => Text::new("按地区类别的要求", "the rule for the zone's class"),
        Criterion::Unknown { .. } => Text::new("未知标准", "unknown standard"),
    }
}

/// What a rule concluded: `Some(true)` met, `Some(false)` not met, `None` cannot judge; with the reason.
struct Outcome {
    verdict: Option<bool>,
    reason: Text,
    /// Met on the parts that could be judged while other parts could not: weaker than a full judgement.
    /// The names of the parts judged and of those not judged.
    partial: Option<(Text, Text)>,
}

impl Outcome {
    fn judged(ok: bool, reason: Text) -> Outcome {
        Outcome {
            verdict: Some(ok),
            reason,
            partial: None,
        }
    }
    fn open(reason: Text) -> Outcome {
        Outcome {
            verdict: None,
            reason,
            partial: None,
        }
    }
}

/// Everything known about a row in a year.
pub struct Evidence<'a> {
    pub year: i32,
    /// This year's observation.
    pub current: Option<&'a Observation>,
    /// The latest earlier observation comparable with this year's value, for "stable or improving".
    pub earlier: Option<&'a Observation>,
}

/// Judges a row in a year under a criterion (the variant that applies to the zone).
pub fn judge(row: &Row, criterion: &Criterion, standard: &str, evidence: &Evidence<'_>) -> Judgement {
    let year = evidence.year;
    let Some(current) = evidence.current else {
        return Judgement {
            status: Status::NoData,
            basis: Basis::Nothing,
            explanation: Text::new(
                format!("{year}年无数值；标准“{standard}”。结论：无数据"),
                format!("no value for {year}; standard \"{standard}\". Result: no data"),
            ),
            warnings: Vec::new(),
            partial: None,
        };
    };
    let format = row.format();
    let head = Text::new(
        format!("{year}年值 {}；标准“{standard}”", format.value(&current.value)),
        format!(
            "{year} value {}; standard \"{standard}\"",
            format.value_en(&current.value)
        ),
    );
    let outcome = match &current.value {
        Value::State(text) => match state_verdict(row, &current.value) {
            Some(StateVerdict::Meets) => Outcome::judged(
                true,
                Text::new(
                    format!("状态“{text}”符合标准"),
                    format!("the state \"{text}\" meets the standard"),
                ),
            ),
            Some(StateVerdict::Fails) => Outcome::judged(
                false,
                Text::new(
                    format!("状态“{text}”不符合标准"),
                    format!("the state \"{text}\" does not meet the standard"),
                ),
            ),
            // A describing state leaves the decision to the higher level's verdict, if the criterion has one.
            Some(StateVerdict::Describes) | None => evaluate(row, criterion, None, current, evidence),
        },
        Value::Number(number) => evaluate(row, criterion, Some(*number), current, evidence),
        Value::Spatial(record) => spatial_or(row, criterion, record, current, evidence),
    };

    let mut warnings = Vec::new();
    let (status, basis, conclusion) = match (outcome.verdict, &current.recorded) {
        // Met only on the parts that could be judged, while a document records "not met": the document
        // may know the part the rule could not judge (the higher level's verdict), so it decides.
        (Some(true), Some(recorded)) if outcome.partial.is_some() && !recorded.met => (
            Status::NotMet,
            Basis::Recorded,
            Text::new(
                format!(
                    "已判定部分满足，但其余部分无法判定，而{}记载为不达标，采用该记载：不达标",
                    recorded.source
                ),
                format!(
                    "the parts that could be judged are met, the others cannot be judged, and {} records not met, which is used: not met",
                    recorded.source
                ),
            ),
        ),
        (Some(ok), recorded) => {
            if let Some(recorded) = recorded
                && recorded.met != ok
            {
                warnings.push(Text::new(
                    format!(
                        "按标准判定为{}，但{}记载为{}",
                        if ok { "达标" } else { "不达标" },
                        recorded.source,
                        if recorded.met { "达标" } else { "不达标" }
                    ),
                    format!(
                        "the rule gives {}, but {} records {}",
                        if ok { "met" } else { "not met" },
                        recorded.source,
                        if recorded.met { "met" } else { "not met" }
                    ),
                ));
            }
            let status = if ok { Status::Met } else { Status::NotMet };
            let conclusion = match (&outcome.partial, status) {
                (Some((done, open)), Status::Met) => Text::new(
                    format!("结论：达标（仅判定“{}”，“{}”尚无法判定）", done.zh, open.zh),
                    format!(
                        "result: met (only \"{}\" could be judged; \"{}\" could not)",
                        done.en, open.en
                    ),
                ),
                _ => Text::new(format!("结论：{}", status.zh()), format!("result: {}", status.en())),
            };
            (status, Basis::Rule, conclusion)
        }
        (None, Some(recorded)) => {
            let status = if recorded.met { Status::Met } else { Status::NotMet };
            (
                status,
                Basis::Recorded,
                Text::new(
                    format!("按标准无法判定，采用{}记载的结论：{}", recorded.source, status.zh()),
                    format!(
                        "the rule cannot judge; the verdict recorded in {} is used: {}",
                        recorded.source,
                        status.en()
                    ),
                ),
            )
        }
        (None, None) => (
            Status::NoData,
            Basis::Nothing,
            Text::new("按标准无法判定。结论：无数据", "the rule cannot judge. Result: no data"),
        ),
    };
    let source = Text::new(
        format!("来源：{}", current.source.describe()),
        format!("source: {}", current.source.describe()),
    );
    Judgement {
        status,
        basis,
        explanation: Text::join(&[head, outcome.reason, conclusion, source], "；", "; "),
        warnings,
        partial: match (status, outcome.partial) {
            (Status::Met, Some((done, _))) => Some(done),
            _ => None,
        },
    }
}

/// True when the value sits at the better end of the row's range (it cannot improve further).
fn at_natural_limit(row: &Row, value: f64) -> bool {
    match (row.range, row.direction) {
        (Some((_, high)), Direction::HigherIsBetter) => (value - high).abs() <= EPSILON,
        (Some((low, _)), Direction::LowerIsBetter) => (value - low).abs() <= EPSILON,
        _ => false,
    }
}

fn better_word(direction: Direction) -> (&'static str, &'static str) {
    match direction {
        Direction::LowerIsBetter => ("不高于", "at or below"),
        _ => ("不低于", "at or above"),
    }
}

fn evaluate(
    row: &Row,
    criterion: &Criterion,
    number: Option<f64>,
    current: &Observation,
    evidence: &Evidence<'_>,
) -> Outcome {
    let format = row.format();
    let unit = format.suffix();
    match criterion {
        Criterion::AtLeast(limit) | Criterion::AtMost(limit) | Criterion::Reach(limit) => {
            let Some(value) = number else {
                return Outcome::open(Text::new("该值不是数字，无法与标准值比较", "the value is not a number"));
            };
            let (ok, zh_op, en_op) = match criterion {
                Criterion::AtLeast(_) => (value >= *limit, "≥", "≥"),
                Criterion::AtMost(_) => (value <= *limit, "≤", "≤"),
                _ => (row.direction.at_least_as_good(value, *limit), "须达到", "must reach"),
            };
            Outcome::judged(
                ok,
                Text::new(
                    format!(
                        "{}{unit} {zh_op} {}{unit}：{}",
                        format.number(value),
                        format.number(*limit),
                        if ok { "是" } else { "否" }
                    ),
                    format!(
                        "{}{unit} {en_op} {}{unit}: {}",
                        format.number(value),
                        format.number(*limit),
                        if ok { "yes" } else { "no" }
                    ),
                ),
            )
        }
        Criterion::States => Outcome::open(Text::new(
            "本指标按状态判定，该值不是所列状态",
            "judged by state; the value is not a listed state",
        )),
        Criterion::AssignedTask { wording } => assigned_task(row, wording, number, current),
        Criterion::StableOrImproving => stable_or_improving(row, number, evidence),
        Criterion::RiseAtLeast(points) => {
            let Some(value) = number else {
                return Outcome::open(Text::new("该值不是数字", "the value is not a number"));
            };
            match evidence
                .earlier
                .and_then(|obs| row.numeric(&obs.value).map(|earlier| (obs.year, earlier)))
            {
                Some((earlier_year, earlier)) => {
                    let rise = match row.direction {
                        Direction::LowerIsBetter => earlier - value,
                        _ => value - earlier,
                    };
                    let ok = rise >= points - EPSILON;
                    let change = format.change(rise);
                    let required = format.amount(*points);
                    Outcome::judged(
                        ok,
                        Text::new(
                            format!(
                                "较{earlier_year}年（{}）提高幅度 {}，要求提高不少于 {}：{}",
                                format.with_unit(earlier),
                                change.zh,
                                required.zh,
                                if ok { "是" } else { "否" }
                            ),
                            format!(
                                "rise over {earlier_year} ({}): {}, required at least {}: {}",
                                format.with_unit(earlier),
                                change.en,
                                required.en,
                                if ok { "yes" } else { "no" }
                            ),
                        ),
                    )
                }
                None => Outcome::open(Text::new(
                    "无往年数值，无法计算提高幅度",
                    "no earlier value to compute the rise",
                )),
            }
        }
        Criterion::AllOf(parts) => {
            let outcomes: Vec<Outcome> = parts
                .iter()
                .map(|part| evaluate(row, part, number, current, evidence))
                .collect();
            let judged: Vec<&Outcome> = outcomes.iter().filter(|outcome| outcome.verdict.is_some()).collect();
            let reasons: Vec<Text> = outcomes
                .iter()
                .enumerate()
                .map(|(index, outcome)| {
                    let mark = match outcome.verdict {
                        Some(true) => ("满足", "met"),
                        Some(false) => ("不满足", "not met"),
                        None => ("未能判定", "not judged"),
                    };
                    Text::new(
                        format!("第{}部分（{}）{}", index + 1, outcome.reason.zh, mark.0),
                        format!("part {} ({}) {}", index + 1, outcome.reason.en, mark.1),
                    )
                })
                .collect();
            let mut reason = Text::join(&reasons, "；", "; ");
            if judged.is_empty() {
                reason.zh.push_str("；各部分均无法判定");
                reason.en.push_str("; no part can be judged");
                return Outcome::open(reason);
            }
            reason
                .zh
                .push_str(&format!("；已判定{}/{}部分", judged.len(), outcomes.len()));
            reason
                .en
                .push_str(&format!("; {} of {} parts judged", judged.len(), outcomes.len()));
            let ok = judged.iter().all(|outcome| outcome.verdict == Some(true));
            let partial = (ok && judged.len() < outcomes.len()).then(|| {
                let names = |judged: bool| -> Text {
                    let picked: Vec<Text> = parts
                        .iter()
                        .zip(&outcomes)
                        .filter(|(_, outcome)| outcome.verdict.is_some() == judged)
                        .map(|(part, _)| criterion_name(part))
                        .collect();
                    Text::join(&picked, "、", ", ")
                };
                (names(true), names(false))
            });
            Outcome {
                verdict: Some(ok),
                reason,
                partial,
            }
        }
        Criterion::Spatial => Outcome::open(Text::new(
            "空间规则须按面积、性质、功能记录判定（如“面积=12.5;性质=不变;功能=不降低”）",
            "the spatial rule needs a record of area, nature and function",
        )),
        Criterion::Conditional {
            threshold,
            at_or_below,
            above,
        } => {
            let Some(value) = number else {
                return Outcome::open(Text::new(
                    "该值不是数字，无法确定适用条件",
                    "the value is not a number; the condition cannot be chosen",
                ));
            };
            let (branch, zh, en) = if value <= *threshold {
                (
                    at_or_below.as_ref(),
                    format!(
                        "{}{unit} ≤ {}{unit}，适用该类地区的要求",
                        format.number(value),
                        format.number(*threshold)
                    ),
                    format!(
                        "{}{unit} ≤ {}{unit}: that region's rule applies",
                        format.number(value),
                        format.number(*threshold)
                    ),
                )
            } else {
                (
                    above.as_ref(),
                    format!(
                        "{}{unit} > {}{unit}，适用该类地区的要求",
                        format.number(value),
                        format.number(*threshold)
                    ),
                    format!(
                        "{}{unit} > {}{unit}: that region's rule applies",
                        format.number(value),
                        format.number(*threshold)
                    ),
                )
            };
            let inner = evaluate(row, branch, number, current, evidence);
            Outcome {
                verdict: inner.verdict,
                reason: Text::new(
                    format!("{zh}：{}", inner.reason.zh),
                    format!("{en}: {}", inner.reason.en),
                ),
                partial: inner.partial,
            }
        }
        Criterion::Unknown { reason } => Outcome::open(Text::new(
            format!("本类地区的标准值未知：{reason}"),
            format!("the standard for this kind of zone is unknown: {reason}"),
        )),
    }
}

fn assigned_task(row: &Row, wording: &str, number: Option<f64>, current: &Observation) -> Outcome {
    let format = row.format();
    let unit = format.suffix();
    match (&current.assigned, number) {
        (Some(Assigned::Verdict(done)), _) => Outcome::judged(
            *done,
            Text::new(
                format!("{wording}：上级考核结论为“{}”", Assigned::verdict_zh(*done)),
                format!(
                    "{wording}: the higher level's verdict is \"{}\"",
                    Assigned::verdict_en(*done)
                ),
            ),
        ),
        (Some(Assigned::Value(target)), Some(value)) => {
            let ok = row.direction.at_least_as_good(value, *target);
            let (zh_word, en_word) = better_word(row.direction);
            Outcome::judged(
                ok,
                Text::new(
                    format!(
                        "{wording}：上级下达值 {}{unit}，实际 {}{unit} {}下达值：{}",
                        format.number(*target),
                        format.number(value),
                        zh_word,
                        if ok { "是" } else { "否" }
                    ),
                    format!(
                        "{wording}: assigned {}{unit}, actual {}{unit} {en_word} it: {}",
                        format.number(*target),
                        format.number(value),
                        if ok { "yes" } else { "no" }
                    ),
                ),
            )
        }
        (_, Some(value)) if at_natural_limit(row, value) => Outcome::judged(
            true,
            Text::new(
                format!(
                    "{wording}：数值已达上限{}{unit}，任何上级目标均已完成",
                    format.number(value)
                ),
                format!(
                    "{wording}: the value is at its natural limit {}{unit}, which meets any assigned target",
                    format.number(value)
                ),
            ),
        ),
        _ => Outcome::open(Text::new(
            format!("{wording}：无上级下达值或考核结论"),
            format!("{wording}: no assigned value or verdict from the higher level"),
        )),
    }
}

fn stable_or_improving(row: &Row, number: Option<f64>, evidence: &Evidence<'_>) -> Outcome {
    let format = row.format();
    let unit = format.suffix();
    let Some(value) = number else {
        return Outcome::open(Text::new(
            "保持稳定或持续改善：该值不是数字",
            "stable or improving: the value is not a number",
        ));
    };
    match evidence
        .earlier
        .and_then(|obs| row.numeric(&obs.value).map(|earlier| (obs.year, earlier)))
    {
        Some((earlier_year, earlier)) => {
            let ok = row.direction.at_least_as_good(value, earlier);
            let (zh_word, en_word) = better_word(row.direction);
            Outcome::judged(
                ok,
                Text::new(
                    format!(
                        "保持稳定或持续改善：{earlier_year}年为 {}{unit}，本年 {}{unit} {}该值：{}",
                        format.number(earlier),
                        format.number(value),
                        zh_word,
                        if ok { "是" } else { "否" }
                    ),
                    format!(
                        "stable or improving: {earlier_year} was {}{unit}, now {}{unit}, {en_word} it: {}",
                        format.number(earlier),
                        format.number(value),
                        if ok { "yes" } else { "no" }
                    ),
                ),
            )
        }
        None if at_natural_limit(row, value) => Outcome::judged(
            true,
            Text::new(
                format!("保持稳定或持续改善：数值已达上限{}{unit}", format.number(value)),
                format!(
                    "stable or improving: the value is at its natural limit {}{unit}",
                    format.number(value)
                ),
            ),
        ),
        None => Outcome::open(Text::new(
            "保持稳定或持续改善：无往年数值可比较",
            "stable or improving: no earlier value on record",
        )),
    }
}

/// The spatial rule on a spatial record; other criteria on a spatial record cannot judge.
fn spatial_or(
    row: &Row,
    criterion: &Criterion,
    record: &SpatialRecord,
    current: &Observation,
    evidence: &Evidence<'_>,
) -> Outcome {
    if *criterion != Criterion::Spatial {
        return evaluate(row, criterion, None, current, evidence);
    }
    let mut parts: Vec<(Option<bool>, Text)> = Vec::new();
    let earlier = evidence.earlier.and_then(|obs| match &obs.value {
        Value::Spatial(earlier) => earlier.area_km2.map(|area| (obs.year, area)),
        _ => None,
    });
    match (record.area_km2, earlier) {
        (Some(area), Some((earlier_year, earlier_area))) => {
            let ok = area >= earlier_area - EPSILON;
            parts.push((
                Some(ok),
                Text::new(
                    format!(
                        "面积 {} km²，{earlier_year}年 {} km²：{}",
                        trimmed(area, 2),
                        trimmed(earlier_area, 2),
                        if ok { "未减少" } else { "减少" }
                    ),
                    format!(
                        "area {} km², {earlier_year}: {} km²: {}",
                        trimmed(area, 2),
                        trimmed(earlier_area, 2),
                        if ok { "not reduced" } else { "reduced" }
                    ),
                ),
            ));
        }
        (Some(area), None) => parts.push((
            None,
            Text::new(
                format!("面积 {} km²，无往年面积可比较", trimmed(area, 2)),
                format!("area {} km², no earlier area", trimmed(area, 2)),
            ),
        )),
        (None, _) => parts.push((None, Text::new("面积未记录", "area not recorded"))),
    }
    parts.push(match record.nature_unchanged {
        Some(ok) => (
            Some(ok),
            Text::new(
                if ok { "性质未改变" } else { "性质改变" },
                if ok { "nature unchanged" } else { "nature changed" },
            ),
        ),
        None => (None, Text::new("性质未记录", "nature not recorded")),
    });
    parts.push(match record.function_kept {
        Some(ok) => (
            Some(ok),
            Text::new(
                if ok { "功能未降低" } else { "功能降低" },
                if ok { "function kept" } else { "function lowered" },
            ),
        ),
        None => (None, Text::new("功能未记录", "function not recorded")),
    });
    let reason = Text::join(
        &parts.iter().map(|(_, text)| text.clone()).collect::<Vec<_>>(),
        "，",
        ", ",
    );
    let judged: Vec<bool> = parts.iter().filter_map(|(verdict, _)| *verdict).collect();
    if judged.is_empty() {
        Outcome::open(reason)
    } else {
        Outcome::judged(judged.iter().all(|ok| *ok), reason)
    }
}
