//! Which databases the tests run on: SQLite always; PostgreSQL too when
//! `HERALD_TEST_DATABASE_URL` is set (CI sets it, and then an unreachable server fails).

use sqlx::Connection;

#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    /// The server URL (a database on it is created per test).
    Postgres(String),
}

pub fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    if let Ok(url) = std::env::var("HERALD_TEST_DATABASE_URL")
        && !url.is_empty()
    {
        out.push(Backend::Postgres(url));
    }
    out
}

/// Creates an empty database on the server and returns its URL. The names start with
/// `herald_t_` so CI can drop leftovers.
pub async fn fresh_postgres(server_url: &str) -> String {
    let mut conn = sqlx::PgConnection::connect(server_url)
        .await
        .unwrap_or_else(|e| {
            panic!("HERALD_TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}")
        });
    let name = format!("herald_t_{}", uuid::Uuid::new_v4().simple());
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    conn.close().await.ok();
    let mut url = url::Url::parse(server_url).expect("postgres url");
    url.set_path(&name);
    url.to_string()
}
