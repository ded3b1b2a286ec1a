//! `/w/{ws}/channels/grants/{grant}`: after signing in to Facebook, Instagram or LinkedIn,
//! the person ticks which of the listed pages and accounts become channels. Accounts that
//! cannot be connected are shown with why; picking one the workspace already has reconnects
//! that channel.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::page_for;
use crate::services::{Actor, GrantView};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::pages::workspace::composer::link_view::image_path;
use crate::web::ui::pages::workspace::networks;
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "channel_picker.html", blocks = ["main", "topbar"])]
pub struct PickerPage {
    shell: Shell,
    id: Uuid,
    grant: Uuid,
    network: &'static str,
    network_label: &'static str,
    letter: &'static str,
    /// "Facebook pages", "LinkedIn profile and pages"...
    what: &'static str,
    expires: String,
    choices: Vec<Choice>,
    /// The ids ticked when the page comes back with a problem.
    ticked: Vec<String>,
    errors: Errors,
}
page!(PickerPage);

pub struct Choice {
    /// The network's id, sent back when ticked.
    value: String,
    /// For the checkbox's `id` attribute.
    dom_id: String,
    display_name: String,
    handle: String,
    avatar: Option<String>,
    followers: Option<String>,
    unavailable: Option<String>,
    reconnects: bool,
}

fn what(grant: &GrantView) -> &'static str {
    use crate::domain::text::Network;
    match grant.network {
        Network::Facebook => "Facebook pages",
        Network::Linkedin => "LinkedIn profile and pages",
        _ if grant.login == crate::services::LOGIN_FACEBOOK => {
            "Instagram accounts linked to your Facebook pages"
        }
        _ => "Instagram account",
    }
}

async fn picker(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    grant: GrantView,
    ticked: Vec<String>,
    errors: Errors,
) -> Result<PickerPage, UiError> {
    let ws = state.services.workspace(actor, id).await?;
    let title = format!("Pick {}", what(&grant));
    let shell = Shell::in_workspace(state, actor, &ws, &title, "channels").await?;
    let choices = grant
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| Choice {
            value: a.account.remote_id.clone(),
            dom_id: format!("pick-{i}"),
            display_name: a.account.display_name.clone(),
            handle: a.account.handle.clone(),
            avatar: a
                .account
                .avatar_url
                .as_deref()
                .filter(|u| !u.is_empty())
                .map(|u| image_path(id, &shell.csrf, u)),
            followers: a
                .account
                .followers
                .map(|n| format!("{} followers", networks::group(n.max(0) as usize))),
            unavailable: a.unavailable.clone(),
            reconnects: a.channel_id.is_some(),
        })
        .collect();
    Ok(PickerPage {
        id,
        grant: grant.id,
        network: grant.network.as_str(),
        network_label: networks::label(grant.network),
        letter: networks::letter(grant.network),
        what: what(&grant),
        expires: when(grant.expires_at_ms, &ws.workspace.time_zone),
        choices,
        ticked,
        errors,
        shell,
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, grant)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let view = state.services.connect_grant(&actor, id, grant).await?;
    let page = picker(&state, &actor, id, view, Vec::new(), Errors::default()).await?;
    render(htmx, StatusCode::OK, page)
}

/// The ticked boxes arrive as repeated `account_ids` fields.
pub async fn pick(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, grant)): UiPath<(Uuid, Uuid)>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let ticked: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "account_ids")
        .map(|(_, v)| v)
        .collect();
    let outcome = state
        .services
        .pick_connect_grant(&actor, id, grant, &ticked)
        .await;
    match outcome {
        Ok(channels) => {
            let ws = state.services.workspace(&actor, id).await?;
            let mut page = page_for(&state, &actor, &ws).await?;
            let names: Vec<&str> = channels.iter().map(|c| c.handle.as_str()).collect();
            let label = channels
                .first()
                .map(|c| networks::label(c.network))
                .unwrap_or_default();
            page.shell.toasts.push(Toast::ok(format!(
                "Connected {} on {label}.",
                names.join(", ")
            )));
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let view = state.services.connect_grant(&actor, id, grant).await?;
            let mut page = picker(&state, &actor, id, view, ticked, errors).await?;
            page.shell
                .toasts
                .push(Toast::error("Nothing connected yet: see the list below."));
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}
