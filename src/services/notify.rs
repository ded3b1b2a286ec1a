//! What happened, told to the people concerned (in the app, and by email when the install
//! sends email and they want it) and to the workspace's webhooks. The rest of Herald calls
//! `Services::notify` (or `notify_publishing` from the engine, with what it read of the variant);
//! a notification that cannot be written is logged and never fails the work that caused it.

use serde_json::{Value, json};
use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::domain::clock::rfc3339;
use crate::domain::text::Network;
use crate::domain::{Permission, Role};
use crate::storage::channels;
use crate::storage::group_commit::Write;
use crate::storage::notifications::{self, Notification, PostContext};

/// Something that happened in a workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Written (its first save); webhooks only: the author knows.
    PostCreated {
        post_id: Uuid,
    },
    /// Someone @mentioned members in a comment on a post; in the app (and by email) only.
    Mentioned {
        post_id: Uuid,
        /// Who wrote the comment, as the comment names them; never told of their own words.
        by_id: Uuid,
        by_name: String,
        comment: String,
        people: Vec<Uuid>,
    },
    /// Sent for review.
    PostSubmitted {
        post_id: Uuid,
    },
    /// Approved (the last approval it needed).
    PostApproved {
        post_id: Uuid,
    },
    /// Sent back with a note.
    ChangesRequested {
        post_id: Uuid,
        note: String,
    },
    /// Scheduled (or queued, or published now) on its channels.
    PostScheduled {
        post_id: Uuid,
    },
    PostPublished {
        variant_id: Uuid,
    },
    /// Failed, missed, or with an outcome nobody knows; `kind` says which.
    PostFailed {
        variant_id: Uuid,
        kind: String,
        reason: String,
    },
    /// A channel's credentials stopped working.
    ReconnectNeeded {
        channel_id: Uuid,
        message: String,
    },
}

/// Every event name, as webhooks subscribe to them and payloads carry them.
pub const EVENTS: [&str; 8] = [
    "post.created",
    "post.submitted",
    "post.approved",
    "post.changes_requested",
    "post.scheduled",
    "post.published",
    "post.failed",
    "channel.reconnect_needed",
];

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::PostCreated { .. } => "post.created",
            Event::Mentioned { .. } => "comment.mentioned",
            Event::PostSubmitted { .. } => "post.submitted",
            Event::PostApproved { .. } => "post.approved",
            Event::ChangesRequested { .. } => "post.changes_requested",
            Event::PostScheduled { .. } => "post.scheduled",
            Event::PostPublished { .. } => "post.published",
            Event::PostFailed { .. } => "post.failed",
            Event::ReconnectNeeded { .. } => "channel.reconnect_needed",
        }
    }
}

/// Who hears of an event in the app.
enum Audience {
    Nobody,
    /// These members (those still in the workspace).
    People(Vec<Uuid>),
    Author,
    /// Those who may approve (submissions).
    Reviewers,
    /// Owners and managers, and the post's author if there is one.
    Managers,
}

/// An event made ready: its in-app text, its audience, its webhook data.
struct Told {
    title: String,
    body: String,
    link: String,
    audience: Audience,
    author: Option<Uuid>,
    /// Whether `author` is still a member of the workspace.
    author_is_member: bool,
    /// The webhook payload's `data`; `None`: webhooks do not hear of it.
    data: Option<Value>,
    /// False when the workspace has no webhook at all (none to look for).
    has_webhooks: bool,
}

/// A page of someone's notifications.
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub next: Option<Uuid>,
    pub unread: i64,
}

const PAGE_SIZE: i64 = 50;

impl Services {
    /// Tells the people concerned and the subscribed webhooks that `event` happened in `ws`.
    /// Never fails: what cannot be written is logged.
    pub async fn notify(&self, ws: Uuid, event: Event) {
        if let Err(e) = self.try_notify(ws, &event, None).await {
            tracing::warn!(workspace = %ws, event = event.name(), error = %e, "a notification failed");
        }
    }

