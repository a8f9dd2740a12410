//! Import of a survey platform's export (问卷星, KoboToolbox, LimeSurvey …) as CSV or Excel (xlsx): one
//! response per line, all or nothing — every problem names the line and the column, and a file with any
//! problem gives no response at all.
//!
//! Columns (matched by their heading; other columns — submit time, IP, duration — are ignored and listed):
//! - the response's number on the platform (`序号`, `答卷编号`, `编号`, `id`): required, unique in the file;
//!   the store refuses a number it already holds, so an export imported twice is refused whole;
//! - the stratum (`层`, `所在街道社区村`, `所在社区`, `所在村`, `所在街道`, `stratum`): a stratum's code or name;
//! - one column per question, headed by the question's id or its text (a leading `1、` / `Q1.` number
//!   and a trailing `（可多选）` are allowed, as the platforms write them); cells hold codes or labels, several
//!   choices separated by `┋ | ; ；`.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use ecociv_csvline::{LineCounter, Located};

use crate::questionnaire::{Answers, Questionnaire};
use crate::sampling::SamplingPlan;

/// Headings of the platform's response number.
pub const ID_HEADINGS: &[&str] = &["序号", "答卷编号", "编号", "id", "ID", "_id"];
/// Headings of the stratum.
pub const STRATUM_HEADINGS: &[&str] = &[
    "层",
    "所在街道社区村",
    "所在街道/社区/村",
    "所在社区",
    "所在村",
    "所在街道",
    "stratum",
];

/// One imported response.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The line (CSV) or row (Excel) it came from, 1 = the heading.
    pub line: u64,
    /// The platform's response number.
    pub external_id: String,
    /// The stratum's code.
    pub stratum: String,
    pub answers: Answers,
}

/// The file's responses and the columns it ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportFile {
    pub responses: Vec<Imported>,
    pub ignored_columns: Vec<String>,
}

/// A problem at a line and column of the file: the project's one located error. The file's name is the
/// caller's to add ([`Located::in_file`]); the message is `中文 (English)`.
pub(crate) fn problem(line: u64, column: &str, zh: impl Into<String>, en: impl Into<String>) -> Located {
    let message = format!("{} ({})", zh.into(), en.into());
    let located = Located::new("", message).at_line(line);
    match column {
        // The file or the line as a whole, or the heading line: no field to name.
        "整个文件" | "整行" | "表头" => located,
        heading => located.in_field(heading),
    }
}

/// The largest file accepted (bytes).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// Reads a CSV (UTF-8, optional BOM) or xlsx file (first sheet) into (line, cells) rows.
pub fn read_grid(bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>, Located> {
    if bytes.len() > MAX_BYTES {
        return Err(problem(0, "整个文件", "文件超过 32 MB", "the file exceeds 32 MB"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
            problem(
                0,
                "整个文件",
                format!("不是有效的 xlsx 文件：{e}"),
                format!("not a valid xlsx file: {e}"),
            )
        })?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| problem(0, "整个文件", "工作簿没有工作表", "the workbook has no sheet"))?
            .map_err(|e| problem(0, "整个文件", format!("无法读取第一个工作表：{e}"), e.to_string()))?;
        let first_row = range.start().map_or(0, |(row, _)| row);
        let mut grid = Vec::new();
        for (index, row) in range.rows().enumerate() {
            let line = u64::from(first_row) + index as u64 + 1;
            let mut cells = Vec::with_capacity(row.len());
            for (column, cell) in row.iter().enumerate() {
                cells.push(match cell {
                    Data::Empty => String::new(),
                    Data::String(text) => text.trim().to_string(),
                    Data::Int(n) => n.to_string(),
                    Data::Float(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
                    Data::Float(n) if n.is_finite() => n.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => d.to_string(),
                    Data::DateTimeIso(d) | Data::DurationIso(d) => d.clone(),
                    Data::Float(_) | Data::Error(_) => {
                        return Err(problem(line, "整行", "单元格含错误值", "the cell holds an error value")
                            .at_column(column + 1));
                    }
                });
            }
            grid.push((line, cells));
        }
        return Ok(grid);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        problem(
            0,
            "整个文件",
            "文件不是 UTF-8 编码的 CSV 或 xlsx 文件",
            format!("neither UTF-8 CSV nor xlsx: {e}"),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The line a person sees for each record, blank lines counted: `ecociv_csvline::LineCounter`.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineCounter::new(text.as_bytes()));
    let mut grid = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| reader.get_ref().line_at(p.byte()));
                grid.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| reader.get_ref().line_at(p.byte()));
                return Err(problem(line, "整行", format!("无法读取：{e}"), e.to_string()));
            }
        }
    }
    Ok(grid)
}

