//! Records (台账记录): cells typed by their kind's fields, read from CSV all or nothing, and kept as a
//! ledger whose history is append-only and whose lifecycle transitions are checked.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Read;

use ecociv_data::{DataError, Problem};
use jiff::civil::Date;

use crate::kind::{Field, FieldType, Kind, RECORD_ID, STATE, STATE_DATE};

/// At most this many problems are listed; the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// A typed cell of a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(Date),
    Year(i32),
    Bool(bool),
}

impl Cell {
    /// A number for sums and ordered comparisons (a date as its day number, a year as itself).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(*n),
            Cell::Year(y) => Some(f64::from(*y)),
            Cell::Date(d) => Some(f64::from(d.year()) * 10_000.0 + f64::from(d.month()) * 100.0 + f64::from(d.day())),
            Cell::Text(_) | Cell::Bool(_) => None,
        }
    }

    /// The year of a date or year cell.
    pub fn year(&self) -> Option<i32> {
        match self {
            Cell::Year(y) => Some(*y),
            Cell::Date(d) => Some(i32::from(d.year())),
            _ => None,
        }
    }
}

impl fmt::Display for Cell {
    /// The text a person types for the cell (the CSV's and the template's form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Text(t) => f.write_str(t),
            Cell::Number(n) => f.write_str(&ecociv_core::num::show(*n)),
            Cell::Date(d) => write!(f, "{d}"),
            Cell::Year(y) => write!(f, "{y}"),
            Cell::Bool(true) => f.write_str("是"),
            Cell::Bool(false) => f.write_str("否"),
        }
    }
}

/// Where a revision came from: a file's line, or an entry (page, API) with its own label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: Option<u64>,
}

/// One revision of a record: the full record as of this revision (a correction or a state change is a
/// later revision; nothing is overwritten).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRevision {
    pub record_id: String,
    pub cells: BTreeMap<String, Cell>,
    /// The lifecycle state, for kinds with one.
    pub state: Option<String>,
    /// The date the state took effect (登记 / 销号 date).
    pub state_date: Option<Date>,
    pub origin: Origin,
    /// From a file labelled SYNTHETIC: demo data, shown as such.
    pub synthetic: bool,
}

/// Parses one cell's text for a field: `Ok(None)` for an empty cell, `Err` with a bilingual reason.
pub fn parse_cell(field: &Field, text: &str) -> Result<Option<Cell>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let number = |text: &str| -> Result<f64, String> {
        let n: f64 = text
            .replace(',', "")
            .parse()
            .map_err(|_| format!("“{}”不是数值 (not a number)", ecociv_csvline::text::excerpt(text)))?;
        if !n.is_finite() {
            return Err("不是有限数值 (not a finite number)".to_string());
        }
        Ok(n)
    };
    let in_range = |n: f64| -> Result<(), String> {
        match field.range {
            Some((lo, hi)) if n < lo || n > hi => Err(format!(
                "{} 超出范围 {}–{} (out of range)",
                ecociv_core::num::show(n),
                ecociv_core::num::show(lo),
                ecociv_core::num::show(hi)
            )),
            _ => Ok(()),
        }
    };
    let cell = match &field.ty {
        FieldType::Text => {
            if let Some(reason) = ecociv_csvline::text::name_problem(text) {
                return Err(reason.to_string());
            }
            Cell::Text(text.to_string())
        }
        FieldType::Number => {
            let n = number(text)?;
            in_range(n)?;
            Cell::Number(n)
        }
        FieldType::Integer => {
            let n = number(text)?;
            if n.fract() != 0.0 {
                return Err(format!("“{text}”不是整数 (not a whole number)"));
            }
            in_range(n)?;
            Cell::Number(n)
        }
        FieldType::Year => {
            let y = ecociv_core::value::parse_year(text).map_err(|e| e.to_string())?;
            in_range(f64::from(y))?;
            Cell::Year(y)
        }
        FieldType::Date => Cell::Date(parse_date(text)?),
        FieldType::Bool => match text {
            "是" | "true" | "1" => Cell::Bool(true),
            "否" | "false" | "0" => Cell::Bool(false),
            _ => {
                return Err(format!(
                    "“{}”应为 是 或 否 (yes/no)",
                    ecociv_csvline::text::excerpt(text)
                ));
            }
        },
        FieldType::Choice(values) => {
            if !values.iter().any(|v| v == text) {
                return Err(format!(
                    "“{}”不在可选值中：{} (not an allowed value)",
                    ecociv_csvline::text::excerpt(text),
                    values.join("、")
                ));
            }
            Cell::Text(text.to_string())
        }
    };
    Ok(Some(cell))
}

