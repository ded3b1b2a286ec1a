//! The connect forms: Mastodon (the instance's sign-in page, or a pasted token) and Bluesky
//! (handle and app password). Problems come back beside their fields; nothing is stored
//! until the network has accepted the credentials.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::page_for;
use crate::services::ConnectRequest;
use crate::storage::channels::Channel;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, redirect, render};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ConnectForm {
    pub instance_url: String,
    pub access_token: String,
    pub identifier: String,
    pub app_password: String,
    pub service_url: String,
    /// Reconnect this channel in place.
    pub channel_id: Option<Uuid>,
    /// Instagram's sign-in: `instagram` or `facebook`.
    pub login: String,
}

/// Mastodon: with a token, connects at once; without, sends the person to their instance.
pub async fn mastodon(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(form): UiForm<ConnectForm>,
) -> Result<Response, UiError> {
    if form.access_token.trim().is_empty() {
        let callback = crate::web::ui::pages::oauth::redirect_uri(
            &state,
            crate::domain::text::Network::Mastodon,
        );
        let started = state
            .services
            .start_mastodon_oauth(&actor, id, &form.instance_url, &callback, form.channel_id)
            .await;
        return match started {
            Ok(url) => Ok(redirect(htmx, url.as_str())),
            Err(e) => refused(&state, &actor, htmx, id, form, Errors::from_app(e)?).await,
        };
    }
    let request = ConnectRequest::Mastodon {
        instance_url: form.instance_url.clone(),
        access_token: form.access_token.clone(),
    };
    let outcome = state
        .services
        .connect_channel(&actor, id, request, form.channel_id)
        .await;
    finish(&state, &actor, htmx, id, form, outcome).await
}

pub async fn bluesky(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(form): UiForm<ConnectForm>,
) -> Result<Response, UiError> {
    let request = ConnectRequest::Bluesky {
        service_url: Some(form.service_url.clone()),
        identifier: form.identifier.clone(),
        app_password: form.app_password.clone(),
    };
    let outcome = state
        .services
        .connect_channel(&actor, id, request, form.channel_id)
        .await;
    finish(&state, &actor, htmx, id, form, outcome).await
}

async fn finish(
    state: &AppState,
    actor: &crate::services::Actor,
    htmx: Htmx,
    id: Uuid,
    form: ConnectForm,
    outcome: Result<Channel, crate::services::AppError>,
) -> Result<Response, UiError> {
    match outcome {
        Ok(channel) => {
            let ws = state.services.workspace(actor, id).await?;
            let mut page = page_for(state, actor, &ws).await?;
            page.shell.toasts.push(Toast::ok(format!(
                "Connected {} on {}.",
                channel.handle,
                channel.network.label()
            )));
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => refused(state, actor, htmx, id, form, Errors::from_app(e)?).await,
    }
}

async fn refused(
    state: &AppState,
    actor: &crate::services::Actor,
    htmx: Htmx,
    id: Uuid,
    mut form: ConnectForm,
    errors: Errors,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(actor, id).await?;
    let mut page = page_for(state, actor, &ws).await?;
    // Secrets are never sent back into the page.
    form.access_token.clear();
    form.app_password.clear();
    page.form = form;
    page.errors = errors;
    page.shell.toasts.push(Toast::error(
        "Not connected: please fix the fields marked below.",
    ));
    render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// X, Threads, Facebook, Instagram and LinkedIn: straight to the network's sign-in page with
/// the install's app.
pub async fn network(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, network)): UiPath<(Uuid, String)>,
    UiForm(form): UiForm<ConnectForm>,
) -> Result<Response, UiError> {
    let network =
        crate::domain::text::Network::parse(&network).ok_or(crate::services::AppError::NotFound)?;
    let callback = crate::web::ui::pages::oauth::redirect_uri(
        &state,
        crate::services::sign_in_network(network, &form.login),
    );
    let url = state
        .services
        .start_network_oauth(&actor, id, network, &form.login, &callback, form.channel_id)
        .await?;
    Ok(redirect(htmx, url.as_str()))
}
