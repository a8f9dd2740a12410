//! `ecociv soil development|farmland`: each content of each soil sample judged against GB 36600-2018
//! (development land) or GB 15618-2018 (agricultural land). Glue only: the computations live in
//! `ecociv-soil`.
//!
//! All or nothing: every error of the input is printed (file, line, column, field) and nothing is written.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use ecociv_soil::ingest;
use ecociv_soil::{gb15618, gb36600};

use super::{Files, Format, open_input};

#[derive(clap::Subcommand)]
pub enum SoilCommand {
    /// 按 GB 36600-2018 评价建设用地土壤样品 (judge development-land samples) — 输入 sample,class,item,value
    Development(Io),
    /// 按 GB 15618-2018 评价农用地土壤样品 (judge agricultural-land samples) — 输入 sample,land,ph,item,value
    Farmland(Io),
}

/// A judging command's files and output format (`ecociv soil …`, `ecociv noise judge`).
#[derive(clap::Args)]
pub struct Io {
    #[command(flatten)]
    pub files: Files,
    /// 输出格式：table 为 CSV 表，json 供程序读取 (table: CSV rows; json: for programs)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(command: SoilCommand) -> anyhow::Result<ExitCode> {
    match command {
        SoilCommand::Development(io) => development(&io),
        SoilCommand::Farmland(io) => farmland(&io),
    }
}

/// Prints every input error with the file's name and answers exit code 1 (refused input).
pub(super) fn refuse(input: &str, errors: &[ingest::IngestError]) -> ExitCode {
    let name = if input == "-" { "标准输入 (stdin)" } else { input };
    eprintln!(
        "错误 (error): 输入被拒绝，未输出任何结果 / the input was refused, nothing was written ({} 处 / problems)",
        errors.len()
    );
    for e in errors {
        eprintln!("{}", e.clone().in_file(name));
    }
    ExitCode::from(1)
}

/// Writes the finished output to `--output` or standard output.
pub(super) fn emit(io_args: &Io, bytes: &[u8]) -> anyhow::Result<()> {
    match &io_args.files.output {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("无法写出 (cannot write) {}", path.display()))
        }
        None => {
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            lock.write_all(bytes)?;
            lock.flush()?;
            Ok(())
        }
    }
}

/// The glue of a judging command: the input read and judged by `read` — refused whole, every problem
/// printed and nothing written —, then written as `--format` says (the CSV table `table` writes, or the
/// JSON document `json` builds) to `--output` or standard output.
pub(super) fn judge<T>(
    io_args: &Io,
    read: impl FnOnce(Box<dyn Read>) -> Result<T, Vec<ingest::IngestError>>,
    table: impl FnOnce(&T, &mut Vec<u8>) -> anyhow::Result<()>,
    json: impl FnOnce(&T) -> serde_json::Value,
) -> anyhow::Result<ExitCode> {
    let judged = match read(open_input(&io_args.files.input)?) {
        Ok(judged) => judged,
        Err(errors) => return Ok(refuse(&io_args.files.input, &errors)),
    };
    let mut bytes = Vec::new();
    match io_args.format {
        Format::Table => table(&judged, &mut bytes)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut bytes, &json(&judged))?;
            bytes.push(b'\n');
        }
    }
    emit(io_args, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

// The JSON rows of `development` and `farmland` are written out one beside the other on purpose (the
// duplicate finder pairs them): ten keys are common (line, sample, item, name, value, screening,
// intervention, level, consequence, confidence), but each standard judges a different thing and says so in
// its row — GB 36600-2018 by the land's planned use (`class`, 第一类/第二类) with the arsenic-background
// `note`; GB 15618-2018 by land type and soil pH (`land`, `ph`, `ph_band`) with the item's `doubts`. The
// judgements and their levels are distinct types of each standard (`gb36600::Judgement`/`Level`,
// `gb15618::Judgement`/`Level`); a common builder would take those ten values as arguments and still
// add each standard's own keys, so it would be longer than the two literals and hide each standard's
// published fields from the reader.
fn development(io_args: &Io) -> anyhow::Result<ExitCode> {
    let table = gb36600::Table::embedded();
    judge(
        io_args,
        |input| ingest::read_development(input, table),
        |rows, bytes| Ok(ingest::write_development_csv(rows, bytes)?),
        |rows| {
            let items: Vec<_> = rows
                .iter()
                .map(|r| {
                    let j = &r.judgement;
                    serde_json::json!({
                        "line": r.line, "sample": r.sample, "class": j.class.name_zh(),
                        "item": r.pollutant.code, "name": r.pollutant.name_zh, "value": j.value,
                        "screening": j.screening, "intervention": j.intervention,
                        "level": j.level.name_zh(), "consequence": j.level.consequence_zh(),
                        "confidence": r.pollutant.confidence.code(),
                        "note": (r.pollutant.background_note() && j.level > gb36600::Level::AtOrBelowScreening)
                            .then_some(ingest::ARSENIC_BACKGROUND_NOTE),
                    })
                })
                .collect();
            serde_json::json!({"edition": ecociv_soil::edition::GB36600, "unit": "mg/kg", "rows": items})
        },
    )
}

fn farmland(io_args: &Io) -> anyhow::Result<ExitCode> {
    let table = gb15618::Table::embedded();
    judge(
        io_args,
        |input| ingest::read_farmland(input, table),
        |rows, bytes| Ok(ingest::write_farmland_csv(rows, bytes)?),
        |rows| {
            let items: Vec<_> = rows
                .iter()
                .map(|r| {
                    let j = &r.judgement;
                    serde_json::json!({
                        "line": r.line, "sample": r.sample, "land": j.land.name_zh(), "ph": r.ph,
                        "ph_band": j.band.label(), "item": r.item.code, "name": r.item.name_zh,
                        "value": j.value, "screening": j.screening, "intervention": j.intervention,
                        "level": j.level.name_zh(), "consequence": j.level.consequence_zh(),
                        "confidence": r.item.confidence.code(), "doubts": r.item.notes,
                    })
                })
                .collect();
            serde_json::json!({"edition": ecociv_soil::edition::GB15618, "unit": "mg/kg", "rows": items})
        },
    )
}
