//! OAuth bookkeeping: Herald's app on each Mastodon instance, the install's app credentials
//! for the other networks, and authorizations in progress. Secrets arrive here encrypted.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InstanceApp {
    pub id: Uuid,
    pub network: String,
    pub host: String,
    pub redirect_uri: String,
    pub client_id: String,
    /// Encrypted.
    pub client_secret: String,
    pub created_at_ms: i64,
}

impl InstanceApp {
    pub fn secret_aad(id: Uuid) -> String {
        format!("oauth_apps:client_secret:{id}")
    }
}

pub async fn instance_app(
    db: &Db,
    network: &str,
    host: &str,
    redirect_uri: &str,
) -> Result<Option<InstanceApp>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT id, network, host, redirect_uri, client_id, client_secret, created_at_ms
         FROM oauth_apps WHERE network = $1 AND host = $2 AND redirect_uri = $3"
    )
    .bind(network)
    .bind(host)
    .bind(redirect_uri)
    .fetch_optional(pool)
    .await)?)
}

/// Keeps an app; when two requests registered at once, the first stored wins and is
/// returned.
pub async fn insert_instance_app(db: &Db, app: &InstanceApp) -> Result<InstanceApp, StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO oauth_apps (id, network, host, redirect_uri, client_id, client_secret,
             created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (network, host, redirect_uri) DO NOTHING"
    )
    .bind(app.id)
    .bind(&app.network)
    .bind(&app.host)
    .bind(&app.redirect_uri)
    .bind(&app.client_id)
    .bind(&app.client_secret)
    .bind(app.created_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    instance_app(db, &app.network, &app.host, &app.redirect_uri)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Forgets an instance's app (the instance no longer knows it).
pub async fn delete_instance_app(db: &Db, id: Uuid) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "DELETE FROM oauth_apps WHERE id = $1"
    )
    .bind(id)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NetworkApp {
    pub network: String,
    pub client_id: String,
    /// Encrypted.
    pub client_secret: String,
    pub updated_by: Option<Uuid>,
    pub updated_at_ms: i64,
}

impl NetworkApp {
    pub fn secret_aad(network: &str) -> String {
        format!("network_apps:client_secret:{network}")
    }
}

pub async fn network_apps(db: &Db) -> Result<Vec<NetworkApp>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT network, client_id, client_secret, updated_by, updated_at_ms
         FROM network_apps ORDER BY network"
    )
    .fetch_all(pool)
    .await)?)
}

pub async fn network_app(db: &Db, network: &str) -> Result<Option<NetworkApp>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT network, client_id, client_secret, updated_by, updated_at_ms
         FROM network_apps WHERE network = $1"
    )
    .bind(network)
    .fetch_optional(pool)
    .await)?)
}

pub async fn save_network_app(db: &Db, app: &NetworkApp) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO network_apps (network, client_id, client_secret, updated_by, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (network) DO UPDATE SET client_id = excluded.client_id,
             client_secret = excluded.client_secret, updated_by = excluded.updated_by,
             updated_at_ms = excluded.updated_at_ms"
    )
    .bind(&app.network)
    .bind(&app.client_id)
    .bind(&app.client_secret)
    .bind(app.updated_by)
    .bind(app.updated_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Flow {
    pub state_hash: String,
    pub workspace_id: Uuid,
    pub user_id: Uuid,
    pub network: String,
    pub service_url: String,
    /// Encrypted.
    pub code_verifier: String,
    pub channel_id: Option<Uuid>,
    /// Which sign-in the flow went through where a network has two (Instagram: `facebook`
    /// or `instagram`); empty otherwise.
    pub login: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
}

impl Flow {
    pub fn verifier_aad(state_hash: &str) -> String {
        format!("oauth_flows:code_verifier:{state_hash}")
    }
}

pub async fn insert_flow(db: &Db, f: &Flow) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO oauth_flows (state_hash, workspace_id, user_id, network, service_url,
             code_verifier, channel_id, login, created_at_ms, expires_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(&f.state_hash)
    .bind(f.workspace_id)
    .bind(f.user_id)
    .bind(&f.network)
    .bind(&f.service_url)
    .bind(&f.code_verifier)
    .bind(f.channel_id)
    .bind(&f.login)
    .bind(f.created_at_ms)
    .bind(f.expires_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Takes a flow (single use: the row is deleted as it is read), and drops expired ones.
pub async fn take_flow(db: &Db, state_hash: &str, now_ms: i64) -> Result<Option<Flow>, StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "DELETE FROM oauth_flows WHERE expires_at_ms < $1"
    )
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "DELETE FROM oauth_flows WHERE state_hash = $1
         RETURNING state_hash, workspace_id, user_id, network, service_url, code_verifier,
             channel_id, login, created_at_ms, expires_at_ms"
    )
    .bind(state_hash)
    .fetch_optional(pool)
    .await)?)
}
