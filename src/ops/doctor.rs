//! `herald doctor`: checks the configuration, the public URL, the data folder, the database
//! and the key, and says what to fix.

use std::path::Path;

use crate::config::Config;
use crate::crypto::SecretBox;

#[derive(Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

pub struct Check {
    pub status: Status,
    pub name: &'static str,
    pub detail: String,
}

fn check(status: Status, name: &'static str, detail: impl Into<String>) -> Check {
    Check {
        status,
        name,
        detail: detail.into(),
    }
}

pub async fn run(config: &Config) -> Vec<Check> {
    let mut out = vec![check(Status::Ok, "configuration", "loaded and valid")];
    out.push(public_url(config));
    out.push(data_dir(&config.data_dir));
    out.push(key(config));
    let (db_check, apps) = database(config).await;
    out.push(db_check);
    out.extend(apps);
    out.push(email(config).await);
    out.push(video_probe());
    out
}

/// Notification emails: off, or the SMTP server answers.
async fn email(config: &Config) -> Check {
    let mailer = match crate::mail::Mailer::from_config(config) {
        Ok(Some(mailer)) => mailer,
        Ok(None) => {
            return check(
                Status::Ok,
                "email",
                "no SMTP server set: notifications show in the app only (HERALD_SMTP_HOST)",
            );
        }
        Err(e) => return check(Status::Fail, "email", e),
    };
    let server = format!(
        "{}:{} ({:?})",
        config.smtp_host.as_deref().unwrap_or(""),
        config
            .smtp_port
            .map_or("default port".into(), |p| p.to_string()),
        config.smtp_tls
    );
    match mailer.check_connection().await {
        Ok(()) => check(Status::Ok, "email", format!("{server} answers")),
        Err(e) => check(Status::Fail, "email", format!("{server}: {e}")),
    }
}

/// Videos are measured in Rust; `ffprobe` is the fallback for files that parser cannot read.
fn video_probe() -> Check {
    let found = std::process::Command::new("ffprobe")
        .arg("-version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        check(
            Status::Ok,
            "video probe",
            "MP4/MOV read in Rust; ffprobe found as a fallback",
        )
    } else {
        check(
            Status::Ok,
            "video probe",
            "MP4/MOV read in Rust; install ffmpeg (ffprobe) to also measure unusual files",
        )
    }
}

fn public_url(config: &Config) -> Check {
    match &config.public_url {
        None => check(
            Status::Warn,
            "public URL",
            format!(
                "not set; links will use {} (set HERALD_PUBLIC_URL to the address people use)",
                config.public_base()
            ),
        ),
        Some(url)
            if url.starts_with("http://")
                && !url.contains("://127.0.0.1")
                && !url.contains("://localhost") =>
        {
            check(
                Status::Warn,
                "public URL",
                format!(
                    "{url} is not https: put Herald behind TLS so sessions and tokens are not sent in clear"
                ),
            )
        }
        Some(url) => check(Status::Ok, "public URL", url.clone()),
    }
}

