//! Media for posts through X API v2 (<https://docs.x.com/x-api/media/introduction>): an
//! image of up to 5 MB in one multipart request (`POST /2/media/upload`), anything else
//! (GIFs, videos, larger images) in chunks, then alt text through `POST /2/media/metadata`.
//!
//! The chunked steps (INIT, APPEND, FINALIZE) are sent to the dedicated endpoints
//! `/2/media/upload/initialize`, `/2/media/upload/{id}/append` and
//! `/2/media/upload/{id}/finalize`: X's OpenAPI document (`fixtures/x/spec/openapi.json`)
//! lists only these, and X's sample code moved to them in 2025; the `command=` form on
//! `/2/media/upload` survives only in the quickstart page. STATUS is still
//! `GET /2/media/upload?command=STATUS&media_id=` in both.

use std::time::Duration;

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde::Deserialize;
use serde_json::json;

use super::X;
use super::api::Envelope;
use crate::connectors::connector::Session;
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::model::MediaFile;
use crate::domain::media::MediaKind;

/// Images up to this size go in one request (X's image limit).
const SIMPLE_LIMIT: usize = 5 * 1024 * 1024;
/// APPEND takes at most 5 MB a segment; 4 MB leaves room for the multipart framing.
const CHUNK_BYTES: usize = 4 * 1024 * 1024;
/// X's limit on alt text (`CreateMediaMetadataMetadataAltText.text` maxLength).
const ALT_MAX_CHARS: usize = 1000;
/// How long X may process a video before the post is given up for now (retryable).
const PROCESSING_LIMIT: Duration = Duration::from_secs(600);
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, Deserialize)]
struct Uploaded {
    id: String,
    processing_info: Option<Processing>,
}

#[derive(Debug, Deserialize)]
struct Processing {
    /// `pending`, `in_progress`, `succeeded` or `failed`.
    state: String,
    check_after_secs: Option<u64>,
    error: Option<serde_json::Value>,
}

/// The simple upload's answer has been seen both inside `data` (the OpenAPI document) and
/// bare (`fixtures/x/media_upload_v2_simple.json`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SimpleAnswer {
    // First: an envelope would take anything, its fields being optional.
    Bare(Uploaded),
    Wrapped(Envelope<Uploaded>),
}

fn category(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "tweet_image",
        MediaKind::Gif => "tweet_gif",
        MediaKind::Video => "tweet_video",
    }
}

impl X {
    /// Uploads one file and returns its media id, ready to attach. Nothing is published by
    /// an upload, so a lost answer may be sent again (`Kind::Read`).
    pub(super) async fn upload(
        &self,
        session: &Session,
        file: &MediaFile,
    ) -> ConnectorResult<String> {
        let uploaded = if file.kind == MediaKind::Image && file.bytes.len() <= SIMPLE_LIMIT {
            self.upload_simple(session, file).await?
        } else {
            self.upload_chunked(session, file).await?
        };
        if let Some(processing) = uploaded.processing_info {
            self.wait_until_processed(session, &uploaded.id, processing)
                .await?;
        }
        let alt = file.alt.trim();
        if !alt.is_empty() {
            self.describe(session, &uploaded.id, alt).await?;
        }
        Ok(uploaded.id)
    }

    async fn upload_simple(
        &self,
        session: &Session,
        file: &MediaFile,
    ) -> ConnectorResult<Uploaded> {
        let part = |bytes: Vec<u8>| Part::bytes(bytes).file_name(file.file_name.clone());
        // A type reqwest cannot parse goes without one: X reads the bytes.
        let media = part(file.bytes.clone())
            .mime_str(&file.mime)
            .unwrap_or_else(|_| part(file.bytes.clone()));
        let form = Form::new()
            .text("media_category", "tweet_image")
            .part("media", media);
        let request = self
            .authed(session, Method::POST, self.upload_url("/2/media/upload"))
            .timeout(UPLOAD_TIMEOUT)
            .multipart(form);
        match self.call::<SimpleAnswer>(request, Kind::Read).await? {
            SimpleAnswer::Wrapped(envelope) => envelope.one(),
            SimpleAnswer::Bare(uploaded) => Ok(uploaded),
        }
    }

    async fn upload_chunked(
        &self,
        session: &Session,
        file: &MediaFile,
    ) -> ConnectorResult<Uploaded> {
        let body = json!({
            "media_type": file.mime,
            "total_bytes": file.bytes.len(),
            "media_category": category(file.kind),
        });
        let url = self.upload_url("/2/media/upload/initialize");
        let request = self.authed(session, Method::POST, url).json(&body);
        let started: Envelope<Uploaded> = self.call(request, Kind::Read).await?;
        let id = super::api::segment(&started.one()?.id);
        for (index, chunk) in file.bytes.chunks(CHUNK_BYTES).enumerate() {
            let form = Form::new()
                .text("segment_index", index.to_string())
                .part("media", Part::bytes(chunk.to_vec()).file_name("chunk"));
            let url = self.upload_url(&format!("/2/media/upload/{id}/append"));
            let request = self
                .authed(session, Method::POST, url)
                .timeout(UPLOAD_TIMEOUT)
                .multipart(form);
            // APPEND answers 2xx with little or no body.
            self.send_ok(request, Kind::Read).await?;
        }
        let url = self.upload_url(&format!("/2/media/upload/{id}/finalize"));
        let finished: Envelope<Uploaded> = self
            .call(self.authed(session, Method::POST, url), Kind::Read)
            .await?;
        finished.one()
    }

    /// Polls STATUS while X processes the file, as often as its `check_after_secs` says.
    async fn wait_until_processed(
        &self,
        session: &Session,
        id: &str,
        mut processing: Processing,
    ) -> ConnectorResult<()> {
        let started = tokio::time::Instant::now();
        let path = format!(
            "/2/media/upload?command=STATUS&media_id={}",
            super::api::segment(id)
        );
        loop {
            match processing.state.as_str() {
                "succeeded" => return Ok(()),
                "failed" => return Err(failed(processing.error.as_ref())),
                _ => {}
            }
            if started.elapsed() > PROCESSING_LIMIT {
                return Err(ConnectorError::transient(
                    "X is still processing the media after 10 minutes",
                ));
            }
            let pause = processing.check_after_secs.unwrap_or(1).clamp(1, 30);
            tokio::time::sleep(Duration::from_secs(pause)).await;
            let request = self.authed(session, Method::GET, self.upload_url(&path));
            let status: Envelope<Uploaded> = self.call(request, Kind::Read).await?;
            processing = match status.one()?.processing_info {
                Some(p) => p,
                // No processing information: nothing left to wait for.
                None => return Ok(()),
            };
        }
    }

    async fn describe(&self, session: &Session, id: &str, alt: &str) -> ConnectorResult<()> {
        let text: String = alt.chars().take(ALT_MAX_CHARS).collect();
        let body = json!({ "id": id, "metadata": { "alt_text": { "text": text } } });
        let url = self.upload_url("/2/media/metadata");
        self.send_ok(
            self.authed(session, Method::POST, url).json(&body),
            Kind::Read,
        )
        .await
        .map(|_| ())
    }
}

/// X's words for a file it could not process (`processing_info.error`, as in v1.1:
/// `{"code", "name", "message"}`).
fn failed(error: Option<&serde_json::Value>) -> ConnectorError {
    let message = error
        .and_then(|e| e["message"].as_str())
        .unwrap_or("X could not process the media");
    let code = error
        .and_then(|e| e["name"].as_str())
        .unwrap_or("media_processing_failed");
    ConnectorError::rejected(message, Some(code.to_owned()))
}
