//! Publishing on LinkedIn through the Posts API
//! (<https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api>):
//! `POST /rest/posts` answers 201 with an empty body and the new post's URN in
//! `x-restli-id`; the first comment goes through the Comments API.

use reqwest::Method;
use serde_json::{Value, json};

use super::api::{self, encode};
use super::{LinkedIn, little};
use crate::connectors::connector::{PublishError, Session};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::{Answer, Kind};
use crate::connectors::model::{Part, PublishRequest, Published, RemoteRef};
use crate::domain::media::MediaKind;

/// Herald's visibility in LinkedIn's words; public unless the person chose otherwise.
fn visibility(option: Option<&str>) -> &'static str {
    match option {
        Some("connections") => "CONNECTIONS",
        Some("logged_in") => "LOGGED_IN",
        _ => "PUBLIC",
    }
}

/// The created entity's id: the `x-restli-id` header, else the body's `id`.
fn created_id(answer: &Answer) -> Option<String> {
    let header = answer
        .headers
        .get("x-restli-id")
        .and_then(|v| v.to_str().ok())
        .map(api::decode);
    header.filter(|h| !h.is_empty()).or_else(|| {
        let body = answer.json_value()?;
        ["commentUrn", "$URN", "id"]
            .iter()
            .find_map(|k| body[*k].as_str().map(str::to_owned))
    })
}

impl LinkedIn {
    /// `content` for the part's media: one image or video as `media`, several images as
    /// `multiImage`, each image with its alt text.
    async fn content(
        &self,
        session: &Session,
        author: &str,
        part: &Part,
    ) -> ConnectorResult<Option<Value>> {
        let videos = part
            .media
            .iter()
            .filter(|m| m.kind == MediaKind::Video)
            .count();
        if videos > 0 && part.media.len() > 1 {
            return Err(ConnectorError::rejected(
                "LinkedIn takes one video, or images, in a post",
                None,
            ));
        }
        let mut images = Vec::with_capacity(part.media.len());
        for file in &part.media {
            if file.kind == MediaKind::Video {
                let video = self.upload_video(session, author, file).await?;
                return Ok(Some(json!({ "media": { "id": video } })));
            }
            let image = self.upload_image(session, author, file).await?;
            images.push(json!({ "id": image, "altText": file.alt.trim() }));
        }
        Ok(match images.len() {
            0 => None,
            1 => Some(json!({ "media": images.remove(0) })),
            _ => Some(json!({ "multiImage": { "images": images } })),
        })
    }

    async fn create_post(
        &self,
        session: &Session,
        author: &str,
        request: &PublishRequest,
        part: &Part,
    ) -> ConnectorResult<RemoteRef> {
        let mut body = json!({
            "author": author,
            "commentary": little::escape(&part.text),
            "visibility": visibility(request.options.visibility.as_deref()),
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
        });
        if let Some(content) = self.content(session, author, part).await? {
            body["content"] = content;
        }
        let request = self.rest(session, Method::POST, "/rest/posts").json(&body);
        // A write: a lost answer is "outcome unknown", reconciled with `find_published`.
        let answer = self.send_ok(request, Kind::Write).await?;
        let urn = created_id(&answer).ok_or_else(|| ConnectorError::OutcomeUnknown {
            message: "LinkedIn accepted the post but did not say its id".into(),
        })?;
        Ok(api::reference(&urn))
    }

    async fn comment(
        &self,
        session: &Session,
        author: &str,
        post: &str,
        text: &str,
    ) -> ConnectorResult<RemoteRef> {
        let body = json!({ "actor": author, "object": post, "message": { "text": text } });
        let path = format!("/rest/socialActions/{}/comments", encode(post));
        let request = self.rest(session, Method::POST, &path).json(&body);
        let answer = self.send_ok(request, Kind::Write).await?;
        let id = created_id(&answer).ok_or_else(|| ConnectorError::OutcomeUnknown {
            message: "LinkedIn accepted the comment but did not say its id".into(),
        })?;
        Ok(RemoteRef {
            id,
            url: None,
            cid: None,
        })
    }

    pub(super) async fn publish_post(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        if request.parts.len() > 1 {
            return Err(ConnectorError::unsupported("a thread").into());
        }
        if request.reply_to.is_some() {
            return Err(ConnectorError::unsupported("publishing as a reply").into());
        }
        let Some(part) = request.parts.first() else {
            return Err(ConnectorError::rejected("there is nothing to publish", None).into());
        };
        let author = self.author(session).await?;
        let mut done = Published::default();
        let post = self.create_post(session, &author, request, part).await?;
        done.parts.push(post.clone());
        let comment = request
            .first_comment
            .as_deref()
            .map(str::trim)
            .unwrap_or("");
        if !comment.is_empty() {
            match self.comment(session, &author, &post.id, comment).await {
                Ok(posted) => done.first_comment = Some(posted),
                Err(error) => return Err(PublishError { error, done }),
            }
        }
        Ok(done)
    }
}
