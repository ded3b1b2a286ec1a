//! The publishing engine under a burst (BENCHMARKS.md, "Publishing engine"): 500 Mastodon
//! channels on a stand-in server answering after 50 ms, 10,000 posts due at one instant.
//!
//! 1. SQLite, one instance: a worker in this process (`App::worker().run`, system clock);
//!    lateness (the server's receive time minus the due time), throughput, duplicates,
//!    losses, and where the time went.
//! 2. PostgreSQL, 1 then 3 `herald worker` processes sharing a fresh database.
//! 3. SQLite, one `herald worker` process killed with SIGKILL during the burst and started
//!    again: what was published once, resent, lost or left.
//! 4. The queue alone: claims per second, batches of 1 and 64, on SQLite and PostgreSQL.
//! 5. The calendar's month page with 5,000 posts, and CSV imports (`engine/month.rs`).
//!
//!     cargo bench --bench engine        # all parts; HERALD_BENCH_PARTS=1,4 for some
//!
//! PostgreSQL must be at postgres://postgres@127.0.0.1:5432 (trust); each run creates a
//! `herald_bench_*` database and drops it.
#![forbid(unsafe_code)]

#[path = "engine/claims.rs"]
mod claims;
#[path = "../tests/support/fake_mastodon.rs"]
mod fake_mastodon;
#[path = "engine/measure.rs"]
mod measure;
#[path = "engine/month.rs"]
mod month;
#[path = "engine/setup.rs"]
mod setup;

use std::time::{Duration, Instant};

use measure::{Burst, spread};
use setup::{CONCURRENCY, Install, POSTS, prepare};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How far ahead of the end of set-up the burst is due.
const LEAD: Duration = Duration::from_secs(3);
/// The longest a burst may take before the bench reports what it has.
const LIMIT: Duration = Duration::from_secs(180);
/// The lease for the crash run: the restarted worker takes the killed one's jobs after it.
const CRASH_LEASE_SECS: u64 = 5;

fn header() {
    println!(
        "| run | set-up | lateness p50 / p90 / p99 / max (s) | posts/s | published | duplicates | resends absorbed | lost | left (state: n) |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---|");
}

fn row(name: &str, install: &Install, b: &Burst) {
    let left: Vec<String> = b.left.iter().map(|(s, n)| format!("{s}: {n}")).collect();
    println!(
        "| {name} | {:.0} s | {} | {:.0} | {} | {} | {} | {} | {} |",
        install.setup.as_secs_f64(),
        spread(&b.late_ms),
        b.per_sec,
        b.published,
        b.duplicates,
        b.resends,
        b.lost,
        if left.is_empty() {
            "none".into()
        } else {
            left.join(", ")
        },
    );
}

async fn phases_table(install: &Install) {
    let p = measure::phases(install).await;
    println!("\n| phase (first attempt, s) | p50 / p90 / p99 / max |");
    println!("|---|---|");
    println!(
        "| due → attempt begun (slot, claim, variant taken) | {} |",
        spread(&p.to_attempt)
    );
    println!(
        "| attempt begun → server received (attempt written, lane, network) | {} |",
        spread(&p.to_network)
    );
    println!(
        "| server received → variant published (answer, settled) | {} |",
        spread(&p.to_settled)
    );
}

/// Part 1: SQLite, the worker in this process.
async fn burst_sqlite() {
    println!("\n## 1. Burst on SQLite, one instance, worker in process\n");
    let install = prepare(None, 60, LEAD).await;
    let http = install.app.state.services.connectors.http.clone();
    let (calls_before, wait_before) = http.network_wait();
    let cpu_before = cpu_secs();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(install.app.worker().run(async {
        let _ = stopped.await;
    }));
    measure::wait_for_all(&install.fake, LIMIT).await;
    measure::wait_settled(install.app.db(), Duration::from_secs(30)).await;
    let (calls_after, wait_after) = http.network_wait();
    let cpu = cpu_secs() - cpu_before;
    let _ = stop.send(());
    let _ = worker.await;
    let b = measure::burst(&install).await;
    header();
    row("SQLite, 1 worker (in process)", &install, &b);
    phases_table(&install).await;
    let window = b.late_ms.last().copied().unwrap_or(1).max(1) as f64 / 1e3;
    let waited = (wait_after - wait_before).as_secs_f64();
    println!(
        "\nnetwork: {} calls, {:.0} s waited in all, {:.0} calls in flight on average over the {:.2} s burst",
        calls_after - calls_before,
        waited,
        waited / window,
        window
    );
    println!(
        "CPU: {cpu:.1} s used by this process (Herald and the stand-in server) from 3 s before the due time to the end, of {:.1} s available on 2 cores",
        2.0 * (window + LEAD.as_secs_f64())
    );
    install.close().await;
}

