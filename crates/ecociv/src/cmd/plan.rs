//! `ecociv plan …`: running the plan — the measures (任务分解), the key projects (项目台账), supervision
//! (督查督办) and department scores (部门考核), with the 任务分解表 and the project ledger in Excel and the
//! import of a filled ledger. Glue only: the logic is `ecociv_plan`, the workbooks `ecociv_report::plan`.
//!
//! The CLI keeps no supervision board between runs: `supervision` lists the follow-ups the rules would
//! open on `--today` from what the zone holds (measures, the project ledger, progress reports, the early
//! warning), and `scores` scores against the same. Progress reports come from the zone directory's
//! `progress_reports.toml` or `--reports` (the store keeps them for the server: `ecociv_store::plan`).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ecociv_plan::format::{ledger_to_toml, parse_ledger, parse_reports};
use ecociv_plan::model::{KeyProjects, LedgerEntry, Measures};
use ecociv_plan::report::ReportBook;
use ecociv_plan::score::{RowState, ScoreInput, ScoreRules, score};
use ecociv_plan::supervision::{Board, RowAlert, SupervisionInput, SupervisionRules, evaluate};
use ecociv_plan::{Date, WanYuan};
use ecociv_progress::zone::zone_progress;

use crate::cmd::Format;
use crate::cmd::progress::{clip, render};
use crate::cmd::report::write_atomically;

/// The ledger file a zone directory keeps.
pub const LEDGER_FILE: &str = "project_ledger.toml";
/// The progress reports a zone directory may keep.
pub const REPORTS_FILE: &str = "progress_reports.toml";

#[derive(clap::Subcommand)]
pub enum PlanCommand {
    /// 规划措施（第三章）及其牵头、配合单位和时限 (the plan's measures)
    Measures(ViewArgs),
    /// 重点工程项目（表4-1）、分类汇总与数据质量说明 (the key projects)
    Projects(ViewArgs),
    /// 督查督办：按规则在 --today 应立的督办事项 (follow-ups the supervision rules open)
    Supervision(ViewArgs),
    /// 部门年度考核得分及逐项说明 (department scorecards)
    Scores(ViewArgs),
    /// 导出工作任务分解表 Excel (export the 工作任务分解表)
    ExportTasks(ExportArgs),
    /// 导出重点工程项目台账 Excel（亦为填报模板） (export the project ledger, also the template)
    ExportProjects(ExportArgs),
    /// 导入已填写的项目台账，写入区域目录的 project_ledger.toml (import a filled ledger)
    ImportProjects(ImportArgs),
}

#[derive(clap::Args)]
pub struct ViewArgs {
    /// 区域目录或内置区域代码，如 450202 (a zone directory, or a bundled zone code)
    #[arg(long)]
    pub zone: String,
    /// 只看一个单位 (one department or street only)
    #[arg(long)]
    pub department: Option<String>,
    /// 考核年度 (the year scored; default: the year of --today)
    #[arg(long, value_parser = crate::cmd::year_arg)]
    pub year: Option<i32>,
    /// 评估日 YYYY-MM-DD (the day supervision and scores are computed for; default: today, Beijing time)
    #[arg(long)]
    pub today: Option<String>,
    /// 输出格式 (output format)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// 项目台账文件，代替区域目录的 project_ledger.toml (a ledger file instead of the zone's)
    #[arg(long)]
    pub ledger: Option<PathBuf>,
    /// 进展报告文件，代替区域目录的 progress_reports.toml (a reports file instead of the zone's)
    #[arg(long)]
    pub reports: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// 区域目录或内置区域代码 (a zone directory, or a bundled zone code)
    #[arg(long)]
    pub zone: String,
    /// 只导出一个单位的措施（任务分解表） (one department's measures only)
    #[arg(long)]
    pub department: Option<String>,
    /// 输出的 xlsx 文件 (the xlsx to write)
    #[arg(long, short)]
    pub out: PathBuf,
    /// 项目台账文件，代替区域目录的 project_ledger.toml (a ledger file instead of the zone's)
    #[arg(long)]
    pub ledger: Option<PathBuf>,
    /// 进展报告文件（已支付金额取自审核通过的报告） (a reports file: spend from approved reports)
    #[arg(long)]
    pub reports: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// 区域目录（内置区域不可写） (a zone directory; bundled zones cannot be written)
    #[arg(long)]
    pub zone: PathBuf,
    /// 已填写的项目台账 xlsx (the filled ledger)
    pub file: PathBuf,
}

struct PlanZone {
    code: String,
    name: String,
    measures: Measures,
    projects: KeyProjects,
    ledger: Vec<LedgerEntry>,
    reports: ReportBook,
    loaded: ecociv_data::LoadedZone,
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e} (cannot read)", path.display()))
}

