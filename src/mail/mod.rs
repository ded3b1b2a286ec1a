//! Notification emails over SMTP (lettre on tokio, rustls): the install's settings checked at
//! start-up, one transport for the process, and a send that says whether trying again could
//! help. The SMTP server is the operator's own setting, not an address a user typed, so it
//! does not go through the SSRF guard.

mod compose;

pub use compose::{Letter, compose};

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, SmtpTls};

/// How long one SMTP command may take before the try counts as failed.
const TIMEOUT: Duration = Duration::from_secs(30);

/// An email ready to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SendError {
    /// The server could not be reached, timed out or answered 4xx: worth another try.
    #[error("{0}")]
    Retry(String),
    /// The server refused it for good (5xx), or the message cannot be built.
    #[error("{0}")]
    Refused(String),
}

/// The process's way out to the SMTP server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Checks the SMTP settings (at start-up, with the rest of the configuration): a server
/// needs a sender; a password never crosses the network in clear.
pub fn check_settings(c: &Config) -> Result<(), String> {
    let Some(host) = c
        .smtp_host
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
    else {
        return Ok(());
    };
    let from = c.smtp_from.as_deref().map(str::trim).unwrap_or("");
    if from.is_empty() {
        return Err(
            "smtp_from is required when smtp_host is set (e.g. \"Herald <herald@example.com>\")"
                .into(),
        );
    }
    from.parse::<Mailbox>()
        .map_err(|e| format!("smtp_from {from:?} is not an email address: {e}"))?;
    if c.smtp_username.is_some() != c.smtp_password.is_some() {
        return Err("smtp_username and smtp_password go together".into());
    }
    if c.smtp_tls == SmtpTls::None && c.smtp_username.is_some() && !is_loopback(host) {
        return Err(format!(
            "smtp_tls = none would send the SMTP password to {host} in clear; use starttls or tls"
        ));
    }
    if c.smtp_port == Some(0) {
        return Err("smtp_port must be between 1 and 65535".into());
    }
    Ok(())
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Mailer {
    /// The configured mailer, or `None` when no SMTP server is set.
    pub fn from_config(c: &Config) -> Result<Option<Mailer>, String> {
        check_settings(c)?;
        let Some(host) = c
            .smtp_host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
        else {
            return Ok(None);
        };
        let from: Mailbox = c
            .smtp_from
            .as_deref()
            .unwrap_or("")
            .trim()
            .parse()
            .map_err(|e| format!("smtp_from: {e}"))?;
        let tls_for = |host: &str| {
            TlsParameters::new(host.to_owned()).map_err(|e| format!("smtp TLS settings: {e}"))
        };
        let (tls, port) = match c.smtp_tls {
            SmtpTls::None => (Tls::None, 25),
            SmtpTls::Starttls => (Tls::Required(tls_for(host)?), 587),
            SmtpTls::Tls => (Tls::Wrapper(tls_for(host)?), 465),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(c.smtp_port.unwrap_or(port))
            .tls(tls)
            .timeout(Some(TIMEOUT));
        if let (Some(user), Some(password)) = (&c.smtp_username, &c.smtp_password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
        }))
    }

    /// Connects and says NOOP: whether the server is there and accepts Herald (for `doctor`).
    pub async fn check_connection(&self) -> Result<(), String> {
        match self.transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err("the server did not answer NOOP".into()),
            Err(e) => Err(with_causes(&e)),
        }
    }

    pub async fn send(&self, email: &Email) -> Result<(), SendError> {
        let to = email
            .to_address
            .parse()
            .map(|address| Mailbox::new(Some(email.to_name.clone()), address))
            .map_err(|e| {
                SendError::Refused(format!("{:?} is not an address: {e}", email.to_address))
            })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(&email.subject))
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| SendError::Refused(format!("the email could not be built: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Refused(format!(
                "the SMTP server refused it: {e}"
            ))),
            Err(e) => Err(SendError::Retry(format!(
                "sending failed: {}",
                with_causes(&e)
            ))),
        }
    }
}

/// A subject on one line: a newline in it would start another header.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(change: impl FnOnce(&mut Config)) -> Config {
        let mut c = Config {
            smtp_host: Some("smtp.example.com".into()),
            smtp_from: Some("Herald <herald@example.com>".into()),
            ..Config::default()
        };
        change(&mut c);
        c
    }

    #[test]
    fn settings_need_a_sender_and_keep_passwords_off_plain_text() {
        assert!(
            check_settings(&Config::default()).is_ok(),
            "no SMTP at all is fine"
        );
        assert!(check_settings(&config(|_| {})).is_ok());
        let no_from = check_settings(&config(|c| c.smtp_from = None)).unwrap_err();
        assert!(no_from.contains("smtp_from is required"), "{no_from}");
        let bad_from = check_settings(&config(|c| c.smtp_from = Some("not an address".into())));
        assert!(bad_from.unwrap_err().contains("not an email address"));
        let half = check_settings(&config(|c| c.smtp_username = Some("u".into())));
        assert!(half.unwrap_err().contains("go together"));
        let plain = check_settings(&config(|c| {
            c.smtp_tls = SmtpTls::None;
            c.smtp_username = Some("u".into());
            c.smtp_password = Some("p".into());
        }));
        assert!(plain.unwrap_err().contains("in clear"));
        let local = check_settings(&config(|c| {
            c.smtp_host = Some("127.0.0.1".into());
            c.smtp_tls = SmtpTls::None;
            c.smtp_username = Some("u".into());
            c.smtp_password = Some("p".into());
        }));
        assert!(local.is_ok(), "{local:?}");
    }

    #[test]
    fn a_subject_stays_on_one_line() {
        assert_eq!(one_line("Hello\r\nBcc: x@y\tthere"), "Hello Bcc: x@y there");
    }
}
