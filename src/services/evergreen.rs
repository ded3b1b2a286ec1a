//! Evergreen queues (issue 5): posts marked evergreen form the workspace's library; the
//! periodic pass fills each channel's next empty posting slot (when it is less than a day
//! away) with a copy of the library post that waited longest, one re-share per channel at a
//! time. A post published on the channel recently waits (`skip_recent`), and one post is
//! never re-shared on a channel more often than `min_interval`. The copy is a new post,
//! queued like any other (approval included), never a second publish of the old variant.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::schedule::When;
use super::{Actor, AppError, AppResult, Services};
use crate::domain::schedule::{LibraryHistory, pick_to_share};
use crate::domain::{Permission, Validation};
use crate::storage::copies;
use crate::storage::evergreen::{self, EvergreenSettings, LibraryPost};
use crate::storage::{channels, posts, workspaces};

const DAY_MS: i64 = 86_400_000;
/// A slot is filled from the library once it is this close: until then people may still
/// queue their own posts into it.
pub const FILL_AHEAD_MS: i64 = DAY_MS;
pub const DEFAULT_MIN_INTERVAL_DAYS: i64 = 30;
pub const DEFAULT_SKIP_RECENT_DAYS: i64 = 7;
const MAX_DAYS: i64 = 365;

/// The library as people see it.
#[derive(Clone, Debug)]
pub struct Library {
    pub settings: EvergreenSettings,
    pub posts: Vec<LibraryEntry>,
}

#[derive(Clone, Debug)]
pub struct LibraryEntry {
    pub entry: LibraryPost,
    pub text: String,
    pub channel_ids: Vec<Uuid>,
    /// When the library last re-shared it (on any channel).
    pub last_shared_at_ms: Option<i64>,
    pub shares: usize,
}

fn default_settings(ws: Uuid, now: i64) -> EvergreenSettings {
    EvergreenSettings {
        workspace_id: ws,
        enabled: true,
        min_interval_ms: DEFAULT_MIN_INTERVAL_DAYS * DAY_MS,
        skip_recent_ms: DEFAULT_SKIP_RECENT_DAYS * DAY_MS,
        last_note: String::new(),
        last_run_at_ms: None,
        updated_at_ms: now,
    }
}

impl Services {
    /// Puts a post in the library (editors and above). The first post switches recycling
    /// on with the default rules.
    pub async fn mark_evergreen(&self, actor: &Actor, ws: Uuid, post: Uuid) -> AppResult<Library> {
        self.active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        let post = posts::get(&self.db, ws, post)
            .await?
            .ok_or(AppError::NotFound)?;
        if posts::variants(&self.db, post.id).await?.is_empty() {
            return Err(AppError::field(
                "channel_ids",
                "choose at least one channel for the post before adding it to the library",
            ));
        }
        let now = self.now_ms();
        if evergreen::settings(&self.db, ws).await?.is_none() {
            evergreen::save_settings(&self.db, &default_settings(ws, now)).await?;
        }
        let entry = LibraryPost {
            post_id: post.id,
            workspace_id: ws,
            added_by: Some(actor.user.id),
            added_at_ms: now,
        };
        evergreen::add(&self.db, &entry).await?;
        self.evergreen_library(actor, ws).await
    }

    pub async fn unmark_evergreen(
        &self,
        actor: &Actor,
        ws: Uuid,
        post: Uuid,
    ) -> AppResult<Library> {
        self.active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        if !evergreen::remove(&self.db, ws, post).await? {
            return Err(AppError::NotFound);
        }
        self.evergreen_library(actor, ws).await
    }

    pub async fn evergreen_library(&self, actor: &Actor, ws: Uuid) -> AppResult<Library> {
        self.workspace(actor, ws).await?;
        let settings =
            evergreen::settings(&self.db, ws)
                .await?
                .unwrap_or_else(|| EvergreenSettings {
                    enabled: false,
                    ..default_settings(ws, 0)
                });
        let mut out = Vec::new();
        for entry in evergreen::library(&self.db, ws).await? {
            let Some(post) = posts::get(&self.db, ws, entry.post_id).await? else {
                continue;
            };
            let shares = copies::of_source(&self.db, post.id, "evergreen").await?;
            out.push(LibraryEntry {
                text: post.text,
                channel_ids: posts::variants(&self.db, entry.post_id)
                    .await?
                    .iter()
                    .map(|v| v.channel_id)
                    .collect(),
                last_shared_at_ms: shares.iter().map(|c| c.for_at_ms).max(),
                shares: shares.len(),
                entry,
            });
        }
        Ok(Library {
            settings,
            posts: out,
        })
    }

