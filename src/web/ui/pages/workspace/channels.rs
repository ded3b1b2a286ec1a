//! `/w/{ws}/channels`: the workspace's accounts on the networks. They are records for now
//! (added with `herald channel add`); connecting them to the networks comes next.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use super::networks::{self, ChannelLook};
use crate::domain::post::capabilities;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, ok, page};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "channels.html", blocks = ["main", "topbar"])]
pub struct ChannelsPage {
    shell: Shell,
    id: Uuid,
    channels: Vec<ChannelRow>,
}
page!(ChannelsPage);

pub struct ChannelRow {
    look: ChannelLook,
    limit: String,
    rules: String,
    /// What the composer offers for this network, in words.
    features: Vec<&'static str>,
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let mut channels = state.services.list_channels(&actor, id).await?;
    channels.sort_by_key(|c| {
        networks::ORDER
            .iter()
            .position(|n| *n == c.network)
            .unwrap_or(usize::MAX)
    });
    let channels = channels
        .iter()
        .map(|c| {
            let caps = capabilities::of(c.network);
            let mut features = Vec::new();
            if caps.threads {
                features.push("Threads");
            }
            if caps.first_comment {
                features.push("First comment");
            }
            if caps.visibility {
                features.push("Visibility");
            }
            if caps.content_warning {
                features.push("Content warning");
            }
            if caps.language {
                features.push("Language");
            }
            if caps.reply_settings || caps.reply_control {
                features.push("Who can reply");
            }
            if caps.instagram_format || caps.facebook_format {
                features.push("Post format");
            }
            ChannelRow {
                look: ChannelLook::of(c),
                limit: networks::group(networks::limit(c)),
                rules: networks::rules(c),
                features,
            }
        })
        .collect();
    ok(
        htmx,
        ChannelsPage {
            shell: Shell::in_workspace(&state, &actor, &ws, "Channels", "channels").await?,
            id,
            channels,
        },
    )
}
