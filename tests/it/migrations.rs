//! The SQLite and PostgreSQL migrations stay in step: same versions, same tables and columns.

use std::collections::BTreeSet;

use crate::support::{Backend, TestApp, backends};

fn versions(dir: &str) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
    names.sort();
    names
}

#[test]
fn both_databases_have_the_same_migration_files() {
    assert_eq!(versions("sqlite"), versions("postgres"));
}

async fn columns(app: &TestApp) -> BTreeSet<(String, String)> {
    let rows: Vec<(String, String)> = match &app.app.state.services.db {
        herald::storage::Db::Sqlite(pool) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        herald::storage::Db::Postgres(pool) => sqlx::query_as(
            "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    rows.into_iter().collect()
}

#[tokio::test]
async fn both_databases_have_the_same_tables_and_columns() {
    let all = backends();
    let Some(pg) = all.iter().find(|b| matches!(b, Backend::Postgres(_))) else {
        eprintln!("HERALD_TEST_DATABASE_URL not set: schema parity checked on CI only");
        return;
    };
    let sqlite = columns(&TestApp::new(Backend::Sqlite).await).await;
    let postgres = columns(&TestApp::new(pg.clone()).await).await;
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}
