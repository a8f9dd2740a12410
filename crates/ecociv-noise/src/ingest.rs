//! CSV ingestion (the IO edge of this crate): noise readings per measurement point, read over any
//! `impl Read` one record at a time, grouped into the point's day and night periods.
//!
//! Format (UTF-8, a BOM accepted, header names case-insensitive, column order free):
//! `point,class,date,start,minutes,leq[,lmax]` — `point` the measurement point (监测点位), `class` its
//! functional-area class (`0`…`3`, `4a`, `4b`, with or without `类`), `date` `YYYY-MM-DD`, `start` `HH:MM`,
//! `minutes` the length of the reading (> 0, not past the end of its period), `leq` the reading's equivalent
//! level in dB(A), `lmax` (optional) its maximum level. Readings from 00:00 to 06:00 belong to the night that
//! started the day before. Errors name line, column and field; any error refuses the whole file.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use ecociv_csvline::excerpt;
use ecociv_csvrecords::{Fields, Records};
use jiff::civil::Date;

use crate::gb3096::{EnergySum, FunctionalClass, Judgement, Period, Table};

/// The most errors collected before reading stops.
pub const MAX_ERRORS: usize = 100;

/// An input error, located by line and column: the project's one located error (`ecociv_csvline::Located`,
/// built with `Located::in_stream`; the file is named by the caller, `Located::in_file`).
pub use ecociv_csvline::Located as IngestError;

/// One point's period: its equivalent level and judgement.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodResult {
    /// 监测点位.
    pub point: String,
    /// The point's functional-area class.
    pub class: FunctionalClass,
    /// The date the period starts on.
    pub date: Date,
    /// 昼间 or 夜间.
    pub period: Period,
    /// Minutes the readings cover (the period has 960 or 480).
    pub minutes: f64,
    /// Ld or Ln judged against Table 1.
    pub leq: Judgement,
    /// The night's largest maximum level judged against the night limit + 15 dB(A) (nights with `lmax` only).
    pub night_max: Option<Judgement>,
}

#[derive(Default)]
struct Group {
    sum: EnergySum,
    lmax: Option<f64>,
    class: Option<FunctionalClass>,
    last_line: u64,
}

struct Columns {
    point: usize,
    class: usize,
    date: usize,
    start: usize,
    minutes: usize,
    leq: usize,
    lmax: Option<usize>,
}

fn columns<R: Read>(r: &Records<R>) -> Result<Columns, IngestError> {
    Ok(Columns {
        point: r.column("point")?,
        class: r.column("class")?,
        date: r.column("date")?,
        start: r.column("start")?,
        minutes: r.column("minutes")?,
        leq: r.column("leq")?,
        lmax: r.find("lmax"),
    })
}

/// The noise reader's own check of a field, on the shared record reader's fields.
trait NoiseFields {
    fn number(&self, col: usize, range: std::ops::RangeInclusive<f64>, what: &str) -> Result<f64, IngestError>;
}

impl NoiseFields for Fields<'_> {
    fn number(&self, col: usize, range: std::ops::RangeInclusive<f64>, what: &str) -> Result<f64, IngestError> {
        let t = self.required(col)?;
        let v: f64 = t
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| self.err(col, format!("无法解析数值 “{}” / cannot parse number", excerpt(t))))?;
        if !range.contains(&v) {
            return Err(self.err(
                col,
                format!(
                    "{what}应在 {}–{} 之间 / {what} must be within {}–{}: {}",
                    range.start(),
                    range.end(),
                    range.start(),
                    range.end(),
                    excerpt(t)
                ),
            ));
        }
        Ok(v)
    }
}