/// Loads the zone, then the ledger and reports given on the command line in place of the zone's own.
fn load_with(spec: &str, ledger: Option<&Path>, reports: Option<&Path>) -> anyhow::Result<PlanZone> {
    let mut z = load(spec)?;
    if let Some(path) = ledger {
        z.ledger = parse_ledger(&path.display().to_string(), &read_text(path)?, &z.projects)?;
    }
    let reports_path = reports.map(Path::to_path_buf).or_else(|| {
        z.loaded
            .dir
            .as_ref()
            .map(|d| d.join(REPORTS_FILE))
            .filter(|p| p.is_file())
    });
    if let Some(path) = reports_path {
        z.reports = parse_reports(
            &path.display().to_string(),
            &read_text(&path)?,
            &z.measures,
            &z.projects,
        )?;
    }
    Ok(z)
}

fn load(spec: &str) -> anyhow::Result<PlanZone> {
    let loaded = ecociv_data::load_zone(spec)?;
    let code = loaded.zone.profile.code.clone();
    let (measures, projects, ledger) = match &loaded.dir {
        Some(dir) => {
            let read = |name: &str| {
                std::fs::read_to_string(dir.join(name))
                    .map_err(|e| anyhow::anyhow!("{}: {e} (cannot read)", dir.join(name).display()))
            };
            let (m, p) = ecociv_plan::bundled::load(
                &dir.display().to_string(),
                &read("measures.toml")?,
                &read("key_projects.toml")?,
            )?;
            let ledger_path = dir.join(LEDGER_FILE);
            let ledger = if ledger_path.is_file() {
                parse_ledger(&ledger_path.display().to_string(), &read(LEDGER_FILE)?, &p)?
            } else {
                Vec::new()
            };
            (m, p, ledger)
        }
        None => {
            let (m, p) = ecociv_plan::bundled::zone(&code).ok_or_else(|| {
                anyhow::anyhow!("内置区域 {code} 没有规划措施数据 (no plan data for this bundled zone)")
            })??;
            (m, p, Vec::new())
        }
    };
    Ok(PlanZone {
        code,
        name: loaded.zone.profile.name.clone(),
        measures,
        projects,
        ledger,
        reports: ReportBook::new(),
        loaded,
    })
}

fn today(arg: Option<&str>) -> anyhow::Result<Date> {
    match arg {
        Some(text) => Date::parse(text).map_err(|e| anyhow::anyhow!("--today: {e}")),
        None => {
            let today = ecociv_store::clock::today();
            Ok(Date {
                year: today.year,
                month: today.month,
                day: today.day,
            })
        }
    }
}

fn print(text: &str) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// The early warning's alerts, each row's state, and each row's lead departments
/// (`ecociv_plan::signals`, toward the first target year from `year`, 2025 or 2030).
type Warning = (Vec<RowAlert>, Vec<(String, RowState)>, Vec<(String, Vec<String>)>);

fn warning(z: &PlanZone, year: i32) -> Warning {
    let target_year = ecociv_plan::signals::target_year(year);
    let progress = zone_progress(&z.loaded.framework, &z.loaded.zone, target_year);
    let s = ecociv_plan::signals::from_progress(&progress, target_year);
    (s.alerts, s.states, s.leads)
}

pub fn run(command: PlanCommand) -> anyhow::Result<ExitCode> {
    match command {
        PlanCommand::Measures(a) => measures(a),
        PlanCommand::Projects(a) => projects(a),
        PlanCommand::Supervision(a) => supervision(a),
        PlanCommand::Scores(a) => scores(a),
        PlanCommand::ExportTasks(a) => {
            let z = load(&a.zone)?;
            let bytes = ecociv_report::plan::task_breakdown(&z.name, &z.measures, a.department.as_deref())?;
            write_atomically(&a.out, &bytes)?;
            println!("已写出 {}（{} 字节） (written)", a.out.display(), bytes.len());
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::ExportProjects(a) => {
            let z = load_with(&a.zone, a.ledger.as_deref(), a.reports.as_deref())?;
            let spent: BTreeMap<String, WanYuan> = z
                .ledger
                .iter()
                .map(|e| (e.project.clone(), z.reports.approved_spend_through(&e.project, 9999)))
                .filter(|(_, a)| a.0 != 0)
                .collect();
            let bytes = ecociv_report::plan::project_ledger(&z.name, &z.code, &z.projects, &z.ledger, &spent)?;
            write_atomically(&a.out, &bytes)?;
            println!("已写出 {}（{} 字节） (written)", a.out.display(), bytes.len());
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::ImportProjects(a) => import(a),
    }
}

fn measures(a: ViewArgs) -> anyhow::Result<ExitCode> {
    let z = load_with(&a.zone, a.ledger.as_deref(), a.reports.as_deref())?;
    let chosen: Vec<_> = z
        .measures
        .measures
        .iter()
        .filter(|m| a.department.as_deref().is_none_or(|d| m.involves(d)))
        .collect();
    if chosen.is_empty() {
        anyhow::bail!(
            "没有“{}”牵头或配合的措施 (no measure for this department)",
            a.department.unwrap_or_default()
        );
    }
    if a.format == Format::Json {
        return print(&format!("{}\n", serde_json::to_string_pretty(&chosen)?));
    }
    let rows: Vec<Vec<String>> = chosen
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                clip(&m.title, 30),
                clip(&ecociv_report::plan::lead_cell(&m.lead, m.lead_basis), 34),
                clip(&m.cooperating.join("、"), 20),
                m.deadline_label(),
                m.rows.join("、"),
            ]
        })
        .collect();
    let mut out = render(&["编号", "措施", "牵头单位", "配合单位", "完成时限", "对应指标"], &rows);
    out.push_str(&format!("\n共 {} 项措施（{}）\n", chosen.len(), z.measures.source));
    print(&out)
}

