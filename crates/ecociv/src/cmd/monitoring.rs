//! `ecociv monitoring import|correct|history` (issue 19): a monitoring file imported into a database as the
//! server imports an upload (`ecociv_server::service::monitoring::store_spooled`: checked whole, then stored in
//! one transaction, every reading or none, the pages' figures computed), read in place whatever its size, with
//! its progress on the terminal; corrections of the monitoring readings stored in a database — a correction file (the import's format plus `action` retract/supersede and `reason`)
//! applied all or nothing by `ecociv_server::service::corrections::apply`, the same checks as the server's
//! API and pages — and a reading's history (the imported value, then each correction with who, when, why).

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use clap::Subcommand;
use ecociv_monitoring::kind::Kind;

use super::{open_store, runtime};

#[derive(Subcommand)]
pub enum MonitoringCommand {
    /// 导入监测数据文件：先完整检查，再在一个事务中存储，全部成功或全部不导入，随后计算页面结果；显示进度
    /// (import a monitoring file: checked whole, then stored in one transaction — all or nothing — and the
    /// pages' figures computed; progress shown)
    Import(ImportArgs),
    /// 更正数据库中的监测读数：撤回（retract）或替换（supersede），每行或整批须有理由，全部成功或全部不更正
    /// (correct stored readings: retract or supersede, a reason per line or for the batch, all or nothing)
    Correct(CorrectArgs),
    /// 一个读数的全部历史：导入值与每次更正（更正人、时间、理由） (a reading's history)
    History(HistoryArgs),
}

/// Where the readings are: the database, the zone and the kind of monitoring data (the same three options for
/// every `ecociv monitoring` command).
#[derive(clap::Args)]
pub struct Target {
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
    /// 区域代码 (the zone's code)
    #[arg(long)]
    pub zone: String,
    /// 监测数据类型，如 air、air_daily、sections、noise、soil_development；写错时列出全部 (the kind; a wrong one
    /// lists them all)
    #[arg(long, value_parser = kind_arg)]
    pub kind: Kind,
}

#[derive(clap::Args)]
pub struct CorrectArgs {
    #[command(flatten)]
    pub target: Target,
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
pub struct ImportArgs {
    #[command(flatten)]
    pub target: Target,
    /// 只检查，不写入 (check only; store nothing)
    #[arg(long)]
    pub dry_run: bool,
    /// 监测数据文件 .csv (the file)
    pub file: PathBuf,
}

#[derive(clap::Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub target: Target,
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
        MonitoringCommand::Import(args) => runtime()?.block_on(import(args)),
        MonitoringCommand::Correct(args) => runtime()?.block_on(correct(args)),
        MonitoringCommand::History(args) => runtime()?.block_on(history(args)),
    }
}

