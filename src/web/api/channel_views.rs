//! The JSON shape of a channel: the account, its health and what its posts can carry.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::clock::rfc3339;
use crate::domain::post::{Capabilities, capabilities};
use crate::domain::text::Network;
use crate::storage::channels::Channel;

#[derive(Serialize, ToSchema)]
pub struct ChannelView {
    pub id: Uuid,
    pub network: Network,
    pub handle: String,
    pub display_name: String,
    /// `ok`, `expiring`, `reconnect_needed`, `rate_limited`, `disconnected` or
    /// `not_connected` (a record, never connected).
    pub health: String,
    /// The network's own words when it refused the credentials.
    pub health_message: String,
    /// When `health` is `rate_limited`: until when (RFC 3339, UTC).
    pub rate_limited_until: Option<String>,
    /// The Mastodon instance or Bluesky service the account signs in on.
    pub service_url: String,
    /// The network's id for the account (Mastodon account id, Bluesky DID).
    pub remote_id: String,
    pub avatar_url: String,
    pub profile_url: String,
    pub followers: Option<i64>,
    pub following: Option<i64>,
    pub posts: Option<i64>,
    pub connected_at: Option<String>,
    pub checked_at: Option<String>,
    /// When the current access token ends (RFC 3339, UTC).
    pub token_expires_at: Option<String>,
    /// Herald renews the token itself before then (a refresh token or an app password).
    pub token_refreshable: bool,
    /// The longest post as this channel's network counts it.
    pub max_characters: usize,
    /// How many pictures a post takes, when the server says.
    pub max_media: Option<i64>,
    pub capabilities: Capabilities,
    /// Weekly posting slots for the queue ("mon 09:00"), in `time_zone`.
    pub posting_slots: Vec<String>,
    /// The channel's own zone for its slots; empty: the workspace's.
    pub time_zone: String,
}

impl ChannelView {
    pub fn new(c: &Channel, now_ms: i64) -> Self {
        let default_limit = crate::domain::text::check(c.network, "", &Default::default()).limit;
        let health = crate::domain::channel::health(
            &c.health,
            c.expiry_to_show(),
            c.rate_limited_until_ms,
            now_ms,
        );
        ChannelView {
            id: c.id,
            network: c.network,
            handle: c.handle.clone(),
            display_name: c.display_name.clone(),
            health: health.to_owned(),
            health_message: c.health_message.clone(),
            rate_limited_until: (health == "rate_limited")
                .then(|| c.rate_limited_until_ms.map(rfc3339))
                .flatten(),
            service_url: c.service_url.clone(),
            remote_id: c.remote_id.clone(),
            avatar_url: c.avatar_url.clone(),
            profile_url: c.profile_url.clone(),
            followers: c.followers,
            following: c.following,
            posts: c.posts_count,
            connected_at: c.connected_at_ms.map(rfc3339),
            checked_at: c.checked_at_ms.map(rfc3339),
            token_expires_at: c.token_expires_at_ms.map(rfc3339),
            posting_slots: c
                .posting_slots
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            time_zone: c.time_zone.clone(),
            token_refreshable: c.token_refreshable,
            max_characters: c
                .max_characters
                .map(|n| n as usize)
                .unwrap_or(default_limit),
            max_media: c.max_media,
            capabilities: capabilities::of(c.network),
        }
    }
}