    /// The library's rules (managers): on or paused, days between two re-shares of one
    /// post on a channel, days a post published there waits.
    pub async fn set_evergreen_settings(
        &self,
        actor: &Actor,
        ws: Uuid,
        enabled: bool,
        min_interval_days: i64,
        skip_recent_days: i64,
    ) -> AppResult<Library> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let mut v = Validation::new();
        v.check(
            (1..=MAX_DAYS).contains(&min_interval_days),
            "min_interval_days",
            "must be between 1 and 365",
        );
        v.check(
            (0..=MAX_DAYS).contains(&skip_recent_days),
            "skip_recent_days",
            "must be between 0 and 365",
        );
        v.finish()?;
        let settings = EvergreenSettings {
            enabled,
            min_interval_ms: min_interval_days * DAY_MS,
            skip_recent_ms: skip_recent_days * DAY_MS,
            ..default_settings(ws, self.now_ms())
        };
        evergreen::save_settings(&self.db, &settings).await?;
        self.evergreen_library(actor, ws).await
    }

    /// The periodic pass over every workspace whose library recycles.
    pub(super) async fn recycle_evergreen(&self) -> AppResult<()> {
        for settings in evergreen::enabled(&self.db).await? {
            let ws = settings.workspace_id;
            match self.recycle_workspace(&settings).await {
                Ok(notes) => {
                    let note = if notes.is_empty() {
                        "Nothing to fill: no channel has an empty posting slot in the next day."
                            .to_owned()
                    } else {
                        notes.join(" ")
                    };
                    evergreen::note(&self.db, ws, &note, self.now_ms()).await?;
                }
                Err(e) => tracing::warn!(workspace = %ws, error = %e, "evergreen pass failed"),
            }
        }
        Ok(())
    }

    /// Fills each library channel's next slot if it is empty and near; returns what it did.
    async fn recycle_workspace(&self, s: &EvergreenSettings) -> AppResult<Vec<String>> {
        let ws = s.workspace_id;
        let library = evergreen::library(&self.db, ws).await?;
        if library.is_empty() {
            return Ok(vec!["Paused: the library is empty.".into()]);
        }
        let workspace = workspaces::by_id(&self.db, ws).await?;
        let mut by_channel: BTreeMap<Uuid, Vec<&LibraryPost>> = BTreeMap::new();
        for entry in &library {
            for v in posts::variants(&self.db, entry.post_id).await? {
                by_channel.entry(v.channel_id).or_default().push(entry);
            }
        }
        let now = self.now_ms();
        let mut notes = Vec::new();
        for (channel_id, entries) in by_channel {
            let Some(channel) = channels::get(&self.db, ws, channel_id).await? else {
                continue;
            };
            let name = format!("{} ({})", channel.handle, channel.network.label());
            if copies::evergreen_pending(&self.db, channel_id).await? {
                notes.push(format!("{name}: a re-share is already on its way."));
                continue;
            }
            let placed = match self
                .place_in_queue(
                    &channel,
                    &workspace.time_zone,
                    workspace.min_gap_ms,
                    Uuid::nil(),
                    false,
                )
                .await?
            {
                Ok(placed) => placed,
                Err(reason) => {
                    notes.push(format!("{reason}."));
                    continue;
                }
            };
            if placed.at_ms > now + FILL_AHEAD_MS {
                continue;
            }
            let mut histories = Vec::new();
            for entry in &entries {
                histories.push(LibraryHistory {
                    id: entry.post_id,
                    last_shared_ms: copies::last_evergreen_share(
                        &self.db,
                        entry.post_id,
                        channel_id,
                    )
                    .await?,
                    last_published_ms: copies::last_published(&self.db, entry.post_id, channel_id)
                        .await?,
                });
            }
            let Some(pick) = pick_to_share(&histories, s.min_interval_ms, s.skip_recent_ms, now)
            else {
                notes.push(format!(
                    "{name}: every library post was shared there too recently."
                ));
                continue;
            };
            let Some(entry) = entries.iter().find(|e| e.post_id == pick) else {
                continue;
            };
            notes.push(
                self.reshare(ws, entry, channel_id, placed.at_ms, &name)
                    .await?,
            );
        }
        Ok(notes)
    }

    /// Copies one library post for one channel and queues it as the person who added it.
    async fn reshare(
        &self,
        ws: Uuid,
        entry: &LibraryPost,
        channel: Uuid,
        slot_ms: i64,
        name: &str,
    ) -> AppResult<String> {
        let actor = match self
            .acting_as(ws, entry.added_by, Permission::Schedule)
            .await?
        {
            Ok(actor) => actor,
            Err(why) => return Ok(format!("{name}: not re-shared: {why}.")),
        };
        let Some(source) = posts::get(&self.db, ws, entry.post_id).await? else {
            return Ok(String::new());
        };
        let copy = self
            .copy_post(
                &source,
                Some(&[channel]),
                actor.user.id,
                "evergreen",
                slot_ms,
            )
            .await?;
        let sent = self
            .send_on(
                &actor,
                &copy,
                When::Queue { share_next: false },
                "Re-shared from the evergreen library.",
                true,
            )
            .await?;
        Ok(match sent {
            Ok(()) => format!("{name}: re-shared a library post."),
            Err(why) => format!("{name}: not re-shared: {why}."),
        })
    }
}