fn projects(a: ViewArgs) -> anyhow::Result<ExitCode> {
    let z = load_with(&a.zone, a.ledger.as_deref(), a.reports.as_deref())?;
    if a.format == Format::Json {
        let value = serde_json::json!({ "projects": z.projects, "ledger": z.ledger });
        return print(&format!("{}\n", serde_json::to_string_pretty(&value)?));
    }
    let mut rows = Vec::new();
    for c in &z.projects.categories {
        for p in &c.projects {
            let entry = z.ledger.iter().find(|e| e.project == p.id);
            rows.push(vec![
                p.id.clone(),
                c.name.clone(),
                clip(&p.name, 40),
                entry
                    .map(|e| e.responsible.clone())
                    .unwrap_or_else(|| "（未填报）".into()),
                entry
                    .map(|e| format!("{}–{}", e.start_year, e.end_year))
                    .unwrap_or_default(),
                entry.map(|e| e.estimated.to_string()).unwrap_or_default(),
            ]);
        }
    }
    let mut out = render(
        &["编号", "类别", "项目名称", "责任单位", "起止年份", "估算投资（万元）"],
        &rows,
    );
    out.push('\n');
    let cats: Vec<Vec<String>> = z
        .projects
        .categories
        .iter()
        .map(|c| {
            let entered = WanYuan::sum(
                z.ledger
                    .iter()
                    .filter(|e| e.project.starts_with(&format!("{}.", c.number)))
                    .map(|e| &e.estimated),
            );
            vec![
                c.name.clone(),
                c.count.to_string(),
                c.projects.len().to_string(),
                c.investment.to_string(),
                entered.to_string(),
            ]
        })
        .collect();
    out.push_str(&render(
        &[
            "类别",
            "规划项目数",
            "列出名称数",
            "规划投资（万元）",
            "已填估算（万元）",
        ],
        &cats,
    ));
    out.push_str(&format!(
        "合计：规划 {} 项，{} 万元\n\n数据质量说明（规划原文的不一致，未作更正）：\n",
        z.projects.total_count, z.projects.total_investment
    ));
    for q in &z.projects.quality {
        out.push_str(&format!("  {} {}\n", q.id, q.text));
    }
    print(&out)
}

