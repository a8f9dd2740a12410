//! `ecociv template export|import`: department templates. Export writes one department's rows for a year
//! as an xlsx to fill in; import validates every cell of a filled file (all or nothing) and appends the
//! accepted values to the zone directory's `values.csv`, recording the file as their source.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ecociv_report::template::{self, Imported, assigned_text, value_text};

use crate::cmd::report::write_atomically;

#[derive(clap::Subcommand)]
pub enum TemplateCommand {
    /// 导出部门填报模板 (export a department's template for a year)
    Export(ExportArgs),
    /// 导入已填写的模板，写入区域目录的 values.csv (import a filled template into the zone's values.csv)
    Import(ImportArgs),
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// 区域目录或内置区域代码 (a zone directory, or a bundled zone code)
    #[arg(long)]
    pub zone: String,
    /// 牵头部门名称，与 zone.toml 的 lead 一致 (the department, as named in zone.toml's lead lists)
    #[arg(long)]
    pub department: String,
    /// 填报年份 (the year to fill in)
    #[arg(long, value_parser = crate::cmd::year_arg)]
    pub year: i32,
    /// 输出的 xlsx 文件 (the xlsx to write)
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// 区域目录（内置区域只读） (a zone directory; bundled zones are read-only)
    #[arg(long)]
    pub zone: PathBuf,
    /// 已填写的模板 (the filled template)
    #[arg(long)]
    pub file: PathBuf,
    /// 只校验，不写入 (validate only, write nothing)
    #[arg(long)]
    pub check: bool,
}

pub fn run(command: TemplateCommand) -> anyhow::Result<ExitCode> {
    match command {
        TemplateCommand::Export(args) => export(args),
        TemplateCommand::Import(args) => import(args),
    }
}

fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let loaded = ecociv_data::load_zone(&args.zone)?;
    let bytes = template::export(&loaded.framework, &loaded.zone, &args.department, args.year)?;
    write_atomically(&args.out, &bytes)?;
    println!(
        "已写出 {}：{} {}年填报模板 (template written)",
        args.out.display(),
        args.department,
        args.year
    );
    Ok(ExitCode::SUCCESS)
}

/// The columns a new values file gets.
const NEW_HEADER: &str = "indicator,year,value,assigned,recorded,source";

fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.zone;
    if !dir.is_dir() {
        let spec = dir.display().to_string();
        if ecociv_data::bundled::zone(&spec).is_some() {
            anyhow::bail!(
                "内置区域 {spec} 是只读的，不能导入；请把 data/zones/{spec} 复制为一个目录，再用 --zone 指向该目录 \
                 (bundled zones are read-only: copy the zone to a directory first)"
            );
        }
        anyhow::bail!("区域目录不存在：{spec} (zone directory not found)");
    }
    let loaded = ecociv_data::load_zone(&dir.display().to_string())?;
    let bytes = std::fs::read(&args.file)
        .map_err(|error| anyhow::anyhow!("无法读取 {}：{error} (cannot read)", args.file.display()))?;
    let evidence_name = args.file.display().to_string();
    let imported = template::import(&loaded.framework, &loaded.zone, &bytes, &evidence_name)?;

    let values_path = dir.join("values.csv");
    // Read-validate-append-rename under an exclusive lock, so two imports at once cannot both start from
    // the same ledger and drop each other's lines. The lock is a separate file: the rename replaces
    // values.csv itself. It is released when `_lock` is dropped at the end of this function.
    let lock_path = dir.join(".values.csv.lock");
    let _lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|error| {
            anyhow::anyhow!(
                "无法创建锁文件 {}：{error} (cannot create the lock file)",
                lock_path.display()
            )
        })?;
    _lock
        .lock()
        .map_err(|error| anyhow::anyhow!("无法锁定 {}：{error} (cannot lock)", lock_path.display()))?;
    let existing = match std::fs::read(&values_path) {
        Ok(bytes) => Some(
            String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("{} 不是 UTF-8 文本 (not UTF-8)", values_path.display()))?,
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => anyhow::bail!("无法读取 {}：{error}", values_path.display()),
    };
    // A value equal to the one in force for its (row, year) is no new revision: re-importing the same file
    // appends nothing (the ledger would otherwise grow with copies).
    let (imported, unchanged) = without_unchanged(imported, existing.as_deref(), &values_path, &loaded.framework)?;
    if imported.values.is_empty() {
        println!(
            "模板中的 {unchanged} 个数值与已记录的数值相同，未写入 (identical to the values on record; nothing written)"
        );
        return Ok(ExitCode::SUCCESS);
    }
    if unchanged > 0 {
        println!("{unchanged} 个数值与已记录的数值相同，跳过 (unchanged values skipped)");
    }
    let text = compose(&values_path, existing.as_deref(), &imported, &loaded.framework)?;
    if args.check {
        println!(
            "校验通过：{} 个数值可导入（未写入，--check） (valid; nothing written)",
            imported.values.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    write_atomically(&values_path, text.as_bytes())?;
    println!(
        "已导入 {} 个数值（{}，{}年）到 {}；来源记为 {} (imported)",
        imported.values.len(),
        imported.department,
        imported.year,
        values_path.display(),
        args.file.display()
    );
    for value in &imported.values {
        println!(
            "  {} {} = {}",
            value.cell,
            value.observation.row,
            value.observation.value.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The imported values without those equal (value and assigned value) to the value in force for their (row,
/// year) in the ledger `existing`, and how many were dropped.
fn without_unchanged(
    mut imported: Imported,
    existing: Option<&str>,
    path: &Path,
    framework: &ecociv_core::Framework,
) -> anyhow::Result<(Imported, usize)> {
    let Some(existing) = existing else {
        return Ok((imported, 0));
    };
    let ledger = ecociv_data::values::parse_ledger(&path.display().to_string(), existing, framework)?;
    // The latest line for a (row, year) is the value in force.
    let in_force: BTreeMap<(&str, i32), &ecociv_core::Observation> = ledger
        .iter()
        .map(|observation| ((observation.row.as_str(), observation.year), observation))
        .collect();
    let before = imported.values.len();
    imported.values.retain(|value| {
        let new = &value.observation;
        !in_force
            .get(&(new.row.as_str(), new.year))
            .is_some_and(|old| old.value == new.value && old.assigned == new.assigned)
    });
    let dropped = before - imported.values.len();
    Ok((imported, dropped))
}

/// The new text of the values file: the existing bytes unchanged, then one line per imported value in
/// the file's own column order. The values file is the zone's append-only ledger: a value for a (row,
/// year) already on record is a new revision (a later line), never an edit of the earlier line, and the
/// whole result is validated with the same parser that loads it.
fn compose(
    path: &Path,
    existing: Option<&str>,
    imported: &Imported,
    framework: &ecociv_core::Framework,
) -> anyhow::Result<String> {
    let name = path.display().to_string();
    let mut text = existing
        .map(str::to_string)
        .unwrap_or_else(|| format!("{NEW_HEADER}\n"));
    ecociv_data::values::parse_ledger(&name, &text, framework)?;
    let header_text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(header_text.as_bytes());
    let columns: Vec<String> = reader.headers()?.iter().map(|h| h.trim().to_string()).collect();
    if !columns.iter().any(|c| c == "source") {
        anyhow::bail!("{name} 没有 source 列，无法记录数据来源；请先加上该列 (the values file needs a source column)");
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    for value in &imported.values {
        let observation = &value.observation;
        let mut source = observation.source.describe();
        if !value.note.is_empty() {
            source.push_str("；说明：");
            source.push_str(&value.note);
        }
        let cells: BTreeMap<&str, String> = [
            ("indicator", observation.row.clone()),
            ("year", observation.year.to_string()),
            ("value", value_text(&observation.value)),
            ("assigned", assigned_text(observation.assigned.as_ref())),
            ("recorded", String::new()),
            ("source", source),
        ]
        .into_iter()
        .collect();
        let record: Vec<String> = columns
            .iter()
            .map(|column| cells.get(column.as_str()).cloned().unwrap_or_default())
            .collect();
        writer.write_record(&record)?;
    }
    let lines = String::from_utf8(writer.into_inner().map_err(|error| anyhow::anyhow!("{error}"))?)?;
    text.push_str(&lines);
    // The result must load like any values file.
    ecociv_data::values::parse_ledger(&name, &text, framework)?;
    Ok(text)
}
