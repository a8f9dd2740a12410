//! `ecociv survey`: the public survey behind rows 34 and 35 (issue 14) from the command line — the default
//! questionnaire as a file to adapt, a questionnaire and a sampling plan checked, a platform's export (CSV
//! or Excel) imported into a survey of the database all or nothing, the stratified estimates with their 95 %
//! intervals (from the database, or offline from files), the estimates saved as rows 34/35 through the
//! workflow, and the workbook of responses and estimates. The logic is `ecociv-survey`'s and
//! `ecociv_server::service::survey`'s; this file reads files and prints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use ecociv_survey::{Estimate, EstimateError, Questionnaire, Response, SamplingPlan};
use serde_json::json;

use crate::cmd::{Format, runtime};

#[derive(Subcommand)]
pub enum SurveyCommand {
    /// 输出本区默认问卷（TOML），可修改后使用 (write the zone's default questionnaire, TOML, to adapt)
    Template(TemplateArgs),
    /// 检查问卷文件和抽样方案，不写入任何内容 (check a questionnaire and a sampling plan; writes nothing)
    Validate(ValidateArgs),
    /// 将问卷平台导出的回答（CSV 或 xlsx）导入数据库中的调查，全部成功或全部不导入 (import a platform's
    /// export into a survey of the database, all or nothing)
    Import(ImportArgs),
    /// 指标 34、35 的分层加权估计及 95% 置信区间：数据库中的调查，或离线的问卷、方案和回答文件 (the
    /// stratified estimates with their 95 % intervals: a stored survey, or files offline)
    Estimate(EstimateArgs),
    /// 将估计值按审核流程保存为调查年度指标 34、35 的数值（草稿） (save the estimates as rows 34/35, draft)
    Save(SaveArgs),
    /// 导出回答和估计结果（Excel） (write the responses and the estimates as a workbook)
    Export(ExportArgs),
}

#[derive(clap::Args)]
pub struct TemplateArgs {
    /// 输出文件；不给则输出到屏幕 (the output file; standard output when absent)
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ValidateArgs {
    /// 问卷文件 .toml (a questionnaire)
    #[arg(long)]
    pub questionnaire: Option<PathBuf>,
    /// 抽样方案：.toml，或表格 .csv（代码,名称,类型,总体规模,配额） (a sampling plan: TOML, or a CSV table)
    #[arg(long)]
    pub plan: Option<PathBuf>,
}

/// Where a survey is stored.
#[derive(clap::Args)]
pub struct StoredSurvey {
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
    /// 区域代码 (the zone's code)
    #[arg(long)]
    pub zone: String,
    /// 调查编号 (the survey's id)
    #[arg(long)]
    pub survey: String,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub stored: StoredSurvey,
    /// 导入人：已有账号的用户名 (who imports: an existing account's user name)
    #[arg(long)]
    pub by: String,
    /// 问卷平台导出的文件 .csv 或 .xlsx (the platform's export)
    pub file: PathBuf,
}

#[derive(clap::Args)]
pub struct EstimateArgs {
    /// 数据库地址；与 --zone、--survey 一起给出时估计数据库中的调查 (database URL, with --zone and
    /// --survey: a stored survey)
    #[arg(long)]
    pub db: Option<String>,
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(long)]
    pub survey: Option<String>,
    /// 离线：问卷文件 .toml；不给则用默认问卷 (offline: the questionnaire; the default when absent)
    #[arg(long)]
    pub questionnaire: Option<PathBuf>,
    /// 离线：抽样方案 .toml 或 .csv (offline: the sampling plan)
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// 离线：问卷平台导出的回答 .csv 或 .xlsx (offline: the platform's export of responses)
    #[arg(long)]
    pub responses: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(clap::Args)]
