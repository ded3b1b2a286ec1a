//! The command line: `herald serve | migrate | user create | token create | backup | doctor`.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::app::App;
use crate::config::{Config, LogFormat, Overrides};
use crate::services::{Actor, NewAccount};

#[derive(Parser)]
#[command(
    name = "herald",
    version,
    about = "Self-hosted social media management"
)]
pub struct Cli {
    /// A herald.toml to read (default: ./herald.toml when present).
    #[arg(long, global = true, env = "HERALD_CONFIG")]
    config: Option<PathBuf>,
    /// The data folder (SQLite database, master key) [default: ./herald-data].
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// postgres://... to use PostgreSQL instead of SQLite in the data folder.
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the web UI and the API.
    Serve(ServeArgs),
    /// Runs only the workers that publish (no web server): add instances on one PostgreSQL
    /// database to publish more at once.
    Worker,
    /// Applies database migrations and exits.
    Migrate,
    /// Manages accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manages API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Writes a consistent copy of the SQLite database while Herald runs.
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        to: PathBuf,
    },
    /// Checks the configuration, public URL, data folder, database and key.
    Doctor,
    /// Manages channels.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// Checks post text (on standard input) as a network counts it; prints one JSON object.
    /// Exits 0 when the text is valid, 1 when it is not.
    Check {
        /// x, mastodon, bluesky, threads, linkedin, instagram or facebook.
        #[arg(long)]
        network: String,
        /// A Mastodon instance's `GET /api/v2/instance` JSON, for its limits.
        #[arg(long)]
        instance_config: Option<PathBuf>,
        /// Mastodon content warning (counts toward the limit).
        #[arg(long)]
        content_warning: Option<String>,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// The address people use to reach Herald, e.g. https://herald.example.com.
    #[arg(long)]
    public_url: Option<String>,
    /// Serve Prometheus metrics on this separate address (off by default).
    #[arg(long)]
    metrics_listen: Option<SocketAddr>,
    /// Log as text or json.
    #[arg(long, value_enum)]
    log_format: Option<LogFormatArg>,
    /// Let connectors reach loopback and private addresses (tests, local peers).
    #[arg(long)]
    allow_private_hosts: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormatArg {
    Text,
    Json,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Creates an account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// Read the password from standard input (required: passwords never go in arguments).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Make the account an instance admin.
        #[arg(long)]
        admin: bool,
        /// The name shown to others (default: the part of the email before @).
        #[arg(long, default_value = "")]
        name: String,
    },
}

#[derive(Subcommand)]
enum ChannelCommand {
    /// Adds a channel to a workspace as a record (connecting it to the network comes later):
    /// for seed data and trials of the composer.
    Add {
        /// The workspace id.
        #[arg(long)]
        workspace: uuid::Uuid,
        /// x, mastodon, bluesky, threads, linkedin, instagram or facebook.
        #[arg(long)]
        network: String,
        #[arg(long)]
        handle: String,
        /// An owner or manager of the workspace, who adds it.
        #[arg(long)]
        email: String,
        /// A Mastodon instance's post length limit.
        #[arg(long)]
        max_characters: Option<i64>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Creates a personal access token for an account and prints it.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "created with herald token create")]
        name: String,
    },
}

