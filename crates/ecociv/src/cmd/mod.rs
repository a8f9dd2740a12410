//! The subcommands. Each lives in its own file with its `Args` and a `run` function; add a subcommand by
//! adding a variant here and one arm in [`run`].

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use ecociv_data::LoadedZone;

pub mod admin;
pub mod air;
pub mod assess;
pub mod db;
pub mod ledger;
pub mod map;
pub mod monitoring;
pub mod noise;
pub mod plan;
pub mod progress;
pub mod report;
pub mod serve;
pub mod soil;
pub mod survey;
pub mod targets;
pub mod template;
pub mod water;
pub mod zone;

#[derive(Subcommand)]
pub enum Command {
    /// 按标准评估一个区域某年的全部指标 (assess a zone for a year)
    Assess(assess::Args),
    /// 检查规划2025/2030年目标值是否符合标准 (check the plan's targets against the standard)
    Targets(targets::Args),
    /// 水质评价：GB 3838-2002 单因子评价与年度断面评价 (water quality: classify samples, annual evaluation)
    Water(water::Args),
    /// 环境空气质量：AQI 日报与年度评价 (air quality: daily AQI and annual evaluation, HJ 633 / HJ 663)
    #[command(subcommand)]
    Air(air::AirCommand),
    /// 声环境质量：GB 3096-2008 监测点位昼间、夜间等效声级评价 (environmental noise, GB 3096-2008)
    #[command(subcommand)]
    Noise(noise::NoiseCommand),
    /// 土壤污染风险：GB 36600-2018 建设用地、GB 15618-2018 农用地 (soil pollution risk)
    #[command(subcommand)]
    Soil(soil::SoilCommand),
    /// 规划2025/2030年目标进展评估与预警 (progress toward the plan's targets, forecast, early warning)
    Progress(progress::Args),
    /// 规划实施：措施、重点项目、督查督办、部门考核；任务分解表与项目台账 Excel (running the plan)
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// 生成报告文件：Excel 表2-1/表4-1、公开数据 CSV/JSON (write Table 2-1/4-1 in Excel, open data CSV/JSON)
    Report(report::Args),
    /// 部门填报模板：导出与导入 (department templates: export and import)
    #[command(subcommand)]
    Template(template::TemplateCommand),
    /// 启动多用户服务器（JSON API）；--demo 载入示例区域和演示账号 (run the multi-user server)
    Serve(serve::Args),
    /// 账号管理：创建首个管理员等 (account administration, e.g. the first admin)
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// 台账：台账类型、记录检查、由台账计算指标值、填报模板 (registers: kinds, checks, derived rows, templates)
    #[command(subcommand)]
    Ledger(ledger::LedgerCommand),
    /// 区域：新建区域目录、导入数据库、导出为区域目录 (zones: create a directory, import, export)
    #[command(subcommand)]
    Zone(zone::ZoneCommand),
    /// 问卷调查：默认问卷、检查问卷和抽样方案、导入回答、估计指标 34/35 及置信区间、保存、导出 (the public
    /// survey: questionnaire, checks, import, estimates of rows 34/35 with intervals, save, export)
    #[command(subcommand)]
    Survey(survey::SurveyCommand),
    /// 地图：导入县级行政区划边界（GeoJSON），汇总页据此绘制分布图 (maps: import boundaries)
    #[command(subcommand)]
    Map(map::MapCommand),
    /// 数据库中的监测数据：导入文件（显示进度）、更正（撤回或替换读数，须写明理由，保留历史）、查看读数历史
    /// (monitoring data in the database: import a file with progress, corrections — withdraw or replace
    /// readings with a reason, history kept — and a reading's history)
    #[command(subcommand)]
    Monitoring(monitoring::MonitoringCommand),
    /// 数据库：各表在 PostgreSQL + Citus 上的分布 (the database: where its tables are on PostgreSQL + Citus)
    #[command(subcommand)]
    Db(db::DbCommand),
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Assess(args) => assess::run(args),
        Command::Targets(args) => targets::run(args),
        Command::Water(args) => water::run(args),
        Command::Air(command) => air::run(command),
        Command::Noise(command) => noise::run(command),
        Command::Soil(command) => soil::run(command),
        Command::Progress(args) => progress::run(args),
        Command::Plan(command) => plan::run(command),
        Command::Report(args) => report::run(args),
        Command::Template(command) => template::run(command),
        Command::Serve(args) => serve::run(args),
        Command::Admin(command) => admin::run(command),
        Command::Db(command) => db::run(command),
        Command::Ledger(command) => ledger::run(command),
        Command::Zone(command) => zone::run(command),
        Command::Survey(command) => survey::run(command),
        Command::Map(command) => map::run(command),
        Command::Monitoring(command) => monitoring::run(command),
    }
}

