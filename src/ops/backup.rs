//! `herald backup --to FILE`: a consistent copy while Herald runs.

use std::path::Path;

use crate::storage::{Db, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file name")]
    Exists(String),
    #[error(
        "Herald is on PostgreSQL: back it up with pg_dump, e.g. `pg_dump --format=custom --file herald.dump \"$HERALD_DATABASE_URL\"` (see the README)"
    )]
    Postgres,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Writes a copy of the SQLite database to `to`. `VACUUM INTO` reads one consistent snapshot
/// (a read transaction), so writers carry on and the copy is compact and self-contained.
pub async fn backup(db: &Db, to: &Path) -> Result<u64, BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.display().to_string()));
    }
    let Db::Sqlite(pool) = db else {
        return Err(BackupError::Postgres);
    };
    // VACUUM INTO takes a literal, not a bound parameter; quote it as SQL says ('' escapes ').
    let literal = to.display().to_string().replace('\'', "''");
    sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{literal}'")))
        .execute(pool)
        .await
        .map_err(StoreError::from)?;
    Ok(std::fs::metadata(to).map(|m| m.len()).unwrap_or(0))
}