/// A date `YYYY-MM-DD` or `YYYY/MM/DD`, a real calendar day in the project's year range.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let bad = || {
        format!(
            "“{}”不是日期，应为 年-月-日 (not a date YYYY-MM-DD)",
            ecociv_csvline::text::excerpt(text)
        )
    };
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) else {
        return Err(bad());
    };
    ecociv_core::value::check_year(i32::from(y)).map_err(|e| e.to_string())?;
    Date::new(y, m, d).map_err(|_| bad())
}

/// Builds one revision from (column, text) pairs, checking every field against the kind. Problems name
/// `origin`'s file and line and the field's Chinese name and id.
pub fn revision_from_cells(
    kind: &Kind,
    cells: &[(&str, &str)],
    origin: &Origin,
    synthetic: bool,
) -> Result<RecordRevision, Vec<Problem>> {
    let mut problems = Vec::new();
    let problem = |field: &str, message: String| Problem {
        file: origin.file.clone(),
        line: origin.line,
        column: None,
        field: Some(field.to_string()),
        message,
        ..Default::default()
    };
    let text_of = |id: &str| cells.iter().find(|(c, _)| *c == id).map(|(_, t)| t.trim());
    let record_id = text_of(RECORD_ID).unwrap_or("").to_string();
    if record_id.is_empty() {
        problems.push(problem("编号(record_id)", "必填 (required)".to_string()));
    } else if let Some(reason) = ecociv_csvline::text::name_problem(&record_id) {
        problems.push(problem("编号(record_id)", reason.to_string()));
    } else if record_id.chars().count() > 64 {
        problems.push(problem(
            "编号(record_id)",
            "超过64个字符 (longer than 64 characters)".to_string(),
        ));
    }
    let mut typed = BTreeMap::new();
    for field in &kind.fields {
        let label = format!("{}({})", field.name, field.id);
        match parse_cell(field, text_of(&field.id).unwrap_or("")) {
            Ok(Some(cell)) => {
                typed.insert(field.id.clone(), cell);
            }
            Ok(None) if field.required => problems.push(problem(&label, "必填 (required)".to_string())),
            Ok(None) => {}
            Err(message) => problems.push(problem(&label, message)),
        }
    }
    let (mut state, mut state_date) = (None, None);
    if let Some(lifecycle) = &kind.lifecycle {
        match text_of(STATE).unwrap_or("") {
            "" => problems.push(problem("状态(state)", "必填 (required)".to_string())),
            s if lifecycle.states.iter().any(|x| x == s) => state = Some(s.to_string()),
            s => problems.push(problem(
                "状态(state)",
                format!(
                    "“{}”不是本台账的状态：{} (unknown state)",
                    ecociv_csvline::text::excerpt(s),
                    lifecycle.states.join("、")
                ),
            )),
        }
        match text_of(STATE_DATE).unwrap_or("") {
            "" => problems.push(problem("状态日期(state_date)", "必填 (required)".to_string())),
            s => match parse_date(s) {
                Ok(d) => state_date = Some(d),
                Err(message) => problems.push(problem("状态日期(state_date)", message)),
            },
        }
    }
    if problems.is_empty() {
        Ok(RecordRevision {
            record_id,
            cells: typed,
            state,
            state_date,
            origin: origin.clone(),
            synthetic,
        })
    } else {
        Err(problems)
    }
}

/// The CSV columns of a kind, in order: 编号, the fields, then 状态 and 状态日期 for a lifecycle. Each as
/// (id, Chinese name).
pub fn columns(kind: &Kind) -> Vec<(String, String)> {
    let mut out = vec![(RECORD_ID.to_string(), "编号".to_string())];
    out.extend(kind.fields.iter().map(|f| (f.id.clone(), f.name.clone())));
    if kind.lifecycle.is_some() {
        out.push((STATE.to_string(), "状态".to_string()));
        out.push((STATE_DATE.to_string(), "状态日期".to_string()));
    }
    out
}

/// Reads a CSV of records of one kind, streaming: the header names each column by its id or its Chinese
/// name (in any order); every line is checked against the kind; nothing is returned when any problem is
/// found (all or nothing), and the problems name file, line and field. A file whose name contains
/// `SYNTHETIC` gives synthetic records.
pub fn read_csv<R: Read>(file: &str, input: R, kind: &Kind) -> Result<Vec<RecordRevision>, DataError> {
    let mut out = Vec::new();
    read_csv_each(file, input, kind, |revision| out.push(revision))?;
    Ok(out)
}