pub struct SaveArgs {
    #[command(flatten)]
    pub stored: StoredSurvey,
    /// 保存人：已有账号的用户名 (who saves: an existing account's user name)
    #[arg(long)]
    pub by: String,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub stored: StoredSurvey,
    /// 输出文件 .xlsx (the workbook to write)
    #[arg(long, short)]
    pub output: PathBuf,
}

pub fn run(command: SurveyCommand) -> anyhow::Result<ExitCode> {
    match command {
        SurveyCommand::Template(args) => template(args),
        SurveyCommand::Validate(args) => validate(args),
        SurveyCommand::Estimate(args) => estimate(args),
        SurveyCommand::Import(args) => runtime()?.block_on(import(args)),
        SurveyCommand::Save(args) => runtime()?.block_on(save(args)),
        SurveyCommand::Export(args) => runtime()?.block_on(export(args)),
    }
}

/// Writes bytes next to the target, then renames (a reader never sees half a file).
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp-ecociv");
    std::fs::write(&tmp, bytes).with_context(|| format!("写入 {} (writing)", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("写入 {} (writing)", path.display()))?;
    Ok(())
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("读取 {} (reading)", path.display()))
}

/// Prints problems under the file's name and returns the refusal's exit code.
fn refused(file: &Path, problems: &[impl std::fmt::Display]) -> ExitCode {
    for problem in problems {
        eprintln!("{}：{problem}", file.display());
    }
    refusal_count(file, problems.len())
}

/// Prints located problems (`ecociv_csvline::Located`, named in the file) and returns the refusal's exit
/// code.
fn refused_located(file: &Path, problems: &[ecociv_data::Problem]) -> ExitCode {
    for problem in problems {
        eprintln!("{}", problem.clone().in_file(file.display().to_string()));
    }
    refusal_count(file, problems.len())
}

fn refusal_count(file: &Path, problems: usize) -> ExitCode {
    eprintln!(
        "{}：共 {} 个问题，未采用任何内容 ({} problems; nothing was used)",
        file.display(),
        problems,
        problems
    );
    ExitCode::from(1)
}

