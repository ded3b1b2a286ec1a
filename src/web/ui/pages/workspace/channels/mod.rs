//! `/w/{ws}/channels`: the workspace's accounts on the networks, with their health, and the
//! forms that connect new ones (Mastodon through the instance's sign-in page or a token,
//! Bluesky with an app password, the others through their sign-in pages with the install's
//! apps). The networks whose app is missing say why.

pub mod actions;
pub mod connect;
pub mod picker;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::composer::link_view::image_path;
use super::networks::{self, ChannelLook};
use crate::domain::Permission;
use crate::domain::post::capabilities;
use crate::domain::text::Network;
use crate::services::Actor;
use crate::storage::channels::Channel;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::{Errors, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "channels.html", blocks = ["main", "topbar"])]
pub struct ChannelsPage {
    shell: Shell,
    id: Uuid,
    channels: Vec<ChannelRow>,
    can_manage: bool,
    form: connect::ConnectForm,
    errors: Errors,
    /// The networks connected through their sign-in pages, with why they are not offered.
    unavailable: Vec<(&'static str, String)>,
    /// Sign-in pages Herald can send people to.
    ready: Vec<Ready>,
}
page!(ChannelsPage);

/// One "Connect ..." button that goes to a network's sign-in page.
pub struct Ready {
    key: &'static str,
    label: &'static str,
    /// Instagram's sign-in (`facebook`, `instagram`); empty for the others.
    login: &'static str,
    /// The button's id: `connect-{key}`, with the login after it when there is one.
    button_id: String,
}

impl Ready {
    fn new(network: Network, label: &'static str, login: &'static str) -> Self {
        let key = network.as_str();
        Ready {
            key,
            label,
            login,
            button_id: if login.is_empty() {
                format!("connect-{key}")
            } else {
                format!("connect-{key}-{login}")
            },
        }
    }
}

/// The sign-in buttons for the networks whose app is configured, and why the others wait.
fn sign_ins(configured: &[Network]) -> (Vec<Ready>, Vec<(&'static str, String)>) {
    use crate::services::{LOGIN_FACEBOOK, LOGIN_INSTAGRAM};
    let mut ready = Vec::new();
    let mut unavailable = Vec::new();
    for n in crate::services::network_apps::OAUTH_NETWORKS {
        match n {
            // Instagram signs in with its own app, or through a page with Facebook's.
            Network::Instagram => {
                if configured.contains(&n) {
                    ready.push(Ready::new(n, "Instagram", LOGIN_INSTAGRAM));
                }
                if configured.contains(&Network::Facebook) {
                    ready.push(Ready::new(n, "Instagram through Facebook", LOGIN_FACEBOOK));
                }
                if !configured.contains(&n) && !configured.contains(&Network::Facebook) {
                    unavailable.push((n.label(), "Instagram needs this install's Instagram or Facebook app credentials first: an instance admin enters them on the Networks page (account menu).".to_owned()));
                }
            }
            _ if configured.contains(&n) => ready.push(Ready::new(n, n.label(), "")),
            _ => unavailable.push((n.label(), format!(
                "{} needs this install's app credentials first: an instance admin enters them on the Networks page (account menu).",
                n.label()
            ))),
        }
    }
    (ready, unavailable)
}

pub struct ChannelRow {
    look: ChannelLook,
    avatar: Option<String>,
    /// `ok`, `expiring`, `reconnect_needed`, `rate_limited`, `disconnected`, `not_connected`.
    health: &'static str,
    health_text: String,
    health_detail: String,
    counts: String,
    limit: String,
    rules: String,
    features: Vec<&'static str>,
    service: String,
    connected: bool,
    network: Network,
}

fn features(network: Network) -> Vec<&'static str> {
    let caps = capabilities::of(network);
    [
        (caps.threads, "Threads"),
        (caps.first_comment, "First comment"),
        (caps.visibility, "Visibility"),
        (caps.content_warning, "Content warning"),
        (caps.language, "Language"),
        (caps.reply_settings || caps.reply_control, "Who can reply"),
        (caps.instagram_format || caps.facebook_format, "Post format"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect()
}

fn row(c: &Channel, ws: Uuid, csrf: &str, zone: &str, now_ms: i64) -> ChannelRow {
    let health = crate::domain::channel::health(
        &c.health,
        c.expiry_to_show(),
        c.rate_limited_until_ms,
        now_ms,
    );
    let (health, health_text, health_detail) = match health {
        "ok" => (
            "ok",
            "Connected".to_owned(),
            c.checked_at_ms
                .map(|t| format!("Checked {}", when(t, zone)))
                .unwrap_or_default(),
        ),
        "expiring" => (
            "expiring",
            "Expiring".to_owned(),
            c.expiry_to_show()
                .map(|t| {
                    format!(
                        "The network's access ends {}; reconnect before then.",
                        when(t, zone)
                    )
                })
                .unwrap_or_default(),
        ),
        "reconnect_needed" => (
            "reconnect_needed",
            "Reconnect needed".to_owned(),
            if c.health_message.is_empty() {
                "The network no longer accepts Herald's access.".to_owned()
            } else {
                format!("The network said: {}", c.health_message)
            },
        ),
        "rate_limited" => (
            "rate_limited",
            c.rate_limited_until_ms
                .map(|t| format!("Rate limited until {}", when(t, zone)))
                .unwrap_or_else(|| "Rate limited".into()),
            "Herald waits before calling the network again.".to_owned(),
        ),
        "disconnected" => (
            "disconnected",
            "Disconnected".to_owned(),
            "Its posts stay; reconnect to publish again.".to_owned(),
        ),
        _ => (
            "not_connected",
            "Not connected".to_owned(),
            "A record only: connect it to publish.".to_owned(),
        ),
    };
    let group = |n: Option<i64>| n.map(|n| networks::group(n.max(0) as usize));
    let counts = [
        group(c.followers).map(|n| format!("{n} followers")),
        group(c.following).map(|n| format!("{n} following")),
        group(c.posts_count).map(|n| format!("{n} posts")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    ChannelRow {
        look: ChannelLook::of(c),
        avatar: (!c.avatar_url.is_empty()).then(|| image_path(ws, csrf, &c.avatar_url)),
        health,
        health_text,
        health_detail,
        counts,
        limit: networks::group(networks::limit(c)),
        rules: networks::rules(c),
        features: features(c.network),
        service: c.service_url.clone(),
        connected: c.credentials.is_some(),
        network: c.network,
    }
}

pub(super) async fn page_for(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
) -> Result<ChannelsPage, UiError> {
    let id = ws.workspace.id;
    let mut channels = state.services.list_channels(actor, id).await?;
    channels.sort_by_key(|c| {
        networks::ORDER
            .iter()
            .position(|n| *n == c.network)
            .unwrap_or(usize::MAX)
    });
    let shell = Shell::in_workspace(state, actor, ws, "Channels", "channels").await?;
    let now = state.services.now_ms();
    let rows = channels
        .iter()
        .map(|c| row(c, id, &shell.csrf, &ws.workspace.time_zone, now))
        .collect();
    let configured = state.services.configured_networks().await?;
    let (ready, unavailable) = sign_ins(&configured);
    Ok(ChannelsPage {
        shell,
        id,
        channels: rows,
        can_manage: ws.role.allows(Permission::Manage) && ws.workspace.archived_at_ms.is_none(),
        form: connect::ConnectForm::default(),
        errors: Errors::default(),
        unavailable,
        ready,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// Set by the OAuth callback: the channel just connected.
    connected: Option<Uuid>,
    /// Set by the OAuth callback: the channel a reconnect left alone, because the network
    /// did not list its account for this person.
    not_listed: Option<Uuid>,
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    query: Result<Query<ShowQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let mut page = page_for(&state, &actor, &ws).await?;
    let query = query.map(|Query(q)| q).unwrap_or_default();
    if let Some(connected) = query.connected
        && let Some(c) = page.channels.iter().find(|c| c.look.id == connected)
    {
        let text = format!("Connected {} on {}.", c.look.handle, c.look.network_label);
        page.shell.toasts.push(Toast::ok(text));
    }
    if let Some(left) = query.not_listed
        && let Some(c) = page.channels.iter().find(|c| c.look.id == left)
    {
        let text = crate::services::not_listed(&c.look.handle, c.look.network_label).to_string();
        page.shell.toasts.push(Toast::error(text));
    }
    render(htmx, StatusCode::OK, page)
}
