//! Static assets embedded in the binary, served under content-hashed URLs
//! (`/assets/{hash}/{name}`) with a year-long immutable cache.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

use super::AppState;

#[derive(RustEmbed)]
#[folder = "assets/"]
#[exclude = "*.md"]
struct Embedded;

/// name -> first 10 hex digits of its SHA-256, computed once.
static HASHES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    Embedded::iter()
        .filter_map(|name| {
            let file = Embedded::get(&name)?;
            let hash = hex::encode(Sha256::digest(&file.data))[..10].to_owned();
            Some((name.into_owned(), hash))
        })
        .collect()
});

/// The URL of an embedded asset, e.g. `url("app.css")`.
pub fn url(name: &str) -> String {
    match HASHES.get(name) {
        Some(hash) => format!("/assets/{hash}/{name}"),
        None => format!("/assets/missing/{name}"),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{hash}/{*name}", get(serve))
}

async fn serve(Path((hash, name)): Path<(String, String)>) -> Response {
    let Some(file) = Embedded::get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if HASHES.get(&name) == Some(&hash) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mime = match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    };
    (
        [(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, cache)],
        file.data.into_owned(),
    )
        .into_response()
}