fn data_dir(dir: &Path) -> Check {
    let Ok(meta) = std::fs::metadata(dir) else {
        return check(
            Status::Fail,
            "data folder",
            format!("{} does not exist (herald serve creates it)", dir.display()),
        );
    };
    if !meta.is_dir() {
        return check(
            Status::Fail,
            "data folder",
            format!("{} is not a folder", dir.display()),
        );
    }
    let probe = dir.join(".doctor-write-test");
    if std::fs::write(&probe, b"ok")
        .and_then(|()| std::fs::remove_file(&probe))
        .is_err()
    {
        return check(
            Status::Fail,
            "data folder",
            format!("{} is not writable", dir.display()),
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o007 != 0 {
            return check(
                Status::Warn,
                "data folder",
                format!(
                    "{} is readable by other users (mode {mode:o}); run chmod 700",
                    dir.display()
                ),
            );
        }
    }
    check(
        Status::Ok,
        "data folder",
        format!("{} is writable and private", dir.display()),
    )
}

fn key(config: &Config) -> Check {
    if config.secret_key.as_deref().is_some_and(|k| !k.is_empty()) {
        return match crate::app::load_key(config) {
            Ok(k) => round_trip(k, "from HERALD_SECRET_KEY"),
            Err(e) => check(Status::Fail, "master key", format!("{e:#}")),
        };
    }
    let path = config.data_dir.join(crate::crypto::master_key::KEY_FILE);
    if !path.exists() {
        return check(
            Status::Warn,
            "master key",
            format!(
                "{} does not exist yet; herald serve creates it",
                path.display()
            ),
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(&path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode != 0o600 {
                return check(
                    Status::Fail,
                    "master key",
                    format!("{} has mode {mode:o}; run chmod 600", path.display()),
                );
            }
        }
    }
    match crate::app::load_key(config) {
        Ok(k) => round_trip(k, &format!("from {}", path.display())),
        Err(e) => check(Status::Fail, "master key", format!("{e:#}")),
    }
}

fn round_trip(key: crate::crypto::MasterKey, origin: &str) -> Check {
    let secrets = SecretBox::new(key);
    let sealed = secrets.encrypt(b"doctor", "doctor");
    match secrets.decrypt(&sealed, "doctor") {
        Ok(p) if p == b"doctor" => check(
            Status::Ok,
            "master key",
            format!("key {} {origin} encrypts and decrypts", secrets.key_id()),
        ),
        _ => check(Status::Fail, "master key", "encryption round trip failed"),
    }
}

/// The database's state, then (when it answers with current migrations) the networks' apps.
async fn database(config: &Config) -> (Check, Option<Check>) {
    let url = match config.database() {
        Ok(url) => url,
        Err(e) => return (check(Status::Fail, "database", e.to_string()), None),
    };
    let db = match crate::storage::connect(&url).await {
        Ok(db) => db,
        Err(e) => {
            let failed = check(
                Status::Fail,
                "database",
                format!("cannot connect to {}: {e}", url.redacted()),
            );
            return (failed, None);
        }
    };
    let result = match (db.ping().await, db.migrations_current().await) {
        (Ok(()), Ok(true)) => check(
            Status::Ok,
            "database",
            format!("{} answers; migrations are current", url.redacted()),
        ),
        (Ok(()), _) => check(
            Status::Warn,
            "database",
            format!(
                "{} answers; migrations pending (run herald migrate)",
                url.redacted()
            ),
        ),
        (Err(e), _) => check(Status::Fail, "database", format!("{}: {e}", url.redacted())),
    };
    let apps = match result.status {
        Status::Ok => Some(network_apps(&db).await),
        _ => None,
    };
    db.close().await;
    (result, apps)
}

/// Which networks can be connected through their sign-in pages (an admin entered the app).
async fn network_apps(db: &crate::storage::Db) -> Check {
    use crate::services::network_apps::OAUTH_NETWORKS;
    let stored = match crate::storage::oauth::network_apps(db).await {
        Ok(apps) => apps,
        Err(e) => return check(Status::Fail, "network apps", e.to_string()),
    };
    let (with, without): (Vec<_>, Vec<_>) = OAUTH_NETWORKS.iter().partition(|n| {
        stored
            .iter()
            .any(|a| a.network == n.as_str() && !a.client_id.is_empty())
    });
    let names = |list: &[&crate::domain::text::Network]| {
        list.iter()
            .map(|n| n.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if without.is_empty() {
        check(
            Status::Ok,
            "network apps",
            format!("configured: {}", names(&with)),
        )
    } else {
        check(
            Status::Warn,
            "network apps",
            format!(
                "not configured: {} (an instance admin enters them on the Networks page); Mastodon and Bluesky need none{}",
                names(&without),
                if with.is_empty() {
                    String::new()
                } else {
                    format!("; configured: {}", names(&with))
                }
            ),
        )
    }
}
