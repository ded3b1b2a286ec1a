//! `GET /w/{ws}/posts/media-picker?q=..&post=..`: the media library's items for the
//! composer's "Add from library" panel, newest first, narrowed by a search of names, alt
//! text and tags. htmx loads it into the panel when the panel opens (and again as the search
//! changes); each item is a button of the post form that adds it. Without JavaScript the
//! same address answers the whole composer (of `post`, or a new post) with the panel open.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::media_view::{Picker, PickerItem};
use super::page::{composer, whole_page};
use crate::services::Actor;
use crate::services::media::MediaQuery;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::Htmx;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PickerQuery {
    q: String,
    post: String,
}

#[derive(Template)]
#[template(path = "composer_picker.html")]
struct PickerAnswer<'a> {
    p: &'a Picker,
}

pub async fn media_picker(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(ws_id): UiPath<Uuid>,
    Query(query): Query<PickerQuery>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let post = query.post.trim().parse::<Uuid>().ok();
    let detail = match post {
        Some(id) => Some(state.services.get_post(&actor, ws_id, id).await?),
        None => None,
    };
    let attached: Vec<String> = detail
        .iter()
        .flat_map(|d| d.media.iter().map(|m| m.id.to_string()))
        .collect();
    let picker = load(&state, &actor, ws_id, &query.q, &attached).await?;
    if !htmx.request {
        let mut c = composer(&state, &actor, &ws, detail.as_ref(), true).await?;
        c.picker = Some(picker);
        return whole_page(&state, &actor, &ws, htmx, StatusCode::OK, c, None).await;
    }
    Ok(Html(PickerAnswer { p: &picker }.render()?).into_response())
}

/// The first page of the library for `q`; `attached` ids are marked as in the post.
async fn load(
    state: &AppState,
    actor: &Actor,
    ws: Uuid,
    q: &str,
    attached: &[String],
) -> Result<Picker, UiError> {
    let q = q.trim();
    let query = MediaQuery {
        text: Some(q.to_owned()),
        ..MediaQuery::default()
    };
    let (items, next) = state.services.list_media(actor, ws, &query).await?;
    Ok(Picker {
        ws,
        q: q.to_owned(),
        library_empty: items.is_empty() && q.is_empty(),
        more: next.is_some(),
        items: items.iter().map(|i| PickerItem::of(i, attached)).collect(),
    })
}
