//! The workspace's iCalendar feed: a secret, revocable URL that calendar apps subscribe to.
//!
//! The key is the only credential (no session or token), so only its SHA-256 digest is
//! stored and it is compared in constant time; a wrong, revoked or missing key answers
//! exactly like an unknown workspace (`NotFound`).
//!
//! What the feed shows: one event per variant that was given a time, from 90 days back to
//! a year ahead (at most `MAX_FEED_VARIANTS`), and the workspace's own events and holidays.
//! Scheduled, publishing and published variants are CONFIRMED; a variant whose outcome is
//! unknown is TENTATIVE; failed and cancelled ones stay in the feed as CANCELLED (with a
//! higher SEQUENCE), so calendar apps that showed them update or strike them rather than
//! keep showing a post that will not go out.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::crypto::token::{constant_time_eq, digest, random_token};
use crate::domain::Permission;
use crate::domain::ical::{Calendar, End, Event, EventStatus, When};
use crate::domain::post::VariantState;
use crate::storage::calendar_events::{self, CalendarEvent};
use crate::storage::calendar_feeds::{self, CalendarFeed, FeedVariant};
use crate::storage::workspaces;

const DAY_MS: i64 = 24 * 3_600_000;
/// How far back and ahead the feed reaches.
pub const FEED_DAYS_BACK: i64 = 90;
pub const FEED_DAYS_AHEAD: i64 = 365;
/// The most variants, and events, one feed shows (the earliest in the window first).
pub const MAX_FEED_VARIANTS: i64 = 5_000;
pub const MAX_FEED_EVENTS: i64 = 2_000;
/// How long a post's event lasts in calendar apps (a post is an instant).
const POST_EVENT_MS: i64 = 15 * 60_000;
/// Longer keys are not ours: refused before hashing.
const MAX_KEY_CHARS: usize = 128;

/// A new feed key: shown once, then only its prefix.
#[derive(Clone, Debug)]
pub struct NewFeedKey {
    pub key: String,
    pub feed: CalendarFeed,
}

impl Services {
    /// Creates the workspace's feed key, or replaces it (the old URL stops working).
    /// Managers only.
    pub async fn rotate_calendar_feed(&self, actor: &Actor, ws: Uuid) -> AppResult<NewFeedKey> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let key = random_token();
        let feed = CalendarFeed {
            workspace_id: ws,
            key_hash: digest(&key),
            key_prefix: key.chars().take(6).collect(),
            created_by: Some(actor.user.id),
            created_at_ms: self.now_ms(),
        };
        calendar_feeds::replace(&self.db, &feed).await?;
        Ok(NewFeedKey { key, feed })
    }

    /// Whether the workspace has a live feed key (managers).
    pub async fn calendar_feed_status(
        &self,
        actor: &Actor,
        ws: Uuid,
    ) -> AppResult<Option<CalendarFeed>> {
        self.workspace_for(actor, ws, Permission::Manage).await?;
        Ok(calendar_feeds::get(&self.db, ws).await?)
    }

    /// Revokes the feed key; `NotFound` when there was none.
    pub async fn revoke_calendar_feed(&self, actor: &Actor, ws: Uuid) -> AppResult<()> {
        self.workspace_for(actor, ws, Permission::Manage).await?;
        if calendar_feeds::delete(&self.db, ws).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The feed for whoever holds the key; `host` makes the events' UIDs
    /// (`{variant id}@{host}`).
    pub async fn calendar_feed(&self, ws: Uuid, key: &str, host: &str) -> AppResult<Calendar> {
        let feed = calendar_feeds::get(&self.db, ws).await?;
        let given = if key.len() <= MAX_KEY_CHARS {
            digest(key)
        } else {
            String::new()
        };
        let Some(feed) = feed else {
            // Same work as a wrong key, so timing does not tell whether a feed exists.
            let _ = constant_time_eq(&given, &digest("no feed"));
            return Err(AppError::NotFound);
        };
        if key.is_empty() || !constant_time_eq(&given, &feed.key_hash) {
            return Err(AppError::NotFound);
        }
        let workspace = workspaces::by_id(&self.db, ws).await?;
        let zone = TimeZone::get(&workspace.time_zone).unwrap_or(TimeZone::UTC);
        let now = self.now_ms();
        let (from, to) = (
            now - FEED_DAYS_BACK * DAY_MS,
            now + FEED_DAYS_AHEAD * DAY_MS,
        );
        let variants = calendar_feeds::variants(&self.db, ws, from, to, MAX_FEED_VARIANTS).await?;
        let extras = calendar_events::in_range(&self.db, ws, from, to, MAX_FEED_EVENTS).await?;
        let mut events: Vec<Event> = variants
            .iter()
            .filter_map(|v| variant_event(v, host, now))
            .collect();
        events.extend(extras.iter().map(|e| calendar_event(e, host, &zone, now)));
        Ok(Calendar {
            name: format!("{} (Herald)", workspace.name),
            zone: Some(workspace.time_zone.clone()),
            events,
        })
    }
}

