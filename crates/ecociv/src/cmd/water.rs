//! `ecociv water classify|annual`: GB 3838-2002 classification of samples and 2011-method annual evaluation
//! of sections, streaming CSV in and out; and the `monitoring/water/` feed for `ecociv assess`
//! (indicators 8.1, 8.2, 8.3, 9, 23). Glue only: the computations live in `ecociv-water`.
//!
//! `classify` and `annual` read (and classify) on every core (`ingest::classify_parallel`,
//! `ingest::annual_parallel`: blocks in, results taken in input order, memory bounded by a few blocks). Nothing is written when the input is refused: `classify` spools its output to a temporary file (memory
//! stays flat in the input size) and copies it to standard output, or renames it onto `--output`, only
//! after the whole input was read without error.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use ecociv_core::{Framework, Observation};
use ecociv_water::evaluation2011::Thresholds;
use ecociv_water::gb3838::Table;
use ecociv_water::ingest;

use super::{Files as Io, open_input};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: WaterCommand,
}

#[derive(clap::Subcommand)]
pub enum WaterCommand {
    /// 按 GB 3838-2002 逐个样品单因子评价 (classify each sample) → section,date,class,status,class_items
    Classify(Io),
    /// 按《地表水环境质量评价办法》逐断面逐年评价 (annual evaluation per section) → section,year,samples,class,status,main_pollutants
    Annual(Io),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        WaterCommand::Classify(io) => classify(&io),
        WaterCommand::Annual(io) => annual(&io),
    }
}

/// A temporary file next to the output (or in the temp directory), removed on drop unless kept.
struct Spool {
    path: PathBuf,
    keep: bool,
}

impl Spool {
    fn create(near: Option<&Path>) -> anyhow::Result<(Self, File)> {
        let dir = match near.and_then(Path::parent) {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            Some(_) => PathBuf::from("."),
            None => std::env::temp_dir(),
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = dir.join(format!(".ecociv-water-{}-{nanos}.partial", std::process::id()));
        let file = File::options()
            .write(true)
            .read(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("无法创建临时文件 (cannot create temporary file) {}", path.display()))?;
        Ok((Self { path, keep: false }, file))
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn input_error(input: &str, e: ingest::StreamError) -> anyhow::Error {
    match e {
        ingest::StreamError::Input(e) => anyhow::anyhow!("输入 (input) {input}: {e}"),
        ingest::StreamError::Output(e) => anyhow::anyhow!("写出失败 (write failed): {e}"),
    }
}

/// Writes through a spool: `produce` writes everything, then the spool goes to `--output` or stdout.
fn write_atomically(
    io_args: &Io,
    produce: impl FnOnce(&mut BufWriter<&File>) -> Result<(), ingest::StreamError>,
) -> anyhow::Result<()> {
    let (mut spool, file) = Spool::create(io_args.output.as_deref())?;
    {
        let mut w = BufWriter::with_capacity(1 << 12, &file);
        produce(&mut w).map_err(|e| input_error(&io_args.input, e))?;
        w.flush()?;
    }
    match &io_args.output {
        Some(out) => {
            std::fs::rename(&spool.path, out).with_context(|| format!("无法写出 (cannot write) {}", out.display()))?;
            spool.keep = true;
        }
        None => {
            let mut reader = File::open(&spool.path)?;
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            io::copy(&mut reader, &mut lock)?;
            lock.flush()?;
        }
    }
    Ok(())
}

fn classify(io_args: &Io) -> anyhow::Result<ExitCode> {
    let input = open_input(&io_args.input)?;
    write_atomically(io_args, |w| {
        ingest::classify_parallel(
            input,
            w,
            Table::embedded(),
            Thresholds::embedded(),
            ingest::default_workers(),
            ingest::BLOCK,
        )
        .map(|_| ())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn annual(io_args: &Io) -> anyhow::Result<ExitCode> {
    let input = open_input(&io_args.input)?;
    let rows = ingest::annual_parallel(
        input,
        Table::embedded(),
        Thresholds::embedded(),
        ingest::default_workers(),
        ingest::BLOCK,
    )
    .map_err(|e| input_error(&io_args.input, e))?;
    write_atomically(io_args, |w| ingest::write_annual(&rows, w))?;
    Ok(ExitCode::SUCCESS)
}

/// The `monitoring/water/` feed: every figure the folder supports, as observations of the rows the
/// framework has. Files named `NAME.SYNTHETIC.csv` make the observations [`Source::Synthetic`].
pub fn observations(framework: &Framework, dir: &Path) -> anyhow::Result<Vec<Observation>> {
    let inputs = ingest::read_zone_dir(dir, Table::embedded(), Thresholds::embedded())?;
    Ok(ecociv_monitoring::feed::water(framework, &inputs))
}
