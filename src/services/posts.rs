//! Posts and their variants: compose once, tailor per network.

use std::collections::HashMap;

use sqlx::types::Json;
use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::domain::media::rules::{self as media_rules, MediaContext, MediaProblem};
use crate::domain::post::credit::{Credit, text_with_credit};
use crate::domain::post::{self, PostState, VariantOptions, VariantState, capabilities};
use crate::domain::promo::{self, PromoReport};
use crate::domain::text::{self, Check, CheckOptions, MastodonLimits};
use crate::domain::validation::clean_text;
use crate::domain::workspace::BrandProfile;
use crate::domain::{Permission, Validation};
use crate::storage::channels::{self, Channel};
use crate::storage::media::{self, Media};
use crate::storage::posts::{self, Post, Variant};
use crate::storage::tags::{self, Tag};
use crate::storage::{memberships, workspaces};

pub const PAGE_SIZE: i64 = 50;
/// The most any network takes in one post (LinkedIn and Threads: 20).
pub const MAX_MEDIA_PER_POST: usize = 20;

/// What to set on a post; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct PostInput {
    pub text: Option<String>,
    pub channel_ids: Option<Vec<Uuid>>,
    pub tags: Option<Vec<String>>,
    pub campaign_id: Option<Option<Uuid>>,
    pub assignee_id: Option<Option<Uuid>>,
    pub notes: Option<String>,
    /// The post's pictures or video, in order (every variant shows them).
    pub media_ids: Option<Vec<Uuid>>,
    /// Third-party content: the original's link and its author's handles; an empty credit
    /// removes it.
    pub credit: Option<Credit>,
}

/// What to change on one variant.
#[derive(Clone, Debug, Default)]
pub struct VariantPatch {
    /// Detaches the variant with its own parts (one per post of a thread).
    pub parts: Option<Vec<String>>,
    /// `true` drops the variant's own text and follows the post again.
    pub follow_post: Option<bool>,
    pub first_comment: Option<String>,
    pub options: Option<VariantOptions>,
}

/// The workspace's channels and brand profile, as posts are checked against them.
struct Surroundings {
    channels: HashMap<Uuid, Channel>,
    brand: BrandProfile,
    require_alt_text: bool,
}

/// A post with everything the composer and the API show.
#[derive(Clone, Debug)]
pub struct PostDetail {
    pub post: Post,
    pub state: PostState,
    pub tags: Vec<Tag>,
    pub variants: Vec<VariantDetail>,
    /// The pictures or video every variant shows, in order.
    pub media: Vec<Media>,
    /// How promotional the text reads, with the words that make it so.
    pub promo: PromoReport,
}

#[derive(Clone, Debug)]
pub struct VariantDetail {
    pub variant: Variant,
    pub channel: Channel,
    /// One check per part, as the channel's network counts it.
    pub checks: Vec<Check>,
    /// What the network would refuse about the post's media (count, format, size, shape,
    /// alt text).
    pub media_problems: Vec<MediaProblem>,
}

impl Services {
    pub async fn create_post(
        &self,
        actor: &Actor,
        ws: Uuid,
        input: PostInput,
    ) -> AppResult<PostDetail> {
        self.active_workspace_for(actor, ws, Permission::WriteDrafts)
            .await?;
        let now = self.now_ms();
        let post = Post {
            id: Uuid::now_v7(),
            workspace_id: ws,
            author_id: actor.user.id,
            assignee_id: None,
            campaign_id: None,
            text: String::new(),
            notes: String::new(),
            promo_score: 0,
            credit: Json(Credit::default()),
            created_at_ms: now,
            updated_at_ms: now,
            approvals_done: 0,
            approvals_needed: 0,
        };
        let created = self.apply(ws, post, Vec::new(), Vec::new(), input).await?;
        let event = super::Event::PostCreated {
            post_id: created.post.id,
        };
        self.notify(ws, event).await;
        Ok(created)
    }

    pub async fn update_post(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        input: PostInput,
    ) -> AppResult<PostDetail> {
        let (post, variants) = self.editable_post(actor, ws, id).await?;
        let before = variants.clone();
        let tags = tags::of_post(&self.db, id).await?;
        let after = self.apply(ws, post, tags, variants, input).await?;
        self.after_edit(actor, &before, &after).await?;
        self.detail(after.post).await
    }

