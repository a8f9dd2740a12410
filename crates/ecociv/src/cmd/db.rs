//! `ecociv db`: the database itself — where its tables are on PostgreSQL + Citus.

use std::process::ExitCode;

use anyhow::Context;
use ecociv_store::Store;
use ecociv_store::distribute::Placement;

#[derive(clap::Subcommand)]
pub enum DbCommand {
    /// 打开数据库（迁移；Citus 上分布各表并检查），显示各表的分布方式和没有所属序列的监测读数（应为 0，否则退出码 1）
    /// (open the database — migrations, and on Citus the placement of every table and its check — and show
    /// where each table is, and how many monitoring readings have lost their series: 0, else the exit code is 1)
    Status(Status),
}

#[derive(clap::Args)]
pub struct Status {
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
}

pub fn run(command: DbCommand) -> anyhow::Result<ExitCode> {
    let DbCommand::Status(args) = command;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("tokio runtime")?;
    runtime.block_on(status(args))
}

async fn status(args: Status) -> anyhow::Result<ExitCode> {
    // Opening migrates and, on Citus, places every table; a misplaced table is an error here.
    let store = Store::open(&args.db)
        .await
        .with_context(|| format!("打开数据库 {} (opening the database)", args.db))?;
    // The readings' tie to their series (PostgreSQL keeps it without a foreign key, migration 0027).
    let orphans = store.monitoring_orphans().await?;
    println!("监测读数：{orphans} 条没有所属序列 (monitoring readings without their series; should be 0)");
    let code = if orphans == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    let Some(placement) = store.citus_placement().await? else {
        println!(
            "{:?}：单机数据库，无需分布 (a single-node database: nothing to distribute)",
            store.backend()
        );
        return Ok(code);
    };
    println!("Citus：各表分布正确 (every table is placed as it should be)");
    for table in placement {
        let what = match &table.placement {
            Placement::Reference => "复制表 (reference table)".to_string(),
            Placement::Distributed { column, colocation } => {
                format!(
                    "按 {column} 分片 (distributed), {} shards, co-location group {colocation}",
                    table.shards
                )
            }
            other => format!("{other:?}"),
        };
        println!("  {:<24} {what}", table.table);
    }
    Ok(code)
}