/// The question text a heading names: strips a leading number (`1、`, `1.`, `Q1.`, `Q1：`) and a trailing
/// note in full-width brackets.
fn heading_text(heading: &str) -> &str {
    let mut text = heading.trim();
    let without_q = text
        .strip_prefix('Q')
        .or_else(|| text.strip_prefix('q'))
        .unwrap_or(text);
    let digits = without_q.len() - without_q.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let rest = &without_q[digits..];
        for sep in ["、", ".", "．", "：", ":", " "] {
            if let Some(rest) = rest.strip_prefix(sep) {
                text = rest.trim();
                break;
            }
        }
    }
    if let Some(open) = text.rfind('（')
        && text.ends_with('）')
    {
        text = text[..open].trim_end();
    }
    text
}

/// Parses a platform export against the questionnaire and the sampling plan; all or nothing.
pub fn parse_export(
    questionnaire: &Questionnaire,
    plan: &SamplingPlan,
    bytes: &[u8],
) -> Result<ImportFile, Vec<Located>> {
    let grid = read_grid(bytes).map_err(|p| vec![p])?;
    let Some((header_line, header)) = grid.first() else {
        return Err(vec![problem(0, "整个文件", "文件是空的", "the file is empty")]);
    };
    let mut problems = Vec::new();
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let id_column = find(ID_HEADINGS);
    let stratum_column = find(STRATUM_HEADINGS);
    if id_column.is_none() {
        problems.push(problem(
            *header_line,
            "表头",
            format!("缺少答卷编号列（{}）", ID_HEADINGS.join("、")),
            "no response-number column",
        ));
    }
    if stratum_column.is_none() {
        problems.push(problem(
            *header_line,
            "表头",
            format!("缺少所在层列（{}）", STRATUM_HEADINGS.join("、")),
            "no stratum column",
        ));
    }
    let mut question_columns: Vec<(usize, &crate::questionnaire::Question)> = Vec::new();
    let mut ignored = Vec::new();
    for (index, heading) in header.iter().enumerate() {
        if Some(index) == id_column || Some(index) == stratum_column {
            continue;
        }
        let text = heading_text(heading);
        let question = questionnaire
            .questions
            .iter()
            .find(|q| q.id == *heading || heading_text(&q.text) == text);
        match question {
            Some(q) if question_columns.iter().any(|(_, other)| other.id == q.id) => problems.push(problem(
                *header_line,
                heading,
                format!("题目“{}”有两列", q.id),
                format!("two columns for question '{}'", q.id),
            )),
            Some(q) => question_columns.push((index, q)),
            None => ignored.push(heading.clone()),
        }
    }
    for question in &questionnaire.questions {
        if question_columns.iter().all(|(_, q)| q.id != question.id) {
            problems.push(problem(
                *header_line,
                "表头",
                format!("缺少题目“{}”的列（{}）", question.id, question.text),
                format!("no column for question '{}'", question.id),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (id_column, stratum_column) = (id_column.unwrap_or(0), stratum_column.unwrap_or(0));
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut responses = Vec::new();
    for (line, cells) in &grid[1..] {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let cell = |index: usize| cells.get(index).map_or("", String::as_str);
        let before = problems.len();
        let external_id = cell(id_column).to_string();
        if external_id.is_empty() {
            problems.push(problem(
                *line,
                &header[id_column],
                "答卷编号不能为空",
                "the response number is empty",
            ));
        } else if let Some(first) = seen.insert(external_id.clone(), *line) {
            problems.push(problem(
                *line,
                &header[id_column],
                format!("答卷编号“{external_id}”与第{first}行重复"),
                format!("response number '{external_id}' repeats line {first}"),
            ));
        }
        let stratum_text = cell(stratum_column);
        let stratum = plan
            .strata
            .iter()
            .find(|s| s.id == stratum_text || s.name == stratum_text);
        if stratum.is_none() {
            problems.push(problem(
                *line,
                &header[stratum_column],
                format!("“{stratum_text}”不是抽样方案中的层"),
                format!("'{stratum_text}' is not a stratum of the sampling plan"),
            ));
        }
        let mut answers = Answers::new();
        for (index, question) in &question_columns {
            match questionnaire.read_cell(question, cell(*index)) {
                Ok(answer) if answer.is_empty() => {}
                Ok(answer) => {
                    answers.insert(question.id.clone(), answer);
                }
                Err(p) => problems.push(problem(*line, &header[*index], p.zh, p.en)),
            }
        }
        if problems.len() == before {
            for p in questionnaire.check_answers(&answers) {
                let column = question_columns
                    .iter()
                    .find(|(_, q)| q.id == p.field)
                    .map_or(p.field.as_str(), |(i, _)| header[*i].as_str());
                problems.push(problem(*line, column, p.zh, p.en));
            }
        }
        if problems.len() == before
            && let Some(stratum) = stratum
        {
            responses.push(Imported {
                line: *line,
                external_id,
                stratum: stratum.id.clone(),
                answers,
            });
        }
    }
    if responses.is_empty() && problems.is_empty() {
        problems.push(problem(
            *header_line,
            "整个文件",
            "文件没有任何答卷",
            "the file holds no response",
        ));
    }
    if problems.is_empty() {
        Ok(ImportFile {
            responses,
            ignored_columns: ignored,
        })
    } else {
        Err(problems)
    }
}
