//! Correction files of monitoring data (监测数据更正文件, issue 19): the import format of a kind
//! ([`Kind::columns`]) plus an `action` column — `retract` (撤回: withdraw the readings) or `supersede`
//! (替换: replace their values) — and a `reason` column (更正理由; a line without one takes the batch's
//! reason, and one of them is required). Each line names a station and time as the import file does; its
//! non-empty parameter cells are the readings corrected: for `supersede` with their new values, for
//! `retract` with any text (the line copied from the imported file does). Every line is checked by the
//! kind's standards reader exactly as an imported line (so a new value is refused where an import would
//! refuse it), and split into cells as an import is ([`kind::split`]): a correction names the very
//! (station, parameter, time) the import stored.
//!
//! All or nothing: every problem is reported with file, line and field ([`Refused`]).

use std::ops::ControlFlow;

use ecociv_csvline::LineCounter;
/// A refused correction file: every problem (the project's one located error list).
pub use ecociv_csvline::Refused;

use crate::kind::{self, Cell, Kind, Problem};

/// The most problems reported for one file.
const MAX_PROBLEMS: usize = 100;

/// What a line of a correction file does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// 撤回: withdraw the readings named.
    Retract,
    /// 替换: replace their values.
    Supersede,
}

impl Action {
    /// The code in files: `retract` or `supersede` (Chinese 撤回 / 替换 are read too).
    pub fn parse(text: &str) -> Option<Action> {
        match text.trim().to_ascii_lowercase().as_str() {
            "retract" | "撤回" => Some(Action::Retract),
            "supersede" | "替换" => Some(Action::Supersede),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Action::Retract => "retract",
            Action::Supersede => "supersede",
        }
    }
}

/// One line of a correction file: its line, action and reason, and the cells it corrects (supersede:
/// the new values).
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub line: u64,
    pub action: Action,
    pub reason: String,
    pub cells: Vec<Cell>,
}

