//! Configuration: defaults, then `herald.toml`, then `HERALD_*` variables, then flags.
//! One typed value, validated at start-up and passed down explicitly (no global).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::storage::DatabaseUrl;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder for the SQLite database, the master key and (later) media.
    pub data_dir: PathBuf,
    /// `postgres://...` to use PostgreSQL; empty for SQLite inside `data_dir`.
    pub database_url: Option<String>,
    /// Where the web UI and API listen.
    pub listen: SocketAddr,
    /// The address people use to reach Herald (links in invites, OAuth redirects).
    pub public_url: Option<String>,
    /// Prometheus metrics on their own listener; off unless set.
    pub metrics_listen: Option<SocketAddr>,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// A tracing filter, e.g. `info` or `herald=debug,info`.
    pub log_level: String,
    /// The master key (32 bytes, base64 or hex); when absent, `secret.key` in `data_dir`.
    pub secret_key: Option<String>,
    /// Lets connectors reach loopback and private addresses (tests and local peers only).
    pub allow_private_hosts: bool,
    /// The largest picture (JPEG, PNG, WebP, GIF) the media library accepts, in bytes.
    pub media_max_image_bytes: u64,
    /// The largest video (MP4, MOV) the media library accepts, in bytes.
    pub media_max_video_bytes: u64,
    /// The most pixels (width × height) a picture may have; larger ones are refused before
    /// they are decoded, so a small file claiming huge dimensions cannot exhaust memory.
    pub media_max_pixels: u64,
    /// How long one call to a network may take before it counts as failed (uploads get
    /// longer), in seconds.
    pub connector_timeout_secs: u64,
    /// Publish jobs one instance runs at once (each mostly waits on a network).
    pub worker_concurrency: usize,
    /// How long a worker's claim on a job lasts without a heartbeat, in seconds: a crashed
    /// worker's jobs are taken over after it. Shorter hands them over sooner but costs more
    /// heartbeat writes.
    pub job_lease_secs: u64,
    /// Calls in flight to one network at once, when set (otherwise each network's own
    /// default: 8 for Mastodon and Bluesky, 4 for the others).
    pub network_concurrency: Option<usize>,
    /// Sends every call for X, Facebook, Instagram, LinkedIn and Threads to this one server
    /// at those networks' paths instead of their own hosts: for tests and recording proxies,
    /// never for production.
    pub network_base_url: Option<String>,
    /// The SMTP server notification emails go through; no emails unless set.
    pub smtp_host: Option<String>,
    /// Its port; by default 25 without TLS, 587 with STARTTLS, 465 with TLS.
    pub smtp_port: Option<u16>,
    /// `none` (plain, for a relay on loopback), `starttls` or `tls`.
    pub smtp_tls: SmtpTls,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    /// The sender, e.g. `Herald <herald@example.com>`.
    pub smtp_from: Option<String>,
}

/// How the SMTP connection is protected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text: only for a relay on the same machine or a trusted network.
    None,
    /// Plain, then upgraded with STARTTLS (refused when the server cannot).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("herald-data"),
            database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            metrics_listen: None,
            log_format: LogFormat::Text,
            log_level: "info".into(),
            secret_key: None,
            allow_private_hosts: false,
            media_max_image_bytes: 40_000_000,
            // X's limit, the largest of the networks Herald publishes videos to.
            media_max_video_bytes: 512_000_000,
            // A 50-megapixel camera's photos pass, with room to spare.
            media_max_pixels: 60_000_000,
            connector_timeout_secs: 30,
            worker_concurrency: 64,
            job_lease_secs: 60,
            network_concurrency: None,
            network_base_url: None,
            smtp_host: None,
            smtp_port: None,
            smtp_tls: SmtpTls::default(),
            smtp_username: None,
            smtp_password: None,
            smtp_from: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
    #[error(transparent)]
    Figment(#[from] Box<figment::Error>),
}

/// The `HERALD_*` variables read as configuration (others, like `HERALD_TEST_DATABASE_URL`,
/// belong to the tests).
const ENV_KEYS: [&str; 23] = [
    "data_dir",
    "database_url",
    "listen",
    "public_url",
    "metrics_listen",
    "log_format",
    "log_level",
    "secret_key",
    "allow_private_hosts",
    "media_max_image_bytes",
    "media_max_video_bytes",
    "media_max_pixels",
    "connector_timeout_secs",
    "worker_concurrency",
    "job_lease_secs",
    "network_concurrency",
    "network_base_url",
    "smtp_host",
    "smtp_port",
    "smtp_tls",
    "smtp_username",
    "smtp_password",
    "smtp_from",
];

impl Config {
    /// Layers the sources; `overrides` are the flags given on the command line.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => {
                return Err(ConfigError::Invalid(format!(
                    "{} does not exist",
                    path.display()
                )));
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new("herald.toml").exists() => {
                figment = figment.merge(Toml::file_exact("herald.toml"))
            }
            None => {}
        }
        let config: Config = figment
            .merge(Env::prefixed("HERALD_").only(&ENV_KEYS))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.database()?;
        if let Some(url) = &self.public_url {
            let parsed = url::Url::parse(url)
                .map_err(|e| ConfigError::Invalid(format!("public_url {url:?}: {e}")))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(ConfigError::Invalid(format!(
                    "public_url {url:?} must start with http:// or https://"
                )));
            }
        }
        crate::mail::check_settings(self).map_err(ConfigError::Invalid)?;
        Ok(())
    }

    pub fn database(&self) -> Result<DatabaseUrl, ConfigError> {
        match self.database_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => DatabaseUrl::parse(url).map_err(|e| ConfigError::Invalid(e.to_string())),
            None => Ok(DatabaseUrl::sqlite_in(&self.data_dir)),
        }
    }

    /// The public base URL without a trailing slash.
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// True when the public URL is https, so cookies get `Secure`.
    pub fn behind_tls(&self) -> bool {
        self.public_base().starts_with("https://")
    }
}

/// Values given as flags; `None` leaves the lower layers in charge.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics_listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_private_hosts: Option<bool>,
}
