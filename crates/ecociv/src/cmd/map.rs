//! `ecociv map import FILE` (issue 15): units' boundaries from a GeoJSON file into the database, all or
//! nothing, through `ecociv_server::service::maps::import` (the checks and the store's one transaction);
//! the roll-up pages draw their maps from them. Every problem is printed with the feature and the field.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use ecociv_server::service::maps;
use ecociv_store::Store;

#[derive(clap::Subcommand)]
pub enum MapCommand {
    /// 导入县级行政区划边界（GeoJSON 要素集合，每个单位一个面要素，属性含六位行政区划代码；全部或全不）
    /// (import county boundaries from a GeoJSON file, all or nothing)
    Import(ImportArgs),
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// GeoJSON 文件 (the GeoJSON file)
    pub file: PathBuf,
    /// 只导入此行政区划（如 450000）范围内的单位，范围外的要素略过 (only units within this unit)
    #[arg(long)]
    pub within: Option<String>,
    /// 含行政区划代码的属性名（默认依次找 adcode、code、gb…） (the property holding the code)
    #[arg(long)]
    pub code_property: Option<String>,
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
}

pub fn run(command: MapCommand) -> anyhow::Result<ExitCode> {
    match command {
        MapCommand::Import(args) => import(args),
    }
}

fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("读取 {} (reading)", args.file.display()))?;
    let source = args
        .file
        .file_name()
        .map_or_else(|| args.file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = Store::open(&args.db)
            .await
            .with_context(|| format!("打开数据库 {} (opening the database)", args.db))?;
        let result = maps::import_bytes(
            &store,
            bytes,
            &source,
            args.within.as_deref(),
            args.code_property.as_deref(),
            false,
        )
        .await;
        store.close().await;
        match result {
            Ok(report) => {
                println!(
                    "已导入 {} 个单位的边界，共 {} 个坐标点（imported）",
                    report.stored, report.points
                );
                if report.outside > 0 {
                    println!("范围外略过 {} 个要素 (outside the scope, left out)", report.outside);
                }
                if report.lines > 0 {
                    println!(
                        "略过 {} 个无代码的线要素（境界线） (drawn borders, left out)",
                        report.lines
                    );
                }
                for (code, file_name, name) in report.renamed.iter().take(20) {
                    println!("名称不同 (name differs): {code} 文件为“{file_name}”，行政区划为“{name}”");
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => {
                eprintln!("错误 (error): {}", error.message);
                super::print_problems(&error);
                Ok(ExitCode::from(1))
            }
        }
    })
}
