//! Publishing to a page (<https://developers.facebook.com/docs/pages-api/posts>): text and
//! links on `/feed` (Facebook draws the link card itself from `link`), one photo on
//! `/photos`, several photos uploaded unpublished then attached to one `/feed` post
//! (<https://developers.facebook.com/docs/graph-api/photo-uploads>), one video on `/videos`
//! as a simple (non-resumable) upload, which Meta takes up to 1 GB and 20 minutes
//! (<https://developers.facebook.com/docs/video-api/guides/publishing>). Alt text goes with
//! each photo as `alt_text_custom`; the first comment goes on the post once it exists.

use reqwest::multipart::{Form, Part};
use serde::Deserialize;
use serde_json::json;

use super::Facebook;
use crate::connectors::connector::{PublishError, Session};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::meta::encode;
use crate::connectors::meta::facebook_login::post_url;
use crate::connectors::meta::wire::Id;
use crate::connectors::model::{MediaFile, Part as PostPart, PublishRequest, Published, RemoteRef};
use crate::domain::media::MediaKind;

/// `/photos` answers the photo's id and, when published, the post's.
#[derive(Deserialize)]
struct PhotoPosted {
    id: String,
    post_id: Option<String>,
}

impl Facebook {
    pub(super) async fn publish_post(
        &self,
        session: &Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        let part = match request.parts.as_slice() {
            [part] => part,
            [] => return Err(ConnectorError::rejected("there is nothing to publish", None).into()),
            _ => return Err(ConnectorError::unsupported("publishing a thread").into()),
        };
        if request.reply_to.is_some() {
            return Err(ConnectorError::unsupported("publishing as a reply").into());
        }
        let post = self.publish_part(session, part, request).await?;
        let mut done = Published {
            parts: vec![post.clone()],
            first_comment: None,
        };
        if let Some(text) = request
            .first_comment
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            match self.comment(session, &post.id, text).await {
                Ok(comment) => done.first_comment = Some(comment),
                Err(error) => return Err(PublishError { error, done }),
            }
        }
        Ok(done)
    }

    async fn publish_part(
        &self,
        session: &Session,
        part: &PostPart,
        request: &PublishRequest,
    ) -> ConnectorResult<RemoteRef> {
        let videos: Vec<&MediaFile> = part
            .media
            .iter()
            .filter(|f| f.kind == MediaKind::Video)
            .collect();
        match (part.media.as_slice(), videos.as_slice()) {
            ([], _) => {
                // `facebook_format: "text"` asks for no link card even when the post has a link.
                let wants_card = request.options.facebook_format.as_deref() != Some("text");
                let link = request
                    .link_card
                    .as_ref()
                    .filter(|_| wants_card)
                    .map(|c| c.url.as_str());
                self.feed(session, &part.text, link, &[]).await
            }
            ([photo], []) => self.photo(session, photo, &part.text).await,
            (photos, []) => {
                let mut ids = Vec::with_capacity(photos.len());
                for photo in photos {
                    ids.push(self.unpublished_photo(session, photo).await?);
                }
                self.feed(session, &part.text, None, &ids).await
            }
            ([video], [_]) => self.video(session, video, &part.text).await,
            _ => Err(ConnectorError::rejected(
                "a Facebook post takes photos or one video, not both",
                Some("mixed_media".into()),
            )),
        }
    }

    async fn feed(
        &self,
        session: &Session,
        text: &str,
        link: Option<&str>,
        photos: &[String],
    ) -> ConnectorResult<RemoteRef> {
        let mut form = vec![("message", text.to_owned())];
        if let Some(link) = link {
            form.push(("link", link.to_owned()));
        }
        let attached: Vec<(String, String)> = photos
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    format!("attached_media[{i}]"),
                    json!({ "media_fbid": id }).to_string(),
                )
            })
            .collect();
        form.extend(attached.iter().map(|(k, v)| (k.as_str(), v.clone())));
        let path = format!("/{}/feed", encode(&Self::page_id(session)));
        let request = self
            .graph
            .post(&self.endpoints.graph, &path, Self::token(session), &form);
        let posted: Id = self.graph.call(request, Kind::Write).await?;
        Ok(RemoteRef {
            url: post_url(&posted.id),
            id: posted.id,
            cid: None,
        })
    }

    fn file_part(file: &MediaFile) -> ConnectorResult<Part> {
        Part::bytes(file.bytes.clone())
            .file_name(file.file_name.clone())
            .mime_str(&file.mime)
            .map_err(|e| {
                ConnectorError::rejected(format!("bad media type {}: {e}", file.mime), None)
            })
    }

    fn photo_form(file: &MediaFile) -> ConnectorResult<Form> {
        let mut form = Form::new().part("source", Self::file_part(file)?);
        if !file.alt.trim().is_empty() {
            form = form.text("alt_text_custom", file.alt.clone());
        }
        Ok(form)
    }

    async fn photo(
        &self,
        session: &Session,
        file: &MediaFile,
        caption: &str,
    ) -> ConnectorResult<RemoteRef> {
        let form = Self::photo_form(file)?.text("caption", caption.to_owned());
        let path = format!("/{}/photos", encode(&Self::page_id(session)));
        let request = self
            .graph
            .upload(&self.endpoints.graph, &path, Self::token(session), form);
        let posted: PhotoPosted = self.graph.call(request, Kind::Write).await?;
        // The post (not the photo) is what comments, metrics and deletes address.
        let id = posted.post_id.unwrap_or(posted.id);
        Ok(RemoteRef {
            url: post_url(&id),
            id,
            cid: None,
        })
    }

    /// A photo uploaded but not shown, to attach to a multi-photo post. Nothing is published,
    /// so repeating it is harmless.
    async fn unpublished_photo(
        &self,
        session: &Session,
        file: &MediaFile,
    ) -> ConnectorResult<String> {
        let form = Self::photo_form(file)?.text("published", "false");
        let path = format!("/{}/photos", encode(&Self::page_id(session)));
        let request = self
            .graph
            .upload(&self.endpoints.graph, &path, Self::token(session), form);
        let posted: PhotoPosted = self.graph.call(request, Kind::Read).await?;
        Ok(posted.id)
    }

    async fn video(
        &self,
        session: &Session,
        file: &MediaFile,
        description: &str,
    ) -> ConnectorResult<RemoteRef> {
        let form = Form::new()
            .part("source", Self::file_part(file)?)
            .text("description", description.to_owned());
        let page = Self::page_id(session);
        let path = format!("/{}/videos", encode(&page));
        let request = self.graph.upload(
            &self.endpoints.graph_video,
            &path,
            Self::token(session),
            form,
        );
        let posted: Id = self.graph.call(request, Kind::Write).await?;
        Ok(RemoteRef {
            url: Some(format!(
                "https://www.facebook.com/{}/videos/{}/",
                encode(&page),
                encode(&posted.id)
            )),
            id: posted.id,
            cid: None,
        })
    }

    /// A comment as the page under a post (the first comment).
    pub(super) async fn comment(
        &self,
        session: &Session,
        post: &str,
        text: &str,
    ) -> ConnectorResult<RemoteRef> {
        let path = format!("/{}/comments", encode(post));
        let request = self.graph.post(
            &self.endpoints.graph,
            &path,
            Self::token(session),
            &[("message", text.to_owned())],
        );
        let posted: Id = self.graph.call(request, Kind::Write).await?;
        Ok(RemoteRef {
            id: posted.id,
            url: None,
            cid: None,
        })
    }
}