/// Parses `HH:MM` into a minute of the day.
fn minute_of_day(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Reads readings, groups them per point, date and period, and judges each period against `table`.
/// All errors are collected (up to [`MAX_ERRORS`]); any error refuses the whole input.
pub fn read_and_judge<R: Read>(input: R, table: &Table) -> Result<Vec<PeriodResult>, Vec<IngestError>> {
    let mut r = Records::open(input).map_err(|e| vec![e])?;
    let cols = columns(&r).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut groups: BTreeMap<(String, Date, Period), Group> = BTreeMap::new();
    let mut classes: HashMap<String, (FunctionalClass, u64)> = HashMap::new();
    loop {
        let line = match r.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                errors.push(e);
                break;
            }
        };
        if let Err(e) = r
            .fields(line)
            .and_then(|f| read_record(&f, &cols, table, &mut groups, &mut classes))
        {
            errors.push(e);
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    let mut results = Vec::with_capacity(groups.len());
    for ((point, date, period), g) in groups {
        let Some(class) = g.class else { continue };
        let period_minutes = f64::from(table.period_minutes(period));
        if g.sum.minutes() > period_minutes + 1e-9 {
            errors.push(IngestError::in_stream(
                g.last_line,
                None,
                format!(
                    "点位 “{}” {date} {}的读数共 {} 分钟，超过该时段的 {period_minutes} 分钟（重复或重叠的读数？）/ \
                     point \"{}\" {date} {}: readings cover {} minutes, more than the period's {period_minutes} \
                     (repeated or overlapping readings?)",
                    excerpt(&point),
                    period.name_zh(),
                    g.sum.minutes(),
                    excerpt(&point),
                    period.code(),
                    g.sum.minutes()
                ),
            ));
            continue;
        }
        let Some(leq) = g.sum.leq() else { continue };
        results.push(PeriodResult {
            leq: table.judge(class, period, leq),
            night_max: match period {
                Period::Night => g.lmax.map(|l| table.judge_night_max(class, l)),
                Period::Day => None,
            },
            point,
            class,
            date,
            period,
            minutes: g.sum.minutes(),
        });
    }
    if errors.is_empty() {
        Ok(results)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

fn read_record(
    f: &Fields<'_>,
    cols: &Columns,
    table: &Table,
    groups: &mut BTreeMap<(String, Date, Period), Group>,
    classes: &mut HashMap<String, (FunctionalClass, u64)>,
) -> Result<(), IngestError> {
    let line = f.line;
    let point = f.required(cols.point)?;
    if let Some(problem) = ecociv_csvline::name_problem(point) {
        return Err(f.err(cols.point, format!("{problem}: \"{}\"", excerpt(point))));
    }
    let class_text = f.required(cols.class)?;
    let class = FunctionalClass::parse(class_text).ok_or_else(|| {
        f.err(
            cols.class,
            format!(
                "功能区类别应为 0、1、2、3、4a、4b / class must be 0, 1, 2, 3, 4a or 4b: “{}”",
                excerpt(class_text)
            ),
        )
    })?;
    match classes.get(point) {
        Some(&(c, first)) if c != class => {
            return Err(f.err(
                cols.class,
                format!(
                    "点位 “{}” 在第 {first} 行为 {c}，此处为 {class} / point \"{}\" is class {} on line {first}, {} here",
                    excerpt(point),
                    excerpt(point),
                    c.code(),
                    class.code()
                ),
            ));
        }
        Some(_) => {}
        None => {
            classes.insert(point.to_string(), (class, line));
        }
    }
    let date_text = f.required(cols.date)?;
    let date: Date = date_text
        .parse()
        .ok()
        .filter(|_| date_text.len() == 10)
        .ok_or_else(|| {
            f.err(
                cols.date,
                format!(
                    "日期应为 YYYY-MM-DD / date must be YYYY-MM-DD: “{}”",
                    excerpt(date_text)
                ),
            )
        })?;
    let start_text = f.required(cols.start)?;
    let start = minute_of_day(start_text).ok_or_else(|| {
        f.err(
            cols.start,
            format!("时间应为 HH:MM / start must be HH:MM: “{}”", excerpt(start_text)),
        )
    })?;
    let minutes = f.number(cols.minutes, 0.0..=1440.0, "时长 / minutes ")?;
    if minutes <= 0.0 {
        return Err(f.err(cols.minutes, "时长必须大于 0 / minutes must be positive".into()));
    }
    let room = f64::from(table.minutes_to_period_end(start));
    if minutes > room + 1e-9 {
        return Err(f.err(
            cols.minutes,
            format!(
                "读数跨越昼夜分界（{start_text} 起 {minutes} 分钟，本时段只剩 {room} 分钟）/ the reading crosses the \
                 day/night boundary ({minutes} minutes from {start_text}, {room} left in the period)"
            ),
        ));
    }
    let leq = f.number(cols.leq, 0.0..=200.0, "声级 / level ")?;
    let lmax = match cols.lmax {
        Some(c) if !f.text(c)?.is_empty() => {
            let v = f.number(c, 0.0..=200.0, "最大声级 / maximum level ")?;
            if v + 1e-9 < leq {
                return Err(f.err(
                    c,
                    format!("最大声级 {v} 小于等效声级 {leq} / lmax {v} is below leq {leq}"),
                ));
            }
            Some(v)
        }
        _ => None,
    };
    let period = table.period_at(start);
    // A night's readings after midnight belong to the night that started the day before.
    let period_date = if period == Period::Night && start < table.day_start() {
        date.yesterday()
            .map_err(|_| f.err(cols.date, "日期超出范围 / date out of range".into()))?
    } else {
        date
    };
    let g = groups.entry((point.to_string(), period_date, period)).or_default();
    g.sum.add(leq, minutes);
    g.lmax = match (g.lmax, lmax) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    g.class = Some(class);
    g.last_line = line;
    Ok(())
}

/// Formats a level as reported (one decimal).
pub fn level_text(level: f64) -> String {
    format!("{level:.1}")
}

/// Writes judged periods as CSV: `point,class,date,period,minutes,period_minutes,leq,limit,verdict,
/// exceedance,lmax,lmax_limit,lmax_verdict,edition` (levels in dB(A) to 0.1; empty where not applicable).
pub fn write_csv<W: std::io::Write>(results: &[PeriodResult], table: &Table, output: W) -> Result<(), csv::Error> {
    let mut out = csv::WriterBuilder::new().from_writer(output);
    out.write_record([
        "point",
        "class",
        "date",
        "period",
        "minutes",
        "period_minutes",
        "leq",
        "limit",
        "verdict",
        "exceedance",
        "lmax",
        "lmax_limit",
        "lmax_verdict",
        "edition",
    ])?;
    for r in results {
        let (lmax, lmax_limit, lmax_verdict) = match &r.night_max {
            Some(j) => (level_text(j.level), level_text(j.limit), j.verdict.name_zh()),
            None => (String::new(), String::new(), ""),
        };
        out.write_record([
            ecociv_csvline::neutralise_formula(&r.point).as_ref(),
            r.class.name_zh(),
            &r.date.to_string(),
            r.period.name_zh(),
            &r.minutes.to_string(),
            &table.period_minutes(r.period).to_string(),
            &level_text(r.leq.level),
            &level_text(r.leq.limit),
            r.leq.verdict.name_zh(),
            &r.leq.exceedance.map(level_text).unwrap_or_default(),
            &lmax,
            &lmax_limit,
            lmax_verdict,
            crate::edition::GB3096,
        ])?;
    }
    out.flush()?;
    Ok(())
}
