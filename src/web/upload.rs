//! Multipart uploads spooled to disk as they arrive, so a 500 MB video never sits in memory
//! and an over-long body is cut off at the limit rather than read to its end.

use std::collections::HashMap;
use std::path::Path;

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use tokio::io::AsyncWriteExt;

use crate::services::AppError;
use crate::services::media::{Upload, megabytes};

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
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
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
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                bytes += chunk.len() as u64;
                if bytes > max_bytes {
                    return Err(AppError::field(
                        "file",
                        format!(
                            "is larger than {}, the most Herald accepts",
                            megabytes(max_bytes)
                        ),
                    ));
                }
                out.write_all(&chunk).await.map_err(internal)?;
            }
            out.flush().await.map_err(internal)?;
            if let Some(upload) = form.upload.as_mut() {
                upload.bytes = bytes;
            }
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
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

fn malformed(e: axum::extract::multipart::MultipartError) -> AppError {
    AppError::field(
        "body",
        format!("the upload was cut short or malformed: {}", e.body_text()),
    )
}

fn internal(e: std::io::Error) -> AppError {
    AppError::Internal(e.into())
}
