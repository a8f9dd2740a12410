//! `ecociv admin`: account administration from the command line — above all the first administrator,
//! since the server has no default password.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::{Context, bail};
use ecociv_server::auth::{check_password_strength, hash_password};
use ecociv_store::{Role, Store};

#[derive(clap::Subcommand)]
pub enum AdminCommand {
    /// 创建账号（首个管理员用 --admin） (create an account; --admin for an administrator)
    CreateUser(CreateUser),
}

#[derive(clap::Args)]
pub struct CreateUser {
    /// 数据库地址 (database URL)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
    /// 用户名 (username)
    #[arg(long)]
    pub username: String,
    /// 显示名 (display name; default: the username)
    #[arg(long)]
    pub display_name: Option<String>,
    /// 系统管理员 (administrator)
    #[arg(long)]
    pub admin: bool,
    /// 区域代码：与 --role 一起授予区域角色 (zone code, with --role)
    #[arg(long, requires = "role")]
    pub zone: Option<String>,
    /// 区域角色 reviewer | editor | viewer (role in the zone)
    #[arg(long, requires = "zone")]
    pub role: Option<String>,
    /// 填报员所属部门名称 (the editor's department, by name)
    #[arg(long)]
    pub department: Option<String>,
    /// 从标准输入读取密码（一行），而不是提示输入 (read the password from stdin, one line)
    #[arg(long)]
    pub password_stdin: bool,
}

pub fn run(command: AdminCommand) -> anyhow::Result<ExitCode> {
    match command {
        AdminCommand::CreateUser(args) => create_user(args),
    }
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("密码 (password): ").context("reading the password")?;
    let second = rpassword::prompt_password("再次输入 (again): ").context("reading the password")?;
    if first != second {
        bail!("两次输入的密码不一致 (the passwords differ)");
    }
    Ok(first)
}

fn create_user(args: CreateUser) -> anyhow::Result<ExitCode> {
    let password = read_password(args.password_stdin)?;
    check_password_strength(&password).map_err(|error| anyhow::anyhow!(error.message))?;
    let hash = hash_password(&password).map_err(|error| anyhow::anyhow!(error.message))?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let store = Store::open(&args.db)
            .await
            .with_context(|| format!("打开数据库 {} (opening the database)", args.db))?;
        let role = match &args.role {
            Some(role) => Some(
                Role::parse(role).with_context(|| format!("角色应为 reviewer、editor 或 viewer，而不是“{role}”"))?,
            ),
            None => None,
        };
        let department = match (&args.zone, &args.department) {
            (Some(zone), Some(name)) => Some(
                store
                    .departments(zone)
                    .await?
                    .into_iter()
                    .find(|d| &d.name == name)
                    .with_context(|| format!("区域 {zone} 没有部门“{name}” (no such department)"))?
                    .id,
            ),
            _ => None,
        };
        if let Some(zone) = &args.zone
            && store.zone(zone).await?.is_none()
        {
            bail!("区域 {zone} 不存在 (no such zone)");
        }
        let display_name = args.display_name.clone().unwrap_or_else(|| args.username.clone());
        let user = store
            .create_user(&args.username, &display_name, &hash, args.admin)
            .await?;
        if let (Some(zone), Some(role)) = (&args.zone, role) {
            store
                .set_membership(zone, &user.id, role, department.as_deref())
                .await?;
        }
        println!(
            "已创建账号 {}{} (account created)",
            user.username,
            if user.is_admin { "（管理员）" } else { "" }
        );
        Ok(ExitCode::SUCCESS)
    })
}
