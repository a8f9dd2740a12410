//! `ecociv ledger`: the registers (台账) — list the kinds, check a file of records, print the figures derived
//! from a folder of records, write a kind's CSV template. The mechanism is `ecociv-ledger`; this file reads
//! files and prints.
//!
//! A ledger folder holds `<kind id>.csv` (or `<kind id>.SYNTHETIC.csv`, or `<kind id>.<anything>.csv`) files of
//! records, and may hold `*.toml` kind files of its own, which add kinds to the bundled ones (a new
//! register is a file, not code).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use super::{open_store, runtime};
use ecociv_core::Framework;
use ecociv_data::DataError;
use ecociv_ledger::{Kind, Ledger, Role};

use crate::cmd::Format;

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// 列出台账类型及其计算的指标 (list the ledger kinds and the rows they feed)
    Kinds(KindsArgs),
    /// 检查一个台账记录文件（CSV），不写入任何内容 (check a CSV of records against its kind; writes nothing)
    Check(CheckArgs),
    /// 由台账记录计算各指标值，列出算式与计入的记录 (derive the rows' figures from a folder of records)
    Derive(DeriveArgs),
    /// 导出某类台账的填报模板（.csv 或 .xlsx） (write a kind's template: CSV, or Excel by the .xlsx name)
    Template(TemplateArgs),
    /// 将台账记录文件（CSV 或 xlsx）导入数据库，全部成功或全部不导入 (import a file of records into the
    /// database, all or nothing)
    Import(ImportArgs),
    /// 由数据库中的台账记录计算某年各指标值，并按审核流程保存 (derive a year's rows from the stored
    /// records and save them as values through the workflow)
    Compute(ComputeArgs),
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
    /// 区域代码 (the zone's code)
    #[arg(long)]
    pub zone: String,
    /// 台账类型编号，或台账类型文件 .toml (the kind's id, or a kind file)
    #[arg(long)]
    pub kind: String,
    /// 导入人（记入每条记录的历史） (who imports: recorded in every revision's history)
    #[arg(long)]
    pub by: String,
    /// 只检查，不写入 (check only; store nothing)
    #[arg(long)]
    pub dry_run: bool,
    /// 记录文件 .csv 或 .xlsx (the records)
    pub file: PathBuf,
}

#[derive(clap::Args)]
pub struct ComputeArgs {
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
    /// 区域代码 (the zone's code)
    #[arg(long)]
    pub zone: String,
    /// 年份 (the year)
    #[arg(long, value_parser = crate::cmd::year_arg)]
    pub year: i32,
    /// 保存人：已有账号的用户名 (who saves: an existing account's user name)
    #[arg(long)]
    pub by: String,
    /// 保存状态 (the values' status)
    #[arg(long, default_value = "submitted", value_parser = ["draft", "submitted"])]
    pub status: String,
    /// 另含台账类型文件（*.toml）的目录 (a folder with extra kind files)
    #[arg(long)]
    pub ledgers: Option<PathBuf>,
    /// 只计算，不保存 (compute only; save nothing)
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(clap::Args)]
pub struct KindsArgs {
    /// 另含台账类型文件（*.toml）的目录 (a folder with extra kind files)
    #[arg(long)]
    pub ledgers: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// 台账类型编号，或台账类型文件 .toml (the kind's id, or a kind file)
    #[arg(long)]
    pub kind: String,
    /// 记录文件 CSV (the records)
    pub file: PathBuf,
}

#[derive(clap::Args)]
pub struct DeriveArgs {
    /// 台账记录目录 (the folder of records)
    #[arg(long)]
    pub ledgers: PathBuf,
    /// 年份；不给则计算记录涉及的所有年份 (the year; every year the records speak of when absent)
    #[arg(long, value_parser = crate::cmd::year_arg)]
    pub year: Option<i32>,
    /// 区域目录或内置区域代码，用于核对规划记载的数值 (the zone, to compare with the figures it states)
    #[arg(long, default_value = "450202")]
    pub zone: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(clap::Args)]
