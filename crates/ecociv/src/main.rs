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

/// The allocator of the command line and the server: mimalloc rather than glibc's malloc. glibc gives
/// each thread that allocates while another does its own arena and keeps what was freed in it, so a
/// server whose worker and blocking threads had computed the demo at start held 207 MiB resident with
/// little of it live (66 MiB with one arena); issue 19's bound on the server's memory during a large
/// import counts the whole process (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
