//! Subcommands: serve, user add, demo, export, import, check, migrate, backup.
use anyhow::{bail, Context};
use app::model::user::{check_password, parse_username, Role};
use app::server::{auth, db, demo, secrets, AppState};
use clap::{Args, Parser, Subcommand};
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::config;

#[derive(Parser, Debug)]
#[command(
    name = "owlery",
    version,
    about = "The console for co-admins of a small self-hosted cluster"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct DataDir {
    /// Directory holding the database (created if missing).
    #[arg(long = "data", env = "OWLERY_DATA", default_value = "./data")]
    pub path: PathBuf,
}

/// How much job output is kept.
#[derive(Args, Debug, Clone)]
pub struct JobLimits {
    /// Output kept per host and job, in MiB; the rest is cut with a visible mark.
    #[arg(
        long = "job-output-cap-mib",
        env = "OWLERY_JOB_OUTPUT_CAP_MIB",
        default_value_t = 16
    )]
    pub output_cap_mib: u64,
    /// Jobs that ended more than this many days ago are removed with their output.
    #[arg(
        long = "job-retention-days",
        env = "OWLERY_JOB_RETENTION_DAYS",
        default_value_t = 90
    )]
    pub retention_days: i64,
    /// All jobs' stored output together, in MiB; beyond it the oldest jobs are removed.
    #[arg(
        long = "job-log-budget-mib",
        env = "OWLERY_JOB_LOG_BUDGET_MIB",
        default_value_t = 1024
    )]
    pub log_budget_mib: i64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web console.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "OWLERY_BIND", default_value = "127.0.0.1:3000")]
        bind: SocketAddr,
        /// Directory with the compiled site (wasm, js, css).
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site: PathBuf,
        /// Owlery is reached over https (behind a TLS proxy): mark cookies Secure, send HSTS.
        #[arg(long, env = "OWLERY_HTTPS")]
        https: bool,
        /// The master key file (32 bytes, mode 0600) that seals stored secrets; without
        /// it, `master.key` in the data directory, created on first run.
        #[arg(long, env = "OWLERY_MASTER_KEY_FILE")]
        master_key_file: Option<PathBuf>,
        #[command(flatten)]
        jobs: JobLimits,
        #[command(flatten)]
        data: DataDir,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load the reference cluster of the article (idempotent).
    Demo {
        #[command(flatten)]
        data: DataDir,
    },
    /// Write the whole inventory as one TOML file (no secret values).
    Export {
        /// The file to write; standard output without it.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        data: DataDir,
    },
    /// Make the inventory what a TOML file says: shows every change first, and applies
    /// them in one transaction when confirmed.
    Import {
        file: PathBuf,
        /// Apply without asking.
        #[arg(long)]
        yes: bool,
        /// Keep the objects the file does not list (else the file is the whole inventory
        /// and they are removed).
        #[arg(long)]
        keep_unlisted: bool,
        #[command(flatten)]
        data: DataDir,
    },
    /// Check the inventory (and an env file) for misconfiguration; exit code 1 when an
    /// error is found.
    Check {
        /// A Mastodon `.env.production` to lint on its own and against the inventory.
        #[arg(long)]
        env: Option<PathBuf>,
        /// The output of `nginx -T`: HSTS is compared across the virtual hosts of a domain.
        #[arg(long)]
        nginx: Option<PathBuf>,
        #[command(flatten)]
        data: DataDir,
    },
    /// Create the database if needed and apply pending migrations.
    Migrate {
        #[command(flatten)]
        data: DataDir,
    },
    /// Copy the database to a new file while the server runs (the master key is not in it).
    Backup {
        /// The file to create; refused if it exists.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user.
    Add {
        name: String,
        #[arg(long, default_value = "viewer")]
        role: String,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        data: DataDir,
    },
}

pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("OWLERY_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

async fn open(data: &DataDir) -> anyhow::Result<sqlx::SqlitePool> {
    config::ensure_data_dir(&data.path)?;
    db::open(&config::database_path(&data.path)).await
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            bind,
            site,
            https,
            master_key_file,
            jobs,
            data,
        } => {
            let pool = open(&data).await?;
            let master_key = secrets::master_key_for(&data.path, master_key_file.as_deref(), &pool).await?;
            let interrupted = app::server::jobs::store::mark_interrupted(&pool)
                .await
                .map_err(|e| anyhow::anyhow!("marking interrupted jobs: {e}"))?;
            if interrupted > 0 {
                tracing::warn!(interrupted, "jobs were running when the server last stopped");
            }
            app::server::runbooks::startup(&pool)
                .await
                .map_err(|e| anyhow::anyhow!("loading runbooks and resuming runs: {e}"))?;
            let settings = app::server::state::Settings {
                secure_cookies: https,
                job_retention_days: jobs.retention_days,
                job_log_budget_bytes: jobs.log_budget_mib.saturating_mul(1024 * 1024),
                ..Default::default()
            };
            let state = AppState {
                leptos_options: config::leptos_options(&site, bind),
                db: pool,
                settings: std::sync::Arc::new(settings),
                setup: Default::default(),
                master_key: std::sync::Arc::new(master_key),
                jobs: std::sync::Arc::new(app::server::jobs::Jobs::new(
                    app::server::ssh::RusshRemote::default(),
                    jobs.output_cap_mib.saturating_mul(1024 * 1024),
                )),
                streams: Default::default(),
            };
            crate::startup::serve(state, bind).await
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    password_stdin,
                    data,
                },
        } => {
            let username = parse_username(&name).map_err(|e| anyhow::anyhow!("username: {e}"))?;
            let role = Role::parse(&role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            if !password_stdin {
                bail!("give the password on standard input with --password-stdin");
            }
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password")?;
            let password = password.lines().next().unwrap_or_default().to_owned();
            check_password(&password).map_err(|e| anyhow::anyhow!("password: {e}"))?;
            let pool = open(&data).await?;
            let hash = auth::hash_password(password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            db::users::create(&pool, &username, &hash, role)
                .await
                .map_err(|e| {
                    anyhow::anyhow!("{}", e.field_message("username").unwrap_or_else(|| e.to_string()))
                })?;
            println!("added {username} ({role})");
            Ok(())
        }
        Command::Demo { data } => {
            let pool = open(&data).await?;
            let added = demo::load(&pool)
                .await
                .map_err(|e| anyhow::anyhow!("loading the demo: {e}"))?;
            println!("demo: {added} hosts added (the reference cluster: iris, hermes, hedwig, becblanche)");
            Ok(())
        }
        Command::Export { out, data } => {
            crate::inventory_cli::export(&open(&data).await?, out.as_deref()).await
        }
        Command::Import {
            file,
            yes,
            keep_unlisted,
            data,
        } => crate::inventory_cli::import(&open(&data).await?, &file, yes, keep_unlisted).await,
        Command::Check { env, nginx, data } => {
            crate::check_cli::check(&open(&data).await?, &data.path, env.as_deref(), nginx.as_deref()).await
        }
        Command::Migrate { data } => {
            open(&data).await?;
            println!(
                "database {} is up to date",
                config::database_path(&data.path).display()
            );
            Ok(())
        }
        Command::Backup { out, data } => {
            let size = crate::backup::backup(&config::database_path(&data.path), &out).await?;
            println!(
                "backed up the database to {} ({size} bytes); it holds secrets sealed under the \
                 master key, which is not in it: back up {} (or your OWLERY_MASTER_KEY_FILE) separately",
                out.display(),
                secrets::key_file::key_path(&data.path, None).display()
            );
            Ok(())
        }
    }
}
