//! Mastodon media: `POST /api/v2/media` answers 202 while the server processes the file,
//! and the attachment is polled until it has a URL
//! (<https://docs.joinmastodon.org/methods/media/#v2>). Servers without v2 take v1.

use std::time::Duration;

use reqwest::multipart::{Form, Part};

use super::Mastodon;
use super::api::Attachment;
use crate::connectors::connector::Session;
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::model::MediaFile;

/// How long a video may take to process before the post is given up for now (retryable).
const PROCESSING_LIMIT: Duration = Duration::from_secs(300);
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

impl Mastodon {
    pub(super) async fn upload(
        &self,
        session: &Session,
        file: &MediaFile,
    ) -> ConnectorResult<String> {
        let mut answer = self.send_media(session, "/api/v2/media", file).await?;
        if answer.status.as_u16() == 404 {
            answer = self.send_media(session, "/api/v1/media", file).await?;
        }
        if !answer.is_success() {
            return Err(super::errors::classify(&answer));
        }
        let attachment: Attachment = answer.json()?;
        if answer.status.as_u16() == 202 || attachment.url.is_none() {
            self.wait_until_processed(session, &attachment.id).await?;
        }
        Ok(attachment.id)
    }

    async fn send_media(
        &self,
        session: &Session,
        path: &str,
        file: &MediaFile,
    ) -> ConnectorResult<crate::connectors::http::Answer> {
        let part = Part::bytes(file.bytes.clone())
            .file_name(file.file_name.clone())
            .mime_str(&file.mime)
            .map_err(|e| ConnectorError::rejected(format!("bad media type: {e}"), None))?;
        let mut form = Form::new().part("file", part);
        if !file.alt.is_empty() {
            form = form.text("description", file.alt.clone());
        }
        let request = self
            .http
            .client()
            .post(session.url(path))
            .bearer_auth(&session.credentials.access_token)
            .timeout(UPLOAD_TIMEOUT)
            .multipart(form);
        // An upload without a status is harmless to repeat: nothing is published yet.
        self.http.send(request, Kind::Upload).await
    }

    async fn wait_until_processed(&self, session: &Session, id: &str) -> ConnectorResult<()> {
        let started = std::time::Instant::now();
        let mut pause = Duration::from_millis(250);
        loop {
            tokio::time::sleep(pause).await;
            let answer = self
                .http
                .send(
                    self.get(session, &format!("/api/v1/media/{id}")),
                    Kind::Read,
                )
                .await?;
            match answer.status.as_u16() {
                // 206: still processing.
                206 => {}
                200 => {
                    let attachment: Attachment = answer.json()?;
                    if attachment.url.is_some() {
                        return Ok(());
                    }
                }
                _ => return Err(super::errors::classify(&answer)),
            }
            if started.elapsed() > PROCESSING_LIMIT {
                return Err(ConnectorError::transient(
                    "the server is still processing the media after 5 minutes",
                ));
            }
            pause = (pause * 2).min(Duration::from_secs(5));
        }
    }
}
