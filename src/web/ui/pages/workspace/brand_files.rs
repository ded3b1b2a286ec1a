//! The brand kit page's files: each generated profile image and all of them as a zip, for
//! the logged-in member. (The picture chooser's thumbnails are the library's.)
//!
//! The page shows twelve images and each request for one would make all twelve, so the set
//! is kept in memory per workspace, keyed by what it is made from (the chosen pictures'
//! bytes and focal points): a page view makes it once, and a changed kit makes it anew. Only
//! a few workspaces are kept; every request checks membership before the cache is looked at.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::services::brand_kit::BrandKitDetail;
use crate::services::{Actor, AppError};
use crate::storage::media::Media;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;

/// Workspaces whose images are kept at once (a set is a few megabytes).
const KEPT: usize = 8;

/// Short, and different whenever the generated images would be: the pictures' contents and
/// focal points (colours do not change the images).
pub fn version(d: &BrandKitDetail) -> String {
    let part = |m: &Option<Media>| match m {
        Some(m) => format!("{}:{}:{}:{}", m.id, m.sha256, m.focal_x, m.focal_y),
        None => "-".to_owned(),
    };
    let key = format!("{}|{}", part(&d.logo), part(&d.cover));
    hex::encode(&Sha256::digest(key.as_bytes())[..6])
}

struct Generated {
    file_name: String,
    mime: &'static str,
    bytes: Bytes,
}

struct Entry {
    version: String,
    images: Arc<Vec<Generated>>,
}

type Slot = Arc<tokio::sync::Mutex<Option<Entry>>>;

static TICK: AtomicU64 = AtomicU64::new(0);
/// Workspace -> (last use, its set); the slot's own lock makes concurrent requests for a
/// set not yet made wait for one generation instead of each making it.
static CACHE: LazyLock<Mutex<HashMap<Uuid, (u64, Slot)>>> = LazyLock::new(Mutex::default);

fn slot(ws: Uuid) -> Slot {
    let tick = TICK.fetch_add(1, Ordering::Relaxed);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((used, slot)) = cache.get_mut(&ws) {
        *used = tick;
        return slot.clone();
    }
    if cache.len() >= KEPT
        && let Some(oldest) = cache
            .iter()
            .min_by_key(|(_, (used, _))| *used)
            .map(|(k, _)| *k)
    {
        cache.remove(&oldest);
    }
    let slot = Slot::default();
    cache.insert(ws, (tick, slot.clone()));
    slot
}

/// The workspace's generated set and its version, made now if the kit changed.
async fn generated(
    state: &AppState,
    actor: &Actor,
    ws: Uuid,
) -> Result<(String, Arc<Vec<Generated>>), UiError> {
    // Membership first: the cache never answers for someone who may not see the kit.
    let detail = state.services.brand_kit(actor, ws).await?;
    let version = version(&detail);
    let slot = slot(ws);
    let mut entry = slot.lock().await;
    if let Some(e) = entry.as_ref()
        && e.version == version
    {
        return Ok((version, e.images.clone()));
    }
    let images: Vec<Generated> = state
        .services
        .profile_images(actor, ws)
        .await?
        .into_iter()
        .map(|i| Generated {
            mime: i.spec.format().mime(),
            file_name: i.file_name,
            bytes: Bytes::from(i.bytes),
        })
        .collect();
    let images = Arc::new(images);
    *entry = Some(Entry {
        version: version.clone(),
        images: images.clone(),
    });
    Ok((version, images))
}

fn query_has(query: &Option<String>, name: &str, value: Option<&str>) -> bool {
    let Some(q) = query else { return false };
    url::form_urlencoded::parse(q.as_bytes())
        .any(|(k, v)| k == name && value.is_none_or(|w| v == w))
}

/// `GET /w/{ws}/brand/images/{file}`: one image, e.g. `x-banner-1500x500.jpg`. With the
/// page's `?v=` it may be cached for good; `?download` makes it an attachment.
pub async fn image(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    UiPath((ws, file)): UiPath<(Uuid, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, UiError> {
    let (version, images) = generated(&state, &actor, ws).await?;
    let image = images
        .iter()
        .find(|i| i.file_name == file)
        .ok_or(AppError::NotFound)?;
    let cache = if query_has(&query, "v", Some(&version)) {
        "private, max-age=31536000, immutable"
    } else {
        "private, no-cache"
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, image.mime),
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        image.bytes.clone(),
    )
        .into_response();
    // File names are made of the network, slot and size: plain ASCII.
    if query_has(&query, "download", None)
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// `GET /w/{ws}/brand/images.zip`: every image and a README of sizes and safe zones.
pub async fn zip(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    UiPath(ws): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let bytes = state.services.profile_images_zip(&actor, ws).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"profile-images.zip\"",
            ),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        bytes,
    )
        .into_response())
}
