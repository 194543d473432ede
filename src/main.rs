//! `authnode`: the server and its administration commands.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use aggregates::RequestMetadata;
use aggregates::user::{RegistrationMethod, Role};
use anyhow::Context;
use authnode::app::{App, AppError, CommandError, NewUser, open_read_side};
use authnode::config::{Config, LogFormat};
use authnode::crypto::{Keyring, MasterKey};
use authnode::db::Db;
use clap::{Parser, Subcommand};
use projections::Projection;
use zeroize::Zeroizing;

/// Self-hosted, multi-user vault for TOTP/HOTP secrets.
#[derive(Parser, Debug)]
#[command(name = "authnode", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the HTTP server (the default).
    Serve {
        /// Address to listen on (overrides AUTHNODE_LISTEN).
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Create an admin account. The password is read from AUTHNODE_ADMIN_PASSWORD or stdin.
    CreateAdmin {
        /// Email address.
        #[arg(long)]
        email: String,
        /// Username.
        #[arg(long)]
        username: String,
        /// Display name.
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Drop and rebuild read models from the event log.
    Replay {
        /// One projection (users, applications, sessions, settings, audit); all if omitted.
        projection: Option<String>,
    },
    /// Rebuild read models into scratch tables and diff them with the live ones (exit 1 on any difference).
    Verify,
    /// Audit-log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Master-key management.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Fill the store with generated users, vaults and logins (for benchmarks).
    #[command(hide = true)]
    BenchSeed {
        /// Users to create.
        #[arg(long, default_value_t = 1000)]
        users: u64,
        /// Applications per user.
        #[arg(long, default_value_t = 20)]
        apps: u64,
        /// Logins per user.
        #[arg(long, default_value_t = 30)]
        logins: u64,
        /// Concurrent users being created.
        #[arg(long, default_value_t = 4)]
        parallel: u64,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Recompute the hash chain over every event; exit 1 naming the first changed, deleted,
    /// inserted or reordered event.
    Verify,
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Re-wrap every data key under a new master key (no event is rewritten). The new key comes
    /// from AUTHNODE_NEW_MASTER_KEY; in embedded mode without it, one is generated and the key
    /// file replaced.
    Rotate,
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("AUTHNODE_LOG").unwrap_or_else(|_| "info,sqlx=warn".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// mimalloc instead of glibc's malloc: replay and the API allocate many small, short-lived
/// values across threads, where glibc's arenas showed up as a quarter of replay's profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("authnode: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("authnode: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("authnode: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli, config: Config) -> anyhow::Result<ExitCode> {
    match cli.command.unwrap_or(Command::Serve { listen: None }) {
        Command::Serve { listen } => {
            let app = App::open(&config).await?;
            app.project().await;
            let addr = listen.unwrap_or(config.listen);
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
            tracing::info!(address = %listener.local_addr()?, backend = ?app.db.backend, "authnode listening");
            authnode::server::serve(app, config.clone(), listener).await?;
        }
        Command::Migrate => {
            let db = Db::connect(&config.database_url, 2).await?;
            db.migrate().await?;
            println!("migrations applied");
        }
        Command::CreateAdmin { email, username, display_name } => {
            let app = App::open(&config).await?;
            let password = read_password()?;
            // The same rules as every other new password: length and the breached-password list.
            let policy = app.current_settings().await?.password;
            let password = match authnode::app::credentials::new_password("password", password, policy).await {
                Ok(hashed) => hashed,
                Err(AppError::Refused { message, .. }) => anyhow::bail!("{message}"),
                Err(e) => return Err(e.into()),
            };
            let meta = RequestMetadata::cli();
            match app
                .register_user(
                    NewUser {
                        email: &email,
                        username: &username,
                        display_name: display_name.as_deref(),
                        password,
                        role: Role::Admin,
                        method: RegistrationMethod::AdminCreated,
                    },
                    &meta,
                )
                .await
            {
                Ok(id) => println!("created admin {username} ({id})"),
                Err(CommandError::Rejected { message, .. }) => anyhow::bail!("{message}"),
                Err(e) => return Err(e.into()),
            }
        }
        Command::Replay { projection } => {
            let chosen = match projection {
                Some(name) => vec![Projection::from_name(&name)?],
                None => Projection::ALL.to_vec(),
            };
            replay(&open_read_side(&config).await?, &chosen).await?;
        }
        Command::Verify => {
            let db = open_read_side(&config).await?;
            let diffs = projections::verify(&db.pool, db.backend).await?;
            if diffs.is_empty() {
                println!("read models match a rebuild from the event log");
            } else {
                for d in &diffs {
                    println!("table {}:", d.table);
                    for k in d.only_live.iter().take(20) {
                        println!("  - {k}: in the live table, not in the rebuild");
                    }
                    for k in d.only_rebuilt.iter().take(20) {
                        println!("  + {k}: in the rebuild, missing from the live table");
                    }
                    for (k, col, live, rebuilt) in d.changed.iter().take(20) {
                        println!("  ~ {k}.{col}: live {live:?} != rebuilt {rebuilt:?}");
                    }
                }
                return Ok(ExitCode::from(1));
            }
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let db = open_read_side(&config).await?;
            match authnode::store::chain::verify(&db).await {
                Ok(n) => println!("hash chain intact over {n} events"),
                Err(authnode::store::chain::ChainBreak::Db(e)) => anyhow::bail!("database error: {e}"),
                Err(e) => {
                    println!("hash chain broken: {e}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Keys { command: KeysCommand::Rotate } => rotate(&config).await?,
        Command::BenchSeed { users, apps, logins, parallel } => {
            let mut app = App::open(&config).await?;
            Arc::get_mut(&mut app).context("app is shared")?.project_inline = false;
            let started = Instant::now();
            let report = authnode::seed::seed(app.clone(), users, apps, logins, parallel).await?;
            let secs = started.elapsed().as_secs_f64();
            let events = projections::read::progress::log_head(&app.db.pool).await?;
            println!(
                "seeded {} users with {} commands in {secs:.1} s ({:.0} commands/s); the log holds {events} events",
                report.users,
                report.commands,
                report.commands as f64 / secs
            );
            replay(&app.db, &Projection::ALL).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn replay(db: &Db, chosen: &[Projection]) -> anyhow::Result<()> {
    let total = projections::read::progress::log_head(&db.pool).await?;
    let names: Vec<&str> = chosen.iter().map(|p| p.name()).collect();
    let bar = indicatif::ProgressBar::new(u64::try_from(total).unwrap_or(0));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} events ({per_sec}, eta {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(format!("replaying {}", names.join(", ")));
    let started = Instant::now();
    let done = projections::rebuild(&db.pool, db.backend, chosen, |p| bar.set_position(p.events)).await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!("replayed {} events into {} in {secs:.2} s: {:.0} events/s", done.events, names.join(", "), done.events as f64 / secs.max(1e-9));
    Ok(())
}

fn read_password() -> anyhow::Result<Zeroizing<String>> {
    if let Ok(p) = std::env::var("AUTHNODE_ADMIN_PASSWORD") {
        return Ok(Zeroizing::new(p));
    }
    if std::io::stdin().is_terminal() {
        eprint!("password (input is shown; prefer AUTHNODE_ADMIN_PASSWORD or a pipe): ");
    }
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from stdin")?;
    let trimmed = Zeroizing::new(line.trim_end_matches(['\n', '\r']).to_owned());
    anyhow::ensure!(!trimmed.is_empty(), "no password given (set AUTHNODE_ADMIN_PASSWORD or pipe it on stdin)");
    Ok(trimmed)
}

async fn rotate(config: &Config) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url, 2).await?;
    db.migrate().await?;
    match std::env::var("AUTHNODE_NEW_MASTER_KEY") {
        Ok(text) => {
            let new = MasterKey::from_base64(&text).context("AUTHNODE_NEW_MASTER_KEY")?;
            let old = authnode::app::resolve_master_key(config, &db).await?;
            let n = Keyring::rotate(&db, &old, &new).await?;
            println!("re-wrapped {n} data keys; set AUTHNODE_MASTER_KEY to the new key before the next start");
        }
        Err(_) if config.master_key.is_none() && config.is_embedded() => {
            let done = authnode::keyfile::rotate_embedded(&config.data_dir, &db).await?;
            match done.old_key_file {
                Some(old) => println!(
                    "re-wrapped {} data keys; the new master key is in {}; the previous key was kept as {} (delete it once no backup needs it)",
                    done.rewrapped,
                    config.data_dir.join("master.key").display(),
                    old.display()
                ),
                None => println!("finished an interrupted rotation; master.key holds the key the data is sealed under"),
            }
        }
        Err(_) => anyhow::bail!("AUTHNODE_NEW_MASTER_KEY: required (32 random bytes, base64) when the master key comes from the environment"),
    }
    Ok(())
}
