//! Outbound webhooks: a workspace's managers register an address and the events it wants;
//! each event becomes a delivery, signed with a secret Herald generated, sent by a job and
//! tried again on 5xx, 429 and timeouts with a growing delay (never on other 4xx).

use std::net::IpAddr;
use std::time::Duration;

use anyhow::anyhow;
use serde_json::{Value, json};
use url::{Host, Url};
use uuid::Uuid;

use super::notify::EVENTS;
use super::{Actor, AppError, AppResult, Services};
use crate::connectors::ssrf;
use crate::crypto::{hmac, token};
use crate::domain::clock::rfc3339;
use crate::domain::{Permission, Validation, retry};
use crate::jobs::Job;
use crate::storage::jobs::Finish;
use crate::storage::webhooks::{self, Delivery, Tried, Webhook};

/// Secrets start with this, so a leaked one is recognisable.
pub const SECRET_PREFIX: &str = "whsec_";
/// Tries per delivery before it is marked failed.
pub const MAX_TRIES: i64 = 8;
/// How much of a receiver's answer the log keeps.
const BODY_KEPT: usize = 2048;
const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_PER_WORKSPACE: usize = 20;
const PAGE_SIZE: i64 = 50;

/// A webhook just created: the secret is shown this once.
pub struct NewWebhook {
    pub webhook: Webhook,
    pub secret: String,
}

impl Services {
    fn allow_private(&self) -> bool {
        self.connectors.http.allow_private()
    }

