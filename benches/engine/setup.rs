//! An install to burst on: a workspace with 500 Mastodon channels on the stand-in server and
//! 20 posts each, every one scheduled for the same instant.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{StreamExt, stream};
use herald::app::App;
use herald::config::Config;
use herald::services::posts::PostInput;
use herald::services::schedule::When;
use herald::services::{Actor, ConnectRequest, NewAccount};
use herald::storage::Db;
use sqlx::Connection;
use uuid::Uuid;

use crate::fake_mastodon::FakeMastodon;

pub const CHANNELS: usize = 500;
pub const PER_CHANNEL: usize = 20;
pub const POSTS: usize = CHANNELS * PER_CHANNEL;
/// The channels are spread over workspaces of 20: loading a post's details reads its
/// workspace's channels, which makes set-up in a single 500-channel workspace slow.
pub const WORKSPACES: usize = 25;
pub const LATENCY: Duration = Duration::from_millis(50);
/// Jobs in flight and calls in flight to Mastodon: the burst needs every channel busy at once.
pub const CONCURRENCY: usize = 500;
/// The PostgreSQL server the scale-out runs use (a fresh database each run).
pub const PG_SERVER: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub struct Install {
    pub app: App,
    pub fake: FakeMastodon,
    pub dir: tempfile::TempDir,
    pub database_url: Option<String>,
    /// The instant every post is due, by the system clock.
    pub due_ms: i64,
    pub setup: Duration,
}

pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Creates an empty PostgreSQL database and returns its URL.
pub async fn fresh_postgres() -> String {
    let mut conn = sqlx::PgConnection::connect(PG_SERVER)
        .await
        .expect("PostgreSQL at 127.0.0.1:5432");
    let name = format!("herald_bench_{}", Uuid::new_v4().simple());
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    conn.close().await.ok();
    format!("postgres://postgres@127.0.0.1:5432/{name}")
}

pub async fn drop_postgres(url: &str) {
    let Some(name) = url.rsplit('/').next() else {
        return;
    };
    if let Ok(mut conn) = sqlx::PgConnection::connect(PG_SERVER).await {
        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await;
        conn.close().await.ok();
    }
}

pub fn config(data_dir: &Path, database_url: Option<String>, lease_secs: u64) -> Config {
    Config {
        data_dir: data_dir.to_owned(),
        database_url,
        allow_private_hosts: true,
        worker_concurrency: CONCURRENCY,
        network_concurrency: Some(CONCURRENCY),
        job_lease_secs: lease_secs,
        ..Config::default()
    }
}

