//! One Herald server and one headless chromium per test: Herald in-process on a free port
//! with a temporary data folder, chromedriver as a child process, fantoccini to drive it.

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use herald::services::{Actor, NewAccount, Services};
use herald::storage::users::User;
use serde_json::json;
use tokio::sync::{Mutex, MutexGuard, oneshot};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
pub const PASSWORD: &str = "correct horse battery staple";

/// Browser tests run one at a time even under a parallel `cargo test`: two chromiums on a
/// 2-core machine make each other time out.
static SERIAL: Mutex<()> = Mutex::const_new(());

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub struct Browser {
    pub client: Client,
    pub base: String,
    pub services: Services,
    _driver: Driver,
    _shutdown: Option<oneshot::Sender<()>>,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    _serial: MutexGuard<'static, ()>,
}

/// The chromedriver process group, killed when the test ends however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver leads its own process group (see `spawn_driver`), so this ends the
        // chromium it started too.
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// Starts everything, or returns `None` (after saying so) when chromium is not installed and
/// `HERALD_REQUIRE_BROWSER` is not set. With it set, a missing browser is a failure.
pub async fn start() -> Option<Browser> {
    start_with(|_| {}).await
}

/// `start`, with Herald's configuration changed first (say, to let link previews reach a
/// test site on loopback).
pub async fn start_with(tweak: impl FnOnce(&mut herald::config::Config)) -> Option<Browser> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        let required =
            std::env::var("HERALD_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0");
        assert!(
            !required,
            "HERALD_REQUIRE_BROWSER is set but {CHROMEDRIVER} is missing: apt-get install chromium chromium-driver"
        );
        eprintln!(
            "skipping browser test: {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    // Err means another test installed one already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let serial = SERIAL.lock().await;
    Some(
        launch(serial, tweak)
            .await
            .expect("starting Herald and chromium"),
    )
}

async fn launch(
    serial: MutexGuard<'static, ()>,
    tweak: impl FnOnce(&mut herald::config::Config),
) -> Result<Browser, Box<dyn std::error::Error>> {
    let data = tempfile::tempdir()?;
    let profile = tempfile::tempdir()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let mut config = herald::config::Config {
        data_dir: data.path().join("data"),
        listen: addr,
        public_url: Some(format!("http://{addr}")),
        ..Default::default()
    };
    tweak(&mut config);
    let app = herald::app::App::open(config).await?;
    let services = app.state.services.clone();
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(app.serve(listener, async {
        let _ = rx.await;
    }));

    let (driver, port) = spawn_driver()?;
    let mut caps = serde_json::Map::new();
    let user_data = format!("--user-data-dir={}", profile.path().display());
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": CHROMIUM, "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--window-size=1280,900", user_data]}),
    );
    let client = ClientBuilder::rustls()?
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await?;
    Ok(Browser {
        client,
        base: format!("http://{addr}"),
        services,
        _driver: driver,
        _shutdown: Some(tx),
        _dirs: (data, profile),
        _serial: serial,
    })
}

fn spawn_driver() -> Result<(Driver, u16), Box<dyn std::error::Error>> {
    let port = StdListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut command = Command::new(CHROMEDRIVER);
    command
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let driver = Driver(command.spawn()?);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err("chromedriver did not start listening within 20 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok((driver, port))
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn goto(&self, path: &str) -> TestResult {
        Ok(self.client.goto(&self.url(path)).await?)
    }

    /// Ends the browser session cleanly (the driver is killed on drop anyway).
    pub async fn finish(self) -> TestResult {
        self.client.clone().close().await?;
        Ok(())
    }

    /// An account made directly through the services, to start a test past the first run.
    pub async fn user(
        &self,
        email: &str,
        admin: bool,
    ) -> Result<Actor, Box<dyn std::error::Error>> {
        let input = NewAccount {
            email,
            display_name: "",
            password: PASSWORD,
            is_admin: admin,
        };
        let user: User = if admin {
            self.services.create_first_account(input).await?
        } else {
            self.services.create_user(input).await?
        };
        Ok(Actor {
            user,
            session_id: None,
            csrf_token: None,
        })
    }
}

/// Where screenshots go (gitignored), to look at after a run.
pub fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target-screenshots")
}

pub fn css(selector: &str) -> Locator<'_> {
    Locator::Css(selector)
}
