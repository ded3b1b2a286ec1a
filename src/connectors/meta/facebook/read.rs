//! Reading a page: its posts with reaction, comment and share counts (and views from
//! insights when Meta still has the metric), comments on them, and other public pages.

use serde::Deserialize;

use super::Facebook;
use crate::connectors::connector::Session;
use crate::connectors::error::ConnectorResult;
use crate::connectors::http::Kind;
use crate::connectors::meta::encode;
use crate::connectors::meta::facebook_login::{Page, post_url};
use crate::connectors::meta::wire::{Insights, Paged, instant};
use crate::connectors::model::{
    Account, Interaction, InteractionKind, Metrics, PublicProfile, RemotePost, RemoteRef,
};

/// A post with its counts. `limit(0)` on reactions and comments asks for the summary alone.
const POST_FIELDS: &str = "id,message,created_time,permalink_url,shares,\
    reactions.summary(total_count).limit(0),comments.summary(true).limit(0)";

/// `post_impressions` was retired on 2025-11-15; views is its successor
/// (<https://developers.facebook.com/documentation/pages-api/platforminsights/page/deprecated-metrics>).
const VIEWS_METRIC: &str = "post_media_view";

/// How many recent posts are searched for comments.
const POSTS_WITH_COMMENTS: usize = 10;

#[derive(Debug, Deserialize)]
struct Post {
    id: String,
    message: Option<String>,
    created_time: Option<String>,
    permalink_url: Option<String>,
    shares: Option<Count>,
    reactions: Option<Summarised>,
    comments: Option<Summarised>,
}

#[derive(Debug, Deserialize)]
struct Count {
    count: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct Summarised {
    summary: Option<Summary>,
}

#[derive(Debug, Deserialize)]
struct Summary {
    total_count: Option<i64>,
}

fn total(s: &Option<Summarised>) -> Option<i64> {
    s.as_ref()?.summary.as_ref()?.total_count
}

impl Post {
    fn into_remote(self) -> RemotePost {
        RemotePost {
            metrics: Metrics {
                likes: total(&self.reactions),
                replies: total(&self.comments),
                // Meta leaves `shares` out when nobody shared.
                reposts: Some(self.shares.and_then(|s| s.count).unwrap_or(0)),
                quotes: None,
                impressions: None,
            },
            post: RemoteRef {
                url: self.permalink_url.or_else(|| post_url(&self.id)),
                id: self.id,
                cid: None,
            },
            text: self.message.unwrap_or_default(),
            created_at_ms: self.created_time.as_deref().and_then(instant),
            reply_to: None,
        }
    }
}

#[derive(Debug, Deserialize)]
struct Comment {
    id: Option<String>,
    message: Option<String>,
    created_time: Option<String>,
    permalink_url: Option<String>,
    from: Option<Author>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Author {
    id: Option<String>,
    name: Option<String>,
}

impl Author {
    pub(super) fn account(&self) -> Account {
        let name = self.name.clone().unwrap_or_default();
        Account {
            remote_id: self.id.clone().unwrap_or_default(),
            handle: name.clone(),
            display_name: name,
            profile_url: self
                .id
                .as_ref()
                .map(|id| format!("https://www.facebook.com/{}", encode(id))),
            ..Account::default()
        }
    }
}

/// A comment's id; Meta leaves it out of some answers, but the permalink always names it
/// (`?comment_id=` and, for a reply, `&reply_comment_id=`).
fn comment_id(comment: &Comment) -> Option<String> {
    if let Some(id) = comment.id.clone() {
        return Some(id);
    }
    let url = url::Url::parse(comment.permalink_url.as_deref()?).ok()?;
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let find = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    find("reply_comment_id").or_else(|| find("comment_id"))
}

impl Facebook {
    pub(super) async fn posts_of(
        &self,
        session: &Session,
        page: &str,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        let limit = limit.clamp(1, 100).to_string();
        let path = format!("/{}/posts", encode(page));
        let request = self.graph.get(
            &self.endpoints.graph,
            &path,
            Self::token(session),
            &[("fields", POST_FIELDS), ("limit", &limit)],
        );
        let list: Paged<Post> = self.graph.call(request, Kind::Read).await?;
        let mut posts: Vec<RemotePost> = list.data.into_iter().map(Post::into_remote).collect();
        self.add_views(session, &mut posts).await?;
        Ok(posts)
    }