    /// As `notify`, for the publishing engine, which knows the variant but not its workspace.
    pub(super) async fn notify_publishing(&self, event: Event, known: Option<PostContext>) {
        let variant = match &event {
            Event::PostPublished { variant_id } | Event::PostFailed { variant_id, .. } => {
                *variant_id
            }
            _ => return,
        };
        // The context read here to find the workspace is the one the words are made from;
        // the publisher passes what it read before publishing, so nothing is read again.
        let context = match known {
            Some(c) => Ok(Some(c)),
            None => notifications::variant_context(&self.db, variant).await,
        };
        match context {
            Ok(Some(c)) => {
                let ws = c.workspace_id;
                if let Err(e) = self.try_notify(ws, &event, Some(c)).await {
                    tracing::warn!(workspace = %ws, event = event.name(), error = %e, "a notification failed");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(%variant, error = %e, "a notification failed"),
        }
    }

    async fn try_notify(
        &self,
        ws: Uuid,
        event: &Event,
        known: Option<PostContext>,
    ) -> AppResult<()> {
        let Some(told) = self.tell(ws, event, known).await? else {
            return Ok(());
        };
        let now = self.now_ms();
        let roles: Vec<&str> = match &told.audience {
            Audience::Nobody | Audience::People(_) | Audience::Author => Vec::new(),
            Audience::Reviewers => Role::ALL
                .into_iter()
                .filter(|r| r.allows(Permission::Approve))
                .map(Role::as_str)
                .collect(),
            Audience::Managers => Role::ALL
                .into_iter()
                .filter(|r| r.allows(Permission::Manage))
                .map(Role::as_str)
                .collect(),
        };
        let mut people = if roles.is_empty() {
            Vec::new()
        } else {
            notifications::members_with_roles(&self.db, ws, &roles).await?
        };
        if let Audience::People(named) = &told.audience {
            for person in named {
                if !people.contains(person)
                    && notifications::is_member(&self.db, ws, *person).await?
                {
                    people.push(*person);
                }
            }
        }
        if let Some(author) = told
            .author
            .filter(|_| matches!(told.audience, Audience::Author | Audience::Managers))
            && !people.contains(&author)
            && told.author_is_member
        {
            people.push(author);
        }
        let rows: Vec<Notification> = people
            .into_iter()
            .map(|user_id| Notification {
                id: Uuid::now_v7(),
                user_id,
                workspace_id: ws,
                kind: event.name().to_owned(),
                title: told.title.clone(),
                body: told.body.clone(),
                link: told.link.clone(),
                created_at_ms: now,
                read_at_ms: None,
            })
            .collect();
        let recipients: Vec<(Uuid, Uuid)> = rows.iter().map(|n| (n.id, n.user_id)).collect();
        let emails = self.email_jobs(&recipients, now).await?;
        let queued_email = !emails.is_empty();
        if !rows.is_empty() {
            // Through the engine's writer: a post published during a burst adds its
            // notification in the same commit as the others, not in a transaction of its own.
            let write = Write::Notify { rows, jobs: emails };
            self.commits.write(write).await?;
        }
        if queued_email {
            self.wake_workers().await;
        }
        match told.data {
            Some(data) if told.has_webhooks => self.send_to_webhooks(ws, event.name(), data).await,
            _ => Ok(()),
        }
    }

    /// The words and data of an event; None when what it names is gone or elsewhere.
    async fn tell(
        &self,
        ws: Uuid,
        event: &Event,
        known: Option<PostContext>,
    ) -> AppResult<Option<Told>> {
        let post = match event {
            Event::PostCreated { post_id }
            | Event::Mentioned { post_id, .. }
            | Event::PostSubmitted { post_id }
            | Event::PostApproved { post_id }
            | Event::ChangesRequested { post_id, .. }
            | Event::PostScheduled { post_id } => {
                notifications::post_context(&self.db, *post_id).await?
            }
            Event::PostPublished { variant_id } | Event::PostFailed { variant_id, .. } => {
                match known {
                    Some(c) => Some(c),
                    None => notifications::variant_context(&self.db, *variant_id).await?,
                }
            }
            Event::ReconnectNeeded {
                channel_id,
                message,
            } => {
                let Some(c) = channels::get(&self.db, ws, *channel_id).await? else {
                    return Ok(None);
                };
                let name = format!("{} ({})", c.handle, c.network.label());
                return Ok(Some(Told {
                    title: format!("{name} needs reconnecting"),
                    body: if message.is_empty() {
                        "Its sign-in stopped working; posts to it fail until it is reconnected."
                            .into()
                    } else {
                        message.clone()
                    },
                    link: format!("/w/{ws}/channels"),
                    audience: Audience::Managers,
                    author: None,
                    author_is_member: false,
                    has_webhooks: true,
                    data: Some(json!({
                        "channel": {"id": c.id, "handle": c.handle, "network": c.network.as_str()},
                        "message": message,
                    })),
                }));
            }
        };
        let Some(p) = post.filter(|p| p.workspace_id == ws) else {
            return Ok(None);
        };
        let on = channel_name(&p);
        let excerpt = excerpt(&p.text);
        let (title, body, audience) = match event {
            Event::PostCreated { .. } => (String::new(), String::new(), Audience::Nobody),
            Event::Mentioned {
                by_id,
                by_name,
                comment,
                people,
                ..
            } => (
                format!("{by_name} mentioned you in a comment"),
                self::excerpt(comment),
                // Never told of one's own words.
                Audience::People(people.iter().copied().filter(|p| p != by_id).collect()),
            ),
            Event::PostSubmitted { .. } => (
                "A post is waiting for review".to_owned(),
                excerpt.clone(),
                Audience::Reviewers,
            ),
            Event::PostApproved { .. } => (
                "Your post is approved".to_owned(),
                excerpt.clone(),
                Audience::Author,
            ),
            Event::ChangesRequested { note, .. } => (
                "Changes were requested on your post".to_owned(),
                note.clone(),
                Audience::Author,
            ),
            Event::PostScheduled { .. } => (
                match p.scheduled_at_ms {
                    Some(at) => format!("Scheduled for {} UTC", short_utc(at)),
                    None => "Scheduled".to_owned(),
                },
                excerpt.clone(),
                Audience::Author,
            ),
            Event::PostPublished { .. } => {
                (format!("Published{on}"), excerpt.clone(), Audience::Author)
            }
            Event::PostFailed { kind, reason, .. } => {
                let what = match kind.as_str() {
                    "missed" => "Missed",
                    "outcome_unknown" => "Maybe not published",
                    _ => "Not published",
                };
                (format!("{what}{on}"), reason.clone(), Audience::Managers)
            }
            Event::ReconnectNeeded { .. } => return Ok(None),
        };
        let mut data = json!({
            "post_id": p.post_id,
            "author_id": p.author_id,
            "text": p.text,
        });
        if let (Some(id), Some(handle), Some(network)) =
            (p.channel_id, &p.channel_handle, &p.network)
        {
            data["channel"] = json!({"id": id, "handle": handle, "network": network});
        }
        match event {
            Event::PostPublished { variant_id } => {
                data["variant_id"] = json!(variant_id);
                data["url"] = json!(p.remote_url);
            }
            Event::PostFailed {
                variant_id,
                kind,
                reason,
            } => {
                data["variant_id"] = json!(variant_id);
                data["error_kind"] = json!(kind);
                data["reason"] = json!(reason);
            }
            Event::PostScheduled { .. } => {
                data["scheduled_at"] = json!(p.scheduled_at_ms.map(rfc3339));
            }
            Event::ChangesRequested { note, .. } => data["note"] = json!(note),
            _ => {}
        }
        let webhooks_hear = !matches!(event, Event::Mentioned { .. });
        Ok(Some(Told {
            title,
            body,
            link: format!("/w/{ws}/posts/{}", p.post_id),
            audience,
            author: Some(p.author_id),
            author_is_member: p.author_is_member,
            data: webhooks_hear.then_some(data),
            has_webhooks: p.has_webhooks,
        }))
    }

    /// The actor's notifications, newest first, after the `before` cursor.
    pub async fn list_notifications(
        &self,
        actor: &Actor,
        before: Option<Uuid>,
    ) -> AppResult<NotificationPage> {
        let user = actor.user.id;
        let cursor = match before {
            Some(id) => {
                let n = notifications::get(&self.db, user, id)
                    .await?
                    .ok_or_else(|| AppError::field("cursor", "is not a page of yours"))?;
                Some((n.created_at_ms, n.id))
            }
            None => None,
        };
        let mut items = notifications::page(&self.db, user, cursor, PAGE_SIZE + 1).await?;
        let next = (items.len() as i64 > PAGE_SIZE).then(|| items[PAGE_SIZE as usize - 1].id);
        items.truncate(PAGE_SIZE as usize);
        let unread = notifications::unread_count(&self.db, user).await?;
        Ok(NotificationPage {
            items,
            next,
            unread,
        })
    }

    pub async fn unread_notifications(&self, actor: &Actor) -> AppResult<i64> {
        Ok(notifications::unread_count(&self.db, actor.user.id).await?)
    }

    /// Marks the actor's notifications read: `ids`, or all with `None`; returns how many.
    pub async fn mark_notifications_read(
        &self,
        actor: &Actor,
        ids: Option<&[Uuid]>,
    ) -> AppResult<u64> {
        if ids.is_some_and(|ids| ids.len() > 500) {
            return Err(AppError::field("ids", "at most 500 at once"));
        }
        Ok(notifications::mark_read(&self.db, actor.user.id, ids, self.now_ms()).await?)
    }
}

/// " on @alice@example.social (Mastodon)", or nothing without a channel.
fn channel_name(p: &PostContext) -> String {
    match (
        &p.channel_handle,
        p.network.as_deref().and_then(Network::parse),
    ) {
        (Some(handle), Some(network)) => format!(" on {handle} ({})", network.label()),
        (Some(handle), None) => format!(" on {handle}"),
        _ => String::new(),
    }
}

/// The post's first words, for a notification's body.
fn excerpt(text: &str) -> String {
    let line = text.trim();
    let short: String = line.chars().take(140).collect();
    if short.len() < line.len() {
        format!("{}…", short.trim_end())
    } else {
        short
    }
}

/// "2026-03-29 09:00".
fn short_utc(ms: i64) -> String {
    let full = rfc3339(ms);
    full.get(..16).unwrap_or(&full).replace('T', " ")
}
