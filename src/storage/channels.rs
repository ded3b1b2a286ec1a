//! Channels: a workspace's accounts on the networks.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};
use crate::domain::text::Network;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Channel {
    pub id: Uuid,
    pub workspace_id: Uuid,
    #[sqlx(try_from = "String")]
    pub network: Network,
    pub handle: String,
    pub display_name: String,
    pub service_url: String,
    pub max_characters: Option<i64>,
    pub chars_per_url: Option<i64>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown network {0:?}")]
pub struct UnknownNetwork(String);

impl TryFrom<String> for Network {
    type Error = UnknownNetwork;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Network::parse(&s).ok_or(UnknownNetwork(s))
    }
}

const COLUMNS: &str =
    "id, workspace_id, network, handle, display_name, service_url, max_characters, chars_per_url,
    created_at_ms, updated_at_ms";

pub async fn insert(db: &Db, c: &Channel) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
        "INSERT INTO channels (id, workspace_id, network, handle, display_name, service_url, max_characters,
             chars_per_url, created_at_ms, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(c.id)
    .bind(c.workspace_id)
    .bind(c.network.as_str())
    .bind(&c.handle)
    .bind(&c.display_name)
    .bind(&c.service_url)
    .bind(c.max_characters)
    .bind(c.chars_per_url)
    .bind(c.created_at_ms)
    .bind(c.updated_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn list(db: &Db, workspace: Uuid) -> Result<Vec<Channel>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM channels WHERE workspace_id = $1 ORDER BY network, lower(handle), id"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .fetch_all(pool)
    .await)?)
}
