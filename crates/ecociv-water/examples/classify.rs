//! Benchmark harness (not a product path): the library call `ecociv water classify` makes —
//! `ingest::classify_parallel` on every core with the CLI's block size — from `--input F` to `--output F`,
//! built without the rest of the binary (`bench/water/run.sh` with `CLASSIFY=example`).
//!
//! Usage: `cargo run --release -p ecociv-water --example classify -- --input IN.csv --output OUT.csv`

use std::fs::File;
use std::io::BufWriter;
use std::process::ExitCode;

use ecociv_water::evaluation2011::Thresholds;
use ecociv_water::gb3838::Table;
use ecociv_water::ingest;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let (Some(input), Some(output)) = (arg("--input"), arg("--output")) else {
        eprintln!("usage: classify --input IN.csv --output OUT.csv");
        return ExitCode::from(2);
    };
    let run = || -> Result<u64, Box<dyn std::error::Error>> {
        let input = File::open(input)?;
        let out = File::create(output)?;
        let mut w = BufWriter::with_capacity(1 << 12, &out);
        let n = ingest::classify_parallel(
            input,
            &mut w,
            Table::embedded(),
            Thresholds::embedded(),
            ingest::default_workers(),
            ingest::BLOCK,
        )?;
        Ok(n)
    };
    match run() {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
