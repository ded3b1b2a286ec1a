//! One call to a Meta API: the access token (and `appsecret_proof` when the app secret is
//! known) as Meta's own examples send them (query string for reads and deletes, form body
//! for writes), the answer classified, and the usage budget watched on every answer.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use reqwest::RequestBuilder;
use reqwest::multipart::Form;
use serde::de::DeserializeOwned;
use url::Url;

use super::errors;
use crate::connectors::connector::join;
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::{Answer, Http, Kind};
use crate::domain::Clock;

/// Shared by the three connectors. Clones share the pause, so one connector per install (the
/// registry's) holds every channel back when the app's budget runs high.
#[derive(Clone)]
pub struct Graph {
    http: Http,
    clock: Arc<dyn Clock>,
    app_secret: Option<String>,
    paused_until_ms: Arc<AtomicI64>,
}

impl Graph {
    pub fn new(http: Http, clock: Arc<dyn Clock>) -> Self {
        Graph {
            http,
            clock,
            app_secret: None,
            paused_until_ms: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Signs every call with `appsecret_proof`: required when the app has "Require App
    /// Secret" on, and for reading other pages (Page Public Content Access).
    pub fn with_app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(secret.into()).filter(|s| !s.is_empty());
        self
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    /// Until when calls are held back because a usage budget ran high or Meta throttled.
    pub fn paused_until(&self) -> Option<i64> {
        let until = self.paused_until_ms.load(Ordering::SeqCst);
        (until > self.now_ms()).then_some(until)
    }

    fn pause_until(&self, until_ms: i64) {
        self.paused_until_ms.fetch_max(until_ms, Ordering::SeqCst);
    }

    fn auth(&self, token: &str) -> Vec<(&'static str, String)> {
        let mut params = vec![("access_token", token.to_owned())];
        if let Some(secret) = &self.app_secret {
            params.push((
                "appsecret_proof",
                crate::crypto::hmac::sha256_hex(secret.as_bytes(), token.as_bytes()),
            ));
        }
        params
    }

    pub fn get(
        &self,
        base: &Url,
        path: &str,
        token: &str,
        query: &[(&str, &str)],
    ) -> RequestBuilder {
        self.http
            .client()
            .get(join(base, path))
            .query(query)
            .query(&self.auth(token))
    }

    pub fn post(
        &self,
        base: &Url,
        path: &str,
        token: &str,
        form: &[(&str, String)],
    ) -> RequestBuilder {
        let mut body: Vec<(&str, String)> = form.to_vec();
        body.extend(self.auth(token));
        self.http.client().post(join(base, path)).form(&body)
    }

    pub fn delete(&self, base: &Url, path: &str, token: &str) -> RequestBuilder {
        self.http
            .client()
            .delete(join(base, path))
            .query(&self.auth(token))
    }

    /// A file upload: the token goes in the form beside the file.
    pub fn upload(&self, base: &Url, path: &str, token: &str, mut form: Form) -> RequestBuilder {
        for (name, value) in self.auth(token) {
            form = form.text(name, value);
        }
        self.http
            .client()
            .post(join(base, path))
            .timeout(super::UPLOAD_TIMEOUT)
            .multipart(form)
    }

    /// Sends unless calls are paused, and notes a usage budget at 90 % or more.
    pub async fn answer(&self, request: RequestBuilder, kind: Kind) -> ConnectorResult<Answer> {
        if let Some(until) = self.paused_until() {
            return Err(ConnectorError::RateLimited {
                retry_at_ms: Some(until),
            });
        }
        let answer = self.http.send(request, kind).await?;
        if let Some(until) = errors::usage_high(&answer, self.now_ms()) {
            tracing::warn!(until_ms = until, "Meta usage at 90% or more: pausing calls");
            self.pause_until(until);
        }
        Ok(answer)
    }

    /// The failure an answer stands for, if it is one. Meta sometimes answers 200 with an
    /// error object (batch-like edges), so the body is checked too.
    pub fn failure(&self, answer: &Answer) -> Option<ConnectorError> {
        let failed = !answer.is_success() || errors::graph_error(answer).is_some();
        if !failed {
            return None;
        }
        let error = errors::classify(answer, self.now_ms());
        if let ConnectorError::RateLimited {
            retry_at_ms: Some(until),
        } = &error
        {
            self.pause_until(*until);
        }
        Some(error)
    }

    /// Sends, and reads a success as `T` or classifies the failure.
    pub async fn call<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        kind: Kind,
    ) -> ConnectorResult<T> {
        let answer = self.answer(request, kind).await?;
        match self.failure(&answer) {
            Some(error) => Err(error),
            None => answer.json(),
        }
    }

    /// A token from `{base}{path}` (the long-lived exchanges and refreshes of Instagram Login
    /// and Threads, which differ only in their grant names).
    pub async fn token(
        &self,
        base: &Url,
        path: &str,
        query: &[(&str, &str)],
    ) -> ConnectorResult<crate::connectors::model::Credentials> {
        let request = self.http().client().get(join(base, path)).query(query);
        let token: super::wire::Token = self.call(request, Kind::Read).await?;
        Ok(token.credentials(self.now_ms()))
    }

    /// A call whose failure is not worth failing the whole operation for (an insight metric
    /// Meta retired, a permission this account lacks): a refusal reads as `None`; throttling,
    /// expired tokens and outages still stop the caller.
    pub async fn optional<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
    ) -> ConnectorResult<Option<T>> {
        match self.call(request, Kind::Read).await {
            Ok(value) => Ok(Some(value)),
            Err(ConnectorError::Rejected { message, .. }) => {
                tracing::debug!(%message, "optional Meta call refused");
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}
