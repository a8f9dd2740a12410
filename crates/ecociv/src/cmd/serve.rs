//! `ecociv serve`: the multi-user server over a SQLite file (default) or PostgreSQL.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;
use ecociv_server::{AppState, Config, app, demo};
use ecociv_store::Store;

#[derive(clap::Args)]
pub struct Args {
    /// 数据库地址：sqlite://文件 或 postgres://… (database URL; the SQLite file is created when missing)
    #[arg(long, default_value = "sqlite://ecociv.sqlite3")]
    pub db: String,
    /// 监听地址 (address to listen on)
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// 载入示例区域（柳州市城中区）和演示账号，密码只显示一次 (load the example zone and demo accounts)
    #[arg(long)]
    pub demo: bool,
    /// Cookie 不加 Secure 标记：仅用于没有 HTTPS 的内网 (cookies without Secure: plain-HTTP intranets only)
    #[arg(long)]
    pub insecure_cookies: bool,
    /// 内存中评估结果缓存上限（MiB，压缩后）(in-memory assessment cache budget, MiB of compressed JSON)
    #[arg(long, default_value_t = 256)]
    pub assessment_cache_mib: usize,
    /// 不在后台预先计算评估结果 (do not fill materialized assessments in the background)
    #[arg(long)]
    pub no_background_assessments: bool,
    /// 其他进程写入的数据在多少毫秒内可见（本服务的写入立即可见；0 = 每次请求都查数据库）
    /// (how soon, in ms, writes by another process are seen; this server's own writes are seen at once)
    #[arg(long, default_value_t = 1000)]
    pub zone_state_max_age_ms: u64,
    /// 每个客户端地址每 10 分钟可提交的公众问卷份数 (public survey submissions per client address per 10 minutes)
    #[arg(long, default_value_t = 30)]
    pub survey_submissions_per_address: u32,
    /// 日志级别与过滤，默认 info；也可用环境变量 ECOCIV_LOG (log filter, `tracing-subscriber` syntax, e.g.
    /// `warn` or `info,ecociv_server=debug`; the ECOCIV_LOG variable is used when this is not given)
    #[arg(long)]
    pub log: Option<String>,
    /// 另含台账类型文件（*.toml）的目录：新的台账类型即一个数据文件 (a folder of extra ledger kind files)
    #[arg(long)]
    pub ledger_kinds: Option<std::path::PathBuf>,
    /// 经 API 导入的监测数据文件上限（MiB；先写入临时文件再流式读取）(the largest monitoring file the import route takes, MiB; spooled to a temporary file)
    #[arg(long, default_value_t = ecociv_server::DEFAULT_MAX_MONITORING_UPLOAD_BYTES >> 20)]
    pub max_monitoring_upload_mb: u64,
}

