//! The `tyndau` binary: a thin shell over `tyndau_web::Application`.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use tyndau_web::{Application, Config};

mod sample;

// glibc's allocator showed up at ~12% of the registration writer's time; mimalloc is cheaper
// for the many small short-lived allocations of request handling and SQL binding.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "tyndau",
    version,
    about = "Tyndau: the appeals one-window of a listening state"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// Apply database migrations and load reference data, then exit.
    Migrate(CommonArgs),
    /// Load the demonstration data set into an empty database, then exit.
    Demo(CommonArgs),
    /// Register N appeals resampled from a JSONL file of real appeals (benchmarks at volume).
    LoadSample(LoadSampleArgs),
    /// Text analytics that need no database.
    #[command(subcommand)]
    Analytics(AnalyticsCommand),
}

#[derive(Subcommand)]
enum AnalyticsCommand {
    /// Train a classifier on one JSONL file of appeals (plain or gzip), predict another, and
    /// print a JSON line: accuracy, macro-F1, training time, predictions per second.
    Evaluate(EvaluateArgs),
}

#[derive(Args)]
struct EvaluateArgs {
    #[arg(long)]
    train: PathBuf,
    #[arg(long)]
    test: PathBuf,
    /// category, topic or responsible_org.
    #[arg(long)]
    label: tyndau_analytics::eval::LabelField,
}

#[derive(Args)]
struct LoadSampleArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// JSONL of appeals in the St Petersburg portal's format (plain or gzip).
    #[arg(long)]
    file: PathBuf,
    #[arg(long, default_value_t = 100_000)]
    count: usize,
}

#[derive(Args)]
struct CommonArgs {
    /// TOML configuration file (keys as in tyndau.example.toml).
    #[arg(long, env = "TYNDAU_CONFIG")]
    config: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB; default: SQLite under the data directory.
    #[arg(long, env = "TYNDAU_DATABASE_URL")]
    database_url: Option<String>,
    #[arg(long, env = "TYNDAU_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "TYNDAU_BIND")]
    bind: Option<String>,
    /// Load demonstration data into an empty database at start.
    #[arg(long, env = "TYNDAU_DEMO")]
    demo: bool,
}

fn load_config(c: &CommonArgs) -> anyhow::Result<Config> {
    let mut config: Config = match &c.config {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            toml::from_str(&text).with_context(|| format!("parsing {}", p.display()))?
        }
        None => Config::default(),
    };
    if let Some(u) = &c.database_url {
        config.database_url = Some(u.clone());
    }
    if let Some(d) = &c.data_dir {
        config.data_dir = d.clone();
    }
    if let Ok(h) = std::env::var("TYNDAU_SMTP_HOST") {
        let port = std::env::var("TYNDAU_SMTP_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(25);
        let from = std::env::var("TYNDAU_SMTP_FROM")
            .unwrap_or_else(|_| "Tyndau <no-reply@tyndau.local>".into());
        config.smtp = Some(tyndau_web::config::SmtpConfig {
            host: h,
            port,
            from,
            username: None,
            password: None,
        });
    }
    Ok(config)
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TYNDAU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(a) => {
            let mut config = load_config(&a.common)?;
            if let Some(b) = a.bind {
                config.bind = b;
            }
            config.demo |= a.demo;
            init_logs(&config.log_format);
            let app = Application::build(config).await?;
            app.run_until(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
        }
        Command::Migrate(a) => {
            let mut config = load_config(&a)?;
            init_logs(&config.log_format);
            config.bind = "127.0.0.1:0".into();
            config.monitor_interval_secs = 0;
            config.hidden_services.check_secs = 0;
            Application::build(config).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Demo(a) => {
            let mut config = load_config(&a)?;
            init_logs(&config.log_format);
            config.bind = "127.0.0.1:0".into();
            config.monitor_interval_secs = 0;
            config.hidden_services.check_secs = 0;
            config.demo = true;
            Application::build(config).await?;
            Ok(())
        }
        Command::LoadSample(a) => {
            let mut config = load_config(&a.common)?;
            init_logs(&config.log_format);
            config.bind = "127.0.0.1:0".into();
            config.monitor_interval_secs = 0;
            config.hidden_services.check_secs = 0;
            let app = Application::build(config).await?;
            let (n, rate) = sample::load(&app.state, &a.file, a.count).await?;
            println!("{{\"registered\":{n},\"per_second\":{rate:.0}}}");
            Ok(())
        }
        Command::Analytics(AnalyticsCommand::Evaluate(a)) => {
            let report =
                tyndau_analytics::eval::run(&a.train, &a.test, a.label, &mut std::io::stderr())?;
            println!("{}", serde_json::to_string(&report)?);
            Ok(())
        }
    }
}