/// User and system CPU time this process has used, from /proc (Linux).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) start at the state.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; 100 Hz.
    (ticks(11) + ticks(12)) / 100.0
}

/// Part 2: PostgreSQL, `workers` processes.
async fn burst_postgres(workers: usize) -> (Install, Burst) {
    let install = prepare(Some(setup::fresh_postgres().await), 60, LEAD).await;
    let children: Vec<_> = (0..workers).map(|_| install.spawn_worker(60)).collect();
    measure::wait_for_all(&install.fake, LIMIT).await;
    measure::wait_settled(install.app.db(), Duration::from_secs(30)).await;
    children.into_iter().for_each(setup::stop);
    let b = measure::burst(&install).await;
    (install, b)
}

/// Part 3: the only worker killed a third of the way through, then started again.
async fn crash_sqlite() {
    println!("\n## 3. Crash: SQLite, the only `herald worker` killed (SIGKILL) and restarted\n");
    let install = prepare(None, CRASH_LEASE_SECS, LEAD).await;
    let mut first = install.spawn_worker(CRASH_LEASE_SECS);
    while install.fake.statuses().len() < POSTS / 3 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = first.kill();
    let _ = first.wait();
    let killed_at = install.fake.statuses().len();
    let second = install.spawn_worker(CRASH_LEASE_SECS);
    measure::wait_for_all(&install.fake, LIMIT).await;
    measure::wait_settled(install.app.db(), Duration::from_secs(30)).await;
    setup::stop(second);
    let b = measure::burst(&install).await;
    header();
    row(
        &format!(
            "SQLite, killed after {killed_at} statuses, restarted, lease {CRASH_LEASE_SECS} s"
        ),
        &install,
        &b,
    );
    println!(
        "\npublished exactly once: {} of {POSTS}; statuses created twice: {}; resends the server absorbed (Idempotency-Key): {}; lost: {}",
        b.exactly_once, b.duplicates, b.resends, b.lost
    );
    install.close().await;
}

/// Part 4: the queue alone.
async fn claim_rates() {
    println!("\n## 4. Claims per second (one claimer; claim, then finish each job)\n");
    println!(
        "| database | batch | jobs | claimed + finished /s | claimed /s (claim statement only) |"
    );
    println!("|---|---:|---:|---:|---:|");
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = herald::storage::DatabaseUrl::Sqlite(dir.path().join("claims.db"));
    let pg_url = setup::fresh_postgres().await;
    let postgres = herald::storage::DatabaseUrl::Postgres(pg_url.clone());
    for (name, url) in [("SQLite", sqlite), ("PostgreSQL", postgres)] {
        let db = herald::storage::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        for batch in [1, 64] {
            claims::fill(&db).await;
            let c = claims::run(&db, batch).await;
            println!(
                "| {name} | {} | {} | {:.0} | {:.0} |",
                c.batch, c.jobs, c.per_sec, c.claim_only_per_sec
            );
        }
        db.close().await;
    }
    setup::drop_postgres(&pg_url).await;
}

#[tokio::main]
async fn main() {
    // `cargo test --all-targets` runs benchmark targets too: this one takes minutes, so it
    // runs only under `cargo bench`, which passes `--bench`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("engine benchmark skipped: run it with `cargo bench --bench engine`");
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let parts = std::env::var("HERALD_BENCH_PARTS").unwrap_or_else(|_| "1,2,3,4,5".into());
    let wanted = |p: &str| parts.split(',').any(|x| x.trim() == p);
    let started = Instant::now();
    println!(
        "{POSTS} posts on {} Mastodon channels, {} ms per request, worker_concurrency = network_concurrency = {CONCURRENCY}",
        setup::CHANNELS,
        setup::LATENCY.as_millis()
    );
    if wanted("1") {
        burst_sqlite().await;
    }
    if wanted("2") {
        println!("\n## 2. Scale-out on PostgreSQL, `herald worker` processes\n");
        header();
        for workers in [1, 3] {
            let (install, b) = burst_postgres(workers).await;
            row(&format!("PostgreSQL, {workers} worker(s)"), &install, &b);
            install.close().await;
        }
    }
    if wanted("3") {
        crash_sqlite().await;
    }
    if wanted("4") {
        claim_rates().await;
    }
    if wanted("5") {
        month::run().await;
    }
    println!("\ntotal {:.0} s", started.elapsed().as_secs_f64());
}
