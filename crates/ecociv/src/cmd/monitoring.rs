//! `ecociv monitoring correct|history` (issue 19): corrections of the monitoring readings stored in a
//! database — a correction file (the import's format plus `action` retract/supersede and `reason`)
//! applied all or nothing by `ecociv_server::service::corrections::apply`, the same checks as the server's
//! API and pages — and a reading's history (the imported value, then each correction with who, when, why).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use ecociv_monitoring::kind::Kind;

use super::{open_store, runtime};

#[derive(Subcommand)]
pub enum MonitoringCommand {
    /// 更正数据库中的监测读数：撤回（retract）或替换（supersede），每行或整批须有理由，全部成功或全部不更正
    /// (correct stored readings: retract or supersede, a reason per line or for the batch, all or nothing)
    Correct(CorrectArgs),
    /// 一个读数的全部历史：导入值与每次更正（更正人、时间、理由） (a reading's history)
    History(HistoryArgs),
}

#[derive(clap::Args)]
pub struct CorrectArgs {
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
    /// 区域代码 (the zone's code)
    #[arg(long)]
    pub zone: String,
    /// 监测数据类型：air、sections、drinking_sources、black_odorous_bodies、black_odorous、ei (the kind)
    #[arg(long, value_parser = kind_arg)]
    pub kind: Kind,
    /// 更正人：已有账号的用户名 (who corrects: an existing account's user name)
    #[arg(long)]
    pub by: String,
    /// 整批更正理由（未写理由的行用此理由） (the batch's reason, for lines without their own)
    #[arg(long)]
    pub reason: Option<String>,
    /// 只检查，不写入 (check only; store nothing)
    #[arg(long)]
    pub dry_run: bool,
    /// 更正文件 .csv (the correction file)
    pub file: PathBuf,
}

#[derive(clap::Args)]
pub struct HistoryArgs {
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
    /// 区域代码 (the zone's code)
    #[arg(long)]
    pub zone: String,
    /// 监测数据类型 (the kind)
    #[arg(long, value_parser = kind_arg)]
    pub kind: Kind,
    /// 站点（断面）名称 (the station or section)
    #[arg(long)]
    pub station: String,
    /// 参数，如 pm25、nh3n (the parameter)
    #[arg(long)]
    pub parameter: String,
    /// 时间：空气 YYYY-MM-DDTHH，水质 YYYY-MM-DD (the time as stored)
    #[arg(long)]
    pub time: String,
}

fn kind_arg(code: &str) -> Result<Kind, String> {
    Kind::parse(code).ok_or_else(|| {
        let codes: Vec<&str> = Kind::ALL.iter().map(|k| k.code()).collect();
        format!("未知的监测数据类型 (unknown kind)；可选 {}", codes.join("、"))
    })
}

pub fn run(command: MonitoringCommand) -> anyhow::Result<ExitCode> {
    match command {
        MonitoringCommand::Correct(args) => runtime()?.block_on(correct(args)),
        MonitoringCommand::History(args) => runtime()?.block_on(history(args)),
    }
}

async fn correct(args: CorrectArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(&args.db).await?;
    let user = store
        .user_by_username(&args.by)
        .await?
        .ok_or_else(|| anyhow::anyhow!("没有账号“{}” (no such account)", args.by))?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let bytes = std::fs::read(&args.file)?;
    let outcome = ecociv_server::service::corrections::apply(
        &store,
        &user.id,
        &args.zone,
        args.kind,
        &name,
        bytes,
        args.reason.as_deref(),
        args.dry_run,
    )
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            // Every problem, one a line (file, line, field).
            eprintln!("{}", error.message);
            return Ok(ExitCode::FAILURE);
        }
    };
    let verb = if args.dry_run {
        "检查通过，将更正"
    } else {
        "已更正"
    };
    println!(
        "{name}：{verb} {} 个读数（其中撤回 {} 个），{} 个与现值相同未记录 ({} readings {}, {} withdrawn, {} unchanged)",
        outcome["corrections"],
        outcome["retracted"],
        outcome["unchanged"],
        outcome["corrections"],
        if args.dry_run {
            "would be corrected"
        } else {
            "corrected"
        },
        outcome["retracted"],
        outcome["unchanged"],
    );
    Ok(ExitCode::SUCCESS)
}

async fn history(args: HistoryArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(&args.db).await?;
    let history = ecociv_server::service::corrections::history(
        &store,
        &args.zone,
        args.kind,
        &args.station,
        &args.parameter,
        &args.time,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let json = ecociv_server::service::corrections::history_json(args.kind, &history);
    println!(
        "{} {} {}（{}）导入值 (imported): {}",
        history.station,
        history.parameter,
        history.observed_at,
        history.unit,
        json["original"].as_str().unwrap_or_default()
    );
    for c in json["corrections"].as_array().into_iter().flatten() {
        println!(
            "{} {} {} {}：{}，理由 (reason)：{}（{} 第 {} 行）",
            c["at"].as_str().unwrap_or_default(),
            c["author"].as_str().unwrap_or_default(),
            c["action_zh"].as_str().unwrap_or_default(),
            c["value"].as_str().unwrap_or("—"),
            c["action"].as_str().unwrap_or_default(),
            c["reason"].as_str().unwrap_or_default(),
            c["file"].as_str().unwrap_or_default(),
            c["line"],
        );
    }
    match json["current"].as_str() {
        Some(current) => println!("现值 (current): {current}"),
        None => println!("现值 (current): 已撤回 (withdrawn)"),
    }
    Ok(ExitCode::SUCCESS)
}
