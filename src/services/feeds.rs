//! RSS and Atom import (issue 5): a workspace adds a feed's address, chooses channels and
//! whether new items become drafts or go into the channels' queues. The periodic pass polls
//! each feed when it is due (conditional GET), and makes one post per new item; an item is
//! known by its id and by its link, so neither a repeated item nor one whose id changed
//! (same link) is imported twice. The first poll imports only the newest few items and
//! remembers the rest: a feed's archive (often hundreds of items) would otherwise flood the
//! drafts, or the queue for months.

use std::collections::HashSet;

use uuid::Uuid;

use super::posts::PostInput;
use super::schedule::When;
use super::{Actor, AppError, AppResult, Services};
use crate::connectors::feeds::{FeedItem, Fetched};
use crate::domain::{Permission, Validation};
use crate::storage::channels;
use crate::storage::feeds::{self, Feed, PollResult};

pub const DEFAULT_FIRST_POLL_ITEMS: i64 = 5;
pub const MAX_FIRST_POLL_ITEMS: i64 = 50;
pub const DEFAULT_POLL_MINUTES: i64 = 60;
/// New items one poll turns into posts; more wait for the next poll.
const MAX_ITEMS_PER_POLL: usize = 50;
const MAX_URL_CHARS: usize = 2_000;
const MAX_TITLE_CHARS: usize = 200;
const MAX_SUMMARY_CHARS: usize = 1_000;

#[derive(Clone, Debug, Default)]
pub struct FeedInput {
    pub url: String,
    pub channel_ids: Vec<Uuid>,
    /// `drafts` or `queue`.
    pub mode: String,
    pub first_poll_items: Option<i64>,
    pub poll_interval_minutes: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct FeedView {
    pub feed: Feed,
    pub channel_ids: Vec<Uuid>,
}

impl Services {
    /// Adds a feed (editors and above) and reads it at once, so its status tells straight
    /// away whether the address serves a feed.
    pub async fn add_feed(&self, actor: &Actor, ws: Uuid, input: FeedInput) -> AppResult<FeedView> {
        self.active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        let mut v = Validation::new();
        let url = input.url.trim().to_owned();
        if url.is_empty() {
            v.add("url", "give the feed's address");
        } else if url.chars().count() > MAX_URL_CHARS {
            v.add("url", "is longer than 2000 characters");
        } else if let Some(fetcher) = &self.feed_fetcher
            && let Err(e) = fetcher.check(&url)
        {
            v.add("url", e.to_string());
        }
        if !matches!(input.mode.as_str(), "drafts" | "queue") {
            v.add("mode", "must be drafts or queue");
        }
        let known: HashSet<Uuid> = channels::list(&self.db, ws)
            .await?
            .iter()
            .map(|c| c.id)
            .collect();
        if input.channel_ids.is_empty() {
            v.add("channel_ids", "choose at least one channel");
        }
        for (i, id) in input.channel_ids.iter().enumerate() {
            if !known.contains(id) {
                v.add(
                    &format!("channel_ids[{i}]"),
                    "is not a channel of this workspace",
                );
            } else if input.channel_ids[..i].contains(id) {
                v.add(&format!("channel_ids[{i}]"), "is already chosen");
            }
        }
        let first = input.first_poll_items.unwrap_or(DEFAULT_FIRST_POLL_ITEMS);
        v.check(
            (0..=MAX_FIRST_POLL_ITEMS).contains(&first),
            "first_poll_items",
            "must be between 0 and 50",
        );
        let minutes = input.poll_interval_minutes.unwrap_or(DEFAULT_POLL_MINUTES);
        v.check(
            (15..=1440).contains(&minutes),
            "poll_interval_minutes",
            "must be between 15 and 1440 (a day)",
        );
        v.finish()?;
        if feeds::list(&self.db, ws)
            .await?
            .iter()
            .any(|f| f.url == url)
        {
            return Err(AppError::Conflict(
                "This feed is already in the workspace.".into(),
            ));
        }
        let now = self.now_ms();
        let feed = Feed {
            id: Uuid::now_v7(),
            workspace_id: ws,
            url,
            title: String::new(),
            mode: input.mode,
            first_poll_items: first,
            poll_interval_ms: minutes * 60_000,
            etag: None,
            last_modified: None,
            status: "new".into(),
            last_error: None,
            last_polled_at_ms: None,
            next_poll_at_ms: now + minutes * 60_000,
            items_imported: 0,
            created_by: Some(actor.user.id),
            created_at_ms: now,
            updated_at_ms: now,
        };
        feeds::insert(&self.db, &feed, &input.channel_ids).await?;
        self.poll_feed(&feed).await?;
        self.feed(actor, ws, feed.id).await
    }