/// Reads a correction file of `kind` named `file`. `reason`: the batch's reason, for lines without their
/// own. Every line checked; `Err` lists every problem (up to 100), nothing is to be applied.
pub fn parse(kind: Kind, file: &str, bytes: &[u8], reason: Option<&str>) -> Result<Vec<Correction>, Refused> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineCounter::new(bytes));
    let mut problems: Vec<Problem> = Vec::new();
    let mut out = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let mut rec = csv::StringRecord::new();
    let columns = kind.columns();
    loop {
        let more = match rdr.read_record(&mut rec) {
            Ok(more) => more,
            Err(e) => {
                let line = e.position().map(|p| rdr.get_ref().line_at(p.byte()));
                problems.push(Problem::at(
                    file,
                    line,
                    None,
                    format!("CSV 格式错误或非 UTF-8 编码 / malformed CSV or not UTF-8: {e}"),
                ));
                break;
            }
        };
        if !more || problems.len() >= MAX_PROBLEMS {
            break;
        }
        let line = rec.position().map_or(0, |p| rdr.get_ref().line_at(p.byte()));
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let Some(names) = &header else {
            let names = ecociv_csvline::header_names(&rec);
            if !names.iter().any(|n| n == "action") {
                return Err(Refused::one(
                    file,
                    Some(line),
                    None,
                    "缺少 action 列（retract 撤回 或 supersede 替换） / missing column action (retract or supersede)",
                ));
            }
            header = Some(names);
            continue;
        };
        let get = |name: &str| {
            names
                .iter()
                .position(|n| n == name)
                .map(|i| (i + 1, rec.get(i).unwrap_or("").trim()))
        };
        let at = |name: &str, message: String| {
            let problem = Problem::at(file, Some(line), Some(name), message);
            match get(name) {
                Some((column, _)) => problem.at_column(column),
                None => problem,
            }
        };
        let action_text = get("action").map_or("", |(_, t)| t);
        let Some(action) = Action::parse(action_text) else {
            problems.push(at(
                "action",
                format!(
                    "应为 retract（撤回）或 supersede（替换），而不是“{}” / must be retract or supersede",
                    ecociv_csvline::text::excerpt(action_text)
                ),
            ));
            continue;
        };
        let own = get("reason").map(|(_, t)| t).filter(|t| !t.is_empty());
        let Some(line_reason) = own.or(reason) else {
            problems.push(at(
                "reason",
                "缺少更正理由（本行 reason 列或整批理由） / a reason is required".into(),
            ));
            continue;
        };
        // The line as the import would read it: the kind's columns, in its order.
        let mut one = csv::WriterBuilder::new().from_writer(Vec::new());
        let record: Vec<&str> = columns.iter().map(|c| get(c).map_or("", |(_, t)| t)).collect();
        // Writing to a Vec cannot fail.
        let _ = one.write_record(&columns);
        let _ = one.write_record(&record);
        let one = one.into_inner().unwrap_or_default();
        if let Err(problem) = kind::validate(kind, file, &one[..]) {
            let field = problem.field.clone();
            let mut problem = problem.at_line(line);
            problem.column = field.as_deref().and_then(|f| get(f).map(|(c, _)| c));
            problems.push(problem);
            continue;
        }
        let mut cells = Vec::new();
        match kind::split(kind, file, &one[..], |cell| {
            cells.push(cell);
            ControlFlow::Continue(())
        }) {
            Ok(_) => {}
            Err(problem) => {
                problems.push(problem.at_line(line));
                continue;
            }
        }
        if cells.is_empty() {
            problems.push(Problem::at(
                file,
                Some(line),
                None,
                "没有要更正的参数：请填写要撤回或替换的参数值 / no parameter to correct on this line",
            ));
            continue;
        }
        out.push(Correction {
            line,
            action,
            reason: line_reason.to_owned(),
            cells,
        });
    }
    if !problems.is_empty() {
        return Err(Refused { problems });
    }
    if out.is_empty() {
        return Err(Refused::one(
            file,
            None,
            None,
            "更正文件没有数据行 / the correction file has no data line",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AIR: &str = "station,date,hour,so2,no2,pm10,co,o3,pm25,action,reason\n";

    #[test]
    fn a_correction_names_the_cells_an_import_stores() {
        let csv = format!("{AIR}A,2023/01/01,1,,,,,,40,supersede,仪器校准后重算\n\nA,2023-01-01,2,12,,,,,,retract,\n");
        let read = parse(Kind::Air, "c.csv", csv.as_bytes(), Some("停电")).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].action, Action::Supersede);
        assert_eq!(read[0].reason, "仪器校准后重算");
        assert_eq!(
            (read[0].cells[0].station.as_str(), read[0].cells[0].time.as_str()),
            ("A", "2023-01-01T01")
        );
        assert_eq!(
            (read[0].cells[0].parameter.as_str(), read[0].cells[0].value),
            ("pm25", Some(40.0))
        );
        assert_eq!((read[1].line, read[1].reason.as_str()), (4, "停电"));
        assert_eq!(read[1].cells[0].parameter, "so2");
    }

    #[test]
    fn every_problem_is_named_by_line_and_field_and_nothing_is_read() {
        let csv = format!(
            "{AIR}A,2023-01-01,1,,,,,,x,supersede,r\nA,2023-01-01,2,,,,,,30,undo,r\nA,2023-01-01,3,,,,,,30,supersede,\nA,2023-01-01,4,,,,,,,supersede,r\n"
        );
        let refused = parse(Kind::Air, "c.csv", csv.as_bytes(), None).unwrap_err();
        let places: Vec<(Option<u64>, Option<&str>, Option<usize>)> = refused
            .problems
            .iter()
            .map(|p| (p.line, p.field.as_deref(), p.column))
            .collect();
        assert_eq!(
            places,
            vec![
                (Some(2), Some("pm25"), Some(9)),
                (Some(3), Some("action"), Some(10)),
                (Some(4), Some("reason"), Some(11)),
                (Some(5), None, None),
            ],
            "{refused}"
        );
        let missing = parse(
            Kind::Air,
            "c.csv",
            b"station,date,hour,pm25\nA,2023-01-01,1,3\n",
            Some("r"),
        )
        .unwrap_err();
        assert!(missing.to_string().contains("action"), "{missing}");
    }

    #[test]
    fn a_water_sample_is_corrected_under_its_stored_date_spelling() {
        let csv = "section,date,waterbody,nh3n,action,reason\nS,2021/3/15,river,0.35,supersede,复测\n";
        let read = parse(Kind::Sections, "w.csv", csv.as_bytes(), None).unwrap();
        let nh3n = read[0].cells.iter().find(|c| c.parameter == "nh3n").unwrap();
        assert_eq!((nh3n.time.as_str(), nh3n.value), ("2021-03-15", Some(0.35)));
        // The sample's waterbody is a cell too (a register-like text): corrected only when given.
        assert!(read[0].cells.iter().any(|c| c.parameter == "waterbody"));
    }
}