/// The first line of a post, shortened for a calendar's one-line title.
fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut out: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        out.push('…');
    }
    out
}

fn variant_event(v: &FeedVariant, host: &str, now: i64) -> Option<Event> {
    let start_ms = v.published_at_ms.or(v.scheduled_at_ms)?;
    let text = v.parts.join("\n\n");
    let network = v.network.label();
    let (status, state_line) = match v.state {
        VariantState::Published => (EventStatus::Confirmed, "Published".to_owned()),
        VariantState::Scheduled => (EventStatus::Confirmed, "Scheduled".to_owned()),
        VariantState::Publishing => (EventStatus::Confirmed, "Publishing".to_owned()),
        VariantState::OutcomeUnknown => (
            EventStatus::Tentative,
            "Outcome unknown: it may be on the network; look before retrying".to_owned(),
        ),
        VariantState::Failed => (
            EventStatus::Cancelled,
            format!(
                "Failed: {}",
                v.error.as_deref().unwrap_or("no reason given")
            ),
        ),
        VariantState::Cancelled => (EventStatus::Cancelled, "Cancelled".to_owned()),
        _ => return None,
    };
    let mut description = format!("{text}\n\n{state_line} on {} ({network}).", v.handle);
    if !v.time_zone.is_empty() {
        description.push_str(&format!("\nTime zone: {}", v.time_zone));
    }
    let url = match v.state {
        VariantState::Published => v.remote_url.clone().filter(|u| !u.is_empty()),
        _ => None,
    };
    if let Some(url) = &url {
        description.push_str(&format!("\n{url}"));
    }
    Some(Event {
        uid: format!("{}@{host}", v.id),
        stamp_ms: now,
        when: When::Timed {
            start_ms,
            end: End::At(start_ms + POST_EVENT_MS),
        },
        summary: format!("{} ({network}): {}", v.handle, first_line(&text)),
        description: Some(description),
        url,
        status: Some(status),
        categories: vec![network.to_owned(), v.state.as_str().to_owned()],
        sequence: u32::try_from(v.sequence).unwrap_or(u32::MAX),
        last_modified_ms: Some(v.updated_at_ms),
    })
}

fn calendar_event(e: &CalendarEvent, host: &str, zone: &TimeZone, now: i64) -> Event {
    let date = |ms: i64| {
        Timestamp::from_millisecond(ms)
            .map(|t| zone.to_datetime(t).date())
            .ok()
    };
    let when = match (e.all_day, date(e.starts_at_ms), date(e.ends_at_ms)) {
        (true, Some(first), Some(end)) => {
            let days = first.until(end).map(|s| s.get_days()).unwrap_or(1);
            When::AllDay {
                first,
                days: u32::try_from(days).unwrap_or(1).max(1),
            }
        }
        _ => When::Timed {
            start_ms: e.starts_at_ms,
            end: End::At(e.ends_at_ms),
        },
    };
    Event {
        uid: format!("event-{}@{host}", e.id),
        stamp_ms: now,
        when,
        summary: e.title.clone(),
        description: (!e.description.is_empty()).then(|| e.description.clone()),
        url: None,
        status: Some(EventStatus::Confirmed),
        categories: vec!["Event".to_owned()],
        sequence: 0,
        last_modified_ms: Some(e.updated_at_ms),
    }
}
