//! Mastodon, and servers that implement its client API (snac, GoToSocial, Pleroma): any
//! instance, its own limits, async media, and `Idempotency-Key` on every status so a retry
//! cannot post twice (<https://docs.joinmastodon.org/methods/statuses/#create>).

pub mod api;
mod errors;
mod media;
pub mod oauth;

use std::sync::Arc;

use async_trait::async_trait;
use reqwest::RequestBuilder;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::connector::{Connector, PublishError, Session};
use super::error::{ConnectorError, ConnectorResult};
use super::http::{Http, Kind};
use super::model::{
    Account, Interaction, PublicProfile, PublishRequest, Published, RemotePost, RemoteRef,
    ServerLimits,
};
use crate::domain::Clock;
use crate::domain::text::Network;
use api::{Conversation, MastodonAccount, Notification, Status};

#[derive(Clone)]
pub struct Mastodon {
    http: Http,
    clock: Arc<dyn Clock>,
}

impl Mastodon {
    pub fn new(http: Http, clock: Arc<dyn Clock>) -> Self {
        Mastodon { http, clock }
    }

    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Sends, and reads a success as `T` or classifies the failure.
    async fn call<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        kind: Kind,
    ) -> ConnectorResult<T> {
        let answer = self.http.send(request, kind).await?;
        if !answer.is_success() {
            return Err(errors::classify(&answer));
        }
        answer.json()
    }

    fn get(&self, session: &Session, path: &str) -> RequestBuilder {
        self.http
            .client()
            .get(session.url(path))
            .bearer_auth(&session.credentials.access_token)
    }

    fn host(session: &Session) -> String {
        session.base_url.host_str().unwrap_or_default().to_owned()
    }

    /// The instance's limits: `/api/v2/instance`, or v1 where v2 is missing (snac, older
    /// servers). Anonymous, so it also tells whether an address is a Mastodon server at all.
    pub async fn server_limits(&self, instance: &url::Url) -> ConnectorResult<ServerLimits> {
        self.http.check(instance)?;
        let client = self.http.client();
        let v2 = self
            .http
            .send(
                client.get(super::connector::join(instance, "/api/v2/instance")),
                Kind::Read,
            )
            .await?;
        let answer = if v2.is_success() {
            v2
        } else {
            self.http
                .send(
                    client.get(super::connector::join(instance, "/api/v1/instance")),
                    Kind::Read,
                )
                .await?
        };
        if !answer.is_success() {
            return Err(ConnectorError::bad_answer(format!(
                "{} does not answer like a Mastodon server (HTTP {} for its instance information)",
                instance.host_str().unwrap_or("the address"),
                answer.status.as_u16()
            )));
        }
        let value: serde_json::Value = answer.json()?;
        if !value.is_object() || (value["uri"].is_null() && value["domain"].is_null()) {
            return Err(ConnectorError::bad_answer(format!(
                "{} does not answer like a Mastodon server",
                instance.host_str().unwrap_or("the address")
            )));
        }
        Ok(api::limits(&value))
    }

    async fn my_id(&self, session: &mut Session) -> ConnectorResult<String> {
        if let Some(id) = session.credentials.extra.get("account_id") {
            return Ok(id.clone());
        }
        let account = self.verify(session).await?;
        session
            .credentials
            .extra
            .insert("account_id".into(), account.remote_id.clone());
        session.changed = true;
        Ok(account.remote_id)
    }

    async fn post_status(
        &self,
        session: &Session,
        body: serde_json::Value,
        key: &str,
    ) -> ConnectorResult<Status> {
        let request = self
            .http
            .client()
            .post(session.url("/api/v1/statuses"))
            .bearer_auth(&session.credentials.access_token)
            .header("Idempotency-Key", key)
            .json(&body);
        self.call(request, Kind::Write).await
    }
}

#[async_trait]
impl Connector for Mastodon {
    fn network(&self) -> Network {
        Network::Mastodon
    }

    async fn verify(&self, session: &mut Session) -> ConnectorResult<Account> {
        let request = self.get(session, "/api/v1/accounts/verify_credentials");
        match self.call::<MastodonAccount>(request, Kind::Read).await {
            Ok(account) => Ok(account.into_account(&Self::host(session))),
            // snac answers a bad token with 422, not 401: on this call nothing else can be
            // wrong, so any refusal means the token.
            Err(ConnectorError::Rejected { message, .. }) => Err(ConnectorError::auth(message)),
            Err(e) => Err(e),
        }
    }

