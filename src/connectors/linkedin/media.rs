//! LinkedIn media: images through the Images API (`initializeUpload`, then the bytes `PUT`
//! to the address it gives,
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api>)
//! and videos through the Videos API (`initializeUpload` answers one upload address per
//! part, each part's `ETag` goes to `finalizeUpload`, then the video is polled until
//! `AVAILABLE`,
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api>).

use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::LinkedIn;
use super::api::encode;
use crate::connectors::connector::Session;
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::model::MediaFile;

const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);
/// How long LinkedIn may process a video before the post is given up for now (retryable).
const PROCESSING_LIMIT: Duration = Duration::from_secs(600);
/// The first look again after a second, then less often.
const FIRST_PAUSE: Duration = Duration::from_secs(1);
const MAX_PAUSE: Duration = Duration::from_secs(8);

#[derive(Debug, Deserialize)]
struct Value<T> {
    value: T,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ImageUpload {
    upload_url: String,
    image: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VideoUpload {
    video: String,
    #[serde(default)]
    upload_token: String,
    upload_instructions: Vec<Instruction>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Instruction {
    upload_url: String,
    first_byte: u64,
    last_byte: u64,
}

#[derive(Debug, Deserialize)]
struct VideoStatus {
    /// `WAITING_UPLOAD`, `PROCESSING`, `AVAILABLE` or `PROCESSING_FAILED`.
    status: Option<String>,
}

fn upload_address(raw: &str) -> ConnectorResult<url::Url> {
    url::Url::parse(raw).map_err(|_| {
        ConnectorError::bad_answer(format!(
            "LinkedIn gave an upload address that is not a URL: {raw:?}"
        ))
    })
}

impl LinkedIn {
    /// Uploads an image owned by `owner`; returns its `urn:li:image:...`.
    pub(super) async fn upload_image(
        &self,
        session: &Session,
        owner: &str,
        file: &MediaFile,
    ) -> ConnectorResult<String> {
        let body = json!({ "initializeUploadRequest": { "owner": owner } });
        let request = self
            .rest(
                session,
                Method::POST,
                "/rest/images?action=initializeUpload",
            )
            .json(&body);
        let started: Value<ImageUpload> = self.call(request, Kind::Read).await?;
        // The Images API's own example sends the bearer token with the bytes.
        let request = self
            .http
            .client()
            .put(upload_address(&started.value.upload_url)?)
            .bearer_auth(&session.credentials.access_token)
            .header(reqwest::header::CONTENT_TYPE, file.mime.as_str())
            .timeout(UPLOAD_TIMEOUT)
            .body(file.bytes.clone());
        self.send_ok(request, Kind::Read).await?;
        Ok(started.value.image)
    }

    /// Uploads a video owned by `owner` part by part and waits until LinkedIn has processed
    /// it; returns its `urn:li:video:...`.
    pub(super) async fn upload_video(
        &self,
        session: &Session,
        owner: &str,
        file: &MediaFile,
    ) -> ConnectorResult<String> {
        let size = file.bytes.len() as u64;
        let body = json!({ "initializeUploadRequest": {
            "owner": owner,
            "fileSizeBytes": size,
            "uploadCaptions": false,
            "uploadThumbnail": false,
        }});
        let request = self
            .rest(
                session,
                Method::POST,
                "/rest/videos?action=initializeUpload",
            )
            .json(&body);
        let started: Value<VideoUpload> = self.call(request, Kind::Read).await?;
        let upload = started.value;
        let mut etags = Vec::with_capacity(upload.upload_instructions.len());
        for part in &upload.upload_instructions {
            let bytes = usize::try_from(part.first_byte)
                .ok()
                .zip(usize::try_from(part.last_byte).ok())
                .and_then(|(first, last)| file.bytes.get(first..=last))
                .ok_or_else(|| {
                    ConnectorError::bad_answer(format!(
                        "LinkedIn asked for bytes {}..={} of a {size}-byte video",
                        part.first_byte, part.last_byte
                    ))
                })?;
            // Pre-signed addresses: no token.
            let request = self
                .http
                .client()
                .put(upload_address(&part.upload_url)?)
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .timeout(UPLOAD_TIMEOUT)
                .body(bytes.to_vec());
            let answer = self.send_ok(request, Kind::Read).await?;
            let etag = answer
                .headers
                .get(reqwest::header::ETAG)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| {
                    ConnectorError::bad_answer("LinkedIn did not confirm a video part (no ETag)")
                })?;
            etags.push(etag.trim_matches('"').to_owned());
        }
        let body = json!({ "finalizeUploadRequest": {
            "video": upload.video,
            "uploadToken": upload.upload_token,
            "uploadedPartIds": etags,
        }});
        let request = self
            .rest(session, Method::POST, "/rest/videos?action=finalizeUpload")
            .json(&body);
        self.send_ok(request, Kind::Read).await?;
        self.wait_for_video(session, &upload.video).await?;
        Ok(upload.video)
    }

    async fn wait_for_video(&self, session: &Session, urn: &str) -> ConnectorResult<()> {
        let started = tokio::time::Instant::now();
        let path = format!("/rest/videos/{}", encode(urn));
        let mut pause = FIRST_PAUSE;
        loop {
            let video: VideoStatus = self.get(session, &path).await?;
            match video.status.as_deref() {
                Some("AVAILABLE") => return Ok(()),
                Some("PROCESSING_FAILED") => {
                    return Err(ConnectorError::rejected(
                        "LinkedIn could not process the video",
                        Some("PROCESSING_FAILED".into()),
                    ));
                }
                _ => {}
            }
            if started.elapsed() > PROCESSING_LIMIT {
                return Err(ConnectorError::transient(
                    "LinkedIn is still processing the video after 10 minutes",
                ));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(MAX_PAUSE);
        }
    }
}