pub struct TemplateArgs {
    /// 台账类型编号，或台账类型文件 .toml (the kind's id, or a kind file)
    #[arg(long)]
    pub kind: String,
    /// 输出文件 .csv 或 .xlsx (the output file)
    #[arg(long, short)]
    pub output: PathBuf,
}

pub fn run(command: LedgerCommand) -> anyhow::Result<ExitCode> {
    match command {
        LedgerCommand::Kinds(args) => kinds_cmd(args),
        LedgerCommand::Check(args) => check(args),
        LedgerCommand::Derive(args) => derive(args),
        LedgerCommand::Template(args) => template(args),
        LedgerCommand::Import(args) => runtime()?.block_on(import(args)),
        LedgerCommand::Compute(args) => runtime()?.block_on(compute(args)),
    }
}

fn framework() -> anyhow::Result<Framework> {
    Ok(ecociv_data::bundled::framework("national-2021")?)
}

/// The bundled kinds and the `*.toml` kind files of `dir` (a folder's kind replaces a bundled one of the
/// same id). All problems of all files together.
pub fn kinds(framework: &Framework, dir: Option<&Path>) -> anyhow::Result<Vec<Kind>> {
    let Some(dir) = dir else {
        return Ok(ecociv_ledger::bundled::kinds(framework)?);
    };
    let mut files = Vec::new();
    for path in sorted_files(dir, "toml")? {
        files.push((path.display().to_string(), std::fs::read_to_string(&path)?));
    }
    Ok(ecociv_ledger::bundled::kinds_with(framework, files)?)
}

fn sorted_files(dir: &Path, extension: &str) -> anyhow::Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        anyhow::bail!("台账目录不存在 (ledger folder not found): {}", dir.display());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    Ok(files)
}

fn kind_by(framework: &Framework, spec: &str) -> anyhow::Result<Kind> {
    if spec.ends_with(".toml") {
        let text = std::fs::read_to_string(spec)?;
        return Ok(ecociv_ledger::parse_kind(spec, &text, framework)?);
    }
    kinds(framework, None)?
        .into_iter()
        .find(|k| k.id == spec)
        .ok_or_else(|| anyhow::anyhow!("没有台账类型“{spec}” (no such kind); 见 ecociv ledger kinds"))
}

/// Reads a ledger folder: every CSV is a kind's records (the file name up to its first dot is the kind's
/// id), checked all or nothing — one bad line in any file and nothing is read.
pub fn load_dir(framework: &Framework, dir: &Path) -> anyhow::Result<Vec<(Kind, Ledger)>> {
    let kinds = kinds(framework, Some(dir))?;
    let mut out: Vec<(Kind, Ledger)> = Vec::new();
    let mut problems = Vec::new();
    for path in sorted_files(dir, "csv")? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = name.split('.').next().unwrap_or_default();
        let Some(kind) = kinds.iter().find(|k| k.id == id) else {
            problems.push(ecociv_data::Problem {
                file: path.display().to_string(),
                line: None,
                column: None,
                field: None,
                message: format!("文件名不对应任何台账类型“{id}” (the file name names no kind)"),
                ..Default::default()
            });
            continue;
        };
        let file = std::fs::File::open(&path)?;
        let read = ecociv_ledger::read_csv(&name, std::io::BufReader::new(file), kind).and_then(|revisions| match out
            .iter_mut()
            .find(|(k, _)| k.id == kind.id)
        {
            Some((_, ledger)) => ledger.append(kind, revisions),
            None => Ledger::build(kind, revisions).map(|ledger| out.push((kind.clone(), ledger))),
        });
        if let Err(error) = read {
            problems.extend(error.problems);
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(DataError { problems }.into())
    }
}