    async fn publish(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        let mut done = Published::default();
        let mut reply_to = request.reply_to.as_ref().map(|r| r.id.clone());
        let options = &request.options;
        for (index, part) in request.parts.iter().enumerate() {
            let step = async {
                let mut media_ids = Vec::new();
                for file in &part.media {
                    media_ids.push(self.upload(session, file).await?);
                }
                let mut body = json!({ "status": part.text, "media_ids": media_ids });
                if let Some(id) = &reply_to {
                    body["in_reply_to_id"] = json!(id);
                }
                if let Some(v) = &options.visibility {
                    body["visibility"] = json!(v);
                }
                if let Some(cw) = options.content_warning.as_ref().filter(|c| !c.is_empty()) {
                    body["spoiler_text"] = json!(cw);
                }
                if let Some(lang) = options.language.as_ref().filter(|l| !l.is_empty()) {
                    body["language"] = json!(lang);
                }
                // One key per part: a retry of the whole thread finds each part again.
                let key = format!(
                    "{}-{}",
                    request.idempotency_key,
                    request.first_part_index + index
                );
                self.post_status(session, body, &key).await
            };
            match step.await {
                Ok(status) => {
                    reply_to = Some(status.id.clone());
                    done.parts.push(status.reference());
                }
                Err(error) => return Err(PublishError { error, done }),
            }
        }
        Ok(done)
    }

    async fn delete(&self, session: &mut Session, post: &RemoteRef) -> ConnectorResult<()> {
        let request = self
            .http
            .client()
            .delete(session.url(&format!("/api/v1/statuses/{}", urlencode(&post.id))))
            .bearer_auth(&session.credentials.access_token);
        self.call::<serde_json::Value>(request, Kind::Write)
            .await
            .map(|_| ())
    }

    async fn recent_posts(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        let id = self.my_id(session).await?;
        let path = format!(
            "/api/v1/accounts/{}/statuses?limit={}",
            urlencode(&id),
            limit.clamp(1, 40)
        );
        let statuses: Vec<Status> = self.call(self.get(session, &path), Kind::Read).await?;
        Ok(statuses.into_iter().map(Status::into_post).collect())
    }

    async fn interactions(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        // `limit` always: snac sends one item without it.
        let path = format!("/api/v1/notifications?limit={}", limit.clamp(1, 80));
        let items: Vec<Notification> = self.call(self.get(session, &path), Kind::Read).await?;
        let host = Self::host(session);
        Ok(items
            .into_iter()
            .map(|n| n.into_interaction(&host))
            .collect())
    }

    async fn messages(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        let path = format!("/api/v1/conversations?limit={}", limit.clamp(1, 40));
        let items: Vec<Conversation> = self.call(self.get(session, &path), Kind::Read).await?;
        let host = Self::host(session);
        Ok(items
            .into_iter()
            .filter_map(|c| {
                let status = c.last_status?;
                let author = status
                    .account
                    .or_else(|| c.accounts.into_iter().next())?
                    .into_account(&host);
                Some(Interaction {
                    id: c.id,
                    kind: super::model::InteractionKind::Message,
                    author,
                    text: Some(super::html_text::to_text(&status.content)),
                    subject: None,
                    post: Some(RemoteRef {
                        id: status.id,
                        url: status.url,
                        cid: None,
                    }),
                    at_ms: status.created_at.as_deref().and_then(api::instant),
                })
            })
            .collect())
    }

    async fn lookup(
        &self,
        session: &mut Session,
        handle: &str,
        limit: usize,
    ) -> ConnectorResult<PublicProfile> {
        let acct = handle.trim().trim_start_matches('@');
        let path = format!("/api/v1/accounts/lookup?acct={}", urlencode(acct));
        let found = match self
            .call::<MastodonAccount>(self.get(session, &path), Kind::Read)
            .await
        {
            Ok(account) => account,
            // Servers without `lookup` (snac) still search.
            Err(ConnectorError::Rejected { .. }) => {
                let path = format!(
                    "/api/v2/search?type=accounts&resolve=true&limit=1&q={}",
                    urlencode(acct)
                );
                let found: serde_json::Value =
                    self.call(self.get(session, &path), Kind::Read).await?;
                let first = found["accounts"].get(0).cloned().ok_or_else(|| {
                    ConnectorError::rejected(format!("no account {handle} was found"), None)
                })?;
                serde_json::from_value(first).map_err(|e| {
                    ConnectorError::bad_answer(format!("the account is not readable: {e}"))
                })?
            }
            Err(e) => return Err(e),
        };
        let path = format!(
            "/api/v1/accounts/{}/statuses?limit={}",
            urlencode(&found.id),
            limit.clamp(1, 40)
        );
        let statuses: Vec<Status> = self.call(self.get(session, &path), Kind::Read).await?;
        Ok(PublicProfile {
            account: found.into_account(&Self::host(session)),
            recent: statuses.into_iter().map(Status::into_post).collect(),
        })
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