/// The server's log: one line per request (with its id, method, path, status and milliseconds) and every
/// error and background event, on standard error; the filter from `--log`, else `ECOCIV_LOG`, else
/// `info,sqlx=error` (`sqlx=warn` adds the database's slow statements).
fn init_log(filter: Option<&str>) -> anyhow::Result<()> {
    use tracing_subscriber::EnvFilter;
    let filter = match filter {
        Some(text) => {
            EnvFilter::try_new(text).with_context(|| format!("日志过滤 --log {text} 无效 (invalid log filter)"))?
        }
        // sqlx's own lines (every slow statement with its SQL over several lines) only when asked for.
        None => EnvFilter::try_from_env("ECOCIV_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=error")),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .try_init()
        .map_err(|error| anyhow::anyhow!("日志初始化失败 (log setup): {error}"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    init_log(args.log.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("tokio runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open(&args.db)
        .await
        .with_context(|| format!("打开数据库 {} (opening the database)", args.db))?;
    // What a server killed while it stored a monitoring file left (SQLite: no reader ever saw it), removed
    // before requests are taken, so the same file can be imported again at once.
    let removed = store
        .remove_pending_imports()
        .await
        .context("清除未完成的监测数据导入 (removing unfinished monitoring imports)")?;
    if removed > 0 {
        eprintln!("已清除 {removed} 个未完成的监测数据导入 (removed {removed} unfinished monitoring imports)");
    }
    if args.demo {
        match demo::load(&store)
            .await
            .map_err(|error| anyhow::anyhow!(error.message))?
        {
            Some(accounts) => {
                demo::load_monitoring(&store)
                    .await
                    .map_err(|error| anyhow::anyhow!(error.message))?;
                // The SYNTHETIC registers, and the rows they feed for the demo's register year (issue 13).
                demo::load_ledgers(&store)
                    .await
                    .map_err(|error| anyhow::anyhow!(error.message))?;
                // Illustrative (示意) positions of its stations, sections and projects on the map (issue 15).
                demo::load_sites(&store)
                    .await
                    .map_err(|error| anyhow::anyhow!(error.message))?;
                println!(
                    "已载入示例区域 {} 与演示账号；以下密码只显示这一次 (demo loaded; passwords are shown once):",
                    demo::DEMO_ZONE
                );
                for account in accounts {
                    println!("  {:<12} {:<34} {}", account.username, account.role, account.password);
                }
            }
            None => println!(
                "示例区域 {} 已在数据库中，未作改动 (demo zone already present; nothing changed)",
                demo::DEMO_ZONE
            ),
        }
    }
    // The bundled administrative units (data/divisions/), so roles can be granted at a city or province.
    ecociv_server::service::zones::ensure_units(&store)
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    if store.admin_count().await? == 0 {
        eprintln!("提示：尚无管理员账号，请运行 `ecociv admin create-user --admin` (no admin yet)");
    }
    let config = Config {
        secure_cookies: !args.insecure_cookies,
        assessment_cache_bytes: args.assessment_cache_mib.saturating_mul(1024 * 1024),
        zone_head_max_age: std::time::Duration::from_millis(args.zone_state_max_age_ms),
        max_survey_submissions_per_address: args.survey_submissions_per_address,
        ledger_kinds: ledger_kind_files(args.ledger_kinds.as_deref())?,
        max_monitoring_upload_bytes: args.max_monitoring_upload_mb.saturating_mul(1024 * 1024),
        ..Config::default()
    };
    let state = AppState::new(store.clone(), config);
    if args.demo {
        // The demo's monitoring pages, computed once in the background rather than on the first visit.
        for page in [
            ecociv_server::monitoring_results::AIR,
            ecociv_server::monitoring_results::WATER,
        ] {
            state.monitoring.spawn(&state.store, demo::DEMO_ZONE, page);
        }
    }
    if !args.no_background_assessments {
        ecociv_server::assessments::spawn_background(&state);
    }
    // Expired sessions are refused on use; this only keeps the table small. Once an hour, by one instance
    // (the lease outlives the hour's tick a little, so of several instances only the first takes it).
    tokio::spawn(async move {
        let holder = ecociv_store::clock::new_id();
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match store
                .try_lease("purge_sessions", &holder, std::time::Duration::from_secs(3500))
                .await
            {
                Ok(true) => {
                    if let Err(error) = store.purge_sessions().await {
                        eprintln!("清理过期会话失败 (purging sessions failed): {error}");
                    }
                }
                Ok(false) => {}
                Err(error) => eprintln!("清理过期会话失败 (purging sessions failed): {error}"),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("监听 {} (listening)", args.listen))?;
    let address = listener.local_addr()?;
    for warning in ecociv_server::startup_warnings(&state.config, address) {
        eprintln!("{warning}");
    }
    println!(
        "ecociv 服务已启动，请在浏览器中打开 (open in a browser) {}",
        ecociv_server::web_address(address)
    );
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(ExitCode::SUCCESS)
}

/// The `*.toml` files of a folder of ledger kinds, as (file name, text); checked when the server uses them.
fn ledger_kind_files(dir: Option<&std::path::Path>) -> anyhow::Result<Vec<(String, String)>> {
    let Some(dir) = dir else { return Ok(Vec::new()) };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("台账类型目录 {} (ledger kinds folder)", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| Ok((path.display().to_string(), std::fs::read_to_string(&path)?)))
        .collect()
}
