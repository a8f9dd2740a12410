//! `ecociv zone create|import|export|template|adopt` (issue 15): a new zone directory from the administrative hierarchy
//! and a chosen framework edition; a zone directory stored in the database with its values (all or
//! nothing, every problem with file, line and field); a stored or bundled zone written back as a directory
//! that `import` reads; `adopt`: a newer framework edition from a year on, the earlier years kept under theirs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use ecociv_core::ZoneProfile;
use ecociv_core::zone::{ParentUnit, Plan, Zone};
use ecociv_server::service::zones::{self, ZoneFiles};
use ecociv_store::Store;

#[derive(clap::Subcommand)]
pub enum ZoneCommand {
    /// 新建区域目录：名称与上级区划取自行政区划，选定指标体系版本 (a new zone directory)
    Create(CreateArgs),
    /// 把区域目录导入数据库（区域、规划与数值，全部或全不） (store a zone directory in the database)
    Import(ImportArgs),
    /// 把区域导出为区域目录（可再导入） (write a zone as a zone directory)
    Export(ExportArgs),
    /// 写出规划 Excel 模板（区域信息 + 表2-1：基准年现状值、2025/2030 目标、牵头部门），填好后用 zone import 导入
    /// (write the Excel plan template)
    Template(TemplateArgs),
    /// 采用新版指标体系：自启用年份起按新版本评估，此前年份仍按原版本（结果保留）；不带参数时列出各年份所用版本
    /// (adopt a newer framework edition from a year on; without --framework, list the editions by year)
    Adopt(AdoptArgs),
}

#[derive(clap::Args)]
pub struct AdoptArgs {
    /// 区域代码 (zone code)
    #[arg(long)]
    pub zone: String,
    /// 新版指标体系标识（已存储或内置） (the edition's id, stored or bundled)
    #[arg(long, requires_all = ["from_year", "reason"])]
    pub framework: Option<String>,
    /// 启用年份：此年起按新版本评估 (the first year judged under it)
    #[arg(long)]
    pub from_year: Option<String>,
    /// 采用依据（文件名称、文号） (why: the document that requires it)
    #[arg(long)]
    pub reason: Option<String>,
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
}

#[derive(clap::Args)]
pub struct TemplateArgs {
    /// 县级行政区划代码 (the county-level division code)
    #[arg(long)]
    pub code: String,
    /// 指标体系版本 (framework edition id)
    #[arg(long, default_value = "national-2021")]
    pub framework: String,
    /// 以此区域（代码或区域目录）的规划预先填写 (prefill from this zone's plan)
    #[arg(long)]
    pub from: Option<String>,
    /// 输出的 .xlsx 文件 (the .xlsx file to write)
    #[arg(short, long)]
    pub out: PathBuf,
}

#[derive(clap::Args)]
pub struct CreateArgs {
    /// 县级行政区划代码 (the county-level division code)
    #[arg(long)]
    pub code: String,
    /// 指标体系版本 (framework edition id)
    #[arg(long, default_value = "national-2021")]
    pub framework: String,
    /// 规划基准年 (the plan's base year)
    #[arg(long)]
    pub base_year: String,
    /// 区域属性：级别 (level attribute)
    #[arg(long, default_value = "县级")]
    pub level: String,
    /// 区域属性：气候（湿润、半湿润…） (climate attribute)
    #[arg(long)]
    pub climate: String,
    /// 区域属性：地形（丘陵、平原…） (terrain attribute)
    #[arg(long)]
    pub terrain: String,
    /// 规划名称（默认：区域名称 + 国家生态文明建设示范区规划） (plan title)
    #[arg(long)]
    pub title: Option<String>,
    /// 输出目录（须不存在或为空） (output directory, new or empty)
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// 区域目录（zone.toml，可选 values.csv、projects.csv），或填好的规划 Excel 模板（.xlsx）
    /// (the zone directory, or a filled Excel plan template)
    pub dir: PathBuf,
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
    /// 向公众公开 (disclose to the public)
    #[arg(long)]
    pub disclosed: bool,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// 区域代码或区域目录 (zone code, or a zone directory)
    #[arg(long)]
    pub zone: String,
    /// 从数据库导出（已审核数值）；不给时导出内置区域或区域目录 (export from the database, approved values)
    #[arg(long)]
    pub db: Option<String>,
    /// 输出目录（须不存在或为空） (output directory, new or empty)
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(command: ZoneCommand) -> anyhow::Result<ExitCode> {
    match command {
        ZoneCommand::Create(args) => create(args),
        ZoneCommand::Import(args) => import(args),
        ZoneCommand::Export(args) => export(args),
        ZoneCommand::Template(args) => template(args),
        ZoneCommand::Adopt(args) => adopt(args),
    }
}

fn adopt(args: AdoptArgs) -> anyhow::Result<ExitCode> {
    let from_year = match &args.from_year {
        Some(text) => match ecociv_core::value::parse_year(text) {
            Ok(year) => Some(year),
            Err(problem) => {
                eprintln!("错误 (error): --from-year: {problem}");
                return Ok(ExitCode::from(2));
            }
        },
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = Store::open(&args.db)
            .await
            .with_context(|| format!("打开数据库 {} (opening the database)", args.db))?;
        let result = async {
            if let (Some(framework), Some(from_year), Some(reason)) = (&args.framework, from_year, &args.reason) {
                let system = ecociv_server::demo::system_user(&store).await?;
                let adoption = zones::Adoption {
                    framework: framework.clone(),
                    from_year,
                    reason: reason.clone(),
                };
                zones::adopt(&store, &system.id, &args.zone, &adoption).await?;
                println!(
                    "区域 {} 自 {from_year} 年起采用指标体系版本 {framework}，此前年份仍按原版本评估（adopted）",
                    args.zone
                );
            }
            let record = store
                .zone(&args.zone)
                .await?
                .ok_or_else(|| ecociv_server::error::ApiError::not_found(format!("区域 (zone) {}", args.zone)))?;
            for (id, from, to) in record.editions.periods() {
                let framework = store.framework(id).await?;
                let span = match (from, to) {
                    (None, None) => "各年份".to_string(),
                    (None, Some(to)) => format!("{to} 年及以前"),
                    (Some(from), None) => format!("{from} 年起"),
                    (Some(from), Some(to)) => format!("{from}–{to} 年"),
                };
                println!("{span}\t{id}\t{}（{}）", framework.name, framework.edition);
            }
            Ok::<_, ecociv_server::error::ApiError>(())
        }
        .await;
        store.close().await;
        match result {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(error) => {
                eprintln!("错误 (error): {}", error.message);
                super::print_problems(&error);
                Ok(ExitCode::from(1))
            }
        }
    })
}

