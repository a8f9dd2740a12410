//! `ecociv air daily`, `ecociv air hourly` and `ecociv air annual`: AQI daily and real-time reports (HJ 633)
//! and the annual evaluation (HJ 663 / GB 3095) from monitoring CSV files. Glue only: the computation and the CSV contract live in `ecociv-air`.
//!
//! Also the air feed of `ecociv assess` ([`observations`], registered in `crate::monitoring`).
//!
//! Nothing is written when the input is refused: `annual` and `hourly` write their result only at the end;
//! `daily` writes to a temporary file renamed at the end with `--output`, or buffers for standard output.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use ecociv_air::ingest::{self, IngestSummary, ReadOptions};
use ecociv_air::realtime::PmWindow;
use ecociv_air::{Edition, EditionChoice};
use ecociv_core::{Framework, Observation};

#[derive(clap::Subcommand)]
pub enum AirCommand {
    /// 由日均值计算 AQI 日报 (daily AQI from daily values: station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25)
    Daily(Args),
    /// 由小时值计算 AQI 实时报 (real-time hourly AQI from hourly values: station,date,hour,so2,no2,pm10,co,o3,pm25;
    /// each station's rows in time order)
    Hourly(HourlyArgs),
    /// 由小时值计算年度评价 (annual evaluation from hourly values: station,date,hour,so2,no2,pm10,co,o3,pm25)
    Annual(Args),
}

#[derive(clap::Args)]
pub struct Args {
    /// 输入 CSV 文件，`-` 为标准输入 (input CSV file, `-` for standard input)
    #[arg(long)]
    pub input: String,
    /// 输出文件（默认标准输出）(output file; default standard output)
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// 指定标准版本，覆盖按日期选择 (force the edition: 2012 = HJ 633-2012/HJ 663-2013/GB 3095-2012, 2026)
    #[arg(long, value_parser = parse_edition)]
    pub edition: Option<Edition>,
    /// 跳过并统计格式错误的行 (skip malformed rows and report how many)
    #[arg(long)]
    pub skip_bad: bool,
}

#[derive(clap::Args)]
pub struct HourlyArgs {
    #[command(flatten)]
    pub common: Args,
    /// 颗粒物实时分指数所用时段：1 = 小时值，24 = 24 小时滑动平均（标准存疑 [C]，默认取数据文件）
    /// (PM window of the real-time AQI: 1 = the hour's value, 24 = the 24-h moving mean; a [C] doubt, default from
    /// the edition's data file)
    #[arg(long, value_parser = parse_pm_window)]
    pub pm_window: Option<PmWindow>,
}

fn parse_pm_window(s: &str) -> Result<PmWindow, String> {
    match s {
        "1" => Ok(PmWindow::OneHour),
        "24" => Ok(PmWindow::MovingDay),
        _ => Err("应为 1 或 24 (expected 1 or 24)".to_owned()),
    }
}

fn parse_edition(s: &str) -> Result<Edition, String> {
    Edition::parse(s).ok_or_else(|| "应为 2012 或 2026 (expected 2012 or 2026)".to_owned())
}

pub fn run(command: AirCommand) -> anyhow::Result<ExitCode> {
    let (args, daily, hourly) = match command {
        AirCommand::Daily(a) => (a, true, None),
        AirCommand::Hourly(h) => (h.common, false, Some(h.pm_window)),
        AirCommand::Annual(a) => (a, false, None),
    };
    let choice = args.edition.map_or(EditionChoice::ByDate, EditionChoice::Fixed);
    let opts = ReadOptions {
        source: args.input.clone(),
        skip_bad: args.skip_bad,
    };
    let input: Box<dyn Read> = if args.input == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(
            File::open(&args.input).with_context(|| format!("无法打开输入文件 (cannot open input) {}", args.input))?,
        )
    };
    let input = BufReader::with_capacity(1 << 16, input);
    let summary = if daily {
        run_daily(input, args.output.as_deref(), &opts, choice)?
    } else if let Some(pm_window) = hourly {
        let mut buf = Vec::new();
        let summary = ingest::run_hourly(input, &mut buf, &opts, choice, pm_window)?;
        publish(&buf, args.output.as_deref())?;
        summary
    } else {
        let mut buf = Vec::new();
        let (_, summary) = ingest::run_annual(input, &mut buf, &opts, choice)?;
        publish(&buf, args.output.as_deref())?;
        summary
    };
    report(&summary, choice);
    Ok(ExitCode::SUCCESS)
}

fn run_daily(
    input: impl Read,
    output: Option<&Path>,
    opts: &ReadOptions,
    choice: EditionChoice,
) -> anyhow::Result<IngestSummary> {
    match output {
        Some(path) => {
            // A hidden temporary beside the target, unique to this process, renamed over it at the end.
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "out".into());
            let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
            let file = File::create(&tmp).with_context(|| format!("无法创建 (cannot create) {}", tmp.display()))?;
            match ingest::run_daily(input, BufWriter::new(file), opts, choice) {
                Ok(s) => {
                    std::fs::rename(&tmp, path)
                        .with_context(|| format!("无法写出 (cannot write) {}", path.display()))?;
                    Ok(s)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(e.into())
                }
            }
        }
        None => {
            let mut buf = Vec::new();
            let s = ingest::run_daily(input, &mut buf, opts, choice)?;
            publish(&buf, None)?;
            Ok(s)
        }
    }
}

fn publish(bytes: &[u8], output: Option<&Path>) -> anyhow::Result<()> {
    match output {
        Some(path) => crate::cmd::report::write_atomically(path, bytes),
        None => {
            let mut out = io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
            Ok(())
        }
    }
}

fn report(summary: &IngestSummary, choice: EditionChoice) {
    let edition = match choice {
        EditionChoice::ByDate => "按日期选择：2026-03-01 前 HJ 633-2012 / HJ 663-2013 / GB 3095-2012，之后 2026 版 \
                                  (by date: 2012 editions before 2026-03-01, 2026 editions from then)"
            .to_owned(),
        EditionChoice::Fixed(e) => format!("指定 (fixed): {e}"),
    };
    eprintln!("读取 {} 行 (rows read)；标准版本 (edition): {edition}", summary.rows);
    if summary.bad_rows > 0 {
        eprintln!("跳过格式错误的行 {} 行 (malformed rows skipped):", summary.bad_rows);
        for e in &summary.first_bad {
            eprintln!("  {e}");
        }
    }
}

/// Air (`monitoring/air/*.csv`, hourly `station,date,hour,so2,no2,pm10,co,o3,pm25`): the zone's figures by
/// the point-average method (`ecociv_air::zone`) for every year in the files → 7.1 优良天数比例 (%) and
/// 7.2 PM2.5 annual mean (μg/m³). A year is used only where the HJ 663 coverage rule holds (≥ 324 valid
/// days, ≥ 27 per month, February ≥ 25); other years are reported on stderr and left out. Files named
/// `*SYNTHETIC*` make the observations [`Source::Synthetic`].
pub fn observations(_framework: &Framework, dir: &Path) -> anyhow::Result<Vec<Observation>> {
    let zone = dir
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (years, _summary, files) = ingest::read_zone_dir(dir, &zone, None, EditionChoice::ByDate, false)?;
    let computed = ecociv_monitoring::feed::air(&years, &files);
    for note in &computed.notes {
        eprintln!("{note}");
    }
    Ok(computed.observations)
}
