//! Events and holidays on a workspace's calendar, added by hand or imported from .ics files.

use uuid::Uuid;

use super::{Db, StoreError, with_pool, with_tx};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CalendarEvent {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub title: String,
    pub description: String,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub all_day: bool,
    /// `manual` or `ics`.
    pub source: String,
    /// The iCalendar UID of an imported event.
    pub uid: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// `event` or `holiday`.
    pub kind: String,
}

const COLUMNS: &str =
    "id, workspace_id, title, description, starts_at_ms, ends_at_ms, all_day, source, uid,
    created_by, created_at_ms, updated_at_ms, kind";
const INSERT: &str =
    "INSERT INTO calendar_events (id, workspace_id, title, description, starts_at_ms,
        ends_at_ms, all_day, source, uid, created_by, created_at_ms, updated_at_ms, kind)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

pub async fn insert(db: &Db, e: &CalendarEvent) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(INSERT)
        .bind(e.id)
        .bind(e.workspace_id)
        .bind(&e.title)
        .bind(&e.description)
        .bind(e.starts_at_ms)
        .bind(e.ends_at_ms)
        .bind(e.all_day)
        .bind(&e.source)
        .bind(&e.uid)
        .bind(e.created_by)
        .bind(e.created_at_ms)
        .bind(e.updated_at_ms)
        .bind(&e.kind)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Imports events in one transaction: the events a file gave before under each UID it
/// gives now are replaced (a re-import updates rather than duplicates, recurring events
/// included). Returns how many UIDs replaced earlier events.
pub async fn import(
    db: &Db,
    workspace: Uuid,
    events: &[CalendarEvent],
) -> Result<usize, StoreError> {
    let mut uids: Vec<&str> = events.iter().filter_map(|e| e.uid.as_deref()).collect();
    uids.sort_unstable();
    uids.dedup();
    with_tx!(db, |tx| {
        async {
            let mut replaced = 0;
            for uid in &uids {
                let n = sqlx::query(
                    "DELETE FROM calendar_events WHERE workspace_id = $1 AND source = 'ics' AND uid = $2",
                )
                .bind(workspace)
                .bind(uid)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n > 0 {
                    replaced += 1;
                }
            }
            for e in events {
                sqlx::query(INSERT)
                    .bind(e.id)
                    .bind(e.workspace_id)
                    .bind(&e.title)
                    .bind(&e.description)
                    .bind(e.starts_at_ms)
                    .bind(e.ends_at_ms)
                    .bind(e.all_day)
                    .bind(&e.source)
                    .bind(&e.uid)
                    .bind(e.created_by)
                    .bind(e.created_at_ms)
                    .bind(e.updated_at_ms)
                    .bind(&e.kind)
                    .execute(&mut *tx)
                    .await?;
            }
            Ok::<_, StoreError>(replaced)
        }
        .await
    })
}

/// The events that overlap `[from_ms, to_ms)`, earliest first, at most `limit`.
pub async fn in_range(
    db: &Db,
    workspace: Uuid,
    from_ms: i64,
    to_ms: i64,
    limit: i64,
) -> Result<Vec<CalendarEvent>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM calendar_events
         WHERE workspace_id = $1 AND (ends_at_ms > $2 OR starts_at_ms >= $2) AND starts_at_ms < $3
         ORDER BY starts_at_ms, id LIMIT $4"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(from_ms)
    .bind(to_ms)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn get(db: &Db, workspace: Uuid, id: Uuid) -> Result<Option<CalendarEvent>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM calendar_events WHERE id = $1 AND workspace_id = $2");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .bind(workspace)
    .fetch_optional(pool)
    .await)?)
}

pub async fn delete(db: &Db, workspace: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM calendar_events WHERE id = $1 AND workspace_id = $2"
    )
    .bind(id)
    .bind(workspace)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}
