//! Channels: a workspace's accounts on the networks, with their (encrypted) credentials and
//! health.

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
    pub remote_id: String,
    pub avatar_url: String,
    pub profile_url: String,
    /// Encrypted (`SecretBox`, bound to this row); `None` when not connected.
    pub credentials: Option<String>,
    pub token_expires_at_ms: Option<i64>,
    /// Herald renews the token itself (refresh token or stored app password).
    pub token_refreshable: bool,
    /// `not_connected`, `ok`, `reconnect_needed`, `rate_limited` or `disconnected`.
    pub health: String,
    pub health_message: String,
    pub rate_limited_until_ms: Option<i64>,
    pub followers: Option<i64>,
    pub following: Option<i64>,
    pub posts_count: Option<i64>,
    pub max_media: Option<i64>,
    pub connected_at_ms: Option<i64>,
    pub checked_at_ms: Option<i64>,
    /// The channel's own IANA zone for its posting slots; empty: the workspace's.
    pub time_zone: String,
    /// Weekly posting slots, one per line as people wrote them ("mon 09:00").
    pub posting_slots: String,
}

impl Channel {
    /// A new channel of `workspace` on `network`, not connected yet (the caller fills in the
    /// account).
    pub fn new(workspace: Uuid, network: Network, now_ms: i64) -> Channel {
        Channel {
            id: Uuid::now_v7(),
            workspace_id: workspace,
            network,
            handle: String::new(),
            display_name: String::new(),
            service_url: String::new(),
            max_characters: None,
            chars_per_url: None,
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
            remote_id: String::new(),
            avatar_url: String::new(),
            profile_url: String::new(),
            credentials: None,
            token_expires_at_ms: None,
            token_refreshable: false,
            health: "not_connected".into(),
            health_message: String::new(),
            rate_limited_until_ms: None,
            followers: None,
            following: None,
            posts_count: None,
            max_media: None,
            connected_at_ms: None,
            checked_at_ms: None,
            time_zone: String::new(),
            posting_slots: String::new(),
        }
    }
    /// The token's expiry when it matters to people: only when Herald cannot renew it.
    pub fn expiry_to_show(&self) -> Option<i64> {
        (!self.token_refreshable)
            .then_some(self.token_expires_at_ms)
            .flatten()
    }

    /// The associated data a channel's credentials are encrypted with.
    pub fn credentials_aad(id: Uuid) -> String {
        format!("channels:credentials:{id}")
    }
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
    created_at_ms, updated_at_ms, remote_id, avatar_url, profile_url, credentials,
    token_expires_at_ms, token_refreshable, health, health_message, rate_limited_until_ms,
    followers, following, posts_count, max_media, connected_at_ms, checked_at_ms, time_zone,
    posting_slots";

pub async fn insert(db: &Db, c: &Channel) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
            "INSERT INTO channels (id, workspace_id, network, handle, display_name, service_url,
                 max_characters, chars_per_url, created_at_ms, updated_at_ms, remote_id, avatar_url,
                 profile_url, credentials, token_expires_at_ms, health, health_message,
                 rate_limited_until_ms, followers, following, posts_count, max_media,
                 connected_at_ms, checked_at_ms, token_refreshable)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $19, $20, $21, $22, $23, $24, $25)",
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
        .bind(&c.remote_id)
        .bind(&c.avatar_url)
        .bind(&c.profile_url)
        .bind(&c.credentials)
        .bind(c.token_expires_at_ms)
        .bind(&c.health)
        .bind(&c.health_message)
        .bind(c.rate_limited_until_ms)
        .bind(c.followers)
        .bind(c.following)
        .bind(c.posts_count)
        .bind(c.max_media)
        .bind(c.connected_at_ms)
        .bind(c.checked_at_ms)
        .bind(c.token_refreshable)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Writes back everything about a channel's connection (after connecting, reconnecting,