    /// Views for all the posts in one call (`?ids=`); Meta refuses the whole call when a
    /// metric is retired or the page is too small for insights, and then there are none.
    async fn add_views(&self, session: &Session, posts: &mut [RemotePost]) -> ConnectorResult<()> {
        if posts.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = posts.iter().map(|p| p.post.id.as_str()).collect();
        let fields = format!("insights.metric({VIEWS_METRIC})");
        let request = self.graph.get(
            &self.endpoints.graph,
            "/",
            Self::token(session),
            &[("ids", &ids.join(",")), ("fields", &fields)],
        );
        // Read entry by entry: one odd entry must not hide the others' views.
        let found: Option<serde_json::Value> = self.graph.optional(request).await?;
        for post in posts.iter_mut() {
            post.metrics.impressions = found
                .as_ref()
                .and_then(|f| f.get(&post.post.id))
                .and_then(|p| serde_json::from_value::<WithInsights>(p.clone()).ok())
                .and_then(|p| p.insights)
                .and_then(|i| i.value(VIEWS_METRIC));
        }
        Ok(())
    }

    /// Comments on the page's recent posts, newest first, without the page's own.
    pub(super) async fn comments(
        &self,
        session: &Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        let page = Self::page_id(session);
        let posts = self.posts_of(session, &page, POSTS_WITH_COMMENTS).await?;
        let per_post = limit.clamp(1, 100).to_string();
        let mut found = Vec::new();
        for post in posts.iter().filter(|p| p.metrics.replies.unwrap_or(1) > 0) {
            let path = format!("/{}/comments", encode(&post.post.id));
            let request = self.graph.get(
                &self.endpoints.graph,
                &path,
                Self::token(session),
                &[
                    (
                        "fields",
                        "id,message,created_time,permalink_url,from{id,name}",
                    ),
                    ("filter", "stream"),
                    ("order", "reverse_chronological"),
                    ("limit", &per_post),
                ],
            );
            let list: Paged<Comment> = self.graph.call(request, Kind::Read).await?;
            for comment in list.data {
                let by_page =
                    comment.from.as_ref().and_then(|f| f.id.as_deref()) == Some(page.as_str());
                let Some(id) = comment_id(&comment).filter(|_| !by_page) else {
                    continue;
                };
                found.push(Interaction {
                    kind: InteractionKind::Reply,
                    author: comment
                        .from
                        .as_ref()
                        .map(Author::account)
                        .unwrap_or_default(),
                    text: comment.message.clone(),
                    subject: Some(post.post.id.clone()),
                    post: Some(RemoteRef {
                        id: id.clone(),
                        url: comment.permalink_url.clone(),
                        cid: None,
                    }),
                    at_ms: comment.created_time.as_deref().and_then(instant),
                    id,
                });
            }
        }
        found.sort_by_key(|i| std::cmp::Reverse(i.at_ms));
        found.truncate(limit);
        Ok(found)
    }

    /// Another page by username or id, with its recent posts. Reading pages Herald does not
    /// run needs the Page Public Content Access feature (and `appsecret_proof`); when Meta
    /// grants the page but not its posts, the profile comes alone.
    pub(super) async fn public_page(
        &self,
        session: &Session,
        handle: &str,
        limit: usize,
    ) -> ConnectorResult<PublicProfile> {
        let name = handle
            .trim()
            .trim_start_matches('@')
            .trim_start_matches("https://")
            .trim_start_matches("www.")
            .trim_start_matches("facebook.com/")
            .trim_end_matches('/');
        let page: Page = self.page(session, name).await?;
        let path = format!("/{}/posts", encode(&page.id));
        let limit = limit.clamp(1, 100).to_string();
        let request = self.graph.get(
            &self.endpoints.graph,
            &path,
            Self::token(session),
            &[("fields", POST_FIELDS), ("limit", &limit)],
        );
        let posts: Option<Paged<Post>> = self.graph.optional(request).await?;
        Ok(PublicProfile {
            account: page.account(),
            recent: posts
                .map(|p| p.data.into_iter().map(Post::into_remote).collect())
                .unwrap_or_default(),
        })
    }
}

#[derive(Debug, Deserialize)]
struct WithInsights {
    insights: Option<Insights>,
}