fn supervision(a: ViewArgs) -> anyhow::Result<ExitCode> {
    let z = load_with(&a.zone, a.ledger.as_deref(), a.reports.as_deref())?;
    let today = today(a.today.as_deref())?;
    let rules = SupervisionRules::default_rules();
    let (alerts, _, leads) = warning(&z, today.year);
    let office = "城中生态环境局";
    let input = SupervisionInput {
        measures: &z.measures,
        projects: &z.projects,
        ledger: &z.ledger,
        reports: &z.reports,
        alerts: &alerts,
        // The disclosure register lives in the database (the server's supervision board reads it).
        disclosures: &[],
        row_leads: &leads,
        office,
        today,
    };
    let findings: Vec<_> = evaluate(&rules, &input)
        .into_iter()
        .filter(|f| a.department.as_deref().is_none_or(|d| f.owner == d))
        .collect();
    let mut board = Board::default();
    board.reconcile(&rules, &findings, today, "ecociv");
    if a.format == Format::Json {
        return print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&serde_json::json!({ "today": today, "items": board.items }))?
        ));
    }
    let rows: Vec<Vec<String>> = board
        .items
        .iter()
        .map(|i| {
            let rule = rules
                .rules
                .iter()
                .find(|r| Some(&r.id) == i.rule.as_ref())
                .map(|r| r.name.clone())
                .unwrap_or_default();
            let reason = i
                .events
                .first()
                .map(|e| match &e.kind {
                    ecociv_plan::supervision::EventKind::Opened { reason } => reason.clone(),
                    _ => String::new(),
                })
                .unwrap_or_default();
            vec![rule, i.owner.clone(), i.due.to_string(), clip(&reason, 70)]
        })
        .collect();
    let mut out = render(&["督办规则", "责任单位", "办结期限", "事由"], &rows);
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for i in &board.items {
        let name = rules
            .rules
            .iter()
            .find(|r| Some(&r.id) == i.rule.as_ref())
            .map(|r| r.name.clone());
        *by_rule.entry(name.unwrap_or_else(|| "手工事项".into())).or_default() += 1;
    }
    out.push_str(&format!(
        "\n{today} 共 {} 项督办事项（{}）。命令行不保存督办台账：以上为按规则、项目台账、进展报告（{} 条）和指标预警应立的事项。\n",
        board.items.len(),
        by_rule.iter().map(|(k, v)| format!("{k} {v} 项")).collect::<Vec<_>>().join("，"),
        z.reports.revisions().len()
    ));
    print(&out)
}

fn scores(a: ViewArgs) -> anyhow::Result<ExitCode> {
    let z = load_with(&a.zone, a.ledger.as_deref(), a.reports.as_deref())?;
    let today = today(a.today.as_deref())?;
    let year = a.year.unwrap_or(today.year);
    let rules = SupervisionRules::default_rules();
    let score_rules = ScoreRules::default_rules();
    let (alerts, states, leads) = warning(&z, year);
    let input = SupervisionInput {
        measures: &z.measures,
        projects: &z.projects,
        ledger: &z.ledger,
        reports: &z.reports,
        alerts: &alerts,
        // The disclosure register lives in the database (the server's supervision board reads it).
        disclosures: &[],
        row_leads: &leads,
        office: "城中生态环境局",
        today,
    };
    let mut board = Board::default();
    board.reconcile(&rules, &evaluate(&rules, &input), today, "ecociv");
    let mut units = ecociv_plan::signals::scored_units(&z.measures, &leads);
    if let Some(d) = &a.department {
        if !units.contains(d) {
            anyhow::bail!(
                "“{d}”不是规划中的牵头单位；可选：{} (not a lead unit)",
                units.join("、")
            );
        }
        units = vec![d.clone()];
    }
    let cards: Vec<_> = units
        .iter()
        .map(|d| {
            score(
                &score_rules,
                &ScoreInput {
                    department: d,
                    year,
                    today,
                    measures: &z.measures,
                    ledger: &z.ledger,
                    reports: &z.reports,
                    supervision: &rules,
                    board: &board,
                    row_leads: &leads,
                    rows: &states,
                },
            )
        })
        .collect();
    if a.format == Format::Json {
        return print(&format!("{}\n", serde_json::to_string_pretty(&cards)?));
    }
    let mut out = String::new();
    for c in &cards {
        out.push_str(&format!(
            "{}  {}年  得分 {}.{:02}\n",
            c.department,
            c.year,
            c.score_x100 / 100,
            c.score_x100 % 100
        ));
        for line in &c.explanation {
            out.push_str(&format!("  {line}\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "依据进展报告 {} 条（区域目录的 progress_reports.toml 或 --reports）；计分规则为默认值，见 ecociv-plan/data/scorecard.toml。\n",
        z.reports.revisions().len()
    ));
    print(&out)
}

fn import(a: ImportArgs) -> anyhow::Result<ExitCode> {
    if !a.zone.is_dir() {
        anyhow::bail!(
            "{} 不是区域目录；内置区域不能写入，请先复制为目录 (not a zone directory)",
            a.zone.display()
        );
    }
    let z = load(&a.zone.display().to_string())?;
    let bytes = std::fs::read(&a.file).map_err(|e| anyhow::anyhow!("{}: {e}", a.file.display()))?;
    let name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let entries =
        ecociv_report::plan::import_ledger(&bytes, &name, &z.code, &z.projects).map_err(|e| anyhow::anyhow!("{e}"))?;
    let text = ledger_to_toml(&entries);
    let path: &Path = &a.zone.join(LEDGER_FILE);
    // Read back through the same parser before replacing the file.
    parse_ledger(&path.display().to_string(), &text, &z.projects)?;
    write_atomically(path, text.as_bytes())?;
    println!(
        "已导入 {} 个项目的台账，写入 {} (imported)",
        entries.len(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