fn template(args: TemplateArgs) -> anyhow::Result<ExitCode> {
    let text = ecociv_survey::questionnaire::DEFAULT_TOML;
    match args.output {
        Some(path) => {
            write_atomically(&path, text.as_bytes())?;
            println!("已写出默认问卷：{} (the default questionnaire)", path.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// A questionnaire file, or the default.
fn questionnaire(path: Option<&Path>) -> anyhow::Result<Result<Questionnaire, ExitCode>> {
    let Some(path) = path else {
        return Ok(Ok(Questionnaire::default_zone()));
    };
    Ok(Questionnaire::parse(&read_text(path)?).map_err(|problems| refused(path, &problems)))
}

/// A sampling plan: TOML, or the table (CSV) the survey page takes.
fn plan(path: &Path) -> anyhow::Result<Result<SamplingPlan, ExitCode>> {
    let text = read_text(path)?;
    Ok(if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        SamplingPlan::parse_table(&format!("抽样方案表 {}", path.display()), &text)
            .map_err(|problems| refused_located(path, &problems))
    } else {
        SamplingPlan::parse(&text).map_err(|problems| refused(path, &problems))
    })
}

fn validate(args: ValidateArgs) -> anyhow::Result<ExitCode> {
    if args.questionnaire.is_none() && args.plan.is_none() {
        eprintln!("请给出 --questionnaire 或 --plan (give a questionnaire or a plan to check)");
        return Ok(ExitCode::from(2));
    }
    let mut code = ExitCode::SUCCESS;
    if let Some(path) = &args.questionnaire {
        match questionnaire(Some(path))? {
            Ok(q) => {
                let rows: Vec<String> = q.measures.iter().map(|m| format!("{}（{}）", m.row, m.name)).collect();
                println!(
                    "{}：问卷“{}”（{}），{} 道题，计算指标 {} (valid)",
                    path.display(),
                    q.title,
                    q.edition,
                    q.questions.len(),
                    rows.join("、")
                );
            }
            Err(refusal) => code = refusal,
        }
    }
    if let Some(path) = &args.plan {
        match plan(path)? {
            Ok(p) => {
                let population: u64 = p.strata.iter().map(|s| s.population).sum();
                println!(
                    "{}：抽样方案 {} 层，总体规模 {population}，配额合计 {} (valid)",
                    path.display(),
                    p.strata.len(),
                    p.strata.iter().filter_map(|s| s.quota).sum::<u64>()
                );
            }
            Err(refusal) => code = refusal,
        }
    }
    Ok(code)
}

fn pct(share: f64) -> String {
    ecociv_core::format::fixed(share * 100.0, 1)
}

fn estimate_json(row: &str, estimate: &Result<Estimate, EstimateError>) -> serde_json::Value {
    match estimate {
        Ok(e) => json!({
            "row": row,
            "measure": e.measure,
            "share_percent": e.share * 100.0,
            "low_percent": e.low * 100.0,
            "high_percent": e.high * 100.0,
            "standard_error_points": e.standard_error * 100.0,
            "responses": e.responses,
            "valid": e.valid,
            "effective_n": e.effective_n,
            "method": ecociv_survey::METHOD_EDITION,
            "questionnaire": { "id": e.questionnaire_id, "edition": e.questionnaire_edition },
            "strata": e.strata.iter().map(|s| json!({
                "id": s.id, "name": s.name, "population": s.population, "quota": s.quota,
                "responses": s.responses, "valid": s.valid, "counted": s.counted,
            })).collect::<Vec<_>>(),
        }),
        Err(error) => json!({ "row": row, "refused": { "zh": error.zh(), "en": error.to_string() } }),
    }
}

fn print_estimates(
    title: &str,
    estimates: &[(String, Result<Estimate, EstimateError>)],
    format: Format,
) -> anyhow::Result<ExitCode> {
    let refused = estimates.iter().any(|(_, e)| e.is_err());
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = estimates.iter().map(|(row, e)| estimate_json(row, e)).collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({ "survey": title, "estimates": rows }))?
            );
        }
        Format::Table => {
            println!("{title}");
            for (row, estimate) in estimates {
                match estimate {
                    Ok(e) => {
                        println!(
                            "指标 {row}（{}）：{}%，95% 置信区间 {}%–{}%，标准误 {} 个百分点；有效回答 {} 份，共 {} 份",
                            e.measure,
                            pct(e.share),
                            pct(e.low),
                            pct(e.high),
                            ecociv_core::format::fixed(e.standard_error * 100.0, 2),
                            e.valid,
                            e.responses
                        );
                        for s in &e.strata {
                            let rate = s
                                .response_rate()
                                .map(|r| format!("，回收率 {}%", pct(r)))
                                .unwrap_or_default();
                            println!(
                                "  {}：总体 {}，回答 {}，有效 {}，计入 {}{rate}",
                                s.name, s.population, s.responses, s.valid, s.counted
                            );
                        }
                    }
                    Err(error) => println!("指标 {row}：不能估计——{error}"),
                }
            }
            println!("方法：{}", ecociv_survey::METHOD_EDITION);
        }
    }
    Ok(if refused { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn estimate(args: EstimateArgs) -> anyhow::Result<ExitCode> {
    if let (Some(db), Some(zone), Some(survey)) = (&args.db, &args.zone, &args.survey) {
        let stored = StoredSurvey {
            db: db.clone(),
            zone: zone.clone(),
            survey: survey.clone(),
        };
        return runtime()?.block_on(async {
            let (store, loaded) = open_survey(&stored).await?;
            let responses = store.survey_responses(&stored.zone, &stored.survey).await?;
            let estimates = ecociv_server::service::survey::estimates(&loaded, &responses);
            print_estimates(&loaded.record.title, &estimates, args.format)
        });
    }
    let (Some(plan_path), Some(responses_path)) = (&args.plan, &args.responses) else {
        eprintln!(
            "请给出 --db、--zone、--survey（数据库中的调查），或 --plan 和 --responses（离线文件） (a stored survey, or a plan and responses)"
        );
        return Ok(ExitCode::from(2));
    };
    let questionnaire = match questionnaire(args.questionnaire.as_deref())? {
        Ok(q) => q,
        Err(refusal) => return Ok(refusal),
    };
    let plan = match plan(plan_path)? {
        Ok(p) => p,
        Err(refusal) => return Ok(refusal),
    };
    let bytes =
        std::fs::read(responses_path).with_context(|| format!("读取 {} (reading)", responses_path.display()))?;
    let file = match ecociv_survey::import::parse_export(&questionnaire, &plan, &bytes) {
        Ok(file) => file,
        Err(problems) => return Ok(refused_located(responses_path, &problems)),
    };
    if !file.ignored_columns.is_empty() {
        eprintln!("未使用的列 (columns ignored)：{}", file.ignored_columns.join("、"));
    }
    let responses: Vec<Response> = file
        .responses
        .into_iter()
        .map(|r| Response {
            stratum: r.stratum,
            answers: r.answers,
        })
        .collect();
    let estimates = ecociv_survey::estimate_all(&questionnaire, &plan, &responses);
    print_estimates(&questionnaire.title, &estimates, args.format)
}

async fn open_survey(
    stored: &StoredSurvey,
) -> anyhow::Result<(ecociv_store::Store, ecociv_server::service::survey::LoadedSurvey)> {
    let store = ecociv_store::Store::open(&stored.db)
        .await
        .with_context(|| format!("打开数据库 {} (opening the database)", stored.db))?;
    let loaded = ecociv_server::service::survey::load_from(&store, &stored.zone, &stored.survey)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    Ok((store, loaded))
}

async fn user_id(store: &ecociv_store::Store, username: &str) -> anyhow::Result<String> {
    Ok(store
        .user_by_username(username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("没有账号“{username}” (no such account)"))?
        .id)
}

async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let (store, loaded) = open_survey(&args.stored).await?;
    let by = user_id(&store, &args.by).await?;
    let bytes = std::fs::read(&args.file).with_context(|| format!("读取 {} (reading)", args.file.display()))?;
    let outcome = ecociv_server::service::survey::import_export(&store, &args.stored.zone, &loaded, bytes, &by)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    match outcome {
        Ok(n) => {
            println!(
                "{}：已导入 {n} 份回答到调查“{}” ({n} responses imported)",
                args.file.display(),
                loaded.record.title
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => Ok(refused_located(&args.file, &problems)),
    }
}

async fn save(args: SaveArgs) -> anyhow::Result<ExitCode> {
    let (store, loaded) = open_survey(&args.stored).await?;
    let by = user_id(&store, &args.by).await?;
    match ecociv_server::service::survey::save_estimates(&store, &args.stored.zone, &loaded, &by).await {
        Ok(rows) if rows.is_empty() => {
            println!("估计值与现有数值相同，未保存 (unchanged)");
            Ok(ExitCode::SUCCESS)
        }
        Ok(rows) => {
            println!(
                "已将 {} 年指标 {} 保存为草稿，待审核 (saved as drafts)",
                loaded.record.year,
                rows.join("、")
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("未保存：{} (nothing saved)", error.message);
            Ok(ExitCode::from(1))
        }
    }
}

async fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let (store, loaded) = open_survey(&args.stored).await?;
    let responses = store.survey_responses(&args.stored.zone, &args.stored.survey).await?;
    let bytes = ecociv_server::service::survey::export_workbook(&loaded, &responses)?;
    write_atomically(&args.output, &bytes)?;
    println!(
        "已写出 {}：{} 份回答及估计结果 ({} responses and the estimates)",
        args.output.display(),
        responses.len(),
        responses.len()
    );
    Ok(ExitCode::SUCCESS)
}