    pub async fn list_webhooks(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<Webhook>> {
        self.workspace_for(actor, ws, Permission::Manage).await?;
        Ok(webhooks::list(&self.db, ws).await?)
    }

    pub async fn create_webhook(
        &self,
        actor: &Actor,
        ws: Uuid,
        url: &str,
        events: &[String],
    ) -> AppResult<NewWebhook> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let mut v = Validation::new();
        let url = self.check_webhook_url(&mut v, url).await;
        let mut wanted: Vec<&str> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            match EVENTS.iter().find(|known| **known == e.trim()) {
                Some(known) if !wanted.contains(known) => wanted.push(known),
                Some(_) => {}
                None => v.add(
                    &format!("events[{i}]"),
                    format!("is not an event; choose among {}", EVENTS.join(", ")),
                ),
            }
        }
        if events.is_empty() {
            v.add("events", "choose at least one event");
        }
        if webhooks::list(&self.db, ws).await?.len() >= MAX_PER_WORKSPACE {
            v.add(
                "url",
                format!("a workspace has at most {MAX_PER_WORKSPACE} webhooks; delete one first"),
            );
        }
        v.finish()?;
        let id = Uuid::now_v7();
        let secret = format!("{SECRET_PREFIX}{}", token::random_token());
        let webhook = Webhook {
            id,
            workspace_id: ws,
            url,
            events: wanted.join(" "),
            secret: self
                .secrets
                .encrypt(secret.as_bytes(), &Webhook::secret_aad(id)),
            created_by: Some(actor.user.id),
            created_at_ms: self.now_ms(),
        };
        webhooks::insert(&self.db, &webhook).await?;
        Ok(NewWebhook { webhook, secret })
    }

    pub async fn delete_webhook(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<()> {
        self.workspace_for(actor, ws, Permission::Manage).await?;
        if webhooks::delete(&self.db, ws, id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Queues a `ping` to the webhook; the delivery log shows how it went.
    pub async fn test_webhook(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<Delivery> {
        self.workspace_for(actor, ws, Permission::Manage).await?;
        let webhook = webhooks::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let data = json!({"message": "A test from Herald: this webhook works."});
        let delivery = self
            .queue_delivery(&webhook, Uuid::now_v7(), "ping", &data)
            .await?;
        self.wake_workers().await;
        Ok(delivery)
    }

    /// A webhook's deliveries, newest first, after the `before` cursor.
    pub async fn webhook_deliveries(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        before: Option<Uuid>,
    ) -> AppResult<(Vec<Delivery>, Option<Uuid>)> {
        self.workspace_for(actor, ws, Permission::Manage).await?;
        webhooks::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let cursor = match before {
            Some(c) => {
                let d = webhooks::delivery(&self.db, c)
                    .await?
                    .filter(|d| d.webhook_id == id)
                    .ok_or_else(|| AppError::field("cursor", "is not a page of this webhook"))?;
                Some((d.created_at_ms, d.id))
            }
            None => None,
        };
        let mut items = webhooks::deliveries(&self.db, id, cursor, PAGE_SIZE + 1).await?;
        let next = (items.len() as i64 > PAGE_SIZE).then(|| items[PAGE_SIZE as usize - 1].id);
        items.truncate(PAGE_SIZE as usize);
        Ok((items, next))
    }

    /// https, or http when the install allows private hosts; never an internal address
    /// unless allowed (names are resolved now, and again by the guarded client when sending).
    async fn check_webhook_url(&self, v: &mut Validation, raw: &str) -> String {
        let raw = raw.trim();
        let Ok(url) = Url::parse(raw) else {
            v.add("url", "is not a web address (https://...)");
            return raw.to_owned();
        };
        let allow_private = self.allow_private();
        if url.scheme() != "https" && !(allow_private && url.scheme() == "http") {
            v.add("url", "must start with https://");
            return raw.to_owned();
        }
        if !url.username().is_empty() || url.password().is_some() {
            v.add("url", "must not carry a user name or password");
        }
        if raw.len() > 2000 {
            v.add("url", "is longer than 2000 characters");
        }
        if let Err(refused) = ssrf::check_url(&url, allow_private) {
            v.add("url", refused.to_string());
        } else if let (Some(Host::Domain(name)), false) = (url.host(), allow_private) {
            let port = url.port_or_known_default().unwrap_or(443);
            match tokio::net::lookup_host((name, port)).await {
                Ok(addrs) => {
                    let addrs: Vec<IpAddr> = addrs.map(|a| a.ip()).collect();
                    if let Some(ip) = addrs.iter().find(|ip| !ssrf::is_public(**ip)) {
                        v.add("url", ssrf::Refused::Internal(ip.to_string()).to_string());
                    } else if addrs.is_empty() {
                        v.add("url", format!("{name} has no address"));
                    }
                }
                Err(_) => v.add("url", format!("{name} could not be found")),
            }
        }
        url.to_string()
    }

    /// Whether a webhook of `ws` subscribed to `event`, so that work telling it of many
    /// things at once can skip reading each of them when none listens.
    pub(super) async fn webhooks_hear(&self, ws: Uuid, event: &str) -> AppResult<bool> {
        let hooks = webhooks::list(&self.db, ws).await?;
        Ok(hooks.iter().any(|w| w.subscribes_to(event)))
    }

    /// Queues a delivery of `event` to each webhook of `ws` that subscribed to it.
    pub(super) async fn send_to_webhooks(
        &self,
        ws: Uuid,
        event: &str,
        data: Value,
    ) -> AppResult<()> {
        let hooks: Vec<Webhook> = webhooks::list(&self.db, ws)
            .await?
            .into_iter()
            .filter(|w| w.subscribes_to(event))
            .collect();
        if hooks.is_empty() {
            return Ok(());
        }
        let event_id = Uuid::now_v7();
        for hook in &hooks {
            self.queue_delivery(hook, event_id, event, &data).await?;
        }
        self.wake_workers().await;
        Ok(())
    }

    async fn queue_delivery(
        &self,
        hook: &Webhook,
        event_id: Uuid,
        event: &str,
        data: &Value,
    ) -> AppResult<Delivery> {
        let now = self.now_ms();
        let payload = json!({
            "id": event_id,
            "event": event,
            "workspace_id": hook.workspace_id,
            "created_at": rfc3339(now),
            "data": data,
        });
        let delivery = Delivery {
            id: Uuid::now_v7(),
            webhook_id: hook.id,
            event: event.to_owned(),
            payload: payload.to_string(),
            state: "pending".into(),
            attempts: 0,
            response_status: None,
            response_body: String::new(),
            error: None,
            next_try_at_ms: Some(now),
            created_at_ms: now,
            updated_at_ms: now,
        };
        let job = Job::DeliverWebhook {
            delivery_id: delivery.id,
        };
        webhooks::add_delivery(&self.db, &delivery, &job.row(now, now)).await?;
        Ok(delivery)
    }

    /// Runs a delivery's job: one try, and what the queue does next.
    pub async fn run_delivery(&self, delivery_id: Uuid) -> AppResult<Finish> {
        let Some(delivery) = webhooks::delivery(&self.db, delivery_id).await? else {
            return Ok(Finish::Done);
        };
        if matches!(delivery.state.as_str(), "delivered" | "failed") {
            return Ok(Finish::Done);
        }
        let Some(hook) = webhooks::webhook_by_id(&self.db, delivery.webhook_id).await? else {
            return Ok(Finish::Done);
        };
        let allow_private = self.allow_private();
        let number = delivery.attempts + 1;
        let url = Url::parse(&hook.url).map_err(|e| AppError::Internal(e.into()))?;
        if let Err(refused) = ssrf::check_url(&url, allow_private) {
            return self
                .tried(&delivery, number, Sent::Refused(refused.to_string()))
                .await;
        }
        let secret = self
            .secrets
            .decrypt(&hook.secret, &Webhook::secret_aad(hook.id))
            .map_err(|e| AppError::Internal(anyhow!("webhook {} secret: {e}", hook.id)))?;
        let timestamp = (self.now_ms() / 1000).to_string();
        let signed = format!("{timestamp}.{}", delivery.payload);
        let signature = hmac::sha256_hex(&secret, signed.as_bytes());
        let client = ssrf::client(allow_private, TIMEOUT, "webhook", false)
            .map_err(|e| AppError::Internal(e.into()))?;
        let sent = client
            .post(url)
            .header("Content-Type", "application/json")
            .header("X-Herald-Event", &delivery.event)
            .header("X-Herald-Delivery", delivery.id.to_string())
            .header("X-Herald-Timestamp", &timestamp)
            .header("X-Herald-Signature", format!("sha256={signature}"))
            .body(delivery.payload.clone())
            .send()
            .await;
        let sent = match sent {
            Ok(mut answer) => {
                let status = answer.status().as_u16();
                let retry_after = answer
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<i64>().ok());
                let mut body = Vec::new();
                while body.len() < BODY_KEPT {
                    match answer.chunk().await {
                        Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                        _ => break,
                    }
                }
                body.truncate(BODY_KEPT);
                Sent::Answered {
                    status,
                    body: String::from_utf8_lossy(&body).into_owned(),
                    retry_after_s: retry_after,
                }
            }
            Err(e) => Sent::Unreachable(without_url(&e)),
        };
        self.tried(&delivery, number, sent).await
    }

    async fn tried(&self, delivery: &Delivery, number: i64, sent: Sent) -> AppResult<Finish> {
        let now = self.now_ms();
        let (status, body, error, retryable, reset) = match sent {
            Sent::Answered {
                status,
                body,
                retry_after_s,
            } => {
                let retryable = status == 429 || status >= 500;
                let error = (!(200..300).contains(&status)).then(|| match status {
                    410 => "the receiver answered 410 Gone; no more tries".to_owned(),
                    s if retryable => format!("the receiver answered {s}"),
                    s => format!("the receiver answered {s}; a 4xx answer is not tried again"),
                });
                let reset = retry_after_s.map(|s| now + s.clamp(0, 3600) * 1000);
                (Some(i64::from(status)), body, error, retryable, reset)
            }
            Sent::Unreachable(e) => (None, String::new(), Some(e), true, None),
            Sent::Refused(e) => (None, String::new(), Some(e), false, None),
        };
        let (state, next) = match &error {
            None => ("delivered", None),
            Some(_) if retryable && number < MAX_TRIES => (
                "retrying",
                Some(retry::next_try_ms(number, now, reset, rand::random())),
            ),
            Some(_) => ("failed", None),
        };
        let error = match (&error, state) {
            (Some(e), "failed") if retryable => Some(format!("gave up after {number} tries: {e}")),
            _ => error,
        };
        let tried = Tried {
            state,
            response_status: status,
            response_body: body,
            error,
            next_try_at_ms: next,
            at_ms: now,
        };
        webhooks::record_try(&self.db, delivery.id, &tried).await?;
        Ok(match next {
            Some(at_ms) => Finish::RunAt { at_ms, error: None },
            None => Finish::Done,
        })
    }
}

enum Sent {
    Answered {
        status: u16,
        body: String,
        retry_after_s: Option<i64>,
    },
    /// No answer: refused connection, timeout, a name resolving to an internal address.
    Unreachable(String),
    /// Not sent: the address is no longer allowed.
    Refused(String),
}

/// The client's error with its cause chain, without repeating the URL.
fn without_url(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "the receiver did not answer in time".to_owned()
    } else if e.is_connect() {
        "the receiver could not be reached".to_owned()
    } else {
        "sending failed".to_owned()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
