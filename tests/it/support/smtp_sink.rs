//! A real SMTP server for the tests: Python's aiosmtpd on 127.0.0.1, writing each message it
//! receives, parsed by Python's own `email` package, as one JSON file in a folder. Skipped
//! (with a note) when aiosmtpd cannot be imported, unless HERALD_REQUIRE_SMTP_SINK=1, which
//! CI sets after scripts/ci/install-python-tools.sh.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const SCRIPT: &str = r#"
import email, email.policy, json, os, sys
from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]

class Sink:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text, html = msg.get_body(('plain',)), msg.get_body(('html',))
        record = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'from': str(msg['From']),
            'to': str(msg['To']),
            'subject': str(msg['Subject']),
            'text': text.get_content() if text else None,
            'html': html.get_content() if html else None,
        }
        n = len([f for f in os.listdir(out) if f.endswith('.json')])
        tmp = os.path.join(out, f'.{n}.tmp')
        with open(tmp, 'w') as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(out, f'{n:04}.json'))
        return '250 OK'

controller = Controller(Sink(), hostname='127.0.0.1', port=port)
controller.start()
print('ready', flush=True)
sys.stdin.read()
controller.stop()
"#;

/// True when Python's aiosmtpd is there (or is required, and then a failure says why not).
pub fn available() -> bool {
    let importable = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if importable {
        return true;
    }
    assert!(
        std::env::var("HERALD_REQUIRE_SMTP_SINK").as_deref() != Ok("1"),
        "an SMTP sink is required (HERALD_REQUIRE_SMTP_SINK=1) but Python's aiosmtpd cannot be \
         imported: run scripts/ci/install-python-tools.sh"
    );
    eprintln!("SKIPPED: no SMTP sink (pip install aiosmtpd to send emails to one)");
    false
}

/// A port nothing listens on (bound, then let go).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct SmtpSink {
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        Self::start_on(free_port())
    }

    pub fn start_on(port: u16) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new("python3")
            .args(["-c", SCRIPT, &port.to_string()])
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        SmtpSink { port, child, dir }
    }

    /// Every message received so far, oldest first.
    pub fn received(&self) -> Vec<Value> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits (a few seconds at most) until `n` messages came.
    pub fn wait_for(&self, n: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.received();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Herald's configuration for sending to a sink on `port` (plain SMTP on loopback).
pub fn configure(c: &mut herald::config::Config, port: u16) {
    c.smtp_host = Some("127.0.0.1".into());
    c.smtp_port = Some(port);
    c.smtp_tls = herald::config::SmtpTls::None;
    c.smtp_from = Some("Herald <herald@herald.test>".into());
}
