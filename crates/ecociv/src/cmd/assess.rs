//! `ecociv assess`: judge every row of a zone for a year and print the table or the JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use ecociv_core::assess;

use crate::cmd::{Format, load_zone_full};
use crate::term;

#[derive(clap::Args)]
pub struct Args {
    /// 区域目录或内置区域代码，如 450202 (a zone directory, or a bundled zone code)
    #[arg(long)]
    pub zone: String,
    /// 评估年份 (the year to assess)
    #[arg(long, value_parser = crate::cmd::year_arg)]
    pub year: i32,
    /// 数值文件 CSV：indicator,year,value,assigned — 覆盖区域已有数值 (values overriding the zone's own)
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// 监测数据目录（默认：区域目录下的 monitoring/） (monitoring data directory)
    #[arg(long)]
    pub monitoring: Option<PathBuf>,
    /// 台账记录目录（默认：区域目录下的 ledgers/），由台账计算指标值 (ledger records folder)
    #[arg(long)]
    pub ledgers: Option<PathBuf>,
    /// 输出格式 (output format)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// 表格后逐行给出判定说明 (print each row's explanation after the table)
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loaded = load_zone_full(
        &args.zone,
        args.values.as_deref(),
        args.monitoring.as_deref(),
        args.ledgers.as_deref(),
    )?;
    let assessment = assess(&loaded.framework, &loaded.zone, args.year);
    match args.format {
        Format::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&ecociv_report::json::assessment(&assessment))?
            );
        }
        Format::Table => print!(
            "{}",
            term::assessment(&assessment, args.explain, term::colour_enabled())
        ),
    }
    Ok(ExitCode::SUCCESS)
}
