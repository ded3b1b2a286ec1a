//! Publishing on X: each part is `POST /2/tweets`, a reply to the part before it; the
//! first comment is a reply to the first part
//! (<https://docs.x.com/x-api/posts/creation-of-a-post>).

use serde_json::{Value, json};

use reqwest::Method;

use super::api::{self, Created, Deleted, Envelope};
use super::{USERNAME, X, errors};
use crate::connectors::connector::{PublishError, Session};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::model::{PublishRequest, Published, RemoteRef};

/// Herald's reply settings in X's words. X's enum is camelCase (`mentionedUsers`,
/// OpenAPI `TweetCreateRequest.reply_settings`) and has no "everyone": leaving the field
/// out is everyone.
fn reply_settings(option: Option<&str>) -> Option<&str> {
    match option? {
        "everyone" | "" => None,
        "mentioned_users" => Some("mentionedUsers"),
        other => Some(other),
    }
}

fn body(text: &str, media_ids: &[String], reply_to: Option<&str>, settings: Option<&str>) -> Value {
    let mut body = json!({ "text": text });
    if !media_ids.is_empty() {
        body["media"] = json!({ "media_ids": media_ids });
    }
    if let Some(id) = reply_to {
        body["reply"] = json!({ "in_reply_to_tweet_id": id });
    }
    if let Some(settings) = settings {
        body["reply_settings"] = json!(settings);
    }
    body
}

impl X {
    /// `DELETE /2/tweets/:id`: `{"data": {"deleted": true}}`, or 204 without a body.
    pub(super) async fn delete_tweet(&self, session: &Session, id: &str) -> ConnectorResult<()> {
        let url = self.api(&format!("/2/tweets/{}", api::segment(id)));
        let answer = self
            .http
            .send(self.authed(session, Method::DELETE, url), Kind::Write)
            .await?;
        match answer.status.as_u16() {
            // 404: already gone, which is what was asked.
            204 | 404 => Ok(()),
            _ if !answer.is_success() => Err(errors::classify(&answer)),
            _ => {
                let answer: Envelope<Deleted> = answer.json()?;
                if answer.one()?.deleted {
                    Ok(())
                } else {
                    Err(ConnectorError::rejected(
                        format!("X did not delete post {id}"),
                        None,
                    ))
                }
            }
        }
    }

    async fn post_tweet(&self, session: &Session, body: Value) -> ConnectorResult<RemoteRef> {
        let request = self
            .authed(session, Method::POST, self.api("/2/tweets"))
            .json(&body);
        // A write: a lost answer is "outcome unknown", reconciled with `find_published`.
        let created: Envelope<Created> = self.call(request, Kind::Write).await?;
        let created = created.one()?;
        let username = session.credentials.extra.get(USERNAME);
        Ok(api::reference(&created.id, username.map(String::as_str)))
    }

    pub(super) async fn publish_thread(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        let mut done = Published::default();
        let settings = reply_settings(request.options.reply_settings.as_deref());
        let mut previous = request.reply_to.as_ref().map(|r| r.id.clone());
        for part in &request.parts {
            let step = async {
                let mut media_ids = Vec::with_capacity(part.media.len());
                for file in &part.media {
                    media_ids.push(self.upload(session, file).await?);
                }
                let body = body(&part.text, &media_ids, previous.as_deref(), settings);
                self.post_tweet(session, body).await
            };
            match step.await {
                Ok(posted) => {
                    previous = Some(posted.id.clone());
                    done.parts.push(posted);
                }
                Err(error) => return Err(PublishError { error, done }),
            }
        }
        let comment = request
            .first_comment
            .as_deref()
            .map(str::trim)
            .unwrap_or("");
        if let (false, Some(first)) = (comment.is_empty(), done.parts.first()) {
            let body = body(comment, &[], Some(&first.id), None);
            match self.post_tweet(session, body).await {
                Ok(posted) => done.first_comment = Some(posted),
                Err(error) => return Err(PublishError { error, done }),
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_settings_speak_x() {
        assert_eq!(reply_settings(Some("everyone")), None);
        assert_eq!(
            reply_settings(Some("mentioned_users")),
            Some("mentionedUsers")
        );
        assert_eq!(reply_settings(Some("following")), Some("following"));
        assert_eq!(reply_settings(None), None);
    }
}
