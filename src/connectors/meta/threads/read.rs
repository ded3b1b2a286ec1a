//! Reading a Threads account: the profile with followers (`threads_insights`), its posts with
//! views, likes, replies, reposts and quotes (<https://developers.facebook.com/docs/threads/insights>),
//! and the replies to them.

use super::Threads;
use super::api::{Post, User};
use crate::connectors::connector::Session;
use crate::connectors::error::ConnectorResult;
use crate::connectors::http::Kind;
use crate::connectors::meta::wire::{Insights, Paged};
use crate::connectors::model::{Account, Interaction, Metrics, RemotePost};

const POST_FIELDS: &str = "id,text,timestamp,permalink,media_type,is_quote_post";
const POST_METRICS: &str = "views,likes,replies,reposts,quotes";

/// How many recent posts are read with insights, and searched for replies.
const POSTS_WITH_INSIGHTS: usize = 25;
const POSTS_WITH_REPLIES: usize = 10;

impl Threads {
    async fn user(&self, session: &Session) -> ConnectorResult<User> {
        let request = self.graph.get(
            self.base(),
            &Self::path(&Self::user_id(session), ""),
            Self::token(session),
            &[("fields", "id,username,name,threads_profile_picture_url")],
        );
        self.graph.call(request, Kind::Read).await
    }

    /// The profile, with followers when the token may read insights.
    pub(super) async fn profile(&self, session: &Session) -> ConnectorResult<Account> {
        let user = self.user(session).await?;
        let request = self.graph.get(
            self.base(),
            &Self::path(&user.id, "/threads_insights"),
            Self::token(session),
            &[("metric", "followers_count")],
        );
        let insights: Option<Insights> = self.graph.optional(request).await?;
        Ok(user.account(insights.and_then(|i| i.value("followers_count"))))
    }

    /// The account's posts, newest first, with their insights when asked.
    pub(super) async fn posts(
        &self,
        session: &Session,
        limit: usize,
        insights: bool,
    ) -> ConnectorResult<Vec<RemotePost>> {
        let token = Self::token(session);
        let limit = limit.clamp(1, 100).to_string();
        let request = self.graph.get(
            self.base(),
            &Self::path(&Self::user_id(session), "/threads"),
            token,
            &[("fields", POST_FIELDS), ("limit", &limit)],
        );
        let list: Paged<Post> = self.graph.call(request, Kind::Read).await?;
        let mut posts: Vec<RemotePost> = list.data.into_iter().map(Post::into_post).collect();
        if insights {
            for post in posts.iter_mut().take(POSTS_WITH_INSIGHTS) {
                let request = self.graph.get(
                    self.base(),
                    &Self::path(&post.post.id, "/insights"),
                    token,
                    &[("metric", POST_METRICS)],
                );
                if let Some(found) = self.graph.optional::<Insights>(request).await? {
                    post.metrics = Metrics {
                        likes: found.value("likes"),
                        reposts: found.value("reposts"),
                        replies: found.value("replies"),
                        quotes: found.value("quotes"),
                        impressions: found.value("views"),
                    };
                }
            }
        }
        Ok(posts)
    }

    /// Replies to the account's recent posts, newest first, without its own (thread parts
    /// are replies by the account).
    pub(super) async fn replies(
        &self,
        session: &Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        let own = match session.credentials.extra.get("username") {
            Some(name) => Some(name.clone()),
            None => self.user(session).await?.username,
        };
        let token = Self::token(session);
        let per_post = limit.clamp(1, 100).to_string();
        let mut found = Vec::new();
        for post in self.posts(session, POSTS_WITH_REPLIES, false).await? {
            let request = self.graph.get(
                self.base(),
                &Self::path(&post.post.id, "/replies"),
                token,
                &[
                    ("fields", "id,text,username,timestamp,permalink"),
                    ("limit", &per_post),
                ],
            );
            let list: Paged<Post> = self.graph.call(request, Kind::Read).await?;
            found.extend(
                list.data
                    .into_iter()
                    .filter(|r| own.is_none() || r.username != own)
                    .map(|r| r.into_reply(&post.post.id)),
            );
        }
        found.sort_by_key(|i| std::cmp::Reverse(i.at_ms));
        found.truncate(limit);
        Ok(found)
    }
}