async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    use ecociv_server::service::monitoring as service;
    let store = open_store(&args.target.db).await?;
    if store.zone(&args.target.zone).await?.is_none() {
        eprintln!("数据库中没有区域 {} (no such zone in the database)", args.target.zone);
        return Ok(ExitCode::FAILURE);
    }
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match service::check_file_name(&name) {
        Ok(name) => name,
        Err(error) => {
            eprintln!("{}: {}", args.file.display(), error.message);
            return Ok(ExitCode::FAILURE);
        }
    };
    let spooled = ecociv_server::spool::Spooled::open(&args.file)
        .map_err(|e| anyhow::anyhow!("{}: 无法读取 (cannot read): {e}", args.file.display()))?;
    let imports = Arc::new(ecociv_server::spool::Imports::default());
    let guard = imports.start(&args.target.zone, args.target.kind.code(), &name, args.dry_run);
    guard.import.total.store(spooled.len(), Ordering::Relaxed);
    let shown = ProgressLine::start(guard.import.clone());
    let outcome = service::store_spooled(
        &store,
        Some(guard.import.clone()),
        &args.target.zone,
        args.target.kind,
        &name,
        &spooled,
        args.dry_run,
    )
    .await;
    shown.finish().await;
    store.close().await;
    let summary = match outcome {
        Ok(summary) => summary,
        Err(error) => {
            // The problem names file, line and field (a refusal of the whole file, e.g. a repeat, is
            // prefixed with the file's name); nothing was stored.
            if error.message.contains(&name) {
                eprintln!("{}", error.message);
            } else {
                eprintln!("{name}: {}", error.message);
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let years: Vec<String> = summary["years_computed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|y| y.to_string())
        .collect();
    if args.dry_run {
        println!(
            "{name}：检查通过，{} 行、{} 个读数、{} 个站点（断面、点位），未写入 (checked: {} rows, {} readings; nothing stored)",
            summary["rows"], summary["readings"], summary["stations"], summary["rows"], summary["readings"]
        );
    } else {
        println!(
            "{name}：已导入 {} 个读数（{} 行、{} 个站点），已计算 {} 年的页面结果 (imported {} readings; figures of {} computed)",
            summary["stored"],
            summary["rows"],
            summary["stations"],
            if years.is_empty() {
                "—".to_owned()
            } else {
                years.join("、")
            },
            summary["stored"],
            if years.is_empty() {
                "no year".to_owned()
            } else {
                years.join(", ")
            },
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// An import's progress on stderr: one line rewritten in place twice a second on a terminal; otherwise
/// (a log, a pipe) a line when the phase changes and every ten seconds.
struct ProgressLine {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl ProgressLine {
    fn start(import: Arc<ecociv_server::spool::Import>) -> ProgressLine {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let terminal = std::io::stderr().is_terminal();
        let task = tokio::spawn(async move {
            let every = std::time::Duration::from_millis(if terminal { 500 } else { 10_000 });
            let mut phase = None;
            let mut last = tokio::time::Instant::now();
            loop {
                let done = tokio::select! {
                    _ = stopped.changed() => true,
                    _ = tokio::time::sleep(std::time::Duration::from_millis(200)) => false,
                };
                let now = import.phase();
                if terminal || phase != Some(now) || last.elapsed() >= every || done {
                    let line = progress_text(&import.json());
                    let mut err = std::io::stderr().lock();
                    let _ = if terminal {
                        write!(err, "\r\x1b[K{line}")
                    } else {
                        writeln!(err, "{line}")
                    };
                    let _ = err.flush();
                    phase = Some(now);
                    last = tokio::time::Instant::now();
                }
                if done {
                    if terminal {
                        let _ = writeln!(std::io::stderr());
                    }
                    return;
                }
            }
        });
        ProgressLine { stop, task }
    }

    async fn finish(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// A progress line from an import's JSON (`ecociv_server::spool::Import::json`): the phase, the share of
/// the file read in it, the readings stored; while the pages' figures are computed, the stations done.
fn progress_text(progress: &serde_json::Value) -> String {
    if progress["phase"] == "computing" {
        let (done, total) = (
            progress["stations_done"].as_u64().unwrap_or(0),
            progress["stations_total"].as_u64().unwrap_or(0),
        );
        return format!(
            "{} {:>3}%（已算 {done}/{total} 个站点 ({done} of {total} stations done)），已写入 {} 个读数 · {} s",
            progress["phase_label"].as_str().unwrap_or_default(),
            progress["percent"].as_u64().unwrap_or(0),
            progress["stored"].as_u64().unwrap_or(0),
            progress["seconds"].as_u64().unwrap_or(0)
        );
    }
    let total = progress["bytes"].as_u64().unwrap_or(0);
    // MiB to 0.1 for files of a MiB or more, KiB below.
    let (unit, scale, decimals) = if total >= 1 << 20 {
        ("MiB", (1u64 << 20) as f64, 1)
    } else {
        ("KiB", 1024.0, 0)
    };
    let size = |bytes: u64| format!("{:.*}", decimals, bytes as f64 / scale);
    let mut line = format!(
        "{} {:>3}%（{}/{} {unit}）",
        progress["phase_label"].as_str().unwrap_or_default(),
        progress["percent"].as_u64().unwrap_or(0),
        size(progress["bytes_read"].as_u64().unwrap_or(0)),
        size(total),
    );
    let stored = progress["stored"].as_u64().unwrap_or(0);
    if stored > 0 {
        line.push_str(&format!("，已写入 {stored} 个读数 ({stored} readings written)"));
    }
    line.push_str(&format!(" · {} s", progress["seconds"].as_u64().unwrap_or(0)));
    line
}

async fn correct(args: CorrectArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(&args.target.db).await?;
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
        &args.target.zone,
        args.target.kind,
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
    let store = open_store(&args.target.db).await?;
    let history = ecociv_server::service::corrections::history(
        &store,
        &args.target.zone,
        args.target.kind,
        &args.station,
        &args.parameter,
        &args.time,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let json = ecociv_server::service::corrections::history_json(args.target.kind, &history);
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

#[cfg(test)]
mod tests {
    use super::progress_text;

    #[test]
    fn the_progress_line_gives_the_bytes_read_then_the_stations_computed() {
        let storing = serde_json::json!({
            "phase": "storing", "phase_label": "正在存储 (storing)", "percent": 50, "bytes": 4u64 << 20,
            "bytes_read": 2u64 << 20, "stored": 1200, "stations_done": 0, "stations_total": 0, "seconds": 7
        });
        assert_eq!(
            progress_text(&storing),
            "正在存储 (storing)  50%（2.0/4.0 MiB），已写入 1200 个读数 (1200 readings written) · 7 s"
        );
        // A file under a MiB in KiB.
        let small = serde_json::json!({
            "phase": "checking", "phase_label": "正在检查 (checking)", "percent": 33, "bytes": 300u64 << 10,
            "bytes_read": 100u64 << 10, "stored": 0, "stations_done": 0, "stations_total": 0, "seconds": 0
        });
        assert_eq!(progress_text(&small), "正在检查 (checking)  33%（100/300 KiB） · 0 s");
        let computing = serde_json::json!({
            "phase": "computing", "phase_label": "正在计算 (computing)", "percent": 25, "bytes": 4u64 << 20,
            "bytes_read": 0, "stored": 1200, "stations_done": 2, "stations_total": 8, "seconds": 9
        });
        assert_eq!(
            progress_text(&computing),
            "正在计算 (computing)  25%（已算 2/8 个站点 (2 of 8 stations done)），已写入 1200 个读数 · 9 s"
        );
    }
}
