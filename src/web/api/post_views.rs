//! The JSON shapes of posts, variants, channels and tags.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::clock::rfc3339;
use crate::domain::media::MediaFormat;
use crate::domain::media::rules::MediaProblem;
use crate::domain::post::credit::Credit;
use crate::domain::post::{VariantOptions, VariantState};
use crate::domain::promo::PromoReport;
use crate::domain::text::{Check, Network};
use crate::services::posts::{PostDetail, VariantDetail};
use crate::storage::media::Media;
use crate::storage::tags::Tag;

#[derive(Serialize, ToSchema)]
pub struct TagView {
    pub id: Uuid,
    /// `tag` or `campaign`.
    pub kind: String,
    pub name: String,
    pub color: String,
}

impl From<&Tag> for TagView {
    fn from(t: &Tag) -> Self {
        TagView {
            id: t.id,
            kind: t.kind.clone(),
            name: t.name.clone(),
            color: t.color.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartView {
    pub text: String,
    /// The part as the network counts it: length, limit, entities, problems.
    pub check: Check,
}

#[derive(Serialize, ToSchema)]
pub struct VariantView {
    pub id: Uuid,
    pub channel_id: Uuid,
    pub network: Network,
    pub handle: String,
    pub state: VariantState,
    /// False while the variant follows the post's text.
    pub detached: bool,
    /// One per post of a thread.
    pub parts: Vec<PartView>,
    pub first_comment: String,
    pub options: VariantOptions,
    /// What the network would refuse about the post's media, each with the item's index.
    pub media_problems: Vec<MediaProblem>,
    /// True when every part and the media fit the network's rules.
    pub valid: bool,
    pub remote_id: Option<String>,
    pub remote_url: Option<String>,
    pub error: Option<String>,
    /// How the last attempt failed: rate_limited, auth_expired, rejected, transient,
    /// outcome_unknown, unsupported, disconnected or missed.
    pub error_kind: Option<String>,
    /// When it goes out (UTC), with the zone and local time the person chose.
    pub scheduled_at: Option<String>,
    pub time_zone: String,
    pub local_time: String,
    pub published_at: Option<String>,
    /// The next automatic retry, while publishing.
    pub retry_at: Option<String>,
    /// Attempts made to publish it.
    pub attempts: i64,
}

impl From<&VariantDetail> for VariantView {
    fn from(d: &VariantDetail) -> Self {
        let v = &d.variant;
        VariantView {
            id: v.id,
            channel_id: v.channel_id,
            network: d.channel.network,
            handle: d.channel.handle.clone(),
            state: v.state,
            detached: v.detached,
            parts: v
                .parts
                .iter()
                .zip(&d.checks)
                .map(|(t, c)| PartView {
                    text: t.clone(),
                    check: c.clone(),
                })
                .collect(),
            first_comment: v.first_comment.clone(),
            options: v.options.0.clone(),
            media_problems: d.media_problems.clone(),
            valid: d.checks.iter().all(|c| c.valid) && d.media_problems.is_empty(),
            remote_id: v.remote_id.clone(),
            remote_url: v.remote_url.clone(),
            error: v.error.clone(),
            error_kind: v.error_kind.clone(),
            scheduled_at: v.scheduled_at_ms.map(rfc3339),
            time_zone: v.time_zone.clone(),
            local_time: v.local_time.clone(),
            published_at: v.published_at_ms.map(rfc3339),
            retry_at: v.retry_at_ms.map(rfc3339),
            attempts: v.attempt_count,
        }
    }
}

/// A media item as a post shows it; the library (`/media/{id}`) has the rest.
#[derive(Serialize, ToSchema)]
pub struct PostMediaView {
    pub id: Uuid,
    pub name: String,
    pub format: MediaFormat,
    pub width: i32,
    pub height: i32,
    pub duration_ms: Option<i64>,
    pub alt_text: String,
}

impl From<&Media> for PostMediaView {
    fn from(m: &Media) -> Self {
        PostMediaView {
            id: m.id,
            name: m.name.clone(),
            format: m.media_format(),
            width: m.width,
            height: m.height,
            duration_ms: m.duration_ms,
            alt_text: m.alt_text.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PostView {
    pub id: Uuid,
    /// draft, one variant state when all agree, partly_published or mixed.
    pub state: String,
    pub text: String,
    pub notes: String,
    pub author_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    pub tags: Vec<TagView>,
    pub variants: Vec<VariantView>,
    /// The pictures or video every variant shows, in order.
    pub media: Vec<PostMediaView>,
    /// Third-party content's link and author, when the post shares someone else's work.
    pub credit: Option<Credit>,
    /// The "no hard sell" check of the text: score 0-100, findings with alternatives.
    pub promo: PromoReport,
    /// Approvals given in the current review round, of those it needs.
    pub approvals_done: i64,
    pub approvals_needed: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&PostDetail> for PostView {
    fn from(d: &PostDetail) -> Self {
        let p = &d.post;
        PostView {
            id: p.id,
            state: d.state.as_str().to_owned(),
            text: p.text.clone(),
            notes: p.notes.clone(),
            author_id: p.author_id,
            assignee_id: p.assignee_id,
            campaign_id: p.campaign_id,
            tags: d
                .tags
                .iter()
                .filter(|t| t.kind == "tag")
                .map(TagView::from)
                .collect(),
            variants: d.variants.iter().map(VariantView::from).collect(),
            media: d.media.iter().map(PostMediaView::from).collect(),
            credit: (!p.credit.is_empty()).then(|| p.credit.0.clone()),
            promo: d.promo.clone(),
            approvals_done: p.approvals_done,
            approvals_needed: p.approvals_needed,
            created_at: rfc3339(p.created_at_ms),
            updated_at: rfc3339(p.updated_at_ms),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LinkView {
    pub id: Uuid,
    pub short_url: String,
    /// Where it leads, with its UTM parameters.
    pub target_url: String,
    pub network: String,
    pub post_id: Option<Uuid>,
    pub variant_id: Option<Uuid>,
    /// Visits by people; known bots and link-preview fetchers are not counted.
    pub clicks: i64,
    pub bot_visits: i64,
    pub created_at: String,
}

impl LinkView {
    pub fn new(s: &crate::storage::links::LinkStats, public_base: &str) -> Self {
        LinkView {
            id: s.link.id,
            short_url: format!("{public_base}/l/{}", s.link.code),
            target_url: s.link.target_url.clone(),
            network: s.link.network.clone(),
            post_id: s.link.post_id,
            variant_id: s.link.variant_id,
            clicks: s.clicks,
            bot_visits: s.bot_visits,
            created_at: rfc3339(s.link.created_at_ms),
        }
    }
}
