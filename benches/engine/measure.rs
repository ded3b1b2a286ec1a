//! What a burst did: lateness on the stand-in server, throughput, duplicates and losses, and
//! where each post's time went, from the attempts Herald recorded.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use herald::storage::Db;
use uuid::Uuid;

use crate::fake_mastodon::{FakeMastodon, Received};
use crate::setup::{Install, POSTS};

/// Statuses created per post, once the burst is over.
pub struct Burst {
    /// Milliseconds after the due instant the server saw each post, first copy, sorted.
    pub late_ms: Vec<i64>,
    /// Posts the server received per second, from the due instant to the last one.
    pub per_sec: f64,
    pub duplicates: usize,
    pub resends: usize,
    pub published: usize,
    pub exactly_once: usize,
    /// Variant states other than published, counted.
    pub left: Vec<(String, i64)>,
    pub lost: usize,
}

/// Waits until the server has every post (or `limit` passes).
pub async fn wait_for_all(fake: &FakeMastodon, limit: Duration) {
    let started = Instant::now();
    while distinct(&fake.statuses()).len() < POSTS && started.elapsed() < limit {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until no variant is scheduled or publishing (the last answers settled).
pub async fn wait_settled(db: &Db, limit: Duration) {
    let started = Instant::now();
    while started.elapsed() < limit {
        let states = variant_states(db).await;
        if !states
            .iter()
            .any(|(s, _)| s == "scheduled" || s == "publishing")
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The first copy of each post the server created, by (account, text).
fn distinct(statuses: &[Received]) -> HashMap<(&str, &str), (usize, &Received)> {
    let mut by_post: HashMap<(&str, &str), (usize, &Received)> = HashMap::new();
    for r in statuses {
        by_post
            .entry((r.account.as_str(), r.text.as_str()))
            .and_modify(|(n, _)| *n += 1)
            .or_insert((1, r));
    }
    by_post
}

pub async fn burst(install: &Install) -> Burst {
    let statuses = install.fake.statuses();
    let by_post = distinct(&statuses);
    let mut late_ms: Vec<i64> = by_post
        .values()
        .map(|(_, r)| r.at_ms - install.due_ms)
        .collect();
    late_ms.sort_unstable();
    let last = late_ms.last().copied().unwrap_or(1).max(1);
    let states = variant_states(install.app.db()).await;
    let published = states
        .iter()
        .find(|(s, _)| s == "published")
        .map_or(0, |(_, n)| *n as usize);
    let left: Vec<(String, i64)> = states
        .into_iter()
        .filter(|(s, _)| s != "published")
        .collect();
    Burst {
        per_sec: late_ms.len() as f64 * 1000.0 / last as f64,
        duplicates: statuses.len() - by_post.len(),
        resends: install.fake.resends(),
        exactly_once: by_post.values().filter(|(n, _)| *n == 1).count(),
        lost: POSTS - by_post.len(),
        late_ms,
        published,
        left,
    }
}

async fn variant_states(db: &Db) -> Vec<(String, i64)> {
    let sql = "SELECT state, COUNT(*) FROM variants GROUP BY state ORDER BY state";
    match db {
        Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .expect("variant states")
}

pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    Some(sorted[i])
}

/// "p50 / p90 / p99 / max" in seconds.
pub fn spread(sorted_ms: &[i64]) -> String {
    let s = |p: f64| {
        percentile(sorted_ms, p).map_or("-".into(), |ms| format!("{:.2}", ms as f64 / 1e3))
    };
    format!("{} / {} / {} / {}", s(0.5), s(0.9), s(0.99), s(1.0))
}

/// Where a post's time went: due → attempt begun (waiting for a job slot, the claim, the
/// variant taken), begun → received (reads, the attempt written, waiting for the channel's
/// lane and the network), received → published (the answer read, attempt and variant
/// settled).
pub struct Phases {
    pub to_attempt: Vec<i64>,
    pub to_network: Vec<i64>,
    pub to_settled: Vec<i64>,
}

pub async fn phases(install: &Install) -> Phases {
    let sql = "SELECT v.id, a.started_at_ms, v.published_at_ms FROM variants v
               JOIN attempts a ON a.variant_id = v.id AND a.number = 1";
    let rows: Vec<(Uuid, i64, Option<i64>)> = match install.app.db() {
        Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .expect("attempts");
    // The server keys each status by `account:herald-{variant}-{part}`.
    let received: HashMap<Uuid, i64> = install
        .fake
        .statuses()
        .iter()
        .filter_map(|r| {
            let key = r.key.as_deref()?.split_once(":herald-")?.1;
            let variant = key.get(..36)?.parse().ok()?;
            Some((variant, r.at_ms))
        })
        .collect();
    let mut p = Phases {
        to_attempt: Vec::new(),
        to_network: Vec::new(),
        to_settled: Vec::new(),
    };
    for (id, started, published) in rows {
        p.to_attempt.push(started - install.due_ms);
        if let Some(at) = received.get(&id) {
            p.to_network.push(at - started);
            if let Some(done) = published {
                p.to_settled.push(done - at);
            }
        }
    }
    p.to_attempt.sort_unstable();
    p.to_network.sort_unstable();
    p.to_settled.sort_unstable();
    p
}