/// As [`read_csv`], streaming: each valid revision is handed to `sink` as its line is read, while no
/// problem has been found; the caller keeps nothing of them when the result is `Err` (all or nothing).
/// Returns the number of revisions handed over.
pub fn read_csv_each<R: Read>(
    file: &str,
    input: R,
    kind: &Kind,
    mut sink: impl FnMut(RecordRevision),
) -> Result<usize, DataError> {
    let mut handed = 0usize;
    let synthetic = file.contains("SYNTHETIC");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(ecociv_csvline::LineCounter::new(input));
    let columns = columns(kind);
    let mut problems: Vec<Problem> = Vec::new();
    let mut more = 0usize;
    let mut push = |problems: &mut Vec<Problem>, p: Problem| {
        if problems.len() < MAX_PROBLEMS {
            problems.push(p);
        } else {
            more += 1;
        }
    };
    let mut header: Option<Vec<Option<String>>> = None;
    let mut record = csv::ByteRecord::new();
    loop {
        let position = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let (line, message, fatal) = match error.kind() {
                    csv::ErrorKind::Io(io) => match ecociv_csvline::RecordTooLong::from_io(io) {
                        Some(t) => (Some(t.line), t.to_string(), true),
                        None => (None, format!("无法读取 (cannot read): {io}"), true),
                    },
                    _ => (
                        error.position().map(|p| reader.get_ref().line_at(p.byte())),
                        format!("CSV格式错误 (malformed CSV): {error}"),
                        false,
                    ),
                };
                push(
                    &mut problems,
                    Problem {
                        file: file.to_string(),
                        line,
                        column: None,
                        field: None,
                        message,
                        ..Default::default()
                    },
                );
                if fatal {
                    break;
                }
                continue;
            }
        }
        let line = reader
            .get_ref()
            .line_at(record.position().map_or(position, |p| p.byte()));
        let mut texts = Vec::with_capacity(record.len());
        let mut bad_utf8 = false;
        for (index, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(t) => texts.push(if index == 0 && header.is_none() {
                    t.trim_start_matches('\u{feff}')
                } else {
                    t
                }),
                Err(_) => {
                    bad_utf8 = true;
                    break;
                }
            }
        }
        if bad_utf8 {
            push(
                &mut problems,
                Problem {
                    file: file.to_string(),
                    line: Some(line),
                    column: None,
                    field: None,
                    message: "不是UTF-8编码（Excel请另存为“CSV UTF-8”） (not UTF-8)".to_string(),
                    ..Default::default()
                },
            );
            if header.is_none() {
                break;
            }
            continue;
        }
        if texts.iter().all(|t| t.trim().is_empty()) {
            continue;
        }
        let Some(map) = &header else {
            let mut seen = BTreeSet::new();
            let mut map = Vec::new();
            for text in &texts {
                let text = text.trim();
                let id = columns
                    .iter()
                    .find(|(id, name)| id == text || name == text || format!("{name}({id})") == text)
                    .map(|(id, _)| id.clone());
                match &id {
                    None => push(
                        &mut problems,
                        Problem {
                            file: file.to_string(),
                            line: Some(line),
                            column: None,
                            field: Some(ecociv_csvline::text::excerpt(text).into_owned()),
                            message: format!("不是台账“{}”的列 (unknown column)", kind.name),
                            ..Default::default()
                        },
                    ),
                    Some(id) if !seen.insert(id.clone()) => push(
                        &mut problems,
                        Problem {
                            file: file.to_string(),
                            line: Some(line),
                            column: None,
                            field: Some(text.to_string()),
                            message: "列重复 (duplicate column)".to_string(),
                            ..Default::default()
                        },
                    ),
                    Some(_) => {}
                }
                map.push(id);
            }
            for (id, name) in &columns {
                let required = id == RECORD_ID
                    || (kind.lifecycle.is_some() && (id == STATE || id == STATE_DATE))
                    || kind.field(id).is_some_and(|f| f.required);
                if required && !seen.contains(id) {
                    push(
                        &mut problems,
                        Problem {
                            file: file.to_string(),
                            line: Some(line),
                            column: None,
                            field: Some(format!("{name}({id})")),
                            message: "缺少必填列 (required column missing)".to_string(),
                            ..Default::default()
                        },
                    );
                }
            }
            if !problems.is_empty() {
                break;
            }
            header = Some(map);
            continue;
        };
        if texts.len() > map.len() {
            push(
                &mut problems,
                Problem {
                    file: file.to_string(),
                    line: Some(line),
                    column: None,
                    field: None,
                    message: format!(
                        "有 {} 列，表头只有 {} 列 (more cells than columns)",
                        texts.len(),
                        map.len()
                    ),
                    ..Default::default()
                },
            );
            continue;
        }
        let cells: Vec<(&str, &str)> = map
            .iter()
            .zip(texts.iter())
            .filter_map(|(id, text)| id.as_deref().map(|id| (id, *text)))
            .collect();
        let origin = Origin {
            file: file.to_string(),
            line: Some(line),
        };
        match revision_from_cells(kind, &cells, &origin, synthetic) {
            Ok(revision) => {
                if problems.is_empty() {
                    handed += 1;
                    sink(revision);
                }
            }
            Err(found) => {
                for p in found {
                    push(&mut problems, p);
                }
            }
        }
    }
    if header.is_none() && problems.is_empty() {
        problems.push(Problem {
            file: file.to_string(),
            line: None,
            column: None,
            field: None,
            message: "文件为空，缺少表头 (empty file: no header)".to_string(),
            ..Default::default()
        });
    }
    if more > 0 {
        problems.push(Problem {
            file: file.to_string(),
            line: None,
            column: None,
            field: None,
            message: format!("另有 {more} 个问题未列出 ({more} more problems)"),
            ..Default::default()
        });
    }
    if problems.is_empty() {
        Ok(handed)
    } else {
        Err(DataError { problems })
    }
}

