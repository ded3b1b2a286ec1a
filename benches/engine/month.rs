//! Part 5: the calendar's month view with 5,000 posts, and CSV imports of 1,000 and 4,000
//! rows (BENCHMARKS.md, "Calendar month view and CSV import").
//!
//! One workspace (Europe/Paris), four Mastodon channels on the stand-in server, 5,000 posts
//! in next month imported from CSV (the first 1,000 rows in one file, the other 4,000 in a
//! second), every other one then marked published. The whole month page
//! (`GET /w/{ws}/calendar?view=month&date=...`, session cookie, full body read) is asked of
//! the real router in process, after a few warm-up requests; the calendar query alone
//! (`Services::calendar`) is timed too, to say where the time goes.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use herald::app::App;
use herald::services::{Actor, ConnectRequest, NewAccount};
use herald::storage::Db;
use tower::ServiceExt;
use uuid::Uuid;

use crate::fake_mastodon::FakeMastodon;
use crate::setup;

const CHANNELS: usize = 4;
const FIRST_FILE: usize = 1_000;
const SECOND_FILE: usize = 4_000;
const WARM_UP: usize = 10;
const RUNS: usize = 200;
const PASSWORD: &str = "correct horse battery";

/// A row of the results table.
struct Figures {
    database: &'static str,
    posts: usize,
    import_first: Duration,
    import_second: Duration,
    page_ms: Vec<f64>,
    query_ms: Vec<f64>,
    page_bytes: usize,
}

pub async fn run() {
    println!("\n## 5. Calendar month view (5,000 posts) and CSV import\n");
    println!(
        "| database | posts in the month | CSV import 1,000 rows | CSV import 4,000 rows | month page p50 / p99 / max (ms) | calendar query alone p50 / p99 (ms) | page size |"
    );
    println!("|---|---:|---:|---:|---|---|---:|");
    let sqlite = measure("SQLite", None).await;
    print_row(&sqlite);
    let url = setup::fresh_postgres().await;
    let postgres = measure("PostgreSQL", Some(url.clone())).await;
    setup::drop_postgres(&url).await;
    print_row(&postgres);
}

fn print_row(f: &Figures) {
    println!(
        "| {} | {} | {:.2} s | {:.2} s | {:.1} / {:.1} / {:.1} | {:.1} / {:.1} | {} kB |",
        f.database,
        f.posts,
        f.import_first.as_secs_f64(),
        f.import_second.as_secs_f64(),
        pct(&f.page_ms, 50),
        pct(&f.page_ms, 99),
        f.page_ms.last().copied().unwrap_or(0.0),
        pct(&f.query_ms, 50),
        pct(&f.query_ms, 99),
        f.page_bytes / 1024,
    );
}

/// The `p`th percentile of sorted `v`.
fn pct(v: &[f64], p: usize) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() - 1) * p / 100).min(v.len() - 1)]
}

/// The first day of next month in Paris.
fn next_month() -> jiff::civil::Date {
    let today = jiff::Timestamp::now()
        .in_tz("Europe/Paris")
        .expect("Paris")
        .date();
    today
        .first_of_month()
        .checked_add(jiff::Span::new().months(1))
        .expect("next month")
}

/// `n` rows from `offset`, over the month's first 28 days, 08:00 to 19:59, round-robin on
/// the channels.
fn csv(first: jiff::civil::Date, channels: &[Uuid], offset: usize, n: usize) -> String {
    let mut out = String::from("text,channels,time,tags\n");
    for i in offset..offset + n {
        let day = first
            .checked_add(jiff::Span::new().days((i % 28) as i64))
            .expect("day");
        let hour = 8 + (i / 28) % 12;
        let minute = (i * 7) % 60;
        out.push_str(&format!(
            "\"Post {i}: what we roast this week, and why it tastes of cherries.\",{},{day} {hour:02}:{minute:02},bench\n",
            channels[i % channels.len()]
        ));
    }
    out
}