    pub async fn get_post(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<PostDetail> {
        self.workspace(actor, ws).await?;
        let post = posts::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.detail(post).await
    }

    /// Newest first, a page at a time; the cursor is the last id of the previous page.
    pub async fn list_posts(
        &self,
        actor: &Actor,
        ws: Uuid,
        before: Option<Uuid>,
    ) -> AppResult<(Vec<PostDetail>, Option<Uuid>)> {
        self.workspace(actor, ws).await?;
        let page = posts::list(&self.db, ws, before, PAGE_SIZE + 1).await?;
        let next = (page.len() as i64 > PAGE_SIZE).then(|| page[PAGE_SIZE as usize - 1].id);
        let around = self.surroundings(ws).await?;
        let mut out = Vec::new();
        for post in page.into_iter().take(PAGE_SIZE as usize) {
            out.push(self.detail_with(&around, post).await?);
        }
        Ok((out, next))
    }

    pub async fn delete_post(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<()> {
        self.editable_post(actor, ws, id).await?;
        posts::delete(&self.db, ws, id).await?;
        Ok(())
    }

    /// Tailors one variant: its own parts (a thread), first comment or options.
    pub async fn update_variant(
        &self,
        actor: &Actor,
        ws: Uuid,
        post_id: Uuid,
        variant_id: Uuid,
        patch: VariantPatch,
    ) -> AppResult<PostDetail> {
        let (post, mut variants) = self.editable_post(actor, ws, post_id).await?;
        let before = variants.clone();
        let channels = self.channels_by_id(ws).await?;
        let Some(variant) = variants.iter_mut().find(|v| v.id == variant_id) else {
            return Err(AppError::NotFound);
        };
        let network = channels
            .get(&variant.channel_id)
            .map(|c| c.network)
            .ok_or(AppError::NotFound)?;
        let caps = capabilities::of(network);
        let mut v = Validation::new();
        if let Some(parts) = &patch.parts {
            let parts = post::clean_parts(&mut v, "parts", parts);
            if parts.len() > 1 && !caps.threads {
                v.add(
                    "parts",
                    format!("{} does not take threads: keep one part", network.as_str()),
                );
            }
            variant.parts = Json(if parts.is_empty() {
                vec![String::new()]
            } else {
                parts
            });
            variant.detached = true;
        }
        if patch.follow_post == Some(true) {
            variant.detached = false;
            variant.parts = Json(vec![text_with_credit(
                &post.text,
                Some(&post.credit),
                network,
            )]);
        }
        if let Some(comment) = &patch.first_comment {
            let comment = clean_text(&mut v, "first_comment", comment, 10_000);
            if !comment.is_empty() && !caps.first_comment {
                v.add(
                    "first_comment",
                    format!("{} has no first comment", network.as_str()),
                );
            }
            variant.first_comment = comment;
        }
        if let Some(options) = patch.options {
            options.validate(&mut v, network, "options");
            variant.options = Json(options);
        }
        v.finish()?;
        variant.updated_at_ms = self.now_ms();
        let after = self.save_variants(post, &variants).await?;
        self.after_edit(actor, &before, &after).await?;
        self.detail(after.post).await
    }

    /// Saves a post's changed variants (tags unchanged) and returns the post as it now reads.
    pub(super) async fn save_variants(
        &self,
        post: Post,
        variants: &[Variant],
    ) -> AppResult<PostDetail> {
        let tag_ids: Vec<Uuid> = tags::of_post(&self.db, post.id)
            .await?
            .iter()
            .map(|t| t.id)
            .collect();
        posts::save(&self.db, &post, &tag_ids, variants, &[], None).await?;
        self.detail(post).await
    }

    /// The post and its variants if the actor may change them: contributors their own
    /// posts, editors and above any post; never once a variant is publishing or published.
    pub(super) async fn editable_post(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
    ) -> AppResult<(Post, Vec<Variant>)> {
        let mine = self
            .active_workspace_for(actor, ws, Permission::WriteDrafts)
            .await?;
        let post = posts::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if post.author_id != actor.user.id && !mine.role.allows(Permission::Schedule) {
            return Err(AppError::forbidden(
                "Contributors change only their own posts.",
            ));
        }
        let variants = posts::variants(&self.db, id).await?;
        if let Some(locked) = variants.iter().find(|v| !v.state.editable()) {
            return Err(AppError::Conflict(format!(
                "This post is {} on one channel; it can no longer be changed.",
                locked.state.as_str().replace('_', " ")
            )));
        }
        Ok((post, variants))
    }

    pub(super) async fn channels_by_id(&self, ws: Uuid) -> AppResult<HashMap<Uuid, Channel>> {
        Ok(channels::list(&self.db, ws)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect())
    }

    /// Validates `input` against the workspace, applies it and saves the whole post.
    async fn apply(
        &self,
        ws: Uuid,
        mut post: Post,
        tags: Vec<Tag>,
        mut variants: Vec<Variant>,
        input: PostInput,
    ) -> AppResult<PostDetail> {
        let mut v = Validation::new();
        let around = self.surroundings(ws).await?;
        let channels = &around.channels;
        if let Some(text) = &input.text {
            post.text = post::clean_post_text(&mut v, "text", text);
        }
        if let Some(notes) = &input.notes {
            post.notes = clean_text(&mut v, "notes", notes, post::MAX_NOTES_CHARS);
        }
        if let Some(assignee) = input.assignee_id {
            if let Some(user) = assignee
                && memberships::get(&self.db, ws, user).await?.is_none()
            {
                v.add("assignee_id", "is not a member of this workspace");
            }
            post.assignee_id = assignee;
        }
        if let Some(campaign) = input.campaign_id {
            if let Some(id) = campaign
                && !tags::list(&self.db, ws)
                    .await?
                    .iter()
                    .any(|t| t.id == id && t.kind == "campaign")
            {
                v.add("campaign_id", "is not a campaign of this workspace");
            }
            post.campaign_id = campaign;
        }
        let mut removed = Vec::new();
        if let Some(ids) = &input.channel_ids {
            for (i, id) in ids.iter().enumerate() {
                if !channels.contains_key(id) {
                    v.add(
                        &format!("channel_ids[{i}]"),
                        "is not a channel of this workspace",
                    );
                }
            }
            removed = variants
                .iter()
                .filter(|x| !ids.contains(&x.channel_id))
                .map(|x| x.id)
                .collect();
            variants.retain(|x| ids.contains(&x.channel_id));
            for id in ids {
                if !variants.iter().any(|x| x.channel_id == *id) && channels.contains_key(id) {
                    variants.push(new_variant(post.id, *id, post.updated_at_ms));
                }
            }
        }
        if let Some(credit) = input.credit.clone() {
            post.credit = Json(credit.validated(&mut v));
        }
        if let Some(ids) = &input.media_ids {
            self.check_media_ids(&mut v, ws, ids).await?;
        }
        let tag_names = input.tags.clone();
        if let Some(names) = &tag_names {
            for (i, name) in names.iter().enumerate() {
                crate::domain::validation::clean_name(
                    &mut v,
                    &format!("tags[{i}]"),
                    name.trim_start_matches('#'),
                    60,
                );
            }
        }
        v.finish()?;
        let now = self.now_ms();
        post.updated_at_ms = now;
        post.promo_score = i64::from(promo::assess(&post.text, &around.brand).score);
        for variant in variants.iter_mut().filter(|x| !x.detached) {
            if let Some(channel) = channels.get(&variant.channel_id) {
                variant.parts = Json(vec![text_with_credit(
                    &post.text,
                    Some(&post.credit),
                    channel.network,
                )]);
            }
            variant.updated_at_ms = now;
        }
        let tag_ids = match tag_names {
            Some(names) => self.tag_ids_named(ws, &names).await?,
            None => tags.iter().map(|t| t.id).collect(),
        };
        posts::save(
            &self.db,
            &post,
            &tag_ids,
            &variants,
            &removed,
            input.media_ids.as_deref(),
        )
        .await?;
        self.detail_with(&around, post).await
    }

    /// Each id must be an item of this workspace's library, once.
    async fn check_media_ids(&self, v: &mut Validation, ws: Uuid, ids: &[Uuid]) -> AppResult<()> {
        if ids.len() > MAX_MEDIA_PER_POST {
            v.add(
                "media_ids",
                format!("at most {MAX_MEDIA_PER_POST} pictures or videos per post"),
            );
            return Ok(());
        }
        let found = media::get_many(&self.db, ws, ids).await?;
        for (i, id) in ids.iter().enumerate() {
            if !found.iter().any(|m| m.id == *id) {
                v.add(
                    &format!("media_ids[{i}]"),
                    "is not in this workspace's media library",
                );
            } else if ids[..i].contains(id) {
                v.add(&format!("media_ids[{i}]"), "is already in the post");
            }
        }
        Ok(())
    }

    /// What showing a post needs from its workspace; loaded once per request, not per post.
    async fn surroundings(&self, ws: Uuid) -> AppResult<Surroundings> {
        let settings = workspaces::by_id(&self.db, ws).await?.settings();
        Ok(Surroundings {
            channels: self.channels_by_id(ws).await?,
            brand: settings.brand,
            require_alt_text: settings.require_alt_text,
        })
    }

    pub(super) async fn detail(&self, post: Post) -> AppResult<PostDetail> {
        let around = self.surroundings(post.workspace_id).await?;
        self.detail_with(&around, post).await
    }

    async fn detail_with(&self, around: &Surroundings, post: Post) -> AppResult<PostDetail> {
        let tags = tags::of_post(&self.db, post.id).await?;
        let media = media::of_post(&self.db, post.id).await?;
        let facts: Vec<_> = media.iter().map(Media::facts).collect();
        let mut variants = Vec::new();
        for variant in posts::variants(&self.db, post.id).await? {
            let Some(channel) = around.channels.get(&variant.channel_id).cloned() else {
                continue;
            };
            let checks = check_variant(&channel, &variant);
            let context = MediaContext {
                instagram_format: variant.options.instagram_format.clone(),
                facebook_format: variant.options.facebook_format.clone(),
                require_alt_text: around.require_alt_text,
                mastodon: None,
            };
            let media_problems = media_rules::check(channel.network, &facts, &context)
                .into_iter()
                // Herald cuts such a picture around its focal point for this network before
                // it is sent, so its shape is no longer the author's problem.
                .filter(|p| {
                    let cropped = p.index.and_then(|i| media.get(i)).is_some_and(|m| {
                        crate::services::media::crop_for(m, channel.network).is_some()
                    });
                    !(p.code == "aspect_ratio_out_of_range" && cropped)
                })
                .collect();
            variants.push(VariantDetail {
                variant,
                channel,
                checks,
                media_problems,
            });
        }
        let states: Vec<VariantState> = variants.iter().map(|v| v.variant.state).collect();
        let promo = promo::assess(&post.text, &around.brand);
        Ok(PostDetail {
            post,
            state: PostState::derive(&states),
            tags,
            variants,
            media,
            promo,
        })
    }
}

/// An empty draft variant of `post` on `channel`.
pub(super) fn new_variant(post: Uuid, channel: Uuid, now: i64) -> Variant {
    Variant {
        id: Uuid::now_v7(),
        post_id: post,
        channel_id: channel,
        state: VariantState::Draft,
        detached: false,
        parts: Json(vec![String::new()]),
        first_comment: String::new(),
        options: Json(VariantOptions::default()),
        remote_id: None,
        remote_url: None,
        error: None,
        created_at_ms: now,
        updated_at_ms: now,
        scheduled_at_ms: None,
        time_zone: String::new(),
        local_time: String::new(),
        published_at_ms: None,
        error_kind: None,
        retry_at_ms: None,
        attempt_count: 0,
        tries: 0,
        first_attempt_ms: None,
        sequence: 0,
        queued: false,
    }
}

/// The counting settings of a channel: a Mastodon instance's own limits, when known.
pub fn check_options(channel: &Channel, content_warning: Option<String>) -> CheckOptions {
    let mastodon = channel.max_characters.map(|max| MastodonLimits {
        max_characters: max as usize,
        characters_reserved_per_url: channel.chars_per_url.unwrap_or(23) as usize,
    });
    CheckOptions {
        mastodon,
        content_warning,
    }
}

/// Checks each part as the channel's network counts it; the content warning counts with
/// the first part.
pub fn check_variant(channel: &Channel, variant: &Variant) -> Vec<Check> {
    variant
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let warning = if i == 0 {
                variant.options.content_warning.clone()
            } else {
                None
            };
            text::check(channel.network, part, &check_options(channel, warning))
        })
        .collect()
}
