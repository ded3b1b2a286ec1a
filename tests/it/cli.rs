//! The binary as an operator runs it: `user create`, `token create`, `serve`, `backup`,
//! `doctor`, SIGTERM, and two instances sharing one PostgreSQL.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use crate::support::db::fresh_postgres;
use crate::support::{Backend, backends};

const BIN: &str = env!("CARGO_BIN_EXE_herald");

fn herald(data: &Path, db: Option<&str>, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .arg("--data-dir")
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(url) = db {
        cmd.arg("--database-url").arg(url);
    }
    cmd.env_remove("HERALD_DATABASE_URL")
        .env("HERALD_LOG", "warn");
    let mut child = cmd.spawn().expect("spawn herald");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().expect("herald output")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `herald serve` process, stopped by PID when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(data: &Path, db: Option<&str>, key: &str) -> Server {
        let port = free_port();
        let mut cmd = Command::new(BIN);
        cmd.arg("serve")
            .arg("--data-dir")
            .arg(data)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"));
        if let Some(url) = db {
            cmd.arg("--database-url").arg(url);
        }
        let child = cmd
            .env("HERALD_SECRET_KEY", key)
            .env("HERALD_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn serve");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..100 {
            if let Ok(r) = reqwest::get(format!("{}/readyz", server.base)).await
                && r.status().is_success()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("herald serve did not become ready at {}", server.base);
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("herald serve ignored SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_owned()
}

#[tokio::test]
async fn operators_create_users_and_tokens_back_up_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let weak = herald(
        &data,
        None,
        &[
            "user",
            "create",
            "--email",
            "ops@example.com",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(!weak.status.success());
    assert!(
        stderr(&weak).contains("password: must be at least 10 characters"),
        "{}",
        stderr(&weak)
    );

    let created = herald(
        &data,
        None,
        &[
            "user",
            "create",
            "--email",
            "ops@example.com",
            "--password-stdin",
            "--admin",
        ],
        Some("correct horse battery\n"),
    );
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stdout(&created).contains("as an instance admin"));
    let dup = herald(
        &data,
        None,
        &[
            "user",
            "create",
            "--email",
            "OPS@example.com",
            "--password-stdin",
        ],
        Some("correct horse battery\n"),
    );
    assert!(
        stderr(&dup).contains("email: an account with this email already exists"),
        "{}",
        stderr(&dup)
    );

    let token = herald(
        &data,
        None,
        &["token", "create", "--email", "ops@example.com"],
        None,
    );
    assert!(token.status.success(), "{}", stderr(&token));
    let token = stdout(&token);
    assert!(token.starts_with("hrld_"));
    let unknown = herald(
        &data,
        None,
        &["token", "create", "--email", "nobody@example.com"],
        None,
    );
    assert!(stderr(&unknown).contains("no account has the email"));

    let mode = std::fs::metadata(data.join("secret.key")).unwrap();
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
        0o600
    );

    let key = std::fs::read_to_string(data.join("secret.key")).unwrap();
    let mut server = Server::start(&data, None, key.trim()).await;
    let client = reqwest::Client::new();
    let me: serde_json::Value = client
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "ops@example.com");

    let copy = dir.path().join("backup.db");
    let backup = herald(
        &data,
        None,
        &["backup", "--to", copy.to_str().unwrap()],
        None,
    );
    assert!(backup.status.success(), "{}", stderr(&backup));
    let again = herald(
        &data,
        None,
        &["backup", "--to", copy.to_str().unwrap()],
        None,
    );
    assert!(stderr(&again).contains("already exists"));
    let restored = herald::storage::connect(&herald::storage::DatabaseUrl::Sqlite(copy))
        .await
        .unwrap();
    let herald::storage::Db::Sqlite(pool) = &restored else {
        unreachable!()
    };
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(users, 1, "the backup holds the data");

    let doctor = herald(&data, None, &["doctor"], None);
    let report = stdout(&doctor);
    assert!(report.contains("[ok  ] database"), "{report}");
    assert!(report.contains("[ok  ] master key"), "{report}");
    assert!(report.contains("[warn] public URL"), "{report}");

    let status = server.terminate();
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
}

#[tokio::test]
async fn metrics_listen_apart_and_logs_can_be_json() {
    let dir = tempfile::tempdir().unwrap();
    let (port, metrics_port) = (free_port(), free_port());
    let child = Command::new(BIN)
        .args([
            "serve",
            "--log-format",
            "json",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args(["--metrics-listen", &format!("127.0.0.1:{metrics_port}")])
        .arg("--data-dir")
        .arg(dir.path())
        .env("HERALD_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let mut ready = false;
    for _ in 0..100 {
        if reqwest::get(format!("{base}/readyz"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready);
    let metrics = reqwest::get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/readyz\""), "{metrics}");
    let on_public = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .status();
    assert_eq!(
        on_public,
        reqwest::StatusCode::NOT_FOUND,
        "metrics stay off the public listener"
    );
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let logs = String::from_utf8_lossy(&out.stderr);
    let first = logs.lines().next().expect("some log lines");
    let line: serde_json::Value =
        serde_json::from_str(first).unwrap_or_else(|_| panic!("not JSON: {first}"));
    assert!(
        line.get("level").is_some() && line.get("message").is_some(),
        "{line}"
    );
}

#[tokio::test]
async fn doctor_reports_a_broken_install() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("secret.key"), "not a key").unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(
        data.join("secret.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let doctor = herald(
        &data,
        Some("postgres://nobody@127.0.0.1:1/none"),
        &["doctor"],
        None,
    );
    assert!(!doctor.status.success());
    let report = stdout(&doctor);
    assert!(
        report.contains("[FAIL] master key") && report.contains("chmod 600"),
        "{report}"
    );
    assert!(report.contains("[FAIL] database"), "{report}");
    let typo = herald(&data, Some("postgress://x"), &["migrate"], None);
    assert!(
        stderr(&typo).contains("expected postgres://"),
        "{}",
        stderr(&typo)
    );
}

#[tokio::test]
async fn two_instances_on_one_postgres_serve_the_same_data() {
    let Some(Backend::Postgres(server_url)) = backends()
        .into_iter()
        .find(|b| matches!(b, Backend::Postgres(_)))
    else {
        eprintln!("HERALD_TEST_DATABASE_URL not set: the two-instance test runs on CI");
        return;
    };
    let url = fresh_postgres(&server_url).await;
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let created = herald(
        a_dir.path(),
        Some(&url),
        &[
            "user",
            "create",
            "--email",
            "ops@example.com",
            "--password-stdin",
        ],
        Some("correct horse battery"),
    );
    assert!(created.status.success(), "{}", stderr(&created));
    let token = stdout(&herald(
        b_dir.path(),
        Some(&url),
        &["token", "create", "--email", "ops@example.com"],
        None,
    ));
    let (a, b) = (
        Server::start(a_dir.path(), Some(&url), KEY).await,
        Server::start(b_dir.path(), Some(&url), KEY).await,
    );

    let client = reqwest::Client::new();
    let mut writes = Vec::new();
    for i in 0..20 {
        let base = if i % 2 == 0 {
            a.base.clone()
        } else {
            b.base.clone()
        };
        let (client, token) = (client.clone(), token.clone());
        writes.push(tokio::spawn(async move {
            client
                .post(format!("{base}/api/v1/workspaces"))
                .bearer_auth(token)
                .json(&serde_json::json!({"name": format!("Brand {i:02}"), "time_zone": "UTC"}))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for w in writes {
        assert_eq!(w.await.unwrap(), reqwest::StatusCode::CREATED);
    }
    for base in [&a.base, &b.base] {
        let list: serde_json::Value = client
            .get(format!("{base}/api/v1/workspaces"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let names: Vec<_> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(names.len(), 20, "{base}");
        assert_eq!(names[0], "Brand 00");
    }
}
