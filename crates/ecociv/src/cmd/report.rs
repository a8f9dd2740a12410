//! `ecociv report`: write a zone's documents — Excel (Table 2-1, Table 4-1, values by year), Word (the
//! yearly self-assessment report, with the progress early warning from `ecociv-progress`) or open data (CSV with BOM, JSON) — to a file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use ecociv_core::{Zone, assess};

use crate::cmd::load_zone_full;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Excel：表2-1、表4-1、历年数值 (Table 2-1, Table 4-1, values by year)
    Xlsx,
    /// Word：年度自评估报告 (the yearly self-assessment report)
    Docx,
    /// 公开数据 CSV（UTF-8 带 BOM） (open data CSV, UTF-8 with BOM)
    Csv,
    /// 公开数据 JSON (open data JSON)
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// 区域目录或内置区域代码，如 450202 (a zone directory, or a bundled zone code)
    #[arg(long)]
    pub zone: String,
    /// 报告年份 (the year reported)
    #[arg(long, value_parser = crate::cmd::year_arg)]
    pub year: i32,
    /// 起始年份：CSV/JSON 与“历年数值”表包含该年至报告年份的有数据年份；缺省为全部有数据年份 (first year of
    /// the range for open data and the by-year sheet; default all years on record)
    #[arg(long, value_parser = crate::cmd::year_arg)]
    pub from: Option<i32>,
    #[arg(long, value_enum)]
    pub format: ReportFormat,
    /// 输出文件 (the file to write)
    #[arg(long)]
    pub out: PathBuf,
    /// 数值文件 CSV，覆盖区域已有数值 (values overriding the zone's own)
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// 监测数据目录 (monitoring data directory)
    #[arg(long)]
    pub monitoring: Option<PathBuf>,
    /// 台账记录目录（默认：区域目录下的 ledgers/），由台账计算指标值 (ledger records folder)
    #[arg(long)]
    pub ledgers: Option<PathBuf>,
    /// Word 报告不含目标进展预警 (leave the progress early warning out of the Word report)
    #[arg(long)]
    pub no_progress: bool,
}

/// The years on record within `from..=year`, always including `year`.
fn years(zone: &Zone, from: Option<i32>, year: i32) -> Vec<i32> {
    let mut years: Vec<i32> = zone
        .years()
        .into_iter()
        .filter(|y| *y <= year && from.is_none_or(|from| *y >= from))
        .collect();
    if !years.contains(&year) {
        years.push(year);
    }
    years.sort_unstable();
    years
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(from) = args.from
        && from > args.year
    {
        anyhow::bail!("--from {from} 晚于 --year {} (the range is empty)", args.year);
    }
    let loaded = load_zone_full(
        &args.zone,
        args.values.as_deref(),
        args.monitoring.as_deref(),
        args.ledgers.as_deref(),
    )?;
    let (framework, zone) = (&loaded.framework, &loaded.zone);
    let years = years(zone, args.from, args.year);
    let bytes = match args.format {
        ReportFormat::Xlsx => {
            let by_years = ecociv_core::assess_years(framework, zone, &years);
            let assessment = match by_years.iter().find(|assessment| assessment.year == args.year) {
                Some(assessment) => assessment.clone(),
                None => assess(framework, zone, args.year),
            };
            ecociv_report::xlsx::workbook(framework, zone, &assessment, &by_years)?
        }
        ReportFormat::Csv | ReportFormat::Json => {
            let assessments: Vec<_> = years.iter().map(|year| assess(framework, zone, *year)).collect();
            if args.format == ReportFormat::Csv {
                ecociv_report::csv::open_data(&assessments)?
            } else {
                let mut text = serde_json::to_string_pretty(&ecociv_report::json::open_data(&assessments))?;
                text.push('\n');
                text.into_bytes()
            }
        }
        ReportFormat::Docx => docx(&loaded, args.year, !args.no_progress)?,
    };
    write_atomically(&args.out, &bytes)?;
    println!("已写出 {}（{} 字节） (written)", args.out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}

/// Writes a file through a temporary file in the same directory and a rename, so a reader never sees a
/// half-written file and a failure leaves the old file as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        anyhow::bail!("目录不存在：{} (directory does not exist)", dir.display());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(error) = result {
        let _ = std::fs::remove_file(&temp);
        anyhow::bail!("无法写入 {}：{error} (cannot write)", path.display());
    }
    Ok(())
}

/// The Word report from computed results: the assessment of the year and the progress early warning
/// (`ecociv_progress::zone::early_warnings`, the dashboard's list), charts rasterised with the system
/// fonts, today's date on the cover.
fn docx(loaded: &ecociv_data::LoadedZone, year: i32, with_progress: bool) -> anyhow::Result<Vec<u8>> {
    let fonts = ecociv_chart::png::Fonts::system();
    let assessment = assess(&loaded.framework, &loaded.zone, year);
    let early = with_progress.then(|| ecociv_progress::zone::early_warnings(&loaded.framework, &loaded.zone, year));
    let today = ecociv_store::clock::today();
    let output = ecociv_report::docx::zone_report(
        &loaded.framework,
        &loaded.zone,
        &assessment,
        early.as_ref(),
        ecociv_report::docx::chinese_date(today.year, today.month.into(), today.day.into()),
        &fonts,
    )?;
    for warning in &output.warnings {
        eprintln!("注意 (warning)：{warning}");
    }
    Ok(output.bytes)
}