/// refreshing or checking it).
pub async fn update_connection(db: &Db, c: &Channel) -> Result<bool, StoreError> {
    let rows = with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE channels SET handle = $3, display_name = $4, service_url = $5,
                 max_characters = $6, chars_per_url = $7, updated_at_ms = $8, remote_id = $9,
                 avatar_url = $10, profile_url = $11, credentials = $12, token_expires_at_ms = $13,
                 health = $14, health_message = $15, rate_limited_until_ms = $16, followers = $17,
                 following = $18, posts_count = $19, max_media = $20, connected_at_ms = $21,
                 checked_at_ms = $22, token_refreshable = $23
             WHERE id = $1 AND workspace_id = $2",
        )
        .bind(c.id)
        .bind(c.workspace_id)
        .bind(&c.handle)
        .bind(&c.display_name)
        .bind(&c.service_url)
        .bind(c.max_characters)
        .bind(c.chars_per_url)
        .bind(c.updated_at_ms)
        .bind(&c.remote_id)
        .bind(&c.avatar_url)
        .bind(&c.profile_url)
        .bind(&c.credentials)
        .bind(c.token_expires_at_ms)
        .bind(&c.health)
        .bind(&c.health_message)
        .bind(c.rate_limited_until_ms)
        .bind(c.followers)
        .bind(c.following)
        .bind(c.posts_count)
        .bind(c.max_media)
        .bind(c.connected_at_ms)
        .bind(c.checked_at_ms)
        .bind(c.token_refreshable)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(rows == 1)
}

/// Records a channel's health without touching its credentials.
pub async fn set_health(
    db: &Db,
    id: Uuid,
    health: &str,
    message: &str,
    rate_limited_until_ms: Option<i64>,
    now_ms: i64,
) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE channels SET health = $2, health_message = $3, rate_limited_until_ms = $4,
                 checked_at_ms = $5, updated_at_ms = $5
             WHERE id = $1",
        )
        .bind(id)
        .bind(health)
        .bind(message)
        .bind(rate_limited_until_ms)
        .bind(now_ms)
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

pub async fn get(db: &Db, workspace: Uuid, id: Uuid) -> Result<Option<Channel>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM channels WHERE workspace_id = $1 AND id = $2");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// The channel already connected to this account, if any (to reconnect it in place).
pub async fn find_account(
    db: &Db,
    workspace: Uuid,
    network: Network,
    service_url: &str,
    remote_id: &str,
) -> Result<Option<Channel>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM channels
         WHERE workspace_id = $1 AND network = $2 AND service_url = $3 AND remote_id = $4"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(network.as_str())
    .bind(service_url)
    .bind(remote_id)
    .fetch_optional(pool)
    .await)?)
}

/// Connected channels whose token expires before `before_ms` (for the refresh job).
pub async fn expiring(db: &Db, before_ms: i64) -> Result<Vec<Channel>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM channels
         WHERE credentials IS NOT NULL AND token_expires_at_ms IS NOT NULL
           AND token_expires_at_ms < $1 AND health <> 'reconnect_needed'
         ORDER BY token_expires_at_ms"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(before_ms)
    .fetch_all(pool)
    .await)?)
}

/// Claims a channel for a token refresh: true for the one caller whose update landed.
pub async fn claim_refresh(
    db: &Db,
    id: Uuid,
    now_ms: i64,
    claim_ms: i64,
) -> Result<bool, StoreError> {
    let rows = with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE channels SET checked_at_ms = $2
             WHERE id = $1 AND (checked_at_ms IS NULL OR checked_at_ms <= $3)",
        )
        .bind(id)
        .bind(now_ms)
        .bind(now_ms - claim_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(rows == 1)
}

/// Stores renewed credentials, touching nothing else of the row (a refresh claim, the health
/// another call just wrote).
pub async fn update_credentials(
    db: &Db,
    id: Uuid,
    credentials: &str,
    token_expires_at_ms: Option<i64>,
    token_refreshable: bool,
    now_ms: i64,
) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
            "UPDATE channels SET credentials = $2, token_expires_at_ms = $3,
                 token_refreshable = $4, updated_at_ms = $5
             WHERE id = $1 AND credentials IS NOT NULL",
        )
        .bind(id)
        .bind(credentials)
        .bind(token_expires_at_ms)
        .bind(token_refreshable)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Sets the channel's posting slots and zone (as the person wrote them, validated by the
/// caller).
pub async fn set_schedule(
    db: &Db,
    id: Uuid,
    time_zone: &str,
    posting_slots: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE channels SET time_zone = $2, posting_slots = $3, updated_at_ms = $4 WHERE id = $1"
    )
    .bind(id)
    .bind(time_zone)
    .bind(posting_slots)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