    pub async fn feeds(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<FeedView>> {
        self.workspace(actor, ws).await?;
        let mut out = Vec::new();
        for feed in feeds::list(&self.db, ws).await? {
            let channel_ids = feeds::channels(&self.db, feed.id).await?;
            out.push(FeedView { feed, channel_ids });
        }
        Ok(out)
    }

    pub async fn feed(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<FeedView> {
        self.workspace(actor, ws).await?;
        let feed = feeds::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let channel_ids = feeds::channels(&self.db, feed.id).await?;
        Ok(FeedView { feed, channel_ids })
    }

    /// Stops polling the feed; the posts it made stay.
    pub async fn delete_feed(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<()> {
        self.active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        if !feeds::delete(&self.db, ws, id).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    /// Reads the feed now, whatever its schedule.
    pub async fn poll_feed_now(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<FeedView> {
        self.active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        let feed = feeds::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.poll_feed(&feed).await?;
        self.feed(actor, ws, id).await
    }

    /// The periodic pass: polls every feed that is due, each claimed first so two passes
    /// never read one feed at once.
    pub(super) async fn poll_due_feeds(&self) -> AppResult<()> {
        let now = self.now_ms();
        for feed in feeds::due(&self.db, now).await? {
            let next = now + feed.poll_interval_ms;
            if !feeds::claim(&self.db, feed.id, feed.next_poll_at_ms, next).await? {
                continue;
            }
            if let Err(e) = self.poll_feed(&feed).await {
                tracing::warn!(feed = %feed.id, error = %e, "polling a feed failed");
            }
        }
        Ok(())
    }

    /// Reads the feed and makes a post per new item; a feed that cannot be read gets the
    /// reason as its status, and nothing is made.
    async fn poll_feed(&self, feed: &Feed) -> AppResult<()> {
        let now = self.now_ms();
        let fail = |error: String| PollResult {
            ok: false,
            error: Some(error),
            ..PollResult::default()
        };
        let Some(fetcher) = &self.feed_fetcher else {
            let r = fail("this install does not read feeds".into());
            return Ok(feeds::record_poll(&self.db, feed.id, &r, now).await?);
        };
        let fetched = fetcher
            .fetch(
                &feed.url,
                feed.etag.as_deref(),
                feed.last_modified.as_deref(),
            )
            .await;
        let now = self.now_ms();
        let (parsed, etag, last_modified) = match fetched {
            Err(e) => {
                return Ok(feeds::record_poll(&self.db, feed.id, &fail(e.to_string()), now).await?);
            }
            Ok(Fetched::NotModified) => {
                let r = PollResult {
                    ok: true,
                    ..PollResult::default()
                };
                return Ok(feeds::record_poll(&self.db, feed.id, &r, now).await?);
            }
            Ok(Fetched::Feed {
                feed,
                etag,
                last_modified,
            }) => (feed, etag, last_modified),
        };
        let permission = if feed.mode == "queue" {
            Permission::Schedule
        } else {
            Permission::WriteDrafts
        };
        let actor = match self
            .acting_as(feed.workspace_id, feed.created_by, permission)
            .await?
        {
            Ok(actor) => actor,
            Err(why) => {
                let r = fail(format!("nothing imported: {why}"));
                return Ok(feeds::record_poll(&self.db, feed.id, &r, now).await?);
            }
        };
        let all_keys: Vec<String> = parsed.items.iter().flat_map(FeedItem::keys).collect();
        let seen: HashSet<String> = feeds::seen(&self.db, feed.id, &all_keys)
            .await?
            .into_iter()
            .collect();
        let mut fresh: Vec<&FeedItem> = Vec::new();
        for item in &parsed.items {
            let keys = item.keys();
            // The same item twice in one document counts once.
            if keys.iter().any(|k| seen.contains(k))
                || fresh
                    .iter()
                    .any(|f| f.keys().iter().any(|k| keys.contains(k)))
            {
                continue;
            }
            fresh.push(item);
        }
        let first = feed.status != "ok" && feed.items_imported == 0;
        let take = if first {
            (feed.first_poll_items as usize).min(MAX_ITEMS_PER_POLL)
        } else {
            MAX_ITEMS_PER_POLL
        };
        if first {
            let older: Vec<String> = fresh.iter().skip(take).flat_map(|i| i.keys()).collect();
            feeds::remember(&self.db, feed.id, &older, now).await?;
        }
        let channel_ids = feeds::channels(&self.db, feed.id).await?;
        let mut imported = 0;
        let mut problems = Vec::new();
        // Oldest first, so the queue keeps the feed's order.
        for item in fresh.iter().take(take).rev() {
            let keys = item.keys();
            if feeds::remember(&self.db, feed.id, &keys, now).await? < keys.len() as u64 {
                continue;
            }
            match self
                .import_item(&actor, feed, &parsed.title, item, &channel_ids)
                .await?
            {
                Ok(()) => imported += 1,
                Err(why) => problems.push(why),
            }
        }
        let r = PollResult {
            ok: true,
            error: (!problems.is_empty()).then(|| problems.join(" ")),
            title: Some(parsed.title.clone()).filter(|t| !t.is_empty()),
            validators: Some((etag, last_modified)),
            imported,
        };
        Ok(feeds::record_poll(&self.db, feed.id, &r, now).await?)
    }

    /// One item as a post: its title and link, the summary in the notes. In queue mode an
    /// item that cannot be queued stays a draft, with the reason on the feed.
    async fn import_item(
        &self,
        actor: &Actor,
        feed: &Feed,
        feed_title: &str,
        item: &FeedItem,
        channel_ids: &[Uuid],
    ) -> AppResult<Result<(), String>> {
        let title: String = item.title.chars().take(MAX_TITLE_CHARS).collect();
        let text = match (&item.link, title.is_empty()) {
            (Some(link), false) => format!("{title}\n\n{link}"),
            (Some(link), true) => link.clone(),
            (None, _) => title.clone(),
        };
        let summary: String = item.summary.chars().take(MAX_SUMMARY_CHARS).collect();
        let source = if feed_title.is_empty() {
            &feed.url
        } else {
            feed_title
        };
        let input = PostInput {
            text: Some(text),
            channel_ids: Some(channel_ids.to_vec()),
            notes: Some(
                format!("From the feed {source}.\n\n{summary}")
                    .trim()
                    .to_owned(),
            ),
            ..PostInput::default()
        };
        let detail = match self.create_post(actor, feed.workspace_id, input).await {
            Ok(detail) => detail,
            Err(AppError::Validation(errors)) => {
                let why: Vec<String> = errors
                    .into_iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
                return Ok(Err(format!(
                    "\"{title}\" was not imported: {}.",
                    why.join("; ")
                )));
            }
            Err(e) => return Err(e),
        };
        feeds::link_post(&self.db, feed.id, &item.keys(), detail.post.id).await?;
        if feed.mode != "queue" {
            return Ok(Ok(()));
        }
        let sent = self
            .send_on(
                actor,
                &detail.post,
                When::Queue { share_next: false },
                "From a feed.",
                false,
            )
            .await?;
        Ok(sent.map_err(|why| format!("\"{title}\" stayed a draft: {why}.")))
    }
}