/// Checks one revision against the record's previous one (`None` for a new record): a new record starts in
/// the initial state (or any state where the kind allows importing an existing register); a later revision
/// follows an allowed transition with a state date not before the previous one. **The one check** of a
/// lifecycle step, used by [`Ledger::append`] and by the store before it appends a revision.
pub fn check_step(
    kind: &Kind,
    previous: Option<(Option<&str>, Option<Date>)>,
    revision: &RecordRevision,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let problem = |message: String| Problem {
        file: revision.origin.file.clone(),
        line: revision.origin.line,
        column: None,
        field: Some("状态(state)".to_string()),
        message,
        ..Default::default()
    };
    if let (Some(lifecycle), Some(to)) = (&kind.lifecycle, &revision.state) {
        match previous {
            None => {
                if !lifecycle.import_any_state && *to != lifecycle.initial {
                    problems.push(problem(format!(
                        "记录“{}”首次登记须为“{}”，不能为“{to}” (a new record starts in the initial state)",
                        revision.record_id, lifecycle.initial
                    )));
                }
            }
            Some((Some(from), date)) => {
                if !lifecycle.allows(from, to) {
                    problems.push(problem(format!(
                        "记录“{}”不能从“{from}”转为“{to}” (transition not allowed)",
                        revision.record_id
                    )));
                }
                if let (Some(before), Some(now)) = (date, revision.state_date)
                    && now < before
                {
                    problems.push(Problem {
                        field: Some("状态日期(state_date)".to_string()),
                        ..problem(format!(
                            "记录“{}”的状态日期 {now} 早于上一状态日期 {before} (state date goes back)",
                            revision.record_id
                        ))
                    });
                }
            }
            Some((None, _)) => {}
        }
    }
    problems
}

/// A kind's records with their history: every revision kept in order, lifecycle transitions checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    /// Record id → revisions, oldest first.
    pub records: BTreeMap<String, Vec<RecordRevision>>,
}

impl Ledger {
    /// Appends revisions after the history, all or nothing: a revision of a known record must follow an
    /// allowed transition with a state date not before the previous one; a new record starts in the
    /// initial state (or any state where the kind allows importing an existing register).
    pub fn append(&mut self, kind: &Kind, revisions: Vec<RecordRevision>) -> Result<(), DataError> {
        let mut problems = Vec::new();
        // The last revision per record as the check goes along (history, then earlier new lines).
        let mut last: BTreeMap<String, (Option<String>, Option<Date>)> = BTreeMap::new();
        for revision in &revisions {
            let previous = last.get(&revision.record_id).cloned().or_else(|| {
                self.records
                    .get(&revision.record_id)
                    .and_then(|h| h.last())
                    .map(|r| (r.state.clone(), r.state_date))
            });
            problems.extend(check_step(
                kind,
                previous.as_ref().map(|(s, d)| (s.as_deref(), *d)),
                revision,
            ));
            last.insert(
                revision.record_id.clone(),
                (revision.state.clone(), revision.state_date),
            );
        }
        if !problems.is_empty() {
            return Err(DataError { problems });
        }
        for revision in revisions {
            self.records
                .entry(revision.record_id.clone())
                .or_default()
                .push(revision);
        }
        Ok(())
    }

    /// A ledger from revisions in order (the whole history), checked as `append` does.
    pub fn build(kind: &Kind, revisions: Vec<RecordRevision>) -> Result<Ledger, DataError> {
        let mut ledger = Ledger::default();
        ledger.append(kind, revisions)?;
        Ok(ledger)
    }

    /// The revision of a record in force at the end of `year`: for a lifecycle kind the last revision whose
    /// state date is on or before 31 December (none when the record was registered later); otherwise the
    /// latest revision (a correction applies to every year).
    pub fn in_force(&self, kind: &Kind, record_id: &str, year: i32) -> Option<&RecordRevision> {
        let history = self.records.get(record_id)?;
        if kind.lifecycle.is_none() {
            return history.last();
        }
        history
            .iter()
            .rev()
            .find(|r| r.state_date.is_none_or(|d| i32::from(d.year()) <= year))
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}