/// Parses the command line, runs the command, and maps failures to an exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut overrides = Overrides {
        data_dir: cli.data_dir,
        database_url: cli.database_url,
        ..Default::default()
    };
    if let Command::Serve(args) = &cli.command {
        overrides.listen = args.listen;
        overrides.public_url = args.public_url.clone();
        overrides.metrics_listen = args.metrics_listen;
        overrides.log_format = args.log_format.map(|f| match f {
            LogFormatArg::Text => LogFormat::Text,
            LogFormatArg::Json => LogFormat::Json,
        });
        overrides.allow_private_hosts = args.allow_private_hosts.then_some(true);
    }
    let config = Config::load(cli.config.as_deref(), &overrides)?;
    crate::telemetry::init_logs(&config);
    match cli.command {
        Command::Serve(_) => serve(config).await,
        Command::Worker => {
            let app = App::open(config).await?;
            println!(
                "Herald worker is running ({} database)",
                app.db().backend_name()
            );
            app.work(crate::app::shutdown_signal()).await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let app = App::open(config).await?;
            println!("migrations applied ({})", app.db().backend_name());
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Create {
            email, admin, name, ..
        }) => {
            let password = read_password()?;
            let app = App::open(config).await?;
            let account = NewAccount {
                email: &email,
                display_name: &name,
                password: &password,
                is_admin: admin,
            };
            let user = app
                .state
                .services
                .create_user(account)
                .await
                .map_err(explain)?;
            println!(
                "created {} ({}){}",
                user.email,
                user.id,
                if user.is_admin {
                    " as an instance admin"
                } else {
                    ""
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Token(TokenCommand::Create { email, name }) => {
            let app = App::open(config).await?;
            let services = &app.state.services;
            let actor = actor_by_email(services, &email).await?;
            let created = services
                .create_token(&actor, &name)
                .await
                .map_err(explain)?;
            println!("{}", created.secret);
            Ok(ExitCode::SUCCESS)
        }
        Command::Channel(ChannelCommand::Add {
            workspace,
            network,
            handle,
            email,
            max_characters,
        }) => {
            let network = crate::domain::text::Network::parse(&network)
                .ok_or_else(|| anyhow::anyhow!("unknown network {network:?}"))?;
            let app = App::open(config).await?;
            let services = &app.state.services;
            let actor = actor_by_email(services, &email).await?;
            let new = crate::services::NewChannel {
                network,
                handle: &handle,
                display_name: "",
                service_url: "",
                max_characters,
                chars_per_url: None,
            };
            let channel = services
                .add_channel(&actor, workspace, new)
                .await
                .map_err(explain)?;
            println!("{}", channel.id);
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { to } => {
            let db = crate::app::open_db(&config).await?;
            let bytes = crate::ops::backup::backup(&db, &to).await?;
            println!("backup written to {} ({bytes} bytes)", to.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Doctor => doctor(&config).await,
        Command::Check {
            network,
            instance_config,
            content_warning,
        } => check(&network, instance_config.as_deref(), content_warning),
    }
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    let listen = config.listen;
    if let Some(addr) = config.metrics_listen {
        crate::telemetry::serve_metrics(addr)
            .await
            .context("starting the metrics listener")?;
    }
    let app = App::open(config).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let url = app.state.config.public_base();
    let data = app.state.config.data_dir.display().to_string();
    let first_run = !app.state.services.is_set_up().await.map_err(explain)?;
    tracing::info!(%url, database = app.db().backend_name(), data_dir = %data, "Herald is running");
    println!(
        "Herald is running at {url} ({} database, data in {data})",
        app.db().backend_name()
    );
    if first_run {
        println!("Open {url} to create the first account.");
    }
    app.serve(listener, crate::app::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

async fn doctor(config: &Config) -> anyhow::Result<ExitCode> {
    use crate::ops::doctor::Status;
    let checks = crate::ops::doctor::run(config).await;
    for c in &checks {
        let mark = match c.status {
            Status::Ok => "ok  ",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
        };
        println!("[{mark}] {}: {}", c.name, c.detail);
    }
    Ok(if checks.iter().any(|c| c.status == Status::Fail) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Pure computation: the configuration is loaded (and checked) but no database is opened.
fn check(
    network: &str,
    instance_config: Option<&std::path::Path>,
    content_warning: Option<String>,
) -> anyhow::Result<ExitCode> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading the text from standard input")?;
    let result = crate::ops::check::run(network, instance_config, content_warning, &input)?;
    println!("{}", serde_json::to_string(&result)?);
    Ok(if result.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The operator acts as the account with this email (CLI commands have no session).
async fn actor_by_email(
    services: &crate::services::Services,
    email: &str,
) -> anyhow::Result<Actor> {
    let user = services
        .user_by_email(email)
        .await
        .map_err(|_| anyhow::anyhow!("no account has the email {email}"))?;
    Ok(Actor {
        user,
        session_id: None,
        csrf_token: None,
    })
}

fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading the password from standard input")?;
    Ok(input.trim_end_matches(['\n', '\r']).to_owned())
}

/// Turns a service error into a sentence for the terminal, naming the fields at fault.
fn explain(err: crate::services::AppError) -> anyhow::Error {
    match err {
        crate::services::AppError::Validation(errors) => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field.replace('_', "-"), e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}
