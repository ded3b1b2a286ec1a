//! Uploads read within their limits. Media files are spooled to disk as they arrive
//! (`spool`), so a 500 MB video never sits in memory; the imports' smaller files (.ics, CSV)
//! are read into memory, from a multipart form or a raw body (`read_small`).
//!
//! A file over its limit is a 413 naming the field and the limit. Before answering, the
//! rest of the body is read and dropped, up to the route's body limit (the file's limit
//! plus `UPLOAD_SLACK_BYTES`): a server that stops reading and closes makes the kernel
//! reset the connection, and a browser then shows only that, not the answer. Each upload
//! route sets that body limit itself (`web::router`, `api::upload_routes`, `ui::routes`),
//! never axum's default of 2 MB; the UI also refuses an oversized file before sending it
//! (`data-max-bytes`, `assets/app.js`).

use std::collections::HashMap;
use std::path::Path;

use axum::body::Body;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::services::AppError;
use crate::services::media::{Upload, megabytes};

/// Room in an upload route's body limit beyond its file's limit: the multipart envelope,
/// the short fields beside the file, and the rest of a file a little over its limit, read
/// so that its sender gets the 413 (see the module's comment).
pub const UPLOAD_SLACK_BYTES: usize = 1024 * 1024;

/// Text fields beside the file are short (alt text, tags): this bounds each.
const MAX_FIELD_BYTES: usize = 16 * 1024;

/// The form's file (field `file`) and its other fields.
#[derive(Debug, Default)]
pub struct SpooledForm {
    pub upload: Option<Upload>,
    pub fields: HashMap<String, String>,
}

pub async fn spool(
    multipart: Result<Multipart, MultipartRejection>,
    spool_dir: &Path,
    max_bytes: u64,
) -> Result<SpooledForm, AppError> {
    let mut multipart = multipart.map_err(|e| {
        AppError::field(
            "body",
            format!("send a multipart/form-data upload ({})", e.body_text()),
        )
    })?;
    let mut form = SpooledForm::default();
    let result = read_fields(&mut multipart, &mut form, spool_dir, max_bytes).await;
    if result.is_err()
        && let Some(upload) = &form.upload
    {
        let _ = tokio::fs::remove_file(&upload.path).await;
    }
    result.map(|()| form)
}

