//! `/w/{ws}/posts`: the workspace's posts, newest first, a page at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use unicode_segmentation::UnicodeSegmentation;
use uuid::Uuid;

use super::composer::view::{TagChip, state_label};
use super::networks::ChannelLook;
use crate::domain::Permission;
use crate::services::AppError;
use crate::services::posts::PostDetail;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, Toast, ok, page};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "posts.html", blocks = ["main", "topbar"])]
pub struct PostsPage {
    shell: Shell,
    id: Uuid,
    rows: Vec<PostRow>,
    /// The cursor of the next (older) page.
    next: Option<Uuid>,
    /// This is not the first page.
    paged: bool,
    can_write: bool,
    has_channels: bool,
}
page!(PostsPage);

pub struct PostRow {
    href: String,
    excerpt: String,
    /// The post has no text yet.
    blank: bool,
    channels: Vec<ChannelLook>,
    tags: Vec<TagChip>,
    campaign: Option<TagChip>,
    state: String,
    /// For the badge's colour: `draft`, `scheduled`, ...
    state_key: &'static str,
    updated: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PostsQuery {
    cursor: Option<String>,
    deleted: Option<String>,
}

const EXCERPT: usize = 180;

fn excerpt(d: &PostDetail) -> String {
    let text = if d.post.text.trim().is_empty() {
        d.variants
            .iter()
            .flat_map(|v| v.variant.parts.iter())
            .find(|p| !p.trim().is_empty())
            .map(String::as_str)
            .unwrap_or("")
    } else {
        d.post.text.as_str()
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let graphemes: Vec<&str> = flat.graphemes(true).collect();
    if graphemes.len() > EXCERPT {
        format!("{}…", graphemes[..EXCERPT].concat().trim_end())
    } else {
        flat
    }
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    Query(q): Query<PostsQuery>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let cursor = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => Some(
            c.parse::<Uuid>()
                .map_err(|_| AppError::field("cursor", "is not a page of this list"))?,
        ),
        None => None,
    };
    let (posts, next) = state.services.list_posts(&actor, id, cursor).await?;
    let tags = state.services.list_tags(&actor, id).await?;
    let channels = state.services.list_channels(&actor, id).await?;
    let tz = &ws.workspace.time_zone;
    let rows = posts
        .iter()
        .map(|d| {
            let text = excerpt(d);
            PostRow {
                href: format!("/w/{id}/posts/{}", d.post.id),
                blank: text.is_empty(),
                excerpt: text,
                channels: d
                    .variants
                    .iter()
                    .map(|v| ChannelLook::of(&v.channel))
                    .collect(),
                tags: d.tags.iter().map(TagChip::of).collect(),
                campaign: d
                    .post
                    .campaign_id
                    .and_then(|c| tags.iter().find(|t| t.id == c))
                    .map(TagChip::of),
                state: state_label(d.state.as_str()),
                state_key: d.state.as_str(),
                updated: when(d.post.updated_at_ms, tz),
            }
        })
        .collect();
    let mut shell = Shell::in_workspace(&state, &actor, &ws, "Posts", "posts").await?;
    if q.deleted.is_some() {
        shell.toasts.push(Toast::ok("The post was deleted."));
    }
    ok(
        htmx,
        PostsPage {
            shell,
            id,
            rows,
            next,
            paged: cursor.is_some(),
            can_write: ws.role.allows(Permission::WriteDrafts)
                && ws.workspace.archived_at_ms.is_none(),
            has_channels: !channels.is_empty(),
        },
    )
}
