//! `GET /w/{ws}/media`: the grid, newest first, a page at a time. The filter form asks
//! htmx for the grid alone (`HX-Target: media-grid`) as people type; "More" asks for the
//! next page's tiles alone (`HX-Target: media-more`), which take its place. Without
//! JavaScript the same addresses answer the whole page.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::Tile;
use crate::domain::Permission;
use crate::services::AppError;
use crate::services::media::{MediaQuery, megabytes};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, Toast, ok, page};
use crate::web::ui::shell::Shell;

/// What the file picker offers; the server sniffs the bytes whatever it is told.
pub const ACCEPT: &str = "image/jpeg,image/png,image/webp,image/gif,video/mp4,video/quicktime,.jpg,.jpeg,.png,.webp,.gif,.mp4,.mov";

#[derive(Template)]
#[template(path = "media.html", blocks = ["main", "topbar"])]
pub struct MediaPage {
    shell: Shell,
    id: Uuid,
    grid: Grid,
    filters: Filters,
    /// The workspace's tags, for the tag filter.
    tag_names: Vec<String>,
    can_write: bool,
    /// "Pictures up to 40.0 MB, videos up to 500.0 MB."
    limits: String,
    /// The largest file the upload takes (app.js refuses larger ones before sending).
    max_bytes: u64,
    accept: &'static str,
}
page!(MediaPage);

impl MediaPage {
    fn is_kind(&self, kind: &str) -> bool {
        self.filters.kind == kind
    }

    fn is_tag(&self, tag: &str) -> bool {
        self.filters.tag.eq_ignore_ascii_case(tag)
    }
}

/// The grid's content: the tiles of one page and the way to the next.
pub struct Grid {
    pub tiles: Vec<Tile>,
    /// The address of the next page, when there is one.
    pub more: Option<String>,
    /// A search or filter is on: an empty grid says nothing matched.
    pub filtered: bool,
    /// Not the first page (its address came from "More").
    pub paged: bool,
}

impl Grid {
    /// "12 items", "60 or more items", for the status line.
    fn summary(&self) -> String {
        let n = self.tiles.len();
        let noun = if n == 1 { "item" } else { "items" };
        match (&self.more, self.filtered) {
            (Some(_), true) => format!("{n} or more {noun} match"),
            (Some(_), false) => format!("{n} or more {noun}"),
            (None, true) => format!("{n} {noun} match"),
            (None, false) => format!("{n} {noun}"),
        }
    }
}

#[derive(Template)]
#[template(path = "media_grid.html")]
struct GridAnswer {
    grid: Grid,
}

#[derive(Template)]
#[template(path = "media_tiles.html")]
struct TilesAnswer {
    grid: Grid,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Filters {
    q: String,
    tag: String,
    kind: String,
    /// The `next` cursor of the previous page.
    before: String,
    /// The name of an item just deleted, for the toast.
    deleted: String,
}

impl Filters {
    fn any(&self) -> bool {
        !(self.q.trim().is_empty() && self.tag.trim().is_empty() && self.kind.is_empty())
    }

    /// The grid's address for the page after `next`, with the same filters.
    fn more_href(&self, ws: Uuid, next: Uuid) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("q", &self.q), ("tag", &self.tag), ("kind", &self.kind)] {
            if !v.trim().is_empty() {
                query.append_pair(k, v.trim());
            }
        }
        query.append_pair("before", &next.to_string());
        format!("/w/{ws}/media?{}", query.finish())
    }
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    headers: HeaderMap,
    UiPath(id): UiPath<Uuid>,
    Query(filters): Query<Filters>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let before = match filters.before.trim() {
        "" => None,
        b => Some(
            b.parse::<Uuid>()
                .map_err(|_| AppError::field("before", "is not a page of this library"))?,
        ),
    };
    let query = MediaQuery {
        text: Some(filters.q.clone()),
        tag: Some(filters.tag.clone()),
        kind: Some(filters.kind.clone()),
        before,
    };
    let (items, next) = state.services.list_media(&actor, id, &query).await?;
    let grid = Grid {
        tiles: items.iter().map(Tile::of).collect(),
        more: next.map(|n| filters.more_href(id, n)),
        filtered: filters.any(),
        paged: before.is_some(),
    };
    let target = headers
        .get("hx-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if htmx.fragment && target == "media-grid" {
        return Ok(Html(GridAnswer { grid }.render()?).into_response());
    }
    if htmx.fragment && target == "media-more" {
        return Ok(Html(TilesAnswer { grid }.render()?).into_response());
    }
    let mut tag_names: Vec<String> = state
        .services
        .list_tags(&actor, id)
        .await?
        .into_iter()
        .filter(|t| t.kind == "tag")
        .map(|t| t.name)
        .collect();
    tag_names.sort_by_key(|n| n.to_lowercase());
    let limits = state.services.media.limits;
    let mut shell = Shell::in_workspace(&state, &actor, &ws, "Media", "media").await?;
    if !filters.deleted.is_empty() {
        shell
            .toasts
            .push(Toast::ok(format!("“{}” was deleted.", filters.deleted)));
    }
    ok(
        htmx,
        MediaPage {
            shell,
            id,
            grid,
            filters,
            tag_names,
            can_write: ws.role.allows(Permission::WriteDrafts)
                && ws.workspace.archived_at_ms.is_none(),
            limits: format!(
                "Pictures up to {}, videos up to {}.",
                megabytes(limits.max_image_bytes),
                megabytes(limits.max_video_bytes)
            ),
            max_bytes: limits.max_upload_bytes(),
            accept: ACCEPT,
        },
    )
}