/// The runtime of the commands that use the database.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// Opens (and migrates) the database at `url`.
pub async fn open_store(url: &str) -> anyhow::Result<ecociv_store::Store> {
    use anyhow::Context;
    ecociv_store::Store::open(url)
        .await
        .with_context(|| format!("打开数据库 {url} (opening the database)"))
}

/// Output format of the reporting commands.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 终端表格 (a table for people)
    Table,
    /// JSON (for programs)
    Json,
}

/// Loads a zone and applies, in order of precedence, the figures computed from monitoring data (the
/// zone's `monitoring/` folder or `monitoring`) and a values file. Every input is validated before
/// anything is used: a bad file fails the whole command.
pub fn load_zone_with(zone: &str, values: Option<&Path>, monitoring: Option<&Path>) -> anyhow::Result<LoadedZone> {
    load_zone_full(zone, values, monitoring, None)
}

/// As [`load_zone_with`], with the figures derived from a ledger folder (`--ledgers`, or the zone's
/// `ledgers/` folder) applied after the monitoring figures and before a values file. A figure the zone's
/// documents state (the plan's Table 2-1) stays in force; a recomputed figure that differs is a
/// data-quality note, printed on standard error.
pub fn load_zone_full(
    zone: &str,
    values: Option<&Path>,
    monitoring: Option<&Path>,
    ledgers: Option<&Path>,
) -> anyhow::Result<LoadedZone> {
    let mut loaded = ecociv_data::load_zone(zone)?;
    let monitoring_dir = monitoring.map(Path::to_path_buf).or_else(|| {
        loaded
            .dir
            .as_ref()
            .map(|dir| dir.join("monitoring"))
            .filter(|dir| dir.is_dir())
    });
    if let Some(dir) = monitoring_dir {
        let computed = crate::monitoring::observations(&loaded.framework, &dir)?;
        loaded.zone.override_with(computed);
    }
    let ledger_dir = ledgers.map(Path::to_path_buf).or_else(|| {
        loaded
            .dir
            .as_ref()
            .map(|dir| dir.join("ledgers"))
            .filter(|dir| dir.is_dir())
    });
    if let Some(dir) = ledger_dir {
        let ledgers = ledger::load_dir(&loaded.framework, &dir)?;
        let derived = ecociv_ledger::derive_zone(&loaded.framework, &ledgers, &loaded.zone.observations);
        for note in &derived.notes {
            eprintln!("数据质量说明：{note}");
        }
        loaded.zone.override_with(derived.observations);
    }
    if let Some(path) = values {
        let observations = ecociv_data::load::load_values_file(path, &loaded.framework)?;
        loaded.zone.override_with(observations);
    }
    Ok(loaded)
}

/// Parses a `--year` argument by the core's one year rule (`ecociv_core::value::YEARS`, 1949–2100), so the
/// CLI refuses what the API and the values files refuse.
/// Each located problem of a refusal, one a line, as `ecociv_csvline::Located` writes it (the details'
/// `text`, see `ecociv_server::error::located_json`).
pub fn print_problems(error: &ecociv_server::error::ApiError) {
    for problem in error.details.as_ref().and_then(|d| d.as_array()).into_iter().flatten() {
        if let Some(text) = problem.get("text").and_then(|t| t.as_str()) {
            eprintln!("{text}");
        }
    }
}

/// The input and output files of a command that reads a CSV and writes a result (`ecociv water …`,
/// `ecociv soil …`, `ecociv noise judge`).
#[derive(clap::Args)]
pub struct Files {
    /// 输入 CSV 文件，“-” 为标准输入 (input CSV file, or - for standard input)
    #[arg(long)]
    pub input: String,
    /// 输出文件（缺省：标准输出）(output file; default standard output)
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// The input file, or standard input for `-`. Unbuffered: the CSV readers buffer (64 KiB).
pub fn open_input(input: &str) -> anyhow::Result<Box<dyn std::io::Read>> {
    if input == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let file = std::fs::File::open(input).with_context(|| format!("无法打开输入文件 (cannot open input) {input}"))?;
    Ok(Box::new(file))
}

pub fn year_arg(text: &str) -> Result<i32, String> {
    ecociv_core::value::parse_year(text).map_err(|error| error.to_string())
}
