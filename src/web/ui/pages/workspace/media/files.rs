//! The bytes behind the library's pictures, for the session that shows them (the API's
//! addresses want a bearer token, which a page cannot send with an `<img>`):
//! `/w/{ws}/media/{id}/file`, `/thumbnail` and `/renditions/{network}`; the brand kit's
//! picture chooser takes its thumbnails from here too (`/w/{ws}/brand/pictures/{id}`).

use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use crate::domain::text::Network;
use crate::services::AppError;
use crate::services::media::MediaFile;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::media_files;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;

pub async fn file(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    UiPath((ws, id)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let (reader, mime, row) = state
        .services
        .open_media(&actor, ws, id, MediaFile::Original)
        .await?;
    Ok(media_files::stream(reader, mime, Some(&row.name)))
}

pub async fn thumbnail(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    UiPath((ws, id)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let (reader, mime, _) = state
        .services
        .open_media(&actor, ws, id, MediaFile::Thumbnail)
        .await?;
    Ok(media_files::stream(reader, mime, None))
}

/// The picture as `network` receives it: its crop around the focal point, or the file.
pub async fn rendition(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    UiPath((ws, id, network)): UiPath<(Uuid, Uuid, String)>,
) -> Result<Response, UiError> {
    let network = Network::parse(&network).ok_or(AppError::NotFound)?;
    let r = state
        .services
        .media_for_network(&actor, ws, id, network)
        .await?;
    Ok(media_files::rendition(r))
}
