//! The composition root: configuration in, a running Herald out.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::blobs::FsBlobStore;
use crate::config::Config;
use crate::connectors::link_preview::Previewer;
use crate::connectors::registry::Registry;
use crate::crypto::{MasterKey, SecretBox};
use crate::domain::{Clock, SystemClock};
use crate::jobs::{Worker, WorkerOptions};
use crate::services::Services;
use crate::services::media::{MediaLimits, MediaStore};
use crate::storage::{self, Db};
use crate::web::{self, AppState};

/// An opened install: database connected and migrated, key loaded.
pub struct App {
    pub state: AppState,
}

impl App {
    /// Opens the data folder (creating it on first run), the master key and the database.
    pub async fn open(config: Config) -> anyhow::Result<App> {
        Self::open_with_clock(config, Arc::new(SystemClock)).await
    }

    pub async fn open_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        ensure_data_dir(&config.data_dir)?;
        let key = load_key(&config)?;
        let db = open_db(&config).await?;
        db.migrate().await.context("applying database migrations")?;
        let previewer = Previewer::new(config.allow_private_hosts, Duration::from_secs(5))
            .context("building the HTTP client")?;
        let media = media_store(&config)?;
        let timeout = Duration::from_secs(config.connector_timeout_secs.clamp(1, 600));
        let network_base = config
            .network_base_url
            .as_deref()
            .map(url::Url::parse)
            .transpose()
            .context("HERALD_NETWORK_BASE_URL is not a URL")?;
        let connectors = Registry::new(
            config.allow_private_hosts,
            timeout,
            network_base.as_ref(),
            clock.clone(),
        )
        .context("building the connectors' HTTP client")?;
        let connectors = match config.network_concurrency {
            Some(limit) => connectors.with_concurrency(limit),
            None => connectors,
        };
        let feed_fetcher =
            crate::connectors::feeds::FeedFetcher::new(config.allow_private_hosts, timeout)
                .context("building the feed reader's HTTP client")?;
        let mailer = crate::mail::Mailer::from_config(&config)
            .map_err(anyhow::Error::msg)
            .context("setting up SMTP")?;
        let services = Services::new(db, clock, SecretBox::new(key), previewer, media, connectors)
            .with_public_url(config.public_url.clone())
            .with_feed_fetcher(feed_fetcher)
            .with_mailer(mailer);
        Ok(App {
            state: AppState {
                services,
                config: Arc::new(config),
            },
        })
    }

    pub fn db(&self) -> &Db {
        &self.state.services.db
    }

    /// A worker for this install's job queue, as configured.
    pub fn worker(&self) -> Worker {
        Worker::new(
            self.state.services.clone(),
            WorkerOptions {
                concurrency: self.state.config.worker_concurrency.clamp(1, 4096),
                // Heartbeats come every third of a lease, so a lease under 3 s would mean a
                // write per running job every second.
                lease_ms: self.state.config.job_lease_secs.clamp(3, 3600) as i64 * 1000,
                ..WorkerOptions::default()
            },
        )
    }

    /// Runs only the workers and housekeeping (`herald worker`), until `shutdown`.
    pub async fn work(self, shutdown: impl Future<Output = ()> + Send + 'static) {
        let maintenance = tokio::spawn(maintenance(self.state.services.clone()));
        self.worker().run(shutdown).await;
        maintenance.abort();
        self.state.services.db.close().await;
    }

    pub fn router(&self) -> axum::Router {
        web::router(self.state.clone())
    }

    /// Serves HTTP until `shutdown` resolves, then lets requests in flight finish.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let maintenance = tokio::spawn(maintenance(self.state.services.clone()));
        let (stop_worker, worker_stopped) = tokio::sync::oneshot::channel::<()>();
        let worker = tokio::spawn(self.worker().run(async {
            let _ = worker_stopped.await;
        }));
        let app = self
            .router()
            .layer(axum::middleware::from_fn(crate::telemetry::track_http));
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")?;
        // Publishes under way finish (their leases would hand them to another instance).
        let _ = stop_worker.send(());
        let _ = worker.await;
        maintenance.abort();
        self.state.services.db.close().await;
        Ok(())
    }
}

/// Creates the data folder readable by its owner only.
pub fn ensure_data_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the data folder {}", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

pub fn load_key(config: &Config) -> anyhow::Result<MasterKey> {
    match config.secret_key.as_deref().filter(|k| !k.is_empty()) {
        Some(text) => MasterKey::parse(text).context("HERALD_SECRET_KEY"),
        None => Ok(MasterKey::load_or_create(&config.data_dir)?),
    }
}

/// Media under `{data_dir}/media`, uploads spooled to `{data_dir}/spool`. Spool files a day
/// old belonged to uploads a crashed run never finished; younger ones may be another
/// instance's upload in flight (instances may share the data folder), so they stay.
pub fn media_store(config: &Config) -> anyhow::Result<MediaStore> {
    let spool_dir = config.data_dir.join("spool");
    std::fs::create_dir_all(&spool_dir).context("creating the upload spool")?;
    let day = Duration::from_secs(24 * 3600);
    for entry in std::fs::read_dir(&spool_dir)?.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day));
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(MediaStore {
        blobs: Arc::new(FsBlobStore::new(config.data_dir.join("media"))),
        spool_dir,
        limits: MediaLimits {
            max_image_bytes: config.media_max_image_bytes,
            max_video_bytes: config.media_max_video_bytes,
            max_pixels: config.media_max_pixels,
        },
    })
}

pub async fn open_db(config: &Config) -> anyhow::Result<Db> {
    let url = config.database()?;
    storage::connect(&url)
        .await
        .with_context(|| format!("connecting to {}", url.redacted()))
}

/// Housekeeping every instance may do at any time: it is idempotent.
async fn maintenance(services: Services) {
    // Every five minutes: short-lived tokens (two hours on X and Bluesky) are renewed in
    // their last fifteen.
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    let mut passes: u64 = 0;
    loop {
        tick.tick().await;
        if passes.is_multiple_of(12) {
            let now = services.now_ms();
            if let Err(e) = storage::sessions::purge_expired(&services.db, now).await {
                tracing::warn!(error = %e, "purging expired sessions failed");
            }
            // Finished jobs are kept a week, to be looked at.
            if let Err(e) = storage::jobs::prune(&services.db, now - 7 * 24 * 3_600_000).await {
                tracing::warn!(error = %e, "pruning finished jobs failed");
            }
        }
        passes += 1;
        match services.refresh_expiring_tokens().await {
            Ok(r) if r.renewed + r.failed > 0 => {
                tracing::info!(
                    renewed = r.renewed,
                    failed = r.failed,
                    "channel tokens renewed"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "renewing channel tokens failed"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