async fn import(app: &App, actor: &Actor, ws: Uuid, body: String) -> Duration {
    let started = Instant::now();
    let done = app
        .state
        .services
        .import_posts_csv(actor, ws, body.as_bytes())
        .await
        .expect("import");
    let took = started.elapsed();
    match done {
        herald::services::imports::PostsImport::Created { .. } => took,
        herald::services::imports::PostsImport::Refused { problems } => {
            panic!(
                "the bench's CSV was refused: {:?}",
                &problems[..problems.len().min(3)]
            )
        }
    }
}

/// Every other post published, with a link to the live post, as a month past half would be.
async fn publish_half(db: &Db) {
    let sql = "UPDATE variants SET state = 'published', published_at_ms = scheduled_at_ms,
                   remote_url = 'https://example.social/@bench/1'
               WHERE (scheduled_at_ms / 60000) % 2 = 0";
    let done = match db {
        Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
    };
    done.expect("publish half");
}

async fn measure(database: &'static str, database_url: Option<String>) -> Figures {
    let fake = FakeMastodon::start(Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = setup::config(&dir.path().join("data"), database_url, 60);
    let app = App::open(config).await.expect("open Herald");
    let s = app.state.services.clone();
    let email = "month@example.com";
    let user = s
        .create_user(NewAccount {
            email,
            display_name: "Month",
            password: PASSWORD,
            is_admin: false,
        })
        .await
        .expect("user");
    let actor = Actor {
        user,
        session_id: None,
        csrf_token: None,
    };
    let ws = s
        .create_workspace(&actor, "Month", "Europe/Paris")
        .await
        .expect("workspace")
        .workspace
        .id;
    let mut channels = Vec::new();
    for i in 0..CHANNELS {
        let request = ConnectRequest::Mastodon {
            instance_url: fake.url(),
            access_token: format!("token-m{i}"),
        };
        let c = s.connect_channel(&actor, ws, request, None).await;
        channels.push(c.expect("channel").id);
    }
    let first = next_month();
    let import_first = import(&app, &actor, ws, csv(first, &channels, 0, FIRST_FILE)).await;
    let import_second = import(
        &app,
        &actor,
        ws,
        csv(first, &channels, FIRST_FILE, SECOND_FILE),
    )
    .await;
    publish_half(app.db()).await;

    let session = s
        .login(email, PASSWORD, "127.0.0.1", "bench")
        .await
        .expect("login");
    let cookie = format!("herald_session={}", session.cookie_token);
    let path = format!("/w/{ws}/calendar?view=month&date={first}");
    let router = app.router();
    let mut page_ms = Vec::with_capacity(RUNS);
    let mut page_bytes = 0;
    for run in 0..WARM_UP + RUNS {
        let request = Request::get(&path)
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .expect("request");
        let started = Instant::now();
        let response = router.clone().oneshot(request).await.expect("answer");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let took = started.elapsed();
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        if run >= WARM_UP {
            page_ms.push(took.as_secs_f64() * 1e3);
        }
        page_bytes = body.len();
    }
    page_ms.sort_by(f64::total_cmp);

    // The calendar query alone, as the page asks it.
    let tz = jiff::tz::TimeZone::get("Europe/Paris").expect("zone");
    let from = first
        .to_zoned_datetime(tz.clone())
        .expect("from")
        .timestamp();
    let to = first
        .checked_add(jiff::Span::new().months(1))
        .expect("end")
        .to_zoned_datetime(tz)
        .expect("to")
        .timestamp();
    let filter = herald::services::calendar::Filter::default();
    let mut query_ms = Vec::with_capacity(RUNS);
    let mut posts = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let cal = s
            .calendar(
                &actor,
                ws,
                from.as_millisecond(),
                to.as_millisecond(),
                &filter,
            )
            .await
            .expect("calendar");
        query_ms.push(started.elapsed().as_secs_f64() * 1e3);
        posts = cal.items.len();
    }
    query_ms.sort_by(f64::total_cmp);
    app.db().close().await;
    Figures {
        database,
        posts,
        import_first,
        import_second,
        page_ms,
        query_ms,
        page_bytes,
    }
}
