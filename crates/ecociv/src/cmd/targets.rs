//! `ecociv targets`: judge the plan's 2025 and 2030 targets against the standard, flagging any target
//! that would not meet it.

use std::process::ExitCode;

use ecociv_core::targets::check_targets;

use crate::cmd::{Format, load_zone_with};
use crate::term;

#[derive(clap::Args)]
pub struct Args {
    /// 区域目录或内置区域代码 (a zone directory, or a bundled zone code)
    #[arg(long)]
    pub zone: String,
    /// 目标年份；缺省时检查规划中的全部目标年份 (target year; all when omitted)
    #[arg(long, value_parser = crate::cmd::year_arg)]
    pub year: Option<i32>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loaded = load_zone_with(&args.zone, None, None)?;
    let mut years = loaded.zone.plan.target_years();
    if let Some(year) = args.year {
        if !years.contains(&year) {
            anyhow::bail!(
                "规划中没有 {year} 年的目标值；有：{:?} (no targets for that year)",
                years
            );
        }
        years = vec![year];
    }
    let mut outputs = Vec::new();
    for year in years {
        let checks = check_targets(&loaded.framework, &loaded.zone, year);
        match args.format {
            Format::Json => outputs.push(ecociv_report::json::targets(&loaded.zone.profile.code, year, &checks)),
            Format::Table => print!(
                "{}",
                term::targets(&loaded.zone.profile.name, year, &checks, term::colour_enabled())
            ),
        }
    }
    if args.format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&serde_json::Value::Array(outputs))?);
    }
    Ok(ExitCode::SUCCESS)
}
