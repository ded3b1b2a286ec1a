//! The HTTP client every connector sends through: the SSRF guard, time limits, a cap on
//! answer size, and transport errors classified (a lost answer to a write is
//! `OutcomeUnknown`, not `Transient`: the post may exist).

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

use super::error::{ConnectorError, ConnectorResult};
use super::ssrf::{self, Refused};

/// Answers larger than this are cut off and refused (a network's JSON is far smaller).
const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// How long one call may take unless the connector says otherwise (uploads do).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether sending twice could do something twice.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Read,
    /// Publishes or deletes: a lost answer leaves the outcome unknown, and it is sent again
    /// only when it carries an `Idempotency-Key`.
    Write,
    /// A file sent before anything is published (harmless to repeat), on a new connection:
    /// its body is streamed, so it cannot be sent again on another.
    Upload,
}

#[derive(Clone)]
pub struct Http {
    /// Time spent waiting on networks and calls made, for metrics and for the publish
    /// benchmark's "Herald's own time" (whatever is not waiting).
    waited: std::sync::Arc<Waited>,
    client: reqwest::Client,
    /// Without keep-alive, for uploads and for the one retry after a dropped connection.
    fresh: reqwest::Client,
    allow_private: bool,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Http(allow_private: {})", self.allow_private)
    }
}

#[derive(Default)]
struct Waited {
    nanos: std::sync::atomic::AtomicU64,
    calls: std::sync::atomic::AtomicU64,
}

/// A network's answer, read whole.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Http {
    pub fn new(allow_private: bool) -> Result<Self, reqwest::Error> {
        Self::with_timeout(allow_private, DEFAULT_TIMEOUT)
    }

    /// `timeout` bounds each call (connecting and answering) unless a request sets its own.
    pub fn with_timeout(allow_private: bool, timeout: Duration) -> Result<Self, reqwest::Error> {
        Ok(Http {
            waited: std::sync::Arc::default(),
            client: ssrf::client(allow_private, timeout, "connector", true)?,
            fresh: ssrf::client(allow_private, timeout, "connector", false)?,
            allow_private,
        })
    }

    /// Calls made and time spent waiting for networks (from sending to the last byte of the
    /// answer), since this client was made.
    pub fn network_wait(&self) -> (u64, std::time::Duration) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.waited.calls.load(Relaxed),
            std::time::Duration::from_nanos(self.waited.nanos.load(Relaxed)),
        )
    }

    pub fn allow_private(&self) -> bool {
        self.allow_private
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Checks an address users gave (an instance, a PDS) before anything is sent to it.
    pub fn check(&self, url: &url::Url) -> ConnectorResult<()> {
        ssrf::check_url(url, self.allow_private).map_err(|r| ConnectorError::BadAddress {
            message: r.to_string(),
        })
    }

    /// Sends and reads the answer, whatever its status.
    pub async fn send(&self, request: RequestBuilder, kind: Kind) -> ConnectorResult<Answer> {
        let request = request.build().map_err(|e| ConnectorError::BadAddress {
            message: format!("the request could not be made: {e}"),
        })?;
        self.check(request.url())?;
        let host = request.url().host_str().unwrap_or("the server").to_owned();
        let (method, url) = (request.method().to_string(), request.url().clone());
        let started = std::time::Instant::now();
        let answer = self.exchange(request, kind, &host).await;
        match &answer {
            Ok(a) => super::transcript::note(&method, &url, a.status.as_u16(), &a.body),
            Err(e) => super::transcript::note(&method, &url, 0, e.to_string().as_bytes()),
        }
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.waited
            .nanos
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        self.waited
            .calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        answer
    }

    async fn exchange(
        &self,
        request: reqwest::Request,
        kind: Kind,
        host: &str,
    ) -> ConnectorResult<Answer> {
        let mut response = match kind {
            Kind::Upload => self.fresh.execute(request).await,
            Kind::Read | Kind::Write => {
                // Some servers (snac) close keep-alive connections without saying so; the
                // next request on one is reset before it is read. Such a request is sent
                // once more on a new connection when repeating it is safe (a read, an
                // idempotent method as RFC 9110 9.2.2 defines them, or an idempotency key).
                let again = request.try_clone().filter(|r| {
                    kind == Kind::Read
                        || r.method().is_idempotent()
                        || r.headers().contains_key("idempotency-key")
                });
                match (self.client.execute(request).await, again) {
                    (Err(e), Some(again)) if dropped(&e) => self.fresh.execute(again).await,
                    (outcome, _) => outcome,
                }
            }
        }
        .map_err(|e| transport(host, &e, kind))?;
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                        return Err(ConnectorError::bad_answer(format!(
                            "{host} sent an answer larger than {} MB",
                            MAX_ANSWER_BYTES / (1024 * 1024)
                        )));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(transport(host, &e, kind)),
            }
        }
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

/// The connection failed after it was made (reset, closed): not a timeout, not a refusal.
fn dropped(e: &reqwest::Error) -> bool {
    !e.is_timeout() && !e.is_connect() && find_refused(e).is_none() && e.is_request()
}

fn transport(host: &str, e: &reqwest::Error, kind: Kind) -> ConnectorError {
    if let Some(refused) = find_refused(e) {
        return ConnectorError::BadAddress {
            message: refused.to_string(),
        };
    }
    let what = if e.is_timeout() {
        format!("{host} did not answer in time")
    } else if e.is_connect() {
        format!("{host} could not be reached")
    } else {
        format!("the connection to {host} failed ({})", root_cause(e))
    };
    // A connect error means nothing was sent; anything later may have reached the network.
    if kind == Kind::Write && !e.is_connect() {
        ConnectorError::OutcomeUnknown { message: what }
    } else {
        ConnectorError::transient(what)
    }
}

/// The innermost error's words (hyper's "connection closed before message completed"...).
fn root_cause(e: &reqwest::Error) -> String {
    let mut last: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

fn find_refused(e: &reqwest::Error) -> Option<Refused> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(refused) = err.downcast_ref::<Refused>() {
            return Some(refused.clone());
        }
        source = err.source();
    }
    None
}

impl Answer {
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// The body as JSON of the expected shape; an HTML page or another shape says so in
    /// words (the usual sign of a wrong address).
    pub fn json<T: DeserializeOwned>(&self) -> ConnectorResult<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            if self.looks_like_html() {
                ConnectorError::bad_answer(format!(
                    "the server answered a web page (HTTP {}), not the network's API",
                    self.status.as_u16()
                ))
            } else {
                ConnectorError::bad_answer(format!(
                    "the server's answer (HTTP {}) is not what this network sends: {e}",
                    self.status.as_u16()
                ))
            }
        })
    }

    /// The body as JSON, if it is JSON at all (error bodies).
    pub fn json_value(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn looks_like_html(&self) -> bool {
        let content_type = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        content_type.contains("html")
            || self
                .body
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|b| *b == b'<')
    }

    /// The body for the attempts log, cut to a readable size.
    pub fn raw(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut end = text.len().min(4000);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text[..end].to_owned()
    }

    /// For errors every network answers alike: 5xx and 408 are transient; an HTML page
    /// where JSON belongs says so.
    pub fn generic_error(&self) -> ConnectorError {
        let status = self.status.as_u16();
        if self.status.is_server_error() || status == 408 {
            ConnectorError::transient(format!("the server answered HTTP {status}"))
        } else if self.looks_like_html() {
            ConnectorError::bad_answer(format!(
                "the server answered a web page (HTTP {status}), not the network's API"
            ))
        } else {
            ConnectorError::rejected(format!("the server answered HTTP {status}"), None)
        }
    }
}