/// Builds the install and schedules the burst `lead` after the last post is scheduled.
pub async fn prepare(database_url: Option<String>, lease_secs: u64, lead: Duration) -> Install {
    let started = Instant::now();
    let fake = FakeMastodon::start(LATENCY).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(&dir.path().join("data"), database_url.clone(), lease_secs);
    let app = App::open(config).await.expect("open Herald");
    // SQLite takes one writer at a time and makes the others sleep and retry: set-up goes
    // faster one request at a time there.
    let parallel = if database_url.is_some() { 8 } else { 1 };
    let s = app.state.services.clone();
    let user = s
        .create_user(NewAccount {
            email: "bench@example.com",
            display_name: "Bench",
            password: "correct horse battery",
            is_admin: false,
        })
        .await
        .expect("user");
    let actor = Arc::new(Actor {
        user,
        session_id: None,
        csrf_token: None,
    });
    let mut workspaces = Vec::new();
    for w in 0..WORKSPACES {
        let ws = s
            .create_workspace(&actor, &format!("Bench {w}"), "UTC")
            .await;
        workspaces.push(ws.expect("workspace").workspace.id);
    }
    // Channel c belongs to workspace c / 20.
    let ws_of = |channel: usize| workspaces[channel * WORKSPACES / CHANNELS];
    let url = fake.url();
    let channels: Vec<Uuid> = stream::iter(0..CHANNELS)
        .map(|i| {
            let (s, actor, url) = (s.clone(), actor.clone(), url.clone());
            let ws = ws_of(i);
            async move {
                let request = ConnectRequest::Mastodon {
                    instance_url: url,
                    access_token: format!("token-a{i}"),
                };
                let channel = s.connect_channel(&actor, ws, request, None).await;
                channel.expect("connect a channel").id
            }
        })
        .buffered(64)
        .collect()
        .await;
    // Round-robin: post i goes to channel i mod 500, so the queue's order spreads the
    // channels out as people's calendars would.
    let posts: Vec<(Uuid, Uuid)> = stream::iter(0..POSTS)
        .map(|i| {
            let (s, actor) = (s.clone(), actor.clone());
            let channel = channels[i % CHANNELS];
            let ws = ws_of(i % CHANNELS);
            async move {
                let input = PostInput {
                    text: Some(format!("Burst post {i}: fresh beans on the shelf today.")),
                    channel_ids: Some(vec![channel]),
                    ..PostInput::default()
                };
                let post = s.create_post(&actor, ws, input).await.expect("post");
                (ws, post.post.id)
            }
        })
        .buffered(parallel)
        .collect()
        .await;
    eprintln!(
        "set-up: {POSTS} posts created in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    // Scheduled a while ahead, through the service as the API does, then the whole burst is
    // moved to one instant `lead` from now (scheduling 10,000 posts takes longer than the
    // few seconds ahead the burst should be).
    let parked = now_ms() + 3_600_000;
    stream::iter(posts)
        .map(|(ws, post)| {
            let (s, actor) = (s.clone(), actor.clone());
            async move {
                let when = When::At {
                    at_ms: parked,
                    time_zone: "UTC".into(),
                    local_time: String::new(),
                };
                s.schedule_post(&actor, ws, post, when)
                    .await
                    .expect("schedule");
            }
        })
        .buffered(parallel)
        .collect::<Vec<_>>()
        .await;
    eprintln!(
        "set-up: scheduled after {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let due_ms = now_ms() + lead.as_millis() as i64;
    move_burst(app.db(), due_ms).await;
    Install {
        app,
        fake,
        dir,
        database_url,
        due_ms,
        setup: started.elapsed(),
    }
}

/// Moves every scheduled variant and its queued job to `due_ms`.
async fn move_burst(db: &Db, due_ms: i64) {
    let variants = "UPDATE variants SET scheduled_at_ms = $1 WHERE state = 'scheduled'";
    let jobs = "UPDATE jobs SET run_at_ms = $1 WHERE state = 'queued'";
    for sql in [variants, jobs] {
        let moved = match db {
            Db::Sqlite(pool) => sqlx::query(sql)
                .bind(due_ms)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
            Db::Postgres(pool) => sqlx::query(sql)
                .bind(due_ms)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
        };
        assert_eq!(moved.expect("move the burst"), POSTS as u64, "{sql}");
    }
}

impl Install {
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Starts `herald worker` on this install, as configured for the burst.
    pub fn spawn_worker(&self, lease_secs: u64) -> Child {
        let mut command = Command::new(env!("CARGO_BIN_EXE_herald"));
        command
            .arg("worker")
            .current_dir(self.dir.path())
            .env("HERALD_DATA_DIR", self.data_dir())
            .env("HERALD_ALLOW_PRIVATE_HOSTS", "true")
            .env("HERALD_WORKER_CONCURRENCY", CONCURRENCY.to_string())
            .env("HERALD_NETWORK_CONCURRENCY", CONCURRENCY.to_string())
            .env("HERALD_JOB_LEASE_SECS", lease_secs.to_string())
            .env("HERALD_LOG_LEVEL", "error")
            .stdout(Stdio::null());
        match &self.database_url {
            Some(url) => command.env("HERALD_DATABASE_URL", url),
            None => command.env_remove("HERALD_DATABASE_URL"),
        };
        command.spawn().expect("start herald worker")
    }

    pub async fn close(self) {
        self.app.db().close().await;
        if let Some(url) = &self.database_url {
            drop_postgres(url).await;
        }
    }
}

/// Asks a worker process to stop (SIGTERM: it lets its running jobs finish) and waits.
pub fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let _ = child.wait();
}
