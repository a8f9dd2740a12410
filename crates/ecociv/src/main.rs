//! `ecociv`: the command line. Glue only: parse arguments, load data through `ecociv-data`, call the
//! core, print through `ecociv-report` or the terminal table. No domain logic lives here.
//!
//! Exit codes: 0 success; 1 the input was refused or an error occurred (the message names the file,
//! line and field); 2 bad command-line usage.

mod cmd;
mod monitoring;
mod term;

use std::process::ExitCode;

use clap::Parser;

/// 生态文明建设示范区 — indicators, judgement, targets.
#[derive(Parser)]
#[command(
    name = "ecociv",
    version,
    about = "ecociv：国家生态文明建设示范区指标评估 (National Ecological Civilization Demonstration Zone toolkit)"
)]
struct Cli {
    #[command(subcommand)]
    command: cmd::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cmd::run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("错误 (error): {error:#}");
            ExitCode::from(1)
        }
    }
}
