//! Media bytes as HTTP answers, shared by the API (bearer tokens) and the UI (sessions):
//! a stored blob streamed from disk, or a network's rendition held in memory.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::services::media::NetworkRendition;

/// Streams a blob; `nosniff` and an attachment disposition for originals keep a crafted
/// file from being rendered as something else.
pub fn stream(
    reader: crate::blobs::BlobReader,
    mime: &'static str,
    download_name: Option<&str>,
) -> Response {
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(reader.reader));
    let mut response = (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_LENGTH, reader.len.to_string()),
            (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        body,
    )
        .into_response();
    if let Some(name) = download_name {
        let ascii: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if let Ok(v) = format!("inline; filename=\"{ascii}\"").parse() {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, v);
        }
    }
    response
}

/// The picture as a network receives it; a crop says where it was cut in
/// `X-Herald-Cropped: x,y,w,h`.
pub fn rendition(r: NetworkRendition) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, r.mime),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        r.bytes,
    )
        .into_response();
    if let Some(c) = r.cropped
        && let Ok(v) = format!("{},{},{},{}", c.x, c.y, c.width, c.height).parse()
    {
        response.headers_mut().insert("x-herald-cropped", v);
    }
    response
}
