//! Publishing a thread (<https://developers.facebook.com/docs/threads/posts>,
//! <https://developers.facebook.com/docs/threads/reference/publishing>): the 24-hour quotas
//! checked first (250 posts, 1,000 replies), then each part as a container (TEXT, IMAGE,
//! VIDEO, or CAROUSEL of item containers), polled until FINISHED and published with
//! `threads_publish`; each part after the first replies to the one before (`reply_to_id`),
//! and the first comment is a reply to the first part. `reply_control` applies to the thread's
//! first post, the one people reply to.

use super::Threads;
use crate::connectors::connector::{PublishError, Session};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::meta::containers::{self, Flavour, Limit};
use crate::connectors::meta::public_url;
use crate::connectors::meta::wire::{Id, Paged};
use crate::connectors::model::{MediaFile, Part, PublishRequest, Published, RemoteRef};
use crate::domain::media::MediaKind;

/// A carousel takes 2 to 20 items (<https://developers.facebook.com/docs/threads/posts#carousel-posts>).
const CAROUSEL_MAX: usize = 20;

/// What one container says besides its media.
struct Container<'a> {
    text: &'a str,
    reply_to: Option<&'a str>,
    reply_control: Option<&'a str>,
    link: Option<&'a str>,
}

impl Threads {
    pub(super) async fn publish_thread(
        &self,
        session: &Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        if request.parts.is_empty() {
            return Err(ConnectorError::rejected("there is nothing to publish", None).into());
        }
        let comment = request
            .first_comment
            .as_deref()
            .filter(|t| !t.trim().is_empty());
        let posts = i64::from(request.reply_to.is_none());
        let replies = request.parts.len() as i64 - posts + i64::from(comment.is_some());
        self.check_quota(session, posts, replies).await?;

        let mut done = Published::default();
        let mut reply_to = request.reply_to.as_ref().map(|r| r.id.clone());
        for (index, part) in request.parts.iter().enumerate() {
            let first = index == 0;
            let container = Container {
                text: &part.text,
                reply_to: reply_to.as_deref(),
                reply_control: request.options.reply_control.as_deref().filter(|_| first),
                link: request
                    .link_card
                    .as_ref()
                    .filter(|_| first && part.media.is_empty())
                    .map(|c| c.url.as_str()),
            };
            match self.publish_part(session, part, &container).await {
                Ok(post) => {
                    reply_to = Some(post.id.clone());
                    done.parts.push(post);
                }
                Err(error) => return Err(PublishError { error, done }),
            }
        }
        if let (Some(text), Some(first)) = (comment, done.parts.first().map(|p| p.id.clone())) {
            let container = Container {
                text,
                reply_to: Some(&first),
                reply_control: None,
                link: None,
            };
            match self
                .publish_part(session, &Part::default(), &container)
                .await
            {
                Ok(c) => done.first_comment = Some(c),
                Err(error) => return Err(PublishError { error, done }),
            }
        }
        Ok(done)
    }

    async fn check_quota(
        &self,
        session: &Session,
        posts: i64,
        replies: i64,
    ) -> ConnectorResult<()> {
        let path = Self::path(&Self::user_id(session), "/threads_publishing_limit");
        let request = self.graph.get(
            self.base(),
            &path,
            Self::token(session),
            &[(
                "fields",
                "quota_usage,config,reply_quota_usage,reply_config",
            )],
        );
        let limits: Paged<Limit> = self.graph.call(request, Kind::Read).await?;
        containers::check_quota(&limits, posts, replies, self.graph.now_ms())
    }

    async fn publish_part(
        &self,
        session: &Session,
        part: &Part,
        said: &Container<'_>,
    ) -> ConnectorResult<RemoteRef> {
        let mut form: Vec<(&str, String)> = vec![("text", said.text.to_owned())];
        if let Some(id) = said.reply_to {
            form.push(("reply_to_id", id.to_owned()));
        }
        if let Some(control) = said.reply_control {
            form.push(("reply_control", control.to_owned()));
        }
        match part.media.as_slice() {
            [] => {
                form.push(("media_type", "TEXT".to_owned()));
                if let Some(link) = said.link {
                    form.push(("link_attachment", link.to_owned()));
                }
            }
            [file] => form.extend(self.file_fields(file)?),
            files if files.len() <= CAROUSEL_MAX => {
                let children = self.carousel_items(session, files).await?;
                form.push(("media_type", "CAROUSEL".to_owned()));
                form.push(("children", children.join(",")));
            }
            _ => {
                return Err(ConnectorError::rejected(
                    "a Threads carousel takes 2 to 20 photos or videos",
                    Some("too_many_media".into()),
                ));
            }
        }
        let container = self.container(session, &form).await?;
        let token = Self::token(session);
        containers::wait_until_finished(
            &self.graph,
            self.base(),
            token,
            &container,
            Flavour::Threads,
            self.polling,
        )
        .await?;
        let path = Self::path(&Self::user_id(session), "/threads_publish");
        let id = containers::publish(
            &self.graph,
            self.base(),
            &path,
            token,
            &container,
            self.polling,
        )
        .await?;
        let url = containers::permalink(&self.graph, self.base(), token, &id).await;
        Ok(RemoteRef { id, url, cid: None })
    }

    fn file_fields(&self, file: &MediaFile) -> ConnectorResult<Vec<(&'static str, String)>> {
        let url = public_url(file)?;
        let mut form = if file.kind == MediaKind::Video {
            vec![("media_type", "VIDEO".to_owned()), ("video_url", url)]
        } else {
            vec![("media_type", "IMAGE".to_owned()), ("image_url", url)]
        };
        if !file.alt.trim().is_empty() {
            form.push(("alt_text", file.alt.clone()));
        }
        Ok(form)
    }

    /// Item containers, each waited for (Meta asks for FINISHED items before the carousel).
    async fn carousel_items(
        &self,
        session: &Session,
        files: &[MediaFile],
    ) -> ConnectorResult<Vec<String>> {
        let mut children = Vec::with_capacity(files.len());
        for file in files {
            let mut form = self.file_fields(file)?;
            form.push(("is_carousel_item", "true".to_owned()));
            let child = self.container(session, &form).await?;
            containers::wait_until_finished(
                &self.graph,
                self.base(),
                Self::token(session),
                &child,
                Flavour::Threads,
                self.polling,
            )
            .await?;
            children.push(child);
        }
        Ok(children)
    }

    /// A container: nothing is published yet, so a repeat is harmless.
    async fn container(
        &self,
        session: &Session,
        form: &[(&str, String)],
    ) -> ConnectorResult<String> {
        let path = Self::path(&Self::user_id(session), "/threads");
        let request = self
            .graph
            .post(self.base(), &path, Self::token(session), form);
        Ok(self.graph.call::<Id>(request, Kind::Read).await?.id)
    }
}