fn today_text() -> String {
    zones::today().to_string()
}

/// Writes files into a new or empty directory; each file atomically.
fn write_dir(out: &Path, files: &[(&str, String)]) -> anyhow::Result<()> {
    if out.exists()
        && out
            .read_dir()
            .with_context(|| format!("{}", out.display()))?
            .next()
            .is_some()
    {
        bail!("输出目录 {} 不为空 (the output directory is not empty)", out.display());
    }
    std::fs::create_dir_all(out).with_context(|| format!("创建目录 {} (creating the directory)", out.display()))?;
    for (name, text) in files {
        super::report::write_atomically(&out.join(name), text.as_bytes())?;
    }
    Ok(())
}

fn create(args: CreateArgs) -> anyhow::Result<ExitCode> {
    let hierarchy = zones::hierarchy();
    let Some(unit) = hierarchy.unit(&args.code) else {
        bail!(
            "行政区划代码 {} 不在已载入的区划中（data/divisions/） (unknown division code)",
            args.code
        );
    };
    if unit.level != ecociv_core::division::Level::County {
        bail!(
            "{} {} 不是县级行政区 (a zone is a county-level unit)",
            unit.code,
            unit.name
        );
    }
    let framework = ecociv_data::bundled::framework(&args.framework).map_err(|e| anyhow::anyhow!("{e}"))?;
    let base_year = super::year_arg(&args.base_year).map_err(|e| anyhow::anyhow!(e))?;
    let mut parents: Vec<ParentUnit> = hierarchy
        .ancestors(&unit.code)
        .iter()
        .map(|u| ParentUnit {
            code: u.code.clone(),
            name: u.name.clone(),
            level: u.level.zh().to_string(),
        })
        .collect();
    parents.reverse();
    // The zone's name as the plan would write it: the city's name, then the unit's.
    let name = match parents.last() {
        Some(city) if city.level == "地级" => format!("{}{}", city.name, unit.name),
        _ => unit.name.clone(),
    };
    let zone = Zone {
        profile: ZoneProfile {
            code: unit.code.clone(),
            name: name.clone(),
            name_en: String::new(),
            parents,
            attributes: [
                ("level".to_string(), args.level),
                ("climate".to_string(), args.climate),
                ("terrain".to_string(), args.terrain),
            ]
            .into_iter()
            .collect(),
        },
        plan: Plan {
            title: args
                .title
                .unwrap_or_else(|| format!("{name}国家生态文明建设示范区规划")),
            framework: framework.id.clone(),
            base_year,
            targets: Default::default(),
            lead_departments: Default::default(),
            projects: Vec::new(),
        },
        observations: Vec::new(),
    };
    let files = ecociv_data::export::zone_files(&zone, &today_text());
    // Read back before writing: the directory must load as it is.
    let text = |name: &str| files.iter().find(|(n, _)| *n == name).map(|(_, t)| t.as_str());
    ecociv_data::load::from_texts(
        &args.out.display().to_string(),
        framework,
        text("zone.toml").unwrap_or_default(),
        text("values.csv"),
        text("projects.csv"),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    write_dir(&args.out, &files)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "已新建区域目录 {}：{} {}，指标体系 {}（created）",
        args.out.display(),
        unit.code,
        name,
        args.framework
    );
    let _ = writeln!(
        out,
        "下一步：在 zone.toml 填写各指标的牵头部门与目标，在 values.csv 填写数值，然后 ecociv zone import。"
    );
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn read_dir_files(dir: &Path) -> anyhow::Result<ZoneFiles> {
    let read = |name: &str| -> anyhow::Result<Option<String>> {
        let path = dir.join(name);
        if !path.exists() {
            return Ok(None);
        }
        let bytes = std::fs::read(&path).with_context(|| format!("读取 {} (reading)", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{}: 文件不是UTF-8编码 (the file is not UTF-8)", path.display()))?;
        Ok(Some(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text)))
    };
    Ok(ZoneFiles {
        zone_toml: read("zone.toml")?
            .with_context(|| format!("{}: 缺少 zone.toml (missing zone.toml)", dir.display()))?,
        values_csv: read("values.csv")?,
        projects_csv: read("projects.csv")?,
    })
}

fn template(args: TemplateArgs) -> anyhow::Result<ExitCode> {
    let hierarchy = zones::hierarchy();
    let Some(unit) = hierarchy.unit(&args.code) else {
        bail!(
            "行政区划代码 {} 不在已载入的区划中（data/divisions/） (unknown division code)",
            args.code
        );
    };
    let framework = ecociv_data::bundled::framework(&args.framework).map_err(|e| anyhow::anyhow!("{e}"))?;
    let from = match &args.from {
        Some(spec) => Some(ecociv_data::load_zone(spec)?.zone),
        None => None,
    };
    let name = zones::plan_zone_name(unit);
    let bytes = ecociv_report::zone_plan::template(&framework, &unit.code, &name, from.as_ref())?;
    super::report::write_atomically(&args.out, &bytes)?;
    println!(
        "已写出 {} 的规划模板 {}：在“区域信息”和“表2-1”的黄色单元格填写后，用 ecociv zone import {} 导入",
        name,
        args.out.display(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    if args.dir.is_file() && args.dir.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        return import_plan(args);
    }
    let files = read_dir_files(&args.dir)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = Store::open(&args.db)
            .await
            .with_context(|| format!("打开数据库 {} (opening the database)", args.db))?;
        let system = ecociv_server::demo::system_user(&store)
            .await
            .map_err(|e| anyhow::anyhow!(e.message))?;
        let base = args.dir.display().to_string();
        let options = zones::ImportOptions {
            disclosed: args.disclosed,
            ..Default::default()
        };
        match zones::import(&store, &system.id, &base, &files, &options, zones::today()).await {
            Ok((code, values)) => {
                println!("已导入区域 {code}：{values} 个数值（imported）");
                store.close().await;
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => {
                eprintln!("错误 (error): {}", error.message);
                super::print_problems(&error);
                store.close().await;
                Ok(ExitCode::from(1))
            }
        }
    })
}

fn import_plan(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.dir).with_context(|| format!("读取 {} (reading)", args.dir.display()))?;
    let file = args
        .dir
        .file_name()
        .map_or_else(|| args.dir.display().to_string(), |n| n.to_string_lossy().into_owned());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = Store::open(&args.db)
            .await
            .with_context(|| format!("打开数据库 {} (opening the database)", args.db))?;
        let system = ecociv_server::demo::system_user(&store)
            .await
            .map_err(|e| anyhow::anyhow!(e.message))?;
        let options = zones::ImportOptions {
            disclosed: args.disclosed,
            ..Default::default()
        };
        let result = zones::import_plan(&store, &system.id, &file, &bytes, &options, zones::today()).await;
        store.close().await;
        match result {
            Ok((code, values)) => {
                println!("已由规划模板导入区域 {code}：{values} 个数值（imported）");
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

fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let files = match &args.db {
        Some(db) => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let store = Store::open(db)
                    .await
                    .with_context(|| format!("打开数据库 {db} (opening the database)"))?;
                let files = zones::export(&store, &args.zone, &today_text())
                    .await
                    .map_err(|e| anyhow::anyhow!(e.message));
                store.close().await;
                files
            })?
        }
        None => {
            let loaded = ecociv_data::load_zone(&args.zone).map_err(|e| anyhow::anyhow!("{e}"))?;
            ecociv_data::export::zone_files(&loaded.zone, &today_text())
        }
    };
    write_dir(&args.out, &files)?;
    println!("已导出区域 {} 到 {}（exported）", args.zone, args.out.display());
    Ok(ExitCode::SUCCESS)
}
