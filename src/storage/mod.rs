//! The repository layer: the only code that speaks SQL.
//!
//! One SQL text serves both databases (`$n` placeholders, `RETURNING`, `ON CONFLICT`); the
//! `with_pool!` macro expands a body once per concrete pool so sqlx keeps native types.

mod connect;
mod error;

pub mod api_tokens;
pub mod attempts;
pub mod brand_kits;
pub mod calendar;
pub mod calendar_events;
pub mod calendar_feeds;
pub mod channels;
pub mod connect_grants;
pub mod copies;
pub mod evergreen;
pub mod feeds;
pub mod group_commit;
pub mod imports;
pub mod invites;
pub mod jobs;
pub mod links;
pub mod login_failures;
pub mod media;
pub mod memberships;
pub mod notification_emails;
pub mod notifications;
pub mod oauth;
pub mod periodic;
pub mod posts;
pub mod publishing;
pub mod recurrences;
pub mod review;
pub mod review_links;
pub mod sessions;
pub mod tags;
pub mod users;
pub mod webhooks;
pub mod workspaces;

pub use connect::{DatabaseUrl, connect};
pub use error::StoreError;

/// A pool on one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// Expands `$body` once per backend with `$pool` bound to the concrete pool.
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::storage::Db::Sqlite($pool) => $body,
            $crate::storage::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` inside a write transaction bound to `$tx`, committing when it returns `Ok`.
/// SQLite takes the write lock up front (`BEGIN IMMEDIATE`) so two writers never deadlock
/// upgrading a read lock (`SQLITE_BUSY` mid-transaction), and this process's writers queue
/// for it in turn (`sqlite_writer`) instead of sleeping in SQLite's busy handler.
macro_rules! with_tx {
    ($db:expr, |$tx:ident| $body:expr) => {
        match $db {
            $crate::storage::Db::Sqlite(pool) => {
                let _writer = $crate::storage::sqlite_writer(pool).lock_owned().await;
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                if out.is_ok() {
                    $tx.commit().await?;
                }
                out
            }
            $crate::storage::Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                if out.is_ok() {
                    $tx.commit().await?;
                }
                out
            }
        }
    };
}

/// The lock a process's SQLite write transactions take in turn, one per database file.
/// SQLite admits one writer at a time; the others retry from its busy handler, which sleeps
/// 1 to 100 ms between tries, so under load writers spent more time asleep than writing
/// (BENCHMARKS.md, "Publishing engine": 6,654 sleeps of ~3 ms in a 12 s burst). A queue in
/// process hands the lock over at once; other processes still meet the busy handler.
pub fn sqlite_writer(pool: &sqlx::SqlitePool) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::{Arc, LazyLock, Mutex};
    static WRITERS: LazyLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> =
        LazyLock::new(Mutex::default);
    let file = pool.connect_options().get_filename().to_path_buf();
    let mut writers = WRITERS.lock().unwrap_or_else(|p| p.into_inner());
    writers.entry(file).or_default().clone()
}

pub(crate) use with_pool;
pub(crate) use with_tx;

impl Db {
    pub fn backend_name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Applies the pending migrations of this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// True when every migration this binary knows has been applied.
    pub async fn migrations_current(&self) -> Result<bool, StoreError> {
        let expected = match self {
            Db::Sqlite(_) => sqlx::migrate!("migrations/sqlite").iter().count(),
            Db::Postgres(_) => sqlx::migrate!("migrations/postgres").iter().count(),
        } as i64;
        let applied: i64 = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM _sqlx_migrations WHERE success"
        )
        .fetch_one(pool)
        .await)?;
        Ok(applied >= expected)
    }

    /// A cheap round trip, for `/readyz` and `herald doctor`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let _: i64 = with_pool!(self, |pool| sqlx::query_scalar("SELECT CAST(1 AS BIGINT)")
            .fetch_one(pool)
            .await)?;
        Ok(())
    }

    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }
}