fn kinds_cmd(args: KindsArgs) -> anyhow::Result<ExitCode> {
    let framework = framework()?;
    for kind in kinds(&framework, args.ledgers.as_deref())? {
        let mut rows: Vec<String> = kind
            .feeds
            .iter()
            .map(|f| match f.role {
                Role::Value => f.row.clone(),
                Role::Input => format!("{}（佐证）", f.row),
            })
            .collect();
        rows.dedup();
        println!(
            "{}\t{}（第{}版）\t{}\t指标：{}",
            kind.id,
            kind.name,
            kind.version,
            kind.department,
            if rows.is_empty() {
                "—".to_string()
            } else {
                rows.join("、")
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let framework = framework()?;
    let kind = kind_by(&framework, &args.kind)?;
    let name = args.file.display().to_string();
    let file = std::fs::File::open(&args.file)?;
    let revisions = ecociv_ledger::read_csv(&name, std::io::BufReader::new(file), &kind)?;
    let count = revisions.len();
    let ledger = Ledger::build(&kind, revisions)?;
    println!(
        "{name}：{count} 行，{} 条记录，符合台账“{}”（第{}版） ({count} lines, {} records: valid)",
        ledger.len(),
        kind.name,
        kind.version,
        ledger.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn derive(args: DeriveArgs) -> anyhow::Result<ExitCode> {
    let loaded = ecociv_data::load_zone(&args.zone)?;
    let ledgers = load_dir(&loaded.framework, &args.ledgers)?;
    let derived = ecociv_ledger::derive_zone(&loaded.framework, &ledgers, &loaded.zone.observations);
    let keep = |year: i32| args.year.is_none_or(|y| y == year);
    match args.format {
        Format::Json => {
            let figures: Vec<serde_json::Value> = derived
                .derivations
                .iter()
                .filter(|d| keep(d.year))
                .map(|d| {
                    serde_json::json!({
                        "row": d.row, "year": d.year, "role": match d.role { Role::Value => "value", Role::Input => "input" },
                        "label": d.label, "value": d.value, "unit": d.unit, "kind": d.kind_id, "kind_version": d.kind_version,
                        "numerator": d.numerator.as_ref().map(|t| t.value), "denominator": d.denominator.as_ref().map(|t| t.value),
                        "base": d.base.map(|(year, value)| serde_json::json!({"year": year, "value": value})),
                        "records": d.records, "method": d.method, "provenance": d.provenance, "synthetic": d.synthetic,
                    })
                })
                .collect();
            let refused: Vec<serde_json::Value> = derived
                .refused
                .iter()
                .filter(|n| keep(n.year))
                .map(|n| serde_json::json!({"row": n.row, "year": n.year, "reason": n.reason_zh, "reason_en": n.reason_en}))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &serde_json::json!({ "figures": figures, "refused": refused, "notes": derived.notes })
                )?
            );
        }
        Format::Table => {
            for d in derived.derivations.iter().filter(|d| keep(d.year)) {
                let role = match d.role {
                    Role::Value => "指标值",
                    Role::Input => "佐证",
                };
                let synthetic = if d.synthetic { "〔合成数据〕" } else { "" };
                println!("第{}行 {}年 {role}{synthetic}：{}", d.row, d.year, d.method);
                println!("    {}", d.provenance);
            }
            for n in derived.refused.iter().filter(|n| keep(n.year)) {
                println!("第{}行 {}年 未计算：{}", n.row, n.year, n.reason_zh);
            }
            for note in &derived.notes {
                println!("数据质量说明：{note}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn template(args: TemplateArgs) -> anyhow::Result<ExitCode> {
    let framework = framework()?;
    let kind = kind_by(&framework, &args.kind)?;
    if args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        let bytes = ecociv_report::ledger::template(&kind)?;
        let tmp = args.output.with_extension("xlsx.tmp");
        std::fs::write(&tmp, &bytes)?;
        std::fs::rename(&tmp, &args.output)?;
        println!("已写出台账“{}”的Excel模板：{}", kind.name, args.output.display());
        return Ok(ExitCode::SUCCESS);
    }
    let header: Vec<String> = ecociv_ledger::record::columns(&kind)
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header)?;
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    let tmp = args.output.with_extension("csv.tmp");
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, &args.output)?;
    println!("已写出台账“{}”的模板：{}", kind.name, args.output.display());
    Ok(ExitCode::SUCCESS)
}

/// The zone's framework (from the database) and the kind asked for, checked against it.
async fn stored_kind(store: &ecociv_store::Store, zone: &str, spec: &str) -> anyhow::Result<Kind> {
    let record = store
        .zone(zone)
        .await?
        .ok_or_else(|| anyhow::anyhow!("数据库中没有区域“{zone}” (no such zone in the database)"))?;
    let framework = store.framework(&record.framework_id).await?;
    kind_by(&framework, spec)
}

async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(&args.db).await?;
    let kind = stored_kind(&store, &args.zone, &args.kind).await?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let upload = if name.to_ascii_lowercase().ends_with(".xlsx") {
        ecociv_server::service::ledger::Upload::Xlsx(std::fs::read(&args.file)?)
    } else {
        // Streamed: the file is read as the records are stored, never whole in memory.
        let file = std::fs::File::open(&args.file)?;
        ecociv_server::service::ledger::Upload::Csv(Box::new(std::io::BufReader::with_capacity(1 << 16, file)))
    };
    let outcome =
        ecociv_server::service::ledger::import(&store, &args.zone, &kind, &name, upload, &args.by, args.dry_run)
            .await??;
    let verb = if args.dry_run {
        "检查通过，将导入"
    } else {
        "已导入"
    };
    println!(
        "{name}：{verb} {} 个记录版本（新记录 {} 条），{} 行与记录现状相同未重复保存；台账“{}”（第{}版） ({} revisions {}, {} new records, {} unchanged)",
        outcome.added,
        outcome.new_records,
        outcome.unchanged,
        kind.name,
        kind.version,
        outcome.added,
        if args.dry_run { "would be stored" } else { "stored" },
        outcome.new_records,
        outcome.unchanged
    );
    Ok(ExitCode::SUCCESS)
}

async fn compute(args: ComputeArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(&args.db).await?;
    let record = store
        .zone(&args.zone)
        .await?
        .ok_or_else(|| anyhow::anyhow!("数据库中没有区域“{}” (no such zone in the database)", args.zone))?;
    let framework = store.framework(&record.framework_id).await?;
    let kinds = kinds(&framework, args.ledgers.as_deref())?;
    let user = store
        .user_by_username(&args.by)
        .await?
        .ok_or_else(|| anyhow::anyhow!("没有账号“{}” (no such account)", args.by))?;
    let status = match args.status.as_str() {
        "draft" => ecociv_store::Status::Draft,
        _ => ecociv_store::Status::Submitted,
    };
    let result = ecociv_server::service::ledger::save_derived(
        &store,
        &framework,
        &kinds,
        ecociv_server::service::computed::Save {
            code: &args.zone,
            year: args.year,
            status,
            author_id: &user.id,
            batch: "ledger",
            dry_run: args.dry_run,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    for figure in result["figures"].as_array().into_iter().flatten() {
        println!(
            "第{}行 {}年：{}",
            figure["row"].as_str().unwrap_or_default(),
            args.year,
            figure["method"].as_str().unwrap_or_default()
        );
    }
    for refused in result["refused"].as_array().into_iter().flatten() {
        println!(
            "第{}行 {}年 未计算：{}",
            refused["row"].as_str().unwrap_or_default(),
            args.year,
            refused["reason"].as_str().unwrap_or_default()
        );
    }
    println!(
        "{}：保存 {} 个数值，{} 个与现有数值相同 (saved {}, unchanged {})",
        if args.dry_run { "只计算未保存" } else { "完成" },
        result["saved"],
        result["unchanged"],
        result["saved"],
        result["unchanged"]
    );
    Ok(ExitCode::SUCCESS)
}
