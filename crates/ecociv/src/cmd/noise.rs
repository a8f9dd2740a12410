//! `ecociv noise judge`: GB 3096-2008 day/night equivalent levels of each measurement point, judged against
//! its functional-area class. Glue only: the computations live in `ecociv-noise`.
//!
//! All or nothing: every error of the input is printed (file, line, column, field) and nothing is written.

use std::process::ExitCode;

use ecociv_noise::gb3096::Table;
use ecociv_noise::ingest::{self, PeriodResult};

use super::soil::{self, Io};

#[derive(clap::Subcommand)]
pub enum NoiseCommand {
    /// 按 GB 3096-2008 评价各监测点位昼间、夜间等效声级 (judge each point's day and night Leq)
    /// — 输入 point,class,date,start,minutes,leq[,lmax]
    Judge(Io),
}

pub fn run(command: NoiseCommand) -> anyhow::Result<ExitCode> {
    match command {
        NoiseCommand::Judge(io) => judge(&io),
    }
}

fn judge(io: &Io) -> anyhow::Result<ExitCode> {
    let table = Table::embedded();
    soil::judge(
        io,
        |input| ingest::read_and_judge(input, table),
        |results, bytes| Ok(ingest::write_csv(results, table, bytes)?),
        |results| json(results, table),
    )
}

fn json(results: &[PeriodResult], table: &Table) -> serde_json::Value {
    let rows: Vec<_> = results
        .iter()
        .map(|r| {
            serde_json::json!({
                "point": r.point,
                "class": r.class.code(),
                "class_zh": r.class.name_zh(),
                "date": r.date.to_string(),
                "period": r.period.code(),
                "period_zh": r.period.name_zh(),
                "minutes": r.minutes,
                "period_minutes": table.period_minutes(r.period),
                "leq": r.leq.level,
                "limit": r.leq.limit,
                "verdict": r.leq.verdict.name_zh(),
                "exceedance": r.leq.exceedance,
                "night_max": r.night_max.map(|j| serde_json::json!({
                    "lmax": j.level, "limit": j.limit, "verdict": j.verdict.name_zh(), "exceedance": j.exceedance,
                })),
            })
        })
        .collect();
    let doubts: Vec<_> = table
        .doubtful()
        .map(|f| serde_json::json!({"key": f.key, "confidence": format!("{:?}", f.confidence), "note": f.note}))
        .collect();
    serde_json::json!({"edition": ecociv_noise::edition::GB3096, "unit": "dB(A)", "periods": rows, "doubts": doubts})
}
