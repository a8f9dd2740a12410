//! `ecociv map import FILE` (issue 15): units' boundaries from a GeoJSON file into the database, all or
//! nothing, through `ecociv_server::service::maps::import` (the checks and the store's one transaction);
//! the roll-up pages draw their maps from them. `ecociv map sites ZONE FILE`: a zone's stations, water
//! sections and key projects with their coordinates, all or nothing, through
//! `ecociv_server::service::sites::import`; the zone's map page draws them. Every problem is printed with
//! the feature and the field.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use ecociv_server::service::{maps, sites};
use ecociv_store::Store;

#[derive(clap::Subcommand)]
pub enum MapCommand {
    /// 导入县级行政区划边界（GeoJSON 要素集合，每个单位一个面要素，属性含六位行政区划代码；全部或全不）
    /// (import county boundaries from a GeoJSON file, all or nothing)
    Import(ImportArgs),
    /// 导入区域的点位坐标（GeoJSON 点要素集合：空气监测站点 station、水质断面 section、重点项目 project；全部或全不，替换原有点位）
    /// (import a zone's stations, sections and projects with their coordinates, all or nothing)
    Sites(SitesArgs),
}

#[derive(clap::Args)]
pub struct SitesArgs {
    /// 区域代码（如 450202） (the zone's code)
    pub zone: String,
    /// GeoJSON 文件 (the GeoJSON file)
    pub file: PathBuf,
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
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
        MapCommand::Sites(args) => import_sites(args),
    }
}

/// A file's bytes and the name it is recorded under.
fn read_file(file: &std::path::Path) -> anyhow::Result<(Vec<u8>, String)> {
    let bytes = std::fs::read(file).with_context(|| format!("读取 {} (reading)", file.display()))?;
    let source = file
        .file_name()
        .map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    Ok((bytes, source))
}

/// Opens the database, runs `work` on it and closes it; a refusal is printed with every problem (exit 1).
fn on_store<T>(
    db: &str,
    work: impl AsyncFnOnce(&Store) -> ecociv_server::error::ApiResult<T>,
    done: impl FnOnce(T),
) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let result = runtime.block_on(async {
        let store = Store::open(db)
            .await
            .with_context(|| format!("打开数据库 {db} (opening the database)"))?;
        let result = work(&store).await;
        store.close().await;
        anyhow::Ok(result)
    })?;
    match result {
        Ok(report) => {
            done(report);
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("错误 (error): {}", error.message);
            super::print_problems(&error);
            Ok(ExitCode::from(1))
        }
    }
}

fn import_sites(args: SitesArgs) -> anyhow::Result<ExitCode> {
    let (bytes, source) = read_file(&args.file)?;
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("错误 (error): {source} 不是 UTF-8 编码的文本 (not UTF-8 text)，未导入");
        return Ok(ExitCode::from(1));
    };
    on_store(
        &args.db,
        async |store| {
            let system = ecociv_server::demo::system_user(store).await?;
            sites::import(store, &system.id, &args.zone, &text, &source).await
        },
        |report| {
            println!(
                "已导入区域 {} 的 {} 个点位（{}），原有点位已替换 (imported)",
                args.zone,
                report.stored,
                report.counts_zh()
            );
            if report.illustrative > 0 {
                println!("其中 {} 个为示意位置 (illustrative positions)", report.illustrative);
            }
        },
    )
}

fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let (bytes, source) = read_file(&args.file)?;
    on_store(
        &args.db,
        async |store| {
            maps::import_bytes(
                store,
                bytes,
                &source,
                args.within.as_deref(),
                args.code_property.as_deref(),
                false,
            )
            .await
        },
        |report| {
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
        },
    )
}
