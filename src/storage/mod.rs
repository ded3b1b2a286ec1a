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
pub mod posts;
pub mod publishing;
pub mod review;
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
/// upgrading a read lock (`SQLITE_BUSY` mid-transaction).
macro_rules! with_tx {
    ($db:expr, |$tx:ident| $body:expr) => {
        match $db {
            $crate::storage::Db::Sqlite(pool) => {
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
