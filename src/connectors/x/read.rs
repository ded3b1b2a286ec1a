//! Reading from X: the channel's timeline with metrics, the posts that mention it, its
//! direct messages, and other accounts' profiles
//! (<https://docs.x.com/x-api/posts/timelines/introduction>,
//! <https://docs.x.com/x-api/direct-messages/lookup/introduction>).

use super::api::{self, DmEvent, Envelope, Tweet, User};
use super::{TWEET_FIELDS, USER_FIELDS, USER_ID, USERNAME, X, text};
use crate::connectors::connector::{Connector, Session};
use crate::connectors::error::ConnectorResult;
use crate::connectors::model::{Interaction, PublicProfile, RemotePost, RemoteRef};

impl X {
    /// The channel's user id and username, learnt (and kept) from `/2/users/me` when not
    /// known yet.
    pub(super) async fn me(
        &self,
        session: &mut Session,
    ) -> ConnectorResult<(String, Option<String>)> {
        if let Some(id) = session.credentials.extra.get(USER_ID) {
            return Ok((id.clone(), session.credentials.extra.get(USERNAME).cloned()));
        }
        let account = self.verify(session).await?;
        let username = account.handle.trim_start_matches('@').to_owned();
        Ok((account.remote_id, Some(username)))
    }

    pub(super) async fn timeline(
        &self,
        session: &mut Session,
        user_id: &str,
        username: Option<&str>,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        // X answers 5 to 100 posts a page.
        let path = format!(
            "/2/users/{}/tweets?max_results={}&tweet.fields={TWEET_FIELDS}",
            api::segment(user_id),
            limit.clamp(5, 100)
        );
        let page: Envelope<Vec<Tweet>> = self.get(session, &path).await?;
        let (tweets, _) = page.list()?;
        Ok(tweets
            .into_iter()
            .take(limit.max(1))
            .map(|t| t.into_post(username))
            .collect())
    }

    /// Posts that mention the channel, with their authors; a reply when X says the post
    /// answers another (`referenced_tweets` `replied_to`).
    pub(super) async fn mentions(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        let (id, _) = self.me(session).await?;
        let path = format!(
            "/2/users/{}/mentions?max_results={}&tweet.fields={TWEET_FIELDS}&expansions=author_id&user.fields={USER_FIELDS}",
            api::segment(&id),
            limit.clamp(5, 100)
        );
        let page: Envelope<Vec<Tweet>> = self.get(session, &path).await?;
        let (tweets, users) = page.list()?;
        Ok(tweets
            .into_iter()
            .filter(|t| t.author_id.as_deref() != Some(id.as_str()))
            .take(limit.max(1))
            .map(|t| t.into_interaction(&users))
            .collect())
    }

    /// Messages others sent the channel (`dm.read`), newest first.
    pub(super) async fn direct_messages(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        let (id, _) = self.me(session).await?;
        let path = format!(
            "/2/dm_events?max_results={}&event_types=MessageCreate&dm_event.fields=id,text,sender_id,created_at,dm_conversation_id,event_type&expansions=sender_id&user.fields={USER_FIELDS}",
            limit.clamp(1, 100)
        );
        let page: Envelope<Vec<DmEvent>> = self.get(session, &path).await?;
        let (events, users) = page.list()?;
        Ok(events
            .into_iter()
            .filter(|m| m.sender_id.as_deref() != Some(id.as_str()))
            .take(limit.max(1))
            .map(|m| m.into_interaction(&users))
            .collect())
    }

    pub(super) async fn profile(
        &self,
        session: &mut Session,
        handle: &str,
        limit: usize,
    ) -> ConnectorResult<PublicProfile> {
        let name = handle.trim().trim_start_matches('@');
        let path = format!(
            "/2/users/by/username/{}?user.fields={USER_FIELDS}",
            api::segment(name)
        );
        // An unknown name is a 200 with only a partial error, which `one` turns into X's
        // refusal.
        let found: Envelope<User> = self.get(session, &path).await?;
        let user = found.one()?;
        let recent = self
            .timeline(session, &user.id, Some(&user.username), limit)
            .await?;
        Ok(PublicProfile {
            account: user.into_account(),
            recent,
        })
    }

    /// A post of the channel's with the text that was sent, among its latest 50, texts
    /// compared as people wrote them (`text::comparable`).
    pub(super) async fn find_by_text(
        &self,
        session: &mut Session,
        sent: &str,
    ) -> ConnectorResult<Option<RemoteRef>> {
        let wanted = text::comparable(sent);
        Ok(self
            .recent_posts(session, 50)
            .await?
            .into_iter()
            .find(|p| text::comparable(&p.text) == wanted)
            .map(|p| p.post))
    }
}
