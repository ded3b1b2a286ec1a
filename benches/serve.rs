//! `cargo bench --bench serve`: start-up time to /readyz on an empty data folder, idle
//! memory, and an authenticated API read under load from wrk (a second process) on SQLite,
//! on PostgreSQL when `HERALD_BENCH_DATABASE_URL` names a server, and a bare axum handler
//! measured in the same run as the ceiling. Prints the figures; asserts nothing.

#![forbid(unsafe_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_herald");
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One raw HTTP/1.1 GET; the status code, or None when nothing answers yet.
fn http_status(port: u16, path: &str, token: Option<&str>) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

fn serve(data: &Path, port: u16, db: Option<&str>) -> Child {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data);
    if let Some(url) = db {
        cmd.args(["--database-url", url]);
    }
    cmd.env("HERALD_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn herald serve")
}

fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let _ = child.wait();
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

fn startup() {
    let mut times = Vec::new();
    let mut rss = 0;
    for _ in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let start = Instant::now();
        let child = serve(&dir.path().join("data"), port, None);
        while http_status(port, "/readyz", None) != Some(200) {
            assert!(start.elapsed() < Duration::from_secs(10), "never ready");
            std::thread::sleep(Duration::from_millis(1));
        }
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_secs(1));
        rss = rss.max(rss_kib(child.id()));
        stop(child);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "start-up to /readyz, empty data folder, 10 runs: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        times[5], times[0], times[9]
    );
    println!(
        "idle resident memory after start-up: {:.1} MB (max of 10 runs)",
        rss as f64 / 1024.0
    );
}

fn cli(data: &Path, db: Option<&str>, args: &[&str], stdin: &str) -> String {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .arg("--data-dir")
        .arg(data)
        .env("HERALD_SECRET_KEY", KEY);
    if let Some(url) = db {
        cmd.args(["--database-url", url]);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "herald {args:?} failed");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Runs wrk for 10 s at 32 connections; returns (requests/s, p99 in ms).
fn wrk(port: u16, token: Option<&str>) -> (f64, f64) {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t2", "-c32", "-d10s", "--latency"]);
    if let Some(t) = token {
        cmd.args(["-H", &format!("Authorization: Bearer {t}")]);
    }
    let out = cmd
        .arg(format!("http://127.0.0.1:{port}/api/v1/workspaces"))
        .output()
        .expect("wrk (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0);
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| parse_latency(v.trim()))
        .unwrap_or(f64::NAN);
    assert!(!text.contains("Non-2xx"), "wrk saw errors:\n{text}");
    (rps, p99)
}

fn parse_latency(v: &str) -> f64 {
    let (num, factor) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (v, 1.0)
    };
    num.parse::<f64>().unwrap_or(f64::NAN) * factor
}

fn load(label: &str, db: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    cli(
        &data,
        db,
        &[
            "user",
            "create",
            "--email",
            "bench@example.com",
            "--password-stdin",
        ],
        "correct horse battery",
    );
    let token = cli(
        &data,
        db,
        &["token", "create", "--email", "bench@example.com"],
        "",
    );
    let port = free_port();
    let child = serve(&data, port, db);
    while http_status(port, "/readyz", None) != Some(200) {
        std::thread::sleep(Duration::from_millis(5));
    }
    for i in 0..3 {
        let body = format!("{{\"name\": \"Brand {i}\", \"time_zone\": \"Europe/Paris\"}}");
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "POST /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut reply = String::new();
        let _ = s.read_to_string(&mut reply);
        assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    }
    let (rps, p99) = wrk(port, Some(&token));
    println!(
        "GET /api/v1/workspaces (3 workspaces, bearer token), {label}: {rps:.0} requests/s, p99 {p99:.2} ms"
    );
    stop(child);
}

fn ceiling() {
    let port = free_port();
    let example = Path::new(BIN).parent().unwrap().join("examples/bare_axum");
    let Ok(child) = Command::new(&example)
        .arg(format!("127.0.0.1:{port}"))
        .spawn()
    else {
        println!(
            "bare axum ceiling: build it first with `cargo build --release --example bare_axum`"
        );
        return;
    };
    while http_status(port, "/api/v1/workspaces", None) != Some(200) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let (rps, p99) = wrk(port, None);
    println!(
        "bare axum handler (ceiling), same machine and run: {rps:.0} requests/s, p99 {p99:.2} ms"
    );
    stop(child);
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this without it, and a
    // debug build measures nothing worth printing.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    startup();
    ceiling();
    load("SQLite", None);
    match std::env::var("HERALD_BENCH_DATABASE_URL") {
        Ok(url) if !url.is_empty() => load("PostgreSQL", Some(&url)),
        _ => println!(
            "PostgreSQL: set HERALD_BENCH_DATABASE_URL=postgres://... (an empty database) to measure it"
        ),
    }
}
