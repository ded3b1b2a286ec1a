//! The Mastodon and Bluesky connectors against real servers on loopback, started by
//! `scripts/peers/all.sh` (snac2 for the Mastodon API, @atproto/dev-env's full network for
//! Bluesky). Their addresses come from the environment the script writes; without it these
//! tests say so and skip, except when `HERALD_REQUIRE_PEERS` is set (CI), where they fail.

pub mod bluesky;
mod engine;
mod mastodon;

use std::sync::Arc;

use herald::connectors::http::Http;
use herald::domain::{Clock, SystemClock};

/// A peer's setting, or `None` (with a note) when the peers are not running here.
pub fn env(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Some(v),
        _ if std::env::var_os("HERALD_REQUIRE_PEERS").is_some() => {
            panic!("{name} is not set: start the peers with scripts/peers/all.sh start")
        }
        _ => {
            eprintln!("skipped: {name} is not set (scripts/peers/all.sh start runs the peers)");
            None
        }
    }
}

pub fn http() -> Http {
    Http::new(true).expect("http client")
}

pub fn clock() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// A plain HTTP client for what the tests do themselves (sign in as a person would). No
/// kept connections: snac closes them without saying so.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .expect("client")
}

/// Polls `probe` every 300 ms until it returns `Some`, for at most `seconds` (the servers
/// deliver and index asynchronously).
pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: not seen within {seconds} s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
}

/// A 3x2 PNG, so aspect ratios are visible.
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(3, 2, |x, y| image::Rgb([x as u8 * 80, y as u8 * 120, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}