async fn read_fields(
    multipart: &mut Multipart,
    form: &mut SpooledForm,
    spool_dir: &Path,
    max_bytes: u64,
) -> Result<(), AppError> {
    let too_large = || {
        let limit = megabytes(max_bytes);
        AppError::too_large(
            "file",
            format!("is larger than {limit}, the most Herald accepts"),
        )
    };
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| malformed(e, &too_large))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if form.upload.is_some() {
                return Err(AppError::field("file", "send one file per upload"));
            }
            let path = spool_dir.join(format!("{}.part", uuid::Uuid::new_v4().simple()));
            let mut out = tokio::fs::File::create(&path).await.map_err(internal)?;
            form.upload = Some(Upload {
                file_name: field.file_name().unwrap_or_default().to_owned(),
                path: path.clone(),
                bytes: 0,
                alt_text: String::new(),
                tags: Vec::new(),
            });
            let mut bytes = 0u64;
            while let Some(chunk) = field.chunk().await.map_err(|e| malformed(e, &too_large))? {
                bytes += chunk.len() as u64;
                if bytes > max_bytes {
                    drain_field(field).await;
                    drain_rest(multipart).await;
                    return Err(too_large());
                }
                out.write_all(&chunk).await.map_err(internal)?;
            }
            out.flush().await.map_err(internal)?;
            if let Some(upload) = form.upload.as_mut() {
                upload.bytes = bytes;
            }
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| malformed(e, &too_large))? {
                value.extend_from_slice(&chunk);
                if value.len() > MAX_FIELD_BYTES {
                    return Err(AppError::field(&name, "is too long"));
                }
            }
            let text = String::from_utf8(value)
                .map_err(|_| AppError::field(&name, "is not valid UTF-8 text"))?;
            form.fields.insert(name, text);
        }
    }
    if let Some(upload) = form.upload.as_mut() {
        upload.alt_text = form.fields.get("alt_text").cloned().unwrap_or_default();
        upload.tags = form
            .fields
            .get("tags")
            .map(|t| {
                t.split([',', ' '])
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(name) = form.fields.get("name").filter(|n| !n.trim().is_empty()) {
            upload.file_name = name.clone();
        }
    }
    Ok(())
}

/// A form that cannot be read: cut short or malformed, or over the route's body limit
/// (then `too_large` says so).
fn malformed(e: MultipartError, too_large: &dyn Fn() -> AppError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    AppError::field(
        "body",
        format!("the upload was cut short or malformed: {}", e.body_text()),
    )
}

/// Reads and drops the rest of a field; then `drain_rest` the rest of its form. At most
/// up to the route's body limit: past it reading fails, and they stop.
async fn drain_field(mut field: Field<'_>) {
    while let Ok(Some(_)) = field.chunk().await {}
}

async fn drain_rest(form: &mut Multipart) {
    while let Ok(Some(field)) = form.next_field().await {
        drain_field(field).await;
    }
}

fn internal(e: std::io::Error) -> AppError {
    AppError::Internal(e.into())
}

/// A small upload as read: its `file` and the short fields beside it.
#[derive(Debug, Default)]
pub struct SmallUpload {
    pub file: Vec<u8>,
    pub fields: HashMap<String, String>,
}

/// Reads an upload of at most `max` bytes into memory: the `file` field of a multipart
/// form (with its short fields), or else the whole body.
pub async fn read_small(request: Request, max: usize) -> Result<SmallUpload, AppError> {
    let too_large = || {
        AppError::too_large(
            "file",
            format!(
                "is larger than {} MB, the most Herald takes here",
                max / (1024 * 1024)
            ),
        )
    };
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let file = read_raw(request.into_body(), max)
            .await?
            .ok_or_else(too_large)?;
        return Ok(SmallUpload {
            file,
            fields: HashMap::new(),
        });
    }
    let mut form = Multipart::from_request(request, &()).await.map_err(|e| {
        AppError::field(
            "file",
            format!("send the form as multipart/form-data ({})", e.body_text()),
        )
    })?;
    let unreadable = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return too_large();
        }
        AppError::field("file", format!("could not be read ({})", e.body_text()))
    };
    let mut out = SmallUpload::default();
    let mut seen_file = false;
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let limit = if name == "file" { max } else { MAX_FIELD_BYTES };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > limit {
                if name != "file" {
                    return Err(AppError::field(&name, "is too long"));
                }
                drain_field(field).await;
                drain_rest(&mut form).await;
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        if name == "file" {
            seen_file = true;
            out.file = bytes;
        } else {
            out.fields
                .insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    if !seen_file || out.file.is_empty() {
        return Err(AppError::field(
            "file",
            "is missing: choose a file to upload",
        ));
    }
    Ok(out)
}

/// A raw body of at most `max` bytes; `None` when it is longer (what follows is read and
/// dropped, up to `UPLOAD_SLACK_BYTES` more: see the module's comment).
async fn read_raw(body: Body, max: usize) -> Result<Option<Vec<u8>>, AppError> {
    let mut stream = body.into_data_stream();
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk
            .map_err(|e| AppError::field("file", format!("the upload was cut short ({e})")))?;
        if out.len() + chunk.len() > max {
            let mut seen = out.len() + chunk.len();
            while seen <= max + UPLOAD_SLACK_BYTES {
                match stream.next().await {
                    Some(Ok(more)) => seen += more.len(),
                    _ => break,
                }
            }
            return Ok(None);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(Some(out))
}
