//! Outbound webhooks and their delivery log.

use uuid::Uuid;

use super::jobs::JobRow;
use super::{Db, StoreError, with_pool, with_tx};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Webhook {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub url: String,
    /// Space-separated event names.
    pub events: String,
    /// Sealed by the SecretBox.
    pub secret: String,
    pub created_by: Option<Uuid>,
    pub created_at_ms: i64,
}

impl Webhook {
    pub fn subscribes_to(&self, event: &str) -> bool {
        self.events.split_whitespace().any(|e| e == event)
    }

    /// The AAD its secret is sealed with: a sealed secret copied to another row fails.
    pub fn secret_aad(id: Uuid) -> String {
        format!("webhook:{id}:secret")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Delivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event: String,
    pub payload: String,
    pub state: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub response_body: String,
    pub error: Option<String>,
    pub next_try_at_ms: Option<i64>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

const WEBHOOK: &str = "id, workspace_id, url, events, secret, created_by, created_at_ms";
const DELIVERY: &str = "id, webhook_id, event, payload, state, attempts, response_status,
    response_body, error, next_try_at_ms, created_at_ms, updated_at_ms";

pub async fn insert(db: &Db, w: &Webhook) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO webhooks (id, workspace_id, url, events, secret, created_by, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(w.id)
    .bind(w.workspace_id)
    .bind(&w.url)
    .bind(&w.events)
    .bind(&w.secret)
    .bind(w.created_by)
    .bind(w.created_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn list(db: &Db, workspace: Uuid) -> Result<Vec<Webhook>, StoreError> {
    let sql = format!(
        "SELECT {WEBHOOK} FROM webhooks WHERE workspace_id = $1 ORDER BY created_at_ms, id"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .fetch_all(pool)
    .await)?)
}

/// A webhook of this workspace (another workspace's id finds nothing).
pub async fn get(db: &Db, workspace: Uuid, id: Uuid) -> Result<Option<Webhook>, StoreError> {
    let sql = format!("SELECT {WEBHOOK} FROM webhooks WHERE workspace_id = $1 AND id = $2");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

pub async fn delete(db: &Db, workspace: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM webhooks WHERE workspace_id = $1 AND id = $2"
    )
    .bind(workspace)
    .bind(id)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// Records a delivery and queues its job, in one transaction.
pub async fn add_delivery(db: &Db, d: &Delivery, job: &JobRow) -> Result<(), StoreError> {
    with_tx!(db, |tx| {
        async {
            sqlx::query(
                "INSERT INTO webhook_deliveries (id, webhook_id, event, payload, state, attempts,
                 response_body, next_try_at_ms, created_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, 'pending', 0, '', $5, $6, $6)",
            )
            .bind(d.id)
            .bind(d.webhook_id)
            .bind(&d.event)
            .bind(&d.payload)
            .bind(d.next_try_at_ms)
            .bind(d.created_at_ms)
            .execute(&mut *tx)
            .await?;
            super::jobs::queue_job!(tx, job);
            Ok::<_, StoreError>(())
        }
        .await
    })
}

/// A delivery with its webhook (None when either is gone).
pub async fn delivery(db: &Db, id: Uuid) -> Result<Option<Delivery>, StoreError> {
    let sql = format!("SELECT {DELIVERY} FROM webhook_deliveries WHERE id = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

pub async fn webhook_by_id(db: &Db, id: Uuid) -> Result<Option<Webhook>, StoreError> {
    let sql = format!("SELECT {WEBHOOK} FROM webhooks WHERE id = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// A webhook's deliveries, newest first; `before` as in notifications.
pub async fn deliveries(
    db: &Db,
    webhook: Uuid,
    before: Option<(i64, Uuid)>,
    limit: i64,
) -> Result<Vec<Delivery>, StoreError> {
    let (at, id) = before.unwrap_or((i64::MAX, Uuid::max()));
    let sql = format!(
        "SELECT {DELIVERY} FROM webhook_deliveries
         WHERE webhook_id = $1 AND (created_at_ms < $2 OR (created_at_ms = $2 AND id < $3))
         ORDER BY created_at_ms DESC, id DESC LIMIT $4"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(webhook)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

/// How one try went.
pub struct Tried<'a> {
    pub state: &'a str,
    pub response_status: Option<i64>,
    pub response_body: String,
    pub error: Option<String>,
    pub next_try_at_ms: Option<i64>,
    pub at_ms: i64,
}

pub async fn record_try(db: &Db, id: Uuid, t: &Tried<'_>) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE webhook_deliveries SET state = $2, attempts = attempts + 1,
             response_status = $3, response_body = $4, error = $5, next_try_at_ms = $6,
             updated_at_ms = $7
         WHERE id = $1"
    )
    .bind(id)
    .bind(t.state)
    .bind(t.response_status)
    .bind(&t.response_body)
    .bind(&t.error)
    .bind(t.next_try_at_ms)
    .bind(t.at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
