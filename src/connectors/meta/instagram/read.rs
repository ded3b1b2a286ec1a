//! Reading an Instagram account: its media with like and comment counts and views, comments
//! and replies on them, posts that tag it, mentions Meta reports by webhook, and other
//! professional accounts through `business_discovery`
//! (<https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/business-discovery>).

use super::Instagram;
use super::api::{Comment, Discovery, Media, Mentioned};
use crate::connectors::connector::Session;
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::meta::encode;
use crate::connectors::meta::wire::{Insights, Paged};
use crate::connectors::model::{Interaction, InteractionKind, PublicProfile, RemotePost};

const MEDIA_FIELDS: &str = "id,caption,media_type,permalink,timestamp,like_count,comments_count";

const COMMENT_FIELDS: &str = "id,text,timestamp,username,from{id,username},\
    replies{id,text,timestamp,username,from{id,username}}";

/// How many recent media are searched for comments, and read with insights.
const MEDIA_WITH_COMMENTS: usize = 10;
const MEDIA_WITH_INSIGHTS: usize = 25;

/// An Instagram username: letters, digits, `.` and `_`, at most 30. Checked because it goes
/// inside a field expansion, where `)` or `{` would change the request.
fn username_ok(name: &str) -> bool {
    (1..=30).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

impl Instagram {
    /// The account's media, newest first; with `insights`, views too (`views` replaced
    /// `impressions` in 2025; older answers still say `impressions`).
    pub(super) async fn media_list(
        &self,
        session: &Session,
        limit: usize,
        insights: bool,
    ) -> ConnectorResult<Vec<RemotePost>> {
        let (graph, base) = self.api(session);
        let token = Self::token(session);
        let limit = limit.clamp(1, 100).to_string();
        let path = format!("/{}/media", encode(&Self::user_id(session)?));
        let request = graph.get(
            base,
            &path,
            token,
            &[("fields", MEDIA_FIELDS), ("limit", &limit)],
        );
        let list: Paged<Media> = graph.call(request, Kind::Read).await?;
        let mut posts: Vec<RemotePost> = list.data.into_iter().map(Media::into_post).collect();
        if insights {
            for post in posts.iter_mut().take(MEDIA_WITH_INSIGHTS) {
                let path = format!("/{}/insights", encode(&post.post.id));
                let request = graph.get(base, &path, token, &[("metric", "views")]);
                let found: Option<Insights> = graph.optional(request).await?;
                post.metrics.impressions =
                    found.and_then(|i| i.value("views").or_else(|| i.value("impressions")));
            }
        }
        Ok(posts)
    }

    /// Comments (and their replies) on recent media, and media that tag the account,
    /// newest first, without the account's own comments.
    pub(super) async fn comments_and_tags(
        &self,
        session: &Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        let (graph, base) = self.api(session);
        let token = Self::token(session);
        let own = session.credentials.extra.get("username").cloned();
        let per_media = limit.clamp(1, 50).to_string();
        let mut found = Vec::new();
        let media = self.media_list(session, MEDIA_WITH_COMMENTS, false).await?;
        for post in media.iter().filter(|p| p.metrics.replies.unwrap_or(1) > 0) {
            let path = format!("/{}/comments", encode(&post.post.id));
            let request = graph.get(
                base,
                &path,
                token,
                &[("fields", COMMENT_FIELDS), ("limit", &per_media)],
            );
            let list: Paged<Comment> = graph.call(request, Kind::Read).await?;
            for comment in &list.data {
                let replies = comment
                    .replies
                    .as_ref()
                    .map(|r| r.data.as_slice())
                    .unwrap_or_default();
                for c in std::iter::once(comment).chain(replies) {
                    if own.is_some() && c.author_name() == own.as_deref() {
                        continue;
                    }
                    found.push(c.interaction(InteractionKind::Reply, Some(&post.post.id)));
                }
            }
        }
        let path = format!("/{}/tags", encode(&Self::user_id(session)?));
        let request = graph.get(
            base,
            &path,
            token,
            &[
                ("fields", "id,caption,timestamp,username,permalink"),
                ("limit", &per_media),
            ],
        );
        // Tags need Facebook Login; through Instagram Login Meta refuses, and there are none.
        if let Some(tags) = graph.optional::<Paged<Media>>(request).await? {
            found.extend(tags.data.into_iter().map(Media::into_mention));
        }
        found.sort_by_key(|i| std::cmp::Reverse(i.at_ms));
        found.truncate(limit);
        Ok(found)
    }

    /// A comment elsewhere that @mentions the account, by the id Meta's `mentions` webhook
    /// sent.
    pub async fn mentioned_comment(
        &self,
        session: &Session,
        comment_id: &str,
    ) -> ConnectorResult<Interaction> {
        let fields = format!(
            "mentioned_comment.comment_id({}){{id,text,timestamp,username,media{{id}}}}",
            encode(comment_id)
        );
        let found = self.mentioned(session, &fields).await?;
        found
            .mentioned_comment
            .map(|c| c.interaction(InteractionKind::Mention, None))
            .ok_or_else(|| ConnectorError::rejected("Instagram has no such mention", None))
    }

    /// A post elsewhere whose caption @mentions the account, by the id the webhook sent.
    pub async fn mentioned_media(
        &self,
        session: &Session,
        media_id: &str,
    ) -> ConnectorResult<Interaction> {
        let fields = format!(
            "mentioned_media.media_id({}){{id,caption,timestamp,username,permalink,like_count,comments_count}}",
            encode(media_id)
        );
        let found = self.mentioned(session, &fields).await?;
        found
            .mentioned_media
            .map(Media::into_mention)
            .ok_or_else(|| ConnectorError::rejected("Instagram has no such mention", None))
    }

    async fn mentioned(&self, session: &Session, fields: &str) -> ConnectorResult<Mentioned> {
        let (graph, base) = self.api(session);
        let path = format!("/{}", encode(&Self::user_id(session)?));
        let request = graph.get(base, &path, Self::token(session), &[("fields", fields)]);
        graph.call(request, Kind::Read).await
    }

    /// Another business or creator account with its recent media.
    pub(super) async fn discover(
        &self,
        session: &Session,
        handle: &str,
        limit: usize,
    ) -> ConnectorResult<PublicProfile> {
        let name = handle.trim().trim_start_matches('@');
        if !username_ok(name) {
            return Err(ConnectorError::rejected(
                format!("{handle:?} is not an Instagram username"),
                None,
            ));
        }
        let fields = format!(
            "business_discovery.username({name}){{id,username,name,profile_picture_url,followers_count,\
             follows_count,media_count,media.limit({}){{{MEDIA_FIELDS}}}}}",
            limit.clamp(1, 50)
        );
        let (graph, base) = self.api(session);
        let path = format!("/{}", encode(&Self::user_id(session)?));
        let request = graph.get(base, &path, Self::token(session), &[("fields", &fields)]);
        let mut user = graph
            .call::<Discovery>(request, Kind::Read)
            .await?
            .business_discovery
            .ok_or_else(|| {
                ConnectorError::rejected(
                    format!("Instagram found no business account {handle}"),
                    None,
                )
            })?;
        let recent = user
            .media
            .take()
            .map(|m| m.data.into_iter().map(Media::into_post).collect())
            .unwrap_or_default();
        Ok(PublicProfile {
            account: user.account(),
            recent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_cannot_reach_into_the_fields() {
        assert!(username_ok("facebookfordevelopers"));
        assert!(username_ok("a.b_c9"));
        assert!(!username_ok("x){id}"));
        assert!(!username_ok(""));
    }
}
