//! Benchmark harness (not a product path): the library call `ecociv air annual` makes —
//! `ingest::run_annual` (the parallel hourly reader on every core) — from `--input F` to `--output F`,
//! built without the rest of the binary, for profiling `ecociv-air` alone.
//!
//! Usage: `cargo run --release -p ecociv-air --example annual -- --input IN.csv --output OUT.csv`

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

use ecociv_air::EditionChoice;
use ecociv_air::ingest::{self, ReadOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let (Some(input), Some(output)) = (arg("--input"), arg("--output")) else {
        eprintln!("usage: annual --input IN.csv --output OUT.csv");
        return ExitCode::from(2);
    };
    let run = || -> Result<u64, Box<dyn std::error::Error>> {
        let opts = ReadOptions {
            source: input.clone(),
            skip_bad: false,
        };
        let file = BufReader::with_capacity(1 << 16, File::open(input)?);
        let mut buf = Vec::new();
        let (_, summary) = ingest::run_annual(file, &mut buf, &opts, EditionChoice::ByDate)?;
        std::fs::write(output, &buf)?;
        Ok(summary.rows)
    };
    match run() {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
